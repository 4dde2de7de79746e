"""Structural YAML edits: only the edited lines change, and section comments stay in front of what they describe."""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from planner.io.yamledit import append_item, delete_item, delete_key, flow, replace_items, set_key
from planner.io.yamlio import dump_yaml_text, load_yaml_text

TEXT = """\
name: demo  # the name
time:
  start: 2025-01
  periods: 12
# --- money
budget: 100
items:
  - a  # first
  - b
# --- tail
end: true
"""

ORDER = ["name", "time", "currency", "budget", "items", "end"]


def load() -> Any:
    return load_yaml_text(TEXT)


def commented(text: str) -> list[str]:
    """The lines of a text with the gap before each end-of-line comment made two spaces.

    append_item and replace_items leave an end-of-line comment's column alone (the table editor
    moves it with shift_eol_comment), so the gap is not part of what they promise.
    """
    return [re.sub(r"(\S)\s+#", r"\1  #", line) for line in text.splitlines()]


def edited(before: str, after: str) -> str:
    """TEXT with one exact piece replaced (fails when the piece is not there)."""
    assert TEXT.count(before) == 1
    return TEXT.replace(before, after)


def test_set_key_in_place_keeps_the_following_section_comment() -> None:
    doc = load()
    set_key(doc["time"], "periods", 24)
    assert dump_yaml_text(doc) == edited("  periods: 12\n", "  periods: 24\n")


def test_set_key_in_place_keeps_the_end_of_line_comment() -> None:
    doc = load()
    set_key(doc, "name", "longer demo")
    assert dump_yaml_text(doc) == edited("name: demo  # the name\n", "name: longer demo  # the name\n")


def test_set_key_appends_a_new_key_before_the_comment_that_followed_the_map() -> None:
    doc = load()
    set_key(doc["time"], "period", "quarter")
    assert dump_yaml_text(doc) == edited("  periods: 12\n", "  periods: 12\n  period: quarter\n")


def test_set_key_inserts_in_order_in_front_of_the_next_sections_comment() -> None:
    doc = load()
    set_key(doc, "currency", "USD", order=ORDER)
    assert list(doc) == ["name", "time", "currency", "budget", "items", "end"]
    assert dump_yaml_text(doc) == edited("# --- money\n", "currency: USD\n# --- money\n")


def test_set_key_puts_a_key_first_in_order_at_the_top() -> None:
    doc = load()
    set_key(doc, "schema_version", 1, order=["schema_version", *ORDER])
    assert dump_yaml_text(doc) == "schema_version: 1\n" + TEXT


def test_delete_key_hands_its_following_comment_to_the_key_before() -> None:
    doc = load()
    delete_key(doc, "items")
    assert dump_yaml_text(doc) == edited("items:\n  - a  # first\n  - b\n", "")


def test_delete_key_of_a_block_map_keeps_the_section_comment_after_it() -> None:
    doc = load()
    delete_key(doc, "time")
    assert dump_yaml_text(doc) == edited("time:\n  start: 2025-01\n  periods: 12\n", "")


def test_delete_key_of_a_missing_key_changes_nothing() -> None:
    doc = load()
    delete_key(doc, "nothing")
    assert dump_yaml_text(doc) == TEXT


def test_append_item_goes_before_the_comment_after_the_list() -> None:
    doc = load()
    append_item(doc["items"], "c")
    assert dump_yaml_text(doc) == edited("  - b\n", "  - b\n  - c\n")


def test_append_item_to_a_flow_list() -> None:
    doc = load_yaml_text("after: [W1]  # predecessors\nnext: 1\n")
    append_item(doc["after"], "W2")
    assert commented(dump_yaml_text(doc)) == ["after: [W1, W2]  # predecessors", "next: 1"]


def test_delete_last_item_keeps_the_comment_after_the_list() -> None:
    doc = load()
    assert delete_item(doc["items"], 1) == ""
    assert dump_yaml_text(doc) == edited("  - b\n", "")


def test_delete_first_item_takes_its_end_of_line_comment_with_it() -> None:
    doc = load()
    assert delete_item(doc["items"], 0) == ""
    assert dump_yaml_text(doc) == edited("  - a  # first\n", "")


def test_delete_item_keeps_a_comment_line_in_front_of_the_next_item() -> None:
    doc = load_yaml_text("items:\n  - a\n  # --- second\n  - b\n  # --- third\n  - c\nend: 1\n")
    delete_item(doc["items"], 1)
    assert dump_yaml_text(doc) == "items:\n  - a\n  # --- second\n  # --- third\n  - c\nend: 1\n"


def test_deleting_the_only_item_leaves_an_empty_list_and_returns_the_comment_it_could_not_place() -> None:
    doc = load_yaml_text("items:\n  - a\n# --- tail\nend: 1\n")
    rest = delete_item(doc["items"], 0)
    assert "# --- tail" in rest
    assert doc["items"] == [] and doc["items"].fa.flow_style()


def test_replace_items_keeps_the_list_node_its_style_and_comment() -> None:
    doc = load_yaml_text("after: [W1, W2, W3]  # predecessors\nnext: 1\n")
    seq = doc["after"]
    replace_items(seq, ["W1", "W4"])
    assert doc["after"] is seq
    assert commented(dump_yaml_text(doc)) == ["after: [W1, W4]  # predecessors", "next: 1"]
    replace_items(seq, ["W1", "W4", "W5"])
    assert commented(dump_yaml_text(doc)) == ["after: [W1, W4, W5]  # predecessors", "next: 1"]


def test_new_flow_collections_are_written_inline() -> None:
    doc = CommentedMap()
    doc["rates"] = flow(CommentedMap({2025: 0.5}))
    doc["after"] = flow(CommentedSeq(["W1", "W2"]))
    doc["block"] = CommentedSeq(["x"])
    assert dump_yaml_text(doc) == "rates: {2025: 0.5}\nafter: [W1, W2]\nblock:\n  - x\n"
