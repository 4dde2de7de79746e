"""A plan judged against a scenario: checked by the independent checker, never taken on its own word.

A plan may be uploaded (a baseline from git), cut short by Stop, or solved before the scenario was
edited. Its status ("optimal", "feasible") and gap describe the scenario it was made for, if they are
true at all. `judge` runs the independent checker against the scenario given; `Verdict.status` is then
the only status label the app and the report show: a plan that breaks a rule is never called feasible,
and a plan made for another version is not called optimal for this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.check import check_plan
from planner.domain.scenario import scenario_digest
from planner.i18n import percent, t
from planner.problem.prepared import prepare

if TYPE_CHECKING:
    from planner.check import Violation
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario


@dataclass(frozen=True)
class Verdict:
    """A plan checked against one scenario: the rules it breaks there, and whether it was made for it."""

    scenario: Scenario
    plan: Plan
    violations: tuple[Violation, ...]
    same_version: bool  # made for this scenario's content (its digest)
    priceable: bool  # every assignment names a work package and option the scenario has (its charts can be drawn)

    @property
    def valid(self) -> bool:
        """A schedule that keeps every hard rule of the scenario."""
        return self.plan.found and not self.violations

    @property
    def trusted(self) -> bool:
        """The plan's own status and gap hold for this scenario: valid and made for this version."""
        return self.valid and self.same_version

    def status(self, lang: str = "en") -> str:
        """The status label to show: the solver's word only when it still holds."""
        if self.violations:
            return t("verdict.breaks", lang, n=len(self.violations))
        if self.plan.found and not self.same_version:
            return t("verdict.valid_other_version", lang)
        return t(f"kpi.status.{self.plan.status.value}", lang)

    def gap(self, lang: str = "en") -> str:
        """The gap to show: '—' unless the plan's own gap holds for this scenario."""
        if not self.trusted or self.plan.gap is None:
            return "—"
        return percent(self.plan.gap, lang, decimals=2)

    def flagged(self) -> dict[str, str]:
        """Work packages named by a violation, with what they break (for marks on the Gantt)."""
        out: dict[str, list[str]] = {}
        for v in self.violations:
            if v.work_package is not None:
                out.setdefault(v.work_package, []).append(str(v))
        return {wp: "; ".join(messages) for wp, messages in out.items()}

    def lines(self, lang: str = "en") -> list[str]:
        """One line per broken rule, named in the language (the detail is the checker's)."""
        return [
            t("verdict.line", lang, rule=t(f"rule.{v.rule.value}", lang), message=v.message) for v in self.violations
        ]


def judge(scenario: Scenario, plan: Plan) -> Verdict:
    """Check a plan against a scenario (the one open now) with the independent checker."""
    problem = prepare(scenario)
    violations = tuple(check_plan(problem, plan))
    priceable = all(
        a.work_package in problem.work_packages and problem.option(a.work_package, a.option) is not None
        for a in plan.assignments
    )
    return Verdict(scenario, plan, violations, plan.scenario_digest == scenario_digest(scenario), priceable)
