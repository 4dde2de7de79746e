"""How good a plan is and where it is tight: the proof per priority, and the rules it meets with nothing to spare.

`proof` lays out, per priority, the plan's value, the value the independent checker recomputes, the
proven bound, the gap and whether the value is proven best; "proven" is claimed only for a plan that
keeps every rule of the scenario and was made for this version of it (`planner.report.verdict`).
`tight_spots` says in words which caps, capacities, dates and shares the plan meets exactly: the
first things to look at when the plan is questioned ("why is T-07 so late?").
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from planner.check import evaluate
from planner.domain.plan import relative_gap
from planner.i18n import number, percent, t

if TYPE_CHECKING:
    from planner.report.verdict import Verdict

PROVEN_GAP = 1e-9
"""A relative gap this small is a proof that the value is the best possible."""
FULL = 0.995
"""A cap or a capacity used to this share counts as reached."""
OVER = 1e-6
"""Beyond its limit by more than this share, a cap or capacity is broken, not tight (the banner names it)."""
EDGE = 0.005
"""A share within this distance of the edge of its range counts as at the edge."""
MOST_LINES = 8
"""Most lines of one kind `tight_spots` gives (the rest are counted)."""
PROOF_COLUMNS = ["priority", "term", "value", "recomputed", "bound", "gap", "proven", "stage_status", "time_s"]


def proof(verdict: Verdict) -> pd.DataFrame:
    """Per priority, in order: the plan's value, the checker's recomputed value, the bound, the gap, whether proven
    (None when nothing can be claimed: no bound, or a plan not valid for this scenario), the stage's status and time.
    A stage that is not an objective term (the weighted sum, the stability stage) follows with its own figures."""
    plan = verdict.plan
    stages = {s.term: s for s in (plan.solver.stages if plan.solver else [])}
    recomputed = evaluate(verdict.scenario, plan) if plan.found and verdict.priceable else {}
    order = [str(x) for x in verdict.scenario.objective.priorities]
    terms = [x for x in order if x in plan.objective] + [x for x in plan.objective if x not in order]
    terms += [x for x in stages if x not in terms]
    rows = []
    for k, term in enumerate(terms, start=1):
        stage = stages.get(term)
        value = plan.objective.get(term, stage.value if stage else None)
        bound = plan.bounds.get(term, stage.bound if stage else None)
        gap = relative_gap(value, bound) if value is not None and bound is not None else None
        rows.append(
            {
                "priority": k,
                "term": term,
                "value": _nan(value),
                "recomputed": _nan(recomputed.get(term)),
                "bound": _nan(bound),
                "gap": _nan(gap),
                "proven": None if gap is None or not verdict.trusted else gap <= PROVEN_GAP,
                "stage_status": str(stage.status) if stage else None,
                "time_s": _nan(stage.wall_time_s if stage else None),
            }
        )
    return pd.DataFrame(rows, columns=PROOF_COLUMNS)


def _nan(x: float | None) -> float:
    return math.nan if x is None else float(x)


def tight_spots(
    caps: pd.DataFrame,
    capacity: pd.DataFrame,
    dates: pd.DataFrame,
    deliverables: pd.DataFrame,
    shares: pd.DataFrame,
    program_shares: pd.DataFrame,
    lang: str = "en",
) -> list[str]:
    """Sentences naming what the plan meets with nothing to spare, from the report's tables: funders' caps reached
    (`money_tables.funder_caps`), institutions fully booked (`tables.capacity_use`), dates met in their very month or
    missed (`schedule_tables.deadlines` and `deliverables`), shares at the edge of their range
    (`money_tables.funder_countries`, `program_countries`)."""
    lines: list[str] = []
    lines += _limited(_caps(caps, lang), lang)
    lines += _limited(_capacity(capacity, lang), lang)
    lines += _limited(_dates(dates, deliverables, lang), lang)
    lines += _limited(_shares(shares, "funder", lang) + _shares(program_shares, "program", lang), lang)
    return lines


def _limited(lines: list[str], lang: str) -> list[str]:
    if len(lines) <= MOST_LINES:
        return lines
    return [*lines[:MOST_LINES], t("report.tight.more", lang, n=len(lines) - MOST_LINES)]


def _caps(caps: pd.DataFrame, lang: str) -> list[str]:
    out = []
    for row in caps.itertuples(index=False):
        if not (row.cap > 0) or not FULL <= row.use <= 1 + OVER:
            continue  # a cap exceeded is a broken rule: the report's banner names it
        year = t("report.tight.in_all", lang) if pd.isna(row.year) else t("report.tight.in_year", lang, year=row.year)
        out.append(
            t(
                "report.tight.cap",
                lang,
                funder=row.funder,
                paid=number(row.amount, lang),
                cap=f"{number(row.cap, lang)} {row.currency}" if row.currency else number(row.cap, lang),
                when=year,
                share=percent(row.use, lang),
            )
        )
    return out


def _capacity(capacity: pd.DataFrame, lang: str) -> list[str]:
    use = capacity["utilisation"]
    full = capacity[(capacity["capacity_pm"] > 0) & (use >= FULL) & (use <= 1 + OVER)]  # over it: a broken rule
    out = []
    for institution, rows in full.groupby("institution", sort=False):
        months = sorted(rows["month"])
        if len(months) == 1:
            out.append(t("report.tight.capacity_one", lang, institution=institution, month=months[0]))
        else:
            out.append(
                t(
                    "report.tight.capacity",
                    lang,
                    institution=institution,
                    n=len(months),
                    first=months[0],
                    last=months[-1],
                )
            )
    return out


def _dates(dates: pd.DataFrame, deliverables: pd.DataFrame, lang: str) -> list[str]:
    out = []
    for row in dates.itertuples(index=False):
        if row.spare_months == 0 and row.kind == "deadline":
            out.append(t("report.tight.deadline", lang, wp=row.id, date=row.date))
        elif row.spare_months < 0:
            out.append(
                t("report.tight.late", lang, id=row.id, date=row.date, end=row.end_month, n=-int(row.spare_months))
            )
    for row in deliverables.itertuples(index=False):
        if not pd.isna(row.spare_months) and row.spare_months == 0:
            out.append(t("report.tight.deliverable", lang, wp=row.work_package, id=row.deliverable, date=row.due))
    return out


def _shares(df: pd.DataFrame, owner: str, lang: str) -> list[str]:
    out = []
    for row in df.itertuples(index=False):
        if pd.isna(row.within) or pd.isna(row.share) or pd.isna(row.high):
            continue
        edge = min(abs(row.share - row.high), abs(row.share - row.low) if not pd.isna(row.low) else math.inf)
        if edge > EDGE:
            continue
        who = getattr(row, owner)
        if owner == "program" and pd.isna(row.country):
            key, what = "report.tight.institution_share", row.institution
        else:
            key, what = f"report.tight.{owner}_share", row.country
        low = "" if pd.isna(row.low) else percent(row.low, lang)
        out.append(
            t(key, lang, owner=who, what=what, share=percent(row.share, lang, 1), low=low, high=percent(row.high, lang))
        )
    return out
