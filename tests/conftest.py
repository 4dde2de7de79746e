"""Tiny named fixtures built in code, and helpers shared by the tests."""

from __future__ import annotations

import copy
import functools
import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from planner.domain.scenario import Scenario
from planner.io.scenario_file import render_path
from planner.problem.crosscheck import cross_check
from planner.problem.validate import ScenarioError

if TYPE_CHECKING:
    from planner.domain.plan import Plan

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SCENARIOS = ROOT / "scenarios"

TINY: dict[str, Any] = {
    "schema_version": 1,
    "name": "tiny two-country program",
    "time": {"start": "2025-01", "periods": 12},
    "countries": [{"id": "BY", "name": "Беларусь"}, {"id": "RU", "name": "Россия"}],
    "competencies": [{"id": "c1"}],
    "institutions": [
        {
            "id": "a",
            "name": "Институт А",
            "country": "BY",
            "capacity_pm": 2,
            "rate_per_pm": 100,
            "competencies": {"c1": 3},
        },
        {
            "id": "b",
            "name": "Институт Б",
            "country": "RU",
            "capacity_pm": 2,
            "rate_per_pm": 150,
            "competencies": {"c1": 4},
        },
    ],
    "programs": [{"id": "p", "name": "Программа"}],
    "work_packages": [
        {"id": "W1", "program": "p", "requires": {"c1": 3}, "effort_pm": 4, "duration": 2},
        {"id": "W2", "program": "p", "requires": {"c1": 3}, "effort_pm": 4, "duration": 2, "after": ["W1"]},
    ],
    "objective": {"priorities": ["makespan", "cost"]},
}


def merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of `base` with `changes` applied: dicts merge, anything else replaces."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def scenario(data: dict[str, Any] | None = None, **changes: Any) -> Scenario:
    """A validated scenario from TINY (or `data`) with top-level `changes`; raises ScenarioError like a file would."""
    s = Scenario.model_validate(merge(data or TINY, changes))
    problems = cross_check(s)
    if problems:
        from planner.problem.validate import Problem

        raise ScenarioError([Problem("<test>", None, render_path(loc), msg) for loc, msg in problems])
    return s


def wps(*items: dict[str, Any]) -> list[dict[str, Any]]:
    """Work packages for TINY's program with sensible defaults."""
    return [{"program": "p", "requires": {"c1": 3}, "effort_pm": 4, "duration": 2, **item} for item in items]


@pytest.fixture
def tiny_scenario() -> Scenario:
    return scenario()


def solved(name: str) -> tuple[Scenario, Plan]:
    """A shipped scenario and a short reproducible plan of it, checked; solved once per test session."""
    return _solved(name)


@functools.cache
def _solved(name: str) -> tuple[Scenario, Plan]:
    from planner import SolverSettings, check_plan, load_scenario, solve

    scenario = load_scenario(SCENARIOS / name)
    plan = solve(scenario, SolverSettings(time_limit_s=2, workers=1, reproducible=True))
    assert plan.found and check_plan(scenario, plan) == []
    return scenario, plan


def large_program(wps: int = 240, institutions: int = 16, seed: int = 0) -> tuple[Scenario, Plan]:
    """A generated program above the charts' detail limit and its constructive plan (checked): no solver, no clock."""
    return _large_program(wps, institutions, seed)


@functools.cache
def _large_program(wps: int, institutions: int, seed: int) -> tuple[Scenario, Plan]:
    from planner import check_plan
    from planner.importers.synthetic import generate
    from planner.problem.assemble import draft_plan

    made = generate(wps, institutions, seed=seed)
    plan = draft_plan(made.scenario, made.reference)
    assert plan.assignments and check_plan(made.scenario, plan) == []
    return made.scenario, plan


def alias_bomb(levels: int = 8, width: int = 9) -> bytes:
    """A YAML alias bomb: each level lists the one before `width` times, `width ** levels` values in all."""
    names = [f"level{k}" for k in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [{', '.join(['x'] * width)}]"]
    lines += [f"{n}: &{n} [{', '.join([f'*{p}'] * width)}]" for p, n in itertools.pairwise(names)]
    return ("\n".join(lines) + "\n").encode()
