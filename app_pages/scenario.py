"""Scenario page: pick a file or upload one, see what it holds and what is wrong with it."""

import streamlit as st

from app_pages import state
from planner.i18n import number, t
from planner.io.workspace import list_scenarios
from planner.report.summary import summarize, summary_tables
from planner.report.tables import display
from planner.review.duplicates import DEFAULT_THRESHOLD
from planner.review.render import evidence_words, group_yaml, side_words
from planner.ui.editing import problem_location

lang = state.lang()
st.title(t("page.scenario", lang))

names = [p.name for p in list_scenarios(state.folder())]


def _unsaved() -> bool:
    current = state.session()
    return current is not None and current.changed


def _picked() -> None:
    name = st.session_state.get("scenario_pick")
    state.forget_refused_upload()
    current = state.session()
    if not name or (current is not None and name == current.name and not current.changed):
        return
    if _unsaved():  # ask first: opening another file would discard the edits
        st.session_state["pending_open"] = ("file", name, "")
        st.session_state["scenario_pick"] = current.name if current is not None and current.name in names else None
        return
    state.open_file(state.folder() / name)


def _uploaded() -> None:
    upload = st.session_state.get("scenario_upload")
    if upload is None:
        state.forget_refused_upload()
        return
    text = state.upload_text(upload.name, upload.getvalue())
    if text is None:  # refused: what is open stays open
        return
    if _unsaved():
        st.session_state["pending_open"] = ("upload", upload.name, text)
        return
    state.open_upload(upload.name, text)
    st.session_state["scenario_pick"] = None


def _discard_and_open() -> None:
    kind, name, data = st.session_state.pop("pending_open")
    if kind == "file":
        state.open_file(state.folder() / name)
        st.session_state["scenario_pick"] = name
    else:
        state.open_upload(name, data)
        st.session_state["scenario_pick"] = None


edit = state.session()
if "scenario_pick" not in st.session_state:
    st.session_state["scenario_pick"] = edit.name if edit is not None and edit.name in names else None
left, right = st.columns([2, 1])
left.selectbox(
    t("scenario.pick", lang),
    names,
    placeholder=t("scenario.pick_placeholder", lang),
    key="scenario_pick",
    on_change=_picked,
)
right.file_uploader(t("scenario.upload", lang), type=["yaml", "yml"], key="scenario_upload", on_change=_uploaded)

refused = state.refused_upload()
if refused is not None:
    st.error(t("scenario.upload_refused", lang, name=refused[0]))
    st.code("\n".join(refused[1]), language=None, wrap_lines=True)
edit = state.session()
pending = st.session_state.get("pending_open")
if pending is not None and edit is not None:
    st.warning(t("scenario.unsaved_open", lang, name=edit.name, other=pending[1]))
    ask = st.columns([1, 1, 3])
    ask[0].button(t("scenario.discard_open", lang), on_click=_discard_and_open, key="discard_open", type="primary")
    if ask[1].button(t("scenario.keep_editing", lang), key="keep_editing"):
        st.session_state.pop("pending_open", None)
        st.rerun()
if edit is None:
    st.info(t("scenario.none", lang, folder=str(state.folder())))
    st.stop()

if edit.problems:
    st.error(t("scenario.invalid", lang, n=len(edit.problems)))
    for k, problem in enumerate(edit.problems):
        where = problem_location(problem)
        cols = st.columns([6, 1])
        cols[0].markdown(f"`{problem}`")
        if where is not None and cols[1].button(t("scenario.go_to_row", lang), key=f"goto-{k}"):
            st.session_state["edit_focus"] = where
            st.switch_page("app_pages/edit.py")
    st.stop()

scenario = edit.scenario
assert scenario is not None  # no problems means it validated
summary = summarize(scenario)
st.subheader(scenario.name)
if scenario.description:
    st.caption(scenario.description)
m = st.columns(5)
m[0].metric(t("scenario.programs", lang), len(scenario.programs))
m[1].metric(t("scenario.institutions", lang), len(scenario.institutions))
m[2].metric(t("scenario.work_packages", lang), len(scenario.work_packages))
m[3].metric(t("scenario.overlap_groups", lang), len(scenario.overlap_groups))
m[4].metric(t("scenario.funders", lang), len(scenario.funders))
st.caption(t("scenario.horizon", lang, first=summary.horizon.first_month, last=summary.horizon.last_month))
for key, frame in summary_tables(summary).items():
    st.markdown(f"**{t(f'scenario.table.{key}', lang)}**")
    st.dataframe(display(frame, lang), hide_index=True, width="stretch")

st.subheader(t("dups.heading", lang))
made = state.made_overlap_group()
if made is not None:
    group, members, optional = made
    st.success(t("dups.made", lang, group=group, members=", ".join(members)))
    if optional:
        st.caption(t("dups.made_optional", lang, wps=", ".join(optional)))
    st.button(t("dups.undo", lang, group=group), key="dup-undo", on_click=state.undo_overlap_group)
found = state.duplicates(edit, look=st.session_state.get("dup-look", False))
if found is None:
    st.button(t("dups.look", lang), key="dup-look")
elif not found:
    st.caption(t("dups.none", lang, threshold=number(DEFAULT_THRESHOLD, lang, decimals=2)))
else:
    st.caption(t("dups.caption", lang, threshold=number(DEFAULT_THRESHOLD, lang, decimals=2)))
    titles = {wp.id: wp.title for wp in scenario.work_packages}
    SHOWN = 20
    for k, d in enumerate(found[:SHOWN]):
        with st.container(border=True):
            st.markdown(
                f"**{number(d.score, lang, decimals=2)}** · **{d.a}** {titles[d.a]} ({side_words(scenario, d.a, lang)})"
                f" ↔ **{d.b}** {titles[d.b]} ({side_words(scenario, d.b, lang)})"
            )
            st.caption(" · ".join(evidence_words(d, lang)))
            st.code(group_yaml(d, lang, indent=""), language="yaml")
            st.button(
                t("dups.make_group", lang), key=f"dup-make-{k}", on_click=state.make_overlap_group, args=(d, lang)
            )
    if len(found) > SHOWN:
        st.caption(t("dups.more", lang, n=len(found) - SHOWN))
