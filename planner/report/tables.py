"""The plan as tables (pandas DataFrames): what the app shows, what CSV and Excel downloads hold.

Pure functions of (scenario, plan). Figures derived from the scenario — loads, yearly money, funder
payments — come from the one pricing path (`planner.problem.pricing`), as the plan rows and the
checker's do, so tables, KPI cards, charts and the checker agree to the cent. KPI cost cards are at
planning rates (they add up to the cost objective); budget tables by year are at the rate of each
year (as caps are spent); each names which it shows.
Column names are stable snake_case ids; `labelled` turns them into headers in a language.
"""

from __future__ import annotations

import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import pandas as pd

from planner.i18n import number, percent, t
from planner.problem import pricing
from planner.problem.money import amount_text
from planner.problem.prepared import PreparedProblem, prepare
from planner.problem.pricing import convert_years

if TYPE_CHECKING:
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario

TOTAL = "Σ"
"""Label of the total row and column (the same in every language)."""

ASSIGNMENT_COLUMNS = [
    "work_package",
    "title",
    "program",
    "institution",
    "institution_name",
    "country",
    "option",
    "start_month",
    "end_month",
    "duration",
    "effort_pm",
    "cost",
    "currency",
    "cost_reporting",
    "funders",
]
BUDGET_COLUMNS = ["kind", "id", "name", "year", "amount", "cap", "currency", "amount_reporting", "cap_reporting", "use"]


def assignments_table(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """One row per assignment, with the scenario's names next to the plan's figures."""
    problem = prepare(scenario)
    wps, insts, funder_cur = problem.work_packages, problem.institutions, problem.money.funder_currency
    rows = []
    for a in plan.assignments:
        wp = wps.get(a.work_package)
        inst = insts.get(a.institution) if a.institution else None
        funders = "; ".join(f"{f}: {amount_text(x, funder_cur.get(f))}" for f, x in sorted(a.funding.items()))
        rows.append(
            {
                "work_package": a.work_package,
                "title": wp.title if wp else "",
                "program": wp.program if wp else None,
                "institution": a.institution,
                "institution_name": inst.name if inst else "",
                "country": inst.country if inst else None,
                "option": a.option,
                "start_month": a.start_month,
                "end_month": a.end_month,
                "duration": a.duration,
                "effort_pm": a.effort_pm,
                "cost": a.cost,
                "currency": a.currency,
                "cost_reporting": a.cost_reporting,
                "funders": funders,
            }
        )
    return pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)


def effort_matrix(
    scenario: Scenario, plan: Plan, totals: bool = True, by: Literal["work_package", "program"] = "work_package"
) -> pd.DataFrame:
    """Person-months by institution (rows) and work package or program (columns): the staff-effort table."""
    program = {w.id: w.program for w in scenario.work_packages}
    effort: dict[tuple[str, str], float] = defaultdict(float)
    for a in plan.assignments:
        if a.institution is not None and a.effort_pm > 0:
            column = a.work_package if by == "work_package" else program.get(a.work_package, a.work_package)
            effort[a.institution, column] += a.effort_pm
    used_insts = {i for i, _ in effort}
    used_cols = {c for _, c in effort}
    rows = [i.id for i in scenario.institutions if i.id in used_insts]
    rows += sorted(used_insts - set(rows))
    order = [w.id for w in scenario.work_packages] if by == "work_package" else [p.id for p in scenario.programs]
    cols = [c for c in order if c in used_cols]
    cols += sorted(used_cols - set(cols))
    df = pd.DataFrame(
        [[effort.get((i, c), 0.0) for c in cols] for i in rows],
        index=pd.Index(rows, name="institution"),
        columns=pd.Index(cols, name=by),
        dtype=float,
    )
    if totals:
        df[TOTAL] = df.sum(axis=1)
        df.loc[TOTAL] = df.sum(axis=0)
    return df


def capacity_use(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Load against capacity per institution and period (long form); utilisation is NaN where capacity is 0."""
    problem = prepare(scenario)
    cal = problem.calendar
    load = pricing.institution_load(problem, pricing.price_plan(problem, plan))
    rows = []
    for inst in scenario.institutions:
        capacity = problem.capacity(inst.id)
        for period in range(cal.horizon):
            cap = capacity[period]
            used = load.get((inst.id, period), 0.0)
            rows.append(
                {
                    "institution": inst.id,
                    "country": inst.country,
                    "period": period,
                    "month": cal.start_month(period),
                    "used_pm": used,
                    "capacity_pm": cap,
                    "utilisation": used / cap if cap > 0 else math.nan,
                }
            )
    columns = ["institution", "country", "period", "month", "used_pm", "capacity_pm", "utilisation"]
    return pd.DataFrame(rows, columns=columns)


def _country_caps(p: PreparedProblem) -> tuple[dict[tuple[str, int], float], dict[str, float]]:
    """Budget caps of each country in the reporting currency, by year and in total, where derivable.

    A country's cap is derivable when every funder that may pay its institutions pays that country only
    (a national budget); a joint budget makes the country's limit a matter of shares, not a cap.
    """
    money, reporting, years = p.money, p.money.reporting, p.calendar.years
    cur = p.money.funder_currency
    yearly: dict[tuple[str, int], float] = {}
    total: dict[str, float] = {}
    for c in p.scenario.countries:
        paying = [f for f in p.scenario.funders if c.id in p.payee_countries(f.id)]
        if not paying or any(p.payee_countries(f.id) != [c.id] for f in paying):
            continue
        for y in years:
            if all(y in f.cap_per_year for f in paying):
                yearly[c.id, y] = sum(money.convert(f.cap_per_year[y], cur[f.id], reporting, y) for f in paying)
        parts = []
        for f in paying:
            if f.total is not None:
                parts.append(money.to_reporting(f.total, cur[f.id]))
            elif all(y in f.cap_per_year for y in years):
                parts.append(sum(money.convert(f.cap_per_year[y], cur[f.id], reporting, y) for y in years))
        if len(parts) == len(paying):
            total[c.id] = sum(parts)
    return yearly, total


def budget_use(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Money per year against caps: cost by country (reporting currency) and payments by funder (its currency).

    Rows of kind "country" hold the cost of the work its institutions execute; rows of kind "funder" what
    the funder pays. Money falls evenly over the periods of the work and converts at the rate of the
    year it falls in, as the checker's funder caps do. A row with year <NA> covers the whole horizon.
    """
    problem = prepare(scenario)
    priced = pricing.price_plan(problem, plan)
    money, reporting, years = problem.money, problem.money.reporting, problem.calendar.years
    cost = pricing.cost_by_country_year(problem, priced)
    yearly_caps, total_caps = _country_caps(problem)
    rows: list[dict[str, object]] = []
    countries: list[tuple[str | None, str]] = [(c.id, c.name) for c in scenario.countries]
    if any(c is None for c, _ in cost):
        countries.append((None, ""))
    spans: list[int | None] = [*years, None]
    for cid, name in countries:
        for span in spans:
            amount = sum(cost.get((cid, y), 0.0) for y in years) if span is None else cost.get((cid, span), 0.0)
            cap = total_caps.get(cid or "") if span is None else yearly_caps.get((cid or "", span))
            rows.append(_budget_row("country", cid, name, span, amount, cap, reporting, amount, cap))
    paid = pricing.paid_by_year(priced)
    for f in scenario.funders:
        cur = money.funder_currency[f.id]
        by_year = {y: paid.get(f.id, {}).get(y, 0.0) for y in years}
        in_reporting = convert_years(money, by_year, cur, reporting)
        for y in years:
            cap = f.cap_per_year.get(y)
            cap_r = money.convert(cap, cur, reporting, y) if cap is not None else None
            rows.append(_budget_row("funder", f.id, f.name, y, by_year[y], cap, cur, in_reporting[y], cap_r))
        cap_r = money.to_reporting(f.total, cur) if f.total is not None else None
        whole, whole_r = sum(by_year.values()), sum(in_reporting.values())
        rows.append(_budget_row("funder", f.id, f.name, None, whole, f.total, cur, whole_r, cap_r))
    df = pd.DataFrame(rows, columns=BUDGET_COLUMNS)
    df["year"] = df["year"].astype("Int64")
    return df


def _budget_row(
    kind: str,
    id_: str | None,
    name: str,
    year: int | None,
    amount: float,
    cap: float | None,
    currency: str | None,
    amount_reporting: float,
    cap_reporting: float | None,
) -> dict[str, object]:
    """One row of `budget_use`; `use` is the share of the cap, NaN without a cap."""
    return {
        "kind": kind,
        "id": id_,
        "name": name,
        "year": year,
        "amount": amount,
        "cap": math.nan if cap is None else cap,
        "currency": currency,
        "amount_reporting": amount_reporting,
        "cap_reporting": math.nan if cap_reporting is None else cap_reporting,
        "use": amount / cap if cap else math.nan,
    }


def funding_flows(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Cost in the reporting currency (planning rates) split by funder, institution and program.

    A work package paid by one funder puts its whole cost on that funder; fixed draws split the cost in
    proportion to the draws and leave what they do not cover unfunded (funder None). The amounts add
    up to the plan's total cost.
    """
    problem = prepare(scenario)
    money = problem.money
    flows: dict[tuple[str | None, str | None, str], float] = defaultdict(float)
    for p in pricing.price_plan(problem, plan):
        key = (p.institution, problem.work_packages[p.work_package].program)
        draws = {
            f: sum(convert_years(money, years, money.funder_currency.get(f), money.reporting).values())
            for f, years in p.funding_years.items()
        }
        if p.option.funding is None and len(draws) == 1:
            flows[(next(iter(draws)), *key)] += p.cost_reporting
            continue
        drawn = sum(draws.values())
        funded = min(p.cost_reporting, drawn)
        for f, x in draws.items():
            if x > 0:
                flows[(f, *key)] += funded * x / drawn
        if p.cost_reporting > funded:
            flows[(None, *key)] += p.cost_reporting - funded
    rows = [
        {"funder": f, "institution": i, "program": prog, "amount_reporting": x}
        for (f, i, prog), x in flows.items()
        if x > 0
    ]
    return pd.DataFrame(rows, columns=["funder", "institution", "program", "amount_reporting"])


def left_out_table(plan: Plan) -> pd.DataFrame:
    """Work packages the plan does not do, with the reason."""
    return pd.DataFrame(
        [{"work_package": x.work_package, "reason": x.reason} for x in plan.left_out],
        columns=["work_package", "reason"],
    )


@dataclass(frozen=True)
class Kpis:
    """The headline figures of a plan, for KPI cards and comparisons (money in the reporting currency)."""

    status: str
    gap: float | None
    objective: dict[str, float]
    cost_total: float
    cost_by_country: dict[str, float]
    budget_by_country: dict[str, float]
    completion_month: str | None
    planned: int
    left_out: int
    reporting_currency: str | None
    explanation: list[str] = field(default_factory=list)


def kpis(scenario: Scenario, plan: Plan) -> Kpis:
    """Headline figures: status, gap, objective terms, cost by country against budget, completion, counts.

    Cost is in the reporting currency at planning rates (it adds up to the cost objective); a country's
    budget is shown only where its own funders cap it alone (see `budget_use`). Work done by no
    institution counts under the country "".
    """
    problem = prepare(scenario)
    priced = pricing.price_plan(problem, plan)
    by_country = pricing.cost_by_country(problem, priced)
    order = {c.id: k for k, c in enumerate(scenario.countries)}
    return Kpis(
        status=str(plan.status),
        gap=plan.gap,
        objective=dict(plan.objective),
        cost_total=sum(x.cost_reporting for x in priced),
        cost_by_country={c: by_country[c] for c in sorted(by_country, key=lambda c: order.get(c, len(order)))},
        budget_by_country=_country_caps(problem)[1],
        completion_month=max((a.end_month for a in plan.assignments), default=None),
        planned=len(plan.assignments),
        left_out=len(plan.left_out),
        reporting_currency=problem.money.reporting,
        explanation=list(plan.explanation),
    )


def labelled(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A copy with column headers in a language (ids without a text stay as they are)."""
    return df.rename(columns=lambda name: _header(name, lang))


_REASONS: list[tuple[str, re.Pattern[str]]] = [
    ("overlap", re.compile(r"overlap group (?P<group>\S+): (?P<member>\S+) does the same work")),
    ("depends", re.compile(r"depends on (?P<wp>\S+), which is left out")),
    (
        "not_worth",
        re.compile(
            r"optional \(value (?P<value>[^)]+)\): not worth its cost and capacity under the objective's priorities"
        ),
    ),
    (
        "not_planned",
        re.compile(
            r"optional \(value (?P<value>[^)]+)\): not planned within the time limit \(the value stage was not proven\)"
        ),
    ),
]
"""The left-out reasons `planner.problem.assemble.left_out` writes (in English, into the plan file), to show them in
another language. A reason of another shape is shown as written."""


def reason_text(reason: str, lang: str = "en") -> str:
    """A left-out reason of a plan file in a language."""
    for key, pattern in _REASONS:
        if m := pattern.fullmatch(reason):
            return t(f"left_out.{key}", lang, **m.groupdict())
    return reason


def shown(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A table as people read it: headers in a language, coded cells (kind, left-out reason) in words."""
    out = df.copy()
    if "reason" in out.columns:
        out["reason"] = [reason_text(str(r), lang) for r in out["reason"]]
    if "kind" in out.columns:
        out["kind"] = [_word("table.kind", k, lang) for k in out["kind"]]
    for axis in (out.index, out.columns):
        if axis.name is not None:
            axis.name = _header(axis.name, lang)
    return labelled(out, lang)


SHARES = frozenset({"utilisation", "use"})
"""Columns that hold a share (0.25 is 25 %)."""


def display(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A `shown` table for the screen: numbers as text in the language's one format (money and person-months
    without needless decimals, shares as percentages), empty cells empty. Downloads keep the numbers."""
    out = shown(df, lang)
    named = {_header(c, lang): c for c in df.columns}
    for column in out.columns:
        values = out[column]
        if not pd.api.types.is_float_dtype(values) or pd.api.types.is_bool_dtype(values):
            if not pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
                out[column] = values.astype(object).where(values.notna(), "")  # an empty cell, not "None"
            continue
        share = named.get(column) in SHARES
        out[column] = [
            "" if pd.isna(x) else percent(x, lang) if share else number(x, lang, decimals=_decimals(x)) for x in values
        ]
    return out


def _decimals(x: float) -> int:
    """Decimals worth showing: none for whole numbers and amounts of 100 or more, else one (2.5 PM)."""
    return 0 if abs(x) >= 100 or float(x).is_integer() else 1


def _header(name: object, lang: str) -> object:
    return _word("table.col", name, lang)


def _word(section: str, name: object, lang: str) -> object:
    """The text of `section.name` in a language, or the name as written when it has none."""
    try:
        return t(f"{section}.{name}", lang)
    except KeyError:
        return name


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so that spreadsheet programs read Cyrillic names correctly."""
    return df.to_csv(index=not isinstance(df.index, pd.RangeIndex)).encode("utf-8-sig")


def excel_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """An Excel workbook with one sheet per table (sheet names made valid and unique)."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in tables.items():
            sheet = _sheet_name(name, used)
            used.add(sheet.lower())
            df.to_excel(writer, sheet_name=sheet, index=not isinstance(df.index, pd.RangeIndex))
    return buffer.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    """A valid Excel sheet name: none of []:*?/\\, at most 31 characters, not used yet."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'")[:31] or "Sheet"
    sheet, k = base, 1
    while sheet.lower() in used:
        k += 1
        sheet = f"{base[: 31 - len(str(k)) - 1]}_{k}"
    return sheet
