"""Time: months, periods and years for one time grid.

Periods are numbered from 0 at `time.start`; a period belongs to the year of its first month.
"""

from __future__ import annotations

import functools
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.domain.scenario import TimeGrid, WorkPackage


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

    @cached_property
    def _spans(self) -> dict[int, tuple[int, int]]:
        spans: dict[int, tuple[int, int]] = {}
        for p in range(self.horizon):
            first, _ = spans.get(self.year_of(p), (p, p))
            spans[self.year_of(p)] = (first, p + 1)
        return spans

    def year_span(self, year: int) -> tuple[int, int]:
        """Periods [first, last+1) of a year within the horizon; empty if outside (computed once per calendar)."""
        return self._spans.get(year, (0, 0))

    def periods_per_year(self, start: int, duration: int) -> dict[int, int]:
        """How many periods of [start, start+duration) fall in each year (also beyond the horizon)."""
        out: dict[int, int] = {}
        p, stop = start, start + duration
        while p < stop:
            y = self.year_of(p)
            # the first period of the next year: months since year 0 of its January, back to a period index
            next_year = -((self.origin - (y + 1) * 12) // self.step)
            q = min(stop, max(next_year, p + 1))
            out[y] = out.get(y, 0) + q - p
            p = q
        return out


@functools.lru_cache(maxsize=64)
def calendar_of(time: TimeGrid) -> Calendar:
    """The calendar of a time grid, built once per grid (time grids are immutable and hashable)."""
    return Calendar(time)


def own_window(cal: Calendar, wp: WorkPackage) -> tuple[int, int]:
    """(earliest start, latest end) of a work package from its own earliest start, hard deadline and the horizon."""
    earliest = max(0, cal.period_of(wp.earliest_start)) if wp.earliest_start else 0
    latest_end = cal.horizon
    if wp.deadline:
        latest_end = min(latest_end, cal.period_of(wp.deadline) + 1)
    return earliest, latest_end
