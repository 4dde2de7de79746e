"""The scenario folder: listing, opening and saving scenario files without ever writing outside it.

Saving is atomic (a temporary file in the same folder, fsync, then `os.replace`), never overwrites a
file unless asked to, and refuses with a diff when the file changed on disk since it was opened, so
nobody's work is silently lost.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from planner.io.atomic import write_atomically
from planner.io.limits import InputRefused, read_capped

SUFFIXES = (".yaml", ".yml")
_NAME = re.compile(r"^[\w][\w .()+,=@~-]*$")  # \w includes Cyrillic and other scripts
_MAX_NAME = 120
_MAX_NAME_BYTES = 255  # what file systems allow (the temporary file beside it takes a shorter name)
ALLOWED = (
    "a plain file name in the scenario folder: letters (any script), digits, spaces and - _ . ( ) + , = @ ~, "
    "not starting with a dot or a dash, ending in .yaml or .yml (.yaml is added when there is no extension)"
)


class WorkspaceError(Exception):
    """A file name or file operation the scenario folder does not allow; the message says what is allowed."""


@dataclass(frozen=True)
class OpenedScenario:
    """A scenario file as it was read: where, its text, and the sha256 of its bytes (to notice later changes)."""

    path: Path
    text: str
    fingerprint: str


class SaveStatus(StrEnum):
    """How a save ended."""

    saved = "saved"
    exists = "exists"  # the file exists and overwrite was not asked for
    conflict = "conflict"  # the file changed on disk since it was opened


@dataclass(frozen=True)
class SaveResult:
    """The outcome of a save; on a conflict `diff` shows what changed on disk since the file was opened."""

    status: SaveStatus
    path: Path
    message: str
    diff: str = ""
    opened: OpenedScenario | None = None  # the file as now on disk, after a successful save

    @property
    def ok(self) -> bool:
        """Whether the file was written."""
        return self.status is SaveStatus.saved


def fingerprint(data: bytes) -> str:
    """The sha256 of a file's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def list_scenarios(folder: str | Path) -> list[Path]:
    """The scenario files (.yaml, .yml) directly in the folder, by name; hidden files and links out are skipped."""
    root = Path(folder).resolve()
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.iterdir()
        if p.suffix in SUFFIXES and not p.name.startswith(".") and p.is_file() and p.resolve().is_relative_to(root)
    )


def safe_path(folder: str | Path, name: str) -> Path:
    """The path of `name` inside the folder; refuses anything that could lead outside it or is not a scenario file."""
    root = Path(folder).resolve()
    name = name.strip()
    if not name:
        raise WorkspaceError(f"no file name given; use {ALLOWED}")
    if any(sep in name for sep in ("/", "\\", os.sep, os.altsep or "/")) or name in (".", ".."):
        raise WorkspaceError(f"'{name}' names a folder path; use {ALLOWED}")
    if name.startswith(".") or name.startswith("-"):
        raise WorkspaceError(f"'{name}' starts with '{name[0]}'; use {ALLOWED}")
    if name.endswith("."):
        raise WorkspaceError(f"'{name}' ends with '.'; use {ALLOWED}")
    if len(name) > _MAX_NAME or not _NAME.match(name):
        raise WorkspaceError(f"'{name}' has characters a file name may not have, or is too long; use {ALLOWED}")
    suffix = Path(name).suffix
    if not suffix:
        name += ".yaml"
    elif suffix not in SUFFIXES:
        raise WorkspaceError(f"'{name}' ends in '{suffix}', not .yaml or .yml; use {ALLOWED}")
    size = len(name.encode("utf-8"))
    if size > _MAX_NAME_BYTES:
        raise WorkspaceError(
            f"'{name}' is too long: {size} bytes in UTF-8, at most {_MAX_NAME_BYTES} (a letter of Cyrillic takes 2 "
            f"bytes, of Chinese or Japanese 3); use a shorter name"
        )
    path = root / name
    try:
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            raise WorkspaceError(f"'{name}' is a link to a file outside the scenario folder; use another name")
        if path.exists() and not path.resolve().is_file():
            raise WorkspaceError(f"'{name}' is not a regular file; use another name")
        return path.resolve() if path.is_symlink() else path
    except OSError as e:
        raise WorkspaceError(f"'{name}' cannot be used as a file name here: {e.strerror}; use another name") from None


def open_scenario(path: str | Path) -> OpenedScenario:
    """Read a scenario file as UTF-8 text, remembering the fingerprint of its bytes.

    Refuses a link that leads out of the file's folder (as `list_scenarios` skips it), and anything
    but a regular file within the size cap (planner.io.limits).
    """
    path = Path(path)
    try:
        if not path.resolve().is_relative_to(path.absolute().parent.resolve()):
            raise WorkspaceError(f"{path.name} is a link to a file outside the scenario folder; open the file itself")
        data = read_capped(path)
    except InputRefused as e:
        raise WorkspaceError(
            f"cannot read {path.name}: it {e.message}"
            if e.message.startswith("is ")
            else f"cannot read {path.name}: {e.message}"
        ) from None
    except OSError as e:
        raise WorkspaceError(f"cannot read {path.name}: {e.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkspaceError(f"{path.name} is not UTF-8 text; save it as UTF-8") from None
    return OpenedScenario(path, text, fingerprint(data))


def save_scenario(
    folder: str | Path, name: str, text: str, opened: OpenedScenario | None, overwrite: bool
) -> SaveResult:
    """Write `text` to `name` in the folder atomically, unless that would overwrite a file or someone's change.

    `opened` is the file the text was edited from: if `name` is that file and its bytes on disk
    changed since, the save is refused with a diff (disk now vs what was opened). To save anyway,
    pass `opened=None` and `overwrite=True`.
    """
    path = safe_path(folder, name)
    current = _read(path)
    if opened is not None and _same_file(opened.path, path):
        if current is None:
            return SaveResult(
                SaveStatus.conflict,
                path,
                f"{path.name} was deleted since you opened it; save under a new name or confirm to recreate it",
                unified_diff(opened.text, "", f"{path.name} (opened)", f"{path.name} (on disk now)"),
            )
        if fingerprint(current) != opened.fingerprint:
            return _conflict(path, opened, current)
    if current is not None and not overwrite:
        return SaveResult(SaveStatus.exists, path, f"{path.name} already exists; choose overwrite or another name")
    data = text.encode("utf-8")
    try:
        _write_atomically(path, data, expected=current)
    except _ChangedMeanwhile as e:
        if opened is not None:
            return _conflict(path, opened, e.current)
        return SaveResult(SaveStatus.conflict, path, f"{path.name} changed on disk while saving; try again")
    except OSError as e:
        raise WorkspaceError(f"cannot write {path.name}: {e.strerror}") from None
    return SaveResult(
        SaveStatus.saved, path, f"saved {path.name}", opened=OpenedScenario(path, text, fingerprint(data))
    )


def unified_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    """A unified diff of two texts, marking a missing newline at the end as `diff` does."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    lines = []
    for line in difflib.unified_diff(a, b, old_name, new_name):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines)


class _ChangedMeanwhile(Exception):
    """The file changed between our check and the rename; carries the bytes now on disk."""

    def __init__(self, current: bytes) -> None:
        self.current = current


def _conflict(path: Path, opened: OpenedScenario, current: bytes) -> SaveResult:
    """A refusal carrying the diff from what the user opened to what is on disk now."""
    disk = current.decode("utf-8", errors="replace")
    return SaveResult(
        SaveStatus.conflict,
        path,
        f"{path.name} changed on disk since you opened it; review the changes, then save under a new name "
        "or reopen the file",
        unified_diff(opened.text, disk, f"{path.name} (as you opened it)", f"{path.name} (on disk now)"),
    )


def _read(path: Path) -> bytes | None:
    """A file's bytes, or None if it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise WorkspaceError(f"cannot read {path.name}: {e.strerror}") from None


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file once links are resolved."""
    return Path(a).resolve() == Path(b).resolve()


def _write_atomically(path: Path, data: bytes, expected: bytes | None) -> None:
    """Write atomically (planner.io.atomic), unless someone changed the file since it was read as `expected`."""

    def unchanged() -> None:
        now = _read(path)
        if now != expected:  # someone wrote the file since we checked: do not overwrite their change
            raise _ChangedMeanwhile(now or b"")

    write_atomically(path, data, before_replace=unchanged)
