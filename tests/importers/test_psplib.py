"""Importing PSPLIB and MMLIB benchmark files: the id mapping contract, the dialects, errors, YAML round trip."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from planner.domain.scenario import Scenario, Term, WorkPackage
from planner.importers.psplib import BenchmarkImportError, import_psplib, scenario_to_yaml
from planner.problem.validate import parse_scenario
from tests.conftest import DATA

if TYPE_CHECKING:
    from pathlib import Path

SINGLE_MODE = DATA / "j301_1.sm"  # PSPLIB j30, 4 renewable resources
MULTI_MODE = DATA / "j1010_1.mm"  # PSPLIB j10 multi-mode, 2 R + 2 N
MMLIB = DATA / "J50100_1.mm"  # MMLIB50, tab-separated dialect
INFEASIBLE = DATA / "j301_1.mm"  # PSPLIB j30 multi-mode; not among the 552 feasible instances


def wp(scenario: Scenario, wp_id: str) -> WorkPackage:
    return next(w for w in scenario.work_packages if w.id == wp_id)


def test_single_mode_maps_jobs_and_resources() -> None:
    s = import_psplib(SINGLE_MODE)
    assert s.name == "j301_1"
    assert s.description == ("Imported from PSPLIB file j301_1.sm: 30 jobs, 4 renewable and 0 non-renewable resources.")
    assert [w.id for w in s.work_packages] == [str(j) for j in range(2, 32)]  # dummies 1 and 32 dropped
    assert [(f.id, f.capacity, f.unit) for f in s.facilities] == [
        ("R1", 12, "units"),
        ("R2", 13, "units"),
        ("R3", 4, "units"),
        ("R4", 12, "units"),
    ]
    assert s.funders == []
    assert s.time.start == "2025-01" and s.time.period == "month"
    assert s.time.periods == 158  # sum of all durations
    assert [(c.id, c.name) for c in s.countries] == [("X", "Benchmark instance")]
    assert [(p.id, p.name, p.funders) for p in s.programs] == [("project", "j301_1", [])]
    assert s.objective.priorities == [Term.makespan]


def test_single_mode_work_package_options_and_predecessors() -> None:
    s = import_psplib(SINGLE_MODE)
    two = wp(s, "2")
    assert (two.program, two.mandatory, two.effort_pm, two.after) == ("project", True, 0.0, [])
    assert len(two.options) == 1
    opt = two.options[0]
    assert (opt.id, opt.institution, opt.duration, opt.facilities, opt.funding) == ("1", None, 8, {"R1": 4}, None)
    # job 2's successors 6, 11, 15 wait for it; predecessors are listed in job order
    for succ in ("6", "11", "15"):
        assert "2" in wp(s, succ).after
    assert wp(s, "14").after == ["9", "12"]
    assert wp(s, "20").after == ["5", "11", "18"]
    assert wp(s, "31").after == ["26", "28"]


def test_multi_mode_options_and_funders() -> None:
    s = import_psplib(MULTI_MODE)
    assert len(s.work_packages) == 10
    assert [(f.id, f.capacity) for f in s.facilities] == [("R1", 11), ("R2", 9)]
    assert [(f.id, f.country, f.total) for f in s.funders] == [("N1", "X", 42), ("N2", "X", 17)]
    options = [(o.id, o.duration, o.facilities, o.funding) for o in wp(s, "2").options]
    assert options == [
        ("1", 1, {"R1": 7}, {"N1": 7}),
        ("2", 4, {"R2": 4}, {"N1": 7}),
        ("3", 6, {"R2": 3}, {"N1": 7}),
    ]
    assert wp(s, "9").after == ["4", "7", "8"]
    assert s.time.periods == 77  # sum of the longest mode of each job


def test_mmlib_tab_dialect() -> None:
    s = import_psplib(MMLIB)
    assert s.name == "J50100_1"
    assert len(s.work_packages) == 50
    assert [(f.id, f.capacity) for f in s.facilities] == [("R1", 40), ("R2", 31)]
    assert [(f.id, f.total) for f in s.funders] == [("N1", 289), ("N2", 292)]
    options = [(o.id, o.duration, o.facilities, o.funding) for o in wp(s, "2").options]
    assert options == [
        ("1", 2, {"R2": 5}, {"N1": 9, "N2": 9}),
        ("2", 5, {"R1": 5}, {"N1": 3, "N2": 5}),
        ("3", 6, {"R1": 5}, {"N1": 2, "N2": 1}),
    ]
    # successors are unsorted in MMLIB files; `after` is in job order all the same
    for w in s.work_packages:
        jobs = [a for a in w.after if isinstance(a, str)]  # plain job ids, no Dependency objects
        assert w.after == sorted(jobs, key=int)
    assert "2" in wp(s, "20").after and "3" in wp(s, "20").after


def test_infeasible_instance_imports() -> None:
    s = import_psplib(INFEASIBLE)
    assert len(s.work_packages) == 30
    assert all(len(w.options) == 3 for w in s.work_packages)
    assert [(f.id, f.total) for f in s.funders] == [("N1", 49), ("N2", 42)]


def test_non_dummy_first_job_is_kept(tmp_path: Path) -> None:
    text = SINGLE_MODE.read_text().replace(
        "\n  1      1     0       0    0    0    0\n", "\n  1      1     2       0    0    0    0\n"
    )
    path = tmp_path / "busy_source.sm"
    path.write_text(text)
    s = import_psplib(path)
    assert [w.id for w in s.work_packages][:2] == ["1", "2"]
    assert wp(s, "2").after == ["1"]
    assert s.time.periods == 160


@pytest.mark.parametrize("path", [SINGLE_MODE, MULTI_MODE, MMLIB, INFEASIBLE], ids=lambda p: p.name)
def test_yaml_round_trips(path: Path) -> None:
    s = import_psplib(path)
    text = scenario_to_yaml(s, header=f"Imported from {path.name}\nby the test suite")
    assert text.startswith(f"# Imported from {path.name}\n# by the test suite\n")
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert body[0] == "schema_version: 1"
    assert body[1] == f"name: {path.stem}"
    assert parse_scenario(text, path.name) == s


def test_yaml_is_compact() -> None:
    text = scenario_to_yaml(import_psplib(MMLIB))
    assert "time: {start: 2025-01, periods:" in text
    assert "      - {id: '1', duration: 2, facilities: {R2: 5}, funding: {N1: 9, N2: 9}}" in text
    assert "12.0" not in text  # whole numbers are written as integers


SM_TEXT = SINGLE_MODE.read_text()
TRUNCATED = SM_TEXT.split("RESOURCEAVAILABILITIES")[0]
BAD_SUCCESSOR = SM_TEXT.replace("   5        1          1          20", "   5        1          1          99")
CYCLE = SM_TEXT.replace("  20        1          2          23  25", "  20        1          2          23   5")
TOO_LONG = SM_TEXT.replace("\n  2      1     8       4", "\n  2      1  3000       4")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("garbage.sm", "hello, this is not a project\n", "not a PSPLIB/MMLIB project file"),
        ("empty.mm", "", "not a PSPLIB/MMLIB project file"),
        ("binary.sm", b"\x89PNG\r\n\x1a\n\xff\xfe\x00", "not a text file"),
        ("truncated.sm", TRUNCATED, "not a PSPLIB/MMLIB project file"),
        ("bad_successor.sm", BAD_SUCCESSOR, "job 5 has successor 99, which is not a job"),
        ("cycle.sm", CYCLE, "precedence cycle: 20 → 5 → 20"),
        ("too_long.sm", TOO_LONG, "periods: Input should be less than or equal to 2400"),
        ("missing.sm", None, "file not found"),
    ],
)
def test_broken_files(tmp_path: Path, name: str, content: str | bytes | None, message: str) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(BenchmarkImportError) as err:
        import_psplib(path)
    assert name in str(err.value)
    assert message in str(err.value)
