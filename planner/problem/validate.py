"""Validating a scenario: the file's field-level problems, then the cross-checks, reported together.

A valid file is read the fast way (`load_fast`: libyaml, plain data); only a file with a problem,
or with anything the fast reader leaves alone, is read again the round-trip way, which knows the
line of every node for the messages. Both ways give the same scenario (tests/io/test_yamlio.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from planner.domain.scenario import Scenario
from planner.io.bulk import gc_paused
from planner.io.scenario_file import Problem, ScenarioError, parse_document, read_scenario_text, render_path
from planner.io.yamlio import FastPathRefused, line_of, load_fast, to_plain
from planner.problem.crosscheck import cross_check, partial_check

if TYPE_CHECKING:
    from pathlib import Path


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raises ScenarioError listing every problem."""
    return parse_scenario(read_scenario_text(path), str(path))


def parse_scenario(text: str, name: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text; raises ScenarioError listing every problem."""
    with gc_paused():
        fast = _fast(text)
        if fast is not None:
            return fast
        try:
            doc, scenario = parse_document(text, name)
        except ScenarioError as e:
            if e.document is None:
                raise
            # Field problems: the ids and references among the items that are valid on their own too, in one pass.
            seen = {p.path for p in e.problems}
            more = [
                Problem(name, line_of(e.document, loc), render_path(loc), msg)
                for loc, msg in partial_check(to_plain(e.document))
                if render_path(loc) not in seen
            ]
            raise ScenarioError(sorted([*e.problems, *more], key=_where), e.document) from None
        problems = [Problem(name, line_of(doc, loc), render_path(loc), msg) for loc, msg in cross_check(scenario)]
    if problems:
        raise ScenarioError(problems)
    return scenario


def _where(p: Problem) -> tuple[int, str]:
    return (p.line if p.line is not None else 0, p.path)


def _fast(text: str) -> Scenario | None:
    """The scenario if the fast reader takes the text and it has no problem at all; else None."""
    try:
        data = load_fast(text)
    except FastPathRefused:
        return None
    if not isinstance(data, dict):
        return None
    try:
        scenario = Scenario.model_validate(to_plain(data))
    except (ValidationError, RecursionError):  # deep nesting: the round-trip way refuses it with its line
        return None
    return None if cross_check(scenario) else scenario


__all__ = ["Problem", "ScenarioError", "load_scenario", "parse_scenario"]
