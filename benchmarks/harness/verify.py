"""An independent check of any solver's schedule against the original file (not the imported scenario).

The planner's own checker validates a plan against the scenario; this one also catches an importer
that lost or changed something, and it checks the peers with the same rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peers import Schedule
    from psplib.ProjectInstance import Activity, ProjectInstance


def verify(instance: ProjectInstance, schedule: Schedule, makespan: int) -> list[str]:
    """Problems of a schedule read back by job and mode number; an empty list means it is valid."""
    problems = _coverage(instance, schedule)
    if problems:
        return problems
    problems += _durations(instance, schedule)
    problems += _precedences(instance, schedule)
    problems += _renewables(instance, schedule)
    problems += _nonrenewables(instance, schedule)
    last = max((end for _, _, end in schedule.values()), default=0)
    if last != makespan:
        problems.append(f"reported makespan {makespan}, but the last job ends at {last}")
    return problems


def _is_dummy(act: Activity) -> bool:
    return len(act.modes) == 1 and act.modes[0].duration == 0 and not any(act.modes[0].demands)


def _coverage(instance: ProjectInstance, schedule: Schedule) -> list[str]:
    """Every real job is scheduled once, in one of its modes, from period 0 on."""
    out = []
    n = len(instance.activities)
    for job in schedule:
        if not 1 <= job <= n:
            out.append(f"job {job} is not in the file")
    for job, act in enumerate(instance.activities, start=1):
        if job not in schedule:
            if not _is_dummy(act):
                out.append(f"job {job} is not scheduled")
            continue
        mode, start, _ = schedule[job]
        if not 1 <= mode <= len(act.modes):
            out.append(f"job {job} has no mode {mode}")
        if start < 0:
            out.append(f"job {job} starts before 0")
    return out


def _durations(instance: ProjectInstance, schedule: Schedule) -> list[str]:
    """Each job runs exactly its mode's duration."""
    out = []
    for job, (mode, start, end) in schedule.items():
        d = instance.activities[job - 1].modes[mode - 1].duration
        if end - start != d:
            out.append(f"job {job} mode {mode} runs {end - start} periods, not {d}")
    return out


def _precedences(instance: ProjectInstance, schedule: Schedule) -> list[str]:
    """A job starts after each scheduled predecessor ends."""
    out = []
    for job, act in enumerate(instance.activities, start=1):
        for s in act.successors:
            if job in schedule and s + 1 in schedule and schedule[job][2] > schedule[s + 1][1]:
                out.append(f"job {s + 1} starts at {schedule[s + 1][1]} before job {job} ends at {schedule[job][2]}")
    return out


def _renewables(instance: ProjectInstance, schedule: Schedule) -> list[str]:
    """In every period the running jobs use at most each renewable resource's capacity."""
    out = []
    horizon = max((end for _, _, end in schedule.values()), default=0)
    for k, res in enumerate(instance.resources):
        if not res.renewable:
            continue
        use = [0] * horizon
        for job, (mode, start, end) in schedule.items():
            demand = instance.activities[job - 1].modes[mode - 1].demands[k]
            for t in range(start, end):
                use[t] += demand
        over = [t for t, u in enumerate(use) if u > res.capacity]
        if over:
            out.append(f"renewable resource {k + 1} over capacity {res.capacity} in {len(over)} periods from {over[0]}")
    return out


def _nonrenewables(instance: ProjectInstance, schedule: Schedule) -> list[str]:
    """The chosen modes use at most each non-renewable resource's total."""
    out = []
    for k, res in enumerate(instance.resources):
        if res.renewable:
            continue
        used = sum(instance.activities[job - 1].modes[mode - 1].demands[k] for job, (mode, _, _) in schedule.items())
        if used > res.capacity:
            out.append(f"non-renewable resource {k + 1} uses {used} of {res.capacity}")
    return out
