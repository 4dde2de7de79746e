"""What doing a work package elsewhere would cost: a bounded re-solve per institution, confirmed by the checker.

For each institution that could do the work package (other than the plan's), the scenario is copied with the
work package pinned there (a pin is the scenario's own rule: the forced plan is checked like any plan). First
only that work package is re-decided, every other one kept as the plan has it (`solve(..., keep=)`): the cost of
moving it alone, found in a fraction of a second. The most promising institutions are then re-solved in full
within a small time limit, starting from that move (`solve(..., hint=)`), so the rest of the plan may adapt;
the re-solve never ends worse than the move alone. Each priority's change is the independent checker's
`evaluate` of the forced plan less its `evaluate` of the plan. It is *proven* when the forced re-solve is proven
optimal (no plan with the work package there does better), or when the plan is proven optimal and the forced plan
is as good (lexicographic priorities: nothing does better, so the work package could be there at no cost).
Otherwise it is what the best forced plan found costs: an upper bound on the least cost of forcing it there.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from planner.check import check_plan, evaluate
from planner.cpsat.lns import plan_score
from planner.cpsat.solver import solve
from planner.domain.plan import Status
from planner.domain.scenario import Pin, scenario_digest
from planner.domain.settings import SolverSettings
from planner.problem.prepared import prepare

if TYPE_CHECKING:
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario
    from planner.problem.prepared import PreparedProblem

RESOLVED = 3
"""Institutions re-solved in full (the ones whose move alone costs least); the others report the move alone."""
BUDGET_S = 12.0
"""Seconds for the full re-solves of one work package's alternatives together (split evenly)."""
MOVE_S = 5.0
"""Time limit of a move alone (everything else held): it ends in a fraction of a second on the demo."""


class Outcome(StrEnum):
    """What forcing a work package to an institution gave."""

    found = "found"  # a plan with it there, checked
    no_plan = "no_plan"  # proven: no plan has it there
    unknown = "unknown"  # no plan with it there found in the time limit
    forbidden = "forbidden"  # the scenario forbids it there: not tried


@dataclass(frozen=True)
class Alternative:
    """One institution a work package could be forced to, and what the best plan found with it there costs."""

    institution: str
    outcome: Outcome
    deltas: tuple[tuple[str, float], ...] = ()
    """Per priority: the forced plan's value less the plan's (the checker's figures), in the term's units."""
    proven: bool = False
    """The deltas are exact: both plans are proven optimal under the priorities."""
    alone: bool = False
    """Only this work package moved: the best found keeps every other as the plan has it."""
    resolved: bool = False
    """A full re-solve was tried (else only the move alone)."""
    moved: tuple[str, ...] = ()
    """Other work packages whose institution, start or duration differs from the plan (or that are added or left out)."""
    start_month: str | None = None
    end_month: str | None = None
    forced: Plan | None = None
    """The best plan found with the work package there; the checker passes it against `scenario` with the pin."""
    seconds: float = 0.0

    def delta(self, term: str) -> float | None:
        return dict(self.deltas).get(term)


def force(scenario: Scenario, wp: str, institution: str) -> Scenario:
    """A copy of the scenario with the work package pinned to the institution (a pin's start month is kept)."""
    pins, found = [], False
    for pin in scenario.pins:
        if pin.work_package == wp:
            pins.append(pin.model_copy(update={"institution": institution, "option": None}))
            found = True
        else:
            pins.append(pin)
    if not found:
        pins.append(Pin(work_package=wp, institution=institution, note="forced by planner explain"))
    return scenario.model_copy(update={"pins": pins})


def candidates(problem: PreparedProblem, wp: str, current: str | None) -> list[str]:
    """Institutions with an execution option for the work package, other than the current one, in scenario order."""
    able = [o.institution for o in problem.options(wp) if o.institution is not None and o.institution != current]
    return list(dict.fromkeys(able))


def alternatives(
    scenario: Scenario,
    plan: Plan,
    wp: str,
    settings: SolverSettings | None = None,
    budget_s: float = BUDGET_S,
    resolved: int = RESOLVED,
) -> list[Alternative]:
    """For each institution that could do `wp` instead, the cost of forcing it there, best first.

    `settings` give the workers, seed and reproducible mode of the re-solves; `budget_s` the seconds of all full
    re-solves together, shared by the `resolved` institutions whose move alone costs least.
    """
    p = prepare(scenario)
    a = plan.assignment(wp)
    if a is None:
        return []
    base = settings or SolverSettings()
    forbidden = p.forbidden.get(wp, frozenset())
    others = [w for w in p.work_packages if w != wp]
    program = p.work_packages[wp].program
    tried: dict[str, tuple[Scenario, Plan | None, float]] = {}
    out: list[Alternative] = []
    for inst in candidates(p, wp, a.institution):
        if inst in forbidden:
            out.append(Alternative(inst, Outcome.forbidden))
            continue
        t0 = time.perf_counter()
        s = force(scenario, wp, inst)
        move = _move(s, plan, base, others)
        if move is None:  # no room for it alone: its program re-planned around it, the other programs kept
            move = _move(s, plan, base, [w for w in others if p.work_packages[w].program != program])
        tried[inst] = (s, move, time.perf_counter() - t0)
    order = sorted(tried, key=lambda i: _rank(p, tried[i][1]))
    full = order[:resolved]
    deadline = time.perf_counter() + budget_s
    for k, inst in enumerate(full):
        s, move, spent = tried[inst]
        t0 = time.perf_counter()
        limit = max(0.5, (deadline - t0) / (len(full) - k))
        start = move or plan  # the re-solve starts from the move alone and moves the rest only for a gain
        best = solve(s, _settings(base, limit), hint=start, baseline=start, tolerance=0.0)
        optimal = best.status is Status.optimal
        if not best.found or check_plan(s, best):
            # the move alone stands when the re-solve has nothing (or nothing the checker passes)
            best, optimal = move or best.model_copy(update={"status": _nothing(best), "assignments": []}), False
        elif move is not None and plan_score(p, move) <= plan_score(p, best):
            best = move  # as good as the re-solve and nothing else moves: the plainer answer
        seconds = spent + time.perf_counter() - t0
        out.append(_judged(p, plan, wp, inst, best, move, seconds, resolved=True, optimal=optimal))
    for inst in order[len(full) :]:
        s, move, spent = tried[inst]
        if move is None:
            out.append(Alternative(inst, Outcome.unknown, seconds=spent))
        else:
            out.append(_judged(p, plan, wp, inst, move, move, spent, resolved=False))
    return sorted(out, key=lambda x: (_rank(p, x.forced), x.outcome is Outcome.forbidden))


def _move(s: Scenario, plan: Plan, base: SolverSettings, keep: list[str]) -> Plan | None:
    """The best plan of `s` that keeps the work packages `keep` as `plan` has them, if the checker passes it."""
    move = solve(s, _settings(base, MOVE_S, workers=1), hint=plan, keep=keep)
    return move if move.found and not check_plan(s, move) else None


def _nothing(plan: Plan) -> Status:
    """The status of a re-solve that gave no plan the checker passes: infeasible only when proven."""
    return Status.infeasible if plan.status is Status.infeasible else Status.unknown


def _settings(base: SolverSettings, seconds: float, workers: int | None = None) -> SolverSettings:
    return base.model_copy(update={"time_limit_s": seconds, "workers": workers or base.workers, "log": False})


def _rank(p: PreparedProblem, plan: Plan | None) -> tuple[int, tuple[float, ...]]:
    """Plans found first, best under the priorities first."""
    return (0, plan_score(p, plan)) if plan is not None else (1, ())


def _judged(
    p: PreparedProblem,
    plan: Plan,
    wp: str,
    inst: str,
    best: Plan,
    move: Plan | None,
    seconds: float,
    resolved: bool,
    optimal: bool = False,
) -> Alternative:
    """The forced plan against the plan: each priority's change (the checker's figures) and what else moved."""
    if not best.found:
        outcome = Outcome.no_plan if best.status is Status.infeasible and move is None else Outcome.unknown
        return Alternative(inst, outcome, resolved=resolved, seconds=seconds)
    before, after = evaluate(p, plan), evaluate(p, best)
    priorities = [t.value for t in p.scenario.objective.priorities]
    deltas = tuple((t, round(after[t] - before[t], 6)) for t in priorities)
    moved = _moved(plan, best, wp)
    own = best.assignment(wp)
    # Exact when the forced re-solve is proven best; or when the plan is proven best of all plans (no plan with the
    # work package forced elsewhere beats it) and, under lexicographic priorities (whose best values are unique),
    # the forced plan is no worse than it: it then reaches that bound.
    best_known = plan.status is Status.optimal and plan.scenario_digest == scenario_digest(p.scenario)
    lexicographic = p.scenario.objective.mode == "lexicographic"
    proven = optimal or (best_known and lexicographic and plan_score(p, best) <= plan_score(p, plan))
    return Alternative(
        institution=inst,
        outcome=Outcome.found,
        deltas=deltas,
        proven=proven,
        alone=not moved,
        resolved=resolved,
        moved=moved,
        start_month=own.start_month if own else None,
        end_month=own.end_month if own else None,
        forced=best,
        seconds=seconds,
    )


def _moved(plan: Plan, other: Plan, wp: str) -> tuple[str, ...]:
    """Work packages other than `wp` done differently in `other`: institution, start or end, or added or left out."""
    before = {a.work_package: (a.institution, a.start, a.end) for a in plan.assignments}
    after = {a.work_package: (a.institution, a.start, a.end) for a in other.assignments}
    order = [a.work_package for a in plan.assignments] + [w for w in after if w not in before]
    return tuple(w for w in order if w != wp and before.get(w) != after.get(w))
