"""Comparing two plans — of one scenario or of two — in headline figures and in work packages that changed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import pandas as pd

from planner.i18n import t
from planner.problem.calendar import month_number
from planner.report.tables import Kpis, kpis, labelled

if TYPE_CHECKING:
    from planner.domain.plan import Assignment, Plan
    from planner.domain.scenario import Scenario

Value = float | str | None
Change = Literal["moved", "added", "dropped"]
NOBODY = "—"


@dataclass(frozen=True)
class KpiDelta:
    """One headline figure in plan A and plan B; `delta` is B − A where a difference means something."""

    key: str
    a: Value
    b: Value
    delta: float | None

    def label(self, lang: str = "en") -> str:
        """The figure's name in a language."""
        if self.key.startswith("objective."):
            term = self.key.removeprefix("objective.")
            try:
                return t("kpi.objective", lang, term=t(f"kpi.term.{term}", lang))
            except KeyError:
                return t("kpi.objective", lang, term=term)
        return t(f"kpi.{self.key}", lang)

    def show(self, value: Value, lang: str = "en") -> str:
        """A value of this figure as text for a card: numbers with separators, the status in words."""
        if value is None:
            return NOBODY
        if isinstance(value, str):
            return t(f"kpi.status.{value}", lang) if self.key == "status" else value
        return _number_text(value, lang)

    def show_delta(self, lang: str = "en") -> str | None:
        """B − A as signed text, or None where a difference means nothing (status, a missing value)."""
        if self.delta is None:
            return None
        # An ASCII minus: Streamlit's metric reads the sign from the text to point its arrow.
        return ("+" if self.delta >= 0 else "-") + _number_text(abs(self.delta), lang)


@dataclass(frozen=True)
class WpChange:
    """A work package done differently in plan B than in plan A: moved, added or dropped, with the numbers."""

    work_package: str
    change: Change
    institution_a: str | None
    institution_b: str | None
    start_a: str | None
    start_b: str | None
    shift_months: int | None
    duration_change_months: int | None
    cost_a: float | None
    cost_b: float | None
    cost_delta: float | None
    currency: str | None

    def sentence(self, lang: str = "en") -> str:
        """One line in domain words, e.g. 'U-12 moved from bsuir to tusur, starts 4 months later, cost +1.2 M'."""
        wp = self.work_package
        a, b = self.institution_a or NOBODY, self.institution_b or NOBODY
        if self.change == "added":
            head = t("compare.added", lang, wp=wp, institution=b, start=self.start_b)
            return f"{head}, {t('compare.cost', lang, delta=short_money(self.cost_b or 0.0, self.currency, lang))}"
        if self.change == "dropped":
            return t("compare.dropped", lang, wp=wp, institution=a)
        parts = [
            t("compare.moved", lang, wp=wp, a=a, b=b) if a != b else t("compare.stays", lang, wp=wp, institution=a)
        ]
        for n, later, earlier in (
            (self.shift_months, "compare.later", "compare.earlier"),
            (self.duration_change_months, "compare.longer", "compare.shorter"),
        ):
            if n:
                key = later if n > 0 else earlier
                parts.append(t(f"{key}.one", lang) if abs(n) == 1 else t(key, lang, n=abs(n)))
        if self.cost_delta:
            parts.append(t("compare.cost", lang, delta=short_money(self.cost_delta, self.currency, lang, sign=True)))
        return ", ".join(parts)


@dataclass(frozen=True)
class Comparison:
    """Plan B against plan A: headline figures and the work packages that changed."""

    kpis: tuple[KpiDelta, ...]
    changes: tuple[WpChange, ...]
    kpis_a: Kpis
    kpis_b: Kpis

    def of(self, change: Change) -> list[WpChange]:
        """The changes of one kind."""
        return [c for c in self.changes if c.change == change]

    def kpi_table(self, lang: str = "en") -> pd.DataFrame:
        """Headline figures side by side with their differences (the status in words)."""

        def cell(k: KpiDelta, value: Value) -> Value:
            return k.show(value, lang) if isinstance(value, str) else value

        rows = [{"kpi": k.label(lang), "a": cell(k, k.a), "b": cell(k, k.b), "delta": k.delta} for k in self.kpis]
        return pd.DataFrame(rows, columns=["kpi", "a", "b", "delta"])

    def moves_table(self, lang: str | None = None) -> pd.DataFrame:
        """Every changed work package with institution, start and cost in A and B; headers in `lang` if given."""
        columns = [
            "work_package",
            "change",
            "institution_a",
            "institution_b",
            "start_a",
            "start_b",
            "shift_months",
            "duration_change_months",
            "cost_a",
            "cost_b",
            "cost_delta",
        ]
        df = pd.DataFrame([{c: getattr(ch, c) for c in columns} for ch in self.changes], columns=columns)
        for c in ("shift_months", "duration_change_months"):
            df[c] = df[c].astype("Int64")
        for c in ("cost_a", "cost_b", "cost_delta"):
            df[c] = df[c].astype("Float64").round(0)  # a column of a planless run is all None: keep it numeric
        if lang is None:
            return df
        df["change"] = [t(f"compare.change.{c}", lang) for c in df["change"]]
        return labelled(df, lang)

    def sentences(self, lang: str = "en") -> list[str]:
        """One line per changed work package."""
        return [c.sentence(lang) for c in self.changes]


def compare(scenario_a: Scenario, plan_a: Plan, scenario_b: Scenario, plan_b: Plan) -> Comparison:
    """Plan B against plan A: KPI deltas, and work packages moved (institution, start, cost), added or dropped.

    Plans of two scenarios compare by work-package id and calendar month, so different time grids line up.
    Costs are in each plan's reporting currency at planning rates.
    """
    ka, kb = kpis(scenario_a, plan_a), kpis(scenario_b, plan_b)
    deltas = [KpiDelta("status", ka.status, kb.status, None)]
    terms = list(dict.fromkeys([*plan_a.objective, *plan_b.objective]))
    for term in terms:
        deltas.append(_number(f"objective.{term}", plan_a.objective.get(term), plan_b.objective.get(term)))
    deltas.append(_number("cost_total", ka.cost_total, kb.cost_total))
    shift = (
        month_number(kb.completion_month) - month_number(ka.completion_month)
        if ka.completion_month and kb.completion_month
        else None
    )
    deltas.append(KpiDelta("completion_month", ka.completion_month, kb.completion_month, shift))
    deltas.append(_number("planned", ka.planned, kb.planned))
    deltas.append(_number("left_out", ka.left_out, kb.left_out))
    return Comparison(tuple(deltas), tuple(_changes(scenario_a, plan_a, scenario_b, plan_b, kb)), ka, kb)


def _number(key: str, a: float | None, b: float | None) -> KpiDelta:
    """A numeric KPI and B − A when both exist."""
    return KpiDelta(key, a, b, b - a if a is not None and b is not None else None)


def _months(x: Assignment) -> int:
    """Length of an assignment in calendar months."""
    return month_number(x.end_month) - month_number(x.start_month) + 1


def _changes(scenario_a: Scenario, plan_a: Plan, scenario_b: Scenario, plan_b: Plan, kb: Kpis) -> list[WpChange]:
    """Work packages that differ between the plans, in the scenarios' order."""
    ids = list(dict.fromkeys([w.id for w in scenario_a.work_packages] + [w.id for w in scenario_b.work_packages]))
    ids += [a.work_package for a in [*plan_a.assignments, *plan_b.assignments] if a.work_package not in ids]
    currency = kb.reporting_currency
    out = []
    for wp in dict.fromkeys(ids):
        x, y = plan_a.assignment(wp), plan_b.assignment(wp)
        if x is None and y is None:
            continue
        shift: int | None = None
        longer: int | None = None
        cost: float | None = None
        if x is not None and y is not None:
            shift = month_number(y.start_month) - month_number(x.start_month)
            longer = _months(y) - _months(x)
            same_cost = math.isclose(x.cost_reporting, y.cost_reporting, rel_tol=1e-9, abs_tol=0.01)
            cost = 0.0 if same_cost else y.cost_reporting - x.cost_reporting
            if x.institution == y.institution and not (shift or longer or cost):
                continue
            change: Change = "moved"
        else:
            change = "added" if x is None else "dropped"
        out.append(
            WpChange(
                work_package=wp,
                change=change,
                institution_a=x.institution if x else None,
                institution_b=y.institution if y else None,
                start_a=x.start_month if x else None,
                start_b=y.start_month if y else None,
                shift_months=shift,
                duration_change_months=longer,
                cost_a=x.cost_reporting if x else None,
                cost_b=y.cost_reporting if y else None,
                cost_delta=cost,
                currency=currency,
            )
        )
    return out


def short_money(x: float, currency: str | None, lang: str = "en", sign: bool = False) -> str:
    """An amount in a few characters: 1.2 M, 350 k, 12 (with the language's decimal mark and a sign if asked)."""
    size = abs(x)
    if size >= 1e6:
        text = t("compare.million", lang, x=_decimal(f"{size / 1e6:.1f}", lang))
    elif size >= 1e3:
        text = t("compare.thousand", lang, x=_decimal(f"{size / 1e3:.0f}", lang))
    else:
        text = f"{size:.0f}"
    if sign:
        text = ("+" if x >= 0 else "−") + text
    elif x < 0:
        text = "−" + text
    return f"{text} {currency}" if currency else text


def _number_text(x: float, lang: str) -> str:
    """A number with thousands separators and the language's decimal mark (whole numbers without decimals)."""
    text = f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 1000 else f"{x:,.2f}"
    mark = t("compare.decimal_mark", lang)
    thousands = "\u00a0" if mark == "," else ","  # Russian groups digits with a (no-break) space
    return text.replace(",", "_").replace(".", mark).replace("_", thousands)


def _decimal(number: str, lang: str) -> str:
    """A number with the language's decimal mark."""
    return number.replace(".", t("compare.decimal_mark", lang))
