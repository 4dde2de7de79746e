"""Edits of a round-trip YAML document that keep every comment where a reader expects it.

ruamel.yaml keeps the comment lines that follow a value on the last key (or item) before them, so a
section header such as `# --- Russia` belongs, in ruamel's eyes, to the last key of the previous
row. Deleting, appending or inserting naively would lose such a header or move it into the wrong
row. Every structural edit here therefore lifts the following comment lines off first and puts them
back on whatever now comes last, so they stay in front of the node they describe.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

Holder = tuple[CommentedMap | CommentedSeq, Any]  # a container and the key/index whose comment slot is meant


def is_block(node: Any) -> bool:
    """Whether a node is a non-empty block-style collection (its comments live on its children)."""
    return isinstance(node, CommentedMap | CommentedSeq) and len(node) > 0 and not node.fa.flow_style()


def flow(node: CommentedMap | CommentedSeq) -> CommentedMap | CommentedSeq:
    """Mark a new collection as flow style (`{a: 1}`, `[a, b]`), the style of small values in scenario files."""
    node.fa.set_flow_style()
    return node


def _slot(container: CommentedMap | CommentedSeq) -> int:
    """Index of the end-of-line/following comment in a map entry (2) or a list entry (0)."""
    return 2 if isinstance(container, CommentedMap) else 0


def tail(node: CommentedMap | CommentedSeq) -> Holder | None:
    """Where ruamel keeps the comment lines that follow a block collection: its deepest last key or item."""
    while True:
        if not len(node):
            return None
        key = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
        child = node[key]
        if not is_block(child):
            return node, key
        node = child


def after_key(container: CommentedMap | CommentedSeq, key: Any) -> Holder:
    """Where the comment lines that follow the value at `key` are kept."""
    child = container[key]
    return (tail(child) or (container, key)) if is_block(child) else (container, key)


def _token(holder: Holder) -> CommentToken | None:
    """The comment token that holds the lines after a value, if any."""
    container, key = holder
    entry = container.ca.items.get(key)
    return entry[_slot(container)] if entry and len(entry) > _slot(container) else None


def take_following(holder: Holder | None) -> str:
    """Detach and return the whole comment lines after a value, keeping its end-of-line comment."""
    token = _token(holder) if holder else None
    if token is None or "\n" not in token.value:
        return ""
    eol, _, rest = token.value.partition("\n")
    if not rest:
        return ""
    if eol.strip():
        token.value = eol + "\n"
    else:
        container, key = holder  # type: ignore[misc]
        container.ca.items[key][_slot(container)] = None
        _share(container[key], None)
    return rest


def put_following(holder: Holder | None, rest: str) -> None:
    """Attach comment lines after a value (after its end-of-line comment, if any)."""
    if not rest or holder is None:
        return
    container, key = holder
    token = _token(holder)
    if token is not None:
        token.value = token.value + rest if token.value.endswith("\n") else token.value + "\n" + rest
        return
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    entry[_slot(container)] = token = CommentToken("\n" + rest, CommentMark(0), None)
    _share(container[key], token)


def _share(value: Any, token: CommentToken | None) -> None:
    """A flow collection keeps its end-of-line comment on itself too (ruamel writes it from there)."""
    if isinstance(value, CommentedMap | CommentedSeq):
        if value.ca.comment:
            value.ca.comment[0] = token
        elif token is not None:
            value.ca.comment = [token, None]


def shift_eol_comment(container: CommentedMap, key: Any, old: Any, new: Any) -> None:
    """Keep the gap before an end-of-line comment when a value's text grows or shrinks."""
    token = _token((container, key))
    if token is None or not token.value.lstrip(" ").startswith("#") or token.start_mark is None:
        return
    delta = len(flat(new)) - len(flat(old))
    token.start_mark.column = max(0, token.start_mark.column + delta)


def flat(value: Any) -> str:
    """An approximation of a value written in flow style, to measure how long its line gets."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flat(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def set_key(container: CommentedMap, key: Any, value: Any, order: list[str] | None = None) -> None:
    """Set `key` to `value`: in place if it exists, else inserted after the keys that precede it in `order`."""
    if key in container:
        rest = take_following(after_key(container, key))
        shift_eol_comment(container, key, container[key], value)
        container[key] = value
        put_following(after_key(container, key), rest)
        return
    keys = list(container)
    rank = {k: i for i, k in enumerate(order or [])}
    before = [k for k in keys if rank.get(k, -1) < rank.get(key, len(rank))] if order else keys
    previous = before[-1] if before else None
    pos = keys.index(previous) + 1 if previous is not None else 0
    rest = take_following(after_key(container, previous)) if previous is not None else ""
    container.insert(pos, key, value)
    put_following(after_key(container, key), rest)


def delete_key(container: CommentedMap, key: Any) -> None:
    """Remove `key`, handing the comment lines that followed it to the key before it."""
    if key not in container:
        return
    keys = list(container)
    rest = take_following(after_key(container, key))
    del container[key]
    pos = keys.index(key)
    if pos > 0:
        put_following(after_key(container, keys[pos - 1]), rest)


def append_item(seq: CommentedSeq, value: Any) -> None:
    """Append an item after the last one, keeping the comments that followed the list after it."""
    rest = take_following(tail(seq)) if is_block(seq) else ""
    seq.append(value)
    put_following(tail(seq) if is_block(seq) else None, rest)


def delete_item(seq: CommentedSeq, index: int) -> str:
    """Remove an item, keeping the comment lines around it; returns those it had nowhere to put."""
    rest = take_following(after_key(seq, index))
    before = seq.ca.items.get(index, [None, None])[1]
    del seq[index]  # ruamel shifts the comments of later items down by one
    if not len(seq):
        seq.fa.set_flow_style()  # written `[]`; its following comments are then kept on the key
    if before:
        if index < len(seq) and not seq.ca.items.get(index, [None, None])[1]:
            entry = seq.ca.items.setdefault(index, [None, None, None, None])
            entry[1] = before
        elif index > 0:
            rest = "".join(" " * tok.column + tok.value.lstrip(" ") for tok in before) + rest
    if index > 0:
        put_following(after_key(seq, index - 1), rest)
        return ""
    return rest


def replace_items(seq: CommentedSeq, items: list[Any]) -> None:
    """Make a list hold `items` while keeping the list node itself (its style and comments)."""
    for i, item in enumerate(items):
        if i < len(seq):
            if seq[i] is not item:
                seq[i] = item
        else:
            seq.append(item)
    while len(seq) > len(items):
        del seq[len(seq) - 1]
