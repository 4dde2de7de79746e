"""Synthetic programs: valid, the same for the same seed, feasible by a checked reference plan, or a planted conflict."""

from __future__ import annotations

import pytest

from planner.check import check_plan
from planner.diagnose import with_explanation
from planner.domain.plan import Plan, Status
from planner.domain.settings import SolverSettings
from planner.importers.psplib import scenario_to_yaml
from planner.importers.synthetic import generate
from planner.problem.assemble import assignments
from planner.problem.crosscheck import cross_check
from planner.problem.prepared import prepare
from planner.problem.validate import parse_scenario


@pytest.mark.parametrize(("n", "m", "k"), [(60, 8, 2), (250, 20, 3), (500, 40, 2)])
def test_a_generated_program_is_valid_and_its_reference_plan_keeps_every_rule(n: int, m: int, k: int) -> None:
    made = generate(n, m, countries=k, seed=7)
    s = made.scenario
    assert len(s.work_packages) == n and len(s.institutions) == m and len(s.countries) == k
    assert cross_check(s) == []
    assert parse_scenario(scenario_to_yaml(s)) == s  # what `planner generate` writes reads back the same
    reference = Plan(
        scenario=s.name,
        scenario_digest="-",
        status=Status.feasible,
        assignments=assignments(prepare(s), made.reference),
    )
    assert [str(v) for v in check_plan(s, reference)] == []
    # the limits bind: caps and shares exist, and the program has what the generator promises
    assert any(f.cap_per_year for f in s.funders) and s.overlap_groups and s.pins and s.prior_results
    assert any(w.deadline for w in s.work_packages) and any(not w.mandatory for w in s.work_packages)


def test_the_same_seed_gives_the_same_program_and_another_seed_another() -> None:
    first, again, other = (scenario_to_yaml(generate(80, 10, seed=s).scenario) for s in (3, 3, 4))
    assert first == again and first != other


def test_an_infeasible_program_names_its_conflict_and_the_explanation_finds_it() -> None:
    made = generate(80, 10, seed=5, infeasible=True)
    assert made.planted is not None
    planted = made.planted.split()[0]
    s = made.scenario
    assert cross_check(s) == []  # valid: the conflict is between rules, not in one field
    settings = SolverSettings(time_limit_s=30, workers=1)
    from planner.cpsat import solve

    plan = with_explanation(s, solve(s, settings), settings)
    assert plan.status is Status.infeasible
    assert any(planted in line for line in plan.explanation), plan.explanation


def test_impossible_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="countries"):
        generate(10, 5, countries=9)
    with pytest.raises(ValueError, match="one institution per country"):
        generate(10, 1, countries=2)
