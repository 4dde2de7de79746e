"""Stable re-planning: how far a plan moves from a baseline plan, as a term the solver can minimise.

After a change to the scenario, a program manager wants the new plan to keep what was agreed: the same
institutions and nearly the same months. The stability term counts, over the baseline's work packages,
an institution change or a work package dropped as INSTITUTION_WEIGHT periods and every period its start
or its end shifts as one (so a longer or shorter run counts too). It is minimised in a last stage, after the scenario's own priorities, with each of those
allowed TOLERANCE of slack (`solver._run_stages`): a plan that moves little, and is within 2 % of the best
on every priority. Work that started before `today` is frozen as the baseline has it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from planner.cpsat.lns import plan_decisions

if TYPE_CHECKING:
    from planner.cpsat.model import Builder, LinearExpr
    from planner.domain.plan import Plan
    from planner.problem.assemble import Decision

INSTITUTION_WEIGHT = 12
"""An institution change (or a work package dropped) weighs as much as a start shifted by a year."""

TOLERANCE = 0.02
"""How much each earlier priority may give up for stability: 2 % of its best value (none where that is 0)."""


@dataclass
class Stability:
    """The stability term and what it counts: the baseline's work packages in the model, and the frozen ones."""

    expr: LinearExpr
    compared: list[str] = field(default_factory=list)
    frozen: list[str] = field(default_factory=list)
    hint: list[Decision] = field(default_factory=list)  # the baseline's decisions, to start the last stage from
    tolerance: float = TOLERANCE  # how much of its best each earlier priority may give up for stability


def add_stability(b: Builder, baseline: Plan, today: int | None = None, tolerance: float = TOLERANCE) -> Stability:
    """The stability term against `baseline` (in periods moved), with work started before period `today` frozen;
    each earlier priority may give up `tolerance` of its best for it (0: none, only ties are broken towards the baseline).

    A work package frozen keeps its institution, option, start and duration if its option still exists with
    that duration; otherwise it is only compared (the scenario changed it, so it must move).
    """
    parts: list[LinearExpr] = []
    out = Stability(expr=0, hint=plan_decisions(b.p, baseline), tolerance=tolerance)
    horizon = b.cal.horizon
    for a in baseline.assignments:
        v = b.wps.get(a.work_package)
        if v is None:
            continue  # the work package left the scenario: nothing to keep
        out.compared.append(a.work_package)
        same = [md.x for md in v.modes if md.institution == a.institution]
        parts.append(INSTITUTION_WEIGHT * (1 - sum(same)) if same else INSTITUTION_WEIGHT)
        for name, var, was in (("start", v.start, a.start), ("end", v.end, a.end)):
            moved = b.model.new_int_var(-horizon, horizon, f"moved_{name}[{a.work_package}]")
            b.model.add(moved == var - was).only_enforce_if(v.present)
            b.model.add(moved == 0).only_enforce_if(~v.present)
            shift = b.model.new_int_var(0, horizon, f"shift_{name}[{a.work_package}]")
            b.model.add_abs_equality(shift, moved)
            parts.append(shift)
        if today is not None and a.start < today:
            kept = [md for md in v.modes if md.option.id == a.option and md.duration == a.end - a.start]
            if kept:
                b.model.add(v.present == 1)
                b.model.add(v.start == a.start)
                b.model.add(sum(md.x for md in kept) == 1)
                out.frozen.append(a.work_package)
    out.expr = sum(parts) if parts else 0
    return out
