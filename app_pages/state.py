"""Per-session state of the app: the open scenario, its edits, solve jobs and the plans made.

Everything lives in `st.session_state`, so two browser sessions never see each other's
scenario, job or plans. This module is the only place that knows the session-state keys.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from planner.diagnose.why import WhyCache
from planner.domain.settings import SolverSettings
from planner.i18n import DEFAULT, LANGUAGES, number, t
from planner.io.workspace import OpenedScenario, SaveResult, list_scenarios, open_scenario
from planner.review.duplicates import Duplicate, find_duplicates
from planner.ui import uploads
from planner.ui.editing import EditSession
from planner.ui.figures import FigureCache
from planner.ui.jobs import PlanCache, SolveJob
from planner.ui.verdict import Verdict, judged

if TYPE_CHECKING:
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario

DEMO = "belarus-tomsk-2025-2030.yaml"
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Result:
    """A plan made in this session, with the scenario and settings it was made from."""

    label: str
    scenario: Scenario
    plan: Plan
    settings: SolverSettings
    stopped: bool = False  # cut short by Stop: the best plan found so far
    baseline: str | None = None  # label of the plan it was kept close to ("keep close to" on the Optimize page)


def folder() -> Path:
    """The scenario folder: $PLANNER_SCENARIO_DIR, or `scenarios/` next to app.py."""
    return Path(os.environ.get("PLANNER_SCENARIO_DIR") or ROOT / "scenarios").resolve()


def init() -> None:
    """Set up a new session: English, an empty plan cache, and the demo scenario opened."""
    ss = st.session_state
    ss.setdefault("lang", DEFAULT)
    ss.setdefault("cache", PlanCache())
    ss.setdefault("figures", FigureCache())
    ss.setdefault("why", WhyCache())
    ss.setdefault("results", [])
    ss.setdefault("job", None)
    if "edit" not in ss:
        ss["edit"] = None
        ss["opened"] = None
        files = list_scenarios(folder())
        demo = next((p for p in files if p.name == DEMO), files[0] if files else None)
        if demo is not None:
            open_file(demo)
    collect_job()


def lang() -> str:
    return str(st.session_state.get("lang", DEFAULT))


def language_picker() -> str:
    """The language switch in the sidebar; returns the chosen language code."""
    codes = list(LANGUAGES)
    st.sidebar.selectbox(
        t("app.language", lang()),
        codes,
        format_func=LANGUAGES.__getitem__,
        key="lang",
    )
    return lang()


def sidebar_status(lang: str) -> None:
    """What is open and whether a solve is running, on every page."""
    edit = session()
    with st.sidebar:
        if edit is None:
            st.caption(t("state.nothing_open", lang))
            return
        st.caption(t("state.open", lang, name=edit.name))
        if edit.changed:
            st.caption(t("state.unsaved", lang))
        if edit.problems:
            st.caption(t("state.problems", lang, n=len(edit.problems)))
        job = current_job()
        if job is not None and job.running:
            st.caption(t("state.solving", lang, s=f"{job.elapsed_s:.0f}"))


def session() -> EditSession | None:
    """The open scenario with its edits, or None."""
    return st.session_state.get("edit")


def opened() -> OpenedScenario | None:
    """The file the open scenario was read from (None for an upload)."""
    return st.session_state.get("opened")


def open_file(path: Path) -> None:
    """Open a scenario file from the folder, replacing what is open."""
    o = open_scenario(path)
    st.session_state["opened"] = o
    st.session_state["edit"] = EditSession(o.text, path.name)


def upload_text(name: str, data: bytes) -> str | None:
    """The text of an uploaded scenario, or None when it is refused (`refused_upload` then says why)."""
    st.session_state.pop("upload_refused", None)
    try:
        return uploads.upload_text(name, data)
    except uploads.UploadRefused as e:
        st.session_state["upload_refused"] = (Path(name).name, [str(p) for p in e.problems])
        return None


def forget_refused_upload() -> None:
    """The user moved on (picked a file, removed the upload): the last refusal is no longer news."""
    st.session_state.pop("upload_refused", None)


def refused_upload() -> tuple[str, list[str]] | None:
    """The last upload refused on the Scenario page: its name and what is wrong with it."""
    return st.session_state.get("upload_refused")


def open_upload(name: str, text: str) -> None:
    """Open an uploaded scenario (its text checked by `upload_text`); it is saved into the folder only when asked."""
    st.session_state["opened"] = None
    st.session_state["edit"] = EditSession(text, Path(name).name)


def cache() -> PlanCache:
    return st.session_state["cache"]


def figures() -> FigureCache:
    """Charts and tables already drawn for this session's plans."""
    return st.session_state["figures"]


def why_cache() -> WhyCache:
    """'Why this plan' answers already given in this session (the alternatives take seconds of re-solves)."""
    return st.session_state["why"]


def results() -> list[Result]:
    """Plans made in this session, oldest first."""
    return st.session_state["results"]


def current_job() -> SolveJob | None:
    return st.session_state.get("job")


def start_job(scenario: Scenario, settings: SolverSettings, baseline: Plan | None = None) -> bool:
    """Start a solve off the script thread (close to `baseline` if given); True if the plan came from the cache
    (same content and settings)."""
    st.session_state.pop("job_error", None)
    job = SolveJob(scenario, settings, cache=cache(), baseline=baseline).start()
    st.session_state["job"] = job
    if job.cached:
        collect_job()
    return job.cached


def collect_job() -> None:
    """Move a finished job's plan into the session's plans (once); the job caches it itself."""
    job = current_job()
    if job is None or not job.done:
        return
    st.session_state["job"] = None
    if job.plan is not None:
        close_to = next((r.label for r in results() if job.baseline is not None and r.plan is job.baseline), None)
        _record(job.scenario, job.plan, job.settings, stopped=job.stopped, baseline=close_to)
    if job.error:
        st.session_state["job_error"] = job.error


def _record(
    scenario: Scenario, plan: Plan, settings: SolverSettings, stopped: bool = False, baseline: str | None = None
) -> None:
    label = f"#{len(results()) + 1} {short(scenario.name)} · {datetime.now():%H:%M:%S}"
    results().append(Result(label, scenario, plan, settings, stopped, baseline))


def short(text: str, limit: int = 40) -> str:
    """Text cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return f"{cut or text[: limit - 1]}…"


def preset_values(name: str) -> dict[str, object]:
    """The Optimize page's form fields as a named preset sets them."""
    from planner.domain.settings import PRESETS

    p = PRESETS[name]
    return {
        "preset": name,
        "time_limit": float(p.time_limit_s),
        "workers": p.workers,
        "seed": p.seed,
        "reproducible": p.reproducible,
    }


def verdict(result: Result) -> Verdict:
    """A session plan checked against the scenario open now (or its own, while the open one has problems)."""
    edit = session()
    current = edit.scenario if edit is not None and edit.scenario is not None else result.scenario
    return judged(figures(), current, result.plan)


def label(result: Result) -> str:
    """A plan's name in lists: its number, scenario and time, and its status against the open scenario."""
    return f"{result.label} · {verdict(result).status(lang())}"


def latest(scenario: Scenario | None = None) -> Result | None:
    """The newest plan, of this scenario content if one is given and exists, else the newest at all."""
    if not results():
        return None
    if scenario is not None:
        for r in reversed(results()):
            if r.scenario == scenario:
                return r
    return results()[-1]


def pin_and_resolve(
    work_package: str, institution: str, settings: SolverSettings, forbid: bool, start: str | None = None
) -> None:
    """Pin a work package to an institution, and to a start month if one is given (or forbid it there), in the open
    scenario, then re-optimize. A pin replaces the work package's earlier pin (its note stays): two pins of one work
    package would ask for two places at once."""
    edit = session()
    if edit is None:
        return
    table = "forbids" if forbid else "pins"
    frame = edit.frame(table)
    earlier = [] if forbid else list(frame.index[frame["work_package"] == work_package])
    if earlier:
        frame = frame.drop(index=earlier[1:])
        frame.loc[earlier[0], ["institution", "option", "start"]] = [institution, None, start]
    else:
        row = {column: None for column in frame.columns} | {"work_package": work_package, "institution": institution}
        row |= {"start": start} if start and not forbid else {}
        frame = pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
    edit.apply(table, frame)
    st.session_state["edit_version"] = st.session_state.get("edit_version", 0) + 1
    if edit.scenario is not None:
        start_job(edit.scenario, settings)


def saved(outcome: SaveResult) -> None:
    """After a save: the open file is the one just written, and its text counts as unchanged."""
    edit = session()
    st.session_state["opened"] = outcome.opened
    if edit is not None:
        edit.mark_saved(outcome.path.name)


def add_plan_file(name: str, data: bytes) -> list[str]:
    """Add a plan file (e.g. a baseline kept in git) to the session's plans, against the open scenario.

    Returns messages for the user: what is wrong with a file that is not a plan (file, line, field), or that
    it was made for another version of the scenario; none when it was added as it is.
    """
    from planner.domain.scenario import scenario_digest

    edit = session()
    if edit is None or edit.scenario is None:
        return [t("compare.upload_needs_scenario", lang())]
    try:
        plan = uploads.parse_plan_upload(name, data)
    except uploads.UploadRefused as e:
        return [t("compare.upload_not_a_plan", lang(), name=Path(name).name), *(str(p) for p in e.problems)]
    results().append(Result(f"#{len(results()) + 1} {name}", edit.scenario, plan, SolverSettings()))
    if plan.scenario_digest != scenario_digest(edit.scenario):
        return [t("compare.upload_other_version", lang(), name=name)]
    return []


AUTO_DUPLICATES_WPS = 500
"""Up to this many work packages the Scenario page looks for duplicates by itself; beyond, when asked (seconds)."""


def duplicates(edit: EditSession, look: bool = False) -> list[Duplicate] | None:
    """Suggested duplicates of the open scenario, found once per text; None for a large program until `look`."""
    cached = st.session_state.get("dups")
    if cached is not None and cached[0] == edit.text:
        found: list[Duplicate] = cached[1]
        return found
    if edit.scenario is None or (len(edit.scenario.work_packages) > AUTO_DUPLICATES_WPS and not look):
        return None
    found = find_duplicates(edit.scenario)
    st.session_state["dups"] = (edit.text, found)
    return found


def make_overlap_group(d: Duplicate, lang: str) -> None:
    """Button callback: the suggested overlap group as an edit of the open scenario (with undo)."""
    edit = session()
    note = t("dups.note", lang, score=number(d.score, lang, decimals=2))
    if edit is not None and edit.add_overlap_group(d.group_id, d.members, d.required, note, d.make_optional):
        st.session_state["dups_made"] = (edit.text, d.group_id, d.members, d.make_optional)


def made_overlap_group() -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    """The overlap group the last edit made from a suggestion (id, members, work packages made optional), if the
    scenario has not been edited since."""
    made = st.session_state.get("dups_made")
    edit = session()
    if made is None or edit is None or edit.text != made[0]:
        return None
    return made[1], made[2], made[3]


def undo_overlap_group() -> None:
    """Button callback: take back the overlap group made from a suggestion (the last edit)."""
    if made_overlap_group() is not None:
        edit = session()
        assert edit is not None
        edit.undo()
    st.session_state.pop("dups_made", None)
