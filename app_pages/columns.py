"""Column settings for st.data_editor, from the editable tables' specs in planner.edit_tables."""

from typing import Any

import streamlit as st

from planner.edit_tables import ORIGIN, Column


def column_config(columns: tuple[Column, ...]) -> dict[str, Any]:
    """One editor column per spec: numbers, levels 1–5, checkboxes, choices, text; the row-origin column hidden."""
    config: dict[str, Any] = {ORIGIN: None}
    for c in columns:
        label = f"{c.name} *" if c.required else c.name
        if c.kind == "number":
            config[c.name] = st.column_config.NumberColumn(label, help=c.help)
        elif c.kind == "level":
            config[c.name] = st.column_config.NumberColumn(label, help=c.help, min_value=1, max_value=5, step=1)
        elif c.kind == "bool":
            config[c.name] = st.column_config.CheckboxColumn(label, help=c.help, default=c.default)
        elif c.kind == "choice":
            config[c.name] = st.column_config.SelectboxColumn(label, help=c.help, options=list(c.options))
        else:
            config[c.name] = st.column_config.TextColumn(label, help=c.help)
    return config
