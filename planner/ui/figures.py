"""Figures and tables of a session's plans, each made once per plan and view, so a page revisited is not redrawn.

A 2,000-WP plan takes about a second to chart and tabulate; the Plan page reruns on every widget change and on
every return to it. Plans are immutable and the session keeps them, so a plan object is its own key (by
identity: hashing 2,000 assignments per rerun would cost what the cache saves). The newest few plans are kept.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any, TypeVar

from planner.diagnose.timing import plan_timing
from planner.report import charts, tables

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Mapping

    import pandas as pd
    import plotly.graph_objects as go

    from planner.diagnose.timing import Timing
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario

T = TypeVar("T")


class FigureCache:
    """What has been drawn for each of the newest `plans` plans, by view (chart name, language, options)."""

    def __init__(self, plans: int = 4) -> None:
        self._limit = plans
        self._plans: OrderedDict[int, tuple[Plan, dict[Hashable, Any]]] = OrderedDict()

    def get(self, plan: Plan, view: Hashable, make: Callable[[], T]) -> T:
        """The view of this plan made before, or `make()` now (and kept). Treat what it returns as read-only."""
        entry = self._plans.get(id(plan))
        if entry is None or entry[0] is not plan:  # a new plan (or a new object at a freed address)
            entry = (plan, {})
            self._plans[id(plan)] = entry
        self._plans.move_to_end(id(plan))
        while len(self._plans) > self._limit:
            self._plans.popitem(last=False)
        views = entry[1]
        if view not in views:
            views[view] = make()
        result: T = views[view]
        return result

    def __len__(self) -> int:
        """How many views are kept, over all plans."""
        return sum(len(views) for _, views in self._plans.values())


class PlanViews:
    """The charts and tables of one plan as the Plan page shows them, each drawn once through a `FigureCache`."""

    def __init__(
        self, cache: FigureCache, scenario: Scenario, plan: Plan, lang: str, flagged: Mapping[str, str] | None = None
    ) -> None:
        """`flagged`: work packages that break a rule of `scenario` (see `planner.ui.verdict`), crossed on the Gantt."""
        self.cache, self.scenario, self.plan, self.lang = cache, scenario, plan, lang
        self.flagged = dict(flagged or {})
        # A plan is drawn against the scenario open now, which an edit replaces: the scenario object is in the key.
        self._against = (id(scenario), tuple(sorted(self.flagged)))

    def chart(self, name: str, **options: Any) -> go.Figure:
        """One chart of `CHARTS` with its options (e.g. `by="institution"`, `only="uav"`), in the page's language."""
        draw = CHARTS[name]
        if name == "gantt" and self.flagged:
            options["flagged"] = self.flagged
        if name == "gantt":
            options["timing"] = self.timing()  # a 2,000-WP plan's takes 0.1 s: once, not for every group drawn
        # A baseline plan is its own key, by identity (as the plans are: see `FigureCache`); the session keeps it.
        keyed = {
            k: id(v) if k == "baseline" and v is not None else v
            for k, v in options.items()
            if k not in ("flagged", "timing")
        }
        view = ("chart", name, self.lang, self._against, *sorted(keyed.items()))
        return self.cache.get(self.plan, view, lambda: draw(self.scenario, self.plan, lang=self.lang, **options))

    def timing(self) -> Timing:
        """The plan's float and critical paths (`planner.diagnose.timing`), worked out once."""
        return self.cache.get(self.plan, ("timing", self._against), lambda: plan_timing(self.scenario, self.plan))

    def table(self, name: str, **options: Any) -> pd.DataFrame:
        """One table of `TABLES` with its options (e.g. the effort matrix `by="program"`), headers as stable ids."""
        make = TABLES[name]
        view = ("table", name, self._against, *sorted(options.items()))
        return self.cache.get(self.plan, view, lambda: make(self.scenario, self.plan, **options))

    def shown(self, name: str, **options: Any) -> pd.DataFrame:
        """A table as people read it, in the page's language: headers in words, left-out reasons translated."""
        view = ("shown", name, self.lang, self._against, *sorted(options.items()))
        return self.cache.get(self.plan, view, lambda: tables.shown(self.table(name, **options), self.lang))

    def display(self, name: str, **options: Any) -> pd.DataFrame:
        """A table for the screen: `shown`, with numbers as text in the page's language (see `tables.display`)."""
        view = ("display", name, self.lang, self._against, *sorted(options.items()))
        return self.cache.get(self.plan, view, lambda: tables.display(self.table(name, **options), self.lang))

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table in full (per work package), as the downloads hold them: headers in the page's language."""
        return {name: self.shown(name) for name in TABLES}

    def charts(self) -> dict[str, go.Figure]:
        """Every chart as the page first shows it, by the names of `CHART_FILES`, as the downloads hold them."""
        return {
            "gantt_program": self.chart("gantt", by="program"),
            "gantt_institution": self.chart("gantt", by="institution"),
            **{name: self.chart(name) for name in CHARTS if name != "gantt"},
        }

    @property
    def large(self) -> bool:
        """Whether the plan is drawn by group (see `charts.DETAIL_ROWS`)."""
        return len(self.plan.assignments) > charts.DETAIL_ROWS


CHARTS: dict[str, Callable[..., go.Figure]] = {
    "gantt": charts.gantt,
    "capacity": charts.capacity_heatmap,
    "budget": charts.budget_chart,
    "sankey": charts.funding_sankey,
    "effort": charts.effort_heatmap,
}
TABLES: dict[str, Callable[..., pd.DataFrame]] = {
    "assignments": tables.assignments_table,
    "effort": tables.effort_matrix,
    "capacity": tables.capacity_use,
    "budget": tables.budget_use,
    "left_out": lambda _scenario, plan: tables.left_out_table(plan),
}
CHART_FILES = ("gantt_program", "gantt_institution", *(name for name in CHARTS if name != "gantt"))
"""The charts a plan's downloads hold, by file name."""
