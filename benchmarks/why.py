"""Benchmark: why this plan on the demo (issue 18 item 2), `planner explain SCENARIO PLAN --wp ID` per work package.

    .venv/bin/python benchmarks/why.py [--wps U-07,T-05,M-02,F-04,U-08] [--plan plan.json] [--label after]

The demo (scenarios/belarus-tomsk-2025-2030.yaml) is solved once (30 s, or `--plan` gives a plan of it). Per work
package: the wall time of the whole command as a user runs it (a subprocess: start-up, reading, the re-solves of the
alternatives with the default 12 s, printing), then the same answer through the Python API for its figures: the
alternatives found, proven and moved alone, and a check of every forced plan by the independent checker (it
passes with the work package pinned there, and its recomputed priorities give the deltas said). The summary
without --wp is timed too. Appends rows to benchmarks/results/why.csv and rewrites benchmarks/results/why.md with
the latest run and each answer. The machine is shared: read the load average next to the times.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from harness.report import append_csv

from planner import SolverSettings, check_plan, evaluate, load_scenario, read_plan, solve, write_plan
from planner.diagnose.alternatives import Outcome, force
from planner.diagnose.why import why_work_package

if TYPE_CHECKING:
    from planner.diagnose.alternatives import Alternative
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DEMO = ROOT / "scenarios" / "belarus-tomsk-2025-2030.yaml"
FIELDS = [
    "label",
    "commit",
    "date",
    "wp",
    "institution",
    "cli_wall_s",
    "api_wall_s",
    "alternatives",
    "found",
    "proven",
    "alone",
    "checked",
    "best",
    "load_avg",
]


def command(*args: str | Path) -> tuple[float, str]:
    """Run `planner` as a user does; its wall time and output (exit 0 required)."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "planner.cli", *map(str, args)], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return time.perf_counter() - t0, done.stdout


def confirmed(scenario: Scenario, plan: Plan, wp: str, alts: tuple[Alternative, ...]) -> int:
    """How many forced plans the checker passes with the deltas said (every one found should)."""
    before = evaluate(scenario, plan)
    ok = 0
    for x in alts:
        if x.outcome is not Outcome.found or x.forced is None:
            continue
        after = evaluate(scenario, x.forced)
        same = all(abs(after[t] - before[t] - d) <= 1e-6 * max(1.0, abs(d)) for t, d in x.deltas)
        ok += not check_plan(force(scenario, wp, x.institution), x.forced) and same
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wps", default="U-07,T-05,M-02,F-04,U-08")
    parser.add_argument("--plan", type=Path, default=None, help="A plan of the demo (default: solve it for 30 s).")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    demo = load_scenario(DEMO)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    with tempfile.TemporaryDirectory() as tmp:
        plan_path = args.plan or Path(tmp) / "demo-plan.json"
        if args.plan is None:
            write_plan(solve(demo, SolverSettings(time_limit_s=30)), plan_path)
        plan = read_plan(plan_path)
        assert plan.found and check_plan(demo, plan) == [], "the plan must be a valid plan of the demo"
        summary_s, summary = command("explain", DEMO, plan_path)
        print(f"summary: {summary_s:.1f} s, plan {plan.status.value} {plan.objective}")
        rows, texts = [], {"(summary)": summary}
        for wp in args.wps.split(","):
            load = os.getloadavg()[0]
            cli_s, text = command("explain", DEMO, plan_path, "--wp", wp)
            t0 = time.perf_counter()
            answer = why_work_package(demo, plan, wp)
            api_s = time.perf_counter() - t0
            alts = answer.alternatives or ()
            found = [x for x in alts if x.outcome is Outcome.found]
            best = found[0] if found else None
            row = {
                "label": args.label,
                "commit": commit.strip(),
                "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
                "wp": wp,
                "institution": answer.assignment.institution if answer.assignment else "",
                "cli_wall_s": f"{cli_s:.1f}",
                "api_wall_s": f"{api_s:.1f}",
                "alternatives": len(alts),
                "found": len(found),
                "proven": sum(x.proven for x in found),
                "alone": sum(x.alone for x in found),
                "checked": confirmed(demo, plan, wp, alts),
                "best": f"{best.institution} {dict(best.deltas)}" if best else "",
                "load_avg": f"{load:.2f}",
            }
            rows.append(row)
            texts[wp] = text
            print(row)
    append_csv(RESULTS / "why.csv", FIELDS, rows)
    md = [
        "# Why this plan on the demo (benchmarks/why.py)",
        "",
        f"`planner explain SCENARIO PLAN` (the summary): {summary_s:.1f} s. Per work package, `--wp ID` as a command "
        "(cli) and through the API (api); alternatives re-solved 12 s in all; `checked`: forced plans the checker "
        "passes with the deltas said.",
        "",
    ]
    md += ["| " + " | ".join(FIELDS) + " |", "|" + "---|" * len(FIELDS)]
    md += ["| " + " | ".join(str(r[f]) for f in FIELDS) + " |" for r in rows]
    for name, text in texts.items():
        md += ["", f"## {name}", "", "```", *text.rstrip().splitlines(), "```"]
    (RESULTS / "why.md").write_text("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
