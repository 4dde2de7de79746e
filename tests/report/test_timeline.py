"""The Gantt's timing layers on a hand-made diamond A → B → D, A → C → D (B longer, so C has 3 periods of float):
arrows for every dependency, the critical path in red, float tails, diamonds, a baseline behind, today, filters."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from planner.check import check_plan
from planner.i18n import t
from planner.problem.assemble import Decision, draft_plan
from planner.report.charts import gantt, month_start
from planner.report.timeline import BAR_HALF, CRITICAL_COLOR, LAYERS
from tests.conftest import scenario, wps

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario


@pytest.fixture(scope="module")
def diamond() -> tuple[Scenario, Plan]:
    s = scenario(
        work_packages=wps(
            {"id": "A", "duration": 2, "effort_pm": 1},
            {"id": "B", "duration": 4, "effort_pm": 1, "after": ["A"]},
            {"id": "C", "duration": 1, "effort_pm": 1, "after": ["A"], "deliverables": [{"id": "c-report"}]},
            {"id": "D", "duration": 2, "effort_pm": 1, "after": ["B", "C"], "deadline": "2025-10"},
            {"id": "M", "duration": 0, "effort_pm": 0, "after": [{"id": "D", "type": "SS", "lag": 1}]},
        ),
    )
    runs = [("A", "a", 0, 2), ("B", "a", 2, 4), ("C", "b", 2, 1), ("D", "a", 6, 2), ("M", "a", 7, 0)]
    plan = draft_plan(s, [Decision(w, i, start, d, None) for w, i, start, d in runs])
    assert check_plan(s, plan) == []
    return s, plan


def _layer(fig: go.Figure, meta: str, mode: str | None = None) -> list[Any]:
    """The traces of a layer (of scatter traces with this mode, if given)."""
    return [tr for tr in fig.data if tr.meta == meta and (mode is None or getattr(tr, "mode", None) == mode)]


def _heads(fig: go.Figure, meta: str) -> set[tuple[str, str]]:
    """The (predecessor, successor) of each arrow head of a layer."""
    return {(c[0], c[1]) for tr in _layer(fig, meta, "markers") for c in tr.customdata}


def test_every_dependency_has_an_arrow_and_the_critical_path_is_red(diamond: tuple[Scenario, Plan]) -> None:
    s, plan = diamond
    fig = gantt(s, plan)
    assert _heads(fig, "critical") == {("A", "B"), ("B", "D")}
    assert _heads(fig, "dependencies") == {("A", "C"), ("C", "D"), ("D", "M")}
    red = [tr for tr in _layer(fig, "critical") if tr.type == "scatter"]
    assert red and all(tr.yaxis == "y2" for tr in red)
    assert all((tr.line.color if tr.mode == "lines" else tr.marker.color) == CRITICAL_COLOR for tr in red)
    [frames] = [tr for tr in _layer(fig, "critical") if tr.type == "bar"]
    assert list(frames.y[1]) == ["A", "B", "D"]  # M has float: D's start may slip 1 period, M starts 1 after it
    assert frames.marker.line.color == CRITICAL_COLOR


def test_arrows_end_on_the_successors_bar(diamond: tuple[Scenario, Plan]) -> None:
    s, plan = diamond
    fig = gantt(s, plan)
    rows = list(fig.data[0].y[1])  # the invisible first trace lists the rows top to bottom
    assert fig.layout.yaxis2.range == fig.layout.yaxis.range == (len(rows) - 0.5, -0.5)
    [lines] = _layer(fig, "critical", "lines")
    # A → B: out of A's end (2025-03) on A's row, down onto the top edge of B's bar
    first = list(zip(lines.x, lines.y, strict=True))[:3]
    assert first[0] == (month_start("2025-03"), rows.index("A"))
    assert first[-1][1] == rows.index("B") - BAR_HALF
    assert month_start("2025-03") < first[-1][0] < month_start("2025-07")  # a little inside B, which starts 2025-03
    [heads] = _layer(fig, "dependencies", "markers")
    ss = next(k for k, c in enumerate(heads.customdata) if (c[0], c[1]) == ("D", "M"))
    assert heads.marker.symbol[ss] == "triangle-right"  # start to start: into M's start from the left
    assert heads.customdata[ss][2] == t("chart.hover.ss") and heads.customdata[ss][3] == t("chart.hover.lag", lag=1)


def test_float_is_a_thin_tail_as_long_as_the_float(diamond: tuple[Scenario, Plan]) -> None:
    s, plan = diamond
    [tails] = _layer(gantt(s, plan), "float")
    by_wp = dict(zip(tails.y[1], zip(tails.base, tails.x, strict=True), strict=True))
    assert set(by_wp) == {"C", "M"}
    begin, width = by_wp["C"]
    assert begin == month_start("2025-04")  # C ends with 2025-03
    assert begin + dt.timedelta(milliseconds=width) == month_start("2025-07")  # three periods of float
    assert tails.width < 0.5


def test_deliverables_and_milestones_are_diamonds(diamond: tuple[Scenario, Plan]) -> None:
    s, plan = diamond
    [diamonds] = _layer(gantt(s, plan), "milestones")
    assert diamonds.marker.symbol == "diamond"
    assert list(diamonds.y[1]) == ["C", "M"]  # C's report at its end; M takes no time
    assert list(diamonds.x) == [month_start("2025-04"), month_start("2025-08")]


def test_layers_can_be_left_out(diamond: tuple[Scenario, Plan]) -> None:
    s, plan = diamond
    assert {tr.meta for tr in gantt(s, plan).data} >= set(LAYERS)
    bare = gantt(s, plan, layers=())
    assert {tr.meta for tr in bare.data} == {None}
    grey = gantt(s, plan, layers=("dependencies",))
    assert _heads(grey, "dependencies") == {("A", "B"), ("A", "C"), ("B", "D"), ("C", "D"), ("D", "M")}


def test_a_baseline_is_drawn_behind_the_plan(diamond: tuple[Scenario, Plan]) -> None:
    s, plan = diamond
    runs = [("A", "a", 0, 2), ("B", "b", 2, 4), ("C", "b", 3, 1), ("D", "a", 6, 2)]
    baseline = draft_plan(s, [Decision(w, i, start, d, None) for w, i, start, d in runs])
    fig = gantt(s, plan, baseline=baseline)
    [behind] = _layer(fig, "baseline")
    kinds = [tr.meta for tr in fig.data if tr.type == "bar"]
    assert kinds.index("baseline") < kinds.index(None)  # before the plan's bars: drawn behind them
    assert list(behind.y[1]) == ["A", "B", "C", "D"]  # M is not in the baseline
    c = list(behind.y[1]).index("C")
    assert behind.base[c] == month_start("2025-04")
    assert t("chart.hover.moved", periods="-1") in behind.customdata[c][3]
    b = list(behind.y[1]).index("B")
    assert t("chart.hover.was_at", institution="b") in behind.customdata[b][3]


def test_today_is_a_line_within_the_horizon(diamond: tuple[Scenario, Plan]) -> None:
    s, plan = diamond
    fig = gantt(s, plan, today=dt.date(2025, 5, 20))
    [line] = fig.layout.shapes
    assert line.x0 == dt.datetime(2025, 5, 20) and line.yref == "paper"
    assert any(a.text == t("chart.today", date="2025-05-20") for a in fig.layout.annotations)
    assert not gantt(s, plan, today=dt.date(2031, 1, 1)).layout.shapes  # after the horizon: not drawn


def test_filters_keep_the_work_of_a_country_and_an_institution(diamond: tuple[Scenario, Plan]) -> None:
    s, plan = diamond
    russian = gantt(s, plan, countries=("RU",))
    assert [wp for tr in russian.data if tr.type == "bar" and tr.meta is None for wp in tr.y[1]] == ["C"]
    assert not _layer(russian, "dependencies")  # nothing shown to connect C to
    fig = gantt(s, plan, institutions=("a",), layers=("dependencies",))
    assert _heads(fig, "dependencies") == {("A", "B"), ("B", "D"), ("D", "M")}
    nothing = gantt(s, plan, programs=("no-such-program",))
    assert nothing.layout.annotations[0].text == t("chart.gantt.none_kept")


def test_the_hover_says_float_and_what_the_work_waits_for(diamond: tuple[Scenario, Plan]) -> None:
    s, plan = diamond
    fig = gantt(s, plan, lang="ru")
    custom = {c[0]: c[7] for tr in fig.data if tr.type == "bar" and tr.meta is None for c in tr.customdata}
    assert t("chart.hover.float", "ru", total=3, free=3) in custom["C"]
    assert t("chart.hover.critical", "ru") in custom["B"] and t("chart.hover.drivers", "ru", wps="A") in custom["B"]
    assert t("chart.hover.window", "ru", earliest="2025-03", latest="2025-06") in custom["C"]
