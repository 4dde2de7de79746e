"""The textbook CP-SAT model for (multi-mode) RCPSP, straight from a PSPLIB/MMLIB file: the baseline.

Per job a start and an end shared by one optional interval per mode (exactly one mode present),
one cumulative per renewable resource with the mode demands, `end[i] <= start[j]` for every
precedence, one sum per non-renewable resource, and the makespan (at least every end) minimised.
Deliberately nothing clever: no hints, no redundant constraints, no parameter tuning.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import psplib
from ortools.sat.python import cp_model

from peers import Outcome, Schedule

if TYPE_CHECKING:
    from pathlib import Path

    from psplib.ProjectInstance import ProjectInstance

STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
}


@dataclass(frozen=True)
class JobVars:
    """One job's variables: start, end, and per mode its presence literal and interval."""

    start: cp_model.IntVar
    end: cp_model.IntVar
    present: list[cp_model.IntVar]
    intervals: list[cp_model.IntervalVar]


def solve_plain(path: Path, time_limit: float, workers: int, seed: int) -> Outcome:
    """Parse, build and solve one instance; the wall time covers all three."""
    started = time.perf_counter()
    instance = psplib.parse(path, instance_format="psplib")
    model, jobs, makespan = build(instance)
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = workers
    p.max_time_in_seconds = time_limit
    p.random_seed = seed
    p.catch_sigint_signal = False  # Ctrl-C is the harness's to handle, between instances
    code = solver.solve(model)
    wall = time.perf_counter() - started
    status = STATUS.get(code, "unknown")
    if status not in ("optimal", "feasible"):
        return Outcome(status=status, makespan=None, bound=None, wall_s=wall)
    return Outcome(
        status=status,
        makespan=int(solver.value(makespan)),
        bound=solver.best_objective_bound,
        wall_s=wall,
        schedule=_schedule(solver, jobs),
    )


def build(instance: ProjectInstance) -> tuple[cp_model.CpModel, list[JobVars], cp_model.IntVar]:
    """The model, the job variables (in file order) and the makespan variable."""
    model = cp_model.CpModel()
    horizon = sum(max(m.duration for m in act.modes) for act in instance.activities)
    jobs = [_job(model, instance, i, horizon) for i in range(len(instance.activities))]
    _renewable_capacity(model, instance, jobs)
    _precedences(model, instance, jobs)
    _nonrenewable_budgets(model, instance, jobs)
    makespan = _makespan(model, jobs, horizon)
    model.minimize(makespan)
    return model, jobs, makespan


def _job(model: cp_model.CpModel, instance: ProjectInstance, i: int, horizon: int) -> JobVars:
    """A start and end within the horizon, one optional interval per mode, exactly one mode chosen."""
    start = model.new_int_var(0, horizon, f"start[{i + 1}]")
    end = model.new_int_var(0, horizon, f"end[{i + 1}]")
    present, intervals = [], []
    for m, mode in enumerate(instance.activities[i].modes, start=1):
        x = model.new_bool_var(f"mode[{i + 1},{m}]")
        present.append(x)
        intervals.append(model.new_optional_interval_var(start, mode.duration, end, x, f"run[{i + 1},{m}]"))
    model.add_exactly_one(present)
    return JobVars(start, end, present, intervals)


def _renewable_capacity(model: cp_model.CpModel, instance: ProjectInstance, jobs: list[JobVars]) -> None:
    """At every moment the running modes use at most each renewable resource's capacity."""
    for k, res in enumerate(instance.resources):
        if not res.renewable:
            continue
        intervals, demands = [], []
        for act, job in zip(instance.activities, jobs, strict=True):
            for mode, interval in zip(act.modes, job.intervals, strict=True):
                if mode.demands[k]:
                    intervals.append(interval)
                    demands.append(mode.demands[k])
        model.add_cumulative(intervals, demands, res.capacity)


def _precedences(model: cp_model.CpModel, instance: ProjectInstance, jobs: list[JobVars]) -> None:
    """A job starts after each of its predecessors ends."""
    for act, job in zip(instance.activities, jobs, strict=True):
        for s in act.successors:
            model.add(job.end <= jobs[s].start)


def _nonrenewable_budgets(model: cp_model.CpModel, instance: ProjectInstance, jobs: list[JobVars]) -> None:
    """The chosen modes together use at most each non-renewable resource's total."""
    for k, res in enumerate(instance.resources):
        if res.renewable:
            continue
        use = [
            mode.demands[k] * x
            for act, job in zip(instance.activities, jobs, strict=True)
            for mode, x in zip(act.modes, job.present, strict=True)
            if mode.demands[k]
        ]
        model.add(sum(use) <= res.capacity)


def _makespan(model: cp_model.CpModel, jobs: list[JobVars], horizon: int) -> cp_model.IntVar:
    """The makespan is at least every job's end."""
    makespan = model.new_int_var(0, horizon, "makespan")
    for job in jobs:
        model.add(makespan >= job.end)
    return makespan


def _schedule(solver: cp_model.CpSolver, jobs: list[JobVars]) -> Schedule:
    out: Schedule = {}
    for i, job in enumerate(jobs):
        mode = next(m for m, x in enumerate(job.present, start=1) if solver.boolean_value(x))
        out[i + 1] = (mode, int(solver.value(job.start)), int(solver.value(job.end)))
    return out
