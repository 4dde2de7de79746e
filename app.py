"""Streamlit entry point: per-session state, the language switch and the page router.

Run with `streamlit run app.py` (or `make app`). Pages in `app_pages/` only hold widgets; every
rule, table and chart lives in `planner/`.
"""

import logging

import streamlit as st

from app_pages import state
from app_pages.widgets import localize_uploaders
from planner.i18n import t

st.set_page_config(page_title="Joint R&D Program Planner", page_icon=":material/hub:", layout="wide")
state.init()
lang = state.language_picker()
localize_uploaders(lang)

PAGES = [
    st.Page(
        "app_pages/scenario.py",
        title=t("page.scenario", lang),
        icon=":material/folder_open:",
        url_path="scenario",
        default=True,
    ),
    st.Page("app_pages/edit.py", title=t("page.edit", lang), icon=":material/edit_note:", url_path="edit"),
    st.Page("app_pages/optimize.py", title=t("page.optimize", lang), icon=":material/bolt:", url_path="optimize"),
    st.Page("app_pages/plan.py", title=t("page.plan", lang), icon=":material/view_timeline:", url_path="plan"),
    st.Page(
        "app_pages/compare.py", title=t("page.compare", lang), icon=":material/compare_arrows:", url_path="compare"
    ),
    st.Page("app_pages/save.py", title=t("page.save", lang), icon=":material/save:", url_path="save"),
]
state.sidebar_status(lang)
page = st.navigation(PAGES)
try:
    page.run()
except Exception:  # a bug must not show a traceback or take the app down; st.rerun/st.stop pass through
    logging.getLogger("planner.app").exception("page %s failed", page.title)
    st.error(t("app.page_failed", lang))
