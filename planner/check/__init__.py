"""The independent plan checker: every hard rule and every objective term, recomputed in plain Python.

Only the plan's decisions are read (work package, option, institution, start, end and the funder keys
of `funding`); efforts, loads, costs and funding amounts are derived again from the scenario and the
plan's own figures are compared with them, never trusted. No solver is imported here.
"""

from planner.check.context import ABS_TOL, FIELD_ABS_TOL, REL_TOL, Violation, convert_years, year_amounts
from planner.check.rules import RULES, check_plan, outside_horizon
from planner.check.terms import TERMS, evaluate

__all__ = [
    "ABS_TOL",
    "FIELD_ABS_TOL",
    "REL_TOL",
    "RULES",
    "TERMS",
    "Violation",
    "check_plan",
    "convert_years",
    "evaluate",
    "outside_horizon",
    "year_amounts",
]
