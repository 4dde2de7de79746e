"""Every objective term, recomputed from a plan's decisions."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from planner.check.context import Context
from planner.domain.scenario import Scenario, Term
from planner.io.bulk import gc_paused

if TYPE_CHECKING:
    from collections.abc import Callable

    from planner.domain.plan import Plan
    from planner.problem.prepared import PreparedProblem

# ---------------------------------------------------------------- objective terms


def _value(ctx: Context) -> float:
    """Value of the optional work packages done."""
    return sum(ctx.wps[w].value for w in ctx.first if not ctx.wps[w].mandatory)


def _lateness(ctx: Context) -> float:
    """Periods late against the soft due dates of work packages and programs."""
    late = 0
    last_end: dict[str, int] = {}
    for wp_id, a in ctx.first.items():
        wp = ctx.wps[wp_id]
        if wp.due:
            late += max(0, a.end - ctx.until(wp.due))
        last_end[wp.program] = max(last_end.get(wp.program, a.end), a.end)
    for prog in ctx.s.programs:
        if prog.due and prog.id in last_end:
            late += max(0, last_end[prog.id] - ctx.until(prog.due))
    return float(late)


def _cost(ctx: Context) -> float:
    """Total cost in the reporting currency."""
    return sum(p.cost_reporting for p in ctx.placed)


def _makespan(ctx: Context) -> float:
    """End of the last work package (0 for an empty plan)."""
    return float(max((a.end for a in ctx.first.values()), default=0))


def _balance(ctx: Context) -> float:
    """Largest effort in person-months given to one institution."""
    effort: dict[str, float] = defaultdict(float)
    for p in ctx.placed:
        if p.institution is not None:
            effort[p.institution] += p.option.effort_pm
    return max(effort.values(), default=0.0)


def _fit(ctx: Context) -> float:
    """Competency levels missing to the top level (5), over the work done by institutions."""
    missing = 0
    for p in ctx.placed:
        inst = ctx.institutions.get(p.institution) if p.institution else None
        if inst is not None:
            missing += sum(5 - inst.competencies.get(c, 0) for c in p.wp.requires)
    return float(missing)


def _collaboration(ctx: Context) -> float:
    """Pairs (program with work packages, country) with no work of that program in that country."""
    with_work = {wp.program for wp in ctx.s.work_packages}
    present = {(p.wp.program, ctx.country_of(p.institution)) for p in ctx.placed}
    return float(
        sum((prog.id, c.id) not in present for prog in ctx.s.programs if prog.id in with_work for c in ctx.s.countries)
    )


TERMS: dict[Term, Callable[[Context], float]] = {
    Term.value: _value,
    Term.lateness: _lateness,
    Term.cost: _cost,
    Term.makespan: _makespan,
    Term.balance: _balance,
    Term.fit: _fit,
    Term.collaboration: _collaboration,
}


def evaluate(scenario: Scenario | PreparedProblem, plan: Plan) -> dict[str, float]:
    """Every objective term, recomputed from the plan's decisions (keyed by the term's name)."""
    with gc_paused():
        ctx = Context(scenario, plan)
        return {str(term): float(f(ctx)) for term, f in TERMS.items()}
