"""One atomic writer for every file the planner writes: a reader sees the old file or the new one, never a part.

The bytes go to a temporary file of a unique name in the target's folder, are fsynced, and replace
the target in one rename; the folder is then fsynced so the rename survives a crash. Two writers at
once never share a temporary file, and a failed write leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def write_atomically(path: Path, data: bytes, before_replace: Callable[[], None] | None = None) -> None:
    """Write `data` to `path` atomically, keeping an existing file's permissions (a new one gets rw-r--r--).

    `before_replace` runs after the data is safely on disk and just before the rename; it may raise to
    abandon the write (the old file then stays as it was). Raises OSError when the folder is not writable.
    """
    fd, tmp = tempfile.mkstemp(prefix=_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode(path))
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def check_writable(path: Path) -> None:
    """Raise OSError unless a file can be written at `path` the way `write_atomically` writes it.

    Creates and removes a temporary file in the folder: the only sure test (permissions, read-only
    mounts, quotas and ACLs all show), so a long computation is not lost to a folder it cannot write.
    """
    fd, tmp = tempfile.mkstemp(prefix=_prefix(path), suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)


def _prefix(path: Path) -> str:
    """The temporary file's name up to its random part: '.plan.json.', the name cut to 100 bytes (a name may use 255)."""
    return "." + path.name.encode("utf-8")[:100].decode("utf-8", errors="ignore") + "."


def _mode(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets rw-r--r-- (reading the umask is not thread-safe)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o644
