"""Real-browser tests: a Streamlit server started from the venv, and Debian's chromium driven by Playwright.

Fixtures (mark browser test modules with `pytestmark = pytest.mark.browser`):

- `app_script` (module): the script the server runs, `app.py` by default. A test module can override
  the fixture, or parametrise it indirectly, to serve another script.
- `scenario_dir` (session): a temporary copy of `scenarios/*.yaml`, given to the app as
  `PLANNER_SCENARIO_DIR`, so tests may save files without touching the repository.
- `streamlit_server` (module): the running server (`.url`, `.port`, `.log`); stopped after the module.
- `browser` (session): chromium launched from `/usr/bin/chromium` (no browser download).
- `page` (function): a fresh page in its own context (its own Streamlit session); a screenshot
  `FAILED-<test>.png` is kept when the test fails. Actions and `expect` assertions wait up to
  `TIMEOUT_MS` (Playwright's own 5 s for assertions is too short for a busy 2-core machine).

`shot(page, name)` keeps a screenshot in `test-artifacts/screenshots/`; `wait_for_app(page)` waits
until the script has finished its run. Without chromium the tests are skipped, except in CI (`CI`
set), where that is an error: `make browser` installs it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import ROOT, SCENARIOS

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator

    from playwright.sync_api import Browser, Page

CHROMIUM = Path(os.environ.get("PLANNER_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags chromium keeps calling home, which floods a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SERVER_START_S = 60.0
TIMEOUT_MS = 30_000  # how long an action or an `expect` waits: a guard against hangs, not a speed requirement


def shot(page: Page, name: str) -> Path:
    """Keep a full-page screenshot as `test-artifacts/screenshots/<name>.png` (a test artifact)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_app(page: Page, timeout_s: float = 30.0) -> None:
    """Wait until the Streamlit script has run to its end (the app reports 'notRunning')."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached", timeout=timeout_s * 1000
    )


@dataclass
class StreamlitServer:
    """A `streamlit run` subprocess serving one script."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return bool(r.status == 200 and r.read().strip() == b"ok")
    except (urllib.error.URLError, OSError):
        return False


def start_streamlit(script: Path, env: dict[str, str], log: Path) -> StreamlitServer:
    """Start `streamlit run script` from this venv on a free port and wait until it answers its health check."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",  # no reruns when a test writes files
    ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = StreamlitServer(url, port, process, log)
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"streamlit exited with code {process.returncode} before serving {script}:\n{server.log_tail()}"
            )
        if _healthy(url):
            return server
        time.sleep(0.25)
    stop_streamlit(server)
    pytest.fail(f"streamlit did not answer {url}/_stcore/health within {SERVER_START_S:g} s:\n{server.log_tail()}")


def stop_streamlit(server: StreamlitServer) -> None:
    """Stop the server: politely first, then for sure."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


@pytest.fixture(scope="module")
def app_script(request: pytest.FixtureRequest) -> Path:
    """The Streamlit script to serve: app.py, or the path given by indirect parametrisation."""
    return Path(getattr(request, "param", ROOT / "app.py"))


@pytest.fixture(scope="session")
def scenario_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary scenario folder holding copies of scenarios/*.yaml."""
    folder = tmp_path_factory.mktemp("scenarios")
    for path in sorted(SCENARIOS.glob("*.yaml")):
        shutil.copy2(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def streamlit_server(
    app_script: Path, scenario_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    """A Streamlit server running `app_script` with PLANNER_SCENARIO_DIR set to `scenario_dir`."""
    if not app_script.exists():
        pytest.fail(f"no Streamlit script at {app_script}")
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    server = start_streamlit(app_script, {"PLANNER_SCENARIO_DIR": str(scenario_dir)}, log)
    try:
        yield server
    finally:
        stop_streamlit(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium under Playwright; skipped if absent outside CI, an error in CI."""
    if not CHROMIUM.exists():
        reason = f"no chromium at {CHROMIUM}: run `make browser` (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the browser tests")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[Any]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember each phase's report on the test item, so `page` can keep a screenshot of a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page in its own browser context: a new Streamlit session, sized like a laptop screen."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)  # global to Playwright's `expect`; the same for every test
    pg = context.new_page()
    try:
        yield pg
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            with contextlib.suppress(Exception):  # a screenshot must not hide the test's own failure
                shot(pg, f"FAILED-{request.node.name}")
        context.close()
