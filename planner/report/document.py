"""A plan's report as data: the banner, key figures, sections, tables and charts that the HTML and Excel writers lay out.

Tables are DataFrames with stable column ids (the writers put headers in words,
`planner.report.tables.labelled`) and a kind per column that decides how its values read
(`cell_text`); charts are the app's figures (`planner.report.charts`). `planner.report.contents`
builds a `Report`; `html_report` and `xlsx_report` write one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import pandas as pd

from planner.i18n import number, percent
from planner.report.tables import TOTAL

if TYPE_CHECKING:
    from collections.abc import Mapping

    import plotly.graph_objects as go

    from planner.report.verdict import Verdict

Kind = Literal["text", "month", "money", "pm", "share", "int", "number", "seconds", "check", "flag"]
"""How a column's values read: money without decimals, person-months with one, shares as percentages, a rule kept
or not (check: ✓ or ✗), a property (flag: ✓ or nothing), a month (never broken over two lines), …"""

KINDS: dict[str, Kind] = {
    "amount": "money",
    "cap": "money",
    "cost": "money",
    "cost_reporting": "money",
    TOTAL: "money",
    "effort_pm": "pm",
    "share": "share",
    "target": "share",
    "low": "share",
    "high": "share",
    "use": "share",
    "gap": "share",
    "priority": "int",
    "duration": "int",
    "work_packages_led": "int",
    "spare_months": "int",
    "value": "number",
    "recomputed": "number",
    "bound": "number",
    "time_s": "seconds",
    "proven": "check",
    "within": "check",
    "critical": "flag",
    "mandatory": "flag",
    "start_month": "month",
    "end_month": "month",
    "month": "month",
    "due": "month",
    "date": "month",
}
"""Column kinds by column id; a table may override them (`Table.kinds`); any other column is text."""


@dataclass(frozen=True)
class Table:
    """One table of the report: an HTML table and an Excel sheet."""

    key: str
    title: str
    data: pd.DataFrame
    note: str = ""
    kinds: Mapping[str, Kind] = field(default_factory=dict)
    html: bool = True
    xlsx: bool = True
    frozen_columns: int = 0
    """Leading columns that stay in view when a wide sheet scrolls (an effort matrix's institutions)."""
    blank_zeros: bool = False
    """Zeros are shown as empty cells (an effort matrix, as proposals print it; the workbook keeps the numbers)."""

    def kind(self, column: object) -> Kind:
        """How a column's values read."""
        name = str(column)
        return self.kinds.get(name) or KINDS.get(name, "text")


@dataclass(frozen=True)
class Chart:
    """One chart of the report (a figure of `planner.report.charts`)."""

    key: str
    figure: go.Figure


@dataclass(frozen=True)
class Item:
    """A line of a list, with the lines nested under it."""

    text: str
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A titled part of the report: sentences, a list, charts and tables, in that order."""

    key: str
    title: str
    lines: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Banner:
    """What the report says first: whether the plan was checked and keeps every rule."""

    level: Literal["ok", "warning", "error"]
    heading: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Card:
    """A key figure."""

    label: str
    value: str
    note: str = ""
    amount: float | None = None
    """The figure as a number, for a spreadsheet to calculate with (`value` is it written in the language)."""
    decimals: int = 0


@dataclass(frozen=True)
class Report:
    """Everything a plan's report shows, in its language."""

    lang: str
    title: str
    scenario_name: str
    plan_name: str
    banner: Banner
    cards: tuple[Card, ...]
    sections: tuple[Section, ...]
    made_with: tuple[tuple[str, str], ...]
    verdict: Verdict

    @property
    def tables(self) -> list[Table]:
        """Every table, in the order the sections show them."""
        return [table for section in self.sections for table in section.tables]


def cell_text(value: object, kind: str, lang: str, blank_zero: bool = False) -> str:
    """A cell as people read it in a language: money without decimals, person-months with one where needed, shares as
    percentages, yes/no as ✓/✗, empty for a missing value (and for 0 in an effort matrix, as proposals print it)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if kind in ("check", "flag"):
        return "✓" if value else ("✗" if kind == "check" else "")
    if kind in ("text", "month") or isinstance(value, str):
        return str(value)
    x = float(value)  # type: ignore[arg-type]
    if blank_zero and x == 0:
        return ""
    if kind == "share":
        return percent(x, lang, decimals=1)
    if kind in ("money", "int"):
        return number(x, lang)
    if kind == "seconds":
        return number(x, lang, decimals=1)
    if kind == "pm":
        return number(x, lang, decimals=0 if x.is_integer() else 1)
    return number(x, lang, decimals=0 if x.is_integer() or abs(x) >= 100 else 2)
