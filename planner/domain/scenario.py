"""The scenario: everything a user writes about one planning problem, as strict immutable models.

This module is the single source of truth for the scenario file format; the JSON Schema in
`schema/scenario.schema.json` is generated from it (`planner schema`). Field-level rules live
here; rules that relate several parts of a file (unknown ids, cycles, impossible windows) live
in `planner.problem.validate`, so that every problem in a file is reported together.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

if TYPE_CHECKING:
    from collections.abc import Mapping

SCHEMA_VERSION = 1

# Bounds on numbers and sizes. The CP-SAT model counts money and person-months in hundredths as 64-bit
# integers (planner.problem.scaling), and the share rules multiply money in hundredths by 10,000 more. So
# every amount is bounded where a double holds it exactly in hundredths (below 2^53 ≈ 9.0e15) and the
# program's money as a whole is bounded in the cross-checks (planner.problem.crosscheck._magnitudes);
# every bound is far above any real R&D program. Periods and anything counted in periods stop at the
# longest horizon. Sizes of lists stop where no program comes near, so a file cannot take a server.
MAX_PERIODS = 2400
"""Longest horizon in periods (200 years of months); lags, offsets and durations stop there too."""
MAX_MONEY = 1e12
"""Largest amount of money: a trillion units, 1e14 in hundredths (exact as a double, well inside int64)."""
MAX_PM = 1e6
"""Largest number of person-months (effort, or capacity per period): 1e8 in hundredths."""
MAX_UNITS = 1e6
"""Largest number of facility units per period: 1e8 in hundredths."""
MAX_VALUE = 1e9
"""Largest value of an optional work package: 1e11 in hundredths, 5e15 over 50,000 work packages."""
MIN_RATE, MAX_RATE = 1e-6, 1e6
"""Exchange rates: from a millionth to a million units of the reporting currency (any real currency pair)."""
MAX_WEIGHT = 1e6
"""Largest weight of an objective term in weighted mode."""
MAX_ITEMS = 50_000
"""Most items in a list of the file (work packages, institutions, …); `planner generate` makes up to 20,000."""
MAX_REFS = 1_000
"""Most items in a list or mapping inside one item (predecessors, options, requirements, …)."""
MAX_TEXT = 10_000
"""Longest name, title or note in characters (a description may have ten times as many)."""

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=64),
    Field(
        description=(
            "A short identifier: Latin letters, digits, '-', '_' or '.', starting with a letter or digit "
            "(names and titles may use any script)."
        )
    ),
]
Month = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$"),
    Field(description="A calendar month written YYYY-MM, e.g. 2027-06."),
]
Money = Annotated[
    float, Field(ge=0, le=MAX_MONEY, description="An amount of money in the currency named by the owner.")
]
PersonMonths = Annotated[float, Field(ge=0, le=MAX_PM, description="Person-months.")]
Units = Annotated[float, Field(ge=0, le=MAX_UNITS, description="Facility units per period.")]
Share = Annotated[float, Field(ge=0, le=1, description="A fraction between 0 and 1 (0.65 means 65 %).")]
Level = Annotated[int, Field(ge=1, le=5, description="A competency level from 1 (basic) to 5 (world class).")]
Year = Annotated[int, Field(ge=1900, le=2200, description="A calendar year.")]


class Model(BaseModel):
    """Base of every scenario model: immutable, unknown keys rejected, numbers accepted as ids."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        coerce_numbers_to_str=True,
        use_attribute_docstrings=False,
        allow_inf_nan=False,
        str_max_length=MAX_TEXT,
    )


class PeriodLength(StrEnum):
    """The planning time step."""

    month = "month"
    quarter = "quarter"
    year = "year"

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.value]


class TimeGrid(Model):
    """The planning horizon: a start month and a whole number of periods."""

    start: Month = Field(description="First month of the first period.")
    periods: int = Field(ge=1, le=MAX_PERIODS, description="Length of the horizon in periods.")
    period: PeriodLength = Field(default=PeriodLength.month, description="Length of one period.")


class Country(Model):
    """A side of the program (a country, region or partner)."""

    id: Id
    name: str = Field(description="Display name, in any script.")
    currency: str | None = Field(
        default=None, description="Currency its institutions are paid in by default (e.g. BYN, RUB)."
    )


class Currencies(Model):
    """Money: each amount is in its owner's currency; results are reported in one currency."""

    reporting: str = Field(description="Currency that costs are reported and compared in, e.g. USD.")
    rates: dict[str, dict[Year, Annotated[float, Field(ge=MIN_RATE, le=MAX_RATE)]]] = Field(
        max_length=MAX_REFS,
        default_factory=dict,
        description=(
            "Value of one unit of each currency in the reporting currency, by year. A year that is "
            "not listed uses the nearest listed year. Payments convert at the rate of the year they "
            "fall in (funder caps and shares); costs compared across institutions (the cost "
            "objective, program shares) use each currency's planning rate: the mean of its yearly "
            "rates over the horizon."
        ),
    )


class Competency(Model):
    """A named skill area."""

    id: Id
    name: str = Field(default="", description="Display name.")


class Institution(Model):
    """A university, institute, plant or technopark that can execute work packages."""

    id: Id
    name: str = Field(default="", description="Full name, in any script.")
    country: Id = Field(description="Country the institution belongs to.")
    kind: Literal["university", "institute", "plant", "technopark", "company", "agency", "other"] = Field(
        default="other", description="What sort of institution it is."
    )
    capacity_pm: float = Field(ge=0, le=MAX_PM, description="Person-months the institution can give per period.")
    capacity_pm_by_year: dict[Year, PersonMonths] = Field(
        max_length=MAX_REFS,
        default_factory=dict,
        description="Capacity in person-months per period for the listed years.",
    )
    rate_per_pm: Money = Field(default=0.0, description="Cost of one person-month, in the institution's currency.")
    currency: str | None = Field(default=None, description="Currency of rate_per_pm; default: its country's.")
    competencies: dict[Id, Level] = Field(
        max_length=MAX_REFS, default_factory=dict, description="Competency levels it has."
    )
    note: str = Field(default="", description="Free text.")

    def capacity_in(self, year: int) -> float:
        """Person-months per period in a year: its entry in capacity_pm_by_year, else capacity_pm."""
        return self.capacity_pm_by_year.get(year, self.capacity_pm)


class Facility(Model):
    """A shared resource with a capacity per period (clean room, wind tunnel, test range)."""

    id: Id
    name: str = Field(default="", description="Display name.")
    institution: Id | None = Field(default=None, description="Institution that hosts it, if any.")
    capacity: float = Field(ge=0, le=MAX_UNITS, description="Units available per period.")
    unit: str = Field(default="units", description="What one unit is, e.g. 'hours' or 'test slots'.")


class Funder(Model):
    """A budget with rules: whom it may pay, how much per year and in total, shares between countries."""

    id: Id
    name: str = Field(default="", description="Display name.")
    country: Id | None = Field(default=None, description="Country that owns the budget; null for a joint budget.")
    currency: str | None = Field(default=None, description="Currency of the caps; default: its country's.")
    pays: list[Id] | None = Field(
        max_length=MAX_ITEMS,
        default=None,
        description="Countries whose institutions it may pay; default: its own country.",
    )
    institutions: list[Id] | None = Field(
        max_length=MAX_ITEMS, default=None, description="If given, only these institutions may be paid (within `pays`)."
    )
    total: Money | None = Field(default=None, description="Cap on everything it pays over the horizon.")
    cap_per_year: dict[Year, Money] = Field(
        max_length=MAX_REFS, default_factory=dict, description="Cap on what it pays in each year."
    )
    shares: dict[Id, Share] = Field(
        max_length=MAX_REFS,
        default_factory=dict,
        description="Target share of its spending by country of the paid institution.",
    )
    tolerance: Share = Field(default=0.05, description="Allowed deviation from each share, as a fraction.")


class Program(Model):
    """A thematic group of work packages."""

    id: Id
    name: str = Field(default="", description="Display name, in any script.")
    funders: list[Id] = Field(
        max_length=MAX_REFS, default_factory=list, description="Funders that may pay its work packages."
    )
    due: Month | None = Field(default=None, description="Soft end: lateness of its last work package is penalised.")
    country_shares: dict[Id, Share] = Field(
        max_length=MAX_REFS,
        default_factory=dict,
        description="Target share of the program's cost by country of the executing institution.",
    )
    share_tolerance: Share = Field(default=0.05, description="Allowed deviation from each country share.")
    max_institution_share: Share | None = Field(
        default=None, description="No single institution may take more than this share of the program's cost."
    )


class DependencyType(StrEnum):
    """How a work package waits for another."""

    finish_to_start = "FS"
    start_to_start = "SS"


class Dependency(Model):
    """A predecessor: a work package or an overlap group (then whichever member is done)."""

    id: Id = Field(description="Work package or overlap group that must come first.")
    lag: int = Field(
        default=0, ge=0, le=MAX_PERIODS, description="Extra periods to wait after the predecessor's finish (or start)."
    )
    type: DependencyType = Field(default=DependencyType.finish_to_start, description="FS or SS.")


class DurationRange(Model):
    """A duration that the optimizer may choose, in periods."""

    min: int = Field(ge=1, le=MAX_PERIODS, description="Shortest duration in periods.")
    max: int = Field(ge=1, le=MAX_PERIODS, description="Longest duration in periods.")

    @model_validator(mode="after")
    def _ordered(self) -> DurationRange:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min})")
        return self


Duration = Annotated[int, Field(ge=0, le=MAX_PERIODS)] | DurationRange


class Deliverable(Model):
    """A result of a work package, delivered at its end or a number of periods after its start."""

    id: Id
    title: str = Field(default="", description="What is delivered.")
    offset: int | None = Field(
        default=None, ge=0, le=MAX_PERIODS, description="Periods after the work package's start; default: at its end."
    )
    due: Month | None = Field(default=None, description="Hard date: the deliverable must be delivered by this month.")


class ExecutionOption(Model):
    """One explicit way to run a work package (a 'mode'); replaces the options generated from competencies."""

    id: Id
    institution: Id | None = Field(default=None, description="Who executes it; null for work with no institution.")
    duration: Duration | None = Field(default=None, description="Periods it takes; default: the work package's.")
    effort_pm: float | None = Field(
        default=None, ge=0, le=MAX_PM, description="Person-months; default: the work package's."
    )
    cost: Money | None = Field(
        default=None, description="Cost in the institution's currency; default: effort × the institution's rate."
    )
    facilities: dict[Id, Units] | None = Field(
        max_length=MAX_REFS, default=None, description="Facility units used per period; default: the work package's."
    )
    funding: dict[Id, Money] | None = Field(
        max_length=MAX_REFS,
        default=None,
        description=(
            "Fixed draws on funders (amount in the funder's currency). When given, these replace the "
            "usual payment of the institution's cost by one eligible funder."
        ),
    )


class WorkPackage(Model):
    """A unit of R&D work."""

    id: Id
    program: Id = Field(description="Program it belongs to.")
    title: str = Field(default="", description="Short title, in any script.")
    description: str = Field(
        default="", max_length=10 * MAX_TEXT, description="What the work is and what it delivers, in any script."
    )
    keywords: list[Annotated[str, StringConstraints(max_length=100)]] = Field(
        max_length=MAX_REFS,
        default_factory=list,
        description="Free keywords in any script (e.g. GaN, HEMT, пассивация); `planner duplicates` compares them.",
    )
    proposed_by: Id | None = Field(
        default=None,
        description=(
            "Institution (or country) that proposed it: work proposed by different sides is what "
            "`planner duplicates` compares."
        ),
    )
    requires: dict[Id, Level] = Field(
        max_length=MAX_REFS, default_factory=dict, description="Required competencies and minimum levels."
    )
    effort_pm: float = Field(default=0.0, ge=0, le=MAX_PM, description="Effort in person-months.")
    duration: Duration = Field(default=1, description="Periods it takes: a number, or {min, max} to choose from.")
    earliest_start: Month | None = Field(default=None, description="It may not start before this month.")
    deadline: Month | None = Field(default=None, description="Hard: it must be finished by the end of this month.")
    due: Month | None = Field(default=None, description="Soft: finishing after the end of this month is penalised.")
    after: list[Id | Dependency] = Field(
        max_length=MAX_REFS,
        default_factory=list,
        description="Predecessors: ids, or {id, lag, type} for a lag or start-to-start.",
    )
    value: float = Field(default=0.0, ge=0, le=MAX_VALUE, description="Value of doing an optional work package.")
    mandatory: bool = Field(default=True, description="Mandatory work packages are always selected.")
    facilities: dict[Id, Units] = Field(
        max_length=MAX_REFS, default_factory=dict, description="Facility units it uses per period while it runs."
    )
    options: list[ExecutionOption] = Field(
        max_length=MAX_REFS,
        default_factory=list,
        description="Explicit execution options; default: one per competent institution.",
    )
    deliverables: list[Deliverable] = Field(
        max_length=MAX_REFS, default_factory=list, description="Deliverables and milestones."
    )
    note: str = Field(default="", description="Free text.")

    @cached_property
    def dependencies(self) -> list[Dependency]:
        """Predecessors with the shorthand form expanded (computed once; equality and dumps ignore it)."""
        return [Dependency(id=d) if isinstance(d, str) else d for d in self.after]

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy whose predecessors follow a changed `after` (a copy would otherwise carry the cached ones along);
        `dependencies` given in `update` are kept as given (what-if edits of the expanded form)."""
        copy = super().model_copy(update=update, deep=deep)
        if update and "after" in update and "dependencies" not in update:
            copy.__dict__.pop("dependencies", None)
        return copy


class OverlapGroup(Model):
    """Work packages proposed separately that describe the same work: at most one is done."""

    id: Id
    members: list[Id] = Field(max_length=MAX_REFS, min_length=2, description="The work packages that overlap.")
    required: bool = Field(default=False, description="If true, exactly one member must be done.")
    note: str = Field(default="", description="Why they overlap.")


class PriorResult(Model):
    """An R&D product an institution already has that shortens or cheapens a work package for it."""

    institution: Id
    work_package: Id
    effort_factor: float = Field(default=1.0, gt=0, le=1, description="Multiplies the effort (0.6 = 40 % less).")
    cost_factor: float = Field(default=1.0, gt=0, le=1, description="Multiplies the cost on top of the effort saving.")
    note: str = Field(default="", description="What the prior result is.")


class Pin(Model):
    """A decision fixed by people: this work package is done, here and/or then."""

    work_package: Id
    institution: Id | None = Field(default=None, description="It must be executed by this institution.")
    option: Id | None = Field(default=None, description="It must use this execution option.")
    start: Month | None = Field(default=None, description="It must start in this month.")
    note: str = Field(default="", description="Why.")


class Forbid(Model):
    """A decision excluded by people: this work package never at this institution."""

    work_package: Id
    institution: Id
    note: str = Field(default="", description="Why.")


class Term(StrEnum):
    """Objective terms. Each is reported in its natural sense; the optimizer minimises all but value."""

    value = "value"
    lateness = "lateness"
    cost = "cost"
    makespan = "makespan"
    balance = "balance"
    fit = "fit"
    collaboration = "collaboration"


TERM_MEANING: dict[Term, str] = {
    Term.value: "total value of the selected optional work packages (maximised)",
    Term.lateness: "periods late against soft due dates of work packages and programs, summed",
    Term.cost: "total cost in the reporting currency",
    Term.makespan: "period in which the last work package finishes",
    Term.balance: "largest effort in person-months given to one institution",
    Term.fit: "competency levels missing to the top level (5) over selected work, summed",
    Term.collaboration: "programs × countries with no work in that program",
}


class Objective(Model):
    """What makes one plan better than another."""

    priorities: list[Term] = Field(
        default_factory=lambda: [Term.value, Term.lateness, Term.cost],
        min_length=1,
        description="Terms in order of importance.",
    )
    mode: Literal["lexicographic", "weighted"] = Field(
        default="lexicographic",
        description="lexicographic: each term is optimised before the next; weighted: one weighted sum.",
    )
    weights: dict[Term, Annotated[float, Field(ge=0, le=MAX_WEIGHT)]] = Field(
        default_factory=dict, description="Weights per term in weighted mode (default 1)."
    )

    @field_validator("priorities")
    @classmethod
    def _unique(cls, v: list[Term]) -> list[Term]:
        seen = [t for i, t in enumerate(v) if t in v[:i]]
        if seen:
            raise ValueError(f"term '{seen[0]}' is listed twice")
        return v


class Scenario(Model):
    """One complete planning problem."""

    schema_version: Literal[1] = Field(description="Version of the scenario format; this is version 1.")
    name: str = Field(description="Name of the scenario, in any script.")
    description: str = Field(default="", max_length=10 * MAX_TEXT, description="Free text.")
    time: TimeGrid
    currencies: Currencies | None = Field(default=None, description="Currencies and exchange rates.")
    countries: list[Country] = Field(max_length=MAX_ITEMS, min_length=1)
    competencies: list[Competency] = Field(max_length=MAX_ITEMS, default_factory=list)
    institutions: list[Institution] = Field(max_length=MAX_ITEMS, default_factory=list)
    facilities: list[Facility] = Field(max_length=MAX_ITEMS, default_factory=list)
    funders: list[Funder] = Field(max_length=MAX_ITEMS, default_factory=list)
    programs: list[Program] = Field(max_length=MAX_ITEMS, min_length=1)
    work_packages: list[WorkPackage] = Field(max_length=MAX_ITEMS, min_length=1)
    overlap_groups: list[OverlapGroup] = Field(max_length=MAX_ITEMS, default_factory=list)
    prior_results: list[PriorResult] = Field(max_length=MAX_ITEMS, default_factory=list)
    pins: list[Pin] = Field(max_length=MAX_ITEMS, default_factory=list)
    forbids: list[Forbid] = Field(max_length=MAX_ITEMS, default_factory=list)
    objective: Objective = Field(default_factory=Objective)


def scenario_digest(scenario: Scenario) -> str:
    """SHA-256 of a scenario's content (independent of comments and formatting); no solver needed."""
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()
