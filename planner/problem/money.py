"""Money: currencies, yearly exchange rates and planning rates for one scenario."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.problem.calendar import calendar_of

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario


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
        self.years = calendar_of(scenario.time).years
        self._planning: dict[str | None, float] = {}
        self.funder_currency = {
            f.id: f.currency or (self.country_currency.get(f.country) if f.country else None) for f in scenario.funders
        }

    def rate(self, currency: str | None, year: int) -> float:
        """Value of one unit of `currency` in the reporting currency in a year."""
        if currency is None or currency == self.reporting or currency not in self.rates:
            return 1.0
        return nearest_year_value(self.rates[currency], year, 1.0)

    def planning_rate(self, currency: str | None) -> float:
        """Mean over the horizon's years of a currency's value in the reporting currency (computed once per currency)."""
        if currency not in self._planning:
            self._planning[currency] = sum(self.rate(currency, y) for y in self.years) / len(self.years)
        return self._planning[currency]

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


def amount_text(amount: float, currency: str | None, decimals: int = 0) -> str:
    """An amount of money for a message or a table cell: thousands separators and its currency."""
    text = f"{amount:,.{decimals}f}"
    return f"{text} {currency}" if currency else text
