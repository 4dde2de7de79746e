"""Benchmark: stable re-planning. Ten single changes to the demo, each solved from scratch and from a baseline.

    .venv/bin/python benchmarks/replan.py [--time-limit 30] [--reproducible] [--out benchmarks/results/replan.csv]

The baseline is the demo's plan. Each change (a capacity cut, a slipped work package, a budget cut, a new
mandatory work package, a pin, a forbid, a deadline moved earlier, a dearer institution, more effort, a
program's funder capped) is applied to the demo, then solved twice with the same settings: from scratch, and
with `baseline=` (the `stability` stage). Per change: work packages moved, added or dropped against the
baseline in each, and each priority's value in each, with the relative difference (baseline − scratch).
Every plan goes through the checker. Prints a table and writes CSV and markdown. Issue 18's targets: an
unchanged scenario moves nothing; moved work packages ≤ 20 % of the from-scratch count, every priority
within 2 %.
"""

from __future__ import annotations

import argparse
import csv
import platform
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner import SolverSettings, check_plan, load_scenario, solve
from planner.domain.scenario import Forbid, Pin, Scenario
from planner.problem.calendar import month_number, month_text
from planner.problem.prepared import prepare
from planner.report.compare import compare

if TYPE_CHECKING:
    from collections.abc import Callable

    from planner.domain.plan import Plan

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "scenarios" / "belarus-tomsk-2025-2030.yaml"


def _busiest(plan: Plan) -> str:
    """The institution with the most person-months in the plan."""
    effort: dict[str, float] = {}
    for a in plan.assignments:
        if a.institution:
            effort[a.institution] = effort.get(a.institution, 0.0) + a.effort_pm
    return max(effort, key=effort.__getitem__)


def _longest(plan: Plan) -> str:
    return max(plan.assignments, key=lambda a: (a.end - a.start, a.work_package)).work_package


def _changes(s: Scenario, base: Plan) -> list[tuple[str, Callable[[], Scenario]]]:
    """Ten single changes, each chosen against the baseline so that it matters."""
    busy, long_wp = _busiest(base), _longest(base)
    a = base.assignment(long_wp)
    assert a is not None

    def edit(**top: Any) -> Scenario:
        return s.model_copy(update=top)

    def institutions(f: Callable[[Any], Any]) -> Scenario:
        return edit(institutions=[f(i) if i.id == busy else i for i in s.institutions])

    def wps(f: Callable[[Any], Any], wp_id: str = long_wp) -> Scenario:
        return edit(work_packages=[f(w) if w.id == wp_id else w for w in s.work_packages])

    other = next(o.institution for o in prepare(s).options(long_wp) if o.institution not in (None, a.institution))
    first_funder = s.funders[0]
    year = min(first_funder.cap_per_year) if first_funder.cap_per_year else None
    deadline_wp = next((w for w in s.work_packages if w.deadline and base.assignment(w.id)), None)
    new = s.work_packages[0].model_copy(update={"id": "NEW-01", "mandatory": True, "dependencies": []})
    return [
        ("unchanged", lambda: s),
        (
            "capacity cut 30 % at " + busy,
            lambda: institutions(
                lambda i: i.model_copy(
                    update={
                        "capacity_pm": i.capacity_pm * 0.7,
                        "capacity_pm_by_year": {y: c * 0.7 for y, c in i.capacity_pm_by_year.items()},
                    }
                )
            ),
        ),
        (
            f"{long_wp} slips 6 months",
            lambda: wps(lambda w: w.model_copy(update={"earliest_start": month_text(month_number(a.start_month) + 6)})),
        ),
        (
            f"{first_funder.id}'s {year} cap −20 %",
            lambda: edit(
                funders=[
                    f.model_copy(
                        update={"cap_per_year": {y: c * (0.8 if y == year else 1) for y, c in f.cap_per_year.items()}}
                    )
                    if f.id == first_funder.id
                    else f
                    for f in s.funders
                ]
            ),
        ),
        ("a new mandatory work package", lambda: edit(work_packages=[*s.work_packages, new])),
        (f"{long_wp} pinned to {other}", lambda: edit(pins=[*s.pins, Pin(work_package=long_wp, institution=other)])),
        (
            f"{long_wp} forbidden at {a.institution}",
            lambda: edit(forbids=[*s.forbids, Forbid(work_package=long_wp, institution=a.institution)]),
        ),
        (
            f"{deadline_wp.id if deadline_wp else '-'} deadline 3 months earlier",
            lambda: (
                wps(
                    lambda w: w.model_copy(update={"deadline": month_text(month_number(w.deadline) - 3)}),
                    deadline_wp.id,
                )
                if deadline_wp
                else s
            ),
        ),
        (
            f"{busy} 30 % dearer",
            lambda: institutions(lambda i: i.model_copy(update={"rate_per_pm": i.rate_per_pm * 1.3})),
        ),
        (
            f"{long_wp} needs 50 % more effort",
            lambda: wps(lambda w: w.model_copy(update={"effort_pm": w.effort_pm * 1.5})),
        ),
    ]


def _moved(s: Scenario, base: Plan, s2: Scenario, plan: Plan) -> int:
    return len(compare(s, base, s2, plan).changes) if plan.found else -1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--reproducible", action="store_true", help="deterministic limits (load does not decide)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "replan.csv")
    args = parser.parse_args()
    settings = SolverSettings(time_limit_s=args.time_limit, reproducible=args.reproducible)
    s = load_scenario(DEMO)
    base = solve(s, settings)
    assert base.found and not check_plan(s, base)
    rows: list[dict[str, Any]] = []
    for name, make in _changes(s, base):
        s2 = Scenario.model_validate(make().model_dump())
        t0 = time.perf_counter()
        fresh = solve(s2, settings)
        t1 = time.perf_counter()
        stable = solve(s2, settings, baseline=base)
        t2 = time.perf_counter()
        row: dict[str, Any] = {
            "change": name,
            "moved_scratch": _moved(s, base, s2, fresh),
            "moved_baseline": _moved(s, base, s2, stable),
            "status_scratch": fresh.status.value,
            "status_baseline": stable.status.value,
            "violations": len(check_plan(s2, fresh)) + len(check_plan(s2, stable)),
            "wall_scratch_s": round(t1 - t0, 1),
            "wall_baseline_s": round(t2 - t1, 1),
        }
        for term in s.objective.priorities:
            x, y = fresh.objective.get(term.value), stable.objective.get(term.value)
            row[f"{term.value}_scratch"], row[f"{term.value}_baseline"] = x, y
            row[f"{term.value}_diff"] = (
                round((y - x) / abs(x), 4) if x not in (None, 0) and y is not None else (0.0 if x == y else None)
            )
        rows.append(row)
        print(row, flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    changed = [r for r in rows if r["change"] != "unchanged" and r["moved_scratch"] > 0]
    ratios = [r["moved_baseline"] / r["moved_scratch"] for r in changed]
    terms = [t.value for t in s.objective.priorities]
    lines = [
        "# Stable re-planning: the demo after ten single changes, from scratch and from its baseline plan",
        "",
        f"```\n.venv/bin/python benchmarks/replan.py --time-limit {args.time_limit:g}"
        + (" --reproducible" if args.reproducible else "")
        + "\n```",
        "",
        f"- date: {time.strftime('%Y-%m-%dT%H:%M:%S%z')}; machine: {platform.platform()}",
        "",
        "| change | moved (scratch) | moved (baseline) | "
        + " | ".join(f"{t} scratch → baseline" for t in terms)
        + " | violations |",
        "|---|---|---|" + "---|" * len(terms) + "---|",
    ]
    for r in rows:
        cells = [
            f"{r[f'{t}_scratch']:,.6g} → {r[f'{t}_baseline']:,.6g} ({r[f'{t}_diff']:+.2%})"
            if r[f"{t}_diff"] is not None
            else "—"
            for t in terms
        ]
        lines.append(
            f"| {r['change']} | {r['moved_scratch']} | {r['moved_baseline']} | "
            + " | ".join(cells)
            + f" | {r['violations']} |"
        )
    if ratios:
        lines += [
            "",
            f"Moved with the baseline / from scratch: median {statistics.median(ratios):.0%}, worst {max(ratios):.0%}.",
        ]
    args.out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
