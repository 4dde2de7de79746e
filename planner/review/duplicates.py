"""Work packages proposed by different sides that look like the same work: scored pairs with their evidence.

Each work package becomes a profile (its terms: see `planner.review.text`); two profiles are compared
by what they say (title; title with description and keywords; both weighted by how rare each term is in
the scenario), by what the work needs (required competencies and levels, effort), by where it sits (the
program) and by contrasts (winter and summer trials are different work). A logistic model turns these
features into a score in [0, 1]; its weights were fitted on the dev half of the labelled set
(tests/data/duplicates, `python -m benchmarks.duplicates --fit`); precision and recall are in
benchmarks/results/duplicates.md.

Only pairs that share at least one term used by at most `BLOCK_DF` work packages are scored, so a program
of 2,000 work packages takes seconds, not the 2 million comparisons of every pair.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

from planner.review.glossary import CONTRASTS
from planner.review.text import terms, words

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario, WorkPackage

DEFAULT_THRESHOLD = 0.5
"""Pairs scored at or above this are reported (the score is the model's probability that it is the same work)."""

BLOCK_DF = 100
"""A pair is scored only if it shares a term that at most this many work packages use (see the module doc)."""

FEATURES = ("title", "text", "overlap", "competencies", "effort", "program", "contrast")
WEIGHTS: dict[str, float] = {
    "bias": -4.97,
    "title": 1.53,
    "text": 1.20,
    "overlap": 1.60,
    "competencies": 1.07,
    "effort": 1.72,
    "program": 0.81,
    "contrast": -1.91,
}
"""Logistic weights, fitted on the labelled set's dev split (`python -m benchmarks.duplicates --fit`)."""

_WRITTEN = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+")
PROPOSER_TAG = re.compile(r"\([^)]*\b(?:предложени[ея]|proposal|proposed by)\b[^)]*\)", re.IGNORECASE)
"""A proposer's tag in a title, `(предложение ТУСУР)`, `(second proposal)`: it tells sides apart, not the work."""


@dataclass(frozen=True)
class Profile:
    """What duplicate detection compares of one work package."""

    wp: WorkPackage
    side: tuple[str | None, str | None]  # (proposing institution, its country) — either may be unknown
    title_terms: frozenset[str]
    terms: frozenset[str]  # title, description and keywords
    origin: dict[str, str] = field(compare=False)  # term → the first word that gave it (to show evidence)


@dataclass(frozen=True)
class Evidence:
    """One field's part in a score: how alike it is (0–1) and what matched, in plain words."""

    field: str  # title | text | competencies | effort | program | contrast
    similarity: float
    detail: str


@dataclass(frozen=True)
class Duplicate:
    """A pair of work packages that look like the same work, with a suggested overlap group."""

    a: str
    b: str
    score: float
    evidence: tuple[Evidence, ...]
    group_id: str
    members: tuple[str, ...]
    extends: str | None  # id of an existing overlap group the suggestion adds to, if any
    required: bool
    make_optional: tuple[str, ...]  # mandatory members that must become optional for the group to be valid


def profile(scenario: Scenario, wp: WorkPackage) -> Profile:
    """A work package's profile: its side and its terms."""
    side = _side(scenario, wp.proposed_by)
    title = PROPOSER_TAG.sub(" ", wp.title)
    body = " ".join([title, wp.description, " ".join(wp.keywords)])
    origin: dict[str, str] = {}
    for written in _WRITTEN.findall(body):
        for w in words(written):
            for t in terms(w):
                origin.setdefault(t, written if len(written) == len(w) else w)
    return Profile(wp, side, frozenset(terms(title)), frozenset(terms(body)), origin)


def _side(scenario: Scenario, proposer: str | None) -> tuple[str | None, str | None]:
    if proposer is None:
        return None, None
    inst = next((i for i in scenario.institutions if i.id == proposer), None)
    return (proposer, inst.country) if inst is not None else (None, proposer)


def same_side(a: Profile, b: Profile) -> bool:
    """Whether two proposals come from one side: one institution, or one country when a side is only a country.

    An unknown proposer is no side: its proposals are compared with everyone's.
    """
    (ia, ca), (ib, cb) = a.side, b.side
    if ia is not None and ib is not None:
        return ia == ib
    return ca is not None and ca == cb


class Index:
    """Profiles of a scenario's work packages and how rare each term is among them."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.profiles = {wp.id: profile(scenario, wp) for wp in scenario.work_packages}
        self.df: dict[str, int] = defaultdict(int)
        for p in self.profiles.values():
            for t in p.terms:
                self.df[t] += 1
        n = len(self.profiles)
        self._idf = {t: math.log((n + 1) / (d + 1)) + 1 for t, d in self.df.items()}

    def idf(self, t: str) -> float:
        return self._idf.get(t, 1.0)

    def candidates(self) -> list[tuple[str, str]]:
        """Pairs of work packages (in file order) that share a term at most `BLOCK_DF` of them use."""
        order = {wp_id: k for k, wp_id in enumerate(self.profiles)}
        by_term: dict[str, list[str]] = defaultdict(list)
        for wp_id, p in self.profiles.items():
            for t in p.terms:
                if self.df[t] <= BLOCK_DF:
                    by_term[t].append(wp_id)
        pairs: set[tuple[str, str]] = set()
        for ids in by_term.values():
            for x, y in combinations(ids, 2):
                pairs.add((x, y) if order[x] < order[y] else (y, x))
        return sorted(pairs, key=lambda p: (order[p[0]], order[p[1]]))


def features(index: Index, a: Profile, b: Profile) -> dict[str, float]:
    """The features of a pair that the score weighs, each in [0, 1]."""
    shared = a.terms & b.terms
    weight = sum(index.idf(t) for t in shared)
    wa, wb = sum(index.idf(t) for t in a.terms), sum(index.idf(t) for t in b.terms)
    tshared = sum(index.idf(t) for t in a.title_terms & b.title_terms)
    ta, tb = sum(index.idf(t) for t in a.title_terms), sum(index.idf(t) for t in b.title_terms)
    return {
        "title": 2 * tshared / (ta + tb) if ta and tb else 0.0,
        "text": 2 * weight / (wa + wb) if wa and wb else 0.0,
        "overlap": weight / min(wa, wb) if wa and wb else 0.0,
        "competencies": _levels(a.wp.requires, b.wp.requires),
        "effort": _ratio(a.wp.effort_pm, b.wp.effort_pm),
        "program": float(a.wp.program == b.wp.program),
        "contrast": float(_contrast(a, b) is not None),
    }


def score(values: dict[str, float]) -> float:
    """The logistic model's probability that a pair is the same work."""
    z = WEIGHTS["bias"] + sum(WEIGHTS[name] * values[name] for name in FEATURES)
    return 1 / (1 + math.exp(-z))


def _levels(a: dict[str, int], b: dict[str, int]) -> float:
    """Weighted Jaccard of required competency levels (1 when both need the same at the same levels)."""
    keys = set(a) | set(b)
    top = sum(max(a.get(k, 0), b.get(k, 0)) for k in keys)
    return sum(min(a.get(k, 0), b.get(k, 0)) for k in keys) / top if top else 1.0


def _ratio(x: float, y: float) -> float:
    return min(x, y) / max(x, y) if max(x, y) > 0 else 1.0


def _contrast(a: Profile, b: Profile) -> tuple[str, str] | None:
    """The first contrast the two proposals fall on: a term of each from one group of CONTRASTS, none shared, or
    numbers in both titles and none shared (stage 1 and stage 2, a batch of 10 and of 50)."""
    for group in CONTRASTS:
        x, y = a.terms & group, b.terms & group
        if x and y and not x & y:
            return min(x), min(y)
    na = frozenset(t for t in a.title_terms if t.isdigit())
    nb = frozenset(t for t in b.title_terms if t.isdigit())
    if na and nb and not na & nb:
        return min(na), min(nb)
    return None


def find_duplicates(scenario: Scenario, threshold: float = DEFAULT_THRESHOLD) -> list[Duplicate]:
    """Pairs of work packages of different sides, not yet in one overlap group, scored at or above `threshold`.

    Best first; ties in file order. Deterministic: the same scenario gives the same list.
    """
    index = Index(scenario)
    grouped = {frozenset(p) for g in scenario.overlap_groups for p in combinations(g.members, 2)}
    found = []
    for x, y in index.candidates():
        a, b = index.profiles[x], index.profiles[y]
        if same_side(a, b) or frozenset((x, y)) in grouped:
            continue
        values = features(index, a, b)
        s = score(values)
        if s >= threshold:
            found.append((s, x, y, values))
    order = {wp_id: k for k, wp_id in enumerate(index.profiles)}
    found.sort(key=lambda f: (-round(f[0], 6), order[f[1]], order[f[2]]))
    taken: set[str] = {g.id for g in scenario.overlap_groups} | set(order)
    out = []
    for s, x, y, values in found:
        out.append(_suggest(scenario, index, x, y, s, values, taken))
    return out


def explain_pair(index: Index, a_id: str, b_id: str) -> tuple[float, tuple[Evidence, ...]]:
    """Score and evidence of any pair of the index (the labelled-set benchmark and tests use it)."""
    a, b = index.profiles[a_id], index.profiles[b_id]
    values = features(index, a, b)
    return score(values), _evidence(a, b, values)


def _suggest(
    scenario: Scenario, index: Index, x: str, y: str, s: float, values: dict[str, float], taken: set[str]
) -> Duplicate:
    """The pair with its evidence and an overlap group: an existing group of one of them extended, or a new one."""
    wps = {wp.id: wp for wp in scenario.work_packages}
    holder = next((g for g in scenario.overlap_groups if x in g.members or y in g.members), None)
    if holder is not None and not (x in holder.members and y in holder.members):
        members = (*holder.members, y if x in holder.members else x)
        group_id, extends, required = holder.id, holder.id, holder.required
    else:
        group_id = _new_id(f"same-work-{x}-{y}", taken)
        taken.add(group_id)
        members, extends = (x, y), None
        required = wps[x].mandatory and wps[y].mandatory
    mandatory = tuple(m for m in members if m in wps and wps[m].mandatory)
    make_optional = mandatory if len(mandatory) > 1 else ()
    evidence = _evidence(index.profiles[x], index.profiles[y], values)
    return Duplicate(x, y, round(s, 3), evidence, group_id, members, extends, required, make_optional)


def _new_id(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    k = 2
    while f"{base}-{k}" in taken:
        k += 1
    return f"{base}-{k}"


def _evidence(a: Profile, b: Profile, values: dict[str, float]) -> tuple[Evidence, ...]:
    """What matched, field by field, strongest first within what the reader checks: text, needs, place."""
    out = []
    shared = sorted(a.title_terms & b.title_terms, key=lambda t: a.origin.get(t, t))
    if shared:
        out.append(Evidence("title", round(values["title"], 2), _words(a, b, shared)))
    more = sorted((a.terms & b.terms) - set(shared), key=lambda t: a.origin.get(t, t))
    if more:
        out.append(Evidence("text", round(values["text"], 2), _words(a, b, more)))
    common = sorted(set(a.wp.requires) & set(b.wp.requires))
    if common:
        levels = ", ".join(f"{c} {a.wp.requires[c]}/{b.wp.requires[c]}" for c in common)
        out.append(Evidence("competencies", round(values["competencies"], 2), levels))
    out.append(Evidence("effort", round(values["effort"], 2), f"{a.wp.effort_pm:g}/{b.wp.effort_pm:g}"))
    if values["program"]:
        out.append(Evidence("program", 1.0, a.wp.program))
    contrast = _contrast(a, b)
    if contrast is not None:
        out.append(
            Evidence(
                "contrast", 0.0, f"{a.origin.get(contrast[0], contrast[0])} ≠ {b.origin.get(contrast[1], contrast[1])}"
            )
        )
    return tuple(out)


def _words(a: Profile, b: Profile, shared: list[str]) -> str:
    """Shared terms as the words each side wrote: `полёта/flight`, or one word when both wrote it alike."""
    shown = []
    for t in shared[:8]:
        wa, wb = a.origin.get(t, t), b.origin.get(t, t)
        shown.append(wa if wa == wb else f"{wa}/{wb}")
    return ", ".join(dict.fromkeys(shown))
