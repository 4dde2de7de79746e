"""The Edit page's view of a table: headers in words, blank empty cells, marked rows, per-year capacity said."""

from __future__ import annotations

from planner import load_scenario
from planner.ui.edit_tables import TABLES
from planner.ui.edit_view import capacity_notes, column_label
from tests.conftest import SCENARIOS


def test_every_editable_column_has_a_header_in_words_in_each_language() -> None:
    for table in TABLES.values():
        for column in table.columns:
            for lang in ("en", "ru"):
                assert "_" not in column_label(column.name, lang), (table.name, column.name, lang)
    assert column_label("capacity_pm_by_year", "en") == "Capacity by year (overrides)"
    assert column_label("uav-avionics", "ru") == "uav-avionics"  # a competency id is scenario content


def test_a_per_year_capacity_that_replaces_capacity_pm_is_said() -> None:
    scenario = load_scenario(SCENARIOS / "belarus-tomsk-2025-2030.yaml")
    overriding = [i for i in scenario.institutions if i.capacity_pm_by_year]
    notes = capacity_notes(scenario, "en")
    assert len(notes) == len(overriding) > 0
    assert notes[0].startswith(f"{overriding[0].id}: capacity by year") and "replaces" in notes[0]
    assert capacity_notes(None, "en") == []
