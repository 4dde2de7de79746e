"""YAML reading and writing: unchanged documents come back byte for byte, lines for messages, plain values."""

from __future__ import annotations

from typing import Any

import pytest

from planner.io.limits import InputRefused
from planner.io.yamlio import (
    FastPathRefused,
    check_shape,
    dump_yaml_text,
    line_of,
    load_fast,
    load_lined,
    load_yaml_text,
    to_plain,
)
from tests.conftest import SCENARIOS

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


# ---------------------------------------------------------------- the fast reader agrees with the round-trip one

SCALARS = [
    "010",
    "1:30",
    "NO",
    "no",
    "on",
    "Off",
    "y",
    "2027-01",
    "2027-13",
    "1e3",
    "1E3",
    ".inf",
    "-.inf",
    ".NaN",
    "0o10",
    "0x1F",
    "0b11",
    "yes",
    "1_000",
    "-3",
    "+4.5",
    "~",
    "null",
    "Null",
    "true",
    "FALSE",
    "'010'",
    '"7"',
    "2027-01-05",
    "2027-01-05 10:00",
    ".5",
    "5.",
    "0",
    "00",
    "-0",
    "3D",
    "12e",
    "1.5e-3",
    "",
    "!!str 5",
    "plain text",
]


@pytest.mark.parametrize("scalar", SCALARS)
def test_the_fast_reader_reads_a_value_as_the_round_trip_reader_does_or_refuses(scalar: str) -> None:
    for text in (f"a: {scalar}\n", f"- {scalar}\n", f"{{k: [{scalar}]}}\n" if scalar else "{k: []}\n"):
        try:
            fast = load_fast(text)
        except FastPathRefused:
            continue
        slow = to_plain(load_yaml_text(text))
        assert repr(fast) == repr(slow) and _types(fast) == _types(slow), (text, fast, slow)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "a: 1\na: 2\n",
        "x:\n  - {a: 1, b: 2, a: 3}\n",
        "? [1]\n: 2\n",
        "a: !!int '5'\n",
        "a: [1, 2\n",
        "a: 'x\x01'\n",
        "k: NO\n",
    ],
)
def test_the_fast_reader_refuses_what_it_might_read_differently(text: str) -> None:
    with pytest.raises(FastPathRefused):
        load_fast(text)


def test_an_empty_document_is_none() -> None:
    assert load_fast("# nothing here\n") is None


def test_the_shipped_scenarios_read_the_same_both_ways() -> None:
    for path in SCENARIOS.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert load_fast(text) == to_plain(load_yaml_text(text)), path.name


def test_the_lined_reader_finds_the_lines_the_round_trip_reader_finds() -> None:
    for path in SCENARIOS.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        lined, doc = load_lined(text), load_yaml_text(text)
        assert lined == to_plain(doc), path.name
        for loc in [*_paths(to_plain(doc)), ("work_packages", 10_000), ("nowhere", "at all")]:
            assert line_of(lined, loc) == line_of(doc, loc), (path.name, loc)


def test_a_duplicate_key_is_named_with_its_line_and_its_mapping_by_the_fast_reader() -> None:
    with pytest.raises(FastPathRefused) as e:
        load_lined("a: 1\nb:\n  c: 1\n  c: [" + "x, " * 1000 + "]\n")
    assert e.value.line == 4  # type: ignore[attr-defined]
    assert e.value.message == (  # type: ignore[attr-defined]
        'the key "c" appears twice in the mapping that begins on line 3; keep one (merge their entries into it)'
    )


def test_a_file_of_more_than_a_million_values_is_refused_before_it_is_built() -> None:
    text = "".join(f"x{k}: [{'a, ' * 40_000}]\n" for k in range(26))
    with pytest.raises(InputRefused, match="more than 1,000,000 values"):
        check_shape(text)
    with pytest.raises(InputRefused, match="more than 1,000,000 values"):
        load_fast(text)  # over SHAPE_CHECKED_BYTES: checked first


def _paths(value: object, loc: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [loc]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*loc, i))
    return found


def _types(value: object) -> object:
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__
