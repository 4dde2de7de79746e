"""YAML reading and writing: unchanged documents come back byte for byte, lines for messages, plain values."""

from __future__ import annotations

from typing import Any

import pytest

from planner.io.yamlio import dump_yaml_text, line_of, load_yaml_text, to_plain

LINES = """\
name: demo
time:
  start: 2025-01
  periods: 12
work_packages:
  - id: W1
    effort_pm: 4
  - id: W2
    after: [W1]
funders:
  - {id: f, cap_per_year: {2025: 100}}
"""

ROUND_TRIP = """\
# Демо-сценарий: comments, quotes, Cyrillic and key order survive
schema_version: 1
name: 'Беларусь — Томск'  # single quotes stay
time: {start: 2025-01, periods: 12}
rates: {BYN: {2025: 0.50, 2026: 0.25}}

# --- work
work_packages:
  - id: W1
    after: []
    note: null
"""


def test_unchanged_document_round_trips_byte_for_byte() -> None:
    assert dump_yaml_text(load_yaml_text(ROUND_TRIP)) == ROUND_TRIP


def test_none_is_written_as_null() -> None:
    assert dump_yaml_text({"a": None, "b": [1, None], "c": "Привет"}) == "a: null\nb:\n  - 1\n  - null\nc: Привет\n"


def test_an_edit_keeps_the_rest_of_the_text() -> None:
    doc = load_yaml_text(ROUND_TRIP)
    doc["schema_version"] = 2
    assert dump_yaml_text(doc) == ROUND_TRIP.replace("schema_version: 1", "schema_version: 2")


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        (("name",), 1),
        (("time", "periods"), 4),
        (("work_packages", 1), 8),
        (("work_packages", 1, "after"), 9),
        (("work_packages", 1, "after", 0), 9),
        (("funders", 0, "cap_per_year", 2025), 11),
    ],
)
def test_line_of_an_existing_node(loc: tuple[str | int, ...], line: int) -> None:
    assert line_of(load_yaml_text(LINES), loc) == line


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        (("work_packages", 5, "id"), 5),  # no item 5: the list's own line
        (("work_packages", "W2"), 5),  # a key into a list
        (("time", "end"), 2),
        (("name", "x"), 1),  # below a scalar
        (("missing",), 1),  # nothing found: the document's first line
        ((), 1),
    ],
)
def test_line_of_a_missing_node_is_the_deepest_existing_one(loc: tuple[str | int, ...], line: int) -> None:
    assert line_of(load_yaml_text(LINES), loc) == line


def test_line_of_counts_leading_blank_lines_and_needs_a_round_trip_document() -> None:
    assert line_of(load_yaml_text("\n\n- a\n- b\n"), (1,)) == 4
    assert line_of({"name": "demo"}, ("name",)) is None


def test_to_plain_gives_plain_containers_and_scalars() -> None:
    doc = load_yaml_text('a: 1.50\nb: "quoted"\nc: 0x1F\nd: true\ne: {2025: 1.0, x: [1, "2"]}\nf: null\n')
    plain = to_plain(doc)
    assert plain == {"a": 1.5, "b": "quoted", "c": 31, "d": True, "e": {2025: 1.0, "x": [1, "2"]}, "f": None}
    types: dict[str, Any] = {k: type(v) for k, v in plain.items()}
    assert types == {"a": float, "b": str, "c": int, "d": bool, "e": dict, "f": type(None)}
    assert type(plain["e"]["x"]) is list
    assert [type(k) for k in plain["e"]] == [int, str]  # year keys stay numbers
    assert type(plain) is dict


def test_to_plain_leaves_plain_data_alone() -> None:
    data = {"a": [1, 2.5, "x", None, True]}
    assert to_plain(data) == data
