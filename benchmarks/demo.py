"""Benchmark: solve scenarios (the demo by default) several times and report status, gap and times.

    .venv/bin/python benchmarks/demo.py [SCENARIO ...] [--runs 3] [--time-limit 30] [--workers 2]
        [--params key:value,key:value]   (raw CP-SAT parameters, e.g. subsolvers:default_lp)

Every plan goes through the independent checker. Prints a table with medians and writes one CSV
row per run to benchmarks/results/demo.csv. The machine is noisy: compare medians of one run.
"""

from __future__ import annotations

import argparse
import csv
import platform
import statistics
import time
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from harness.ab import parse_params
from rich.console import Console
from rich.table import Table

from planner import SolverSettings, check_plan, load_scenario, solve

if TYPE_CHECKING:
    from planner.cpsat import Progress

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ["scenario", "run", "seed", "status", "gap", "first_plan_s", "wall_s", "violations", "objective", "stages"]


def run_once(
    path: Path, seed: int, time_limit: float, workers: int, params: dict[str, object] | None = None
) -> dict[str, object]:
    scenario = load_scenario(path)
    started = time.perf_counter()
    first: list[float] = []

    def on_progress(p: Progress) -> None:
        if not first:
            first.append(time.perf_counter() - started)

    settings = SolverSettings(time_limit_s=time_limit, workers=workers, seed=seed, parameters=params or {})
    plan = solve(scenario, settings, on_progress=on_progress)
    wall = time.perf_counter() - started
    stages = "; ".join(f"{s.term}:{s.status.value}:{s.wall_time_s}s" for s in plan.solver.stages) if plan.solver else ""
    return {
        "scenario": path.name,
        "seed": seed,
        "status": plan.status.value,
        "gap": plan.gap,
        "first_plan_s": round(first[0], 2) if first else None,
        "wall_s": round(wall, 2),
        "violations": len(check_plan(scenario, plan)),
        "objective": " ".join(f"{k}={v:g}" for k, v in plan.objective.items()),
        "stages": stages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="*", type=Path, default=[ROOT / "scenarios/belarus-tomsk-2025-2030.yaml"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--params", default="", help="raw CP-SAT parameters: key:value,key:value")
    parser.add_argument("--csv", type=Path, default=ROOT / "benchmarks/results/demo.csv")
    args = parser.parse_args()

    console = Console(width=170)
    console.print(
        f"{platform.node()} · {platform.processor() or platform.machine()} · Python {platform.python_version()}"
        f" · ortools {version('ortools')} · limit {args.time_limit:g} s × {args.workers} workers"
        + (f" · parameters {args.params}" if args.params else "")
    )
    rows = []
    for path in args.scenarios:
        for run in range(args.runs):
            row = run_once(path, run, args.time_limit, args.workers, parse_params(args.params))
            row["run"] = run
            rows.append(row)
            console.print(", ".join(f"{k}={row[k]}" for k in FIELDS), highlight=False)
    args.csv.parent.mkdir(parents=True, exist_ok=True)
    with args.csv.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)

    table = Table(
        "scenario",
        "runs",
        "statuses",
        "median gap",
        "max gap",
        "median first plan s",
        "median wall s",
        "max wall s",
        "violations",
    )
    for path in args.scenarios:
        mine = [r for r in rows if r["scenario"] == path.name]
        gaps = [float(r["gap"]) for r in mine if r["gap"] is not None]  # type: ignore[arg-type]
        walls = [float(r["wall_s"]) for r in mine]  # type: ignore[arg-type]
        firsts = [float(r["first_plan_s"]) for r in mine if r["first_plan_s"] is not None]  # type: ignore[arg-type]
        table.add_row(
            path.name,
            str(len(mine)),
            ",".join(sorted({str(r["status"]) for r in mine})),
            f"{statistics.median(gaps):.2%}" if gaps else "-",
            f"{max(gaps):.2%}" if gaps else "-",
            f"{statistics.median(firsts):.2f}" if firsts else "-",
            f"{statistics.median(walls):.2f}",
            f"{max(walls):.2f}",
            str(sum(int(r["violations"]) for r in mine)),  # type: ignore[call-overload]
        )
    console.print(table)
    console.print(f"rows written to {args.csv}")


if __name__ == "__main__":
    main()
