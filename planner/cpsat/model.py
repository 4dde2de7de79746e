"""Variables of the CP-SAT model, kept in typed containers keyed by the scenario's ids.

A work package has one start, one end and a presence literal; each way to run it is a *mode*:
an execution option, one of its durations and the funder that pays (for options paid by a
program's funders). Each mode is an optional fixed-size interval on the work package's start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeAlias

from ortools.sat.python import cp_model

from planner import scaling
from planner.calendar import Calendar, Money
from planner.options import Catalogue, Option, eligible_funders
from planner.scenario import Scenario, WorkPackage

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
class Rule:
    """A group of hard constraints that the explanation can name (e.g. 'deadline of T-07')."""

    key: str
    text: str


class Builder:
    """Holds the CP-SAT model and its variables; constraint families add to it (see constraints.py)."""

    def __init__(self, scenario: Scenario, explain: bool = False) -> None:
        self.s = scenario
        self.cal = Calendar(scenario.time)
        self.money = Money(scenario)
        self.cat = Catalogue(scenario)
        self.explain = explain
        self.model = cp_model.CpModel()
        self.rules: dict[int, Rule] = {}
        self.institutions = {i.id: i for i in scenario.institutions}
        self.programs = {p.id: p for p in scenario.programs}
        self.groups = {g.id: g for g in scenario.overlap_groups}
        self.wps: dict[str, WpVars] = {}
        self._overlap: dict[tuple[str, int, int], LinearExpr] = {}
        self._in_year: dict[tuple[int, int], LinearExpr] = {}
        for wp in scenario.work_packages:
            self.wps[wp.id] = self._wp_vars(wp)

    # ------------------------------------------------------------------ rules (for explanations)

    def guard(self, key: str, text: str) -> list[cp_model.IntVar]:
        """Enforcement literals for a rule: none normally, one assumption literal when explaining."""
        if not self.explain:
            return []
        lit = self.model.new_bool_var(f"rule[{key}]")
        self.rules[lit.index] = Rule(key, text)
        self.model.add_assumption(lit)
        return [lit]

    # ------------------------------------------------------------------ variables

    def window(self, wp: WorkPackage) -> tuple[int, int]:
        """(earliest start, latest end) from the horizon, earliest start and — unless explaining — deadline."""
        earliest = max(0, self.cal.period_of(wp.earliest_start)) if wp.earliest_start else 0
        latest_end = self.cal.horizon
        if wp.deadline and not self.explain:
            latest_end = min(latest_end, self.cal.period_of(wp.deadline) + 1)
        return earliest, latest_end

    def _wp_vars(self, wp: WorkPackage) -> WpVars:
        earliest, latest_end = self.window(wp)
        m = self.model
        present = m.new_bool_var(f"present[{wp.id}]")
        start = m.new_int_var(earliest, max(earliest, latest_end), f"start[{wp.id}]")
        end = m.new_int_var(earliest, max(earliest, latest_end), f"end[{wp.id}]")
        v = WpVars(wp, present, start, end, earliest, latest_end)
        room = latest_end - earliest
        program_funders = self.programs[wp.program].funders
        for opt in self.cat.by_wp[wp.id]:
            if opt.funding is not None or not program_funders:
                payers: list[str | None] = [None]
            else:
                payers = list(eligible_funders(self.s, self.institutions.get(opt.institution or ""), program_funders))
            for d in opt.durations:
                if d > room:
                    continue
                for f in payers:
                    name = f"{wp.id}/{opt.id}/{d}" + (f"/{f}" if f else "")
                    x = m.new_bool_var(f"mode[{name}]")
                    iv = m.new_optional_fixed_size_interval_var(start, d, x, f"run[{name}]")
                    v.modes.append(Mode(wp.id, opt, d, f, x, iv))
        m.add(sum(md.x for md in v.modes) == present)
        m.add(end == start + sum(md.duration * md.x for md in v.modes))
        if not v.modes:
            m.add(present == 0)
        return v

    @cached_property
    def modes(self) -> list[Mode]:
        return [md for v in self.wps.values() for md in v.modes]

    # ------------------------------------------------------------------ money over time

    def periods_in_year(self, v: WpVars, duration: int, year: int) -> LinearExpr:
        """Periods of [start, start+duration) that fall in `year` (1 for the start year if duration is 0)."""
        key = (v.wp.id, duration, year)
        if key not in self._overlap:
            last_start = max(v.earliest, v.latest_end - duration)
            table = [self._overlap_at(s, duration, year) for s in range(last_start + 1)]
            reachable = table[v.earliest :]
            if len(set(reachable)) == 1:
                self._overlap[key] = reachable[0]
            else:
                ov = self.model.new_int_var(0, max(reachable), f"in_year[{v.wp.id},{duration},{year}]")
                self.model.add_element(v.start, table, ov)
                self._overlap[key] = ov
        return self._overlap[key]

    def _overlap_at(self, start: int, duration: int, year: int) -> int:
        if duration == 0:
            return int(self.cal.year_of(min(start, self.cal.horizon - 1)) == year)
        return self.cal.periods_per_year(start, duration).get(year, 0)

    def mode_in_year(self, md: Mode, year: int) -> LinearExpr:
        """Periods of a mode in `year` if the mode is chosen, else 0."""
        key = (md.x.index, year)
        if key not in self._in_year:
            v = self.wps[md.wp]
            ov = self.periods_in_year(v, md.duration, year)
            if isinstance(ov, int):
                self._in_year[key] = ov * md.x
            else:
                hi = max(1, md.duration)
                p = self.model.new_int_var(0, hi, f"mode_in_year[{md.x.name},{year}]")
                self.model.add(p <= hi * md.x)
                self.model.add(p <= ov)
                self.model.add(p >= ov - hi * (1 - md.x))
                self._in_year[key] = p
        return self._in_year[key]

    def years_of(self, md: Mode) -> list[int]:
        """Years a mode can touch."""
        v = self.wps[md.wp]
        return sorted({self.cal.year_of(p) for p in range(v.earliest, max(v.earliest + 1, v.latest_end))})

    def amount_in_year(
        self, md: Mode, amount: float, source: str | None, target: str | None, year: int, scale: int
    ) -> LinearExpr:
        """Scaled money a chosen mode spends in `year`: `amount` in `source` currency, spread evenly, in `target`."""
        per_period = amount / max(1, md.duration)
        coef = scaling.use(self.money.convert(per_period, source, target, year), scale)
        return coef * self.mode_in_year(md, year) if coef else 0

    def amount_total(self, md: Mode, amount: float, source: str | None, target: str | None, scale: int) -> LinearExpr:
        """Scaled money a chosen mode spends over its whole run, converted year by year when rates vary."""
        if not self.money.varies(source, target):
            any_year = self.cal.years[0]
            return scaling.use(self.money.convert(amount, source, target, any_year), scale) * md.x
        return sum(self.amount_in_year(md, amount, source, target, y, scale) for y in self.years_of(md))

    def paid_by(self, md: Mode, funder: str) -> float:
        """What a mode costs `funder` in total, in the currency the mode's money is given in (0 if not paid)."""
        if md.option.funding is not None:
            return md.option.funding.get(funder, 0.0)
        return md.option.cost if md.funder == funder else 0.0

    def source_currency(self, md: Mode, funder: str) -> str | None:
        """Currency of `paid_by`: explicit draws are in the funder's currency, costs in the option's."""
        return self.money.funder_currency.get(funder) if md.option.funding is not None else md.option.currency

    def country_of(self, md: Mode) -> str | None:
        inst = self.institutions.get(md.institution or "")
        return inst.country if inst else None
