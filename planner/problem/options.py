"""Execution options: the ways each work package can be run (the 'modes' of multi-mode scheduling).

Options are either given explicitly in the scenario or generated from competencies: one per
institution that has every required competency at the required level, with effort and cost
adjusted by that institution's prior results. The builder and the checker both read options
from here, so they agree on what an option is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from planner.domain.scenario import DurationRange, ExecutionOption, Institution, Scenario, WorkPackage

if TYPE_CHECKING:
    from collections.abc import Mapping

    from planner.problem.money import Money

MAX_DURATION_CHOICES = 7
"""A duration range is offered to the optimizer as at most this many evenly spread durations."""


@dataclass(frozen=True)
class Option:
    """One way to run a work package."""

    work_package: str
    id: str
    institution: str | None
    min_duration: int
    max_duration: int
    effort_pm: float
    cost: float
    currency: str | None
    facilities: dict[str, float] = field(default_factory=dict)
    funding: dict[str, float] | None = None
    generated: bool = True

    def allows(self, duration: int) -> bool:
        """Whether the option may run for this many periods."""
        return self.min_duration <= duration <= self.max_duration

    @cached_property
    def durations(self) -> tuple[int, ...]:
        """Durations offered to the optimizer: all in the range, or an even spread of them."""
        lo, hi = self.min_duration, self.max_duration
        if hi - lo + 1 <= MAX_DURATION_CHOICES:
            return tuple(range(lo, hi + 1))
        n = MAX_DURATION_CHOICES - 1
        return tuple(sorted({lo + round(i * (hi - lo) / n) for i in range(n + 1)}))

    def load_pm(self, duration: int) -> float:
        """Person-months per period when run for `duration` periods (effort spread evenly)."""
        return self.effort_pm / duration if duration > 0 else 0.0


def duration_bounds(duration: int | DurationRange | None, default: tuple[int, int]) -> tuple[int, int]:
    """(min, max) of a duration field."""
    if duration is None:
        return default
    if isinstance(duration, DurationRange):
        return duration.min, duration.max
    return duration, duration


class Catalogue:
    """All execution options of a scenario, by work package, plus lookups they need."""

    def __init__(self, scenario: Scenario, money: Money, institutions: Mapping[str, Institution]) -> None:
        self.scenario = scenario
        self.money = money
        self.institutions = institutions
        self.prior = {(p.institution, p.work_package): p for p in scenario.prior_results}
        self._having: dict[str, list[Institution]] = {}
        for inst in scenario.institutions:
            for competency in inst.competencies:
                self._having.setdefault(competency, []).append(inst)
        self.by_wp: dict[str, list[Option]] = {wp.id: self._options(wp) for wp in scenario.work_packages}
        self._by_id = {(o.work_package, o.id): o for options in self.by_wp.values() for o in options}

    def currency_of(self, institution: Institution) -> str | None:
        """Currency an institution's rate is in."""
        return institution.currency or self.money.country_currency.get(institution.country)

    def option(self, wp: str, option_id: str) -> Option | None:
        """An option by work package and id, or None."""
        return self._by_id.get((wp, option_id))

    def _options(self, wp: WorkPackage) -> list[Option]:
        if wp.options:
            return [self._explicit(wp, o) for o in wp.options]
        return [self._generated(wp, inst) for inst in self._able(wp) if competent(inst, wp)]

    def _able(self, wp: WorkPackage) -> list[Institution]:
        """Institutions that have the work package's rarest required competency at all, in scenario order."""
        if not wp.requires:
            return list(self.scenario.institutions)
        rarest = min(wp.requires, key=lambda c: len(self._having.get(c, ())))
        return self._having.get(rarest, [])

    def _priced(self, wp: WorkPackage, inst: Institution | None, effort: float | None) -> tuple[float, float]:
        """(effort, cost) for an institution, with its prior result applied."""
        prior = self.prior.get((inst.id, wp.id)) if inst else None
        base = wp.effort_pm if effort is None else effort
        adj = base * (prior.effort_factor if prior and effort is None else 1.0)
        rate = inst.rate_per_pm if inst else 0.0
        return adj, adj * rate * (prior.cost_factor if prior else 1.0)

    def _generated(self, wp: WorkPackage, inst: Institution) -> Option:
        lo, hi = duration_bounds(wp.duration, (1, 1))
        effort, cost = self._priced(wp, inst, None)
        return Option(
            work_package=wp.id,
            id=inst.id,
            institution=inst.id,
            min_duration=lo,
            max_duration=hi,
            effort_pm=effort,
            cost=cost,
            currency=self.currency_of(inst),
            facilities=dict(wp.facilities),
        )

    def _explicit(self, wp: WorkPackage, opt: ExecutionOption) -> Option:
        inst = self.institutions.get(opt.institution) if opt.institution else None
        lo, hi = duration_bounds(opt.duration, duration_bounds(wp.duration, (1, 1)))
        effort, cost = self._priced(wp, inst, opt.effort_pm)
        return Option(
            work_package=wp.id,
            id=opt.id,
            institution=opt.institution,
            min_duration=lo,
            max_duration=hi,
            effort_pm=effort,
            cost=cost if opt.cost is None else opt.cost,
            currency=self.currency_of(inst) if inst else None,
            facilities=dict(wp.facilities if opt.facilities is None else opt.facilities),
            funding=dict(opt.funding) if opt.funding is not None else None,
            generated=False,
        )


def competent(inst: Institution, wp: WorkPackage) -> bool:
    """Whether an institution has every competency the work package requires, at the level required."""
    return all(inst.competencies.get(c, 0) >= lvl for c, lvl in wp.requires.items())
