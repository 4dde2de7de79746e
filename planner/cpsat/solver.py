"""Solving: lexicographic stages (or one weighted solve), progress, stop, and the plan as plain data."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from enum import Enum
from importlib.metadata import version

from ortools.sat.python import cp_model

from planner.check import check_plan, evaluate
from planner.construct.bounds import term_bounds
from planner.construct.serial import construct
from planner.cpsat.constraints import add_rules
from planner.cpsat.heuristic import add_hint
from planner.cpsat.lns import improve, plan_decisions, plan_score
from planner.cpsat.model import Builder, LinearExpr
from planner.cpsat.objective import TermExpr, build_terms, weighted
from planner.cpsat.stability import TOLERANCE, Stability, add_stability
from planner.domain.plan import Plan, SolverInfo, Stage, Status, relative_gap
from planner.domain.scenario import Objective, Scenario, Term, scenario_digest
from planner.domain.settings import SolverSettings
from planner.problem.assemble import Decision, assignments, draft_plan, left_out
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
        self.first_s: float | None = None

    def on_solution_callback(self) -> None:
        self.solutions += 1
        if self.first_s is None:
            self.first_s = time.perf_counter() - self.started
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


DETERMINISTIC_PER_SECOND = 0.35
"""CP-SAT's deterministic time units per second of the user's limit in reproducible mode. Unscaled, the demo with
`--time-limit 10 --reproducible` ran 25–38 s of wall time (37 s of CPU on 2 cores); at 0.35 units per second it
used 14 s of CPU, about 7 s of wall time on the unloaded 2-core benchmark machine, and 2 s of it are reading and
building. Faster machines end sooner and slower or busy ones later, with the same plan (README, "reproducible")."""


def _parameters(
    solver: cp_model.CpSolver, settings: SolverSettings, seconds: float, search: Search = Search.MODES
) -> None:
    """CP-SAT parameters for a stage of `seconds`, for a project whose `search` is as `_search` says.

    With 2 workers CP-SAT runs one full search (`default_lp`) beside interleaved subsolvers that take
    turns on the second core. When only the order is to decide, the scheduling LNS alone get that core
    (`NOT_FOR_ORDER` skipped): their calls are slow on such projects and the full rotation left each too
    few; where modes are to choose, the generic neighbourhoods help choose them and stay. On large
    projects with fixed modes the plan, not the bound, is what is missing at short limits, so the full
    worker is `quick_restart`; elsewhere `default_lp` stays (its bound proves small projects, and under
    budgets it finds a plan more reliably). Raw `subsolvers` in the settings win over both rules (and raw
    `ignore_subsolvers` over the skipped list).
    Measured: benchmarks/results/ab_params_2026-11-25.md, sections 17 and 14 (the skipped list), 1, 2, 4,
    6, 7 and 8 (`quick_restart`).
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
        p.max_deterministic_time = max(0.1, seconds * DETERMINISTIC_PER_SECOND)
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
    started: float | None = None,
    baseline: Plan | None = None,
    today: str | None = None,
    hint: Plan | None = None,
    keep: Collection[str] = (),
    tolerance: float = TOLERANCE,
) -> Plan:
    """Find the best plan for a scenario within the settings' time limit. Never raises for infeasible or time-out.

    With a `baseline` plan (of this scenario before a change), the plan moves as little as it can from it: a last
    stage minimises the moves with every priority within `tolerance` of its best (2 %), and work the baseline
    starts before `today` (a month, YYYY-MM) is frozen. On programs too large for one model the neighbourhood
    search starts from the baseline where it still passes the checker, so only what gains is moved.

    The limit counts from `started` (a `time.perf_counter()` reading; default: now), so a caller that read
    and validated files first can include that in the user's limit. An infeasible scenario gets a plan with
    status `infeasible` and no explanation: explaining is its own call (`planner.explain`), which the CLI
    and the app make.

    With a `hint` plan (of this scenario or a variant of it), the search starts from the hint where the checker passes
    it, in place of the constructive plan, and falls back to it when CP-SAT finds nothing as good. The work packages
    in `keep` are held as the hint has them (done with its option, duration, funder and start, or not done), so only
    the others are decided: what one change costs with the rest of a plan as it is (`planner.diagnose.why`).
    """
    settings = settings or SolverSettings()
    started = time.perf_counter() if started is None else started
    problem = prepare(scenario)
    held = plan_decisions(problem, hint) if hint is not None else None
    hinted = held if held is not None and _passes(problem, held) else None
    if keep:
        if held is None:
            raise ValueError("work packages can be kept only as a hint plan has them")
        return _full_model(problem, settings, started, on_progress, stop, hinted, keep=(held, frozenset(keep)))
    too_large = _too_large(problem, settings, started)
    # The constructive plan hints the model and stands in when CP-SAT has none; projects whose makespan is
    # optimised (benchmark imports) have their own hint, so theirs is built only if CP-SAT finds nothing.
    makespan = Term.makespan in problem.scenario.objective.priorities
    until = started + CONSTRUCT_SHARE * settings.time_limit_s
    constructed = hinted
    if constructed is None and (too_large or not makespan):
        constructed = _constructed(problem, until if too_large else None)
    constructed_s = time.perf_counter() - started if constructed is not None else None
    if too_large and baseline is not None:
        held = plan_decisions(problem, baseline)
        if baseline.assignments and not check_plan(problem, draft_plan(problem, held)):
            constructed = held  # the baseline still holds: the search moves only what gains
    if constructed is not None and too_large:
        decisions, tried, kept = constructed, 0, 0
        if not settings.reproducible:  # the neighbourhood search runs on the clock
            deadline = started + settings.time_limit_s - _finish_margin(problem)
            decisions, tried, kept = improve(problem, constructed, settings, deadline, _sub_solve, stop)
        note = (
            "one model of the whole program does not fit the time limit: the constructive plan, checked, "
            f"then {kept} of {tried} neighbourhoods (one program each) improved by CP-SAT"
        )
        return _constructive_plan(problem, decisions, settings, started, [], note, constructed_s)
    if too_large:
        # Neither a constructive plan nor time to build one model of the whole program: say so within the limit.
        return Plan(
            scenario=problem.scenario.name,
            scenario_digest=scenario_digest(problem.scenario),
            status=Status.unknown,
            reporting_currency=problem.money.reporting,
            solver=_info(settings, started, [], None, engine="constructive"),
            explanation=[
                f"no plan found within {settings.time_limit_s:g} s: the program is too large for one model in that "
                "time and the constructive plan could not place all the work every plan holds; the scenario may be "
                "feasible: try a longer time limit"
            ],
        )
    plan = _full_model(
        problem, settings, started, on_progress, stop, constructed, baseline=baseline, today=today, tolerance=tolerance
    )
    # A plan once found is never lost: where CP-SAT's best within the limit is worse under the priorities than
    # the checked constructive plan (its first stage ran out before reaching the hint), the latter wins.
    cp_sat = plan.found and plan.solver is not None and plan.solver.engine == "cp-sat"
    # A plan that kept to the baseline gave up at most the tolerance on purpose: the constructive plan, which
    # ignores the baseline, does not replace it.
    stable = cp_sat and plan.solver is not None and any(st.term == "stability" for st in plan.solver.stages)
    if (
        constructed is not None
        and cp_sat
        and not stable
        and plan_score(problem, draft_plan(problem, constructed)) < plan_score(problem, plan)
    ):
        source = "the plan it started from" if hinted is not None else "the constructive plan"
        note = f"CP-SAT's best within the time limit was worse than {source}: the latter, checked"
        stages = plan.solver.stages if plan.solver is not None else []
        return _constructive_plan(problem, constructed, settings, started, stages, note, constructed_s)
    if constructed_s is not None and plan.solver is not None and not settings.reproducible:
        # the constructive plan, checked, was a valid plan before CP-SAT's first
        first = min(constructed_s, plan.solver.first_plan_s or constructed_s)
        plan = plan.model_copy(update={"solver": plan.solver.model_copy(update={"first_plan_s": round(first, 3)})})
    return plan


def _full_model(
    problem: PreparedProblem,
    settings: SolverSettings,
    started: float,
    on_progress: ProgressFn | None,
    stop: threading.Event | None,
    constructed: list[Decision] | None,
    background: dict[str, list[int]] | None = None,
    lead: int | None = None,
    baseline: Plan | None = None,
    today: str | None = None,
    keep: tuple[list[Decision], frozenset[str]] | None = None,
    tolerance: float = TOLERANCE,
) -> Plan:
    """One CP-SAT model of the whole (sub-)problem, solved stage by stage, hinted with `constructed`; stages from
    index `lead` on get at most TRAILING_STAGE_S each (a neighbourhood's first rounds, see `lns._leading`). With
    `keep`, its work packages are held as its decisions have them, and no other plan stands in for CP-SAT's."""
    b = Builder(problem, background=background)
    add_rules(b)
    if keep is not None:
        _keep(b, *keep)
    if b.makespan is not None:
        add_hint(b)  # a first plan, so the makespan interval's bound work does not delay the first solution
    elif constructed is not None:
        _hint_decisions(b, constructed)
        if background is not None:
            _complete_hint(b)
    stability = None
    if baseline is not None:
        stability = add_stability(b, baseline, problem.calendar.period_of(today) if today else None, tolerance)
        if b.makespan is None:
            b.model.clear_hints()  # the baseline instead of the constructive plan: what moves, moves for a gain
            _hint_decisions(b, stability.hint)
    objective = problem.scenario.objective
    terms = build_terms(b, list(objective.priorities))
    run = _run_stages(b, objective, terms, settings, started, on_progress, stop, lead, stability)
    fallback: Callable[[], list[Decision] | None] | None = None
    if background is None and (constructed is not None or keep is None):
        fallback = (lambda: constructed) if constructed is not None else (lambda: _constructed(problem))
    return _plan(problem, b, terms, run, settings, started, fallback)


def _keep(b: Builder, decisions: list[Decision], kept: frozenset[str]) -> None:
    """Hold the kept work packages as the decisions have them: done with that option, duration, funder and start,
    or not done. A decision the problem no longer allows (its mode is gone) leaves the model without a plan."""
    chosen = {d.work_package: d for d in decisions}
    for w in kept:
        v = b.wps.get(w)
        d = chosen.get(w)
        if v is None:
            continue
        if d is None:
            b.model.add(v.present == 0)
            continue
        same = [md.x for md in v.modes if (md.option.id, md.duration, md.funder) == (d.option, d.duration, d.funder)]
        b.model.add(v.present == 1)
        b.model.add_bool_or(same)  # one mode at most is chosen already; none left means no plan
        b.model.add(v.start == d.start)


def _passes(problem: PreparedProblem, decisions: list[Decision]) -> bool:
    """Whether decisions make a plan the independent checker passes."""
    return bool(decisions) and not check_plan(problem, draft_plan(problem, decisions))


def _sub_solve(
    problem: PreparedProblem,
    settings: SolverSettings,
    hint: list[Decision],
    background: dict[str, list[int]],
    lead: int | None = None,
) -> Plan:
    """A neighbourhood of the large-neighbourhood search, as its own small model (no fallback plan)."""
    return _full_model(problem, settings, time.perf_counter(), None, None, hint, background, lead)


TRAILING_STAGE_S = 0.5
"""Seconds at most for each stage after the leading ones in a neighbourhood's first rounds: enough to take the
hint and tidy the later priorities (cost) without spending the neighbourhood's time on them."""


def _finish_margin(problem: PreparedProblem) -> float:
    """Seconds kept at the end for assembling, checking and writing the plan (grows with its size)."""
    return 0.5 + 0.0004 * len(problem.work_packages)


@dataclass
class _Stages:
    """What the stages of one solve found; `solver` is the last stage's that found a plan (None: none did)."""

    names: list[str]
    lexicographic: bool
    stages: list[Stage] = field(default_factory=list)
    solver: cp_model.CpSolver | None = None
    status: Status = Status.optimal
    bounds: dict[str, float] = field(default_factory=dict)
    weighted_bound: float | None = None
    gaps: list[float] = field(default_factory=list)
    first_plan_s: float | None = None
    relaxed: bool = False  # the stability stage ran with the earlier priorities given their tolerance


class ModelInvalidError(RuntimeError):
    """CP-SAT refused a model as invalid: a bug in the planner (validation should have refused the scenario)."""


def _run_stages(
    b: Builder,
    objective: Objective,
    terms: dict[Term, TermExpr],
    settings: SolverSettings,
    started: float,
    on_progress: ProgressFn | None,
    stop: threading.Event | None,
    lead: int | None = None,
    stability: Stability | None = None,
) -> _Stages:
    """One stage per term in priority order (each keeping the earlier terms at their best), or one weighted stage;
    stages from index `lead` on get at most TRAILING_STAGE_S. With `stability`, a last stage minimises it with
    every earlier priority allowed `stability.tolerance` of its best (see `_stability_stage`)."""
    lexicographic = objective.mode == "lexicographic"
    run = _Stages(
        names=[t.value for t in objective.priorities] if lexicographic else ["weighted"], lexicographic=lexicographic
    )
    search = _search(b)
    kept: list[tuple[cp_model.Constraint, int]] = []  # each stage's "no worse than its best", and that best
    count = len(run.names) + (1 if stability is not None else 0)
    for k, name in enumerate(run.names):
        if lexicographic:
            te = terms[Term(name)]
            b.model.minimize(te.minimised)
            scale, sign = te.scale, (-1 if te.maximise else 1)
        else:
            b.model.minimize(weighted(terms, dict(objective.weights)))
            scale, sign = 1, 1
        stage_solver = cp_model.CpSolver()
        budget = _budget(settings, started, k, count, lead)
        _parameters(stage_solver, settings, budget, search)
        t0 = time.perf_counter()
        watcher = _Watcher(k, count, name, scale, sign, started, on_progress)
        if on_progress is not None:
            stage_solver.best_bound_callback = watcher.on_bound
        code = _solve_first_or_stage(stage_solver, b.model, watcher, stop, k, settings, started, search)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if k == 0:
                run.status = Status.infeasible if code == cp_model.INFEASIBLE else Status.unknown
                run.stages.append(Stage(term=name, status=run.status, wall_time_s=_wall(settings, t0)))
            break  # a later stage found nothing better in time: keep the previous stage's plan
        run.solver = stage_solver
        run.first_plan_s = watcher.first_s if run.first_plan_s is None else run.first_plan_s
        value = sign * stage_solver.objective_value / scale
        bound = sign * stage_solver.best_objective_bound / scale
        stage_status = Status.optimal if code == cp_model.OPTIMAL else Status.feasible
        if stage_status is Status.feasible:
            run.status = Status.feasible
        run.gaps.append(relative_gap(value, bound))
        run.stages.append(
            Stage(term=name, status=stage_status, value=value, bound=bound, wall_time_s=_wall(settings, t0))
        )
        best = round(stage_solver.objective_value)
        if lexicographic:
            run.bounds[name] = bound
            te = terms[Term(name)]
            kept.append((b.model.add(te.minimised <= best), best))
            _hint_everything(b.model, stage_solver)
        else:
            run.weighted_bound = bound
            if stability is not None:
                kept.append((b.model.add(weighted(terms, dict(objective.weights)) <= best), best))
                _hint_everything(b.model, stage_solver)
        if _stopped(stop):
            break  # the remaining stages count as not proven (below)
    if stability is not None and run.solver is not None and len(kept) == len(run.names) and not _stopped(stop):
        _stability_stage(b, run, kept, stability, settings, started, search, stop)
    return run


def _solve_first_or_stage(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    watcher: _Watcher,
    stop: threading.Event | None,
    k: int,
    settings: SolverSettings,
    started: float,
    search: Search,
) -> cp_model.CpSolverStatus:
    """Run stage `k`; the first stage, without a plan at its share, may use all the time left."""
    code = _solve_stage(solver, model, watcher, stop, k)
    left = settings.time_limit_s - (time.perf_counter() - started)
    if k == 0 and code == cp_model.UNKNOWN and left > 0.05 and not settings.reproducible and not _stopped(stop):
        _parameters(solver, settings, left, search)
        code = _solve_stage(solver, model, watcher, stop, k)
    return code


def _stability_stage(
    b: Builder,
    run: _Stages,
    kept: list[tuple[cp_model.Constraint, int]],
    stability: Stability,
    settings: SolverSettings,
    started: float,
    search: Search,
    stop: threading.Event | None,
) -> None:
    """Minimise the moves from the baseline, each earlier priority within `stability.tolerance` of its best.

    Each stage's constraint "no worse than its best" is loosened in place by the tolerance (its domain's upper
    end; the expression's constant is already folded into it). The stage's plan replaces the last one only if
    it is found; its priorities are then reported as they are, no longer claimed optimal."""
    for ct, best in kept:
        slack = int(abs(best) * stability.tolerance)
        if slack:
            domain = ct.proto.linear.domain
            domain[len(domain) - 1] += slack
    b.model.minimize(stability.expr)
    if stability.hint:  # from the baseline itself: where it still holds, it is the answer (no move at all)
        b.model.clear_hints()
        _hint_decisions(b, stability.hint)
        _complete_hint(b)
    stage_solver = cp_model.CpSolver()
    _parameters(stage_solver, settings, _budget(settings, started, len(kept), len(kept) + 1), search)
    t0 = time.perf_counter()
    watcher = _Watcher(len(kept), len(kept) + 1, "stability", 1, 1, started, None)
    code = _solve_stage(stage_solver, b.model, watcher, stop, len(kept))
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return
    run.solver = stage_solver
    run.relaxed = True
    status = Status.optimal if code == cp_model.OPTIMAL else Status.feasible
    value, bound = stage_solver.objective_value, stage_solver.best_objective_bound
    run.stages.append(Stage(term="stability", status=status, value=value, bound=bound, wall_time_s=_wall(settings, t0)))


def _plan(
    problem: PreparedProblem,
    b: Builder,
    terms: dict[Term, TermExpr],
    run: _Stages,
    settings: SolverSettings,
    started: float,
    fallback: Callable[[], list[Decision] | None] | None = None,
) -> Plan:
    """The plan of the last stage that found one, else the checked constructive plan (`fallback`, built on
    demand), else a plan without assignments that says why there is none."""
    scenario = problem.scenario
    info = _info(settings, started, run.stages, run.first_plan_s)
    common = dict(
        scenario=scenario.name,
        scenario_digest=scenario_digest(scenario),
        reporting_currency=b.money.reporting,
        solver=info,
    )
    status, solver = run.status, run.solver
    constructed = fallback() if solver is None and status is Status.unknown and fallback is not None else None
    if solver is None and status is Status.unknown and constructed is not None:
        # CP-SAT has nothing yet: the constructive plan, checked, is the answer, against bounds that need no solver.
        note = "CP-SAT found no plan within the time limit: the constructive plan, checked"
        return _constructive_plan(problem, constructed, settings, started, run.stages, note, None)
    if solver is None:
        explanation: list[str] = []  # why it is infeasible is `planner.diagnose.explain`'s call, made by the caller
        if status is not Status.infeasible:
            explanation = [
                f"no plan found within {settings.time_limit_s:g} s; the scenario may be feasible: try a longer time limit"
            ]
        return Plan(status=status, explanation=explanation, **common)

    if len(run.stages) < len(run.names) and status is Status.optimal:
        status = Status.feasible
    decisions = _decisions(b, solver)
    chosen = {d.work_package for d in decisions}
    objective_values = {t.value: round(_natural(solver, te), 6) for t, te in terms.items()}
    first = run.names[0]
    bounds, gaps = dict(run.bounds), list(run.gaps)
    if run.lexicographic and len(run.stages) < len(run.names):
        # Priorities whose stage did not run (or found nothing better in time) are not optimised: they are
        # reported as such, against bounds that hold for every plan, and count in the gap.
        solver_free = _solver_free(problem, run.names, objective_values)
        unrun = [name for name in run.names if name not in {s.term for s in run.stages}]
        for name in unrun:
            bounds[name] = solver_free[name]
            gaps.append(relative_gap(objective_values[name], solver_free[name]))
        extra = [
            Stage(term=n, status=Status.unknown, value=objective_values[n], bound=round(solver_free[n], 6))
            for n in unrun
        ]
        note = f"not optimised within the time limit: {', '.join(unrun)} (bounds without a solver)"
        info = info.model_copy(update={"stages": [*info.stages, *extra], "note": note})
        common["solver"] = info
    proven = _value_proven(run.stages, run.names)
    if run.relaxed:
        # The stability stage may have given up to TOLERANCE of each priority: the gaps are the plan's own.
        if run.lexicographic:
            gaps = [relative_gap(objective_values[n], bounds[n]) for n in run.names if n in bounds]
            stage_values = {st.term: st.value for st in run.stages}
            proven = proven and objective_values.get("value") == stage_values.get("value")
        else:
            value = float(solver.value(weighted(terms, dict(problem.scenario.objective.weights))))
            gaps = [relative_gap(value, run.weighted_bound)] if run.weighted_bound is not None else []
            proven = False
        if any(g > 0 for g in gaps) and status is Status.optimal:
            status = Status.feasible
    return Plan(
        status=status,
        objective=objective_values,
        bounds={k: round(v, 6) for k, v in bounds.items()},
        bound=round(bounds[first], 6) if run.lexicographic else run.weighted_bound,
        gap=round(max(gaps), 6) if gaps else None,
        assignments=assignments(problem, decisions),
        left_out=left_out(problem, chosen, proven=proven),
        **common,
    )


BUILD_S_PER_MODE = 0.0003
"""Seconds of model building per mode (option × duration × payer), measured at 2,000 work packages on the
benchmark machine (benchmarks/results/scale.md); a model whose estimate exceeds 15 % of the time left is not built."""

FULL_MODEL_MODES = 4_000
"""Above this many modes one model of the whole program is not tried (the neighbourhood search works on one
program at a time): at 500 work packages (8,700 modes) CP-SAT found no plan in 60 s even with the constructive
hint, while at 100 (2,300 modes) it proved the value and lateness priorities in 30 s (benchmarks/results/scale.md).
The demo has 552."""


def _too_large(problem: PreparedProblem, settings: SolverSettings, started: float) -> bool:
    """Whether one model of the whole program is too large to help within the time left (never when reproducible)."""
    if settings.reproducible:
        return False
    modes = 0
    for w, wp in problem.work_packages.items():
        funded = bool(problem.programs[wp.program].funders)
        for o in problem.options(w):
            payers = len(problem.funders_for(o.institution, wp.program)) if funded and o.funding is None else 1
            modes += len(o.durations) * max(1, payers)
    left = settings.time_limit_s - (time.perf_counter() - started)
    return modes > FULL_MODEL_MODES or modes * BUILD_S_PER_MODE > 0.15 * left


def _constructive_plan(
    problem: PreparedProblem,
    decisions: list[Decision],
    settings: SolverSettings,
    started: float,
    stages: list[Stage],
    note: str,
    first_plan_s: float | None,
) -> Plan:
    """A checked constructive plan, each priority against a bound that holds for every plan (no solver needed)."""
    scenario = problem.scenario
    rows = assignments(problem, decisions)
    base = Plan(scenario=scenario.name, scenario_digest=scenario_digest(scenario), status=Status.feasible)
    values = evaluate(problem, base.model_copy(update={"assignments": rows}))
    objective = scenario.objective
    priorities = [t.value for t in objective.priorities]
    bounds = _solver_free(problem, priorities if objective.mode == "lexicographic" else [], values)
    gaps = {t: relative_gap(values[t], bounds[t]) for t in priorities}
    proven = objective.mode == "lexicographic" and all(g == 0 for g in gaps.values())
    by_term = [
        Stage(
            term=t,
            status=Status.optimal if gaps[t] == 0 else Status.feasible,
            value=round(values[t], 6),
            bound=round(bounds[t], 6),
        )
        for t in priorities
    ]
    info = _info(settings, started, [*stages, *by_term], first_plan_s, engine="constructive", note=note)
    lexicographic = objective.mode == "lexicographic"
    value_proven = (
        lexicographic
        and "value" in priorities
        and all(gaps[t] == 0 for t in priorities[: priorities.index("value") + 1])
    )
    return base.model_copy(
        update={
            "status": Status.optimal if proven else Status.feasible,
            "objective": {t: round(values[t], 6) for t in priorities},
            "bounds": {t: round(bounds[t], 6) for t in priorities} if lexicographic else {},
            "bound": round(bounds[priorities[0]], 6) if lexicographic else None,
            "gap": round(max(gaps.values()), 6) if lexicographic else None,
            "reporting_currency": problem.money.reporting,
            "solver": info,
            "assignments": rows,
            "left_out": left_out(
                problem, {d.work_package for d in decisions}, proven=value_proven or "value" not in priorities
            ),
        }
    )


def _solver_free(problem: PreparedProblem, priorities: list[str], values: dict[str, float]) -> dict[str, float]:
    """Bounds without a solver; in lexicographic order the cost bound is for plans worth at least the plan's value,
    as a cost stage's bound is when value ranks first."""
    value = None
    if "value" in priorities and "cost" in priorities and priorities.index("value") < priorities.index("cost"):
        value = values.get("value")
    return term_bounds(problem, value)


def _info(
    settings: SolverSettings,
    started: float,
    stages: list[Stage],
    first_plan_s: float | None,
    engine: str = "cp-sat",
    note: str | None = None,
) -> SolverInfo:
    """How the plan was made; times are left out in reproducible mode, so equal runs give equal files."""
    clock = not settings.reproducible
    return SolverInfo(
        engine=engine,
        ortools_version=version("ortools"),
        time_limit_s=settings.time_limit_s,
        workers=settings.workers,
        seed=settings.seed,
        reproducible=settings.reproducible,
        wall_time_s=round(time.perf_counter() - started, 3) if clock else None,
        stages=stages,
        first_plan_s=round(first_plan_s, 3) if clock and first_plan_s is not None else None,
        note=note,
    )


CONSTRUCT_SHARE = 0.8
"""Of the time limit, the share the constructive plan may take (in more passes, `construct`'s `until`) when it is
the only way to a plan: on programs too large for one model. Passes stop at the first plan, so this is time
spent only where no plan exists yet; the rest is for checking it and writing it."""


def _constructed(problem: PreparedProblem, until: float | None = None) -> list[Decision] | None:
    """The constructive plan's decisions if they pass the independent checker, else None."""
    decisions = construct(problem, until=until)
    if decisions is None:
        return None
    return decisions if not check_plan(problem, draft_plan(problem, decisions)) else None


def _hint_decisions(b: Builder, decisions: list[Decision]) -> None:
    """Hint CP-SAT with a plan given as decisions (work package, option, start, duration, payer)."""
    chosen = {d.work_package: d for d in decisions}
    for w, v in b.wps.items():
        d = chosen.get(w)
        b.model.add_hint(v.present, d is not None)
        if d is not None:
            b.model.add_hint(v.start, d.start)
            b.model.add_hint(v.end, d.start + d.duration)
        for md in v.modes:
            hit = d is not None and (md.option.id, md.duration, md.funder) == (d.option, d.duration, d.funder)
            b.model.add_hint(md.x, hit)


def _complete_hint(b: Builder) -> None:
    """Hint every variable, not only the decisions: a neighbourhood's hint is a whole plan, and CP-SAT takes a
    complete hint at once where it spent a second of search repairing a partial one (benchmarks/results/scale.md).
    The values come from a solve with every hinted variable fixed, which takes hundredths of a second."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 1.0
    if solver.solve(b.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        _hint_everything(b.model, solver)


def _value_proven(stages: list[Stage], names: list[str]) -> bool:
    """Whether leaving optional work out was decided by a proven stage: every stage up to the value term optimal."""
    if "value" not in names and "weighted" not in names:
        return True  # value is no priority: leaving optional work out follows from the priorities
    for stage in stages:
        if stage.status is not Status.optimal:
            return False
        if stage.term in ("value", "weighted"):
            return True
    return False


def _budget(settings: SolverSettings, started: float, stage: int, stages: int, lead: int | None = None) -> float:
    """Seconds for a stage: an equal share of what is left (of the whole deterministic limit when reproducible);
    with `lead`, stages from that index on get TRAILING_STAGE_S at most and the leading ones share the rest."""
    if settings.reproducible:  # shares of the whole limit: nothing depends on the clock
        first, left = 0, settings.time_limit_s
    else:
        first, left = stage, settings.time_limit_s - (time.perf_counter() - started)
    if lead is None or lead >= stages:
        return left / (stages - first)
    if stage >= lead:
        return min(TRAILING_STAGE_S, left / (stages - first))
    return max(left / (stages - first), (left - TRAILING_STAGE_S * (stages - lead)) / (lead - first))


def _solve_stage(
    solver: cp_model.CpSolver, model: cp_model.CpModel, watcher: _Watcher, stop: threading.Event | None, stage: int
) -> cp_model.CpSolverStatus:
    """Run one stage; a stop request ends it within 0.1 s once a plan exists (from this stage or an earlier one).

    A model CP-SAT refuses as invalid is a bug, not a slow search: it raises ModelInvalidError, never reported as
    "no plan in time"."""
    code = _run_solver(solver, model, watcher, stop, stage)
    if code == cp_model.MODEL_INVALID:
        raise ModelInvalidError(f"CP-SAT refused the model of stage {stage + 1} as invalid: {model.validate()}")
    return code


def _run_solver(
    solver: cp_model.CpSolver, model: cp_model.CpModel, watcher: _Watcher, stop: threading.Event | None, stage: int
) -> cp_model.CpSolverStatus:
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
