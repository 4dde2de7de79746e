"""Benchmark sets: which files belong to a set, their known bounds, and a reproducible sample."""

from __future__ import annotations

import csv
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BenchSet:
    """A named set: its table of known values, and for the infeasible set the folder it is the rest of."""

    name: str
    table: str
    folder: str | None = None
    """If set, the instances are the .mm files in this folder that are *not* in the table (known infeasible)."""

    @property
    def infeasible(self) -> bool:
        return self.folder is not None


SETS: dict[str, BenchSet] = {
    s.name: s
    for s in (
        BenchSet("j30_sm", "j30_sm.csv"),
        BenchSet("j60_sm", "j60_sm.csv"),
        BenchSet("j120_sm", "j120_sm.csv"),
        BenchSet("j10_mm", "j10_mm.csv"),
        BenchSet("j20_mm", "j20_mm.csv"),
        BenchSet("j30_mm", "j30_mm.csv"),
        BenchSet("j30_mm_infeasible", "j30_mm.csv", folder="psplib_mm/j30"),
        BenchSet("mmlib50", "mmlib50.csv"),
        BenchSet("mmlib100", "mmlib100.csv"),
    )
}


def default_data() -> Path:
    """The benchmark folder: $PLANNER_BENCHMARKS, else ../shared/benchmarks beside the project."""
    return Path(os.environ.get("PLANNER_BENCHMARKS") or Path(__file__).resolve().parents[3] / "shared" / "benchmarks")


@dataclass(frozen=True)
class Known:
    """Known values of one instance: proven lower bound, best known makespan, whether they meet."""

    lb: int
    ub: int
    closed: bool


def read_known(data: Path, bench: BenchSet) -> dict[str, Known]:
    """The set's table, keyed by instance path relative to the data folder."""
    with (data / "known_values" / bench.table).open(newline="", encoding="utf-8") as f:
        return {
            r["instance"]: Known(int(r["lb"]), int(r["ub"]), r["closed"].strip().lower() == "true")
            for r in csv.DictReader(f)
        }


def instances(data: Path, bench: BenchSet, known: dict[str, Known]) -> list[str]:
    """All instances of the set (paths relative to the data folder), in natural order."""
    if bench.folder is None:
        names = list(known)
    else:
        names = [str(p.relative_to(data)) for p in (data / bench.folder).glob("*.mm")]
        names = [n for n in names if n not in known]
    return sorted(names, key=natural_key)


def sample(names: list[str], n: int | None, seed: int) -> list[str]:
    """`n` instances drawn with `random.Random(seed)` (all if `n` is None or too large), in natural order."""
    if n is None or n >= len(names):
        return list(names)
    return sorted(random.Random(seed).sample(names, n), key=natural_key)


def natural_key(name: str) -> list[int | str]:
    """Sort key that puts j301_2 before j301_10."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]
