"""Uploads in a real browser (issue 17, finding 5 and Load): every bad upload shows its reason, and sessions that
upload, edit and solve at once, one of them uploading an alias bomb, do not disturb each other.

Nothing here waits on a clock: each step waits for what the page shows (actions and `expect` have the conftest's
hang guard), so a busy machine makes the tests slower, never red.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import TIMEOUT_MS, wait_for_app
from tests.browser.test_main_flow import go, institutions_grid, type_into_cell
from tests.conftest import SCENARIOS, alias_bomb

if TYPE_CHECKING:
    from playwright.sync_api import Browser, FilePayload, Page

pytestmark = pytest.mark.browser

SOLVE_TIMEOUT_MS = 240_000  # a hang guard only: the minimal scenario is proven optimal in about a second


def minimal(name: str) -> bytes:
    """The minimal scenario under another name, so that each session's plan says whose it is."""
    text = (SCENARIOS / "minimal.yaml").read_text(encoding="utf-8")
    return text.replace("name: Minimal two-country program", f"name: {name}").encode()


def upload(page: Page, key: str, name: str, data: bytes) -> None:
    """Give a file to the uploader with this widget key, as a user's drop does."""
    mime = "application/json" if name.endswith(".json") else "application/x-yaml"
    payload: FilePayload = {"name": name, "mimeType": mime, "buffer": data}
    page.locator(f".st-key-{key} input[type=file]").set_input_files(files=[payload])
    wait_for_app(page)


def no_failure(page: Page) -> None:
    """No traceback and no generic 'page failed' message: every error says what it is."""
    from playwright.sync_api import expect

    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Something went wrong")).to_have_count(0)


def open_app(browser: Browser, url: str) -> Page:
    """A new session (its own browser context) on the Scenario page with the demo open."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(url)
    expect(page.get_by_role("heading", name="Scenario", level=1)).to_be_visible()
    wait_for_app(page)
    return page


def start_solve(page: Page) -> None:
    """Press Optimize with a limit never reached; the minimal scenario's solve ends by itself (optimal)."""
    go(page, "Optimize")
    limit = page.locator(".st-key-time_limit input")
    limit.fill("600")
    limit.press("Tab")  # commit the limit and let its run end before the click
    wait_for_app(page)
    page.locator(".st-key-optimize_run").get_by_role("button", name="Optimize").click()


def solved(page: Page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_text(re.compile(r"^optimal, gap .*: 4 work packages planned"))).to_be_visible(
        timeout=SOLVE_TIMEOUT_MS
    )
    no_failure(page)


def test_a_scenario_with_a_control_character_shows_file_line_and_reason(page: Page, streamlit_server: object) -> None:
    from playwright.sync_api import expect

    page.goto(streamlit_server.url)  # type: ignore[attr-defined]
    wait_for_app(page)
    upload(page, "scenario_upload", "control.yaml", b"schema_version: 1\nname: a\x01b\n")
    no_failure(page)
    expect(
        page.get_by_text("control.yaml:2: column 8: control character U+0001 is not allowed", exact=False)
    ).to_be_visible()


def test_a_malformed_yaml_plan_shows_file_line_and_reason(page: Page, streamlit_server: object) -> None:
    from playwright.sync_api import expect

    page.goto(streamlit_server.url)  # type: ignore[attr-defined]
    wait_for_app(page)
    go(page, "Compare")
    upload(page, "compare_upload", "baseline.yaml", b"schema_version: 1\nassignments: [\n")
    no_failure(page)
    expect(page.get_by_text("baseline.yaml is not a plan file written by the planner")).to_be_visible()
    expect(page.get_by_text(re.compile(r"baseline\.yaml:3: not valid YAML: "))).to_be_visible()
    upload(page, "compare_upload", "wrong.yaml", b"schema_version: 1\nstatus: great\n")
    no_failure(page)
    expect(page.get_by_text("wrong.yaml:2: status: input should be 'optimal'", exact=False)).to_be_visible()


def test_three_sessions_upload_edit_and_solve_while_one_uploads_an_alias_bomb(
    browser: Browser, streamlit_server: object
) -> None:
    """Two sessions upload, edit and solve their own scenario at the same time; a third uploads an alias bomb
    meanwhile. The bomb is refused with its reason; each of the others gets its own plan and keeps its own edit."""
    from playwright.sync_api import expect

    url = streamlit_server.url  # type: ignore[attr-defined]
    first, second, bomber = (open_app(browser, url) for _ in range(3))
    try:
        for k, page in enumerate((first, second), start=1):
            upload(page, "scenario_upload", f"session-{k}.yaml", minimal(f"Session {k} program"))
            expect(page.get_by_role("heading", name=f"Session {k} program")).to_be_visible()
        go(first, "Edit")
        type_into_cell(first, institutions_grid(first), "tpu", "Capacity, PM per month", "9")
        expect(first.get_by_text("Unsaved changes")).to_be_visible()
        start_solve(first)
        start_solve(second)
        upload(bomber, "scenario_upload", "bomb.yaml", alias_bomb())  # while both solve
        no_failure(bomber)
        expect(bomber.get_by_text("bomb.yaml was not opened")).to_be_visible()
        expect(
            bomber.get_by_text(re.compile(r"bomb\.yaml:\d+: aliases \(\*name\) repeat more than 100,000 values"))
        ).to_be_visible()
        expect(bomber.get_by_text("Open: belarus-tomsk-2025-2030.yaml")).to_be_visible()  # the demo stays open
        solved(first)
        solved(second)
        for k, page in enumerate((first, second), start=1):
            expect(page.get_by_text(f"Open: session-{k}.yaml")).to_be_visible()
            go(page, "Plan")
            no_failure(page)
            expect(page.get_by_text(f"Session {k} program").first).to_be_visible()
            expect(page.get_by_text(f"Session {3 - k} program")).to_have_count(0)
        expect(first.get_by_text("Unsaved changes")).to_be_visible()
        expect(second.get_by_text("Unsaved changes")).to_have_count(0)
    finally:
        for page in (first, second, bomber):
            page.context.close()
