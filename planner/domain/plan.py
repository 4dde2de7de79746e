"""The plan: the optimizer's answer as plain data, written as JSON or YAML.

The field names here are a contract (benchmark tooling and scripts read them): extend, never
rename. `start` and `end` are period indices from 0 with `end` exclusive.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from planner.domain.scenario import MAX_PERIODS

PLAN_SCHEMA_VERSION = 1


class Status(StrEnum):
    """What the optimizer could establish."""

    optimal = "optimal"
    feasible = "feasible"
    infeasible = "infeasible"
    unknown = "unknown"


class PlanModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class DeliverableDate(PlanModel):
    """When a deliverable is delivered in this plan."""

    id: str
    period: int = Field(
        ge=0,
        le=MAX_PERIODS,
        description="Period index in which it is delivered (the end of the work for end-deliverables).",
    )
    month: str = Field(description="Month it is delivered, YYYY-MM.")


class Assignment(PlanModel):
    """One selected work package: who does it, how and when."""

    work_package: str
    option: str = Field(description="Execution option id (the institution id for generated options).")
    institution: str | None
    start: int = Field(ge=0, le=MAX_PERIODS, description="First period, from 0.")
    end: int = Field(ge=0, le=MAX_PERIODS, description="Period after the last one (exclusive).")
    start_month: str = Field(description="First month of the work, YYYY-MM.")
    end_month: str = Field(description="Last month of the work, YYYY-MM.")
    effort_pm: float = Field(description="Person-months.")
    load_pm: float = Field(description="Person-months per period while it runs.")
    cost: float = Field(description="Cost in `currency`.")
    currency: str | None = Field(default=None, description="Currency of `cost` (the institution's).")
    cost_reporting: float = Field(description="Cost in the reporting currency at planning rates (see Currencies).")
    funding: dict[str, float] = Field(
        default_factory=dict, description="What each funder pays for it, in the funder's currency."
    )
    deliverables: list[DeliverableDate] = Field(default_factory=list)

    @property
    def duration(self) -> int:
        return self.end - self.start


class LeftOut(PlanModel):
    """A work package the plan does not do, and why."""

    work_package: str
    reason: str


class Stage(PlanModel):
    """One step of a lexicographic optimisation."""

    term: str
    status: Status
    value: float | None = None
    bound: float | None = None
    wall_time_s: float | None = None


class SolverInfo(PlanModel):
    """How the plan was made, enough to make it again."""

    engine: str = Field(
        default="cp-sat",
        description="What made the plan: 'cp-sat', or 'constructive' (checked, bounds without a solver).",
    )
    ortools_version: str
    time_limit_s: float
    workers: int
    seed: int
    reproducible: bool
    wall_time_s: float | None = Field(description="Wall-clock time; omitted in reproducible mode.")
    stages: list[Stage] = Field(default_factory=list)
    note: str | None = Field(
        default=None, description="How the plan was found when not by the stages alone (e.g. the constructive plan)."
    )
    first_plan_s: float | None = Field(
        default=None, description="Seconds from the start to the first valid plan; omitted in reproducible mode."
    )


class Plan(PlanModel):
    """The optimizer's output for one scenario."""

    schema_version: int = PLAN_SCHEMA_VERSION
    scenario: str = Field(description="Name of the scenario.")
    scenario_digest: str = Field(description="SHA-256 of the scenario's content, to detect a plan of another version.")
    status: Status
    objective: dict[str, float] = Field(default_factory=dict, description="Value per objective term.")
    bounds: dict[str, float] = Field(default_factory=dict, description="Best proven bound per objective term.")
    bound: float | None = Field(default=None, description="Best proven bound of the first-priority term.")
    gap: float | None = Field(
        default=None, description="Largest relative gap over the terms (0.0 proven optimal, 0.01 is 1 %)."
    )
    reporting_currency: str | None = None
    solver: SolverInfo | None = None
    assignments: list[Assignment] = Field(default_factory=list)
    left_out: list[LeftOut] = Field(default_factory=list)
    explanation: list[str] = Field(default_factory=list, description="Why no plan exists, in domain words.")

    @property
    def found(self) -> bool:
        """Whether the plan holds a schedule."""
        return self.status in (Status.optimal, Status.feasible)

    def assignment(self, wp: str) -> Assignment | None:
        return next((a for a in self.assignments if a.work_package == wp), None)


def relative_gap(value: float, bound: float) -> float:
    """|value − bound| / max(|value|, |bound|): 0 when proven optimal, between 0 and 1 otherwise."""
    denom = max(abs(value), abs(bound))
    return 0.0 if denom < 1e-9 else min(1.0, abs(value - bound) / denom)
