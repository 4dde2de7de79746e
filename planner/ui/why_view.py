"""'Why this plan' on the Plan page: one work package's reasons as Markdown, its alternatives as a table.

The answers come from `planner.diagnose.why`; this module only lays them out for the page, in its language. No
Streamlit import here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from planner.diagnose.alternatives import BUDGET_S, Outcome
from planner.diagnose.why import WhyCache, signed, why_work_package
from planner.domain.settings import SolverSettings
from planner.i18n import t

__all__ = ["BUDGET_S", "alternatives_priced", "alternatives_table", "reasons_markdown", "settings_for", "why_answer"]

if TYPE_CHECKING:
    from planner.diagnose.why import WpWhy
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario


def settings_for(solved_with: SolverSettings) -> SolverSettings:
    """The re-solves' settings: the plan's workers, seed and reproducible mode, the alternatives' own time limit."""
    return SolverSettings(
        time_limit_s=BUDGET_S,
        workers=solved_with.workers,
        seed=solved_with.seed,
        reproducible=solved_with.reproducible,
    )


def why_answer(
    cache: WhyCache, scenario: Scenario, plan: Plan, wp: str, solved_with: SolverSettings, alternatives: bool
) -> WpWhy:
    """One work package's answer through the session's cache (with the alternatives: seconds of re-solves, once)."""
    return why_work_package(
        scenario, plan, wp, settings_for(solved_with), BUDGET_S, with_alternatives=alternatives, cache=cache
    )


def alternatives_priced(cache: WhyCache, scenario: Scenario, plan: Plan, wp: str, solved_with: SolverSettings) -> bool:
    """Whether the alternatives of this work package in this plan were priced already (shown without asking)."""
    return WhyCache.key(scenario, plan, wp, settings_for(solved_with), BUDGET_S, True) in cache


def reasons_markdown(w: WpWhy, lang: str = "en") -> str:
    """What binds the work package, and the rules around it, as two Markdown lists under their headings."""
    binding = w.binding
    out = [f"**{t('why.head.binds' if binding else 'why.head.nothing_binds', lang)}**"]
    out += [f"- {r.text(lang)}" for r in binding]
    if w.context:
        out += ["", f"**{t('why.head.context', lang)}**"]
        out += [f"- {r.text(lang)}" for r in w.context]
    return "\n".join(out)


def alternatives_table(w: WpWhy, lang: str = "en") -> pd.DataFrame:
    """One row per other institution: each priority's change if the work package were forced there, how sure that
    is, and what else moves (the checker confirmed every figure)."""
    rows = []
    for x in w.alternatives or ():
        row: dict[str, str] = {t("table.col.institution", lang): x.institution}
        for term in w.priorities:
            d = x.delta(term)
            row[t(f"kpi.term.{term}", lang)] = "" if d is None else signed(term, d, w.reporting_currency, lang)
        if x.outcome is Outcome.found:
            row[t("why.app.col.sure", lang)] = t("why.app.proven" if x.proven else "why.app.bound", lang)
            row[t("why.app.col.where", lang)] = (
                t("why.alt.alone", lang, start=x.start_month, end=x.end_month)
                if x.alone
                else t(
                    "why.alt.moved", lang, start=x.start_month, end=x.end_month, n=len(x.moved), wps=", ".join(x.moved)
                )
            )
        else:
            row[t("why.app.col.sure", lang)] = t(f"why.app.{x.outcome.value}", lang)
            row[t("why.app.col.where", lang)] = ""
        rows.append(row)
    return pd.DataFrame(rows)
