"""The constructive plan: every rule it tracks kept, on the shipped scenarios and generated programs of every size."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest
from ortools.sat.python import cp_model

from planner.check import check_plan
from planner.construct.serial import Builder as Builder_
from planner.construct.serial import _place_all, construct
from planner.cpsat.constraints import add_rules
from planner.cpsat.model import Builder
from planner.cpsat.solver import _hint_decisions
from planner.domain.plan import Plan, Status
from planner.importers.synthetic import generate
from planner.problem.assemble import Decision, assignments
from planner.problem.prepared import prepare
from planner.problem.validate import load_scenario
from tests.conftest import SCENARIOS, scenario, wps

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario


def as_plan(s: Scenario, decisions: list[Decision]) -> Plan:
    return Plan(
        scenario=s.name, scenario_digest="-", status=Status.feasible, assignments=assignments(prepare(s), decisions)
    )


@pytest.mark.parametrize("name", ["minimal.yaml", "all-features.yaml", "belarus-tomsk-2025-2030.yaml"])
def test_the_shipped_scenarios_get_a_checked_plan(name: str) -> None:
    s = load_scenario(SCENARIOS / name)
    decisions = construct(prepare(s))
    assert decisions is not None
    assert [str(v) for v in check_plan(s, as_plan(s, decisions))] == []


@pytest.mark.parametrize(("wps_", "institutions", "seed"), [(100, 12, 0), (300, 24, 1), (600, 40, 2)])
def test_generated_programs_get_a_checked_plan(wps_: int, institutions: int, seed: int) -> None:
    s = generate(wps_, institutions, seed=seed).scenario  # with the caps, shares, deadlines and pins derived
    decisions = construct(prepare(s))
    assert decisions is not None
    assert [str(v) for v in check_plan(s, as_plan(s, decisions))] == []
    done = {d.work_package for d in decisions}
    assert all(w.id in done for w in s.work_packages if w.mandatory)


def test_optional_work_is_added_where_it_fits_and_its_group_allows() -> None:
    s = scenario(
        work_packages=wps(
            {"id": "W1", "mandatory": False, "value": 5},
            {"id": "W2", "mandatory": False, "value": 9},
            {"id": "W3", "mandatory": False, "value": 0},  # no value: not worth doing
        ),
        overlap_groups=[{"id": "g", "members": ["W1", "W2"]}],
    )
    decisions = construct(prepare(s))
    assert decisions is not None and {d.work_package for d in decisions} == {"W2"}


def test_no_plan_when_the_work_every_plan_holds_cannot_be_placed() -> None:
    # both need all of b's capacity (only b has c1 at 4) for the whole year: the second cannot fit
    heavy = {"effort_pm": 24, "duration": 12, "requires": {"c1": 4}}
    s = scenario(work_packages=wps({"id": "W1", **heavy}, {"id": "W2", **heavy}))
    assert construct(prepare(s)) is None


def test_a_deadline_chain_is_placed_first() -> None:
    # W3 must end by June; W1 and W2 compete for the same institution; W3's predecessor W2 goes first
    s = scenario(
        institutions=[{**scenario().model_dump()["institutions"][0], "capacity_pm": 2}],
        work_packages=wps(
            {"id": "W1", "effort_pm": 8, "duration": 4, "requires": {}},
            {"id": "W2", "effort_pm": 8, "duration": 4, "requires": {}},
            {"id": "W3", "effort_pm": 2, "duration": 2, "requires": {}, "after": ["W2"], "deadline": "2025-06"},
        ),
    )
    decisions = construct(prepare(s))
    assert decisions is not None
    assert check_plan(s, as_plan(s, decisions)) == []
    placed = {d.work_package: d for d in decisions}
    assert placed["W3"].start + placed["W3"].duration <= 6 and placed["W2"].start == 0


def test_person_months_are_counted_as_the_model_counts_them() -> None:
    # Three runs of a third of a person-month a period fit a capacity of 1 exactly, but the model counts each
    # as 0.34 (rounded up to hundredths): the constructive plan must not run all three at once, so that it is
    # a plan the model accepts as its hint.
    a = {**scenario().model_dump()["institutions"][0], "capacity_pm": 1}
    third = {"effort_pm": 1, "duration": 3}
    s = scenario(institutions=[a], work_packages=wps(*({"id": f"W{k}", **third} for k in (1, 2, 3))))
    p = prepare(s)
    decisions = construct(p)
    assert decisions is not None and check_plan(s, as_plan(s, decisions)) == []
    assert len({d.start for d in decisions}) > 1  # not all three at once
    b = Builder(p)
    add_rules(b)
    _hint_decisions(b, decisions)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert solver.solve(b.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_more_passes_run_while_time_allows() -> None:
    s = load_scenario(SCENARIOS / "minimal.yaml")
    p = prepare(s)
    assert construct(p, passes=0) is None  # no pass asked for, no time given: nothing tried
    assert construct(p, passes=0, until=time.perf_counter() + 600) is not None


def test_a_pass_goes_on_after_a_conflict_and_reports_every_one() -> None:
    # Only b (2 PM a period) has c1 at 4. W1/W2 both need all of it until April, W4/W5 until August: one of
    # each pair cannot fit. W3 waits for both and is not a conflict of its own.
    full = {"effort_pm": 8, "duration": 4, "requires": {"c1": 4}}
    s = scenario(
        work_packages=wps(
            {"id": "W1", **full, "deadline": "2025-04"},
            {"id": "W2", **full, "deadline": "2025-04"},
            {"id": "W3", "after": ["W1", "W2"]},
            {"id": "W4", **full, "deadline": "2025-08"},
            {"id": "W5", **full, "deadline": "2025-08"},
        )
    )
    b = Builder_(prepare(s))
    required = b.required()
    assert required is not None
    failed = _place_all(b, required)
    assert len(failed) == 2 and len({"W1", "W2"} & set(failed)) == 1 and len({"W4", "W5"} & set(failed)) == 1
    assert set(b.placed) == {"W1", "W2", "W4", "W5"} - set(failed)  # W3 waits, not counted
