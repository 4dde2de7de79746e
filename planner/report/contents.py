"""What a plan's report says, in its language: `build` judges the plan and gathers every section of the report.

The plan is judged with the independent checker first (`planner.report.verdict`), so the report never
calls a plan that breaks a rule feasible: that plan gets a banner at the top naming every broken rule,
and its figures are marked as its own word. The tables come from `schedule_tables`, `money_tables`,
`quality` and `tables`, the charts from `charts` (the app's figures); scenario content (names,
titles) is shown as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from planner.i18n import number, percent, t
from planner.report import charts, money_tables, quality, schedule_tables, tables
from planner.report.document import Banner, Card, Chart, Item, Kind, Report, Section, Table
from planner.report.summary import summarize, summary_tables
from planner.report.verdict import judge

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import plotly.graph_objects as go

    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario
    from planner.report.verdict import Verdict

MOST_VIOLATIONS = 50
"""Most broken rules the banner lists one by one (all are counted)."""


def build(
    scenario: Scenario,
    plan: Plan,
    lang: str = "en",
    plan_name: str = "",
    critical_path: Sequence[str] | None = None,
    explanation_headings: Mapping[str, str] | None = None,
) -> Report:
    """The report of a plan of a scenario, judged against it.

    `critical_path`: the plan's critical work packages in order, when known (`planner.diagnose.timing` gives them;
    the CLI passes them, as this layer sits below the solver's). `explanation_headings`: the explainer's headings and
    their i18n keys (`planner.diagnose.conflict.HEADINGS`), to give a plan without a schedule its reason in the
    report's language. Raises ValueError when the plan names work packages or options the scenario lacks.
    """
    verdict = judge(scenario, plan)
    if not verdict.priceable:
        raise ValueError("the plan names work packages or execution options that the scenario does not have")
    if not plan.found:
        sections: tuple[Section, ...] = (_quality(verdict, lang), _no_plan(plan, lang, explanation_headings or {}))
    else:
        sections = _sections(verdict, lang, critical_path)
    return Report(
        lang=lang,
        title=t("report.title", lang),
        scenario_name=scenario.name,
        plan_name=plan_name,
        banner=_banner(verdict, lang),
        cards=_cards(verdict, lang),
        sections=sections,
        made_with=_made_with(plan, lang),
        verdict=verdict,
    )


def _banner(verdict: Verdict, lang: str) -> Banner:
    plan = verdict.plan
    if not plan.found:
        status = t(f"kpi.status.{plan.status.value}", lang)
        return Banner("error", t("report.banner.no_plan", lang, status=status), (t("report.banner.no_plan_why", lang),))
    if verdict.violations:
        lines = verdict.lines(lang)
        shown = lines[:MOST_VIOLATIONS]
        if len(lines) > len(shown):
            shown.append(t("report.tight.more", lang, n=len(lines) - len(shown)))
        return Banner("error", t("report.banner.breaks", lang, n=len(verdict.violations)), tuple(shown))
    if not verdict.same_version:
        return Banner("warning", t("verdict.other_version", lang))
    return Banner("ok", t("report.banner.checked", lang, n=len(plan.assignments)))


def _cards(verdict: Verdict, lang: str) -> tuple[Card, ...]:
    scenario, plan = verdict.scenario, verdict.plan
    k = tables.kpis(scenario, plan)
    cards = [
        Card(t("plan.kpi.status", lang), verdict.status(lang)),
        Card(t("plan.kpi.gap", lang), verdict.gap(lang), t("report.card.gap_note", lang)),
    ]
    if not plan.found:
        return tuple(cards)
    currency = k.reporting_currency
    effort = sum(a.effort_pm for a in plan.assignments)
    total = t("report.card.cost", lang, currency=currency) if currency else t("report.card.cost_plain", lang)
    cards += [
        Card(t("plan.kpi.completion", lang), k.completion_month or "—"),
        Card(t("plan.kpi.planned", lang), number(k.planned, lang), amount=k.planned),
        Card(t("plan.kpi.left_out", lang), number(k.left_out, lang), amount=k.left_out),
        Card(t("report.card.effort", lang), number(effort, lang, decimals=1), amount=effort, decimals=1),
        Card(total, number(k.cost_total, lang), t("report.card.cost_note", lang), amount=k.cost_total),
    ]
    for country, cost in k.cost_by_country.items():
        cap = k.budget_by_country.get(country)
        note = "" if cap is None else t("plan.kpi.of_budget", lang, share=percent(cost / cap, lang) if cap else "—")
        label = (
            t("plan.kpi.cost", lang, country=country, currency=currency)
            if currency
            else t("report.card.country_cost", lang, country=country)
        )
        cards.append(Card(label, number(cost, lang), note, amount=cost))
    return tuple(cards)


def _made_with(plan: Plan, lang: str) -> tuple[tuple[str, str], ...]:
    """How the plan was made (the solver's record), as label and value."""
    info = plan.solver
    if info is None:
        return ()
    rows = [
        (t("report.made.engine", lang), info.engine),
        (t("report.made.ortools", lang), info.ortools_version),
        (t("report.made.time_limit", lang), _seconds(info.time_limit_s, lang)),
        (t("report.made.workers", lang), str(info.workers)),
        (t("report.made.seed", lang), str(info.seed)),
        (t("report.made.reproducible", lang), t("report.yes" if info.reproducible else "report.no", lang)),
    ]
    if info.wall_time_s is not None:
        rows.append((t("report.made.wall_time", lang), _seconds(info.wall_time_s, lang)))
    if info.first_plan_s is not None:
        rows.append((t("report.made.first_plan", lang), _seconds(info.first_plan_s, lang)))
    if info.note:
        rows.append((t("report.made.note", lang), info.note))
    return tuple(rows)


def _seconds(x: float, lang: str) -> str:
    return t("report.seconds", lang, value=number(x, lang, decimals=1))


def _currency(plan: Plan, lang: str) -> str:
    """The reporting currency, or words for the scenario's one unnamed unit of money."""
    return plan.reporting_currency or t("report.money_units", lang)


# ---------------------------------------------------------------- sections


def _sections(verdict: Verdict, lang: str, critical_path: Sequence[str] | None) -> tuple[Section, ...]:
    scenario, plan = verdict.scenario, verdict.plan
    dates = schedule_tables.deadlines(scenario, plan)
    deliverables = schedule_tables.deliverables(scenario, plan)
    caps = money_tables.funder_caps(scenario, plan)
    shares = money_tables.funder_countries(scenario, plan)
    program_shares = money_tables.program_countries(scenario, plan)
    capacity = tables.capacity_use(scenario, plan)
    spots = quality.tight_spots(caps, capacity, dates, deliverables, shares, program_shares, lang)
    return (
        _quality(verdict, lang),
        _schedule(verdict, lang, critical_path),
        _work_packages(verdict, lang, critical_path),
        _effort(verdict, lang),
        Section("capacity", t("report.section.capacity", lang), charts=(Chart("capacity", _capacity(verdict, lang)),)),
        _budget(verdict, lang),
        _funding(verdict, lang, caps, shares, program_shares),
        _dates(lang, deliverables, dates),
        _left_out(verdict, lang),
        Section(
            "explanation",
            t("report.section.explanation", lang),
            lines=(t("report.explanation.intro" if spots else "report.explanation.none", lang),),
            items=tuple(Item(line) for line in spots),
        ),
    )


def _quality(verdict: Verdict, lang: str) -> Section:
    df = quality.proof(verdict)
    df["term"] = [_term(x, lang) for x in df["term"]]
    df["stage_status"] = [t(f"kpi.status.{x}", lang) if x else "" for x in df["stage_status"]]
    lines = [t("report.quality.intro", lang)]
    if not verdict.trusted and verdict.plan.found:
        lines.append(t("report.quality.not_claimed", lang))
    return Section(
        "quality",
        t("report.section.quality", lang),
        lines=tuple(lines),
        tables=(Table("proof", t("report.table.proof", lang), df),),
    )


def _term(term: str, lang: str) -> str:
    try:
        return t(f"kpi.term.{term}", lang)
    except KeyError:
        return term


def _schedule(verdict: Verdict, lang: str, critical_path: Sequence[str] | None) -> Section:
    scenario, plan = verdict.scenario, verdict.plan
    lines = []
    if len(plan.assignments) > charts.DETAIL_ROWS:
        lines.append(t("report.schedule.summary", lang, n=len(plan.assignments)))
    if critical_path:
        lines.append(t("report.schedule.critical", lang, path=", ".join(critical_path)))
    figure = charts.gantt(scenario, plan, by="program", lang=lang, flagged=verdict.flagged())
    return Section("schedule", t("report.section.schedule", lang), lines=tuple(lines), charts=(Chart("gantt", figure),))


def _work_packages(verdict: Verdict, lang: str, critical_path: Sequence[str] | None) -> Section:
    scenario, plan = verdict.scenario, verdict.plan
    df = schedule_tables.work_packages(scenario, plan, critical_path or ())
    if critical_path is None:
        df = df.drop(columns=["critical"])
    currency = _currency(plan, lang)
    table = Table(
        "work_packages",
        t("report.table.work_packages", lang),
        df,
        note=t("report.note.work_packages", lang, currency=currency),
        kinds={"cost_reporting": "money"},
    )
    people = schedule_tables.participants(scenario, plan)
    people["kind"] = [t(f"report.institution_kind.{k}", lang) for k in people["kind"]]
    listed = Table(
        "participants",
        t("report.table.participants", lang),
        people,
        note=t("report.note.participants", lang, currency=currency),
    )
    return Section("work_packages", t("report.section.work_packages", lang), tables=(table, listed))


def _effort(verdict: Verdict, lang: str) -> Section:
    scenario, plan = verdict.scenario, verdict.plan
    names = {p.id: p.name for p in scenario.programs}
    summary = tables.effort_matrix(scenario, plan, by="program").reset_index()
    full = tables.effort_matrix(scenario, plan).reset_index()
    parts = [
        Table(
            "effort_programs",
            t("report.table.effort_programs", lang),
            summary,
            note=t("report.note.effort", lang),
            kinds=_person_months(summary),
            frozen_columns=1,
            blank_zeros=True,
        ),
        Table(
            "effort",
            t("report.table.effort", lang),
            full,
            note=t("report.note.effort", lang),
            kinds=_person_months(full),
            html=False,
            frozen_columns=1,
        ),
    ]
    for pid, matrix in schedule_tables.effort_by_program(scenario, plan).items():
        m = matrix.reset_index()
        title = f"{pid} · {names[pid]}" if names.get(pid) else pid
        parts.append(
            Table(
                f"effort_{pid}",
                t("report.table.effort_program", lang, program=title),
                m,
                kinds=_person_months(m),
                xlsx=False,
                blank_zeros=True,
            )
        )
    return Section(
        "effort", t("report.section.effort", lang), lines=(t("report.effort.intro", lang),), tables=tuple(parts)
    )


def _person_months(matrix: pd.DataFrame) -> dict[str, Kind]:
    """Every column of an effort matrix but its institutions holds person-months."""
    return {str(c): "pm" for c in matrix.columns if c != "institution"}


def _capacity(verdict: Verdict, lang: str) -> go.Figure:
    return charts.capacity_heatmap(verdict.scenario, verdict.plan, lang=lang)


def _budget(verdict: Verdict, lang: str) -> Section:
    scenario, plan = verdict.scenario, verdict.plan
    df = money_tables.budget_by_institution(scenario, plan)
    money: dict[str, Kind] = {str(c): "money" for c in df.columns if c not in ("country", "institution", "name")}
    table = Table(
        "budget",
        t("report.table.budget", lang),
        df,
        note=t("report.note.budget", lang, currency=_currency(plan, lang)),
        kinds=money,
        frozen_columns=2,
    )
    figure = charts.budget_chart(scenario, plan, lang=lang)
    return Section("budget", t("report.section.budget", lang), charts=(Chart("budget", figure),), tables=(table,))


def _funding(
    verdict: Verdict, lang: str, caps: pd.DataFrame, shares: pd.DataFrame, program_shares: pd.DataFrame
) -> Section:
    scenario, plan = verdict.scenario, verdict.plan
    caps = caps.astype({"year": object})
    caps["year"] = [t("report.total", lang) if pd.isna(y) else str(y) for y in caps["year"]]
    currency = _currency(plan, lang)
    funders = summary_tables(summarize(scenario))["funders"].drop(columns=["cap_per_year", "shares"])
    parts = [
        Table("funders", t("report.table.funders", lang), funders, kinds={"total": "money"}),
        Table(
            "funder_caps",
            t("report.table.funder_caps", lang),
            caps.drop(columns=["name"]),
            note=t("report.note.funder_caps", lang),
        ),
        Table("funder_countries", t("report.table.funder_countries", lang), shares),
        Table(
            "program_countries",
            t("report.table.program_countries", lang),
            program_shares,
            note=t("report.note.program_countries", lang, currency=currency),
        ),
    ]
    figure = charts.funding_sankey(scenario, plan, lang=lang)
    return Section("funding", t("report.section.funding", lang), charts=(Chart("sankey", figure),), tables=tuple(parts))


def _dates(lang: str, deliverables: pd.DataFrame, dates: pd.DataFrame) -> Section:
    lines = () if len(deliverables) or len(dates) else (t("report.dates.none", lang),)
    parts = []
    if len(deliverables):
        parts.append(Table("deliverables", t("report.table.deliverables", lang), deliverables))
    if len(dates):
        dates = dates.assign(kind=[t(f"table.kind.{k}", lang) for k in dates["kind"]])
        parts.append(Table("deadlines", t("report.table.deadlines", lang), dates))
    return Section("dates", t("report.section.dates", lang), lines=lines, tables=tuple(parts))


def _left_out(verdict: Verdict, lang: str) -> Section:
    df = schedule_tables.left_out(verdict.scenario, verdict.plan)
    if df.empty:
        return Section("left_out", t("report.section.left_out", lang), lines=(t("plan.nothing_left_out", lang),))
    df["reason"] = [tables.reason_text(r, lang) for r in df["reason"]]
    table = Table("left_out", t("report.table.left_out", lang), df)
    return Section("left_out", t("report.section.left_out", lang), tables=(table,))


def _no_plan(plan: Plan, lang: str, headings: Mapping[str, str]) -> Section:
    """Why no plan exists: the explainer's lines, its headings in the report's language and its rules under them."""
    items: list[Item] = []
    for line in plan.explanation:
        if line.startswith("- ") and items:
            last = items[-1]
            items[-1] = Item(last.text, (*last.children, line[2:]))
        elif line.startswith("- "):
            items.append(Item(line[2:]))
        else:
            key = headings.get(line)
            items.append(Item(t(key, lang) if key else line))
    lines = () if items else (t("report.explanation.no_reason", lang),)
    return Section("explanation", t("report.section.why_no_plan", lang), lines=lines, items=tuple(items))
