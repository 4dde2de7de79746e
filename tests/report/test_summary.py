"""The scenario summary: counts that a reader of the demo file can verify by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from planner.problem.validate import load_scenario
from planner.report.summary import Summary, summarize, summary_tables
from tests.conftest import SCENARIOS

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario


@pytest.fixture(scope="module")
def demo() -> Summary:
    return summarize(load_scenario(SCENARIOS / "belarus-tomsk-2025-2030.yaml"))


def test_demo_counts(demo: Summary) -> None:
    assert demo.work_packages == 65
    assert len(demo.programs) == 7
    assert sum(p.work_packages for p in demo.programs) == 65
    assert demo.institutions == 22
    assert {c.id: len(c.institutions) for c in demo.countries} == {"BY": 12, "RU": 10}
    assert [g.id for g in demo.overlap_groups] == [
        "flight-controller",
        "gan-epitaxy",
        "composite-body",
        "biodegradable-implants",
    ]
    assert demo.overlap_groups[0].members == ("U-02", "U-03")
    assert [f.id for f in demo.funders] == ["by-budget", "ru-tomsk", "union-state"]


def test_demo_programs_and_funders(demo: Summary) -> None:
    uav = next(p for p in demo.programs if p.id == "uav")
    assert (uav.work_packages, uav.mandatory, uav.effort_pm) == (13, 7, 222.0)
    assert uav.funders == ("by-budget", "ru-tomsk")
    union = next(f for f in demo.funders if f.id == "union-state")
    assert union.country is None and union.pays == ("BY", "RU") and union.total == 110e6
    assert union.currency == "RUB" and union.shares == {"RU": 0.65, "BY": 0.35}
    by = next(f for f in demo.funders if f.id == "by-budget")
    assert by.pays == ("BY",) and by.currency == "BYN" and by.cap_per_year[2026] == 1.1e6


def test_demo_horizon_and_capacity(demo: Summary) -> None:
    h = demo.horizon
    assert (h.first_month, h.last_month, h.periods, h.period) == ("2025-01", "2030-12", 72, "month")
    assert h.years == (2025, 2026, 2027, 2028, 2029, 2030)
    by = next(c for c in demo.countries if c.id == "BY")
    assert by.capacity_pm == 60 == sum(i.capacity_pm for i in by.institutions)
    # BSUIR (6 PM; 4 in 2025), INTEGRAL (8; 5) and Polytechnic (5; 3) ramp up
    assert by.capacity_pm_by_year[2025] == 60 - 2 - 3 - 2
    assert by.capacity_pm_by_year[2030] == 60


def test_tiny_scenario(tiny_scenario: Scenario) -> None:
    s = summarize(tiny_scenario)
    assert (s.work_packages, s.institutions, s.mandatory, s.effort_pm) == (2, 2, 2, 8.0)
    assert s.overlap_groups == () and s.funders == ()
    assert s.horizon.last_month == "2025-12"


def test_tables(demo: Summary) -> None:
    tables = summary_tables(demo)
    assert set(tables) == {"programs", "countries", "institutions", "overlap_groups", "funders"}
    assert len(tables["programs"]) == 7 and tables["programs"]["work_packages"].sum() == 65
    assert len(tables["institutions"]) == 22
    assert tables["institutions"].groupby("country").size().to_dict() == {"BY": 12, "RU": 10}
    assert list(tables["countries"].columns[-6:]) == [str(y) for y in range(2025, 2031)]
    assert tables["overlap_groups"]["members"].iloc[0] == "U-02, U-03"


def test_tables_of_an_empty_part(tiny_scenario: Scenario) -> None:
    tables = summary_tables(summarize(tiny_scenario))
    assert tables["funders"].empty and "funder" in tables["funders"].columns
    assert tables["overlap_groups"].empty
