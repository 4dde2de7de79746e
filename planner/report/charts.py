"""Charts of a plan as plotly figures: pure functions shared by the app and the HTML report.

Every function takes the scenario and the plan (and a language for titles and labels) and returns a
`plotly.graph_objects.Figure`; none of them touches Streamlit. Figures come from `planner.report.tables`, so
a chart and its table always agree. An empty plan gives a figure that says so, never an exception.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any, Literal, Protocol

import plotly.graph_objects as go
from plotly.colors import hex_to_rgb, qualitative
from plotly.subplots import make_subplots

from planner.diagnose.timing import plan_timing
from planner.i18n import t
from planner.problem.calendar import month_number, month_text
from planner.problem.prepared import prepare
from planner.report import timeline
from planner.report.tables import assignments_table, budget_use, capacity_use, effort_matrix, funding_flows

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping, Sequence

    import pandas as pd

    from planner.diagnose.timing import Timing
    from planner.domain.plan import Assignment, Plan
    from planner.domain.scenario import Scenario

NO_GROUP = "—"
"""Row group of work done by no institution (an outside laboratory)."""
DEADLINE_COLOR = "#B2182B"
CAP_COLOR = "#262626"
ROW_PX = 24
DETAIL_ROWS = 150
"""Most work packages a chart draws one by one; a larger plan is drawn one bar (or column) per group, and the Gantt
shows the work packages of one group at a time (drill-down), so a 2,000-WP plan is not a 48,000-pixel figure."""


class ProgressPoint(Protocol):
    """A solution or bound found during a solve (see `planner.cpsat.solver.Progress`)."""

    @property
    def stage(self) -> int: ...
    @property
    def term(self) -> str: ...
    @property
    def elapsed_s(self) -> float: ...
    @property
    def objective(self) -> float | None: ...
    @property
    def bound(self) -> float | None: ...


# ---------------------------------------------------------------- shared helpers


def month_start(month: str) -> dt.datetime:
    """First day of a 'YYYY-MM' month: where a bar that starts in that month begins."""
    year, mon = month.split("-")
    return dt.datetime(int(year), int(mon), 1)


def month_after(month: str) -> dt.datetime:
    """First day of the month after a 'YYYY-MM' month: where a bar that ends in that month ends."""
    return month_start(month_text(month_number(month) + 1))


def country_colors(*scenarios: Scenario) -> dict[str, str]:
    """A fixed colour per country id, in the order the scenarios list them, the same in every chart."""
    ids = list(dict.fromkeys(c.id for s in scenarios for c in s.countries))
    palette = qualitative.D3
    return {c: palette[k % len(palette)] for k, c in enumerate(ids)}


def _layout(fig: go.Figure, title: str, lang: str, height: int | None = None) -> go.Figure:
    """The common look: white template, title, number separators of the language."""
    fig.update_layout(
        template="plotly_white",
        title={"text": title, "x": 0.0, "xanchor": "left"},
        separators=t("chart.separators", lang),
        margin={"l": 10, "r": 10, "t": 70, "b": 40},
    )
    if height is not None:
        fig.update_layout(height=height)
    return fig


def _message(fig: go.Figure, text: str, **where: Any) -> None:
    """A friendly message in the middle of a figure (or of one subplot, given row and col)."""
    fig.add_annotation(
        text=text, xref="x domain", yref="y domain", x=0.5, y=0.5, showarrow=False, font={"size": 16}, **where
    )


def _no_plan(title: str, plan: Plan, lang: str) -> go.Figure:
    """A valid figure that says there is no plan to draw, with the plan's status."""
    return _empty(title, t("chart.no_plan", lang, status=t(f"kpi.status.{plan.status}", lang)), lang)


def _empty(title: str, text: str, lang: str) -> go.Figure:
    """A valid figure with nothing but a message in its middle."""
    fig = go.Figure()
    fig.add_annotation(text=text, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 16})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, lang, height=300)


def _money(x: float, currency: str | None, lang: str) -> str:
    """An amount for hover text, with the language's thousands separator."""
    text = f"{x:,.0f}".replace(",", t("chart.separators", lang)[1])
    return f"{text} {currency}" if currency else text


# ---------------------------------------------------------------- Gantt


def _gantt_frame(scenario: Scenario, plan: Plan, by: str) -> pd.DataFrame:
    """The plan's assignments with their row group (program or institution) and the groups' order in the file."""
    df = assignments_table(scenario, plan)
    order = [p.id for p in scenario.programs] if by == "program" else [i.id for i in scenario.institutions]
    rank = {g: k for k, g in enumerate(order)}
    df["group"] = df[by].fillna(NO_GROUP)
    df["rank"] = df["group"].map(lambda g: rank.get(g, len(rank)))
    return df


def _gantt_traces(
    scenario: Scenario,
    plan: Plan,
    by: str,
    lang: str,
    colors: dict[str, str],
    legend: bool = True,
    only: str | None = None,
    flagged: Mapping[str, str] | None = None,
    keep: Collection[str] | None = None,
    timing: Timing | None = None,
    layers: Sequence[str] = (),
    baseline: Plan | None = None,
) -> tuple[list[Any], int]:
    """Bars (one trace per country), deadline markers and marks on work that breaks a rule (`flagged`: work package
    → what it breaks) of one Gantt (of one group if `only`, of the work packages in `keep` if given), and its row
    count. With a `timing`, the bars' hover gives their float and `layers` (see `timeline.LAYERS`) are drawn; a
    `baseline`'s bars are drawn behind them; arrows go on the axis "y2" (`timeline.overlay_axis`)."""
    df = _gantt_frame(scenario, plan, by)
    if only is not None:
        df = df[df["group"] == only].copy()
    if keep is not None:
        df = df[df["work_package"].isin(list(keep))].copy()
    if df.empty:
        return [], 0
    df = df.sort_values(["rank", "group", "start_month", "work_package"]).reset_index(drop=True)
    df["begin"] = df["start_month"].map(month_start)
    df["finish"] = df["end_month"].map(month_after)
    df["who"] = [f"{i} · {n}" if n else str(i or NO_GROUP) for i, n in df[["institution", "institution_name"]].values]
    df["cost_text"] = [_money(x, c, lang) for x, c in df[["cost", "currency"]].values]
    cal = prepare(scenario).calendar
    said = timeline.timing_text(timing, cal, lang) if timing is not None else {}
    df["timing"] = [said.get(w, "") for w in df["work_package"]]
    rows = timeline.Rows(tuple(df["group"]), tuple(df["work_package"]))
    # An invisible first trace fixes the row order: a multicategory axis lists rows as traces first show them.
    traces: list[Any] = [
        go.Scatter(
            x=df["begin"], y=rows.y(rows.wps), mode="markers", marker={"opacity": 0}, hoverinfo="skip", showlegend=False
        )
    ]
    if baseline is not None and (behind := timeline.baseline_bars(scenario, plan, baseline, rows, lang)):
        traces.append(behind)
    hover = (
        "<b>%{customdata[0]}</b> %{customdata[1]}<br>"
        + t("chart.hover.institution", lang)
        + ": %{customdata[2]}<br>%{customdata[3]} – %{customdata[4]}<br>"
        + ("%{customdata[7]}<br>" if timing is not None else "")
        + _effort_and_cost_hover(lang)
    )
    names = {c.id: c.name for c in scenario.countries}
    df["country"] = df["country"].fillna(NO_GROUP)
    for country in [c for c in [*names, NO_GROUP] if c in set(df["country"])]:
        part = df[df["country"] == country]
        custom = part[["work_package", "title", "who", "start_month", "end_month", "effort_pm", "cost_text", "timing"]]
        traces.append(
            go.Bar(
                orientation="h",
                base=list(part["begin"]),
                x=[(f - b).total_seconds() * 1000 for b, f in zip(part["begin"], part["finish"], strict=True)],
                y=[part["group"].tolist(), part["work_package"].tolist()],
                name=names.get(country) or t("chart.no_institution", lang),
                legendgroup=str(country),
                showlegend=legend,
                marker={"color": colors.get(country, "#7F7F7F")},
                customdata=custom.values.tolist(),
                hovertemplate=hover,
            )
        )
    if timing is not None and "critical" in layers and (frames := timeline.critical_frames(timing, cal, rows, lang)):
        traces.append(frames)
    if timing is not None and "float" in layers and (tails := timeline.float_tails(timing, cal, rows, lang)):
        traces.append(tails)
    deadlines = {w.id: w.deadline for w in scenario.work_packages if w.deadline}
    marked = df[df["work_package"].isin(deadlines)]
    if not marked.empty:
        due = [deadlines[w] for w in marked["work_package"]]
        traces.append(
            go.Scatter(
                x=[month_after(m) for m in due],
                y=[marked["group"].tolist(), marked["work_package"].tolist()],
                mode="markers",
                marker={"symbol": "line-ns", "size": 16, "line": {"width": 3, "color": DEADLINE_COLOR}},
                name=t("chart.deadline", lang),
                legendgroup="deadline",
                showlegend=legend,
                customdata=list(zip(marked["work_package"], due, strict=True)),
                hovertemplate="<b>%{customdata[0]}</b><br>"
                + t("chart.hover.deadline", lang)
                + ": %{customdata[1]}<extra></extra>",
            )
        )
    if "milestones" in layers and (diamonds := timeline.milestones(scenario, plan, rows, lang)):
        traces.append(diamonds)
    broken = df[df["work_package"].isin(list(flagged or {}))]
    if not broken.empty:
        traces.append(
            go.Scatter(
                x=list(broken["begin"]),
                y=[broken["group"].tolist(), broken["work_package"].tolist()],
                mode="markers",
                marker={"symbol": "x", "size": 13, "color": DEADLINE_COLOR, "line": {"width": 1, "color": "white"}},
                name=t("chart.violation", lang),
                legendgroup="violation",
                showlegend=legend,
                customdata=[[w, (flagged or {})[w]] for w in broken["work_package"]],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
            )
        )
    if timing is not None:
        traces += timeline.arrows(timing, cal, rows, layers, lang)
    return traces, len(df)


def _effort_and_cost_hover(lang: str) -> str:
    """The end of a Gantt bar's hover: effort (customdata[5]) and cost (customdata[6])."""
    return (
        t("chart.hover.effort", lang)
        + ": %{customdata[5]:,.1f} "
        + t("chart.pm", lang)
        + "<br>"
        + t("chart.hover.cost", lang)
        + ": %{customdata[6]}<extra></extra>"
    )


def gantt(
    scenario: Scenario,
    plan: Plan,
    by: Literal["program", "institution"] = "program",
    lang: str = "en",
    only: str | None = None,
    flagged: Mapping[str, str] | None = None,
    *,
    layers: Sequence[str] = timeline.LAYERS,
    baseline: Plan | None = None,
    today: dt.date | None = None,
    programs: Collection[str] = (),
    countries: Collection[str] = (),
    institutions: Collection[str] = (),
    timing: Timing | None = None,
) -> go.Figure:
    """Work packages over time, grouped by program or institution, coloured by country, hard deadlines marked, and
    work that breaks a rule of the scenario (`flagged`: work package → what it breaks, from the checker) crossed.

    Over the bars, the plan's timing (`planner.diagnose.timing`): the `layers` of `timeline.LAYERS` (dependency
    arrows, the critical path in red, total float as a thin tail, deliverables and milestones as diamonds); behind
    them a `baseline` plan's bars, faint; a line at `today`. Float and the critical path are the whole plan's, also
    when a filter hides part of it; arrows are drawn between the work packages shown.

    `only` draws the work packages of one program (or institution); `programs`, `countries` and `institutions`
    keep only the work packages of those (each filter empty: all). A selection of more than `DETAIL_ROWS` work
    packages is drawn as `gantt_summary` unless `only` picks a group: its bars would not fit on any screen.
    `timing` is `plan_timing(scenario, plan)` when the caller has it already (it is computed otherwise).
    """
    keep = _kept(scenario, plan, programs, countries, institutions)
    if only is None and len(plan.assignments if keep is None else keep) > DETAIL_ROWS:
        shown = plan if keep is None else plan.model_copy(update={"assignments": _only(plan, keep)})
        return gantt_summary(scenario, shown, by, lang)
    title = t(f"chart.gantt.title.{by}", lang) if only is None else t("chart.gantt.title.one", lang, group=only)
    if only is not None and (name := _group_names(scenario).get(only)):
        title = t("chart.gantt.title.one", lang, group=f"{only} · {name}")
    if timing is None and plan.assignments:
        timing = plan_timing(scenario, plan)
    traces, rows = _gantt_traces(
        scenario,
        plan,
        by,
        lang,
        country_colors(scenario),
        only=only,
        flagged=flagged,
        keep=keep,
        timing=timing,
        layers=layers,
        baseline=baseline,
    )
    if not traces:
        return _no_plan(title, plan, lang) if keep is None else _empty(title, t("chart.gantt.none_kept", lang), lang)
    fig = go.Figure(traces)
    fig.update_layout(
        barmode="overlay", legend_title_text=t("chart.legend.country", lang), yaxis2=timeline.overlay_axis(rows)
    )
    fig.update_xaxes(type="date", title_text=t("chart.axis.time", lang), tickformat=t("chart.date_format", lang))
    # Both axes span the rows exactly, so that the arrows' axis lies over the bars'; zoom is in time only.
    fig.update_layout(yaxis={"range": [rows - 0.5, -0.5], "fixedrange": True})
    if today is not None:
        timeline.today_line(fig, today, prepare(scenario).calendar, lang)
    return _layout(fig, title, lang, height=140 + ROW_PX * rows)


def gantt_is_summary(
    scenario: Scenario,
    plan: Plan,
    only: str | None = None,
    programs: Collection[str] = (),
    countries: Collection[str] = (),
    institutions: Collection[str] = (),
) -> bool:
    """Whether `gantt` draws this selection as `gantt_summary`, one bar per group (a page offers drill-down then)."""
    return only is None and gantt_selection_size(scenario, plan, programs, countries, institutions) > DETAIL_ROWS


def gantt_selection_size(
    scenario: Scenario,
    plan: Plan,
    programs: Collection[str] = (),
    countries: Collection[str] = (),
    institutions: Collection[str] = (),
) -> int:
    """How many of the plan's work packages the filters keep."""
    keep = _kept(scenario, plan, programs, countries, institutions)
    return len(plan.assignments if keep is None else keep)


def _kept(
    scenario: Scenario, plan: Plan, programs: Collection[str], countries: Collection[str], institutions: Collection[str]
) -> set[str] | None:
    """The work packages of the plan that the filters keep (None: no filter, all of them)."""
    if not (programs or countries or institutions):
        return None
    p = prepare(scenario)
    kept = set()
    for a in plan.assignments:
        wp = p.work_packages.get(a.work_package)
        if programs and (wp is None or wp.program not in programs):
            continue
        if countries and p.country_of(a.institution) not in countries:
            continue
        if institutions and a.institution not in institutions:
            continue
        kept.add(a.work_package)
    return kept


def _only(plan: Plan, keep: Collection[str]) -> list[Assignment]:
    return [a for a in plan.assignments if a.work_package in keep]


def _group_names(scenario: Scenario) -> dict[str, str]:
    """The names of the rows a Gantt can group by: programs and institutions."""
    return {p.id: p.name for p in scenario.programs if p.name} | {i.id: i.name for i in scenario.institutions if i.name}


def gantt_summary(
    scenario: Scenario, plan: Plan, by: Literal["program", "institution"] = "program", lang: str = "en"
) -> go.Figure:
    """One bar per program (or institution) from its first start to its last end, coloured by the country that does
    most of its effort; the hover gives its work packages, effort and cost. The overview of a large plan."""
    title = t(f"chart.gantt.summary.{by}", lang)
    df = _gantt_frame(scenario, plan, by)
    if df.empty:
        return _no_plan(title, plan, lang)
    df["country"] = df["country"].fillna(NO_GROUP)
    lead = df.groupby(["group", "country"])["effort_pm"].sum().reset_index()
    lead = lead.sort_values(["group", "effort_pm"], ascending=[True, False]).drop_duplicates("group")
    groups = (
        df.groupby("group")
        .agg(
            rank=("rank", "first"),
            start_month=("start_month", "min"),
            end_month=("end_month", "max"),
            work_packages=("work_package", "size"),
            effort_pm=("effort_pm", "sum"),
            cost=("cost_reporting", "sum"),
        )
        .join(lead.set_index("group")["country"])
        .sort_values(["rank", "start_month"])
    )
    groups["begin"] = groups["start_month"].map(month_start)
    groups["finish"] = groups["end_month"].map(month_after)
    named = _group_names(scenario)
    currency = (scenario.currencies.reporting if scenario.currencies else None) or None
    hover = (
        "<b>%{customdata[0]}</b> %{customdata[1]}<br>%{customdata[2]} – %{customdata[3]}<br>"
        + t("chart.hover.work_packages", lang)
        + ": %{customdata[4]}<br>"
        + _effort_and_cost_hover(lang)
    )
    names = {c.id: c.name for c in scenario.countries}
    colors = country_colors(scenario)
    fig = go.Figure()
    for country in [c for c in [*names, NO_GROUP] if c in set(groups["country"])]:
        part = groups[groups["country"] == country]
        custom = [
            [g, named.get(g) or "", start, end, n, effort, _money(cost, currency, lang)]
            for g, start, end, n, effort, cost in part[
                ["start_month", "end_month", "work_packages", "effort_pm", "cost"]
            ].itertuples()
        ]
        fig.add_trace(
            go.Bar(
                orientation="h",
                base=list(part["begin"]),
                x=[(f - b).total_seconds() * 1000 for b, f in zip(part["begin"], part["finish"], strict=True)],
                y=[str(g) for g in part.index],
                name=names.get(country) or t("chart.no_institution", lang),
                marker={"color": colors.get(country, "#7F7F7F")},
                customdata=custom,
                hovertemplate=hover,
            )
        )
    # Rows in the file's order: the category axis lists them as given here, whatever trace draws each one.
    fig.update_layout(barmode="overlay", legend_title_text=t("chart.legend.lead_country", lang))
    fig.update_xaxes(type="date", title_text=t("chart.axis.time", lang), tickformat=t("chart.date_format", lang))
    fig.update_yaxes(
        type="category", categoryorder="array", categoryarray=[str(g) for g in groups.index], autorange="reversed"
    )
    return _layout(fig, title, lang, height=140 + ROW_PX * len(groups))


def gantt_compare(
    scenario_a: Scenario,
    plan_a: Plan,
    scenario_b: Scenario,
    plan_b: Plan,
    labels: tuple[str, str] = ("A", "B"),
    by: Literal["program", "institution"] = "program",
    lang: str = "en",
    flagged: tuple[Mapping[str, str] | None, Mapping[str, str] | None] = (None, None),
) -> go.Figure:
    """Two Gantts stacked on one shared time axis, so that moved work lines up by eye (`flagged` as in `gantt`)."""
    colors = country_colors(scenario_a, scenario_b)
    parts = [
        _gantt_traces(scenario_a, plan_a, by, lang, colors, flagged=flagged[0]),
        _gantt_traces(scenario_b, plan_b, by, lang, colors, legend=False, flagged=flagged[1]),
    ]
    heights = [max(rows, 3) for _, rows in parts]
    height = 200 + ROW_PX * sum(heights)
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=min(0.3, 90 / height),  # room for the upper plot's dates and the lower title
        row_heights=[h / sum(heights) for h in heights],
        subplot_titles=list(labels),
    )
    for row, ((traces, _), plan) in enumerate(zip(parts, (plan_a, plan_b), strict=True), start=1):
        for trace in traces:
            fig.add_trace(trace, row=row, col=1)
        if not traces:
            status = t(f"kpi.status.{plan.status}", lang)
            _message(fig, t("chart.no_plan", lang, status=status), row=row, col=1)
        fig.update_yaxes(autorange="reversed", row=row, col=1)
    fig.update_layout(barmode="overlay", legend_title_text=t("chart.legend.country", lang))
    fig.update_xaxes(type="date", tickformat=t("chart.date_format", lang), showticklabels=True)
    fig.update_xaxes(title_text=t("chart.axis.time", lang), row=2, col=1)
    return _layout(fig, t("chart.gantt.compare.title", lang), lang, height=height)


# ---------------------------------------------------------------- capacity and effort


def capacity_heatmap(scenario: Scenario, plan: Plan, lang: str = "en") -> go.Figure:
    """Utilisation per institution and period: idle grey, in use blue, over capacity orange to red."""
    title = t("chart.capacity.title", lang)
    if not plan.assignments:
        return _no_plan(title, plan, lang)
    df = capacity_use(scenario, plan)
    active = df.groupby("institution", sort=False)[["capacity_pm", "used_pm"]].sum().max(axis=1) > 0
    df = df[df["institution"].map(active)]
    util = df.pivot(index="institution", columns="month", values="utilisation").loc[list(active[active].index)]
    used = df.pivot(index="institution", columns="month", values="used_pm").loc[util.index]
    cap = df.pivot(index="institution", columns="month", values="capacity_pm").loc[util.index]
    top = max(1.5, float(util.max().max()) if util.notna().any().any() else 0.0)
    full = 1.0 / top
    scale = [
        [0.0, "#BDBDBD"],  # idle: capacity but nothing booked
        [min(1e-3, full / 2), "#EFF3FF"],
        [full, "#08519C"],  # exactly full
        [min(full + 1e-3, 1.0), "#FDAE61"],  # the first step over capacity
        [1.0, "#A50026"],
    ]
    marks = [["!" if (u == u and u > 1 + 1e-9) else "" for u in r] for r in util.to_numpy()]
    custom = [
        [[u, c] for u, c in zip(ur, cr, strict=True)] for ur, cr in zip(used.to_numpy(), cap.to_numpy(), strict=True)
    ]
    pm = t("chart.pm", lang)
    fig = go.Figure(
        go.Heatmap(
            z=util.to_numpy(),
            x=list(util.columns),
            y=list(util.index),
            zmin=0.0,
            zmax=top,
            colorscale=scale,
            text=marks,
            texttemplate="%{text}",
            customdata=custom,
            xgap=1,
            ygap=1,
            hovertemplate="<b>%{y}</b> %{x}<br>"
            + t("chart.hover.used", lang)
            + f": %{{customdata[0]:,.2f}} {pm}<br>"
            + t("chart.hover.capacity", lang)
            + f": %{{customdata[1]:,.2f}} {pm}<br>"
            + t("chart.hover.utilisation", lang)
            + ": %{z:.0%}<extra></extra>",
            colorbar={"title": {"text": t("chart.hover.utilisation", lang)}, "tickformat": ".0%"},
        )
    )
    fig.add_annotation(
        text=t("chart.capacity.note", lang), xref="paper", yref="paper", x=0, y=1.0, yanchor="bottom", showarrow=False
    )
    fig.update_xaxes(title_text=t("chart.axis.month", lang), type="category")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, lang, height=180 + ROW_PX * len(util))


def effort_heatmap(
    scenario: Scenario, plan: Plan, lang: str = "en", by: Literal["work_package", "program"] | None = None
) -> go.Figure:
    """Person-months by institution and work package (or program): the staff-effort matrix as a heatmap.

    By default a plan of more than `DETAIL_ROWS` work packages is shown by program.
    """
    if by is None:
        by = "program" if len(plan.assignments) > DETAIL_ROWS else "work_package"
    title = t("chart.effort.title" if by == "work_package" else "chart.effort.title.program", lang)
    m = effort_matrix(scenario, plan, totals=False, by=by)
    if m.empty:
        return _no_plan(title, plan, lang)
    z = m.where(m > 0)
    totals = m.sum(axis=1)
    fig = go.Figure(
        go.Heatmap(
            z=z.to_numpy(),
            x=list(m.columns),
            y=[f"{i} ({totals[i]:,.1f})" for i in m.index],
            colorscale="Blues",
            zmin=0.0,
            texttemplate="%{z:.1f}",
            xgap=1,
            ygap=1,
            hovertemplate="<b>%{y}</b> · %{x}<br>%{z:,.1f} " + t("chart.pm", lang) + "<extra></extra>",
            colorbar={"title": {"text": t("chart.pm", lang)}},
        )
    )
    fig.update_xaxes(title_text=t(f"chart.axis.{by}", lang), type="category", tickangle=-60)
    fig.update_yaxes(title_text=t("chart.axis.institution", lang), autorange="reversed", type="category")
    return _layout(fig, title, lang, height=200 + ROW_PX * len(m))


# ---------------------------------------------------------------- money


def budget_chart(scenario: Scenario, plan: Plan, lang: str = "en") -> go.Figure:
    """Cost by country and year, and each funder's payments by year, against their caps where they exist."""
    title = t("chart.budget.title", lang)
    if not plan.assignments:
        return _no_plan(title, plan, lang)
    df = budget_use(scenario, plan)
    df = df[df["year"].notna()]
    currency = df.loc[df["kind"] == "country", "currency"].iloc[0] or ""
    kinds = ["country"] + (["funder"] if scenario.funders else [])
    fig = make_subplots(
        rows=len(kinds),
        cols=1,
        vertical_spacing=0.14,
        subplot_titles=[t(f"chart.budget.{k}", lang, currency=currency) for k in kinds],
    )
    colors = country_colors(scenario)
    palette = qualitative.Pastel
    cap_shown = False
    for row, kind in enumerate(kinds, start=1):
        part = df[df["kind"] == kind]
        for k, (who, rows) in enumerate(part.groupby(part["id"].fillna(NO_GROUP), sort=False)):
            years = [str(y) for y in rows["year"]]
            name = str(who) if kind == "funder" else (rows["name"].iloc[0] or t("chart.no_institution", lang))
            color = colors.get(str(who), "#7F7F7F") if kind == "country" else palette[k % len(palette)]
            fig.add_trace(
                go.Bar(
                    x=years,
                    y=rows["amount_reporting"],
                    name=name,
                    offsetgroup=str(who),
                    marker={"color": color},
                    customdata=list(zip(rows["amount"], rows["currency"].fillna(""), strict=True)),
                    hovertemplate=f"<b>{name}</b> %{{x}}<br>%{{y:,.0f}} {currency}"
                    + ("<br>%{customdata[0]:,.0f} %{customdata[1]}" if kind == "funder" else "")
                    + "<extra></extra>",
                ),
                row=row,
                col=1,
            )
            capped = rows[rows["cap_reporting"].notna()]
            if not capped.empty:
                fig.add_trace(
                    go.Scatter(
                        x=[str(y) for y in capped["year"]],
                        y=capped["cap_reporting"],
                        mode="markers+text",  # each cap line names its funder: readable on paper, without hover
                        text=[name] * len(capped),
                        textposition="top center",
                        textfont={"size": 10, "color": CAP_COLOR},
                        offsetgroup=str(who),
                        marker={"symbol": "line-ew", "size": 30, "line": {"width": 3, "color": CAP_COLOR}},
                        name=t("chart.cap", lang),
                        legendgroup="cap",
                        legendrank=1001,
                        showlegend=not cap_shown,
                        customdata=list(zip(capped["cap"], capped["currency"].fillna(""), capped["use"], strict=True)),
                        hovertemplate=f"<b>{name}</b> %{{x}}<br>"
                        + t("chart.cap", lang)
                        + f": %{{y:,.0f}} {currency}<br>%{{customdata[0]:,.0f}} %{{customdata[1]}}"
                        + "<br>"
                        + t("chart.hover.utilisation", lang)
                        + ": %{customdata[2]:.0%}<extra></extra>",
                    ),
                    row=row,
                    col=1,
                )
                cap_shown = True
        fig.update_yaxes(title_text=currency, row=row, col=1)
        fig.update_xaxes(type="category", title_text=t("chart.axis.year", lang), row=row, col=1)
    fig.update_layout(barmode="group", scattermode="group")
    return _layout(fig, title, lang, height=380 * len(kinds))


def funding_sankey(scenario: Scenario, plan: Plan, lang: str = "en") -> go.Figure:
    """Money flowing funder → institution → program, in the reporting currency; the flows add up to the cost."""
    currency = (scenario.currencies.reporting if scenario.currencies else "") or ""
    title = t("chart.sankey.title", lang, currency=currency)
    flows = funding_flows(scenario, plan)
    if flows.empty:
        return _no_plan(title, plan, lang)
    unfunded, nobody = t("chart.sankey.unfunded", lang), t("chart.no_institution", lang)
    funders = {f.id: f.name for f in scenario.funders}
    insts = prepare(scenario).institutions
    programs = {p.id: p.name for p in scenario.programs}
    colors = country_colors(scenario)
    nodes: dict[tuple[str, str | None], int] = {}
    labels: list[str] = []
    hovers: list[str] = []
    node_colors: list[str] = []
    kinds: list[str] = []

    def node(kind: str, key: str | None) -> int:
        if (kind, key) not in nodes:
            nodes[kind, key] = len(labels)
            kinds.append(kind)
            if kind == "funder":
                labels.append(key or unfunded)
                hovers.append(funders.get(key or "", unfunded))
                node_colors.append("#7F7F7F" if key else "#D9D9D9")
            elif kind == "institution":
                inst = insts.get(key or "")
                labels.append(key or nobody)
                hovers.append(inst.name or inst.id if inst else nobody)
                node_colors.append(colors.get(inst.country, "#7F7F7F") if inst else "#D9D9D9")
            else:
                labels.append(key or "")
                hovers.append(programs.get(key or "", key or ""))
                node_colors.append("#9467BD")
        return nodes[kind, key]

    links: dict[tuple[int, int], float] = {}
    for f, i, prog, x in flows.astype(object).where(flows.notna(), None).itertuples(index=False):
        for pair in ((node("funder", f), node("institution", i)), (node("institution", i), node("program", prog))):
            links[pair] = links.get(pair, 0.0) + float(x)
    fig = go.Figure(
        go.Sankey(
            valueformat=",.0f",
            valuesuffix=f" {currency}" if currency else "",
            node={
                "label": labels,
                "customdata": hovers,
                "color": node_colors,
                "pad": 12,
                "hovertemplate": "<b>%{label}</b><br>%{customdata}<br>%{value:,.0f}<extra></extra>",
            },
            link={
                "source": [s for s, _ in links],
                "target": [d for _, d in links],
                "value": list(links.values()),
                "color": [_translucent(node_colors[i if kinds[i] == "institution" else j]) for i, j in links],
            },
        )
    )
    return _layout(fig, title, lang, height=max(420, 18 * len(labels)))


def _translucent(color: str, alpha: float = 0.35) -> str:
    """A '#RRGGBB' colour as a translucent rgba() colour, for Sankey links."""
    r, g, b = hex_to_rgb(color)
    return f"rgba({r},{g},{b},{alpha})"


# ---------------------------------------------------------------- solving


def progress_chart(points: Sequence[ProgressPoint], lang: str = "en") -> go.Figure:
    """Best objective value and proven bound over time for the stage being solved now."""
    if not points:
        return _empty(t("chart.progress.heading", lang), t("chart.progress.waiting", lang), lang)
    last = points[-1]
    now = [p for p in points if p.stage == last.stage]
    try:
        term = t(f"kpi.term.{last.term}", lang)
    except KeyError:
        term = last.term
    fig = go.Figure()
    for field, name, dash in (("objective", "chart.progress.best", "solid"), ("bound", "chart.progress.bound", "dot")):
        xs = [p.elapsed_s for p in now if getattr(p, field) is not None and math.isfinite(getattr(p, field))]
        ys = [getattr(p, field) for p in now if getattr(p, field) is not None and math.isfinite(getattr(p, field))]
        fig.add_trace(
            go.Scatter(x=xs, y=ys, name=t(name, lang), mode="lines+markers", line={"shape": "hv", "dash": dash})
        )
    fig.update_xaxes(title_text=t("chart.axis.elapsed", lang), rangemode="tozero")
    fig.update_yaxes(title_text=term)
    return _layout(fig, t("chart.progress.title", lang, stage=last.stage + 1, term=term), lang, height=300)


def figure_html(fig: go.Figure) -> str:
    """A self-contained HTML page of a figure, with plotly.js inline so that it opens offline."""
    return str(fig.to_html(full_html=True, include_plotlyjs=True))
