"""What binds a work package in a plan, and how much room each rule family has left: arithmetic on the plan.

Every figure is priced again from the scenario on the one pricing path (`planner.problem.pricing`), as the
checker does; the plan's own figures are never read. A reason is data: its rule family, a sentence key in
`planner.i18n` ("why.reason.<kind>") and the numbers that fill it, so the same reason reads in English and
Russian. A reason is *binding* when the work package stands against it (a month booked to capacity, a cap
reached, a pin); the others give the rule's numbers for context (a deadline with months to spare).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from planner.domain.rules import Rule
from planner.domain.scenario import Dependency, DependencyType
from planner.i18n import number, percent, t
from planner.problem.prepared import PreparedProblem, prepare
from planner.problem.pricing import facility_use, institution_load, paid_by_year, price_plan, running

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from planner.domain.plan import Assignment, Plan
    from planner.domain.scenario import Scenario
    from planner.problem.pricing import Priced

NEAR = 0.95
"""A cap used to this share or more is 'nearly reached'."""
REACHED = 0.001
"""A cap with less than this share of it left (or less than one unit of its currency) is 'reached'."""
AT_BOUND = 0.001
"""A share within this of its tolerance's end is 'at its limit' (0.1 percentage point)."""


def _full(used: float, capacity: float) -> bool:
    """Whether a period's use is at its capacity (the checker's tolerance)."""
    return capacity > 0 and used >= capacity - 1e-6 * capacity - 1e-9


# ---------------------------------------------------------------- values that read in every language


@dataclass(frozen=True)
class Quantity:
    """A number with its unit: a currency or a facility's unit as written, or a unit named in `planner.i18n`."""

    value: float
    unit: str | None = None
    unit_key: str | None = None
    decimals: int = 0

    def text(self, lang: str = "en") -> str:
        digits = number(self.value, lang, decimals=self.decimals)
        unit = t(self.unit_key, lang) if self.unit_key else self.unit
        return f"{digits} {unit}" if unit else digits


@dataclass(frozen=True)
class Fraction:
    """A share of a whole (0.45 is 45 %)."""

    value: float

    def text(self, lang: str = "en") -> str:
        return percent(self.value, lang, decimals=1)


@dataclass(frozen=True)
class Phrase:
    """A part of a sentence that is a sentence of `planner.i18n` itself (e.g. the limit a critical path ends at)."""

    key: str
    values: tuple[tuple[str, Value], ...]

    def text(self, lang: str = "en") -> str:
        return t(self.key, lang, **{k: show(v, lang) for k, v in self.values})


Value = str | int | Quantity | Fraction | Phrase


def show(value: Value, lang: str = "en") -> str:
    """A value of a sentence in the language's format."""
    if isinstance(value, Quantity | Fraction | Phrase):
        return value.text(lang)
    return str(value)


@dataclass(frozen=True)
class Reason:
    """One thing that binds a work package (or frames it, when not `binding`), with its numbers."""

    rule: Rule
    kind: str
    """The sentence: `why.reason.<kind>` in `planner.i18n`."""
    values: tuple[tuple[str, Value], ...]
    binding: bool = True

    def text(self, lang: str = "en") -> str:
        return t(f"why.reason.{self.kind}", lang, **{k: show(v, lang) for k, v in self.values})

    def value(self, name: str) -> Value | None:
        """One of the sentence's values by name (None if it has no such value)."""
        return next((v for k, v in self.values if k == name), None)


def reason(rule: Rule, kind: str, binding: bool = True, **values: Value) -> Reason:
    return Reason(rule, kind, tuple(values.items()), binding)


# ---------------------------------------------------------------- a plan, priced once


class Snapshot:
    """A plan priced once against its scenario: loads, facility use and payments, for every question about it."""

    def __init__(self, scenario: Scenario | PreparedProblem, plan: Plan) -> None:
        self.p = prepare(scenario)
        self.plan = plan
        self.cal = self.p.calendar
        self.priced: dict[str, Priced] = {x.work_package: x for x in price_plan(self.p, plan)}
        self.assignments: dict[str, Assignment] = {}
        for a in plan.assignments:
            if a.work_package in self.priced:
                self.assignments.setdefault(a.work_package, a)
        items = list(self.priced.values())
        self.load = institution_load(self.p, items)
        self.use = facility_use(self.p, items)
        self.paid = paid_by_year(items)

    def months(self, periods: list[int]) -> str:
        """Periods as month ranges: '2026-03…2026-08, 2027-01'."""
        out: list[str] = []
        run: list[int] = []
        for t_ in sorted(periods):
            if run and t_ != run[-1] + 1:
                out.append(self._range(run))
                run = []
            run.append(t_)
        if run:
            out.append(self._range(run))
        return ", ".join(out)

    def _range(self, run: list[int]) -> str:
        first, last = self.cal.start_month(run[0]), self.cal.last_month(run[-1] + 1)
        return first if first == last else f"{first}…{last}"

    def per_period(self) -> str:
        """The i18n key of 'PM a month' (or a quarter, a year) for this calendar."""
        return f"why.unit.pm_per_{self.p.scenario.time.period.value}"

    def pm(self, x: float, per_period: bool = True) -> Quantity:
        return Quantity(x, unit_key=self.per_period() if per_period else "why.unit.pm", decimals=1)

    def money(self, x: float, funder: str) -> Quantity:
        return Quantity(x, unit=self.p.money.funder_currency.get(funder))

    def currency(self, funder: str) -> str | None:
        return self.p.money.funder_currency.get(funder)

    @cached_property
    def program_ends(self) -> dict[str, int]:
        """The end of each program's last work in the plan."""
        out: dict[str, int] = {}
        for w, a in self.assignments.items():
            prog = self.p.work_packages[w].program
            out[prog] = max(out.get(prog, a.end), a.end)
        return out

    @cached_property
    def successors(self) -> dict[str, list[tuple[str, Dependency]]]:
        """For each planned work package, the planned work that waits for it (directly or through a group)."""
        out: dict[str, list[tuple[str, Dependency]]] = defaultdict(list)
        for succ in self.assignments:
            for dep in self.p.work_packages[succ].dependencies:
                for m in self.p.members(dep.id):
                    if m in self.assignments:
                        out[m].append((succ, dep))
        return out

    @cached_property
    def by_program(self) -> dict[str, list[Priced]]:
        """The priced work of each program."""
        out: dict[str, list[Priced]] = defaultdict(list)
        for w, x in self.priced.items():
            out[self.p.work_packages[w].program].append(x)
        return out

    @cached_property
    def funder_by_country(self) -> dict[str, dict[str | None, float]]:
        """What each funder pays in all, by the country of the institutions it pays."""
        out: dict[str, dict[str | None, float]] = defaultdict(lambda: defaultdict(float))
        for x in self.priced.values():
            for f, years in x.funding_years.items():
                out[f][self.p.country_of(x.institution)] += sum(years.values())
        return out

    def earliest(self, wp: str) -> tuple[int, str | None]:
        """The earliest start its own window and its predecessors as placed allow, and the predecessor that sets it
        (None: its own earliest start, a pinned start or the horizon's first period)."""
        pin = self.p.pins.get(wp)
        if pin is not None and pin.start:
            return self.cal.period_of(pin.start), None  # people fixed the month: nothing else decides it
        start, by = self.p.windows[wp].earliest_start, None
        for dep in self.p.work_packages[wp].dependencies:
            done = [m for m in self.p.members(dep.id) if m in self.assignments]
            if not done:
                continue
            a = self.assignments[done[0]]
            anchor = (a.start if dep.type == DependencyType.start_to_start else a.end) + dep.lag
            if anchor > start:
                start, by = anchor, done[0]
        return start, by


# ---------------------------------------------------------------- what binds one work package


def _people(s: Snapshot, wp: str) -> Iterator[Reason]:
    """Decisions fixed by people: a pin (institution, option, start) and the institutions it is forbidden at."""
    pin = s.p.pins.get(wp)
    if pin is not None:
        note = f" ({pin.note})" if pin.note else ""
        if pin.institution:
            yield reason(Rule.pin, "pin_institution", institution=pin.institution, note=note)
        if pin.option:
            yield reason(Rule.pin, "pin_option", option=pin.option, note=note)
        if pin.start:
            yield reason(Rule.pin, "pin_start", month=pin.start, note=note)
    for fb in s.p.scenario.forbids:
        if fb.work_package == wp:
            yield reason(Rule.forbid, "forbid", institution=fb.institution, note=f" ({fb.note})" if fb.note else "")


def _who_can(s: Snapshot, wp: str) -> Iterator[Reason]:
    """Who can do it at all: the institutions with an execution option, less the forbidden ones."""
    forbidden = s.p.forbidden.get(wp, frozenset())
    able = list(
        dict.fromkeys(o.institution for o in s.p.options(wp) if o.institution and o.institution not in forbidden)
    )
    if len(able) == 1:
        yield reason(Rule.assignment, "only", institution=able[0])
    elif able:
        yield reason(Rule.assignment, "able", False, n=len(able), institutions=", ".join(able))


def _window(s: Snapshot, wp: str) -> Iterator[Reason]:
    """Its own window: earliest start, hard deadline, deliverables due, soft due date, the horizon."""
    a, w, cal = s.assignments[wp], s.p.work_packages[wp], s.cal
    pin = s.p.pins.get(wp)
    pinned = pin is not None and bool(pin.start)  # the pin already says why it starts then
    if w.earliest_start and a.start <= cal.period_of(w.earliest_start) and not pinned:
        yield reason(Rule.window, "earliest_start", month=w.earliest_start)
    if w.deadline:
        spare = cal.period_of(w.deadline) + 1 - a.end
        if spare <= 0:
            yield reason(Rule.window, "deadline_met", month=w.deadline)
        else:
            yield reason(Rule.window, "deadline_spare", False, month=w.deadline, n=spare)
    for dl in w.deliverables:
        if dl.due:
            at = a.end if dl.offset is None else a.start + dl.offset
            spare = cal.period_of(dl.due) + 1 - at
            kind = "deliverable_met" if spare <= 0 else "deliverable_spare"
            yield reason(Rule.deliverable, kind, spare <= 0, deliverable=dl.id, month=dl.due, n=spare)
    if w.due:
        late = a.end - (cal.period_of(w.due) + 1)
        kind = "due_late" if late > 0 else "due_met" if late == 0 else "due_spare"
        yield reason(Rule.window, kind, late >= 0, month=w.due, n=abs(late))
    program = s.p.programs[w.program]
    if program.due and s.program_ends.get(w.program) == a.end:
        late = a.end - (cal.period_of(program.due) + 1)
        kind = "program_late" if late > 0 else "program_met" if late == 0 else "program_spare"
        yield reason(Rule.window, kind, late >= 0, program=program.id, month=program.due, n=abs(late))
    if a.end >= cal.horizon:
        yield reason(Rule.window, "horizon", month=cal.last_month(cal.horizon))


def _order(s: Snapshot, wp: str) -> Iterator[Reason]:
    """Predecessors it starts right after, and successors that start right after it."""
    a = s.assignments[wp]
    start, by = s.earliest(wp)
    if by is not None and start == a.start:
        yield reason(Rule.precedence, "after", wp=by, month=s.cal.last_month(s.assignments[by].end))
    waiting = []
    for succ, dep in s.successors.get(wp, []):
        anchor = (a.start if dep.type == DependencyType.start_to_start else a.end) + dep.lag
        if s.assignments[succ].start == anchor:
            waiting.append(succ)
    if waiting:
        yield reason(Rule.precedence, "before", wps=", ".join(dict.fromkeys(waiting)), n=len(waiting))


def _capacity(s: Snapshot, wp: str) -> Iterator[Reason]:
    """Its institution's months booked to capacity while it runs, and the months before its start too full for it."""
    x = s.priced[wp]
    inst = x.institution
    if inst is None or inst not in s.p.institutions:
        return
    cap = s.p.capacity(inst)
    by_capacity: dict[float, list[int]] = defaultdict(list)
    for t_ in running(s.p, x):
        if _full(s.load.get((inst, t_), 0.0), cap[t_]):
            by_capacity[cap[t_]].append(t_)
    for capacity, periods in by_capacity.items():
        yield reason(
            Rule.capacity,
            "capacity_full",
            institution=inst,
            months=s.months(periods),
            capacity=s.pm(capacity),
            own=s.pm(x.load_pm),
        )
    earliest, _ = s.earliest(wp)
    blocked = _blocked_before(s, x, inst, cap, earliest)
    if blocked:
        free = max(cap[t_] - s.load.get((inst, t_), 0.0) for t_ in blocked)
        yield reason(
            Rule.capacity,
            "capacity_before",
            institution=inst,
            months=s.months(blocked),
            free=s.pm(max(0.0, free)),
            own=s.pm(x.load_pm),
        )


def _blocked_before(s: Snapshot, x: Priced, inst: str, cap: Sequence[float], earliest: int) -> list[int]:
    """The months that keep every earlier start of the run from fitting its institution's capacity (its own load
    taken out of the months it holds now); empty when some earlier start fits, for then capacity does not hold it."""
    own = set(running(s.p, x))
    duration = x.end - x.start

    def full(t_: int) -> bool:
        other = s.load.get((inst, t_), 0.0) - (x.load_pm if t_ in own else 0.0)
        return other + x.load_pm > cap[t_] + 1e-6 * cap[t_] + 1e-9

    blocking: set[int] = set()
    for start in range(max(0, earliest), min(x.start, s.cal.horizon)):
        first = next((t_ for t_ in range(start, min(start + duration, s.cal.horizon)) if full(t_)), None)
        if first is None:
            return []  # it could start here as far as capacity goes: something else keeps it later
        blocking.add(first)
    return sorted(blocking)


def _facilities(s: Snapshot, wp: str) -> Iterator[Reason]:
    """Facilities it uses that are booked to capacity while it runs."""
    x = s.priced[wp]
    for fac, units in x.option.facilities.items():
        f = s.p.facilities.get(fac)
        if f is None or units <= 0:
            continue
        full = [t_ for t_ in running(s.p, x) if _full(s.use.get((fac, t_), 0.0), f.capacity)]
        if full:
            yield reason(
                Rule.facility,
                "facility_full",
                facility=fac,
                months=s.months(full),
                capacity=Quantity(f.capacity, f.unit, decimals=1),
                own=Quantity(units, f.unit, decimals=1),
            )


def _caps(s: Snapshot, wp: str) -> Iterator[Reason]:
    """Caps of the funders that pay it, reached or nearly, in the years it runs and over the horizon."""
    x = s.priced[wp]
    for f_id, years in x.funding_years.items():
        f = s.p.funders.get(f_id)
        if f is None:
            continue
        paid = s.paid.get(f_id, {})
        for year, part in sorted(years.items()):
            cap = f.cap_per_year.get(year)
            if cap is not None and part > 0:
                yield from _cap_reason(s, f_id, paid.get(year, 0.0), cap, part, year)
        if f.total is not None:
            yield from _cap_reason(s, f_id, sum(paid.values()), f.total, sum(years.values()), None)


def _cap_reason(s: Snapshot, funder: str, used: float, cap: float, own: float, year: int | None) -> Iterator[Reason]:
    left = cap - used
    if left > REACHED * cap and left > 1.0 and used < NEAR * cap:
        return
    reached = left <= REACHED * cap or left <= 1.0
    kind = ("cap_reached" if reached else "cap_near") + ("" if year is not None else "_total")
    values: dict[str, Value] = {
        "funder": funder,
        "used": s.money(used, funder),
        "cap": s.money(cap, funder),
        "share": Fraction(used / cap if cap else 1.0),
        "own": s.money(own, funder),
    }
    if year is not None:
        values["year"] = year
    yield Reason(Rule.funder_cap, kind, tuple(values.items()), reached)


def _shares(s: Snapshot, wp: str) -> Iterator[Reason]:
    """Country shares of its program (and of its funders) at the end of their tolerance, and its institution's share
    of the program at the most allowed: moving it to another country or institution would break them."""
    x, w = s.priced[wp], s.p.work_packages[wp]
    program = s.p.programs[w.program]
    items = s.by_program.get(program.id, [])
    total = sum(y.cost_reporting for y in items)
    if program.country_shares and total > 0:
        by_country: dict[str | None, float] = defaultdict(float)
        for y in items:
            by_country[s.p.country_of(y.institution)] += y.cost_reporting
        for c, target in sorted(program.country_shares.items()):
            yield from _share_reason(
                "program_share",
                Rule.program_share,
                by_country[c] / total,
                target,
                program.share_tolerance,
                program.id,
                c,
            )
    if program.max_institution_share is not None and total > 0 and x.institution is not None:
        part = sum(y.cost_reporting for y in items if y.institution == x.institution) / total
        if part >= program.max_institution_share - AT_BOUND:
            yield reason(
                Rule.institution_share,
                "institution_share",
                institution=x.institution,
                program=program.id,
                share=Fraction(part),
                limit=Fraction(program.max_institution_share),
            )
    for f_id in x.funding_years:
        f = s.p.funders.get(f_id)
        if f is None or not f.shares:
            continue
        spent = s.funder_by_country.get(f_id, {})
        whole = sum(spent.values())
        for c, target in sorted(f.shares.items()):
            if whole > 0:
                share = spent.get(c, 0.0) / whole
                yield from _share_reason("funder_share", Rule.funder_share, share, target, f.tolerance, f_id, c)


def _share_reason(
    kind: str, rule: Rule, share: float, target: float, tolerance: float, owner: str, country: str
) -> Iterator[Reason]:
    low, high = target - tolerance, target + tolerance
    end = "low" if share <= low + AT_BOUND else "high" if share >= high - AT_BOUND else None
    if end is not None:
        yield reason(
            rule,
            f"{kind}_{end}",
            owner=owner,
            country=country,
            share=Fraction(share),
            target=Fraction(target),
            tolerance=Fraction(tolerance),
        )


REASONS: tuple[Callable[[Snapshot, str], Iterator[Reason]], ...] = (
    _people,
    _who_can,
    _window,
    _order,
    _capacity,
    _facilities,
    _caps,
    _shares,
)
"""Each family of reasons, in the order they are told."""


def reasons(s: Snapshot, wp: str) -> list[Reason]:
    """What binds a work package the plan does, and the numbers of the rules that frame it."""
    if wp not in s.assignments:
        return []
    return [r for family in REASONS for r in family(s, wp)]


# ---------------------------------------------------------------- room left per rule family


@dataclass(frozen=True)
class Slack:
    """How much room one rule has left in the plan: `used` of `limit`, in `unit`."""

    rule: Rule
    subject: str
    year: int | None
    used: float
    limit: float
    unit: Quantity
    """A zero quantity that carries the unit the figures are in (its decimals too)."""
    full: int = 0
    """Periods booked to capacity (capacity and facilities)."""

    @property
    def left(self) -> float:
        return self.limit - self.used

    @property
    def share_left(self) -> float:
        """The room left as a share of the limit (0 for a limit of 0)."""
        return self.left / self.limit if self.limit > 0 else 0.0

    def amount(self, x: float) -> Quantity:
        return Quantity(x, self.unit.unit, self.unit.unit_key, self.unit.decimals)

    def text(self, lang: str = "en") -> str:
        kind = f"{self.rule.value}{'_year' if self.year is not None else ''}"
        return t(
            f"why.slack.{kind}",
            lang,
            subject=self.subject,
            year=self.year if self.year is not None else "",
            left=self.amount(self.left).text(lang),
            used=self.amount(self.used).text(lang),
            limit=self.amount(self.limit).text(lang),
            share=Fraction(self.share_left).text(lang),
            full=self.full,
        )


def _capacity_slack(s: Snapshot) -> Iterator[Slack]:
    """Person-months left per institution and year (and the periods booked to capacity)."""
    for inst in s.p.scenario.institutions:
        cap = s.p.capacity(inst.id)
        for year in s.cal.years:
            first, stop = s.cal.year_span(year)
            used = sum(s.load.get((inst.id, t_), 0.0) for t_ in range(first, stop))
            limit = sum(cap[first:stop])
            if limit > 0:
                full = sum(_full(s.load.get((inst.id, t_), 0.0), cap[t_]) for t_ in range(first, stop))
                yield Slack(Rule.capacity, inst.id, year, used, limit, s.pm(0.0, per_period=False), full)


def _facility_slack(s: Snapshot) -> Iterator[Slack]:
    """Facility units left per facility and year."""
    for f in s.p.scenario.facilities:
        for year in s.cal.years:
            first, stop = s.cal.year_span(year)
            used = sum(s.use.get((f.id, t_), 0.0) for t_ in range(first, stop))
            limit = f.capacity * (stop - first)
            if limit > 0:
                full = sum(_full(s.use.get((f.id, t_), 0.0), f.capacity) for t_ in range(first, stop))
                yield Slack(Rule.facility, f.id, year, used, limit, Quantity(0.0, f.unit, decimals=1), full)


def _money_slack(s: Snapshot) -> Iterator[Slack]:
    """Money left per funder and year under its yearly caps, and under its total."""
    for f in s.p.scenario.funders:
        paid = s.paid.get(f.id, {})
        unit = Quantity(0.0, s.currency(f.id))
        for year, cap in sorted(f.cap_per_year.items()):
            if year in s.cal.years:
                yield Slack(Rule.funder_cap, f.id, year, paid.get(year, 0.0), cap, unit)
        if f.total is not None:
            yield Slack(Rule.funder_cap, f.id, None, sum(paid.values()), f.total, unit)


def _deadline_slack(s: Snapshot) -> Iterator[Slack]:
    """Periods to spare before each hard deadline of the work done."""
    for w, a in s.assignments.items():
        wp = s.p.work_packages[w]
        if wp.deadline:
            limit = s.cal.period_of(wp.deadline) + 1
            yield Slack(Rule.window, w, None, a.end, limit, Quantity(0.0, unit_key="why.unit.periods"))


SLACK: tuple[tuple[Callable[[Snapshot], Iterator[Slack]], Callable[[Slack], tuple[float, ...]]], ...] = (
    (_capacity_slack, lambda x: (-x.full, x.share_left)),  # months booked to capacity bind: they come first
    (_facility_slack, lambda x: (-x.full, x.share_left)),
    (_money_slack, lambda x: (x.share_left, x.left)),
    (_deadline_slack, lambda x: (x.left,)),
)
"""Each rule family's room, and how its entries sort (tightest first: for capacity and facilities, the most periods
booked to capacity, then the least room over the year)."""


def slack(s: Snapshot) -> list[Slack]:
    """The room each rule has left in the plan, family by family, tightest first within each."""
    return [x for family, tightest in SLACK for x in sorted(family(s), key=tightest)]
