"""What a work package costs, when the money falls, and who pays it: shared by plans and reports.

Cost is spread evenly over the periods a work package runs; each period's part falls in that
period's year and converts between currencies at that year's rate.
"""

from __future__ import annotations

from planner.problem.calendar import Calendar, Money
from planner.problem.options import Option


def year_fractions(cal: Calendar, start: int, duration: int) -> dict[int, float]:
    """Fraction of a work package's cost that falls in each year (all in the start year if it takes no time)."""
    if duration <= 0:
        return {cal.year_of(min(start, max(cal.horizon - 1, 0))): 1.0}
    return {y: n / duration for y, n in cal.periods_per_year(start, duration).items()}


def yearly_cost(
    cal: Calendar, money: Money, option: Option, start: int, duration: int, currency: str | None
) -> dict[int, float]:
    """Option cost per year, converted to `currency`."""
    return {
        y: money.convert(option.cost * frac, option.currency, currency, y)
        for y, frac in year_fractions(cal, start, duration).items()
    }


def yearly_funding(
    cal: Calendar, money: Money, option: Option, start: int, duration: int, funder: str | None
) -> dict[str, dict[int, float]]:
    """What each funder pays per year (in its currency): explicit draws, or the cost paid by `funder`."""
    fractions = year_fractions(cal, start, duration)
    if option.funding is not None:
        return {f: {y: amt * frac for y, frac in fractions.items()} for f, amt in option.funding.items() if amt > 0}
    if funder is None:
        return {}
    return {funder: yearly_cost(cal, money, option, start, duration, money.funder_currency[funder])}
