"""Hard rules, one function per family. Each translates a rule of the scenario; none decides anything.

In explain mode every rule is guarded by an assumption literal (`Builder.guard`) so that an
infeasible scenario can be reduced to the few rules that cannot hold together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from planner.cpsat.model import Builder, LinearExpr, Mode
from planner.domain.rules import Rule
from planner.domain.scenario import DependencyType
from planner.problem import scaling
from planner.problem.money import amount_text


def _exactly_one_option(b: Builder) -> None:
    """A work package that is done runs by exactly one mode (option, duration, payer); one left out by none."""
    for v in b.wps.values():
        b.model.add(sum(md.x for md in v.modes) == v.present)


def _mandatory(b: Builder) -> None:
    """Mandatory work packages are done (a fact of the program, never part of an explanation)."""
    for v in b.wps.values():
        if v.wp.mandatory:
            b.model.add(v.present == 1)


def _overlap(b: Builder) -> None:
    """Overlap groups keep at most (or, if required, exactly) one member."""
    for g in b.s.overlap_groups:
        members = [b.wps[m].present for m in g.members]
        word = "exactly" if g.required else "at most"
        guard = b.guard(Rule.overlap, (g.id,), f"overlap group {g.id} allows {word} one of {', '.join(g.members)}")
        if g.required:
            b.model.add(sum(members) == 1).only_enforce_if(guard)
        else:
            b.model.add(sum(members) <= 1).only_enforce_if(guard)


def _windows(b: Builder) -> None:
    """Hard deadlines: variable bounds normally (`Builder.window`), guarded rows when explaining."""
    if not b.explain:
        return
    for v in b.wps.values():
        wp = v.wp
        if wp.deadline:
            limit = b.cal.period_of(wp.deadline) + 1
            b.model.add(v.end <= limit).only_enforce_if(
                b.guard(Rule.window, (wp.id,), f"{wp.id} must finish by {wp.deadline}", v.end, limit)
            )


def _deliverables(b: Builder) -> None:
    """Deliverables are delivered by their due dates (at their offset from the start, or at the end)."""
    for v in b.wps.values():
        wp = v.wp
        for dl in wp.deliverables:
            if dl.due is None:
                continue
            limit = b.cal.period_of(dl.due) + 1
            at = v.start + dl.offset if dl.offset is not None else v.end
            text = f"deliverable {dl.id} of {wp.id} is due {dl.due}"
            guard = b.guard(Rule.deliverable, (wp.id, dl.id), text, at, limit)
            b.model.add(at <= limit).only_enforce_if([v.present, *guard])


def _precedence(b: Builder) -> None:
    """A work package starts after its predecessors finish (or start, for SS), plus the lag."""
    for v in b.wps.values():
        for dep in v.wp.dependencies:
            members = b.p.members(dep.id)
            text = f"{v.wp.id} comes after {dep.id}" + (f" + {dep.lag}" if dep.lag else "")
            # when explaining, the rule only says "no periods too early"; the periods it would take are the measure
            early = b.model.new_int_var(0, b.cal.horizon + dep.lag, f"early[{v.wp.id},{dep.id}]") if b.explain else 0
            guard = b.guard(Rule.precedence, (v.wp.id, dep.id), text, early, 0)
            if guard:
                b.model.add(early == 0).only_enforce_if(guard)
            b.model.add(sum(b.wps[m].present for m in members) >= 1).only_enforce_if([v.present, *guard])
            for m in members:
                pred = b.wps[m]
                anchor = pred.start if dep.type == DependencyType.start_to_start else pred.end
                b.model.add(anchor + dep.lag - early <= v.start).only_enforce_if([v.present, pred.present])


def _cumulative(
    b: Builder, rule: Rule, subject: str, text: str, modes: Sequence[tuple[Mode, int]], capacity: list[int]
) -> None:
    """Per period, the demands of running modes stay within a capacity that may change per period."""
    key = f"{rule.value}:{subject}"
    modes = [(md, d) for md, d in modes if d > 0 and md.duration > 0]
    if not modes or sum(d for _, d in modes) <= min(capacity):
        return  # can never bind
    top = max(capacity)
    constant = top == min(capacity)
    intervals = [md.interval for md, _ in modes]
    demands = [d for _, d in modes]
    p = 0
    while p < len(capacity):  # reserve what is missing below the top capacity, period run by period run
        q = p
        while q < len(capacity) and capacity[q] == capacity[p]:
            q += 1
        if capacity[p] < top:
            intervals.append(b.model.new_fixed_size_interval_var(p, q - p, f"reserved[{key},{p}]"))
            demands.append(top - capacity[p])
        p = q
    if b.makespan is not None and constant:
        # Nothing runs after the makespan: an interval [makespan, horizon) taking the whole capacity lets
        # the cumulative's energy reasoning raise the makespan's lower bound (as OR-Tools' rcpsp_sat does).
        horizon = b.cal.horizon
        intervals.append(b.model.new_interval_var(b.makespan, horizon - b.makespan, horizon, f"after_makespan[{key}]"))
        demands.append(top)
    cap = b.model.new_int_var(top, top + sum(demands), f"cap[{key}]") if b.explain else top
    guard = b.guard(rule, (subject,), text, cap, top)
    if guard:
        b.model.add(cap == top).only_enforce_if(guard)
        b.model.add_cumulative(intervals, demands, cap)
        return
    b.model.add_cumulative(intervals, demands, top)
    if b.makespan is not None:
        _whole_runs(b, key, modes, intervals[len(modes) :], demands[len(modes) :], top)
        if constant:
            _energy(b, b.makespan, modes, top)


def _energy(b: Builder, makespan: cp_model.IntVar, modes: Sequence[tuple[Mode, int]], top: int) -> None:
    """Redundant: the chosen modes' work fits before the makespan, capacity × makespan ≥ Σ duration × demand.

    The cumulative counts a mode's work only once the mode is chosen; as a linear row the same fact
    reaches the LP relaxation, whose fractional mode literals then bound the makespan by the least work
    any mix of modes needs (all work lies before the latest end). Added only where the capacity is
    constant: with a varying one the top capacity would still hold, but weaker and never measured.
    Measured: benchmarks/results/ab_params_2026-11-25.md, section 13.
    """
    b.model.add(top * makespan >= sum(md.x * (md.duration * d) for md, d in modes))


def _whole_runs(
    b: Builder,
    key: str,
    modes: Sequence[tuple[Mode, int]],
    fixed: Sequence[cp_model.IntervalVar],
    fixed_demands: Sequence[int],
    top: int,
) -> None:
    """Redundant: the same capacity over whole work packages, each demanding what its chosen mode demands.

    While a work package's mode is open, the mode-level cumulative sees only optional intervals and
    deduces nothing from them; one interval per work package with a demand variable (as PyJobShop
    builds it) lets energy reasoning use the smallest demand and duration over its modes. Added only
    when the makespan is optimised, where such bounds drive the proof; elsewhere it only slows the
    first plan.
    Measured: benchmarks/results/ab_multimode_2026-11-25.md, sections 1 and 2; without a makespan
    term: benchmarks/results/decisions.md, section 1.
    """
    by_wp: dict[str, dict[int, int]] = {}
    for md, d in modes:
        by_wp.setdefault(md.wp, {})[md.x.index] = d
    intervals: list[cp_model.IntervalVar] = list(fixed)
    demands: list[LinearExpr] = list(fixed_demands)
    multi = False
    for wp, uses in by_wp.items():
        v = b.wps[wp]
        if len(v.modes) == 1:
            intervals.append(v.modes[0].interval)
            demands.append(uses[v.modes[0].x.index])
            continue
        multi = True
        values = sorted({uses.get(md.x.index, 0) for md in v.modes})
        demand = b.model.new_int_var_from_domain(cp_model.Domain.from_values(values), f"demand[{key},{wp}]")
        for md in v.modes:
            b.model.add(demand == uses.get(md.x.index, 0)).only_enforce_if(md.x)
        intervals.append(b.wp_interval(v))
        demands.append(demand)
    if multi:
        b.model.add_cumulative(intervals, demands, top)


def _capacity(b: Builder) -> None:
    """In every period an institution's work stays within its person-months."""
    for inst in b.s.institutions:
        modes = [(md, scaling.use(md.option.load_pm(md.duration), scaling.RESOURCE)) for md in b.modes_of(inst.id)]
        by_year = "".join(f"; {y}: {c:g}" for y, c in sorted(inst.capacity_pm_by_year.items()))
        text = f"capacity of {inst.id} ({inst.capacity_pm:g} PM per period{by_year})"
        _cumulative(b, Rule.capacity, inst.id, text, modes, b.capacities[inst.id])


def _facilities(b: Builder) -> None:
    """In every period a facility's use stays within its units."""
    for fac in b.s.facilities:
        modes = [(md, scaling.use(md.option.facilities.get(fac.id, 0.0), scaling.RESOURCE)) for md in b.modes]
        _cumulative(
            b,
            Rule.facility,
            fac.id,
            f"capacity of facility {fac.id} ({fac.capacity:g} {fac.unit})",
            modes,
            b.capacities["facility:" + fac.id],
        )


def _pins(b: Builder) -> None:
    """Pins fix a work package's institution, option or start (and that it is done)."""
    for pin in b.s.pins:
        wp, v = pin.work_package, b.wps[pin.work_package]
        at = b.cal.period_of(pin.start) if pin.start else None
        away: cp_model.IntVar | None = None
        if b.explain and at is not None:  # periods between the start and the pinned one: what an explanation moves
            away = b.model.new_int_var(0, b.cal.horizon, f"away[{wp}]")
            b.model.add_abs_equality(away, v.start - at)
        where = [f"at {pin.institution}" if pin.institution else "", f"as option {pin.option}" if pin.option else ""]
        where = [w for w in where if w]
        apart = b.explain and bool(where) and at is not None  # the start explained on its own, so it can move alone
        starting = [f"starting {pin.start}"] if pin.start and not apart else []
        guard = b.guard(Rule.pin, (wp,), " ".join([f"{wp} is pinned", *where, *starting]), None if apart else away, 0)
        b.model.add(v.present == 1).only_enforce_if(guard)
        for md in v.modes:
            if (pin.institution and md.institution != pin.institution) or (pin.option and md.option.id != pin.option):
                b.model.add(md.x == 0).only_enforce_if(guard)
        if at is not None:
            if apart:
                guard = b.guard(Rule.pin, (wp, "start"), f"{wp} is pinned to start {pin.start}", away, 0)
            b.model.add(v.start == at).only_enforce_if(guard)


def _forbids(b: Builder) -> None:
    """Forbids exclude an institution from a work package."""
    for fb in b.s.forbids:
        guard = b.guard(
            Rule.forbid, (fb.work_package, fb.institution), f"{fb.work_package} is forbidden at {fb.institution}"
        )
        for md in b.wps[fb.work_package].modes:
            if md.institution == fb.institution:
                b.model.add(md.x == 0).only_enforce_if(guard)


def _payer(b: Builder) -> None:
    """Work of a funded program is paid by one funder that may pay its institution, or by its option's draws.

    Modes are generated per eligible payer (`Builder._candidates`), so a chosen mode names its one
    payer; a mode of such work that names none would be unpaid work and is excluded here.
    """
    for md in b.modes:
        funded = bool(b.programs[b.wps[md.wp].wp.program].funders)
        if funded and md.option.funding is None and md.funder is None:
            b.model.add(md.x == 0)


Amount = Callable[[Mode, bool], LinearExpr]
"""Money of a chosen mode, rounded up (True) or down (False)."""


def _share_bounds(
    b: Builder,
    rule: Rule,
    subject: tuple[str, ...],
    text: str,
    part: list[Mode],
    rest: list[Mode],
    amount: Amount,
    low: float,
    high: float,
) -> None:
    """low ≤ part / (part + rest) ≤ high, as (1 − low)·part ≥ low·rest and (1 − high)·part ≤ high·rest.

    Each side is rounded the safe way (the part down and the rest up for the lower bound, and the
    reverse for the upper one), so rounding can only make the model stricter than the checker.
    """
    guard = b.guard(rule, subject, text)
    lo, hi = scaling.use(low, scaling.SHARE), scaling.available(high, scaling.SHARE)

    def total(mds: list[Mode], up: bool) -> LinearExpr:
        return cp_model.LinearExpr.sum([amount(md, up) for md in mds])

    if lo > 0:
        b.model.add((scaling.SHARE - lo) * total(part, False) >= lo * total(rest, True)).only_enforce_if(guard)
    if hi < scaling.SHARE:
        b.model.add((scaling.SHARE - hi) * total(part, True) <= hi * total(rest, False)).only_enforce_if(guard)


def _funder_payers(b: Builder, funder: str) -> list[Mode]:
    return [md for md in b.modes if b.paid_by(md, funder) > 0]


def _paid(b: Builder, funder: str) -> Amount:
    """What a chosen mode pays `funder` over its run, in the funder's currency (hundredths)."""
    cur = b.money.funder_currency[funder]

    def paid(md: Mode, up: bool) -> LinearExpr:
        return b.amount_total(md, b.paid_by(md, funder), b.source_currency(md, funder), cur, up)

    return paid


def _funder_caps(b: Builder) -> None:
    """Funders pay within their total and their cap in each year."""
    for f in b.s.funders:
        cur = b.money.funder_currency[f.id]
        payers = _funder_payers(b, f.id)
        if not payers:
            continue
        if f.total is not None:
            paid = _paid(b, f.id)
            spent = cp_model.LinearExpr.sum([paid(md, True) for md in payers])
            limit = scaling.available(f.total, scaling.MONEY)
            text = f"{f.id} can pay at most {amount_text(f.total, cur)} in total"
            guard = b.guard(Rule.funder_cap, (f.id,), text, spent, limit)
            b.model.add(spent <= limit).only_enforce_if(guard)
        for year, cap in f.cap_per_year.items():
            in_year = cp_model.LinearExpr.sum(
                [b.amount_in_year(md, b.paid_by(md, f.id), b.source_currency(md, f.id), cur, year) for md in payers]
            )
            text = f"{f.id} can pay at most {amount_text(cap, cur)} in {year}"
            limit = scaling.available(cap, scaling.MONEY)
            guard = b.guard(Rule.funder_cap, (f.id, str(year)), text, in_year, limit)
            b.model.add(in_year <= limit).only_enforce_if(guard)


def _funder_shares(b: Builder) -> None:
    """Funders keep the country shares of their money."""
    for f in b.s.funders:
        payers = _funder_payers(b, f.id)
        if not payers:
            continue
        for country, share in f.shares.items():
            part = [md for md in payers if b.country_of(md) == country]
            rest = [md for md in payers if b.country_of(md) != country]
            text = f"{f.id} pays {country} {share:.0%} ± {f.tolerance:.0%} of its money"
            bounds = (share - f.tolerance, share + f.tolerance)
            _share_bounds(b, Rule.funder_share, (f.id, country), text, part, rest, _paid(b, f.id), *bounds)


def _program_modes(b: Builder, prog_id: str) -> list[Mode]:
    return [md for md in b.modes_in(prog_id) if md.option.cost > 0]


def _program_shares(b: Builder) -> None:
    """Country shares of a program's cost stay within bounds."""
    for prog in b.s.programs:
        if not prog.country_shares:
            continue
        mds = _program_modes(b, prog.id)
        tol = prog.share_tolerance
        for country, share in prog.country_shares.items():
            part = [md for md in mds if b.country_of(md) == country]
            rest = [md for md in mds if b.country_of(md) != country]
            text = f"program {prog.id} gives {country} {share:.0%} ± {tol:.0%} of its cost"
            bounds = (share - tol, share + tol)
            _share_bounds(b, Rule.program_share, (prog.id, country), text, part, rest, b.cost_share, *bounds)


def _institution_shares(b: Builder) -> None:
    """No institution takes more than its program's maximum share of the cost."""
    for prog in b.s.programs:
        if prog.max_institution_share is None:
            continue
        mds = _program_modes(b, prog.id)
        for inst in sorted({md.institution for md in mds if md.institution}):
            part = [md for md in mds if md.institution == inst]
            rest = [md for md in mds if md.institution != inst]
            text = f"{inst} may take at most {prog.max_institution_share:.0%} of program {prog.id}'s cost"
            subject = (prog.id, inst)
            high = prog.max_institution_share
            _share_bounds(b, Rule.institution_share, subject, text, part, rest, b.cost_share, 0.0, high)


FAMILIES: dict[Rule, Callable[[Builder], None]] = {
    Rule.assignment: _exactly_one_option,
    Rule.duplicate: _exactly_one_option,  # one mode per work package: it cannot be executed twice
    Rule.mandatory: _mandatory,
    Rule.overlap: _overlap,
    Rule.window: _windows,
    Rule.deliverable: _deliverables,
    Rule.precedence: _precedence,
    Rule.capacity: _capacity,
    Rule.facility: _facilities,
    Rule.pin: _pins,
    Rule.forbid: _forbids,
    Rule.funding: _payer,
    Rule.funder_cap: _funder_caps,
    Rule.funder_share: _funder_shares,
    Rule.program_share: _program_shares,
    Rule.institution_share: _institution_shares,
}
"""Every hard-rule family of the registry and the function that adds it, in the order they are added."""


def add_rules(b: Builder) -> None:
    """Add every hard rule to the model (a function shared by two families is called once)."""
    for family in dict.fromkeys(FAMILIES.values()):
        family(b)
