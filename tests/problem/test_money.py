"""Money: yearly rates to the reporting currency, planning rates over the horizon, conversions between currencies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from planner.problem.money import Money, nearest_year_value
from tests.conftest import scenario

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario

# Two years of horizon; BYN halves in 2026, RUB has a single listed year, USD is the reporting currency.
CURRENCIES: dict[str, Any] = {
    "countries": [
        {"id": "BY", "name": "Беларусь", "currency": "BYN"},
        {"id": "RU", "name": "Россия", "currency": "RUB"},
    ],
    "currencies": {"reporting": "USD", "rates": {"BYN": {2025: 0.5, 2026: 0.25}, "RUB": {2025: 0.01}}},
    "funders": [
        {"id": "own", "currency": "USD", "country": "BY"},
        {"id": "by_country", "country": "RU"},
        {"id": "joint", "pays": ["BY", "RU"]},
    ],
}


def money(periods: int = 24, **changes: Any) -> Money:
    s: Scenario = scenario(time={"start": "2025-01", "periods": periods}, **{**CURRENCIES, **changes})
    return Money(s)


@pytest.mark.parametrize(
    ("currency", "year", "rate"),
    [
        ("BYN", 2025, 0.5),
        ("BYN", 2026, 0.25),
        ("BYN", 2030, 0.25),  # after the listed years: the nearest one
        ("BYN", 2020, 0.5),  # before them: the nearest one
        ("RUB", 2026, 0.01),
        ("USD", 2025, 1.0),  # the reporting currency
        ("EUR", 2025, 1.0),  # no rate listed
        (None, 2025, 1.0),  # no currency
    ],
)
def test_rate_of_a_currency_in_a_year(currency: str | None, year: int, rate: float) -> None:
    assert money().rate(currency, year) == pytest.approx(rate)


def test_planning_rate_is_the_mean_over_the_horizons_years() -> None:
    assert money().planning_rate("BYN") == pytest.approx((0.5 + 0.25) / 2)
    assert money(periods=12).planning_rate("BYN") == pytest.approx(0.5)  # the horizon is 2025 only
    assert money().planning_rate("RUB") == pytest.approx(0.01)
    assert money().planning_rate("USD") == 1.0


def test_to_reporting_uses_the_planning_rate() -> None:
    assert money().to_reporting(1000, "BYN") == pytest.approx(375.0)
    assert money().to_reporting(1000, None) == 1000


@pytest.mark.parametrize(
    ("amount", "source", "target", "year", "converted"),
    [
        (100, "BYN", "RUB", 2025, 100 * 0.5 / 0.01),
        (100, "BYN", "RUB", 2026, 100 * 0.25 / 0.01),
        (100, "BYN", "USD", 2026, 25.0),
        (10, "USD", "BYN", 2026, 40.0),
        (100, "BYN", None, 2025, 50.0),
        (100, "BYN", "BYN", 2026, 100.0),
    ],
)
def test_convert_at_the_rate_of_the_year(
    amount: float, source: str | None, target: str | None, year: int, converted: float
) -> None:
    assert money().convert(amount, source, target, year) == pytest.approx(converted)


@pytest.mark.parametrize(
    ("source", "target", "varies"),
    [
        ("BYN", "RUB", True),
        ("RUB", "BYN", True),
        ("BYN", "USD", True),
        ("RUB", "USD", False),  # one listed year: the same rate every year
        ("BYN", "BYN", False),
        (None, "RUB", False),
        ("EUR", "USD", False),
    ],
)
def test_varies_when_either_rate_changes_over_the_years(source: str | None, target: str | None, varies: bool) -> None:
    assert money().varies(source, target) is varies


def test_funder_currency_is_its_own_else_its_countrys() -> None:
    assert money().funder_currency == {"own": "USD", "by_country": "RUB", "joint": None}


def test_without_a_currencies_section_everything_is_one_currency() -> None:
    m = Money(scenario())
    assert m.reporting is None
    assert m.rate("BYN", 2025) == 1.0
    assert m.convert(7.0, "BYN", "RUB", 2025) == 7.0
    assert not m.varies("BYN", "RUB")


def test_nearest_year_value() -> None:
    table = {2024: 1.0, 2026: 3.0}
    assert nearest_year_value(table, 2026, 0.0) == 3.0
    assert nearest_year_value(table, 2030, 0.0) == 3.0
    assert nearest_year_value(table, 2025, 0.0) == 1.0  # a tie goes to the earlier year
    assert nearest_year_value({}, 2025, 9.0) == 9.0
