"""Comparing plans: KPI deltas, and moved, added and dropped work packages told in domain words."""

from __future__ import annotations

import pytest

from planner import Plan, Scenario, SolverSettings, check_plan, solve
from planner.domain.plan import Status
from planner.domain.scenario import Pin
from planner.i18n import t
from planner.problem.prepared import prepare
from planner.report.compare import compare, short_money
from tests.conftest import solved

SETTINGS = SolverSettings(time_limit_s=2, workers=1, reproducible=True)


@pytest.fixture(scope="session")
def minimal() -> Scenario:
    return solved("minimal.yaml")[0]


@pytest.fixture(scope="session")
def plan() -> Plan:
    return solved("minimal.yaml")[1]


@pytest.fixture(scope="session")
def pinned(minimal: Scenario, plan: Plan) -> tuple[Scenario, Plan, str, str]:
    """The minimal scenario with U-01 pinned to another competent institution, solved again."""
    here = plan.assignment("U-01")
    assert here is not None
    there = next(o.institution for o in prepare(minimal).options("U-01") if o.institution != here.institution)
    assert there is not None
    scenario = minimal.model_copy(update={"pins": [Pin(work_package="U-01", institution=there)]})
    other = solve(scenario, SETTINGS)
    assert other.found and check_plan(scenario, other) == []
    return scenario, other, str(here.institution), there


def test_a_plan_against_itself_has_no_changes(minimal: Scenario, plan: Plan) -> None:
    c = compare(minimal, plan, minimal, plan)
    assert c.changes == ()
    assert c.moves_table().empty
    assert all(k.delta in (None, 0) for k in c.kpis)
    assert [k.key for k in c.kpis][:1] == ["status"]


def test_pinning_elsewhere_shows_as_a_move(
    minimal: Scenario, plan: Plan, pinned: tuple[Scenario, Plan, str, str]
) -> None:
    scenario, other, here, there = pinned
    c = compare(minimal, plan, scenario, other)
    moved = {m.work_package: m for m in c.of("moved")}
    assert (moved["U-01"].institution_a, moved["U-01"].institution_b) == (here, there)
    assert moved["U-01"].sentence().startswith(f"U-01 moved from {here} to {there}")
    assert moved["U-01"].sentence("ru").startswith(f"U-01 передан из {here} в {there}")
    row = c.moves_table().set_index("work_package").loc["U-01"]
    assert (row["change"], row["institution_a"], row["institution_b"]) == ("moved", here, there)
    cost = next(k for k in c.kpis if k.key == "cost_total")
    assert cost.delta is not None
    assert cost.delta == pytest.approx(c.kpis_b.cost_total - c.kpis_a.cost_total) and cost.delta > 0


def test_shift_and_cost_make_one_sentence(minimal: Scenario, plan: Plan) -> None:
    a = plan.assignment("U-03")
    assert a is not None
    later = a.model_copy(
        update={
            "start_month": _add(a.start_month, 4),
            "end_month": _add(a.end_month, 4),
            "cost_reporting": a.cost_reporting + 1.2e6,
        }
    )
    shifted = a.model_copy(update={"start_month": _add(a.start_month, 4), "end_month": _add(a.end_month, 4)})
    b = plan.model_copy(update={"assignments": [later if x is a else x for x in plan.assignments]})
    [change] = compare(minimal, plan, minimal, b).changes
    months = (
        int(later.start_month[5:]) - int(a.start_month[5:]) + 12 * (int(later.start_month[:4]) - int(a.start_month[:4]))
    )
    assert change.shift_months == months and change.duration_change_months == 0
    assert change.sentence() == f"U-03 stays at {a.institution}, starts {months} months later, cost +1.2 M"
    assert (
        change.sentence("ru")
        == f"U-03 остаётся за {a.institution}, начинается на {months} мес. позже, стоимость +1,2 млн"
    )
    b = plan.model_copy(update={"assignments": [shifted if x is a else x for x in plan.assignments]})
    [change] = compare(minimal, plan, minimal, b).changes
    assert change.sentence() == f"U-03 stays at {a.institution}, starts 4 months later"
    completion = next(k for k in compare(minimal, plan, minimal, b).kpis if k.key == "completion_month")
    last_a, last_b = max(x.end_month for x in plan.assignments), max(x.end_month for x in b.assignments)
    assert completion.delta == _months_between(last_a, last_b) and completion.delta >= 0  # U-03 moved 4 later
    assert (completion.a, completion.b) == (last_a, last_b)


def _months_between(a: str, b: str) -> int:
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[5:]) - int(a[5:])


def _add(month: str, n: int) -> str:
    year, mon = map(int, month.split("-"))
    k = year * 12 + mon - 1 + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def test_dropped_and_added(minimal: Scenario, plan: Plan) -> None:
    fewer = plan.model_copy(update={"assignments": [a for a in plan.assignments if a.work_package != "U-04"]})
    c = compare(minimal, plan, minimal, fewer)
    [dropped] = c.changes
    assert (dropped.change, dropped.work_package, dropped.institution_b) == ("dropped", "U-04", None)
    assert dropped.sentence() == f"U-04 dropped (was at {plan.assignment('U-04').institution})"  # type: ignore[union-attr]
    planned = next(k for k in c.kpis if k.key == "planned")
    assert (planned.a, planned.b, planned.delta) == (4, 3, -1)
    [added] = compare(minimal, fewer, minimal, plan).changes
    assert added.change == "added" and added.sentence().startswith("U-04 added at ")
    assert added.sentence("ru").startswith("U-04 добавлен: ")


def test_kpi_table_in_both_languages(minimal: Scenario, plan: Plan, pinned: tuple[Scenario, Plan, str, str]) -> None:
    scenario, other, _, _ = pinned
    c = compare(minimal, plan, scenario, other)
    en, ru = c.kpi_table("en"), c.kpi_table("ru")
    assert list(en.columns) == ["kpi", "a", "b", "delta"] and len(en) == len(c.kpis)
    assert t("kpi.objective", "ru", term=t("kpi.term.lateness", "ru")) in set(ru["kpi"])
    assert set(en["kpi"]).isdisjoint(set(ru["kpi"]))


@pytest.mark.parametrize(
    ("amount", "lang", "sign", "text"),
    [
        (1_234_567, "en", True, "+1.2 M USD"),
        (-1_234_567, "ru", True, "−1,2 млн USD"),
        (350_400, "en", False, "350 k USD"),
        (-12, "en", False, "−12 USD"),
    ],
)
def test_short_money(amount: float, lang: str, sign: bool, text: str) -> None:
    assert short_money(amount, "USD", lang, sign=sign) == text


def test_cards_and_translated_moves(minimal: Scenario, plan: Plan, pinned: tuple[Scenario, Plan, str, str]) -> None:
    scenario, other, _, there = pinned
    c = compare(minimal, plan, scenario, other)
    status = next(k for k in c.kpis if k.key == "status")
    assert status.show(status.b, "ru") == t(f"kpi.status.{other.status}", "ru") and status.show_delta() is None
    cost = next(k for k in c.kpis if k.key == "cost_total")
    assert cost.show_delta() == f"+{cost.delta:,.0f}"
    assert cost.show(1234567.0, "ru") == "1\u00a0234\u00a0567"
    moves = c.moves_table("ru")
    assert t("table.col.institution_b", "ru") in moves.columns
    assert there in set(moves[t("table.col.institution_b", "ru")])
    assert set(moves[t("table.col.change", "ru")]) <= {
        t(f"compare.change.{k}", "ru") for k in ("moved", "added", "dropped")
    }
    table = c.kpi_table("ru")
    assert table["a"].iloc[0] == t(f"kpi.status.{plan.status}", "ru")


@pytest.mark.parametrize("planless_first", [True, False])
def test_a_run_without_a_plan_compares_without_failing(minimal: Scenario, plan: Plan, planless_first: bool) -> None:
    none = plan.model_copy(update={"assignments": [], "status": Status.unknown, "objective": {}, "left_out": []})
    a, b = (none, plan) if planless_first else (plan, none)
    c = compare(minimal, a, minimal, b)
    assert len(c.changes) == len(plan.assignments)
    for lang in (None, "en", "ru"):
        table = c.moves_table(lang)
        assert len(table) == len(plan.assignments)
    assert c.kpi_table("ru") is not None
