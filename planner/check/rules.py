"""Every hard rule of a plan, one function per rule family, listed in RULES in reporting order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from planner.check.context import (
    Context,
    Placed,
    Violation,
    above,
    amount,
    below,
    num,
    pct,
    same,
)
from planner.domain.rules import Rule
from planner.domain.scenario import DependencyType, Scenario
from planner.io.bulk import gc_paused
from planner.problem import pricing

if TYPE_CHECKING:
    from planner.domain.plan import Plan
    from planner.problem.prepared import PreparedProblem

# ---------------------------------------------------------------- assignments


def _assignments(ctx: Context) -> Iterator[Violation]:
    """Each assignment names a known work package and option, fits the horizon and states true figures."""
    cal = ctx.cal
    for a in ctx.plan.assignments:
        wp = ctx.wps.get(a.work_package)
        if wp is None:
            yield Violation(Rule.assignment, f"unknown work package '{a.work_package}'", a.work_package)
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
        yield from (Violation(Rule.assignment, f"{wp.id}: {m}", wp.id) for m in problems)


def _option_mismatches(p: Placed) -> Iterator[str]:
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
        if not same(reported, recomputed):
            yield f"{name} is {num(reported)} but the scenario gives {num(recomputed)}"


def _duplicates(ctx: Context) -> Iterator[Violation]:
    """A work package is assigned at most once."""
    counts: dict[str, int] = defaultdict(int)
    for a in ctx.plan.assignments:
        counts[a.work_package] += 1
    for wp_id, n in counts.items():
        if n > 1:
            yield Violation(Rule.duplicate, f"{wp_id} is assigned {n} times", wp_id)


def _windows(ctx: Context) -> Iterator[Violation]:
    """Work starts no earlier than its earliest start and finishes by its deadline."""
    cal = ctx.cal
    for wp_id, a in ctx.first.items():
        wp = ctx.wps[wp_id]
        if wp.earliest_start and a.start < cal.period_of(wp.earliest_start):
            yield Violation(
                Rule.window,
                f"{wp_id} starts {cal.start_month(a.start)}, before its earliest start {wp.earliest_start}",
                wp_id,
            )
        if wp.deadline and a.end > ctx.until(wp.deadline):
            yield Violation(
                Rule.window, f"{wp_id} ends {cal.last_month(a.end)}, after its deadline {wp.deadline}", wp_id
            )


# ---------------------------------------------------------------- selection and order


def _mandatory(ctx: Context) -> Iterator[Violation]:
    """Every mandatory work package is in a plan that claims to be one."""
    if not ctx.plan.found:
        return
    for wp in ctx.s.work_packages:
        if wp.mandatory and wp.id not in ctx.first:
            yield Violation(Rule.mandatory, f"mandatory work package {wp.id} is not in the plan", wp.id)


def _overlap_groups(ctx: Context) -> Iterator[Violation]:
    """At most one member of an overlap group is done; exactly one if the group is required."""
    for g in ctx.s.overlap_groups:
        done = [m for m in g.members if m in ctx.first]
        if len(done) > 1:
            yield Violation(
                Rule.overlap, f"{' and '.join(done)} describe the same work ({g.id}); at most one may be done"
            )
        elif not done and g.required and ctx.plan.found:
            yield Violation(Rule.overlap, f"one of {', '.join(g.members)} ({g.id}) must be done, but none is")


def _precedence(ctx: Context) -> Iterator[Violation]:
    """A work package starts after its predecessors finish (FS) or start (SS), plus the lag."""
    cal = ctx.cal
    for wp_id, b in ctx.first.items():
        for dep in ctx.wps[wp_id].dependencies:
            if dep.id in ctx.groups:
                done = [m for m in ctx.groups[dep.id].members if m in ctx.first]
                if len(done) != 1:
                    yield Violation(
                        Rule.precedence,
                        f"{wp_id} comes after group {dep.id}, which has {len(done)} members done",
                        wp_id,
                    )
                    continue
                pred_id = done[0]
            elif dep.id in ctx.first:
                pred_id = dep.id
            else:
                yield Violation(Rule.precedence, f"{wp_id} comes after {dep.id}, which is not in the plan", wp_id)
                continue
            a = ctx.first[pred_id]
            finish = dep.type == DependencyType.finish_to_start
            earliest = (a.end if finish else a.start) + dep.lag
            if b.start < earliest:
                event = f"finishes {cal.last_month(a.end)}" if finish else f"starts {cal.start_month(a.start)}"
                lag = f" and the lag is {dep.lag} periods" if dep.lag else ""
                yield Violation(
                    Rule.precedence,
                    f"{wp_id} starts {cal.start_month(b.start)}, but {pred_id} {event}{lag}; "
                    f"it may start from {cal.start_month(earliest)}",
                    wp_id,
                )


# ---------------------------------------------------------------- resources


def institution_load(ctx: Context) -> dict[tuple[str, int], float]:
    """Person-months each institution spends in each period of the horizon, by (institution, period)."""
    return pricing.institution_load(ctx.p, ctx.priced)


def _capacity(ctx: Context) -> Iterator[Violation]:
    """An institution's load in each period stays within its capacity for that year."""
    for (inst_id, t), pm in sorted(institution_load(ctx).items()):
        inst = ctx.institutions.get(inst_id)
        if inst is None:
            continue
        cap = inst.capacity_in(ctx.cal.year_of(t))
        if above(pm, cap):
            month = ctx.cal.start_month(t)
            yield Violation(Rule.capacity, f"{inst_id} is booked {num(pm)} PM in {month}, capacity {num(cap)} PM")


def _facilities(ctx: Context) -> Iterator[Violation]:
    """A facility's use in each period stays within its capacity."""
    use = pricing.facility_use(ctx.p, ctx.priced)
    for f in ctx.s.facilities:
        for t in range(ctx.cal.horizon):
            if above(use.get((f.id, t), 0.0), f.capacity):
                month = ctx.cal.start_month(t)
                yield Violation(
                    Rule.facility,
                    f"{f.id} is used {num(use[f.id, t])} {f.unit} in {month}, capacity {num(f.capacity)} {f.unit}",
                )


# ---------------------------------------------------------------- money


def _funding(ctx: Context) -> Iterator[Violation]:
    """Who pays: the option's fixed draws, else one eligible funder of the program, else nobody."""
    for p in ctx.placed:
        wp_id, keys = p.wp.id, set(p.assignment.funding)
        program = ctx.programs.get(p.wp.program)
        program_funders = program.funders if program else []
        if p.option.funding is not None:
            expected = {f for f, x in p.option.funding.items() if x != 0}
            if keys != expected:
                yield Violation(
                    Rule.funding,
                    f"{wp_id} is funded by {_names(keys)}, but option '{p.option.id}' draws on {_names(expected)}",
                    wp_id,
                )
        elif program_funders:
            eligible = ctx.p.funders_for(p.institution, p.wp.program)
            if len(keys) != 1:
                yield Violation(
                    Rule.funding, f"{wp_id} must be paid by exactly one funder, found {_names(keys)}", wp_id
                )
            elif not keys <= set(eligible):
                yield Violation(
                    Rule.funding,
                    f"{wp_id} is paid by {_names(keys)}, which may not pay {p.institution} in program "
                    f"{p.wp.program} (eligible: {_names(set(eligible))})",
                    wp_id,
                )
        elif keys:
            yield Violation(
                Rule.funding, f"{wp_id} is paid by {_names(keys)}, but program {p.wp.program} has no funders", wp_id
            )


def _names(ids: set[str]) -> str:
    return ", ".join(sorted(ids)) if ids else "nobody"


def paid_by_year(ctx: Context) -> dict[str, dict[int, float]]:
    """What each funder pays over the plan, by year, in its own currency."""
    return pricing.paid_by_year(ctx.priced)


def _funder_caps(ctx: Context) -> Iterator[Violation]:
    """A funder pays no more than its total and its cap in each year."""
    paid = paid_by_year(ctx)
    for f in ctx.s.funders:
        cur = ctx.funder_currency(f)
        years = paid.get(f.id, {})
        total = sum(years.values())
        if f.total is not None and above(total, f.total):
            yield Violation(Rule.funder_cap, f"{f.id} pays {amount(total, cur)} in all, cap {amount(f.total, cur)}")
        for y, cap in sorted(f.cap_per_year.items()):
            if above(years.get(y, 0.0), cap):
                yield Violation(Rule.funder_cap, f"{f.id} pays {amount(years[y], cur)} in {y}, cap {amount(cap, cur)}")


def _funder_shares(ctx: Context) -> Iterator[Violation]:
    """Each funder's spending splits between countries within its share tolerance."""
    for f in ctx.s.funders:
        if not f.shares:
            continue
        by_country: dict[str | None, float] = defaultdict(float)
        for p in ctx.placed:
            if f.id in p.funding_years:
                by_country[ctx.country_of(p.institution)] += sum(p.funding_years[f.id].values())
        for c, fraction, share in _off_shares(by_country, f.shares, f.tolerance):
            yield Violation(
                Rule.funder_share, f"{f.id} spends {pct(fraction)} in {c}, target {pct(share)} ± {pct(f.tolerance)}"
            )


def _off_shares(
    by_country: dict[str | None, float], shares: dict[str, float], tolerance: float
) -> Iterator[tuple[str, float, float]]:
    """(country, its fraction, its target) for each share outside [target − tolerance, target + tolerance]."""
    total = sum(by_country.values())
    if total <= 0:
        return
    for c, share in sorted(shares.items()):
        part = by_country.get(c, 0.0)
        if below(part, (share - tolerance) * total) or above(part, (share + tolerance) * total):
            yield c, part / total, share


def _by_program(ctx: Context) -> dict[str, list[Placed]]:
    """Placed assignments by program."""
    out: dict[str, list[Placed]] = defaultdict(list)
    for p in ctx.placed:
        out[p.wp.program].append(p)
    return out


def _program_shares(ctx: Context) -> Iterator[Violation]:
    """Each program's cost splits between countries within its share tolerance."""
    placed = _by_program(ctx)
    for prog in ctx.s.programs:
        if not prog.country_shares:
            continue
        by_country: dict[str | None, float] = defaultdict(float)
        for p in placed.get(prog.id, []):
            by_country[ctx.country_of(p.institution)] += p.cost_reporting
        for c, fraction, share in _off_shares(by_country, prog.country_shares, prog.share_tolerance):
            yield Violation(
                Rule.program_share,
                f"program {prog.id} spends {pct(fraction)} of its cost in {c}, "
                f"target {pct(share)} ± {pct(prog.share_tolerance)}",
            )


def _institution_shares(ctx: Context) -> Iterator[Violation]:
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
            if above(part, prog.max_institution_share * total):
                yield Violation(
                    Rule.institution_share,
                    f"{inst_id} takes {pct(part / total)} of program {prog.id}'s cost, "
                    f"at most {pct(prog.max_institution_share)} allowed",
                )


# ---------------------------------------------------------------- people's decisions and deliverables


def _pins(ctx: Context) -> Iterator[Violation]:
    """A pinned work package is done, by the pinned institution and option, from the pinned month."""
    for pin in ctx.s.pins:
        wp_id = pin.work_package
        a = ctx.first.get(wp_id)
        if a is None:
            if ctx.plan.found:
                yield Violation(Rule.pin, f"{wp_id} is pinned but not in the plan", wp_id)
            continue
        if pin.institution is not None and a.institution != pin.institution:
            yield Violation(Rule.pin, f"{wp_id} is pinned to {pin.institution} but executed by {a.institution}", wp_id)
        if pin.option is not None and a.option != pin.option:
            yield Violation(Rule.pin, f"{wp_id} is pinned to option '{pin.option}' but uses '{a.option}'", wp_id)
        if pin.start is not None and a.start != ctx.cal.period_of(pin.start):
            yield Violation(
                Rule.pin, f"{wp_id} is pinned to start {pin.start} but starts {ctx.cal.start_month(a.start)}", wp_id
            )


def _forbids(ctx: Context) -> Iterator[Violation]:
    """A work package is never executed by an institution it is forbidden for."""
    for fb in ctx.s.forbids:
        a = ctx.first.get(fb.work_package)
        if a is None:
            continue
        option = ctx.catalogue.option(fb.work_package, a.option)
        if fb.institution in {a.institution, option.institution if option else None}:
            yield Violation(Rule.forbid, f"{fb.work_package} may not be executed by {fb.institution}", fb.work_package)


def _deliverables(ctx: Context) -> Iterator[Violation]:
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
                    Rule.deliverable,
                    f"{wp_id}/{dl.id} falls {dl.offset} periods after the start, past the end of the {d}-period work",
                    wp_id,
                )
            if dl.due and tau > ctx.until(dl.due):
                yield Violation(
                    Rule.deliverable,
                    f"{wp_id}/{dl.id} is delivered {cal.last_month(tau)}, after its due {dl.due}",
                    wp_id,
                )
        listed = [(x.id, x.period, x.month) for x in a.deliverables]
        if sorted(listed) != sorted((k, *v) for k, v in expected.items()):
            shown = ", ".join(f"{i} {m}" for i, _, m in listed) or "none"
            wanted = ", ".join(f"{i} {m}" for i, (_, m) in expected.items()) or "none"
            yield Violation(Rule.deliverable, f"{wp_id} lists deliverables {shown}; the schedule gives {wanted}", wp_id)


Check = Callable[[Context], Iterator[Violation]]
"""A rule family's check: every violation of it in the plan."""

RULES: dict[Rule, Check] = {
    Rule.assignment: _assignments,
    Rule.duplicate: _duplicates,
    Rule.window: _windows,
    Rule.mandatory: _mandatory,
    Rule.overlap: _overlap_groups,
    Rule.precedence: _precedence,
    Rule.capacity: _capacity,
    Rule.facility: _facilities,
    Rule.funding: _funding,
    Rule.funder_cap: _funder_caps,
    Rule.funder_share: _funder_shares,
    Rule.program_share: _program_shares,
    Rule.institution_share: _institution_shares,
    Rule.pin: _pins,
    Rule.forbid: _forbids,
    Rule.deliverable: _deliverables,
}
"""Every hard-rule family of the registry and its check, in reporting order."""


def outside_horizon(scenario: Scenario | PreparedProblem, plan: Plan) -> list[Violation]:
    """Assignments that run outside the scenario's horizon or backwards: found before any per-period work."""
    from planner.problem.prepared import prepare

    horizon = prepare(scenario).calendar.horizon
    return [
        Violation(
            Rule.assignment,
            f"{a.work_package}: runs over periods [{a.start}, {a.end}), outside the horizon [0, {horizon})"
            if a.end >= a.start
            else f"{a.work_package}: ends (period {a.end}) before it starts (period {a.start})",
            a.work_package,
        )
        for a in plan.assignments
        if a.start < 0 or a.end > horizon or a.end < a.start
    ]


def check_plan(scenario: Scenario | PreparedProblem, plan: Plan) -> list[Violation]:
    """Every hard rule the plan breaks; an empty list means the plan is valid.

    Rules that require work to be done (mandatory work, required groups, pins) apply only to a plan
    whose status claims a schedule (optimal or feasible).
    """
    if not plan.found and not plan.assignments:
        return []
    outside = outside_horizon(scenario, plan)
    if outside:  # nothing else is checked: the rules below work period by period
        return outside
    with gc_paused():
        ctx = Context(scenario, plan)
        return [v for check in RULES.values() for v in check(ctx)]
