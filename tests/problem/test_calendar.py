"""The calendar: months, periods and years of a time grid, including grids that do not start in January."""

from __future__ import annotations

import pytest

from planner.domain.scenario import TimeGrid
from planner.problem.calendar import Calendar, calendar_of, month_number, month_text

# Quarters from February: 2025-02..04, 05..07, 08..10, 2025-11..2026-01, 2026-02..04, 05..07
QUARTERS = Calendar(TimeGrid(start="2025-02", periods=6, period="quarter"))
# Months from November: 2025-11, 2025-12, 2026-01
MONTHS = Calendar(TimeGrid(start="2025-11", periods=3))
# Years from July: 2025-07..2026-06, 2026-07..2027-06, 2027-07..2028-06
YEARS = Calendar(TimeGrid(start="2025-07", periods=3, period="year"))


@pytest.mark.parametrize("month", ["2025-01", "2025-12", "2026-01", "0001-06", "9999-12"])
def test_month_number_and_text_round_trip(month: str) -> None:
    assert month_text(month_number(month)) == month


def test_month_number_counts_across_the_new_year() -> None:
    assert month_number("2026-01") - month_number("2025-12") == 1
    assert month_text(month_number("2025-12") + 1) == "2026-01"


@pytest.mark.parametrize(
    ("month", "period"),
    [("2025-02", 0), ("2025-04", 0), ("2025-05", 1), ("2026-01", 3), ("2026-02", 4), ("2025-01", -1), ("2026-08", 6)],
)
def test_period_of_a_month_including_outside_the_horizon(month: str, period: int) -> None:
    assert QUARTERS.period_of(month) == period


@pytest.mark.parametrize(
    ("period", "first", "last"), [(0, "2025-02", "2025-01"), (1, "2025-05", "2025-04"), (4, "2026-02", "2026-01")]
)
def test_start_month_and_last_month_before_an_end(period: int, first: str, last: str) -> None:
    assert QUARTERS.start_month(period) == first
    assert QUARTERS.last_month(period) == last  # work ending (exclusive) at `period` ends the month before it starts


def test_a_period_belongs_to_the_year_of_its_first_month() -> None:
    assert [QUARTERS.year_of(p) for p in range(6)] == [2025, 2025, 2025, 2025, 2026, 2026]  # 2025-11..2026-01 is 2025
    assert [YEARS.year_of(p) for p in range(3)] == [2025, 2026, 2027]
    assert YEARS.start_month(1) == "2026-07" and YEARS.last_month(1) == "2026-06"


def test_years_touched_by_the_horizon() -> None:
    assert QUARTERS.years == [2025, 2026]
    assert MONTHS.years == [2025, 2026]
    assert YEARS.years == [2025, 2026, 2027]
    assert Calendar(TimeGrid(start="2025-01", periods=12)).years == [2025]


def test_year_span_in_periods_and_empty_outside() -> None:
    assert QUARTERS.year_span(2025) == (0, 4)
    assert QUARTERS.year_span(2026) == (4, 6)
    assert MONTHS.year_span(2025) == (0, 2)
    assert MONTHS.year_span(2026) == (2, 3)
    assert QUARTERS.year_span(2024) == (0, 0)
    assert QUARTERS.year_span(2027) == (0, 0)


def test_periods_per_year_splits_work_at_the_year_boundary() -> None:
    assert QUARTERS.periods_per_year(2, 3) == {2025: 2, 2026: 1}
    assert QUARTERS.periods_per_year(0, 4) == {2025: 4}
    assert MONTHS.periods_per_year(0, 3) == {2025: 2, 2026: 1}
    assert QUARTERS.periods_per_year(3, 0) == {}


def test_periods_per_year_counts_past_the_horizon() -> None:
    assert MONTHS.periods_per_year(2, 13) == {2026: 12, 2027: 1}


def test_calendar_of_is_built_once_per_grid() -> None:
    first = calendar_of(TimeGrid(start="2025-02", periods=6, period="quarter"))
    assert first is calendar_of(TimeGrid(start="2025-02", periods=6, period="quarter"))
    assert first is not calendar_of(TimeGrid(start="2025-02", periods=7, period="quarter"))
    assert first.years == QUARTERS.years
