"""What the checker works on: the scenario's lookups, the plan's assignments resolved once, tolerances."""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner.domain.plan import Assignment, Plan
from planner.domain.scenario import Funder, Institution, Scenario, WorkPackage
from planner.problem.calendar import Calendar, Money
from planner.problem.options import Catalogue, Option

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


def above(value: float, limit: float) -> bool:
    """Whether a value exceeds a limit beyond the checker's tolerance."""
    return value > limit + REL_TOL * abs(limit) + ABS_TOL


def below(value: float, limit: float) -> bool:
    """Whether a value falls short of a limit beyond the checker's tolerance."""
    return value < limit - REL_TOL * abs(limit) - ABS_TOL


def same(reported: float, recomputed: float) -> bool:
    """Whether a figure written in the plan matches the recomputed one."""
    return math.isclose(reported, recomputed, rel_tol=REL_TOL, abs_tol=FIELD_ABS_TOL)


def num(x: float) -> str:
    """A quantity for a message: at most four decimals."""
    return str(round(x, 4))


def amount(x: float, currency: str | None) -> str:
    """An amount of money for a message."""
    return f"{x:,.2f} {currency}" if currency else f"{x:,.2f}"


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


# ---------------------------------------------------------------- resolved plan


@dataclass(frozen=True)
class Placed:
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


class Context:
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
        self.placed: list[Placed] = []
        for wp_id, a in self.first.items():
            option = self.catalogue.option(wp_id, a.option)
            if option is not None:
                self.placed.append(self.place(a, self.wps[wp_id], option))

    def place(self, a: Assignment, wp: WorkPackage, option: Option) -> Placed:
        """Derive costs and funding of an assignment from the scenario."""
        cost_years = year_amounts(self.cal, option.cost, a.start, a.end)
        reporting = self.money.to_reporting(option.cost, option.currency)
        funding = self._funding_years(a, wp, option, cost_years)
        return Placed(a, wp, option, reporting, funding)

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
        return self.money.funder_currency[funder.id]

    def country_of(self, institution: str | None) -> str | None:
        """Country of an institution, if it is known."""
        inst = self.institutions.get(institution) if institution else None
        return inst.country if inst else None

    def until(self, month: str) -> int:
        """Latest end (exclusive period) that still finishes by the end of a month."""
        return self.cal.period_of(month) + 1
