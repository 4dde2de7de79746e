"""Why no plan exists, in domain words.

The minimal set of rules that cannot hold together, each with its numbers and the least change that
makes a plan possible (`planner.diagnose.conflict`); if no set is isolated in time, the reasons that
simple arithmetic proves (a chain of work that cannot fit before its deadline, a budget smaller than
the cheapest way to do the work that must be done).
"""

from __future__ import annotations

from planner.domain.rules import Rule
from planner.domain.scenario import DependencyType, Scenario
from planner.domain.settings import SolverSettings
from planner.problem.prepared import PreparedProblem, prepare

MAX_LINES = 12


EXPLAINED: dict[Rule, str] = {
    Rule.assignment: "named through what it leaves possible: a work package nobody can do is a validation error",
    Rule.duplicate: "never part of an explanation: one run per work package is how the model is built",
    Rule.mandatory: "a fact of the program: the chains and budgets of mandatory work are what is explained",
    Rule.overlap: "named in a conflict set: 'overlap group G allows at most one of …'",
    Rule.window: "a chain that misses a deadline, or 'W must finish by M' in a conflict set",
    Rule.precedence: "the chain in a missed deadline, or 'W comes after V' in a conflict set",
    Rule.capacity: "'capacity of I' in a conflict set, the PM more it needs (and the forced work only I can do)",
    Rule.facility: "'capacity of facility F' in a conflict set",
    Rule.funding: "named through the budgets: whom each funder may pay decides which budget a cost falls on",
    Rule.funder_cap: "a budget smaller than the cheapest forced work, a trade-off of totals, or a cap in a set",
    Rule.funder_share: "'F pays C s ± t of its money' in a conflict set",
    Rule.program_share: "'program P gives C s ± t of its cost' in a conflict set",
    Rule.institution_share: "'I may take at most s of program P's cost' in a conflict set",
    Rule.pin: "'W is pinned at I …' in a conflict set; pinned work counts as work that must be done",
    Rule.forbid: "'W is forbidden at I' in a conflict set",
    Rule.deliverable: "'deliverable D of W is due M' in a conflict set",
}
"""How an explanation names each rule family (the registry test checks every family is here)."""


BUDGET_S = 20.0
"""Longest an explanation takes, whatever the solve's time limit (issue 18: within 20 s on the demo's variants)."""


def explain(scenario: Scenario | PreparedProblem, settings: SolverSettings | None = None) -> list[str]:
    """Sentences saying why the scenario has no plan (empty if no reason was found): the minimal set of rules that
    cannot hold together with their numbers, and the least change of each that makes a plan possible."""
    from planner.diagnose.conflict import diagnose

    p = prepare(scenario)
    budget = min(BUDGET_S, max(5.0, (settings or SolverSettings()).time_limit_s))
    found = diagnose(p, budget)
    if found.findings:
        lines = found.lines()
        budgets = [f.key.split(":")[1] for f in found.findings if f.rule is Rule.funder_cap and f.key.count(":") == 1]
        if len(budgets) == len(found.findings) > 1:
            tradeoff = budget_tradeoff(p, budgets)
            lines += [tradeoff] if tradeoff else []
        return lines
    # no set isolated in time: what simple arithmetic proves, if anything
    reasons = chain_reasons(p) + budget_reasons(p)
    capped = [f.id for f in p.scenario.funders if f.total is not None]
    if not reasons and len(capped) > 1:
        joint = budget_tradeoff(p, capped)
        reasons += [joint] if joint else []
    return reasons[:MAX_LINES] or found.lines()


def forced(scenario: Scenario | PreparedProblem) -> set[str]:
    """Work packages every plan must contain: mandatory ones, pinned ones and what they depend on."""
    return set(prepare(scenario).forced)


def chain_reasons(problem: Scenario | PreparedProblem) -> list[str]:
    """Deadlines (or the horizon) that the shortest chain of forced predecessors already misses."""
    p = prepare(problem)
    scenario, cal, wps, must = p.scenario, p.calendar, p.work_packages, p.forced
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
                    anchor -= p.min_duration(dep.id)
                if anchor + dep.lag > start:
                    start, pred = anchor + dep.lag, dep.id
        start_of[w], via[w] = start, pred
        finish[w] = start + p.min_duration(w)
        return finish[w]

    out = []
    for w in sorted(must, key=p.order.__getitem__):
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


def _cheapest(p: PreparedProblem, funder: str) -> tuple[float, list[str]]:
    """Least a funder must pay for the forced work (first-year rates), and the work packages that cost it."""
    money = p.money
    year = p.calendar.years[0]
    total, who = 0.0, []
    for wp in p.scenario.work_packages:
        if wp.id not in p.forced:
            continue
        costs = []
        for o in p.options(wp.id):
            if o.funding is not None:
                costs.append(o.funding.get(funder, 0.0))
            else:
                only_me = p.funders_for(o.institution, wp.program) == [funder]
                amount = money.convert(o.cost, o.currency, money.funder_currency.get(funder), year)
                costs.append(amount if only_me else 0.0)
        least = min(costs, default=0.0)
        if least > 0:
            total += least
            who.append(wp.id)
    return total, who


def budget_reasons(problem: Scenario | PreparedProblem) -> list[str]:
    """Budgets smaller than what the cheapest options of the forced work need from them."""
    p = prepare(problem)
    out = []
    for f in p.scenario.funders:
        if f.total is None:
            continue
        need, who = _cheapest(p, f.id)
        if need > f.total * (1 + 1e-9):
            out.append(
                f"budget {f.id} needs at least {need:,.6g} with the cheapest options of the {len(who)} work packages "
                f"that must be done, but only {f.total:,.6g} is available"
            )
    return out


def budget_tradeoff(problem: Scenario | PreparedProblem, budgets: list[str]) -> str | None:
    """Why several budget totals cannot hold together, whatever the schedule: the least the forced
    work needs from the first budget while every other stays within its total (first-year rates)."""
    from ortools.sat.python import cp_model

    p = prepare(problem)
    money, year, funders = p.money, p.calendar.years[0], p.funders
    model = cp_model.CpModel()
    use: dict[str, list[tuple[int, cp_model.IntVar]]] = {f: [] for f in budgets}
    for w in sorted(p.forced):
        wp = p.work_packages[w]
        choices = []
        for o in p.options(w):
            payers: list[str | None]
            payers = [None] if o.funding is not None else list(p.funders_for(o.institution, wp.program)) or [None]
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
