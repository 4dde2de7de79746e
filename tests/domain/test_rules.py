"""The registry of rule families: every family is built, checked, explained and tested, under one word."""

from __future__ import annotations

from planner.check.rules import RULES
from planner.cpsat.constraints import FAMILIES, add_rules
from planner.cpsat.model import Builder
from planner.diagnose.explain import EXPLAINED
from planner.domain.rules import STATEMENTS, Rule
from planner.problem.validate import load_scenario
from tests.conftest import SCENARIOS
from tests.cpsat.test_solver import CASES


def test_every_family_is_in_every_registry() -> None:
    families = set(Rule)
    assert set(STATEMENTS) == families, "a family without its statement"
    assert set(FAMILIES) == families, "a family the model builder does not add"
    assert set(RULES) == families, "a family the checker does not check"
    assert set(EXPLAINED) == families, "a family the explanations do not account for"
    assert {case[0] for case in CASES} == families, "a family without a micro-scenario in tests/cpsat/test_solver.py"


def test_the_word_of_a_family_is_its_key() -> None:
    assert all(rule.value == rule.name for rule in Rule)
    assert Rule("funder_cap") is Rule.funder_cap and Rule.capacity.statement.startswith("in every period")


def test_every_named_rule_of_an_explanation_is_a_registry_family() -> None:
    b = Builder(load_scenario(SCENARIOS / "all-features.yaml"), explain=True)
    add_rules(b)
    guarded = list(b.rules.values())
    assert guarded, "explain mode guards rules with assumption literals"
    assert {g.rule for g in guarded} <= set(Rule)
    assert all(g.key.split(":")[0] == g.rule.value for g in guarded)
    named = {g.rule for g in guarded}
    assert {Rule.capacity, Rule.precedence, Rule.funder_cap} <= named, named
