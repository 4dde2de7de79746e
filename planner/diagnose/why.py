"""Why this plan (issue 18 item 2): per work package what binds it, its float and what doing it elsewhere would cost;
for the whole plan the room each rule family leaves and the most constrained work packages.

`why_plan` and `why_work_package` return data (the reasons with their numbers, the timing, the alternatives with each
priority's change); `lines(lang)` tells it in English or Russian. What binds a work package is arithmetic on the plan
(`planner.diagnose.binding`), its float and critical path come from `planner.diagnose.timing`, and the cost of
forcing it elsewhere from bounded re-solves (`planner.diagnose.alternatives`), which take seconds: a `WhyCache`
keeps the answers by scenario content, plan content and work package, so the app asks once per plan.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.diagnose.alternatives import BUDGET_S, Alternative, Outcome, alternatives
from planner.diagnose.binding import Fraction, Phrase, Quantity, Reason, Slack, Snapshot, reasons, slack
from planner.diagnose.timing import plan_timing
from planner.domain.rules import Rule
from planner.domain.scenario import scenario_digest
from planner.i18n import number, t
from planner.problem.prepared import prepare

if TYPE_CHECKING:
    from collections.abc import Callable

    from planner.diagnose.timing import Timing, WpTiming
    from planner.domain.plan import Assignment, Plan
    from planner.domain.scenario import Scenario
    from planner.domain.settings import SolverSettings
    from planner.problem.prepared import PreparedProblem

CONSTRAINED = 10
"""Work packages listed as the most constrained in a plan's summary."""
SLACK_SHOWN = 5
"""Entries of each rule family told in a plan's summary (the tightest; the data holds them all)."""


@dataclass(frozen=True)
class WpWhy:
    """Why a work package is where the plan has it: the reasons with their numbers, its timing, and the alternatives
    (None when they were not computed)."""

    work_package: str
    title: str
    assignment: Assignment | None
    left_out: str | None
    reasons: tuple[Reason, ...]
    timing: WpTiming | None
    alternatives: tuple[Alternative, ...] | None
    priorities: tuple[str, ...]
    reporting_currency: str | None = None

    @property
    def binding(self) -> list[Reason]:
        return [r for r in self.reasons if r.binding]

    @property
    def context(self) -> list[Reason]:
        return [r for r in self.reasons if not r.binding]

    def headline(self, lang: str = "en") -> str:
        a = self.assignment
        if a is None:
            return t("why.head.left_out", lang, wp=self.work_package, title=self.title, reason=self.left_out or "")
        return t(
            "why.head.wp",
            lang,
            wp=self.work_package,
            title=self.title,
            institution=a.institution or "—",
            start=a.start_month,
            end=a.end_month,
        )

    def lines(self, lang: str = "en") -> list[str]:
        """The whole answer as text: what binds it, the rules around it, and the cost of each alternative."""
        out = [self.headline(lang)]
        if self.assignment is None:
            return out
        binding = self.binding
        out.append(t("why.head.binds" if binding else "why.head.nothing_binds", lang))
        out += [f"- {r.text(lang)}" for r in binding]
        if self.context:
            out.append(t("why.head.context", lang))
            out += [f"- {r.text(lang)}" for r in self.context]
        if self.alternatives is not None:
            out += alternative_lines(self, lang)
        return out


@dataclass(frozen=True)
class PlanWhy:
    """The room each rule family leaves in a plan, and its most constrained work packages (without alternatives)."""

    slack: tuple[Slack, ...]
    constrained: tuple[WpWhy, ...]
    timing: Timing

    def lines(self, lang: str = "en", shown: int = SLACK_SHOWN) -> list[str]:
        out = [t("why.head.slack", lang)]
        for rule in dict.fromkeys(x.rule for x in self.slack):
            family = [x for x in self.slack if x.rule is rule]
            out.append(t(f"why.family.{rule.value}", lang, n=len(family)))
            out += [f"- {x.text(lang)}" for x in family[:shown]]
            if len(family) > shown:
                out.append(t("why.more", lang, n=len(family) - shown))
        out.append(t("why.head.constrained" if self.constrained else "why.head.none_constrained", lang))
        for w in self.constrained:
            out.append(f"- {w.headline(lang)}: " + "; ".join(r.text(lang) for r in w.binding))
        return out


def alternative_lines(w: WpWhy, lang: str = "en") -> list[str]:
    """The alternatives of a work package as a heading and one line each."""
    alts = w.alternatives or ()
    if not alts:
        return [t("why.head.no_alternatives", lang)]
    out = [t("why.head.alternatives", lang)]
    for x in alts:
        if x.outcome is not Outcome.found:
            out.append(f"- {t(f'why.alt.{x.outcome.value}', lang, institution=x.institution)}")
            continue
        changes = [delta_text(term, d, w.reporting_currency, lang) for term, d in x.deltas if d]
        what = ", ".join(changes) if changes else t("why.alt.same", lang)
        how = t("why.alt.proven" if x.proven else "why.alt.bound", lang)
        where = (
            t("why.alt.alone", lang, start=x.start_month, end=x.end_month)
            if x.alone
            else t("why.alt.moved", lang, start=x.start_month, end=x.end_month, n=len(x.moved), wps=_few(x.moved))
        )
        out.append(f"- {t('why.alt.found', lang, institution=x.institution, deltas=what, how=how, where=where)}")
    return out


def _few(ids: tuple[str, ...], most: int = 8) -> str:
    return ", ".join(ids[:most]) + (" …" if len(ids) > most else "")


UNITS = {"cost": None, "balance": "why.unit.pm", "lateness": "why.unit.periods", "makespan": "why.unit.periods"}
"""The unit each objective term's change is told in (cost: the reporting currency; the rest have none)."""


def delta_text(term: str, delta: float, currency: str | None, lang: str = "en") -> str:
    """'cost +12,300 USD', 'largest institution effort −2.0 PM': a term's change with its sign and unit."""
    return t("why.alt.delta", lang, term=t(f"kpi.term.{term}", lang), delta=signed(term, delta, currency, lang))


def signed(term: str, delta: float, currency: str | None, lang: str = "en") -> str:
    """A term's change with its sign and unit: '+12,300 USD', '−2.0 PM', '0'."""
    if not delta:
        return "0"
    digits = number(abs(delta), lang, decimals=1 if term == "balance" else 0)
    key = UNITS.get(term)
    unit = currency if term == "cost" else t(key, lang) if key else None
    return ("+" if delta > 0 else "−") + digits + (f" {unit}" if unit else "")


# ---------------------------------------------------------------- timing as reasons


def timing_reasons(p: PreparedProblem, timing: Timing, wp: str) -> list[Reason]:
    """Its float, or the critical path it is on and the limit that path ends at."""
    w = timing.wps.get(wp)
    if w is None:
        return []
    cal = p.calendar
    if not w.critical:
        months = cal.start_month(w.latest_start)
        return [
            Reason(
                Rule.precedence,
                "float",
                (("n", w.total_float), ("month", months), ("free", w.free_float)),
                binding=False,
            )
        ]
    path = next((x for x in timing.critical_paths if wp in x), (wp,))
    end = timing.wps[path[-1]]
    limit = _limit(p, timing, end)
    if len(path) == 1:  # no chain: its own limit holds it (a pinned start, its deadline, the plan's end)
        return [Reason(Rule.precedence, "critical_alone", (("limit", limit),))]
    return [Reason(Rule.precedence, "critical", (("path", " → ".join(path)), ("limit", limit)))]


def _limit_rank(name: str) -> int:
    """Which of several limits that bind together to name: a hard one before a soft one, the completion last."""
    kind = name.split(":", 1)[0]
    order = ("deadline", "deliverable", "pin", "due", "program_due", "completion")
    return order.index(kind) if kind in order else len(order)


def _limit(p: PreparedProblem, timing: Timing, end: WpTiming) -> Phrase:
    """The own limit that stops the last work package of a critical path from slipping, in words."""
    cal, wp = p.calendar, p.work_packages[end.wp]
    name = min(end.limits, key=_limit_rank, default="completion")
    if name == "deadline" and wp.deadline:
        return Phrase("why.limit.deadline", (("wp", wp.id), ("month", wp.deadline)))
    if name == "due" and wp.due:
        return Phrase("why.limit.due", (("wp", wp.id), ("month", wp.due)))
    if name == "program_due":
        program = p.programs[wp.program]
        return Phrase("why.limit.program_due", (("program", program.id), ("month", program.due or "")))
    if name.startswith("deliverable:"):
        deliverable = name.split(":", 1)[1]
        due = next((d.due for d in wp.deliverables if d.id == deliverable and d.due), "")
        return Phrase("why.limit.deliverable", (("wp", wp.id), ("deliverable", deliverable), ("month", due)))
    if name == "pin":
        return Phrase("why.limit.pin", (("wp", wp.id), ("month", cal.start_month(end.start))))
    return Phrase("why.limit.completion", (("month", cal.last_month(timing.horizon_end)),))


# ---------------------------------------------------------------- the answers


def why_plan(scenario: Scenario | PreparedProblem, plan: Plan, most: int = CONSTRAINED) -> PlanWhy:
    """The room each rule family leaves in the plan (tightest first) and its `most` most constrained work packages."""
    p = prepare(scenario)
    snap = Snapshot(p, plan)
    timing = plan_timing(p, plan)
    answers = [_answer(p, snap, timing, w, None) for w in snap.assignments]
    ranked = sorted((a for a in answers if a.binding), key=lambda a: (-len(a.binding), p.order[a.work_package]))
    return PlanWhy(slack=tuple(slack(snap)), constrained=tuple(ranked[:most]), timing=timing)


def why_work_package(
    scenario: Scenario,
    plan: Plan,
    wp: str,
    settings: SolverSettings | None = None,
    budget_s: float = BUDGET_S,
    with_alternatives: bool = True,
    cache: WhyCache | None = None,
) -> WpWhy:
    """Why the plan does `wp` where and when it does: what binds it, its float and (with `with_alternatives`) the cost
    of forcing it to each other institution that could do it, from re-solves of `budget_s` seconds in all.

    Raises ValueError for a work package the scenario does not have. With a `cache`, an answer computed before for
    the same scenario content, plan and settings is handed back at once.
    """
    p = prepare(scenario)
    if wp not in p.work_packages:
        raise ValueError(f"unknown work package '{wp}' (known: {', '.join(p.work_packages)})")

    def make() -> WpWhy:
        snap = Snapshot(p, plan)
        alts = alternatives(scenario, plan, wp, settings, budget_s) if with_alternatives else None
        return _answer(p, snap, plan_timing(p, plan), wp, alts)

    if cache is None:
        return make()
    return cache.get(cache.key(scenario, plan, wp, settings, budget_s, with_alternatives), make)


def _answer(p: PreparedProblem, snap: Snapshot, timing: Timing, wp: str, alts: list[Alternative] | None) -> WpWhy:
    w = p.work_packages[wp]
    a = snap.assignments.get(wp)
    left = next((x.reason for x in snap.plan.left_out if x.work_package == wp), None)
    found = reasons(snap, wp) + (timing_reasons(p, timing, wp) if a else [])
    return WpWhy(
        work_package=wp,
        title=w.title,
        assignment=a,
        left_out=left,
        reasons=tuple(found),
        timing=timing.wps.get(wp),
        alternatives=tuple(alts) if alts is not None and a is not None else None,
        priorities=tuple(t_.value for t_ in p.scenario.objective.priorities),
        reporting_currency=p.money.reporting,
    )


# ---------------------------------------------------------------- the cache


def plan_digest(plan: Plan) -> str:
    """SHA-256 of a plan's decisions and status: what its answers depend on (not its timings or notes)."""
    rows = sorted((a.work_package, a.option, a.start, a.end, sorted(a.funding)) for a in plan.assignments)
    return hashlib.sha256(json.dumps([plan.status.value, rows]).encode()).hexdigest()


WhyKey = tuple[str, str, str, str, float, bool]


class WhyCache:
    """Answers already given, by scenario content, plan decisions, work package and settings (least recently used go).

    Keep one per browser session, as the plan cache is kept. Answers are immutable: a hit is the same object."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._answers: OrderedDict[WhyKey, WpWhy] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(
        scenario: Scenario, plan: Plan, wp: str, settings: SolverSettings | None, budget_s: float, alts: bool
    ) -> WhyKey:
        shown = settings.model_dump_json() if settings is not None else ""
        return scenario_digest(scenario), plan_digest(plan), wp, shown, budget_s, alts

    def get(self, key: WhyKey, make: Callable[[], WpWhy]) -> WpWhy:
        """The answer kept for `key`, or `make()` now (and kept)."""
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        answer = make()  # seconds of re-solves: not under the lock
        with self._lock:
            self._answers[key] = answer
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)
        return answer

    def __contains__(self, key: WhyKey) -> bool:
        with self._lock:
            return key in self._answers

    def __len__(self) -> int:
        with self._lock:
            return len(self._answers)


__all__ = [
    "Alternative",
    "Fraction",
    "Outcome",
    "Phrase",
    "PlanWhy",
    "Quantity",
    "Reason",
    "Slack",
    "WhyCache",
    "WpWhy",
    "why_plan",
    "why_work_package",
]
