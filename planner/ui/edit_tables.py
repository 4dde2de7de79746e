"""The editable tables of a scenario: their columns, and how a YAML value is shown as a cell and read back.

Cells are simple so that a spreadsheet-like editor can hold them: scalars as they are, lists as
comma-separated text (`U-01, U-02`), small mappings as `key: value` pairs (`2025: 4, 2026: 5`),
durations as `6` or `8-12`, predecessors as `U-01, T-05 SS+6, M-07+2` (SS = start-to-start, +n = a
lag of n periods). Help texts come from the scenario models' field descriptions.
"""

from __future__ import annotations

import math
import re
import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from planner.domain.scenario import Forbid, Funder, Institution, OverlapGroup, Pin, PriorResult, Program, WorkPackage
from planner.io.yamledit import flow

if TYPE_CHECKING:
    from pydantic import BaseModel

Kind = Literal["text", "month", "choice", "number", "level", "bool", "list", "map", "duration", "after"]
ORIGIN = "_origin"  # hidden column: the row's position in the file, so a changed id reads as a rename

HINTS: dict[str, str] = {
    "month": "Write YYYY-MM, e.g. 2027-06.",
    "list": "Ids separated by commas, e.g. '{example}'.",
    "map": "Pairs 'key: value' separated by commas, e.g. '{example}'.",
    "duration": "A whole number of periods (6) or a range for the optimizer to choose from (8-12).",
    "after": "Predecessors separated by commas: an id, 'SS' for start-to-start, '+n' for a lag of n periods, "
    "e.g. 'U-01, T-05 SS+6, M-07+2'.",
    "level": "Level 1 (basic) to 5 (world class); empty = none.",
}


@dataclass(frozen=True)
class Column:
    """One editable column: its cell kind and the help text the app shows (from the model's descriptions)."""

    name: str
    kind: Kind
    help: str
    required: bool = False
    options: tuple[str, ...] = ()  # the choices of a `choice` column
    year_keys: bool = False  # a `map` keyed by year (else by id)
    default: Any = None  # shown for an absent `bool`


@dataclass(frozen=True)
class Table:
    """One editable table: which list of the file it shows and how its rows are matched."""

    name: str
    section: str
    model: type[BaseModel]
    columns: tuple[Column, ...]
    keyed: bool  # rows matched by `id`; else by position

    @property
    def order(self) -> list[str]:
        """Key order for keys added to a row: the model's field order."""
        return list(self.model.model_fields)


def _col(model: type[BaseModel], name: str, kind: Kind, example: str = "", help: str = "", **kw: Any) -> Column:
    """A column of a model field, its help text taken from the field description plus the cell format."""
    field = model.model_fields[name]
    hint = HINTS.get(kind, "").format(example=example)
    options = tuple(typing.get_args(field.annotation)) if kind == "choice" else ()
    default = field.default if kind == "bool" else None
    text = " ".join(t for t in (help or field.description or "", hint) if t)
    return Column(name, kind, text, field.is_required(), options, default=default, **kw)


def _table(name: str, model: type[BaseModel], *columns: Column, section: str = "", keyed: bool = True) -> Table:
    """A table spec; `section` defaults to the table name."""
    return Table(name, section or name, model, tuple(columns), keyed)


Inst, W, F = Institution, WorkPackage, Funder
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        _table(
            "institutions",
            Inst,
            _col(Inst, "id", "text"),
            _col(Inst, "name", "text"),
            _col(Inst, "country", "text"),
            _col(Inst, "kind", "choice"),
            _col(Inst, "capacity_pm", "number"),
            _col(Inst, "capacity_pm_by_year", "map", "2025: 4, 2026: 5", year_keys=True),
            _col(Inst, "rate_per_pm", "number"),
            _col(Inst, "currency", "text"),
            _col(Inst, "note", "text"),
        ),
        _table(
            "competencies",
            Inst,
            Column("institution", "text", "The institution (rows are added in the institutions table).", True),
            section="institutions",
        ),
        _table(
            "work_packages",
            W,
            _col(W, "id", "text"),
            _col(W, "program", "text"),
            _col(W, "title", "text"),
            _col(W, "effort_pm", "number"),
            _col(W, "duration", "duration"),
            _col(W, "earliest_start", "month"),
            _col(W, "deadline", "month"),
            _col(W, "due", "month"),
            _col(W, "value", "number"),
            _col(W, "mandatory", "bool"),
            _col(W, "requires", "map", "uav-avionics: 3, rf-design: 2"),
            _col(W, "after", "after"),
            _col(W, "note", "text"),
        ),
        _table(
            "overlap_groups",
            OverlapGroup,
            _col(OverlapGroup, "id", "text"),
            _col(OverlapGroup, "members", "list", "U-02, U-03"),
            _col(OverlapGroup, "required", "bool"),
            _col(OverlapGroup, "note", "text"),
        ),
        _table(
            "prior_results",
            PriorResult,
            _col(PriorResult, "institution", "text", help="Institution that has the prior result."),
            _col(PriorResult, "work_package", "text", help="Work package it shortens or cheapens."),
            _col(PriorResult, "effort_factor", "number"),
            _col(PriorResult, "cost_factor", "number"),
            _col(PriorResult, "note", "text"),
            keyed=False,
        ),
        _table(
            "funders",
            F,
            _col(F, "id", "text"),
            _col(F, "name", "text"),
            _col(F, "country", "text"),
            _col(F, "currency", "text"),
            _col(F, "pays", "list", "BY, RU"),
            _col(F, "institutions", "list", "bsuir, tusur"),
            _col(F, "total", "number"),
            _col(F, "cap_per_year", "map", "2025: 4000000, 2026: 6500000", year_keys=True),
            _col(F, "shares", "map", "RU: 0.65, BY: 0.35"),
            _col(F, "tolerance", "number"),
        ),
        _table(
            "programs",
            Program,
            _col(Program, "id", "text"),
            _col(Program, "name", "text"),
            _col(Program, "funders", "list", "by-budget, ru-budget"),
            _col(Program, "due", "month"),
            _col(Program, "country_shares", "map", "BY: 0.45, RU: 0.55"),
            _col(Program, "share_tolerance", "number"),
            _col(Program, "max_institution_share", "number"),
        ),
        _table(
            "pins",
            Pin,
            _col(Pin, "work_package", "text", help="The work package that is pinned."),
            _col(Pin, "institution", "text"),
            _col(Pin, "option", "text"),
            _col(Pin, "start", "month"),
            _col(Pin, "note", "text"),
            keyed=False,
        ),
        _table(
            "forbids",
            Forbid,
            _col(Forbid, "work_package", "text", help="The work package."),
            _col(Forbid, "institution", "text", help="The institution that must not execute it."),
            _col(Forbid, "note", "text"),
            keyed=False,
        ),
    )
}


# ---------------------------------------------------------------- cells


def empty(cell: Any) -> bool:
    """Whether a cell is empty (None, NaN, NA or blank text)."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return True
    return not isinstance(cell, list | dict | tuple) and bool(pd.isna(cell))


def scalar(cell: Any) -> Any:
    """A cell as a plain Python value (numpy and pandas scalars unwrapped, text stripped)."""
    if empty(cell):
        return None
    if hasattr(cell, "item") and not isinstance(cell, str):
        cell = cell.item()
    return cell.strip() if isinstance(cell, str) else cell


def num(value: Any) -> str:
    """A number as short text: whole numbers without a decimal point."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def tidy(value: float) -> int | float:
    """Whole numbers are written as integers (`6`, not `6.0`), as people write them."""
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def is_number(value: Any) -> bool:
    """Whether a value is a number (booleans are not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _dep(item: Any) -> tuple[str, str, int] | None:
    """A predecessor (id or {id, type, lag}) as (id, type, lag)."""
    if isinstance(item, str | int) and not isinstance(item, bool):
        return str(item), "FS", 0
    if isinstance(item, dict) and "id" in item:
        return str(item["id"]), str(item.get("type", "FS")).upper(), int(item.get("lag", 0) or 0)
    return None


def render(value: Any, col: Column) -> Any:
    """A YAML value (plain) as the cell the table shows."""
    if value is None:
        return col.default if col.kind == "bool" else None
    kind = col.kind
    if kind in ("number", "level") and is_number(value):
        return value
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind in ("list", "after") and isinstance(value, list):
        deps = [d for v in value if (d := _dep(v))] if kind == "after" else []
        if len(deps) < len(value):
            return ", ".join(str(v) for v in value)
        return ", ".join(f"{i}{' SS' if t == 'SS' else ''}{f'+{lag}' if lag else ''}" for i, t, lag in deps)
    if kind == "map" and isinstance(value, dict):
        return ", ".join(f"{k}: {num(v)}" for k, v in value.items())
    if kind == "duration" and isinstance(value, dict) and set(value) == {"min", "max"}:
        return f"{value['min']}-{value['max']}"
    if isinstance(value, list | dict):
        return str(value)
    return num(value) if is_number(value) else str(value)


def same(cell: Any, shown: Any) -> bool:
    """Whether a cell still shows what `render` showed (so the file is left alone)."""
    a, b = scalar(cell), scalar(shown)
    if a is None or b is None:
        return a is None and b is None
    if is_number(a) and is_number(b):
        return float(a) == float(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return str(a if not is_number(a) else num(a)) == str(b if not is_number(b) else num(b))


def _number(text: Any, what: str = "a number: write a number such as 4 or 2.5") -> float:
    """A number from a cell, forgiving spaces, underscores and a decimal comma (`2,5`) as people type them."""
    if is_number(text):
        value = float(text)
    else:
        s = re.sub(r"[\s_\u00a0]", "", str(text))
        if s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")
        try:
            value = float(s)
        except ValueError:
            raise ValueError(f"'{text}' is not {what}") from None
    if not math.isfinite(value):
        raise ValueError(f"'{text}' is not {what}")
    return value


def _whole(text: Any, what: str = "a whole number") -> int:
    """A whole number from a cell; `what` says in the error what was expected."""
    value = _number(text, what)
    if not value.is_integer():
        raise ValueError(f"'{num(value)}' is not {what}")
    return int(value)


def _items(text: str) -> list[str]:
    """The comma- (or semicolon-) separated parts of a cell, tolerating pasted YAML brackets."""
    return [p.strip() for p in re.split(r"[,;]", text.strip().strip("[]{}")) if p.strip()]


_BOOLS = {"true": True, "yes": True, "1": True, "да": True, "false": False, "no": False, "0": False, "нет": False}
_AFTER = re.compile(r"^(?P<id>[^\s+]+)(?:\s+(?P<type>FS|SS))?\s*(?:\+\s*(?P<lag>\d+))?$", re.IGNORECASE)


def parse(cell: Any, col: Column) -> Any:
    """A cell as the plain YAML value it stands for (None: leave the key out); ValueError says what is wrong."""
    value = scalar(cell)
    if value is None:
        return None
    kind, text = col.kind, num(value) if is_number(value) else str(value)
    if kind in ("number", "level"):
        return _parse_number(value, kind)
    if kind == "bool":
        return _parse_bool(value, text)
    if kind == "month":
        return _parse_month(text)
    if kind == "choice" and text not in col.options:
        raise ValueError(f"'{text}' is not one of: {', '.join(col.options)}")
    if kind == "list":
        return [p for part in _items(text) for p in part.split()] or None
    if kind == "map":
        return _parse_map(text, col) or None
    if kind == "duration":
        return _parse_duration(value, text)
    if kind == "after":
        return [_parse_dep(p) for p in _items(text)] or None
    return text


def _parse_number(value: Any, kind: Kind) -> Any:
    """A number cell; a level is a whole number."""
    if isinstance(value, bool):
        raise ValueError(f"{value} is not a number")
    if kind == "level":
        return _whole(value, "a level: use a whole number from 1 to 5, or leave the cell empty")
    return tidy(_number(value))


def _parse_bool(value: Any, text: str) -> bool:
    """A yes/no cell: a checkbox, or a word in English or Russian."""
    if isinstance(value, bool):
        return value
    if text.lower() not in _BOOLS:
        raise ValueError(f"'{text}' is not true or false")
    return _BOOLS[text.lower()]


def _parse_month(text: str) -> str:
    """A `YYYY-MM` cell, with the month zero-padded."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if not m or not 1 <= int(m[2]) <= 12:
        raise ValueError(f"'{text}' is not a month: write YYYY-MM, e.g. 2027-06")
    return f"{m[1]}-{int(m[2]):02d}"


def _parse_duration(value: Any, text: str) -> Any:
    """A duration cell: a whole number of periods, or a range `8-12` as {min, max}."""
    m = re.fullmatch(r"(\d+)\s*(?:-|–|\.\.)\s*(\d+)", text)
    if m:
        return {"min": int(m[1]), "max": int(m[2])}
    return _whole(value, "a duration: write a whole number of periods (6) or a range (8-12)")


def _parse_map(text: str, col: Column) -> dict[Any, Any]:
    """A `key: value, key: value` cell as a mapping (years as integers, levels as whole numbers)."""
    out: dict[Any, Any] = {}
    for pair in _items(text):
        key, sep, val = pair.partition(":")
        key = key.strip().strip("'\"")
        if not sep or not key or not val.strip():
            raise ValueError(f"'{pair}' is not a 'key: value' pair; write e.g. '{_example(col)}'")
        k: Any = _whole(key, "a year such as 2026") if col.year_keys else key
        if k in out:
            raise ValueError(f"'{key}' is given twice")
        out[k] = _whole(val, "a level (a whole number from 1 to 5)") if col.name == "requires" else tidy(_number(val))
    return out


def _example(col: Column) -> str:
    """The example given in a column's help, to show in an error message."""
    m = re.search(r"e\.g\. '([^']*)'", col.help)
    return m[1] if m else "key: 1"


def _parse_dep(text: str) -> Any:
    """One predecessor (`T-05 SS+6`) as an id or {id, type, lag}."""
    m = _AFTER.fullmatch(text)
    if not m:
        raise ValueError(
            f"'{text}' is not a predecessor: write an id, optionally with SS and/or +lag, e.g. 'T-05 SS+6'"
        )
    kind, lag = (m["type"] or "FS").upper(), int(m["lag"] or 0)
    if kind == "FS" and not lag:
        return m["id"]
    return {"id": m["id"], **({"type": kind} if kind == "SS" else {}), **({"lag": lag} if lag else {})}


def canon(value: Any, col: Column) -> Any:
    """A comparable form: text that means the same as the file (spacing, key order, 6 vs 6.0) is no change."""
    if value is None and col.kind == "bool":
        return col.default
    if isinstance(value, dict) and col.kind == "map":
        return sorted((str(k), float(v) if is_number(v) else str(v)) for k, v in value.items())
    if isinstance(value, list) and col.kind == "after":
        return [_dep(v) or str(v) for v in value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return float(value) if is_number(value) else value


def to_node(value: Any) -> Any:
    """A plain value as a YAML node: small mappings and lists in flow style, whole numbers as integers."""
    if isinstance(value, dict):
        return flow(CommentedMap((k, to_node(v)) for k, v in value.items()))
    if isinstance(value, list):
        return flow(CommentedSeq(to_node(v) for v in value))
    return tidy(value) if isinstance(value, float) else value
