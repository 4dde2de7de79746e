"""What the app may say about a plan: checked against the scenario open now, never taken on its own word.

A plan in the session may be uploaded (a baseline from git), cut short by Stop, or solved before the
scenario was edited. Before a plan is shown, compared or downloaded, it is judged against the current
scenario (`planner.report.verdict`, shared with the report); `Verdict.status` is then the only status
label the pages show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.i18n import DEFAULT, t
from planner.problem.prepared import prepare
from planner.report.verdict import Verdict, judge

if TYPE_CHECKING:
    from collections.abc import Hashable

    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario
    from planner.ui.figures import FigureCache

__all__ = ["Verdict", "eligible_institutions", "explanation_markdown", "judge", "judged"]


def judged(cache: FigureCache, scenario: Scenario, plan: Plan) -> Verdict:
    """`judge`, once per plan and scenario object (reruns of a page reuse the verdict)."""
    view: Hashable = ("verdict", id(scenario))
    verdict = cache.get(plan, view, lambda: judge(scenario, plan))
    if verdict.scenario is not scenario:  # another scenario object at a freed address
        verdict = judge(scenario, plan)
    return verdict


def explanation_markdown(lines: list[str], lang: str = DEFAULT) -> str:
    """Why no plan exists as one Markdown list: the explainer's `- rule` lines nest under the line before them,
    and its headings are in the app's language (the rules are scenario content, shown as the explainer wrote them)."""
    from planner.diagnose.conflict import HEADINGS

    out = []
    for line in lines:
        if line.startswith("- "):
            out.append(f"    - {line[2:]}")
        else:
            key = HEADINGS.get(line)
            out.append(f"- {t(key, lang) if key else line}")
    return "\n".join(out)


def eligible_institutions(scenario: Scenario, work_package: str) -> list[str]:
    """Institutions a work package may be pinned at (or forbidden at): those with an execution option for it (the
    competencies it requires, or an explicit option) and not forbidden there, in file order."""
    problem = prepare(scenario)
    if work_package not in problem.work_packages:
        return []
    able = {o.institution for o in problem.options(work_package)} - problem.forbidden.get(work_package, frozenset())
    return [i.id for i in scenario.institutions if i.id in able]
