"""YAML reading and writing with ruamel.yaml: round-trip fidelity and line numbers for messages.

ruamel.yaml is imported where it is used: reading a valid file takes the fast path (`load_fast`),
and a command that only reads and checks need not load the round-trip reader at all.
"""

from __future__ import annotations

import contextlib
import io
import re
from typing import TYPE_CHECKING, Any

from planner.domain.scenario import MAX_ITEMS
from planner.io.limits import InputRefused

if TYPE_CHECKING:
    from ruamel.yaml import YAML


def _yaml() -> YAML:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.allow_unicode = True
    y.width = 110
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.add_representer(type(None), _null)
    return y


def _null(representer: Any, _: None) -> Any:
    """Write None as `null` (ruamel writes nothing), so an explicit null survives a save."""
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def load_yaml_text(text: str) -> Any:
    """Parse YAML keeping comments, key order and positions.

    Raises InputRefused for what no scenario or plan has and would cost time or memory out of
    proportion (deep nesting, aliases repeating too much, control characters), else ruamel's errors.
    """
    from ruamel.yaml.reader import ReaderError

    if _NON_PRINTABLE.search(text):  # before the reader, which reads the whole file first (14 s for 20,000 items)
        raise _control_characters(text)
    check_shape(text)
    try:
        return _yaml().load(text)
    except ReaderError:
        raise _control_characters(text) from None
    except RecursionError:  # the shape check saw no deep nesting, but the round-trip reader went deeper
        raise InputRefused(f"values are nested more than {MAX_DEPTH} levels deep") from None


def dump_yaml_text(data: Any) -> str:
    """Write data (plain or round-trip) as YAML text; an unchanged round-trip document comes back byte-identical."""
    buf = io.StringIO()
    _yaml().dump(data, buf)
    return buf.getvalue()


def line_of(doc: Any, loc: tuple[str | int, ...]) -> int | None:
    """1-based line of the deepest node of `loc` that exists in a round-trip or a lined document (`load_lined`)."""
    if isinstance(doc, LinedMap | LinedList):
        return _lined_line_of(doc, loc)
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node, line = doc, None
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            with contextlib.suppress(KeyError, TypeError, AttributeError):
                line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            with contextlib.suppress(KeyError, TypeError, AttributeError):
                line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break
    if line is None and isinstance(doc, CommentedMap | CommentedSeq):
        line = doc.lc.line + 1
    return line


# ---------------------------------------------------------------- what no scenario or plan needs

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings read; a scenario needs 7 (work package → option → facilities)."""

MAX_ALIAS_VALUES = 100_000
"""Most values that aliases (`*name`) may repeat in one file, counted as they expand.

An alias repeats its anchor's value; nested, they grow exponentially (a 2.4 KB "billion laughs"
file expands to 10^8 values). Anchors are rare in scenarios; 100,000 repeated values take well
under a second to read, a few MB of memory.
"""

MAX_VALUES = 1_000_000
"""Most values (scalars, lists and mappings; events of libyaml's stream) in one file."""

SHAPE_CHECKED_BYTES = 512 * 1024
"""Texts longer than this are shape-checked before the fast reader builds them; shorter ones cannot hold
enough values to matter (at most about 250,000, under 100 MB), and skip the check's time."""

# Characters YAML forbids in a file (ruamel's own set): C0 controls but tab and line breaks, DEL, C1, surrogates, U+FFFE/F.
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def syntax_error(e: Any) -> tuple[int | None, str]:
    """The line and words of a YAML syntax error (a ruamel MarkedYAMLError): where the parser stopped, and where
    what it was reading began when that is another line (an unclosed bracket is found only lines later)."""
    mark = e.problem_mark or e.context_mark
    line = mark.line + 1 if mark else None
    duplicate = re.match(r'found duplicate key "([^"]{0,80})"', e.problem or "")
    if duplicate:  # ruamel's words quote both whole values, which can be megabytes
        return line, duplicate_key_message(duplicate[1], e.context_mark.line + 1 if e.context_mark else None)
    message = f"not valid YAML: {_clip(str(e.problem or e.context))}"
    if e.problem and e.context and e.context_mark is not None and e.context_mark.line + 1 != line:
        message += f" ({_clip(str(e.context))} that began on line {e.context_mark.line + 1})"
    return line, message


def _clip(words: str, most: int = 200) -> str:
    """A reader's words cut to a readable length (they may quote a whole value)."""
    return words if len(words) <= most else words[: most - 1] + "…"


def check_shape(text: str) -> None:
    """Refuse, before building anything, nesting deeper than MAX_DEPTH, aliases beyond MAX_ALIAS_VALUES,
    lists or mappings of more than MAX_ITEMS items (the round-trip reader takes about a minute for 60,000)
    and more than MAX_VALUES values in all (memory: a read value costs a few hundred bytes).

    Reads libyaml's stream of events (no recursion, no objects kept), counting the values inside each
    anchored node, so an alias is costed at what it would expand to. Text libyaml cannot parse is
    left to the reader, which reports the error with its line.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    stack: list[list[Any]] = []  # per open collection: [anchor, values inside, depth below it, items left]
    anchors: dict[str, tuple[int, int]] = {}  # anchor → (values, depth) of its node
    repeated = 0
    values = 0
    try:
        for ev in yaml.parse(text, Loader=loader):
            values += 1
            if values > MAX_VALUES:
                raise InputRefused(
                    f"the file holds more than {MAX_VALUES:,} values, more than any program needs "
                    "(a program of 5,000 work packages has about 150,000)",
                    ev.start_mark.line + 1,
                )
            if isinstance(ev, yaml.CollectionStartEvent):
                items = 2 * MAX_ITEMS if isinstance(ev, yaml.MappingStartEvent) else MAX_ITEMS  # keys count too
                stack.append([ev.anchor, 0, 0, items])
                if len(stack) > MAX_DEPTH:
                    raise InputRefused(_too_deep(), ev.start_mark.line + 1)
            elif isinstance(ev, yaml.CollectionEndEvent):
                anchor, n, depth, _ = stack.pop()
                _add(stack, anchors, anchor, n + 1, depth + 1)
            elif isinstance(ev, yaml.ScalarEvent):
                _add(stack, anchors, ev.anchor, 1, 0)
            elif isinstance(ev, yaml.AliasEvent):
                repeated += _alias(stack, anchors, ev, repeated)
            if stack and stack[-1][3] < 0:
                raise InputRefused(
                    f"a list or mapping has more than {MAX_ITEMS:,} items, more than any program needs",
                    ev.start_mark.line + 1,
                )
    except yaml.MarkedYAMLError as e:
        if "nesting depth" in str(e.problem) and e.problem_mark is not None:  # libyaml stops at 1,000 levels
            raise InputRefused(_too_deep(), e.problem_mark.line + 1) from None
    except yaml.YAMLError:
        return


def _alias(stack: list[list[Any]], anchors: dict[str, tuple[int, int]], ev: Any, repeated: int) -> int:
    """Count an alias as the values it repeats (returned), refusing what goes beyond the limits."""
    line = ev.start_mark.line + 1
    if ev.anchor not in anchors:  # an alias inside its own anchor: a value that contains itself
        raise InputRefused(f"alias *{ev.anchor} refers to a value that contains it", line)
    n, depth = anchors[ev.anchor]
    if repeated + n > MAX_ALIAS_VALUES:
        raise InputRefused(
            f"aliases (*name) repeat more than {MAX_ALIAS_VALUES:,} values in all (*{ev.anchor} here repeats {n:,}); "
            "write the values out, or use fewer aliases",
            line,
        )
    if len(stack) + depth > MAX_DEPTH:
        raise InputRefused(_too_deep(f" once *{ev.anchor} is expanded"), line)
    _add(stack, {}, None, n, depth)
    return n


def _too_deep(how: str = "") -> str:
    return f"values are nested more than {MAX_DEPTH} levels deep{how}; a scenario needs at most 7"


def _add(stack: list[list[Any]], anchors: dict[str, tuple[int, int]], anchor: str | None, n: int, depth: int) -> None:
    """Count a finished node of n values and the given depth in the collection holding it."""
    if anchor is not None:
        anchors[anchor] = (n, depth)
    if stack:
        stack[-1][1] += n
        stack[-1][2] = max(stack[-1][2], depth)
        stack[-1][3] -= 1


def _control_characters(text: str) -> InputRefused:
    """The refusal naming the first forbidden character by line, column and code, and the lines of others."""
    found = list(_NON_PRINTABLE.finditer(text))
    if not found:
        return InputRefused("the text has a character YAML does not allow")
    first = found[0].start()
    line = text.count("\n", 0, first) + 1
    column = first - (text.rfind("\n", 0, first) + 1) + 1
    code = ord(text[first])
    lines = sorted({text.count("\n", 0, m.start()) + 1 for m in found[1:20]} - {line})
    more = f"; also on line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}" if lines else ""
    return InputRefused(
        f"column {column}: control character U+{code:04X} is not allowed in YAML (tabs, line breaks and printable "
        f'characters are); delete it, or write it as an escape in double quotes, e.g. "\\x{code:02x}"{more}'
        if code < 0x100
        else f"column {column}: character U+{code:04X} is not allowed in YAML (tabs, line breaks and printable "
        f"characters are); delete it{more}",
        line,
    )


def to_plain(node: Any) -> Any:
    """Round-trip containers → plain dicts and lists (what pydantic validates)."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, int) else k: to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if type(node).__module__.startswith("ruamel"):
        # ruamel scalar subclasses (ScalarFloat, quoted strings, …) → their plain base type
        for base in (bool, int, float, str):
            if isinstance(node, base):
                return base(node)
    return node


# ---------------------------------------------------------------- the fast path for reading


class FastPathRefused(Exception):
    """The fast reader does not take this text (anything it might read differently): use the round-trip reader."""


class DuplicateKey(FastPathRefused):
    """A key twice in one mapping: an error for both readers, so the fast one can say it (at `line`) at once."""

    def __init__(self, key: Any, line: int, mapping_line: int) -> None:
        super().__init__(f"line {line}: duplicate key {key!r}")
        self.line = line
        self.message = duplicate_key_message(str(key), mapping_line)


def duplicate_key_message(key: str, mapping_line: int | None) -> str:
    where = f" that begins on line {mapping_line}" if mapping_line is not None else ""
    return f'the key "{key}" appears twice in the mapping{where}; keep one (merge their entries into it)'


_STRICT_SCALARS = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?(?:0|[1-9][0-9]*)[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
    ("tag:yaml.org,2002:str", r"^[0-9]{4}-(?:0[1-9]|1[0-2])$", "0123456789"),  # months, YYYY-MM: text to both
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    # Anything else a YAML reader might not take as text (other number forms, dates, yes/no, sexagesimals):
    # refused, so the round-trip reader decides, and both readers always agree on what a file says.
    ("tag:planner,fast:refused", r"^(?:[-+.0-9].*|[yYnNoO][a-zA-Z]{0,2}|~.*)$", list("-+.0123456789yYnNoO~")),
]


def _fast_loader() -> type:
    import re

    import yaml

    class Loader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
        """YAML 1.2 core-schema plain scalars only; duplicate keys and aliases refused."""

    Loader.yaml_implicit_resolvers = {}
    combined = re.compile("|".join(f"(?P<t{k}>{pattern})" for k, (_, pattern, _) in enumerate(_STRICT_SCALARS)))
    tags = {f"t{k}": tag for k, (tag, _, _) in enumerate(_STRICT_SCALARS)}

    def resolve(self: Any, kind: Any, value: Any, implicit: Any) -> str:
        # one regex per plain scalar instead of PyYAML's loop over resolvers: most of the reading time
        if kind is yaml.ScalarNode:
            if implicit[0]:
                m = combined.match(value)
                if m is not None and m.lastgroup is not None:
                    return tags[m.lastgroup]
            return "tag:yaml.org,2002:str"
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"

    Loader.resolve = resolve

    def refuse(loader: Any, node: Any) -> Any:
        raise FastPathRefused(f"line {node.start_mark.line + 1}: {node.value!r} is left to the round-trip reader")

    Loader.add_constructor("tag:planner,fast:refused", refuse)
    return Loader


def _build(loader: Any, node: Any, lined: bool = False, depth: int = 0) -> Any:
    """The plain data of a node of libyaml's tree, built directly; with `lined`, mappings and lists that know the
    line of each key and item (LinedMap, LinedList).

    PyYAML's constructor (a generator and a cache entry per node) took half the reading time. Texts,
    integers and containers are built here; floats, booleans, nulls and refusals go through PyYAML's
    own constructors. There are no merge (<<) or value (=) keys to flatten: the resolver never gives
    their tags. Nesting deeper than MAX_DEPTH is refused here, with its line, as `check_shape` refuses it.
    """
    tag = node.tag
    if tag == "tag:yaml.org,2002:str":
        return node.value
    if tag in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq") and depth >= MAX_DEPTH:
        raise InputRefused(_too_deep(), node.start_mark.line + 1)
    if tag == "tag:yaml.org,2002:map":
        out: dict[Any, Any] = {}
        lines: dict[Any, int] | None = None
        if lined:
            out = LinedMap()
            out.line, out.lines = node.start_mark.line + 1, {}
            lines = out.lines
        for key_node, value_node in node.value:
            key = _build(loader, key_node)
            if key in out:
                raise DuplicateKey(key, key_node.start_mark.line + 1, node.start_mark.line + 1)
            out[key] = _build(loader, value_node, lined, depth + 1)
            if lines is not None:
                lines[key] = key_node.start_mark.line + 1
        return out
    if tag == "tag:yaml.org,2002:seq":
        items = [_build(loader, item, lined, depth + 1) for item in node.value]
        if not lined:
            return items
        seq = LinedList(items)
        seq.line, seq.lines = node.start_mark.line + 1, [item.start_mark.line + 1 for item in node.value]
        return seq
    if tag == "tag:yaml.org,2002:int":
        return int(node.value)
    return loader.construct_object(node, deep=True)


class LinedMap(dict[Any, Any]):
    """A mapping read by `load_lined`: a plain dict that knows the line of each key (`lines`) and its own (`line`)."""

    line: int = 0
    lines: dict[Any, int]


class LinedList(list[Any]):
    """A list read by `load_lined`: a plain list that knows the line of each item (`lines`) and its own (`line`)."""

    line: int = 0
    lines: list[int]


def _lined_line_of(doc: LinedMap | LinedList, loc: tuple[str | int, ...]) -> int:
    node: Any = doc
    line = doc.line
    for key in loc:
        if not (key in node if isinstance(node, LinedMap) else _index_of(node, key)):
            break
        line = node.lines[key]
        node = node[key]
    return line


def _index_of(node: Any, key: str | int) -> bool:
    return isinstance(node, LinedList) and isinstance(key, int) and 0 <= key < len(node)


_FAST_LOADER: type | None = None


def load_fast(text: str) -> Any:
    """Plain data from YAML text through libyaml, about ten times faster than the round-trip reader.

    Only what both readers are sure to read alike is taken: plain scalars of the YAML 1.2 core schema,
    unique keys, no aliases. Anything else — and any text libyaml will not parse — raises
    FastPathRefused, and the caller reads the text the round-trip way (which also finds lines for
    messages). So the fast path changes how fast a file is read, never what it says.
    """
    return _load_libyaml(text, lined=False)


def load_lined(text: str) -> Any:
    """What `load_fast` reads, with mappings and lists that know their lines (LinedMap, LinedList) for messages.

    A file the fast reader takes but that has problems is read again this way: `line_of` finds the line of
    each problem in about a tenth of the round-trip reader's time (a second, not a minute, for 20,000 items).
    """
    return _load_libyaml(text, lined=True)


def _load_libyaml(text: str, *, lined: bool) -> Any:
    global _FAST_LOADER
    import yaml

    if _FAST_LOADER is None:
        _FAST_LOADER = _fast_loader()
    if _NON_PRINTABLE.search(text):  # the round-trip reader refuses these: so must this one
        raise FastPathRefused("a character YAML does not allow")
    if len(text) > SHAPE_CHECKED_BYTES:
        check_shape(text)  # InputRefused, before libyaml builds a tree of millions of nodes
    if ("&" in text or "*" in text or "<<" in text or "!" in text) and _has_alias(text):
        # anchors, aliases, merge keys and explicit tags: rare in scenarios, and read differently by the readers
        raise FastPathRefused("anchors, aliases and tags are left to the round-trip reader")
    loader = _FAST_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _build(loader, node, lined)
    except (FastPathRefused, InputRefused):
        raise
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as e:
        raise FastPathRefused(str(e)) from None
    finally:
        loader.dispose()


def _has_alias(text: str) -> bool:
    """Whether the text has an anchor, an alias or a tag (a text libyaml cannot scan counts as having one)."""
    import yaml

    try:
        kinds = yaml.AnchorToken | yaml.AliasToken | yaml.TagToken
        return any(isinstance(t, kinds) for t in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except yaml.YAMLError:
        return True
