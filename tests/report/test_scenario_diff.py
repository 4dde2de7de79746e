"""Scenario diffs: planted changes to the demo come back as one change each, in domain words, id-keyed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from planner.domain.scenario import Dependency, Forbid, OverlapGroup, Pin, Term
from planner.problem.validate import load_scenario
from planner.report.diff import render_scenario_diff
from planner.report.scenario_diff import diff_scenarios
from tests.conftest import SCENARIOS

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario


@pytest.fixture(scope="module")
def demo() -> Scenario:
    return load_scenario(SCENARIOS / "belarus-tomsk-2025-2030.yaml")


def _edit(s: Scenario, section: str, id_: str, **update: Any) -> Scenario:
    """A copy with one id-keyed item of a section changed."""
    items = [x.model_copy(update=update) if x.id == id_ else x for x in getattr(s, section)]
    return s.model_copy(update={section: items})


def _sentences(a: Scenario, b: Scenario) -> list[str]:
    return diff_scenarios(a, b).sentences()


def test_a_scenario_against_itself_has_no_changes(demo: Scenario) -> None:
    d = diff_scenarios(demo, demo)
    assert d.identical
    assert render_scenario_diff(d, "text", "a.yaml", "b.yaml") == "a.yaml and b.yaml describe the same scenario\n"


def test_capacity_changes_read_as_the_capacity_per_year_the_planner_uses(demo: Scenario) -> None:
    # bsuir: 6 PM/month, 4 in 2025 and 5 in 2026; from 2027 on it drops to 4
    b = _edit(demo, "institutions", "bsuir", capacity_pm=4, capacity_pm_by_year={2025: 4, 2026: 5})
    assert _sentences(demo, b) == ["bsuir's capacity 6 → 4 PM/month from 2027 (−33 %)"]
    b = _edit(demo, "institutions", "bsuir", capacity_pm_by_year={2025: 4, 2026: 3, 2027: 6})
    assert _sentences(demo, b) == ["bsuir's capacity 5 → 3 PM/month in 2026 (−40 %)"]
    b = _edit(demo, "institutions", "bsuir", capacity_pm_by_year={2025: 4, 2026: 5, 2027: 6, 2040: 1})
    assert _sentences(demo, b) == [
        "bsuir's capacity pm by year 2025: 4, 2026: 5, 2027: 6 → 2025: 4, 2026: 5, 2027: 6, 2040: 1 (no effect within the horizon)"
    ]


def test_a_funders_yearly_cap_in_its_currency_with_the_percentage(demo: Scenario) -> None:
    caps = dict(next(f for f in demo.funders if f.id == "by-budget").cap_per_year)
    b = _edit(demo, "funders", "by-budget", cap_per_year={**caps, 2027: caps[2027] * 0.85})
    (change,) = diff_scenarios(demo, b).changes
    assert change.sentence == "by-budget's 2027 cap 1,100,000 → 935,000 BYN (−15 %)"
    assert (change.kind, change.section, change.subject, change.field) == (
        "changed",
        "funders",
        "by-budget",
        "cap_per_year[2027]",
    )
    assert (change.before, change.after) == (1_100_000, 935_000)


def test_work_packages_added_removed_moved_and_rewired(demo: Scenario) -> None:
    u12 = next(w for w in demo.work_packages if w.id == "U-12")
    new = u12.model_copy(update={"id": "U-99", "title": "Spare airframe", "after": []})
    b = demo.model_copy(update={"work_packages": [*demo.work_packages, new]})
    assert _sentences(demo, b) == ["U-99 added to program uav (Spare airframe, 20 PM)"]
    assert _sentences(b, demo) == ["U-99 removed from program uav"]
    b = _edit(demo, "work_packages", "U-12", program="medical", effort_pm=24, mandatory=True)
    assert _sentences(demo, b) == [
        "U-12 moved from program uav to program medical",
        "U-12's effort 20 → 24 PM (+20 %)",
        "U-12 is now mandatory",
    ]
    b = _edit(demo, "work_packages", "U-12", after=["U-10", Dependency(id="U-08", lag=2)])
    assert _sentences(demo, b) == ["U-12 now waits for U-10", "U-12's wait for U-08: finish → finish + 2 months"]
    b = _edit(demo, "work_packages", "U-12", after=[])
    assert _sentences(demo, b) == ["U-12 no longer waits for U-08"]


def test_pins_forbids_groups_objective_and_time_grid(demo: Scenario) -> None:
    b = demo.model_copy(
        update={
            "pins": [*demo.pins, Pin(work_package="U-12", institution="tusur", start="2026-01")],
            "forbids": [*demo.forbids, Forbid(work_package="U-12", institution="bntu")],
            "overlap_groups": [*demo.overlap_groups, OverlapGroup(id="g-new", members=["U-12", "U-13"])],
            "objective": demo.objective.model_copy(update={"priorities": [Term.cost, Term.value]}),
            "time": demo.time.model_copy(update={"periods": 84}),
        }
    )
    sentences = _sentences(demo, b)
    assert "U-12 pinned to tusur from 2026-01" in sentences
    assert "U-12 may no longer go to bntu" in sentences
    assert "overlap group g-new added: U-12, U-13" in sentences
    assert "objective priorities value, lateness, balance, cost → cost, value" in sentences
    assert "time grid length 72 → 84 months (+17 %)" in sentences


def test_the_json_output_is_the_same_data_and_deterministic(demo: Scenario) -> None:
    b = _edit(demo, "institutions", "tusur", rate_per_pm=200_000)
    b = _edit(b, "programs", "uav", max_institution_share=0.5)
    first = render_scenario_diff(diff_scenarios(demo, b), "json")
    assert first == render_scenario_diff(diff_scenarios(demo, b), "json")
    data = json.loads(first)
    assert data["identical"] is False
    assert [c["sentence"] for c in data["changes"]] == diff_scenarios(demo, b).sentences()
    assert data["changes"][0] == {
        "kind": "changed",
        "section": "institutions",
        "subject": "tusur",
        "field": "rate_per_pm",
        "before": 190_000,
        "after": 200_000,
        "sentence": "tusur's rate 190,000 → 200,000 RUB/PM (+5 %)",
    }


def test_markdown_groups_changes_by_section(demo: Scenario) -> None:
    b = _edit(demo, "work_packages", "U-12", effort_pm=24)
    text = render_scenario_diff(diff_scenarios(demo, b), "markdown", "base.yaml", "head.yaml")
    assert text.splitlines()[:5] == [
        "### Scenario changes: `base.yaml` → `head.yaml`",
        "",
        "**Work packages**",
        "",
        "- U-12's effort 20 → 24 PM (+20 %)",
    ]
