"""The prepared problem: built once per scenario, and its windows, payees and forced work."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from planner.problem.prepared import PreparedProblem, Window, prepare
from tests.conftest import TINY, scenario, wps

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario


def test_prepare_builds_once_per_scenario_object_and_anew_for_a_copy(tiny_scenario: Scenario) -> None:
    p = prepare(tiny_scenario)
    assert prepare(tiny_scenario) is p and prepare(p) is p
    copy = tiny_scenario.model_copy(update={"name": "what if"})
    assert prepare(copy) is not p and prepare(copy).scenario is copy
    assert copy != tiny_scenario and scenario() == tiny_scenario  # equality ignores the prepared problem


def test_prepare_is_safe_to_share_between_threads(tiny_scenario: Scenario) -> None:
    seen: list[PreparedProblem] = []
    threads = [threading.Thread(target=lambda: seen.append(prepare(tiny_scenario))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and all(x.scenario is tiny_scenario for x in seen)


def test_windows_follow_earliest_starts_deadlines_and_chains() -> None:
    s = scenario(
        work_packages=wps(
            {"id": "W1", "earliest_start": "2025-03", "duration": 2},
            {"id": "W2", "after": [{"id": "W1", "lag": 1}], "duration": 3, "deadline": "2025-10"},
            {"id": "W3", "after": [{"id": "W2", "type": "SS"}], "duration": 1, "mandatory": False},
        )
    )
    w = prepare(s).windows
    # W1 may start in March (2); W2 after W1's 2 periods and the lag of 1: period 5; W3 with W2's start.
    # W2 ends by period 10 after 3 periods, so starts by 7; with the lag W1 must end by 6.
    assert w["W1"] == Window(earliest_start=2, latest_end=12, chain_start=2, chain_end=6)
    assert w["W2"] == Window(earliest_start=0, latest_end=10, chain_start=5, chain_end=10)
    assert w["W3"] == Window(earliest_start=0, latest_end=12, chain_start=5, chain_end=12)  # optional: binds nobody
    assert all(x.room >= 0 for x in w.values())


def test_a_group_predecessor_waits_for_its_quickest_member() -> None:
    s = scenario(
        work_packages=wps(
            {"id": "W1", "duration": 4, "mandatory": False},
            {"id": "W2", "duration": 2, "mandatory": False},
            {"id": "W3", "after": ["g"], "duration": 1},
        ),
        overlap_groups=[{"id": "g", "members": ["W1", "W2"], "required": True}],
    )
    w = prepare(s).windows
    assert w["W3"].chain_start == 2
    assert w["W1"].chain_end == 12 and w["W2"].chain_end == 12  # either member may be the one done


def test_payees_capacity_and_forced_work() -> None:
    s = scenario(
        funders=[{"id": "by", "country": "BY"}, {"id": "joint", "pays": ["BY", "RU"], "institutions": ["b"]}],
        programs=[{"id": "p", "funders": ["by", "joint"]}],
        institutions=[{**TINY["institutions"][0], "capacity_pm_by_year": {2025: 1}}, TINY["institutions"][1]],
        time={"start": "2025-11", "periods": 4},
        work_packages=wps({"id": "W1", "mandatory": False}, {"id": "W2", "mandatory": False, "after": ["W1"]}),
        pins=[{"work_package": "W2", "institution": "b"}],
    )
    p = prepare(s)
    assert p.payees == {"by": frozenset({"a"}), "joint": frozenset({"b"})}
    assert p.funders_for("a", "p") == ["by"] and p.funders_for("b", "p") == ["joint"] and p.funders_for(None, "p") == []
    assert p.capacity("a") == [1, 1, 2, 2]  # 2025 by year, then the default capacity_pm
    assert p.forced == {"W1", "W2"}  # pinned work and what it depends on
    assert p.payee_countries("joint") == ["BY", "RU"]
