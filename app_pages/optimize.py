"""Optimize page: settings, a solve off the script thread with live progress, and a Stop button."""

import streamlit as st

from app_pages import state
from app_pages.widgets import objective_editor
from planner.domain.settings import PRESETS, SolverSettings
from planner.i18n import t
from planner.report.charts import progress_chart

lang = state.lang()
st.title(t("page.optimize", lang))
edit = state.session()
if edit is None or edit.scenario is None:
    st.info(t("optimize.needs_valid", lang))
    st.stop()
scenario = edit.scenario

preset_name = st.segmented_control(
    t("optimize.preset", lang), list(PRESETS), default="quick", format_func=lambda p: t(f"optimize.preset.{p}", lang)
)
preset = PRESETS.get(preset_name or "quick", PRESETS["quick"])
with st.form("settings"):
    c = st.columns(4)
    time_limit = c[0].number_input(
        t("optimize.time_limit", lang), 1.0, 3600.0, float(preset.time_limit_s), step=5.0, key="time_limit"
    )
    workers = c[1].number_input(t("optimize.workers", lang), 1, 16, preset.workers, key="workers")
    seed = c[2].number_input(t("optimize.seed", lang), 0, 2**31 - 1, preset.seed, key="seed")
    reproducible = c[3].toggle(
        t("optimize.reproducible", lang),
        preset.reproducible,
        help=t("optimize.reproducible_help", lang),
        key="reproducible",
    )
    run = st.form_submit_button(
        t("optimize.run", lang), type="primary", icon=":material/play_arrow:", key="optimize_run"
    )

with st.expander(
    t(
        "optimize.priorities",
        lang,
        terms=" → ".join(t(f"kpi.term.{p.value}", lang) for p in scenario.objective.priorities),
    )
):
    if objective_editor(edit, lang, key="optimize-objective"):
        st.rerun()

job = state.current_job()
if run:
    if job is not None and job.running:
        st.warning(t("optimize.busy", lang))
    else:
        settings = SolverSettings(
            time_limit_s=time_limit, workers=int(workers), seed=int(seed), reproducible=reproducible
        )
        if state.start_job(scenario, settings):
            st.success(t("optimize.cached", lang))


@st.fragment(run_every=0.5)
def _progress() -> None:
    """Live view of the running solve; hands over to the whole page when it ends."""
    job = state.current_job()
    if job is None:
        return
    if job.done:
        st.rerun(scope="app")
    latest = job.latest
    c = st.columns([1, 1, 1, 1])
    c[0].metric(t("optimize.elapsed", lang), f"{job.elapsed_s:.1f} s")
    if latest is not None:
        c[1].metric(t("optimize.stage", lang), f"{latest.stage + 1}/{latest.stages} · {latest.term}")
        c[2].metric(t("optimize.best", lang), f"{latest.objective:,.6g}" if latest.objective is not None else "—")
        gap = _gap(latest.objective, latest.bound)
        c[3].metric(t("optimize.gap", lang), "—" if gap is None else f"{gap:.2%}")
        st.plotly_chart(progress_chart(job.progress, lang), key="progress_chart")
    else:
        st.caption(t("optimize.building", lang))
    if st.button(t("optimize.stop", lang), icon=":material/stop:", disabled=job.stopped, key="optimize_stop"):
        job.stop()


def _gap(value: float | None, bound: float | None) -> float | None:
    if value is None or bound is None:
        return None
    from planner.domain.plan import relative_gap

    return relative_gap(value, bound)


# In a container of the page's own: when the fragment's output is dropped from a rerun (its 0.5 s refresh racing
# the full rerun), nothing after it shifts into its place and is overwritten (the success message vanished so).
with st.container():
    _progress()

error = st.session_state.get("job_error")  # shown until the next solve starts, across reruns
if error:
    st.error(t("optimize.failed", lang, error=error))
result = state.latest()
if result is not None and state.current_job() is None:
    plan = result.plan
    if result.scenario != scenario:
        st.caption(t("optimize.other_version", lang))
    if plan.found:
        gap = "—" if plan.gap is None else f"{plan.gap:.2%}"
        st.success(
            t(
                "optimize.done",
                lang,
                status=t(f"kpi.status.{plan.status.value}", lang),
                gap=gap,
                n=len(plan.assignments),
            )
        )
        st.page_link("app_pages/plan.py", label=t("optimize.see_plan", lang), icon=":material/view_timeline:")
    else:
        st.error(t("optimize.no_plan", lang, status=t(f"kpi.status.{plan.status.value}", lang)))
        for line in plan.explanation:
            st.markdown(f"- {line}")
