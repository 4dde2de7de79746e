"""Time and money helpers shared by the builder, the checker and the reports.

Periods are numbered from 0 at `time.start`; a period belongs to the year of its first month.
"""

from __future__ import annotations

from functools import cached_property

from planner.domain.scenario import Scenario, TimeGrid


def month_number(month: str) -> int:
    """Months since year 0 for a 'YYYY-MM' string."""
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def month_text(number: int) -> str:
    """The 'YYYY-MM' string of a month number."""
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


class Calendar:
    """Converts between months, periods and years for one time grid."""

    def __init__(self, time: TimeGrid) -> None:
        self.time = time
        self.step = time.period.months
        self.origin = month_number(time.start)
        self.horizon = time.periods

    def period_of(self, month: str) -> int:
        """Index of the period containing a month (may lie outside the horizon)."""
        return (month_number(month) - self.origin) // self.step

    def start_month(self, period: int) -> str:
        """First month of a period."""
        return month_text(self.origin + period * self.step)

    def last_month(self, end: int) -> str:
        """Last month of the work that ends (exclusive) at period `end`."""
        return month_text(self.origin + end * self.step - 1)

    def year_of(self, period: int) -> int:
        """Calendar year a period belongs to."""
        return (self.origin + period * self.step) // 12

    @cached_property
    def years(self) -> list[int]:
        """Calendar years touched by the horizon, in order."""
        return sorted({self.year_of(p) for p in range(self.horizon)})

    def year_span(self, year: int) -> tuple[int, int]:
        """Periods [first, last+1) of a year within the horizon; empty if outside."""
        ps = [p for p in range(self.horizon) if self.year_of(p) == year]
        return (ps[0], ps[-1] + 1) if ps else (0, 0)

    def periods_per_year(self, start: int, duration: int) -> dict[int, int]:
        """How many periods of [start, start+duration) fall in each year."""
        out: dict[int, int] = {}
        for p in range(start, start + duration):
            y = self.year_of(p)
            out[y] = out.get(y, 0) + 1
        return out


def nearest_year_value(table: dict[int, float], year: int, default: float) -> float:
    """Value for a year from a by-year table: that year, else the nearest listed year, else default."""
    if not table:
        return default
    if year in table:
        return table[year]
    nearest = min(table, key=lambda y: (abs(y - year), y))
    return table[nearest]


class Money:
    """Currency conversion with yearly rates to the reporting currency.

    Payments convert at the rate of the year they fall in (`convert`). Comparisons of cost across
    institutions — the cost objective, program shares, `cost_reporting` — use each currency's
    planning rate, the mean of its yearly rates over the horizon (`to_reporting`), so a plan never
    moves work to exploit an exchange-rate forecast.
    """

    def __init__(self, scenario: Scenario) -> None:
        cur = scenario.currencies
        self.reporting = cur.reporting if cur else None
        self.rates = dict(cur.rates) if cur else {}
        self.country_currency = {c.id: c.currency for c in scenario.countries}
        self.years = Calendar(scenario.time).years
        self.funder_currency = {
            f.id: f.currency or (self.country_currency.get(f.country) if f.country else None) for f in scenario.funders
        }

    def rate(self, currency: str | None, year: int) -> float:
        """Value of one unit of `currency` in the reporting currency in a year."""
        if currency is None or currency == self.reporting or currency not in self.rates:
            return 1.0
        return nearest_year_value(self.rates[currency], year, 1.0)

    def planning_rate(self, currency: str | None) -> float:
        """Mean over the horizon's years of a currency's value in the reporting currency."""
        return sum(self.rate(currency, y) for y in self.years) / len(self.years)

    def to_reporting(self, amount: float, currency: str | None) -> float:
        """An amount in the reporting currency at its currency's planning rate."""
        return amount * self.planning_rate(currency)

    def convert(self, amount: float, source: str | None, target: str | None, year: int) -> float:
        """An amount in `source` currency expressed in `target` currency in a year."""
        if source == target:
            return amount
        return amount * self.rate(source, year) / self.rate(target, year)

    def varies(self, source: str | None, target: str | None) -> bool:
        """Whether converting source → target depends on the year."""
        if source == target:
            return False
        return any(len(set(self.rates.get(c, {}).values())) > 1 for c in (source, target) if c)
