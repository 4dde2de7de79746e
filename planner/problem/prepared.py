"""The prepared problem: what every stage needs, derived once from a validated scenario.

The scenario is what the user wrote; the prepared problem is what the builder, the hint, plan
assembly, the checker, the explanations, the tables and the charts work on: the calendar, money,
the execution options, id maps, each work package's window, whom each funder may pay, pins and
forbids. None of them rebuilds any of it. It is immutable, so threads and sessions can share it.

`prepare(scenario)` builds it once per scenario object and hands back the same one afterwards
(PyJobShop's `ProblemData` builds its indexes once in the same way).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from planner.domain.scenario import (
    Country,
    DependencyType,
    Facility,
    Funder,
    Institution,
    OverlapGroup,
    Pin,
    Program,
    Scenario,
    WorkPackage,
)
from planner.problem.calendar import Calendar, calendar_of, own_window
from planner.problem.money import Money
from planner.problem.options import Catalogue, Option

if TYPE_CHECKING:
    from collections.abc import Mapping

_T = TypeVar("_T", WorkPackage, Institution, Country, Facility, Funder, Program, OverlapGroup)


@dataclass(frozen=True)
class Window:
    """When a work package may run, in periods: [earliest_start, latest_end), end exclusive.

    `earliest_start` and `latest_end` are the work package's own limits (its earliest start, its
    deadline and the horizon). `chain_start` and `chain_end` also follow its precedence chains: a
    work package that is done starts no earlier than its predecessors (which must be done too)
    can finish with their shortest options; a mandatory one ends early enough for its mandatory
    successors to fit before their own latest end. Both pairs are exact consequences of the hard
    rules, so the model may use them as variable bounds without excluding any plan.
    """

    earliest_start: int
    latest_end: int
    chain_start: int
    chain_end: int

    @property
    def room(self) -> int:
        """Periods between the chain-tightened earliest start and latest end (negative: no room)."""
        return self.chain_end - self.chain_start


class PreparedProblem:
    """A validated scenario with everything derived from it, computed once. Read-only after construction."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.calendar: Calendar = calendar_of(scenario.time)
        self.money = Money(scenario)
        self.work_packages: Mapping[str, WorkPackage] = _by_id(scenario.work_packages)
        self.institutions: Mapping[str, Institution] = _by_id(scenario.institutions)
        self.countries: Mapping[str, Country] = _by_id(scenario.countries)
        self.facilities: Mapping[str, Facility] = _by_id(scenario.facilities)
        self.funders: Mapping[str, Funder] = _by_id(scenario.funders)
        self.programs: Mapping[str, Program] = _by_id(scenario.programs)
        self.groups: Mapping[str, OverlapGroup] = _by_id(scenario.overlap_groups)
        self.order: Mapping[str, int] = MappingProxyType({w.id: i for i, w in enumerate(scenario.work_packages)})
        self.catalogue = Catalogue(scenario, self.money, self.institutions)
        self.payees: Mapping[str, frozenset[str]] = MappingProxyType(
            {f.id: frozenset(i.id for i in scenario.institutions if _pays(f, i)) for f in scenario.funders}
        )
        self.pins: Mapping[str, Pin] = MappingProxyType({p.work_package: p for p in scenario.pins})
        forbidden: dict[str, set[str]] = {}
        for fb in scenario.forbids:
            forbidden.setdefault(fb.work_package, set()).add(fb.institution)
        self.forbidden: Mapping[str, frozenset[str]] = MappingProxyType({w: frozenset(s) for w, s in forbidden.items()})

    # ------------------------------------------------------------------ lookups

    def options(self, wp: str) -> list[Option]:
        """Execution options of a work package."""
        return self.catalogue.by_wp[wp]

    def option(self, wp: str, option_id: str) -> Option | None:
        """An option by work package and id, or None."""
        return self.catalogue.option(wp, option_id)

    def country_of(self, institution: str | None) -> str | None:
        """Country of an institution (None for work with no institution or an unknown id)."""
        inst = self.institutions.get(institution) if institution else None
        return inst.country if inst else None

    def members(self, dep_id: str) -> list[str]:
        """The work packages a dependency names: the members of an overlap group, or the work package itself."""
        group = self.groups.get(dep_id)
        return list(group.members) if group else [dep_id]

    def funders_for(self, institution: str | None, program: str) -> list[str]:
        """Funders of a program that may pay an institution (of a country it pays, and listed if it lists any)."""
        if institution is None:
            return []
        prog = self.programs.get(program)
        return [f for f in (prog.funders if prog else []) if institution in self.payees.get(f, frozenset())]

    def payee_countries(self, funder: str) -> list[str]:
        """Countries a funder pays: `pays`, else its own country."""
        return _countries(self.funders[funder])

    def capacity(self, institution: str) -> list[float]:
        """Person-months an institution can give in each period of the horizon."""
        return self._capacities[institution]

    @cached_property
    def _capacities(self) -> dict[str, list[float]]:
        cal = self.calendar
        by_year = {y: cal.year_span(y) for y in cal.years}
        out: dict[str, list[float]] = {}
        for inst in self.scenario.institutions:
            row = [0.0] * cal.horizon
            for year, (first, stop) in by_year.items():
                row[first:stop] = [inst.capacity_in(year)] * (stop - first)
            out[inst.id] = row
        return out

    # ------------------------------------------------------------------ windows

    @cached_property
    def windows(self) -> Mapping[str, Window]:
        """Each work package's window: its own limits and the ones its precedence chains add."""
        return MappingProxyType(_windows(self))

    def min_duration(self, wp: str) -> int:
        """The shortest run of a work package over its options (0 if it has none)."""
        return min((o.min_duration for o in self.options(wp)), default=0)

    @cached_property
    def forced(self) -> frozenset[str]:
        """Work packages every plan contains: mandatory ones, pinned ones and the work packages they depend on."""
        todo = [w.id for w in self.scenario.work_packages if w.mandatory] + list(self.pins)
        out: set[str] = set()
        while todo:
            w = todo.pop()
            if w in out or w not in self.work_packages:
                continue
            out.add(w)
            todo += [d.id for d in self.work_packages[w].dependencies if d.id in self.work_packages]
        return frozenset(out)


def _by_id(items: list[_T]) -> Mapping[str, _T]:
    return MappingProxyType({x.id: x for x in items})


def _countries(f: Funder) -> list[str]:
    """Countries a funder pays: `pays`, else its own country."""
    return list(f.pays) if f.pays is not None else ([f.country] if f.country else [])


def _pays(f: Funder, inst: Institution) -> bool:
    """Whether a funder may pay an institution: of a country it pays, and listed if it lists institutions."""
    return inst.country in _countries(f) and (f.institutions is None or inst.id in f.institutions)


def _windows(p: PreparedProblem) -> dict[str, Window]:
    """Own windows, then a forward pass (earliest starts) and a backward pass (latest ends) over the precedences.

    Forward: a work package that is done needs each work-package predecessor done, and at least
    one member of each group predecessor, so it starts no earlier than the least such predecessor
    start (SS) or finish (FS) plus the lag. Backward: only from mandatory successors, which are
    always done; a predecessor named directly must then finish (FS) or start (SS) in time for
    them. Both passes run in topological order (validation has rejected cycles).
    """
    own = {w.id: own_window(p.calendar, w) for w in p.scenario.work_packages}
    topo = _topological(p)
    dur = {w: p.min_duration(w) for w in own}
    start = {w: own[w][0] for w in own}
    for w in topo:
        for dep in p.work_packages[w].dependencies:
            members = [m for m in p.members(dep.id) if m in own]
            if not members:
                continue
            if dep.type == DependencyType.start_to_start:
                anchor = min(start[m] for m in members)
            else:
                anchor = min(start[m] + dur[m] for m in members)
            start[w] = max(start[w], anchor + dep.lag)
    end = {w: own[w][1] for w in own}
    for w in reversed(topo):
        wp = p.work_packages[w]
        if not wp.mandatory:
            continue
        latest_start = end[w] - dur[w]
        for dep in wp.dependencies:
            if dep.id in p.groups or dep.id not in own:
                continue  # a group predecessor may be any member: no single one is bound
            if dep.type == DependencyType.start_to_start:
                end[dep.id] = min(end[dep.id], latest_start - dep.lag + dur[dep.id])
            else:
                end[dep.id] = min(end[dep.id], latest_start - dep.lag)
    return {w: Window(own[w][0], own[w][1], start[w], end[w]) for w in own}


def _topological(p: PreparedProblem) -> list[str]:
    """Work packages with every predecessor (or group member) before its successors; scenario order otherwise."""
    preds = {
        w: {m for d in wp.dependencies for m in p.members(d.id) if m in p.work_packages and m != w}
        for w, wp in p.work_packages.items()
    }
    out: list[str] = []
    state: dict[str, int] = {}
    for root in p.work_packages:
        stack = [(root, iter(sorted(preds[root], key=p.order.__getitem__)))]
        if state.get(root):
            continue
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                state[node] = 2
                out.append(node)
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, iter(sorted(preds[nxt], key=p.order.__getitem__))))
    return out


_LOCK = threading.Lock()
_ATTR = "_planner_prepared"


def prepare(scenario: Scenario | PreparedProblem) -> PreparedProblem:
    """The prepared problem of a validated scenario, built on first use and reused for the same scenario object.

    It is kept beside the scenario (outside its fields: equality, dumps and digests ignore it). A
    copy made with `model_copy(update=…)` carries the attribute along but is another object, so it
    gets its own prepared problem.
    """
    if isinstance(scenario, PreparedProblem):
        return scenario
    cached = scenario.__dict__.get(_ATTR)
    if isinstance(cached, PreparedProblem) and cached.scenario is scenario:
        return cached
    prepared = PreparedProblem(scenario)
    with _LOCK:
        object.__setattr__(scenario, _ATTR, prepared)
    return prepared
