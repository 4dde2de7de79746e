"""The browser harness itself, against a throwaway Streamlit script (independent of app.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import SCREENSHOTS, StreamlitServer, shot, wait_for_app

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SCRIPT = """\
import os, pathlib, streamlit as st
st.title(f"harness ok: {len(list(pathlib.Path(os.environ['PLANNER_SCENARIO_DIR']).glob('*.yaml')))} scenarios")
st.session_state.clicks = st.session_state.get("clicks", 0) + int(st.button("Click"))
st.write(f"clicks: {st.session_state.clicks}")
"""


@pytest.fixture(scope="module")
def app_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Serve a tiny script instead of app.py."""
    path = tmp_path_factory.mktemp("harness") / "harness_app.py"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


def test_server_page_and_screenshot(streamlit_server: StreamlitServer, scenario_dir: Path, page: Page) -> None:
    from playwright.sync_api import expect

    yaml_files = len(list(scenario_dir.glob("*.yaml")))
    assert yaml_files >= 3
    page.goto(streamlit_server.url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name=f"harness ok: {yaml_files} scenarios")).to_be_visible()
    page.get_by_role("button", name="Click").click()
    expect(page.get_by_text("clicks: 1")).to_be_visible()
    path = shot(page, "harness-after-click")
    assert path.parent == SCREENSHOTS and path.stat().st_size > 1000


def test_each_page_is_its_own_session(streamlit_server: StreamlitServer, page: Page) -> None:
    from playwright.sync_api import expect

    page.goto(streamlit_server.url)
    wait_for_app(page)
    expect(page.get_by_text("clicks: 0")).to_be_visible()  # the click of the previous test was another session
    assert streamlit_server.process.poll() is None
