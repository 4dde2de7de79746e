"""The summary table per set and solver, as rows of text for the terminal (rich) and for Markdown."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from rich.table import Table

PLANNER = "planner"


@dataclass(frozen=True)
class Stats:
    """Figures of one solver on one set."""

    set: str
    solver: str
    instances: int
    with_plan: int
    at_best: int
    mean_gap: float | None
    proven_optimal: int
    proven_infeasible: int
    with_reason: int
    mean_wall: float
    max_wall: float
    violations: int
    with_problems: int
    max_overhead: float | None


def stats(rows: list[dict[str, object]]) -> list[Stats]:
    """One Stats per (set, solver), in order of first appearance."""
    keys = list(dict.fromkeys((str(r["set"]), str(r["solver"])) for r in rows))
    return [_stats(s, solver, [r for r in rows if (r["set"], r["solver"]) == (s, solver)]) for s, solver in keys]


def _stats(set_name: str, solver: str, rows: list[dict[str, object]]) -> Stats:
    gaps = [float(r["gap_to_best_known"]) for r in rows if r["gap_to_best_known"] != ""]  # type: ignore[arg-type]
    walls = [float(r["wall_s"]) for r in rows]  # type: ignore[arg-type]
    overheads = [float(r["overhead_s"]) for r in rows if r["overhead_s"] != ""]  # type: ignore[arg-type]
    return Stats(
        set=set_name,
        solver=solver,
        instances=len(rows),
        with_plan=sum(r["makespan"] != "" for r in rows),
        at_best=sum(bool(r["at_best_known"]) for r in rows),
        mean_gap=statistics.fmean(gaps) if gaps else None,
        proven_optimal=sum(bool(r["proven_optimal"]) for r in rows),
        proven_infeasible=sum(r["status"] == "infeasible" for r in rows),
        with_reason=sum(r["status"] == "infeasible" and bool(r["explanation"]) for r in rows),
        mean_wall=statistics.fmean(walls),
        max_wall=max(walls),
        violations=sum(int(r["violations"]) for r in rows if r["violations"] != ""),  # type: ignore[call-overload]
        with_problems=sum(bool(r["problems"]) for r in rows),
        max_overhead=max(overheads) if overheads else None,
    )


def table_text(all_stats: list[Stats], time_limit: float, infeasible: bool) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of text for one set; peers' rows carry the planner/peer ratios of mean gap and wall."""
    planner = {s.set: s for s in all_stats if s.solver == PLANNER}
    if infeasible:
        headers = ["solver", "instances", "proven infeasible", "with reason", "mean wall s", "max wall s"]
    else:
        headers = ["solver", "instances", "with plan", "at best known", "mean gap", "proven optimal"]
        headers += ["mean wall s", "max wall s", "gap planner/peer", "wall planner/peer"]
    headers += ["violations", "problems", "max overhead / limit"]
    body = []
    for s in all_stats:
        row = [s.solver, str(s.instances)]
        if infeasible:
            reason = _count(s.with_reason, s.instances) if s.solver == PLANNER else ""  # only the planner explains
            row += [_count(s.proven_infeasible, s.instances), reason]
            row += [f"{s.mean_wall:.2f}", f"{s.max_wall:.2f}"]
        else:
            row += [str(s.with_plan), _count(s.at_best, s.instances), _pct(s.mean_gap)]
            row += [_count(s.proven_optimal, s.instances), f"{s.mean_wall:.2f}", f"{s.max_wall:.2f}"]
            row += _ratios(planner.get(s.set), s)
        row += [str(s.violations) if s.solver == PLANNER else "", str(s.with_problems)]
        row += [f"{100 * s.max_overhead / time_limit:.1f} %" if s.max_overhead is not None else ""]
        body.append(row)
    return headers, body


def rich_table(headers: list[str], body: list[list[str]], title: str) -> Table:
    table = Table(*headers, title=title)
    for row in body:
        table.add_row(*row)
    return table


def markdown_table(headers: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def _ratios(planner: Stats | None, peer: Stats) -> list[str]:
    """Planner's mean gap and mean wall divided by this peer's (blank on the planner's own row)."""
    if planner is None or peer.solver == PLANNER:
        return ["", ""]
    return [_ratio(planner.mean_gap, peer.mean_gap), _ratio(planner.mean_wall, peer.mean_wall)]


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "n/a"
    if b == 0:
        return "both 0" if a == 0 else "inf"
    return f"{a / b:.2f}"


def _count(k: int, n: int) -> str:
    return f"{k} ({100 * k / n:.1f} %)" if n else "0"


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.2f} %"
