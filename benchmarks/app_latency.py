"""App latency in a real browser: first page, page switches during a solve, and the demo solved from the app.

    .venv/bin/python benchmarks/app_latency.py [--runs 5] [--time-limit 30] [--out benchmarks/results/app_latency.csv]
    .venv/bin/python benchmarks/app_latency.py --scale SCENARIO.yaml --plan PLAN.json [--runs 3] [--solve-limit 20]

With `--scale`: a large program (make one with `planner generate --wps 2000 --institutions 100 --seed 1 -o x.yaml`
and its plan with `planner solve x.yaml -o plan.json --time-limit 20`) is the only file in the app's folder, so it
opens on the first page. Per run, in a fresh session, whole-render times (until the script run has ended and the
element is drawn): the Scenario page opening it; the Edit page and its work-package table (a page of rows); the
Plan page with the plan file added on the Compare page, first (charts drawn) and on returning to it (charts kept);
one cell typed into the work-package table until the edit is validated; and, with `--solve-limit`, in the first
run, an Optimize from the app until its plan is shown. CSV: benchmarks/results/app_latency_2000.csv by default.

Starts `streamlit run app.py` (the same server the browser test uses) and drives Debian's chromium
with Playwright. Per run, in a fresh browser session:

- first page: from navigation to the Scenario page's summary being visible (the demo's 7 programs);
- optimize: press Optimize on the demo with the given limit and wait for "work packages planned";
  while it solves, switch to the Plan page and back and time each switch (the UI must stay responsive);
- plan page: from clicking "Plan" after the solve until its Gantt is drawn.

Prints a table of medians and writes one CSV row per run. The machine is noisy (2 cores, shared).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    start_streamlit,
    stop_streamlit,
    wait_for_app,
)

FIELDS = ["run", "first_page_s", "switch_during_solve_s", "solve_s", "time_limit_s", "plan_page_s", "status"]


def _nav(page: object, title: str) -> None:
    page.get_by_role("link", name=title).first.click()  # type: ignore[attr-defined]


def one_run(browser: object, url: str, run: int, time_limit: float) -> dict[str, object]:
    """One fresh session through the main flow, timed."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        t0 = time.perf_counter()
        page.goto(url)
        page.get_by_text("Programs", exact=True).first.wait_for(timeout=30_000)
        first = time.perf_counter() - t0

        _nav(page, "Optimize")
        limit = page.get_by_label("Time limit, s")
        limit.wait_for(timeout=30_000)
        limit.fill(f"{time_limit:g}")
        limit.press("Tab")
        t0 = time.perf_counter()
        page.get_by_role("button", name="Optimize").click()
        page.get_by_text("Elapsed").first.wait_for(timeout=30_000)
        switches = []
        for target, marker in (("Plan", "No plan yet"), ("Optimize", "Elapsed")):
            s0 = time.perf_counter()
            _nav(page, target)
            page.get_by_text(marker).first.wait_for(timeout=30_000)
            switches.append(time.perf_counter() - s0)
        page.get_by_text("work packages planned").first.wait_for(timeout=(time_limit + 60) * 1000)
        solve = time.perf_counter() - t0
        status = page.get_by_text("work packages planned").first.inner_text().split(",")[0]

        t0 = time.perf_counter()
        _nav(page, "Plan")
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        plan_page = time.perf_counter() - t0
    finally:
        context.close()
    return {
        "run": run,
        "first_page_s": round(first, 3),
        "switch_during_solve_s": round(max(switches), 3),
        "solve_s": round(solve, 3),
        "time_limit_s": time_limit,
        "plan_page_s": round(plan_page, 3),
        "status": status,
    }


SCALE_FIELDS = [
    "run",
    "work_packages",
    "open_s",
    "edit_page_s",
    "edit_table_s",
    "plan_page_s",
    "plan_page_return_s",
    "edit_cell_s",
    "solve_s",
    "solve_limit_s",
]


def _timed(page: object, action: object, *markers: str, timeout_s: float = 60.0) -> float:
    """Seconds from an action until the script run has ended and every marker (text or CSS) is visible."""
    t0 = time.perf_counter()
    action()  # type: ignore[operator]
    for marker in markers:
        if marker.startswith("h1:"):
            locator = page.get_by_role("heading", name=marker[3:], level=1)  # type: ignore[attr-defined]
        elif marker.startswith("css:"):
            locator = page.locator(marker[4:])  # type: ignore[attr-defined]
        else:
            locator = page.get_by_text(marker)  # type: ignore[attr-defined]
        locator.first.wait_for(timeout=timeout_s * 1000)
    wait_for_app(page, timeout_s)  # type: ignore[arg-type]
    return time.perf_counter() - t0


def scale_run(browser: object, url: str, run: int, plan: Path, n: int, solve_limit: float) -> dict[str, object]:
    """One fresh session on the large program, timed page by page (see the module's docstring)."""
    from tests.browser.test_main_flow import type_into_cell

    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    nav = page.get_by_test_id("stSidebarNav")
    row: dict[str, object] = {"run": run, "work_packages": n, "solve_s": None, "solve_limit_s": None}
    try:
        row["open_s"] = _timed(page, lambda: page.goto(url), f"{n:,}".replace(",", ""))
        row["edit_page_s"] = _timed(page, lambda: nav.get_by_role("link", name="Edit").click(), "h1:Edit")
        table = page.locator(".st-key-edit_table").get_by_text("Work packages", exact=True)
        row["edit_table_s"] = _timed(page, table.click, f"Rows 1–50 of {n} shown")
        _timed(page, lambda: nav.get_by_role("link", name="Compare").click(), "h1:Compare")
        _timed(
            page,
            lambda: page.locator(".st-key-compare_upload input[type=file]").set_input_files(str(plan)),
            "(1 so far)",  # the page has taken the plan: one plan in the session now
        )
        plot = "css:.st-key-gantt_summary_program .js-plotly-plot"
        row["plan_page_s"] = _timed(page, lambda: nav.get_by_role("link", name="Plan").click(), plot)
        _timed(page, lambda: nav.get_by_role("link", name="Scenario").click(), "h1:Scenario")
        row["plan_page_return_s"] = _timed(page, lambda: nav.get_by_role("link", name="Plan").click(), plot)
        _timed(page, lambda: nav.get_by_role("link", name="Edit").click(), "h1:Edit")
        page.locator(".st-key-edit_table").get_by_text("Work packages", exact=True).click()
        wait_for_app(page, 60)
        grid = page.get_by_test_id("stDataFrame").filter(
            has=page.locator('th[role="columnheader"]', has_text="effort_pm")
        )
        first = (grid.locator('td[id^="glide-cell-1-"]').first.text_content() or "").strip()
        row["edit_cell_s"] = _timed(
            page, lambda: type_into_cell(page, grid, first, "effort_pm", "11.5"), "Unsaved changes", timeout_s=120
        )
        if solve_limit > 0 and run == 1:
            _timed(page, lambda: nav.get_by_role("link", name="Optimize").click(), "h1:Optimize")
            page.locator(".st-key-time_limit input").fill(f"{solve_limit:g}")
            page.locator(".st-key-time_limit input").press("Tab")
            button = page.locator(".st-key-optimize_run").get_by_role("button", name="Optimize")
            stop = page.locator(".st-key-optimize_stop")
            t0 = time.perf_counter()
            button.click()
            stop.wait_for(timeout=60_000)  # the solve has started (the plan file's result is shown until it ends)
            stop.wait_for(state="hidden", timeout=(solve_limit + 180) * 1000)
            page.get_by_text("work packages planned").first.wait_for(timeout=60_000)
            wait_for_app(page, 60)
            row["solve_s"] = time.perf_counter() - t0
            row["solve_limit_s"] = solve_limit
    except Exception:
        page.screenshot(path=str(Path(tempfile.gettempdir()) / "app-latency-failed.png"), full_page=True)
        raise
    finally:
        context.close()
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}


def scale(args: argparse.Namespace) -> None:
    """The large-program runs: the file alone in the app's folder, a warm server, one fresh session per run."""
    from playwright.sync_api import sync_playwright

    from planner.problem.validate import load_scenario

    n = len(load_scenario(args.scale).work_packages)
    folder = Path(tempfile.mkdtemp(prefix="app-latency-scale-"))
    shutil.copy(args.scale, folder / args.scale.name)
    server = start_streamlit(ROOT / "app.py", {"PLANNER_SCENARIO_DIR": str(folder)}, folder / "server.log")
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for run in range(1, args.runs + 1):
                rows.append(scale_run(browser, server.url, run, args.plan, n, args.solve_limit))
                print(rows[-1], flush=True)
            browser.close()
    finally:
        stop_streamlit(server)
        shutil.rmtree(folder, ignore_errors=True)
    out = args.out or ROOT / "benchmarks" / "results" / f"app_latency_{n}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="") as f:
        writer = csv.DictWriter(f, SCALE_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"\nmedians over {len(rows)} runs ({n} work packages; fresh session per run, warm server):")
    for key in SCALE_FIELDS[2:-1]:
        values = [float(r[key]) for r in rows if r.get(key) is not None]  # type: ignore[arg-type]
        if values:
            print(f"  {key:20} median {statistics.median(values):7.2f}   max {max(values):7.2f}")
    print(f"wrote {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--scale", type=Path, help="a large scenario: time its pages instead of the demo's flow")
    ap.add_argument("--plan", type=Path, help="with --scale: a plan file of it (from `planner solve -o`)")
    ap.add_argument("--solve-limit", type=float, default=0.0, help="with --scale: also optimize it from the app")
    args = ap.parse_args()
    if args.scale is not None:
        if args.plan is None:
            ap.error("--scale needs --plan")
        scale(args)
        return
    args.out = args.out or ROOT / "benchmarks" / "results" / "app_latency.csv"
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="app-latency-"))
    for path in (ROOT / "scenarios").glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    server = start_streamlit(ROOT / "app.py", {"PLANNER_SCENARIO_DIR": str(folder)}, folder / "server.log")
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            one_run(browser, server.url, 0, 2.0)  # warm-up: imports and first compile happen once per server
            for run in range(1, args.runs + 1):
                rows.append(one_run(browser, server.url, run, args.time_limit))
                print(rows[-1], flush=True)
            browser.close()
    finally:
        stop_streamlit(server)
        shutil.rmtree(folder, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="") as f:
        writer = csv.DictWriter(f, FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"\nmedians over {len(rows)} runs (warm server; demo scenario; time limit {args.time_limit:g} s):")
    for key in ("first_page_s", "switch_during_solve_s", "solve_s", "plan_page_s"):
        values = [float(r[key]) for r in rows]  # type: ignore[arg-type]
        print(f"  {key:24} median {statistics.median(values):7.2f}   max {max(values):7.2f}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
