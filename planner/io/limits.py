"""Reading input files within bounds: a size cap, regular files only, refused before anything is read.

A scenario or plan comes from many hands and reaches a server many people share, so one file must
not take a whole machine: `/dev/zero` or a 50 MB file would be read and parsed for minutes, and a
FIFO would wait for ever. The cap is far above any real program (a generated program of 20,000
work packages is about 4.5 MB; the largest `planner generate` makes).
"""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Largest scenario or plan file read: 16 MB, over three times a program of 20,000 work packages."""


class InputRefused(ValueError):
    """An input refused before it is parsed (too large, not a regular file, too deeply nested, …).

    `line` is the 1-based line it concerns, if any; the message says what is allowed.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


def size_text(n: int) -> str:
    """A byte count as people read it: '16 MB', '2.5 MB', '812 bytes'."""
    if n < 1024 * 1024:
        return f"{n:,} bytes"
    return f"{n / (1024 * 1024):.3g} MB"


def too_large(n: int) -> str:
    """The message for an input of n bytes over the cap."""
    return (
        f"the file has {size_text(n)}, more than the {size_text(MAX_FILE_BYTES)} a scenario or plan file may have "
        "(a program of 20,000 work packages takes about 4.5 MB)"
    )


def read_capped(path: str | Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; raises InputRefused otherwise, OSError if unreadable.

    The file is opened without blocking (a FIFO would otherwise wait for a writer) and checked with
    fstat before a byte is read; at most one byte over the cap is ever read (a file growing meanwhile).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputRefused("is a folder, not a file; give the path of a scenario or plan file")
        if not stat.S_ISREG(info.st_mode):
            raise InputRefused("is not a regular file (a device, pipe or socket); give the path of a file")
        if info.st_size > MAX_FILE_BYTES:
            raise InputRefused(too_large(info.st_size))
        chunks, total = [], 0
        while total <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_FILE_BYTES:
            raise InputRefused(too_large(total))
        return b"".join(chunks)
    finally:
        os.close(fd)
