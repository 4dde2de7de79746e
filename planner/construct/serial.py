"""A constructive plan: serial schedule generation over the prepared problem, in plain Python.

It decides what is done and, work package by work package in precedence order, the execution
option, duration, payer and earliest start that fit every hard rule it tracks: windows and
deadlines, deliverable due dates, precedences (also on overlap groups), institution and facility
capacity per period, pins and forbids, funder totals and yearly caps. Country and institution
shares are global ratios a greedy cannot promise; it steers towards them (among the candidates
that end equally early, the one that leaves the shares least out of bounds is taken) and the
caller checks the result. Optional work with a value is added afterwards while it fits.

It is linear in the number of work packages × options × the periods searched, so a plan of
thousands of work packages comes in well under a second per thousand: the first valid plan of a
large program, the start of the improvement, and a hint for CP-SAT.
"""

from __future__ import annotations

import heapq
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.domain.scenario import DependencyType, WorkPackage
from planner.problem import scaling
from planner.problem.assemble import Decision
from planner.problem.pricing import Priced, payers_of, price

if TYPE_CHECKING:
    from planner.problem.options import Option
    from planner.problem.prepared import PreparedProblem

EPS = 1e-9


@dataclass
class Candidate:
    """One way to place a work package: option, duration, payer and start; priced on first need."""

    p: PreparedProblem
    option: Option
    duration: int
    funder: str | None
    start: int
    _priced: Priced | None = None

    @property
    def end(self) -> int:
        return self.start + self.duration

    @property
    def payers(self) -> list[str] | None:
        """The funders that pay it (None: the option's fixed draws)."""
        return payers_of(self.option, self.funder)

    @property
    def priced(self) -> Priced:
        if self._priced is None:
            self._priced = price(self.p, self.option, self.start, self.end, self.payers)
        return self._priced

    @property
    def cost_reporting(self) -> float:
        """Cost at planning rates (no yearly split needed)."""
        return self.p.money.to_reporting(self.option.cost, self.option.currency)

    @property
    def paying(self) -> list[str]:
        """Funders whose money it uses."""
        if self.option.funding is not None:
            return [f for f, x in self.option.funding.items() if x > 0]
        return [self.funder] if self.funder else []


class Ledger:
    """What the plan built so far uses: person-months and facility units per period, money per funder and year,
    and the cost shares that ratio rules look at.

    Person-months and facility units are counted as the CP-SAT model counts them (`scaling`: each run's use
    rounded up to hundredths, capacities down), so a constructive plan is a valid hint for the model, whole or
    in a neighbourhood, and also passes the checker's exact arithmetic."""

    def __init__(self, p: PreparedProblem) -> None:
        self.p = p
        horizon = p.calendar.horizon
        unit = scaling.RESOURCE
        self.load = {i: [0] * horizon for i in p.institutions}
        self.capacity = {i: [scaling.available(c, unit) for c in p.capacity(i)] for i in p.institutions}
        self.facility_use = {f: [0] * horizon for f in p.facilities}
        self.facility_capacity = {f: scaling.available(x.capacity, unit) for f, x in p.facilities.items()}
        self.paid_year: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        self.paid_total: dict[str, float] = defaultdict(float)
        self.program_cost: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.program_inst: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.funder_country: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.capped = {f.id: f.total is not None or bool(f.cap_per_year) for f in p.scenario.funders}

    # ------------------------------------------------------------------ fits

    def fits_resources(self, option: Option, start: int, duration: int) -> int | None:
        """None if the run fits capacity and facilities; else the first period after the one that overflows."""
        if duration <= 0:
            return None
        load = scaling.use(option.load_pm(duration), scaling.RESOURCE)
        inst = option.institution
        if inst is not None and load > 0:
            used, cap = self.load[inst], self.capacity[inst]
            for t in range(start + duration - 1, start - 1, -1):
                if used[t] + load > cap[t]:
                    return t + 1
        for fac, units in option.facilities.items():
            need = scaling.use(units, scaling.RESOURCE)
            if need <= 0:
                continue
            used_f, cap_f = self.facility_use[fac], self.facility_capacity[fac]
            for t in range(start + duration - 1, start - 1, -1):
                if used_f[t] + need > cap_f:
                    return t + 1
        return None

    def fits_money(self, c: Candidate) -> bool:
        """Whether the funders' yearly caps and totals still hold with this run's payments (priced only if capped)."""
        if not any(self.capped[f] for f in c.paying):
            return True
        for f, years in c.priced.funding_years.items():
            funder = self.p.funders[f]
            for y, x in years.items():
                cap = funder.cap_per_year.get(y)
                if cap is not None and self.paid_year[f][y] + x > cap * (1 + 1e-7):
                    return False
            if funder.total is not None and self.paid_total[f] + sum(years.values()) > funder.total * (1 + 1e-7):
                return False
        return True

    def by_year(self, c: Candidate) -> bool:
        """Whether what the run may spend depends on when it runs: yearly caps, or rates that change by year."""
        money = self.p.money
        for f in c.paying:
            funder = self.p.funders[f]
            if funder.cap_per_year or money.varies(c.option.currency, money.funder_currency[f]):
                return True
        return False

    def share_excess(self, wp: WorkPackage, c: Candidate) -> float:
        """How far the ratio rules would be out of bounds after this run (0 when all hold), as a sum of fractions."""
        p, excess = self.p, 0.0
        institution = c.option.institution
        country = p.country_of(institution) or ""
        prog = p.programs[wp.program]
        cost = c.cost_reporting
        if prog.country_shares and cost > 0:
            totals = dict(self.program_cost[prog.id])
            totals[country] = totals.get(country, 0.0) + cost
            excess += _out_of_bounds(totals, prog.country_shares, prog.share_tolerance)
        if prog.max_institution_share is not None and institution and cost > 0:
            totals = dict(self.program_inst[prog.id])
            totals[institution] = totals.get(institution, 0.0) + cost
            whole = sum(totals.values())
            excess += max(0.0, totals[institution] / whole - prog.max_institution_share) if whole else 0.0
        if any(p.funders[f].shares for f in c.paying):
            for f, years in c.priced.funding_years.items():
                shares = p.funders[f].shares
                if shares:
                    totals = dict(self.funder_country[f])
                    totals[country] = totals.get(country, 0.0) + sum(years.values())
                    excess += _out_of_bounds(totals, shares, p.funders[f].tolerance)
        return excess

    # ------------------------------------------------------------------ commit

    def commit(self, wp: WorkPackage, c: Candidate) -> None:
        """Book a placed run."""
        inst, load = c.option.institution, scaling.use(c.option.load_pm(c.duration), scaling.RESOURCE)
        facilities = {fac: scaling.use(units, scaling.RESOURCE) for fac, units in c.option.facilities.items()}
        for t in range(c.start, c.end):
            if inst is not None:
                self.load[inst][t] += load
            for fac, need in facilities.items():
                self.facility_use[fac][t] += need
        country = self.p.country_of(inst) or ""
        for f, years in c.priced.funding_years.items():
            for y, x in years.items():
                self.paid_year[f][y] += x
            self.paid_total[f] += sum(years.values())
            self.funder_country[f][country] += sum(years.values())
        self.program_cost[wp.program][country] += c.cost_reporting
        if inst is not None:
            self.program_inst[wp.program][inst] += c.cost_reporting


def _out_of_bounds(totals: dict[str, float], shares: dict[str, float], tolerance: float) -> float:
    whole = sum(totals.values())
    if whole <= 0:
        return 0.0
    out = 0.0
    for country, share in shares.items():
        part = totals.get(country, 0.0) / whole
        out += max(0.0, share - tolerance - part, part - share - tolerance)
    return out


class Builder:
    """Serial schedule generation: place work packages one by one at their best fitting candidate."""

    def __init__(self, p: PreparedProblem, boost: dict[str, int] | None = None) -> None:
        self.p = p
        self.ledger = Ledger(p)
        self.placed: dict[str, Candidate] = {}
        self.boost = boost or {}

    # ------------------------------------------------------------------ selection

    def required(self) -> list[str] | None:
        """Work that every plan holds, with a member chosen for required groups and group predecessors; None if
        two of them exclude each other (an overlap group that allows one)."""
        p = self.p
        chosen: set[str] = set()
        must = p.forced
        todo = sorted(must, key=p.order.__getitem__, reverse=True)  # scenario order: the same plan every run
        for g in p.scenario.overlap_groups:
            if g.required and not any(m in must for m in g.members):
                todo.append(self._best_member(g.members))
        while todo:
            w = todo.pop()
            if w in chosen:
                continue
            chosen.add(w)
            for dep in p.work_packages[w].dependencies:
                if dep.id in p.groups:
                    members = p.groups[dep.id].members
                    if not any(m in chosen or m in must for m in members):
                        todo.append(self._best_member(members))
                else:
                    todo.append(dep.id)
        for g in p.scenario.overlap_groups:
            if sum(m in chosen for m in g.members) > 1:
                return None
        return sorted(chosen, key=p.order.__getitem__)

    def _best_member(self, members: list[str]) -> str:
        """The member of a group to do: the one with options, the most value, the least effort."""
        p = self.p

        def key(m: str) -> tuple[bool, float, float]:
            options = p.options(m)
            return (not options, -p.work_packages[m].value, min((o.cost for o in options), default=0.0))

        return min(members, key=key)

    # ------------------------------------------------------------------ placing

    def order(self, wps: list[str]) -> list[str]:
        """Precedence order; among work packages free to go, the most boosted (by earlier failed passes), then
        the one whose latest start comes first."""
        p = self.p
        chosen = set(wps)
        preds = {w: {m for d in p.work_packages[w].dependencies for m in p.members(d.id) if m in chosen} for w in wps}
        succs: dict[str, list[str]] = defaultdict(list)
        for w, ps in preds.items():
            for q in ps:
                succs[q].append(w)
        horizon = p.calendar.horizon
        due = self._due_starts(wps, succs)
        urgency = {
            w: (
                -self.boost.get(w, 0),
                p.windows[w].chain_end >= horizon,  # work that leads to a hard date goes before work that does not
                p.windows[w].chain_end - p.min_duration(w),
                due[w],  # then the work whose chain to a due date must start first (least lateness)
                p.order[w],
            )
            for w in wps
        }

        waiting = {w: len(ps) for w, ps in preds.items()}
        ready = [(urgency[w], w) for w in wps if not waiting[w]]
        heapq.heapify(ready)
        out = []
        while ready:
            _, w = heapq.heappop(ready)
            out.append(w)
            for s in succs[w]:
                waiting[s] -= 1
                if not waiting[s]:
                    heapq.heappush(ready, (urgency[s], s))
        return out

    def _due_starts(self, wps: list[str], succs: dict[str, list[str]]) -> dict[str, int]:
        """The latest start of each work package that lets it and its chain of successors meet their due dates
        (work package and program), with the shortest runs: the soft counterpart of the window's chain end."""
        p, cal = self.p, self.p.calendar
        horizon = cal.horizon
        program_due = {prog.id: cal.period_of(prog.due) + 1 for prog in p.scenario.programs if prog.due}
        lag = {(q, w): d.lag for w in wps for d in p.work_packages[w].dependencies for q in p.members(d.id)}
        start: dict[str, int] = {}

        def latest_start(w: str) -> int:
            wp = p.work_packages[w]
            end = min(horizon, program_due.get(wp.program, horizon))
            if wp.due:
                end = min(end, cal.period_of(wp.due) + 1)
            for s in succs[w]:
                end = min(end, start[s] - lag.get((w, s), 0))
            return end - p.min_duration(w)

        for w in reversed(_topological(wps, succs)):
            start[w] = latest_start(w)
        return start

    def place(self, w: str) -> Candidate | None:
        """The best candidate for a work package given what is placed: earliest end, then ratio rules, then cost."""
        p = self.p
        wp = p.work_packages[w]
        window = p.windows[w]
        earliest = self._earliest(wp, window.chain_start)
        if earliest is None:
            return None
        latest_end = window.latest_end
        pin = p.pins.get(w)
        if pin and pin.start:
            earliest = max(earliest, p.calendar.period_of(pin.start))
        due = self._deliverable_limits(wp)
        forbidden = p.forbidden.get(w, frozenset())
        min_offset = max((dl.offset or 0 for dl in wp.deliverables), default=0)
        best: tuple[tuple[float, ...], Candidate] | None = None
        for option in p.options(w):
            if option.institution in forbidden:
                continue
            if pin and (
                (pin.institution and option.institution != pin.institution) or (pin.option and option.id != pin.option)
            ):
                continue
            payers = self._payers(wp, option)
            if payers is None:
                continue
            for duration in option.durations:
                if duration < min_offset or earliest + duration > latest_end:
                    continue
                for funder in payers:
                    # a candidate that cannot end by the best one's end cannot win: search no further than that
                    limit = latest_end if best is None else min(latest_end, best[1].end)
                    c = self._first_fit(
                        wp, option, duration, funder, earliest, limit, due, pin is not None and bool(pin.start)
                    )
                    if c is None:
                        continue
                    key = (
                        float(c.end),
                        self.ledger.share_excess(wp, c),
                        c.cost_reporting,
                        float(duration),
                    )
                    if best is None or key < best[0]:
                        best = (key, c)
        return best[1] if best else None

    def _payers(self, wp: WorkPackage, option: Option) -> list[str | None] | None:
        """Who may pay a run of this option: None (nobody needed), the eligible funders, or None if nobody may."""
        if option.funding is not None or not self.p.programs[wp.program].funders:
            return [None]
        payers: list[str | None] = list(self.p.funders_for(option.institution, wp.program))
        return payers or None

    def _earliest(self, wp: WorkPackage, start: int) -> int | None:
        """The earliest start its placed predecessors allow; None if a predecessor is not done."""
        for dep in wp.dependencies:
            members = [m for m in self.p.members(dep.id) if m in self.placed]
            if not members:
                return None
            for m in members:
                c = self.placed[m]
                anchor = c.start if dep.type == DependencyType.start_to_start else c.end
                start = max(start, anchor + dep.lag)
        return start

    def _deliverable_limits(self, wp: WorkPackage) -> list[tuple[int | None, int]]:
        """(offset or None for the end, latest period it may fall at) of each deliverable with a due date."""
        cal = self.p.calendar
        return [(dl.offset, cal.period_of(dl.due) + 1) for dl in wp.deliverables if dl.due is not None]

    def _first_fit(
        self,
        wp: WorkPackage,
        option: Option,
        duration: int,
        funder: str | None,
        earliest: int,
        latest_end: int,
        due: list[tuple[int | None, int]],
        fixed_start: bool,
    ) -> Candidate | None:
        """The earliest start from `earliest` at which the run fits resources, money and due dates."""
        start = earliest
        while start + duration <= latest_end:
            if any((start + off if off is not None else start + duration) > limit for off, limit in due):
                return None  # later starts only make it worse
            blocked = self.ledger.fits_resources(option, start, duration)
            if blocked is None:
                c = Candidate(self.p, option, duration, funder, start)
                if self.ledger.fits_money(c):
                    return c
                if not self.ledger.by_year(c):
                    return None  # totals do not change with the start: no later start fits either
                blocked = start + 1  # yearly money may fit in a later year
            if fixed_start:
                return None
            start = max(start + 1, blocked)
        return None

    def waits(self, w: str) -> bool:
        """Whether a work package waits for a predecessor that is not placed (no member of a group it follows)."""
        return any(
            not any(m in self.placed for m in self.p.members(d.id)) for d in self.p.work_packages[w].dependencies
        )

    def commit(self, w: str, c: Candidate) -> None:
        self.ledger.commit(self.p.work_packages[w], c)
        self.placed[w] = c

    def decisions(self) -> list[Decision]:
        return [
            Decision(w, c.option.id, c.start, c.duration, c.funder)
            for w, c in sorted(self.placed.items(), key=lambda x: self.p.order[x[0]])
        ]


PASSES = 12
"""Passes of the serial schedule: after a pass fails, the work package that could not be placed and its
predecessors go first among those free to go in the next (priority bumping)."""

MAX_PASSES = 200
"""Passes tried at most while time allows (`until`): on programs of thousands of work packages with tight hard
deadlines each bump can uncover the next conflict, and a plan came after 16 passes where 12 were not enough
(5,000 work packages, benchmarks/results/scale.md)."""


def construct(
    p: PreparedProblem, optional: bool = True, passes: int = PASSES, until: float | None = None
) -> list[Decision] | None:
    """A plan by serial schedule generation, or None if the greedy could not place the work every plan holds.

    At least `passes` passes are tried, then more (up to MAX_PASSES) until `until` (a `time.perf_counter()`
    reading) if one is given. The result keeps every rule the greedy tracks; ratio rules (shares) are steered,
    not promised: check it (`planner.check.check_plan`) before calling it a plan.
    """
    boost: dict[str, int] = {}
    for k in range(MAX_PASSES):
        if k >= passes and (until is None or time.perf_counter() >= until):
            break
        b = Builder(p, boost)
        required = b.required()
        if required is None:
            return None
        failed = _place_all(b, required)
        if not failed:
            if optional:
                _add_optional(b)
            return b.decisions()
        for w in set().union(*(_with_predecessors(p, f) for f in failed)):
            boost[w] = boost.get(w, 0) + 1
    return None


def _place_all(b: Builder, wps: list[str]) -> list[str]:
    """Place every work package in order; those that could not be placed although their predecessors were.

    A pass goes on after a failure (its successors wait in vain and are not counted), so that the next pass
    bumps every conflict this one met, not only the first: at 5,000 work packages with tight deadlines a plan
    then comes in a few passes rather than one conflict per pass."""
    failed: list[str] = []
    for w in b.order(wps):
        c = b.place(w)
        if c is None:
            if b.waits(w):
                continue  # a predecessor failed: not a conflict of its own
            failed.append(w)
            continue
        b.commit(w, c)
    return failed


def _topological(wps: list[str], succs: dict[str, list[str]]) -> list[str]:
    """Work packages with every one before its successors (Kahn's order; the scenario's order among equals)."""
    waiting = {w: 0 for w in wps}
    for w in wps:
        for s in succs[w]:
            waiting[s] += 1
    ready = [w for w in reversed(wps) if not waiting[w]]
    out = []
    while ready:
        w = ready.pop()
        out.append(w)
        for s in succs[w]:
            waiting[s] -= 1
            if not waiting[s]:
                ready.append(s)
    return out


def _with_predecessors(p: PreparedProblem, w: str) -> set[str]:
    out, todo = set(), [w]
    while todo:
        x = todo.pop()
        if x in out:
            continue
        out.add(x)
        todo += [m for d in p.work_packages[x].dependencies for m in p.members(d.id) if m in p.work_packages]
    return out


def _add_optional(b: Builder) -> None:
    """Optional work with a value, most valuable per unit of cost first, where it fits and its group allows."""
    p = b.p
    taken_groups = {g.id for g in p.scenario.overlap_groups if any(m in b.placed for m in g.members)}
    groups_of: dict[str, list[str]] = defaultdict(list)
    for g in p.scenario.overlap_groups:
        for m in g.members:
            groups_of[m].append(g.id)

    def density(w: str) -> float:
        least = min((o.cost for o in p.options(w)), default=0.0)
        return p.work_packages[w].value / (1.0 + least)

    candidates = [w for w, wp in p.work_packages.items() if w not in b.placed and wp.value > 0 and p.options(w)]
    pending = b.order(candidates) if candidates else []
    rank = {w: i for i, w in enumerate(pending)}
    pending.sort(key=lambda w: (-density(w), rank[w]))
    progress = True
    while progress and pending:  # a work package may wait for an optional predecessor placed later
        progress = False
        for w in list(pending):
            if any(g in taken_groups for g in groups_of[w]):
                pending.remove(w)
                continue
            wp = p.work_packages[w]
            if any(not any(m in b.placed for m in p.members(d.id)) for d in wp.dependencies):
                continue
            c = b.place(w)
            pending.remove(w)
            if c is not None and b.ledger.share_excess(wp, c) <= EPS:
                b.commit(w, c)
                taken_groups.update(groups_of[w])
                progress = True
