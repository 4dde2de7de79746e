"""A/B of model techniques on the multi-mode instances the planner missed, all variants in one run.

    .venv/bin/python benchmarks/ab_multimode.py [--variants current,no-whole-runs,old-hint,no-hint]
        [--time-limit 10] [--workers 2] [--out benchmarks/results/ab_multimode.csv]

Instances: the 26 that the planner missed (not at best known) in the committed runs made before
these techniques (j30 .mm sample 120 and MMLIB50 sample 120, seed 1, at commit 348051c), read from
../shared/benchmarks (or $PLANNER_BENCHMARKS). Per instance the variants
run one after the other, their order reversed on every other instance. Variants switch one technique
off in the shared model:

- current        the model as it is;
- no-whole-runs  without the redundant cumulative over whole work packages (constraints._whole_runs);
- old-hint       the list-scheduling hint choosing modes by earliest finish only, ignoring budgets;
- no-hint        no hint at all.

Prints mean gap to best known, count at best, summed lower bounds per variant, and writes one CSV row
per instance × variant. Every plan is verified by the independent checker.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import planner.cpsat.constraints as constraints  # noqa: E402
import planner.cpsat.heuristic as heuristic  # noqa: E402
import planner.cpsat.solver as solver  # noqa: E402
from planner import SolverSettings, check_plan  # noqa: E402
from planner.importers.psplib import import_psplib  # noqa: E402

J30 = {"j3013_3": 41, "j3037_1": 54, "j3037_9": 59, "j3045_8": 48, "j3045_9": 42, "j3053_5": 49, "j3061_6": 35}
MMLIB50 = {
    "J507_2": 42, "J509_5": 28, "J5011_2": 28, "J5012_1": 26, "J5043_3": 68, "J5043_4": 52, "J5043_5": 64,
    "J5044_2": 41, "J5045_2": 34, "J5045_5": 44, "J5046_3": 45, "J5047_5": 38, "J5048_1": 35, "J5079_1": 73,
    "J5079_2": 82, "J5080_3": 82, "J5080_4": 72, "J5080_5": 70, "J5082_4": 67,
}  # fmt: skip
INSTANCES = [(f"psplib_mm/j30/{n}.mm", b) for n, b in J30.items()] + [
    (f"mmlib/MMLIB50/{n}.mm", b) for n, b in MMLIB50.items()
]
FIELDS = ["instance", "best_known", "variant", "status", "makespan", "bound", "gap_percent", "violations"]


@contextmanager
def variant(name: str) -> Iterator[None]:
    """Switch one technique off for the duration of a solve."""
    saved: list[tuple[object, str, Callable[..., object]]] = []

    def patch(module: object, attr: str, value: Callable[..., object]) -> None:
        saved.append((module, attr, getattr(module, attr)))
        setattr(module, attr, value)

    if name == "no-whole-runs":
        patch(constraints, "_whole_runs", lambda *args: None)
    elif name == "old-hint":
        patch(heuristic._Budget, "affordable", lambda self, v: v.modes)
    elif name == "no-hint":
        patch(solver, "add_hint", lambda b: False)
    elif name != "current":
        raise SystemExit(f"unknown variant {name!r}: use current, no-whole-runs, old-hint, no-hint")
    try:
        yield
    finally:
        for module, attr, value in reversed(saved):
            setattr(module, attr, value)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="current,no-whole-runs,old-hint,no-hint")
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/ab_multimode.csv")
    args = ap.parse_args()
    data = Path(os.environ.get("PLANNER_BENCHMARKS", ROOT.parent / "shared" / "benchmarks"))
    names = args.variants.split(",")
    instances = INSTANCES
    settings = SolverSettings(time_limit_s=args.time_limit, workers=args.workers, seed=1)
    rows: list[dict[str, object]] = []
    for k, (inst, best) in enumerate(instances):
        scenario = import_psplib(data / inst)
        line = []
        for name in names if k % 2 == 0 else names[::-1]:
            with variant(name):
                plan = solver.solve(scenario, settings)
            makespan = plan.objective.get("makespan")
            rows.append(
                {
                    "instance": inst,
                    "best_known": best,
                    "variant": name,
                    "status": plan.status.value,
                    "makespan": makespan,
                    "bound": plan.bound,
                    "gap_percent": None if makespan is None else round(100 * (makespan - best) / best, 3),
                    "violations": len(check_plan(scenario, plan)) if plan.found else 0,
                }
            )
            line.append(f"{name}={makespan}/{plan.bound}")
        print(f"[{k + 1}/{len(instances)}] {Path(inst).name} best {best}: " + "  ".join(line), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="") as f:
        writer = csv.DictWriter(f, FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"\n{len(instances)} instances, {args.time_limit:g} s × {args.workers} workers, seed 1")
    print(f"{'variant':14} {'mean gap':>9} {'at best':>8} {'no plan':>8} {'sum of bounds':>14} {'violations':>11}")
    for name in names:
        mine = [r for r in rows if r["variant"] == name]
        gaps = [float(r["gap_percent"]) for r in mine if r["gap_percent"] is not None]  # type: ignore[arg-type]
        print(
            f"{name:14} {statistics.mean(gaps) if gaps else float('nan'):8.2f}% {sum(g <= 0 for g in gaps):8d} "
            f"{len(mine) - len(gaps):8d} {sum(float(r['bound'] or 0) for r in mine):14.0f} "  # type: ignore[arg-type]
            f"{sum(int(r['violations']) for r in mine):11d}"  # type: ignore[call-overload]
        )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
