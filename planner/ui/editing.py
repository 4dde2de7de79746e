"""Editing a scenario through tables while keeping the YAML's comments and key order.

The round-trip YAML document is the source of truth, not the pydantic model, so that comments
survive. `table_frame` shows one part of a scenario as a DataFrame of simple cells (see
`planner.ui.edit_tables` for the columns and the cell formats); `apply_table` writes an edited frame back
into a copy of the document, touching only the cells that changed. `EditSession` is what the app
holds: the current text, its validation and an undo history.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from planner.domain.scenario import Objective, OverlapGroup, Scenario, Term, WorkPackage
from planner.io.yamledit import (
    after_key,
    append_item,
    delete_item,
    delete_key,
    put_following,
    replace_items,
    set_key,
    shift_eol_comment,
    take_following,
)
from planner.io.yamlio import FastPathRefused, dump_yaml_text, load_fast, load_yaml_text, to_plain
from planner.problem.validate import Problem, ScenarioError, parse_scenario
from planner.ui.edit_tables import (
    HINTS,
    ORIGIN,
    TABLES,
    Column,
    Kind,
    Table,
    canon,
    empty,
    is_number,
    num,
    parse,
    render,
    same,
    scalar,
    tidy,
    to_node,
)
from planner.ui.table_pages import merge_page
from planner.ui.uploads import reader_problem

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = [
    "ORIGIN",
    "TABLES",
    "CellProblem",
    "CellRef",
    "Column",
    "EditError",
    "EditSession",
    "Table",
    "Undone",
    "add_overlap_group",
    "apply_table",
    "problem_location",
    "set_priorities",
    "table_columns",
    "table_frame",
]


@dataclass(frozen=True)
class CellProblem:
    """A cell whose text cannot be written into the scenario."""

    table: str
    row: int | None  # position of the row in the frame
    row_id: str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.table]
        if self.row is not None:
            where.append(f"row '{self.row_id}'" if self.row_id else f"row {self.row + 1}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class EditError(Exception):
    """Edited cells that cannot be written; `problems` names every one of them."""

    def __init__(self, problems: list[CellProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Undone:
    """What an undo took back in one table: changed cells as (row, column, the edit's value, the value restored),
    and how many rows it removed (the edit had added them) or brought back (the edit had deleted them)."""

    table: str
    cells: tuple[tuple[str, str, Any, Any], ...] = ()
    removed: int = 0
    restored: int = 0


class CellRef(NamedTuple):
    """The table cell that holds a YAML path (row and column are None when the whole table or row is meant)."""

    table: str
    row: int | None
    column: str | None


# ---------------------------------------------------------------- tables


def table_columns(doc: Any, table: str) -> tuple[Column, ...]:
    """The columns of a table; the competency matrix has one level column per competency of the file."""
    spec = _spec(table)
    if table != "competencies":
        return spec.columns
    names = {str(c.get("id")): str(c.get("name") or "") for c in _list(doc, "competencies") if isinstance(c, dict)}
    for inst in _list(doc, "institutions"):
        comps = inst.get("competencies") if isinstance(inst, dict) else None
        for cid in comps if isinstance(comps, dict) else {}:
            names.setdefault(str(cid), "")
    levels = tuple(Column(c, "level", " ".join(filter(None, [n, HINTS["level"]]))) for c, n in names.items())
    return spec.columns + levels


def table_frame(doc: Any, table: str) -> pd.DataFrame:
    """One part of the scenario as a DataFrame of simple cells, one row per item of the file, in file order."""
    spec, columns = _spec(table), table_columns(doc, table)
    items = _rows(doc, spec)
    data: dict[str, pd.Series] = {}
    for col in columns:
        if table == "competencies":
            values = [
                to_plain(it.get("id")) if col.name == "institution" else to_plain(_comps(it).get(col.name))
                for it in items
            ]
        else:
            values = [to_plain(it.get(col.name)) for it in items]
        data[col.name] = _series([render(v, col) for v in values], col.kind)
    if table != "competencies":
        data[ORIGIN] = pd.Series(range(len(items)), dtype="Int64")
    return pd.DataFrame(data, index=pd.RangeIndex(len(items)))


_DTYPES = {"number": "float64", "integer": "Int64", "level": "Int64", "bool": "boolean"}


def _series(values: list[Any], kind: str) -> pd.Series:
    """A column with the dtype its editor expects (numbers, nullable levels and checkboxes, text)."""
    try:
        return pd.Series(values, dtype=_DTYPES.get(kind, "str"))
    except (TypeError, ValueError):  # a file with a wrong value in this column: show it as written
        return pd.Series(values, dtype=object)


def _spec(table: str) -> Table:
    """The spec of a table by name, naming the valid tables when the name is wrong."""
    if table not in TABLES:
        raise KeyError(f"no table {table!r}; tables: {', '.join(TABLES)}")
    return TABLES[table]


def _comps(item: CommentedMap) -> dict[Any, Any]:
    """An institution's competency levels (empty if absent or malformed)."""
    comps = item.get("competencies")
    return comps if isinstance(comps, dict) else {}


def _list(doc: Any, section: str) -> list[Any]:
    """The items of a top-level list, or none if it is absent or not a list."""
    value = doc.get(section) if isinstance(doc, dict) else None
    return list(value) if isinstance(value, list) else []


def _rows(doc: Any, spec: Table) -> list[CommentedMap]:
    """The items of a table's section, refusing shapes a table cannot show."""
    if not isinstance(doc, dict):  # a round-trip document, or the same data read the fast way (to show it)
        raise EditError([CellProblem(spec.name, None, None, None, "the file is not a YAML mapping; fix it as text")])
    seq = doc.get(spec.section)
    if seq is None:
        return []
    if not isinstance(seq, list) or not all(isinstance(it, dict) for it in seq):
        message = f"`{spec.section}` in the file is not a list of mappings; fix it as text"
        raise EditError([CellProblem(spec.name, None, None, None, message)])
    return list(seq)


def _copy(doc: Any) -> Any:
    """A deep copy that keeps comments exactly (copy.deepcopy breaks ruamel's shared comment tokens)."""
    return load_yaml_text(dump_yaml_text(doc))


def apply_table(doc: Any, table: str, frame: pd.DataFrame, copy: bool = True) -> Any:
    """A copy of `doc` with an edited table written back: only changed cells, added and deleted rows change.

    `copy=False` writes into `doc` itself (copying a 2,000-WP document costs seconds); after an EditError it may
    hold part of the edit, so the caller drops it.
    """
    spec = _spec(table)
    new = _copy(doc) if copy else doc
    _rows(new, spec)  # refuse shapes a table cannot show
    known = {c.name for c in table_columns(new, table)} | {ORIGIN}
    problems = [
        CellProblem(table, None, None, str(c), f"unknown column; columns: {', '.join(c.name for c in spec.columns)}")
        for c in frame.columns
        if c not in known and table != "competencies"
    ]
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    labels = list(frame.index)
    if table == "competencies":
        _apply_matrix(new, frame, records, problems)
    else:
        _apply_rows(new, spec, frame, records, labels, problems)
    if problems:
        raise EditError(problems)
    return new


def _apply_rows(
    doc: CommentedMap,
    spec: Table,
    frame: pd.DataFrame,
    records: list[dict[Any, Any]],
    labels: list[Any],
    problems: list[CellProblem],
) -> None:
    """Match frame rows to the file's items, then update, append and delete (appending first keeps comments)."""
    originals = _rows(doc, spec)
    columns = [c for c in spec.columns if c.name in frame.columns]
    claimed: dict[int, int] = {}  # original position → frame row
    added: list[int] = []
    for pos, row in enumerate(records):
        target = _match(spec, row, labels[pos], originals, claimed, ORIGIN in frame.columns)
        if target is None:
            added.append(pos)
        else:
            claimed[target] = pos
    for target, pos in claimed.items():
        _update_row(originals[target], spec, columns, records[pos], pos, problems)
    new_items = [item for pos in added if (item := _new_row(spec, columns, records[pos], pos, problems)) is not None]
    if problems:
        return
    _add_rows(doc, spec.section, new_items)
    seq = doc.get(spec.section)
    for index in sorted(set(range(len(originals))) - set(claimed), reverse=True):
        leftover = delete_item(seq, index)
        if not len(seq):
            put_following((doc, spec.section), leftover)


def _match(
    spec: Table,
    row: dict[Any, Any],
    label: Any,
    originals: list[CommentedMap],
    claimed: dict[int, int],
    by_origin: bool,
) -> int | None:
    """Which item of the file a frame row is: by its hidden origin, else by id (or position for id-less tables)."""
    if by_origin:
        origin = scalar(row.get(ORIGIN))
        candidates = [int(origin)] if is_number(origin) else []
    elif spec.keyed:
        rid = scalar(row.get("id"))
        candidates = [i for i, it in enumerate(originals) if rid is not None and same(rid, to_plain(it.get("id")))]
    else:
        candidates = [int(label)] if is_number(scalar(label)) else []
    return next((i for i in candidates if 0 <= i < len(originals) and i not in claimed), None)


def _update_row(
    item: CommentedMap, spec: Table, columns: list[Column], row: dict[Any, Any], pos: int, problems: list[CellProblem]
) -> None:
    """Write the changed cells of one existing row into its item; unchanged cells are not touched."""
    row_id = str(to_plain(item.get("id"))) if spec.keyed else None
    for col in columns:
        old = to_plain(item.get(col.name))
        if same(row[col.name], render(old, col)):
            continue
        try:
            value = parse(row[col.name], col)
        except ValueError as e:
            problems.append(CellProblem(spec.name, pos, row_id, col.name, str(e)))
            continue
        if spec.keyed and col.name == "id" and value is None:
            problems.append(CellProblem(spec.name, pos, row_id, "id", "every row needs an id"))
        elif canon(value, col) != canon(old, col):
            _write(item, col.name, value, col, spec.order)


def _new_row(
    spec: Table, columns: list[Column], row: dict[Any, Any], pos: int, problems: list[CellProblem]
) -> CommentedMap | None:
    """A new item from an added row, keys in the model's order; None for a row left blank."""
    if all(empty(row[c.name]) for c in columns if c.kind != "bool"):
        return None
    row_id = str(scalar(row.get("id")) or "") or None
    values: dict[str, Any] = {}
    for col in columns:
        try:
            value = parse(row[col.name], col)
        except ValueError as e:
            problems.append(CellProblem(spec.name, pos, row_id, col.name, str(e)))
            continue
        if value is not None and not (col.kind == "bool" and value == col.default):
            values[col.name] = value
    if spec.keyed and "id" not in values:
        problems.append(CellProblem(spec.name, pos, None, "id", "a new row needs an id"))
    item = CommentedMap((k, to_node(values[k])) for k in spec.order if k in values)
    item.fa.set_block_style()
    return item


def _add_rows(doc: CommentedMap, section: str, items: list[CommentedMap]) -> None:
    """Append rows at the end of a section, creating the section (in the model's key order) if it is missing."""
    if not items:
        return
    seq = doc.get(section)
    if not isinstance(seq, CommentedSeq):
        set_key(doc, section, CommentedSeq(items), list(Scenario.model_fields))
        return
    if not len(seq):  # `[]`: becomes a block list, keeping the comment lines that followed it
        rest = take_following((doc, section))
        seq.fa.set_block_style()
        seq.extend(items)
        put_following(after_key(doc, section), rest)
        return
    for item in items:
        append_item(seq, item)


def _apply_matrix(
    doc: CommentedMap, frame: pd.DataFrame, records: list[dict[Any, Any]], problems: list[CellProblem]
) -> None:
    """Write competency levels into each institution's `competencies` mapping; rows are never added or removed."""
    spec = TABLES["competencies"]
    items = {str(to_plain(it.get("id"))): it for it in _rows(doc, spec)}
    levels = [c for c in frame.columns if c not in ("institution", ORIGIN)]
    col_of = {c.name: c for c in table_columns(doc, "competencies")}
    for pos, row in enumerate(records):
        inst = scalar(row.get("institution"))
        if inst is None and all(empty(row[c]) for c in levels):
            continue
        item = items.get(str(num(inst) if is_number(inst) else inst))
        if item is None:
            message = f"unknown institution '{inst}': add it in the institutions table first"
            problems.append(CellProblem("competencies", pos, str(inst), "institution", message))
            continue
        current = {str(k): v for k, v in _comps(item).items()}
        wanted = dict(current)
        for name in levels:
            col = col_of.get(str(name)) or Column(str(name), "level", HINTS["level"])
            if same(row[name], render(to_plain(current.get(col.name)), col)):
                continue
            try:
                value = parse(row[name], col)
            except ValueError as e:
                problems.append(CellProblem("competencies", pos, str(inst), col.name, str(e)))
                continue
            if value is None:
                wanted.pop(col.name, None)
            else:
                wanted[col.name] = value
        if wanted != to_plain(current):
            _write(item, "competencies", wanted or None, Column("competencies", "map", ""), spec.order)


# ---------------------------------------------------------------- writing values


def _write(item: CommentedMap, key: str, value: Any, col: Column, order: list[str]) -> None:
    """Write one changed value, in place where the kind allows, so styles and comments stay."""
    if value is None:
        delete_key(item, key)
        return
    old = item.get(key)
    if not (isinstance(old, CommentedMap) and isinstance(value, dict)) and not (
        isinstance(old, CommentedSeq) and isinstance(value, list)
    ):
        set_key(item, key, to_node(value), order)
        return
    rest = take_following(after_key(item, key))
    shift_eol_comment(item, key, to_plain(old), value)
    if isinstance(old, CommentedMap) and isinstance(value, dict):
        for k in [k for k in old if k not in value]:
            delete_key(old, k)
        for k, v in value.items():
            if k not in old or to_plain(old[k]) != v:
                set_key(old, k, to_node(v))
    elif isinstance(old, CommentedSeq) and isinstance(value, list):
        replace_items(old, _reuse(old, value, col))
    put_following(after_key(item, key), rest)


def _reuse(old: CommentedSeq, values: list[Any], col: Column) -> list[Any]:
    """New list items, reusing the existing node of every item that did not change (its style stays)."""
    pool = list(old)
    used: set[int] = set()
    out = []
    for v in values:
        want = canon([v], col)
        j = next((j for j, o in enumerate(pool) if j not in used and canon([to_plain(o)], col) == want), None)
        if j is None:
            out.append(to_node(v))
        else:
            used.add(j)
            out.append(pool[j])
    return out


# ---------------------------------------------------------------- objective


_TERMS = [t.value for t in Term]
_MODES = typing.get_args(Objective.model_fields["mode"].annotation)


def set_priorities(
    doc: Any, priorities: Sequence[str], mode: str | None = None, weights: Mapping[str, float] | None = None
) -> Any:
    """A copy of `doc` with the objective's priorities (and mode and weights, when given) replaced."""
    problems = [
        CellProblem("objective", None, None, "priorities", f"unknown term '{t}'; terms: {', '.join(_TERMS)}")
        for t in priorities
        if str(t) not in _TERMS
    ]
    if not priorities:
        problems.append(CellProblem("objective", None, None, "priorities", "list at least one term"))
    if mode is not None and mode not in _MODES:
        problems.append(CellProblem("objective", None, None, "mode", f"'{mode}' is not one of: {', '.join(_MODES)}"))
    for t in weights or {}:
        if str(t) not in _TERMS:
            problems.append(
                CellProblem("objective", None, None, "weights", f"unknown term '{t}'; terms: {', '.join(_TERMS)}")
            )
    if problems:
        raise EditError(problems)
    new = _copy(doc)
    if not isinstance(new, CommentedMap):
        raise EditError([CellProblem("objective", None, None, None, "the file is not a YAML mapping; fix it as text")])
    if not isinstance(new.get("objective"), CommentedMap):
        set_key(new, "objective", CommentedMap(), list(Scenario.model_fields))
    obj, order = new["objective"], list(Objective.model_fields)
    wanted: dict[str, Any] = {"priorities": [str(t) for t in priorities]}
    if mode is not None and (mode != "lexicographic" or "mode" in obj):
        wanted["mode"] = mode
    if weights is not None:
        wanted["weights"] = {str(k): tidy(float(v)) for k, v in weights.items()} or None
    kinds: dict[str, Kind] = {"priorities": "list", "mode": "text", "weights": "map"}
    for key, value in wanted.items():
        col = Column(key, kinds[key], "")
        if canon(value, col) != canon(to_plain(obj.get(key)), col):
            _write(obj, key, value, col, order)
    return new


# ---------------------------------------------------------------- overlap groups


def add_overlap_group(
    doc: Any,
    group_id: str,
    members: Sequence[str],
    required: bool = False,
    note: str = "",
    optional: Sequence[str] = (),
) -> Any:
    """A copy of `doc` with an overlap group: a new one at the end of `overlap_groups`, or the members of the group
    `group_id` replaced when it exists; the work packages in `optional` are marked `mandatory: false` (at most one
    member of a group is done, so two mandatory members would make the scenario invalid)."""
    new = _copy(doc)
    spec = TABLES["overlap_groups"]
    groups = _rows(new, spec)
    existing = next((g for g in groups if str(to_plain(g.get("id"))) == group_id), None)
    if existing is not None:
        _write(existing, "members", list(members), Column("members", "list", ""), spec.order)
    else:
        values: dict[str, Any] = {"id": group_id, "members": list(members), "required": required or None, "note": note}
        item = CommentedMap((k, to_node(values[k])) for k in OverlapGroup.model_fields if values.get(k))
        item.fa.set_block_style()
        _add_rows(new, spec.section, [item])
    order = list(WorkPackage.model_fields)
    for wp in _rows(new, TABLES["work_packages"]):
        if str(to_plain(wp.get("id"))) in optional:
            set_key(wp, "mandatory", False, order)
    return new


# ---------------------------------------------------------------- problems → cells


def problem_location(problem: Problem) -> CellRef | None:
    """The table cell that holds a problem's YAML path (objective problems name the table 'objective', no row)."""
    parts: list[str | int] = [int(i) if i else k for i, k in re.findall(r"\[(\d+)\]|(?:^|\.)([^.\[]+)", problem.path)]
    if not parts or not isinstance(parts[0], str):
        return None
    section, row = parts[0], parts[1] if len(parts) > 1 and isinstance(parts[1], int) else None
    field = parts[2] if row is not None and len(parts) > 2 and isinstance(parts[2], str) else None
    if section == "objective":
        return CellRef("objective", None, parts[1] if len(parts) > 1 and isinstance(parts[1], str) else None)
    if section == "institutions" and field == "competencies":
        return CellRef("competencies", row, ".".join(str(p) for p in parts[3:]) or None)
    spec = next((t for t in TABLES.values() if t.section == section and t.name != "competencies"), None)
    if spec is None:
        return None
    return CellRef(spec.name, row, field if any(c.name == field for c in spec.columns) else None)


# ---------------------------------------------------------------- session


class EditSession:
    """What the Edit page holds: the current text, its validation, and an undo history of earlier texts."""

    def __init__(self, text: str, name: str, history_limit: int = 50) -> None:
        self.name = name
        self.opened_text = text
        self.text = text
        self.scenario: Scenario | None = None
        self.problems: list[Problem] = []
        # (text before an edit, the table it was made in, whether that text holds no edit undone since)
        self._history: list[tuple[str, str | None, bool]] = []
        self._limit = history_limit
        self._doc: Any = None
        self._plain: Any = None  # the current text read the fast way, to show tables (see `_shown`)
        self._frames: dict[str, pd.DataFrame] = {}  # tables of the current text, made once per text
        self._validate()

    @property
    def doc(self) -> Any:
        """The current text as a round-trip document (None if it is not YAML); treat it as read-only."""
        if self._doc is None:
            try:
                self._doc = load_yaml_text(self.text)
            except Exception:  # any YAML error: the problems already say what is wrong
                return None
        return self._doc

    @property
    def can_undo(self) -> bool:
        """Whether there is an earlier text to go back to."""
        return bool(self._history)

    def can_undo_table(self, table: str) -> bool:
        """Whether an edit made in this table (or the priorities, "objective") can be taken back."""
        return any(t == table for _, t, _ in self._history)

    @property
    def changed(self) -> bool:
        """Whether the text differs from the one opened (or last saved)."""
        return self.text != self.opened_text

    def frame(self, table: str) -> pd.DataFrame:
        """The current contents of a table (a copy of its own for the caller)."""
        if table not in self._frames:
            self._frames[table] = table_frame(self._shown(), table)
        return self._frames[table].copy()

    def columns(self, table: str) -> tuple[Column, ...]:
        """The columns of a table for the current scenario."""
        return table_columns(self._shown(), table)

    def apply(self, table: str, frame: pd.DataFrame) -> bool:
        """Write an edited table; the edit is kept even if the scenario becomes invalid. True if anything changed."""
        if _unchanged(frame, self.frame(table)):  # the app calls this on every rerun: skip the copy and validation
            return False
        return self._write(table, frame)

    def apply_page(
        self, table: str, shown: pd.DataFrame, edited: pd.DataFrame, defaults: Mapping[str, Any] | None = None
    ) -> bool:
        """Write an edited page of a table (`shown` as `page_of` gave it, `edited` as the editor returned it; see
        `planner.ui.table_pages.merge_page`); rows outside the page are left alone. True if anything changed."""
        if _unchanged(edited, shown.reset_index(drop=True)):  # the page's rows only: every rerun calls this
            return False
        return self._write(table, merge_page(self.frame(table), shown, edited, defaults))

    def _write(self, table: str, frame: pd.DataFrame) -> bool:
        """Write a table into the current document in place; a refused edit drops the document (it may hold part
        of the edit), so that it is read again from the text, which the refusal left unchanged."""
        try:
            doc = apply_table(self.doc, table, frame, copy=False)
        except EditError:
            self._doc = None
            self._forget()
            raise
        return self._commit(doc, table)

    def set_priorities(
        self, priorities: Sequence[str], mode: str | None = None, weights: Mapping[str, float] | None = None
    ) -> bool:
        """Replace the objective's priorities (and mode and weights). True if anything changed."""
        return self._commit(set_priorities(self.doc, priorities, mode, weights), "objective")

    def add_overlap_group(
        self,
        group_id: str,
        members: Sequence[str],
        required: bool = False,
        note: str = "",
        optional: Sequence[str] = (),
    ) -> bool:
        """Add (or extend) an overlap group, with undo, as one edit of the overlap groups table. True if it changed."""
        return self._commit(add_overlap_group(self.doc, group_id, members, required, note, optional), "overlap_groups")

    def set_text(self, text: str) -> bool:
        """Replace the whole text (an edit made as YAML), with undo. True if it changed."""
        if text == self.text:
            return False
        self._push(None)
        self.text, self._doc = text, None
        self._forget()
        self._validate()
        return True

    def undo(self) -> bool:
        """Go back to the text before the last edit, whatever table it was made in. False if there is none."""
        if not self._history:
            return False
        self.text, self._doc = self._history.pop()[0], None
        self._forget()
        self._validate()
        return True

    def undo_table(self, table: str) -> Undone | None:
        """Take back the last edit made in one table (or the priorities, "objective"), leaving edits made in other
        tables since then as they are; what was taken back, or None if the table has no edit to undo.

        The last edit of all is undone by going back to the exact text before it; an older one by writing the
        table as it was before that edit into the current document (only its cells change).
        """
        at = next((k for k in range(len(self._history) - 1, -1, -1) if self._history[k][1] == table), None)
        if at is None:
            return None
        before, _, clean = self._history[at]
        now = self.frame(table) if table != "objective" else None
        if at == len(self._history) - 1 and clean:
            self._history.pop()
            self.text, self._doc = before, None
            self._forget()
            self._validate()
        else:
            try:
                old = load_fast(before)
            except FastPathRefused:
                old = load_yaml_text(before)
            if table == "objective":
                objective = old.get("objective") or {}
                doc = set_priorities(
                    self.doc, objective.get("priorities") or [], objective.get("mode"), objective.get("weights") or {}
                )
            else:
                doc = apply_table(self.doc, table, table_frame(old, table), copy=False)
            # The texts remembered after this edit still hold it: going back to one of them would bring it back.
            self._history = [*self._history[:at], *((x, t, False) for x, t, _ in self._history[at + 1 :])]
            self._commit(doc, table, remember=False)
        return _undone(table, now, self.frame(table) if now is not None else None)

    def mark_saved(self, name: str | None = None) -> None:
        """Record that the current text is now what is on disk (under `name`, if saved under a new name)."""
        self.opened_text = self.text
        self.name = name or self.name
        self._validate()

    def locate(self, problem: Problem) -> CellRef | None:
        """The table cell that holds a problem."""
        return problem_location(problem)

    def _commit(self, doc: Any, table: str | None, remember: bool = True) -> bool:
        """Make an edited document current (with undo, unless `remember` is off) if its text differs; validate it."""
        text = dump_yaml_text(doc)
        self._forget()  # `doc` may be the current document, written in place
        if text == self.text:
            return False
        if remember:
            self._push(table)
        self.text, self._doc = text, doc
        self._validate()
        return True

    def _shown(self) -> Any:
        """The current text as the tables show it: read the fast way (a 2,000-WP file in half a second, where the
        round-trip document takes seconds and is needed only to write an edit), else the document itself."""
        if self._plain is None:
            try:
                self._plain = load_fast(self.text)
            except FastPathRefused:
                self._plain = self.doc
        return self._plain

    def _forget(self) -> None:
        """Drop what was derived from the previous text or document."""
        self._plain = None
        self._frames.clear()

    def _push(self, table: str | None) -> None:
        """Remember the current text for undo (and the table edited), keeping at most `history_limit` texts."""
        self._history.append((self.text, table, True))
        del self._history[: -self._limit]

    def _validate(self) -> None:
        """Validate the current text: the scenario if valid, else every problem with file, line and path."""
        try:
            self.scenario, self.problems = parse_scenario(self.text, self.name), []
        except ScenarioError as e:
            self.scenario, self.problems = None, e.problems
        except (YAMLError, RecursionError) as e:  # what the reader does not yet turn into problems (issue 17)
            self.scenario, self.problems = None, [reader_problem(self.name, self.text, e)]


def _undone(table: str, edited: pd.DataFrame | None, restored: pd.DataFrame | None) -> Undone:
    """What an undo changed in a table: cells by row (its id, else its number) and column, rows removed or back."""
    if edited is None or restored is None:
        return Undone(table)
    key = "id" if "id" in edited.columns else "institution" if "institution" in edited.columns else None
    shared = min(len(edited), len(restored))
    cells = []
    for k in range(shared):
        a, b = edited.iloc[k], restored.iloc[k]
        row = str(b[key]) if key is not None and not empty(b[key]) else str(k + 1)
        for column in edited.columns:
            if column != ORIGIN and column in restored.columns and not same(a[column], b[column]):
                cells.append((row, str(column), scalar(a[column]), scalar(b[column])))
    return Undone(table, tuple(cells), max(0, len(edited) - shared), max(0, len(restored) - shared))


def _unchanged(frame: pd.DataFrame, current: pd.DataFrame) -> bool:
    """Whether an edited frame still shows exactly the current table."""
    if (
        list(frame.columns) != list(current.columns)
        or len(frame) != len(current)
        or not frame.index.equals(current.index)
    ):
        return False
    return all(same(a, b) for col in frame.columns for a, b in zip(frame[col], current[col], strict=True))
