"""Issue 16 in a real browser: a preset applies, Stop keeps a plan and says so, Compare with a planless run, and the
Russian Plan page has no English label outside the scenario's own content."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from planner.importers.psplib import import_psplib, scenario_to_yaml
from tests.browser.conftest import StreamlitServer, shot, wait_for_app
from tests.browser.test_main_flow import PLAN_TIMEOUT_MS, go, step
from tests.conftest import DATA, SCENARIOS

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def open_file(page: Page, name: str, title: str = "Scenario") -> None:
    """Pick a scenario file on the Scenario page (`title`: its name in the language shown)."""
    go(page, title)
    page.locator(".st-key-scenario_pick").click()
    page.get_by_role("option", name=name).click()
    wait_for_app(page)


def optimize_to_the_end(page: Page, title: str = "Optimize", limit: str = "600") -> None:
    """Optimize a scenario CP-SAT settles at once (proven optimal or infeasible), with a limit never reached."""
    from playwright.sync_api import expect

    go(page, title)
    page.locator(".st-key-time_limit input").fill(limit)
    page.locator(".st-key-time_limit input").press("Tab")
    page.locator(".st-key-optimize_run button").click()
    # The outcome (a plan, or why there is none) shows once the solve has ended; the Stop button may never show.
    expect(page.get_by_test_id("stAlert").first).to_be_visible(timeout=PLAN_TIMEOUT_MS)
    expect(page.locator(".st-key-optimize_stop")).to_be_hidden(timeout=PLAN_TIMEOUT_MS)
    wait_for_app(page)


def test_a_preset_sets_the_time_limit_and_the_toggle(streamlit_server: StreamlitServer, page: Page) -> None:
    from playwright.sync_api import expect

    page.goto(streamlit_server.url)
    wait_for_app(page)
    go(page, "Optimize")
    limit = page.locator(".st-key-time_limit input")
    expect(limit).to_have_value("5.00")
    page.locator(".st-key-preset").get_by_role("radio", name="default (30 s)").click()
    wait_for_app(page)
    expect(limit).to_have_value("30.00")
    page.locator(".st-key-preset").get_by_role("radio", name="reproducible").click()
    wait_for_app(page)
    expect(page.locator(".st-key-reproducible input")).to_be_checked()
    go(page, "Plan")
    go(page, "Optimize")  # the settings survive leaving the page
    expect(page.locator(".st-key-reproducible input")).to_be_checked()
    expect(limit).to_have_value("30.00")
    step(page, "honest-preset")


def test_stop_keeps_the_plan_and_says_so(streamlit_server: StreamlitServer, page: Page) -> None:
    from playwright.sync_api import expect

    page.goto(streamlit_server.url)
    wait_for_app(page)
    go(page, "Optimize")
    page.locator(".st-key-time_limit input").fill("600")
    page.locator(".st-key-time_limit input").press("Tab")
    page.locator(".st-key-optimize_run button").click()
    expect(page.get_by_test_id("stMetric").filter(has_text="Stage")).to_be_visible()  # named from the start
    first = page.get_by_test_id("stMetric").filter(has_text="First plan").get_by_test_id("stMetricValue")
    expect(first).to_have_text(re.compile(r"\d"), timeout=PLAN_TIMEOUT_MS)
    page.locator(".st-key-optimize_stop button").click()
    expect(page.locator(".st-key-optimize_stop")).to_be_hidden(timeout=PLAN_TIMEOUT_MS)
    expect(page.get_by_text("the best plan found so far is kept")).to_be_visible()  # without leaving the page
    go(page, "Plan")
    expect(page.get_by_text("The solve was stopped")).to_be_visible()
    step(page, "honest-stopped")


def test_compare_with_a_run_that_has_no_plan(streamlit_server: StreamlitServer, scenario_dir: Path, page: Page) -> None:
    from playwright.sync_api import expect

    infeasible = scenario_dir / "j301_1.yaml"  # PSPLIB j30 multi-mode without a feasible schedule
    infeasible.write_text(scenario_to_yaml(import_psplib(DATA / "j301_1.mm")), encoding="utf-8")
    page.goto(streamlit_server.url)
    wait_for_app(page)
    open_file(page, "minimal.yaml")
    optimize_to_the_end(page)
    open_file(page, infeasible.name)
    optimize_to_the_end(page)
    expect(page.get_by_text("No plan (infeasible)")).to_be_visible()  # the outcome line, not the explanation
    go(page, "Compare")
    expect(page.get_by_role("heading", name="Work packages that changed")).to_be_visible()
    expect(page.get_by_text("Something went wrong")).to_have_count(0)
    expect(page.locator(".st-key-compare_gantt .js-plotly-plot")).to_be_visible()
    step(page, "honest-compare-planless")


def test_the_russian_plan_page_has_no_english_label(streamlit_server: StreamlitServer, page: Page) -> None:
    from playwright.sync_api import expect

    page.goto(streamlit_server.url)
    wait_for_app(page)
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name="Русский").click()
    wait_for_app(page)
    open_file(page, "minimal.yaml", "Сценарий")
    optimize_to_the_end(page, "Оптимизация")
    go(page, "План")
    main = page.get_by_test_id("stMain")
    expect(main.locator(".js-plotly-plot").first).to_be_visible()
    shot(page, "honest-russian-plan")
    content = (SCENARIOS / "minimal.yaml").read_text(encoding="utf-8")
    allowed = set(re.findall(r"[A-Za-z][A-Za-z-]+", content)) | {"PM", "CSV", "HTML", "Excel", "yaml", "json"}
    english = sorted(
        {w for w in re.findall(r"[A-Za-z][A-Za-z-]{2,}", main.inner_text()) if w not in allowed}
        | {w for w in re.findall(r"[A-Za-z][A-Za-z-]{2,}", main.locator(".js-plotly-plot").first.inner_text())}
        - allowed
    )
    assert not english, english
