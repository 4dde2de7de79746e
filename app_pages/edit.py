"""Edit page: the scenario's tables, validated at every edit, with undo."""

import streamlit as st

from app_pages import state
from app_pages.columns import column_config
from planner.editing import TABLES, EditError
from planner.i18n import t
from planner.scenario import Term

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
    objective = edit.scenario.objective if edit.scenario is not None else None
    current = [p.value for p in objective.priorities] if objective else []
    terms = [term.value for term in Term]
    with st.form("objective"):
        priorities = st.multiselect(
            t("edit.priorities", lang), terms, default=current, help=t("edit.priorities_help", lang)
        )
        mode = st.radio(
            t("edit.mode", lang),
            ["lexicographic", "weighted"],
            index=0 if objective is None or objective.mode == "lexicographic" else 1,
            format_func=lambda m: t(f"edit.mode.{m}", lang),
            horizontal=True,
        )
        weights = {}
        if objective is not None and mode == "weighted":
            for term in priorities:
                weights[term] = st.number_input(
                    term, min_value=0.0, value=float(objective.weights.get(Term(term), 1.0))
                )
        if st.form_submit_button(t("edit.apply", lang)):
            edit.set_priorities(priorities, mode=mode, weights=weights or None)
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
