"""Edit page: the scenario's tables, validated at every edit, with undo per table."""

import streamlit as st

from app_pages import state
from app_pages.widgets import column_config, objective_editor
from planner.i18n import t
from planner.ui.edit_view import capacity_notes, editor_rows, problems_by_row, undone_text, without_marks
from planner.ui.editing import TABLES, EditError
from planner.ui.table_pages import PAGE_ROWS, page_of

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
st.session_state.setdefault("edit_table_shown", st.session_state["edit_table"])


def _keep_table() -> None:
    """A click on the table already chosen deselects it in the control: keep showing that table."""
    if st.session_state.get("edit_table") is None:
        st.session_state["edit_table"] = st.session_state["edit_table_shown"]
    st.session_state["edit_table_shown"] = st.session_state["edit_table"]


# The whole width: ten table buttons fit one row at 1500 px only without a column beside them.
table = st.segmented_control(
    t("edit.table", lang),
    tables,
    format_func=lambda name: t(f"edit.table.{name}", lang),
    key="edit_table",
    on_change=_keep_table,
)
table = table or st.session_state["edit_table_shown"]
table_name = t(f"edit.table.{table}", lang)
undone = st.session_state.pop("edit_undone", None)
if st.button(
    t("edit.undo", lang, table=table_name),
    disabled=not edit.can_undo_table(table),
    icon=":material/undo:",
    key="edit_undo",
):
    done = edit.undo_table(table)
    if done is not None:
        st.session_state["edit_undone"] = undone_text(done, lang, table_name)
    st.session_state["edit_version"] = version + 1
    st.rerun()
if undone:
    st.success(undone)

# Everything that is wrong is listed here, above the table: the scenario's problems, then cells that cannot be read.
if edit.problems:
    with st.expander(t("edit.problems", lang, n=len(edit.problems)), expanded=True):
        for problem in edit.problems:
            st.markdown(f"- `{problem}`")
cell_errors = st.container()
if focus is not None:
    _, row, column = focus
    st.warning(t("edit.focus", lang, row="—" if row is None else row + 1, column=column or "—"))

if table == "objective":
    if objective_editor(edit, lang, key="edit-objective"):
        st.session_state["edit_version"] = version + 1
        st.rerun()
    st.stop()

frame = edit.frame(table)
paged = "program" in frame.columns or "work_package" in frame.columns
programs = [str(p) for p in edit.frame("programs")["id"].dropna()] if paged else []
wps = edit.frame("work_packages") if "work_package" in frame.columns else None
program_of = None if wps is None else dict(zip(wps["id"].astype(str), wps["program"].astype(str), strict=True))
if focus is not None:  # show the row with the problem: no filter, its page
    st.session_state.update({"edit_program": None, "edit_search": "", "edit_page": (focus[1] or 0) // PAGE_ROWS + 1})


def _first_page() -> None:
    st.session_state["edit_page"] = 1


bar = st.columns([2, 2, 1])
program = (
    bar[0].selectbox(
        t("edit.filter.program", lang),
        [None, *programs],
        format_func=lambda p: t("edit.filter.all_programs", lang) if p is None else p,
        key="edit_program",
        on_change=_first_page,
    )
    if paged
    else None
)
search = bar[1].text_input(
    t("edit.filter.search", lang), key="edit_search", on_change=_first_page, placeholder=t("edit.filter.hint", lang)
)
view = page_of(frame, program, search, st.session_state.get("edit_page", 1), program_of=program_of)
st.session_state["edit_page"] = view.page  # clamped: fewer pages after an edit or a filter
bar[2].number_input(t("edit.page", lang, pages=view.pages), 1, view.pages, key="edit_page")
st.caption(
    t(
        "edit.rows",
        lang,
        first=view.first,
        last=view.first + len(view.rows) - 1 if len(view.rows) else 0,
        matching=view.matching,
        total=view.total,
    )
)
columns = edit.columns(table)
edited = st.data_editor(
    editor_rows(view.rows, columns, problems_by_row(edit.problems, table), lang),
    key=f"editor-{table}-{version}-{program}-{search}-{view.page}",
    num_rows="fixed" if table == "competencies" else "dynamic",
    hide_index=True,
    width="stretch",
    column_config=column_config(columns, lang),
)
if table == "institutions":
    for note in capacity_notes(edit.scenario, lang):
        st.caption(note)
try:
    changed = edit.apply_page(table, view.rows, without_marks(edited), {"program": program} if program else None)
except EditError as e:
    with cell_errors:
        for cell in e.problems:
            st.error(str(cell))
else:
    if changed:
        st.session_state["edit_version"] = version + 1
        st.rerun()
st.caption(t("edit.help", lang))
