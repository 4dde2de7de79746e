"""The timing of a plan: earliest and latest starts, float and the critical paths, by plain arithmetic (no solver).

Each planned work package keeps the duration the plan gives it; only its start may move. The edges are the plan's
precedences: a work package after another (finish-to-start or start-to-start, with its lag), or after an overlap
group, which is an edge from the member the plan does. The limits on a work package's end are the ones the plan
should not move:

- the plan's completion (its last end, `Timing.horizon_end`): the project's end, when no other limit binds;
- its hard deadline, and the due months of its deliverables (at its end, or `offset` periods after its start);
- its soft due month, and its program's (the program's end): the later of that month and where the plan ends it
  now, so that slipping adds no lateness the plan does not already have;
- a pinned start month: pinned work does not move at all.

`earliest_start` is the forward pass: the earliest start its own earliest start, its pin and its predecessors'
earliest starts allow. `latest_start` is the backward pass: the latest start that lets it and everything after it
(slipping as far as needed) keep their limits. Float is measured from the plan, not from the earliest start:

- total float = `latest_start − start`: how many periods it can slip, its successors moving along as needed,
  without moving a deadline, a due month, the program's end, a pinned start or the plan's completion;
- free float: how many periods it can slip with every other work package where the plan puts it (within its own
  limits too), so 0 ≤ free float ≤ total float in a valid plan.

A negative float means the plan already breaks a limit (the checker names the rule). A work package with no total
float is critical; an edge is critical when both ends are and it sets its predecessor's latest start. The critical
paths are the maximal chains of critical edges, each from a critical work package nothing critical leads to, to one
whose own limit binds (the completion, a deadline, a due month, a pin).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.domain.scenario import DependencyType
from planner.problem.calendar import own_window
from planner.problem.prepared import PreparedProblem, prepare

if TYPE_CHECKING:
    from planner.domain.plan import Assignment, Plan
    from planner.domain.scenario import Scenario

MAX_PATHS = 100
"""Most critical paths listed (a plan with many equal chains would list their product); the edges are all given."""


@dataclass(frozen=True)
class WpTiming:
    """One planned work package's place in time: where the plan puts it, how early and late it could start, float.

    `drivers` are the predecessors whose end (or start, for start-to-start) sets `earliest_start`; `limits` are
    its own limits that set `latest_start` ("completion", "deadline", "due", "program_due", "deliverable:<id>",
    "pin"), empty when only a successor does.
    """

    wp: str
    start: int
    end: int
    earliest_start: int
    latest_start: int
    total_float: int
    free_float: int
    critical: bool
    drivers: tuple[str, ...]
    limits: tuple[str, ...] = ()


@dataclass(frozen=True)
class Timing:
    """The timing of every planned work package, the precedence edges between them and the critical paths.

    `edges` are (predecessor, successor) pairs in the scenario's order of successors; `critical_edges` those on a
    critical path; `horizon_end` is the plan's completion (the exclusive end period of its last work package), the
    end the backward pass starts from.
    """

    wps: dict[str, WpTiming]
    edges: tuple[tuple[str, str], ...]
    critical_paths: tuple[tuple[str, ...], ...]
    horizon_end: int
    critical_edges: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class _Edge:
    """One precedence of the plan: `succ` starts `lag` periods after `pred` finishes (FS) or starts (SS)."""

    pred: str
    succ: str
    lag: int
    finish: bool

    def earliest(self, start: int, duration: int) -> int:
        """Earliest start of the successor when the predecessor starts at `start`."""
        return (start + duration if self.finish else start) + self.lag

    def latest(self, succ_start: int, duration: int) -> int:
        """Latest start of the predecessor when the successor starts at `succ_start`."""
        return succ_start - self.lag - (duration if self.finish else 0)


def plan_timing(scenario: Scenario | PreparedProblem, plan: Plan) -> Timing:
    """Earliest and latest starts, total and free float of each planned work package, and the critical paths."""
    p = prepare(scenario)
    placed = _placed(p, plan)
    if not placed:
        return Timing(wps={}, edges=(), critical_paths=(), horizon_end=0)
    edges = _edges(p, placed)
    order = _topological(list(placed), edges)
    dur = {w: a.end - a.start for w, a in placed.items()}
    completion = max(a.end for a in placed.values())
    into: dict[str, list[_Edge]] = {w: [] for w in placed}
    out: dict[str, list[_Edge]] = {w: [] for w in placed}
    for e in edges:
        into[e.succ].append(e)
        out[e.pred].append(e)

    earliest: dict[str, int] = {}
    drivers: dict[str, tuple[str, ...]] = {}
    for w in order:
        own = _own_earliest(p, w)
        reach = {e.pred: e.earliest(earliest[e.pred], dur[e.pred]) for e in into[w]}
        earliest[w] = max([own, *reach.values()])
        drivers[w] = tuple(dict.fromkeys(q for q, at in reach.items() if at == earliest[w]))

    program_end: dict[str, int] = {}
    for w, a in placed.items():
        program = p.work_packages[w].program
        program_end[program] = max(program_end.get(program, 0), a.end)
    limits = {w: _own_latest(p, placed[w], completion, program_end) for w in placed}
    latest: dict[str, int] = {}
    for w in reversed(order):
        latest[w] = min([*limits[w].values(), *(e.latest(latest[e.succ], dur[w]) for e in out[w])])

    timings: dict[str, WpTiming] = {}
    for w in order:
        a = placed[w]
        total = latest[w] - a.start
        free = min(
            [
                *(v - a.start for v in limits[w].values()),
                *(placed[e.succ].start - e.earliest(a.start, dur[w]) for e in out[w]),
            ]
        )
        timings[w] = WpTiming(
            wp=w,
            start=a.start,
            end=a.end,
            earliest_start=earliest[w],
            latest_start=latest[w],
            total_float=total,
            free_float=min(free, total),
            critical=total <= 0,
            drivers=drivers[w],
            limits=tuple(k for k, v in limits[w].items() if v == latest[w]),
        )
    timings = {w: timings[w] for w in placed}  # in the plan's order
    critical = [
        e
        for e in edges
        if timings[e.pred].critical
        and timings[e.succ].critical
        and e.latest(latest[e.succ], dur[e.pred]) == latest[e.pred]
    ]
    pairs = tuple(dict.fromkeys((e.pred, e.succ) for e in edges))
    critical_pairs = tuple(dict.fromkeys((e.pred, e.succ) for e in critical))
    return Timing(
        wps=timings,
        edges=pairs,
        critical_paths=_paths([w for w in order if timings[w].critical], critical_pairs, placed),
        horizon_end=completion,
        critical_edges=frozenset(critical_pairs),
    )


def _placed(p: PreparedProblem, plan: Plan) -> dict[str, Assignment]:
    """The plan's assignment of each known work package (the first, as the checker reads duplicates), by id."""
    first: dict[str, Assignment] = {}
    for a in plan.assignments:
        if a.work_package in p.work_packages:
            first.setdefault(a.work_package, a)
    return first


def _edges(p: PreparedProblem, placed: dict[str, Assignment]) -> list[_Edge]:
    """The plan's precedences: from each predecessor the plan does, or from the member it does of a group waited
    for (a predecessor left out is a broken rule, not an edge)."""
    out = []
    for w in placed:
        for dep in p.work_packages[w].dependencies:
            finish = dep.type == DependencyType.finish_to_start
            out += [_Edge(m, w, dep.lag, finish) for m in p.members(dep.id) if m in placed and m != w]
    return out


def _topological(nodes: list[str], edges: list[_Edge]) -> list[str]:
    """The work packages with every predecessor before its successors, in the plan's order otherwise (Kahn)."""
    waiting = {w: 0 for w in nodes}
    after: dict[str, list[str]] = {w: [] for w in nodes}
    for e in edges:
        waiting[e.succ] += 1
        after[e.pred].append(e.succ)
    rank = {w: k for k, w in enumerate(nodes)}
    ready = [w for w in nodes if waiting[w] == 0]
    out: list[str] = []
    while ready:
        ready.sort(key=rank.__getitem__, reverse=True)
        w = ready.pop()
        out.append(w)
        for s in after[w]:
            waiting[s] -= 1
            if waiting[s] == 0:
                ready.append(s)
    # a cycle is a validation error; its work packages keep the plan's order rather than vanish
    return out + [w for w in nodes if w not in set(out)]


def _own_earliest(p: PreparedProblem, w: str) -> int:
    """Earliest start of a work package by itself: its earliest start month, or its pinned start."""
    earliest = own_window(p.calendar, p.work_packages[w])[0]
    pin = p.pins.get(w)
    return max(earliest, p.calendar.period_of(pin.start)) if pin and pin.start else earliest


def _own_latest(p: PreparedProblem, a: Assignment, completion: int, program_end: dict[str, int]) -> dict[str, int]:
    """Latest start of a work package by each of its own limits (see the module's docstring), by limit name."""
    cal, wp = p.calendar, p.work_packages[a.work_package]
    duration = a.end - a.start

    def until(month: str) -> int:
        return cal.period_of(month) + 1

    out = {"completion": completion - duration}
    if wp.deadline:
        out["deadline"] = until(wp.deadline) - duration
    if wp.due:
        out["due"] = max(until(wp.due), a.end) - duration
    program = p.programs.get(wp.program)
    if program and program.due:
        out["program_due"] = max(until(program.due), program_end[wp.program]) - duration
    for dl in wp.deliverables:
        if dl.due:
            out[f"deliverable:{dl.id}"] = until(dl.due) - (duration if dl.offset is None else dl.offset)
    pin = p.pins.get(wp.id)
    if pin and pin.start:
        out["pin"] = cal.period_of(pin.start)
    return out


def _paths(
    critical: list[str], pairs: tuple[tuple[str, str], ...], placed: dict[str, Assignment]
) -> tuple[tuple[str, ...], ...]:
    """Maximal chains of critical edges (a lone critical work package is a chain of one), at most MAX_PATHS, from
    the earliest first."""
    after: dict[str, list[str]] = {w: [] for w in critical}
    led = set()
    for pred, succ in pairs:
        after[pred].append(succ)
        led.add(succ)
    out: list[tuple[str, ...]] = []
    stack: list[tuple[str, ...]] = [(w,) for w in reversed(critical) if w not in led]
    while stack and len(out) < MAX_PATHS:
        path = stack.pop()
        nxt = after[path[-1]]
        if not nxt:
            out.append(path)
        stack += [(*path, s) for s in reversed(nxt)]
    return tuple(sorted(out, key=lambda path: (placed[path[0]].start, path)))
