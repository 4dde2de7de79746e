"""Cross-checks: rules that relate parts of a scenario (ids, references, cycles, windows, executability).

Each yields (YAML path, message); `planner.problem.validate` adds the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from planner.domain.scenario import MAX_MONEY, Scenario
from planner.problem.calendar import calendar_of, own_window
from planner.problem.options import competent, duration_bounds
from planner.problem.prepared import prepare

if TYPE_CHECKING:
    from collections.abc import Iterator

Loc = tuple[str | int, ...]


def cross_check(s: Scenario) -> list[tuple[Loc, str]]:
    """Rules that relate parts of a scenario: ids, references, cycles, windows, executability."""
    out: list[tuple[Loc, str]] = []
    out += _duplicates(s)
    out += _references(s)
    out += _currencies(s)
    out += _windows(s)
    out += _cycles(s)
    if not out:  # executability and the money as a whole need sound references
        out += _executability(s)
        out += _magnitudes(s)
    return out


def partial_check(data: Any) -> list[tuple[Loc, str]]:
    """Duplicate ids and unknown references among the items valid on their own, for a scenario whose fields are not
    all valid: so that one pass lists every problem (a field problem used to hide a misspelt reference).

    Each list item is validated alone; references are checked against every id the file gives (valid items or
    not, so that an item with a field problem is not also reported as missing), and the checks of whole-scenario
    rules (windows, cycles, money) wait for a valid scenario.
    """
    if not isinstance(data, dict):
        return []
    valid: dict[str, Any] = {}
    where: dict[str, list[int]] = {}
    raw_ids: dict[str, set[str]] = {}
    for name, field in Scenario.model_fields.items():
        model = _item_model(field.annotation)
        if model is None:
            continue
        valid[name], where[name] = [], []  # every section, so that a missing one reads as empty
        items = data.get(name)
        if not isinstance(items, list):
            continue
        raw_ids[name] = {str(x["id"]) for x in items if isinstance(x, dict) and "id" in x}
        for i, item in enumerate(items):
            try:
                valid[name].append(model.model_validate(item))
            except (ValidationError, ValueError, TypeError):
                continue
            where[name].append(i)
    s = Scenario.model_construct(**valid)
    known = _Known(*(raw_ids.get(k, set()) for k in _KNOWN_SECTIONS))
    out = []
    for loc, msg in [*_duplicates(s), *_references(s, known)]:
        section, index, *rest = loc
        out.append(((section, where[str(section)][int(index)], *rest), msg))
    return out


_KNOWN_SECTIONS = (
    *("countries", "competencies", "institutions", "facilities"),
    *("funders", "programs", "work_packages", "overlap_groups"),
)
"""Sections whose ids references point at, in `_Known`'s order."""


def _item_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a list field's items (`list[Institution]` → Institution), else None."""
    if get_origin(annotation) is not list:
        return None
    (item,) = get_args(annotation) or (None,)
    return item if isinstance(item, type) and issubclass(item, BaseModel) else None


def _ids(items: list[Any]) -> set[str]:
    return {i.id for i in items}


def _duplicates(s: Scenario) -> Iterator[tuple[Loc, str]]:
    for field in (
        "countries",
        "competencies",
        "institutions",
        "facilities",
        "funders",
        "programs",
        "work_packages",
        "overlap_groups",
    ):
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(s, field)):
            if item.id in seen:
                yield (field, i, "id"), f"duplicate id '{item.id}' (first used at {field}[{seen[item.id]}])"
            seen.setdefault(item.id, i)
    wps = _ids(s.work_packages)
    for i, g in enumerate(s.overlap_groups):
        if g.id in wps:
            yield ("overlap_groups", i, "id"), f"'{g.id}' is also a work package id; overlap groups need their own ids"
    for w, wp in enumerate(s.work_packages):
        seen_opt: set[str] = set()
        for o, opt in enumerate(wp.options):
            if opt.id in seen_opt:
                yield ("work_packages", w, "options", o, "id"), f"duplicate option id '{opt.id}' in {wp.id}"
            seen_opt.add(opt.id)


def _unknown(kind: str, value: str, known: set[str]) -> str:
    if not known:
        plural = kind[:-1] + "ies" if kind.endswith("y") else kind + "s"
        return f"unknown {kind} '{value}' (the scenario defines no {plural})"
    listed = ", ".join(sorted(known)[:12]) + (", …" if len(known) > 12 else "")
    return f"unknown {kind} '{value}' (known: {listed})"


@dataclass(frozen=True)
class _Known:
    """The ids a scenario defines, by kind: what its references are checked against."""

    countries: set[str]
    competencies: set[str]
    institutions: set[str]
    facilities: set[str]
    funders: set[str]
    programs: set[str]
    work_packages: set[str]
    groups: set[str]

    @classmethod
    def of(cls, s: Scenario) -> _Known:
        return cls(
            _ids(s.countries),
            _ids(s.competencies),
            _ids(s.institutions),
            _ids(s.facilities),
            _ids(s.funders),
            _ids(s.programs),
            _ids(s.work_packages),
            _ids(s.overlap_groups),
        )


def _ref(loc: Loc, kind: str, value: str | None, known: set[str]) -> Iterator[tuple[Loc, str]]:
    if value is not None and value not in known:
        yield loc, _unknown(kind, value, known)


def _references(s: Scenario, known: _Known | None = None) -> Iterator[tuple[Loc, str]]:
    """References to ids the scenario (or `known`) does not define, section by section in file order."""
    known = known or _Known.of(s)
    yield from _institution_refs(s, known)
    yield from _funder_refs(s, known)
    yield from _program_refs(s, known)
    yield from _work_package_refs(s, known)
    yield from _group_refs(s, known)
    yield from _decision_refs(s, known)


def _institution_refs(s: Scenario, known: _Known) -> Iterator[tuple[Loc, str]]:
    for i, inst in enumerate(s.institutions):
        yield from _ref(("institutions", i, "country"), "country", inst.country, known.countries)
        for c in inst.competencies:
            yield from _ref(("institutions", i, "competencies", c), "competency", c, known.competencies)
    for i, fac in enumerate(s.facilities):
        yield from _ref(("facilities", i, "institution"), "institution", fac.institution, known.institutions)


def _funder_refs(s: Scenario, known: _Known) -> Iterator[tuple[Loc, str]]:
    for i, f in enumerate(s.funders):
        yield from _ref(("funders", i, "country"), "country", f.country, known.countries)
        for j, c in enumerate(f.pays or []):
            yield from _ref(("funders", i, "pays", j), "country", c, known.countries)
        for j, inst_id in enumerate(f.institutions or []):
            yield from _ref(("funders", i, "institutions", j), "institution", inst_id, known.institutions)
        for c in f.shares:
            yield from _ref(("funders", i, "shares", c), "country", c, known.countries)
        if f.country is None and f.pays is None:
            yield (
                ("funders", i, "pays"),
                "a funder with no country must list the countries it pays: give `country` or `pays: [...]`",
            )
        if f.shares and sum(f.shares.values()) > 1 + 1e-9:
            yield ("funders", i, "shares"), f"shares add up to {sum(f.shares.values()):.3f}, more than 1"


def _program_refs(s: Scenario, known: _Known) -> Iterator[tuple[Loc, str]]:
    for i, p in enumerate(s.programs):
        for j, fid in enumerate(p.funders):
            yield from _ref(("programs", i, "funders", j), "funder", fid, known.funders)
        for c in p.country_shares:
            yield from _ref(("programs", i, "country_shares", c), "country", c, known.countries)
        if p.country_shares and sum(p.country_shares.values()) > 1 + 1e-9:
            yield (
                ("programs", i, "country_shares"),
                f"shares add up to {sum(p.country_shares.values()):.3f}, more than 1",
            )


def _work_package_refs(s: Scenario, known: _Known) -> Iterator[tuple[Loc, str]]:
    either = known.work_packages | known.groups
    for w, wp in enumerate(s.work_packages):
        base: Loc = ("work_packages", w)
        yield from _ref((*base, "program"), "program", wp.program, known.programs)
        proposers = known.institutions | known.countries
        yield from _ref((*base, "proposed_by"), "institution or country", wp.proposed_by, proposers)
        for c in wp.requires:
            yield from _ref((*base, "requires", c), "competency", c, known.competencies)
        for fac_id in wp.facilities:
            yield from _ref((*base, "facilities", fac_id), "facility", fac_id, known.facilities)
        for j, dep in enumerate(wp.dependencies):
            if dep.id == wp.id:
                yield (*base, "after", j), f"{wp.id} cannot come after itself"
            else:
                yield from _ref((*base, "after", j), "work package or overlap group", dep.id, either)
        for o, opt in enumerate(wp.options):
            yield from _ref((*base, "options", o, "institution"), "institution", opt.institution, known.institutions)
            for fac_id in opt.facilities or {}:
                yield from _ref((*base, "options", o, "facilities", fac_id), "facility", fac_id, known.facilities)
            for fid in opt.funding or {}:
                yield from _ref((*base, "options", o, "funding", fid), "funder", fid, known.funders)


def _group_refs(s: Scenario, known: _Known) -> Iterator[tuple[Loc, str]]:
    wps = known.work_packages
    mandatory_wps = {w.id for w in s.work_packages if w.mandatory}
    for i, g in enumerate(s.overlap_groups):
        for j, m in enumerate(g.members):
            yield from _ref(("overlap_groups", i, "members", j), "work package", m, wps)
        mandatory = [m for m in g.members if m in mandatory_wps]
        if len(mandatory) > 1:
            yield (
                ("overlap_groups", i, "members"),
                (
                    f"at most one member can be done but {' and '.join(mandatory)} are both mandatory; "
                    "make them `mandatory: false` (and the group `required: true`)"
                ),
            )


def _decision_refs(s: Scenario, known: _Known) -> Iterator[tuple[Loc, str]]:
    """Prior results, pins and forbids: each names a work package and an institution."""
    wps, insts = known.work_packages, known.institutions
    for i, pr in enumerate(s.prior_results):
        yield from _ref(("prior_results", i, "institution"), "institution", pr.institution, insts)
        yield from _ref(("prior_results", i, "work_package"), "work package", pr.work_package, wps)
    for i, pin in enumerate(s.pins):
        yield from _ref(("pins", i, "work_package"), "work package", pin.work_package, wps)
        yield from _ref(("pins", i, "institution"), "institution", pin.institution, insts)
        wp_opts = next((w for w in s.work_packages if w.id == pin.work_package), None)
        if pin.option is not None and wp_opts is not None and wp_opts.options:
            yield from _ref(("pins", i, "option"), f"option of {pin.work_package}", pin.option, _ids(wp_opts.options))
    for i, fb in enumerate(s.forbids):
        yield from _ref(("forbids", i, "work_package"), "work package", fb.work_package, wps)
        yield from _ref(("forbids", i, "institution"), "institution", fb.institution, insts)


def _currencies(s: Scenario) -> Iterator[tuple[Loc, str]]:
    used: list[tuple[Loc, str]] = [
        (("countries", i, "currency"), c.currency) for i, c in enumerate(s.countries) if c.currency
    ]
    used += [(("institutions", i, "currency"), x.currency) for i, x in enumerate(s.institutions) if x.currency]
    used += [(("funders", i, "currency"), f.currency) for i, f in enumerate(s.funders) if f.currency]
    if s.currencies is None:
        distinct = sorted({c for _, c in used})
        if len(distinct) > 1:
            # point at the first use of a second currency: the file has no `currencies` line to point at
            loc = next(loc for loc, c in used if c != used[0][1])
            yield (
                loc,
                (
                    f"several currencies are used ({', '.join(distinct)}) but there is no `currencies` section: "
                    "add `currencies: {reporting: ..., rates: {...}}` with a rate for each"
                ),
            )
        return
    known = set(s.currencies.rates) | {s.currencies.reporting}
    for loc, c in used:
        if c not in known:
            yield loc, f"no exchange rate for currency '{c}' (add it under currencies.rates)"


def _windows(s: Scenario) -> Iterator[tuple[Loc, str]]:
    cal = calendar_of(s.time)
    horizon_end = cal.last_month(cal.horizon)
    for w, wp in enumerate(s.work_packages):
        base: Loc = ("work_packages", w)
        min_d = wp.duration if isinstance(wp.duration, int) else wp.duration.min
        if wp.options:
            min_d = min(
                o.duration if isinstance(o.duration, int) else o.duration.min if o.duration else min_d
                for o in wp.options
            )
        es, latest_end = own_window(cal, wp)
        by_deadline = wp.deadline is not None and cal.period_of(wp.deadline) + 1 <= cal.horizon
        if wp.earliest_start and es >= cal.horizon:
            yield (*base, "earliest_start"), f"{wp.earliest_start} is after the horizon ends ({horizon_end})"
        elif latest_end - es < min_d and by_deadline:
            start_txt = wp.earliest_start or s.time.start
            yield (
                (*base, "deadline"),
                (
                    f"impossible window: {wp.id} takes at least {min_d} periods but may only run from "
                    f"{start_txt} to {wp.deadline}"
                ),
            )
        elif latest_end - es < min_d:
            yield (
                (*base, "duration"),
                (f"{wp.id} takes at least {min_d} periods and cannot finish within the horizon (ends {horizon_end})"),
            )
        wp_bounds = duration_bounds(wp.duration, (1, 1))
        lo, hi = wp_bounds
        if wp.options:
            spans = [duration_bounds(o.duration, wp_bounds) for o in wp.options]
            lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
        takes = f"{hi} periods" if lo == hi else f"at most {hi} periods"
        for d, dl in enumerate(wp.deliverables):
            if dl.offset is not None and dl.offset > hi:
                yield (
                    (*base, "deliverables", d, "offset"),
                    f"offset {dl.offset} is after the end of {wp.id}, which takes {takes}: use an offset from 0 to {hi}",
                )
    for i, pin in enumerate(s.pins):
        if pin.start and not 0 <= cal.period_of(pin.start) < cal.horizon:
            yield ("pins", i, "start"), f"{pin.start} is outside the horizon ({s.time.start} to {horizon_end})"


def _cycles(s: Scenario) -> Iterator[tuple[Loc, str]]:
    groups = {g.id: g.members for g in s.overlap_groups}
    succ: dict[str, list[str]] = {wp.id: [] for wp in s.work_packages}
    for wp in s.work_packages:
        for dep in wp.dependencies:
            for pred in groups.get(dep.id, [dep.id]):
                if pred in succ and pred != wp.id:
                    succ[pred].append(wp.id)
    index = {wp.id: i for i, wp in enumerate(s.work_packages)}
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()
    for root in succ:
        if state.get(root):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(succ[root]))]
        path = [root]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    yield ("work_packages", index[nxt], "after"), f"precedence cycle: {' → '.join(cycle)}"
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
                path.append(nxt)


def _magnitudes(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """All the money the work could cost, in the currency worth least, stays within MAX_MONEY.

    The model counts money in hundredths and the share rules multiply it by 10,000 more, all in 64-bit
    integers: 1e12 × 100 × 10,000 = 1e18, below 2^63 ≈ 9.2e18. Each work package counts at its
    dearest option (cost or fixed funding) at its currency's highest rate, converted into the currency
    worth least: a bound on every sum the model forms, whatever the plan.
    """
    p = prepare(s)
    money = p.money
    top = {c: max(table.values()) for c, table in money.rates.items() if table}
    lowest = min([1.0, *top.values(), *(r for table in money.rates.values() for r in table.values())])

    def worst(amount: float, currency: str | None) -> float:
        return amount * top.get(currency or "", 1.0) / lowest

    total = 0.0
    for wp in s.work_packages:
        total += max(
            (
                max(
                    worst(o.cost, o.currency),
                    sum(worst(a, money.funder_currency.get(f)) for f, a in (o.funding or {}).items()),
                )
                for o in p.options(wp.id)
            ),
            default=0.0,
        )
    if total > MAX_MONEY:
        unit = "units of the currency worth least" if lowest < 1.0 else "units"
        yield (
            ("work_packages",),
            f"the work could cost up to {total:,.0f} {unit}, more than the {MAX_MONEY:,.0f} the planner counts "
            "exactly (in hundredths, within 64-bit sums); give amounts in thousands, or rates per thousand units",
        )


def _executability(s: Scenario) -> Iterator[tuple[Loc, str]]:
    p = prepare(s)
    for w, wp in enumerate(s.work_packages):
        base: Loc = ("work_packages", w)
        options = p.options(wp.id)
        if not options:
            yield (*base, "requires"), _nobody_can(s, wp)
            continue
        funders = p.programs[wp.program].funders
        if funders and all(o.funding is None for o in options):
            payable = [o for o in options if p.funders_for(o.institution, wp.program)]
            if not payable:
                who = ", ".join(
                    f"{o.institution} in {p.institutions[o.institution].country}" if o.institution else f"option {o.id}"
                    for o in options
                )
                yield (
                    (*base, "program"),
                    (
                        f"none of the institutions able to do {wp.id} ({who}) can be paid by the funders of "
                        f"program '{wp.program}' ({'; '.join(_whom_it_pays(s, f) for f in funders)})"
                    ),
                )


def _whom_it_pays(s: Scenario, funder_id: str) -> str:
    """'bff pays BY' or 'joint pays BY, RU: only a, b' — whom a funder may pay."""
    p = prepare(s)
    f, pays = p.funders[funder_id], p.payee_countries(funder_id)
    only = f": only {', '.join(f.institutions)}" if f.institutions is not None else ""
    return f"{f.id} pays {', '.join(pays) or 'nobody'}{only}"


def _nobody_can(s: Scenario, wp: Any) -> str:
    """Why no institution can execute a work package, naming the competency that is missing."""
    if not s.institutions:
        return f"no institution can execute {wp.id}: the scenario lists no institutions"
    parts = []
    for comp, lvl in wp.requires.items():
        have = [(i.competencies.get(comp, 0), i.id) for i in s.institutions]
        best_level, best = max(have, default=(0, ""))
        if best_level < lvl:
            parts.append(
                f"{comp} ≥ {lvl} (best: {best} at {best_level})" if best_level else f"{comp} ≥ {lvl} (nobody has it)"
            )
    if parts:
        return f"no institution can execute {wp.id}: nobody has {', '.join(parts)}"
    wanted = " and ".join(f"{c} ≥ {lvl}" for c, lvl in wp.requires.items())
    lacks = [
        f"{i.id} lacks {', '.join(f'{c} ≥ {lvl}' for c, lvl in wp.requires.items() if i.competencies.get(c, 0) < lvl)}"
        for i in s.institutions
        if not competent(i, wp)
    ]
    more = "; …" if len(lacks) > 5 else ""
    return f"no institution can execute {wp.id}: nobody has {wanted} at once ({'; '.join(lacks[:5])}{more})"
