"""The registry of hard-rule families: one key and one word per family, shared by every stage.

The model builder (`planner.cpsat.constraints.FAMILIES`), the independent checker
(`planner.check.rules.RULES`), the explanations (`planner.diagnose.explain.EXPLAINED`) and the
micro-scenario test table are each keyed by `Rule`; a test fails when a family is missing from
any of them. The word is what users read: a checker violation's `rule`, a rule in an explanation.
Adding a family: README, "Adding a rule family".
"""

from __future__ import annotations

from enum import StrEnum


class Rule(StrEnum):
    """A family of hard rules (a plan that breaks one is not a plan)."""

    assignment = "assignment"
    duplicate = "duplicate"
    window = "window"
    mandatory = "mandatory"
    overlap = "overlap"
    precedence = "precedence"
    capacity = "capacity"
    facility = "facility"
    funding = "funding"
    funder_cap = "funder_cap"
    funder_share = "funder_share"
    program_share = "program_share"
    institution_share = "institution_share"
    pin = "pin"
    forbid = "forbid"
    deliverable = "deliverable"

    @property
    def statement(self) -> str:
        """The rule in one sentence of domain words."""
        return STATEMENTS[self]


STATEMENTS: dict[Rule, str] = {
    Rule.assignment: "a selected work package runs by one of its execution options, for a duration it allows, "
    "within the horizon",
    Rule.duplicate: "each work package is executed at most once (no duplicated work)",
    Rule.window: "work starts no earlier than its earliest start and finishes by its hard deadline",
    Rule.mandatory: "mandatory work packages are done",
    Rule.overlap: "at most one member of an overlap group is done (exactly one if the group is required)",
    Rule.precedence: "work starts after its predecessors finish (or start, for SS), plus the lag",
    Rule.capacity: "in every period an institution's person-months stay within its capacity",
    Rule.facility: "in every period a facility's use stays within its capacity",
    Rule.funding: "work is paid by one funder that may pay its institution, or by its option's fixed draws",
    Rule.funder_cap: "a funder pays no more than its total and its cap in each year",
    Rule.funder_share: "a funder's money goes to each country within its share ± tolerance",
    Rule.program_share: "a program's cost goes to each country within its share ± tolerance",
    Rule.institution_share: "no institution takes more than the program's maximum share of its cost",
    Rule.pin: "pinned work is done at its pinned institution, option and start",
    Rule.forbid: "work is never executed by an institution it is forbidden at",
    Rule.deliverable: "deliverables are delivered by their due dates",
}
