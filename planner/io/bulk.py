"""Building large plain data in one go: files read, validated and checked without the collector's repeated passes."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a large, mostly acyclic structure is built.

    Reading a 5,000-work-package scenario allocates some 10⁶ objects, and the collector, which runs
    every few hundred allocations and walks ever older generations, took about two thirds of the
    reading time (benchmarks/results/cli_speed.md). Reference counting still frees everything as
    usual; only the search for cycles waits until the block ends. Nested or concurrent uses leave the
    collector as the outermost found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
