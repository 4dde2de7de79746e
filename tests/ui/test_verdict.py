"""A plan is checked against the scenario open now before the app calls it anything (issue 16, finding 3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.domain.plan import Status
from planner.report.charts import gantt
from planner.ui.figures import FigureCache
from planner.ui.verdict import judge, judged
from tests.conftest import solved

if TYPE_CHECKING:
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario


def _tighter_deadline(name: str = "minimal.yaml") -> tuple[Scenario, Scenario, Plan, str]:
    """The solved scenario, the same with a hard deadline that its plan's last work misses, and the plan."""
    scenario, plan = solved(name)
    last = max(plan.assignments, key=lambda a: a.end)
    wps = [
        w.model_copy(update={"deadline": plan.assignments[0].start_month}) if w.id == last.work_package else w
        for w in scenario.work_packages
    ]
    return scenario, scenario.model_copy(update={"work_packages": wps}), plan, last.work_package


def test_a_plan_of_the_open_scenario_keeps_its_own_status_and_gap() -> None:
    scenario, plan = solved("minimal.yaml")
    verdict = judge(scenario, plan)
    assert verdict.valid and verdict.trusted and not verdict.violations
    assert verdict.status("en") == plan.status.value
    assert plan.gap is not None and verdict.gap("en") == f"{plan.gap * 100:.2f}%"


def test_a_plan_that_breaks_a_rule_after_an_edit_is_never_called_feasible() -> None:
    _, edited, plan, wp = _tighter_deadline()
    verdict = judge(edited, plan)
    assert not verdict.valid and not verdict.trusted
    assert [v.rule.value for v in verdict.violations] == ["window"]
    assert verdict.status("en") == "breaks 1 rule(s) of the current scenario"
    assert verdict.status("ru") == "нарушает правила текущего сценария: 1"
    assert "feasible" not in verdict.status("en") and "optimal" not in verdict.status("en")
    assert verdict.gap("en") == "—"  # the solver's gap was for the other version
    assert list(verdict.flagged()) == [wp]
    assert verdict.lines("ru")[0].startswith("сроки начала и окончания: ")


def test_a_valid_plan_of_another_version_is_not_called_optimal() -> None:
    scenario, plan = solved("minimal.yaml")
    renamed = scenario.model_copy(update={"description": "edited"})
    verdict = judge(renamed, plan)
    assert verdict.valid and not verdict.trusted
    assert verdict.status("en") == "valid, made for another version"
    assert verdict.gap("en") == "—"


def test_a_stopped_or_uploaded_plan_with_a_wrong_status_is_judged_by_its_content() -> None:
    _, edited, plan, _ = _tighter_deadline()
    claimed_optimal = plan.model_copy(update={"status": Status.optimal, "gap": 0.0})
    assert judge(edited, claimed_optimal).status("en").startswith("breaks")


def test_the_verdict_is_made_once_per_plan_and_scenario() -> None:
    scenario, edited, plan, _ = _tighter_deadline()
    cache = FigureCache()
    first = judged(cache, edited, plan)
    assert judged(cache, edited, plan) is first
    assert judged(cache, scenario, plan) is not first and judged(cache, scenario, plan).valid


def test_the_gantt_marks_work_that_breaks_a_rule() -> None:
    _, edited, plan, wp = _tighter_deadline()
    verdict = judge(edited, plan)
    fig = gantt(edited, plan, flagged=verdict.flagged())
    marks = [tr for tr in fig.data if tr.name == "Breaks a rule"]
    assert len(marks) == 1 and list(marks[0].y[1]) == [wp]
    assert "window" in marks[0].customdata[0][1]
    assert not [tr for tr in gantt(edited, plan).data if tr.name == "Breaks a rule"]
