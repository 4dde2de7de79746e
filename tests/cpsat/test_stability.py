"""Stable re-planning: with a baseline the plan moves only for a gain beyond the tolerance; the past stays."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from planner.check import check_plan
from planner.cpsat import solve
from planner.cpsat.stability import TOLERANCE
from planner.domain.settings import SolverSettings
from planner.report.compare import compare
from tests.conftest import TINY, scenario

if TYPE_CHECKING:
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario

EXACT = SolverSettings(time_limit_s=20, workers=1, reproducible=True)  # deterministic: no clock decides


def tiny(rate_b: float) -> Scenario:
    """TINY with cost the only priority, and institution b at `rate_b` per person-month (a is at 100)."""
    institutions: list[dict[str, Any]] = [dict(i) for i in TINY["institutions"]]
    institutions[1]["rate_per_pm"] = rate_b
    return scenario(institutions=institutions, objective={"priorities": ["cost"]})


def at(plan: Plan) -> set[str | None]:
    return {a.institution for a in plan.assignments}


@pytest.fixture(scope="module")
def baseline() -> Plan:
    plan = solve(tiny(90), EXACT)  # b is cheaper: everything at b
    assert plan.found and at(plan) == {"b"}
    return plan


def test_an_unchanged_scenario_moves_nothing(baseline: Plan) -> None:
    s = tiny(90)
    again = solve(s, EXACT, baseline=baseline)
    assert compare(s, baseline, s, again).changes == ()
    assert again.solver is not None and again.solver.stages[-1].term == "stability"
    assert again.solver.stages[-1].value == 0


def test_a_change_within_the_tolerance_moves_nothing_and_one_beyond_it_moves(baseline: Plan) -> None:
    # b 1 % dearer than a: within 2 %, the plan stays at b (its cost within the tolerance of the best)
    near = tiny(101)
    kept = solve(near, EXACT, baseline=baseline)
    assert at(kept) == {"b"} and check_plan(near, kept) == []
    fresh = solve(near, EXACT)
    assert at(fresh) == {"a"}  # without the baseline the cheapest institution wins
    assert kept.objective["cost"] <= fresh.objective["cost"] * (1 + TOLERANCE) + 1e-6
    assert kept.status.value == "feasible"  # it gave up some cost: not claimed optimal
    # b 10 % dearer: beyond the tolerance, the work moves to a
    far = tiny(110)
    moved = solve(far, EXACT, baseline=baseline)
    assert at(moved) == {"a"}


def test_work_started_before_today_is_frozen(baseline: Plan) -> None:
    far = tiny(110)
    first = min(baseline.assignments, key=lambda a: a.start)
    plan = solve(far, EXACT, baseline=baseline, today="2025-02")  # the first work package started in January
    held = plan.assignment(first.work_package)
    assert held is not None and (held.institution, held.start, held.end) == (first.institution, first.start, first.end)


def test_no_tolerance_keeps_every_priority_at_its_best_and_breaks_ties_towards_the_baseline(baseline: Plan) -> None:
    # b 1 % dearer: within the usual tolerance the plan stays at b; with none, cost decides and the work moves
    near = tiny(101)
    strict = solve(near, EXACT, baseline=baseline, tolerance=0.0)
    assert at(strict) == {"a"} and check_plan(near, strict) == []
    assert strict.objective["cost"] == solve(near, EXACT).objective["cost"]
    assert strict.status.value == "optimal"
    # as cheap at either: the work stays where the baseline has it, in the same months
    tied = solve(tiny(100), EXACT, baseline=baseline, tolerance=0.0)
    assert [(a.institution, a.start, a.end) for a in tied.assignments] == [
        (a.institution, a.start, a.end) for a in baseline.assignments
    ]
