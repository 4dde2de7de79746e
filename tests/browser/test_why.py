"""Issue 18 item 2 in a real browser: a work package's "why" on the Plan page, its alternatives priced on request."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import StreamlitServer, shot, wait_for_app
from tests.browser.test_honest import open_file, optimize_to_the_end
from tests.browser.test_main_flow import PLAN_TIMEOUT_MS, go

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_a_work_package_says_why_and_prices_its_alternatives(streamlit_server: StreamlitServer, page: Page) -> None:
    from playwright.sync_api import expect

    page.goto(streamlit_server.url)
    wait_for_app(page)
    open_file(page, "minimal.yaml")
    optimize_to_the_end(page)  # proven optimal at once: U-03 at bsuir, the cheapest
    go(page, "Plan")
    page.get_by_role("tab", name="Work package").click()
    wait_for_app(page)
    page.locator(".st-key-detail_wp").click()
    page.get_by_role("option", name="U-03").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Why this plan")).to_be_visible()
    expect(page.get_by_text("starts as soon as its predecessor U-01 allows", exact=False)).to_be_visible()
    page.locator(".st-key-why_price").get_by_role("button", name="Price the alternatives").click()
    table = page.get_by_test_id("stDataFrame").filter(has=page.locator('th[role="columnheader"]', has_text="How sure"))
    expect(table).to_be_visible(timeout=PLAN_TIMEOUT_MS)
    expect(table.locator('td[role="gridcell"]', has_text="proven")).to_be_attached()
    expect(table.locator('td[role="gridcell"]', has_text="+6,000")).to_be_attached()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shot(page, "why-alternatives")
