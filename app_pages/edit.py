"""Edit page: the scenario's tables, validated at every edit, with undo."""

import streamlit as st

from app_pages import state
from app_pages.widgets import column_config, objective_editor
from planner.i18n import t
from planner.ui.editing import TABLES, EditError

lang = state.lang()
st.title(t("page.edit", lang))
edit = state.session()
if edit is None:
    st.info(t("edit.nothing_open", lang))
    st.stop()

version = st.session_state.setdefault("edit_version", 0)
focus = st.session_state.pop("edit_focus", None)
tables = [*TABLES, "objective"]
if focus is not None:
    st.session_state["edit_table"] = focus[0]
st.session_state.setdefault("edit_table", tables[0])

top = st.columns([5, 1])
table = top[0].segmented_control(
    t("edit.table", lang), tables, format_func=lambda name: t(f"edit.table.{name}", lang), key="edit_table"
)
if top[1].button(
    t("edit.undo", lang), disabled=not edit.can_undo, icon=":material/undo:", width="stretch", key="edit_undo"
):
    edit.undo()
    st.session_state["edit_version"] = version + 1
    st.rerun()

if edit.problems:
    with st.expander(t("edit.problems", lang, n=len(edit.problems)), expanded=True):
        for problem in edit.problems:
            st.markdown(f"- `{problem}`")
if focus is not None:
    _, row, column = focus
    st.warning(t("edit.focus", lang, row="—" if row is None else row + 1, column=column or "—"))

if table == "objective" or table is None:
    if objective_editor(edit, lang, key="edit-objective"):
        st.session_state["edit_version"] = version + 1
        st.rerun()
    st.stop()

frame = edit.frame(table)
edited = st.data_editor(
    frame,
    key=f"editor-{table}-{version}",
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    column_config=column_config(edit.columns(table)),
)
try:
    changed = edit.apply(table, edited)
except EditError as e:
    for cell in e.problems:
        st.error(str(cell))
else:
    if changed:
        st.session_state["edit_version"] = version + 1
        st.rerun()
st.caption(t("edit.help", lang))
