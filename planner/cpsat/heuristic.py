"""A first plan by serial schedule generation, given to CP-SAT as its hint.

Mandatory work packages are taken in order of their latest finish (a backward pass from the
horizon with the shortest durations); each gets the mode and the earliest start at which it fits
capacity, precedence and its window, among the modes that keep every funder's total within reach
(what is committed, plus this mode, plus the least the remaining work can cost it), in the funder's
currency at the dearest year's rate. Other money rules are not checked here: CP-SAT repairs a hint
that breaks them. Without this start, the makespan interval in the cumulatives (which lifts the
lower bound) delays CP-SAT's first plan on large projects.
Measured: benchmarks/results/decisions.md, section 2 (the hint), and
benchmarks/results/ab_multimode_2026-11-25.md, section 3 (modes chosen within budgets).
"""

from __future__ import annotations

from collections import defaultdict

from planner.cpsat.model import Builder, Mode, WpVars
from planner.domain.scenario import DependencyType
from planner.problem import scaling

Placed = dict[str, tuple[Mode, int]]


def _order(b: Builder, todo: list[WpVars]) -> list[WpVars]:
    """Work packages by latest finish (backward pass with the shortest modes), then scenario order."""
    succ: dict[str, list[tuple[str, int, DependencyType]]] = defaultdict(list)
    for v in todo:
        for dep in v.wp.dependencies:
            succ[dep.id].append((v.wp.id, dep.lag, dep.type))
    shortest = {v.wp.id: min(md.duration for md in v.modes) for v in todo}
    latest: dict[str, int] = {}
    for v in reversed(_topological(todo)):
        w = v.wp.id
        latest[w] = v.latest_end
        for s, lag, kind in succ.get(w, []):
            if s in latest:
                room = latest[s] - shortest[s] - lag
                latest[w] = min(latest[w], room + (shortest[w] if kind == DependencyType.start_to_start else 0))
    position = {v.wp.id: i for i, v in enumerate(todo)}
    return sorted(todo, key=lambda v: (latest[v.wp.id], position[v.wp.id]))


def _topological(todo: list[WpVars]) -> list[WpVars]:
    """Predecessors before successors (dependencies outside `todo` are ignored)."""
    ids = {v.wp.id: v for v in todo}
    done: set[str] = set()
    out: list[WpVars] = []

    def visit(v: WpVars) -> None:
        stack = [(v, iter(v.wp.dependencies))]
        while stack:
            node, deps = stack[-1]
            dep = next(deps, None)
            if dep is None:
                stack.pop()
                if node.wp.id not in done:
                    done.add(node.wp.id)
                    out.append(node)
            elif dep.id in ids and dep.id not in done and all(dep.id != n.wp.id for n, _ in stack):
                stack.append((ids[dep.id], iter(ids[dep.id].wp.dependencies)))

    for v in todo:
        visit(v)
    return out


def first_plan(b: Builder) -> Placed | None:
    """Mode and start for every mandatory work package, or None where the greedy cannot decide."""
    todo = [v for v in b.wps.values() if v.wp.mandatory and v.modes]
    ids = {v.wp.id for v in todo}
    if any(d.id not in ids for v in todo for d in v.wp.dependencies):
        return None  # depends on optional work, an overlap group or undoable work: leave it to CP-SAT
    caps = b.capacities
    load: dict[str, list[int]] = {key: [0] * b.cal.horizon for key in caps}
    pinned = {p.work_package: p for p in b.s.pins}
    budget = _Budget(b, todo)
    placed: Placed = {}
    pending = _order(b, todo)
    while pending:
        # the highest-priority work package whose predecessors are all placed (serial schedule generation)
        v = next(v for v in pending if all(d.id in placed for d in v.wp.dependencies))
        pending.remove(v)
        best: tuple[int, int, Mode] | None = None
        for md in budget.affordable(v):
            demand = _demand(md)
            start = _earliest(v, placed)
            pin = pinned.get(v.wp.id)
            if pin and pin.start:
                start = max(start, b.cal.period_of(pin.start))
            while start + md.duration <= v.latest_end and not _fits(demand, load, caps, start, md.duration):
                start += 1
            if start + md.duration <= v.latest_end and (best is None or start + md.duration < best[0]):
                best = (start + md.duration, start, md)
        if best is None:
            return None
        _, start, md = best
        budget.commit(v, md)
        for key, amount in _demand(md).items():
            for p in range(start, start + md.duration):
                load[key][p] += amount
        placed[v.wp.id] = (md, start)
    return placed


class _Budget:
    """Funders' totals in the list scheduling: a mode is affordable if the rest can still be paid."""

    def __init__(self, b: Builder, todo: list[WpVars]) -> None:
        self.total = {f.id: f.total for f in b.s.funders if f.total is not None}
        self.spent = dict.fromkeys(self.total, 0.0)
        self.cost = {md.x.index: {f: _spend(b, md, f) for f in self.total} for v in todo for md in v.modes}
        self.least = {v.wp.id: {f: min(self.cost[md.x.index][f] for md in v.modes) for f in self.total} for v in todo}
        self.rest = {f: sum(least[f] for least in self.least.values()) for f in self.total}

    def affordable(self, v: WpVars) -> list[Mode]:
        """The modes of `v` that leave every total reachable; the cheapest one if none does."""
        least = self.least[v.wp.id]

        def over(md: Mode) -> float:
            return max(
                (
                    self.spent[f] + self.cost[md.x.index][f] + self.rest[f] - least[f] - cap
                    for f, cap in self.total.items()
                ),
                default=0.0,
            )

        ok = [md for md in v.modes if over(md) <= 1e-9]
        return ok or [min(v.modes, key=over)]

    def commit(self, v: WpVars, md: Mode) -> None:
        for f in self.total:
            self.spent[f] += self.cost[md.x.index][f]
            self.rest[f] -= self.least[v.wp.id][f]


def _spend(b: Builder, md: Mode, funder: str) -> float:
    """What a mode costs a funder in the funder's currency: its explicit funding (as benchmark imports state
    it) or, where the funder pays the mode's cost, that cost; converted at the dearest year's rate, so
    that a total the greedy keeps holds whenever the work runs."""
    amount = b.paid_by(md, funder)
    if not amount:
        return 0.0
    source, target = b.source_currency(md, funder), b.money.funder_currency.get(funder)
    return max(b.money.convert(amount, source, target, year) for year in b.cal.years)


def _demand(md: Mode) -> dict[str, int]:
    out = {"facility:" + k: scaling.use(u, scaling.RESOURCE) for k, u in md.option.facilities.items() if u > 0}
    if md.institution and md.option.effort_pm > 0 and md.duration > 0:
        out[md.institution] = scaling.use(md.option.load_pm(md.duration), scaling.RESOURCE)
    return out


def _earliest(v: WpVars, placed: Placed) -> int:
    start = v.earliest
    for dep in v.wp.dependencies:
        pmd, ps = placed[dep.id]
        anchor = ps if dep.type == DependencyType.start_to_start else ps + pmd.duration
        start = max(start, anchor + dep.lag)
    return start


def _fits(demand: dict[str, int], load: dict[str, list[int]], caps: dict[str, list[int]], start: int, d: int) -> bool:
    return all(load[k][p] + amount <= caps[k][p] for k, amount in demand.items() for p in range(start, start + d))


def add_hint(b: Builder) -> bool:
    """Hint CP-SAT with the heuristic's plan; False (and no hint) if the heuristic found none."""
    plan = first_plan(b)
    if plan is None:
        return False
    for w, v in b.wps.items():
        chosen = plan.get(w)
        b.model.add_hint(v.present, chosen is not None)
        if chosen:
            md, start = chosen
            b.model.add_hint(v.start, start)
            b.model.add_hint(v.end, start + md.duration)
        for m in v.modes:
            b.model.add_hint(m.x, chosen is not None and m is chosen[0])
    return True
