"""Solve jobs off the script thread: progress, stop, failures that do not crash, and the plan cache."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import pytest

from planner.check import check_plan
from planner.cpsat import solver
from planner.cpsat.solver import Progress
from planner.domain.plan import Plan, Status
from planner.domain.scenario import Scenario, scenario_digest
from planner.domain.settings import PRESETS, SolverSettings
from planner.problem.validate import load_scenario
from planner.ui.jobs import PlanCache, SolveJob
from tests.conftest import SCENARIOS

FAST = SolverSettings(time_limit_s=5, workers=2)


@pytest.fixture(scope="module")
def minimal() -> Scenario:
    return load_scenario(SCENARIOS / "minimal.yaml")


@pytest.fixture(scope="module")
def demo() -> Scenario:
    return load_scenario(SCENARIOS / "belarus-tomsk-2025-2030.yaml")


class FakeSolve:
    """Stands in for the solver: counts calls, reports one progress point, answers 'unknown' at once."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, scenario: Scenario, settings: SolverSettings, on_progress: Any = None, stop: Any = None) -> Plan:
        self.calls += 1
        if on_progress:
            on_progress(Progress(0, 1, "cost", 0.01, 10.0, 5.0))
        return Plan(scenario=scenario.name, scenario_digest=scenario_digest(scenario), status=Status.unknown)


@pytest.fixture
def fake_solve(monkeypatch: pytest.MonkeyPatch) -> FakeSolve:
    fake = FakeSolve()
    monkeypatch.setattr(solver, "solve", fake)
    return fake


def test_a_job_solves_in_the_background_and_records_progress(minimal: Scenario) -> None:
    job = SolveJob(minimal, FAST)
    assert not job.running and not job.done and job.elapsed_s == 0 and job.progress == [] and job.latest is None
    job.start()
    assert job.wait(30)
    assert job.done and not job.running and not job.stopped and not job.cached and job.error is None
    plan = job.plan
    assert plan is not None and plan.found
    assert check_plan(minimal, plan) == []
    points = job.progress
    assert points and job.latest == points[-1]
    assert {p.term for p in points} <= {t.value for t in minimal.objective.priorities}
    assert 0 < job.elapsed_s < 30
    points.clear()  # a copy: the job's own record is untouched
    assert job.progress


def test_a_job_starts_once(minimal: Scenario, fake_solve: FakeSolve) -> None:
    job = SolveJob(minimal, FAST).start()
    with pytest.raises(RuntimeError, match="already been started"):
        job.start()
    assert job.wait(5) and fake_solve.calls == 1


def test_stop_returns_the_best_plan_so_far_promptly(demo: Scenario) -> None:
    job = SolveJob(demo, SolverSettings(time_limit_s=30, workers=2)).start()
    # Stop a second into the last stage, while CP-SAT mostly proves a bound rather than finding plans:
    # the hard case for a stop, since no new solution may come along to notice it.
    entered, deadline = None, time.monotonic() + 20
    while not job.done and time.monotonic() < deadline:
        points = job.progress
        if entered is None and points and points[-1].stage == points[-1].stages - 1:
            entered = time.monotonic()
        if entered is not None and time.monotonic() - entered >= 1.0:
            break
        time.sleep(0.05)
    assert not job.done, "the solve ended before the stop could be tested"
    asked = time.monotonic()
    job.stop()
    assert job.wait(10)
    assert time.monotonic() - asked < 3.0
    assert job.stopped and job.error is None
    plan = job.plan
    assert plan is not None and plan.status in (Status.optimal, Status.feasible)
    assert check_plan(demo, plan) == []


def test_a_failing_solve_is_an_error_message_not_a_crash(
    minimal: Scenario, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Plan:
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(solver, "solve", broken)
    cache = PlanCache()
    with caplog.at_level(logging.ERROR, logger="planner.ui.jobs"):
        job = SolveJob(minimal, FAST, cache).start()
        assert job.wait(5)
    assert job.done and not job.running and job.plan is None
    assert job.error == "RuntimeError: solver exploded"
    assert any(r.exc_info and "solver exploded" in str(r.exc_info[1]) for r in caplog.records)
    assert len(cache) == 0


def test_two_jobs_at_once_keep_their_own_results(minimal: Scenario, tiny_scenario: Scenario) -> None:
    a = SolveJob(minimal, FAST).start()
    b = SolveJob(tiny_scenario, FAST).start()
    assert a.wait(30) and b.wait(30)
    for job, s in ((a, minimal), (b, tiny_scenario)):
        assert job.plan is not None and job.plan.found
        assert job.plan.scenario_digest == scenario_digest(s)
        assert check_plan(s, job.plan) == []
        assert {p.term for p in job.progress} <= {t.value for t in s.objective.priorities}
    # The two scenarios rank different terms first, so each job's progress is visibly its own.
    assert a.progress[0].term == "lateness" and b.progress[0].term == "makespan"


def test_cache_hit_returns_the_same_plan_without_solving(minimal: Scenario, fake_solve: FakeSolve) -> None:
    cache = PlanCache()
    first = SolveJob(minimal, FAST, cache).start()
    assert first.wait(5) and fake_solve.calls == 1 and not first.cached
    again = SolveJob(minimal, FAST, cache).start()
    assert again.done and again.cached and again.plan is first.plan
    assert fake_solve.calls == 1
    # the same content and settings, built anew, still hit; a change of either misses
    same = SolveJob(minimal.model_copy(), SolverSettings(time_limit_s=5, workers=2), cache).start()
    assert same.cached and same.plan is first.plan
    assert SolveJob(minimal, FAST.model_copy(update={"seed": 1}), cache).start().wait(5)
    assert SolveJob(minimal.model_copy(update={"name": "edited"}), FAST, cache).start().wait(5)
    assert fake_solve.calls == 3 and len(cache) == 3


def test_a_stopped_plan_is_not_cached(minimal: Scenario, fake_solve: FakeSolve) -> None:
    cache = PlanCache()
    job = SolveJob(minimal, FAST, cache)
    job.stop()
    assert job.start().wait(5) and job.plan is not None
    assert len(cache) == 0


def test_cache_forgets_the_least_recently_used(minimal: Scenario, fake_solve: FakeSolve) -> None:
    cache = PlanCache(size=2)
    settings = [FAST.model_copy(update={"seed": k}) for k in range(3)]
    plans = []
    for s in settings:
        job = SolveJob(minimal, s, cache).start()
        assert job.wait(5) and job.plan is not None
        plans.append(job.plan)
        if s.seed == 1:
            assert cache.get(minimal, settings[0]) is plans[0]  # seed 0 is now the most recent
    assert len(cache) == 2
    assert cache.get(minimal, settings[0]) is plans[0]
    assert cache.get(minimal, settings[1]) is None
    assert cache.get(minimal, settings[2]) is plans[2]
    cache.clear()
    assert len(cache) == 0
    with pytest.raises(ValueError):
        PlanCache(size=0)


def test_cache_is_safe_to_use_from_many_threads(minimal: Scenario) -> None:
    cache = PlanCache(size=4)
    plan = Plan(scenario=minimal.name, scenario_digest=scenario_digest(minimal), status=Status.unknown)
    settings = [FAST.model_copy(update={"seed": k}) for k in range(8)]

    def churn() -> None:
        for _ in range(50):
            for s in settings:
                cache.put(minimal, s, plan)
                cache.get(minimal, s)

    threads = [threading.Thread(target=churn) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 4


def test_presets_are_valid_settings() -> None:
    assert {"quick", "default", "thorough"} <= set(PRESETS)
    assert PRESETS["quick"].time_limit_s < PRESETS["default"].time_limit_s < PRESETS["thorough"].time_limit_s


def test_a_job_close_to_a_baseline_solves_with_it_and_bypasses_the_cache(minimal: Scenario) -> None:
    exact = SolverSettings(time_limit_s=20, workers=1, reproducible=True)
    cache = PlanCache()
    first = SolveJob(minimal, exact, cache=cache).start()
    assert first.wait(120) and first.plan is not None and first.plan.found
    again = SolveJob(minimal, exact, cache=cache, baseline=first.plan).start()
    assert not again.cached  # the cache holds the plan of these settings, not one kept close to a baseline
    assert again.wait(120) and again.plan is not None and again.error is None
    assert again.plan.solver is not None and again.plan.solver.stages[-1].term == "stability"
    assert again.plan.solver.stages[-1].value == 0  # unchanged scenario: nothing moves
