"""The planner's own path on a benchmark file: import_psplib → solve → check_plan, timed in parts."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from peers import Outcome, Schedule

from planner import Plan, SolverSettings, check_plan, evaluate, solve
from planner.diagnose import with_explanation
from planner.importers.psplib import import_psplib

if TYPE_CHECKING:
    from pathlib import Path


def solve_planner(path: Path, time_limit: float, workers: int, seed: int) -> Outcome:
    """Import, solve and check one instance; `wall_s` is import + solve, the check is not timed."""
    started = time.perf_counter()
    scenario = import_psplib(path)
    imported = time.perf_counter()
    # Ctrl-C is the harness's to handle, between instances: CP-SAT must not swallow it mid-run.
    settings = SolverSettings(
        time_limit_s=time_limit, workers=workers, seed=seed, parameters={"catch_sigint_signal": False}
    )
    plan = with_explanation(scenario, solve(scenario, settings), settings)  # the reason is part of the answer
    done = time.perf_counter()
    problems = [f"checker: {v}" for v in check_plan(scenario, plan)]
    violations = len(problems)
    makespan = int(plan.objective["makespan"]) if plan.found else None
    if plan.found:
        recomputed = evaluate(scenario, plan)["makespan"]
        if recomputed != plan.objective["makespan"]:
            problems.append(f"plan says makespan {plan.objective['makespan']}, the checker recomputes {recomputed}")
    return Outcome(
        status=plan.status.value,
        makespan=makespan,
        bound=plan.bound,
        wall_s=done - started,
        schedule=_schedule(plan),
        violations=violations,
        overhead_s=(done - started) - _search_s(plan),
        import_s=imported - started,
        explanation=plan.explanation[0] if plan.explanation else "",
        problems=problems,
    )


def _search_s(plan: Plan) -> float:
    """Time CP-SAT spent searching, summed over the stages; the rest of a solve call is overhead."""
    if plan.solver is None:
        return 0.0
    return sum(s.wall_time_s or 0.0 for s in plan.solver.stages)


def _schedule(plan: Plan) -> Schedule:
    """The plan read back by the importer's contract: work package id = job number, option id = mode number."""
    return {int(a.work_package): (int(a.option), a.start, a.end) for a in plan.assignments}
