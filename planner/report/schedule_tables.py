"""The plan's schedule as a joint proposal's tables: work packages, staff effort, deliverables, deadlines, left-out work.

Pure functions of (scenario, plan) returning pandas DataFrames with stable snake_case columns (see
`planner.report.tables.labelled` for headers in words). Dates are computed from the schedule (start,
end, offsets), as the checker computes them, never copied from the plan's own listing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from planner.problem.calendar import month_number
from planner.problem.prepared import prepare
from planner.report.tables import assignments_table, effort_matrix

if TYPE_CHECKING:
    from collections.abc import Collection

    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario

WORK_PACKAGE_COLUMNS = [
    "work_package",
    "title",
    "program",
    "lead_institution",
    "country",
    "effort_pm",
    "start_month",
    "end_month",
    "duration",
    "cost_reporting",
    "funders",
    "critical",
]


def work_packages(scenario: Scenario, plan: Plan, critical: Collection[str] = ()) -> pd.DataFrame:
    """One row per planned work package, in the scenario's order: its lead institution (the one executing it),
    person-months, first and last month, cost in the reporting currency, funders, and whether it is on the
    critical path (`critical`: its work packages, when known)."""
    df = assignments_table(scenario, plan)
    df["funders"] = [", ".join(sorted(a.funding)) for a in plan.assignments]
    df["critical"] = df["work_package"].isin(set(critical))
    df = df.rename(columns={"institution": "lead_institution"})
    return df[WORK_PACKAGE_COLUMNS].reset_index(drop=True)


def participants(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """The institutions that do work in the plan, by country in the scenario's order: kind, work packages led,
    person-months and cost in the reporting currency at planning rates (a proposal's list of participants)."""
    led: dict[str, list[float]] = {}
    for a in plan.assignments:
        if a.institution is not None:
            row = led.setdefault(a.institution, [0, 0.0, 0.0])
            row[0] += 1
            row[1] += a.effort_pm
            row[2] += a.cost_reporting
    rows = [
        {
            "country": i.country,
            "institution": i.id,
            "name": i.name,
            "kind": i.kind,
            "work_packages_led": int(led[i.id][0]),
            "effort_pm": led[i.id][1],
            "cost_reporting": led[i.id][2],
        }
        for c in scenario.countries
        for i in scenario.institutions
        if i.country == c.id and i.id in led
    ]
    columns = ["country", "institution", "name", "kind", "work_packages_led", "effort_pm", "cost_reporting"]
    return pd.DataFrame(rows, columns=columns)


def effort_by_program(scenario: Scenario, plan: Plan) -> dict[str, pd.DataFrame]:
    """The staff-effort matrix (institutions × work packages, person-months, with totals) of each program's work, by
    program id in the scenario's order; programs without planned work are left out."""
    program = {w.id: w.program for w in scenario.work_packages}
    out = {}
    for p in scenario.programs:
        part = [a for a in plan.assignments if program.get(a.work_package) == p.id]
        if any(a.institution is not None and a.effort_pm > 0 for a in part):
            out[p.id] = effort_matrix(scenario, plan.model_copy(update={"assignments": part}))
    return out


def deliverables(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Deliverables and milestones of the planned work with the month each is delivered, its due month if it has
    one, and the months to spare (negative: late)."""
    problem = prepare(scenario)
    cal = problem.calendar
    rows = []
    for a in plan.assignments:
        wp = problem.work_packages.get(a.work_package)
        for dl in wp.deliverables if wp else []:
            at = a.end if dl.offset is None else a.start + dl.offset
            month = cal.last_month(at)
            rows.append(
                {
                    "work_package": a.work_package,
                    "deliverable": dl.id,
                    "title": dl.title,
                    "institution": a.institution,
                    "month": month,
                    "due": dl.due,
                    "spare_months": month_number(dl.due) - month_number(month) if dl.due else None,
                }
            )
    df = pd.DataFrame(
        rows, columns=["work_package", "deliverable", "title", "institution", "month", "due", "spare_months"]
    )
    df["spare_months"] = df["spare_months"].astype("Int64")
    return df


def deadlines(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Dates the plan is held to, each against the planned end: work packages' hard deadlines and soft due dates and
    programs' due dates (`kind`: deadline, due or program_due), with the months to spare (negative: late)."""
    rows = []
    ends = {a.work_package: a.end_month for a in plan.assignments}
    for w in scenario.work_packages:
        if w.id not in ends:
            continue
        for kind, date in (("deadline", w.deadline), ("due", w.due)):
            if date:
                rows.append(_date_row(kind, w.id, w.title, date, ends[w.id]))
    program = {w.id: w.program for w in scenario.work_packages}
    for p in scenario.programs:
        last = max((end for wp, end in ends.items() if program.get(wp) == p.id), default=None)
        if p.due and last:
            rows.append(_date_row("program_due", p.id, p.name, p.due, last))
    df = pd.DataFrame(rows, columns=["kind", "id", "title", "date", "end_month", "spare_months"])
    df["spare_months"] = df["spare_months"].astype("Int64")
    return df


def _date_row(kind: str, id_: str, title: str, date: str, end: str) -> dict[str, object]:
    return {
        "kind": kind,
        "id": id_,
        "title": title,
        "date": date,
        "end_month": end,
        "spare_months": month_number(date) - month_number(end),
    }


def left_out(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Work packages the plan does not do: title, program, whether mandatory, value, and the plan's reason."""
    wps = {w.id: w for w in scenario.work_packages}
    rows = []
    for x in plan.left_out:
        w = wps.get(x.work_package)
        rows.append(
            {
                "work_package": x.work_package,
                "title": w.title if w else "",
                "program": w.program if w else None,
                "mandatory": w.mandatory if w else None,
                "value": w.value if w else None,
                "reason": x.reason,
            }
        )
    return pd.DataFrame(rows, columns=["work_package", "title", "program", "mandatory", "value", "reason"])
