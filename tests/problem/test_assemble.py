"""Why work is left out: "not worth it" only when a proven value stage says so (issue 16, finding 2)."""

from __future__ import annotations

from planner.cpsat.solver import _value_proven
from planner.domain.plan import Stage, Status
from planner.problem.assemble import left_out
from planner.problem.prepared import prepare
from tests.conftest import scenario, wps


def test_optional_work_is_not_worth_it_only_when_the_value_stage_was_proven() -> None:
    p = prepare(scenario(work_packages=wps({"id": "W1"}, {"id": "W2", "mandatory": False, "value": 3})))
    [proven] = left_out(p, {"W1"}, proven=True)
    [unproven] = left_out(p, {"W1"}, proven=False)
    assert proven.work_package == unproven.work_package == "W2"
    assert "not worth its cost and capacity" in proven.reason
    assert "not planned within the time limit" in unproven.reason and "not worth" not in unproven.reason


def test_the_value_stage_decides_only_when_it_and_every_stage_before_it_are_optimal() -> None:
    names = ["lateness", "value", "cost"]
    optimal, feasible = Status.optimal, Status.feasible
    assert _value_proven([Stage(term="lateness", status=optimal), Stage(term="value", status=optimal)], names)
    assert not _value_proven([Stage(term="lateness", status=feasible), Stage(term="value", status=optimal)], names)
    assert not _value_proven([Stage(term="lateness", status=optimal)], names)  # the value stage did not run
    assert _value_proven([], ["lateness", "cost"])  # value is no priority: leaving work out follows from them
