"""Why no plan: conflicts planted in micro-scenarios, where the minimal set of rules and the least change of
each are known exactly. The explanation must name exactly the planted rules, with their numbers, and offer
changes that a re-solve confirms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from planner.cpsat import solve
from planner.diagnose.conflict import diagnose, holds_together
from planner.diagnose.explain import explain
from planner.domain.plan import Status
from planner.domain.settings import SolverSettings
from tests.conftest import scenario, wps

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario

FAST = SolverSettings(time_limit_s=5, workers=1)
HEAVY = {"effort_pm": 24, "duration": 12, "requires": {"c1": 4}}
BY_PAYS: dict[str, Any] = {
    "funders": [{"id": "by", "country": "BY", "cap_per_year": {2025: 500}}],
    "programs": [{"id": "p", "funders": ["by"]}],
}

# (name, scenario changes, {rule key: what the other rules need}, {rule key: the least change of that rule alone})
PLANTED: list[tuple[str, dict[str, Any], dict[str, str], dict[str, str]]] = [
    (
        "deadline",  # W1 takes 6 periods, so W2 (2 periods after it) ends in 2025-08 at the earliest
        {"work_packages": wps({"id": "W1", "duration": 6}, {"id": "W2", "after": ["W1"], "deadline": "2025-06"})},
        {
            "window:W2": "the other rules let it finish in 2025-08 at the earliest",
            "precedence:W2:W1": "the other rules need W2 to start 2 periods earlier than this allows",
        },
        {"window:W2": "move W2's deadline to 2025-08", "precedence:W2:W1": "drop the dependency of W2 on W1"},
    ),
    (
        "lag",  # a lag of 9 after W1's 2 periods leaves W2 no room in the 12-period horizon (not a rule); 8 does
        {"work_packages": wps({"id": "W1"}, {"id": "W2", "after": [{"id": "W1", "lag": 9}]})},
        {"precedence:W2:W1": "the other rules need W2 to start 1 period earlier than this allows"},
        {"precedence:W2:W1": "shorten the lag of W2 after W1 from 9 to 8"},
    ),
    (
        "capacity",  # only b has c1 at level 4; each work package needs all of b's 2 PM for the whole year
        {"work_packages": wps({"id": "W1", **HEAVY}, {"id": "W2", **HEAVY})},
        {
            "capacity:b": "the other rules need 2 PM more in some period: only b can do W1, W2, which need at least "
            "48 PM between 2025-01 and 2025-12, and it has 24 PM in that time"
        },
        {"capacity:b": "raise b's capacity from 2 to 4 PM per period"},
    ),
    (
        "yearly cap",  # by pays only BY, so a does both work packages: 2 × 4 PM × 100 = 800 in 2025
        BY_PAYS,
        {"funder_cap:by:2025": "the other rules need at least 800 from it in 2025"},
        {"funder_cap:by:2025": "raise by's 2025 cap from 500 to 800"},
    ),
    (
        "pinned start",  # W1 takes 2 periods: W2 can start in 2025-03 at the earliest
        {"pins": [{"work_package": "W2", "start": "2025-02"}]},
        {
            "pin:W2": "the other rules let it start 1 period away at the nearest, in 2025-03",
            "precedence:W2:W1": "the other rules need W2 to start 1 period earlier than this allows",
        },
        {"pin:W2": "move W2's pinned start to 2025-03", "precedence:W2:W1": "drop the dependency of W2 on W1"},
    ),
    (
        "pinned institution and start",  # the start is a rule of its own; the institution is not in the conflict
        {"pins": [{"work_package": "W2", "institution": "a", "start": "2025-02"}]},
        {
            "pin:W2:start": "the other rules let it start 1 period away at the nearest, in 2025-03",
            "precedence:W2:W1": "the other rules need W2 to start 1 period earlier than this allows",
        },
        {"pin:W2:start": "move W2's pinned start to 2025-03", "precedence:W2:W1": "drop the dependency of W2 on W1"},
    ),
]


@pytest.mark.parametrize(("name", "changes", "needs", "changed"), PLANTED, ids=[c[0] for c in PLANTED])
def test_the_explanation_names_exactly_the_planted_rules_with_numbers_and_confirmed_changes(
    name: str, changes: dict[str, Any], needs: dict[str, str], changed: dict[str, str]
) -> None:
    s = scenario(**changes)
    assert solve(s, FAST).status is Status.infeasible
    found = diagnose(s, budget_s=10)
    assert sorted(found.keys) == sorted(needs), found.lines()
    for f in found.findings:
        assert f.necessary and f.alone
        assert f.need == needs[f.key]
        assert f.change == changed[f.key]
        assert f.confirmed is True


@pytest.mark.parametrize(("name", "changes"), [(c[0], c[1]) for c in PLANTED], ids=[c[0] for c in PLANTED])
def test_the_set_is_minimal_dropping_any_rule_leaves_a_plan(name: str, changes: dict[str, Any]) -> None:
    s = scenario(**changes)
    keys = diagnose(s, budget_s=10).keys
    assert holds_together(s, keys) is False
    for key in keys:
        assert holds_together(s, [k for k in keys if k != key]) is True, key


def test_each_change_offered_really_admits_a_plan() -> None:
    """The yearly cap raised to what the explanation says is enough; one unit less is not."""
    s = scenario(**BY_PAYS)
    assert solve(_cap(s, 800), FAST).found
    assert solve(_cap(s, 799), FAST).status is Status.infeasible


def _cap(s: Scenario, amount: float) -> Scenario:
    funders = [f.model_copy(update={"cap_per_year": {2025: amount}}) for f in s.funders]
    return s.model_copy(update={"funders": funders})


def test_explain_lists_the_rules_with_numbers_then_the_changes() -> None:
    s = scenario(work_packages=wps({"id": "W1", "duration": 6}, {"id": "W2", "after": ["W1"], "deadline": "2025-06"}))
    assert explain(s, FAST) == [
        "no plan satisfies all of these rules together:",
        "- W2 must finish by 2025-06, but the other rules let it finish in 2025-08 at the earliest",
        "- W2 comes after W1, but the other rules need W2 to start 2 periods earlier than this allows",
        "each of these changes makes a plan possible (confirmed by a re-solve):",
        "- move W2's deadline to 2025-08",
        "- drop the dependency of W2 on W1",
    ]


def test_a_rule_that_cannot_move_alone_says_so() -> None:
    """Two deadlines each missed after W1: moving one of them alone leaves the other broken."""
    late = {"after": ["W1"], "deadline": "2025-06"}
    s = scenario(work_packages=wps({"id": "W1", "duration": 6}, {"id": "W2", **late}, {"id": "W3", **late}))
    found = diagnose(s, budget_s=10)
    assert len(found.findings) == 2  # W2's deadline and precedence, or W3's: either is a minimal set
    assert all(f.alone is False and f.change == "" and f.need for f in found.findings)
    assert "no change of one of these rules alone makes a plan possible" in "\n".join(found.lines())
