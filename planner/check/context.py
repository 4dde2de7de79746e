"""What the checker works on: the prepared problem, the plan's assignments resolved and priced once, tolerances."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.problem.money import amount_text
from planner.problem.prepared import PreparedProblem, prepare
from planner.problem.pricing import Priced, convert_years, price_assignment, year_amounts

if TYPE_CHECKING:
    from planner.domain.plan import Assignment, Plan
    from planner.domain.rules import Rule
    from planner.domain.scenario import Funder, Scenario, WorkPackage
    from planner.problem.options import Option

REL_TOL = 1e-6
"""Relative tolerance for capacities, caps and shares."""
ABS_TOL = 1e-9
"""Absolute tolerance added to REL_TOL for capacities, caps and shares."""
FIELD_ABS_TOL = 0.01
"""Absolute tolerance (with REL_TOL) when comparing a plan's derived figures with recomputed ones."""


@dataclass(frozen=True)
class Violation:
    """One broken hard rule, in domain words."""

    rule: Rule
    message: str
    work_package: str | None = None

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


# ---------------------------------------------------------------- numbers


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
    """An amount of money for a message, to the cent."""
    return amount_text(x, currency, decimals=2)


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


# ---------------------------------------------------------------- resolved plan


@dataclass(frozen=True)
class Placed:
    """An assignment whose work package and option exist, priced again from the scenario (never trusted)."""

    assignment: Assignment
    wp: WorkPackage
    priced: Priced

    @property
    def option(self) -> Option:
        return self.priced.option

    @property
    def institution(self) -> str | None:
        """Who executes it: the option's institution."""
        return self.priced.institution

    @property
    def cost_reporting(self) -> float:
        return self.priced.cost_reporting

    @property
    def funding_years(self) -> dict[str, dict[int, float]]:
        return self.priced.funding_years


class Context:
    """The prepared problem and the plan's assignments, resolved and priced once for all rules."""

    def __init__(self, scenario: Scenario | PreparedProblem, plan: Plan) -> None:
        self.p = prepare(scenario)
        self.s = self.p.scenario
        self.plan = plan
        self.cal = self.p.calendar
        self.catalogue = self.p.catalogue
        self.money = self.p.money
        self.wps = self.p.work_packages
        self.institutions = self.p.institutions
        self.funders = self.p.funders
        self.programs = self.p.programs
        self.groups = self.p.groups
        # Later duplicates are reported once ("duplicate") and otherwise ignored.
        self.first: dict[str, Assignment] = {}
        for a in plan.assignments:
            if a.work_package in self.wps:
                self.first.setdefault(a.work_package, a)
        self.placed: list[Placed] = []
        for wp_id, a in self.first.items():
            option = self.p.option(wp_id, a.option)
            if option is not None:
                self.placed.append(self.place(a, self.wps[wp_id], option))

    @property
    def priced(self) -> list[Priced]:
        """The placed assignments' prices, for the pricing path's totals."""
        return [x.priced for x in self.placed]

    def place(self, a: Assignment, wp: WorkPackage, option: Option) -> Placed:
        """Price an assignment from the scenario on the one pricing path."""
        priced = price_assignment(self.p, a)
        assert priced is not None  # the caller found its work package and option
        return Placed(a, wp, priced)

    def funder_currency(self, funder: Funder) -> str | None:
        """Currency a funder pays and is capped in."""
        return self.money.funder_currency[funder.id]

    def country_of(self, institution: str | None) -> str | None:
        """Country of an institution, if it is known."""
        return self.p.country_of(institution)

    def until(self, month: str) -> int:
        """Latest end (exclusive period) that still finishes by the end of a month."""
        return self.cal.period_of(month) + 1


__all__ = ["ABS_TOL", "FIELD_ABS_TOL", "REL_TOL", "Context", "Placed", "Violation", "convert_years", "year_amounts"]
