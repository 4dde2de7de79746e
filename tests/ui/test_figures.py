"""The Plan page's figure cache: each view of a plan drawn once, plans told apart by identity, old plans dropped."""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go

from planner.report.charts import DETAIL_ROWS
from planner.ui.figures import CHART_FILES, TABLES, FigureCache, PlanViews
from tests.conftest import large_program, solved

if TYPE_CHECKING:
    import pytest


def test_a_view_is_made_once_per_plan_and_options() -> None:
    _, plan = solved("minimal.yaml")
    cache, calls = FigureCache(), []

    def make(tag: str) -> str:
        calls.append(tag)
        return tag

    assert cache.get(plan, ("gantt", "en"), lambda: make("a")) == "a"
    assert cache.get(plan, ("gantt", "en"), lambda: make("b")) == "a"  # drawn before: not again
    assert cache.get(plan, ("gantt", "ru"), lambda: make("c")) == "c"  # another language is another view
    other = plan.model_copy()  # an equal plan but another object: another entry
    assert cache.get(other, ("gantt", "en"), lambda: make("d")) == "d"
    assert calls == ["a", "c", "d"] and len(cache) == 3


def test_only_the_newest_plans_are_kept() -> None:
    _, plan = solved("minimal.yaml")
    cache = FigureCache(plans=2)
    plans = [plan.model_copy() for _ in range(3)]
    for p in plans:
        cache.get(p, "x", object)
    calls = []
    cache.get(plans[0], "x", lambda: calls.append(1))  # the oldest was dropped: made again
    cache.get(plans[2], "x", lambda: calls.append(2))  # still kept
    assert calls == [1] and len(cache) == 2


def test_plan_views_draw_every_chart_and_table_once() -> None:
    scenario, plan = large_program()
    assert len(plan.assignments) > DETAIL_ROWS
    views = PlanViews(FigureCache(), scenario, plan, "en")
    assert views.large
    first = views.charts()
    assert list(first) == list(CHART_FILES) and all(isinstance(f, go.Figure) for f in first.values())
    assert all(a is b for a, b in zip(first.values(), views.charts().values(), strict=True))
    assert views.chart("gantt", by="program", only=scenario.programs[0].id) is not first["gantt_program"]
    tables = views.tables()
    assert list(tables) == list(TABLES) and views.shown("assignments") is tables["assignments"]
    assert len(tables["assignments"]) == len(plan.assignments)
    assert list(views.table("effort", by="program").columns) != list(tables["effort"].columns)


def test_downloads_have_headers_in_words_and_reasons_in_the_language() -> None:
    """Issue 16, findings 10 and 11: Excel and CSV headers are not snake_case ids; left-out reasons are translated."""
    scenario, plan = solved("belarus-tomsk-2025-2030.yaml")
    for lang, header in (("en", "Work package"), ("ru", "Пакет работ")):
        tables = PlanViews(FigureCache(), scenario, plan, lang).tables()
        for name, table in tables.items():
            assert not [c for c in table.columns if "_" in str(c)], (lang, name, list(table.columns))
        assert header in tables["assignments"].columns
    reasons = PlanViews(FigureCache(), scenario, plan, "ru").tables()["left_out"]["Причина"]
    assert all(not r.startswith(("optional", "overlap", "depends")) for r in reasons), list(reasons)


def test_the_plans_timing_is_worked_out_once_for_every_gantt_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.ui import figures

    scenario, plan = large_program()
    calls: list[str] = []
    real = figures.plan_timing

    def counted(s: object, p: object) -> object:
        calls.append("timing")
        return real(s, p)  # type: ignore[arg-type]

    monkeypatch.setattr(figures, "plan_timing", counted)
    views = PlanViews(FigureCache(), scenario, plan, "en")
    for program in scenario.programs[:3]:
        views.chart("gantt", by="program", only=program.id)
    assert len(calls) == 1
