"""End-to-end solves of micro-scenarios: per rule family one that is feasible and one that is
infeasible only because of that rule. Every plan found goes through the independent checker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from planner.check import check_plan, evaluate
from planner.cpsat import solve
from planner.diagnose import with_explanation
from planner.domain.plan import Plan, Status
from planner.domain.rules import Rule
from planner.domain.settings import SolverSettings
from tests.conftest import DATA, TINY, scenario, wps

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario

FAST = SolverSettings(time_limit_s=5, workers=2)


def solved(s: Scenario) -> Plan:
    """Solve and assert that any plan found passes the checker and that the objective agrees with it."""
    plan = with_explanation(s, solve(s, FAST), FAST)
    if plan.found:
        assert check_plan(s, plan) == []
        recomputed = evaluate(s, plan)
        for term, value in plan.objective.items():
            assert recomputed[term] == pytest.approx(value, rel=1e-6, abs=len(plan.assignments) + 1e-6), term
    return plan


def test_tiny_is_optimal_and_sequenced(tiny_scenario: Scenario) -> None:
    plan = solved(tiny_scenario)
    assert plan.status is Status.optimal
    w1, w2 = plan.assignment("W1"), plan.assignment("W2")
    assert w1 and w2 and w1.end <= w2.start
    assert plan.objective["makespan"] == 4
    assert plan.gap == 0.0


# Each case: (rule family, name, changes that keep it feasible, changes that make it infeasible by that rule).
# Every family of the registry has at least one case (tests/domain/test_rules.py checks it).
CASES: list[tuple[Rule, str, dict[str, Any], dict[str, Any]]] = [
    (
        Rule.assignment,  # W2 has one option of 7 periods: after W1's 6 it cannot run within the 12-period horizon
        "runs within the horizon",
        {"work_packages": wps({"id": "W1", "duration": 6}, {"id": "W2", "duration": 6, "after": ["W1"]})},
        {"work_packages": wps({"id": "W1", "duration": 6}, {"id": "W2", "duration": 7, "after": ["W1"]})},
    ),
    (
        Rule.duplicate,  # 4 PM a month needs both institutions at once: one work package cannot be split or doubled
        "executed once",
        {"work_packages": wps({"id": "W1", "effort_pm": 24, "duration": 12})},
        {"work_packages": wps({"id": "W1", "effort_pm": 48, "duration": 12})},
    ),
    (
        Rule.mandatory,  # nobody has 4 PM a month for W1: optional, it is left out; mandatory, no plan exists
        "mandatory work is done",
        {"work_packages": wps({"id": "W1", "effort_pm": 48, "duration": 12, "mandatory": False})},
        {"work_packages": wps({"id": "W1", "effort_pm": 48, "duration": 12})},
    ),
    (
        Rule.funding,  # the program's only funder pays BY; forbidden at a (BY), W1 would go unpaid at b (RU)
        "paid by an eligible funder",
        {
            "funders": [{"id": "by", "country": "BY"}],
            "programs": [{"id": "p", "funders": ["by"]}],
            "forbids": [{"work_package": "W1", "institution": "b"}],
        },
        {
            "funders": [{"id": "by", "country": "BY"}],
            "programs": [{"id": "p", "funders": ["by"]}],
            "forbids": [{"work_package": "W1", "institution": "a"}],
        },
    ),
    (
        Rule.window,
        "deadline",
        {"work_packages": wps({"id": "W1", "deadline": "2025-02"})},
        {
            "work_packages": wps(
                {"id": "W1", "deadline": "2025-03"}, {"id": "W2", "after": ["W1"], "deadline": "2025-03"}
            )
        },
    ),
    (
        Rule.precedence,
        "precedence lag",
        {"work_packages": wps({"id": "W1"}, {"id": "W2", "after": [{"id": "W1", "lag": 8}]})},
        {"work_packages": wps({"id": "W1"}, {"id": "W2", "after": [{"id": "W1", "lag": 9}]})},
    ),
    (
        Rule.precedence,
        "start-to-start",
        {
            "work_packages": wps(
                {"id": "W1", "duration": 6}, {"id": "W2", "after": [{"id": "W1", "type": "SS"}], "deadline": "2025-06"}
            )
        },
        {"work_packages": wps({"id": "W1", "duration": 6}, {"id": "W2", "after": ["W1"], "deadline": "2025-06"})},
    ),
    (
        Rule.capacity,
        "institution capacity",  # only b has c1 at level 4; each work package needs all of b's 2 PM for a year
        {"work_packages": wps({"id": "W1", "effort_pm": 24, "duration": 12, "requires": {"c1": 4}})},
        {
            "work_packages": wps(
                {"id": "W1", "effort_pm": 24, "duration": 12, "requires": {"c1": 4}},
                {"id": "W2", "effort_pm": 24, "duration": 12, "requires": {"c1": 4}},
            )
        },
    ),
    (
        Rule.capacity,
        "capacity by year",
        {
            "institutions": [{**TINY["institutions"][0], "capacity_pm": 1, "capacity_pm_by_year": {2025: 2}}],
            "work_packages": wps({"id": "W1", "effort_pm": 24, "duration": 12, "requires": {}}),
        },
        {
            "institutions": [{**TINY["institutions"][0], "capacity_pm": 2, "capacity_pm_by_year": {2025: 1}}],
            "work_packages": wps({"id": "W1", "effort_pm": 24, "duration": 12, "requires": {}}),
        },
    ),
    (
        Rule.facility,
        "facility",
        {
            "facilities": [{"id": "lab", "capacity": 1}],
            "work_packages": wps(
                {"id": "W1", "duration": 6, "facilities": {"lab": 1}},
                {"id": "W2", "duration": 6, "facilities": {"lab": 1}},
            ),
        },
        {
            "facilities": [{"id": "lab", "capacity": 1}],
            "work_packages": wps(
                {"id": "W1", "duration": 7, "facilities": {"lab": 1}},
                {"id": "W2", "duration": 6, "facilities": {"lab": 1}},
            ),
        },
    ),
    (
        Rule.overlap,
        "overlap group",  # W3 and W4 are mandatory and need both members of a group that allows one
        {
            "work_packages": wps({"id": "W1", "mandatory": False}, {"id": "W2", "mandatory": False}),
            "overlap_groups": [{"id": "g", "members": ["W1", "W2"], "required": True}],
        },
        {
            "work_packages": wps(
                {"id": "W1", "mandatory": False},
                {"id": "W2", "mandatory": False},
                {"id": "W3", "after": ["W1"]},
                {"id": "W4", "after": ["W2"]},
            ),
            "overlap_groups": [{"id": "g", "members": ["W1", "W2"]}],
        },
    ),
    (
        Rule.pin,
        "pin",
        {"pins": [{"work_package": "W2", "institution": "b", "start": "2025-05"}]},
        {"pins": [{"work_package": "W1", "start": "2025-12"}]},
    ),
    (
        Rule.forbid,
        "forbid",
        {"forbids": [{"work_package": "W1", "institution": "a"}]},
        {"forbids": [{"work_package": "W1", "institution": "a"}, {"work_package": "W1", "institution": "b"}]},
    ),
    (
        Rule.funder_cap,
        "funder total",
        {
            "funders": [{"id": "by", "country": "BY", "total": 800}, {"id": "ru", "country": "RU", "total": 0}],
            "programs": [{"id": "p", "funders": ["by", "ru"]}],
        },
        {
            "funders": [{"id": "by", "country": "BY", "total": 799}, {"id": "ru", "country": "RU", "total": 0}],
            "programs": [{"id": "p", "funders": ["by", "ru"]}],
        },
    ),
    (
        Rule.funder_cap,
        "funder yearly cap",
        {
            "funders": [{"id": "by", "country": "BY", "cap_per_year": {2025: 200, 2026: 200}}],
            "time": {"start": "2025-07", "periods": 12},
            "work_packages": wps({"id": "W1", "effort_pm": 4, "duration": 4, "requires": {}}),
            "institutions": TINY["institutions"][:1],
            "programs": [{"id": "p", "funders": ["by"]}],
        },
        {
            "funders": [{"id": "by", "country": "BY", "cap_per_year": {2025: 199, 2026: 200}}],
            "time": {"start": "2025-07", "periods": 12},
            "work_packages": wps({"id": "W1", "effort_pm": 4, "duration": 4, "requires": {}, "deadline": "2025-12"}),
            "institutions": TINY["institutions"][:1],
            "programs": [{"id": "p", "funders": ["by"]}],
        },
    ),
    (
        Rule.funder_share,
        "funder country share",
        {
            "funders": [{"id": "us", "pays": ["BY", "RU"], "shares": {"RU": 0.6}, "tolerance": 0.01}],
            "programs": [{"id": "p", "funders": ["us"]}],
        },
        {
            "funders": [{"id": "us", "pays": ["BY", "RU"], "shares": {"RU": 0.7}, "tolerance": 0.01}],
            "programs": [{"id": "p", "funders": ["us"]}],
        },
    ),
    (
        Rule.program_share,
        "program country share",
        {"programs": [{"id": "p", "country_shares": {"BY": 0.4}, "share_tolerance": 0.02}]},
        {"programs": [{"id": "p", "country_shares": {"BY": 0.5}, "share_tolerance": 0.02}]},
    ),
    (
        Rule.institution_share,
        "institution share",
        {"programs": [{"id": "p", "max_institution_share": 0.6}]},
        {"programs": [{"id": "p", "max_institution_share": 0.55}]},
    ),
    (
        Rule.deliverable,
        "deliverable due",
        {
            "work_packages": wps(
                {"id": "W1", "duration": 4, "deliverables": [{"id": "D1", "offset": 1, "due": "2025-01"}]}
            )
        },
        {"work_packages": wps({"id": "W1", "duration": 4, "deliverables": [{"id": "D1", "due": "2025-03"}]})},
    ),
]


@pytest.mark.parametrize(("rule", "family", "feasible", "infeasible"), CASES, ids=[c[1] for c in CASES])
def test_rule_family(rule: Rule, family: str, feasible: dict[str, Any], infeasible: dict[str, Any]) -> None:
    ok = solved(scenario(**feasible))
    assert ok.found, f"{family}: the feasible variant has no plan: {ok.explanation}"
    bad = solved(scenario(**infeasible))
    assert bad.status is Status.infeasible, f"{family}: expected infeasible, got {bad.status}"
    assert bad.explanation, f"{family}: an infeasible plan must say why"


def test_optional_work_is_chosen_by_value() -> None:
    s = scenario(
        work_packages=wps(
            {"id": "W1"}, {"id": "W2", "mandatory": False, "value": 5}, {"id": "W3", "mandatory": False, "value": 0}
        ),
        objective={"priorities": ["value", "cost"]},
    )
    plan = solved(s)
    assert plan.assignment("W2") is not None
    assert plan.assignment("W3") is None
    assert [lo.work_package for lo in plan.left_out] == ["W3"]


def test_overlap_group_sibling_reason() -> None:
    s = scenario(
        work_packages=wps({"id": "W1", "mandatory": False}, {"id": "W2", "mandatory": False}),
        overlap_groups=[{"id": "g", "members": ["W1", "W2"], "required": True}],
    )
    plan = solved(s)
    assert len(plan.assignments) == 1
    assert "overlap group g" in plan.left_out[0].reason


def test_dependency_on_overlap_group_follows_the_chosen_member() -> None:
    s = scenario(
        work_packages=wps(
            {"id": "W1", "mandatory": False}, {"id": "W2", "mandatory": False}, {"id": "W3", "after": ["g"]}
        ),
        overlap_groups=[{"id": "g", "members": ["W1", "W2"], "required": False}],
    )
    plan = solved(s)
    chosen = [a for a in plan.assignments if a.work_package in ("W1", "W2")]
    w3 = plan.assignment("W3")
    assert len(chosen) == 1 and w3 is not None and chosen[0].end <= w3.start


def test_prior_result_makes_an_institution_cheaper() -> None:
    base = scenario(work_packages=wps({"id": "W1"}), objective={"priorities": ["cost"]})
    assert solved(base).assignment("W1").institution == "a"  # type: ignore[union-attr]
    helped = scenario(
        work_packages=wps({"id": "W1"}),
        prior_results=[{"institution": "b", "work_package": "W1", "effort_factor": 0.5}],
        objective={"priorities": ["cost"]},
    )
    a = solved(helped).assignment("W1")
    assert a is not None and a.institution == "b" and a.effort_pm == 2 and a.cost == 300


def test_duration_range_trades_time_for_load() -> None:
    s = scenario(
        work_packages=wps({"id": "W1", "effort_pm": 8, "duration": {"min": 2, "max": 8}}),
        objective={"priorities": ["makespan"]},
    )
    a = solved(s).assignment("W1")
    assert a is not None and a.end - a.start == 4 and a.load_pm == 2  # capacity 2 PM/month → 4 months at best


def test_work_that_fills_every_institution_to_the_makespan_is_proven_optimal() -> None:
    # 4 × 8 PM of work, 2 PM/month at each of two institutions: 8 months only if every month of both
    # institutions is full, whichever durations are chosen. The energy row (constraints._energy) makes
    # this the LP's bound; a wrong coefficient in it would cut the plan off or leave 8 unproven.
    s = scenario(
        work_packages=wps(*({"id": f"W{i}", "effort_pm": 8, "duration": {"min": 2, "max": 8}} for i in range(1, 5))),
        objective={"priorities": ["makespan"]},
    )
    plan = solved(s)
    assert plan.status is Status.optimal and plan.objective["makespan"] == 8


@pytest.mark.parametrize(("name", "optimum"), [("j1010_1.mm", 17), ("J50100_1.mm", 45)])
def test_multi_mode_benchmark_instances_reach_their_proven_optima(name: str, optimum: int) -> None:
    from planner.importers.psplib import import_psplib

    s = import_psplib(DATA / name)  # known optima: ../shared/benchmarks/known_values
    plan = solve(s, SolverSettings(time_limit_s=10, workers=2))
    assert check_plan(s, plan) == []
    assert plan.status is Status.optimal and plan.objective["makespan"] == optimum


def test_currency_conversion_uses_yearly_rates() -> None:
    s = scenario(
        time={"start": "2025-11", "periods": 12},
        currencies={"reporting": "USD", "rates": {"BYN": {2025: 0.5, 2026: 0.25}}},
        countries=[
            {"id": "BY", "name": "Belarus", "currency": "BYN"},
            {"id": "RU", "name": "Russia", "currency": "BYN"},
        ],
        work_packages=wps(
            {"id": "W1", "effort_pm": 4, "duration": 4, "earliest_start": "2025-11", "deadline": "2026-02"}
        ),
        pins=[{"work_package": "W1", "institution": "a"}],
        objective={"priorities": ["cost"]},
    )
    a = solved(s).assignment("W1")
    assert a is not None and a.cost == 400 and a.cost_reporting == pytest.approx(200 * 0.5 + 200 * 0.25)


def test_weighted_objective() -> None:
    s = scenario(
        objective={"priorities": ["makespan", "cost"], "mode": "weighted", "weights": {"makespan": 1000, "cost": 1}}
    )
    plan = solved(s)
    assert plan.found and plan.objective["makespan"] == 4


def test_reproducible_mode_gives_identical_bytes(tmp_path: Any) -> None:
    from planner.io.plan_file import write_plan

    s = scenario(work_packages=wps(*({"id": f"W{i}", "duration": {"min": 2, "max": 4}} for i in range(1, 9))))
    settings = SolverSettings(time_limit_s=2, workers=2, seed=7, reproducible=True)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    write_plan(solve(s, settings), first)
    write_plan(solve(s, settings), second)
    assert first.read_bytes() == second.read_bytes()


def test_raw_cp_sat_parameters_pass_through_including_lists() -> None:
    from ortools.sat.python import cp_model

    from planner.cpsat.solver import _parameters

    settings = SolverSettings(
        time_limit_s=5, workers=2, parameters={"subsolvers": ["default_lp", "max_lp"], "linearization_level": 2}
    )
    assert solve(scenario(), settings).status is Status.optimal
    probe = cp_model.CpSolver()
    _parameters(probe, settings, 5)
    assert list(probe.parameters.subsolvers) == ["default_lp", "max_lp"]
    assert probe.parameters.linearization_level == 2
    _parameters(probe, SolverSettings(parameters={"subsolvers": "fixed"}), 5)  # one value of a list field
    assert list(probe.parameters.subsolvers) == ["fixed"]


def test_two_workers_search_single_mode_projects_by_order_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ortools.sat.python import cp_model

    import planner.cpsat.solver as solver_module
    from planner.cpsat.model import Builder
    from planner.cpsat.solver import NOT_FOR_ORDER, Search, _parameters, _search
    from planner.importers.psplib import import_psplib

    single, multi = Builder(import_psplib(DATA / "j301_1.sm")), Builder(import_psplib(DATA / "j1010_1.mm"))
    assert _search(multi) is Search.MODES  # modes to choose under budgets
    assert _search(single) is Search.ORDER  # 32 work packages: small
    monkeypatch.setattr(solver_module, "LARGE_PROJECT", 10)
    assert _search(single) is Search.LARGE_ORDER
    assert _search(multi) is Search.MODES

    def subsolvers(settings: SolverSettings, search: Search) -> tuple[list[str], list[str]]:
        """(full workers, skipped interleaved subsolvers) as CP-SAT would be set up."""
        probe = cp_model.CpSolver()
        _parameters(probe, settings, 5, search)
        _parameters(probe, settings, 5, search)  # set up twice, as on the first stage's retry
        return list(probe.parameters.subsolvers), list(probe.parameters.ignore_subsolvers)

    skipped = list(NOT_FOR_ORDER)
    assert "scheduling_time_window_lns" not in skipped and "graph_var_lns" in skipped
    assert subsolvers(SolverSettings(workers=2), Search.LARGE_ORDER) == (["quick_restart"], skipped)
    assert subsolvers(SolverSettings(workers=2), Search.ORDER) == ([], skipped)  # CP-SAT's default_lp
    assert subsolvers(SolverSettings(workers=2), Search.MODES) == ([], [])  # multi-mode: CP-SAT's defaults
    assert subsolvers(SolverSettings(workers=4), Search.LARGE_ORDER) == ([], [])
    fixed = SolverSettings(workers=2, parameters={"subsolvers": "fixed"})
    assert subsolvers(fixed, Search.LARGE_ORDER) == (["fixed"], [])
    mine = SolverSettings(workers=2, parameters={"ignore_subsolvers": ["ls"]})
    assert subsolvers(mine, Search.ORDER) == ([], ["ls"])


def test_unknown_cp_sat_parameter_is_a_clear_error() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="unknown CP-SAT parameter"):
        SolverSettings(parameters={"num_wrokers": 3})


def test_stop_keeps_the_best_plan_so_far_and_does_not_claim_optimality() -> None:
    import threading

    stop = threading.Event()
    stop.set()  # stopped before the first stage ends: the first plan found is kept
    s = scenario(objective={"priorities": ["makespan", "cost", "balance"]})
    plan = solve(s, FAST, stop=stop)
    assert plan.found and plan.status is Status.feasible
    assert check_plan(s, plan) == []
    # only the first stage ran; the others are listed as not optimised, against bounds without a solver
    assert plan.solver is not None
    ran, rest = plan.solver.stages[0], plan.solver.stages[1:]
    assert ran.term == "makespan" and [s.term for s in rest] == ["cost", "balance"]
    assert all(s.status is Status.unknown and s.bound is not None for s in rest)
    assert plan.gap is not None and set(plan.bounds) == {"makespan", "cost", "balance"}


def test_capacity_explanation_names_the_work_and_the_numbers() -> None:
    heavy = {"effort_pm": 24, "duration": 12, "requires": {"c1": 4}}
    s = scenario(work_packages=wps({"id": "W1", **heavy}, {"id": "W2", **heavy}))
    plan = with_explanation(s, solve(s, FAST), FAST)
    assert plan.status is Status.infeasible
    assert plan.explanation == [
        "no plan satisfies this rule:",
        "- capacity of b (2 PM per period), but the other rules need 2 PM more in some period: only b can do W1, W2, "
        "which need at least 48 PM between 2025-01 and 2025-12, and it has 24 PM in that time",
        "each of these changes makes a plan possible (confirmed by a re-solve):",
        "- raise b's capacity from 2 to 4 PM per period",
    ]


def test_first_plan_heuristic_respects_precedence_and_capacity() -> None:
    from planner.cpsat.constraints import add_rules
    from planner.cpsat.heuristic import first_plan
    from planner.cpsat.model import Builder

    s = scenario(
        work_packages=wps(
            {"id": "W1", "duration": 6},
            {"id": "W2", "after": [{"id": "W1", "type": "SS", "lag": 1}]},
            {"id": "W3", "after": ["W2"], "effort_pm": 8, "duration": 4},
        ),
        objective={"priorities": ["makespan"]},
    )
    b = Builder(s)
    add_rules(b)
    placed = first_plan(b)
    assert placed is not None
    starts = {w: st for w, (_, st) in placed.items()}
    ends = {w: st + md.duration for w, (md, st) in placed.items()}
    assert starts["W2"] >= starts["W1"] + 1 and starts["W3"] >= ends["W2"]
    plan = solved(s)  # the hinted solve still proves the optimum
    assert plan.status is Status.optimal


def test_first_plan_keeps_funder_totals_paid_from_costs() -> None:
    # Each of a and b can do a work package in 2 months at full capacity; the fastest plan runs W1 and
    # W2 side by side, one at each. ru pays b's work but has nothing (total 0), so the hint must queue
    # both on a, paid by by. The greedy once counted explicit funding only and hinted W2 at b.
    from planner.cpsat.constraints import add_rules
    from planner.cpsat.heuristic import first_plan
    from planner.cpsat.model import Builder

    s = scenario(
        work_packages=wps({"id": "W1"}, {"id": "W2"}),
        funders=[{"id": "by", "country": "BY", "total": 800}, {"id": "ru", "country": "RU", "total": 0}],
        programs=[{"id": "p", "funders": ["by", "ru"]}],
        objective={"priorities": ["makespan"]},
    )
    b = Builder(s)
    add_rules(b)
    placed = first_plan(b)
    assert placed is not None
    assert {w: (md.institution, md.funder, st) for w, (md, st) in placed.items()} == {
        "W1": ("a", "by", 0),
        "W2": ("a", "by", 2),
    }


def test_a_program_too_large_for_one_model_without_a_constructive_plan_says_so_within_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import planner.cpsat.solver as solver

    full_model_built: list[bool] = []
    monkeypatch.setattr(solver, "_too_large", lambda *_: True)
    monkeypatch.setattr(solver, "construct", lambda *_, **__: None)
    monkeypatch.setattr(solver, "_full_model", lambda *_: full_model_built.append(True))
    plan = solve(scenario(), SolverSettings(time_limit_s=30))
    assert plan.status is Status.unknown and not plan.assignments and not full_model_built
    assert "too large for one model" in plan.explanation[0] and "longer time limit" in plan.explanation[0]


def test_a_reproducible_limit_converts_to_deterministic_units_at_the_calibrated_rate() -> None:
    from ortools.sat.python import cp_model

    from planner.cpsat.solver import DETERMINISTIC_PER_SECOND, _parameters

    solver = cp_model.CpSolver()
    _parameters(solver, SolverSettings(time_limit_s=10, reproducible=True), 10)
    assert solver.parameters.max_deterministic_time == pytest.approx(10 * DETERMINISTIC_PER_SECOND)
    assert DETERMINISTIC_PER_SECOND < 1  # one unit took more than a second here (benchmark machine, 2 cores)


def test_a_neighbourhoods_trailing_stages_get_a_moment_and_the_leading_ones_share_the_rest() -> None:
    from planner.cpsat.solver import TRAILING_STAGE_S, _budget

    settings = SolverSettings(time_limit_s=5, reproducible=True)  # shares of the limit: no clock involved
    assert [_budget(settings, 0.0, k, 3) for k in range(3)] == pytest.approx([5 / 3] * 3)
    led = [_budget(settings, 0.0, k, 3, lead=2) for k in range(3)]
    assert led == pytest.approx([(5 - TRAILING_STAGE_S) / 2, (5 - TRAILING_STAGE_S) / 2, TRAILING_STAGE_S])
    assert _budget(settings, 0.0, 0, 2, lead=2) == pytest.approx(2.5)  # nothing trails: as without a lead


EXACT = SolverSettings(time_limit_s=20, workers=1, reproducible=True)


def three_in_a_row(**changes: Any) -> Scenario:
    """W1 → W2 → W3 on a or b, cost first: a (100 per PM) does all of it, one after another."""
    return scenario(
        work_packages=wps({"id": "W1"}, {"id": "W2", "after": ["W1"]}, {"id": "W3", "after": ["W2"]}),
        objective={"priorities": ["cost", "makespan"]},
        **changes,
    )


def test_keep_holds_the_other_work_packages_as_the_hint_has_them() -> None:
    plan = solve(three_in_a_row(), EXACT)
    assert {a.institution for a in plan.assignments} == {"a"}
    forced = three_in_a_row(pins=[{"work_package": "W2", "institution": "b"}])
    moved = solve(forced, EXACT, hint=plan, keep=["W1", "W3"])
    assert moved.status is Status.optimal and check_plan(forced, moved) == []
    for w in ("W1", "W3"):
        before, after = plan.assignment(w), moved.assignment(w)
        assert before and after
        assert (after.institution, after.start, after.end) == (before.institution, before.start, before.end)
    w2 = moved.assignment("W2")
    assert w2 is not None and w2.institution == "b"


def test_keep_without_room_is_no_plan_where_the_free_search_finds_one() -> None:
    plan = solve(three_in_a_row(), EXACT)
    w2 = plan.assignment("W2")
    assert w2 is not None
    # W2 pinned to start two months later than the plan has it: with W3 held where it is, it cannot fit
    forced = three_in_a_row(pins=[{"work_package": "W2", "start": f"2025-{w2.start + 3:02d}"}])
    assert solve(forced, EXACT, hint=plan, keep=["W1", "W3"]).status is Status.infeasible
    free = solve(forced, EXACT, hint=plan)
    assert free.found and check_plan(forced, free) == []


def test_a_hint_that_passes_the_checker_is_where_the_search_starts() -> None:
    s = three_in_a_row()
    plan = solve(s, EXACT)
    again = solve(s, EXACT, hint=plan)
    assert again.status is Status.optimal and again.objective == plan.objective
    with pytest.raises(ValueError, match="hint"):
        solve(s, EXACT, keep=["W1"])
