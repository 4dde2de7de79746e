"""One pricing path: plan rows, the checker, KPI cards, budget tables and funding flows agree to the cent."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import pytest

from planner.check import evaluate
from planner.problem.prepared import prepare
from planner.problem.pricing import (
    cost_by_country,
    cost_by_country_year,
    paid_by_year,
    price_assignment,
    price_plan,
    year_amounts,
)
from planner.report.tables import budget_use, funding_flows, kpis
from tests.conftest import solved

if TYPE_CHECKING:
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario

CENT = 0.005


@pytest.fixture(scope="module")
def demo() -> tuple[Scenario, Plan]:
    return solved("belarus-tomsk-2025-2030.yaml")


def test_plan_rows_are_priced_on_the_pricing_path(demo: tuple[Scenario, Plan]) -> None:
    scenario, plan = demo
    p = prepare(scenario)
    for a in plan.assignments:
        priced = price_assignment(p, a)
        assert priced is not None
        assert a.cost_reporting == pytest.approx(priced.cost_reporting, abs=CENT)
        assert a.load_pm == pytest.approx(priced.load_pm, abs=1e-6)
        assert set(a.funding) == set(priced.funding_years)
        for funder, amount in a.funding.items():
            assert amount == pytest.approx(priced.funding_total(funder), abs=CENT)


def test_cards_tables_and_the_checker_agree_on_the_demo(demo: tuple[Scenario, Plan]) -> None:
    scenario, plan = demo
    p = prepare(scenario)
    cards = kpis(scenario, plan)
    rows_total = sum(a.cost_reporting for a in plan.assignments)
    assert cards.cost_total == pytest.approx(rows_total, abs=CENT * len(plan.assignments))
    assert cards.cost_total == pytest.approx(evaluate(scenario, plan)["cost"], abs=CENT)
    assert funding_flows(scenario, plan)["amount_reporting"].sum() == pytest.approx(cards.cost_total, abs=CENT)

    by_country: dict[str, float] = defaultdict(float)
    for a in plan.assignments:
        by_country[p.country_of(a.institution) or ""] += a.cost_reporting
    assert cards.cost_by_country == pytest.approx(dict(by_country), abs=CENT * len(plan.assignments))

    # The budget table is at each year's rate: its totals are the pricing path's, named as such.
    table = budget_use(scenario, plan)
    at_year_rates = cost_by_country_year(p, price_plan(p, plan))
    for c in scenario.countries:
        whole = table[(table["kind"] == "country") & (table["id"] == c.id) & table["year"].isna()]
        expected = sum(x for (country, _), x in at_year_rates.items() if country == c.id)
        assert float(whole["amount"].iloc[0]) == pytest.approx(expected, abs=CENT)
    paid = paid_by_year(price_plan(p, plan))
    for f in scenario.funders:
        whole = table[(table["kind"] == "funder") & (table["id"] == f.id) & table["year"].isna()]
        from_rows = sum(a.funding.get(f.id, 0.0) for a in plan.assignments)
        assert float(whole["amount"].iloc[0]) == pytest.approx(from_rows, abs=CENT * len(plan.assignments))
        assert float(whole["amount"].iloc[0]) == pytest.approx(sum(paid.get(f.id, {}).values()), abs=CENT)


def test_planning_and_year_rates_differ_only_by_the_rates(demo: tuple[Scenario, Plan]) -> None:
    """The KPI card (planning rates) and the budget table (rates of the year) are two named figures of one cost."""
    scenario, plan = demo
    p = prepare(scenario)
    priced = price_plan(p, plan)
    planning = cost_by_country(p, priced)
    at_year: defaultdict[str, float] = defaultdict(float)
    for (country, _), x in cost_by_country_year(p, priced).items():
        at_year[country or ""] += x
    for country, x in planning.items():
        in_own_currency = sum(
            sum(i.cost_years.values()) for i in priced if (p.country_of(i.institution) or "") == country
        )
        assert in_own_currency > 0
        # Each is the same amount of money in the institutions' currency, converted two ways.
        assert x == pytest.approx(
            sum(
                p.money.to_reporting(sum(i.cost_years.values()), i.option.currency)
                for i in priced
                if (p.country_of(i.institution) or "") == country
            ),
            abs=CENT,
        )
        assert at_year[country] > 0


def test_money_falls_evenly_in_the_years_of_the_run(demo: tuple[Scenario, Plan]) -> None:
    scenario, _ = demo
    cal = prepare(scenario).calendar
    assert year_amounts(cal, 120.0, 6, 18) == {2025: 60.0, 2026: 60.0}  # demo starts 2025-01, monthly
    assert year_amounts(cal, 50.0, 11, 11) == {2025: 50.0}  # no duration: all in the start year
    assert year_amounts(cal, 50.0, cal.horizon, cal.horizon) == {cal.year_of(cal.horizon - 1): 50.0}
