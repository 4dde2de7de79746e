"""The report as one self-contained HTML file: it opens offline, prints, and makes no network request.

plotly.js is inlined once for all charts, gzip-compressed and base64-encoded (4.8 MB → 2.0 MB): a small loader
inflates it with the browser's own `DecompressionStream` and draws each chart from its JSON, so the file stays far
below 5 MB with room for large programs. Tables are plain HTML, readable without JavaScript and printable; the
template (Jinja2, every value escaped) holds its own CSS: no web fonts, no images, no links out.
"""

from __future__ import annotations

import base64
import functools
import gzip
import json
import math
from typing import TYPE_CHECKING, Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from planner.i18n import t
from planner.report.document import cell_text
from planner.report.tables import TOTAL, labelled

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from planner.report.document import Report, Table

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["sendDataToCloud"]}
"""Chart options: no plotly logo (it links out), charts follow the page's width (also when printed)."""


def html_text(report: Report) -> str:
    """The report as a complete HTML document."""
    figures = [(chart.key, chart.figure) for section in report.sections for chart in section.charts]
    payloads, template = _figures(figures)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            lang=report.lang,
            t=lambda key, **values: t(key, report.lang, **values),
            sections=[
                {
                    "key": s.key,
                    "title": s.title,
                    "lines": s.lines,
                    "entries": s.items,
                    "charts": [{"key": c.key, **payloads[c.key]} for c in s.charts],
                    "tables": [_table(x, report.lang) for x in s.tables if x.html],
                }
                for s in report.sections
            ],
            plotly_gz=_plotly_js_gz() if figures else "",
            template_json=template,
            config_json=_script_json(PLOTLY_CONFIG),
        )
    )


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("planner.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@functools.cache
def _plotly_js_gz() -> str:
    """plotly.js of the installed plotly, gzip-compressed (no timestamp: the same bytes every time) and base64-encoded."""
    from plotly.offline import get_plotlyjs

    return base64.b64encode(gzip.compress(get_plotlyjs().encode("utf-8"), compresslevel=9, mtime=0)).decode("ascii")


def _figures(figures: list[tuple[str, go.Figure]]) -> tuple[dict[str, dict[str, Any]], str]:
    """Each figure as JSON for a script element, and their shared layout template once (every chart uses the same)."""
    out: dict[str, dict[str, Any]] = {}
    template: object = None
    for key, figure in figures:
        data = json.loads(figure.to_json())
        own = data.get("layout", {}).pop("template", None)
        if template is None:
            template = own
        elif own != template:  # a chart with its own look keeps it
            data["layout"]["template"] = own
        height = data.get("layout", {}).get("height") or 450
        out[key] = {"json": _script_json(data), "height": int(height)}
    return out, _script_json(template or {})


def _script_json(data: object) -> str:
    """JSON safe inside a <script> element: '<' is escaped, so no text of a scenario can end the element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


# ---------------------------------------------------------------- tables


def _table(table: Table, lang: str) -> dict[str, Any]:
    """A table laid out for the template: headers in words, cells formatted in the language, classes for alignment."""
    df = table.data
    headers = [str(h) for h in labelled(df.head(0), lang).columns]
    kinds = [table.kind(c) for c in df.columns]
    rows = []
    for values in df.itertuples(index=False):
        cells = [
            {"text": cell_text(v, k, lang, blank_zero=table.blank_zeros), "cls": _cell_class(v, k)}
            for v, k in zip(values, kinds, strict=True)
        ]
        total = any(v == TOTAL for v in values[:3])
        rows.append({"cells": cells, "cls": "total" if total else ""})
    return {
        "key": table.key,
        "title": table.title,
        "note": table.note,
        "headers": [
            {"text": h, "cls": "num" if k not in ("text", "month", "check", "flag") else ""}
            for h, k in zip(headers, kinds, strict=True)
        ],
        "rows": rows,
        "wide": len(headers) > 12,
    }


def _cell_class(value: object, kind: str) -> str:
    """Numbers align right; a rule not met (✗, a negative margin) is marked."""
    missing = value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    if kind in ("check", "flag"):
        return "flag bad" if kind == "check" and not missing and not value else "flag"
    if kind == "month":
        return "month"
    if kind == "text" or isinstance(value, str):
        return ""
    if kind == "int" and not missing and float(value) < 0:  # type: ignore[arg-type]
        return "num bad"
    return "num"
