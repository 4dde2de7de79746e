"""Every scenario in scenarios/ validates, saves back byte-identically and solves to a plan the checker accepts."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from planner import SolverSettings, check_plan, evaluate, load_scenario, solve
from planner.io.schema import plan_schema, scenario_schema
from planner.io.yamlio import dump_yaml_text, load_yaml_text
from tests.conftest import ROOT, SCENARIOS

if TYPE_CHECKING:
    from pathlib import Path

FILES = sorted(SCENARIOS.glob("*.yaml"))


def test_there_are_scenarios() -> None:
    assert {f.name for f in FILES} >= {"belarus-tomsk-2025-2030.yaml", "minimal.yaml", "all-features.yaml"}


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_saving_an_unchanged_scenario_gives_identical_bytes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert dump_yaml_text(load_yaml_text(text)) == text


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_scenario_solves_to_a_checked_plan(path: Path) -> None:
    scenario = load_scenario(path)
    plan = solve(scenario, SolverSettings(time_limit_s=20, workers=2))
    assert plan.found, plan.explanation
    assert check_plan(scenario, plan) == []
    recomputed = evaluate(scenario, plan)
    for term, value in plan.objective.items():
        assert recomputed[term] == pytest.approx(value, rel=1e-6, abs=len(plan.assignments)), term


def test_demo_matches_its_brief() -> None:
    s = load_scenario(SCENARIOS / "belarus-tomsk-2025-2030.yaml")
    kinds = {i.kind for i in s.institutions}
    assert len(s.institutions) >= 14 and {"university", "institute", "plant", "technopark"} <= kinds
    assert {i.country for i in s.institutions} == {"BY", "RU"}
    assert len(s.work_packages) >= 45 and len(s.programs) >= 6 and len(s.overlap_groups) >= 3
    assert {next(i.country for i in s.institutions if i.id == p.institution) for p in s.prior_results} == {"BY", "RU"}
    union = next(f for f in s.funders if f.pays and set(f.pays) == {"BY", "RU"})
    assert union.shares == {"RU": 0.65, "BY": 0.35}
    assert (s.time.start, s.time.periods, s.time.period.value) == ("2025-01", 72, "month")
    assert "illustrative" in (SCENARIOS / "belarus-tomsk-2025-2030.yaml").read_text(encoding="utf-8")[:600].lower()


@pytest.mark.parametrize(
    ("file", "schema"), [("scenario.schema.json", scenario_schema), ("plan.schema.json", plan_schema)]
)
def test_committed_json_schema_is_current(file: str, schema: object) -> None:
    committed = json.loads((ROOT / "schema" / file).read_text(encoding="utf-8"))
    assert committed == schema(), f"schema/{file} is stale: run `planner schema` (see README) to regenerate it"  # type: ignore[operator]


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_scenario_files_reference_the_schema(path: Path) -> None:
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schema/scenario.schema.json")
