"""Bounds without a solver hold for every plan: never better than a proven optimum."""

from __future__ import annotations

import pytest

from planner.construct.bounds import term_bounds
from planner.cpsat import solve
from planner.domain.settings import SolverSettings
from planner.problem.prepared import prepare
from planner.problem.validate import load_scenario
from tests.conftest import SCENARIOS, scenario, wps


@pytest.mark.parametrize("name", ["minimal.yaml", "all-features.yaml"])
def test_bounds_are_never_better_than_the_optimum(name: str) -> None:
    s = load_scenario(SCENARIOS / name)
    plan = solve(s, SolverSettings(time_limit_s=60, workers=1, reproducible=True))
    bounds = term_bounds(prepare(s), plan.objective["value"])  # value ranks before cost in both
    for term, value in plan.objective.items():
        if term == "value":
            assert bounds[term] >= value - 1e-6
        else:
            assert bounds[term] <= value + 1e-6, term


def test_value_counts_one_member_per_overlap_group_and_lateness_follows_the_chains() -> None:
    s = scenario(
        work_packages=wps(
            {"id": "W1", "mandatory": False, "value": 5},
            {"id": "W2", "mandatory": False, "value": 9},
            {"id": "W3", "mandatory": False, "value": 4},
            {"id": "W4", "duration": 6, "due": "2025-03"},  # 6 periods from January: 3 late at least
        ),
        overlap_groups=[{"id": "g", "members": ["W1", "W2"]}],
    )
    bounds = term_bounds(prepare(s))
    assert bounds["value"] == 13 and bounds["lateness"] == 3


def test_the_cost_bound_for_a_value_buys_that_value_cheapest_first() -> None:
    s = scenario(
        work_packages=wps(
            {"id": "W1", "mandatory": False, "value": 5, "effort_pm": 4},  # 5 for 400 (institution a)
            {"id": "W2", "mandatory": False, "value": 9, "effort_pm": 8},  # 9 for 800: dearer per unit of value
            {"id": "W3"},
        ),
        objective={"priorities": ["value", "cost"]},
    )
    p = prepare(s)
    plain, for_nine = term_bounds(p)["cost"], term_bounds(p, 9)["cost"]
    assert plain == 400  # W3, the work every plan holds
    assert for_nine == pytest.approx(400 + 400 + 800 * 4 / 9)  # all of W1, then 4/9 of W2's value
    assert term_bounds(p, 0)["cost"] == plain
