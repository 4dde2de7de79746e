"""The package's layers: imports only go down, and reading or checking never loads the solver."""

from __future__ import annotations

import ast
import subprocess
import sys
from typing import TYPE_CHECKING

from tests.conftest import ROOT, SCENARIOS

if TYPE_CHECKING:
    from pathlib import Path

PACKAGE = ROOT / "planner"

ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "i18n": set(),
    "io": {"domain"},
    "problem": {"domain", "io"},
    "construct": {"domain", "io", "problem"},
    "cpsat": {"domain", "io", "problem", "construct", "check"},
    "check": {"domain", "io", "problem"},
    "diagnose": {"domain", "io", "problem", "construct", "cpsat", "check", "i18n"},
    "importers": {"domain", "io", "problem", "construct"},
    "report": {"domain", "io", "problem", "check", "diagnose", "i18n"},
    "review": {"domain", "i18n"},
    "ui": {"domain", "io", "problem", "construct", "cpsat", "check", "diagnose", "report", "review", "i18n"},
}
"""What each subpackage may import from the others (besides itself); `cli` and the package root may import all."""

SOLVER_FREE = {"domain", "io", "problem", "construct", "check", "report", "review", "i18n"}
"""Subpackages whose import must not load OR-Tools (settings validate raw CP-SAT parameters lazily, when given)."""


def _layer(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def _imports(path: Path, top_level: bool = False) -> set[str]:
    """Modules a file imports: anywhere, or only at module level (what importing it loads)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in tree.body if top_level else ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return out


def test_every_subpackage_is_in_the_layer_table() -> None:
    subpackages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert subpackages == set(ALLOWED)


def test_imports_only_go_down() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        layer = _layer(path)
        if layer not in ALLOWED:
            continue  # cli.py and the package root wire everything
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] == "planner" and len(parts) > 1 and parts[1] != layer and parts[1] not in ALLOWED[layer]:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
        if layer in SOLVER_FREE and any(m.startswith("ortools") for m in _imports(path, top_level=True)):
            wrong.append(f"{path.relative_to(ROOT)} loads OR-Tools on import")
    assert wrong == []


def test_validate_and_check_run_without_loading_the_solver(tmp_path: Path) -> None:
    scenario = SCENARIOS / "minimal.yaml"
    plan = tmp_path / "plan.json"
    subprocess.run(
        [sys.executable, "-m", "planner.cli", "solve", str(scenario), "-o", str(plan), "--time-limit", "20", "-q"],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from planner.cli import app\n"
        f"assert CliRunner().invoke(app, ['validate', {str(scenario)!r}]).exit_code == 0\n"
        f"assert CliRunner().invoke(app, ['check', {str(scenario)!r}, {str(plan)!r}]).exit_code == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('ortools')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout


def test_a_valid_file_is_validated_and_checked_without_the_round_trip_reader(tmp_path: Path) -> None:
    """Start-up is most of a small command's time: `validate` loads no plan models, neither command ruamel."""
    scenario, reference = tmp_path / "program.yaml", tmp_path / "reference.json"
    generate = [sys.executable, "-m", "planner.cli", "generate", "--wps", "40", "--institutions", "12", "--seed", "1"]
    subprocess.run(
        [*generate, "-o", str(scenario), "--reference", str(reference)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from planner.cli import app\n"
        f"assert CliRunner().invoke(app, ['validate', {str(scenario)!r}]).exit_code == 0\n"
        "print('planner.domain.plan' in sys.modules, 'ruamel.yaml' in sys.modules)\n"
        f"assert CliRunner().invoke(app, ['check', {str(scenario)!r}, {str(reference)!r}]).exit_code == 0\n"
        "print('ruamel.yaml' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False", "False"], done.stdout
