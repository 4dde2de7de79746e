"""Reading a scenario file and reporting every problem in it together, in domain words.

Each problem names the file, the line and the YAML path:
`scenarios/by-tomsk.yaml:88: work_packages[12].after[0]: unknown work package or overlap group 'U-99'`.
"""

from __future__ import annotations

import datetime
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml.error import MarkedYAMLError

from planner.calendar import Calendar
from planner.options import Catalogue, competent, duration_bounds, eligible_funders
from planner.scenario import Scenario
from planner.yamlio import line_of, load_yaml_text, to_plain

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

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def render_path(loc: Loc) -> str:
    """('work_packages', 12, 'after', 0) → 'work_packages[12].after[0]'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raises ScenarioError listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError([Problem(name, None, "", "file not found")]) from None
    except OSError as e:
        raise ScenarioError([Problem(name, None, "", f"cannot read: {e.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        message = f"not UTF-8 text: byte 0x{raw[e.start]:02x} ({e.reason}); save the file as UTF-8"
        raise ScenarioError([Problem(name, line, "", message)]) from None
    return parse_scenario(text, name)


def parse_scenario(text: str, name: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text; raises ScenarioError listing every problem."""
    try:
        doc = load_yaml_text(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        raise ScenarioError([Problem(name, line, "", f"not valid YAML: {e.problem or e.context}")]) from None
    if not isinstance(doc, dict):
        raise ScenarioError([Problem(name, line_of(doc, ()) or 1, "", _not_a_mapping(doc))])
    try:
        scenario = Scenario.model_validate(to_plain(doc))
    except ValidationError as e:
        raise ScenarioError(_pydantic_problems(e, doc, name)) from None
    problems = [Problem(name, line_of(doc, loc), render_path(loc), msg) for loc, msg in cross_check(scenario)]
    if problems:
        raise ScenarioError(problems)
    return scenario


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
        msg = f"must be {_BOUNDS[kind]} {next(iter(ctx.values()))}"
    elif kind == "too_short":
        n = ctx.get("min_length")
        return f"needs at least {n} item{'s' if n != 1 else ''} (got {ctx.get('actual_length')})"
    else:
        msg = str(e["msg"])
        msg = msg.removeprefix("Value error, ").replace("Input should be", "must be", 1)
        msg = msg[0].lower() + msg[1:]
    if isinstance(value, dict | list) or kind in ("value_error", "assertion_error"):
        return msg
    return f"{msg} (got {'an empty value' if value is None else repr(value)})"


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


# ---------------------------------------------------------------- cross-reference checks


def cross_check(s: Scenario) -> list[tuple[Loc, str]]:
    """Rules that relate parts of a scenario: ids, references, cycles, windows, executability."""
    out: list[tuple[Loc, str]] = []
    out += _duplicates(s)
    out += _references(s)
    out += _currencies(s)
    out += _windows(s)
    out += _cycles(s)
    if not out:  # executability needs sound references
        out += _executability(s)
    return out


def _ids(items: list[Any]) -> set[str]:
    return {i.id for i in items}


def _duplicates(s: Scenario) -> Iterator[tuple[Loc, str]]:
    for field in (
        "countries",
        "competencies",
        "institutions",
        "facilities",
        "funders",
        "programs",
        "work_packages",
        "overlap_groups",
    ):
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(s, field)):
            if item.id in seen:
                yield (field, i, "id"), f"duplicate id '{item.id}' (first used at {field}[{seen[item.id]}])"
            seen.setdefault(item.id, i)
    wps = _ids(s.work_packages)
    for i, g in enumerate(s.overlap_groups):
        if g.id in wps:
            yield ("overlap_groups", i, "id"), f"'{g.id}' is also a work package id; overlap groups need their own ids"
    for w, wp in enumerate(s.work_packages):
        seen_opt: set[str] = set()
        for o, opt in enumerate(wp.options):
            if opt.id in seen_opt:
                yield ("work_packages", w, "options", o, "id"), f"duplicate option id '{opt.id}' in {wp.id}"
            seen_opt.add(opt.id)


def _unknown(kind: str, value: str, known: set[str]) -> str:
    if not known:
        plural = kind[:-1] + "ies" if kind.endswith("y") else kind + "s"
        return f"unknown {kind} '{value}' (the scenario defines no {plural})"
    listed = ", ".join(sorted(known)[:12]) + (", …" if len(known) > 12 else "")
    return f"unknown {kind} '{value}' (known: {listed})"


def _references(s: Scenario) -> Iterator[tuple[Loc, str]]:
    countries, comps, insts = _ids(s.countries), _ids(s.competencies), _ids(s.institutions)
    facs, funders, progs = _ids(s.facilities), _ids(s.funders), _ids(s.programs)
    wps, groups = _ids(s.work_packages), _ids(s.overlap_groups)

    def ref(loc: Loc, kind: str, value: str | None, known: set[str]) -> Iterator[tuple[Loc, str]]:
        if value is not None and value not in known:
            yield loc, _unknown(kind, value, known)

    for i, inst in enumerate(s.institutions):
        yield from ref(("institutions", i, "country"), "country", inst.country, countries)
        for c in inst.competencies:
            yield from ref(("institutions", i, "competencies", c), "competency", c, comps)
    for i, fac in enumerate(s.facilities):
        yield from ref(("facilities", i, "institution"), "institution", fac.institution, insts)
    for i, f in enumerate(s.funders):
        yield from ref(("funders", i, "country"), "country", f.country, countries)
        for j, c in enumerate(f.pays or []):
            yield from ref(("funders", i, "pays", j), "country", c, countries)
        for j, inst_id in enumerate(f.institutions or []):
            yield from ref(("funders", i, "institutions", j), "institution", inst_id, insts)
        for c in f.shares:
            yield from ref(("funders", i, "shares", c), "country", c, countries)
        if f.country is None and f.pays is None:
            yield (
                ("funders", i, "pays"),
                "a funder with no country must list the countries it pays: give `country` or `pays: [...]`",
            )
        if f.shares and sum(f.shares.values()) > 1 + 1e-9:
            yield ("funders", i, "shares"), f"shares add up to {sum(f.shares.values()):.3f}, more than 1"
    for i, p in enumerate(s.programs):
        for j, fid in enumerate(p.funders):
            yield from ref(("programs", i, "funders", j), "funder", fid, funders)
        for c in p.country_shares:
            yield from ref(("programs", i, "country_shares", c), "country", c, countries)
        if p.country_shares and sum(p.country_shares.values()) > 1 + 1e-9:
            yield (
                ("programs", i, "country_shares"),
                f"shares add up to {sum(p.country_shares.values()):.3f}, more than 1",
            )
    for w, wp in enumerate(s.work_packages):
        base: Loc = ("work_packages", w)
        yield from ref((*base, "program"), "program", wp.program, progs)
        for c in wp.requires:
            yield from ref((*base, "requires", c), "competency", c, comps)
        for fac_id in wp.facilities:
            yield from ref((*base, "facilities", fac_id), "facility", fac_id, facs)
        for j, dep in enumerate(wp.dependencies):
            if dep.id == wp.id:
                yield (*base, "after", j), f"{wp.id} cannot come after itself"
            else:
                yield from ref((*base, "after", j), "work package or overlap group", dep.id, wps | groups)
        for o, opt in enumerate(wp.options):
            yield from ref((*base, "options", o, "institution"), "institution", opt.institution, insts)
            for fac_id in opt.facilities or {}:
                yield from ref((*base, "options", o, "facilities", fac_id), "facility", fac_id, facs)
            for fid in opt.funding or {}:
                yield from ref((*base, "options", o, "funding", fid), "funder", fid, funders)
    for i, g in enumerate(s.overlap_groups):
        for j, m in enumerate(g.members):
            yield from ref(("overlap_groups", i, "members", j), "work package", m, wps)
        mandatory = [m for m in g.members if m in wps and next(w for w in s.work_packages if w.id == m).mandatory]
        if len(mandatory) > 1:
            yield (
                ("overlap_groups", i, "members"),
                (
                    f"at most one member can be done but {' and '.join(mandatory)} are both mandatory; "
                    "make them `mandatory: false` (and the group `required: true`)"
                ),
            )
    for i, pr in enumerate(s.prior_results):
        yield from ref(("prior_results", i, "institution"), "institution", pr.institution, insts)
        yield from ref(("prior_results", i, "work_package"), "work package", pr.work_package, wps)
    for i, pin in enumerate(s.pins):
        yield from ref(("pins", i, "work_package"), "work package", pin.work_package, wps)
        yield from ref(("pins", i, "institution"), "institution", pin.institution, insts)
        wp_opts = next((w for w in s.work_packages if w.id == pin.work_package), None)
        if pin.option is not None and wp_opts is not None and wp_opts.options:
            yield from ref(("pins", i, "option"), f"option of {pin.work_package}", pin.option, _ids(wp_opts.options))
    for i, fb in enumerate(s.forbids):
        yield from ref(("forbids", i, "work_package"), "work package", fb.work_package, wps)
        yield from ref(("forbids", i, "institution"), "institution", fb.institution, insts)


def _currencies(s: Scenario) -> Iterator[tuple[Loc, str]]:
    used: list[tuple[Loc, str]] = [
        (("countries", i, "currency"), c.currency) for i, c in enumerate(s.countries) if c.currency
    ]
    used += [(("institutions", i, "currency"), x.currency) for i, x in enumerate(s.institutions) if x.currency]
    used += [(("funders", i, "currency"), f.currency) for i, f in enumerate(s.funders) if f.currency]
    if s.currencies is None:
        distinct = sorted({c for _, c in used})
        if len(distinct) > 1:
            # point at the first use of a second currency: the file has no `currencies` line to point at
            loc = next(loc for loc, c in used if c != used[0][1])
            yield (
                loc,
                (
                    f"several currencies are used ({', '.join(distinct)}) but there is no `currencies` section: "
                    "add `currencies: {reporting: ..., rates: {...}}` with a rate for each"
                ),
            )
        return
    known = set(s.currencies.rates) | {s.currencies.reporting}
    for loc, c in used:
        if c not in known:
            yield loc, f"no exchange rate for currency '{c}' (add it under currencies.rates)"


def _windows(s: Scenario) -> Iterator[tuple[Loc, str]]:
    cal = Calendar(s.time)
    horizon_end = cal.last_month(cal.horizon)
    for w, wp in enumerate(s.work_packages):
        base: Loc = ("work_packages", w)
        min_d = wp.duration if isinstance(wp.duration, int) else wp.duration.min
        if wp.options:
            min_d = min(
                o.duration if isinstance(o.duration, int) else o.duration.min if o.duration else min_d
                for o in wp.options
            )
        es = max(0, cal.period_of(wp.earliest_start)) if wp.earliest_start else 0
        if wp.earliest_start and cal.period_of(wp.earliest_start) >= cal.horizon:
            yield (*base, "earliest_start"), f"{wp.earliest_start} is after the horizon ends ({horizon_end})"
        elif wp.deadline:
            latest_end = cal.period_of(wp.deadline) + 1
            if latest_end - es < min_d:
                start_txt = wp.earliest_start or s.time.start
                yield (
                    (*base, "deadline"),
                    (
                        f"impossible window: {wp.id} takes at least {min_d} periods but may only run from "
                        f"{start_txt} to {wp.deadline}"
                    ),
                )
        elif es + min_d > cal.horizon:
            yield (
                (*base, "duration"),
                (f"{wp.id} takes at least {min_d} periods and cannot finish within the horizon (ends {horizon_end})"),
            )
        wp_bounds = duration_bounds(wp.duration, (1, 1))
        lo, hi = wp_bounds
        if wp.options:
            spans = [duration_bounds(o.duration, wp_bounds) for o in wp.options]
            lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
        takes = f"{hi} periods" if lo == hi else f"at most {hi} periods"
        for d, dl in enumerate(wp.deliverables):
            if dl.offset is not None and dl.offset > hi:
                yield (
                    (*base, "deliverables", d, "offset"),
                    f"offset {dl.offset} is after the end of {wp.id}, which takes {takes}: use an offset from 0 to {hi}",
                )
    for i, pin in enumerate(s.pins):
        if pin.start and not 0 <= cal.period_of(pin.start) < cal.horizon:
            yield ("pins", i, "start"), f"{pin.start} is outside the horizon ({s.time.start} to {horizon_end})"


def _cycles(s: Scenario) -> Iterator[tuple[Loc, str]]:
    groups = {g.id: g.members for g in s.overlap_groups}
    succ: dict[str, list[str]] = {wp.id: [] for wp in s.work_packages}
    for wp in s.work_packages:
        for dep in wp.dependencies:
            for pred in groups.get(dep.id, [dep.id]):
                if pred in succ and pred != wp.id:
                    succ[pred].append(wp.id)
    index = {wp.id: i for i, wp in enumerate(s.work_packages)}
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()
    for root in succ:
        if state.get(root):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(succ[root]))]
        path = [root]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    yield ("work_packages", index[nxt], "after"), f"precedence cycle: {' → '.join(cycle)}"
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
                path.append(nxt)


def _executability(s: Scenario) -> Iterator[tuple[Loc, str]]:
    cat = Catalogue(s)
    programs = {p.id: p for p in s.programs}
    insts = {i.id: i for i in s.institutions}
    for w, wp in enumerate(s.work_packages):
        base: Loc = ("work_packages", w)
        options = cat.by_wp[wp.id]
        if not options:
            yield (*base, "requires"), _nobody_can(s, wp)
            continue
        funders = programs[wp.program].funders
        if funders and all(o.funding is None for o in options):
            payable = [o for o in options if eligible_funders(s, insts.get(o.institution or ""), funders)]
            if not payable:
                who = ", ".join(
                    f"{o.institution} in {insts[o.institution].country}" if o.institution else f"option {o.id}"
                    for o in options
                )
                yield (
                    (*base, "program"),
                    (
                        f"none of the institutions able to do {wp.id} ({who}) can be paid by the funders of "
                        f"program '{wp.program}' ({'; '.join(_whom_it_pays(s, f) for f in funders)})"
                    ),
                )


def _whom_it_pays(s: Scenario, funder_id: str) -> str:
    """'bff pays BY' or 'joint pays BY, RU: only a, b' — whom a funder may pay."""
    f = next(f for f in s.funders if f.id == funder_id)
    pays = f.pays if f.pays is not None else ([f.country] if f.country else [])
    only = f": only {', '.join(f.institutions)}" if f.institutions is not None else ""
    return f"{f.id} pays {', '.join(pays) or 'nobody'}{only}"


def _nobody_can(s: Scenario, wp: Any) -> str:
    """Why no institution can execute a work package, naming the competency that is missing."""
    if not s.institutions:
        return f"no institution can execute {wp.id}: the scenario lists no institutions"
    parts = []
    for comp, lvl in wp.requires.items():
        have = [(i.competencies.get(comp, 0), i.id) for i in s.institutions]
        best_level, best = max(have, default=(0, ""))
        if best_level < lvl:
            parts.append(
                f"{comp} ≥ {lvl} (best: {best} at {best_level})" if best_level else f"{comp} ≥ {lvl} (nobody has it)"
            )
    if parts:
        return f"no institution can execute {wp.id}: nobody has {', '.join(parts)}"
    wanted = " and ".join(f"{c} ≥ {lvl}" for c, lvl in wp.requires.items())
    lacks = [
        f"{i.id} lacks {', '.join(f'{c} ≥ {lvl}' for c, lvl in wp.requires.items() if i.competencies.get(c, 0) < lvl)}"
        for i in s.institutions
        if not competent(i, wp)
    ]
    more = "; …" if len(lacks) > 5 else ""
    return f"no institution can execute {wp.id}: nobody has {wanted} at once ({'; '.join(lacks[:5])}{more})"
