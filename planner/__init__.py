"""Joint R&D Program Planner: which partner institution does each work package, and when.

The Python API in one place::

    from planner import load_scenario, solve, check_plan, evaluate, explain, SolverSettings
    scenario = load_scenario("scenarios/belarus-tomsk-2025-2030.yaml")
    plan = solve(scenario, SolverSettings(time_limit_s=30))
    assert check_plan(scenario, plan) == []
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.domain.plan import Plan, Status
from planner.domain.scenario import Scenario
from planner.domain.settings import SolverSettings
from planner.io.plan_file import read_plan, write_plan
from planner.problem.validate import Problem, ScenarioError, load_scenario, parse_scenario

if TYPE_CHECKING:
    from planner.check import Violation, check_plan, evaluate
    from planner.cpsat import solve
    from planner.diagnose.explain import explain

__all__ = [
    "Plan",
    "Problem",
    "Scenario",
    "ScenarioError",
    "SolverSettings",
    "Status",
    "Violation",
    "check_plan",
    "evaluate",
    "explain",
    "load_scenario",
    "parse_scenario",
    "read_plan",
    "solve",
    "write_plan",
]
__version__ = "0.1.0"

_LAZY = {
    "solve": "planner.cpsat",
    "check_plan": "planner.check",
    "evaluate": "planner.check",
    "Violation": "planner.check",
    "explain": "planner.diagnose.explain",
}


def __getattr__(name: str) -> Any:
    """Load the solver and checker on first use, so that reading scenarios stays light."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'planner' has no attribute {name!r}")
