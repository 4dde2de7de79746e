"""The independent plan checker: every hard rule and every objective term, recomputed in plain Python.

Only the plan's decisions are read (work package, option, institution, start, end and the funder keys
of `funding`); efforts, loads, costs and funding amounts are derived again from the scenario and the
plan's own figures are compared with them, never trusted. No solver is imported here.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from planner.calendar import Calendar, Money
from planner.options import Catalogue, Option, eligible_funders
from planner.plan import Assignment, Plan
from planner.scenario import DependencyType, Funder, Institution, Scenario, Term, WorkPackage

REL_TOL = 1e-6
"""Relative tolerance for capacities, caps and shares."""
ABS_TOL = 1e-9
"""Absolute tolerance added to REL_TOL for capacities, caps and shares."""
FIELD_ABS_TOL = 0.01
"""Absolute tolerance (with REL_TOL) when comparing a plan's derived figures with recomputed ones."""


@dataclass(frozen=True)
class Violation:
    """One broken hard rule, in domain words."""

    rule: str
    message: str
    work_package: str | None = None

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


# ---------------------------------------------------------------- numbers and money


def year_amounts(cal: Calendar, amount: float, start: int, end: int) -> dict[int, float]:
    """Split an amount evenly over the periods [start, end) and sum it by calendar year.

    Work of no duration puts everything in the year of `start` (clamped to the last period of the horizon).
    """
    duration = end - start
    if duration <= 0:
        return {cal.year_of(min(start, cal.horizon - 1)): amount}
    return {y: amount * n / duration for y, n in cal.periods_per_year(start, duration).items()}


def convert_years(money: Money, parts: dict[int, float], source: str | None, target: str | None) -> dict[int, float]:
    """Convert yearly parts from one currency to another, each at its own year's rate."""
    return {y: money.convert(x, source, target, y) for y, x in parts.items()}


def _above(value: float, limit: float) -> bool:
    """Whether a value exceeds a limit beyond the checker's tolerance."""
    return value > limit + REL_TOL * abs(limit) + ABS_TOL


def _below(value: float, limit: float) -> bool:
    """Whether a value falls short of a limit beyond the checker's tolerance."""
    return value < limit - REL_TOL * abs(limit) - ABS_TOL


def _same(reported: float, recomputed: float) -> bool:
    """Whether a figure written in the plan matches the recomputed one."""
    return math.isclose(reported, recomputed, rel_tol=REL_TOL, abs_tol=FIELD_ABS_TOL)


def _num(x: float) -> str:
    """A quantity for a message: at most four decimals."""
    return str(round(x, 4))


def _amount(x: float, currency: str | None) -> str:
    """An amount of money for a message."""
    return f"{x:,.2f} {currency}" if currency else f"{x:,.2f}"


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


# ---------------------------------------------------------------- resolved plan


@dataclass(frozen=True)
class _Placed:
    """An assignment whose work package and option exist, with the figures the checker derives for it."""

    assignment: Assignment
    wp: WorkPackage
    option: Option
    cost_reporting: float
    funding_years: dict[str, dict[int, float]]

    @property
    def institution(self) -> str | None:
        """Who executes it: the option's institution."""
        return self.option.institution


class _Context:
    """The scenario's lookups and the plan's assignments, resolved once for all rules."""

    def __init__(self, scenario: Scenario, plan: Plan) -> None:
        self.s = scenario
        self.plan = plan
        self.cal = Calendar(scenario.time)
        self.catalogue = Catalogue(scenario)
        self.money = self.catalogue.money
        self.wps = {w.id: w for w in scenario.work_packages}
        self.institutions: dict[str, Institution] = self.catalogue.institutions
        self.funders = {f.id: f for f in scenario.funders}
        self.programs = {p.id: p for p in scenario.programs}
        self.groups = {g.id: g for g in scenario.overlap_groups}
        # Later duplicates are reported once ("duplicate") and otherwise ignored.
        self.first: dict[str, Assignment] = {}
        for a in plan.assignments:
            if a.work_package in self.wps:
                self.first.setdefault(a.work_package, a)
        self.placed: list[_Placed] = []
        for wp_id, a in self.first.items():
            option = self.catalogue.option(wp_id, a.option)
            if option is not None:
                self.placed.append(self.place(a, self.wps[wp_id], option))

    def place(self, a: Assignment, wp: WorkPackage, option: Option) -> _Placed:
        """Derive costs and funding of an assignment from the scenario."""
        cost_years = year_amounts(self.cal, option.cost, a.start, a.end)
        reporting = self.money.to_reporting(option.cost, option.currency)
        funding = self._funding_years(a, wp, option, cost_years)
        return _Placed(a, wp, option, reporting, funding)

    def _funding_years(
        self, a: Assignment, wp: WorkPackage, option: Option, cost_years: dict[int, float]
    ) -> dict[str, dict[int, float]]:
        """What each funder named in the assignment pays, by year, in the funder's currency."""
        if option.funding is not None:
            return {
                f: year_amounts(self.cal, amount, a.start, a.end)
                for f, amount in option.funding.items()
                if f in a.funding
            }
        program = self.programs.get(wp.program)
        if program is None or not program.funders:
            return {}
        return {
            f: convert_years(self.money, cost_years, option.currency, self.funder_currency(self.funders[f]))
            for f in a.funding
            if f in self.funders
        }

    def funder_currency(self, funder: Funder) -> str | None:
        """Currency a funder pays and is capped in."""
        if funder.currency:
            return funder.currency
        return self.money.country_currency.get(funder.country) if funder.country else None

    def country_of(self, institution: str | None) -> str | None:
        """Country of an institution, if it is known."""
        inst = self.institutions.get(institution) if institution else None
        return inst.country if inst else None

    def until(self, month: str) -> int:
        """Latest end (exclusive period) that still finishes by the end of a month."""
        return self.cal.period_of(month) + 1


Rule = Callable[[_Context], Iterator[Violation]]


# ---------------------------------------------------------------- assignments


def _assignments(ctx: _Context) -> Iterator[Violation]:
    """Each assignment names a known work package and option, fits the horizon and states true figures."""
    cal = ctx.cal
    for a in ctx.plan.assignments:
        wp = ctx.wps.get(a.work_package)
        if wp is None:
            yield Violation("assignment", f"unknown work package '{a.work_package}'", a.work_package)
            continue
        problems: list[str] = []
        if a.start < 0 or a.end > cal.horizon:
            problems.append(f"runs over periods [{a.start}, {a.end}), outside the horizon [0, {cal.horizon})")
        if a.start_month != cal.start_month(a.start):
            problems.append(f"start_month is {a.start_month} but period {a.start} begins in {cal.start_month(a.start)}")
        if a.end_month != cal.last_month(a.end):
            problems.append(
                f"end_month is {a.end_month} but work ending at period {a.end} ends {cal.last_month(a.end)}"
            )
        option = ctx.catalogue.option(wp.id, a.option)
        if option is None:
            known = ", ".join(o.id for o in ctx.catalogue.by_wp[wp.id]) or "none"
            problems.append(f"unknown execution option '{a.option}' (options: {known})")
        else:
            problems += _option_mismatches(ctx.place(a, wp, option))
        yield from (Violation("assignment", f"{wp.id}: {m}", wp.id) for m in problems)


def _option_mismatches(p: _Placed) -> Iterator[str]:
    """How an assignment disagrees with its option: institution, duration and derived figures."""
    a, option = p.assignment, p.option
    d = a.end - a.start
    if a.institution != option.institution:
        yield f"option '{option.id}' is executed by {option.institution}, not {a.institution}"
    if not option.allows(d):
        lo, hi = option.min_duration, option.max_duration
        allowed = str(lo) if lo == hi else f"{lo} to {hi}"
        yield f"runs {d} periods with option '{option.id}', which takes {allowed}"
    if a.currency != option.currency:
        yield f"currency is {a.currency}, but option '{option.id}' costs in {option.currency}"
    figures = [
        ("effort_pm", a.effort_pm, option.effort_pm),
        ("load_pm", a.load_pm, option.load_pm(d)),
        ("cost", a.cost, option.cost),
        ("cost_reporting", a.cost_reporting, p.cost_reporting),
    ]
    figures += [
        (f"funding[{f}]", a.funding[f], sum(years.values())) for f, years in p.funding_years.items() if f in a.funding
    ]
    for name, reported, recomputed in figures:
        if not _same(reported, recomputed):
            yield f"{name} is {_num(reported)} but the scenario gives {_num(recomputed)}"


def _duplicates(ctx: _Context) -> Iterator[Violation]:
    """A work package is assigned at most once."""
    counts: dict[str, int] = defaultdict(int)
    for a in ctx.plan.assignments:
        counts[a.work_package] += 1
    for wp_id, n in counts.items():
        if n > 1:
            yield Violation("duplicate", f"{wp_id} is assigned {n} times", wp_id)


def _windows(ctx: _Context) -> Iterator[Violation]:
    """Work starts no earlier than its earliest start and finishes by its deadline."""
    cal = ctx.cal
    for wp_id, a in ctx.first.items():
        wp = ctx.wps[wp_id]
        if wp.earliest_start and a.start < cal.period_of(wp.earliest_start):
            yield Violation(
                "window",
                f"{wp_id} starts {cal.start_month(a.start)}, before its earliest start {wp.earliest_start}",
                wp_id,
            )
        if wp.deadline and a.end > ctx.until(wp.deadline):
            yield Violation("window", f"{wp_id} ends {cal.last_month(a.end)}, after its deadline {wp.deadline}", wp_id)


# ---------------------------------------------------------------- selection and order


def _mandatory(ctx: _Context) -> Iterator[Violation]:
    """Every mandatory work package is in a plan that claims to be one."""
    if not ctx.plan.found:
        return
    for wp in ctx.s.work_packages:
        if wp.mandatory and wp.id not in ctx.first:
            yield Violation("mandatory", f"mandatory work package {wp.id} is not in the plan", wp.id)


def _overlap_groups(ctx: _Context) -> Iterator[Violation]:
    """At most one member of an overlap group is done; exactly one if the group is required."""
    for g in ctx.s.overlap_groups:
        done = [m for m in g.members if m in ctx.first]
        if len(done) > 1:
            yield Violation("overlap", f"{' and '.join(done)} describe the same work ({g.id}); at most one may be done")
        elif not done and g.required and ctx.plan.found:
            yield Violation("overlap", f"one of {', '.join(g.members)} ({g.id}) must be done, but none is")


def _precedence(ctx: _Context) -> Iterator[Violation]:
    """A work package starts after its predecessors finish (FS) or start (SS), plus the lag."""
    cal = ctx.cal
    for wp_id, b in ctx.first.items():
        for dep in ctx.wps[wp_id].dependencies:
            if dep.id in ctx.groups:
                done = [m for m in ctx.groups[dep.id].members if m in ctx.first]
                if len(done) != 1:
                    yield Violation(
                        "precedence", f"{wp_id} comes after group {dep.id}, which has {len(done)} members done", wp_id
                    )
                    continue
                pred_id = done[0]
            elif dep.id in ctx.first:
                pred_id = dep.id
            else:
                yield Violation("precedence", f"{wp_id} comes after {dep.id}, which is not in the plan", wp_id)
                continue
            a = ctx.first[pred_id]
            finish = dep.type == DependencyType.finish_to_start
            earliest = (a.end if finish else a.start) + dep.lag
            if b.start < earliest:
                event = f"finishes {cal.last_month(a.end)}" if finish else f"starts {cal.start_month(a.start)}"
                lag = f" and the lag is {dep.lag} periods" if dep.lag else ""
                yield Violation(
                    "precedence",
                    f"{wp_id} starts {cal.start_month(b.start)}, but {pred_id} {event}{lag}; "
                    f"it may start from {cal.start_month(earliest)}",
                    wp_id,
                )


# ---------------------------------------------------------------- resources


def _running(ctx: _Context, p: _Placed) -> range:
    """Periods of the horizon in which an assignment runs."""
    return range(max(0, p.assignment.start), min(ctx.cal.horizon, p.assignment.end))


def _capacity(ctx: _Context) -> Iterator[Violation]:
    """An institution's load in each period stays within its capacity for that year."""
    load: dict[tuple[str, int], float] = defaultdict(float)
    for p in ctx.placed:
        if p.institution is not None:
            for t in _running(ctx, p):
                load[p.institution, t] += p.option.load_pm(p.assignment.end - p.assignment.start)
    for (inst_id, t), pm in sorted(load.items()):
        inst = ctx.institutions.get(inst_id)
        if inst is None:
            continue
        cap = inst.capacity_pm_by_year.get(ctx.cal.year_of(t), inst.capacity_pm)
        if _above(pm, cap):
            month = ctx.cal.start_month(t)
            yield Violation("capacity", f"{inst_id} is booked {_num(pm)} PM in {month}, capacity {_num(cap)} PM")


def _facilities(ctx: _Context) -> Iterator[Violation]:
    """A facility's use in each period stays within its capacity."""
    use: dict[tuple[str, int], float] = defaultdict(float)
    for p in ctx.placed:
        for fac, units in p.option.facilities.items():
            for t in _running(ctx, p):
                use[fac, t] += units
    for f in ctx.s.facilities:
        for t in range(ctx.cal.horizon):
            if _above(use.get((f.id, t), 0.0), f.capacity):
                month = ctx.cal.start_month(t)
                yield Violation(
                    "facility",
                    f"{f.id} is used {_num(use[f.id, t])} {f.unit} in {month}, capacity {_num(f.capacity)} {f.unit}",
                )


# ---------------------------------------------------------------- money


def _funding(ctx: _Context) -> Iterator[Violation]:
    """Who pays: the option's fixed draws, else one eligible funder of the program, else nobody."""
    for p in ctx.placed:
        wp_id, keys = p.wp.id, set(p.assignment.funding)
        program = ctx.programs.get(p.wp.program)
        program_funders = program.funders if program else []
        if p.option.funding is not None:
            expected = {f for f, x in p.option.funding.items() if x != 0}
            if keys != expected:
                yield Violation(
                    "funding",
                    f"{wp_id} is funded by {_names(keys)}, but option '{p.option.id}' draws on {_names(expected)}",
                    wp_id,
                )
        elif program_funders:
            eligible = eligible_funders(ctx.s, ctx.institutions.get(p.institution or ""), program_funders)
            if len(keys) != 1:
                yield Violation("funding", f"{wp_id} must be paid by exactly one funder, found {_names(keys)}", wp_id)
            elif not keys <= set(eligible):
                yield Violation(
                    "funding",
                    f"{wp_id} is paid by {_names(keys)}, which may not pay {p.institution} in program "
                    f"{p.wp.program} (eligible: {_names(set(eligible))})",
                    wp_id,
                )
        elif keys:
            yield Violation(
                "funding", f"{wp_id} is paid by {_names(keys)}, but program {p.wp.program} has no funders", wp_id
            )


def _names(ids: set[str]) -> str:
    return ", ".join(sorted(ids)) if ids else "nobody"


def _paid(ctx: _Context) -> dict[str, dict[int, float]]:
    """What each funder pays over the plan, by year, in its own currency."""
    out: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for p in ctx.placed:
        for f, years in p.funding_years.items():
            for y, x in years.items():
                out[f][y] += x
    return out


def _funder_caps(ctx: _Context) -> Iterator[Violation]:
    """A funder pays no more than its total and its cap in each year."""
    paid = _paid(ctx)
    for f in ctx.s.funders:
        cur = ctx.funder_currency(f)
        years = paid.get(f.id, {})
        total = sum(years.values())
        if f.total is not None and _above(total, f.total):
            yield Violation("funder_cap", f"{f.id} pays {_amount(total, cur)} in all, cap {_amount(f.total, cur)}")
        for y, cap in sorted(f.cap_per_year.items()):
            if _above(years.get(y, 0.0), cap):
                yield Violation("funder_cap", f"{f.id} pays {_amount(years[y], cur)} in {y}, cap {_amount(cap, cur)}")


def _funder_shares(ctx: _Context) -> Iterator[Violation]:
    """Each funder's spending splits between countries within its share tolerance."""
    for f in ctx.s.funders:
        if not f.shares:
            continue
        by_country: dict[str | None, float] = defaultdict(float)
        for p in ctx.placed:
            if f.id in p.funding_years:
                by_country[ctx.country_of(p.institution)] += sum(p.funding_years[f.id].values())
        total = sum(by_country.values())
        if total > 0:
            for c, share in sorted(f.shares.items()):
                part = by_country.get(c, 0.0)
                if _outside(part, total, share, f.tolerance):
                    yield Violation(
                        "funder_share",
                        f"{f.id} spends {_pct(part / total)} in {c}, target {_pct(share)} ± {_pct(f.tolerance)}",
                    )


def _outside(part: float, total: float, share: float, tolerance: float) -> bool:
    """Whether part/total lies outside [share - tolerance, share + tolerance] beyond the checker's tolerance."""
    return _below(part, (share - tolerance) * total) or _above(part, (share + tolerance) * total)


def _by_program(ctx: _Context) -> dict[str, list[_Placed]]:
    """Placed assignments by program."""
    out: dict[str, list[_Placed]] = defaultdict(list)
    for p in ctx.placed:
        out[p.wp.program].append(p)
    return out


def _program_shares(ctx: _Context) -> Iterator[Violation]:
    """Each program's cost splits between countries within its share tolerance."""
    placed = _by_program(ctx)
    for prog in ctx.s.programs:
        if not prog.country_shares:
            continue
        by_country: dict[str | None, float] = defaultdict(float)
        for p in placed.get(prog.id, []):
            by_country[ctx.country_of(p.institution)] += p.cost_reporting
        total = sum(by_country.values())
        if total > 0:
            for c, share in sorted(prog.country_shares.items()):
                part = by_country.get(c, 0.0)
                if _outside(part, total, share, prog.share_tolerance):
                    yield Violation(
                        "program_share",
                        f"program {prog.id} spends {_pct(part / total)} of its cost in {c}, "
                        f"target {_pct(share)} ± {_pct(prog.share_tolerance)}",
                    )


def _institution_shares(ctx: _Context) -> Iterator[Violation]:
    """No institution takes more than a program's maximum share of its cost."""
    placed = _by_program(ctx)
    for prog in ctx.s.programs:
        if prog.max_institution_share is None:
            continue
        by_inst: dict[str, float] = defaultdict(float)
        for p in placed.get(prog.id, []):
            if p.institution is not None:
                by_inst[p.institution] += p.cost_reporting
        total = sum(p.cost_reporting for p in placed.get(prog.id, []))
        for inst_id, part in sorted(by_inst.items()):
            if _above(part, prog.max_institution_share * total):
                yield Violation(
                    "institution_share",
                    f"{inst_id} takes {_pct(part / total)} of program {prog.id}'s cost, "
                    f"at most {_pct(prog.max_institution_share)} allowed",
                )


# ---------------------------------------------------------------- people's decisions and deliverables


def _pins(ctx: _Context) -> Iterator[Violation]:
    """A pinned work package is done, by the pinned institution and option, from the pinned month."""
    for pin in ctx.s.pins:
        wp_id = pin.work_package
        a = ctx.first.get(wp_id)
        if a is None:
            if ctx.plan.found:
                yield Violation("pin", f"{wp_id} is pinned but not in the plan", wp_id)
            continue
        if pin.institution is not None and a.institution != pin.institution:
            yield Violation("pin", f"{wp_id} is pinned to {pin.institution} but executed by {a.institution}", wp_id)
        if pin.option is not None and a.option != pin.option:
            yield Violation("pin", f"{wp_id} is pinned to option '{pin.option}' but uses '{a.option}'", wp_id)
        if pin.start is not None and a.start != ctx.cal.period_of(pin.start):
            yield Violation(
                "pin", f"{wp_id} is pinned to start {pin.start} but starts {ctx.cal.start_month(a.start)}", wp_id
            )


def _forbids(ctx: _Context) -> Iterator[Violation]:
    """A work package is never executed by an institution it is forbidden for."""
    for fb in ctx.s.forbids:
        a = ctx.first.get(fb.work_package)
        if a is None:
            continue
        option = ctx.catalogue.option(fb.work_package, a.option)
        if fb.institution in {a.institution, option.institution if option else None}:
            yield Violation("forbid", f"{fb.work_package} may not be executed by {fb.institution}", fb.work_package)


def _deliverables(ctx: _Context) -> Iterator[Violation]:
    """Deliverables fall within their work, by their due month, and the plan lists them as scheduled."""
    cal = ctx.cal
    for wp_id, a in ctx.first.items():
        d = a.end - a.start
        expected: dict[str, tuple[int, str]] = {}
        for dl in ctx.wps[wp_id].deliverables:
            tau = a.end if dl.offset is None else a.start + dl.offset
            expected[dl.id] = (tau, cal.last_month(tau))
            if dl.offset is not None and dl.offset > d:
                yield Violation(
                    "deliverable",
                    f"{wp_id}/{dl.id} falls {dl.offset} periods after the start, past the end of the {d}-period work",
                    wp_id,
                )
            if dl.due and tau > ctx.until(dl.due):
                yield Violation(
                    "deliverable", f"{wp_id}/{dl.id} is delivered {cal.last_month(tau)}, after its due {dl.due}", wp_id
                )
        listed = [(x.id, x.period, x.month) for x in a.deliverables]
        if sorted(listed) != sorted((k, *v) for k, v in expected.items()):
            shown = ", ".join(f"{i} {m}" for i, _, m in listed) or "none"
            wanted = ", ".join(f"{i} {m}" for i, (_, m) in expected.items()) or "none"
            yield Violation("deliverable", f"{wp_id} lists deliverables {shown}; the schedule gives {wanted}", wp_id)


RULES: list[Rule] = [
    _assignments,
    _duplicates,
    _windows,
    _mandatory,
    _overlap_groups,
    _precedence,
    _capacity,
    _facilities,
    _funding,
    _funder_caps,
    _funder_shares,
    _program_shares,
    _institution_shares,
    _pins,
    _forbids,
    _deliverables,
]
"""Every hard rule, in the order violations are reported."""


def check_plan(scenario: Scenario, plan: Plan) -> list[Violation]:
    """Every hard rule the plan breaks; an empty list means the plan is valid.

    Rules that require work to be done (mandatory work, required groups, pins) apply only to a plan
    whose status claims a schedule (optimal or feasible).
    """
    if not plan.found and not plan.assignments:
        return []
    ctx = _Context(scenario, plan)
    return [v for rule in RULES for v in rule(ctx)]


# ---------------------------------------------------------------- objective terms


def _value(ctx: _Context) -> float:
    """Value of the optional work packages done."""
    return sum(ctx.wps[w].value for w in ctx.first if not ctx.wps[w].mandatory)


def _lateness(ctx: _Context) -> float:
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


def _cost(ctx: _Context) -> float:
    """Total cost in the reporting currency."""
    return sum(p.cost_reporting for p in ctx.placed)


def _makespan(ctx: _Context) -> float:
    """End of the last work package (0 for an empty plan)."""
    return float(max((a.end for a in ctx.first.values()), default=0))


def _balance(ctx: _Context) -> float:
    """Largest effort in person-months given to one institution."""
    effort: dict[str, float] = defaultdict(float)
    for p in ctx.placed:
        if p.institution is not None:
            effort[p.institution] += p.option.effort_pm
    return max(effort.values(), default=0.0)


def _fit(ctx: _Context) -> float:
    """Competency levels missing to the top level (5), over the work done by institutions."""
    missing = 0
    for p in ctx.placed:
        inst = ctx.institutions.get(p.institution) if p.institution else None
        if inst is not None:
            missing += sum(5 - inst.competencies.get(c, 0) for c in p.wp.requires)
    return float(missing)


def _collaboration(ctx: _Context) -> float:
    """Pairs (program with work packages, country) with no work of that program in that country."""
    with_work = {wp.program for wp in ctx.s.work_packages}
    present = {(p.wp.program, ctx.country_of(p.institution)) for p in ctx.placed}
    return float(
        sum((prog.id, c.id) not in present for prog in ctx.s.programs if prog.id in with_work for c in ctx.s.countries)
    )


TERMS: dict[Term, Callable[[_Context], float]] = {
    Term.value: _value,
    Term.lateness: _lateness,
    Term.cost: _cost,
    Term.makespan: _makespan,
    Term.balance: _balance,
    Term.fit: _fit,
    Term.collaboration: _collaboration,
}


def evaluate(scenario: Scenario, plan: Plan) -> dict[str, float]:
    """Every objective term, recomputed from the plan's decisions (keyed by the term's name)."""
    ctx = _Context(scenario, plan)
    return {str(term): float(f(ctx)) for term, f in TERMS.items()}
