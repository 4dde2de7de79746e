"""The plan report (issue 19 item 1): one offline HTML file and an Excel workbook that say what the checker says."""

from __future__ import annotations

import base64
import gzip
import io
import re
from functools import cache
from html import unescape
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook

from planner import check_plan, solve
from planner.domain.plan import Plan, Status
from planner.domain.settings import SolverSettings
from planner.i18n import en, number, ru, t
from planner.problem.calendar import month_number, month_text
from planner.report import money_tables, schedule_tables
from planner.report.contents import build
from planner.report.html_report import html_text
from planner.report.quality import proof, tight_spots
from planner.report.tables import TOTAL, budget_use, capacity_use, kpis
from planner.report.verdict import judge
from planner.report.xlsx_report import xlsx_bytes
from tests.conftest import scenario, solved, wps

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario
    from planner.report.document import Report

DEMO = "belarus-tomsk-2025-2030.yaml"
MB = 1_000_000


@cache
def demo_html(lang: str = "en") -> str:
    return html_text(build(*solved(DEMO), lang=lang, plan_name="plan.json"))


def broken(s: Scenario, plan: Plan) -> Plan:
    """The plan with a work package that waits for others moved to the first period: before they finish."""
    after = {w.id for w in s.work_packages if w.after}
    late = next(a for a in plan.assignments if a.work_package in after)
    end_month = month_text(month_number(s.time.start) + late.duration - 1)
    early = late.model_copy(
        update={"start": 0, "end": late.duration, "start_month": s.time.start, "end_month": end_month}
    )
    return plan.model_copy(update={"assignments": [early if a is late else a for a in plan.assignments]})


# ---------------------------------------------------------------- offline, once, small


EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)|"""
    r"""(?:@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//)""",
    re.IGNORECASE,
)


def test_the_html_report_loads_nothing_from_the_network() -> None:
    html = demo_html()
    readable = html[: html.index('id="plotly-js-gz"')]  # the compressed plotly.js is checked by the browser test
    assert EXTERNAL.findall(readable) == []
    assert not re.search(r"<(?:link|img|iframe|object|embed|source)\b", readable, re.IGNORECASE)
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", html, re.IGNORECASE)  # no script is loaded, even locally
    assert "cdn.plot.ly" not in html and "fonts.googleapis" not in html


def test_plotly_js_is_inlined_once_and_whole() -> None:
    from plotly.offline import get_plotlyjs

    html = demo_html()
    assert html.count('id="plotly-js-gz"') == 1
    blob = re.search(r'<script type="text/plain" id="plotly-js-gz"[^>]*>([^<]+)</script>', html)
    assert blob is not None
    assert gzip.decompress(base64.b64decode(blob.group(1))).decode("utf-8") == get_plotlyjs()
    charts = re.findall(r'<div class="chart" id="chart-(\w+)" data-figure="figure-\1"', html)
    assert charts == ["gantt", "capacity", "budget", "sankey"]
    assert all(f'<script type="application/json" id="figure-{c}">' in html for c in charts)


def test_the_demo_report_is_under_5_mb() -> None:
    size = len(demo_html().encode("utf-8"))
    assert size < 5 * MB, f"{size / MB:.2f} MB"


def test_scenario_text_cannot_inject_markup() -> None:
    s = scenario(work_packages=wps({"id": "W1", "title": "<script>alert(1)</script> & </script>"}))
    plan = solve(s, SolverSettings(time_limit_s=5, workers=1))
    html = html_text(build(s, plan))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/script&gt;" in html  # the work-package list
    assert "\\u003cscript>alert(1)\\u003c/script>" in html  # the Gantt's data


def test_the_report_prints_on_a4_landscape() -> None:
    html = demo_html()
    assert "@media print" in html and "size: A4 landscape" in html
    assert "thead { display: table-header-group; }" in html  # a long table repeats its header on every page


# ---------------------------------------------------------------- what it says


def test_a_checked_plan_says_so_first_with_its_proof_per_priority() -> None:
    s, plan = solved(DEMO)
    report = build(s, plan)
    assert report.banner.level == "ok"
    assert report.banner.heading == t("report.banner.checked", "en", n=len(plan.assignments))
    keys = [section.key for section in report.sections]
    assert keys == [
        "quality",
        "schedule",
        "work_packages",
        "effort",
        "capacity",
        "budget",
        "funding",
        "dates",
        "left_out",
        "explanation",
    ]
    df = proof(judge(s, plan))
    assert list(df["term"]) == [str(x) for x in s.objective.priorities]
    for row in df.itertuples():
        assert row.value == pytest.approx(plan.objective[row.term])
        assert row.recomputed == pytest.approx(plan.objective[row.term], abs=0.5 * len(plan.assignments))
        assert row.proven == (row.gap <= 1e-9)


def test_a_plan_that_breaks_a_rule_is_flagged_at_the_top_and_not_called_proven() -> None:
    s, plan = solved("minimal.yaml")
    bad = broken(s, plan)
    violations = check_plan(s, bad)
    assert violations
    report = build(s, bad)
    assert report.banner.level == "error"
    assert report.banner.heading == t("report.banner.breaks", "en", n=len(violations))
    assert len(report.banner.lines) == len(violations)
    assert "precedence" in " ".join(report.banner.lines)
    assert proof(report.verdict)["proven"].isna().all()
    tight = [item.text for item in report.sections[-1].items]
    over = {v.message.split(" in ")[1].split(",")[0] for v in violations if v.rule == "capacity"}
    assert over and not [m for m in over if m in " ".join(tight)]  # over capacity is a broken rule, not a tight one
    assert [c.label for c in report.cards if "cost" in c.label.lower()] == [
        "Total cost",
        "Cost BY (planning rates)",
        "Cost RU (planning rates)",
    ]  # the scenario names no currency
    html = html_text(report)
    assert html.index('class="banner error"') < html.index('id="kpis"')  # before anything else is said
    assert t("chart.violation", "en") in html  # crossed on the Gantt


def test_a_plan_without_a_schedule_says_why_in_the_reports_language() -> None:
    from planner.diagnose.conflict import HEADINGS

    s = scenario(
        work_packages=wps({"id": "W1", "deadline": "2025-03"}, {"id": "W2", "after": ["W1"], "deadline": "2025-03"})
    )
    plan = solve(s, SolverSettings(time_limit_s=5, workers=1))
    assert plan.status is Status.infeasible
    plan = plan.model_copy(update={"explanation": ["no plan satisfies all of these rules together:", "- W2 after W1"]})
    report = build(s, plan, lang="ru", explanation_headings=HEADINGS)
    assert report.banner.level == "error"
    why = report.sections[-1]
    assert why.title == t("report.section.why_no_plan", "ru")
    assert why.items[0].text == t("explain.all", "ru") and why.items[0].children == ("W2 after W1",)
    assert 'data-charts="none"' in html_text(report)  # no chart to draw, no plotly.js


def visible_text(html: str) -> str:
    """What a reader sees of a page: its text without scripts, styles and tags."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", "\n", html))


def test_russian_report_has_russian_headings_and_numbers() -> None:
    s, plan = solved(DEMO)
    html = demo_html("ru")
    text = visible_text(html)
    english = [
        v
        for k, v in en.TEXT.items()
        if v != ru.TEXT[k]
        and "{" not in v
        and re.search(r"[A-Za-z]{2}", v)
        and re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", text)
    ]
    assert english == []  # no label of the planner's own in English (scenario ids and names stay as written)
    for key in [k for k in en.TEXT if k.startswith("report.section.") and k != "report.section.why_no_plan"]:
        assert f">{ru.TEXT[key]}<" in html or f'"{ru.TEXT[key]}"' in html, key  # a heading, or the cards' label
        assert en.TEXT[key] not in html, key
    assert '<html lang="ru">' in html
    total = number(kpis(s, plan).cost_total, "ru")
    assert f">{total}<" in html and "\u00a0" in total  # 1 316 344: no-break spaces between thousands


def test_tight_spots_name_a_full_institution_and_a_reached_cap() -> None:
    s = scenario(
        funders=[{"id": "f", "country": "BY", "cap_per_year": {2025: 800}}],
        programs=[{"id": "p", "funders": ["f"]}],
        work_packages=wps({"id": "W1", "effort_pm": 8, "duration": 4}),
        forbids=[{"work_package": "W1", "institution": "b"}],
    )
    plan = solve(s, SolverSettings(time_limit_s=5, workers=1))
    assert plan.found
    lines = tight_spots(
        money_tables.funder_caps(s, plan),
        capacity_use(s, plan),
        schedule_tables.deadlines(s, plan),
        schedule_tables.deliverables(s, plan),
        money_tables.funder_countries(s, plan),
        money_tables.program_countries(s, plan),
    )
    first = plan.assignments[0]
    assert f"a is fully booked in 4 month(s) between {first.start_month} and {first.end_month}" in lines
    assert "f pays 800 of its 800 cap in 2025 (100%)" in lines


# ---------------------------------------------------------------- tables add up


def test_budget_per_institution_adds_up_to_the_cost_by_country_and_year() -> None:
    s, plan = solved(DEMO)
    df = money_tables.budget_by_institution(s, plan)
    use = budget_use(s, plan)
    countries = use[(use["kind"] == "country") & use["year"].notna()]
    for row in countries.itertuples():
        subtotal = df[(df["country"] == row.id) & (df["institution"] == TOTAL)]
        assert float(subtotal[str(row.year)].iloc[0]) == pytest.approx(row.amount)
    grand = df[df["country"] == TOTAL]
    assert float(grand[TOTAL].iloc[0]) == pytest.approx(countries["amount"].sum())


def test_funder_and_program_shares_agree_with_the_checker() -> None:
    s, plan = solved(DEMO)
    shares = money_tables.funder_countries(s, plan)
    for _, rows in shares.groupby("funder"):
        assert rows["share"].sum() == pytest.approx(1.0)
    assert shares["within"].dropna().all()  # the plan passes the checker's share rules
    programs = money_tables.program_countries(s, plan)
    assert programs["within"].dropna().all()
    limited = {p.id for p in s.programs if p.max_institution_share is not None}
    assert set(programs.loc[programs["country"].isna(), "program"]) == limited


def test_deliverables_and_deadlines_come_from_the_schedule() -> None:
    s, plan = solved(DEMO)
    df = schedule_tables.deliverables(s, plan)
    listed = {(d.id, d.month) for a in plan.assignments for d in a.deliverables}
    assert set(zip(df["deliverable"], df["month"], strict=True)) == listed
    dates = schedule_tables.deadlines(s, plan)
    hard = dates[dates["kind"] == "deadline"]
    assert len(hard) == sum(1 for w in s.work_packages if w.deadline and plan.assignment(w.id))
    assert (hard["spare_months"] >= 0).all()


def test_participants_and_effort_matrices_add_up_to_the_plan() -> None:
    s, plan = solved(DEMO)
    people = schedule_tables.participants(s, plan)
    assert people["effort_pm"].sum() == pytest.approx(sum(a.effort_pm for a in plan.assignments))
    assert people["work_packages_led"].sum() == len(plan.assignments)
    blocks = schedule_tables.effort_by_program(s, plan)
    assert sum(m.loc[TOTAL, TOTAL] for m in blocks.values()) == pytest.approx(people["effort_pm"].sum())


# ---------------------------------------------------------------- Excel


def test_the_workbook_holds_the_same_tables_formatted() -> None:
    s, plan = solved(DEMO)
    report: Report = build(s, plan, plan_name="plan.json")
    book = load_workbook(io.BytesIO(xlsx_bytes(report)))
    sheets = [t(f"report.sheet.{x.key}", "en") for x in report.tables if x.xlsx]
    assert book.sheetnames == [t("report.sheet.summary", "en"), *sheets]
    wps_sheet = book[t("report.sheet.work_packages", "en")]
    headers = [c.value for c in wps_sheet[1]]
    assert headers[:4] == ["Work package", "Title", "Program", "Lead institution"]
    assert all(c.font.bold for c in wps_sheet[1])
    assert wps_sheet.freeze_panes == "A2"
    first = plan.assignments[0]
    row = [c.value for c in wps_sheet[2]]
    assert row[0] == first.work_package and row[headers.index("Effort, person-months")] == first.effort_pm
    assert row[headers.index("Start")] == first.start_month
    effort = book[t("report.sheet.effort", "en")]
    assert effort.freeze_panes == "B2"
    total_row = next(r for r in effort.iter_rows(values_only=True) if r[0] == TOTAL)
    assert total_row[-1] == pytest.approx(sum(a.effort_pm for a in plan.assignments))
    budget = book[t("report.sheet.budget", "en")]
    assert budget.cell(2, 4).number_format == "#,##0"
    caps = book[t("report.sheet.funder_caps", "en")]
    use = [c.value for c in caps[1]].index("Share of cap") + 1
    assert caps.cell(2, use).number_format == "0.0%"
    summary = book[t("report.sheet.summary", "en")]
    assert summary["A1"].value == "Plan report"
    assert any(r[0] == report.banner.heading for r in summary.iter_rows(values_only=True))
    figures = {r[0]: r[1] for r in summary.iter_rows(values_only=True) if r and r[0]}
    # key figures are numbers a spreadsheet can sum, not text such as '1,316,344'
    assert figures[t("plan.kpi.planned", "en")] == len(plan.assignments)
    assert figures[t("report.card.effort", "en")] == pytest.approx(sum(a.effort_pm for a in plan.assignments))


def test_the_russian_workbook_has_russian_sheets_and_headers() -> None:
    s, plan = solved("minimal.yaml")
    book = load_workbook(io.BytesIO(xlsx_bytes(build(s, plan, lang="ru"))))
    assert book.sheetnames[0] == "Сводка"
    sheet = book[t("report.sheet.work_packages", "ru")]
    assert [c.value for c in sheet[1]][:4] == ["Пакет работ", "Название", "Программа", "Ведущая организация"]
