"""How the Edit page shows a table: headers in words, empty cells empty, rows with a problem marked, what Undo did.

No Streamlit here: the page passes these frames and texts to its widgets, and the tests check them directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from planner.i18n import number, t
from planner.ui.edit_tables import ORIGIN, empty
from planner.ui.editing import problem_location

if TYPE_CHECKING:
    from collections.abc import Sequence

    from planner.domain.scenario import Scenario
    from planner.problem.validate import Problem
    from planner.ui.edit_tables import Column
    from planner.ui.editing import Undone

PROBLEM = "⚠"
"""The column that marks rows with a problem (shown first, read-only; never written into the scenario)."""
TEXT_KINDS = frozenset({"text", "choice", "month", "list", "map", "duration", "after"})


def column_label(name: str, lang: str) -> str:
    """A column's header in words (a competency id, which has no text, as written)."""
    try:
        return t(f"edit.col.{name}", lang)
    except KeyError:
        return name


def problems_by_row(problems: Sequence[Problem], table: str) -> dict[int, list[tuple[str | None, str]]]:
    """Problems of one table by the row's place in the file, each with its column (None: the whole row)."""
    out: dict[int, list[tuple[str | None, str]]] = {}
    for problem in problems:
        where = problem_location(problem)
        if where is not None and where.table == table and where.row is not None:
            out.setdefault(where.row, []).append((where.column, problem.message))
    return out


def editor_rows(
    rows: pd.DataFrame, columns: Sequence[Column], problems: dict[int, list[tuple[str | None, str]]], lang: str
) -> pd.DataFrame:
    """The page's rows as the editor shows them: empty text cells blank (not "None"), and a first column that
    names the problem of each faulty row (its column in words)."""
    out = rows.reset_index(drop=True).copy()
    for c in columns:
        if c.kind in TEXT_KINDS and c.name in out.columns:
            out[c.name] = out[c.name].astype(object).where(out[c.name].notna(), "")
    places = out[ORIGIN] if ORIGIN in out.columns else pd.Series(rows.index, dtype="Int64")
    marks = []
    for place in places:
        found = problems.get(int(place), []) if not pd.isna(place) else []
        marks.append(
            "; ".join(f"{column_label(col, lang)}: {msg}" if col else msg for col, msg in found) if found else ""
        )
    if any(marks):
        out.insert(0, PROBLEM, marks)
    return out


def without_marks(edited: pd.DataFrame) -> pd.DataFrame:
    """An edited frame without the problem column (it is not part of the scenario)."""
    return edited.drop(columns=[PROBLEM], errors="ignore")


def undone_text(undone: Undone, lang: str, table_name: str, most: int = 3) -> str:
    """What an Undo took back, in words: 'Undone in Institutions: bsuir · Capacity: 99 → 4.'"""

    def show(value: object) -> str:
        if empty(value):
            return t("edit.empty", lang)
        if isinstance(value, float):
            return number(value, lang, decimals=0 if value.is_integer() else 2)
        return str(value)

    parts = [
        t("edit.undone.cell", lang, row=row, column=column_label(col, lang), was=show(was), now=show(now))
        for row, col, was, now in undone.cells[:most]
    ]
    if len(undone.cells) > most:
        parts.append(t("edit.undone.more", lang, n=len(undone.cells) - most))
    if undone.removed:
        parts.append(t("edit.undone.removed", lang, n=undone.removed))
    if undone.restored:
        parts.append(t("edit.undone.restored", lang, n=undone.restored))
    if not parts:
        parts.append(t("edit.undone.priorities", lang))
    return t("edit.undone", lang, table=table_name, what="; ".join(parts))


def capacity_notes(scenario: Scenario | None, lang: str) -> list[str]:
    """One line per institution whose capacity by year replaces its usual capacity in some years."""
    if scenario is None:
        return []
    notes = []
    for inst in scenario.institutions:
        if inst.capacity_pm_by_year:
            years = ", ".join(
                f"{y}: {number(v, lang, decimals=0 if float(v).is_integer() else 1)}"
                for y, v in inst.capacity_pm_by_year.items()
            )
            base = number(inst.capacity_pm, lang, decimals=0 if float(inst.capacity_pm).is_integer() else 1)
            notes.append(t("edit.capacity_override", lang, institution=inst.id, years=years, base=base))
    return notes
