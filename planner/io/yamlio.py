"""YAML reading and writing with ruamel.yaml: round-trip fidelity and line numbers for messages."""

from __future__ import annotations

import contextlib
import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq


def _yaml() -> YAML:
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
