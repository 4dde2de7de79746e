"""Validating a scenario: the file's field-level problems, then the cross-checks, reported together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.io.scenario_file import Problem, ScenarioError, parse_document, read_scenario_text, render_path
from planner.io.yamlio import line_of
from planner.problem.crosscheck import cross_check

if TYPE_CHECKING:
    from pathlib import Path

    from planner.domain.scenario import Scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raises ScenarioError listing every problem."""
    return parse_scenario(read_scenario_text(path), str(path))


def parse_scenario(text: str, name: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text; raises ScenarioError listing every problem."""
    doc, scenario = parse_document(text, name)
    problems = [Problem(name, line_of(doc, loc), render_path(loc), msg) for loc, msg in cross_check(scenario)]
    if problems:
        raise ScenarioError(problems)
    return scenario


__all__ = ["Problem", "ScenarioError", "load_scenario", "parse_scenario"]
