"""Bounds on every objective term from the prepared problem alone, without a solver.

Each bound holds for every plan, so a plan's gap against it is honest; on programs too large for
the full CP-SAT model within the time limit these are the bounds a plan is reported against. They
are weak where the rules interact (capacity and budgets are ignored) and exact where they do not
(value when every optional work package fits, lateness when the chains allow every due date).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from planner.domain.scenario import Term

if TYPE_CHECKING:
    from planner.problem.prepared import PreparedProblem


def term_bounds(p: PreparedProblem, value: float | None = None) -> dict[str, float]:
    """The best value each objective term can take in any plan (an upper bound where maximised).

    With `value` (what a plan reached on a value priority ranked before cost), the cost bound holds for every
    plan worth at least that much, as a lexicographic stage's bound does: it then includes the cheapest way to
    reach that value with optional work (`_cost_of_value`).
    """
    out = {
        Term.value: _value(p),
        Term.lateness: _lateness(p),
        Term.cost: _cost(p) + (_cost_of_value(p, value) if value else 0.0),
        Term.makespan: float(max((_earliest_end(p, w) for w in p.forced), default=0)),
        Term.balance: _balance(p),
        Term.fit: _fit(p),
        Term.collaboration: 0.0,
    }
    return {t.value: v for t, v in out.items()}


def _earliest_end(p: PreparedProblem, w: str) -> int:
    return p.windows[w].chain_start + p.min_duration(w)


def _value(p: PreparedProblem) -> float:
    """Every optional work package with an option done, but only the most valuable member of each overlap group."""
    grouped: set[str] = set()
    total = 0.0
    for g in p.scenario.overlap_groups:
        grouped.update(g.members)
        total += max((_optional_value(p, m) for m in g.members), default=0.0)
    return total + sum(_optional_value(p, w) for w in p.work_packages if w not in grouped)


def _optional_value(p: PreparedProblem, w: str) -> float:
    wp = p.work_packages[w]
    doable = p.options(w) and p.windows[w].room >= p.min_duration(w)
    return wp.value if not wp.mandatory and doable else 0.0


def _lateness(p: PreparedProblem) -> float:
    """Periods late that the chains of the work every plan holds already force."""
    cal = p.calendar
    late = 0
    program_end: dict[str, int] = defaultdict(int)
    for w in p.forced:
        wp = p.work_packages[w]
        end = _earliest_end(p, w)
        if wp.due:
            late += max(0, end - (cal.period_of(wp.due) + 1))
        program_end[wp.program] = max(program_end[wp.program], end)
    for prog in p.scenario.programs:
        if prog.due and prog.id in program_end:
            late += max(0, program_end[prog.id] - (cal.period_of(prog.due) + 1))
    return float(late)


def _cost(p: PreparedProblem) -> float:
    """The cheapest option of every work package every plan holds, at planning rates."""
    money = p.money
    return sum(min((money.to_reporting(o.cost, o.currency) for o in p.options(w)), default=0.0) for w in p.forced)


def _cost_of_value(p: PreparedProblem, value: float) -> float:
    """The least cost of optional work worth `value` beyond what the work every plan holds is worth.

    The relaxation of a knapsack (a fraction of a work package may be bought, overlap groups and chains are
    ignored), solved exactly by taking the cheapest value first: never more than any plan of that value pays.
    """
    money = p.money
    needed = value - sum(_optional_value(p, w) for w in p.forced)
    items = []
    for w in p.work_packages:
        worth = _optional_value(p, w)
        if w not in p.forced and worth > 0:
            items.append((min(money.to_reporting(o.cost, o.currency) for o in p.options(w)), worth))
    cost = 0.0
    for price, worth in sorted(items, key=lambda item: item[0] / item[1]):
        if needed <= 1e-9:
            break
        take = min(1.0, needed / worth)
        cost += take * price
        needed -= take * worth
    return cost


def _balance(p: PreparedProblem) -> float:
    """The most effort one institution must give to the work every plan holds that only it can do."""
    effort: dict[str, float] = defaultdict(float)
    for w in p.forced:
        institutions = {o.institution for o in p.options(w)}
        if len(institutions) == 1 and None not in institutions:
            effort[next(iter(institutions))] += min(o.effort_pm for o in p.options(w))  # type: ignore[index]
    return max(effort.values(), default=0.0)


def _fit(p: PreparedProblem) -> float:
    """Competency levels missing to 5 on the work every plan holds, with the best-fitting institution each."""
    total = 0
    for w in p.forced:
        wp = p.work_packages[w]
        best = None
        for o in p.options(w):
            inst = p.institutions.get(o.institution) if o.institution else None
            if inst is not None:
                missing = sum(5 - inst.competencies.get(c, 0) for c in wp.requires)
                best = missing if best is None else min(best, missing)
        total += best or 0
    return float(total)
