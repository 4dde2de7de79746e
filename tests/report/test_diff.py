"""Plan diffs in text, Markdown and JSON: built on `compare`, deterministic, the same data in every format."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from planner.report.compare import compare
from planner.report.diff import plans_identical, render_plan_diff
from planner.report.scenario_diff import diff_scenarios
from tests.conftest import solved

if TYPE_CHECKING:
    from planner.domain.plan import Plan


def _later(plan: Plan, wp: str, months: int) -> Plan:
    """The plan with one work package started `months` later (edited, not solved)."""

    def shifted(month: str) -> str:
        year, m = (int(x) for x in month.split("-"))
        n = year * 12 + m - 1 + months
        return f"{n // 12}-{n % 12 + 1:02d}"

    rows = [
        a.model_copy(
            update={
                "start": a.start + months,
                "end": a.end + months,
                "start_month": shifted(a.start_month),
                "end_month": shifted(a.end_month),
            }
        )
        if a.work_package == wp
        else a
        for a in plan.assignments
    ]
    return plan.model_copy(update={"assignments": rows})


def test_a_plan_against_itself_is_identical() -> None:
    scenario, plan = solved("minimal.yaml")
    c = compare(scenario, plan, scenario, plan)
    assert plans_identical(c)
    assert render_plan_diff(c, "text", a="a.json", b="b.json") == "a.json and b.json are the same plan\n"
    assert json.loads(render_plan_diff(c, "json"))["identical"] is True


def test_a_moved_start_in_every_format() -> None:
    scenario, plan = solved("minimal.yaml")
    last = max(plan.assignments, key=lambda a: a.end_month).work_package
    other = _later(plan, last, 4)
    c = compare(scenario, plan, scenario, other)
    assert not plans_identical(c)
    at = plan.assignment(last)
    assert at is not None
    sentence = f"{last} stays at {at.institution}, starts 4 months later"
    text = render_plan_diff(c, "text", a="base.json", b="head.json")
    assert text.startswith("head.json against base.json\n")
    assert f"  {sentence}\n" in text
    assert "(+4)" in text  # completion moves 4 months
    markdown = render_plan_diff(c, "markdown", a="base.json", b="head.json")
    assert markdown.startswith("### Plan diff: `base.json` → `head.json`\n\n| Key figure | A | B | Change |\n")
    assert f"- {sentence.replace('_', chr(92) + '_')}\n" in markdown
    data = json.loads(render_plan_diff(c, "json"))
    assert [ch["sentence"] for ch in data["changes"]] == [sentence]
    assert data["changes"][0]["shift_months"] == 4
    assert {k["key"]: k["delta"] for k in data["kpis"]}["completion_month"] == 4
    assert render_plan_diff(c, "json") == render_plan_diff(compare(scenario, plan, scenario, other), "json")


def test_russian_sentences_and_the_scenario_changes_alongside() -> None:
    scenario, plan = solved("minimal.yaml")
    first = plan.assignments[0].work_package
    changed = scenario.model_copy(update={"description": "tighter"})
    c = compare(scenario, plan, changed, _later(plan, first, 1))
    text = render_plan_diff(c, "text", "ru", scenario_changes=diff_scenarios(scenario, changed))
    assert "начинается на месяц позже" in text
    assert text.endswith("Scenario changes:\n  scenario description: — → tighter\n")
    data = json.loads(render_plan_diff(c, "json", scenario_changes=diff_scenarios(scenario, changed)))
    assert data["scenario_changes"][0]["field"] == "description"
