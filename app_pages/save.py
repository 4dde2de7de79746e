"""Save page: write the scenario back into the scenario folder, safely, or download it."""

import streamlit as st

from app_pages import state
from planner.i18n import t
from planner.io.workspace import WorkspaceError, safe_path, save_scenario

lang = state.lang()
st.title(t("page.save", lang))
edit = state.session()
if edit is None:
    st.info(t("save.nothing_open", lang))
    st.stop()

st.download_button(
    t("save.download", lang),
    edit.text.encode("utf-8"),
    edit.name,
    "application/yaml",
    icon=":material/download:",
    on_click="ignore",
)
if edit.problems:
    st.warning(t("save.invalid", lang, n=len(edit.problems)))
if not edit.changed:
    st.caption(t("save.unchanged", lang))

opened = state.opened()
with st.form("save"):
    name = st.text_input(
        t("save.name", lang),
        value=edit.name,
        help=t("save.name_help", lang, folder=str(state.folder())),
        key="save_name",
    )
    # Unticked by default: in a form the box cannot follow the name being typed. Saving back to the file
    # that was opened needs no tick: a change made on disk meanwhile is refused with a diff anyway.
    overwrite = st.checkbox(t("save.overwrite", lang), value=False, key="save_overwrite")
    submitted = st.form_submit_button(t("save.button", lang), type="primary", icon=":material/save:", key="save_button")
if submitted:
    try:
        same_file = opened is not None and safe_path(state.folder(), name) == opened.path
        outcome = save_scenario(state.folder(), name, edit.text, opened, overwrite=overwrite or same_file)
    except WorkspaceError as e:
        st.error(str(e))
    else:
        if outcome.ok:
            state.saved(outcome)
            # Run again so that the sidebar, drawn before this page, shows the new name and no unsaved changes.
            st.session_state["save_done"] = str(outcome.path)
            st.rerun()
        else:
            st.error(outcome.message)
            if outcome.diff:
                st.code(outcome.diff, language="diff")
done = st.session_state.pop("save_done", None)
if done:
    st.success(t("save.done", lang, path=done))
