"""The one pricing path: what a work package costs, when its money falls, who pays it, and the plan's totals.

Plan rows (assembly), the checker's recomputation, KPI cards, budget tables and charts all price
work here, so they agree to the cent. Two conversions exist and each figure names its own:

- **planning rates** (`cost_reporting`, the cost objective, program shares, KPI cost cards): an
  amount in the reporting currency at its currency's mean rate over the horizon, so a plan never
  moves work to exploit an exchange-rate forecast;
- **rates of the year** (funder payments and caps, budget tables by year): each year's part of
  the money converts at that year's rate, as a budget is actually spent.

Cost is spread evenly over the periods a work package runs; each period's part falls in that
period's year. Work that takes no time puts everything in the year it starts.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from planner.domain.plan import Assignment, Plan
    from planner.problem.calendar import Calendar
    from planner.problem.money import Money
    from planner.problem.options import Option
    from planner.problem.prepared import PreparedProblem


def year_amounts(cal: Calendar, amount: float, start: int, end: int) -> dict[int, float]:
    """Split an amount evenly over the periods [start, end) and sum it by calendar year.

    Work of no duration puts everything in the year of `start` (clamped to the horizon's last period).
    """
    return {y: amount * share for y, share in _year_shares(cal, start, end)}


@functools.lru_cache(maxsize=65_536)
def _year_shares(cal: Calendar, start: int, end: int) -> tuple[tuple[int, float], ...]:
    """(year, fraction of the run in it) for a run over [start, end); computed once per calendar and run."""
    duration = end - start
    if duration <= 0:
        return ((cal.year_of(min(start, max(cal.horizon - 1, 0))), 1.0),)
    return tuple((y, n / duration) for y, n in cal.periods_per_year(start, duration).items())


def convert_years(money: Money, parts: dict[int, float], source: str | None, target: str | None) -> dict[int, float]:
    """Convert yearly parts from one currency to another, each at its own year's rate."""
    return {y: money.convert(x, source, target, y) for y, x in parts.items()}


@dataclass(frozen=True)
class Priced:
    """One work package run by an option over [start, end), with its money worked out."""

    work_package: str
    option: Option
    start: int
    end: int
    cost_reporting: float
    """Cost in the reporting currency at planning rates."""
    cost_years: dict[int, float]
    """Cost per year in the option's currency."""
    funding_years: dict[str, dict[int, float]]
    """What each paying funder pays per year, in the funder's currency."""

    @property
    def institution(self) -> str | None:
        """Who executes it: the option's institution."""
        return self.option.institution

    @property
    def load_pm(self) -> float:
        """Person-months per period while it runs."""
        return self.option.load_pm(self.end - self.start)

    def funding_total(self, funder: str) -> float:
        """What a funder pays for it in all, in the funder's currency."""
        return sum(self.funding_years.get(funder, {}).values())


def payers_of(option: Option, funder: str | None) -> list[str] | None:
    """Who pays a run of `option` decided with `funder`: None for the option's fixed draws, else that funder (or nobody)."""
    if option.funding is not None:
        return None
    return [funder] if funder else []


def price(p: PreparedProblem, option: Option, start: int, end: int, payers: Collection[str] | None) -> Priced:
    """Price an option run over [start, end); `payers` are the funders that pay it (None: every draw of the option).

    An option with fixed draws (`funding`) pays each listed funder its draw, spread over the run;
    otherwise each payer pays the whole cost, converted into its currency at each year's rate (a plan
    names exactly one such payer; the checker flags more).
    """
    cal, money = p.calendar, p.money
    cost_years = year_amounts(cal, option.cost, start, end)
    funding: dict[str, dict[int, float]] = {}
    if option.funding is not None:
        for f, amount in option.funding.items():
            if amount > 0 and (payers is None or f in payers):
                funding[f] = year_amounts(cal, amount, start, end)
    else:
        for f in payers or ():
            if f in p.funders:
                funding[f] = convert_years(money, cost_years, option.currency, money.funder_currency[f])
    return Priced(
        work_package=option.work_package,
        option=option,
        start=start,
        end=end,
        cost_reporting=money.to_reporting(option.cost, option.currency),
        cost_years=cost_years,
        funding_years=funding,
    )


# ---------------------------------------------------------------- a plan's totals


def running(p: PreparedProblem, item: Priced) -> range:
    """Periods of the horizon in which a priced run takes place."""
    return range(max(0, item.start), min(p.calendar.horizon, item.end))


def institution_load(p: PreparedProblem, items: Iterable[Priced]) -> dict[tuple[str, int], float]:
    """Person-months each institution spends in each period of the horizon, by (institution, period)."""
    load: dict[tuple[str, int], float] = defaultdict(float)
    for item in items:
        if item.institution is not None:
            for t in running(p, item):
                load[item.institution, t] += item.load_pm
    return load


def facility_use(p: PreparedProblem, items: Iterable[Priced]) -> dict[tuple[str, int], float]:
    """Units of each facility used in each period of the horizon, by (facility, period)."""
    use: dict[tuple[str, int], float] = defaultdict(float)
    for item in items:
        for fac, units in item.option.facilities.items():
            for t in running(p, item):
                use[fac, t] += units
    return use


def paid_by_year(items: Iterable[Priced]) -> dict[str, dict[int, float]]:
    """What each funder pays, by year, in its own currency."""
    out: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for item in items:
        for f, years in item.funding_years.items():
            for y, x in years.items():
                out[f][y] += x
    return out


def cost_by_country(p: PreparedProblem, items: Iterable[Priced]) -> dict[str, float]:
    """Cost in the reporting currency at planning rates, by the executing institution's country ('' for none).

    These add up to the cost objective; KPI cards show them.
    """
    out: dict[str, float] = defaultdict(float)
    for item in items:
        out[p.country_of(item.institution) or ""] += item.cost_reporting
    return out


def cost_by_country_year(p: PreparedProblem, items: Iterable[Priced]) -> dict[tuple[str | None, int], float]:
    """Cost in the reporting currency at each year's rate, by (country, year), for budget tables against caps."""
    money = p.money
    out: dict[tuple[str | None, int], float] = defaultdict(float)
    for item in items:
        country = p.country_of(item.institution)
        for y, x in convert_years(money, item.cost_years, item.option.currency, money.reporting).items():
            out[country, y] += x
    return out


# ---------------------------------------------------------------- a plan's assignments


def price_assignment(p: PreparedProblem, a: Assignment) -> Priced | None:
    """An assignment priced again from the scenario (its own figures are never trusted); None if its
    work package or option is unknown. It is paid by the funders it names, or by nobody where its
    program has no funders and its option no draws."""
    wp = p.work_packages.get(a.work_package)
    option = p.option(a.work_package, a.option) if wp else None
    if wp is None or option is None:
        return None
    program = p.programs.get(wp.program)
    if option.funding is None and (program is None or not program.funders):
        payers: list[str] = []
    else:
        payers = [f for f in a.funding if f in p.funders]
    return price(p, option, a.start, a.end, payers)


def price_plan(p: PreparedProblem, plan: Plan) -> list[Priced]:
    """Every assignment of a plan priced (the first of a work package assigned twice; unknown ones skipped)."""
    seen: set[str] = set()
    out = []
    for a in plan.assignments:
        if a.work_package in seen:
            continue
        priced = price_assignment(p, a)
        if priced is not None:
            seen.add(a.work_package)
            out.append(priced)
    return out
