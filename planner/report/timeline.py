"""What a detailed Gantt draws besides its bars: a baseline behind them, float tails, milestones, the critical path,
dependency arrows and a today line, from the plan's timing (`planner.diagnose.timing`).

Pure functions that return plotly traces (or add a shape): `planner.report.charts.gantt` places them. Each trace's
`meta` names its layer, so that a test (or a reader of the figure) tells them from the plan's own bars. The arrows
are drawn on a second, hidden y axis laid exactly over the rows (row k at k), so that they can end at a bar's edge
(a category axis only knows row centres); each kind of arrow is one trace, so 150 bars draw as fast as without them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from planner.i18n import t

if TYPE_CHECKING:
    from collections.abc import Sequence

    from planner.diagnose.timing import Precedence, Timing
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario
    from planner.problem.calendar import Calendar

LAYERS = ("dependencies", "critical", "float", "milestones")
"""What a detailed Gantt can draw over its bars (a baseline and a today line are drawn when they are given)."""

CRITICAL_COLOR = "#B2182B"
DEPENDENCY_COLOR = "#5A5A5A"
FLOAT_COLOR = "#8C8C8C"
MILESTONE_COLOR = "#252525"
BASELINE_COLOR = "rgba(90,90,90,0.20)"
BASELINE_LINE = "rgba(90,90,90,0.55)"
TODAY_COLOR = "#2166AC"
BAR_HALF = 0.4
"""Half a bar's height in rows (plotly's bars fill 0.8 of a row)."""


@dataclass(frozen=True)
class Rows:
    """The rows of a detailed Gantt, top to bottom: each work package with its group (program or institution)."""

    groups: tuple[str, ...]
    wps: tuple[str, ...]

    @property
    def index(self) -> dict[str, int]:
        """Row of each work package (its first, should the plan list it twice)."""
        out: dict[str, int] = {}
        for k, w in enumerate(self.wps):
            out.setdefault(w, k)
        return out

    def y(self, wps: Sequence[str]) -> list[list[str]]:
        """The (group, work package) categories of these work packages' rows, as a multicategory axis takes them."""
        index = self.index
        return [[self.groups[index[w]] for w in wps], list(wps)]


def period_start(cal: Calendar, period: int) -> dt.datetime:
    """First day of a period (also beyond the horizon): where a bar that starts in it begins."""
    year, month = cal.start_month(period).split("-")
    return dt.datetime(int(year), int(month), 1)


def _ms(cal: Calendar, periods: float) -> float:
    """Milliseconds of a number of periods of average length (for offsets of arrows, not for dates)."""
    return periods * cal.step * 30.44 * 86_400_000


# ---------------------------------------------------------------- hover text


def timing_text(timing: Timing, cal: Calendar, lang: str) -> dict[str, str]:
    """A line or two of hover text per work package: when it could start, its float, whether it is critical and what
    it waits for."""
    out = {}
    for w, x in timing.wps.items():
        lines = [
            t(
                "chart.hover.window",
                lang,
                earliest=cal.start_month(x.earliest_start),
                latest=cal.start_month(x.latest_start),
            ),
            t("chart.hover.float", lang, total=x.total_float, free=x.free_float),
        ]
        if x.critical:
            lines.append(t("chart.hover.critical", lang))
        if x.drivers:
            lines.append(t("chart.hover.drivers", lang, wps=", ".join(x.drivers)))
        out[w] = "<br>".join(lines)
    return out


# ---------------------------------------------------------------- traces on the rows


def baseline_bars(scenario: Scenario, plan: Plan, baseline: Plan, rows: Rows, lang: str) -> go.Bar | None:
    """The baseline's bars of the work packages both plans do, faint and a little taller than the plan's, drawn
    first so that they show behind it (work the baseline does and this plan does not has no row to be drawn in)."""
    from planner.problem.prepared import prepare

    cal = prepare(scenario).calendar
    index = rows.index
    before = {a.work_package: a for a in baseline.assignments if a.work_package in index}
    now = {a.work_package: a for a in plan.assignments}
    shown = [w for w in rows.wps if w in before and w in now]
    shown = list(dict.fromkeys(shown))
    if not shown:
        return None
    custom = []
    for w in shown:
        b, a = before[w], now[w]
        moved = t("chart.hover.moved", lang, periods=f"{a.start - b.start:+d}") if a.start != b.start else ""
        elsewhere = (
            t("chart.hover.was_at", lang, institution=b.institution or t("chart.no_institution", lang))
            if b.institution != a.institution
            else ""
        )
        custom.append([w, b.start_month, b.end_month, "<br>".join(x for x in (moved, elsewhere) if x)])
    return go.Bar(
        orientation="h",
        base=[period_start(cal, before[w].start) for w in shown],
        x=[
            (period_start(cal, before[w].end) - period_start(cal, before[w].start)).total_seconds() * 1000
            for w in shown
        ],
        y=rows.y(shown),
        width=0.95,
        marker={"color": BASELINE_COLOR, "line": {"color": BASELINE_LINE, "width": 1}},
        name=t("chart.baseline", lang),
        meta="baseline",
        legendgroup="baseline",
        legendrank=1100,
        customdata=custom,
        hovertemplate="<b>%{customdata[0]}</b> · "
        + t("chart.baseline", lang)
        + "<br>%{customdata[1]} – %{customdata[2]}<br>%{customdata[3]}<extra></extra>",
    )


def critical_frames(timing: Timing, cal: Calendar, rows: Rows, lang: str) -> go.Bar | None:
    """A red frame over each critical work package's bar (hover goes to the bar beneath)."""
    shown = [timing.wps[w] for w in dict.fromkeys(rows.wps) if w in timing.wps and timing.wps[w].critical]
    if not shown:
        return None
    return go.Bar(
        orientation="h",
        base=[period_start(cal, v.start) for v in shown],
        x=[(period_start(cal, v.end) - period_start(cal, v.start)).total_seconds() * 1000 for v in shown],
        y=rows.y([v.wp for v in shown]),
        marker={"color": "rgba(0,0,0,0)", "line": {"color": CRITICAL_COLOR, "width": 2.5}},
        name=t("chart.critical", lang),
        meta="critical",
        legendgroup="critical",
        legendrank=1130,
        hoverinfo="skip",
    )


def float_tails(timing: Timing, cal: Calendar, rows: Rows, lang: str) -> go.Bar | None:
    """A thin bar after each work package with total float, as long as the float."""
    shown = [w for w in dict.fromkeys(rows.wps) if w in timing.wps and timing.wps[w].total_float > 0]
    if not shown:
        return None
    x = [timing.wps[w] for w in shown]
    return go.Bar(
        orientation="h",
        base=[period_start(cal, v.end) for v in x],
        x=[(period_start(cal, v.end + v.total_float) - period_start(cal, v.end)).total_seconds() * 1000 for v in x],
        y=rows.y(shown),
        width=0.22,
        marker={"color": FLOAT_COLOR, "line": {"width": 0}},
        opacity=0.55,
        name=t("chart.float", lang),
        meta="float",
        legendgroup="float",
        legendrank=1110,
        customdata=[[v.wp, v.total_float, v.free_float, cal.last_month(v.end + v.total_float)] for v in x],
        hovertemplate="<b>%{customdata[0]}</b><br>"
        + t("chart.hover.float", lang, total="%{customdata[1]}", free="%{customdata[2]}")
        + "<br>"
        + t("chart.hover.float_until", lang, month="%{customdata[3]}")
        + "<extra></extra>",
    )


def milestones(scenario: Scenario, plan: Plan, rows: Rows, lang: str) -> go.Scatter | None:
    """Diamonds where the plan delivers each deliverable, and at work packages of no duration (milestones)."""
    from planner.problem.prepared import prepare

    p = prepare(scenario)
    index = rows.index
    points: list[tuple[str, dt.datetime, list[str]]] = []
    for a in plan.assignments:
        if a.work_package not in index:
            continue
        wp = p.work_packages.get(a.work_package)
        titles = {d.id: (d.title, d.due) for d in wp.deliverables} if wp else {}
        for d in a.deliverables:
            title, due = titles.get(d.id, ("", None))
            due_text = t("chart.hover.due", lang, month=due) if due else ""
            points.append(
                (a.work_package, period_start(p.calendar, d.period), [a.work_package, d.id, title, d.month, due_text])
            )
        if a.start == a.end:
            title = wp.title if wp else ""
            points.append(
                (a.work_package, period_start(p.calendar, a.start), [a.work_package, "", title, a.end_month, ""])
            )
    if not points:
        return None
    return go.Scatter(
        x=[x for _, x, _ in points],
        y=rows.y([w for w, _, _ in points]),
        mode="markers",
        marker={"symbol": "diamond", "size": 12, "color": MILESTONE_COLOR, "line": {"width": 1.5, "color": "white"}},
        name=t("chart.milestone", lang),
        meta="milestones",
        legendgroup="milestone",
        legendrank=1120,
        customdata=[c for _, _, c in points],
        hovertemplate="<b>%{customdata[0]}</b> %{customdata[1]}<br>%{customdata[2]}<br>"
        + t("chart.hover.delivered", lang)
        + ": %{customdata[3]}<br>%{customdata[4]}<extra></extra>",
    )


# ---------------------------------------------------------------- arrows on the overlaid axis


def arrows(timing: Timing, cal: Calendar, rows: Rows, layers: Sequence[str], lang: str) -> list[go.Scatter]:
    """Dependency arrows between the rows shown: grey ones (layer "dependencies") and the critical path's in red
    (layer "critical"; grey too when only "dependencies" is asked for). On the axis "y2" (see the module's docstring).

    A finish-to-start arrow leaves the predecessor's end and comes down (or up) onto the successor's bar a little
    after its start; a start-to-start arrow leaves the predecessor's start to the left and enters the successor's
    start from the left.
    """
    index = rows.index
    drawn = [e for e in timing.precedences if e.pred in index and e.succ in index]
    red = "critical" in layers
    kinds: list[tuple[bool, list[Precedence]]] = []
    if "dependencies" in layers:
        kinds.append((False, [e for e in drawn if not (red and (e.pred, e.succ) in timing.critical_edges)]))
    if red:
        kinds.append((True, [e for e in drawn if (e.pred, e.succ) in timing.critical_edges]))
    out: list[go.Scatter] = []
    for critical, edges in kinds:
        if not edges:
            continue
        color = CRITICAL_COLOR if critical else DEPENDENCY_COLOR
        name = t("chart.critical" if critical else "chart.dependency", lang)
        xs: list[dt.datetime | None] = []
        ys: list[float | None] = []
        heads: list[tuple[dt.datetime, float, str, list[str]]] = []
        for e in edges:
            path, head = _route(e, timing, cal, index)
            xs += [x for x, _ in path] + [None]
            ys += [y for _, y in path] + [None]
            kind = t("chart.hover.fs" if e.finish else "chart.hover.ss", lang)
            lag = t("chart.hover.lag", lang, lag=e.lag) if e.lag else ""
            heads.append((*head, [e.pred, e.succ, kind, lag]))
        out.append(
            go.Scatter(
                x=xs,
                y=ys,
                yaxis="y2",
                mode="lines",
                line={"color": color, "width": 2 if critical else 1.2},
                opacity=0.9 if critical else 0.7,
                name=name,
                meta="critical" if critical else "dependencies",
                legendgroup="critical" if critical else "dependencies",
                showlegend=not critical,  # the critical frames carry the legend's entry (a lone critical bar has none)
                legendrank=1140,
                hoverinfo="skip",
            )
        )
        out.append(
            go.Scatter(
                x=[x for x, _, _, _ in heads],
                y=[y for _, y, _, _ in heads],
                yaxis="y2",
                mode="markers",
                marker={"symbol": [s for _, _, s, _ in heads], "size": 8 if critical else 7, "color": color},
                name=name,
                meta="critical" if critical else "dependencies",
                legendgroup="critical" if critical else "dependencies",
                showlegend=False,
                customdata=[c for _, _, _, c in heads],
                hovertemplate="%{customdata[0]} → %{customdata[1]}<br>%{customdata[2]}%{customdata[3]}<extra>"
                + name
                + "</extra>",
            )
        )
    return out


def _route(
    e: Precedence, timing: Timing, cal: Calendar, index: dict[str, int]
) -> tuple[list[tuple[dt.datetime, float]], tuple[dt.datetime, float, str]]:
    """The corners of one arrow's line, and where its head is and which way it points."""
    p, s = timing.wps[e.pred], timing.wps[e.succ]
    kp, ks = index[e.pred], index[e.succ]
    if not e.finish:  # start to start: out of the predecessor's start to the left, into the successor's start
        left = period_start(cal, p.start) - dt.timedelta(milliseconds=_ms(cal, 0.35))
        at = period_start(cal, s.start)
        return [(period_start(cal, p.start), kp), (left, kp), (left, ks), (at, ks)], (at, ks, "triangle-right")
    inside = min(0.5, (s.end - s.start) / 2)
    x = period_start(cal, s.start) + dt.timedelta(milliseconds=_ms(cal, inside))
    down = ks > kp  # rows count downwards
    edge = ks - BAR_HALF if down else ks + BAR_HALF
    return [(period_start(cal, p.end), kp), (x, kp), (x, edge)], (x, edge, "triangle-down" if down else "triangle-up")


def overlay_axis(rows: int) -> dict[str, Any]:
    """The hidden axis the arrows are drawn on, laid over the rows: row k at k, top to bottom."""
    return {"overlaying": "y", "range": [rows - 0.5, -0.5], "visible": False, "fixedrange": True}


# ---------------------------------------------------------------- today


def today_line(fig: go.Figure, today: dt.date, cal: Calendar, lang: str) -> None:
    """A dotted vertical line at today's date, labelled, if today falls within the horizon."""
    first, stop = period_start(cal, 0), period_start(cal, cal.horizon)
    at = dt.datetime(today.year, today.month, today.day)
    if not first <= at < stop:
        return
    fig.add_shape(
        type="line",
        x0=at,
        x1=at,
        y0=0,
        y1=1,
        xref="x",
        yref="paper",
        line={"color": TODAY_COLOR, "width": 1.5, "dash": "dot"},
    )
    fig.add_annotation(
        x=at,
        y=1,
        xref="x",
        yref="paper",
        yanchor="bottom",
        text=t("chart.today", lang, date=today.isoformat()),
        showarrow=False,
        font={"color": TODAY_COLOR, "size": 11},
    )
