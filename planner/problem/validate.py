"""Validating a scenario: the file's field-level problems, then the cross-checks, reported together.

A file is read the fast way (`load_lined`: libyaml, plain data that knows its lines for messages);
only a file with anything the fast reader leaves alone (aliases, tags, number forms the readers
might read differently, syntax errors) is read the round-trip way. Both ways give the same scenario
and the same lines (tests/io/test_yamlio.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.io.bulk import gc_paused
from planner.io.limits import InputRefused
from planner.io.scenario_file import (
    Problem,
    ScenarioError,
    document_scenario,
    parse_document,
    read_scenario_text,
    render_path,
)
from planner.io.yamlio import DuplicateKey, FastPathRefused, line_of, load_lined, to_plain
from planner.problem.crosscheck import cross_check, partial_check

if TYPE_CHECKING:
    from pathlib import Path

    from planner.domain.scenario import Scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raises ScenarioError listing every problem."""
    return parse_scenario(read_scenario_text(path), str(path))


def parse_scenario(text: str, name: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text; raises ScenarioError listing every problem."""
    with gc_paused():
        doc = _fast_document(text, name)
        try:
            if doc is None:  # the fast reader left the text alone: the round-trip reader decides
                doc, scenario = parse_document(text, name)
            else:
                scenario = document_scenario(doc, name)
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


def _fast_document(text: str, name: str) -> Any:
    """The text read the fast way (libyaml, with lines for messages), or None when the fast reader leaves it
    to the round-trip reader. A valid file costs one fast read; one with problems is not read a second time
    the slow way to find their lines (for 20,000 items, about a second instead of twenty)."""
    try:
        doc = load_lined(text)
    except (DuplicateKey, InputRefused) as e:  # both readers refuse these: say so at once
        raise ScenarioError([Problem(name, e.line, "", e.message)]) from None
    except FastPathRefused:
        return None
    if not isinstance(doc, dict):
        return None  # not a mapping: the round-trip reader says what it is, with its line
    return doc


__all__ = ["Problem", "ScenarioError", "load_scenario", "parse_scenario"]
