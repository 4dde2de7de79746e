"""The timing of a plan on hand-made chains whose earliest and latest starts, float and critical paths are known
exactly; and on a generated program, that slipping any work package by its float keeps every timing rule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from planner.check import check_plan
from planner.check.context import Context
from planner.check.rules import RULES
from planner.check.terms import evaluate
from planner.diagnose.timing import plan_timing
from planner.domain.plan import DeliverableDate
from planner.domain.rules import Rule
from planner.problem.assemble import Decision, draft_plan
from tests.conftest import large_program, scenario, wps

if TYPE_CHECKING:
    from planner.domain.plan import Assignment, Plan
    from planner.domain.scenario import Scenario


def _plan(s: Scenario, *runs: tuple[str, int, int]) -> Plan:
    """A checked plan of (work package, start, duration), every one at institution a."""
    plan = draft_plan(s, [Decision(w, "a", start, d, None) for w, start, d in runs])
    assert check_plan(s, plan) == []
    return plan


def _chain(*items: dict[str, Any], **changes: Any) -> Scenario:
    """TINY with these work packages (1 PM each, so capacity never binds) and top-level `changes`."""
    return scenario(work_packages=wps(*({"effort_pm": 1, **item} for item in items)), **changes)


def _floats(timing: Any) -> dict[str, tuple[int, int, int, int]]:
    """(earliest start, latest start, total float, free float) per work package."""
    return {w: (x.earliest_start, x.latest_start, x.total_float, x.free_float) for w, x in timing.wps.items()}


def test_a_diamond_runs_critical_through_its_longer_branch() -> None:
    s = _chain(
        {"id": "A", "duration": 2},
        {"id": "B", "duration": 4, "after": ["A"]},
        {"id": "C", "duration": 1, "after": ["A"]},
        {"id": "D", "duration": 2, "after": ["B", "C"]},
    )
    timing = plan_timing(s, _plan(s, ("A", 0, 2), ("B", 2, 4), ("C", 2, 1), ("D", 6, 2)))
    assert _floats(timing) == {"A": (0, 0, 0, 0), "B": (2, 2, 0, 0), "C": (2, 5, 3, 3), "D": (6, 6, 0, 0)}
    assert timing.edges == (("A", "B"), ("A", "C"), ("B", "D"), ("C", "D"))
    assert timing.critical_paths == (("A", "B", "D"),)
    assert timing.critical_edges == {("A", "B"), ("B", "D")}
    assert [w for w, x in timing.wps.items() if x.critical] == ["A", "B", "D"]
    assert timing.wps["D"].drivers == ("B",)
    assert timing.wps["D"].limits == ("completion",)
    assert timing.horizon_end == 8


def test_a_late_start_off_the_critical_path_eats_its_free_float_first() -> None:
    s = _chain(
        {"id": "A", "duration": 2},
        {"id": "B", "duration": 4, "after": ["A"]},
        {"id": "C", "duration": 1, "after": ["A"]},
        {"id": "D", "duration": 2, "after": ["B", "C"]},
    )
    timing = plan_timing(s, _plan(s, ("A", 0, 2), ("B", 2, 4), ("C", 4, 1), ("D", 6, 2)))
    assert _floats(timing)["C"] == (2, 5, 1, 1)  # two of its three periods used by the plan already


def test_a_deadline_that_binds_makes_its_chain_critical() -> None:
    s = _chain(
        {"id": "A", "duration": 2},
        {"id": "B", "duration": 3, "after": ["A"], "deadline": "2025-05"},
        {"id": "E", "duration": 8},
    )
    timing = plan_timing(s, _plan(s, ("A", 0, 2), ("B", 2, 3), ("E", 0, 8)))
    assert _floats(timing) == {"A": (0, 0, 0, 0), "B": (2, 2, 0, 0), "E": (0, 0, 0, 0)}
    assert timing.wps["B"].limits == ("deadline",)
    assert timing.critical_paths == (("A", "B"), ("E",))
    # without the deadline the chain may slip to the completion
    loose = _chain({"id": "A", "duration": 2}, {"id": "B", "duration": 3, "after": ["A"]}, {"id": "E", "duration": 8})
    timing = plan_timing(loose, _plan(loose, ("A", 0, 2), ("B", 2, 3), ("E", 0, 8)))
    assert _floats(timing) == {"A": (0, 3, 3, 0), "B": (2, 5, 3, 3), "E": (0, 0, 0, 0)}
    assert timing.critical_paths == (("E",),)


def test_lags_finish_to_start_and_start_to_start() -> None:
    s = _chain(
        {"id": "A", "duration": 2},
        {"id": "B", "duration": 2, "after": [{"id": "A", "lag": 2}]},
        {"id": "C", "duration": 2, "after": [{"id": "A", "lag": 1, "type": "SS"}]},
    )
    timing = plan_timing(s, _plan(s, ("A", 0, 2), ("B", 5, 2), ("C", 1, 2)))
    # B may start at 0 + 2 + 2 = 4 and must by 7 − 2 = 5; A must start by min(5 − 2 − 2, 5 − 1) = 1
    assert _floats(timing) == {"A": (0, 1, 1, 0), "B": (4, 5, 0, 0), "C": (1, 5, 4, 4)}
    assert timing.wps["B"].drivers == ("A",)
    assert timing.wps["C"].drivers == ("A",)
    assert timing.critical_paths == (("B",),)


def test_a_left_out_optional_work_package_has_no_timing_and_a_group_waits_for_its_member_done() -> None:
    s = _chain(
        {"id": "A", "duration": 2},
        {"id": "O", "duration": 3, "after": ["A"], "mandatory": False, "value": 1},
        {"id": "G1", "duration": 1, "mandatory": False},
        {"id": "G2", "duration": 4, "mandatory": False},
        {"id": "D", "duration": 2, "after": ["A", "g"]},
        overlap_groups=[{"id": "g", "members": ["G1", "G2"]}],
    )
    timing = plan_timing(s, _plan(s, ("A", 0, 2), ("G2", 0, 4), ("D", 4, 2)))
    assert set(timing.wps) == {"A", "G2", "D"}
    assert timing.edges == (("A", "D"), ("G2", "D"))
    assert _floats(timing) == {"A": (0, 2, 2, 2), "G2": (0, 0, 0, 0), "D": (4, 4, 0, 0)}
    assert timing.critical_paths == (("G2", "D"),)
    assert timing.wps["D"].drivers == ("G2",)


def test_due_months_bind_only_as_far_as_the_plan_keeps_them() -> None:
    s = _chain(
        {"id": "A", "duration": 2, "due": "2025-03"},  # ends 2025-02: one period to spare
        {"id": "L", "duration": 3, "due": "2025-02"},  # ends 2025-03: late already, so it may not slip
        {"id": "E", "duration": 8},
    )
    timing = plan_timing(s, _plan(s, ("A", 0, 2), ("L", 0, 3), ("E", 0, 8)))
    assert _floats(timing)["A"] == (0, 1, 1, 1)
    assert _floats(timing)["L"] == (0, 0, 0, 0)
    assert timing.wps["L"].limits == ("due",)


def test_a_program_due_month_is_the_end_of_its_program() -> None:
    s = _chain({"id": "A", "duration": 2}, {"id": "E", "duration": 8}, programs=[{"id": "p", "due": "2025-04"}])
    timing = plan_timing(s, _plan(s, ("A", 0, 2), ("E", 0, 8)))
    # the program ends 2025-08 already: A may slip to there, not to its due 2025-04 (which E misses anyway)
    assert _floats(timing)["A"] == (0, 6, 6, 6)
    assert timing.wps["E"].limits == ("completion", "program_due")


def test_a_pinned_start_holds_its_work_and_what_leads_to_it() -> None:
    s = _chain(
        {"id": "A", "duration": 2},
        {"id": "B", "duration": 2, "after": ["A"]},
        {"id": "E", "duration": 10},
        pins=[{"work_package": "B", "start": "2025-04"}],
    )
    timing = plan_timing(s, _plan(s, ("A", 0, 2), ("B", 3, 2), ("E", 0, 10)))
    assert _floats(timing)["B"] == (3, 3, 0, 0)
    assert timing.wps["B"].limits == ("pin",)
    assert _floats(timing)["A"] == (0, 1, 1, 1)
    assert timing.critical_paths == (("E",), ("B",))  # by their first start


def test_a_deliverable_due_after_an_offset_limits_the_start() -> None:
    s = _chain(
        {"id": "A", "duration": 4, "deliverables": [{"id": "m1", "offset": 1, "due": "2025-03"}]},
        {"id": "E", "duration": 10},
    )
    timing = plan_timing(s, _plan(s, ("A", 0, 4), ("E", 0, 10)))
    # delivered at period start + 1, which may be at most period 3 (the end of 2025-03)
    assert _floats(timing)["A"] == (0, 2, 2, 2)
    assert timing.wps["A"].limits == ("deliverable:m1",)


def test_a_plan_that_breaks_a_deadline_shows_negative_float() -> None:
    s = _chain({"id": "A", "duration": 3}, {"id": "B", "duration": 2, "after": ["A"], "deadline": "2025-04"})
    plan = draft_plan(s, [Decision("A", "a", 0, 3, None), Decision("B", "a", 3, 2, None)])
    assert {v.rule for v in check_plan(s, plan)} == {Rule.window}
    timing = plan_timing(s, plan)
    assert timing.wps["B"].total_float == -1
    assert timing.wps["A"].total_float == -1
    assert timing.critical_paths == (("A", "B"),)


def test_an_empty_plan_has_no_timing(tiny_scenario: Scenario) -> None:
    plan = draft_plan(tiny_scenario, [])
    assert plan_timing(tiny_scenario, plan) == plan_timing(tiny_scenario, plan)
    assert plan_timing(tiny_scenario, plan).wps == {}


TIMING_RULES = (Rule.window, Rule.precedence, Rule.pin, Rule.deliverable)


def _slipped(s: Scenario, plan: Plan, wp: str, by: int, pushed: dict[str, int] | None = None) -> Plan:
    """The plan with `wp` started `by` periods later (and others by `pushed`), its dates and deliverables moved."""
    shifts = {wp: by, **(pushed or {})}
    cal = Context(s, plan).cal

    def moved(a: Assignment) -> Assignment:
        k = shifts.get(a.work_package, 0)
        if not k:
            return a
        start, end = a.start + k, a.end + k
        dates = [
            DeliverableDate(id=d.id, period=d.period + k, month=cal.last_month(d.period + k)) for d in a.deliverables
        ]
        return a.model_copy(
            update={
                "start": start,
                "end": end,
                "start_month": cal.start_month(start),
                "end_month": cal.last_month(end),
                "deliverables": dates,
            }
        )

    return plan.model_copy(update={"assignments": [moved(a) for a in plan.assignments]})


def _moves(s: Scenario, plan: Plan, completion: int, lateness: float) -> list[str]:
    """What a slipped plan moves that float promises to keep: timing rules, the completion, lateness."""
    ctx = Context(s, plan)
    out = [str(v) for rule in TIMING_RULES for v in RULES[rule](ctx)]
    out += ["completion"] if max(a.end for a in plan.assignments) > completion else []
    return out + (["lateness"] if evaluate(s, plan)["lateness"] > lateness else [])


@pytest.mark.parametrize("seed", [0, 1])
def test_slipping_by_the_float_keeps_every_timing_rule_and_one_more_period_does_not(seed: int) -> None:
    s, plan = large_program(60, 6, seed=seed)
    timing = plan_timing(s, plan)
    lateness = evaluate(s, plan)["lateness"]
    assert timing.critical_paths
    assert _moves(s, plan, timing.horizon_end, lateness) == []
    for w, x in timing.wps.items():
        assert x.earliest_start <= x.start <= x.latest_start
        assert 0 <= x.free_float <= x.total_float
        assert _moves(s, _slipped(s, plan, w, x.free_float), timing.horizon_end, lateness) == [], w
        # one more period breaks a rule (a successor's precedence, a limit of its own) or moves the end or lateness
        assert _moves(s, _slipped(s, plan, w, x.free_float + 1), timing.horizon_end, lateness), w
