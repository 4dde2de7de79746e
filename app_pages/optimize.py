"""Optimize page: settings, a solve off the script thread with live progress, and a Stop button."""

import streamlit as st

from app_pages import state
from app_pages.widgets import objective_editor
from planner.domain.settings import PRESETS, SolverSettings
from planner.i18n import number, percent, t
from planner.report.charts import progress_chart
from planner.ui.verdict import explanation_markdown

lang = state.lang()
st.title(t("page.optimize", lang))
edit = state.session()
if edit is None or edit.scenario is None:
    st.info(t("optimize.needs_valid", lang))
    st.stop()
scenario = edit.scenario

# Widget values vanish when the page is left; the settings are kept under keys of their own and given back.
SETTINGS = ("preset", "time_limit", "workers", "seed", "reproducible")
kept = st.session_state.setdefault("optimize_settings", state.preset_values("quick"))
for name in SETTINGS:
    if name not in st.session_state:
        st.session_state[name] = kept[name]


def _apply_preset() -> None:
    """A preset sets every field of the form (a click on the chosen preset keeps it)."""
    name = st.session_state.get("preset") or kept["preset"]
    st.session_state.update(state.preset_values(name))  # includes the preset itself: a deselection is undone


st.segmented_control(
    t("optimize.preset", lang),
    list(PRESETS),
    format_func=lambda p: t(f"optimize.preset.{p}", lang),
    key="preset",
    on_change=_apply_preset,
)
# Not a form: a value typed and then left (another page, a preset) is kept, not lost until a submit.
with st.container(border=True):
    c = st.columns(4)
    c[0].number_input(t("optimize.time_limit", lang), 1.0, 3600.0, step=5.0, key="time_limit")
    c[1].number_input(t("optimize.workers", lang), 1, 16, help=t("optimize.workers_help", lang), key="workers")
    c[2].number_input(t("optimize.seed", lang), 0, 2**31 - 1, help=t("optimize.seed_help", lang), key="seed")
    c[3].toggle(t("optimize.reproducible", lang), help=t("optimize.reproducible_help", lang), key="reproducible")
    # The click is kept in the session by its callback, not only in the button's value for one run: a run the
    # progress fragment's refresh interrupts before it reaches the start below would lose it (seen under load).
    st.button(
        t("optimize.run", lang),
        type="primary",
        icon=":material/play_arrow:",
        key="optimize_run",
        on_click=lambda: st.session_state.update(optimize_requested=True),
    )
st.session_state["optimize_settings"] = {name: st.session_state[name] for name in SETTINGS}
planned = {r.label: r for r in state.results() if r.plan.found}
close_to = st.selectbox(
    t("optimize.baseline", lang),
    [None, *planned],
    format_func=lambda label: t("optimize.baseline_none", lang) if label is None else label,
    help=t("optimize.baseline_help", lang),
    key="optimize_baseline",
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
if st.session_state.pop("optimize_requested", False):
    if job is not None and job.running:
        st.warning(t("optimize.busy", lang))
    else:
        settings = SolverSettings(
            time_limit_s=float(st.session_state["time_limit"]),
            workers=int(st.session_state["workers"]),
            seed=int(st.session_state["seed"]),
            reproducible=bool(st.session_state["reproducible"]),
        )
        baseline = planned[close_to].plan if close_to in planned else None
        if state.start_job(scenario, settings, baseline):
            st.success(t("optimize.cached", lang))


def _term(term: str) -> str:
    try:
        return t(f"kpi.term.{term}", lang)
    except KeyError:
        return term


@st.fragment(run_every=0.5)
def _progress() -> None:
    """Live view of the running solve; hands over to the whole page when it ends."""
    job = state.current_job()
    if job is None:
        return
    if job.done:
        st.rerun(scope="app")
    stage, stages, term = job.stage
    latest = job.latest
    first = job.first_plan_s
    c = st.columns(5)
    c[0].metric(t("optimize.elapsed", lang), f"{number(job.elapsed_s, lang, decimals=1)} s")
    c[1].metric(t("optimize.stage", lang), f"{stage + 1}/{stages} · {_term(term)}", help=t("optimize.stage_help", lang))
    c[2].metric(
        t("optimize.first_plan", lang),
        "—" if first is None else f"{number(first, lang, decimals=1)} s",
        help=t("optimize.first_plan_help", lang),
    )
    best = None if latest is None else latest.objective
    bound = None if latest is None else latest.bound
    c[3].metric(
        t("optimize.best", lang),
        "—" if best is None else number(best, lang, decimals=0 if abs(best) >= 100 else 2),
        None
        if bound is None
        else t("optimize.bound", lang, bound=number(bound, lang, decimals=0 if abs(bound) >= 100 else 2)),
        delta_color="off",
        delta_arrow="off",
        help=t("optimize.best_help", lang),
    )
    gap = _gap(best, bound)
    c[4].metric(
        t("optimize.gap", lang),
        "—" if gap is None else percent(gap, lang, decimals=2),
        help=t("optimize.gap_help", lang),
    )
    if job.stopped:
        st.info(t("optimize.stopping", lang))
    elif st.button(t("optimize.stop", lang), icon=":material/stop:", key="optimize_stop"):
        job.stop()
        st.rerun(scope="fragment")
    if first is None:  # no line to draw before the first plan: say what is happening instead of an empty box
        st.caption(t("optimize.searching", lang, term=_term(term)))
    else:
        st.plotly_chart(progress_chart(job.progress, lang), key="progress_chart")


def _gap(value: float | None, bound: float | None) -> float | None:
    if value is None or bound is None:
        return None
    from planner.domain.plan import relative_gap

    return relative_gap(value, bound)


# In a container of the page's own: when the fragment's output is dropped from a rerun (its 0.5 s refresh racing
# the full rerun), nothing after it shifts into its place and is overwritten (the success message vanished so).
# Only while a job runs: a fragment refreshing every 0.5 s on an idle page raced the Optimize click, and under
# load the click's trigger was dropped now and then (3 of 8 sessions in benchmarks/app_load.py).
with st.container():
    if state.current_job() is not None:
        _progress()

error = st.session_state.get("job_error")  # shown until the next solve starts, across reruns
if error:
    st.error(t("optimize.failed", lang, error=error))
result = state.latest()
if result is not None and state.current_job() is None:
    plan = result.plan
    verdict = state.verdict(result)  # checked against the scenario open now, whatever made the plan
    if verdict.violations:
        st.error(t("verdict.heading", lang, n=len(verdict.violations)))
        st.markdown("\n".join(f"- {line}" for line in verdict.lines(lang)))
    elif plan.found:
        if result.scenario != scenario:
            st.caption(t("optimize.other_version", lang))
        done = t("optimize.done", lang, status=verdict.status(lang), gap=verdict.gap(lang), n=len(plan.assignments))
        if result.stopped:
            seconds = number(plan.solver.wall_time_s or 0.0, lang, decimals=1) if plan.solver else "—"
            done = t("optimize.stopped", lang, s=seconds) + " " + done
        st.success(done)
    else:
        st.error(t("optimize.no_plan", lang, status=t(f"kpi.status.{plan.status.value}", lang)))
        st.markdown(explanation_markdown(plan.explanation, lang))
    if plan.found:
        st.page_link("app_pages/plan.py", label=t("optimize.see_plan", lang), icon=":material/view_timeline:")
