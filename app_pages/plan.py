"""Plan page: KPIs, charts, tables, what was left out and why, per-WP actions, downloads."""

import datetime as dt
from collections.abc import Callable
from functools import partial

import streamlit as st

from app_pages import state
from planner.i18n import number, percent, t
from planner.io.plan_file import plan_text
from planner.problem.prepared import prepare
from planner.report import charts
from planner.report import tables as tables
from planner.report.timeline import LAYERS as GANTT_LAYERS
from planner.ui.figures import CHART_FILES, TABLES, PlanViews
from planner.ui.verdict import eligible_institutions, explanation_markdown
from planner.ui.why_view import BUDGET_S, alternatives_priced, alternatives_table, reasons_markdown, why_answer


def _csv(views: PlanViews, name: str) -> bytes:
    return tables.csv_bytes(views.shown(name))


def _html(views: PlanViews, name: str) -> str:
    return charts.figure_html(views.charts()[name])


lang = state.lang()
st.title(t("page.plan", lang))
edit = state.session()
result = state.latest(edit.scenario if edit is not None else None)
if result is None:
    job = state.current_job()
    st.info(t("plan.solving" if job is not None and job.running else "plan.none_yet", lang))
    st.page_link("app_pages/optimize.py", label=t("page.optimize", lang), icon=":material/bolt:")
    st.stop()
plan = result.plan
# Checked against the scenario open now before anything is said about it (planner.ui.verdict); drawn against it too,
# unless the plan names work the open scenario no longer has.
verdict = state.verdict(result)
scenario = verdict.scenario if verdict.priceable else result.scenario
st.caption(result.label)
if verdict.violations:
    st.error(t("verdict.heading", lang, n=len(verdict.violations)))
    st.markdown("\n".join(f"- {line}" for line in verdict.lines(lang)))
elif plan.found and not verdict.same_version:
    st.warning(t("verdict.other_version", lang))
if result.stopped and verdict.valid:
    st.info(t("plan.stopped", lang))

k = tables.kpis(scenario, plan)
cards = st.columns(5)
cards[0].metric(t("plan.kpi.status", lang), verdict.status(lang))
cards[1].metric(t("plan.kpi.gap", lang), verdict.gap(lang), help=t("plan.kpi.gap_help", lang))
cards[2].metric(t("plan.kpi.completion", lang), k.completion_month or "—")
cards[3].metric(t("plan.kpi.planned", lang), k.planned)
cards[4].metric(t("plan.kpi.left_out", lang), k.left_out)
if k.cost_by_country:
    money = st.columns(len(k.cost_by_country))
    for col, (country, cost) in zip(money, k.cost_by_country.items(), strict=True):
        cap = k.budget_by_country.get(country)
        col.metric(
            t("plan.kpi.cost", lang, country=country, currency=k.reporting_currency or ""),
            number(cost, lang),
            None if cap is None else t("plan.kpi.of_budget", lang, share=percent(cost / cap, lang) if cap else "—"),
            delta_color="off",
        )

if not plan.found:
    st.error(t("plan.no_plan", lang, status=t(f"kpi.status.{plan.status.value}", lang)))
    st.markdown(explanation_markdown(plan.explanation, lang))
    st.stop()

views = PlanViews(state.figures(), scenario, plan, lang, flagged=verdict.flagged())
names = {p.id: p.name for p in scenario.programs} | {i.id: i.name for i in scenario.institutions}

# Lazy tabs: only the open tab runs, and each chart is drawn once per plan (see planner.ui.figures).
tab_names = ("gantt", "capacity", "budget", "funding", "effort", "left_out", "detail", "downloads")
tabs = st.tabs([t(f"plan.tab.{name}", lang) for name in tab_names], key="plan_tab", on_change="rerun")


def _drill_down(by: str) -> None:
    """A bar clicked in the summary Gantt opens that group's work packages."""
    points = st.session_state.get(f"gantt_summary_{by}", {}).get("selection", {}).get("points", [])
    if points and points[0].get("y") in names:
        st.session_state[f"gantt_only_{by}"] = points[0]["y"]


def _why(wp: str, made: state.Result) -> None:
    """Why the plan does this work package where and when it does; its alternatives priced on request (cached)."""
    st.subheader(t("why.app.heading", lang))
    if not verdict.valid:
        st.info(t("why.app.invalid", lang))
        return
    cache, current = state.why_cache(), verdict.scenario
    st.markdown(reasons_markdown(why_answer(cache, current, plan, wp, made.settings, False), lang))
    known = alternatives_priced(cache, current, plan, wp, made.settings)
    if not known and not st.button(t("why.app.price", lang), help=t("why.app.price_help", lang), key="why_price"):
        return
    with st.spinner(t("why.app.pricing", lang, wp=wp, s=f"{BUDGET_S:g}")):
        full = why_answer(cache, current, plan, wp, made.settings, True)
    if full.alternatives:
        st.dataframe(alternatives_table(full, lang), hide_index=True, width="stretch")
        st.caption(t("why.app.caption", lang))
    else:
        st.info(t("why.head.no_alternatives", lang))


with tabs[0]:
    if tabs[0].open is not False:
        head = st.columns([1, 2])
        by = head[0].radio(
            t("plan.gantt_by", lang),
            ["program", "institution"],
            horizontal=True,
            format_func=lambda b: t(f"plan.by.{b}", lang),
            key="gantt_by",
        )
        groups = [p.id for p in scenario.programs] if by == "program" else [i.id for i in scenario.institutions]
        everything = t("plan.gantt.summary" if views.large else "plan.gantt.all", lang)
        only = head[1].selectbox(
            t(f"plan.gantt.pick.{by}", lang),
            [None, *groups],
            format_func=lambda g: everything if g is None else f"{g} · {names[g]}" if names.get(g) else str(g),
            key=f"gantt_only_{by}",
        )
        named = {c.id: c.name for c in scenario.countries} | names
        filters = st.columns(3)
        kept = {
            what: filters[k].multiselect(
                t(f"plan.gantt.filter.{what}", lang),
                ids,
                format_func=lambda g: f"{g} · {named[g]}" if named.get(g) else str(g),
                placeholder=t("plan.gantt.filter.all", lang),
                key=f"gantt_{what}",
            )
            for k, (what, ids) in enumerate(
                (
                    ("programs", [p.id for p in scenario.programs]),
                    ("countries", [c.id for c in scenario.countries]),
                    ("institutions", [i.id for i in scenario.institutions]),
                )
            )
        }
        shows = st.columns([2, 1])
        layers = shows[0].pills(
            t("plan.gantt.show", lang),
            [*GANTT_LAYERS, "today"],
            selection_mode="multi",
            default=[*GANTT_LAYERS, "today"],
            format_func=lambda layer: t(f"plan.gantt.layer.{layer}", lang),
            key="gantt_layers",
        )
        others = {r.label: r.plan for r in state.results() if r is not result and r.plan.found}
        baseline = shows[1].selectbox(
            t("plan.gantt.baseline", lang),
            [None, *others],
            index=[None, *others].index(result.baseline) if result.baseline in others else 0,
            format_func=lambda label: t("plan.gantt.baseline_none", lang) if label is None else label,
            help=t("plan.gantt.baseline_help", lang),
            key="gantt_baseline",
        )
        options = {f"{what}": tuple(ids) for what, ids in kept.items()}
        if charts.gantt_is_summary(scenario, plan, only, **options):
            n = charts.gantt_selection_size(scenario, plan, **options)
            st.caption(t("plan.gantt.drill_help", lang, n=n))
            st.plotly_chart(
                views.chart("gantt", by=by, **options),
                key=f"gantt_summary_{by}",
                on_select=partial(_drill_down, by),
                selection_mode="points",
            )
        else:
            figure = views.chart(
                "gantt",
                by=by,
                only=only,
                layers=tuple(layer for layer in GANTT_LAYERS if layer in layers),
                baseline=others.get(baseline) if baseline else None,
                today=dt.date.today() if "today" in layers else None,
                **options,
            )
            st.plotly_chart(figure, key="gantt")
            st.caption(t("plan.gantt.timing_help", lang))
with tabs[1]:
    if tabs[1].open is not False:
        st.plotly_chart(views.chart("capacity"), key="capacity")
with tabs[2]:
    if tabs[2].open is not False:
        st.plotly_chart(views.chart("budget"), key="budget")
        st.dataframe(views.display("budget"), hide_index=True, width="stretch")
with tabs[3]:
    if tabs[3].open is not False:
        st.plotly_chart(views.chart("sankey"), key="sankey")
with tabs[4]:
    if tabs[4].open is not False:
        st.plotly_chart(views.chart("effort"), key="effort")
        st.dataframe(views.display("effort", by="program" if views.large else "work_package"), width="stretch")
with tabs[5]:
    if tabs[5].open is not False:
        if plan.left_out:
            st.dataframe(views.display("left_out"), hide_index=True, width="stretch")
        else:
            st.success(t("plan.nothing_left_out", lang))
with tabs[6]:
    if tabs[6].open is not False:
        wp_ids = [w.id for w in scenario.work_packages]
        scenario_cal = prepare(verdict.scenario).calendar
        wp = st.selectbox(t("plan.detail.pick", lang), wp_ids, key="detail_wp")
        a = plan.assignment(wp) if wp else None
        w = next(x for x in scenario.work_packages if x.id == wp)
        st.markdown(f"**{w.id}** — {w.title}")
        if a is None:
            reason = next((lo.reason for lo in plan.left_out if lo.work_package == wp), "")
            st.info(t("plan.detail.not_done", lang, reason=tables.reason_text(reason, lang)))
        else:
            rows = views.table("assignments")
            st.dataframe(
                views.display("assignments")[list(rows["work_package"] == wp)], hide_index=True, width="stretch"
            )
        # Only where the work can be done: a pin at an institution without the competency cannot hold.
        institutions = eligible_institutions(verdict.scenario, wp) if wp else []
        c = st.columns(3)
        where = c[0].selectbox(
            t("plan.detail.institution", lang),
            institutions,
            index=institutions.index(a.institution) if a is not None and a.institution in institutions else 0,
            format_func=lambda i: f"{i} · {names[i]}" if names.get(i) else i,
            key="detail_institution",
        )
        unable = edit is None or where is None
        pin = c[1].button(t("plan.detail.pin", lang), icon=":material/push_pin:", disabled=unable, key="pin_here")
        forbid = c[2].button(t("plan.detail.forbid", lang), icon=":material/block:", disabled=unable, key="forbid_here")
        when = st.columns([1, 2])
        fix_start = when[0].toggle(t("plan.detail.pin_start", lang), key="detail_pin_start")
        months = [scenario_cal.start_month(k) for k in range(scenario_cal.horizon)]
        planned_month = a.start_month if a is not None and a.start_month in months else None
        start = when[1].selectbox(
            t("plan.detail.start_month", lang),
            months,
            index=months.index(planned_month) if planned_month else 0,
            disabled=not fix_start,
            help=t("plan.detail.start_month_help", lang),
            key=f"detail_start_{wp}",
        )
        if (pin or forbid) and where is not None:
            state.pin_and_resolve(wp, where, result.settings, forbid=forbid, start=start if fix_start and pin else None)
            st.switch_page("app_pages/optimize.py")
        st.caption(t("plan.detail.help", lang))
        if a is not None:
            _why(a.work_package, result)
with tabs[7]:
    if tabs[7].open is not False:
        # Downloads are made on click (callables), so a rerun never renders files nobody asked for.
        if verdict.violations:
            st.warning(t("verdict.download", lang, n=len(verdict.violations)))
        stem = (edit.name if edit is not None else "scenario").rsplit(".", 1)[0] + "-plan"
        d = st.columns(3)
        d[0].download_button(
            "plan.yaml", partial(plan_text, plan, "yaml"), f"{stem}.yaml", "application/yaml", on_click="ignore"
        )
        d[1].download_button(
            "plan.json", partial(plan_text, plan, "json"), f"{stem}.json", "application/json", on_click="ignore"
        )
        d[2].download_button(
            t("plan.download.excel", lang),
            lambda: tables.excel_bytes(views.tables()),
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
        )
        files: list[tuple[str, list[tuple[str, Callable[[], str | bytes], str]]]] = [
            (
                t("plan.download.tables", lang),
                [(f"{n}.csv", partial(_csv, views, n), "text/csv") for n in TABLES],
            ),
            (
                t("plan.download.charts", lang),
                [(f"{n}.html", partial(_html, views, n), "text/html") for n in CHART_FILES],
            ),
        ]
        for title, items in files:
            st.markdown(f"**{title}**")
            for col, (name, data, mime) in zip(st.columns(len(items)), items, strict=True):
                col.download_button(name, data, f"{stem}-{name}", mime, key=f"download-{name}", on_click="ignore")
