"""Several runs of one sample side by side, and the median per solver: how far results move between runs.

    .venv/bin/python benchmarks/run.py --set j30_mm --sample 120 --seed 1 --solver-seed 2 \\
        --out benchmarks/results/j30_mm_solver_seed2.csv
    .venv/bin/python benchmarks/runs.py benchmarks/results/j30_mm.csv benchmarks/results/j30_mm_solver_seed2.csv ...

Each CSV is one `run.py` run (same set and sample, other solver seeds). Prints a Markdown table: per
solver and run, the instances at best known, the mean gap and the proven optima, then the median of
the runs; and per run, on how many instances the planner is better or worse than each peer. The
runs must hold the same instances, or the comparison means nothing: that is checked.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from pathlib import Path

from harness.summary import PLANNER, stats

Row = dict[str, object]


def read(path: Path) -> list[Row]:
    """A results CSV with its text fields turned back into the types `harness.summary.stats` reads."""
    with path.open(newline="", encoding="utf-8") as f:
        rows: list[Row] = [dict(r) for r in csv.DictReader(f)]
    for r in rows:
        for key in ("at_best_known", "proven_optimal"):
            r[key] = r[key] == "True"
    return rows


def head_to_head(rows: list[Row]) -> dict[str, tuple[int, int]]:
    """Per peer: (instances where the planner's makespan is shorter, where it is longer)."""
    by: dict[str, dict[str, int]] = {}
    for r in rows:
        if r["makespan"] != "":
            by.setdefault(str(r["instance"]), {})[str(r["solver"])] = int(str(r["makespan"]))
    peers = sorted({str(r["solver"]) for r in rows} - {PLANNER})
    out = {}
    for peer in peers:
        pairs = [(d[PLANNER], d[peer]) for d in by.values() if PLANNER in d and peer in d]
        out[peer] = (sum(a < b for a, b in pairs), sum(a > b for a, b in pairs))
    return out


def _percent(gap: float | None) -> str:
    return "—" if gap is None else f"{gap:.2%}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", type=Path, nargs="+", help="results CSVs of run.py, one per run")
    args = ap.parse_args()
    runs = [read(p) for p in args.csv]
    instances = [sorted({str(r["instance"]) for r in rows}) for rows in runs]
    if any(names != instances[0] for names in instances):
        print("the runs do not hold the same instances: compare runs of one --set/--sample/--seed", file=sys.stderr)
        return 2
    per_run = [{s.solver: s for s in stats(rows)} for rows in runs]
    solvers = list(per_run[0])
    if any(sorted(run) != sorted(solvers) for run in per_run):
        print("the runs do not hold the same solvers: compare runs of one --solvers list", file=sys.stderr)
        return 2
    print("| solver | run | at best known | mean gap | proven optimal |")
    print("|---|---|---|---|---|")
    for solver in solvers:
        figures = [run[solver] for run in per_run]
        for path, s in zip(args.csv, figures, strict=True):
            print(f"| {solver} | {path.name} | {s.at_best} | {_percent(s.mean_gap)} | {s.proven_optimal} |")
        gaps = [s.mean_gap for s in figures if s.mean_gap is not None]
        median_gap = _percent(statistics.median(gaps) if gaps else None)
        median_best = statistics.median(s.at_best for s in figures)
        median_proven = statistics.median(s.proven_optimal for s in figures)
        print(f"| **{solver}** | **median** | **{median_best:g}** | **{median_gap}** | **{median_proven:g}** |")
    counts = [head_to_head(rows) for rows in runs]
    print()
    print("| run | " + " | ".join(f"planner vs {peer}: better / worse" for peer in counts[0]) + " |")
    print("|---|" + "---|" * len(counts[0]))
    for path, count in zip(args.csv, counts, strict=True):
        print(f"| {path.name} | " + " | ".join(f"{b} / {w}" for b, w in count.values()) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
