"""A/B runs: several variants of the planner on the same instances, in alternating order, in one run."""

from __future__ import annotations

import csv
import statistics
from collections.abc import Callable
from pathlib import Path

from planner import Plan, Scenario, check_plan
from planner.importers.psplib import import_psplib

Variant = Callable[[Scenario], Plan]
FIELDS = ["instance", "best_known", "variant", "status", "makespan", "bound", "gap_percent", "violations"]


def run_ab(instances: list[tuple[str, int]], variants: dict[str, Variant], data: Path, out: Path) -> None:
    """Solve every instance with every variant (order reversed on every other instance), check each plan,
    print one line per instance and a summary per variant, and write one CSV row per instance × variant."""
    names = list(variants)
    rows: list[dict[str, object]] = []
    for k, (inst, best) in enumerate(instances):
        scenario = import_psplib(data / inst)
        line = []
        for name in names if k % 2 == 0 else names[::-1]:
            plan = variants[name](scenario)
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
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="") as f:
        writer = csv.DictWriter(f, FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"\n{len(instances)} instances")
    print(
        f"{'variant':16} {'mean gap':>9} {'at best':>8} {'proven':>7} {'no plan':>8} {'sum of bounds':>14} "
        f"{'violations':>11}"
    )
    for name in names:
        mine = [r for r in rows if r["variant"] == name]
        gaps = [float(str(r["gap_percent"])) for r in mine if r["gap_percent"] is not None]
        print(
            f"{name:16} {statistics.mean(gaps) if gaps else float('nan'):8.2f}% {sum(g <= 0 for g in gaps):8d} "
            f"{sum(r['status'] == 'optimal' for r in mine):7d} {len(mine) - len(gaps):8d} "
            f"{sum(float(str(r['bound'] or 0)) for r in mine):14.0f} {sum(int(str(r['violations'])) for r in mine):11d}"
        )
    print(f"wrote {out}")


def parse_value(text: str) -> object:
    """`true`/`false`, an int, a float, `a|b` (a list), else the text itself."""
    if "|" in text:
        return [parse_value(t) for t in text.split("|")]
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_params(body: str) -> dict[str, object]:
    """CP-SAT parameters written `key:value,key:value` (see `parse_value`)."""
    params = {}
    for item in filter(None, body.split(",")):
        key, _, value = item.partition(":")
        params[key.strip()] = parse_value(value.strip())
    return params


def parse_variant(spec: str) -> tuple[str, dict[str, object]]:
    """`name=key:value,...` → (name, parameters); `name=` is the planner as it is."""
    name, _, body = spec.partition("=")
    return name, parse_params(body)
