"""PSPLIB and MMLIB benchmark instances ((multi-mode) RCPSP) as scenarios.

The mapping is a contract that benchmark tools rely on to read plans back:

- each renewable resource k (in file order among renewables) → facility `R<k>`, capacity per period;
- each non-renewable resource k → funder `N<k>` whose `total` is the resource's availability;
- each job except the dummy source and sink → work package with the job number as id, one explicit
  option per mode (id = mode number) with the mode's duration, facility use and funding draws;
- the horizon is the sum of the longest mode durations, a valid upper bound on any makespan;
- the objective is the makespan.

Parsing is done by the `psplib` package, which reads both the PSPLIB and the tab-separated MMLIB
dialect; this module only checks its result and translates it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psplib
from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from planner.domain.scenario import (
    SCHEMA_VERSION,
    Country,
    ExecutionOption,
    Facility,
    Funder,
    Objective,
    Program,
    Scenario,
    Term,
    TimeGrid,
    WorkPackage,
)
from planner.io.scenario_file import render_path
from planner.io.yamlio import dump_yaml_text
from planner.problem.crosscheck import cross_check

if TYPE_CHECKING:
    from psplib.ProjectInstance import Activity, Mode, ProjectInstance

START_MONTH = "2025-01"
COUNTRY_ID = "X"
PROGRAM_ID = "project"
FLOW_WIDTH = 100
"""A mapping whose flow form is about this long or shorter is written on one line."""
MAX_REPORTED = 5
"""At most this many structural problems are named in one error message."""
_NUMERIC_STRING = re.compile(r'"[0-9.]+"')


class BenchmarkImportError(Exception):
    """A benchmark file that cannot be read or does not describe a project."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def import_psplib(path: str | Path) -> Scenario:
    """Read a PSPLIB (.sm, .mm) or MMLIB (.mm) file as a scenario; raises BenchmarkImportError."""
    path = Path(path)
    instance = _parse(path)
    problems = _structure_problems(instance)
    if problems:
        raise BenchmarkImportError(path, _summary(problems))
    try:
        scenario = _scenario(path, instance)
    except ValidationError as e:
        raise BenchmarkImportError(path, f"does not fit the scenario format: {_first_error(e)}") from None
    # The same cross-reference rules as for a scenario file (cycles, windows), so the result is usable.
    wrong = [f"{render_path(loc)}: {msg}" for loc, msg in cross_check(scenario)]
    if wrong:
        raise BenchmarkImportError(path, "the imported scenario is not valid: " + _summary(wrong))
    return scenario


# ---------------------------------------------------------------- reading and checking


def _parse(path: Path) -> ProjectInstance:
    """Parse with the psplib package, turning its many failure modes into one error type."""
    try:
        return psplib.parse(path, instance_format="psplib")
    except FileNotFoundError:
        raise BenchmarkImportError(path, "file not found") from None
    except UnicodeDecodeError:
        raise BenchmarkImportError(path, "not a text file") from None
    except OSError as e:
        raise BenchmarkImportError(path, f"cannot read: {e.strerror}") from None
    except (ValueError, IndexError) as e:
        raise BenchmarkImportError(path, f"not a PSPLIB/MMLIB project file ({e})") from None


def _structure_problems(instance: ProjectInstance) -> list[str]:
    """What makes a parsed instance unusable: no jobs, no modes, bad successors, negative numbers."""
    n = len(instance.activities)
    if n == 0:
        return ["no jobs in PRECEDENCE RELATIONS"]
    out = [f"resource {k + 1} has a negative capacity" for k, r in enumerate(instance.resources) if r.capacity < 0]
    for i, act in enumerate(instance.activities):
        job = i + 1
        if not act.modes:
            out.append(f"job {job} has no modes")
        out += [f"job {job} has successor {s + 1}, which is not a job" for s in act.successors if not 0 <= s < n]
        if i in act.successors:
            out.append(f"job {job} is its own successor")
        for m, mode in enumerate(act.modes, start=1):
            if mode.duration < 0 or any(d < 0 for d in mode.demands):
                out.append(f"job {job} mode {m} has a negative duration or demand")
    return out


def _is_dummy(act: Activity) -> bool:
    """A dummy source or sink: one mode, no duration, no demand."""
    return len(act.modes) == 1 and act.modes[0].duration == 0 and not any(act.modes[0].demands)


def _real_jobs(instance: ProjectInstance) -> list[int]:
    """Indices of the activities that become work packages (all but a dummy first and last job)."""
    last = len(instance.activities) - 1
    dummies = {i for i in (0, last) if _is_dummy(instance.activities[i])}
    return [i for i in range(last + 1) if i not in dummies]


def _predecessors(instance: ProjectInstance, keep: set[int]) -> dict[int, list[int]]:
    """Kept predecessors of each kept activity, in job order (the file lists successors)."""
    preds: dict[int, set[int]] = {i: set() for i in keep}
    for i, act in enumerate(instance.activities):
        if i in keep:
            for s in act.successors:
                if s in keep:
                    preds[s].add(i)
    return {i: sorted(p) for i, p in preds.items()}


def _resource_ids(instance: ProjectInstance) -> list[str]:
    """Scenario id of each resource, in file order: R1, R2, … for renewables, N1, N2, … for the rest."""
    ids, counts = [], {"R": 0, "N": 0}
    for r in instance.resources:
        kind = "R" if r.renewable else "N"
        counts[kind] += 1
        ids.append(f"{kind}{counts[kind]}")
    return ids


# ---------------------------------------------------------------- translation


def _scenario(path: Path, instance: ProjectInstance) -> Scenario:
    """The scenario for a checked instance."""
    jobs = _real_jobs(instance)
    if not jobs:
        raise BenchmarkImportError(path, "the project has no real jobs, only the dummy source and sink")
    res_ids = _resource_ids(instance)
    renewable = [r.renewable for r in instance.resources]
    preds = _predecessors(instance, set(jobs))
    n_renewable = sum(renewable)
    horizon = sum(max(m.duration for m in instance.activities[i].modes) for i in jobs)
    return Scenario(
        schema_version=SCHEMA_VERSION,
        name=path.stem,
        description=(
            f"Imported from PSPLIB file {path.name}: {len(jobs)} jobs, {n_renewable} renewable and "
            f"{len(renewable) - n_renewable} non-renewable resources."
        ),
        time=TimeGrid(start=START_MONTH, periods=max(1, horizon)),
        countries=[Country(id=COUNTRY_ID, name="Benchmark instance")],
        facilities=[
            Facility(id=rid, capacity=r.capacity, unit="units")
            for rid, r in zip(res_ids, instance.resources, strict=True)
            if r.renewable
        ],
        funders=[
            Funder(id=rid, country=COUNTRY_ID, total=r.capacity)
            for rid, r in zip(res_ids, instance.resources, strict=True)
            if not r.renewable
        ],
        programs=[Program(id=PROGRAM_ID, name=path.stem)],
        work_packages=[_work_package(i, instance.activities[i], preds[i], res_ids, renewable) for i in jobs],
        objective=Objective(priorities=[Term.makespan]),
    )


def _work_package(
    index: int, act: Activity, preds: list[int], res_ids: list[str], renewable: list[bool]
) -> WorkPackage:
    """One job as a mandatory work package with one option per mode."""
    return WorkPackage(
        id=str(index + 1),
        program=PROGRAM_ID,
        mandatory=True,
        effort_pm=0.0,
        after=[str(p + 1) for p in preds],
        options=[_option(m, mode, res_ids, renewable) for m, mode in enumerate(act.modes, start=1)],
    )


def _option(number: int, mode: Mode, res_ids: list[str], renewable: list[bool]) -> ExecutionOption:
    """One mode: its duration, renewable demands as facility use, non-renewable ones as funding draws."""
    demands = list(zip(res_ids, renewable, mode.demands, strict=True))
    facilities = {rid: float(d) for rid, ren, d in demands if d and ren}
    funding = {rid: float(d) for rid, ren, d in demands if d and not ren}
    return ExecutionOption(
        id=str(number),
        institution=None,
        duration=mode.duration,
        facilities=facilities or None,
        funding=funding or None,
    )


def _summary(problems: list[str]) -> str:
    """The first few problems, and how many more there are."""
    more = f" (and {len(problems) - MAX_REPORTED} more)" if len(problems) > MAX_REPORTED else ""
    return "; ".join(problems[:MAX_REPORTED]) + more


def _first_error(err: ValidationError) -> str:
    e = err.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in e["loc"])
    return f"{loc}: {e['msg']}"


# ---------------------------------------------------------------- writing


def scenario_to_yaml(scenario: Scenario, header: str = "") -> str:
    """Readable YAML for a scenario: short mappings on one line, an optional comment header.

    The items of a top-level list all get the same style: one line each if every one fits, else
    block mappings whose short parts (options, `after`) are again one line each.
    """
    data = _tidy(scenario.model_dump(mode="json", exclude_defaults=True))
    doc = CommentedMap()
    for key in ("schema_version", "name"):
        doc[key] = data.pop(key)
    for key, value in data.items():
        doc[key] = _block_list(value) if isinstance(value, list) else _styled(value)
    if header:
        doc.yaml_set_start_comment(header)
    return dump_yaml_text(doc)


def _block_list(items: list[Any]) -> CommentedSeq:
    """A top-level list, one item per entry, all items in the same style."""
    flow = all(_flow_length(v) <= FLOW_WIDTH for v in items)
    return CommentedSeq(_styled(v, flow) for v in items)


def _styled(value: Any, flow: bool | None = None) -> Any:
    """Round-trip containers in flow style when `flow`, or (if None) for plain lists and short values."""
    if isinstance(value, dict):
        out: CommentedMap | CommentedSeq = CommentedMap((k, _styled(v)) for k, v in value.items())
    elif isinstance(value, list):
        out = CommentedSeq(_styled(v) for v in value)
    else:
        return value
    if flow is None:
        plain_list = isinstance(value, list) and not any(isinstance(v, dict | list) for v in value)
        flow = plain_list or _flow_length(value) <= FLOW_WIDTH
    if flow:
        out.fa.set_flow_style()
    return out


def _flow_length(value: Any) -> int:
    """About how many characters `value` takes in YAML flow style: JSON without the quotes YAML omits."""
    text = json.dumps(value, ensure_ascii=False)
    return len(text) - text.count('"') + 2 * len(_NUMERIC_STRING.findall(text))


def _tidy(value: Any) -> Any:
    """Whole-number floats written as integers (12 rather than 12.0); the scenario reads them back equal."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    return value
