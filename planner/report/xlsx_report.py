"""The report's tables as an Excel workbook: one sheet each, formatted for reading and for pasting into a proposal.

A summary sheet comes first (the checker's verdict, the key figures, what is tight or why there is no plan, how the
plan was made), then every table of the report on its own sheet: headers in words, bold and frozen (with an effort
matrix's institutions), a filter on them, columns sized to their content, and numbers kept as numbers with a format
by kind (money without decimals, person-months with one, shares as percentages), so Excel shows them in the reader's
own locale and a total can be recomputed.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from planner.i18n import t
from planner.report.document import cell_text
from planner.report.tables import TOTAL, _sheet_name, labelled

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from planner.report.document import Report, Table

FORMATS = {"money": "#,##0", "pm": "#,##0.0", "share": "0.0%", "int": "0", "seconds": "0.0", "number": "General"}
"""Excel number formats by column kind; Excel shows the separators of the reader's locale."""
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="F2F2F2")
BANNER_FILL = {"ok": "DAFBE1", "warning": "FFF8C5", "error": "FFEBE9"}
WIDEST = 60
"""Widest column, in characters; longer text wraps."""


def xlsx_bytes(report: Report) -> bytes:
    """The report's summary and tables as an .xlsx workbook."""
    book = Workbook()
    summary = book.active
    assert summary is not None  # a new workbook has one sheet
    used: set[str] = set()
    summary.title = _title(t("report.sheet.summary", report.lang), used)
    _summary(summary, report)
    for table in report.tables:
        if table.xlsx:
            _sheet(book.create_sheet(_title(t(f"report.sheet.{table.key}", report.lang), used)), table, report.lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _title(name: str, used: set[str]) -> str:
    sheet = _sheet_name(name, used)
    used.add(sheet.lower())
    return sheet


def _summary(ws: Worksheet, report: Report) -> None:
    """Title, the verdict, key figures, the explanation's lines and how the plan was made, one block under another."""
    lang = report.lang
    ws.append([report.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([report.scenario_name])
    if report.plan_name:
        ws.append([report.plan_name])
    ws.append([])
    ws.append([report.banner.heading])
    cell = ws.cell(ws.max_row, 1)
    cell.font = BOLD
    cell.fill = PatternFill("solid", start_color=BANNER_FILL[report.banner.level])
    for line in report.banner.lines:
        ws.append([f"• {line}"])
    ws.append([])
    _heading(ws, t("report.section.kpis", lang))
    for card in report.cards:
        ws.append([card.label, card.value if card.amount is None else card.amount, card.note])
        cell = ws.cell(ws.max_row, 2)
        cell.alignment = Alignment(horizontal="right")
        if card.amount is not None:  # a number the sheet can calculate with, shown as the language writes it
            cell.number_format = "#,##0" if card.decimals == 0 else "#,##0." + "0" * card.decimals
    for section in report.sections:
        if section.items or section.key == "explanation":
            ws.append([])
            _heading(ws, section.title)
            for line in section.lines:
                ws.append([line])
            for item in section.items:
                ws.append([f"• {item.text}"])
                for child in item.children:
                    ws.append([f"    – {child}"])
    if report.made_with:
        ws.append([])
        _heading(ws, t("report.section.made", lang))
        for label, value in report.made_with:
            ws.append([label, value])
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 24


def _heading(ws: Worksheet, text: str) -> None:
    ws.append([text])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)


def _sheet(ws: Worksheet, table: Table, lang: str) -> None:
    """One table: a bold, frozen, filtered header row in words, numbers as numbers, its title and note below."""
    df = table.data
    headers = [str(h) for h in labelled(df.head(0), lang).columns]
    kinds = [table.kind(c) for c in df.columns]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [min(len(h), 30) for h in headers]
    for values in df.itertuples(index=False):
        ws.append([_value(v, k) for v, k in zip(values, kinds, strict=True)])
        total = any(v == TOTAL for v in values[:3])
        for col, (cell, kind) in enumerate(zip(ws[ws.max_row], kinds, strict=True)):
            if kind in FORMATS:
                cell.number_format = FORMATS[kind]
            elif kind in ("check", "flag"):
                cell.alignment = Alignment(horizontal="center")
            if total:
                cell.font = BOLD
            widths[col] = max(widths[col], len(cell_text(values[col], kind, lang)))
    last = get_column_letter(len(headers))
    if len(df):
        ws.auto_filter.ref = f"A1:{last}{ws.max_row}"
    ws.freeze_panes = ws.cell(2, table.frozen_columns + 1)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = max(6, min(WIDEST, width + 2))
        if width > WIDEST:
            for row in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.append([])
    ws.append([table.title])
    ws.cell(ws.max_row, 1).font = Font(italic=True)
    if table.note:
        ws.append([table.note])
        ws.cell(ws.max_row, 1).font = Font(italic=True, color="57606A")


def _value(value: object, kind: str) -> object:
    """A cell's value for Excel: numbers as Python numbers, yes/no as ✓/✗, missing values empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if kind in ("check", "flag"):
        return "✓" if value else ("✗" if kind == "check" else None)
    if kind in ("text", "month") or isinstance(value, str):
        return str(value)
    if kind in ("int", "money") and float(value) == int(float(value)):  # type: ignore[arg-type]
        return int(float(value))  # type: ignore[arg-type]
    return float(value)  # type: ignore[arg-type]
