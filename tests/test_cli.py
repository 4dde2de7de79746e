"""The `planner` command line: exit codes, output files and messages, as scripts rely on them.

Most tests call the Typer app in-process (CliRunner); one runs the installed `planner` script.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from planner.cli import PROBLEMS_SHOWN, ExitCode, app
from planner.domain.plan import Status, relative_gap
from planner.io.plan_file import read_plan, write_plan
from planner.io.yamlio import dump_yaml_text
from tests.conftest import DATA, SCENARIOS, TINY, merge, wps

MINIMAL = SCENARIOS / "minimal.yaml"
COMMANDS = [["validate"], ["solve"], ["check"], ["explain"], ["schema"], ["import", "psplib"], ["report"]]


def planner(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], prog_name="planner")


def write_scenario(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(dump_yaml_text(data), encoding="utf-8")
    return path


@pytest.fixture
def infeasible(tmp_path: Path) -> Path:
    """Valid, but W2 cannot follow W1 and still meet the shared deadline."""
    changes = {
        "work_packages": wps({"id": "W1", "deadline": "2025-03"}, {"id": "W2", "after": ["W1"], "deadline": "2025-03"})
    }
    return write_scenario(tmp_path / "infeasible.yaml", merge(TINY, changes))


@pytest.fixture(scope="module")
def minimal_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan of scenarios/minimal.yaml, solved once for the tests that read or corrupt it."""
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    result = planner("solve", MINIMAL, "-o", path, "--time-limit", "5")
    assert result.exit_code == ExitCode.OK, result.output
    return path


# ---------------------------------------------------------------- help


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_shows_an_example(command: list[str]) -> None:
    result = planner(*command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"planner {' '.join(command)}" in result.output


# ---------------------------------------------------------------- validate


def test_installed_entry_point_validates(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("planner")
    ok = subprocess.run([script, "validate", MINIMAL], capture_output=True, text=True, timeout=60)
    assert ok.returncode == ExitCode.OK, ok.stderr
    assert "valid — 4 work packages in 1 program," in ok.stdout

    lines = MINIMAL.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if "effort_pm: 24" in line)  # U-01's effort
    lines[n] = lines[n].replace("effort_pm: 24", "effort_pm: lots")
    broken = tmp_path / "broken.yaml"
    broken.write_text("".join(lines), encoding="utf-8")
    bad = subprocess.run([script, "validate", broken], capture_output=True, text=True, timeout=60)
    assert bad.returncode == ExitCode.INVALID_INPUT
    assert f"{broken}:{n + 1}: work_packages[0].effort_pm: expected a number (got 'lots')" in bad.stderr
    assert "1 problem; nothing was solved" in bad.stderr
    assert "Traceback" not in bad.stdout + bad.stderr


def test_validate_valid_file() -> None:
    result = planner("validate", MINIMAL)
    assert result.exit_code == ExitCode.OK
    assert result.stderr == ""


def test_validate_lists_every_problem_on_stderr(tmp_path: Path) -> None:
    data = merge(TINY, {"work_packages": wps({"id": "W1", "program": "q"}, {"id": "W2", "after": ["W9"]})})
    path = write_scenario(tmp_path / "bad.yaml", data)
    result = planner("validate", path)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert result.stdout == ""
    assert "work_packages[0].program: unknown program 'q' (known: p)" in result.stderr
    assert "work_packages[1].after[0]: unknown work package or overlap group 'W9'" in result.stderr
    assert "2 problems; nothing was solved" in result.stderr
    assert "Traceback" not in result.output


def test_validate_lists_the_first_problems_of_thousands_and_counts_them_all(tmp_path: Path) -> None:
    text = (
        MINIMAL.read_text(encoding="utf-8")
        + "forbids:\n"
        + "".join(f"  - {{work_package: W{i}, institution: tusur}}\n" for i in range(3000))
    )
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    result = planner("validate", path)
    assert result.exit_code == ExitCode.INVALID_INPUT
    lines = result.stderr.splitlines()
    first = len(MINIMAL.read_text(encoding="utf-8").splitlines()) + 2
    assert (
        lines[0]
        == f"{path}:{first}: forbids[0].work_package: unknown work package 'W0' (known: U-01, U-02, U-03, U-04)"
    )
    assert len(lines) == PROBLEMS_SHOWN + 2
    assert "… and 2,800 more problems (the first 200 are listed)" in result.stderr
    assert "3,000 problems; nothing was solved" in result.stderr


def test_validate_missing_file() -> None:
    result = planner("validate", "no-such-file.yaml")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "no-such-file.yaml: file not found" in result.stderr


# ---------------------------------------------------------------- solve


def test_solve_writes_a_json_plan_with_the_contract_fields(minimal_plan: Path) -> None:
    plan = json.loads(minimal_plan.read_text(encoding="utf-8"))
    assert plan["status"] in {"optimal", "feasible", "infeasible", "unknown"}
    assert plan["status"] in {"optimal", "feasible"}
    assert isinstance(plan["objective"], dict) and plan["objective"]
    assert all(isinstance(k, str) and isinstance(v, int | float) for k, v in plan["objective"].items())
    assert isinstance(plan["bound"], int | float)
    assert isinstance(plan["gap"], int | float) and 0 <= plan["gap"] <= 1
    assert {a["work_package"] for a in plan["assignments"]} == {"U-01", "U-02", "U-03", "U-04"}
    for a in plan["assignments"]:
        assert isinstance(a["option"], str)
        assert isinstance(a["institution"], str)
        assert isinstance(a["start"], int) and isinstance(a["end"], int) and 0 <= a["start"] < a["end"]


def test_solve_writes_yaml(tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    result = planner("solve", MINIMAL, "-o", out, "--time-limit", "5")
    assert result.exit_code == ExitCode.OK, result.output
    plan = read_plan(out)
    assert plan.status in (Status.optimal, Status.feasible)
    assert len(plan.assignments) == 4


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("plan.csv", "plan.csv: the plan file must end in .json, .yaml or .yml"),
        ("missing/plan.json", "missing/plan.json: folder {tmp}/missing does not exist"),
    ],
)
def test_solve_rejects_an_unusable_output(tmp_path: Path, output: str, message: str) -> None:
    result = planner("solve", MINIMAL, "-o", tmp_path / output)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert message.format(tmp=tmp_path) in result.stderr
    assert not (tmp_path / output).exists()


def test_solve_infeasible_exits_3_with_the_reason(infeasible: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = planner("solve", infeasible, "-o", out, "--time-limit", "5")
    assert result.exit_code == ExitCode.INFEASIBLE
    assert "infeasible" in result.stdout
    assert "- W2 must finish by 2025-03, but the other rules let it finish in 2025-04 at the earliest" in result.stdout
    assert "- move W2's deadline to 2025-04" in result.stdout  # the least change, confirmed by a re-solve
    assert read_plan(out).status is Status.infeasible


def _busy_chains(tmp_path: Path) -> Path:
    """150 chained work packages with duration ranges on two busy institutions: feasible, but CP-SAT needs
    seconds to find a first plan, and proving infeasibility is impossible."""
    items = [
        {
            "id": f"W{i:03d}",
            "duration": {"min": 2, "max": 12},
            "effort_pm": 3 + i % 3,
            "after": [f"W{i - 1:03d}"] if i % 4 else [],
        }
        for i in range(150)
    ]
    busy = [merge(inst, {"capacity_pm": 4}) for inst in TINY["institutions"]]
    data = merge(
        TINY, {"time": {"start": "2025-01", "periods": 120}, "institutions": busy, "work_packages": wps(*items)}
    )
    return write_scenario(tmp_path / "big.yaml", data)


def test_solve_without_a_plan_in_time_exits_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("planner.cpsat.solver.construct", lambda problem, **_: None)  # the greedy finds none either
    out = tmp_path / "plan.json"
    result = planner("solve", _busy_chains(tmp_path), "-o", out, "--time-limit", "0.01")
    assert result.exit_code == ExitCode.NO_PLAN_IN_TIME, result.output
    assert "no plan found within 0.01 s" in result.stdout
    assert read_plan(out).status is Status.unknown


def test_without_a_solver_plan_in_time_the_checked_constructive_plan_is_returned(tmp_path: Path) -> None:
    scenario, out = _busy_chains(tmp_path), tmp_path / "plan.json"
    result = planner("solve", scenario, "-o", out, "--time-limit", "0.01")
    assert result.exit_code == ExitCode.OK, result.output
    plan = read_plan(out)
    assert plan.status is Status.feasible and len(plan.assignments) == 150
    assert plan.solver is not None and plan.solver.engine == "constructive" and plan.solver.note
    # every priority against a bound that holds for any plan: the gap says how far from proven it is
    assert set(plan.bounds) == set(plan.objective) and plan.gap is not None
    assert plan.gap == pytest.approx(max(relative_gap(plan.objective[t], b) for t, b in plan.bounds.items()), abs=1e-6)
    assert plan.objective["makespan"] >= plan.bounds["makespan"] > 0
    assert planner("check", scenario, out).exit_code == ExitCode.OK


def test_reproducible_solves_give_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out in (first, second):
        result = planner("solve", MINIMAL, "-o", out, "--time-limit", "5", "--reproducible")
        assert result.exit_code == ExitCode.OK, result.output
    assert first.read_bytes() == second.read_bytes()


# ---------------------------------------------------------------- check


def test_check_good_plan_prints_the_recomputed_objective(minimal_plan: Path) -> None:
    plan = json.loads(minimal_plan.read_text(encoding="utf-8"))
    result = planner("check", MINIMAL, minimal_plan)
    assert result.exit_code == ExitCode.OK, result.output
    assert "recomputed" in result.stdout
    cost_row = next(line.split() for line in result.stdout.splitlines() if line.split()[:1] == ["cost"])
    assert cost_row[1] == f"{plan['objective']['cost']:,.0f}"  # 190,000: thousands separators, no exponent
    assert "satisfies every rule" in result.stdout


def test_check_corrupted_plan_names_the_rule(minimal_plan: Path, tmp_path: Path) -> None:
    plan = json.loads(minimal_plan.read_text(encoding="utf-8"))
    u03 = next(a for a in plan["assignments"] if a["work_package"] == "U-03")  # after U-01 and U-02
    u03["end"] -= u03["start"]
    u03["start"] = 0
    corrupted = tmp_path / "corrupted.json"
    corrupted.write_text(json.dumps(plan), encoding="utf-8")
    result = planner("check", MINIMAL, corrupted)
    assert result.exit_code == ExitCode.VIOLATIONS
    assert "precedence: U-03 starts 2025-01, but U-01 finishes" in result.stdout
    assert "violation" in result.stdout


def test_check_rejects_a_file_that_is_not_a_plan() -> None:
    result = planner("check", MINIMAL, MINIMAL)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert f"{MINIMAL}: not a plan file" in result.stderr
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- schema, import, explain


def test_schema_is_json_with_a_title() -> None:
    result = planner("schema")
    assert result.exit_code == ExitCode.OK
    schema = json.loads(result.stdout)
    assert schema["title"]
    assert "work_packages" in schema["properties"]


def test_import_psplib_then_solve_and_check(tmp_path: Path) -> None:
    scenario, plan = tmp_path / "x.yaml", tmp_path / "x.json"
    assert planner("import", "psplib", DATA / "j301_1.sm", "-o", scenario).exit_code == ExitCode.OK
    solved = planner("solve", scenario, "-o", plan, "--time-limit", "10")
    assert solved.exit_code == ExitCode.OK, solved.output
    assert read_plan(plan).objective["makespan"] == 43  # the known optimum of j301_1
    assert planner("check", scenario, plan).exit_code == ExitCode.OK


def test_import_psplib_of_garbage_exits_2(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sm"
    garbage.write_text("this is not a project file\n", encoding="utf-8")
    result = planner("import", "psplib", garbage, "-o", tmp_path / "x.yaml")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert f"{garbage}: not a PSPLIB/MMLIB project file" in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_explain_infeasible_exits_3(infeasible: Path) -> None:
    result = planner("explain", infeasible, "--time-limit", "5")
    assert result.exit_code == ExitCode.INFEASIBLE
    assert (
        "- W2 comes after W1, but the other rules need W2 to start 1 period earlier than this allows" in result.stdout
    )
    assert "- move W2's deadline to 2025-04" in result.stdout


def test_explain_feasible_exits_0() -> None:
    result = planner("explain", MINIMAL, "--time-limit", "5")
    assert result.exit_code == ExitCode.OK
    assert "has a plan" in result.stdout


def test_explain_a_plan_lists_the_room_left_and_the_most_constrained_work(minimal_plan: Path) -> None:
    result = planner("explain", MINIMAL, minimal_plan)
    assert result.exit_code == ExitCode.OK, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "Room left, rule by rule (tightest first):",
        "Capacity, person-months left per institution and year (6):",
    ]
    assert "The most constrained work packages:" in lines
    ru = planner("explain", MINIMAL, minimal_plan, "--lang", "ru")
    assert ru.exit_code == ExitCode.OK and ru.stdout.startswith("Запас по каждому правилу")


def test_explain_a_work_package_of_a_plan_prices_its_alternatives(minimal_plan: Path) -> None:
    plan = read_plan(minimal_plan)
    assert plan.status is Status.optimal
    u03 = plan.assignment("U-03")
    assert u03 is not None and u03.institution == "bsuir"
    result = planner("explain", MINIMAL, minimal_plan, "--wp", "U-03")
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout.startswith("U-03 — Integration and flight tests: bsuir, ")
    # tusur's rate is 500 above bsuir's on 12 PM: proven, since both plans are optimal
    assert "- tusur: cost +6,000 — proven: no plan with it there does better; only it moves" in result.stdout


def test_explain_refuses_an_unknown_work_package_or_one_without_a_plan(minimal_plan: Path) -> None:
    unknown = planner("explain", MINIMAL, minimal_plan, "--wp", "U-99")
    assert unknown.exit_code == ExitCode.INVALID_INPUT
    assert "--wp U-99: unknown work package; known: U-01, U-02, U-03, U-04" in unknown.stderr
    alone = planner("explain", MINIMAL, "--wp", "U-01")
    assert alone.exit_code == ExitCode.INVALID_INPUT and "give the PLAN" in alone.stderr
    assert planner("explain", MINIMAL, minimal_plan, "--lang", "de").exit_code == ExitCode.INVALID_INPUT


def test_explain_refuses_a_plan_that_breaks_a_rule(minimal_plan: Path, tmp_path: Path) -> None:
    plan = read_plan(minimal_plan)
    late = [a.model_copy(update={"start": 0}) if a.work_package == "U-03" else a for a in plan.assignments]
    broken = tmp_path / "broken.json"
    write_plan(plan.model_copy(update={"assignments": late}), broken)
    result = planner("explain", MINIMAL, broken)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "so it is not a plan to explain" in result.stderr


def test_generate_writes_a_valid_program_and_a_reference_plan_that_passes_the_check(tmp_path: Path) -> None:
    scenario, reference = tmp_path / "p.yaml", tmp_path / "ref.json"
    made = planner(
        "generate", "--wps", "120", "--institutions", "12", "--seed", "2", "-o", scenario, "--reference", reference
    )
    assert made.exit_code == ExitCode.OK, made.output
    assert "120 work packages" in made.stdout
    assert planner("validate", scenario).exit_code == ExitCode.OK
    assert planner("check", scenario, reference).exit_code == ExitCode.OK


def test_generate_refuses_impossible_sizes_with_exit_2(tmp_path: Path) -> None:
    result = planner("generate", "--wps", "50", "--institutions", "1", "--countries", "2", "-o", tmp_path / "x.yaml")
    assert result.exit_code == ExitCode.INVALID_INPUT and "one institution per country" in result.stderr


def test_check_refuses_a_plan_without_a_schedule_when_work_is_mandatory(tmp_path: Path, minimal_plan: Path) -> None:
    empty = tmp_path / "empty.json"
    plan = read_plan(minimal_plan)
    write_plan(plan.model_copy(update={"status": Status.unknown, "assignments": [], "left_out": []}), empty)
    result = planner("check", MINIMAL, empty)
    assert result.exit_code == ExitCode.VIOLATIONS
    assert "mandatory work package" in result.stdout


def test_check_refuses_headline_figures_the_assignments_contradict(tmp_path: Path, minimal_plan: Path) -> None:
    plan = read_plan(minimal_plan)
    lie = tmp_path / "lie.json"
    stated = {**plan.objective, "cost": 5.0}
    write_plan(plan.model_copy(update={"objective": stated, "status": Status.optimal, "gap": 0.0}), lie)
    result = planner("check", MINIMAL, lie)
    assert result.exit_code == ExitCode.VIOLATIONS
    assert "objective: cost is 5 but the plan's assignments give" in result.stdout


# ---------------------------------------------------------------- diff


@pytest.fixture(scope="module")
def changed_minimal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """scenarios/minimal.yaml with tusur's capacity cut from 2026."""
    path = tmp_path_factory.mktemp("diff") / "head.yaml"
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("    capacity_pm: 3\n", "    capacity_pm: 3\n    capacity_pm_by_year: {2026: 2}\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_diff_of_two_scenarios_exits_1_with_the_change_in_words(changed_minimal: Path) -> None:
    result = planner("diff", MINIMAL, changed_minimal)
    assert result.exit_code == 1, result.output
    assert result.stdout == "tusur's capacity 3 → 2 PM/month from 2026 (−33 %)\n"
    same = planner("diff", MINIMAL, MINIMAL)
    assert same.exit_code == ExitCode.OK, same.output


def test_diff_json_is_the_same_data_every_time(changed_minimal: Path) -> None:
    first = planner("diff", MINIMAL, changed_minimal, "--format", "json")
    assert first.stdout == planner("diff", MINIMAL, changed_minimal, "--format", "json").stdout
    data = json.loads(first.stdout)
    assert data["kind"] == "scenario"
    assert data["changes"][0]["subject"] == "tusur"


def test_diff_of_two_plans_needs_the_scenario_and_tells_moves(minimal_plan: Path, tmp_path: Path) -> None:
    assert planner("diff", minimal_plan, minimal_plan, "--scenario", MINIMAL).exit_code == ExitCode.OK
    plan = read_plan(minimal_plan)
    first = plan.assignments[0]
    moved = first.model_copy(update={"cost_reporting": first.cost_reporting + 1_200_000})
    other = tmp_path / "other.yaml"  # a YAML plan is told from a scenario by its keys
    write_plan(plan.model_copy(update={"assignments": [moved, *plan.assignments[1:]]}), other)
    result = planner("diff", minimal_plan, other, "-s", MINIMAL, "--format", "markdown")
    assert result.exit_code == 1, result.output
    assert f"- {first.work_package} stays at {first.institution}, cost +1.2 M" in result.stdout
    missing = planner("diff", minimal_plan, other)
    assert missing.exit_code == ExitCode.INVALID_INPUT
    assert "--scenario" in missing.stderr


def test_diff_refuses_a_scenario_against_a_plan_and_missing_files(minimal_plan: Path, tmp_path: Path) -> None:
    mixed = planner("diff", MINIMAL, minimal_plan)
    assert mixed.exit_code == ExitCode.INVALID_INPUT
    assert "is a scenario" in mixed.stderr and "a plan" in mixed.stderr
    assert planner("diff", MINIMAL, tmp_path / "nope.yaml").exit_code == ExitCode.INVALID_INPUT
    junk = tmp_path / "junk.json"
    junk.write_text('{"a": 1}', encoding="utf-8")
    assert planner("diff", junk, junk).exit_code == ExitCode.INVALID_INPUT


def test_solve_with_a_baseline_moves_nothing_on_an_unchanged_scenario_and_says_so(tmp_path: Path) -> None:
    base, again = tmp_path / "base.json", tmp_path / "again.json"
    exact = ("--time-limit", "20", "--workers", "1", "--reproducible")
    assert planner("solve", MINIMAL, "-o", base, *exact).exit_code == ExitCode.OK
    result = planner("solve", MINIMAL, "-o", again, *exact, "--baseline", base, "--today", "2025-03")
    assert result.exit_code == ExitCode.OK, result.output
    assert "0 work packages moved from the baseline" in result.stdout
    plan = read_plan(again)
    assert [(a.work_package, a.institution, a.start, a.end) for a in plan.assignments] == [
        (a.work_package, a.institution, a.start, a.end) for a in read_plan(base).assignments
    ]
    assert plan.solver is not None and plan.solver.stages[-1].term == "stability"


def test_solve_with_a_baseline_says_why_each_work_package_moved(tmp_path: Path) -> None:
    """Issue 18 item 4: 'the plan reports what moved and why': a forbid moves U-01, and the line says so."""
    base, again = tmp_path / "base.json", tmp_path / "again.json"
    exact = ("--time-limit", "20", "--workers", "1", "--reproducible")
    assert planner("solve", MINIMAL, "-o", base, *exact).exit_code == ExitCode.OK
    first = read_plan(base).assignments[0]
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        MINIMAL.read_text(encoding="utf-8") + "forbids:\n"
        f"  - {{work_package: {first.work_package}, institution: {first.institution}, note: lab closed}}\n",
        encoding="utf-8",
    )
    result = planner("solve", changed, "-o", again, *exact, "--baseline", base)
    assert result.exit_code == ExitCode.OK, result.output
    lines = result.stdout.splitlines()
    moved = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{first.work_package} moved from"))
    assert lines[moved + 1].strip() == f"because forbidden at {first.institution} (lab closed)"


@pytest.mark.parametrize("today", ["2025-13", "March", "2025-3"])
def test_solve_refuses_a_today_that_is_not_a_month_or_comes_without_a_baseline(tmp_path: Path, today: str) -> None:
    result = planner("solve", MINIMAL, "-o", tmp_path / "p.json", "--today", today)
    assert result.exit_code == ExitCode.INVALID_INPUT and "give a month as YYYY-MM" in result.output
    missing = planner("solve", MINIMAL, "-o", tmp_path / "p.json", "--baseline", tmp_path / "none.json")
    assert missing.exit_code == ExitCode.INVALID_INPUT and "file not found" in missing.output


# ---------------------------------------------------------------- duplicates


@pytest.fixture
def proposed_twice(tmp_path: Path) -> Path:
    """BY and RU both propose the flight controller, one title in Russian and one in English."""
    changes = {
        "work_packages": wps(
            {"id": "U-02", "title": "Бортовой контроллер полёта для тяжёлого БАС", "proposed_by": "a"},
            {"id": "U-03", "title": "Flight controller for a heavy UAV", "proposed_by": "b", "mandatory": False},
            {"id": "F-01", "title": "Зимние испытания харвестера", "proposed_by": "b"},
        )
    }
    return write_scenario(tmp_path / "proposals.yaml", merge(TINY, changes))


def test_duplicates_exits_1_with_the_pair_its_evidence_and_a_group_to_paste(proposed_twice: Path) -> None:
    result = planner("duplicates", proposed_twice)
    assert result.exit_code == ExitCode.VIOLATIONS, result.output
    assert "U-02 (a, BY) ↔ U-03 (b, RU)" in result.output
    assert "контроллер/controller" in result.output
    assert "- id: same-work-U-02-U-03\n" in result.output and "members: [U-02, U-03]" in result.output


def test_duplicates_exits_0_when_none_reach_the_threshold(proposed_twice: Path) -> None:
    result = planner("duplicates", proposed_twice, "--threshold", "0.99")
    assert result.exit_code == ExitCode.OK, result.output
    assert "No pair of work packages" in result.output
    assert planner("duplicates", SCENARIOS / "belarus-tomsk-2025-2030.yaml").exit_code == ExitCode.OK


def test_duplicates_in_json_and_markdown_and_in_russian(proposed_twice: Path) -> None:
    data = json.loads(planner("duplicates", proposed_twice, "--format", "json").output)
    (pair,) = data["pairs"]
    assert (pair["a"], pair["b"], pair["group"]["members"]) == ("U-02", "U-03", ["U-02", "U-03"])
    assert {e["field"] for e in pair["evidence"]} >= {"title", "competencies", "effort", "program"}
    markdown = planner("duplicates", proposed_twice, "--format", "markdown", "--lang", "ru").output
    assert markdown.startswith("### Возможные дубли предложений") and "```yaml" in markdown
    assert "название" in markdown


@pytest.mark.parametrize(("args", "message"), [(["--threshold", "1.5"], "from 0 to 1"), (["--lang", "de"], "en or ru")])
def test_duplicates_refuses_bad_options_with_exit_2(proposed_twice: Path, args: list[str], message: str) -> None:
    result = planner("duplicates", proposed_twice, *args)
    assert result.exit_code == ExitCode.INVALID_INPUT and message in result.output


def test_duplicates_of_a_missing_file_exits_2(tmp_path: Path) -> None:
    assert planner("duplicates", tmp_path / "none.yaml").exit_code == ExitCode.INVALID_INPUT
