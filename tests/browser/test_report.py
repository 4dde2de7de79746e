"""The HTML report in a real browser (issue 19 item 1): opened from disk, its charts drawn, not one network request.

Every request the page makes is routed here: a `file:` URL (the report itself) goes through, anything else is
recorded and aborted, and the test fails if there was any. A screenshot and a printed PDF are kept in the test's
temporary folder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from planner.report.contents import build
from planner.report.html_report import html_text
from tests.conftest import solved

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Request, Route

pytestmark = pytest.mark.browser

CHARTS = 4  # Gantt, capacity, budget, Sankey
TIMEOUT_MS = 60_000  # inflating plotly.js and drawing four charts on a loaded 2-core machine


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_report_draws_its_charts_offline(browser: Browser, tmp_path: Path, lang: str) -> None:
    from playwright.sync_api import expect

    s, plan = solved("belarus-tomsk-2025-2030.yaml")
    report = tmp_path / f"report-{lang}.html"
    report.write_text(html_text(build(s, plan, lang=lang, plan_name="plan.json")), encoding="utf-8")

    outside: list[str] = []

    def only_files(route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    def seen(request: Request) -> None:
        if not request.url.startswith("file:"):
            outside.append(request.url)

    context = browser.new_context(
        viewport={"width": 1400, "height": 900}, locale=f"{lang}-RU" if lang == "ru" else "en-US"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/*", only_files)
    page = context.new_page()
    page.on("request", seen)
    page.on("websocket", lambda ws: outside.append(ws.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(report.as_uri())
        page.wait_for_selector('body[data-charts="drawn"]', timeout=TIMEOUT_MS)
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
        assert page.locator("div.chart.js-plotly-plot").count() == CHARTS
        assert page.locator("#chart-gantt .main-svg .bars path").count() >= len(plan.assignments)
        page.screenshot(path=str(tmp_path / f"report-{lang}.png"), full_page=True)
        page.emulate_media(media="print")
        page.pdf(path=str(tmp_path / f"report-{lang}.pdf"), prefer_css_page_size=True, print_background=True)
    finally:
        context.close()
    assert outside == [], f"the report made network requests: {outside}"
    assert errors == []
    assert (tmp_path / f"report-{lang}.png").stat().st_size > 100_000
    assert (tmp_path / f"report-{lang}.pdf").read_bytes()[:5] == b"%PDF-"
