"""Widgets used on more than one page: editor column settings and the objective's priorities."""

from typing import Any

import streamlit as st

from planner.domain.scenario import TERM_MEANING, Term
from planner.i18n import t
from planner.ui.edit_tables import ORIGIN, Column
from planner.ui.edit_view import PROBLEM, column_label
from planner.ui.editing import EditSession


def column_config(columns: tuple[Column, ...], lang: str) -> dict[str, Any]:
    """One editor column per spec, headed in words: numbers (as typed, no padding decimals), levels 1–5,
    checkboxes, choices, text; the row-origin column hidden, the problem column read-only and first."""
    config: dict[str, Any] = {
        ORIGIN: None,
        PROBLEM: st.column_config.TextColumn(t("edit.col.problem", lang), disabled=True, pinned=True, width="medium"),
    }
    for c in columns:
        label = column_label(c.name, lang) + (" *" if c.required else "")
        if c.name == "capacity_pm":
            config[c.name] = st.column_config.NumberColumn(
                label, help=f"{c.help} {t('edit.capacity_override_help', lang)}", format="plain"
            )
        elif c.kind == "number":
            config[c.name] = st.column_config.NumberColumn(label, help=c.help, format="plain")
        elif c.kind == "level":
            config[c.name] = st.column_config.NumberColumn(label, help=c.help, min_value=1, max_value=5, step=1)
        elif c.kind == "bool":
            config[c.name] = st.column_config.CheckboxColumn(label, help=c.help, default=c.default)
        elif c.kind == "choice":
            config[c.name] = st.column_config.SelectboxColumn(label, help=c.help, options=list(c.options))
        else:
            config[c.name] = st.column_config.TextColumn(label, help=c.help)
    return config


def objective_editor(edit: EditSession, lang: str, key: str) -> bool:
    """Priorities in order (or weights) of the open scenario's objective; True when the user applied a change."""
    objective = edit.scenario.objective if edit.scenario is not None else None
    if objective is None:
        return False
    terms = [term.value for term in Term]
    priorities = st.multiselect(
        t("edit.priorities", lang),
        terms,
        default=[p.value for p in objective.priorities],
        format_func=lambda term: t(f"kpi.term.{term}", lang),
        help=t("edit.priorities_help", lang) + " " + "; ".join(f"{k.value}: {v}" for k, v in TERM_MEANING.items()),
        key=f"{key}-priorities",
    )
    mode = st.radio(
        t("edit.mode", lang),
        ["lexicographic", "weighted"],
        index=0 if objective.mode == "lexicographic" else 1,
        format_func=lambda m: t(f"edit.mode.{m}", lang),
        horizontal=True,
        key=f"{key}-mode",
    )
    weights: dict[str, float] = {}
    if mode == "weighted":
        cols = st.columns(max(1, len(priorities)))
        for col, term in zip(cols, priorities, strict=False):
            weights[term] = col.number_input(
                t(f"kpi.term.{term}", lang),
                min_value=0.0,
                value=float(objective.weights.get(Term(term), 1.0)),
                key=f"{key}-weight-{term}",
            )
    if st.button(t("edit.apply", lang), key=f"{key}-apply", disabled=not priorities):
        return edit.set_priorities(priorities, mode=mode, weights=weights or None)
    return False


def localize_uploaders(lang: str) -> None:
    """Streamlit draws the file uploader's button and size note in English only; in another language both are
    replaced through CSS with the language's texts (the widget itself is unchanged)."""
    if lang == "en":
        return
    button, note = t("upload.button", lang), t("upload.note", lang)
    st.html(
        "<style>"
        '[data-testid="stFileUploaderDropzone"] button p {font-size: 0}'
        f'[data-testid="stFileUploaderDropzone"] button p::after {{content: "{button}"; font-size: 0.875rem}}'
        '[data-testid="stFileUploaderDropzoneInstructions"] span {font-size: 0}'
        f'[data-testid="stFileUploaderDropzoneInstructions"] span::after {{content: "{note}"; font-size: 0.75rem}}'
        "</style>"
    )
