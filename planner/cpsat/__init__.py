"""CP-SAT model builder and solver. Nothing from OR-Tools leaves this package: `solve` returns a Plan."""

from planner.cpsat.solver import Progress, solve

__all__ = ["Progress", "solve"]
