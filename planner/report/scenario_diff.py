"""What changed between two scenarios, section by section and id by id, told in domain words.

Sentences are in English with the scenario's ids (a reviewer reads them next to the YAML); numbers carry
their units (PM, PM/month, currency, %) and a percentage change where a budget or capacity moved.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from planner.domain.scenario import Dependency
from planner.i18n import number

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from planner.domain.scenario import Funder, Institution, Scenario, WorkPackage

Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class ScenarioChange:
    """One difference: what kind, where (section, subject id, field), the values before and after, in words."""

    kind: Kind
    section: str
    subject: str
    field: str | None
    before: Any
    after: Any
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return asdict(self)


@dataclass(frozen=True)
class ScenarioDiff:
    """Scenario B against scenario A: every change in file order (sections as in the format)."""

    changes: tuple[ScenarioChange, ...]

    @property
    def identical(self) -> bool:
        """True when the two scenarios mean the same (comments and formatting aside)."""
        return not self.changes

    def sentences(self) -> list[str]:
        """One line per change."""
        return [c.sentence for c in self.changes]


SECTION_TITLES: dict[str, str] = {
    "scenario": "Scenario",
    "time": "Time grid",
    "currencies": "Currencies",
    "countries": "Countries",
    "competencies": "Competencies",
    "institutions": "Institutions",
    "facilities": "Facilities",
    "funders": "Funders",
    "programs": "Programs",
    "work_packages": "Work packages",
    "overlap_groups": "Overlap groups",
    "prior_results": "Prior results",
    "pins": "Pins",
    "forbids": "Forbids",
    "objective": "Objective",
}
"""Section keys of a scenario diff, in the order of the file format, with their headings."""

_NOUN = {
    "countries": "country",
    "competencies": "competency",
    "institutions": "institution",
    "facilities": "facility",
    "funders": "funder",
    "programs": "program",
    "overlap_groups": "overlap group",
}


def diff_scenarios(a: Scenario, b: Scenario) -> ScenarioDiff:
    """Every difference between scenario A and scenario B, id-keyed, with a sentence each."""
    ctx = _Context(a, b)
    out: list[ScenarioChange] = []
    for name in ("name", "description", "schema_version"):
        va, vb = getattr(a, name), getattr(b, name)
        if va != vb:
            out.append(_changed("scenario", "scenario", name, va, vb, f"scenario {name}: {_show(va)} → {_show(vb)}"))
    out += _fields(ctx, "time", "time grid", a.time, b.time)
    out += _currencies(a, b)
    for section in ("countries", "competencies", "institutions", "facilities", "funders", "programs"):
        out += _keyed(ctx, section, getattr(a, section), getattr(b, section), lambda x: x.id)
    out += _keyed(ctx, "work_packages", a.work_packages, b.work_packages, lambda x: x.id)
    out += _keyed(ctx, "overlap_groups", a.overlap_groups, b.overlap_groups, lambda x: x.id)
    out += _keyed(ctx, "prior_results", a.prior_results, b.prior_results, lambda x: f"{x.institution}/{x.work_package}")
    out += _keyed(ctx, "pins", a.pins, b.pins, lambda x: x.work_package)
    out += _keyed(ctx, "forbids", a.forbids, b.forbids, lambda x: f"{x.work_package}/{x.institution}")
    out += _fields(ctx, "objective", "objective", a.objective, b.objective)
    return ScenarioDiff(tuple(out))


class _Context:
    """What sentences need from both scenarios: units of a period, currencies, horizon years."""

    def __init__(self, a: Scenario, b: Scenario) -> None:
        self.a, self.b = a, b
        self.period = b.time.period.value
        self.years = sorted(_years(a) | _years(b))
        self.country_currency = {c.id: c.currency for c in [*a.countries, *b.countries]}

    def institution_currency(self, x: Institution) -> str | None:
        return x.currency or self.country_currency.get(x.country)

    def funder_currency(self, x: Funder) -> str | None:
        return x.currency or (self.country_currency.get(x.country) if x.country else None)


def _years(s: Scenario) -> set[int]:
    """Calendar years the horizon touches."""
    first_year, first_month = (int(p) for p in s.time.start.split("-"))
    last = first_month - 1 + s.time.periods * s.time.period.months - 1
    return set(range(first_year, first_year + last // 12 + 1))


def _changed(section: str, subject: str, field: str | None, before: Any, after: Any, sentence: str) -> ScenarioChange:
    return ScenarioChange("changed", section, subject, field, _plain(before), _plain(after), sentence)


def _plain(v: Any) -> Any:
    """A value as JSON-ready data: models without their defaults, enums as their values."""
    if isinstance(v, BaseModel):
        return v.model_dump(mode="json", exclude_defaults=True)
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    return v


def _show(v: Any) -> str:
    """A value in a sentence: numbers with separators, lists comma-separated, nothing as '—'."""
    if v is None or v == "" or v == [] or v == {}:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int | float):
        return _num(v)
    if isinstance(v, Enum):
        return str(v.value)
    if isinstance(v, BaseModel):
        data = v.model_dump(mode="json", exclude_defaults=True)
        return ", ".join(f"{k} {_show(x)}" for k, x in data.items()) if isinstance(data, dict) else str(data)
    if isinstance(v, list | tuple):
        return ", ".join(_show(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_show(x)}" for k, x in v.items())
    return f'"{v}"' if isinstance(v, str) and " " in v else str(v)


def _num(x: float) -> str:
    """A number with thousands separators, decimals only where there are any."""
    if float(x).is_integer():
        return number(x)
    return number(x, decimals=2 if abs(x) >= 1 else 6).rstrip("0").rstrip(".")  # exchange rates: 0.0105


def _pct(a: Any, b: Any) -> str:
    """' (−15 %)' for numbers that changed by a fraction, '' where a percentage says nothing."""
    if not isinstance(a, int | float) or not isinstance(b, int | float) or isinstance(a, bool) or a == 0:
        return ""
    p = (b - a) / a * 100
    text = f"{abs(p):.0f}" if abs(p) >= 1 else f"{abs(p):.1f}"
    return f" ({'+' if p > 0 else '−'}{text} %)"


def _with(value: Any, unit: str | None) -> str:
    """A value and its unit; percentages for shares."""
    if value is None:
        return "—"
    if unit == "%" and isinstance(value, int | float):
        return f"{_num(round(value * 100, 2))} %"
    if unit == "periods" and not isinstance(value, int | float) and hasattr(value, "min"):
        return f"{value.min}–{value.max} periods"
    return f"{_show(value)} {unit}" if unit else _show(value)


# (section, field) → (words, unit); the unit "$inst"/"$funder" is the owner's currency, "/period" per period.
_FIELDS: dict[tuple[str, str], tuple[str, str | None]] = {
    ("time", "start"): ("start", None),
    ("time", "periods"): ("length", "periods"),
    ("time", "period"): ("period", None),
    ("institutions", "rate_per_pm"): ("rate", "$inst/PM"),
    ("institutions", "competencies"): ("competency level in", None),
    ("facilities", "capacity"): ("capacity", "units/period"),
    ("funders", "total"): ("total cap", "$funder"),
    ("funders", "cap_per_year"): ("cap", "$funder"),
    ("funders", "shares"): ("target share for", "%"),
    ("funders", "tolerance"): ("share tolerance", "%"),
    ("programs", "country_shares"): ("target share for", "%"),
    ("programs", "share_tolerance"): ("share tolerance", "%"),
    ("programs", "max_institution_share"): ("largest institution share", "%"),
    ("work_packages", "effort_pm"): ("effort", "PM"),
    ("work_packages", "duration"): ("duration", "periods"),
    ("work_packages", "earliest_start"): ("earliest start", None),
    ("work_packages", "requires"): ("required level of", None),
    ("work_packages", "facilities"): ("use of facility", "units/period"),
    ("prior_results", "effort_factor"): ("effort factor", None),
    ("prior_results", "cost_factor"): ("cost factor", None),
}

# Dict fields whose keys are years: "by-budget's 2027 cap", not "by-budget's cap 2027".
_YEAR_KEYED = {("funders", "cap_per_year")}


def _unit(ctx: _Context, section: str, field: str, owner: BaseModel) -> str | None:
    unit = _FIELDS.get((section, field), (field, None))[1]
    if unit is None:
        return None
    if "$inst" in unit:
        unit = unit.replace("$inst", ctx.institution_currency(owner) or "")  # type: ignore[arg-type]
    if "$funder" in unit:
        unit = unit.replace("$funder", ctx.funder_currency(owner) or "")  # type: ignore[arg-type]
    unit = unit.replace("periods", f"{ctx.period}s").replace("/period", f"/{ctx.period}")
    return unit.strip() or None


def _keyed(
    ctx: _Context, section: str, before: Sequence[BaseModel], after: Sequence[BaseModel], key: Callable[[Any], str]
) -> Iterator[ScenarioChange]:
    """Items added, removed and changed, matched by id; B's order, then A's items that B dropped."""
    old = {key(x): x for x in before}
    new = {key(x): x for x in after}
    for k, y in new.items():
        x = old.get(k)
        if x is None:
            yield ScenarioChange("added", section, k, None, None, _plain(y), _added(ctx, section, k, y))
        elif x != y:
            yield from _fields(ctx, section, k, x, y)
    for k, x in old.items():
        if k not in new:
            yield ScenarioChange("removed", section, k, None, _plain(x), None, _removed(section, k, x))


def _added(ctx: _Context, section: str, k: str, y: Any) -> str:
    if section == "work_packages":
        effort = f", {_num(y.effort_pm)} PM" if y.effort_pm else ""
        title = f" ({y.title}{effort})" if y.title else (f" ({effort[2:]})" if effort else "")
        return f"{k} added to program {y.program}{title}"
    if section == "institutions":
        return f"institution {k} added ({y.country}, {_num(y.capacity_pm)} PM/{ctx.period}" + (
            f" at {_num(y.rate_per_pm)} {ctx.institution_currency(y) or ''}".rstrip() + "/PM)" if y.rate_per_pm else ")"
        )
    if section == "overlap_groups":
        return f"overlap group {k} added: {', '.join(y.members)}" + (" (one required)" if y.required else "")
    if section == "prior_results":
        return f"{y.institution} has a prior result for {y.work_package} (effort ×{_num(y.effort_factor)})"
    if section == "pins":
        return f"{k} pinned" + _pin_words(y)
    if section == "forbids":
        return f"{y.work_package} may no longer go to {y.institution}"
    return f"{_NOUN.get(section, section)} {k} added"


def _removed(section: str, k: str, x: Any) -> str:
    if section == "work_packages":
        return f"{k} removed from program {x.program}"
    if section == "prior_results":
        return f"{x.institution}'s prior result for {x.work_package} removed"
    if section == "pins":
        return f"{k} no longer pinned"
    if section == "forbids":
        return f"{x.work_package} may go to {x.institution} again"
    return f"{_NOUN.get(section, section)} {k} removed"


def _pin_words(pin: Any) -> str:
    parts = [f" to {pin.institution}" if pin.institution else "", f" to option {pin.option}" if pin.option else ""]
    parts.append(f" from {pin.start}" if pin.start else "")
    return "".join(parts)


def _fields(ctx: _Context, section: str, subject: str, x: BaseModel, y: BaseModel) -> Iterator[ScenarioChange]:
    """Field-by-field differences of one item, in the model's field order."""
    names = list(type(x).model_fields)
    if section == "institutions":
        yield from _capacity(ctx, subject, x, y)  # type: ignore[arg-type]
        names = [n for n in names if n not in ("capacity_pm", "capacity_pm_by_year")]
    for name in names:
        va, vb = getattr(x, name), getattr(y, name)
        if va == vb:
            continue
        if section == "work_packages" and name == "after":
            yield from _dependencies(ctx, subject, x, y)  # type: ignore[arg-type]
        elif section == "work_packages" and name in ("options", "deliverables"):
            noun = name[:-1]
            yield from (
                ScenarioChange(
                    c.kind, section, subject, f"{name}[{c.subject}]", c.before, c.after, f"{subject}: {c.sentence}"
                )
                for c in _keyed(ctx, noun, va, vb, lambda o: o.id)
            )
        elif isinstance(va, dict) and isinstance(vb, dict):
            yield from _dict_field(ctx, section, subject, name, x, va, vb)
        else:
            yield _changed(section, subject, name, va, vb, _field_sentence(ctx, section, subject, name, x, va, vb))


def _field_sentence(ctx: _Context, section: str, subject: str, name: str, owner: BaseModel, va: Any, vb: Any) -> str:
    if section == "work_packages" and name == "program":
        return f"{subject} moved from program {va} to program {vb}"
    if section == "work_packages" and name == "mandatory":
        return f"{subject} is {'now mandatory' if vb else 'now optional'}"
    if section == "pins":
        return f"{subject}'s pin: {name} {_show(va)} → {_show(vb)}"
    words = _FIELDS.get((section, name), (name.replace("_", " "), None))[0]
    unit = _unit(ctx, section, name, owner)
    whose = f"{subject}'s " if section not in ("time", "objective") else f"{subject} "
    if va is None:
        return f"{whose}{words} set to {_with(vb, unit)}"
    if vb is None:
        return f"{whose}{words} {_with(va, unit)} removed"
    before = _with(va, unit) if unit == "%" else _show(va)
    return f"{whose}{words} {before} → {_with(vb, unit)}{_pct(va, vb) if unit not in ('%', None) else ''}"


def _dict_field(
    ctx: _Context, section: str, subject: str, name: str, owner: BaseModel, va: dict[Any, Any], vb: dict[Any, Any]
) -> Iterator[ScenarioChange]:
    """Per-key differences of a mapping field (caps per year, shares, required competencies)."""
    words = _FIELDS.get((section, name), (name.replace("_", " "), None))[0]
    unit = _unit(ctx, section, name, owner)
    money = unit not in (None, "%")
    for k in sorted({*va, *vb}, key=lambda k: (str(type(k)), k)):
        a, b = va.get(k), vb.get(k)
        if a == b:
            continue
        what = f"{subject}'s {k} {words}" if (section, name) in _YEAR_KEYED else f"{subject}'s {words} {k}"
        field = f"{name}[{k}]"
        if a is None:
            yield ScenarioChange("added", section, subject, field, None, _plain(b), f"{what}: {_with(b, unit)} (new)")
        elif b is None:
            yield ScenarioChange(
                "removed", section, subject, field, _plain(a), None, f"{what}: {_with(a, unit)} removed"
            )
        else:
            first = _show(a) if unit != "%" else _with(a, unit)
            change = _pct(a, b) if money else ""
            yield _changed(section, subject, field, a, b, f"{what} {first} → {_with(b, unit)}{change}")


def _capacity(ctx: _Context, subject: str, x: Institution, y: Institution) -> Iterator[ScenarioChange]:
    """Capacity per year as the planner uses it, in runs of years: "tusur's capacity 6 → 4 PM/month from 2026"."""
    if (x.capacity_pm, x.capacity_pm_by_year) == (y.capacity_pm, y.capacity_pm_by_year):
        return
    years = ctx.years
    runs: list[tuple[int, int, float, float]] = []
    for year in years:
        a, b = x.capacity_in(year), y.capacity_in(year)
        if a == b:
            continue
        if runs and runs[-1][1] == year - 1 and runs[-1][2:] == (a, b):
            runs[-1] = (runs[-1][0], year, a, b)
        else:
            runs.append((year, year, a, b))
    unit = f"PM/{ctx.period}"
    for first, last, a, b in runs:
        when = _years_words(first, last, years)
        field = "capacity" if not when else f"capacity[{first}-{last}]" if first != last else f"capacity[{first}]"
        yield _changed(
            "institutions", subject, field, a, b, f"{subject}'s capacity {_num(a)} → {_num(b)} {unit}{when}{_pct(a, b)}"
        )
    if not runs:  # the file changed, the capacity over the horizon did not (e.g. a year outside it)
        for name in ("capacity_pm", "capacity_pm_by_year"):
            va, vb = getattr(x, name), getattr(y, name)
            if va != vb:
                text = f"{subject}'s {name.replace('_', ' ')} {_show(va)} → {_show(vb)} (no effect within the horizon)"
                yield _changed("institutions", subject, name, va, vb, text)


def _years_words(first: int, last: int, years: list[int]) -> str:
    """' from 2026', ' in 2026', ' until 2027', ' in 2026–2028', or '' for the whole horizon."""
    if first == years[0] and last == years[-1]:
        return ""
    if last == years[-1]:
        return f" from {first}"
    if first == last:
        return f" in {first}"
    if first == years[0]:
        return f" until {last}"
    return f" in {first}–{last}"


def _dependencies(ctx: _Context, subject: str, x: WorkPackage, y: WorkPackage) -> Iterator[ScenarioChange]:
    """Predecessors gained, lost or changed in lag or type."""
    # Not `WorkPackage.dependencies`: a cached property that `model_copy` carries over from the original.
    old = {d.id: d for d in (Dependency(id=d) if isinstance(d, str) else d for d in x.after)}
    new = {d.id: d for d in (Dependency(id=d) if isinstance(d, str) else d for d in y.after)}

    def words(d: Any) -> str:
        kind = "start" if d.type.value == "SS" else "finish"
        return kind + (f" + {d.lag} {ctx.period}{'s' if d.lag != 1 else ''}" if d.lag else "")

    for k, d in new.items():
        if k not in old:
            text = f"{subject} now waits for {k}" + (f" ({words(d)})" if d.lag or d.type.value == "SS" else "")
            yield ScenarioChange("added", "work_packages", subject, f"after[{k}]", None, _plain(d), text)
        elif old[k] != d:
            text = f"{subject}'s wait for {k}: {words(old[k])} → {words(d)}"
            yield _changed("work_packages", subject, f"after[{k}]", old[k], d, text)
    for k, d in old.items():
        if k not in new:
            yield ScenarioChange(
                "removed",
                "work_packages",
                subject,
                f"after[{k}]",
                _plain(d),
                None,
                f"{subject} no longer waits for {k}",
            )


def _currencies(a: Scenario, b: Scenario) -> Iterator[ScenarioChange]:
    """Reporting currency and exchange rates by currency and year."""
    ca, cb = a.currencies, b.currencies
    ra, rb = (ca.reporting if ca else None), (cb.reporting if cb else None)
    if ra != rb:
        yield _changed("currencies", "reporting", "reporting", ra, rb, f"reporting currency {_show(ra)} → {_show(rb)}")
    rates_a, rates_b = (ca.rates if ca else {}), (cb.rates if cb else {})
    for cur in sorted({*rates_a, *rates_b}):
        ya, yb = rates_a.get(cur, {}), rates_b.get(cur, {})
        for year in sorted({*ya, *yb}):
            x, y = ya.get(year), yb.get(year)
            if x == y:
                continue
            field = f"rates[{cur}][{year}]"
            what = f"rate of {cur} in {year}"
            if x is None:
                yield ScenarioChange(
                    "added",
                    "currencies",
                    cur,
                    field,
                    None,
                    y,
                    f"{what}: {_show(y)} {rb or ''} (new)".replace("  ", " "),
                )
            elif y is None:
                yield ScenarioChange("removed", "currencies", cur, field, x, None, f"{what} removed (was {_show(x)})")
            else:
                yield _changed("currencies", cur, field, x, y, f"{what} {_show(x)} → {_show(y)}{_pct(x, y)}")
