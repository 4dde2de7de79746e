"""Invalid scenario files: one broken thing per file, each with the exact message line it must produce.

Every case edits BASE (a valid file) as text and writes it to disk, so the line numbers in the
expected messages are the real ones. `FILE` in an expected line stands for the file's path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from planner.problem.validate import ScenarioError, load_scenario
from tests.conftest import SCENARIOS

if TYPE_CHECKING:
    from pathlib import Path

BASE = """\
schema_version: 1
name: Совместная программа
time: {start: 2025-01, periods: 24}
countries:
  - {id: BY, name: Беларусь}
  - {id: RU, name: Россия}
competencies:
  - {id: avionics}
  - {id: composites}
institutions:
  - {id: bsuir, country: BY, capacity_pm: 4, rate_per_pm: 3000, competencies: {avionics: 4}}
  - {id: tpu, country: RU, capacity_pm: 5, rate_per_pm: 3200, competencies: {composites: 4}}
funders:
  - {id: bff, country: BY}
  - {id: rsf, country: RU}
programs:
  - {id: uav, name: Беспилотники, funders: [bff, rsf]}
work_packages:
  - id: U-01                    # line 19
    program: uav
    title: Бортовой контроллер
    requires: {avionics: 3}
    effort_pm: 12
    duration: {min: 4, max: 6}
  - id: U-02                    # line 25
    program: uav
    title: Планер
    requires: {composites: 2}
    effort_pm: 10
    duration: 5                 # line 30
    after: [U-01]
  - id: U-03                    # line 32
    program: uav
    title: Испытания
    requires: {avionics: 3}
    effort_pm: 6
    duration: 3
    after: [U-02]
"""
END = object()  # an edit at END appends its text to the file

Edit = tuple[object, str]

DURATION_5 = "    duration: 5                 # line 30\n"
NO_CURRENCY = "  - {id: BY, name: Беларусь}\n  - {id: RU, name: Россия}\n"
TWO_CURRENCIES = "  - {id: BY, name: Беларусь, currency: BYN}\n  - {id: RU, name: Россия, currency: RUB}\n"
TIME = "time: {start: 2025-01, periods: 24}\n"


def after_u02(text: str) -> Edit:
    """Add lines to U-02 after its duration (line 31 is the first added line)."""
    return DURATION_5, DURATION_5 + text


def edited(edits: list[Edit]) -> str:
    text = BASE
    for old, new in edits:
        if old is END:
            text += new
        else:
            assert isinstance(old, str) and text.count(old) == 1, f"edit target must occur once: {old!r}"
            text = text.replace(old, new)
    return text


def problems(path: Path) -> list[str]:
    """The message lines for a file, with its path written as FILE."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return [str(p).replace(str(path), "FILE") for p in info.value.problems]


# (case, edits to BASE, the exact message lines)
CASES: list[tuple[str, list[Edit], list[str]]] = [
    (
        "yaml-syntax",
        [(DURATION_5, "    duration: [5\n")],
        [
            "FILE:31: not valid YAML: expected ',' or ']', but got ':' (while parsing a flow sequence that began on line 30)"
        ],
    ),
    (
        "yaml-duplicate-key",
        [after_u02("    duration: 6\n")],
        [
            'FILE:31: the key "duration" appears twice in the mapping that begins on line 25; keep one '
            "(merge their entries into it)"
        ],
    ),
    (
        "unknown-key",
        [("    effort_pm: 10\n", "    effort: 10\n")],
        [
            "FILE:29: work_packages[1].effort: unknown key 'effort' (valid keys: id, program, title, description, keywords, proposed_by, requires, "
            "effort_pm, duration, earliest_start, deadline, due, after, value, mandatory, facilities, options, "
            "deliverables, note)"
        ],
    ),
    (
        "unknown-top-level-key",
        [(END, "programmes: []\n")],
        [
            "FILE:39: programmes: unknown key 'programmes' (valid keys: schema_version, name, description, time, "
            "currencies, countries, competencies, institutions, facilities, funders, programs, work_packages, "
            "overlap_groups, prior_results, pins, forbids, objective)"
        ],
    ),
    (
        "string-for-number",
        [("    effort_pm: 10\n", "    effort_pm: ten\n")],
        ["FILE:29: work_packages[1].effort_pm: expected a number (got 'ten')"],
    ),
    (
        "string-for-duration",
        [(DURATION_5, "    duration: five\n")],
        ["FILE:30: work_packages[1].duration: expected a whole number (got 'five')"],
    ),
    (
        "fraction-for-whole-number",
        [(TIME, "time: {start: 2025-01, periods: 2.5}\n")],
        ["FILE:3: time.periods: expected a whole number (got 2.5)"],
    ),
    (
        "number-for-mapping",
        [(TIME, "time: 2025\n")],
        ["FILE:3: time: expected a mapping with the keys start, periods, period (got 2025)"],
    ),
    (
        "text-for-list",
        [("    after: [U-01]\n", "    after: U-01\n")],
        ["FILE:31: work_packages[1].after: expected a list, e.g. [a, b] (got 'U-01')"],
    ),
    (
        "empty-list-item",
        [(END, "  -\n")],
        ["FILE:39: work_packages[3]: expected a mapping with keys id, program, … (got an empty value)"],
    ),
    (
        "below-minimum",
        [(TIME, "time: {start: 2025-01, periods: 0}\n")],
        ["FILE:3: time.periods: must be at least 1 (got 0)"],
    ),
    (
        "level-above-5",
        [("    requires: {composites: 2}\n", "    requires: {composites: 7}\n")],
        ["FILE:28: work_packages[1].requires.composites: must be at most 5 (got 7)"],
    ),
    (
        "not-a-choice",
        [(TIME, "time: {start: 2025-01, periods: 24, period: week}\n")],
        ["FILE:3: time.period: must be 'month', 'quarter' or 'year' (got 'week')"],
    ),
    (
        "wrong-schema-version",
        [("schema_version: 1\n", "schema_version: 2\n")],
        ["FILE:1: schema_version: must be 1 (got 2)"],
    ),
    (
        "empty-work-packages",
        [(BASE[BASE.index("work_packages:") :], "work_packages: []\n")],
        ["FILE:18: work_packages: needs at least 1 item (got 0)"],
    ),
    (
        "month-13",
        [after_u02("    deadline: 2027-13\n")],
        ["FILE:31: work_packages[1].deadline: '2027-13' is not a month: write YYYY-MM, e.g. 2027-06"],
    ),
    (
        "month-with-slash",
        [after_u02("    deadline: 2027/06\n")],
        ["FILE:31: work_packages[1].deadline: '2027/06' is not a month: write YYYY-MM, e.g. 2027-06"],
    ),
    (
        "date-for-month",
        [after_u02("    deadline: 2027-06-01\n")],
        ["FILE:31: work_packages[1].deadline: 2027-06-01 is a date, not a month: write YYYY-MM, e.g. 2027-06"],
    ),
    (
        "date-for-text",
        [("    title: Планер\n", "    title: 2025-05-05\n")],
        [
            "FILE:27: work_packages[1].title: 2025-05-05 was read as a date; to mean text, put it in quotes: '2025-05-05'"
        ],
    ),
    (
        "id-with-space",
        [("  - id: U-02 ", "  - id: U 02 ")],
        [
            "FILE:25: work_packages[1].id: 'U 02' is not a valid id: use Latin letters, digits, '-', '_' or '.', "
            "starting with a letter or digit",
            # in the same pass: what still refers to the old id
            "FILE:38: work_packages[2].after[0]: unknown work package or overlap group 'U-02' (known: U 02, U-01, U-03)",
        ],
    ),
    (
        "missing-required-field",
        [("    program: uav\n    title: Планер\n", "    title: Планер\n")],
        ["FILE:25: work_packages[1].program: required field is missing"],
    ),
    (
        "duration-max-below-min",
        [(DURATION_5, "    duration: {min: 5, max: 3}\n")],
        ["FILE:30: work_packages[1].duration: max (3) is below min (5)"],
    ),
    (
        "duration-range-below-1",  # the {min, max} branch of `duration` is reported, not the number branch
        [(DURATION_5, "    duration: {min: 0, max: 3}\n")],
        ["FILE:30: work_packages[1].duration.min: must be at least 1 (got 0)"],
    ),
    (
        "duration-range-unknown-key",
        [(DURATION_5, "    duration: {min: 1, most: 3}\n")],
        [
            "FILE:30: work_packages[1].duration.max: required field is missing",
            "FILE:30: work_packages[1].duration.most: unknown key 'most' (valid keys: min, max)",
        ],
    ),
    (
        "dependency-type",
        [("    after: [U-01]\n", "    after: [{id: U-01, type: FF}]\n")],
        ["FILE:31: work_packages[1].after[0].type: must be 'FS' or 'SS' (got 'FF')"],
    ),
    (
        "country-id-as-key",  # a key such as BY stays in the path
        [("  - {id: bff, country: BY}\n", "  - {id: bff, country: BY, shares: {BY: 1.5}}\n")],
        ["FILE:14: funders[0].shares.BY: must be at most 1.0 (got 1.5)"],
    ),
    (
        "duplicate-work-package",
        [(END, "  - {id: U-01, program: uav, requires: {avionics: 3}}\n")],
        ["FILE:39: work_packages[3].id: duplicate id 'U-01' (first used at work_packages[0])"],
    ),
    (
        "duplicate-institution",
        [("  - {id: tpu,", "  - {id: bsuir,")],
        ["FILE:12: institutions[1].id: duplicate id 'bsuir' (first used at institutions[0])"],
    ),
    (
        "unknown-country",
        [("  - {id: tpu, country: RU,", "  - {id: tpu, country: KZ,")],
        ["FILE:12: institutions[1].country: unknown country 'KZ' (known: BY, RU)"],
    ),
    (
        "unknown-competency",
        [("    requires: {composites: 2}\n", "    requires: {composite: 2}\n")],
        ["FILE:28: work_packages[1].requires.composite: unknown competency 'composite' (known: avionics, composites)"],
    ),
    (
        "unknown-predecessor",
        [("    after: [U-01]\n", "    after: [U-99]\n")],
        ["FILE:31: work_packages[1].after[0]: unknown work package or overlap group 'U-99' (known: U-01, U-02, U-03)"],
    ),
    (
        "after-itself",
        [("    after: [U-01]\n", "    after: [U-02]\n")],
        ["FILE:31: work_packages[1].after[0]: U-02 cannot come after itself"],
    ),
    (
        "precedence-cycle",
        [("    duration: {min: 4, max: 6}\n", "    duration: {min: 4, max: 6}\n    after: [U-03]\n")],
        ["FILE:25: work_packages[0].after: precedence cycle: U-01 → U-02 → U-03 → U-01"],
    ),
    (
        "unknown-program",
        [("    program: uav\n    title: Планер\n", "    program: drones\n    title: Планер\n")],
        ["FILE:26: work_packages[1].program: unknown program 'drones' (known: uav)"],
    ),
    (
        "unknown-proposer",
        [("    program: uav\n    title: Планер\n", "    program: uav\n    title: Планер\n    proposed_by: tsu\n")],
        ["FILE:28: work_packages[1].proposed_by: unknown institution or country 'tsu' (known: BY, RU, bsuir, tpu)"],
    ),
    (
        "unknown-facility",
        [after_u02("    facilities: {wind-tunnel: 1}\n")],
        [
            "FILE:31: work_packages[1].facilities.wind-tunnel: unknown facility 'wind-tunnel' (the scenario defines no facilities)"
        ],
    ),
    (
        "unknown-funder",
        [("funders: [bff, rsf]", "funders: [bff, rfbr]")],
        ["FILE:17: programs[0].funders[1]: unknown funder 'rfbr' (known: bff, rsf)"],
    ),
    (
        "two-mandatory-in-overlap-group",
        [(END, "overlap_groups:\n  - {id: G, members: [U-02, U-03]}\n")],
        [
            "FILE:40: overlap_groups[0].members: at most one member can be done but U-02 and U-03 are both "
            "mandatory; make them `mandatory: false` (and the group `required: true`)"
        ],
    ),
    (
        "overlap-group-id-is-a-work-package",
        [
            ("    after: [U-02]\n", "    after: [U-02]\n    mandatory: false\n"),
            (END, "overlap_groups:\n  - {id: U-03, members: [U-02, U-03]}\n"),
        ],
        ["FILE:41: overlap_groups[0].id: 'U-03' is also a work package id; overlap groups need their own ids"],
    ),
    (
        "impossible-window",
        [after_u02("    earliest_start: 2025-06\n    deadline: 2025-08\n")],
        [
            "FILE:32: work_packages[1].deadline: impossible window: U-02 takes at least 5 periods but may only run "
            "from 2025-06 to 2025-08"
        ],
    ),
    (
        "earliest-start-after-horizon",
        [after_u02("    earliest_start: 2027-02\n")],
        ["FILE:31: work_packages[1].earliest_start: 2027-02 is after the horizon ends (2026-12)"],
    ),
    (
        "pin-outside-horizon",
        [(END, "pins:\n  - {work_package: U-02, start: 2024-12}\n")],
        ["FILE:40: pins[0].start: 2024-12 is outside the horizon (2025-01 to 2026-12)"],
    ),
    (
        "nobody-competent",
        [("    requires: {composites: 2}\n", "    requires: {composites: 5}\n")],
        [
            "FILE:28: work_packages[1].requires: no institution can execute U-02: nobody has composites ≥ 5 "
            "(best: tpu at 4)"
        ],
    ),
    (
        "nobody-has-both",
        [("    requires: {composites: 2}\n", "    requires: {composites: 2, avionics: 2}\n")],
        [
            "FILE:28: work_packages[1].requires: no institution can execute U-02: nobody has composites ≥ 2 and "
            "avionics ≥ 2 at once (bsuir lacks composites ≥ 2; tpu lacks avionics ≥ 2)"
        ],
    ),
    (
        "competent-but-unpayable",
        [("funders: [bff, rsf]", "funders: [bff]")],
        [
            "FILE:26: work_packages[1].program: none of the institutions able to do U-02 (tpu in RU) can be paid "
            "by the funders of program 'uav' (bff pays BY)"
        ],
    ),
    (
        "several-currencies-without-rates",
        [(NO_CURRENCY, TWO_CURRENCIES)],
        [
            "FILE:6: countries[1].currency: several currencies are used (BYN, RUB) but there is no `currencies` "
            "section: add `currencies: {reporting: ..., rates: {...}}` with a rate for each"
        ],
    ),
    (
        "currency-without-rate",
        [(NO_CURRENCY, TWO_CURRENCIES), (TIME, TIME + "currencies: {reporting: USD, rates: {BYN: {2025: 0.3}}}\n")],
        ["FILE:7: countries[1].currency: no exchange rate for currency 'RUB' (add it under currencies.rates)"],
    ),
    (
        "funder-shares-above-1",
        [("  - {id: bff, country: BY}\n", "  - {id: bff, country: BY, pays: [BY, RU], shares: {BY: 0.7, RU: 0.5}}\n")],
        ["FILE:14: funders[0].shares: shares add up to 1.200, more than 1"],
    ),
    (
        "funder-without-country-or-pays",
        [("  - {id: bff, country: BY}\n", "  - {id: bff}\n")],
        [
            "FILE:14: funders[0].pays: a funder with no country must list the countries it pays: give `country` "
            "or `pays: [...]`"
        ],
    ),
    (
        "deliverable-after-fixed-duration",
        [after_u02("    deliverables:\n      - {id: D1, offset: 6}\n")],
        [
            "FILE:32: work_packages[1].deliverables[0].offset: offset 6 is after the end of U-02, which takes "
            "5 periods: use an offset from 0 to 5"
        ],
    ),
    (
        "deliverable-after-duration-range",
        [
            (
                "    duration: {min: 4, max: 6}\n",
                "    duration: {min: 4, max: 6}\n    deliverables:\n      - {id: D1, offset: 7}\n",
            )
        ],
        [
            "FILE:26: work_packages[0].deliverables[0].offset: offset 7 is after the end of U-01, which takes "
            "at most 6 periods: use an offset from 0 to 6"
        ],
    ),
    (
        "deliverable-after-longest-option",  # options default to the work package's 5 periods
        [
            after_u02(
                "    options:\n"
                "      - {id: fast, institution: tpu, duration: {min: 2, max: 3}}\n"
                "      - {id: slow, institution: tpu}\n"
                "    deliverables:\n"
                "      - {id: D1, offset: 6}\n"
            )
        ],
        [
            "FILE:35: work_packages[1].deliverables[0].offset: offset 6 is after the end of U-02, which takes "
            "at most 5 periods: use an offset from 0 to 5"
        ],
    ),
]


@pytest.mark.parametrize(("edits", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_file_gives_exact_message(tmp_path: Path, edits: list[Edit], expected: list[str]) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(edited(edits), encoding="utf-8")
    assert problems(path) == expected


def test_base_is_valid_and_keeps_cyrillic(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(BASE, encoding="utf-8")
    s = load_scenario(path)
    assert s.name == "Совместная программа"
    assert [c.name for c in s.countries] == ["Беларусь", "Россия"]
    assert [w.title for w in s.work_packages] == ["Бортовой контроллер", "Планер", "Испытания"]


# Files that are not a scenario at all: (case, bytes written or None for no file, the exact message line)
NOT_SCENARIOS: list[tuple[str, bytes | None, str]] = [
    ("file-not-found", None, "FILE: file not found"),
    (
        "not-utf8",
        "name: x\ncountries: Беларусь\n".encode("cp1251"),
        "FILE:2: not UTF-8 text: byte 0xc1 (invalid start byte); save the file as UTF-8",
    ),
    (
        "empty",
        b"# nothing yet\n",
        "FILE:1: the file is empty, but a scenario is a YAML mapping with the keys schema_version, name, time, "
        "countries, programs, work_packages, …",
    ),
    (
        "a-list",
        b"# header\n- id: U-01\n- id: U-02\n",
        "FILE:2: the file holds a list, but a scenario is a YAML mapping with the keys schema_version, name, time, "
        "countries, programs, work_packages, …",
    ),
    (
        "a-single-value",
        b"just some text\n",
        "FILE:1: the file holds a single value ('just some text'), but a scenario is a YAML mapping with the keys "
        "schema_version, name, time, countries, programs, work_packages, …",
    ),
]


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in NOT_SCENARIOS], ids=[c[0] for c in NOT_SCENARIOS])
def test_not_a_scenario(tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "scenario.yaml"
    if content is not None:
        path.write_bytes(content)
    assert problems(path) == [expected]


def test_three_field_problems_are_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    text = edited(
        [
            ("    effort_pm: 10\n", "    effort: 10\n"),
            ("  - id: U-03 ", "  - id: U 03 "),
            ("    effort_pm: 6\n", "    effort_pm: six\n"),
        ]
    )
    path.write_text(text, encoding="utf-8")
    found = problems(path)
    assert [line.split(": ")[0:2] for line in found] == [
        ["FILE:29", "work_packages[1].effort"],
        ["FILE:32", "work_packages[2].id"],
        ["FILE:36", "work_packages[2].effort_pm"],
    ]


def test_three_reference_problems_are_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    text = edited(
        [
            ("    after: [U-01]\n", "    after: [U-99]\n"),
            ("  - {id: tpu, country: RU,", "  - {id: tpu, country: KZ,"),
            ("funders: [bff, rsf]", "funders: [bff, rfbr]"),
        ]
    )
    path.write_text(text, encoding="utf-8")
    assert problems(path) == [
        "FILE:12: institutions[1].country: unknown country 'KZ' (known: BY, RU)",
        "FILE:17: programs[0].funders[1]: unknown funder 'rfbr' (known: bff, rsf)",
        "FILE:31: work_packages[1].after[0]: unknown work package or overlap group 'U-99' (known: U-01, U-02, U-03)",
    ]


def test_cyrillic_file_name_title_and_id_appear_intact(tmp_path: Path) -> None:
    path = tmp_path / "сценарий.yaml"
    text = edited([("    program: uav\n    title: Планер\n", "    program: бпла\n    title: Планер\n")])
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:26: work_packages[1].program: 'бпла' is not a valid id: use Latin letters, digits, '-', '_' or "
        "'.', starting with a letter or digit (names and titles may use any script)"
    ]


def test_unknown_program_of_a_cyrillic_work_package_names_the_id(tmp_path: Path) -> None:
    path = tmp_path / "сценарий.yaml"
    text = edited([("    program: uav\n    title: Планер\n", "    program: bpla\n    title: Планер БПЛА\n")])
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:26: work_packages[1].program: unknown program 'bpla' (known: uav)"
    ]


def test_months_inside_a_quarter_are_accepted(tmp_path: Path) -> None:
    """On a quarter grid a month that is not the first or last of its quarter is rounded, not rejected."""
    path = tmp_path / "scenario.yaml"
    text = edited(
        [
            (TIME, "time: {start: 2025-01, periods: 8, period: quarter}\n"),
            after_u02("    earliest_start: 2025-02\n    deadline: 2026-11\n    due: 2026-08\n"),
        ]
    )
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).work_packages[1].deadline == "2026-11"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_scenarios_are_valid(path: Path) -> None:
    load_scenario(path)


def test_field_and_reference_problems_are_reported_in_one_pass(tmp_path: Path) -> None:
    # U-02's effort is not a number and tpu's country is unknown; U-03's predecessor U-02 is not "unknown"
    # (it exists, only its effort is wrong), so it is not reported.
    path = tmp_path / "scenario.yaml"
    text = edited(
        [
            ("    effort_pm: 10\n", "    effort_pm: ten\n"),
            ("  - {id: tpu, country: RU,", "  - {id: tpu, country: KZ,"),
        ]
    )
    path.write_text(text, encoding="utf-8")
    found = problems(path)
    assert [line.split(": ")[0:2] for line in found] == [
        ["FILE:12", "institutions[1].country"],
        ["FILE:29", "work_packages[1].effort_pm"],
    ]
    assert "unknown country 'KZ' (known: BY, RU)" in found[0]


def test_an_unclosed_bracket_names_the_line_it_was_opened_on(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(edited([("    effort_pm: 10\n", "    effort_pm: [10\n")]), encoding="utf-8")
    [found] = problems(path)
    assert found.startswith("FILE:30: not valid YAML: ")
    assert found.endswith("(while parsing a flow sequence that began on line 29)")
