"""A page of an editable table: the rows of one program that match a search, a page at a time.

A 2,000-WP scenario's work packages do not fit an editor on any screen, and an editor of thousands of rows is
slow to send and draw. The Edit page shows one page of the filtered rows; `merge_page` writes the edited page back
into the whole table, so rows outside the page stay exactly as they were.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.ui.edit_tables import ORIGIN, empty

if TYPE_CHECKING:
    from collections.abc import Mapping

PAGE_ROWS = 50
"""Rows per page of the Edit page's tables."""


@dataclass(frozen=True)
class TablePage:
    """The rows shown (labelled by their position in the whole table), which page they are, and of how many."""

    rows: pd.DataFrame
    page: int  # 1-based, within 1..pages
    pages: int
    matching: int  # rows that pass the filters
    total: int  # rows in the table

    @property
    def first(self) -> int:
        """1-based number of the first row shown among the matching rows (0 when none match)."""
        return (self.page - 1) * PAGE_ROWS + 1 if self.matching else 0


def page_of(
    frame: pd.DataFrame,
    program: str | None = None,
    search: str = "",
    page: int = 1,
    size: int = PAGE_ROWS,
    program_of: Mapping[str, str] | None = None,
) -> TablePage:
    """The rows of `program` (by a `program` column, or a `work_package` column through `program_of`) that contain
    `search` in any cell (case-insensitive), page `page` of them (clamped to the pages there are)."""
    keep = pd.Series(True, index=frame.index)
    if program is not None:
        if "program" in frame.columns:
            keep &= frame["program"] == program
        elif "work_package" in frame.columns and program_of is not None:
            keep &= frame["work_package"].map(lambda w: program_of.get(str(w)) == program)
    if search.strip():
        text = search.strip().casefold()
        cells = frame.drop(columns=[ORIGIN], errors="ignore").astype(str)
        keep &= cells.apply(lambda col: col.str.casefold().str.contains(text, regex=False)).any(axis=1)
    matching = frame[keep.fillna(False).astype(bool)]
    pages = max(1, math.ceil(len(matching) / size))
    page = min(max(1, page), pages)
    rows = matching.iloc[(page - 1) * size : page * size]
    return TablePage(rows, page, pages, len(matching), len(frame))


def merge_page(
    full: pd.DataFrame, shown: pd.DataFrame, edited: pd.DataFrame, defaults: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """The whole table with a page's edits: its rows changed, deleted or added (new rows at the end, their empty
    cells filled from `defaults`, e.g. the program being filtered). Rows outside the page are left as they are.

    `shown` is the page as `page_of` gave it (labelled by position in the table); `edited` is what the editor
    returned for it, labelled 0, 1, … (an editor that may add rows needs a plain range index). Rows are matched by
    the hidden origin column (their position in the file); a table without one (the competency matrix) has fixed
    rows, matched by their place on the page.
    """
    if ORIGIN not in full.columns:
        rows = edited.iloc[: len(shown)].set_axis(shown.index[: min(len(shown), len(edited))])
        return _replace(full, rows.index, rows)
    label_of = {int(origin): label for label, origin in full[ORIGIN].items() if not pd.isna(origin)}
    kept = edited[edited[ORIGIN].notna()]
    added = edited[edited[ORIGIN].isna()].copy()
    kept = kept[[int(o) in label_of for o in kept[ORIGIN]]]
    kept = kept.set_axis(pd.Index([label_of[int(o)] for o in kept[ORIGIN]]))
    result = _replace(full, shown.index, kept)  # rows of the page not kept are deleted
    if added.empty:
        return result
    filled = [any(not empty(v) for c, v in row.items() if c != ORIGIN) for _, row in added.iterrows()]
    for col, value in (defaults or {}).items():
        if col in added.columns:  # a row left blank stays blank (it is no row)
            added[col] = [value if empty(cell) and f else cell for cell, f in zip(added[col], filled, strict=True)]
    start = int(full.index.max()) + 1 if len(full) else 0  # new labels: rows outside the page keep theirs
    return pd.concat([result, added.set_axis(pd.RangeIndex(start, start + len(added)))])


def _replace(full: pd.DataFrame, page: pd.Index, rows: pd.DataFrame) -> pd.DataFrame:
    """`full` without the rows of `page`, with `rows` (labelled as in `full`) in their places, in table order.

    Concatenated, not assigned cell by cell: an edited column may come back with another dtype (text typed into a
    number column, None in a new row), which pandas refuses to write into the column as it is.
    """
    return pd.concat([full.drop(index=page), rows]).sort_index(kind="stable")
