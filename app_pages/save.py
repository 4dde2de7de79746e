"""Save page: write the scenario back into the scenario folder, safely, or download it."""

import streamlit as st

from app_pages import state
from planner.i18n import t
from planner.workspace import WorkspaceError, save_scenario

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
    overwrite = st.checkbox(
        t("save.overwrite", lang), value=opened is not None and opened.path.name == name, key="save_overwrite"
    )
    submitted = st.form_submit_button(t("save.button", lang), type="primary", icon=":material/save:", key="save_button")
if submitted:
    try:
        outcome = save_scenario(state.folder(), name, edit.text, opened, overwrite=overwrite)
    except WorkspaceError as e:
        st.error(str(e))
    else:
        if outcome.ok:
            state.saved(outcome)
            st.success(t("save.done", lang, path=str(outcome.path)))
        else:
            st.error(outcome.message)
            if outcome.diff:
                st.code(outcome.diff, language="diff")
