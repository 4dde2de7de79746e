"""Variables of the CP-SAT model, kept in typed containers keyed by the scenario's ids.

A work package has one start, one end and a presence literal; each way to run it is a *mode*:
an execution option, one of its durations and the funder that pays (for options paid by a
program's funders). Each mode is an optional fixed-size interval on the work package's start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypeAlias

from ortools.sat.python import cp_model

from planner.domain.scenario import Scenario, Term, WorkPackage
from planner.problem import scaling
from planner.problem.prepared import PreparedProblem, prepare

if TYPE_CHECKING:
    from planner.domain.rules import Rule
    from planner.problem.options import Option

LinearExpr: TypeAlias = cp_model.LinearExpr | cp_model.IntVar | int


@dataclass
class Mode:
    """One way to run a work package: option × duration × paying funder."""

    wp: str
    option: Option
    duration: int
    funder: str | None
    x: cp_model.IntVar
    interval: cp_model.IntervalVar

    @property
    def institution(self) -> str | None:
        return self.option.institution


@dataclass
class WpVars:
    """Decision variables of one work package."""

    wp: WorkPackage
    present: cp_model.IntVar
    start: cp_model.IntVar
    end: cp_model.IntVar
    earliest: int
    latest_end: int
    modes: list[Mode] = field(default_factory=list)


@dataclass(frozen=True)
class Guarded:
    """Hard constraints the explanation can name: a rule family, what it is about (ids, a year) and its sentence."""

    rule: Rule
    subject: tuple[str, ...]
    text: str
    limit: int | None = None
    """The rule's bound on its measure (`Builder.measures`) in the model's integers, for rules that have one."""

    @property
    def key(self) -> str:
        """'capacity:tusur', 'funder_cap:by-budget:2026': the family's word and the subject."""
        return ":".join([self.rule.value, *self.subject])


class Builder:
    """Holds the CP-SAT model and its variables; constraint families add to it (see constraints.py)."""

    def __init__(
        self,
        problem: Scenario | PreparedProblem,
        explain: bool = False,
        background: dict[str, list[int]] | None = None,
    ) -> None:
        self.p = prepare(problem)
        self.background = background or {}
        self.s = self.p.scenario
        self.cal = self.p.calendar
        self.cat = self.p.catalogue
        self.money = self.p.money
        self.explain = explain
        self.model = cp_model.CpModel()
        self.rules: dict[int, Guarded] = {}
        self.measures: dict[int, LinearExpr] = {}
        """When explaining: per rule literal, what the rule bounds (an end, a year's spend, a capacity) so that
        an explanation can say how much the other rules need, and how far the rule must move for a plan."""
        self.institutions = self.p.institutions
        self.programs = self.p.programs
        self.groups = self.p.groups
        self.wps: dict[str, WpVars] = {}
        self.makespan: cp_model.IntVar | None = None
        if Term.makespan in self.s.objective.priorities:
            self.makespan = self.model.new_int_var(0, self.cal.horizon, "makespan")
        self._overlap: dict[tuple[str, int], LinearExpr] = {}
        self._starts_in: dict[tuple[str, int], LinearExpr] = {}
        self._tied: set[str] = set()
        self._intervals: dict[str, cp_model.IntervalVar] = {}
        self._in_year: dict[tuple[int, int], LinearExpr] = {}
        self._years: dict[str, list[int]] = {}
        for wp in self.s.work_packages:
            self.wps[wp.id] = self._wp_vars(wp)

    # ------------------------------------------------------------------ rules (for explanations)

    def guard(
        self,
        rule: Rule,
        subject: tuple[str, ...],
        text: str,
        measure: LinearExpr | None = None,
        limit: int | None = None,
    ) -> list[cp_model.IntVar]:
        """Enforcement literals for a rule: none normally, one assumption literal when explaining.

        `measure ≤ limit` is what the rule demands, where it is a bound on one quantity; the measure must stay
        defined (by unguarded constraints) when the rule is dropped, so that it can be minimised.
        """
        if not self.explain:
            return []
        guarded = Guarded(rule, subject, text, limit if measure is not None else None)
        lit = self.model.new_bool_var(f"rule[{guarded.key}]")
        self.rules[lit.index] = guarded
        if measure is not None:
            self.measures[lit.index] = measure
        self.model.add_assumption(lit)
        return [lit]

    # ------------------------------------------------------------------ variables

    def window(self, wp: WorkPackage) -> tuple[int, int]:
        """(earliest start, latest end): the prepared window with its chains; when explaining, only the earliest
        start and the horizon, since deadlines and precedences are then rules the explanation may name."""
        w = self.p.windows[wp.id]
        if self.explain:
            return w.earliest_start, self.cal.horizon
        return w.chain_start, w.chain_end

    def _wp_vars(self, wp: WorkPackage) -> WpVars:
        earliest, latest_end = self.window(wp)
        m = self.model
        present = m.new_bool_var(f"present[{wp.id}]")
        start = m.new_int_var(earliest, max(earliest, latest_end), f"start[{wp.id}]")
        end = m.new_int_var(earliest, max(earliest, latest_end), f"end[{wp.id}]")
        v = WpVars(wp, present, start, end, earliest, latest_end)
        for opt, d, f in self._candidates(wp, latest_end - earliest):
            name = f"{wp.id}/{opt.id}/{d}" + (f"/{f}" if f else "")
            x = m.new_bool_var(f"mode[{name}]")
            iv = m.new_optional_fixed_size_interval_var(start, d, x, f"run[{name}]")
            v.modes.append(Mode(wp.id, opt, d, f, x, iv))
        m.add(end == start + sum(md.duration * md.x for md in v.modes))
        if not v.modes:
            m.add(present == 0)
        return v

    def _candidates(self, wp: WorkPackage, room: int) -> list[tuple[Option, int, str | None]]:
        """(option, duration, paying funder) triples that fit the window and every deliverable's offset."""
        program_funders = self.programs[wp.program].funders
        min_offset = max((dl.offset or 0 for dl in wp.deliverables), default=0)
        out: list[tuple[Option, int, str | None]] = []
        for opt in self.cat.by_wp[wp.id]:
            if opt.funding is not None or not program_funders:
                payers: list[str | None] = [None]
            else:
                payers = list(self.p.funders_for(opt.institution, wp.program))
            out += [(opt, d, f) for d in opt.durations if min_offset <= d <= room for f in payers]
        return out

    def wp_interval(self, v: WpVars) -> cp_model.IntervalVar:
        """The work package's whole run [start, end) as one optional interval (sized by its chosen mode)."""
        if v.wp.id not in self._intervals:
            durations = sorted({0} | {md.duration for md in v.modes})  # 0: end == start when it is left out
            size = self.model.new_int_var_from_domain(cp_model.Domain.from_values(durations), f"size[{v.wp.id}]")
            self.model.add(size == v.end - v.start)
            self._intervals[v.wp.id] = self.model.new_optional_interval_var(
                v.start, size, v.end, v.present, f"run[{v.wp.id}]"
            )
        return self._intervals[v.wp.id]

    @cached_property
    def capacities(self) -> dict[str, list[int]]:
        """Scaled capacity per period of each institution (by id) and facility (by 'facility:id'), less any
        background use (work fixed outside the model, as in a neighbourhood of the large-neighbourhood search)."""
        raw = {inst.id: list(self.p.capacity(inst.id)) for inst in self.s.institutions}
        for fac in self.s.facilities:
            raw["facility:" + fac.id] = [fac.capacity] * self.cal.horizon
        out = {}
        for key, caps in raw.items():
            scaled = [scaling.available(c, scaling.RESOURCE) for c in caps]
            used = self.background.get(key)
            if used is not None:
                scaled = [max(0, c - u) for c, u in zip(scaled, used, strict=True)]
            out[key] = scaled
        return out

    @cached_property
    def modes(self) -> list[Mode]:
        return [md for v in self.wps.values() for md in v.modes]

    @cached_property
    def _modes_by_institution(self) -> dict[str | None, list[Mode]]:
        out: dict[str | None, list[Mode]] = {}
        for md in self.modes:
            out.setdefault(md.institution, []).append(md)
        return out

    @cached_property
    def _modes_by_program(self) -> dict[str, list[Mode]]:
        out: dict[str, list[Mode]] = {}
        for md in self.modes:
            out.setdefault(self.wps[md.wp].wp.program, []).append(md)
        return out

    def modes_of(self, institution: str) -> list[Mode]:
        """Modes an institution executes."""
        return self._modes_by_institution.get(institution, [])

    def modes_in(self, program: str) -> list[Mode]:
        """Modes of a program's work packages."""
        return self._modes_by_program.get(program, [])

    # ------------------------------------------------------------------ money over time

    def periods_in_year(self, v: WpVars, year: int) -> LinearExpr:
        """Periods of the work package's run [start, end) that fall in `year`, as a linear expression.

        max(0, min(end, year end) − max(start, year start)) with two auxiliary variables; cheaper for
        CP-SAT than an element table over the start, which presolve would expand value by value.
        """
        key = (v.wp.id, year)
        if key not in self._overlap:
            first, stop = self.cal.year_span(year)
            if stop <= v.earliest or first >= v.latest_end:
                self._overlap[key] = 0
            elif first <= v.earliest and v.latest_end <= stop:
                self._overlap[key] = v.end - v.start
            else:
                m, name = self.model, f"{v.wp.id},{year}"
                lo = m.new_int_var(max(first, v.earliest), max(first, v.latest_end), f"from[{name}]")
                hi = m.new_int_var(min(stop, v.earliest), min(stop, v.latest_end), f"to[{name}]")
                m.add_max_equality(lo, [v.start, first])
                m.add_min_equality(hi, [v.end, stop])
                ov = m.new_int_var(0, stop - first, f"in_year[{name}]")
                m.add_max_equality(ov, [0, hi - lo])
                self._overlap[key] = ov
        return self._overlap[key]

    def starts_in_year(self, v: WpVars, year: int) -> LinearExpr:
        """1 if the work package starts in `year` (where a zero-duration run puts its money), else 0."""
        key = (v.wp.id, year)
        if key not in self._starts_in:
            first, stop = self.cal.year_span(year)
            if year == self.cal.years[-1]:
                stop += 1  # a zero-duration run at the very end belongs to the last year
            if stop <= v.earliest or first > v.latest_end:
                self._starts_in[key] = 0
            elif first <= v.earliest and v.latest_end < stop:
                self._starts_in[key] = 1
            else:
                flag = self.model.new_bool_var(f"starts_in[{v.wp.id},{year}]")
                self.model.add(v.start >= first).only_enforce_if(flag)
                self.model.add(v.start < stop).only_enforce_if(flag)
                self._starts_in[key] = flag
        return self._starts_in[key]

    def mode_in_year(self, md: Mode, year: int) -> LinearExpr:
        """Periods of a mode in `year` if the mode is chosen, else 0 (for zero-duration modes: 1 in the start year)."""
        key = (md.x.index, year)
        if key not in self._in_year:
            v = self.wps[md.wp]
            years = self.years_of(md)
            if year not in years:
                return 0
            if len(years) == 1:
                self._in_year[key] = max(md.duration, 1) * md.x  # the whole run lies in this year
            elif md.duration == 0:
                self._split_zero(v, years)
            else:
                self._split(v, years)
        return self._in_year[key]

    def _split(self, v: WpVars, years: list[int]) -> None:
        """Share a work package's periods among years and modes: p[mode, year] with
        Σ_mode p = periods of the run in that year and Σ_year p = duration·x[mode].

        The second sum makes the split exact in the LP relaxation too, so bounds on money stay
        tight; no big-M is needed.
        """
        mds = [md for md in v.modes if md.duration > 0]
        parts: dict[tuple[int, int], cp_model.IntVar] = {}
        for md in mds:
            for y in years:
                first, stop = self.cal.year_span(y)
                p = self.model.new_int_var(0, min(md.duration, stop - first), f"mode_in_year[{md.x.name},{y}]")
                parts[(md.x.index, y)] = p
                self._in_year[(md.x.index, y)] = p
            self.model.add(sum(parts[(md.x.index, y)] for y in years) == md.duration * md.x)
        for y in years:
            self.model.add(sum(parts[(md.x.index, y)] for md in mds) == self.periods_in_year(v, y))

    def _split_zero(self, v: WpVars, years: list[int]) -> None:
        """A zero-duration run puts all its money in the year it starts in."""
        self._tie_start_year(v)
        for md in (md for md in v.modes if md.duration == 0):
            for y in years:
                flag = self.starts_in_year(v, y)
                p = self.model.new_bool_var(f"mode_in_year[{md.x.name},{y}]")
                self.model.add_implication(p, md.x)
                self.model.add(p <= flag)
                self.model.add(p >= md.x + flag - 1)
                self._in_year[(md.x.index, y)] = p

    def _tie_start_year(self, v: WpVars) -> None:
        """Exactly one year holds the start (so zero-duration money cannot vanish)."""
        if v.wp.id in self._tied:
            return
        self._tied.add(v.wp.id)
        flags = [self.starts_in_year(v, y) for y in self.cal.years]
        self.model.add(sum(flags) == 1)

    def years_of(self, md: Mode) -> list[int]:
        """Years a mode can touch: those of its work package's window (computed once per work package)."""
        if md.wp not in self._years:
            v = self.wps[md.wp]
            last = self.cal.horizon - 1  # a zero-duration run may start at the window's very end
            first_year, last_year = self.cal.year_of(min(v.earliest, last)), self.cal.year_of(min(v.latest_end, last))
            self._years[md.wp] = [y for y in self.cal.years if first_year <= y <= last_year]
        return self._years[md.wp]

    def amount_in_year(
        self, md: Mode, amount: float, source: str | None, target: str | None, year: int, up: bool = True
    ) -> LinearExpr:
        """Money (in hundredths) a chosen mode spends in `year`: `amount` in `source` spread evenly, in `target`.

        Rounded up for what is spent against a limit, down where less is the unsafe side (`up=False`).
        """
        per_period = self.money.convert(amount / max(1, md.duration), source, target, year)
        coef = scaling.use(per_period, scaling.MONEY) if up else scaling.available(per_period, scaling.MONEY)
        return coef * self.mode_in_year(md, year) if coef else 0

    def amount_total(
        self, md: Mode, amount: float, source: str | None, target: str | None, up: bool = True
    ) -> LinearExpr:
        """Money (in hundredths) a chosen mode spends over its run, converted year by year when rates vary."""
        if not self.money.varies(source, target):
            total = self.money.convert(amount, source, target, self.cal.years[0])
            return (scaling.use(total, scaling.MONEY) if up else scaling.available(total, scaling.MONEY)) * md.x
        return cp_model.LinearExpr.sum(
            [self.amount_in_year(md, amount, source, target, y, up) for y in self.years_of(md)]
        )

    def cost_share(self, md: Mode, up: bool) -> LinearExpr:
        """A mode's cost in hundredths of the reporting currency at planning rates, for share rules."""
        cost = self.money.to_reporting(md.option.cost, md.option.currency)
        return (scaling.use(cost, scaling.MONEY) if up else scaling.available(cost, scaling.MONEY)) * md.x

    def cost_reporting(self, md: Mode) -> int:
        """A mode's cost in whole units of the reporting currency at planning rates."""
        return scaling.nearest(self.money.to_reporting(md.option.cost, md.option.currency), 1)

    def paid_by(self, md: Mode, funder: str) -> float:
        """What a mode costs `funder` in total, in the currency the mode's money is given in (0 if not paid)."""
        if md.option.funding is not None:
            return md.option.funding.get(funder, 0.0)
        return md.option.cost if md.funder == funder else 0.0

    def source_currency(self, md: Mode, funder: str) -> str | None:
        """Currency of `paid_by`: explicit draws are in the funder's currency, costs in the option's."""
        return self.money.funder_currency.get(funder) if md.option.funding is not None else md.option.currency

    def country_of(self, md: Mode) -> str | None:
        return self.p.country_of(md.institution)
