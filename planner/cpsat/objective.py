"""Objective terms as named integer expressions, and how they are weighed.

Each term knows its scale (integer units per natural unit) and its sense, so the solver can
optimise terms one after another (lexicographic) or as one weighted sum, and report every term
in the units a program manager reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from planner.domain.scenario import Term
from planner.problem import scaling

if TYPE_CHECKING:
    from collections.abc import Callable

    from planner.cpsat.model import Builder, LinearExpr, WpVars


@dataclass(frozen=True)
class TermExpr:
    """An objective term: expr / scale is its natural value; maximise or minimise."""

    expr: LinearExpr
    scale: int = 1
    maximise: bool = False

    def natural(self, raw: float) -> float:
        return raw / self.scale

    @property
    def minimised(self) -> LinearExpr:
        """The expression in the minimisation sense the solver uses."""
        return -self.expr if self.maximise else self.expr


def _value(b: Builder) -> TermExpr:
    """Value of the optional work packages that are done."""
    return TermExpr(
        sum(scaling.nearest(v.wp.value, scaling.VALUE) * v.present for v in b.wps.values() if not v.wp.mandatory),
        scaling.VALUE,
        maximise=True,
    )


def _end_if_done(b: Builder, v: WpVars) -> LinearExpr:
    """The work package's end if it is done, else 0."""
    if v.wp.mandatory:
        return v.end
    e = b.model.new_int_var(0, v.latest_end, f"end_if_done[{v.wp.id}]")
    b.model.add(e == v.end).only_enforce_if(v.present)
    b.model.add(e == 0).only_enforce_if(~v.present)
    return e


def _late(b: Builder, name: str, finish: LinearExpr, due: str, done: cp_model.IntVar) -> cp_model.IntVar:
    """max(0, finish − end of the due month) if `done`, else 0 — exactly."""
    limit = b.cal.period_of(due) + 1
    top = max(0, b.cal.horizon - limit)
    over = b.model.new_int_var(min(0, -limit), top, f"over[{name}]")
    b.model.add(over == finish - limit).only_enforce_if(done)
    b.model.add(over == 0).only_enforce_if(~done)
    late = b.model.new_int_var(0, top, f"late[{name}]")
    b.model.add_max_equality(late, [0, over])
    return late


def _lateness(b: Builder) -> TermExpr:
    """Periods late against soft due dates of work packages and programs (only for work that is done)."""
    parts: list[LinearExpr] = []
    for w, v in b.wps.items():
        if v.wp.due:
            parts.append(_late(b, w, v.end, v.wp.due, v.present))
    for prog in b.s.programs:
        members = [v for v in b.wps.values() if v.wp.program == prog.id]
        if prog.due and members:
            finish = b.model.new_int_var(0, b.cal.horizon, f"finish[{prog.id}]")
            b.model.add_max_equality(finish, [_end_if_done(b, v) for v in members])
            any_done = b.model.new_bool_var(f"any_done[{prog.id}]")
            b.model.add_max_equality(any_done, [v.present for v in members])
            parts.append(_late(b, prog.id, finish, prog.due, any_done))
    return TermExpr(sum(parts))


def _cost(b: Builder) -> TermExpr:
    """Total cost in the reporting currency at planning rates (whole units)."""
    return TermExpr(sum(b.cost_reporting(md) * md.x for md in b.modes if md.option.cost))


def _makespan(b: Builder) -> TermExpr:
    """Period in which the last work package ends."""
    mk = b.makespan if b.makespan is not None else b.model.new_int_var(0, b.cal.horizon, "makespan")
    b.model.add_max_equality(mk, [0, *(_end_if_done(b, v) for v in b.wps.values())])
    return TermExpr(mk)


def _balance(b: Builder) -> TermExpr:
    """Largest effort given to one institution (person-months)."""
    top = b.model.new_int_var(0, scaling.use(sum(md.option.effort_pm for md in b.modes), scaling.RESOURCE), "balance")
    loads = [
        sum(scaling.nearest(md.option.effort_pm, scaling.RESOURCE) * md.x for md in b.modes_of(i.id))
        for i in b.s.institutions
    ]
    b.model.add_max_equality(top, [0, *loads])
    return TermExpr(top, scaling.RESOURCE)


def _fit(b: Builder) -> TermExpr:
    """Competency levels missing to the top level over the selected work."""
    expr: LinearExpr = 0
    for md in b.modes:
        inst = b.institutions.get(md.institution or "")
        if inst:
            expr += sum(5 - inst.competencies.get(c, 0) for c in b.wps[md.wp].wp.requires) * md.x
    return TermExpr(expr)


def _collaboration(b: Builder) -> TermExpr:
    """Programs × countries that have no work in that program."""
    missing: list[LinearExpr] = []
    for prog in b.s.programs:
        if not any(v.wp.program == prog.id for v in b.wps.values()):
            continue
        for country in b.s.countries:
            mds = [md.x for md in b.modes_in(prog.id) if b.country_of(md) == country.id]
            has = b.model.new_bool_var(f"has[{prog.id},{country.id}]")
            b.model.add_max_equality(has, [0, *mds])  # exactly: some work of the program in that country
            missing.append(1 - has)
    return TermExpr(sum(missing))


TERMS: dict[Term, Callable[[Builder], TermExpr]] = {
    Term.value: _value,
    Term.lateness: _lateness,
    Term.cost: _cost,
    Term.makespan: _makespan,
    Term.balance: _balance,
    Term.fit: _fit,
    Term.collaboration: _collaboration,
}


def build_terms(b: Builder, terms: list[Term]) -> dict[Term, TermExpr]:
    """The requested objective terms."""
    return {t: TERMS[t](b) for t in terms}


def weighted(terms: dict[Term, TermExpr], weights: dict[Term, float]) -> cp_model.LinearExprT:
    """One weighted sum of natural values (float coefficients; CP-SAT scales them)."""
    return cp_model.LinearExpr.weighted_sum(
        [te.minimised for te in terms.values()], [weights.get(t, 1.0) / te.scale for t, te in terms.items()]
    )
