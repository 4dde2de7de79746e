"""Benchmark: `planner validate` and `planner check` as whole commands (start-up and imports included).

    .venv/bin/python benchmarks/cli_speed.py [--sizes 500,2000,5000] [--runs 7] [--seed 1]
        [--out benchmarks/results/cli_speed.csv] [--label after] [--against DIR --against-label before]

Per size: `planner generate` writes the program (institutions: one per 20 work packages, as in
`benchmarks/scale.py`) and its reference plan; then `planner validate SCENARIO` and
`planner check SCENARIO REFERENCE` run as their own processes, alternately, `--runs` times each
after one untimed warm-up. Reports the median and the fastest wall time of each command and of their
sum (the target of issue 15: ≤ 0.5 s at 500, ≤ 1.5 s at 2,000, ≤ 4 s at 5,000). The commands run
as `python -m planner.cli` from this checkout, with bytecode caching on (as an installed package
runs; the warm-up writes the caches). The machine is shared: compare rows of one run, read ratios.
With `--against DIR` (another checkout, e.g. `git worktree add` of the commit before a change) the
runs of both checkouts alternate, so that both see the same load; a row is written for each.
Appends rows to the CSV and rewrites the markdown table (`.md`) from it.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = [
    "label", "commit", "date", "wps", "institutions", "runs", "validate_median_s", "validate_min_s",
    "check_median_s", "check_min_s", "total_median_s", "target_s", "load_avg",
]  # fmt: skip
TARGETS = {500: 0.5, 2000: 1.5, 5000: 4.0}


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(root)  # that checkout's `planner`, whatever the venv's editable install points at
    return env


def planner(*args: str, root: Path = ROOT) -> float:
    """Wall seconds of one `planner` command of a checkout; fails loudly unless it exits 0."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True, cwd=root, env=_env(root)
    )
    wall = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(f"planner {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
    return wall


def run_size(
    n: int, runs: int, seed: int, tmp: Path, checkouts: list[tuple[Path, str, str]]
) -> list[dict[str, object]]:
    """One row per checkout (root, label, commit), their runs alternating."""
    inst = max(12, n // 20)
    scenario, reference = tmp / f"speed-{n}.yaml", tmp / f"speed-{n}-reference.json"
    planner("generate", "--wps", str(n), "--institutions", str(inst), "--seed", str(seed), "-o", str(scenario),
            "--reference", str(reference))  # fmt: skip
    validate = ["validate", str(scenario)]
    check = ["check", str(scenario), str(reference)]
    times: dict[Path, tuple[list[float], list[float]]] = {root: ([], []) for root, _, _ in checkouts}
    for root in times:
        planner(*validate, root=root), planner(*check, root=root)  # warm-up: bytecode caches, file cache
    for _ in range(runs):
        for root, (v, c) in times.items():
            v.append(planner(*validate, root=root))
            c.append(planner(*check, root=root))
    rows: list[dict[str, object]] = []
    for root, label, commit in checkouts:
        v, c = times[root]
        totals = [a + b for a, b in zip(v, c, strict=True)]
        rows.append({
            "label": label, "commit": commit, "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"), "wps": n,
            "institutions": inst, "runs": runs, "validate_median_s": round(statistics.median(v), 3),
            "validate_min_s": round(min(v), 3), "check_median_s": round(statistics.median(c), 3),
            "check_min_s": round(min(c), 3), "total_median_s": round(statistics.median(totals), 3),
            "target_s": TARGETS.get(n, ""), "load_avg": round(os.getloadavg()[0], 2),
        })  # fmt: skip
    return rows


def _commit(root: Path) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=root)
    dirty = subprocess.run(["git", "status", "--porcelain", "planner"], capture_output=True, text=True, cwd=root)
    return commit.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def write_markdown(csv_path: Path) -> None:
    with csv_path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    lines = [
        "# `planner validate` + `planner check`, whole commands",
        "",
        f"```\n.venv/bin/python benchmarks/cli_speed.py\n```\n\nmachine: {platform.platform()}, "
        f"{os.cpu_count()} cores, shared with other work (the load average is the 1-minute one after each size).",
        "",
        "| label | commit | WPs / inst. | validate median (min) | check median (min) | total median | target | load |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ok = "" if not r["target_s"] else (" ✓" if float(r["total_median_s"]) <= float(r["target_s"]) else " ✗")
        lines.append(
            f"| {r['label']} | {r['commit']} | {r['wps']} / {r['institutions']} "
            f"| {r['validate_median_s']} s ({r['validate_min_s']}) | {r['check_median_s']} s ({r['check_min_s']}) "
            f"| {r['total_median_s']} s{ok} | {r['target_s']} s | {r['load_avg']} |"
        )
    csv_path.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,2000,5000")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--label", default="")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "cli_speed.csv")
    ap.add_argument("--against", type=Path, help="another checkout to time in alternation with this one")
    ap.add_argument("--against-label", default="before")
    a = ap.parse_args(argv)
    checkouts = [(ROOT, a.label, _commit(ROOT))]
    if a.against:
        checkouts.insert(0, (a.against.resolve(), a.against_label, _commit(a.against)))
    new = not a.out.exists()
    a.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, a.out.open("a", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        if new:
            w.writeheader()
        for n in (int(s) for s in a.sizes.split(",")):
            for row in run_size(n, a.runs, a.seed, Path(tmp), checkouts):
                print(row, flush=True)
                w.writerow(row)
            f.flush()
    write_markdown(a.out)


if __name__ == "__main__":
    main(sys.argv[1:])
