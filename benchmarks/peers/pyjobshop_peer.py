"""The same instance through PyJobShop (its own PSPLIB reader and model, OR-Tools CP-SAT backend).

Needs the `bench` extra (`pip install -e '.[bench]'`); imported lazily so the rest of the harness
runs without it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from peers import Outcome, Schedule

if TYPE_CHECKING:
    from pathlib import Path

    from pyjobshop import ProblemData, Solution

STATUS = {"Optimal": "optimal", "Feasible": "feasible", "Infeasible": "infeasible"}


def solve_pyjobshop(path: Path, time_limit: float, workers: int, seed: int) -> Outcome:
    """Read with `pyjobshop.read(…, "psplib")` and solve with OR-Tools; the wall time covers both."""
    import pyjobshop

    started = time.perf_counter()
    data = pyjobshop.read(path, instance_format="psplib")
    result = pyjobshop.solve(
        data,
        solver="ortools",
        time_limit=time_limit,
        num_workers=workers,
        random_seed=seed,
        catch_sigint_signal=False,  # Ctrl-C is the harness's to handle, between instances
    )
    wall = time.perf_counter() - started
    status = STATUS.get(result.status.value, "unknown")
    if status not in ("optimal", "feasible"):
        return Outcome(status=status, makespan=None, bound=None, wall_s=wall)
    return Outcome(
        status=status,
        makespan=round(result.objective),
        bound=float(result.lower_bound),
        wall_s=wall,
        schedule=_schedule(data, result.best),
    )


def _schedule(data: ProblemData, solution: Solution) -> Schedule:
    """Job number → (mode number within the job, start, end); tasks are the file's jobs in order."""
    out: Schedule = {}
    for task, st in enumerate(solution.tasks):
        if st.present:
            modes = data.task2modes(task)
            out[task + 1] = (modes.index(st.mode) + 1, st.start, st.end)
    return out
