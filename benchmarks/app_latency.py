"""App latency in a real browser: first page, page switches during a solve, and the demo solved from the app.

    .venv/bin/python benchmarks/app_latency.py [--runs 5] [--time-limit 30] [--out benchmarks/results/app_latency.csv]

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

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_streamlit, stop_streamlit  # noqa: E402

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "app_latency.csv")
    args = ap.parse_args()
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
