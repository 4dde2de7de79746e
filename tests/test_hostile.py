"""Hostile inputs (issue 17): every one gets exit 2, 1, 3 or 4 with a clear message, never a traceback or exit 70.

One row per input: the command, what is written to disk, the exit code and a fragment of the message.
No test here measures time: refusing early is shown by refusing at all (each input below used to run
for minutes, exhaust memory or crash).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from planner.cli import ExitCode
from planner.domain.plan import Status
from planner.io.plan_file import read_plan
from planner.io.yamlio import dump_yaml_text
from tests.conftest import SCENARIOS, TINY, merge
from tests.test_cli import MINIMAL, planner

if TYPE_CHECKING:
    from collections.abc import Callable

    from typer.testing import Result

BASE = MINIMAL.read_text(encoding="utf-8")


def edit(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)
)
DEEP_BLOCK = "x:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(1000)) + "  " * 1001 + "1\n"
RATES = (
    "currencies: {reporting: USD, rates: {BYN: {2025: RATE}}}\ncountries:\n  - {id: BY, name: Belarus, currency: BYN}"
)
WEIGHTED = "objective: {priorities: [lateness, value, cost], mode: weighted, weights: {cost: WEIGHT}}"

# (case, scenario text, exit code, message fragment), for validate, solve and explain alike
SCENARIOS_TABLE: list[tuple[str, str, int, str]] = [
    *(
        (f"control-{code:04x}", edit("Flight controller", f"Flight{chr(code)}controller"), 2, f"U+{code:04X} is not")
        for code in (0x00, 0x01, 0x0B, 0x0C, 0x1B, 0x7F, 0xFFFE)
    ),
    ("deep-brackets", BASE + "x: " + "[" * 10_000 + "]" * 10_000 + "\n", 2, "nested more than 64 levels deep"),
    ("deep-braces", BASE + "x: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", 2, "nested more than 64 levels"),
    ("deep-block", BASE + DEEP_BLOCK, 2, "nested more than 64 levels deep"),
    ("alias-bomb", BASE + BOMB, 2, "aliases (*name) repeat more than 100,000 values"),
    ("list-of-50001", BASE + "x: [" + "a, " * 50_001 + "]\n", 2, "x: unknown key 'x'"),  # read in a second
    (
        "forbids-of-50001",
        BASE + "forbids: [" + "a, " * 50_001 + "]\n",
        2,
        "forbids: has 50,001 items, more than the 50,000 allowed",
    ),
    ("list-of-200001", BASE + "x: [" + "a, " * 200_001 + "]\n", 2, "a list or mapping has more than 50,000 items"),
    (
        "values-1000001",
        BASE + "".join(f"x{k}: [{'a, ' * 40_000}]\n" for k in range(26)),
        2,
        "more than 1,000,000 values",
    ),
    ("alias-loop", BASE + "x: &a [1, *a]\n", 2, "alias *a refers to a value that contains it"),
    ("effort-inf", edit("effort_pm: 24", "effort_pm: .inf"), 2, "effort_pm: must be a finite number (got inf)"),
    ("effort-nan", edit("effort_pm: 24", "effort_pm: .nan"), 2, "effort_pm: must be a finite number (got nan)"),
    ("effort-1e20", edit("effort_pm: 24", "effort_pm: 1e20"), 2, "effort_pm: must be at most 1,000,000 (got 1e+20)"),
    ("capacity-1e308", edit("capacity_pm: 4 ", "capacity_pm: 1e308 "), 2, "capacity_pm: must be at most 1,000,000"),
    ("rate-1e308", edit("rate_per_pm: 3000", "rate_per_pm: 1e308"), 2, "must be at most 1,000,000,000,000 (the most"),
    ("value-1e308", edit("value: 10", "value: 1e308"), 2, "value: must be at most 1,000,000,000 (got 1e+308)"),
    (
        "exchange-rate-1e308",
        edit("countries:\n  - {id: BY, name: Belarus}", RATES.replace("RATE", "1e308")),
        2,
        "currencies.rates.BYN[2025]: must be at most 1,000,000 (got 1e+308)",
    ),
    (
        "exchange-rate-1e-308",
        edit("countries:\n  - {id: BY, name: Belarus}", RATES.replace("RATE", "1e-308")),
        2,
        "currencies.rates.BYN[2025]: must be at least 1e-06 (got 1e-308)",
    ),
    (
        "lag-1e30",
        edit("after: [U-01, U-02]", "after: [{id: U-01, lag: 1" + "0" * 30 + "}]"),
        2,
        "lag: must be at most 2,400",
    ),
    (
        "weight-inf",
        edit("objective: {priorities: [lateness, value, cost]}", WEIGHTED.replace("WEIGHT", ".inf")),
        2,
        "objective.weights.cost: must be a finite number",
    ),
    (
        "weight-1e308",
        edit("objective: {priorities: [lateness, value, cost]}", WEIGHTED.replace("WEIGHT", "1e308")),
        2,
        "objective.weights.cost: must be at most 1,000,000",
    ),
    (
        "money-as-a-whole",
        edit("effort_pm: 24", "effort_pm: 900000").replace("rate_per_pm: 3000", "rate_per_pm: 900000000"),
        2,
        "work_packages: the work could cost up to 810,016,200,070,000 units, more than the 1,000,000,000,000",
    ),
    (
        "too-many-predecessors",
        edit("after: [U-01, U-02]", f"after: [{', '.join(['U-01'] * 1001)}]"),
        2,
        "after: has 1,001 items, more than the 1,000 allowed",
    ),
    (
        "title-too-long",
        edit("Flight controller", "x" * 10_001),
        2,
        "title: has 10,001 characters, more than the 10,000",
    ),
]


@pytest.mark.parametrize(
    ("text", "code", "fragment"), [c[1:] for c in SCENARIOS_TABLE], ids=[c[0] for c in SCENARIOS_TABLE]
)
@pytest.mark.parametrize("command", ["validate", "solve", "explain"])
def test_hostile_scenario(tmp_path: Path, command: str, text: str, code: int, fragment: str) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    args: list[str | Path] = ["-o", tmp_path / "plan.json", "--time-limit", "5"] if command == "solve" else []
    result = planner(command, path, *args)
    assert_clear(result, code, fragment, path)


def assert_clear(result: Result, code: int, fragment: str, path: Path | None = None) -> None:
    """Exit `code`, the fragment in the output, the file named, and no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.output
    assert fragment in result.output, result.output
    if path is not None:
        assert str(path) in result.output
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- files that are not files (finding 7)


SPECIAL: list[tuple[str, Callable[[Path], Path], str]] = [
    ("dev-zero", lambda _: Path("/dev/zero"), "is not a regular file (a device, pipe or socket)"),
    ("dev-urandom", lambda _: Path("/dev/urandom"), "is not a regular file"),
    ("fifo", lambda tmp: _fifo(tmp / "pipe.yaml"), "is not a regular file"),
    ("folder", lambda tmp: tmp, "is a folder, not a file"),
    ("over-the-cap", lambda tmp: _sparse(tmp / "huge.yaml", 17 * 1024 * 1024), "more than the 16 MB a scenario"),
]


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as f:
        f.truncate(size)
    return path


@pytest.mark.parametrize(("make", "fragment"), [c[1:] for c in SPECIAL], ids=[c[0] for c in SPECIAL])
def test_special_files_are_refused_before_reading(tmp_path: Path, make: Callable[[Path], Path], fragment: str) -> None:
    path = make(tmp_path)
    assert_clear(planner("validate", path), ExitCode.INVALID_INPUT, fragment, path)
    plan = planner("check", MINIMAL, path)
    assert_clear(plan, ExitCode.INVALID_INPUT, fragment, path)


# ---------------------------------------------------------------- plan files and options (findings 4, 6, 8)


@pytest.fixture(scope="module")
def good_plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    assert planner("solve", MINIMAL, "-o", path, "--time-limit", "5").exit_code == ExitCode.OK
    return json.loads(path.read_text(encoding="utf-8"))


def _with_end(plan: dict[str, object], end: int, start: int | None = None) -> str:
    data = json.loads(json.dumps(plan))
    data["assignments"][0]["end"] = end
    if start is not None:
        data["assignments"][0]["start"] = start
    return json.dumps(data)


PLANS: list[tuple[str, str, Callable[[dict[str, object]], str], int, str]] = [
    ("yaml-syntax-error", "plan.yaml", lambda _: "status: [optimal\nscenario: x\n", 2, "not valid YAML"),
    ("yaml-alias-bomb", "plan.yaml", lambda _: BOMB, 2, "aliases (*name) repeat more than 100,000 values"),
    ("yaml-control-character", "plan.yaml", lambda _: "scenario: a\x01b\n", 2, "control character U+0001"),
    ("json-nested-10000", "plan.json", lambda _: "[" * 10_000 + "]" * 10_000, 2, "nested too deeply"),
    ("json-syntax-error", "plan.json", lambda _: '{"status": ', 2, "line 1: not valid JSON"),
    (
        "json-infinity",
        "plan.json",
        lambda p: json.dumps({**p, "gap": float("inf")}),
        2,
        "gap: input should be a finite",
    ),
    (
        "end-1e9",
        "plan.json",
        lambda p: _with_end(p, 1_000_000_000),
        2,
        "end: input should be less than or equal to 2400",
    ),
    ("end-past-horizon", "plan.json", lambda p: _with_end(p, 2000), 1, "outside the horizon [0, 24)"),
    (
        "end-before-start",
        "plan.json",
        lambda p: _with_end(p, 2, start=3),
        1,
        "ends (period 2) before it starts (period 3)",
    ),
]


@pytest.mark.parametrize(("name", "text", "code", "fragment"), [c[1:] for c in PLANS], ids=[c[0] for c in PLANS])
def test_hostile_plan(
    tmp_path: Path,
    good_plan: dict[str, object],
    name: str,
    text: Callable[[dict[str, object]], str],
    code: int,
    fragment: str,
) -> None:
    path = tmp_path / name
    path.write_text(text(good_plan), encoding="utf-8")
    assert_clear(planner("check", MINIMAL, path), code, fragment)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--workers", "10000"], "Input should be less than or equal to 64"),
        (["--seed", str(2**64)], "less than or equal to 2147483647"),
        (["--time-limit", "nan"], "Invalid value for '--time-limit'"),
    ],
    ids=["workers-10000", "seed-2**64", "time-limit-nan"],
)
def test_solver_options_out_of_range_exit_2(tmp_path: Path, args: list[str], fragment: str) -> None:
    result = planner("solve", MINIMAL, "-o", tmp_path / "plan.json", *args)
    assert_clear(result, ExitCode.INVALID_INPUT, fragment)


@pytest.mark.parametrize(
    ("where", "fragment"),
    [("missing/schema.json", "folder {tmp}/missing does not exist"), ("file/schema.json", "does not exist")],
)
def test_schema_into_a_missing_folder_exits_2(tmp_path: Path, where: str, fragment: str) -> None:
    (tmp_path / "file").write_text("not a folder")
    assert_clear(planner("schema", "-o", tmp_path / where), ExitCode.INVALID_INPUT, fragment.format(tmp=tmp_path))


# ---------------------------------------------------------------- writes (findings 13, 14)


@pytest.fixture
def infeasible(tmp_path: Path) -> Path:
    changes = {
        "work_packages": [
            merge(TINY["work_packages"][0], {"deadline": "2025-03"}),
            merge(TINY["work_packages"][1], {"deadline": "2025-03"}),
        ]
    }
    path = tmp_path / "infeasible.yaml"
    path.write_text(dump_yaml_text(merge(TINY, changes)), encoding="utf-8")
    return path


def test_a_run_without_a_plan_keeps_the_earlier_plan(tmp_path: Path, infeasible: Path) -> None:
    out = tmp_path / "plan.json"
    assert planner("solve", SCENARIOS / "minimal.yaml", "-o", out, "--time-limit", "5").exit_code == ExitCode.OK
    before = out.read_bytes()
    result = planner("solve", infeasible, "-o", out, "--time-limit", "5")
    assert result.exit_code == ExitCode.INFEASIBLE
    assert out.read_bytes() == before
    assert f"{out} holds a plan from an earlier run and is kept" in result.stderr
    beside = tmp_path / "plan.no-plan.json"
    assert read_plan(beside).status is Status.infeasible
    assert f"plan written to {beside}" in result.stdout


def test_force_replaces_the_earlier_plan(tmp_path: Path, infeasible: Path) -> None:
    out = tmp_path / "plan.json"
    assert planner("solve", SCENARIOS / "minimal.yaml", "-o", out, "--time-limit", "5").exit_code == ExitCode.OK
    result = planner("solve", infeasible, "-o", out, "--time-limit", "5", "--force")
    assert result.exit_code == ExitCode.INFEASIBLE
    assert read_plan(out).status is Status.infeasible
    assert not (tmp_path / "plan.no-plan.json").exists()


def test_an_unwritable_output_folder_is_reported_before_solving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(_: Path) -> None:
        raise OSError(30, "Read-only file system")

    def never(*_: object, **__: object) -> None:
        raise AssertionError("solved although the plan could not be written")

    monkeypatch.setattr("planner.io.atomic.check_writable", read_only)
    monkeypatch.setattr("planner.cpsat.solve", never)
    result = planner("solve", MINIMAL, "-o", tmp_path / "plan.json")
    assert_clear(result, ExitCode.INVALID_INPUT, f"cannot write in folder {tmp_path}: Read-only file system")


# ---------------------------------------------------------------- a model CP-SAT refuses (finding 3)


def test_a_model_cp_sat_refuses_is_an_internal_error_not_a_time_out(monkeypatch: pytest.MonkeyPatch) -> None:
    from ortools.sat.python import cp_model

    from planner.cpsat import solve
    from planner.cpsat.solver import ModelInvalidError
    from planner.domain.settings import SolverSettings
    from tests.conftest import scenario

    monkeypatch.setattr("planner.cpsat.solver._run_solver", lambda *_: cp_model.MODEL_INVALID)
    with pytest.raises(ModelInvalidError, match="CP-SAT refused the model of stage 1 as invalid"):
        solve(scenario(), SolverSettings(time_limit_s=1))


def test_nesting_the_fast_reader_takes_but_cannot_flatten_is_refused_with_its_line(tmp_path: Path) -> None:
    depth = 500  # libyaml reads up to 1,000 levels; flattening 500 went past Python's recursion limit
    deep = "x:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(depth)) + "  " * (depth + 1) + "1\n"
    path = tmp_path / "deep.yaml"
    path.write_text(BASE + deep, encoding="utf-8")
    assert_clear(planner("validate", path), ExitCode.INVALID_INPUT, f"{path}:131: values are nested more than 64")
