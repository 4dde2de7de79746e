"""Benchmark: why no plan, on infeasible variants of the demo (issue 18: within 20 s each).

    .venv/bin/python benchmarks/explain.py [--variants deadline,budget,capacity,pin] [--label after]

Each variant changes one thing in scenarios/belarus-tomsk-2025-2030.yaml: U-08's deadline moved to
2025-09, the Belarus budget's yearly caps cut tenfold, Integral's capacity cut to 1 PM a month (T-05
is pinned there), T-05's pin given a start in 2025-06 (its chain cannot start it before 2025-10).
Per variant: wall time of `planner.explain` (as the CLI and the app call it), the rules of the
minimal set, how many carry their numbers, and how many changes a re-solve confirmed. Appends rows
to benchmarks/results/explain.csv and rewrites benchmarks/results/explain.md with the latest row of
each variant and its explanation. The machine is shared: read the load average next to the times.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from harness.report import append_csv

from planner import load_scenario
from planner.diagnose.conflict import diagnose
from planner.diagnose.explain import BUDGET_S, explain

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
FIELDS = ["label", "commit", "date", "variant", "wall_s", "rules", "with_numbers", "confirmed", "load_avg"]


def variants(s: Scenario) -> dict[str, Scenario]:
    """The demo with one change each that leaves it without a plan."""

    def wp(wid: str, **update: object) -> Scenario:
        return s.model_copy(
            update={"work_packages": [w.model_copy(update=update) if w.id == wid else w for w in s.work_packages]}
        )

    tenth = [
        f.model_copy(update={"cap_per_year": {y: c / 10 for y, c in f.cap_per_year.items()}})
        if f.id == "by-budget"
        else f
        for f in s.funders
    ]
    cut = [
        i.model_copy(update={"capacity_pm": 1, "capacity_pm_by_year": {}}) if i.id == "integral" else i
        for i in s.institutions
    ]
    pins = [p.model_copy(update={"start": "2025-06"}) if p.work_package == "T-05" else p for p in s.pins]
    return {
        "deadline": wp("U-08", deadline="2025-09"),
        "budget": s.model_copy(update={"funders": tenth}),
        "capacity": s.model_copy(update={"institutions": cut}),
        "pin": s.model_copy(update={"pins": pins}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", default="deadline,budget,capacity,pin")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    demo = load_scenario(ROOT / "scenarios" / "belarus-tomsk-2025-2030.yaml")
    all_variants = variants(demo)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    rows, texts = [], {}
    for name in args.variants.split(","):
        s = all_variants[name]
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        lines = explain(s)
        wall = time.perf_counter() - t0
        found = diagnose(s, BUDGET_S)  # the same call again, for the counts (not timed)
        row = {
            "label": args.label,
            "commit": commit.strip(),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
            "variant": name,
            "wall_s": f"{wall:.1f}",
            "rules": len(found.findings),
            "with_numbers": sum(1 for f in found.findings if f.need),
            "confirmed": sum(1 for f in found.findings if f.confirmed) + sum(1 for _, ok in found.joint if ok),
            "load_avg": f"{load:.2f}",
        }
        rows.append(row)
        texts[name] = lines
        print(row)
        print("\n".join(lines))
    append_csv(RESULTS / "explain.csv", FIELDS, rows)
    md = ["# Why no plan on the demo's variants (benchmarks/explain.py)", ""]
    md += ["| " + " | ".join(FIELDS) + " |", "|" + "---|" * len(FIELDS)]
    md += ["| " + " | ".join(str(r[f]) for f in FIELDS) + " |" for r in rows]
    for name, lines in texts.items():
        md += ["", f"## {name}", "", "```", *lines, "```"]
    (RESULTS / "explain.md").write_text("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
