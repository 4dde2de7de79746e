"""A/B of CP-SAT parameters on instances the planner did not prove optimal in a committed run.

    .venv/bin/python benchmarks/ab_params.py (--from benchmarks/results/j120_sm.csv | --set mmlib100) --n 16 \\
        --variant base= --variant lb=use_objective_lb_search:true \\
        [--variant portfolio=subsolvers:default_lp|quick_restart,num_workers:2] \\
        [--time-limit 10] [--workers 2] [--seed 1] [--out benchmarks/results/ab_params.csv]

Instances: `--n` drawn with random.Random(seed) from the planner rows of the CSV that are not
proven optimal (all of them if fewer), or with `--set mmlib100` from a whole set, read from
../shared/benchmarks (or $PLANNER_BENCHMARKS).
A variant is `name=key:value,key:value` of CP-SAT parameters added to the planner's settings
(true/false, numbers, or `a|b|c` for repeated fields such as subsolvers); `name=` is the planner
as it is. Per instance the variants run one after the other, their order reversed on every other
instance; every plan is verified by the independent checker.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from harness.ab import Variant, parse_variant, run_ab
from harness.sets import SETS, default_data, instances, natural_key, read_known, sample

from planner import SolverSettings, solve

ROOT = Path(__file__).resolve().parent.parent


def unproven(results: Path, n: int, seed: int) -> list[tuple[str, int]]:
    with results.open(newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["solver"] == "planner" and r["status"] != "optimal"]
    chosen = rows if n >= len(rows) else random.Random(seed).sample(rows, n)
    return sorted(((r["instance"], int(r["best_known"])) for r in chosen), key=lambda t: natural_key(t[0]))


def drawn(data: Path, set_name: str, n: int, seed: int) -> list[tuple[str, int]]:
    """`n` instances of a whole set (for sets without a committed run), with their best known values."""
    bench = SETS[set_name]
    known = read_known(data, bench)
    return [(name, known[name].ub) for name in sample(instances(data, bench, known), n, seed)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    pick = ap.add_mutually_exclusive_group(required=True)
    pick.add_argument("--from", dest="results", type=Path, help="a committed results CSV: its unproven instances")
    pick.add_argument("--set", dest="set_name", choices=[n for n, b in SETS.items() if not b.infeasible])
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--variant", action="append", required=True, help="name=key:value,... (repeatable)")
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/ab_params.csv")
    args = ap.parse_args()
    data = default_data()

    def solve_with(params: dict[str, object]) -> Variant:
        settings = SolverSettings(time_limit_s=args.time_limit, workers=args.workers, seed=args.seed, parameters=params)
        return lambda scenario: solve(scenario, settings)

    variants = dict(parse_variant(v) for v in args.variant)
    print(
        f"{args.time_limit:g} s × {args.workers} workers, seed {args.seed}: "
        + "; ".join(f"{k}={v or 'as is'}" for k, v in variants.items())
    )
    chosen = (
        unproven(args.results, args.n, args.seed) if args.results else drawn(data, args.set_name, args.n, args.seed)
    )
    run_ab(chosen, {name: solve_with(p) for name, p in variants.items()}, data, args.out)


if __name__ == "__main__":
    main()
