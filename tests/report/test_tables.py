"""Plan tables: every figure adds up to the plan and agrees with the checker's rules."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from openpyxl import load_workbook

from planner import Plan, Scenario, SolverSettings, Status, check_plan, parse_scenario, solve
from planner.domain.scenario import Funder
from planner.i18n import t
from planner.problem.calendar import Calendar
from planner.report.tables import (
    ASSIGNMENT_COLUMNS,
    TOTAL,
    assignments_table,
    budget_use,
    capacity_use,
    csv_bytes,
    effort_matrix,
    excel_bytes,
    funding_flows,
    kpis,
    labelled,
    left_out_table,
)

TABLES_YAML = """
schema_version: 1
name: таблицы
time: {start: 2025-07, periods: 12}
currencies:
  reporting: USD
  rates: {BYN: {2025: 0.30, 2026: 0.25}, RUB: {2025: 0.010, 2026: 0.012}}
countries:
  - {id: BY, name: Беларусь, currency: BYN}
  - {id: RU, name: Россия, currency: RUB}
competencies: [{id: c1}]
institutions:
  - {id: a, name: Институт А, country: BY, capacity_pm: 3, capacity_pm_by_year: {2026: 2},
     rate_per_pm: 1000, competencies: {c1: 4}}
  - {id: b, name: Институт Б, country: RU, capacity_pm: 2, rate_per_pm: 40000, competencies: {c1: 4}}
  - {id: c, name: Спит, country: RU, capacity_pm: 0, rate_per_pm: 1, competencies: {c1: 4}}
funders:
  - {id: by-fund, country: BY, cap_per_year: {2025: 20000, 2026: 20000}, total: 30000}
  - {id: ru-fund, country: RU, cap_per_year: {2025: 800000, 2026: 800000}}
programs:
  - {id: p, name: Программа, funders: [by-fund, ru-fund]}
work_packages:
  - {id: W1, program: p, title: Первый, requires: {c1: 3}, effort_pm: 6, duration: 3}
  - {id: W2, program: p, requires: {c1: 3}, effort_pm: 6, duration: 3, after: [W1], deadline: 2026-03}
  - {id: W3, program: p, requires: {c1: 3}, effort_pm: 4, duration: 2, mandatory: false, value: 5}
  - {id: W4, program: p, requires: {c1: 3}, effort_pm: 4, duration: 2, mandatory: false, value: 0}
pins:
  - {work_package: W2, institution: b}
objective: {priorities: [value, cost]}
"""

SETTINGS = SolverSettings(time_limit_s=2, workers=1, reproducible=True)


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return parse_scenario(TABLES_YAML)


@pytest.fixture(scope="session")
def plan(scenario: Scenario) -> Plan:
    plan = solve(scenario, SETTINGS)
    assert plan.status == Status.optimal
    assert check_plan(scenario, plan) == []
    return plan


@pytest.fixture(scope="session")
def empty(scenario: Scenario) -> Plan:
    return Plan(scenario=scenario.name, scenario_digest="-", status=Status.infeasible, explanation=["no room"])


def test_assignments_table_has_one_row_per_assignment_with_names(scenario: Scenario, plan: Plan) -> None:
    df = assignments_table(scenario, plan)
    assert list(df.columns) == ASSIGNMENT_COLUMNS
    assert list(df["work_package"]) == [a.work_package for a in plan.assignments]
    row = df.set_index("work_package").loc["W2"]
    assert (row["institution"], row["institution_name"], row["country"]) == ("b", "Институт Б", "RU")
    assert row["funders"] == "ru-fund: 240,000 RUB"
    assert row["duration"] == 3
    assert df.set_index("work_package").loc["W1", "title"] == "Первый"


def test_effort_matrix_totals_equal_the_assigned_effort(scenario: Scenario, plan: Plan) -> None:
    m = effort_matrix(scenario, plan)
    total = sum(a.effort_pm for a in plan.assignments)
    assert m.loc[TOTAL, TOTAL] == pytest.approx(total)
    assert m[TOTAL].drop(TOTAL).sum() == pytest.approx(total)
    body = effort_matrix(scenario, plan, totals=False)
    assert "c" not in body.index, "institutions without effort are left out"
    assert (body.sum(axis=1) > 0).all() and (body.sum(axis=0) > 0).all()
    for a in plan.assignments:
        assert body.loc[a.institution, a.work_package] == pytest.approx(a.effort_pm)


def test_effort_matrix_by_program_sums_the_work_packages_of_each(scenario: Scenario, plan: Plan) -> None:
    by_wp = effort_matrix(scenario, plan, totals=False)
    by_program = effort_matrix(scenario, plan, totals=False, by="program")
    program = {w.id: w.program for w in scenario.work_packages}
    expected = by_wp.T.groupby(program).sum().T
    assert by_program.columns.name == "program"
    pd.testing.assert_frame_equal(by_program, expected[list(by_program.columns)], check_names=False)


def test_capacity_use_stays_within_capacity_and_honours_years(scenario: Scenario, plan: Plan) -> None:
    df = capacity_use(scenario, plan)
    assert len(df) == len(scenario.institutions) * scenario.time.periods
    assert (df["used_pm"] <= df["capacity_pm"] + 1e-9).all()
    assert df["used_pm"].sum() == pytest.approx(sum(a.effort_pm for a in plan.assignments))
    a = df[df["institution"] == "a"].set_index("month")["capacity_pm"]
    assert (a["2025-12"], a["2026-01"]) == (3, 2)
    idle = df[df["institution"] == "c"]
    assert idle["utilisation"].isna().all() and (idle["capacity_pm"] == 0).all()
    busy = df[df["used_pm"] > 0]
    assert (busy["utilisation"] == busy["used_pm"] / busy["capacity_pm"]).all()


def test_budget_use_adds_up_and_keeps_caps(scenario: Scenario, plan: Plan) -> None:
    df = budget_use(scenario, plan)
    years = Calendar(scenario.time).years
    for _, rows in df.groupby(["kind", "id"]):
        yearly = rows[rows["year"].notna()]
        assert sorted(yearly["year"]) == years
        assert rows[rows["year"].isna()]["amount"].iloc[0] == pytest.approx(yearly["amount"].sum())
    funders = df[df["kind"] == "funder"]
    assert (funders["amount"] <= funders["cap"].fillna(math.inf) + 1e-6).all()
    for f in ("by-fund", "ru-fund"):
        paid = sum(a.funding.get(f, 0.0) for a in plan.assignments)
        whole = funders[(funders["id"] == f) & funders["year"].isna()]
        assert whole["amount"].iloc[0] == pytest.approx(paid)
    by = df[(df["kind"] == "country") & (df["id"] == "BY")].set_index("year")
    # A national budget makes the country's cap derivable: 20 000 BYN at 2026's rate of 0.25.
    assert by.loc[2026, "cap_reporting"] == pytest.approx(5000)
    assert by["currency"].iloc[0] == "USD"


def test_a_joint_funder_makes_country_caps_unknown(scenario: Scenario, plan: Plan) -> None:
    joint = scenario.model_copy(update={"funders": [*scenario.funders, Funder(id="joint", pays=["BY", "RU"])]})
    countries = budget_use(joint, plan).query("kind == 'country'")
    assert countries["cap"].isna().all()
    assert kpis(joint, plan).budget_by_country == {}


def test_funding_flows_add_up_to_the_total_cost(scenario: Scenario, plan: Plan) -> None:
    flows = funding_flows(scenario, plan)
    k = kpis(scenario, plan)
    assert flows["amount_reporting"].sum() == pytest.approx(k.cost_total)
    assert k.cost_total == pytest.approx(plan.objective["cost"], abs=1)
    assert set(flows["funder"]) <= {"by-fund", "ru-fund"}


def test_kpis(scenario: Scenario, plan: Plan) -> None:
    k = kpis(scenario, plan)
    assert (k.status, k.planned, k.left_out) == ("optimal", 3, 1)
    assert k.completion_month == max(a.end_month for a in plan.assignments)
    assert sum(k.cost_by_country.values()) == pytest.approx(k.cost_total)
    assert k.reporting_currency == "USD"
    # by-fund's total (30 000 BYN) at the planning rate (0.275); ru-fund has only yearly caps.
    assert k.budget_by_country["BY"] == pytest.approx(30000 * 0.275)
    assert k.budget_by_country["RU"] == pytest.approx(800000 * 0.010 + 800000 * 0.012)


def test_left_out_table(plan: Plan) -> None:
    df = left_out_table(plan)
    assert list(df.columns) == ["work_package", "reason"]
    assert list(df["work_package"]) == ["W4"] and df["reason"].iloc[0]


def test_an_empty_plan_gives_empty_tables(scenario: Scenario, empty: Plan) -> None:
    assert assignments_table(scenario, empty).empty
    assert effort_matrix(scenario, empty, totals=False).empty
    assert capacity_use(scenario, empty)["used_pm"].sum() == 0
    assert budget_use(scenario, empty)["amount"].sum() == 0
    assert funding_flows(scenario, empty).empty
    k = kpis(scenario, empty)
    assert (k.status, k.planned, k.completion_month, k.cost_total) == ("infeasible", 0, None, 0)
    assert k.explanation == ["no room"]


def test_csv_keeps_cyrillic_and_the_index(scenario: Scenario, plan: Plan) -> None:
    data = csv_bytes(assignments_table(scenario, plan))
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert "Институт Б" in set(back["institution_name"])
    matrix = pd.read_csv(io.BytesIO(csv_bytes(effort_matrix(scenario, plan))), encoding="utf-8-sig", index_col=0)
    assert TOTAL in matrix.index


def test_excel_has_one_valid_sheet_per_table(scenario: Scenario, plan: Plan) -> None:
    tables = {
        "assignments": assignments_table(scenario, plan),
        "effort: institutions × work packages [PM]": effort_matrix(scenario, plan),
        "effort: institutions × work packages [PM] again": left_out_table(plan),
    }
    book = load_workbook(io.BytesIO(excel_bytes(tables)))
    assert len(book.sheetnames) == 3 and len({s.lower() for s in book.sheetnames}) == 3
    assert all(len(s) <= 31 and not set(s) & set("[]:*?/\\") for s in book.sheetnames)
    assert book["assignments"].max_row == len(plan.assignments) + 1


def test_labelled_translates_headers() -> None:
    df = pd.DataFrame(columns=["work_package", "cost", "not_a_column_text"])
    assert list(labelled(df, "ru").columns) == [
        t("table.col.work_package", "ru"),
        t("table.col.cost", "ru"),
        "not_a_column_text",
    ]
    assert labelled(df, "ru").columns[0] != labelled(df, "en").columns[0]


def test_left_out_reasons_speak_the_language() -> None:
    """Issue 16, finding 11: every reason the plan file writes has a Russian text; others are shown as written."""
    from planner.report.tables import reason_text

    reasons = {
        "overlap group g: W2 does the same work": "группа дублирования g: ту же работу выполняет W2",
        "depends on W1, which is left out": "зависит от W1, который не включён",
        "optional (value 3): not worth its cost and capacity under the objective's priorities": "необязательный "
        "(ценность 3): не окупает затрат и загрузки при заданных приоритетах",
        "optional (value 2.5): not planned within the time limit (the value stage was not proven)": "необязательный "
        "(ценность 2.5): не запланирован за отведённое время (этап ценности не доказан)",
        "something new": "something new",
    }
    for reason, russian in reasons.items():
        assert reason_text(reason, "ru") == russian
        assert reason_text(reason, "en") == reason


def test_tables_on_screen_use_one_number_format_per_language() -> None:
    """Issue 16, finding 11: '708,419' and '0.40%' in English, '708 419' and '0,4 %' in Russian, never mixed."""
    from planner.i18n import number, percent
    from planner.report.tables import display

    assert (number(708419.3, "en"), number(708419.3, "ru")) == ("708,419", "708\u00a0419")
    assert (percent(0.004, "en", decimals=2), percent(0.004, "ru", decimals=2)) == ("0.40%", "0,40\u00a0%")
    frame = pd.DataFrame({"amount": [1316345.25, None], "use": [0.5, None], "effort_pm": [2.5, 4.0]})
    assert display(frame, "ru").to_dict("list") == {
        "Сумма": ["1\u00a0316\u00a0345", ""],
        "Доля лимита": ["50\u00a0%", ""],
        "Трудоёмкость, чел.-мес.": ["2,5", "4"],
    }
