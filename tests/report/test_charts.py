"""Charts: they draw exactly the plan (bars, cells and flows add up), in both languages, and never fail."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from planner import Plan, Scenario, SolverSettings, Status, load_scenario, solve
from planner.i18n import t
from planner.report.charts import (
    DETAIL_ROWS,
    ROW_PX,
    budget_chart,
    capacity_heatmap,
    effort_heatmap,
    figure_html,
    funding_sankey,
    gantt,
    gantt_compare,
    month_after,
    month_start,
    progress_chart,
)
from planner.report.tables import assignments_table, kpis
from tests.conftest import SCENARIOS, large_program, solved

if TYPE_CHECKING:
    from collections.abc import Callable

    import plotly.graph_objects as go

SETTINGS = SolverSettings(time_limit_s=2, workers=1, reproducible=True)


@pytest.fixture(scope="session")
def features() -> Scenario:
    return solved("all-features.yaml")[0]


@pytest.fixture(scope="session")
def plan() -> Plan:
    return solved("all-features.yaml")[1]


@pytest.fixture(scope="session")
def empty(features: Scenario) -> Plan:
    return Plan(scenario=features.name, scenario_digest="-", status=Status.infeasible)


def _bars(fig: go.Figure) -> list[go.Bar]:
    """The plan's own bars (not the layers drawn with them: baseline, float, critical frames)."""
    return [tr for tr in fig.data if tr.type == "bar" and tr.meta is None]


def test_gantt_draws_one_bar_per_assignment_on_real_dates(features: Scenario, plan: Plan) -> None:
    fig = gantt(features, plan)
    bars = _bars(fig)
    assert sum(len(b.base) for b in bars) == len(plan.assignments)
    assert fig.layout.yaxis.range == (len(plan.assignments) - 0.5, -0.5)  # top to bottom
    assert fig.layout.xaxis.type == "date"
    by_wp = {a.work_package: a for a in plan.assignments}
    for b in bars:
        groups, wps = b.y
        for start, width, group, wp in zip(b.base, b.x, groups, wps, strict=True):
            a = by_wp[wp]
            assert isinstance(start, dt.datetime) and start == month_start(a.start_month)
            assert start + dt.timedelta(milliseconds=width) == month_after(a.end_month)
            assert group == next(w.program for w in features.work_packages if w.id == wp)
    assert {b.name for b in bars} >= {"Belarus", "Russia (Tomsk Oblast)"}


def test_gantt_marks_hard_deadlines_and_groups_by_institution(features: Scenario, plan: Plan) -> None:
    fig = gantt(features, plan, by="institution")
    deadlines = {w.id: w.deadline for w in features.work_packages if w.deadline and plan.assignment(w.id)}
    marks = [tr for tr in fig.data if tr.type == "scatter" and tr.name == t("chart.deadline")]
    assert len(marks) == 1 and deadlines
    assert list(marks[0].y[1]) == list(deadlines)
    assert list(marks[0].x) == [month_after(m) for m in deadlines.values()]
    for b in _bars(fig):
        for group, wp in zip(*b.y, strict=True):
            a = plan.assignment(wp)
            assert a is not None
            assert group == (a.institution or "—")


def test_capacity_heatmap_stays_at_or_below_full_for_a_checked_plan(features: Scenario, plan: Plan) -> None:
    heat = capacity_heatmap(features, plan).data[0]
    cells = [u for row in heat.z for u in row if not math.isnan(u)]
    assert max(cells) <= 1 + 1e-9 and min(cells) == 0
    assert not any("!" in m for row in heat.text for m in row)
    assert heat.zmin == 0 and heat.zmax > 1


def test_capacity_heatmap_marks_overload(features: Scenario, plan: Plan) -> None:
    """Halving every capacity turns the same plan into an overloaded one."""
    halved = features.model_copy(
        update={
            "institutions": [
                i.model_copy(update={"capacity_pm": i.capacity_pm / 2, "capacity_pm_by_year": {}})
                for i in features.institutions
            ]
        }
    )
    heat = capacity_heatmap(halved, plan).data[0]
    over = [(u, m) for zr, tr in zip(heat.z, heat.text, strict=True) for u, m in zip(zr, tr, strict=True) if u > 1]
    assert over and all(m == "!" for _, m in over)
    assert heat.zmax >= max(u for u, _ in over)


def test_effort_heatmap_holds_all_effort(features: Scenario, plan: Plan) -> None:
    heat = effort_heatmap(features, plan).data[0]
    total = sum(x for row in heat.z for x in row if not math.isnan(x))
    assert total == pytest.approx(sum(a.effort_pm for a in plan.assignments if a.institution))


def test_budget_chart_draws_costs_and_caps(features: Scenario, plan: Plan) -> None:
    fig = budget_chart(features, plan)
    bars = _bars(fig)
    countries = [b for b in bars if b.xaxis == "x"]
    assert sum(sum(b.y) for b in countries) == pytest.approx(sum(_year_costs(features, plan)), rel=1e-9)
    caps = [tr for tr in fig.data if tr.type == "scatter" and tr.name == t("chart.cap")]
    capped = sum(len(f.cap_per_year) for f in features.funders)
    assert sum(len(c.y) for c in caps) == capped
    funders = {f.id for f in features.funders if f.cap_per_year}
    assert {name for c in caps for name in c.text} == funders  # each cap line says whose cap it is
    assert fig.layout.scattermode == "group"


def _year_costs(scenario: Scenario, plan: Plan) -> list[float]:
    from planner.report.tables import budget_use

    df = budget_use(scenario, plan)
    return list(df[(df["kind"] == "country") & df["year"].notna()]["amount_reporting"])


def test_sankey_flows_add_up_to_the_total_cost(features: Scenario, plan: Plan) -> None:
    sankey = funding_sankey(features, plan).data[0]
    labels = list(sankey.node.label)
    funders = {labels.index(f.id) for f in features.funders if f.id in labels} | {
        labels.index(x) for x in labels if x == t("chart.sankey.unfunded")
    }
    programs = {labels.index(p.id) for p in features.programs}
    links = list(zip(sankey.link.source, sankey.link.target, sankey.link.value, strict=True))
    cost = kpis(features, plan).cost_total
    assert sum(v for s, _, v in links if s in funders) == pytest.approx(cost)
    assert sum(v for _, d, v in links if d in programs) == pytest.approx(cost)


@dataclass(frozen=True)
class Point:
    stage: int
    term: str
    elapsed_s: float
    objective: float | None
    bound: float | None


def test_progress_chart_shows_the_current_stage() -> None:
    points = [Point(0, "value", 0.1, 10, 20), Point(1, "cost", 0.5, 900, 100), Point(1, "cost", 1.0, 700, None)]
    fig = progress_chart(points, "ru")
    best, bound = fig.data
    assert list(best.x) == [0.5, 1.0] and list(best.y) == [900, 700]
    assert list(bound.y) == [100]
    assert fig.layout.title.text == t("chart.progress.title", "ru", stage=2, term=t("kpi.term.cost", "ru"))
    assert progress_chart([], "en").layout.annotations[0].text == t("chart.progress.waiting")


def test_gantt_compare_aligns_both_plans_on_one_time_axis(features: Scenario, plan: Plan, empty: Plan) -> None:
    fig = gantt_compare(features, plan, features, plan, labels=("before", "after"))
    assert sum(len(b.base) for b in _bars(fig)) == 2 * len(plan.assignments)
    assert fig.layout.xaxis.matches == "x2" or fig.layout.xaxis2.matches == "x"
    assert fig.layout.yaxis.autorange == fig.layout.yaxis2.autorange == "reversed"
    assert [a.text for a in fig.layout.annotations][:2] == ["before", "after"]
    assert sum(b.showlegend is not False for b in _bars(fig)) == len(_bars(fig)) // 2
    half = gantt_compare(features, plan, features, empty)
    assert sum(len(b.base) for b in _bars(half)) == len(plan.assignments)
    assert any(a.text == t("chart.no_plan", status=t("kpi.status.infeasible")) for a in half.layout.annotations)


CHARTS: dict[str, Callable[[Scenario, Plan, str], go.Figure]] = {
    "gantt": lambda s, p, lang: gantt(s, p, "program", lang),
    "gantt by institution": lambda s, p, lang: gantt(s, p, "institution", lang),
    "capacity": capacity_heatmap,
    "budget": budget_chart,
    "sankey": funding_sankey,
    "effort": effort_heatmap,
    "compare": lambda s, p, lang: gantt_compare(s, p, s, p, lang=lang),
}


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_says_when_there_is_no_plan(features: Scenario, empty: Plan, name: str, lang: str) -> None:
    fig = CHARTS[name](features, empty, lang)
    texts = [a.text for a in fig.layout.annotations]
    assert t("chart.no_plan", lang, status=t("kpi.status.infeasible", lang)) in texts
    assert not _bars(fig)


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_speaks_russian(features: Scenario, plan: Plan, name: str) -> None:
    en, ru = CHARTS[name](features, plan, "en"), CHARTS[name](features, plan, "ru")
    assert ru.layout.title.text and ru.layout.title.text != en.layout.title.text
    assert ru.layout.separators == t("chart.separators", "ru")
    assert len(ru.data) == len(en.data) > 0


def test_figure_html_is_self_contained(features: Scenario, plan: Plan) -> None:
    html = figure_html(gantt(features, plan))
    assert "<html>" in html and "<script src=" not in html and 'src="http' not in html
    assert "Plotly.newPlot" in html and len(html) > 1_000_000, "plotly.js is inline"


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_draws_a_scenario_without_currencies_or_funders(name: str) -> None:
    minimal = load_scenario(SCENARIOS / "minimal.yaml")
    assert minimal.currencies is None and not minimal.funders
    plan = solve(minimal, SETTINGS)
    fig = CHARTS[name](minimal, plan, "ru")
    no_plan = {t("chart.no_plan", "ru", status=t(f"kpi.status.{s}", "ru")) for s in Status}
    assert fig.data and not no_plan & {a.text for a in fig.layout.annotations}


@pytest.fixture(scope="module")
def large() -> tuple[Scenario, Plan]:
    s, p = large_program()
    assert len(p.assignments) > DETAIL_ROWS
    return s, p


@pytest.mark.parametrize("by", ["program", "institution"])
def test_gantt_of_a_large_plan_draws_one_bar_per_group_over_its_span(large: tuple[Scenario, Plan], by: str) -> None:
    s, p = large
    fig = gantt(s, p, by=by)  # type: ignore[arg-type]
    table = assignments_table(s, p)
    spans = table.groupby(by).agg(start=("start_month", "min"), end=("end_month", "max"), n=("work_package", "size"))
    bars = _bars(fig)
    drawn = {g: (b0, w, c[4]) for b in bars for g, b0, w, c in zip(b.y, b.base, b.x, b.customdata, strict=True)}
    assert set(drawn) == set(spans.index)
    for group, (begin, width, n) in drawn.items():
        assert begin == month_start(spans.loc[group, "start"])
        assert begin + dt.timedelta(milliseconds=width) == month_after(spans.loc[group, "end"])
        assert n == spans.loc[group, "n"]
    order = [x.id for x in (s.programs if by == "program" else s.institutions)]
    assert list(fig.layout.yaxis.categoryarray) == [g for g in order if g in drawn]  # the file's order
    assert fig.layout.height < 140 + ROW_PX * (len(drawn) + 1)  # one row per group, not per work package


def test_gantt_drills_down_to_the_work_packages_of_one_program(large: tuple[Scenario, Plan]) -> None:
    s, p = large
    program = s.programs[1]
    fig = gantt(s, p, only=program.id, lang="ru")
    mine = {w.id for w in s.work_packages if w.program == program.id} & {a.work_package for a in p.assignments}
    assert {wp for b in _bars(fig) for wp in b.y[1]} == mine
    assert program.id in fig.layout.title.text


def test_gantt_of_a_small_plan_draws_every_work_package_or_one_institution(features: Scenario, plan: Plan) -> None:
    assert len(plan.assignments) <= DETAIL_ROWS
    assert sum(len(b.base) for b in _bars(gantt(features, plan))) == len(plan.assignments)
    institution = plan.assignments[0].institution
    fig = gantt(features, plan, by="institution", only=institution)
    assert {g for b in _bars(fig) for g in b.y[0]} == {institution}


def test_gantt_of_a_group_without_work_says_so(features: Scenario, plan: Plan) -> None:
    fig = gantt(features, plan, only="no-such-program")
    assert not _bars(fig) and fig.layout.annotations


def test_effort_heatmap_of_a_large_plan_sums_by_program(large: tuple[Scenario, Plan]) -> None:
    s, p = large
    fig = effort_heatmap(s, p)
    heat = fig.data[0]
    assert set(heat.x) <= {x.id for x in s.programs}
    total = sum(v for row in heat.z for v in row if v == v and v is not None)
    assert total == pytest.approx(sum(a.effort_pm for a in p.assignments if a.institution))
