"""Solving off the app's script thread: a solve job with live progress and a stop, and a per-session plan cache.

A `SolveJob` runs `planner.cpsat.solve` in a daemon thread, so the page that started it keeps
rendering (and can poll the job, e.g. from an `st.fragment(run_every=…)`) while CP-SAT searches.
`stop()` ends the search; the solver then returns the best plan found so far.

Sessions are kept apart by ownership, not by locking: nothing here is global. The app keeps one
`PlanCache` and its current `SolveJob`s in each browser session's `st.session_state`, so two
sessions never see each other's jobs or plans. The locks below only protect a job (or a cache)
against its own worker thread.

No Streamlit import here: the same objects work in tests, scripts and notebooks.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING

from planner.domain.settings import SolverSettings

if TYPE_CHECKING:
    from planner.cpsat.solver import Progress
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario

log = logging.getLogger(__name__)

CacheKey = tuple[str, str]


def cache_key(scenario: Scenario, settings: SolverSettings) -> CacheKey:
    """What a plan depends on: the scenario's content (not its comments or layout) and every setting."""
    from planner.domain.scenario import scenario_digest

    return scenario_digest(scenario), settings.model_dump_json()


class PlanCache:
    """The last few plans of one browser session, keyed by scenario content and settings (least recently used go first).

    Plans are immutable, so a hit hands back the very object that was stored. Keep one cache per
    session (in `st.session_state`), never one per process: sessions must not share plans.
    """

    def __init__(self, size: int = 16) -> None:
        if size < 1:
            raise ValueError("a plan cache holds at least one plan")
        self.size = size
        self._plans: OrderedDict[CacheKey, Plan] = OrderedDict()
        self._lock = threading.Lock()  # a job's worker thread stores its plan while the page reads

    def get(self, scenario: Scenario, settings: SolverSettings) -> Plan | None:
        """The plan solved earlier for this scenario content and these settings, if still kept."""
        key = cache_key(scenario, settings)
        with self._lock:
            plan = self._plans.get(key)
            if plan is not None:
                self._plans.move_to_end(key)
            return plan

    def put(self, scenario: Scenario, settings: SolverSettings, plan: Plan) -> None:
        """Keep a plan; the least recently used one goes when the cache is full."""
        key = cache_key(scenario, settings)
        with self._lock:
            self._plans[key] = plan
            self._plans.move_to_end(key)
            while len(self._plans) > self.size:
                self._plans.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._plans.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._plans)


class SolveJob:
    """One solve of one scenario with one set of settings, run in a background thread.

    Every property may be read from any thread at any time. With a `cache`, `start()` answers at
    once from it when it holds a plan for the same scenario content and settings, and a finished
    solve stores its plan there. A plan cut short by `stop()` is not stored: it is the best found
    so far, not the answer these settings give; nor is anything stored when the solve failed.
    """

    def __init__(
        self,
        scenario: Scenario,
        settings: SolverSettings | None = None,
        cache: PlanCache | None = None,
        baseline: Plan | None = None,
    ) -> None:
        self.scenario = scenario
        self.settings = settings or SolverSettings()
        self.baseline = baseline  # re-plan moving as little as possible from it (`solve(..., baseline=)`)
        self.cache = cache if baseline is None else None  # the cache knows scenario and settings, not baselines
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._thread: threading.Thread | None = None
        self._progress: list[Progress] = []
        self._started_at: float | None = None
        self._finished_at: float | None = None
        self._plan: Plan | None = None
        self._error: str | None = None
        self._cached = False

    def start(self) -> SolveJob:
        """Start solving (or take the plan from the cache); returns the job itself. A job starts once."""
        with self._lock:
            if self._started_at is not None:
                raise RuntimeError("this solve job has already been started")
            self._started_at = time.perf_counter()
        plan = self.cache.get(self.scenario, self.settings) if self.cache is not None else None
        if plan is not None:
            with self._lock:
                self._plan, self._cached = plan, True
                self._finished_at = self._started_at
            self._finished.set()
            return self
        self._thread = threading.Thread(target=self._run, name=f"solve {self.scenario.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the solver to stop; it returns the best plan found so far (if any)."""
        self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job is done or `timeout` seconds pass; whether it is done."""
        return self._finished.wait(timeout)

    @property
    def running(self) -> bool:
        """Started and not yet done."""
        with self._lock:
            return self._started_at is not None and not self._finished.is_set()

    @property
    def done(self) -> bool:
        """Finished: a plan (possibly infeasible or unknown) or an error is there."""
        return self._finished.is_set()

    @property
    def stopped(self) -> bool:
        """The user asked to stop."""
        return self._stop.is_set()

    @property
    def cached(self) -> bool:
        """The plan came from the cache, without solving."""
        with self._lock:
            return self._cached

    @property
    def progress(self) -> list[Progress]:
        """A copy of the solutions and bounds reported so far, oldest first."""
        with self._lock:
            return list(self._progress)

    @property
    def latest(self) -> Progress | None:
        """The most recent progress point, if any."""
        with self._lock:
            return self._progress[-1] if self._progress else None

    @property
    def first_plan_s(self) -> float | None:
        """Seconds from the start to the first plan the solver reported (None before it)."""
        with self._lock:
            return next((p.elapsed_s for p in self._progress if p.objective is not None), None)

    @property
    def stage(self) -> tuple[int, int, str]:
        """The stage being solved now as (0-based index, count, objective term): from the last progress point, or
        before any the first priority of the scenario (a weighted objective is one stage)."""
        latest = self.latest
        if latest is not None:
            return latest.stage, latest.stages, latest.term
        objective = self.scenario.objective
        if objective.mode == "weighted":
            return 0, 1, "weighted"
        return 0, max(1, len(objective.priorities)), objective.priorities[0].value if objective.priorities else ""

    @property
    def elapsed_s(self) -> float:
        """Seconds since the start (until the end once done); 0 before the start."""
        with self._lock:
            if self._started_at is None:
                return 0.0
            end = self._finished_at if self._finished_at is not None else time.perf_counter()
            return end - self._started_at

    @property
    def plan(self) -> Plan | None:
        """The solver's answer once done (its status says optimal, feasible, infeasible or unknown)."""
        with self._lock:
            return self._plan

    @property
    def error(self) -> str | None:
        """What went wrong if the solve raised unexpectedly (the traceback is in the log)."""
        with self._lock:
            return self._error

    def _on_progress(self, point: Progress) -> None:
        with self._lock:
            self._progress.append(point)

    def _run(self) -> None:
        from planner.cpsat import solver  # looked up at run time, so tests can replace solver.solve
        from planner.diagnose import with_explanation

        plan: Plan | None = None
        error: str | None = None
        try:
            if self.baseline is None:
                plan = solver.solve(self.scenario, self.settings, self._on_progress, self._stop)
            else:
                plan = solver.solve(self.scenario, self.settings, self._on_progress, self._stop, baseline=self.baseline)
            plan = with_explanation(self.scenario, plan, self.settings)
        except Exception as e:  # the app must stay up whatever the solver does
            log.exception("solving scenario %r failed", self.scenario.name)
            error = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
        if plan is not None and self.cache is not None and not self._stop.is_set():
            self.cache.put(self.scenario, self.settings, plan)
        with self._lock:
            self._plan, self._error = plan, error
            self._finished_at = time.perf_counter()
        self._finished.set()
