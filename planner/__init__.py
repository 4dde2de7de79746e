"""Joint R&D Program Planner: which partner institution does each work package, and when."""

from planner.scenario import Scenario
from planner.validate import Problem, ScenarioError, load_scenario, parse_scenario

__all__ = ["Problem", "Scenario", "ScenarioError", "load_scenario", "parse_scenario"]
__version__ = "0.1.0"
