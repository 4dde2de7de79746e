"""A/B of model techniques on the multi-mode instances the planner missed, all variants in one run.

    .venv/bin/python benchmarks/ab_multimode.py [--variants current,no-whole-runs,no-energy,old-hint,no-hint]
        [--set mmlib50 --n 120 | --from benchmarks/results/j30_sm.csv --n 16] [--time-limit 10] [--workers 2]
        [--out benchmarks/results/ab_multimode.csv]

Instances: the 26 that the planner missed (not at best known) in the committed runs made before
these techniques (j30 .mm sample 120 and MMLIB50 sample 120, seed 1, at commit 348051c), or with
`--set` the same sample of a whole set as `run.py --sample N --seed 1` draws, or with `--from` up to
`--n` instances that a committed run's planner left unproven (as `ab_params.py --from` draws); read from
../shared/benchmarks (or $PLANNER_BENCHMARKS). Per instance the variants
run one after the other, their order reversed on every other instance. Variants switch one technique
off in the shared model:

- current        the model as it is;
- no-whole-runs  without the redundant cumulative over whole work packages (constraints._whole_runs);
- no-energy      without the linear energy row on the makespan (constraints._energy);
- old-hint       the list-scheduling hint choosing modes by earliest finish only, ignoring budgets;
- no-hint        no hint at all.

Prints mean gap to best known, count at best, summed lower bounds per variant, and writes one CSV row
per instance × variant. Every plan is verified by the independent checker.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ab_params import drawn, unproven  # noqa: E402
from harness.ab import Variant, run_ab  # noqa: E402
from harness.sets import SETS, default_data  # noqa: E402

import planner.cpsat.constraints as constraints  # noqa: E402
import planner.cpsat.heuristic as heuristic  # noqa: E402
import planner.cpsat.solver as solver  # noqa: E402
from planner import Plan, Scenario, SolverSettings  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

J30 = {"j3013_3": 41, "j3037_1": 54, "j3037_9": 59, "j3045_8": 48, "j3045_9": 42, "j3053_5": 49, "j3061_6": 35}
MMLIB50 = {
    "J507_2": 42, "J509_5": 28, "J5011_2": 28, "J5012_1": 26, "J5043_3": 68, "J5043_4": 52, "J5043_5": 64,
    "J5044_2": 41, "J5045_2": 34, "J5045_5": 44, "J5046_3": 45, "J5047_5": 38, "J5048_1": 35, "J5079_1": 73,
    "J5079_2": 82, "J5080_3": 82, "J5080_4": 72, "J5080_5": 70, "J5082_4": 67,
}  # fmt: skip
INSTANCES = [(f"psplib_mm/j30/{n}.mm", b) for n, b in J30.items()] + [
    (f"mmlib/MMLIB50/{n}.mm", b) for n, b in MMLIB50.items()
]


@contextmanager
def variant(name: str) -> Iterator[None]:
    """Switch one technique off for the duration of a solve."""
    saved: list[tuple[object, str, Callable[..., object]]] = []

    def patch(module: object, attr: str, value: Callable[..., object]) -> None:
        saved.append((module, attr, getattr(module, attr)))
        setattr(module, attr, value)

    if name == "no-whole-runs":
        patch(constraints, "_whole_runs", lambda *args: None)
    elif name == "no-energy":
        patch(constraints, "_energy", lambda *args: None)
    elif name == "old-hint":
        patch(heuristic._Budget, "affordable", lambda self, v: v.modes)  # noqa: SLF001  an A/B patches internals by design
    elif name == "no-hint":
        patch(solver, "add_hint", lambda b: False)
    elif name != "current":
        raise SystemExit(f"unknown variant {name!r}: use current, no-whole-runs, no-energy, old-hint, no-hint")
    try:
        yield
    finally:
        for module, attr, value in reversed(saved):
            setattr(module, attr, value)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="current,no-whole-runs,no-energy,old-hint,no-hint")
    pick = ap.add_mutually_exclusive_group()
    pick.add_argument("--set", dest="set_name", choices=[n for n, b in SETS.items() if not b.infeasible])
    pick.add_argument("--from", dest="results", type=Path, help="a committed results CSV: its unproven instances")
    ap.add_argument("--n", type=int, default=120, help="sample size with --set or --from (seed 1)")
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/ab_multimode.csv")
    args = ap.parse_args()
    data = default_data()
    settings = SolverSettings(time_limit_s=args.time_limit, workers=args.workers, seed=1)

    def solve_as(name: str) -> Variant:
        def run(scenario: Scenario) -> Plan:
            with variant(name):
                return solver.solve(scenario, settings)

        return run

    print(f"{args.time_limit:g} s × {args.workers} workers, seed 1")
    if args.set_name:
        chosen = drawn(data, args.set_name, args.n, 1)
    elif args.results:
        chosen = unproven(args.results, args.n, 1)
    else:
        chosen = INSTANCES
    run_ab(chosen, {name: solve_as(name) for name in args.variants.split(",")}, data, args.out)


if __name__ == "__main__":
    main()
