"""Pages of the Edit page's tables: filters and pages pick the right rows, and an edited page writes back only
its own rows (changed, deleted, added), whatever page of whatever program it was."""

from __future__ import annotations

import difflib

import pandas as pd
import pytest

from planner.io.yamlio import dump_yaml_text
from planner.ui.editing import ORIGIN, EditError, EditSession
from planner.ui.table_pages import PAGE_ROWS, merge_page, page_of
from tests.conftest import ROOT, large_program

DEMO = ROOT / "scenarios" / "belarus-tomsk-2025-2030.yaml"


@pytest.fixture(scope="module")
def large_text() -> str:
    """A generated program of a few hundred work packages, as a file would hold it."""
    scenario, _ = large_program()
    return dump_yaml_text(scenario.model_dump(mode="json", exclude_none=True))


def changed_lines(a: str, b: str) -> list[str]:
    return [line for line in difflib.ndiff(a.splitlines(), b.splitlines()) if line[:1] in "+-"]


def test_pages_cover_every_row_once() -> None:
    frame = EditSession(DEMO.read_text(encoding="utf-8"), DEMO.name).frame("work_packages")
    first = page_of(frame, size=20)
    assert (first.page, first.pages, first.matching, first.total) == (1, 4, 65, 65) and first.first == 1
    seen = [label for p in range(1, 5) for label in page_of(frame, page=p, size=20).rows.index]
    assert seen == list(frame.index)
    assert page_of(frame, page=99, size=20).page == 4  # clamped to the last page
    assert page_of(frame, page=0, size=20).page == 1


def test_filter_by_program_and_search(large_text: str) -> None:
    session = EditSession(large_text, "large.yaml")
    frame = session.frame("work_packages")
    program = str(frame["program"].iloc[-1])
    view = page_of(frame, program)
    assert view.matching == (frame["program"] == program).sum() and set(view.rows["program"]) == {program}
    wp = str(frame["id"].iloc[7])
    found = page_of(frame, search=wp.lower())  # case does not matter
    assert wp in set(found.rows["id"]) and found.matching < len(frame)
    assert page_of(frame, program, search="no such text anywhere").matching == 0
    pins = session.frame("pins")
    program_of = dict(zip(frame["id"], frame["program"], strict=True))
    pinned = page_of(pins, program, program_of=program_of)  # tables of work packages filter by their program
    assert all(program_of[w] == program for w in pinned.rows["work_package"])


def test_an_edited_page_changes_only_its_cells(large_text: str) -> None:
    session = EditSession(large_text, "large.yaml")
    frame = session.frame("work_packages")
    program = str(frame["program"].iloc[-1])
    view = page_of(frame, program, size=5, page=2)
    edited = view.rows.reset_index(drop=True)
    edited.loc[1, "effort_pm"] = 77.5
    wp = edited.loc[1, "id"]
    assert session.apply_page("work_packages", view.rows, edited)
    diff = changed_lines(large_text, session.text)
    assert len(diff) == 2 and "77.5" in diff[1], diff
    after = session.frame("work_packages")
    assert after.loc[after["id"] == wp, "effort_pm"].item() == 77.5
    assert not session.apply_page("work_packages", view.rows, view.rows.reset_index(drop=True))  # no edit: no write


def test_rows_deleted_and_added_on_a_filtered_page(large_text: str) -> None:
    session = EditSession(large_text, "large.yaml")
    frame = session.frame("work_packages")
    program = str(frame["program"].iloc[0])
    view = page_of(frame, program, size=PAGE_ROWS)
    edited = view.rows.reset_index(drop=True)
    gone = edited.loc[0, "id"]
    kept = edited.drop(index=0)
    new = {c: None for c in edited.columns} | {"id": "NEW-1", "title": "New work", "effort_pm": 2.0, "duration": "3"}
    blank = dict.fromkeys(edited.columns)
    edited = pd.concat([kept, pd.DataFrame([new, blank])], ignore_index=True)
    merged = merge_page(frame, view.rows, edited, {"program": program})
    assert gone not in set(merged["id"]) and len(merged) == len(frame) + 1  # one gone, one added, one blank
    added = merged[merged["id"] == "NEW-1"].iloc[0]
    assert added["program"] == program and pd.isna(added[ORIGIN])  # filled from the filter
    assert merged.iloc[-1].drop(ORIGIN).isna().all()  # a blank row stays blank: apply ignores it
    outside = frame[frame["program"] != program]
    pd.testing.assert_frame_equal(merged.loc[outside.index], outside, check_dtype=False)  # other rows as they were
    assert session.apply_page("work_packages", view.rows, edited, {"program": program})
    after = session.frame("work_packages")
    assert gone not in set(after["id"]) and after["id"].iloc[-1] == "NEW-1" and len(after) == len(frame)
    assert after["program"].iloc[-1] == program


def test_a_page_of_the_competency_matrix_edits_levels_in_place() -> None:
    session = EditSession(DEMO.read_text(encoding="utf-8"), DEMO.name)
    frame = session.frame("competencies")
    view = page_of(frame, page=2, size=5)
    edited = view.rows.reset_index(drop=True)
    skill = next(c for c in edited.columns if c != "institution")
    edited.loc[0, skill] = 5
    merged = merge_page(frame, view.rows, edited)
    assert merged.loc[view.rows.index[0], skill] == 5
    assert merged.drop(index=view.rows.index[0]).equals(frame.drop(index=view.rows.index[0]))


def test_a_refused_page_edit_leaves_the_session_as_it_was(large_text: str) -> None:
    session = EditSession(large_text, "large.yaml")
    frame = session.frame("work_packages")
    view = page_of(frame, size=4)
    edited = view.rows.reset_index(drop=True)
    edited.loc[0, "effort_pm"] = 3.0  # a good cell written before the bad one is found
    edited.loc[2, "duration"] = "soon"
    with pytest.raises(EditError):
        session.apply_page("work_packages", view.rows, edited)
    assert session.text == large_text and not session.can_undo
    assert session.frame("work_packages").equals(frame)
    assert dump_yaml_text(session.doc) == large_text  # the document written in place was dropped and read again
