"""Why no plan exists, in domain words.

First the reasons that simple arithmetic proves (a chain of work that cannot fit before its
deadline, a budget smaller than the cheapest way to do the work that must be done); then, if
none applies, the smallest set of rules that cannot hold together, found by CP-SAT with one
assumption literal per rule and shrunk by deletion.
"""

from __future__ import annotations

import time

from planner.domain.scenario import DependencyType, Scenario, WorkPackage
from planner.domain.settings import SolverSettings
from planner.problem.calendar import Calendar
from planner.problem.options import Catalogue, Option, eligible_funders

MAX_LINES = 12


def explain(scenario: Scenario, settings: SolverSettings | None = None) -> list[str]:
    """Sentences saying why the scenario has no plan (empty if no reason was found)."""
    reasons = chain_reasons(scenario) + budget_reasons(scenario)
    if reasons:
        return reasons[:MAX_LINES]
    capped = [f.id for f in scenario.funders if f.total is not None]
    if len(capped) > 1:
        joint = budget_tradeoff(scenario, capped)
        if joint:
            return [joint]
    return conflict_reasons(scenario, settings or SolverSettings())


def forced(scenario: Scenario) -> set[str]:
    """Work packages every plan must contain: mandatory ones, pinned ones and what they depend on."""
    wps = {wp.id: wp for wp in scenario.work_packages}
    todo = [wp.id for wp in scenario.work_packages if wp.mandatory] + [p.work_package for p in scenario.pins]
    out: set[str] = set()
    while todo:
        w = todo.pop()
        if w in out:
            continue
        out.add(w)
        todo += [d.id for d in wps[w].dependencies if d.id in wps]
    return out


def _min_duration(options: list[Option]) -> int:
    return min((o.min_duration for o in options), default=0)


def chain_reasons(scenario: Scenario) -> list[str]:
    """Deadlines (or the horizon) that the shortest chain of forced predecessors already misses."""
    cal, cat = Calendar(scenario.time), Catalogue(scenario)
    wps = {wp.id: wp for wp in scenario.work_packages}
    must = forced(scenario)
    finish: dict[str, int] = {}
    via: dict[str, str | None] = {}
    start_of: dict[str, int] = {}

    def earliest_finish(w: str, seen: frozenset[str] = frozenset()) -> int:
        if w in finish:
            return finish[w]
        wp = wps[w]
        start, pred = (max(0, cal.period_of(wp.earliest_start)) if wp.earliest_start else 0), None
        for dep in wp.dependencies:
            if dep.id in wps and dep.id in must and dep.id not in seen:
                anchor = earliest_finish(dep.id, seen | {w})
                if dep.type == DependencyType.start_to_start:
                    anchor -= _min_duration(cat.by_wp[dep.id])
                if anchor + dep.lag > start:
                    start, pred = anchor + dep.lag, dep.id
        start_of[w], via[w] = start, pred
        finish[w] = start + _min_duration(cat.by_wp[w])
        return finish[w]

    out = []
    for w in sorted(must, key=lambda w: list(wps).index(w)):
        wp = wps[w]
        limit = cal.period_of(wp.deadline) + 1 if wp.deadline else cal.horizon
        need = earliest_finish(w)
        if need <= limit:
            continue
        chain = [w]
        while via.get(chain[-1]):
            chain.append(via[chain[-1]])  # type: ignore[arg-type]
        chain.reverse()
        first = chain[0]
        begin = wps[first].earliest_start or scenario.time.start
        what = f"its deadline {wp.deadline}" if wp.deadline else f"the horizon (ends {cal.last_month(cal.horizon)})"
        span = need - start_of[first]
        out.append(
            f"{w} cannot meet {what}: the chain {' → '.join(chain)} needs at least {span} periods "
            f"from {begin} even with the shortest options"
        )
    return out


def _cheapest(scenario: Scenario, cat: Catalogue, funder: str) -> tuple[float, list[str]]:
    """Least a funder must pay for the forced work (first-year rates), and the work packages that cost it."""
    money = cat.money
    year = Calendar(scenario.time).years[0]
    programs = {p.id: p for p in scenario.programs}
    insts = {i.id: i for i in scenario.institutions}
    must = forced(scenario)
    total, who = 0.0, []
    for wp in scenario.work_packages:
        if wp.id not in must:
            continue
        costs = []
        for o in cat.by_wp[wp.id]:
            if o.funding is not None:
                costs.append(o.funding.get(funder, 0.0))
            else:
                payers = eligible_funders(scenario, insts.get(o.institution or ""), programs[wp.program].funders)
                only_me = payers == [funder]
                amount = money.convert(o.cost, o.currency, money.funder_currency.get(funder), year)
                costs.append(amount if only_me else 0.0)
        least = min(costs, default=0.0)
        if least > 0:
            total += least
            who.append(wp.id)
    return total, who


def budget_reasons(scenario: Scenario) -> list[str]:
    """Budgets smaller than what the cheapest options of the forced work need from them."""
    cat = Catalogue(scenario)
    out = []
    for f in scenario.funders:
        if f.total is None:
            continue
        need, who = _cheapest(scenario, cat, f.id)
        if need > f.total * (1 + 1e-9):
            out.append(
                f"budget {f.id} needs at least {need:,.6g} with the cheapest options of the {len(who)} work packages "
                f"that must be done, but only {f.total:,.6g} is available"
            )
    return out


def conflict_reasons(scenario: Scenario, settings: SolverSettings, probe_s: float = 2.0) -> list[str]:
    """The smallest set of rules found that cannot hold together (deletion-minimised assumption core)."""
    from ortools.sat.python import cp_model

    from planner.cpsat.constraints import add_rules
    from planner.cpsat.model import Builder

    b = Builder(scenario, explain=True)
    add_rules(b)
    lits = {idx: b.model.get_bool_var_from_proto_index(idx) for idx in b.rules}
    deadline = time.perf_counter() + max(5.0, settings.time_limit_s)

    def core_of(keep: list[int]) -> list[int] | None:
        """A subset of `keep` that is infeasible on its own, or None if `keep` is (or may be) feasible."""
        b.model.clear_assumptions()
        b.model.add_assumptions([lits[i] for i in keep])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1  # assumption cores need a single worker
        # deterministic limits: the same scenario gets the same explanation on a busy machine
        solver.parameters.max_deterministic_time = probe_s if keep != everything else 4 * probe_s
        solver.parameters.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
        if solver.solve(b.model) != cp_model.INFEASIBLE:
            return None
        return [i for i in solver.sufficient_assumptions_for_infeasibility() if i in lits] or keep

    everything = list(lits)
    core = core_of(everything)
    if core is None:
        return ["no small set of conflicting rules could be isolated within the time limit"]
    for i in list(core):
        if time.perf_counter() > deadline:
            break
        if i not in core:
            continue
        trial = [j for j in core if j != i]
        smaller = core_of(trial) if trial else None
        if smaller is not None:
            core = smaller
    budgets = [b.rules[i].key.split(":", 1)[1] for i in core if b.rules[i].key.startswith("funder_total:")]
    tradeoff = budget_tradeoff(scenario, budgets) if len(budgets) == len(core) and len(budgets) > 1 else None
    lines = [b.rules[i].text + _capacity_detail(scenario, b.rules[i].key) for i in core[:MAX_LINES]]
    head = "no plan satisfies all of these rules together:" if len(lines) > 1 else "no plan satisfies this rule:"
    return [head, *[f"- {line}" for line in lines], *([tradeoff] if tradeoff else [])]


def _capacity_detail(scenario: Scenario, key: str) -> str:
    """For an institution's capacity rule: the forced work only it can do, and what that needs against what it has."""
    if not key.startswith("capacity:"):
        return ""
    inst_id = key.split(":", 1)[1]
    inst = next(i for i in scenario.institutions if i.id == inst_id)
    cal, cat = Calendar(scenario.time), Catalogue(scenario)
    wps = {w.id: w for w in scenario.work_packages}
    only_here = [
        w
        for w in sorted(forced(scenario), key=list(wps).index)
        if cat.by_wp[w] and all(o.institution == inst_id for o in cat.by_wp[w])
    ]
    if not only_here:
        return ""
    need = sum(min(o.effort_pm for o in cat.by_wp[w]) for w in only_here)
    windows = [_window(cal, wps[w]) for w in only_here]
    first, last = min(a for a, _ in windows), max(z for _, z in windows)
    has = sum(inst.capacity_in(cal.year_of(p)) for p in range(first, last))
    names = ", ".join(only_here[:6]) + (", …" if len(only_here) > 6 else "")
    verb = "needs" if len(only_here) == 1 else "need"
    return (
        f": only {inst_id} can do {names}, which {verb} at least {need:g} PM between {cal.start_month(first)} and "
        f"{cal.last_month(last)}; {inst_id} has {has:g} PM in that time"
    )


def _window(cal: Calendar, wp: WorkPackage) -> tuple[int, int]:
    """(earliest start, latest end) of a work package from its earliest start, deadline and the horizon."""
    first = max(0, cal.period_of(wp.earliest_start)) if wp.earliest_start else 0
    last = min(cal.horizon, cal.period_of(wp.deadline) + 1) if wp.deadline else cal.horizon
    return first, last


def budget_tradeoff(scenario: Scenario, budgets: list[str]) -> str | None:
    """Why several budget totals cannot hold together, whatever the schedule: the least the forced
    work needs from the first budget while every other stays within its total (first-year rates)."""
    from ortools.sat.python import cp_model

    cat = Catalogue(scenario)
    money = cat.money
    year = Calendar(scenario.time).years[0]
    funders = {f.id: f for f in scenario.funders}
    programs = {p.id: p for p in scenario.programs}
    insts = {i.id: i for i in scenario.institutions}
    model = cp_model.CpModel()
    use: dict[str, list[tuple[int, cp_model.IntVar]]] = {f: [] for f in budgets}
    for w in sorted(forced(scenario)):
        wp = next(x for x in scenario.work_packages if x.id == w)
        choices = []
        for o in cat.by_wp[w]:
            payers: list[str | None]
            payers = (
                [None]
                if o.funding is not None
                else list(eligible_funders(scenario, insts.get(o.institution or ""), programs[wp.program].funders))
                or [None]
            )
            for payer in payers:
                x = model.new_bool_var("")
                choices.append(x)
                for f in budgets:
                    if o.funding is not None:
                        amount = o.funding.get(f, 0.0)
                    else:
                        amount = (
                            money.convert(o.cost, o.currency, money.funder_currency.get(f), year) if payer == f else 0.0
                        )
                    if amount:
                        use[f].append((round(amount * 100), x))
        model.add_exactly_one(choices)
    first, others = budgets[0], budgets[1:]
    for f in others:
        model.add(sum(c * x for c, x in use[f]) <= round((funders[f].total or 0) * 100))
    model.minimize(sum(c * x for c, x in use[first]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5
    solver.parameters.num_workers = 1
    code = solver.solve(model)
    cap = funders[first].total or 0.0
    held = " and ".join(f"{f} within {funders[f].total:,.6g}" for f in others)
    if code == cp_model.INFEASIBLE:
        return f"even with the cheapest options, the work that must be done cannot keep {held}"
    if code == cp_model.OPTIMAL and solver.objective_value / 100 > cap * (1 + 1e-9):
        return (
            f"with {held}, the work that must be done needs at least {solver.objective_value / 100:,.6g} "
            f"of {first}, but only {cap:,.6g} is available"
        )
    return None
