"""Solver settings: a small validated model with named presets."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class SolverSettings(BaseModel):
    """How long and how to search."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    time_limit_s: float = Field(default=30.0, gt=0, description="Wall-clock limit for the whole solve, in seconds.")
    workers: int = Field(default=2, ge=1, le=64, description="Parallel CP-SAT workers.")
    seed: int = Field(default=0, ge=0, description="Random seed.")
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


PRESETS: dict[str, SolverSettings] = {
    "quick": SolverSettings(time_limit_s=5),
    "default": SolverSettings(),
    "thorough": SolverSettings(time_limit_s=300),
    "reproducible": SolverSettings(reproducible=True),
}
