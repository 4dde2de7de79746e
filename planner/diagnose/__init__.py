"""In domain words: why no plan exists (explain, conflict), why a plan is as it is (why, binding, alternatives, timing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario
    from planner.domain.settings import SolverSettings
    from planner.problem.prepared import PreparedProblem


def with_explanation(problem: Scenario | PreparedProblem, plan: Plan, settings: SolverSettings | None = None) -> Plan:
    """The plan itself, or for a proven-infeasible one without a reason a copy that says why no plan exists."""
    from planner.diagnose.explain import explain
    from planner.domain.plan import Status

    if plan.status is not Status.infeasible or plan.explanation:
        return plan
    return plan.model_copy(update={"explanation": explain(problem, settings)})
