"""Benchmark: program scale. Synthetic programs of growing size, each read, solved at several limits and checked.

    .venv/bin/python benchmarks/scale.py [--sizes 100,500,2000,5000] [--limits 10,30,60] [--seed 1]
        [--workers 2] [--out benchmarks/results/scale.csv]

Per size: `planner generate` writes the program (institutions as in issue 15's targets: 12 at 100, 40 at 500,
100 at 2,000, 250 at 5,000; one per 20 work packages elsewhere)
and its reference plan; `planner validate` and `planner check` of the reference are timed as whole
commands; then per limit `planner solve --time-limit L` runs as its own process (the limit counts
from the command's start, reading included), its wall time and peak memory are measured, the plan's
figures read back (status, time to the first valid plan, value and gap per priority, engine), and
the plan goes through `planner check`. Every figure is a whole command on this machine, as a user
runs it. Writes one CSV row per size and limit, a markdown table (`.md`) and a plotly chart
(`.html`) of how each figure grows with the size. The machine is noisy: compare within one run.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANNER = str(Path(sys.executable).with_name("planner"))
TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
FIELDS = [
    "wps", "institutions", "options", "limit_s", "generate_s", "validate_s", "check_reference_s", "solve_wall_s",
    "over_limit", "peak_rss_mb", "status", "engine", "first_plan_s", "gap", "value", "value_gap", "lateness",
    "lateness_gap", "cost", "cost_gap", "check_s", "check_exit", "note",
]  # fmt: skip


def timed(cmd: list[str]) -> tuple[float, int, float | None, str]:
    """Wall seconds, exit code, peak RSS in MB (GNU time, where present) and stdout of a command."""
    wrapped = [TIME, "-f", "%M", *cmd] if TIME else cmd
    t0 = time.perf_counter()
    done = subprocess.run(wrapped, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    rss = None
    if TIME:
        last = done.stderr.strip().splitlines()[-1:] or [""]
        rss = int(last[0]) / 1024 if last[0].isdigit() else None
    return wall, done.returncode, rss, done.stdout


def gap(value: float, bound: float | None) -> float | None:
    if bound is None:
        return None
    denom = max(abs(value), abs(bound))
    return 0.0 if denom < 1e-9 else min(1.0, abs(value - bound) / denom)


INSTITUTIONS = {100: 12, 500: 40, 2000: 100, 5000: 250}
"""Institutions per size, as the targets of issue 15 state them."""


def run_size(n: int, limits: list[float], seed: int, workers: int, tmp: Path) -> list[dict[str, object]]:
    inst = INSTITUTIONS.get(n, max(12, n // 20))
    scenario, reference = tmp / f"scale-{n}.yaml", tmp / f"scale-{n}-reference.json"
    gen = [PLANNER, "generate", "--wps", str(n), "--institutions", str(inst), "--seed", str(seed)]
    generate_s, code, _, _ = timed([*gen, "-o", str(scenario), "--reference", str(reference)])
    if code:
        raise SystemExit(f"generate {n} failed (exit {code})")
    validate_s, code, _, out = timed([PLANNER, "validate", str(scenario)])
    options = int(out.split(",")[-1].split()[0]) if code == 0 else 0
    check_reference_s, code, _, _ = timed([PLANNER, "check", str(scenario), str(reference)])
    if code:
        raise SystemExit(f"the reference plan of size {n} does not pass the check (exit {code})")
    rows = []
    for limit in limits:
        plan_path = tmp / f"scale-{n}-{limit:g}s.json"
        cmd = [PLANNER, "solve", str(scenario), "-o", str(plan_path), "--time-limit", f"{limit:g}", "-q"]
        wall, code, rss, _ = timed([*cmd, "--workers", str(workers)])
        row: dict[str, object] = {
            "wps": n, "institutions": inst, "options": options, "limit_s": limit, "generate_s": round(generate_s, 2),
            "validate_s": round(validate_s, 2), "check_reference_s": round(check_reference_s, 2),
            "solve_wall_s": round(wall, 2), "over_limit": round(wall / limit - 1, 3),
            "peak_rss_mb": None if rss is None else round(rss), "status": f"exit {code}",
        }  # fmt: skip
        if plan_path.exists():
            plan = json.loads(plan_path.read_text(encoding="utf-8"))
            solver = plan.get("solver") or {}
            row.update(status=plan["status"], engine=solver.get("engine"), first_plan_s=solver.get("first_plan_s"))
            row.update(gap=plan.get("gap"), note=solver.get("note") or "")
            for term in ("value", "lateness", "cost"):
                value = plan["objective"].get(term)
                row[term] = value
                row[f"{term}_gap"] = None if value is None else gap(value, plan.get("bounds", {}).get(term))
            check_s, check_exit, _, _ = timed([PLANNER, "check", str(scenario), str(plan_path)])
            row.update(check_s=round(check_s, 2), check_exit=check_exit)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return rows


def write_report(rows: list[dict[str, object]], out: Path, argv: list[str]) -> None:
    def pct(x: object) -> str:
        return "—" if x is None or x == "" else f"{100 * float(x):.2f} %"  # type: ignore[arg-type]

    lines = [
        "# Program scale: synthetic programs solved as users run them (whole commands)",
        "",
        f"```\n.venv/bin/python benchmarks/scale.py {' '.join(argv)}\n```",
        "",
        f"- date: {time.strftime('%Y-%m-%dT%H:%M:%S%z')}; machine: {platform.platform()}, {platform.processor() or ''}",
        "",
        "| WPs / inst. (options) | limit | validate | check ref. | solve wall | peak RSS | status (engine) "
        "| first plan | value gap | lateness gap | cost gap | check |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['wps']} / {r['institutions']} ({r['options']}) | {r['limit_s']:g} s | {r['validate_s']} s "
            f"| {r['check_reference_s']} s | {r['solve_wall_s']} s | {r['peak_rss_mb']} MB "
            f"| {r['status']} ({r.get('engine')}) | {r.get('first_plan_s')} s | {pct(r.get('value_gap'))} "
            f"| {pct(r.get('lateness_gap'))} | {pct(r.get('cost_gap'))} "
            f"| {'✓' if r.get('check_exit') == 0 else '✗'} {r.get('check_s')} s |"
        )
    lines += ["", "Gaps are against bounds that hold for every plan (CP-SAT's, or `construct/bounds.py` without it)."]
    out.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=3, subplot_titles=("seconds", "peak RSS (MB)", "gap of the value priority"))
    for limit in sorted({float(r["limit_s"]) for r in rows}):  # type: ignore[arg-type]
        sub = [r for r in rows if float(r["limit_s"]) == limit]  # type: ignore[arg-type]
        x = [r["wps"] for r in sub]
        fig.add_scatter(x=x, y=[r.get("first_plan_s") for r in sub], name=f"first plan ({limit:g} s)", row=1, col=1)
        fig.add_scatter(x=x, y=[r["peak_rss_mb"] for r in sub], name=f"RSS ({limit:g} s)", row=1, col=2)
        fig.add_scatter(x=x, y=[r.get("value_gap") for r in sub], name=f"value gap ({limit:g} s)", row=1, col=3)
    first = [r for r in rows if r["limit_s"] == rows[0]["limit_s"]]
    fig.add_scatter(x=[r["wps"] for r in first], y=[r["validate_s"] for r in first], name="validate", row=1, col=1)
    fig.add_scatter(x=[r["wps"] for r in first], y=[r["check_reference_s"] for r in first], name="check", row=1, col=1)
    fig.update_xaxes(type="log", title="work packages")
    fig.update_layout(title="Program scale", height=420)
    fig.write_html(out.with_suffix(".html"), include_plotlyjs="cdn")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,500,2000,5000")
    parser.add_argument("--limits", default="10,30,60")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/scale.csv")
    args = parser.parse_args()
    tmp = ROOT / "benchmarks/results/tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, object]] = []
    for n in (int(x) for x in args.sizes.split(",")):
        rows += run_size(n, [float(x) for x in args.limits.split(",")], args.seed, args.workers, tmp)
        with args.out.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(rows)
        write_report(rows, args.out, sys.argv[1:])
    print(f"rows in {args.out}, table in {args.out.with_suffix('.md')}, chart in {args.out.with_suffix('.html')}")


if __name__ == "__main__":
    main()
