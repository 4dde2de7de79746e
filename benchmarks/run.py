"""Benchmark harness: the planner against a plain CP-SAT model and PyJobShop on PSPLIB and MMLIB sets.

    .venv/bin/python benchmarks/run.py --set j30_sm --sample 60 --seed 1 --time-limit 10 --workers 2
        [--solvers planner,plain,pyjobshop] [--data ../shared/benchmarks] [--out benchmarks/results/j30_sm.csv]

Sets: j30_sm, j60_sm, j120_sm (PSPLIB single-mode), j10_mm, j20_mm, j30_mm (PSPLIB multi-mode; j30_mm
is the 552 feasible files), j30_mm_infeasible (the 88 j30 .mm files not in the table), mmlib50,
mmlib100. `--sample N` draws N instances with random.Random(seed) (all if omitted); the same seed
is the solvers' random seed unless `--solver-seed` is given (to rerun one sample with other seeds
and see how far results move between runs). The data folder is `--data`, else $PLANNER_BENCHMARKS, else
../shared/benchmarks beside the project.

Per instance the solvers run one after the other in this process, in alternating order (planner
first on even positions, peers first on odd ones). The planner goes its own path: import_psplib →
solve → check_plan. Every schedule of every solver is also checked against the original file, and
against the known bounds (a makespan below a proven lower bound is a bug). Any such problem is
printed in red, listed in the report, and makes the exit code 1.

Output: one CSV row per instance × solver, written and flushed as each instance finishes
(default benchmarks/results/<set>.csv), a summary table on the terminal and in
benchmarks/results/<set>.md with the machine, versions and this exact command. Ctrl-C stops after
the current instance and still writes the report; a second Ctrl-C stops after the current solve.
The planner's `overhead_s` is its import + validation + model building (+ plan assembly, or the
explanation for an infeasible instance): its wall time minus CP-SAT's search time.

Install the peer with `pip install -e '.[bench]'` (PyJobShop). The machine is noisy: timings are
indicative; compare solvers within one run.
"""

from __future__ import annotations

import argparse
import csv
import os
import shlex
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import psplib
from harness.planner_path import solve_planner
from harness.report import environment, write_markdown
from harness.rows import FIELDS, judge, make_row
from harness.sets import SETS, BenchSet, Known, default_data, instances, read_known, sample
from harness.summary import PLANNER, markdown_table, rich_table, stats, table_text
from harness.verify import verify
from peers import Outcome
from peers.plain_cpsat import solve_plain
from peers.pyjobshop_peer import solve_pyjobshop
from rich.console import Console

if TYPE_CHECKING:
    from types import FrameType

    from psplib.ProjectInstance import ProjectInstance

ROOT = Path(__file__).resolve().parent.parent
SolveFn = Callable[[Path, float, int, int], Outcome]
SOLVERS: dict[str, SolveFn] = {"planner": solve_planner, "plain": solve_plain, "pyjobshop": solve_pyjobshop}
console = Console(width=max(190, Console().width), highlight=False)


class StopRequest:
    """First Ctrl-C: stop after the current instance. Second: stop now (after the current solve returns)."""

    def __init__(self) -> None:
        self.requested = False
        signal.signal(signal.SIGINT, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        sys.stderr.write("\nstopping after this instance (Ctrl-C again to stop after the current solve)\n")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--set", required=True, choices=list(SETS), dest="set_name")
    p.add_argument("--sample", type=int, help="number of instances drawn at random (all if omitted)")
    p.add_argument("--seed", type=int, default=1, help="seed of the sample and of the solvers (default 1)")
    p.add_argument("--solver-seed", type=int, help="the solvers' random seed, if not --seed (same sample, another run)")
    p.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance and solver (default 10)")
    p.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    p.add_argument("--solvers", default=",".join(SOLVERS), help="comma-separated, from: " + ", ".join(SOLVERS))
    p.add_argument("--data", type=Path, help="benchmark folder (default $PLANNER_BENCHMARKS or ../shared/benchmarks)")
    p.add_argument("--out", type=Path, help="CSV file (default benchmarks/results/<set>.csv); the .md goes beside it")
    args = p.parse_args()
    args.solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    unknown = [s for s in args.solvers if s not in SOLVERS]
    if unknown or not args.solvers:
        p.error(f"unknown solver(s) {', '.join(unknown)}; choose from {', '.join(SOLVERS)}")
    if args.solver_seed is None:
        args.solver_seed = args.seed
    args.data = args.data or default_data()
    args.out = args.out or ROOT / "benchmarks" / "results" / f"{args.set_name}.csv"
    return args


def run_order(k: int, solvers: list[str]) -> list[str]:
    """Planner first on even positions, the peers first on odd ones."""
    peers = [s for s in solvers if s != PLANNER]
    mine = [s for s in solvers if s == PLANNER]
    return mine + peers if k % 2 == 0 else peers + mine


def attempt(name: str, path: Path, args: argparse.Namespace) -> Outcome:
    """One solver on one file; a crash becomes an 'error' outcome, never the end of the run."""
    started = time.perf_counter()
    try:
        return SOLVERS[name](path, args.time_limit, args.workers, args.solver_seed)
    except KeyboardInterrupt:
        raise
    except Exception as e:
        return Outcome("error", None, None, time.perf_counter() - started, problems=[f"{type(e).__name__}: {e}"])


def audited(out: Outcome, instance: ProjectInstance | None, known: Known | None) -> Outcome:
    """The outcome with the file check and the known-value check added to its problems."""
    problems = list(out.problems)
    if instance is not None and out.makespan is not None:
        problems += [f"file check: {p}" for p in verify(instance, out.schedule, out.makespan)]
    problems += judge(out, known)
    return replace(out, problems=problems)


def run_instance(k: int, rel: str, args: argparse.Namespace, known: dict[str, Known]) -> list[dict[str, object]]:
    """All chosen solvers on one instance, in this position's order; one row each."""
    path = args.data / rel
    try:
        instance: ProjectInstance | None = psplib.parse(path, instance_format="psplib")
    except Exception:
        instance = None  # the solvers will fail on it too, and say so
    rows = []
    for order, name in enumerate(run_order(k, args.solvers), start=1):
        out = audited(attempt(name, path, args), instance, known.get(rel))
        rows.append(make_row(args.set_name, rel, name, order, out, known.get(rel)))
    return rows


def describe(k: int, n: int, rel: str, known: Known | None, rows: list[dict[str, object]]) -> None:
    """One line per instance, problems in red underneath."""
    best = f"best {known.ub}" if known else "infeasible"
    parts = [f"{r['solver']} {r['status']} {r['makespan']} ({float(r['wall_s']):.1f}s)" for r in rows]  # type: ignore[arg-type]
    console.print(f"[{k + 1}/{n}] {Path(rel).name} {best}: " + " | ".join(parts))
    for r in rows:
        if r["problems"]:
            console.print(f"[bold red]  PROBLEM {r['solver']}: {r['problems']}[/]")


def notes(bench: BenchSet, rows: list[dict[str, object]], done: int, total: int) -> list[str]:
    """Remarks for the report: interruptions, problems, shortfalls on the infeasible set."""
    out = []
    if done < total:
        out.append(f"INTERRUPTED after {done} of {total} instances; the table covers those.")
    out += [f"PROBLEM {r['instance']} {r['solver']}: {r['problems']}" for r in rows if r["problems"]]
    if bench.infeasible:
        out += [
            f"planner did not prove {r['instance']} infeasible: status {r['status']}"
            for r in rows
            if r["solver"] == PLANNER and r["status"] != "infeasible"
        ]
        reasons = [(r["instance"], r["explanation"]) for r in rows if r["solver"] == PLANNER and r["explanation"]]
        out += [f"reason {Path(str(i)).name}: {e}" for i, e in reasons[:10]]
    return out


def main() -> int:
    args = parse_args()
    bench = SETS[args.set_name]
    known = read_known(args.data, bench)
    names = sample(instances(args.data, bench, known), args.sample, args.seed)
    env = environment(ROOT)
    console.print(" · ".join(f"{k} {v}" for k, v in env))
    console.print(
        f"{bench.name}: {len(names)} instances, {args.time_limit:g} s × {args.workers} workers, {args.solvers}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    stop, rows, done = StopRequest(), [], 0
    with args.out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        try:
            for k, rel in enumerate(names):
                mine = run_instance(k, rel, args, known)
                writer.writerows(mine)
                f.flush()
                rows += mine
                done += 1
                describe(k, len(names), rel, known.get(rel) if not bench.infeasible else None, mine)
                if stop.requested:
                    break
        except KeyboardInterrupt:
            console.print("[yellow]stopped; the current instance is not recorded[/]")
    return report(args, bench, env, rows, done, len(names))


def report(
    args: argparse.Namespace,
    bench: BenchSet,
    env: list[tuple[str, str]],
    rows: list[dict[str, object]],
    done: int,
    total: int,
) -> int:
    """Print the summary, write the Markdown report; exit code 1 if any row has a problem, 130 if interrupted."""
    if not rows:
        console.print("no instance finished")
        return 1
    headers, body = table_text(stats(rows), args.time_limit, bench.infeasible)
    title = f"{bench.name}: {done} instances, {args.time_limit:g} s × {args.workers} workers, seed {args.seed}"
    if args.solver_seed != args.seed:
        title += f", solver seed {args.solver_seed}"
    console.print(rich_table(headers, body, title))
    remarks = notes(bench, rows, done, total)
    for line in remarks:
        console.print(f"[bold red]{line}[/]" if line.startswith(("PROBLEM", "INTERRUPTED")) else line)
    python = os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else sys.executable
    command = shlex.join([python, *sys.argv])
    md = args.out.with_suffix(".md")
    write_markdown(md, title, command, env, markdown_table(headers, body), remarks)
    console.print(f"rows in {args.out}, report in {md}")
    failed = sum(bool(r["problems"]) for r in rows)
    if failed:
        console.print(f"[bold red]FAILED: {failed} rows with problems (see above)[/]")
    return 1 if failed else (130 if done < total else 0)


if __name__ == "__main__":
    sys.exit(main())
