"""The large-neighbourhood search: never worse than its start, every kept plan checked."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from planner.check import check_plan, evaluate
from planner.construct.serial import construct
from planner.cpsat.constraints import add_rules
from planner.cpsat.lns import _neighbourhood, improve
from planner.cpsat.model import Builder
from planner.cpsat.solver import _hint_decisions, _sub_solve
from planner.domain.plan import Plan, Status
from planner.domain.settings import SolverSettings
from planner.importers.synthetic import generate
from planner.problem.assemble import assignments
from planner.problem.prepared import prepare


def test_improve_is_never_worse_and_always_checked() -> None:
    s = generate(160, 16, seed=3).scenario
    p = prepare(s)
    start = construct(p)
    assert start is not None
    settings = SolverSettings(time_limit_s=20, workers=1)
    decisions, tried, kept = improve(p, start, settings, time.perf_counter() + 12, _sub_solve)
    assert tried >= 1 and 0 <= kept <= tried
    before, after = (
        Plan(scenario=s.name, scenario_digest="-", status=Status.feasible, assignments=assignments(p, d))
        for d in (start, decisions)
    )
    assert check_plan(s, after) == []
    b, a = evaluate(s, before), evaluate(s, after)
    key = [(-x["value"], x["lateness"], x["cost"]) for x in (b, a)]
    assert key[1] <= key[0]  # lexicographically: value, then lateness, then cost


def test_a_neighbourhood_is_one_program_with_the_rest_as_background() -> None:
    s = generate(120, 12, seed=4).scenario
    p = prepare(s)
    start = construct(p)
    assert start is not None
    current = {d.work_package: d for d in start}
    program = s.programs[0].id
    hood = _neighbourhood(p, current, program)
    assert hood is not None
    sub, background, hint = hood
    assert {w.program for w in sub.work_packages} == {program}
    assert {d.work_package for d in hint} <= {w.id for w in sub.work_packages}
    fixed = [d for d in start if p.work_packages[d.work_package].program != program]
    assert sum(sum(row) for row in background.values()) > 0 and fixed


def test_every_neighbourhood_takes_the_current_plan_as_a_valid_hint() -> None:
    # The constructive plan and the background count person-months as the model does, so the model of each
    # neighbourhood accepts the current plan as it is (no search needed to repair it).
    s = generate(200, 16, seed=5).scenario
    p = prepare(s)
    start = construct(p)
    assert start is not None
    current = {d.work_package: d for d in start}
    taken = 0
    for program in s.programs:
        hood = _neighbourhood(p, current, program.id)
        if hood is None:
            continue
        sub, background, hint = hood
        b = Builder(prepare(sub), background=background)
        add_rules(b)
        _hint_decisions(b, hint)
        solver = cp_model.CpSolver()
        solver.parameters.fix_variables_to_their_hinted_value = True
        assert solver.solve(b.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE), program.id
        taken += 1
    assert taken >= 2
