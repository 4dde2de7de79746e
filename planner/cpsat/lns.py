"""Large-neighbourhood search for programs too large for one CP-SAT model: re-optimise one program at a time.

The whole plan stays fixed except one neighbourhood (the work packages of a program). CP-SAT then
solves a small model of that neighbourhood alone: the fixed work is background load on the
institutions and facilities, money already spent comes off the funders' caps and totals, fixed
predecessors become earliest starts and fixed successors deadlines. Ratio rules that reach outside
the neighbourhood (a funder's shares, a program only partly free) are left to the checker: a new
plan is kept only if the independent checker passes it and it is better under the objective's
priorities. So the plan never gets worse and is always checked.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from planner.check import check_plan, evaluate
from planner.domain.scenario import DependencyType, Scenario
from planner.problem import scaling
from planner.problem.assemble import Decision, draft_plan
from planner.problem.prepared import PreparedProblem, prepare
from planner.problem.pricing import payers_of, price

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable

    from planner.domain.plan import Plan
    from planner.domain.settings import SolverSettings

    SubSolve = Callable[[PreparedProblem, SolverSettings, list[Decision], dict[str, list[int]], int | None], Plan]

_log = logging.getLogger(__name__)

MIN_CALL_S = 2.0
"""A neighbourhood is tried only with at least this many seconds left."""
MAX_CALL_S = 5.0
"""At most this many seconds for one neighbourhood, so that many get their turn."""


def improve(
    problem: PreparedProblem,
    decisions: list[Decision],
    settings: SolverSettings,
    deadline: float,
    sub_solve: SubSolve,
    stop: threading.Event | None = None,
) -> tuple[list[Decision], int, int]:
    """Better decisions (never worse) found by re-optimising programs until `deadline` (perf_counter seconds).

    Returns the decisions, the neighbourhoods tried and the ones kept.
    """
    current = {d.work_package: d for d in decisions}
    best = score(problem, current)
    frame = _frame(problem)  # the scenario without its work, dumped once for every neighbourhood
    order = _programs_by_need(problem, current)
    tried = kept = 0
    k = 0
    gained_this_round = False
    leading = _leading(problem)
    while order and deadline - time.perf_counter() >= MIN_CALL_S and not (stop is not None and stop.is_set()):
        if k and k % len(order) == 0:
            if not gained_this_round:
                if leading is None:
                    break  # a whole round of programs without a gain: the neighbourhoods are exhausted
                leading = None  # the leading priorities are exhausted: every priority from now on
            gained_this_round = False
        program = order[k % len(order)]
        k += 1
        hood = _neighbourhood(problem, current, program, frame)
        if hood is None:
            tried += 1  # a neighbourhood this search cannot take counts as tried, so a round of them ends
            continue
        sub, background, hint = hood
        seconds = min(MAX_CALL_S, deadline - time.perf_counter())
        sub_settings = settings.model_copy(update={"time_limit_s": seconds, "seed": settings.seed + k})
        tried += 1
        plan = sub_solve(prepare(sub), sub_settings, hint, background, leading)
        if not plan.found:
            _log.debug("neighbourhood %s (%d work packages): no plan in %.1f s", program, len(hint), seconds)
            continue
        trial = {w: d for w, d in current.items() if problem.work_packages[w].program != program}
        trial.update({d.work_package: d for d in plan_decisions(problem, plan)})
        trial_plan = draft_plan(problem, list(trial.values()))  # built once: scored, then checked
        trial_score = plan_score(problem, trial_plan)
        broken = check_plan(problem, trial_plan) if trial_score < best else []
        _log.debug(
            "neighbourhood %s (%d work packages): %s → %s%s",
            *(program, len(hint), best, trial_score),
            f", refused: {broken[0].message}" if broken else "",
        )
        if trial_score < best and not broken:
            current, best = trial, trial_score
            kept += 1
            gained_this_round = True
    return sorted(current.values(), key=lambda d: problem.order[d.work_package]), tried, kept


def _leading(p: PreparedProblem) -> int | None:
    """How many leading priorities the first rounds re-optimise in full: two of three or more in lexicographic order.

    A neighbourhood's later stages (cost, mostly) took most of its time and rarely proved; under lexicographic
    priorities a gain in the second one outweighs any in the later ones, so in the first rounds the later stages
    only get a moment (`solver.TRAILING_STAGE_S`) and the search reaches about twice as many programs (a round of
    33 programs at 2,000 work packages did not fit 60 s with every stage in full). Once a whole round gains
    nothing, every stage gets its full share.
    """
    objective = p.scenario.objective
    if objective.mode != "lexicographic" or len(objective.priorities) < 3:
        return None
    return 2


def score(p: PreparedProblem, decisions: dict[str, Decision]) -> tuple[float, ...]:
    """The objective's priorities for decisions, as a tuple to minimise (see `plan_score`)."""
    return plan_score(p, draft_plan(p, list(decisions.values())))


def plan_score(p: PreparedProblem, plan: Plan) -> tuple[float, ...]:
    """A plan's priorities as a tuple to minimise (maximised terms negated; weighted: one sum), recomputed."""
    values = evaluate(p, plan)
    objective = p.scenario.objective
    sign = {t.value: -1.0 if t.value in ("value",) else 1.0 for t in objective.priorities}
    if objective.mode == "weighted":
        return (sum(sign[t.value] * objective.weights.get(t, 1.0) * values[t.value] for t in objective.priorities),)
    return tuple(round(sign[t.value] * values[t.value], 6) for t in objective.priorities)


def _programs_by_need(p: PreparedProblem, decisions: dict[str, Decision]) -> list[str]:
    """Programs with the most lateness and cost first: where re-optimising is likeliest to pay."""
    need: dict[str, float] = defaultdict(float)
    cal = p.calendar
    for w, d in decisions.items():
        wp = p.work_packages[w]
        if wp.due:
            need[wp.program] += 1e6 * max(0, d.start + d.duration - (cal.period_of(wp.due) + 1))
        option = p.option(w, d.option)
        if option is not None:
            need[wp.program] += p.money.to_reporting(option.cost, option.currency) * 1e-9
    return sorted((prog.id for prog in p.scenario.programs), key=lambda x: -need[x])


def plan_decisions(p: PreparedProblem, plan: Plan) -> list[Decision]:
    out = []
    for a in plan.assignments:
        option = p.option(a.work_package, a.option)
        funder = None
        if option is not None and option.funding is None and a.funding:
            funder = next(iter(a.funding))
        out.append(Decision(a.work_package, a.option, a.start, a.end - a.start, funder))
    return out


# ---------------------------------------------------------------- the neighbourhood as a small scenario


def _neighbourhood(
    p: PreparedProblem,
    current: dict[str, Decision],
    program: str,
    frame: dict[str, Any] | None = None,
) -> tuple[Scenario, dict[str, list[int]], list[Decision]] | None:
    """The scenario of one program's work with the rest fixed, the fixed work's load, and the current decisions."""
    free = {w for w, wp in p.work_packages.items() if wp.program == program}
    fixed = {w: d for w, d in current.items() if w not in free}
    if not free:
        return None
    data = _copy(frame if frame is not None else _frame(p), p)
    cal = p.calendar
    earliest, latest, needed = _bounds_from_fixed(p, fixed, free)
    if earliest is None:
        return None
    grouping = _groups(p, free, fixed)
    if grouping is None:
        return None
    groups, out_of_group = grouping
    wps = []
    for wp in p.scenario.work_packages:
        if wp.id not in free or wp.id in out_of_group:
            continue
        item = wp.model_dump(mode="json", exclude_defaults=True)
        item["after"] = [
            d.model_dump(mode="json", exclude_defaults=True)
            for d in wp.dependencies
            if d.id in free or (d.id in p.groups and all(m in free for m in p.groups[d.id].members))
        ]
        if earliest.get(wp.id):
            own = cal.period_of(wp.earliest_start) if wp.earliest_start else 0
            item["earliest_start"] = cal.start_month(max(own, earliest[wp.id]))
        if wp.id in latest:
            limit = latest[wp.id]
            if limit < p.min_duration(wp.id):
                return None
            deadline = min(limit, cal.period_of(wp.deadline) + 1) if wp.deadline else limit
            item["deadline"] = cal.last_month(deadline)
        if wp.id in needed:
            item["mandatory"] = True
        wps.append(item)
    if not wps:
        return None
    data["work_packages"] = wps
    data["overlap_groups"] = groups
    kept = {w["id"] for w in wps}
    data["prior_results"] = [x for x in data.get("prior_results", []) if x["work_package"] in kept]
    data["pins"] = [x for x in data.get("pins", []) if x["work_package"] in kept]
    data["forbids"] = [x for x in data.get("forbids", []) if x["work_package"] in kept]
    _money_left(p, fixed, data)
    _whole_program_rules(data, program)
    try:
        sub = Scenario.model_validate(data)
    except ValueError:
        return None
    background = _background(p, fixed)
    hint = [d for w, d in current.items() if w in kept]
    return sub, background, hint


ROUNDING_SLACK_MONEY = 0.12
"""Money per work package of the neighbourhood added to each funder's cap of a year (a cent a month), and
six times that to its total. The model rounds each run's money up (`scaling`), so a current plan that the
checker passes with exact arithmetic can be over a cap in the model by cents; the slack lets the model take
it as its hint, and a result that truly overspends is refused by the checker, never kept. (Person-months
need no slack: the constructive plan and the background count them as the model does.)"""


def _frame(p: PreparedProblem) -> dict[str, Any]:
    """The scenario without its work; each neighbourhood adds its own work to a copy (`_copy`)."""
    skip = {"work_packages", "overlap_groups", "prior_results", "pins", "forbids"}
    return p.scenario.model_dump(mode="json", exclude_defaults=True, exclude=skip)


def _copy(frame: dict[str, Any], p: PreparedProblem) -> dict[str, Any]:
    """A neighbourhood's own copy of the frame: the parts it changes copied, the decisions of people added."""
    return {
        **frame,
        "funders": [dict(f) for f in frame.get("funders", [])],
        "programs": [dict(x) for x in frame.get("programs", [])],
        "prior_results": [x.model_dump(mode="json") for x in p.scenario.prior_results],
        "pins": [x.model_dump(mode="json", exclude_defaults=True) for x in p.scenario.pins],
        "forbids": [x.model_dump(mode="json", exclude_defaults=True) for x in p.scenario.forbids],
    }


def _groups(
    p: PreparedProblem, free: set[str], fixed: dict[str, Decision]
) -> tuple[list[dict[str, Any]], set[str]] | None:
    """Overlap groups wholly in the neighbourhood, and its work that a done member outside excludes; None when a
    group reaches outside with no member done (the neighbourhood cannot decide it alone)."""
    groups: list[dict[str, Any]] = []
    excluded: set[str] = set()
    for g in p.scenario.overlap_groups:
        inside = [m for m in g.members if m in free]
        if not inside:
            continue
        if any(m in fixed for m in g.members):
            excluded.update(inside)
        elif len(inside) < len(g.members):
            return None
        else:
            groups.append(g.model_dump(mode="json", exclude_defaults=True))
    return groups, excluded


def _bounds_from_fixed(
    p: PreparedProblem, fixed: dict[str, Decision], free: set[str]
) -> tuple[dict[str, int] | None, dict[str, int], set[str]]:
    """Earliest starts from fixed predecessors, latest ends from fixed successors, and free work fixed work needs.

    (None, …) when a fixed successor waits on a group with free members and no fixed one done.
    """
    earliest: dict[str, int] = {}
    latest: dict[str, int] = {}
    needed: set[str] = set()
    for w in free:
        for dep in p.work_packages[w].dependencies:
            for m in p.members(dep.id):
                if m in fixed:
                    d = fixed[m]
                    anchor = d.start if dep.type == DependencyType.start_to_start else d.start + d.duration
                    earliest[w] = max(earliest.get(w, 0), anchor + dep.lag)
    for s, d in fixed.items():
        for dep in p.work_packages[s].dependencies:
            members = p.members(dep.id)
            inside = [m for m in members if m in free]
            if not inside:
                continue
            if dep.id in p.groups:
                if not any(m in fixed for m in members):
                    return None, {}, set()
                continue  # a fixed member is done: the group is served; free members still must keep order
            w = dep.id
            needed.add(w)
            if dep.type == DependencyType.start_to_start:
                # start ≤ successor's start − lag, kept as an end limit for the shortest run (stricter, still valid)
                limit = d.start - dep.lag + p.min_duration(w)
            else:
                limit = d.start - dep.lag
            latest[w] = min(latest.get(w, p.calendar.horizon), limit)
    return earliest, latest, needed


def _background(p: PreparedProblem, fixed: dict[str, Decision]) -> dict[str, list[int]]:
    """Person-months and facility units the fixed work uses in each period, in the model's units (`scaling`:
    each run rounded up), so that a plan the model accepted before is accepted again as a neighbourhood's hint."""
    horizon = p.calendar.horizon
    load: dict[str, list[int]] = {i: [0] * horizon for i in p.institutions}
    load.update({"facility:" + f: [0] * horizon for f in p.facilities})
    for w, d in fixed.items():
        option = p.option(w, d.option)
        if option is None:
            continue
        periods = range(max(0, d.start), min(horizon, d.start + d.duration))
        uses = {"facility:" + fac: scaling.use(units, scaling.RESOURCE) for fac, units in option.facilities.items()}
        if option.institution is not None:
            uses[option.institution] = scaling.use(option.load_pm(d.duration), scaling.RESOURCE)
        for key, per in uses.items():
            row = load.setdefault(key, [0] * horizon)
            for t in periods:
                row[t] += per
    return load


def _money_left(p: PreparedProblem, fixed: dict[str, Decision], data: dict[str, Any]) -> None:
    """Funders' caps and totals less what the fixed work pays; their shares are left to the checker."""
    paid: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for w, d in fixed.items():
        option = p.option(w, d.option)
        if option is None:
            continue
        for f, years in price(
            p, option, d.start, d.start + d.duration, payers_of(option, d.funder)
        ).funding_years.items():
            for y, x in years.items():
                paid[f][y] += x
    slack = ROUNDING_SLACK_MONEY * len(data.get("work_packages", []))
    for f in data.get("funders", []):
        spent = paid.get(f["id"], {})
        if "cap_per_year" in f:
            f["cap_per_year"] = {
                y: max(0.0, cap - spent.get(int(y), 0.0) + slack) for y, cap in f["cap_per_year"].items()
            }
        if f.get("total") is not None:
            f["total"] = max(0.0, f["total"] - sum(spent.values()) + 6 * slack)
        f.pop("shares", None)


def _whole_program_rules(data: dict[str, Any], program: str) -> None:
    """Ratio rules of other programs do not apply to this model; the free program's own do (it is all free)."""
    for prog in data.get("programs", []):
        if prog["id"] != program:
            prog.pop("country_shares", None)
            prog.pop("max_institution_share", None)
