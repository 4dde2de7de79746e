"""Solving: lexicographic stages (or one weighted solve), progress, stop, and the plan as plain data."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from importlib.metadata import version

from ortools.sat.python import cp_model

from planner.cpsat.constraints import add_rules
from planner.cpsat.heuristic import add_hint
from planner.cpsat.model import Builder, LinearExpr
from planner.cpsat.objective import TermExpr, build_terms, weighted
from planner.domain.plan import Plan, SolverInfo, Stage, Status, relative_gap
from planner.domain.scenario import Scenario, Term, scenario_digest
from planner.domain.settings import SolverSettings
from planner.problem.assemble import Decision, assignments, left_out
from planner.problem.prepared import PreparedProblem, prepare


@dataclass(frozen=True)
class Progress:
    """A solution or bound found during a solve, for progress displays."""

    stage: int
    stages: int
    term: str
    elapsed_s: float
    objective: float | None
    bound: float | None


ProgressFn = Callable[[Progress], None]


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution and bound (a stop request is relayed by `_solve_stage`)."""

    def __init__(
        self,
        stage: int,
        stages: int,
        term: str,
        scale: float,
        sign: int,
        started: float,
        on_progress: ProgressFn | None,
    ) -> None:
        super().__init__()
        self.args = (stage, stages, term)
        self.scale, self.sign, self.started = scale, sign, started
        self.on_progress = on_progress
        self.solutions = 0
        self.objective: float | None = None

    def on_solution_callback(self) -> None:
        self.solutions += 1
        self.objective = self.sign * self.objective_value / self.scale
        self._report(self.sign * self.best_objective_bound / self.scale)

    def on_bound(self, bound: float) -> None:
        """A better bound without a new solution (CP-SAT's best_bound_callback), e.g. while proving."""
        self._report(self.sign * bound / self.scale)

    def _report(self, bound: float) -> None:
        if self.on_progress:
            stage, stages, term = self.args
            self.on_progress(Progress(stage, stages, term, time.perf_counter() - self.started, self.objective, bound))


LARGE_PROJECT = 100
"""Work packages from which two workers search with restarts rather than with the LP (see `_parameters`)."""


NOT_FOR_ORDER = (
    *("ls", "feasibility_pump", "rins/rens"),
    *("graph_arc_lns", "graph_var_lns", "graph_cst_lns", "graph_dec_lns", "rnd_var_lns", "rnd_cst_lns"),
)
"""Interleaved subsolvers that two workers skip when only the order is to decide (see `_parameters`)."""


class Search(Enum):
    """What a project leaves the search to decide, which sets how two workers use the cores (see `_parameters`)."""

    MODES = "modes"  # some work package has more than one way to run
    ORDER = "order"  # one way each: only the order is to decide
    LARGE_ORDER = "large order"  # the same, from LARGE_PROJECT work packages on


def _search(b: Builder) -> Search:
    if any(len(v.modes) != 1 for v in b.wps.values()):
        return Search.MODES
    return Search.LARGE_ORDER if len(b.wps) >= LARGE_PROJECT else Search.ORDER


def _parameters(
    solver: cp_model.CpSolver, settings: SolverSettings, seconds: float, search: Search = Search.MODES
) -> None:
    """CP-SAT parameters for a stage of `seconds`, for a project whose `search` is as `_search` says.

    With 2 workers CP-SAT runs one full search (its LP-based `default_lp`) beside the interleaved
    subsolvers, which take turns on the second core: three scheduling LNS, six generic LNS, local
    search, the feasibility pump and RINS. When only the order is to decide, the scheduling
    neighbourhoods alone get that core (`NOT_FOR_ORDER` skipped): each LNS call takes up to a second
    of wall time on these projects, so twelve in turn leave each one or two calls in 10 s. On the
    j120 instances the planner left unproven, mean gap 5.85 → 5.50 % (better on 6, worse on 3) and on
    another 16 of them 5.20 → 4.87 % (better on 7, worse on 1); on 16 unproven j60 instances
    2.74 → 1.99 % (better on 8, worse on 3). Not where modes are to choose: on 16 unproven MMLIB50
    instances it was worse (2.71 → 3.04 %), the generic neighbourhoods help choose modes.
    On large projects whose modes are fixed, the plan, not the bound, is what is missing at short
    limits: there the full worker is `quick_restart`, which restarts often around the best plan.
    Measured on the 16 j120 instances the planner left unproven at 10 s: mean gap to best known
    7.57 % → 6.13 %, better on all 16. Elsewhere the default stays:
    - small projects: the LP's bound proves them (hard j30: summed bounds 553 → 535 without it), and
      at 50 and 60 work packages it was even or worse (MMLIB50 3.37 → 3.45 %, j60 2.47 → 2.72 %);
    - modes to choose under budgets: finding a plan at all is the hard part, and the LP worker does
      it better (MMLIB100: with `quick_restart` one of 20 instances had no plan in 10 s).
    Raw `subsolvers` in the settings win over both rules (and raw `ignore_subsolvers` over the
    skipped list). Records: benchmarks/results/ab_params_2026-11-25.md, sections 1–8 and 17.
    """
    p = solver.parameters
    p.num_workers = settings.workers
    if settings.workers == 2 and "subsolvers" not in settings.parameters:
        # a stage's solver may be set up twice (retry with the time left): clear before adding
        if search is Search.LARGE_ORDER:
            p.subsolvers.clear()
            p.subsolvers.append("quick_restart")
        if search is not Search.MODES:
            p.ignore_subsolvers.clear()
            p.ignore_subsolvers.extend(NOT_FOR_ORDER)
    p.random_seed = settings.seed
    p.log_search_progress = settings.log
    if settings.reproducible:
        p.interleave_search = True
        p.max_deterministic_time = max(0.1, seconds)
    else:
        p.max_time_in_seconds = max(0.05, seconds)
    for key, value in settings.parameters.items():
        field = getattr(p, key)
        if hasattr(field, "extend"):  # repeated fields, e.g. subsolvers: a single value is a list of one
            field.clear()
            field.extend(value if isinstance(value, list) else [value])
        else:
            setattr(p, key, value)


def _value(solver: cp_model.CpSolver, expr: LinearExpr) -> float:
    return float(expr) if isinstance(expr, int | float) else float(solver.value(expr))


def _hint_everything(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    solution = list(solver.response_proto.solution)
    model.clear_hints()
    model.proto.solution_hint.vars.extend(range(len(solution)))
    model.proto.solution_hint.values.extend(solution)


def solve(
    scenario: Scenario | PreparedProblem,
    settings: SolverSettings | None = None,
    on_progress: ProgressFn | None = None,
    stop: threading.Event | None = None,
) -> Plan:
    """Find the best plan for a scenario within the settings' time limit. Never raises for infeasible or time-out.

    An infeasible scenario gets a plan with status `infeasible` and no explanation: explaining is its own
    call (`planner.explain`), which the CLI and the app make.
    """
    settings = settings or SolverSettings()
    started = time.perf_counter()
    problem = prepare(scenario)
    scenario = problem.scenario
    b = Builder(problem)
    add_rules(b)
    if b.makespan is not None:
        add_hint(b)  # a first plan, so the makespan interval's bound work does not delay the first solution
    objective = scenario.objective
    terms = build_terms(b, list(objective.priorities))
    lexicographic = objective.mode == "lexicographic"
    stage_names = [t.value for t in objective.priorities] if lexicographic else ["weighted"]

    search = _search(b)
    stages: list[Stage] = []
    solver: cp_model.CpSolver | None = None
    status = Status.optimal
    bounds: dict[str, float] = {}
    weighted_bound: float | None = None
    gaps: list[float] = []
    for k, name in enumerate(stage_names):
        if lexicographic:
            te = terms[Term(name)]
            b.model.minimize(te.minimised)
            scale, sign = te.scale, (-1 if te.maximise else 1)
        else:
            b.model.minimize(weighted(terms, dict(objective.weights)))
            scale, sign = 1, 1
        stage_solver = cp_model.CpSolver()
        _parameters(stage_solver, settings, _budget(settings, started, k, len(stage_names)), search)
        t0 = time.perf_counter()
        watcher = _Watcher(k, len(stage_names), name, scale, sign, started, on_progress)
        if on_progress is not None:
            stage_solver.best_bound_callback = watcher.on_bound
        code = _solve_stage(stage_solver, b.model, watcher, stop, k)
        left = settings.time_limit_s - (time.perf_counter() - started)
        if k == 0 and code == cp_model.UNKNOWN and left > 0.05 and not settings.reproducible and not _stopped(stop):
            # No plan yet: the first stage may use all the time left rather than give up at its share.
            _parameters(stage_solver, settings, left, search)
            code = _solve_stage(stage_solver, b.model, watcher, stop, k)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if k == 0:
                status = Status.infeasible if code == cp_model.INFEASIBLE else Status.unknown
                stages.append(Stage(term=name, status=status, wall_time_s=_wall(settings, t0)))
            break  # a later stage found nothing better in time: keep the previous stage's plan
        solver = stage_solver
        value = sign * stage_solver.objective_value / scale
        bound = sign * stage_solver.best_objective_bound / scale
        stage_status = Status.optimal if code == cp_model.OPTIMAL else Status.feasible
        if stage_status is Status.feasible:
            status = Status.feasible
        gaps.append(relative_gap(value, bound))
        stages.append(Stage(term=name, status=stage_status, value=value, bound=bound, wall_time_s=_wall(settings, t0)))
        if lexicographic:
            bounds[name] = bound
            te = terms[Term(name)]
            b.model.add(te.minimised <= round(stage_solver.objective_value))
            _hint_everything(b.model, stage_solver)
        else:
            weighted_bound = bound
        if _stopped(stop):
            break  # the remaining stages count as not proven (below)

    info = SolverInfo(
        ortools_version=version("ortools"),
        time_limit_s=settings.time_limit_s,
        workers=settings.workers,
        seed=settings.seed,
        reproducible=settings.reproducible,
        wall_time_s=None if settings.reproducible else round(time.perf_counter() - started, 3),
        stages=stages,
    )
    common = dict(
        scenario=scenario.name,
        scenario_digest=scenario_digest(scenario),
        reporting_currency=b.money.reporting,
        solver=info,
    )
    if solver is None:
        explanation: list[str] = []  # why it is infeasible is `planner.diagnose.explain`'s call, made by the caller
        if status is not Status.infeasible:
            explanation = [
                f"no plan found within {settings.time_limit_s:g} s; the scenario may be feasible: try a longer time limit"
            ]
        return Plan(status=status, explanation=explanation, **common)

    if len(stages) < len(stage_names) and status is Status.optimal:
        status = Status.feasible
    decisions = _decisions(b, solver)
    chosen = {d.work_package for d in decisions}
    objective_values = {t.value: round(_natural(solver, te), 6) for t, te in terms.items()}
    first = stage_names[0]
    return Plan(
        status=status,
        objective=objective_values,
        bounds={k: round(v, 6) for k, v in bounds.items()},
        bound=round(bounds[first], 6) if lexicographic else weighted_bound,
        gap=round(max(gaps), 6) if gaps else None,
        assignments=assignments(problem, decisions),
        left_out=left_out(problem, chosen),
        **common,
    )


def _budget(settings: SolverSettings, started: float, stage: int, stages: int) -> float:
    """Seconds for a stage: an equal share of what is left (of the deterministic limit when reproducible)."""
    if settings.reproducible:
        return settings.time_limit_s / stages
    return (settings.time_limit_s - (time.perf_counter() - started)) / (stages - stage)


def _solve_stage(
    solver: cp_model.CpSolver, model: cp_model.CpModel, watcher: _Watcher, stop: threading.Event | None, stage: int
) -> cp_model.CpSolverStatus:
    """Run one stage; a stop request ends it within 0.1 s once a plan exists (from this stage or an earlier one)."""
    if stop is None:
        return solver.solve(model, watcher)
    finished = threading.Event()

    def relay() -> None:
        # Polled rather than checked in the solution callback: while CP-SAT proves a bound no
        # solution may come for a long time, so this thread interrupts the search itself.
        while not finished.wait(0.1):
            if stop.is_set() and (stage > 0 or watcher.solutions > 0):
                solver.stop_search()

    thread = threading.Thread(target=relay, name="stop relay", daemon=True)
    thread.start()
    try:
        return solver.solve(model, watcher)
    finally:
        finished.set()
        thread.join()


def _stopped(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


def _natural(solver: cp_model.CpSolver, te: TermExpr) -> float:
    return te.natural(_value(solver, te.expr))


def _wall(settings: SolverSettings, t0: float) -> float | None:
    return None if settings.reproducible else round(time.perf_counter() - t0, 3)


def _decisions(b: Builder, solver: cp_model.CpSolver) -> list[Decision]:
    out = []
    for v in b.wps.values():
        if not solver.boolean_value(v.present):
            continue
        md = next(md for md in v.modes if solver.boolean_value(md.x))
        out.append(Decision(v.wp.id, md.option.id, int(solver.value(v.start)), md.duration, md.funder))
    return out
