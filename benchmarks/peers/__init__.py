"""Peer solvers for the benchmark harness, and the outcome record every solver run returns.

A schedule is keyed by PSPLIB job number (1-based, dummies included where the solver keeps them)
and holds (mode number, start, end), so that `harness.verify` can check any solver against the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Schedule = dict[int, tuple[int, int, int]]
"""job number → (mode number, start, end)."""


@dataclass(frozen=True)
class Outcome:
    """What one solver made of one instance; `wall_s` covers reading, building and solving."""

    status: str
    """One of optimal, feasible, infeasible, unknown (the planner's vocabulary)."""
    makespan: int | None
    bound: float | None
    wall_s: float
    schedule: Schedule = field(default_factory=dict)
    violations: int | None = None
    """Planner only: number of checker violations."""
    overhead_s: float | None = None
    """Planner only: import + validation + model building (+ plan assembly or explanation)."""
    import_s: float | None = None
    """Planner only: time of import_psplib."""
    explanation: str = ""
    """Planner only: first line of the explanation when there is no plan."""
    problems: list[str] = field(default_factory=list)
    """Correctness problems found while running (checker violations, objective mismatches)."""
