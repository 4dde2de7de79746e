"""One CSV row per instance × solver, and the correctness judgement that goes into it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peers import Outcome

    from harness.sets import Known

FIELDS = [
    "set",
    "instance",
    "solver",
    "order",
    "status",
    "makespan",
    "bound",
    "wall_s",
    "best_known",
    "lb_known",
    "gap_to_best_known",
    "proven_optimal",
    "at_best_known",
    "violations",
    "overhead_s",
    "import_s",
    "explanation",
    "problems",
]
EPS = 1e-6


def judge(out: Outcome, known: Known | None) -> list[str]:
    """What contradicts the known values: each item is a bug in a solver or a model, not a weak result."""
    if known is None:  # a known-infeasible instance
        return [f"found a schedule of makespan {out.makespan} for a known-infeasible instance"] if out.makespan else []
    problems = []
    if out.status == "infeasible":
        problems.append(f"claims infeasible, but a schedule of makespan {known.ub} is known")
    if out.makespan is not None and out.makespan < known.lb:
        problems.append(f"makespan {out.makespan} below the proven lower bound {known.lb}")
    if out.bound is not None and out.bound > known.ub + EPS:
        problems.append(f"bound {out.bound:g} above the best known makespan {known.ub}")
    if out.status == "optimal" and known.closed and out.makespan != known.ub:
        problems.append(f"claims optimal at {out.makespan}, the known optimum is {known.ub}")
    return problems


def make_row(
    set_name: str, instance: str, solver: str, order: int, out: Outcome, known: Known | None
) -> dict[str, object]:
    """The CSV row; blanks where a figure does not apply."""
    gap = (out.makespan - known.ub) / known.ub if known and out.makespan is not None else None
    return {
        "set": set_name,
        "instance": instance,
        "solver": solver,
        "order": order,
        "status": out.status,
        "makespan": _blank(out.makespan),
        "bound": _blank(None if out.bound is None else round(out.bound, 3)),
        "wall_s": round(out.wall_s, 3),
        "best_known": _blank(known.ub if known else None),
        "lb_known": _blank(known.lb if known else None),
        "gap_to_best_known": _blank(None if gap is None else round(gap, 6)),
        "proven_optimal": out.status == "optimal",
        "at_best_known": bool(known and out.makespan is not None and out.makespan <= known.ub),
        "violations": _blank(out.violations),
        "overhead_s": _blank(None if out.overhead_s is None else round(out.overhead_s, 3)),
        "import_s": _blank(None if out.import_s is None else round(out.import_s, 3)),
        "explanation": out.explanation,
        "problems": " | ".join(out.problems),
    }


def _blank(value: object) -> object:
    return "" if value is None else value
