"""From decisions (work package, option, start, duration, funder) to the plan's readable rows.

The solver calls this after a solve; it computes the derived fields a reader needs (dates,
effort, load, cost in two currencies, what each funder pays) on the one pricing path (`planner.problem.pricing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.domain.plan import Assignment, DeliverableDate, LeftOut, Plan, Status
from planner.problem.prepared import PreparedProblem, prepare
from planner.problem.pricing import payers_of, price

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario


@dataclass(frozen=True)
class Decision:
    """What the optimizer decided for one work package."""

    work_package: str
    option: str
    start: int
    duration: int
    funder: str | None


def assignments(problem: Scenario | PreparedProblem, decisions: list[Decision]) -> list[Assignment]:
    """Plan rows for the decisions, in the scenario's work-package order, priced on the one pricing path."""
    p = prepare(problem)
    cal = p.calendar
    rows = []
    for d in sorted(decisions, key=lambda d: p.order[d.work_package]):
        opt = p.option(d.work_package, d.option)
        if opt is None:
            raise ValueError(f"the solver chose option {d.option!r}, which {d.work_package} does not have")
        end = d.start + d.duration
        priced = price(p, opt, d.start, end, payers_of(opt, d.funder))
        deliverables = []
        for dl in p.work_packages[d.work_package].deliverables:
            at = d.start + dl.offset if dl.offset is not None else end
            deliverables.append(DeliverableDate(id=dl.id, period=at, month=cal.last_month(at)))
        rows.append(
            Assignment(
                work_package=d.work_package,
                option=d.option,
                institution=opt.institution,
                start=d.start,
                end=end,
                start_month=cal.start_month(d.start),
                end_month=cal.last_month(end),
                effort_pm=_r(opt.effort_pm),
                load_pm=_r(priced.load_pm),
                cost=_r(opt.cost),
                currency=opt.currency,
                cost_reporting=_r(priced.cost_reporting),
                funding={f: _r(priced.funding_total(f)) for f in priced.funding_years},
                deliverables=deliverables,
            )
        )
    return rows


def draft_plan(problem: Scenario | PreparedProblem, decisions: list[Decision]) -> Plan:
    """Decisions as a plan to check or evaluate: its rows, status feasible, no solver information."""
    p = prepare(problem)
    rows = assignments(p, decisions)
    return Plan(scenario=p.scenario.name, scenario_digest="-", status=Status.feasible, assignments=rows)


def left_out(problem: Scenario | PreparedProblem, chosen: set[str], proven: bool = True) -> list[LeftOut]:
    """Why each work package that is not done was left out.

    "Not worth it" is said only when the stage that decides it (`proven`: the value stage was proven
    optimal) says so; otherwise the work was not planned within the time limit.
    """
    p = prepare(problem)
    groups_of: dict[str, list[str]] = {}
    for g in p.scenario.overlap_groups:
        for m in g.members:
            groups_of.setdefault(m, []).append(g.id)
    out = []
    for wp in p.scenario.work_packages:
        if wp.id in chosen:
            continue
        sibling = next(
            ((g, m) for g in groups_of.get(wp.id, []) for m in p.groups[g].members if m in chosen and m != wp.id),
            None,
        )
        missing_dep = next((d.id for d in wp.dependencies if d.id in p.work_packages and d.id not in chosen), None)
        if sibling:
            reason = f"overlap group {sibling[0]}: {sibling[1]} does the same work"
        elif missing_dep:
            reason = f"depends on {missing_dep}, which is left out"
        elif proven:
            reason = f"optional (value {wp.value:g}): not worth its cost and capacity under the objective's priorities"
        else:
            reason = (
                f"optional (value {wp.value:g}): not planned within the time limit (the value stage was not proven)"
            )
        out.append(LeftOut(work_package=wp.id, reason=reason))
    return out


def _r(x: float) -> float:
    """Round derived figures for stable, readable plan files."""
    return round(x, 6)
