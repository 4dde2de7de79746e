"""Why no plan exists, as a minimal set of rules with their numbers and the least change to each.

A set of rules that cannot hold together is found by CP-SAT with one assumption literal per rule
(`Builder(explain=True)`) and made minimal: each of its rules is dropped in turn while every other
rule of the scenario is kept, and the rule's measure (an end, a year's spend, a capacity, …) is
minimised. A plan found that way proves the rule necessary and gives its numbers: what the other
rules need against what the rule allows, and the least change of that rule alone that admits a
plan. Where no plan is found even without the rule, dropping it from the set only (deletion
filtering) either shrinks the set or proves the rule necessary. Every change offered is applied to
a copy of the scenario and confirmed by a feasibility re-solve of the ordinary model.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

from planner.domain.rules import Rule
from planner.problem import scaling
from planner.problem.crosscheck import cross_check
from planner.problem.money import amount_text
from planner.problem.prepared import PreparedProblem, prepare

if TYPE_CHECKING:
    from planner.cpsat.model import Builder, Guarded
    from planner.domain.scenario import Scenario

Edit = Callable[["Scenario"], "Scenario"]

PROBE_S = 2.0
"""Deterministic seconds for one probe (a core, a relaxation, a confirmation): the same scenario gets the same
explanation on a busy machine."""


@dataclass(frozen=True)
class Finding:
    """One rule of the minimal set: what it says, what the other rules need of it, and its least change."""

    key: str
    rule: Rule
    text: str
    need: str = ""
    """What the other rules need against what this one allows ('' when the rule has no single measure)."""
    change: str = ""
    """The least change of this rule alone that admits a plan ('' when none was found)."""
    confirmed: bool | None = None
    """True when a re-solve of the scenario with the change found a plan, False when it proved none exists (the
    change was computed within the set only, as the whole scenario took too long); None: not tried or timed out."""
    necessary: bool = True
    """False when dropping it from the set could not be shown to leave a plan within the time limit."""
    alone: bool = True
    """False when even dropping the rule does not admit a plan: other rules conflict as well."""


@dataclass
class Diagnosis:
    """The minimal set of conflicting rules found, each with its numbers and its least change."""

    findings: list[Finding] = field(default_factory=list)
    joint: list[tuple[str, bool | None]] = field(default_factory=list)
    """Changes of several rules together, where no rule of the set can change alone (text, confirmed)."""
    note: str = ""

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.findings]

    def lines(self) -> list[str]:
        """The explanation as text: a header, the rules as '- ' lines, then the changes as '- ' lines."""
        if not self.findings:
            return [self.note] if self.note else []
        one = len(self.findings) == 1
        out = [ONE_HEADER if one else ALL_HEADER]
        out += [f"- {f.text}" + (f", but {f.need}" if f.need else "") for f in self.findings]
        changes = [(f.change, f.confirmed) for f in self.findings if f.change] + self.joint
        if any(ok for _, ok in changes):
            out.append(CHANGES_HEADER)
            out += [f"- {text}" for text, ok in changes if ok]
        if any(ok is None for _, ok in changes):
            out.append(UNCONFIRMED_HEADER)
            out += [f"- {text}" for text, ok in changes if ok is None]
        if any(ok is False for _, ok in changes):
            out.append(REFUTED_HEADER)
            out += [f"- {text}" for text, ok in changes if ok is False]
        stuck = [f for f in self.findings if not f.alone]
        if stuck:
            out.append(STUCK_HEADER)
            out += [f"- {f.text}" for f in stuck]
        if self.note:
            out.append(self.note)
        return out


CHANGES_HEADER = "each of these changes makes a plan possible (confirmed by a re-solve):"
UNCONFIRMED_HEADER = "changes not confirmed by a re-solve within the time limit:"
STUCK_HEADER = "no change of one of these rules alone makes a plan possible (other rules conflict as well):"
REFUTED_HEADER = "enough for this set, but a re-solve found the rest of the scenario needs more (none found in time):"
ONE_HEADER = "no plan satisfies this rule:"
ALL_HEADER = "no plan satisfies all of these rules together:"
HEADINGS = {
    ONE_HEADER: "explain.one",
    ALL_HEADER: "explain.all",
    CHANGES_HEADER: "explain.changes",
    UNCONFIRMED_HEADER: "explain.unconfirmed",
    REFUTED_HEADER: "explain.refuted",
    STUCK_HEADER: "explain.stuck",
}
"""The explanation's headings and their keys in planner/i18n (the app shows them in its language)."""


class _Probe:
    """Solves of one explain model under a shared deadline."""

    def __init__(self, b: Builder, deadline: float) -> None:
        self.b = b
        self.deadline = deadline
        self.lits = {idx: b.model.get_bool_var_from_proto_index(idx) for idx in b.rules}

    def _solver(self, det: float, wall: float | None = None) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1  # deterministic, and assumption cores need a single worker
        solver.parameters.max_deterministic_time = det
        left = self.deadline - time.perf_counter()
        solver.parameters.max_time_in_seconds = max(0.1, left if wall is None else min(wall, left))
        # without the LP the probes of the demo's variants are 2-4 times faster (benchmarks/results/explain.md)
        solver.parameters.linearization_level = 0
        return solver

    def core(self, keep: list[int], det: float = PROBE_S) -> list[int] | None:
        """A subset of `keep` that cannot hold on its own, or None if `keep` can (or may)."""
        m = self.b.model
        m.clear_assumptions()
        m.add_assumptions([self.lits[i] for i in keep])
        solver = self._solver(det)
        code = solver.solve(m)
        m.clear_assumptions()
        if code != cp_model.INFEASIBLE:
            return None
        return [i for i in solver.sufficient_assumptions_for_infeasibility() if i in self.lits] or keep

    def relax(
        self,
        drop: list[int],
        on: list[int],
        objective: cp_model.LinearExprT | None = None,
        wall: float | None = None,
    ) -> tuple[Any, cp_model.CpSolver | None]:
        """Solve with the rules `on` held and every other rule (those of `drop` among them) dropped, minimising
        `objective` (by default the measure of the one rule dropped, if it has one); the solver if a plan exists."""
        m, proto = self.b.model, self.b.model.proto
        held = set(on)

        def fix(i: int, lo: int, hi: int) -> None:  # a rule literal's domain is [lo, hi]
            proto.variables[i].domain[0], proto.variables[i].domain[1] = lo, hi

        for i in self.lits:
            fix(i, *((1, 1) if i in held else (0, 0)))
        if objective is None and len(drop) == 1:
            objective = self.b.measures.get(drop[0])
        if objective is not None:
            m.minimize(objective)
        try:
            solver = self._solver(PROBE_S, wall)
            code = solver.solve(m)
        finally:
            m.clear_objective()
            for i in self.lits:
                fix(i, 0, 1)
        return code, solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def diagnose(problem: Scenario | PreparedProblem, budget_s: float = 20.0) -> Diagnosis:
    """The minimal set of rules that cannot hold together, with their numbers and least changes."""
    from planner.cpsat.constraints import add_rules
    from planner.cpsat.model import Builder

    started = time.perf_counter()
    p = prepare(problem)
    b = Builder(p, explain=True)
    add_rules(b)
    b.model.clear_assumptions()
    probe = _Probe(b, started + budget_s - 1.0)  # a second for building the re-solves' models and the text
    everything = list(probe.lits)
    core = probe.core(everything, det=2 * PROBE_S)
    if core is None:
        return Diagnosis(note="no small set of conflicting rules could be isolated within the time limit")
    # 1. minimal: without each rule, the rest of the set holds (and that plan gives the rule's numbers in the set)
    within: dict[int, tuple[Any, cp_model.CpSolver | None]] = {}
    for i in list(core):
        rest = [j for j in core if j != i]
        code, solver = probe.relax([i], rest, wall=budget_s / 20)
        if code == cp_model.INFEASIBLE:
            core = rest
        else:
            within[i] = (code, solver)
    # 2. the least change of each rule alone, every other rule of the scenario kept (a share of the time left each)
    findings: dict[int, Finding] = {}
    for n, i in enumerate(sorted(core, key=lambda i: (i not in b.measures, b.rules[i].rule is Rule.precedence))):
        share = (probe.deadline - time.perf_counter()) / (len(core) - n) / 2  # half: the rest confirms
        code, solver = probe.relax([i], [j for j in everything if j != i], wall=max(0.2, share))
        alone = code != cp_model.INFEASIBLE
        if solver is None:
            code, solver = within[i]  # the numbers in the set; a change from them is confirmed or refuted below
        g = b.rules[i]
        need, change, edit = _numbers(b, i, solver, code) if solver is not None else ("", "", None)
        confirmed = _confirm(p, edit, probe) if alone and edit is not None else None
        necessary = within[i][1] is not None
        findings[i] = Finding(g.key, g.rule, g.text, need, change if alone else "", confirmed, necessary, alone)
    stuck = [i for i in core if not findings[i].alone]
    return Diagnosis([findings[i] for i in core], joint=_joint_caps(p, probe, stuck))


def _joint_caps(p: PreparedProblem, probe: _Probe, stuck: list[int]) -> list[tuple[str, bool | None]]:
    """For a funder whose yearly caps in the set cannot move one by one: the least raise of all its yearly
    caps together (least total excess) that admits a plan, confirmed by a re-solve."""
    b, out = probe.b, []
    funders = dict.fromkeys(b.rules[i].subject[0] for i in stuck if b.rules[i].rule is Rule.funder_cap)
    for funder in funders:
        caps = [i for i, g in b.rules.items() if g.rule is Rule.funder_cap and g.subject[0] == funder]
        caps = [i for i in caps if len(b.rules[i].subject) == 2 and i in b.measures]
        excess = []
        for i in caps:
            e = b.model.new_int_var(0, 2**40, f"excess[{b.rules[i].key}]")
            b.model.add(e >= b.measures[i] - (b.rules[i].limit or 0))
            excess.append(e)
        code, solver = probe.relax(caps, [j for j in probe.lits if j not in caps], sum(excess))
        if solver is None:
            continue
        f = next(x for x in b.s.funders if x.id == funder)
        cur = b.money.funder_currency.get(funder)
        raised: dict[int, float] = {}
        for i, e in zip(caps, excess, strict=True):
            if solver.value(e) > 0:
                year = int(b.rules[i].subject[1])
                raised[year] = math.ceil(solver.value(b.measures[i]) / scaling.MONEY)
        parts = ", ".join(
            f"{y} from {amount_text(f.cap_per_year[y], None)} to {amount_text(a, cur)}"
            for y, a in sorted(raised.items())
        )
        least = "" if code == cp_model.OPTIMAL else " (the least found in the time limit)"
        edit = _set_caps(funder, raised)
        out.append((f"raise {funder}'s yearly caps together: {parts}{least}", _confirm(p, edit, probe)))
    return out


def _confirm(p: PreparedProblem, edit: Edit, probe: _Probe) -> bool | None:
    """Whether the scenario changed by `edit` has a plan (a feasibility solve of the ordinary model)."""
    from planner.cpsat.constraints import add_rules
    from planner.cpsat.model import Builder

    if probe.deadline - time.perf_counter() < 0.2:
        return None  # no time left to try
    edited = edit(p.scenario)
    if cross_check(edited):
        return None  # the change leaves the scenario unsound (e.g. a dropped group that work still waits for)
    changed = prepare(edited)
    b = Builder(changed)
    add_rules(b)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = PROBE_S
    solver.parameters.max_time_in_seconds = max(0.2, probe.deadline - time.perf_counter())
    code = solver.solve(b.model)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    return False if code == cp_model.INFEASIBLE else None


# ---------------------------------------------------------------------- numbers and changes per rule family


def _numbers(b: Builder, i: int, solver: cp_model.CpSolver, code: Any) -> tuple[str, str, Edit | None]:
    """(what the other rules need, the least change of this rule, that change as a scenario edit)."""
    g, measure = b.rules[i], b.measures.get(i)
    value = int(solver.value(measure)) if measure is not None else None
    least = "" if code == cp_model.OPTIMAL else " (the least found in the time limit)"
    s, cal = b.s, b.cal
    if g.rule in (Rule.window, Rule.deliverable) and value is not None:
        wp_id = g.subject[0]
        month = cal.last_month(max(value, 1))
        if g.rule is Rule.window:
            need = f"the other rules let it finish in {month} at the earliest"
            return need, f"move {wp_id}'s deadline to {month}{least}", _set_deadline(wp_id, month)
        dl_id = g.subject[1]
        need = f"the other rules let it be delivered in {month} at the earliest"
        return need, f"move deliverable {dl_id} of {wp_id} to {month}{least}", _set_due(wp_id, dl_id, month)
    if g.rule is Rule.precedence and value is not None:
        wp_id, dep_id = g.subject
        dep = next(d for d in b.p.work_packages[wp_id].dependencies if d.id == dep_id)
        periods = _periods(value)
        need = f"the other rules need {wp_id} to start {periods} earlier than this allows"
        if value <= dep.lag:
            change = f"shorten the lag of {wp_id} after {dep_id} from {dep.lag} to {dep.lag - value}{least}"
            return need, change, _set_lag(wp_id, dep_id, dep.lag - value)
        return need, f"drop the dependency of {wp_id} on {dep_id}", _set_lag(wp_id, dep_id, None)
    if g.rule in (Rule.capacity, Rule.facility) and value is not None and g.limit is not None:
        more = (value - g.limit) / scaling.RESOURCE
        if g.rule is Rule.capacity:
            inst = next(x for x in s.institutions if x.id == g.subject[0])
            unit, now = "PM", inst.capacity_pm
        else:
            fac = next(x for x in s.facilities if x.id == g.subject[0])
            unit, now = fac.unit, fac.capacity
        need = f"the other rules need {more:g} {unit} more in some period"
        if g.rule is Rule.capacity:
            need += _overload(b.p, g.subject[0])
        yearly = (
            " (and as much more in every year it lists)" if g.rule is Rule.capacity and inst.capacity_pm_by_year else ""
        )
        change = f"raise {g.subject[0]}'s capacity from {now:g} to {now + more:g} {unit} per period{yearly}{least}"
        return need, change, _raise_capacity(g.rule, g.subject[0], more)
    if g.rule is Rule.funder_cap and value is not None:
        f = next(x for x in s.funders if x.id == g.subject[0])
        cur = b.money.funder_currency.get(f.id)
        amount = math.ceil(value / scaling.MONEY)
        if len(g.subject) == 1:
            need = f"the other rules need at least {amount_text(amount, cur)} from it"
            return (
                need,
                f"raise {f.id}'s total from {amount_text(f.total or 0, None)} to {amount_text(amount, cur)}{least}",
                (_set_cap(f.id, None, amount)),
            )
        year = int(g.subject[1])
        need = f"the other rules need at least {amount_text(amount, cur)} from it in {year}"
        was = amount_text(f.cap_per_year[year], None)
        return (
            need,
            f"raise {f.id}'s {year} cap from {was} to {amount_text(amount, cur)}{least}",
            _set_cap(f.id, year, amount),
        )
    if g.rule is Rule.pin and value is not None:
        wp_id = g.subject[0]
        start = cal.start_month(int(solver.value(b.wps[wp_id].start)))
        need = f"the other rules let it start {_periods(value)} away at the nearest, in {start}"
        return need, f"move {wp_id}'s pinned start to {start}{least}", _set_pin_start(wp_id, start)
    return "", *_dropped(g)


def _overload(p: PreparedProblem, inst_id: str) -> str:
    """The forced work only this institution can do against its person-months in that time, where that alone
    exceeds them ('' otherwise: then the timing binds, not the total)."""
    only_here = [
        w
        for w in sorted(p.forced, key=p.order.__getitem__)
        if p.options(w) and all(o.institution == inst_id for o in p.options(w))
    ]
    if not only_here:
        return ""
    need = sum(min(o.effort_pm for o in p.options(w)) for w in only_here)
    windows = [p.windows[w] for w in only_here]
    first, last = min(w.earliest_start for w in windows), max(w.latest_end for w in windows)
    has = sum(p.capacity(inst_id)[first:last])
    if need <= has:
        return ""
    names = ", ".join(only_here[:6]) + (", …" if len(only_here) > 6 else "")
    cal = p.calendar
    return (
        f": only {inst_id} can do {names}, which need at least {need:g} PM between {cal.start_month(first)} and "
        f"{cal.last_month(last)}, and it has {has:g} PM in that time"
    )


def _periods(n: int) -> str:
    return f"{n} period" + ("" if n == 1 else "s")


def _dropped(g: Guarded) -> tuple[str, Edit | None]:
    """For a rule without a single measure: dropping it, in words and as an edit."""
    subject = g.subject
    if g.rule is Rule.pin:
        return f"unpin {subject[0]}", _unpin(subject[0])
    if g.rule is Rule.forbid:
        return f"lift the forbid of {subject[0]} at {subject[1]}", _drop_forbid(*subject)
    if g.rule is Rule.overlap:
        return f"drop overlap group {subject[0]}", _drop_group(subject[0])
    return "", None


# ---------------------------------------------------------------------- scenario edits (copies, never mutation)


def _wps(s: Scenario, wp_id: str, change: Callable[..., object]) -> Scenario:
    return s.model_copy(update={"work_packages": [change(w) if w.id == wp_id else w for w in s.work_packages]})


def _set_deadline(wp_id: str, month: str) -> Edit:
    return lambda s: _wps(s, wp_id, lambda w: w.model_copy(update={"deadline": month}))


def _set_due(wp_id: str, dl_id: str, month: str) -> Edit:
    def due(w: object) -> object:
        dls = [d.model_copy(update={"due": month}) if d.id == dl_id else d for d in w.deliverables]  # type: ignore[attr-defined]
        return w.model_copy(update={"deliverables": dls})  # type: ignore[attr-defined]

    return lambda s: _wps(s, wp_id, due)


def _set_lag(wp_id: str, dep_id: str, lag: int | None) -> Edit:
    """The dependency with a new lag, or without the dependency when `lag` is None."""

    def deps(w: object) -> object:
        out = []
        for d in w.dependencies:  # type: ignore[attr-defined]
            if d.id != dep_id:
                out.append(d)
            elif lag is not None:
                out.append(d.model_copy(update={"lag": lag}))
        return w.model_copy(update={"dependencies": out})  # type: ignore[attr-defined]

    return lambda s: _wps(s, wp_id, deps)


def _raise_capacity(rule: Rule, key: str, more: float) -> Edit:
    def edit(s: Scenario) -> Scenario:
        if rule is Rule.capacity:
            insts = [
                i.model_copy(
                    update={
                        "capacity_pm": i.capacity_pm + more,
                        "capacity_pm_by_year": {y: c + more for y, c in i.capacity_pm_by_year.items()},
                    }
                )
                if i.id == key
                else i
                for i in s.institutions
            ]
            return s.model_copy(update={"institutions": insts})
        facs = [f.model_copy(update={"capacity": f.capacity + more}) if f.id == key else f for f in s.facilities]
        return s.model_copy(update={"facilities": facs})

    return edit


def _set_caps(funder: str, caps: dict[int, float]) -> Edit:
    def edit(s: Scenario) -> Scenario:
        def one(f: object) -> object:
            return f.model_copy(update={"cap_per_year": {**f.cap_per_year, **caps}})  # type: ignore[attr-defined]

        return s.model_copy(update={"funders": [one(f) if f.id == funder else f for f in s.funders]})

    return edit


def _set_cap(funder: str, year: int | None, amount: float) -> Edit:
    def edit(s: Scenario) -> Scenario:
        def one(f: object) -> object:
            if year is None:
                return f.model_copy(update={"total": amount})  # type: ignore[attr-defined]
            return f.model_copy(update={"cap_per_year": {**f.cap_per_year, year: amount}})  # type: ignore[attr-defined]

        return s.model_copy(update={"funders": [one(f) if f.id == funder else f for f in s.funders]})

    return edit


def _set_pin_start(wp_id: str, month: str) -> Edit:
    def edit(s: Scenario) -> Scenario:
        pins = [p.model_copy(update={"start": month}) if p.work_package == wp_id else p for p in s.pins]
        return s.model_copy(update={"pins": pins})

    return edit


def _unpin(wp_id: str) -> Edit:
    """The pin without its institution and option (its start, if any, is a rule of its own), or no pin at all."""

    def edit(s: Scenario) -> Scenario:
        pins = []
        for p in s.pins:
            if p.work_package != wp_id:
                pins.append(p)
            elif p.start:
                pins.append(p.model_copy(update={"institution": None, "option": None}))
        return s.model_copy(update={"pins": pins})

    return edit


def _drop_forbid(wp_id: str, inst: str) -> Edit:
    return lambda s: s.model_copy(
        update={"forbids": [f for f in s.forbids if (f.work_package, f.institution) != (wp_id, inst)]}
    )


def _drop_group(group: str) -> Edit:
    return lambda s: s.model_copy(update={"overlap_groups": [g for g in s.overlap_groups if g.id != group]})


def holds_together(problem: Scenario | PreparedProblem, keys: list[str], seconds: float = 5.0) -> bool | None:
    """Whether the rules named by `keys` (`Guarded.key`) hold together when every other rule is dropped
    (None: not decided in time); the test of a minimal set: False for the set, True without any one of it."""
    from planner.cpsat.constraints import add_rules
    from planner.cpsat.model import Builder

    b = Builder(prepare(problem), explain=True)
    add_rules(b)
    b.model.clear_assumptions()
    on = [i for i, g in b.rules.items() if g.key in keys]
    code, solver = _Probe(b, time.perf_counter() + seconds).relax([], on)
    return True if solver is not None else False if code == cp_model.INFEASIBLE else None
