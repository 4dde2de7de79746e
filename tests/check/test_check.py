"""The independent checker: one valid and one broken plan per rule family, and every objective term."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import pytest

from planner.check import Violation, check_plan, evaluate, year_amounts
from planner.domain.plan import Assignment, DeliverableDate, Plan, Status
from planner.domain.rules import Rule
from planner.domain.scenario import Scenario, Term, TimeGrid
from planner.problem.calendar import Calendar
from planner.problem.crosscheck import cross_check
from planner.problem.money import Money
from planner.problem.prepared import prepare

if TYPE_CHECKING:
    from collections.abc import Callable

# Two countries with yearly exchange rates to USD; BYN loses half its value in 2026, RUB doubles.
TINY: dict[str, Any] = {
    "schema_version": 1,
    "name": "tiny",
    "time": {"start": "2025-01", "periods": 24},
    "currencies": {"reporting": "USD", "rates": {"BYN": {2025: 0.5, 2026: 0.25}, "RUB": {2025: 0.01, 2026: 0.02}}},
    "countries": [
        {"id": "BY", "name": "Belarus", "currency": "BYN"},
        {"id": "RU", "name": "Russia", "currency": "RUB"},
    ],
    "competencies": [{"id": "radio"}],
    "institutions": [
        {"id": "bsuir", "country": "BY", "capacity_pm": 4, "rate_per_pm": 1000, "competencies": {"radio": 4}},
        {"id": "tusur", "country": "RU", "capacity_pm": 3, "rate_per_pm": 50000, "competencies": {"radio": 3}},
    ],
    "facilities": [{"id": "lab", "capacity": 1}],
    "funders": [{"id": "bff", "country": "BY"}, {"id": "rsf", "country": "RU"}],
    "programs": [
        {"id": "radar", "funders": ["bff", "rsf"], "due": "2025-04"},
        {"id": "study"},
        {"id": "idle"},
    ],
    "work_packages": [
        {
            "id": "A",
            "program": "radar",
            "requires": {"radio": 3},
            "effort_pm": 6,
            "duration": {"min": 2, "max": 6},
            "facilities": {"lab": 1},
            "earliest_start": "2025-02",
            "deadline": "2025-12",
            "deliverables": [{"id": "A-proto", "offset": 1, "due": "2025-06"}, {"id": "A-report"}],
        },
        {"id": "B", "program": "radar", "requires": {"radio": 3}, "effort_pm": 4, "duration": 2, "after": ["A"]},
        {
            "id": "C",
            "program": "study",
            "effort_pm": 2,
            "duration": 2,
            "mandatory": False,
            "value": 5,
            "options": [{"id": "c-by", "institution": "bsuir", "cost": 800, "funding": {"bff": 400, "rsf": 0}}],
        },
        {
            "id": "D1",
            "program": "study",
            "effort_pm": 1,
            "mandatory": False,
            "value": 2,
            "facilities": {"lab": 1},
            "options": [{"id": "desk"}],
        },
        {
            "id": "D2",
            "program": "study",
            "effort_pm": 1,
            "mandatory": False,
            "value": 3,
            "facilities": {"lab": 1},
            "options": [{"id": "desk"}],
        },
        {
            "id": "E",
            "program": "study",
            "mandatory": False,
            "options": [{"id": "desk"}],
            "after": [{"id": "A", "type": "SS", "lag": 2}, "G"],
        },
    ],
    "overlap_groups": [{"id": "G", "members": ["D1", "D2"]}],
}
TINY["work_packages"][1]["due"] = "2025-05"


def build(data: dict[str, Any]) -> Scenario:
    """A scenario from a dict, which must pass the scenario's own cross-checks."""
    s = Scenario.model_validate(data)
    assert cross_check(s) == []
    return s


def tiny(edit: Callable[[dict[str, Any]], None] | None = None) -> Scenario:
    """The tiny scenario, optionally changed by `edit` on a copy of its data."""
    data = copy.deepcopy(TINY)
    if edit:
        edit(data)
    return build(data)


def wp_data(data: dict[str, Any], wp_id: str) -> dict[str, Any]:
    return next(w for w in data["work_packages"] if w["id"] == wp_id)


def assign(
    s: Scenario, wp_id: str, start: int, end: int, option: str | None = None, funders: list[str] | None = None
) -> Assignment:
    """An assignment with every derived field computed here, independently of the checker."""
    # prepare() is the prepared problem under test elsewhere; here only its option catalogue and payees are read
    cat, cal, money = prepare(s).catalogue, Calendar(s.time), Money(s)
    opt = cat.option(wp_id, option) if option else cat.by_wp[wp_id][0]
    assert opt is not None
    wp = next(w for w in s.work_packages if w.id == wp_id)
    program = next(p for p in s.programs if p.id == wp.program)
    years = [cal.year_of(t) for t in range(start, end)] or [cal.year_of(min(start, cal.horizon - 1))]

    def spread(amount: float, target: str | None) -> float:
        return sum(money.convert(amount / len(years), opt.currency, target, y) for y in years)

    if opt.funding is not None:
        funding = {f: x for f, x in opt.funding.items() if x}
    else:
        chosen = prepare(s).funders_for(opt.institution, program.id)[:1] if funders is None else funders
        funding = {f: spread(opt.cost, funder_currency(s, f)) for f in chosen}
    deliverables = []
    for dl in wp.deliverables:
        tau = end if dl.offset is None else start + dl.offset
        deliverables.append(DeliverableDate(id=dl.id, period=tau, month=cal.last_month(tau)))
    return Assignment(
        work_package=wp_id,
        option=opt.id,
        institution=opt.institution,
        start=start,
        end=end,
        start_month=cal.start_month(start),
        end_month=cal.last_month(end),
        effort_pm=opt.effort_pm,
        load_pm=opt.effort_pm / (end - start) if end > start else 0.0,
        cost=opt.cost,
        currency=opt.currency,
        cost_reporting=opt.cost * planning_rate(s, opt.currency),
        funding=funding,
        deliverables=deliverables,
    )


def planning_rate(s: Scenario, currency: str | None) -> float:
    """Mean of a currency's yearly rates over the horizon's years (1 for the reporting currency)."""
    if s.currencies is None or currency not in s.currencies.rates:
        return 1.0
    cal = Calendar(s.time)
    table = s.currencies.rates[currency]
    rates = [table.get(y, table[min(table, key=lambda k: (abs(k - y), k))]) for y in cal.years]
    return sum(rates) / len(rates)


def funder_currency(s: Scenario, funder_id: str) -> str | None:
    f = next(f for f in s.funders if f.id == funder_id)
    return f.currency or next((c.currency for c in s.countries if c.id == f.country), None)


def base(s: Scenario) -> dict[str, Assignment]:
    """The valid plan of the tiny scenario, by work package."""
    return {
        "A": assign(s, "A", 1, 5),  # bsuir, 2025-02..2025-05, paid by bff
        "B": assign(s, "B", 5, 7, option="tusur"),  # paid by rsf
        "C": assign(s, "C", 0, 2),  # fixed draw on bff
        "D2": assign(s, "D2", 12, 13),  # no institution
    }


def plan(assignments: dict[str, Assignment] | list[Assignment], status: Status = Status.feasible) -> Plan:
    items = list(assignments.values()) if isinstance(assignments, dict) else assignments
    return Plan(scenario="tiny", scenario_digest="test", status=status, assignments=items)


def rules(s: Scenario, p: Plan) -> list[str]:
    return sorted(v.rule for v in check_plan(s, p))


def changed(a: Assignment, **update: Any) -> Assignment:
    return a.model_copy(update=update)


@pytest.fixture
def s() -> Scenario:
    return tiny()


# ---------------------------------------------------------------- valid plans and statuses


def test_base_plan_is_valid(s: Scenario) -> None:
    assert check_plan(s, plan(base(s))) == []


def test_no_plan_has_nothing_to_check(s: Scenario) -> None:
    assert check_plan(s, plan([], Status.infeasible)) == []
    assert check_plan(s, plan([], Status.unknown)) == []


def test_a_found_plan_must_do_mandatory_work(s: Scenario) -> None:
    found = check_plan(s, plan([], Status.optimal))
    assert [(v.rule, v.work_package) for v in found] == [("mandatory", "A"), ("mandatory", "B")]


def test_partial_schedule_without_a_plan_status_is_checked_but_not_for_completeness(s: Scenario) -> None:
    a = base(s)["A"]
    assert check_plan(s, plan([a], Status.unknown)) == []
    assert rules(s, plan([changed(a, cost=1.0)], Status.unknown)) == ["assignment"]


def test_violation_reads_as_rule_and_message() -> None:
    v = Violation(Rule.window, "A ends 2026-01, after its deadline 2025-12", "A")
    assert str(v) == "window: A ends 2026-01, after its deadline 2025-12"


# ---------------------------------------------------------------- assignment and duplicate


@pytest.mark.parametrize(
    ("wp", "update"),
    [
        ("A", {"option": "nobody"}),
        ("A", {"institution": "tusur"}),
        ("A", {"effort_pm": 5.0}),
        ("A", {"load_pm": 2.0}),
        ("A", {"cost": 6001.0}),
        ("A", {"currency": "USD"}),
        ("A", {"cost_reporting": 3000.0 * 1.001}),
        ("A", {"funding": {"bff": 5999.0}}),
        ("A", {"start_month": "2025-01"}),
        ("A", {"end_month": "2025-06"}),
        ("C", {"funding": {"bff": 800.0}}),
        ("D2", {"start": 24, "end": 25, "start_month": "2027-01", "end_month": "2027-01"}),
    ],
)
def test_assignment_figures_are_recomputed(s: Scenario, wp: str, update: dict[str, Any]) -> None:
    assignments = base(s)
    assignments[wp] = changed(assignments[wp], **update)
    found = check_plan(s, plan(assignments))
    assert [v.rule for v in found] == ["assignment"]
    assert found[0].work_package == wp


def test_duration_outside_the_option(s: Scenario) -> None:
    assignments = base(s)
    assignments["B"] = assign(s, "B", 5, 8, option="tusur")  # B takes exactly 2 periods
    assert rules(s, plan(assignments)) == ["assignment"]
    assert "takes 2" in check_plan(s, plan(assignments))[0].message


def test_tiny_rounding_in_the_plan_is_accepted(s: Scenario) -> None:
    assignments = base(s)
    a = assignments["A"]
    assignments["A"] = changed(a, cost_reporting=a.cost_reporting + 0.004, load_pm=a.load_pm * (1 + 1e-7))
    assert check_plan(s, plan(assignments)) == []


def test_unknown_work_package(s: Scenario) -> None:
    ghost = changed(base(s)["B"], work_package="Z")
    assert rules(s, plan([*base(s).values(), ghost])) == ["assignment"]


def test_duplicate(s: Scenario) -> None:
    assignments = base(s)
    found = check_plan(s, plan([*assignments.values(), assignments["B"]]))
    assert [(v.rule, v.work_package) for v in found] == [("duplicate", "B")]


# ---------------------------------------------------------------- windows, selection, order


def test_earliest_start(s: Scenario) -> None:
    assignments = base(s)
    assignments["A"] = assign(s, "A", 0, 4)
    assert rules(s, plan(assignments)) == ["window"]


def test_deadline_is_the_end_of_the_month() -> None:
    on_time = tiny(lambda d: wp_data(d, "A").update(deadline="2025-05"))
    late = tiny(lambda d: wp_data(d, "A").update(deadline="2025-04"))
    assert check_plan(on_time, plan(base(on_time))) == []
    found = check_plan(late, plan(base(late)))
    assert [v.rule for v in found] == ["window"]
    assert found[0].message == "A ends 2025-05, after its deadline 2025-04"


def test_mandatory(s: Scenario) -> None:
    assignments = base(s)
    del assignments["B"]
    assert rules(s, plan(assignments)) == ["mandatory"]


def test_overlap_at_most_one(s: Scenario) -> None:
    assignments = base(s)
    assignments["D1"] = assign(s, "D1", 14, 15)
    assert rules(s, plan(assignments)) == ["overlap"]


def test_required_overlap_group() -> None:
    s = tiny(lambda d: d["overlap_groups"][0].update(required=True))
    assignments = base(s)
    assert check_plan(s, plan(assignments)) == []
    del assignments["D2"]
    assert rules(s, plan(assignments)) == ["overlap"]
    assert rules(s, plan(assignments, Status.unknown)) == []


def test_finish_to_start(s: Scenario) -> None:
    assignments = base(s)
    assignments["B"] = assign(s, "B", 4, 6, option="tusur")
    found = check_plan(s, plan(assignments))
    assert [(v.rule, v.work_package) for v in found] == [("precedence", "B")]


def test_missing_predecessor(s: Scenario) -> None:
    assignments = base(s)
    del assignments["A"]
    assert rules(s, plan(assignments)) == ["mandatory", "precedence"]
    assert rules(s, plan(assignments, Status.unknown)) == ["precedence"]


def test_start_to_start_with_lag(s: Scenario) -> None:
    assignments = base(s)
    assignments["D2"] = assign(s, "D2", 0, 1)
    assignments["E"] = assign(s, "E", 3, 4)  # A starts at 1, lag 2
    assert check_plan(s, plan(assignments)) == []
    assignments["E"] = assign(s, "E", 2, 3)
    assert rules(s, plan(assignments)) == ["precedence"]


def test_after_an_overlap_group(s: Scenario) -> None:
    assignments = base(s)
    assignments["E"] = assign(s, "E", 13, 14)
    assert check_plan(s, plan(assignments)) == []
    assignments["E"] = assign(s, "E", 12, 13)  # D2 runs in period 12
    assert rules(s, plan(assignments)) == ["precedence"]
    del assignments["D2"]
    assignments["E"] = assign(s, "E", 13, 14)
    assert rules(s, plan(assignments)) == ["precedence"]


# ---------------------------------------------------------------- resources


def test_capacity() -> None:
    s = tiny(lambda d: d["institutions"][0].update(capacity_pm=2.5))  # A 1.5 + C 1.0 in 2025-02
    assert check_plan(s, plan(base(s))) == []
    s = tiny(lambda d: d["institutions"][0].update(capacity_pm=2.4))
    found = check_plan(s, plan(base(s)))
    assert [v.rule for v in found] == ["capacity"]
    assert found[0].message == "bsuir is booked 2.5 PM in 2025-02, capacity 2.4 PM"


def test_capacity_by_year() -> None:
    s = tiny(lambda d: d["institutions"][1].update(capacity_pm_by_year={2026: 1}))  # B runs in 2025
    assert check_plan(s, plan(base(s))) == []
    s = tiny(lambda d: d["institutions"][1].update(capacity_pm_by_year={2025: 1}))
    found = check_plan(s, plan(base(s)))
    assert [v.rule for v in found] == ["capacity", "capacity"]  # 2025-06 and 2025-07
    assert "tusur is booked 2.0 PM in 2025-06, capacity 1.0 PM" in found[0].message


def test_facility(s: Scenario) -> None:
    assignments = base(s)
    assignments["D2"] = assign(s, "D2", 0, 1)  # before A takes the lab
    assert check_plan(s, plan(assignments)) == []
    assignments["D2"] = assign(s, "D2", 1, 2)
    found = check_plan(s, plan(assignments))
    assert [v.rule for v in found] == ["facility"]
    assert "2025-02" in found[0].message


# ---------------------------------------------------------------- funding


@pytest.mark.parametrize(
    ("wp", "funders"),
    [
        ("A", ["rsf"]),  # rsf pays Russian institutions only
        ("A", ["bff", "rsf"]),  # one funder pays the cost
        ("A", []),  # the program's work must be paid
        ("D2", ["bff"]),  # the study program has no funders
    ],
)
def test_who_pays(s: Scenario, wp: str, funders: list[str]) -> None:
    assignments = base(s)
    a = assignments[wp]
    assignments[wp] = assign(s, wp, a.start, a.end, option=a.option, funders=funders)
    found = check_plan(s, plan(assignments))
    assert [(v.rule, v.work_package) for v in found] == [("funding", wp)]


@pytest.mark.parametrize("funding", [{}, {"bff": 400.0, "rsf": 0.0}])
def test_fixed_draws_replace_the_funder(s: Scenario, funding: dict[str, float]) -> None:
    assignments = base(s)
    assignments["C"] = changed(assignments["C"], funding=funding)
    assert rules(s, plan(assignments)) == ["funding"]


def test_funder_total() -> None:
    ok = tiny(lambda d: d["funders"][0].update(total=6400))  # A 6000 BYN + C 400 BYN
    assert check_plan(ok, plan(base(ok))) == []
    over = tiny(lambda d: d["funders"][0].update(total=6300))
    found = check_plan(over, plan(base(over)))
    assert [v.rule for v in found] == ["funder_cap"]
    assert found[0].message == "bff pays 6,400.00 BYN in all, cap 6,300.00 BYN"


def test_funder_shares() -> None:
    def joint(tolerance: float) -> Callable[[dict[str, Any]], None]:
        def edit(d: dict[str, Any]) -> None:
            d["funders"].append(
                {"id": "joint", "pays": ["BY", "RU"], "currency": "USD", "shares": {"BY": 0.5, "RU": 0.5}}
            )
            d["funders"][-1]["tolerance"] = tolerance
            d["programs"][0]["funders"] = ["joint"]

        return edit

    # joint pays A 3000 USD in Belarus and B 2000 USD in Russia: 60 % / 40 %
    ok = tiny(joint(0.1))
    assert check_plan(ok, plan(base(ok))) == []
    off = tiny(joint(0.05))
    found = check_plan(off, plan(base(off)))
    assert [v.rule for v in found] == ["funder_share", "funder_share"]
    assert found[0].message == "joint spends 60.0 % in BY, target 50.0 % ± 5.0 %"


def test_program_country_shares() -> None:
    # radar costs A 3000 USD in Belarus and B 2000 USD in Russia: 60 % / 40 %
    def shares(tolerance: float) -> Callable[[dict[str, Any]], None]:
        return lambda d: d["programs"][0].update(country_shares={"BY": 0.5, "RU": 0.5}, share_tolerance=tolerance)

    ok = tiny(shares(0.1))
    assert check_plan(ok, plan(base(ok))) == []
    off = tiny(shares(0.05))
    assert rules(off, plan(base(off))) == ["program_share", "program_share"]


def test_max_institution_share() -> None:
    ok = tiny(lambda d: d["programs"][0].update(max_institution_share=0.6))
    assert check_plan(ok, plan(base(ok))) == []
    over = tiny(lambda d: d["programs"][0].update(max_institution_share=0.55))
    found = check_plan(over, plan(base(over)))
    assert [v.rule for v in found] == ["institution_share"]
    assert "tusur takes 57.1 %" in found[0].message


# ---------------------------------------------------------------- pins, forbids, deliverables


@pytest.mark.parametrize(
    ("pin", "valid"),
    [
        ({"work_package": "A", "institution": "bsuir", "start": "2025-02"}, True),
        ({"work_package": "C", "option": "c-by"}, True),
        ({"work_package": "A", "institution": "tusur"}, False),
        ({"work_package": "A", "start": "2025-03"}, False),
        ({"work_package": "D1"}, False),
    ],
)
def test_pin(pin: dict[str, Any], valid: bool) -> None:
    s = tiny(lambda d: d.update(pins=[pin]))
    assert rules(s, plan(base(s))) == ([] if valid else ["pin"])


def test_forbid() -> None:
    ok = tiny(lambda d: d.update(forbids=[{"work_package": "A", "institution": "tusur"}]))
    assert check_plan(ok, plan(base(ok))) == []
    no = tiny(lambda d: d.update(forbids=[{"work_package": "A", "institution": "bsuir"}]))
    assert rules(no, plan(base(no))) == ["forbid"]


def test_deliverable_due() -> None:
    s = tiny(lambda d: wp_data(d, "A")["deliverables"][0].update(due="2025-01"))  # delivered end of 2025-02
    found = check_plan(s, plan(base(s)))
    assert [v.rule for v in found] == ["deliverable"]
    assert found[0].message == "A/A-proto is delivered 2025-02, after its due 2025-01"


def test_deliverable_offset_past_the_end() -> None:
    s = tiny(lambda d: wp_data(d, "A")["deliverables"][0].update(offset=5, due=None))  # A runs 4 periods
    assert rules(s, plan(base(s))) == ["deliverable"]


@pytest.mark.parametrize(
    "listed",
    [
        [DeliverableDate(id="A-proto", period=2, month="2025-02")],
        [
            DeliverableDate(id="A-proto", period=2, month="2025-02"),
            DeliverableDate(id="A-report", period=4, month="2025-04"),
        ],
        [
            DeliverableDate(id="A-proto", period=2, month="2025-03"),
            DeliverableDate(id="A-report", period=5, month="2025-05"),
        ],
    ],
)
def test_deliverables_listed_in_the_plan(s: Scenario, listed: list[DeliverableDate]) -> None:
    assignments = base(s)
    assert assignments["A"].deliverables == [
        DeliverableDate(id="A-proto", period=2, month="2025-02"),
        DeliverableDate(id="A-report", period=5, month="2025-05"),
    ]
    assignments["A"] = changed(assignments["A"], deliverables=listed)
    assert rules(s, plan(assignments)) == ["deliverable"]


# ---------------------------------------------------------------- objective terms


def test_evaluate_every_term(s: Scenario) -> None:
    assert evaluate(s, plan(base(s))) == {
        "value": 8.0,  # C 5 + D2 3; A and B are mandatory
        "lateness": 5.0,  # B ends 2025-07, due 2025-05: 2; radar ends 2025-07, due 2025-04: 3
        "cost": 5550.0,  # planning rates BYN 0.375, RUB 0.015: A 6000 BYN + B 200000 RUB + C 800 BYN
        "makespan": 13.0,  # D2 ends at period 13
        "balance": 8.0,  # bsuir: A 6 PM + C 2 PM
        "fit": 3.0,  # A at bsuir (radio 4): 1; B at tusur (radio 3): 2
        "collaboration": 1.0,  # study has no work in Russia; idle has no work packages
    }
    assert set(evaluate(s, plan(base(s)))) == {str(t) for t in Term}


def test_evaluate_an_empty_plan(s: Scenario) -> None:
    terms = evaluate(s, plan([], Status.infeasible))
    assert terms["collaboration"] == 4.0
    assert all(v == 0.0 for k, v in terms.items() if k != "collaboration")


def test_evaluate_ignores_the_plans_own_figures(s: Scenario) -> None:
    assignments = base(s)
    assignments["A"] = changed(assignments["A"], cost_reporting=0.0, effort_pm=0.0)
    assert evaluate(s, plan(assignments)) == evaluate(s, plan(base(s)))


# ---------------------------------------------------------------- money across years

MONEY: dict[str, Any] = {
    "schema_version": 1,
    "name": "money",
    "time": {"start": "2025-01", "periods": 24},
    "currencies": {"reporting": "USD", "rates": {"BYN": {2025: 0.5, 2026: 0.25}, "RUB": {2025: 0.01, 2026: 0.02}}},
    "countries": [
        {"id": "BY", "name": "Belarus", "currency": "BYN"},
        {"id": "RU", "name": "Russia", "currency": "RUB"},
    ],
    "institutions": [{"id": "bsuir", "country": "BY", "capacity_pm": 10, "rate_per_pm": 1000}],
    "funders": [
        {"id": "bff", "country": "BY", "cap_per_year": {2025: 2000}},
        {"id": "union", "pays": ["BY", "RU"], "currency": "RUB"},
    ],
    "programs": [{"id": "p", "funders": ["bff", "union"]}],
    "work_packages": [{"id": "W", "program": "p", "effort_pm": 6, "duration": 6}],
}


def test_conversion_year_by_year() -> None:
    s = build(MONEY)
    a = assign(s, "W", 9, 15, funders=["union"])  # 2025-10..2026-03: 3000 BYN in each year
    assert a.cost_reporting == pytest.approx(6000 * (0.5 + 0.25) / 2)  # planning rate: mean of 2025 and 2026
    assert a.funding == {"union": pytest.approx(3000 * 0.5 / 0.01 + 3000 * 0.25 / 0.02)}  # 187,500 RUB
    assert check_plan(s, plan([a])) == []
    assert evaluate(s, plan([a]))["cost"] == pytest.approx(2250.0)
    at_first_rate = changed(a, cost_reporting=6000 * 0.5, funding={"union": 6000 * 0.5 / 0.01})
    found = check_plan(s, plan([at_first_rate]))
    assert [v.rule for v in found] == ["assignment", "assignment"]


@pytest.mark.parametrize(("start", "valid"), [(9, False), (10, True), (11, True)])
def test_yearly_cap_counts_the_part_in_that_year(start: int, valid: bool) -> None:
    s = build(MONEY)
    # 6000 BYN over 6 months: 1000 BYN per month, cap 2000 BYN in 2025
    a = assign(s, "W", start, start + 6, funders=["bff"])
    found = check_plan(s, plan([a]))
    assert [v.rule for v in found] == ([] if valid else ["funder_cap"])
    if not valid:
        assert found[0].message == "bff pays 3,000.00 BYN in 2025, cap 2,000.00 BYN"


def test_year_amounts() -> None:
    quarters = Calendar(TimeGrid(start="2025-01", periods=8, period="quarter"))
    assert year_amounts(quarters, 1200.0, 3, 6) == {2025: pytest.approx(400.0), 2026: pytest.approx(800.0)}
    assert year_amounts(quarters, 50.0, 4, 4) == {2026: 50.0}
    assert year_amounts(quarters, 50.0, 8, 8) == {2026: 50.0}  # no duration, at the end of the horizon
