"""Plan page: KPIs, charts, tables, what was left out and why, per-WP actions, downloads."""

from collections.abc import Callable
from functools import partial

import streamlit as st

from app_pages import state
from planner.i18n import t
from planner.io.plan_file import plan_text
from planner.report import charts
from planner.report import tables as tables

lang = state.lang()
st.title(t("page.plan", lang))
edit = state.session()
result = state.latest(edit.scenario if edit is not None else None)
if result is None:
    st.info(t("plan.none_yet", lang))
    st.page_link("app_pages/optimize.py", label=t("page.optimize", lang), icon=":material/bolt:")
    st.stop()
scenario, plan = result.scenario, result.plan
if edit is not None and edit.scenario is not None and edit.scenario != scenario:
    st.warning(t("plan.stale", lang))
st.caption(result.label)

k = tables.kpis(scenario, plan)
cards = st.columns(5)
cards[0].metric(t("plan.kpi.status", lang), t(f"kpi.status.{plan.status.value}", lang))
cards[1].metric(t("plan.kpi.gap", lang), "—" if plan.gap is None else f"{plan.gap:.2%}")
cards[2].metric(t("plan.kpi.completion", lang), k.completion_month or "—")
cards[3].metric(t("plan.kpi.planned", lang), k.planned)
cards[4].metric(t("plan.kpi.left_out", lang), k.left_out)
if k.cost_by_country:
    money = st.columns(len(k.cost_by_country))
    for col, (country, cost) in zip(money, k.cost_by_country.items(), strict=True):
        cap = k.budget_by_country.get(country)
        col.metric(
            t("plan.kpi.cost", lang, country=country, currency=k.reporting_currency or ""),
            f"{cost:,.0f}",
            None if cap is None else t("plan.kpi.of_budget", lang, share=f"{cost / cap:.0%}" if cap else "—"),
            delta_color="off",
        )

if not plan.found:
    st.error(t("plan.no_plan", lang, status=t(f"kpi.status.{plan.status.value}", lang)))
    for line in plan.explanation:
        st.markdown(f"- {line}")
    st.stop()

figures = {
    "gantt_program": charts.gantt(scenario, plan, by="program", lang=lang),
    "gantt_institution": charts.gantt(scenario, plan, by="institution", lang=lang),
    "capacity": charts.capacity_heatmap(scenario, plan, lang=lang),
    "budget": charts.budget_chart(scenario, plan, lang=lang),
    "sankey": charts.funding_sankey(scenario, plan, lang=lang),
    "effort": charts.effort_heatmap(scenario, plan, lang=lang),
}
frames = {
    "assignments": tables.assignments_table(scenario, plan),
    "effort": tables.effort_matrix(scenario, plan),
    "capacity": tables.capacity_use(scenario, plan),
    "budget": tables.budget_use(scenario, plan),
    "left_out": tables.left_out_table(plan),
}

tabs = st.tabs(
    [
        t(f"plan.tab.{name}", lang)
        for name in ("gantt", "capacity", "budget", "funding", "effort", "left_out", "detail", "downloads")
    ]
)
with tabs[0]:
    by = st.radio(
        t("plan.gantt_by", lang),
        ["program", "institution"],
        horizontal=True,
        format_func=lambda b: t(f"plan.by.{b}", lang),
    )
    st.plotly_chart(figures[f"gantt_{by}"], key="gantt")
with tabs[1]:
    st.plotly_chart(figures["capacity"], key="capacity")
with tabs[2]:
    st.plotly_chart(figures["budget"], key="budget")
    st.dataframe(frames["budget"], hide_index=True, width="stretch")
with tabs[3]:
    st.plotly_chart(figures["sankey"], key="sankey")
with tabs[4]:
    st.plotly_chart(figures["effort"], key="effort")
    st.dataframe(frames["effort"], width="stretch")
with tabs[5]:
    if plan.left_out:
        st.dataframe(frames["left_out"], hide_index=True, width="stretch")
    else:
        st.success(t("plan.nothing_left_out", lang))
with tabs[6]:
    wp_ids = [w.id for w in scenario.work_packages]
    wp = st.selectbox(t("plan.detail.pick", lang), wp_ids, key="detail_wp")
    a = plan.assignment(wp) if wp else None
    w = next(x for x in scenario.work_packages if x.id == wp)
    st.markdown(f"**{w.id}** — {w.title}")
    if a is None:
        reason = next((lo.reason for lo in plan.left_out if lo.work_package == wp), "")
        st.info(t("plan.detail.not_done", lang, reason=reason))
    else:
        st.dataframe(
            frames["assignments"][frames["assignments"]["work_package"] == wp], hide_index=True, width="stretch"
        )
    names = [i.id for i in scenario.institutions]
    c = st.columns(3)
    where = c[0].selectbox(
        t("plan.detail.institution", lang),
        names,
        index=names.index(a.institution) if a is not None and a.institution in names else 0,
        key="detail_institution",
    )
    if c[1].button(t("plan.detail.pin", lang), icon=":material/push_pin:", disabled=edit is None, key="pin_here"):
        state.pin_and_resolve(wp, where, result.settings, forbid=False)
        st.switch_page("app_pages/optimize.py")
    if c[2].button(t("plan.detail.forbid", lang), icon=":material/block:", disabled=edit is None, key="forbid_here"):
        state.pin_and_resolve(wp, where, result.settings, forbid=True)
        st.switch_page("app_pages/optimize.py")
    st.caption(t("plan.detail.help", lang))
with tabs[7]:
    # Downloads are made on click (callables), so a rerun never renders files nobody asked for.
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
        partial(tables.excel_bytes, frames),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )
    files: list[tuple[str, list[tuple[str, Callable[[], str | bytes], str]]]] = [
        (
            t("plan.download.tables", lang),
            [(f"{n}.csv", partial(tables.csv_bytes, f), "text/csv") for n, f in frames.items()],
        ),
        (
            t("plan.download.charts", lang),
            [(f"{n}.html", partial(charts.figure_html, f), "text/html") for n, f in figures.items()],
        ),
    ]
    for title, items in files:
        st.markdown(f"**{title}**")
        for col, (name, data, mime) in zip(st.columns(len(items)), items, strict=True):
            col.download_button(name, data, f"{stem}-{name}", mime, key=f"download-{name}", on_click="ignore")
