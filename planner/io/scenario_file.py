"""Reading a scenario file: text, YAML document, pydantic model, and every problem in domain words.

Each problem names the file, the line and the YAML path:
`scenarios/by-tomsk.yaml:88: work_packages[12].after[0]: unknown work package or overlap group 'U-99'`.
"""

from __future__ import annotations

import datetime
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.domain.scenario import MAX_MONEY, Scenario
from planner.io.limits import InputRefused, read_capped
from planner.io.yamlio import line_of, load_yaml_text, syntax_error, to_plain

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ScenarioError(Exception):
    """A scenario file that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem], document: Any = None) -> None:
        self.problems = problems
        self.document = document  # the parsed YAML when the problems are in its fields (None: it did not parse)
        super().__init__("\n".join(str(p) for p in problems))


def render_path(loc: Loc) -> str:
    """('work_packages', 12, 'after', 0) → 'work_packages[12].after[0]'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_scenario_text(path: str | Path) -> str:
    """The text of a scenario file; raises ScenarioError naming the file (missing, unreadable, not UTF-8, too large).

    Only regular files up to `MAX_FILE_BYTES` are read (see planner.io.limits).
    """
    path = Path(path)
    name = str(path)
    try:
        raw = read_capped(path)
    except FileNotFoundError:
        raise ScenarioError([Problem(name, None, "", "file not found")]) from None
    except InputRefused as e:
        raise ScenarioError([Problem(name, None, "", e.message)]) from None
    except OSError as e:
        raise ScenarioError([Problem(name, None, "", f"cannot read: {e.strerror}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        message = f"not UTF-8 text: byte 0x{raw[e.start]:02x} ({e.reason}); save the file as UTF-8"
        raise ScenarioError([Problem(name, line, "", message)]) from None


def parse_document(text: str, name: str = "<scenario>") -> tuple[Any, Scenario]:
    """The YAML document and its scenario model; raises ScenarioError listing every field-level problem."""
    from ruamel.yaml.error import MarkedYAMLError  # here: a valid file is read without the round-trip reader

    try:
        doc = load_yaml_text(text)
    except InputRefused as e:
        raise ScenarioError([Problem(name, e.line, "", e.message)]) from None
    except MarkedYAMLError as e:
        line, message = syntax_error(e)
        raise ScenarioError([Problem(name, line, "", message)]) from None
    return doc, document_scenario(doc, name)


def document_scenario(doc: Any, name: str = "<scenario>") -> Scenario:
    """The scenario model of a read YAML document (round-trip or lined, for the lines of messages); raises
    ScenarioError listing every field-level problem."""
    if not isinstance(doc, dict):
        raise ScenarioError([Problem(name, line_of(doc, ()) or 1, "", _not_a_mapping(doc))])
    try:
        return Scenario.model_validate(to_plain(doc))
    except ValidationError as e:
        raise ScenarioError(_pydantic_problems(e, doc, name), doc) from None


def _not_a_mapping(doc: Any) -> str:
    required = [k for k, f in Scenario.model_fields.items() if f.is_required()]
    if doc is None:
        found = "is empty"
    elif isinstance(doc, list):
        found = "holds a list"
    else:
        found = f"holds a single value ({doc!r})"
    return f"the file {found}, but a scenario is a YAML mapping with the keys {', '.join(required)}, …"


# ---------------------------------------------------------------- field-level messages


_TYPE_TAGS = {"int", "str", "float", "bool", "list", "dict", "none", "literal", "enum"}


def _is_tag(part: str | int) -> bool:
    return isinstance(part, str) and (
        part in _TYPE_TAGS or part[:1].isupper() or "[" in part or part.startswith(("function-", "constrained-"))
    )


def _split_loc(doc: Any, raw: tuple[str | int, ...]) -> tuple[Loc, list[tuple[Loc, str]]]:
    """A pydantic error location → (the YAML path, the type tags pydantic added with the path they follow).

    A part is the user's when the document has it there (so a country id `BY` used as a key is
    not mistaken for a tag); otherwise it is a tag if it looks like one, else a missing field.
    """
    loc: list[str | int] = []
    tags: list[tuple[Loc, str]] = []
    node = doc
    for part in raw:
        if (isinstance(node, dict) and part in node) or (isinstance(node, list) and isinstance(part, int)):
            loc.append(part)
            node = _node_at(node, (part,))
        elif _is_tag(part):
            tags.append((tuple(loc), str(part)))
        else:
            loc.append(part)
            node = None
    return tuple(loc), tags


def _expects_mapping(tag: str) -> bool:
    """Whether a union branch tag ('constrained-int', 'function-after[…, DurationRange]', 'Dependency') is a mapping."""
    words = re.findall(r"[A-Za-z_][\w-]*", tag)
    return tag.startswith("dict") or (bool(words) and words[-1][:1].isupper())


def _pydantic_problems(err: ValidationError, doc: Any, name: str) -> list[Problem]:
    errors = [(e, *_split_loc(doc, e["loc"])) for e in err.errors(include_url=False)]
    branches: dict[Loc, set[str]] = {}
    for _, _, tags in errors:
        for prefix, tag in tags:
            branches.setdefault(prefix, set()).add(tag)

    def meant(tags: list[tuple[Loc, str]]) -> bool:
        # A union such as `int | {min, max}` reports once per branch: keep the branch the input meant.
        return all(
            _expects_mapping(tag) == isinstance(_node_at(doc, prefix), dict)
            for prefix, tag in tags
            if len(branches[prefix]) > 1
        )

    kept = [(e, loc) for e, loc, tags in errors if meant(tags)] or [(e, loc) for e, loc, _ in errors]
    merged: dict[Loc, list[str]] = {}
    for e, loc in kept:
        msg = _message(e, loc)
        if msg not in merged.setdefault(loc, []):
            merged[loc].append(msg)
    return [Problem(name, line_of(doc, loc), render_path(loc), "; or ".join(msgs)) for loc, msgs in merged.items()]


def _node_at(doc: Any, loc: Loc) -> Any:
    node = doc
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


_EXPECTED = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "string_type": "expected text",
    "list_type": "expected a list, e.g. [a, b]",
    "dict_type": "expected a mapping, e.g. {key: value}",
    "finite_number": "must be a finite number",
}
_MONTH_FIELDS = {"start", "earliest_start", "deadline", "due"}  # every field of type Month is named so
_BOUNDS = {
    "greater_than_equal": "at least",
    "less_than_equal": "at most",
    "greater_than": "more than",
    "less_than": "less than",
}


def _message(e: Any, loc: Loc) -> str:
    kind, value, ctx = e["type"], e.get("input"), e.get("ctx", {})
    if kind == "extra_forbidden":
        valid = _fields_at(loc[:-1])
        hint = f" (valid keys: {', '.join(valid)})" if valid else ""
        return f"unknown key '{loc[-1]}'{hint}"
    if kind == "missing":
        return "required field is missing"
    if kind == "string_pattern_mismatch":
        if "\\d{4}" in str(ctx.get("pattern", "")):
            return f"'{value}' is not a month: write YYYY-MM, e.g. 2027-06"
        script = " (names and titles may use any script)" if not str(value).isascii() else ""
        return (
            f"'{value}' is not a valid id: use Latin letters, digits, '-', '_' or '.', "
            f"starting with a letter or digit{script}"
        )
    if kind == "string_type" and isinstance(value, datetime.date):
        if loc and loc[-1] in _MONTH_FIELDS:
            return f"{value} is a date, not a month: write YYYY-MM, e.g. {value:%Y-%m}"
        return f"{value} was read as a date; to mean text, put it in quotes: '{value}'"
    if kind in _EXPECTED:
        msg = _EXPECTED[kind]
    elif kind == "model_type":
        msg = "expected a mapping" + _keys_hint(loc)
    elif kind in _BOUNDS:
        limit = next(iter(ctx.values()))
        msg = f"must be {_BOUNDS[kind]} {_number(limit)}{_WHY.get(limit, '') if kind == 'less_than_equal' else ''}"
    elif kind in ("too_short", "too_long", "string_too_long"):
        return _size_message(kind, ctx, value)
    else:
        msg = str(e["msg"])
        msg = msg.removeprefix("Value error, ").replace("Input should be", "must be", 1)
        msg = msg[0].lower() + msg[1:]
    if isinstance(value, dict | list) or kind in ("value_error", "assertion_error"):
        return msg
    return f"{msg} (got {'an empty value' if value is None else repr(value)})"


def _size_message(kind: str, ctx: dict[str, Any], value: Any) -> str:
    """A list with too few or too many items, or a text with too many characters."""
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"needs at least {n} item{'s' if n != 1 else ''} (got {ctx.get('actual_length')})"
    if kind == "too_long":
        return f"has {ctx.get('actual_length'):,} items, more than the {ctx.get('max_length'):,} allowed"
    n = f"{len(value):,}" if isinstance(value, str) else "more"
    return f"has {n} characters, more than the {ctx.get('max_length'):,} allowed"


_WHY = {MAX_MONEY: " (the most the planner counts exactly in hundredths; give amounts in thousands)"}


def _number(x: float) -> str:
    """A limit as people read it: 1000000000000.0 → '1,000,000,000,000'; 1.0 and 1e-06 stay as they are."""
    if isinstance(x, float) and x.is_integer() and 1000 <= abs(x) < 1e16:
        x = int(x)
    return f"{x:,}" if isinstance(x, int) else str(x)


def _keys_hint(loc: Loc) -> str:
    """' with the keys …' for the model expected at `loc`: all keys if few, else the required ones."""
    model = _model_of(_type_at(loc))
    if model is None:
        return ""
    fields = model.model_fields
    if len(fields) <= 6:
        return f" with the keys {', '.join(fields)}"
    return f" with keys {', '.join(k for k, f in fields.items() if f.is_required())}, …"


def _fields_at(loc: Loc) -> list[str]:
    """Field names of the model found by following `loc` from Scenario, for 'valid keys' hints."""
    model = _model_of(_type_at(loc))
    return list(model.model_fields) if model else []


def _type_at(loc: Loc) -> Any:
    """The annotated type found by following `loc` from Scenario (None if the path leaves the models)."""
    tp: Any = Scenario
    for part in loc:
        tp = _step(tp, part)
        if tp is None:
            return None
    return tp


def _model_of(tp: Any) -> type[BaseModel] | None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for arg in typing.get_args(tp):
        m = _model_of(arg)
        if m:
            return m
    return None


def _step(tp: Any, part: str | int) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _step(typing.get_args(tp)[0], part)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            nxt = _step(arg, part)
            if nxt is not None:
                return nxt
        return None
    if origin is list and isinstance(part, int):
        return typing.get_args(tp)[0]
    if origin is dict:
        return typing.get_args(tp)[1]
    model = _model_of(tp)
    if model and isinstance(part, str) and part in model.model_fields:
        return model.model_fields[part].annotation
    return None
