"""`planner report SCENARIO PLAN -o OUT`: what it writes, what it refuses, and its exit codes."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from planner.cli import ExitCode, app
from planner.io.plan_file import write_plan
from planner.io.yamlio import dump_yaml_text
from tests.conftest import SCENARIOS, TINY, merge, solved
from tests.report.test_report import broken

if TYPE_CHECKING:
    from pathlib import Path

MINIMAL = SCENARIOS / "minimal.yaml"
DEMO = SCENARIOS / "belarus-tomsk-2025-2030.yaml"


def planner(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], prog_name="planner")


@pytest.fixture
def minimal_plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    write_plan(solved("minimal.yaml")[1], path)
    return path


def test_the_demo_report_is_written_with_its_size(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    write_plan(solved("belarus-tomsk-2025-2030.yaml")[1], plan)
    out = tmp_path / "report.html"
    result = planner("report", DEMO, plan, "-o", out)
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout.startswith(f"{out}: report written (2.")
    assert out.stat().st_size < 5_000_000
    assert "Plan report" in out.read_text(encoding="utf-8")


def test_the_format_follows_the_suffix_or_the_option(tmp_path: Path, minimal_plan: Path) -> None:
    xlsx = tmp_path / "report.xlsx"
    assert planner("report", MINIMAL, minimal_plan, "-o", xlsx).exit_code == ExitCode.OK
    assert load_workbook(io.BytesIO(xlsx.read_bytes())).sheetnames[0] == "Summary"
    other = tmp_path / "report.bin"
    assert planner("report", MINIMAL, minimal_plan, "-o", other, "--format", "xlsx").exit_code == ExitCode.OK
    assert other.read_bytes()[:2] == b"PK"  # a zip: an .xlsx workbook
    html = tmp_path / "report.htm"
    assert planner("report", MINIMAL, minimal_plan, "-o", html, "--lang", "ru").exit_code == ExitCode.OK
    assert "Отчёт о плане" in html.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        ("report.pdf", (), "name a .html or .xlsx file, or give --format html|xlsx"),
        ("report.html", ("--lang", "de"), "--lang de: choose en or ru"),
        ("missing/report.html", (), "does not exist"),
    ],
)
def test_bad_options_are_refused_before_anything_is_read(
    tmp_path: Path, minimal_plan: Path, name: str, extra: tuple[str, ...], message: str
) -> None:
    result = planner("report", MINIMAL, minimal_plan, "-o", tmp_path / name, *extra)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert message in result.stderr
    assert not (tmp_path / name).exists()


def test_an_unwritable_folder_is_refused_first(
    tmp_path: Path, minimal_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(_: Path) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr("planner.io.atomic.check_writable", read_only)
    result = planner("report", tmp_path / "no-such-scenario.yaml", minimal_plan, "-o", tmp_path / "r.html")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert f"cannot write in folder {tmp_path}: Read-only file system" in result.stderr


def test_an_invalid_scenario_or_plan_is_exit_2_with_a_clear_message(tmp_path: Path, minimal_plan: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(dump_yaml_text(merge(TINY, {"time": {"periods": "many"}})), encoding="utf-8")
    out = tmp_path / "r.html"
    scenario = planner("report", bad, minimal_plan, "-o", out)
    assert scenario.exit_code == ExitCode.INVALID_INPUT
    assert "time.periods" in scenario.stderr
    junk = tmp_path / "junk.json"
    junk.write_text('{"status": "optimal"}', encoding="utf-8")
    plan = planner("report", MINIMAL, junk, "-o", out)
    assert plan.exit_code == ExitCode.INVALID_INPUT
    assert "not a plan file written by `planner solve`" in plan.stderr
    assert not out.exists()


def test_a_plan_of_another_scenario_is_refused(tmp_path: Path, minimal_plan: Path) -> None:
    other = tmp_path / "tiny.yaml"
    other.write_text(dump_yaml_text(TINY), encoding="utf-8")
    result = planner("report", other, minimal_plan, "-o", tmp_path / "r.html")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "made for scenario 'Minimal two-country program', not for" in result.stderr


@pytest.mark.parametrize("command", ["diff", "explain"])
def test_diff_and_explain_refuse_a_plan_of_another_scenario_as_report_does(
    tmp_path: Path, minimal_plan: Path, command: str
) -> None:
    other = tmp_path / "tiny.yaml"
    other.write_text(dump_yaml_text(TINY), encoding="utf-8")
    args = (minimal_plan, minimal_plan, "--scenario", other) if command == "diff" else (other, minimal_plan)
    result = planner(command, *args)
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "made for scenario 'Minimal two-country program', not for" in result.stderr


def test_the_report_marks_every_critical_work_package_the_gantt_frames(tmp_path: Path) -> None:
    from planner.diagnose.timing import plan_timing

    scenario, plan = solved("belarus-tomsk-2025-2030.yaml")
    path = tmp_path / "plan.json"
    write_plan(plan, path)
    out = tmp_path / "report.xlsx"
    assert planner("report", DEMO, path, "-o", out).exit_code == ExitCode.OK
    critical = {w.wp for w in plan_timing(scenario, plan).wps.values() if w.critical}
    sheet = next(ws for ws in load_workbook(out).worksheets if ws.title.lower().startswith("work"))
    header = [c.value for c in sheet[1]]
    wp_col, flag_col = 0, header.index("On the critical path")
    marked = {
        row[wp_col] for row in sheet.iter_rows(min_row=2, values_only=True) if row[flag_col] in (True, "yes", "✓")
    }
    assert critical and marked == critical


def test_a_plan_naming_work_the_scenario_lacks_is_refused(tmp_path: Path) -> None:
    plan = solved("minimal.yaml")[1]
    stray = plan.assignments[0].model_copy(update={"work_package": "U-99"})
    path = tmp_path / "stray.json"
    write_plan(plan.model_copy(update={"assignments": [stray, *plan.assignments[1:]]}), path)
    out = tmp_path / "r.html"
    result = planner("report", MINIMAL, path, "-o", out)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "names work packages or execution options that the scenario does not have" in result.stderr
    assert "warning" not in result.stderr and not out.exists()


def test_a_plan_of_another_version_is_reported_with_a_warning(tmp_path: Path, minimal_plan: Path) -> None:
    changed = tmp_path / "minimal.yaml"
    changed.write_text(MINIMAL.read_text(encoding="utf-8").replace("capacity_pm: 5", "capacity_pm: 6"), "utf-8")
    out = tmp_path / "r.html"
    result = planner("report", changed, minimal_plan, "-o", out)
    assert result.exit_code == ExitCode.OK, result.output
    assert "was made for another version" in result.stderr
    assert "Made for another version of the scenario" in out.read_text(encoding="utf-8")


def test_a_plan_that_breaks_a_rule_is_reported_flagged_and_exits_1(tmp_path: Path) -> None:
    s, plan = solved("minimal.yaml")
    path = tmp_path / "broken.json"
    write_plan(broken(s, plan), path)
    out = tmp_path / "r.html"
    result = planner("report", MINIMAL, path, "-o", out)
    assert result.exit_code == ExitCode.VIOLATIONS
    assert "breaks" in result.stderr and "the report says so at its top" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert 'class="banner error"' in html and "it is not a valid plan" in html


def test_help_names_the_sections_and_exit_codes() -> None:
    result = planner("report", "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "planner report scenarios/belarus-tomsk-2025-2030.yaml plan.json -o report.html" in text
    assert "--format" in text and "--lang" in text and "exits 1" in text
