"""The plan's money as a joint proposal's tables: budget per institution and year, funding against caps and shares.

Pure functions of (scenario, plan) returning pandas DataFrames with stable snake_case columns (see
`planner.report.tables.labelled` for headers in words). Every amount comes from the one pricing path
(`planner.problem.pricing`), as the checker's do: budgets by year convert at each year's rate (as a
budget is spent), program shares at planning rates (as the program-share rule compares them).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

import pandas as pd

from planner.problem import pricing
from planner.problem.prepared import prepare
from planner.problem.pricing import convert_years
from planner.report.tables import TOTAL, budget_use

if TYPE_CHECKING:
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario

SHARE_SLACK = 1e-6
"""A share this close to the edge of its range counts as inside it (the checker's tolerance is of this order)."""


def budget_by_institution(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Cost per institution and year in the reporting currency at each year's rate, a total column, a subtotal row
    per country (institution `Σ`) and a grand total (country and institution `Σ`): the proposal's budget table."""
    problem = prepare(scenario)
    money, years = problem.money, problem.calendar.years
    cost: dict[str | None, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for item in pricing.price_plan(problem, plan):
        for y, x in convert_years(money, item.cost_years, item.option.currency, money.reporting).items():
            cost[item.institution][y] += x
    names = {i.id: i for i in scenario.institutions}
    year_columns = [str(y) for y in years]
    rows: list[dict[str, object]] = []

    def row(country: object, institution: object, name: str, by_year: dict[int, float]) -> dict[str, object]:
        amounts = {str(y): by_year.get(y, 0.0) for y in years}
        return {"country": country, "institution": institution, "name": name, **amounts, TOTAL: sum(amounts.values())}

    totals: dict[int, float] = defaultdict(float)
    for c in [*(c.id for c in scenario.countries), None]:
        members = [i for i in cost if (names[i].country if i in names else None) == c]
        members.sort(key=lambda i: [x.id for x in scenario.institutions].index(i) if i in names else len(names))
        if not members:
            continue
        subtotal: dict[int, float] = defaultdict(float)
        for inst in members:
            rows.append(row(c, inst, names[inst].name if inst in names else "", cost[inst]))
            for y, x in cost[inst].items():
                subtotal[y] += x
                totals[y] += x
        rows.append(row(c, TOTAL, "", subtotal))
    if rows:
        rows.append(row(TOTAL, TOTAL, "", totals))
    return pd.DataFrame(rows, columns=["country", "institution", "name", *year_columns, TOTAL])


def funder_caps(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """What each funder pays per year and in all, in its own currency, against its caps (`year` <NA>: the whole
    horizon; `use` is the share of the cap, NaN without one)."""
    df = budget_use(scenario, plan)
    df = df[df["kind"] == "funder"].drop(columns=["kind", "amount_reporting", "cap_reporting"])
    return df.rename(columns={"id": "funder"}).reset_index(drop=True)


def funder_countries(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """What each funder pays the institutions of each country, in its own currency, with its share of the funder's
    spending against the funder's target share and tolerance (the funder-share rule), where one is set."""
    problem = prepare(scenario)
    paid: dict[str, dict[str | None, float]] = defaultdict(lambda: defaultdict(float))
    for item in pricing.price_plan(problem, plan):
        for payer, years in item.funding_years.items():
            paid[payer][problem.country_of(item.institution)] += sum(years.values())
    rows = []
    for f in scenario.funders:
        spent = paid.get(f.id, {})
        total = sum(spent.values())
        payees = set(problem.payee_countries(f.id))
        currency = problem.money.funder_currency[f.id]
        for c in [c.id for c in scenario.countries if c.id in spent or c.id in f.shares or c.id in payees]:
            rows.append(
                _share_row(
                    {"funder": f.id, "country": c, "amount": spent.get(c, 0.0), "currency": currency},
                    spent.get(c, 0.0),
                    total,
                    f.shares.get(c),
                    f.tolerance,
                )
            )
    columns = ["funder", "country", "amount", "currency", "share", "target", "low", "high", "within"]
    return pd.DataFrame(rows, columns=columns)


def program_countries(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Each program's cost by the executing institution's country (reporting currency, planning rates), its share
    against the program's target and tolerance; where the program limits one institution's share, a row (country
    empty) for its largest institution against that limit."""
    problem = prepare(scenario)
    cost: dict[str, dict[str | None, float]] = defaultdict(lambda: defaultdict(float))
    by_inst: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for item in pricing.price_plan(problem, plan):
        program = problem.work_packages[item.work_package].program
        cost[program][problem.country_of(item.institution)] += item.cost_reporting
        if item.institution is not None:
            by_inst[program][item.institution] += item.cost_reporting
    rows = []
    for prog in scenario.programs:
        spent = cost.get(prog.id, {})
        total = sum(spent.values())
        for c in [c.id for c in scenario.countries if c.id in spent or c.id in prog.country_shares]:
            rows.append(
                _share_row(
                    {"program": prog.id, "country": c, "amount": spent.get(c, 0.0)},
                    spent.get(c, 0.0),
                    total,
                    prog.country_shares.get(c),
                    prog.share_tolerance,
                )
            )
        insts, limit = by_inst.get(prog.id, {}), prog.max_institution_share
        if insts and total > 0 and limit is not None:
            top = max(insts, key=lambda i: (insts[i], i))
            share = insts[top] / total
            rows.append(
                {
                    "program": prog.id,
                    "country": None,
                    "institution": top,
                    "amount": insts[top],
                    "share": share,
                    "target": math.nan,
                    "low": math.nan,
                    "high": limit,
                    "within": share <= limit + SHARE_SLACK,
                }
            )
    columns = ["program", "country", "institution", "amount", "share", "target", "low", "high", "within"]
    return pd.DataFrame(rows, columns=columns)


def _share_row(
    row: dict[str, object], part: float, total: float, target: float | None, tolerance: float
) -> dict[str, object]:
    """A row of a share table: the part's share of the total against target ± tolerance (NaN and None without one)."""
    share = part / total if total > 0 else math.nan
    if target is None:
        return {**row, "share": share, "target": math.nan, "low": math.nan, "high": math.nan, "within": None}
    low, high = max(0.0, target - tolerance), min(1.0, target + tolerance)
    within = None if total <= 0 else low - SHARE_SLACK <= share <= high + SHARE_SLACK
    return {**row, "share": share, "target": target, "low": low, "high": high, "within": within}
