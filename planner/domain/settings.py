"""Solver settings: a small validated model with named presets."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_WORKERS = 64
"""Most parallel CP-SAT workers."""
MAX_SEED = 2**31 - 1
"""Largest random seed: CP-SAT keeps its seed in 32 bits."""


class SolverSettings(BaseModel):
    """How long and how to search."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    time_limit_s: float = Field(default=30.0, gt=0, description="Wall-clock limit for the whole solve, in seconds.")
    workers: int = Field(default=2, ge=1, le=MAX_WORKERS, description="Parallel CP-SAT workers.")
    seed: int = Field(default=0, ge=0, le=MAX_SEED, description="Random seed.")
    reproducible: bool = Field(
        default=False,
        description=(
            "Same scenario, settings and seed give a byte-identical plan: the search is interleaved "
            "and limited by deterministic time instead of the clock."
        ),
    )
    log: bool = Field(default=False, description="Print CP-SAT's search log.")
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="Raw CP-SAT parameters passed through, e.g. {'linearization_level': 2}."
    )

    @field_validator("parameters")
    @classmethod
    def _known(cls, value: dict[str, Any]) -> dict[str, Any]:
        from ortools.sat.python import cp_model

        probe = cp_model.CpSolver().parameters
        unknown = [k for k in value if not hasattr(probe, k)]
        if unknown:
            raise ValueError(f"unknown CP-SAT parameter(s): {', '.join(unknown)} (see OR-Tools' sat_parameters.proto)")
        return value


PRESETS: dict[str, SolverSettings] = {
    "quick": SolverSettings(time_limit_s=5),
    "default": SolverSettings(),
    "thorough": SolverSettings(time_limit_s=300),
    "reproducible": SolverSettings(reproducible=True),
}
