"""Scenario and plan diffs as text, Markdown or JSON: the output of `planner diff`, the same data in each format.

The plan diff is `compare.compare` (KPI deltas; work packages moved, added, dropped); the scenario diff is
`scenario_diff.diff_scenarios`. Output is deterministic: the order is the scenarios' order, never a set's.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Literal

from planner.i18n import t
from planner.report.scenario_diff import SECTION_TITLES

if TYPE_CHECKING:
    from planner.report.compare import Comparison, KpiDelta
    from planner.report.scenario_diff import ScenarioDiff

Format = Literal["text", "markdown", "json"]


def plans_identical(c: Comparison) -> bool:
    """True when no work package changed and every headline figure is the same."""
    return not c.changes and all(k.a == k.b for k in c.kpis)


def render_scenario_diff(d: ScenarioDiff, fmt: Format = "text", a: str = "A", b: str = "B") -> str:
    """What changed from scenario `a` to `b`: one sentence a line (text), a list per section (markdown), or JSON."""
    if fmt == "json":
        return _json({"kind": "scenario", "a": a, "b": b, "identical": d.identical, "changes": _scenario_rows(d)})
    if fmt == "markdown":
        return "\n".join(_scenario_markdown(d, f"Scenario changes: `{a}` → `{b}`", "###")) + "\n"
    if d.identical:
        return f"{a} and {b} describe the same scenario\n"
    return "".join(f"{c.sentence}\n" for c in d.changes)


def render_plan_diff(
    c: Comparison,
    fmt: Format = "text",
    lang: str = "en",
    a: str = "A",
    b: str = "B",
    scenario_changes: ScenarioDiff | None = None,
) -> str:
    """Plan `b` against plan `a`: KPI deltas and changed work packages (and the scenario's changes, if given)."""
    if fmt == "json":
        data: dict[str, Any] = {
            "kind": "plan",
            "a": a,
            "b": b,
            "identical": plans_identical(c),
            "kpis": [{"key": k.key, "a": k.a, "b": k.b, "delta": k.delta} for k in c.kpis],
            "changes": [{**asdict(ch), "sentence": ch.sentence(lang)} for ch in c.changes],
        }
        if scenario_changes is not None:
            data["scenario_changes"] = _scenario_rows(scenario_changes)
        return _json(data)
    if fmt == "markdown":
        return _plan_markdown(c, lang, a, b, scenario_changes)
    return _plan_text(c, lang, a, b, scenario_changes)


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _scenario_rows(d: ScenarioDiff) -> list[dict[str, Any]]:
    return [c.to_dict() for c in d.changes]


def _scenario_markdown(d: ScenarioDiff, title: str, level: str) -> list[str]:
    lines = [f"{level} {title}", ""]
    if d.identical:
        return [*lines, "No changes.", ""]
    section = None
    for ch in d.changes:
        if ch.section != section:
            if section is not None:
                lines.append("")
            section = ch.section
            lines.append(f"**{SECTION_TITLES.get(section, section)}**")
            lines.append("")
        lines.append(f"- {_md(ch.sentence)}")
    return [*lines, ""]


def _md(text: str) -> str:
    """Text safe inside a Markdown list item or table cell."""
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _kpi_cells(k: KpiDelta, lang: str) -> tuple[str, str, str, str]:
    delta = k.show_delta(lang)
    if k.key == "status" and k.a != k.b:
        delta = "changed"
    return k.label(lang), k.show(k.a, lang), k.show(k.b, lang), "" if delta is None or k.a == k.b else delta


def _plan_text(c: Comparison, lang: str, a: str, b: str, sd: ScenarioDiff | None) -> str:
    if plans_identical(c):
        lines = [f"{a} and {b} are the same plan"]
    else:
        rows = [_kpi_cells(k, lang) for k in c.kpis]
        width = max(len(r[0]) for r in rows)
        lines = [f"{b} against {a}", ""]
        for label, va, vb, delta in rows:
            change = f"  ({delta})" if delta else ""
            lines.append(f"  {label:<{width}}  {va} → {vb}{change}" if va != vb else f"  {label:<{width}}  {va}")
        lines += ["", f"{t('compare.changes', lang)}: {len(c.changes)}"]
        lines += [f"  {s}" for s in c.sentences(lang)]
    if sd is not None and not sd.identical:
        lines += ["", "Scenario changes:"] + [f"  {s}" for s in sd.sentences()]
    return "\n".join(lines) + "\n"


def _plan_markdown(c: Comparison, lang: str, a: str, b: str, sd: ScenarioDiff | None) -> str:
    lines = [f"### Plan diff: `{a}` → `{b}`", ""]
    if plans_identical(c):
        lines += ["The two plans are the same.", ""]
    else:
        lines += ["| Key figure | A | B | Change |", "|---|---:|---:|---:|"]
        for label, va, vb, delta in (_kpi_cells(k, lang) for k in c.kpis):
            lines.append(f"| {_md(label)} | {_md(va)} | {_md(vb)} | {_md(delta)} |")
        lines += ["", f"**{t('compare.changes', lang)} ({len(c.changes)})**", ""]
        lines += [f"- {_md(s)}" for s in c.sentences(lang)] or [t("compare.no_changes", lang)]
        lines.append("")
    if sd is not None and not sd.identical:
        lines += ["<details><summary>Scenario changes</summary>", ""]
        lines += _scenario_markdown(sd, "Scenario changes", "####")
        lines += ["</details>", ""]
    return "\n".join(lines)
