"""What a scenario holds, at a glance: programs, institutions by country, funders, overlap groups, horizon.

`summarize` reads a validated scenario into small frozen records (no solving); `summary_tables`
lays them out as pandas DataFrames for the app and reports. Column names are stable snake_case
ids, as in `planner.tables`; `planner.tables.labelled(df, lang)` turns them into headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from planner.problem.prepared import prepare

if TYPE_CHECKING:
    import pandas as pd

    from planner.domain.scenario import Scenario


@dataclass(frozen=True)
class Horizon:
    """The planning horizon."""

    first_month: str
    last_month: str
    periods: int
    period: str  # month, quarter or year
    years: tuple[int, ...]


@dataclass(frozen=True)
class ProgramSummary:
    """One program: its work packages, their effort and who may pay for them."""

    id: str
    name: str
    work_packages: int
    mandatory: int
    effort_pm: float
    funders: tuple[str, ...]


@dataclass(frozen=True)
class InstitutionSummary:
    """One institution, with its capacity per period (the base figure; some years may differ)."""

    id: str
    name: str
    kind: str
    capacity_pm: float


@dataclass(frozen=True)
class CountrySummary:
    """One partner country and the institutions that belong to it."""

    id: str
    name: str
    institutions: tuple[InstitutionSummary, ...]
    capacity_pm: float  # person-months per period of all its institutions (base figures)
    capacity_pm_by_year: dict[int, float] = field(default_factory=dict)  # the same, in each year of the horizon


@dataclass(frozen=True)
class OverlapSummary:
    """Work packages that describe the same work: at most one is done (exactly one if required)."""

    id: str
    members: tuple[str, ...]
    required: bool
    note: str


@dataclass(frozen=True)
class FunderSummary:
    """A budget and its caps, in its own currency."""

    id: str
    name: str
    country: str | None  # None for a joint budget
    currency: str | None
    pays: tuple[str, ...]  # countries whose institutions it may pay
    total: float | None
    cap_per_year: dict[int, float]
    shares: dict[str, float]


@dataclass(frozen=True)
class Summary:
    """A scenario at a glance."""

    name: str
    horizon: Horizon
    programs: tuple[ProgramSummary, ...]
    countries: tuple[CountrySummary, ...]
    work_packages: int
    overlap_groups: tuple[OverlapSummary, ...]
    funders: tuple[FunderSummary, ...]

    @property
    def institutions(self) -> int:
        return sum(len(c.institutions) for c in self.countries)

    @property
    def mandatory(self) -> int:
        return sum(p.mandatory for p in self.programs)

    @property
    def effort_pm(self) -> float:
        return sum(p.effort_pm for p in self.programs)


def summarize(scenario: Scenario) -> Summary:
    """The scenario's programs, institutions by country, funders, overlap groups and horizon."""
    problem = prepare(scenario)
    cal, money = problem.calendar, problem.money
    years = tuple(cal.years)
    return Summary(
        name=scenario.name,
        horizon=Horizon(
            first_month=cal.start_month(0),
            last_month=cal.last_month(cal.horizon),
            periods=cal.horizon,
            period=scenario.time.period.value,
            years=years,
        ),
        programs=tuple(_program(scenario, p.id, p.name, tuple(p.funders)) for p in scenario.programs),
        countries=tuple(_country(scenario, c.id, c.name, years) for c in scenario.countries),
        work_packages=len(scenario.work_packages),
        overlap_groups=tuple(
            OverlapSummary(g.id, tuple(g.members), g.required, g.note) for g in scenario.overlap_groups
        ),
        funders=tuple(
            FunderSummary(
                id=f.id,
                name=f.name,
                country=f.country,
                currency=money.funder_currency[f.id],
                pays=tuple(problem.payee_countries(f.id)),
                total=f.total,
                cap_per_year=dict(f.cap_per_year),
                shares=dict(f.shares),
            )
            for f in scenario.funders
        ),
    )


def _program(scenario: Scenario, pid: str, name: str, funders: tuple[str, ...]) -> ProgramSummary:
    wps = [w for w in scenario.work_packages if w.program == pid]
    return ProgramSummary(
        id=pid,
        name=name,
        work_packages=len(wps),
        mandatory=sum(w.mandatory for w in wps),
        effort_pm=sum(w.effort_pm for w in wps),
        funders=funders,
    )


def _country(scenario: Scenario, cid: str, name: str, years: tuple[int, ...]) -> CountrySummary:
    members = [i for i in scenario.institutions if i.country == cid]
    return CountrySummary(
        id=cid,
        name=name,
        institutions=tuple(InstitutionSummary(i.id, i.name, i.kind, i.capacity_pm) for i in members),
        capacity_pm=sum(i.capacity_pm for i in members),
        # a year without its own figure uses the base capacity, as the solver and the checker do
        capacity_pm_by_year={y: sum(i.capacity_in(y) for i in members) for y in years},
    )


def summary_tables(summary: Summary) -> dict[str, pd.DataFrame]:
    """Tables for display, by name: programs, countries, institutions, overlap_groups, funders."""
    import pandas as pd

    def joined(items: tuple[str, ...] | list[str]) -> str:
        return ", ".join(items)

    def money_by_key(table: dict[int, float] | dict[str, float]) -> str:
        return ", ".join(f"{k}: {v:,.0f}" for k, v in table.items())

    return {
        "programs": pd.DataFrame(
            [
                {
                    "program": p.id,
                    "name": p.name,
                    "work_packages": p.work_packages,
                    "mandatory": p.mandatory,
                    "effort_pm": p.effort_pm,
                    "funders": joined(p.funders),
                }
                for p in summary.programs
            ],
            columns=["program", "name", "work_packages", "mandatory", "effort_pm", "funders"],
        ),
        "countries": pd.DataFrame(
            [
                {
                    "country": c.id,
                    "name": c.name,
                    "institutions": len(c.institutions),
                    "capacity_pm": c.capacity_pm,
                    **{str(y): v for y, v in c.capacity_pm_by_year.items()},
                }
                for c in summary.countries
            ],
            columns=["country", "name", "institutions", "capacity_pm", *(str(y) for y in summary.horizon.years)],
        ),
        "institutions": pd.DataFrame(
            [
                {"country": c.id, "institution": i.id, "name": i.name, "kind": i.kind, "capacity_pm": i.capacity_pm}
                for c in summary.countries
                for i in c.institutions
            ],
            columns=["country", "institution", "name", "kind", "capacity_pm"],
        ),
        "overlap_groups": pd.DataFrame(
            [
                {"overlap_group": g.id, "members": joined(g.members), "required": g.required, "note": g.note}
                for g in summary.overlap_groups
            ],
            columns=["overlap_group", "members", "required", "note"],
        ),
        "funders": pd.DataFrame(
            [
                {
                    "funder": f.id,
                    "name": f.name,
                    "country": f.country or "",
                    "currency": f.currency or "",
                    "pays": joined(f.pays),
                    "total": f.total,
                    "cap_per_year": money_by_key(f.cap_per_year),
                    "shares": ", ".join(f"{k}: {v:.0%}" for k, v in f.shares.items()),
                }
                for f in summary.funders
            ],
            columns=["funder", "name", "country", "currency", "pays", "total", "cap_per_year", "shares"],
        ),
    }
