"""Joint R&D Program Planner: which partner institution does each work package, and when.

The Python API in one place::

    from planner import load_scenario, solve, check_plan, evaluate, explain, why_work_package, SolverSettings
    scenario = load_scenario("scenarios/belarus-tomsk-2025-2030.yaml")
    plan = solve(scenario, SolverSettings(time_limit_s=30))
    assert check_plan(scenario, plan) == []
    print("\n".join(why_work_package(scenario, plan, "U-07").lines()))   # why U-07 is where it is
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planner.check import Violation, check_plan, evaluate
    from planner.cpsat import solve
    from planner.diagnose.explain import explain
    from planner.diagnose.why import WhyCache, why_plan, why_work_package
    from planner.domain.plan import Plan, Status
    from planner.domain.scenario import Scenario
    from planner.domain.settings import SolverSettings
    from planner.io.plan_file import read_plan, write_plan
    from planner.problem.validate import Problem, ScenarioError, load_scenario, parse_scenario

__all__ = [
    "Plan",
    "Problem",
    "Scenario",
    "ScenarioError",
    "SolverSettings",
    "Status",
    "Violation",
    "WhyCache",
    "check_plan",
    "evaluate",
    "explain",
    "load_scenario",
    "parse_scenario",
    "read_plan",
    "solve",
    "why_plan",
    "why_work_package",
    "write_plan",
]
__version__ = "0.1.0"

_LAZY = {
    "Plan": "planner.domain.plan",
    "Status": "planner.domain.plan",
    "Scenario": "planner.domain.scenario",
    "SolverSettings": "planner.domain.settings",
    "read_plan": "planner.io.plan_file",
    "write_plan": "planner.io.plan_file",
    "Problem": "planner.problem.validate",
    "ScenarioError": "planner.problem.validate",
    "load_scenario": "planner.problem.validate",
    "parse_scenario": "planner.problem.validate",
    "solve": "planner.cpsat",
    "check_plan": "planner.check",
    "evaluate": "planner.check",
    "Violation": "planner.check",
    "explain": "planner.diagnose.explain",
    "why_plan": "planner.diagnose.why",
    "why_work_package": "planner.diagnose.why",
    "WhyCache": "planner.diagnose.why",
}


def __getattr__(name: str) -> Any:
    """Load each part on first use: a command that only reads a scenario never builds the plan's models, and
    reading and checking never load the solver."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'planner' has no attribute {name!r}")
