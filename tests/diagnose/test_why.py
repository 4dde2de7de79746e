"""Why this plan: micro-scenarios with a planted reason (a full institution, a reached cap, a deadline chain, a pin)
whose explanation names it with its numbers, and alternatives whose cost the independent checker confirms."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from planner.check import check_plan, evaluate
from planner.cpsat import solve
from planner.diagnose.alternatives import Outcome, alternatives, force
from planner.diagnose.binding import Quantity
from planner.diagnose.why import WhyCache, plan_digest, why_plan, why_work_package
from planner.domain.plan import Status
from planner.domain.rules import Rule
from planner.domain.settings import SolverSettings
from planner.problem.assemble import Decision, draft_plan
from tests.conftest import scenario, wps

if TYPE_CHECKING:
    from planner.diagnose.binding import Reason
    from planner.diagnose.why import WpWhy
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario

EXACT = SolverSettings(time_limit_s=20, workers=1, reproducible=True)  # deterministic: no clock decides


def _plan(s: Scenario, *runs: tuple[str, str, int, int, str | None]) -> Plan:
    """A checked plan of (work package, institution, start, duration, funder)."""
    plan = draft_plan(s, [Decision(w, inst, start, d, funder) for w, inst, start, d, funder in runs])
    assert check_plan(s, plan) == []
    return plan


def _kind(answer: WpWhy, kind: str) -> Reason:
    found = [r for r in answer.reasons if r.kind == kind]
    assert found, [r.text() for r in answer.reasons]
    return found[0]


def _value(r: Reason, name: str) -> float:
    v = r.value(name)
    assert isinstance(v, Quantity), v
    return v.value


def test_a_full_institution_is_named_with_its_months_and_person_months() -> None:
    # a gives 2 PM a month; W1 (4 PM over 2 months) fills it in 2025-01…2025-02, W2 waits for it
    s = scenario(work_packages=wps({"id": "W1"}, {"id": "W2"}))
    plan = _plan(s, ("W1", "a", 0, 2, None), ("W2", "a", 2, 2, None))
    w2 = why_work_package(s, plan, "W2", with_alternatives=False)
    full = _kind(w2, "capacity_full")
    assert full.binding and full.rule is Rule.capacity
    assert (full.value("institution"), full.value("months")) == ("a", "2025-03…2025-04")
    assert _value(full, "capacity") == 2.0 and _value(full, "own") == 2.0
    before = _kind(w2, "capacity_before")
    assert before.value("months") == "2025-01…2025-02" and _value(before, "free") == 0.0
    assert (
        before.text()
        == "a has at most 0.0 PM a month free in 2025-01…2025-02, before its start; this work needs 2.0 PM a month"
    )
    assert "a загружена полностью (2,0 чел.-мес. в месяц) в 2025-03…2025-04" in full.text("ru")


def test_capacity_is_not_said_to_hold_work_that_could_start_earlier_within_it() -> None:
    # W1 fills a in 2025-01…2025-02; W2 starts in 2025-05 although a is free in 2025-03…2025-04: capacity is not why
    s = scenario(work_packages=wps({"id": "W1"}, {"id": "W2"}))
    plan = _plan(s, ("W1", "a", 0, 2, None), ("W2", "a", 4, 2, None))
    kinds = [r.kind for r in why_work_package(s, plan, "W2", with_alternatives=False).reasons]
    assert "capacity_before" not in kinds, kinds


def _funded(cap_2025: float) -> Scenario:
    """TINY's program paid by a BY budget capped at `cap_2025` in 2025 (b, in RU, is unpaid: only a can be used)."""
    return scenario(
        currencies={"reporting": "BYN"},
        countries=[{"id": "BY", "name": "Belarus", "currency": "BYN"}, {"id": "RU", "name": "Russia"}],
        funders=[{"id": "by-budget", "country": "BY", "cap_per_year": {2025: cap_2025}}],
        programs=[{"id": "p", "name": "P", "funders": ["by-budget"]}],
        work_packages=wps({"id": "W1"}, {"id": "W2"}),
    )


def test_a_reached_cap_is_named_with_what_is_paid_and_what_this_work_takes() -> None:
    s = _funded(800)  # W1 and W2 cost 400 BYN each at a
    plan = _plan(s, ("W1", "a", 0, 2, "by-budget"), ("W2", "a", 2, 2, "by-budget"))
    cap = _kind(why_work_package(s, plan, "W2", with_alternatives=False), "cap_reached")
    assert cap.rule is Rule.funder_cap and cap.binding
    assert (cap.value("funder"), cap.value("year")) == ("by-budget", 2025)
    assert (_value(cap, "used"), _value(cap, "cap"), _value(cap, "own")) == (800, 800, 400)
    assert cap.text() == "by-budget's 2025 cap is reached: 800 BYN of 800 BYN paid; this work takes 400 BYN of it"
    near = _kind(why_work_package(_funded(820), plan, "W2", with_alternatives=False), "cap_near")
    assert not near.binding and _value(near, "cap") == 820
    slack = why_plan(_funded(820), plan).slack
    money = [x for x in slack if x.rule is Rule.funder_cap]
    assert [(x.subject, x.year, x.used, x.limit, round(x.left, 6)) for x in money] == [
        ("by-budget", 2025, 800, 820, 20)
    ]


def test_a_deadline_chain_is_the_critical_path_to_the_deadline() -> None:
    s = scenario(
        work_packages=wps(
            {"id": "W1", "effort_pm": 1}, {"id": "W2", "effort_pm": 1, "after": ["W1"], "deadline": "2025-04"}
        )
    )
    plan = _plan(s, ("W1", "a", 0, 2, None), ("W2", "a", 2, 2, None))
    critical = _kind(why_work_package(s, plan, "W1", with_alternatives=False), "critical")
    assert critical.binding and critical.value("path") == "W1 → W2"
    assert (
        critical.text()
        == "on the critical path W1 → W2 to W2's hard deadline 2025-04: it cannot slip without moving it"
    )
    w2 = why_work_package(s, plan, "W2", with_alternatives=False)
    assert _kind(w2, "deadline_met").value("month") == "2025-04"
    assert _kind(w2, "after").value("wp") == "W1"
    # with a month to spare before the deadline, and other work ending later, the chain has float instead
    later = scenario(
        work_packages=wps(
            {"id": "W1", "effort_pm": 1},
            {"id": "W2", "effort_pm": 1, "after": ["W1"], "deadline": "2025-05"},
            {"id": "W3", "effort_pm": 1, "duration": 6},
        )
    )
    runs = (("W1", "a", 0, 2, None), ("W2", "a", 2, 2, None), ("W3", "b", 0, 6, None))
    loose = why_work_package(later, _plan(later, *runs), "W1", with_alternatives=False)
    slip = _kind(loose, "float")
    assert not slip.binding and (slip.value("n"), slip.value("month"), slip.value("free")) == (1, "2025-02", 0)


def test_a_work_package_critical_alone_is_held_by_its_own_limit_said_once() -> None:
    """No chain: a pinned start holds it. Said as the pin and 'no float', not as 'its earliest start' again."""
    s = scenario(
        work_packages=wps(
            {"id": "W1", "effort_pm": 1, "earliest_start": "2025-02"}, {"id": "W2", "effort_pm": 1, "duration": 6}
        ),
        pins=[{"work_package": "W1", "start": "2025-02"}],
    )
    plan = _plan(s, ("W1", "a", 1, 2, None), ("W2", "b", 0, 6, None))
    answer = why_work_package(s, plan, "W1", with_alternatives=False)
    kinds = [r.kind for r in answer.reasons]
    assert "pin_start" in kinds and "earliest_start" not in kinds and "critical" not in kinds
    alone = _kind(answer, "critical_alone")
    assert alone.text() == "no float: it is held by W1's pinned start 2025-02; it cannot slip without moving it"


def test_a_pin_is_named_and_its_cost_is_what_forcing_the_work_elsewhere_saves() -> None:
    # cost only: a does it for 400, b for 600; W1 is pinned at the dearer b
    s = scenario(
        work_packages=wps({"id": "W1"}),
        pins=[{"work_package": "W1", "institution": "b", "note": "agreed in the passport"}],
        objective={"priorities": ["cost"]},
    )
    plan = solve(s, EXACT)
    assert plan.status is Status.optimal
    answer = why_work_package(s, plan, "W1", settings=EXACT)
    pin = _kind(answer, "pin_institution")
    assert pin.text() == "pinned at b (agreed in the passport)"
    (alt,) = answer.alternatives or ()
    assert (alt.institution, alt.outcome, alt.deltas, alt.proven, alt.alone) == (
        "a",
        Outcome.found,
        (("cost", -200.0),),
        True,
        True,
    )
    assert (
        "- a: cost −200 — proven: no plan with it there does better; only it moves, to 2025-01…2025-02"
        in answer.lines()
    )


def _two_chains() -> Scenario:
    """Cost first, then lateness: three work packages that a does cheaper, a chain with a due month."""
    return scenario(
        work_packages=wps({"id": "W1"}, {"id": "W2", "after": ["W1"], "due": "2025-06"}, {"id": "W3", "effort_pm": 2}),
        objective={"priorities": ["cost", "lateness", "makespan"]},
    )


@pytest.mark.parametrize("wp", ["W1", "W2", "W3"])
def test_each_alternative_is_confirmed_by_the_checker(wp: str) -> None:
    s = _two_chains()
    plan = solve(s, EXACT)
    assert plan.status is Status.optimal and check_plan(s, plan) == []
    answer = why_work_package(s, plan, wp, settings=EXACT)
    alts = answer.alternatives or ()
    assert [x.institution for x in alts] == ["b"]
    before = evaluate(s, plan)
    for x in alts:
        assert x.outcome is Outcome.found and x.forced is not None
        forced = force(s, wp, x.institution)
        assert check_plan(forced, x.forced) == []  # the forced plan passes, with the work package where it was forced
        assert x.forced.assignment(wp).institution == x.institution  # type: ignore[union-attr]
        after = evaluate(s, x.forced)
        assert dict(x.deltas) == {
            t: pytest.approx(after[t] - before[t], abs=1e-6) for t in ("cost", "lateness", "makespan")
        }
        assert x.proven  # both plans proven optimal: the deltas are exact
        assert x.deltas[0] == ("cost", pytest.approx(x.forced.assignment(wp).cost - plan.assignment(wp).cost))  # type: ignore[union-attr]


def test_forbidden_institutions_are_not_tried_and_left_out_work_has_no_alternatives() -> None:
    s = scenario(
        work_packages=wps({"id": "W1"}, {"id": "W2", "mandatory": False, "value": 0}),
        forbids=[{"work_package": "W1", "institution": "b", "note": "no"}],
        objective={"priorities": ["cost"]},
    )
    plan = solve(s, EXACT)
    assert plan.assignment("W2") is None
    w1 = why_work_package(s, plan, "W1", settings=EXACT)
    assert [(x.institution, x.outcome) for x in w1.alternatives or ()] == [("b", Outcome.forbidden)]
    assert _kind(w1, "only").value("institution") == "a"
    assert "- b: forbidden by the scenario" in w1.lines()
    w2 = why_work_package(s, plan, "W2", settings=EXACT)
    assert w2.assignment is None and w2.alternatives is None and w2.lines()[0].startswith("W2 — : not in the plan (")


def test_an_unknown_work_package_is_refused_with_the_known_ones() -> None:
    s = scenario()
    plan = _plan(s, ("W1", "a", 0, 2, None), ("W2", "a", 2, 2, None))
    with pytest.raises(ValueError, match=r"unknown work package 'W9' \(known: W1, W2\)"):
        why_work_package(s, plan, "W9")


def test_the_plan_summary_lists_the_tightest_room_first_and_the_most_constrained_work() -> None:
    s = scenario(
        work_packages=wps({"id": "W1"}, {"id": "W2", "effort_pm": 1}),
        pins=[{"work_package": "W1", "institution": "a"}],
    )
    plan = _plan(s, ("W1", "a", 0, 2, None), ("W2", "b", 0, 2, None))
    summary = why_plan(s, plan)
    capacity = [(x.subject, x.year, x.used, x.limit, x.full) for x in summary.slack if x.rule is Rule.capacity]
    assert capacity == [("a", 2025, 4.0, 24.0, 2), ("b", 2025, 1.0, 24.0, 0)]
    assert summary.constrained[0].work_package == "W1"
    lines = summary.lines()
    assert lines[:2] == [
        "Room left, rule by rule (tightest first):",
        "Capacity, person-months left per institution and year (2):",
    ]
    assert lines[2] == "- a 2025: 20.0 PM left of 24.0 PM (83.3%); 2 period(s) booked to capacity"
    assert any(line.startswith("- W1 — : a, 2025-01…2025-02: pinned at a") for line in lines)
    assert summary.lines("ru")[0] == "Запас по каждому правилу (самые напряжённые сначала):"


def test_answers_are_kept_per_plan_and_work_package() -> None:
    s = _two_chains()
    plan = solve(s, EXACT)
    cache = WhyCache(size=2)
    first = why_work_package(s, plan, "W1", settings=EXACT, cache=cache)
    assert why_work_package(s, plan, "W1", settings=EXACT, cache=cache) is first
    reordered = plan.model_copy(update={"assignments": list(reversed(plan.assignments))})
    assert plan_digest(reordered) == plan_digest(plan)  # the same decisions are the same plan
    other = plan.model_copy(update={"status": Status.feasible})
    assert why_work_package(s, other, "W1", settings=EXACT, cache=cache) is not first
    assert len(cache) == 2


def test_an_alternative_as_good_as_an_optimal_plan_is_proven_to_cost_nothing() -> None:
    # a and b at the same rate, cost only: W1 may be at either; moved alone (no re-solve) it ties with the plan
    s = scenario(
        institutions=[{**i, "rate_per_pm": 100} for i in scenario().model_dump(mode="json")["institutions"]],
        work_packages=wps({"id": "W1"}),
        objective={"priorities": ["cost"]},
    )
    plan = solve(s, EXACT)
    assert plan.status is Status.optimal
    (alt,) = alternatives(s, plan, "W1", EXACT, resolved=0)
    assert (alt.outcome, alt.deltas, alt.resolved, alt.alone) == (Outcome.found, (("cost", 0.0),), False, True)
    assert alt.proven  # the plan is proven best and the move reaches it
    not_proven = plan.model_copy(update={"status": Status.feasible})
    (again,) = alternatives(s, not_proven, "W1", EXACT, resolved=0)
    assert again.deltas == (("cost", 0.0),) and not again.proven  # neither the plan nor the move is proven best
    (resolved,) = alternatives(s, not_proven, "W1", EXACT)
    assert resolved.proven  # the re-solve proves no plan with it at b does better than this plan's cost


def test_shares_at_their_limit_and_a_full_facility_are_named_with_their_numbers() -> None:
    # W1 at a (BY, 400) and W2 at b (RU, 600): BY has 40 % of the program, the least 50 % ± 10 % allows; b has 60 %,
    # the most one institution may take; both use the one test slot of facility f
    s = scenario(
        facilities=[{"id": "f", "capacity": 1, "unit": "test slots"}],
        programs=[
            {
                "id": "p",
                "name": "P",
                "country_shares": {"BY": 0.5},
                "share_tolerance": 0.1,
                "max_institution_share": 0.6,
            }
        ],
        work_packages=wps({"id": "W1", "facilities": {"f": 1}}, {"id": "W2", "facilities": {"f": 1}}),
    )
    plan = _plan(s, ("W1", "a", 0, 2, None), ("W2", "b", 2, 2, None))
    w1 = why_work_package(s, plan, "W1", with_alternatives=False)
    share = _kind(w1, "program_share_low")
    assert share.rule is Rule.program_share
    assert share.text() == "program p spends 40.0% of its cost in BY, the least its share allows (50.0% ± 10.0%)"
    facility = _kind(w1, "facility_full")
    assert (
        facility.text()
        == "facility f is booked to its capacity of 1.0 test slots in 2025-01…2025-02; this work uses 1.0 test slots"
    )
    w2 = why_work_package(s, plan, "W2", with_alternatives=False)
    assert _kind(w2, "institution_share").text() == "b takes 60.0% of program p's cost, the most allowed (60.0%)"
    assert [x.subject for x in why_plan(s, plan).slack if x.rule is Rule.facility] == ["f"]
