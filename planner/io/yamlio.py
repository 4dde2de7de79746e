"""YAML reading and writing with ruamel.yaml: round-trip fidelity and line numbers for messages.

ruamel.yaml is imported where it is used: reading a valid file takes the fast path (`load_fast`),
and a command that only reads and checks need not load the round-trip reader at all.
"""

from __future__ import annotations

import contextlib
import io
from typing import TYPE_CHECKING, Any

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
    """Parse YAML keeping comments, key order and positions (raises ruamel's errors)."""
    return _yaml().load(text)


def dump_yaml_text(data: Any) -> str:
    """Write data (plain or round-trip) as YAML text; an unchanged round-trip document comes back byte-identical."""
    buf = io.StringIO()
    _yaml().dump(data, buf)
    return buf.getvalue()


def line_of(doc: Any, loc: tuple[str | int, ...]) -> int | None:
    """1-based line of the deepest node of `loc` that exists in a round-trip document."""
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
    Loader.get_single_data = _get_single_data
    return Loader


def _get_single_data(loader: Any) -> Any:
    """The document's plain data, built from libyaml's tree of nodes directly.

    PyYAML's constructor (a generator and a cache entry per node) took half the reading time. Texts,
    integers and containers are built here; floats, booleans, nulls and refusals go through PyYAML's
    own constructors. There are no merge (<<) or value (=) keys to flatten: the resolver never gives
    their tags.
    """
    node = loader.get_single_node()
    return None if node is None else _build(loader, node)


def _build(loader: Any, node: Any) -> Any:
    tag = node.tag
    if tag == "tag:yaml.org,2002:str":
        return node.value
    if tag == "tag:yaml.org,2002:map":
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(loader, key_node)
            if key in out:
                raise FastPathRefused(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
            out[key] = _build(loader, value_node)
        return out
    if tag == "tag:yaml.org,2002:seq":
        return [_build(loader, item) for item in node.value]
    if tag == "tag:yaml.org,2002:int":
        return int(node.value)
    return loader.construct_object(node, deep=True)


_FAST_LOADER: type | None = None


def load_fast(text: str) -> Any:
    """Plain data from YAML text through libyaml, about ten times faster than the round-trip reader.

    Only what both readers are sure to read alike is taken: plain scalars of the YAML 1.2 core schema,
    unique keys, no aliases. Anything else — and any text libyaml will not parse — raises
    FastPathRefused, and the caller reads the text the round-trip way (which also finds lines for
    messages). So the fast path changes how fast a file is read, never what it says.
    """
    global _FAST_LOADER
    import yaml

    if _FAST_LOADER is None:
        _FAST_LOADER = _fast_loader()
    if ("&" in text or "*" in text or "<<" in text or "!" in text) and _has_alias(text):
        # anchors, aliases, merge keys and explicit tags: rare in scenarios, and read differently by the readers
        raise FastPathRefused("anchors, aliases and tags are left to the round-trip reader")
    try:
        return yaml.load(text, Loader=_FAST_LOADER)
    except FastPathRefused:
        raise
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as e:
        raise FastPathRefused(str(e)) from None


def _has_alias(text: str) -> bool:
    """Whether the text has an anchor, an alias or a tag (a text libyaml cannot scan counts as having one)."""
    import yaml

    try:
        kinds = yaml.AnchorToken | yaml.AliasToken | yaml.TagToken
        return any(isinstance(t, kinds) for t in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except yaml.YAMLError:
        return True
