"""Editing scenarios through tables: only the edited lines change, comments survive, errors point at cells."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.io.yamlio import dump_yaml_text, load_yaml_text
from planner.problem.validate import Problem, parse_scenario
from planner.ui.editing import (
    ORIGIN,
    TABLES,
    CellRef,
    EditError,
    EditSession,
    apply_table,
    problem_location,
    set_priorities,
    table_columns,
    table_frame,
)
from tests.conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

DEMO = ROOT / "scenarios" / "belarus-tomsk-2025-2030.yaml"
MINIMAL = ROOT / "scenarios" / "minimal.yaml"
FILES = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def demo_text() -> str:
    return DEMO.read_text(encoding="utf-8")


@pytest.fixture
def demo(demo_text: str) -> object:
    return load_yaml_text(demo_text)


def changed_lines(old: str, new: str) -> list[tuple[str, list[str], list[str]]]:
    """(opcode, old lines, new lines) for every difference between two texts."""
    a, b = old.splitlines(), new.splitlines()
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    return [(op, a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in ops if op != "equal"]


def comments(text: str) -> list[str]:
    return [line[line.index("#") :] for line in text.splitlines() if "#" in line and "'" not in line]


def edit(frame: pd.DataFrame, row_id: str, column: str, value: object) -> pd.DataFrame:
    frame = frame.copy()
    key = "institution" if "institution" in frame.columns and "id" not in frame.columns else "id"
    frame[column] = frame[column].astype(object)
    frame.loc[frame[key] == row_id, column] = value
    return frame


# ---------------------------------------------------------------- fidelity


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("table", list(TABLES))
def test_unedited_table_gives_identical_bytes(path: Path, table: str) -> None:
    text = path.read_text(encoding="utf-8")
    doc = load_yaml_text(text)
    assert dump_yaml_text(apply_table(doc, table, table_frame(doc, table))) == text


def test_capacity_edit_changes_only_that_line(demo: object, demo_text: str) -> None:
    frame = edit(table_frame(demo, "institutions"), "tusur", "capacity_pm", 9)
    new_text = dump_yaml_text(apply_table(demo, "institutions", frame))
    assert changed_lines(demo_text, new_text) == [("replace", ["    capacity_pm: 7"], ["    capacity_pm: 9"])]
    assert comments(new_text) == comments(demo_text)
    tusur = next(i for i in parse_scenario(new_text).institutions if i.id == "tusur")
    assert tusur.capacity_pm == 9


def test_edit_beside_an_end_of_line_comment_keeps_it_and_its_gap(demo: object, demo_text: str) -> None:
    frame = edit(table_frame(demo, "work_packages"), "T-11", "after", "T-09, U-05, U-01 SS+2")
    new_text = dump_yaml_text(apply_table(demo, "work_packages", frame))
    [(op, old, new)] = changed_lines(demo_text, new_text)
    assert op == "replace"
    assert old == [
        "    after: [T-09, U-05]   # links the two staple programs: the UAV datalink gets the new transistor"
    ]
    assert new == [
        "    after: [T-09, U-05, {id: U-01, type: SS, lag: 2}]   # links the two staple programs: "
        "the UAV datalink gets the new transistor"
    ]


def test_apply_never_mutates_its_input(demo: object, demo_text: str) -> None:
    frame = edit(table_frame(demo, "institutions"), "bsu", "capacity_pm", 1)
    apply_table(demo, "institutions", frame)
    assert dump_yaml_text(demo) == demo_text


def test_cells_show_lists_maps_durations_and_predecessors_as_text(demo: object) -> None:
    wps = table_frame(demo, "work_packages").set_index("id")
    assert wps.loc["U-02", "requires"] == "uav-avionics: 4, embedded-software: 3"
    assert wps.loc["U-02", "duration"] == "8-12"
    assert wps.loc["F-01", "duration"] == "3"
    assert wps.loc["T-08", "after"] == "T-05 SS+6"
    assert wps.loc["M-08", "after"] == "M-07+2"
    assert pd.isna(wps.loc["U-02", "deadline"])  # optional field absent: an empty cell
    assert bool(wps.loc["U-01", "mandatory"]) is True  # absent bool: its default
    funders = table_frame(demo, "funders").set_index("id")
    assert funders.loc["union-state", "pays"] == "BY, RU"
    assert funders.loc["by-budget", "cap_per_year"].startswith("2025: 900000, 2026: 1100000")


def test_every_column_has_help_from_the_models() -> None:
    for table in TABLES.values():
        for column in table.columns:
            assert column.help, (table.name, column.name)
    institutions = {c.name: c for c in TABLES["institutions"].columns}
    assert institutions["capacity_pm"].help.startswith("Person-months the institution can give per period.")
    assert institutions["kind"].options[:2] == ("university", "institute")


# ---------------------------------------------------------------- rows


def test_added_row_is_appended_and_validates(demo: object, demo_text: str) -> None:
    frame = table_frame(demo, "institutions")
    new_row = {"id": "tsu-2", "name": "Второй корпус", "country": "RU", "kind": "university", "capacity_pm": 2}
    frame = pd.concat([frame, pd.DataFrame([new_row])], ignore_index=True)
    new_text = dump_yaml_text(apply_table(demo, "institutions", frame))
    [(op, old, new)] = changed_lines(demo_text, new_text)
    assert op == "insert" and old == []
    assert new == [
        "  - id: tsu-2",
        "    name: Второй корпус",
        "    country: RU",
        "    kind: university",
        "    capacity_pm: 2",
    ]
    assert parse_scenario(new_text).institutions[-1].id == "tsu-2"
    assert comments(new_text) == comments(demo_text)


def test_deleted_rows_go_with_their_lines_and_section_comments_stay(demo: object, demo_text: str) -> None:
    frame = table_frame(demo, "prior_results")
    new_text = dump_yaml_text(apply_table(demo, "prior_results", frame.iloc[:-1]))
    [(op, old, new)] = changed_lines(demo_text, new_text)
    assert op == "delete" and old[0] == "  - institution: amkodor" and len(old) == 4 and new == []
    assert "# Decisions fixed by people." in new_text
    frame = table_frame(demo, "institutions")
    new_text = dump_yaml_text(apply_table(demo, "institutions", frame[frame["id"] != "tusur"]))
    assert "  # ---------------------------------------------------------------- Russia, Tomsk Oblast" in new_text
    assert comments(new_text) == comments(demo_text)
    assert [op for op, _, _ in changed_lines(demo_text, new_text)] == ["delete"]


def test_deleting_every_row_leaves_an_empty_list_and_the_next_comment(demo: object, demo_text: str) -> None:
    frame = table_frame(demo, "forbids")
    new_text = dump_yaml_text(apply_table(demo, "forbids", frame.iloc[0:0]))
    assert "forbids: []\n\n# Optional work first (value)" in new_text
    assert parse_scenario(new_text).forbids == []


def test_a_row_in_a_missing_section_creates_it_in_model_order() -> None:
    doc = load_yaml_text(MINIMAL.read_text(encoding="utf-8"))
    frame = pd.concat([table_frame(doc, "pins"), pd.DataFrame([{"work_package": "U-01", "institution": "bsuir"}])])
    new_text = dump_yaml_text(apply_table(doc, "pins", frame))
    assert "pins:\n  - work_package: U-01\n    institution: bsuir\nobjective:" in new_text
    assert parse_scenario(new_text).pins[0].institution == "bsuir"


def test_blank_added_row_is_ignored(demo: object, demo_text: str) -> None:
    frame = pd.concat([table_frame(demo, "work_packages"), pd.DataFrame([{"id": None, "mandatory": None}])])
    assert dump_yaml_text(apply_table(demo, "work_packages", frame)) == demo_text


def test_changed_id_with_origin_is_a_rename_that_keeps_the_rest(demo: object, demo_text: str) -> None:
    frame = edit(table_frame(demo, "work_packages"), "T-07", "id", "T-07a")
    new_text = dump_yaml_text(apply_table(demo, "work_packages", frame))
    assert changed_lines(demo_text, new_text) == [("replace", ["  - id: T-07"], ["  - id: T-07a"])]


def test_changed_id_without_origin_is_a_delete_and_an_add(demo: object) -> None:
    frame = edit(table_frame(demo, "work_packages"), "T-07", "id", "T-07a").drop(columns=[ORIGIN])
    new = apply_table(demo, "work_packages", frame)
    ids = [wp["id"] for wp in new["work_packages"]]
    assert "T-07" not in ids and ids[-1] == "T-07a"
    assert "deliverables" not in new["work_packages"][-1]  # only what the table shows comes along


def test_positional_tables_match_rows_by_origin(demo: object) -> None:
    frame = table_frame(demo, "pins")
    frame.loc[1, "note"] = "moved"
    new = apply_table(demo, "pins", frame.iloc[::-1])  # a sorted view comes back in another order
    assert [p["work_package"] for p in new["pins"]] == ["T-05", "F-04"]
    assert new["pins"][1]["note"] == "moved"


# ---------------------------------------------------------------- competency matrix


def test_competency_matrix_edits_levels_in_place(demo: object, demo_text: str) -> None:
    frame = table_frame(demo, "competencies")
    assert [c.name for c in table_columns(demo, "competencies")][:3] == [
        "institution",
        "uav-avionics",
        "uav-airframe-composites",
    ]
    frame = edit(frame, "bsu", "rf-design", 5)
    frame = edit(frame, "bntu", "field-trials", None)
    new_text = dump_yaml_text(apply_table(demo, "competencies", frame))
    assert changed_lines(demo_text, new_text) == [
        (
            "replace",
            [
                "    competencies: {device-modeling: 4, remote-sensing: 4, rf-design: 3, biomaterials: 3, gan-epitaxy: 2}"
            ],
            [
                "    competencies: {device-modeling: 4, remote-sensing: 4, rf-design: 5, biomaterials: 3, gan-epitaxy: 2}"
            ],
        ),
        ("delete", ["      field-trials: 2"], []),
    ]


def test_competency_matrix_refuses_unknown_institution(demo: object) -> None:
    frame = table_frame(demo, "competencies")
    frame.loc[0, "institution"] = "nowhere"
    with pytest.raises(EditError) as e:
        apply_table(demo, "competencies", frame)
    assert "add it in the institutions table first" in str(e.value)


# ---------------------------------------------------------------- bad cells


@pytest.mark.parametrize(
    ("table", "row_id", "column", "text", "message"),
    [
        ("institutions", "bsu", "capacity_pm", "six", "'six' is not a number"),
        ("institutions", "bsu", "kind", "school", "'school' is not one of: university, institute"),
        ("institutions", "bsu", "capacity_pm_by_year", "2025 4", "is not a 'key: value' pair; write e.g. '2025: 4"),
        ("work_packages", "U-01", "duration", "2 to 4", "write a whole number of periods (6) or a range (8-12)"),
        ("work_packages", "U-01", "earliest_start", "2025-13", "'2025-13' is not a month: write YYYY-MM"),
        ("work_packages", "U-01", "requires", "uav-avionics: 3.5", "not a level"),
        ("work_packages", "U-01", "after", "U-00 XX+1", "'U-00 XX+1' is not a predecessor"),
        ("work_packages", "U-01", "mandatory", "maybe", "'maybe' is not true or false"),
        ("funders", "by-budget", "cap_per_year", "twenty: 5", "'twenty' is not a year"),
        ("funders", "by-budget", "cap_per_year", "2025: 1, 2025: 2", "'2025' is given twice"),
        ("competencies", "bsu", "rf-design", 3.5, "is not a level"),
        ("work_packages", "U-01", "id", "", "every row needs an id"),
    ],
)
def test_bad_cell_names_table_row_column_and_fix(
    demo: object, table: str, row_id: str, column: str, text: object, message: str
) -> None:
    frame = edit(table_frame(demo, table), row_id, column, text)
    with pytest.raises(EditError) as e:
        apply_table(demo, table, frame)
    [problem] = e.value.problems
    assert (problem.table, problem.row_id, problem.column) == (table, row_id, column)
    assert message in problem.message
    assert f"row '{row_id}'" in str(problem) and f"column '{column}'" in str(problem)


def test_all_bad_cells_are_reported_together(demo: object) -> None:
    frame = edit(table_frame(demo, "institutions"), "bsu", "capacity_pm", "x")
    frame = edit(frame, "tpu", "rate_per_pm", "y")
    frame = pd.concat([frame, pd.DataFrame([{"name": "no id"}])], ignore_index=True)
    with pytest.raises(EditError) as e:
        apply_table(demo, "institutions", frame)
    assert [(p.row_id, p.column) for p in e.value.problems] == [
        ("bsu", "capacity_pm"),
        ("tpu", "rate_per_pm"),
        (None, "id"),
    ]
    assert e.value.problems[-1].row == len(frame) - 1


def test_unknown_column_is_refused(demo: object) -> None:
    frame = table_frame(demo, "forbids").assign(colour="red")
    with pytest.raises(EditError, match="colour"):
        apply_table(demo, "forbids", frame)


def test_forgiving_cell_text_means_no_change(demo: object, demo_text: str) -> None:
    frame = edit(table_frame(demo, "work_packages"), "U-07", "after", "flight-controller,U-04 ,  U-05,U-06")
    frame = edit(frame, "U-02", "requires", "embedded-software: 3, uav-avionics: 4.0")
    frame = edit(frame, "U-02", "duration", "8–12")
    assert dump_yaml_text(apply_table(demo, "work_packages", frame)) == demo_text


# ---------------------------------------------------------------- objective


def test_set_priorities_rewrites_only_the_objective(demo: object, demo_text: str) -> None:
    new_text = dump_yaml_text(set_priorities(demo, ["lateness", "value", "cost"]))
    assert changed_lines(demo_text, new_text) == [
        ("replace", ["  priorities: [value, lateness, balance, cost]"], ["  priorities: [lateness, value, cost]"])
    ]
    assert dump_yaml_text(set_priorities(demo, ["value", "lateness", "balance", "cost"])) == demo_text


def test_set_priorities_with_mode_and_weights_keeps_flow_style() -> None:
    doc = load_yaml_text(MINIMAL.read_text(encoding="utf-8"))
    new_text = dump_yaml_text(set_priorities(doc, ["cost"], mode="weighted", weights={"cost": 2.5}))
    assert "objective: {priorities: [cost], mode: weighted, weights: {cost: 2.5}}" in new_text
    assert parse_scenario(new_text).objective.weights == {"cost": 2.5}


def test_set_priorities_refuses_unknown_terms(demo: object) -> None:
    with pytest.raises(EditError, match="unknown term 'speed'; terms: value, lateness"):
        set_priorities(demo, ["speed"])


# ---------------------------------------------------------------- session and problems


def test_invalid_edit_is_kept_and_its_problem_points_at_the_cell(demo_text: str) -> None:
    session = EditSession(demo_text, "scenarios/belarus-tomsk-2025-2030.yaml")
    assert session.scenario is not None and session.problems == [] and not session.changed
    frame = edit(session.frame("work_packages"), "U-03", "requires", "uav-avionics: 4, warp-drive: 3")
    assert session.apply("work_packages", frame)
    assert session.scenario is None and session.changed and "warp-drive: 3" in session.text
    [problem] = session.problems
    assert problem.path == "work_packages[2].requires.warp-drive"
    assert session.locate(problem) == CellRef("work_packages", 2, "requires")
    assert session.frame("work_packages").loc[2, "id"] == "U-03"


def test_level_problem_points_at_the_competency_matrix_cell(demo_text: str) -> None:
    session = EditSession(demo_text, "demo.yaml")
    session.apply("competencies", edit(session.frame("competencies"), "bsu", "rf-design", 7))
    [problem] = session.problems
    assert "at most 5" in problem.message
    assert session.locate(problem) == CellRef("competencies", 1, "rf-design")


def test_undo_restores_the_exact_text_several_levels(demo_text: str) -> None:
    session = EditSession(demo_text, "demo.yaml")
    assert not session.can_undo and not session.undo()
    texts = [session.text]
    for capacity in (1, 2, 3):
        session.apply("institutions", edit(session.frame("institutions"), "bsu", "capacity_pm", capacity))
        texts.append(session.text)
    session.set_priorities(["cost"])
    assert not session.apply("institutions", session.frame("institutions"))  # no change, no history
    for expected in reversed(texts):
        assert session.undo()
        assert session.text == expected
    assert session.text == demo_text and not session.changed and not session.can_undo
    assert session.scenario is not None


def test_session_with_broken_yaml_reports_it_and_refuses_tables() -> None:
    session = EditSession("a: [unclosed", "broken.yaml")
    assert session.scenario is None and "not valid YAML" in session.problems[0].message
    with pytest.raises(EditError, match="not a YAML mapping"):
        session.frame("institutions")
    assert session.set_text("schema_version: 1\n") and session.can_undo


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("institutions[3].capacity_pm", CellRef("institutions", 3, "capacity_pm")),
        ("institutions[3].competencies.gan-epitaxy", CellRef("competencies", 3, "gan-epitaxy")),
        ("institutions[3].competencies", CellRef("competencies", 3, None)),
        ("institutions[3].colour", CellRef("institutions", 3, None)),
        ("work_packages[12].after[0]", CellRef("work_packages", 12, "after")),
        ("work_packages[12].duration.min", CellRef("work_packages", 12, "duration")),
        ("work_packages[12].options[0].institution", CellRef("work_packages", 12, None)),
        ("funders[1].cap_per_year.2025", CellRef("funders", 1, "cap_per_year")),
        ("pins[0].start", CellRef("pins", 0, "start")),
        ("objective.priorities[1]", CellRef("objective", None, "priorities")),
        ("time.start", None),
        ("", None),
    ],
)
def test_problem_location(path: str, expected: CellRef | None) -> None:
    assert problem_location(Problem("f.yaml", 1, path, "x")) == expected


# ---------------------------------------------------------------- properties


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    note=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)
def test_any_note_text_round_trips(demo: object, demo_text: str, note: str) -> None:
    new = apply_table(demo, "institutions", edit(table_frame(demo, "institutions"), "bntu", "note", note))
    new_text = dump_yaml_text(new)
    assert table_frame(load_yaml_text(new_text), "institutions").set_index("id").loc["bntu", "note"] == note
    assert parse_scenario(new_text).institutions[2].note == note
    [(op, _, [line])] = changed_lines(demo_text, new_text)  # one line added; every other line (and comment) stays
    assert op == "insert" and line.startswith("    note: ")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    capacities=st.dictionaries(st.sampled_from(["bsuir", "bsu", "tusur", "micran"]), st.integers(10, 99), min_size=1)
)
def test_each_capacity_edit_changes_exactly_one_line(demo: object, demo_text: str, capacities: dict[str, int]) -> None:
    frame = table_frame(demo, "institutions")
    for inst, capacity in capacities.items():
        frame = edit(frame, inst, "capacity_pm", capacity)
    changes = changed_lines(demo_text, dump_yaml_text(apply_table(demo, "institutions", frame)))
    assert sum(len(new) for _, _, new in changes) == len(capacities)
    assert all(op == "replace" and len(old) == 1 and old[0].startswith("    capacity_pm: ") for op, old, _ in changes)


def test_undo_in_a_table_takes_back_only_that_tables_edit_and_says_what(demo_text: str) -> None:
    """Issue 16, finding 9: Undo reverted an edit in another table and did not say what it undid."""
    session = EditSession(demo_text, "demo.yaml")
    before = session.frame("institutions")
    session.apply("institutions", edit(session.frame("institutions"), "bsu", "capacity_pm", 99))
    wps = session.frame("work_packages")
    title = wps.loc[0, "title"]
    wps.loc[0, "title"] = "Renamed"
    session.apply("work_packages", wps)
    assert session.can_undo_table("institutions") and session.can_undo_table("work_packages")
    assert not session.can_undo_table("funders") and session.undo_table("funders") is None

    undone = session.undo_table("institutions")  # not the last edit: the work-package edit stays
    assert undone is not None and undone.table == "institutions"
    assert [(row, column, was, now) for row, column, was, now in undone.cells] == [
        ("bsu", "capacity_pm", 99.0, float(before.loc[before["id"] == "bsu", "capacity_pm"].iloc[0]))
    ]
    assert session.frame("institutions").equals(before)
    assert session.frame("work_packages").loc[0, "title"] == "Renamed"
    assert not session.can_undo_table("institutions")

    undone = session.undo_table("work_packages")  # the last edit: back to the exact text
    assert undone is not None and undone.cells == ((str(wps.loc[0, "id"]), "title", "Renamed", title),)
    assert session.text == demo_text and not session.changed


def test_an_overlap_group_from_a_suggestion_marks_mandatory_members_optional_and_undoes() -> None:
    from planner.ui.editing import EditSession

    text = (ROOT / "scenarios" / "belarus-tomsk-2025-2030.yaml").read_text(encoding="utf-8")
    session = EditSession(text, "demo.yaml")
    assert session.add_overlap_group("same-trials", ["F-04", "F-05"], True, "twice", optional=["F-04", "F-05"])
    assert session.scenario is not None, session.problems
    group = next(g for g in session.scenario.overlap_groups if g.id == "same-trials")
    assert (group.members, group.required, group.note) == (["F-04", "F-05"], True, "twice")
    assert not any(w.mandatory for w in session.scenario.work_packages if w.id in ("F-04", "F-05"))
    added = [line for line in session.text.splitlines() if line not in text.splitlines()]
    assert added == ["  - id: same-trials", "    members: [F-04, F-05]", "    note: twice"]  # `mandatory: false`
    # lines repeat lines the file has, so only the group's new lines show; the comments stay as they were
    assert session.undo() and session.text == text


def test_a_suggestion_extends_an_existing_group_in_place() -> None:
    from planner.ui.editing import EditSession

    text = (ROOT / "scenarios" / "belarus-tomsk-2025-2030.yaml").read_text(encoding="utf-8")
    session = EditSession(text, "demo.yaml")
    assert session.add_overlap_group("biodegradable-implants", ["M-03", "M-04", "M-02"])
    assert session.scenario is not None, session.problems
    changed = list(difflib.unified_diff(text.splitlines(), session.text.splitlines(), lineterm="", n=0))[2:]
    assert changed[1:] == ["-    members: [M-03, M-04]", "+    members: [M-03, M-04, M-02]"] and len(changed) == 3
