"""Duplicate proposals: planted pairs in a tiny two-country program, the glossary, and the labelled set's targets."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from benchmarks.duplicates import TARGET_PRECISION, TARGET_RECALL, evaluate, fitted_weights
from planner.review.duplicates import DEFAULT_THRESHOLD, WEIGHTS, Index, explain_pair, find_duplicates
from planner.review.glossary import CONCEPTS
from planner.review.render import group_yaml, render_duplicates
from planner.review.text import terms
from tests.conftest import scenario, wps

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario

PROPOSALS = wps(
    # a Russian paraphrase: other words for the same body and tank
    {
        "id": "W-02",
        "title": "Композитный кузов-цистерна лесного пожарного автомобиля",
        "proposed_by": "a",
        "effort_pm": 24,
    },
    {
        "id": "W-03",
        "title": "Композитный модуль кузова и цистерны для пожарной машины",
        "proposed_by": "b",
        "effort_pm": 26,
    },
    # Russian and English: the same flight controller
    {"id": "U-02", "title": "Бортовой контроллер полёта для тяжёлого БАС", "proposed_by": "a", "effort_pm": 30},
    {"id": "U-03", "title": "Flight controller for a heavy UAV", "proposed_by": "b", "effort_pm": 28},
    # a near-miss: winter and summer trials of the same machines are different work
    {
        "id": "F-04",
        "title": "Зимние испытания лесозаготовительных машин на лесосеках",
        "proposed_by": "a",
        "effort_pm": 10,
    },
    {
        "id": "F-05",
        "title": "Летние испытания лесозаготовительных машин на лесосеках",
        "proposed_by": "b",
        "effort_pm": 10,
    },
    # one side proposing the same work twice is not a cross-side duplicate
    {"id": "D-01", "title": "Технология концентратов сывороточных белков", "proposed_by": "a", "effort_pm": 20},
    {"id": "D-02", "title": "Технология концентратов сывороточных белков", "proposed_by": "a", "effort_pm": 20},
)


def _pairs(s: Scenario) -> dict[frozenset[str], float]:
    return {frozenset((d.a, d.b)): d.score for d in find_duplicates(s)}


@pytest.fixture
def proposals() -> Scenario:
    return scenario(work_packages=PROPOSALS)


def test_a_russian_paraphrase_is_found(proposals: Scenario) -> None:
    assert _pairs(proposals)[frozenset(("W-02", "W-03"))] >= DEFAULT_THRESHOLD


def test_a_russian_and_an_english_title_of_the_same_work_are_found(proposals: Scenario) -> None:
    found = {frozenset((d.a, d.b)): d for d in find_duplicates(proposals)}
    d = found[frozenset(("U-02", "U-03"))]
    title = next(e for e in d.evidence if e.field == "title")
    assert "контроллер/controller" in title.detail and "БАС/UAV" in title.detail


def test_a_near_miss_stays_below_the_threshold(proposals: Scenario) -> None:
    index = Index(proposals)
    score, evidence = explain_pair(index, "F-04", "F-05")
    assert score < DEFAULT_THRESHOLD
    assert any(e.field == "contrast" and "Зимние" in e.detail for e in evidence)


def test_one_side_twice_is_not_reported(proposals: Scenario) -> None:
    assert frozenset(("D-01", "D-02")) not in _pairs(proposals)


def test_a_proposer_may_be_a_country_and_unknown_proposers_are_compared_with_all() -> None:
    s = scenario(
        work_packages=wps(
            {"id": "A", "title": "Доклинические испытания имплантатов", "proposed_by": "BY"},
            {"id": "B", "title": "Доклинические испытания имплантатов"},
            {"id": "C", "title": "Доклинические испытания имплантатов", "proposed_by": "a"},
        )
    )
    assert set(_pairs(s)) == {frozenset(("A", "B")), frozenset(("B", "C"))}  # a is in BY: A and C are one side


def test_pairs_already_in_one_group_are_left_out_and_a_group_is_extended(proposals: Scenario) -> None:
    grouped = scenario(
        work_packages=PROPOSALS
        + wps(
            {
                "id": "W-09",
                "title": "Composite body and tank for the fire truck",
                "proposed_by": "b",
                "effort_pm": 25,
                "mandatory": False,
            }
        ),
        overlap_groups=[{"id": "body", "members": ["W-02", "W-09"]}],
    )
    found = {frozenset((d.a, d.b)): d for d in find_duplicates(grouped)}
    assert frozenset(("W-02", "W-09")) not in found
    d = found[frozenset(("W-02", "W-03"))]
    assert (d.group_id, d.extends, d.members) == ("body", "body", ("W-02", "W-09", "W-03"))


def test_two_mandatory_members_make_a_required_group_of_optional_work(proposals: Scenario) -> None:
    d = next(d for d in find_duplicates(proposals) if {d.a, d.b} == {"U-02", "U-03"})
    assert (d.group_id, d.required, d.make_optional) == ("same-work-U-02-U-03", True, ("U-02", "U-03"))
    text = render_duplicates(proposals, [d], 0.5)
    assert group_yaml(d).startswith("  - id: same-work-U-02-U-03\n    members: [U-02, U-03]\n    required: true\n")
    assert "mark U-02, U-03 `mandatory: false`" in text


def test_the_same_scenario_gives_the_same_answer(proposals: Scenario) -> None:
    first = render_duplicates(proposals, find_duplicates(proposals), 0.5, "json")
    assert render_duplicates(proposals, find_duplicates(proposals), 0.5, "json") == first


def test_glossary_words_name_one_concept_each() -> None:
    seen: dict[str, str] = {}
    twice = []
    for concept, words in CONCEPTS.items():
        for word in set(words.split()):
            if word in seen:
                twice.append(f"{word}: {seen[word]} and {concept}")
            seen[word] = concept
    assert twice == []


def test_russian_and_english_words_meet_in_the_glossary() -> None:
    assert set(terms("Лётные испытания")) == set(terms("flight tests")) == {"~flight", "~test"}
    assert terms("летние") == ["~summer"]  # `летн` is both summer and flight: the exact word decides


def test_the_labelled_set_meets_the_targets_at_the_default_threshold() -> None:
    """Deterministic: the benchmark's evaluation (benchmarks/duplicates.py) on tests/data/duplicates."""
    overall = evaluate()["groups"]["all"]
    assert overall.precision >= TARGET_PRECISION and overall.recall >= TARGET_RECALL, overall


def test_the_weights_are_the_ones_fitted_on_the_dev_split() -> None:
    assert fitted_weights() == WEIGHTS
