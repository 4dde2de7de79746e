"""A fast subset of the fuzz harness (benchmarks/fuzz.py): mutated scenarios and plans get an answer, never a crash.

In-process through the CLI for a few dozen mutations with a fixed seed (every input kind the harness
has is small enough here), and three cases as limited subprocesses, as the benchmark runs them all.
"""

from __future__ import annotations

import json
import random
from typing import TYPE_CHECKING

import pytest

from benchmarks import fuzz
from planner.cli import ExitCode
from tests.conftest import SCENARIOS
from tests.test_cli import MINIMAL, planner

if TYPE_CHECKING:
    from pathlib import Path

ANSWERS = {ExitCode.OK, ExitCode.VIOLATIONS, ExitCode.INVALID_INPUT, ExitCode.INFEASIBLE, ExitCode.NO_PLAN_IN_TIME}


def _cases(n: int, seed: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SCENARIOS.glob("*.yaml"))]
    cheap = [m for m in fuzz.MUTATIONS if m not in ("many-items", "alias-bomb")]  # those run as subprocesses below
    out = []
    for k in range(n):
        text = texts[k % len(texts)]
        kind = rng.choice(cheap)
        out.append((f"{k}-{kind}", kind, fuzz._MUTATORS[kind](text, text.splitlines(keepends=True), rng)))
    return out


@pytest.mark.parametrize(("kind", "text"), [c[1:] for c in _cases(30, 17)], ids=[c[0] for c in _cases(30, 17)])
def test_a_mutated_scenario_gets_an_answer(tmp_path: Path, kind: str, text: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(fuzz.raw(text))
    result = planner("validate", path)
    assert result.exception is None or isinstance(result.exception, SystemExit), (kind, repr(result.exception))
    assert result.exit_code in ANSWERS, (kind, result.output)


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    assert planner("solve", MINIMAL, "-o", path, "--time-limit", "5").exit_code == ExitCode.OK
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", range(12))
def test_a_mutated_plan_gets_an_answer(tmp_path: Path, plan: dict[str, object], seed: int) -> None:
    kind, suffix, text = fuzz.mutate_plan(plan, random.Random(seed))
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(fuzz.raw(text))
    result = planner("check", MINIMAL, path)
    assert result.exception is None or isinstance(result.exception, SystemExit), (kind, repr(result.exception))
    assert result.exit_code in ANSWERS, (kind, result.output)


@pytest.mark.parametrize(
    "text",
    [fuzz.alias_bomb(9, 9), fuzz.deep_block(999), "x: [" + ", ".join(["a"] * 60_000) + "]\n"],
    ids=["alias-bomb", "deep-999", "long-list"],
)
def test_a_limited_subprocess_answers_within_its_limits(tmp_path: Path, text: str) -> None:
    plan = tmp_path / "unused.json"
    o = fuzz.run_case(
        fuzz.Case("test", "fixed", "validate", MINIMAL.read_text(encoding="utf-8") + text), tmp_path, plan, 0
    )
    assert not fuzz.failed(o), (o.kind, o.tail)
    assert o.code == ExitCode.INVALID_INPUT
