"""Duplicate proposals as text, Markdown or JSON: the output of `planner duplicates`, the same data in each format.

Suggested overlap groups are written in the scenario's own YAML form, ready to paste under `overlap_groups`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from planner.i18n import number, t

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario
    from planner.review.duplicates import Duplicate

Format = Literal["text", "markdown", "json"]


def render_duplicates(
    scenario: Scenario, found: list[Duplicate], threshold: float, fmt: Format = "text", lang: str = "en"
) -> str:
    """What `planner duplicates` prints."""
    if fmt == "json":
        return json.dumps(_json(scenario, found, threshold, lang), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(scenario, found, threshold, lang)
    return _text(scenario, found, threshold, lang)


def group_yaml(d: Duplicate, lang: str = "en", indent: str = "  ") -> str:
    """The suggested overlap group as an item of `overlap_groups` (block style, as in the demo scenario)."""
    note = t("dups.note", lang, score=number(d.score, lang, decimals=2))
    lines = [
        f"{indent}- id: {d.group_id}",
        f"{indent}  members: [{', '.join(d.members)}]",
    ]
    if d.required:
        lines.append(f"{indent}  required: true")
    lines.append(f"{indent}  note: {json.dumps(note, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def evidence_words(d: Duplicate, lang: str = "en") -> list[str]:
    """Each matching field in words: `title: контроллер/controller, полёта/flight`."""
    out = []
    for e in d.evidence:
        name = t(f"dups.field.{e.field}", lang)
        if e.field == "program":
            out.append(f"{name} {e.detail}")
        elif e.field == "contrast":
            out.append(f"{name}: {e.detail}")
        else:
            out.append(f"{name} ({number(e.similarity, lang, decimals=2)}): {e.detail}")
    return out


def side_words(scenario: Scenario, wp_id: str, lang: str = "en") -> str:
    """Who proposed a work package: `bsuir, BY`, a country alone, or that it is not given."""
    wp = next(w for w in scenario.work_packages if w.id == wp_id)
    if wp.proposed_by is None:
        return t("dups.proposer_unknown", lang)
    inst = next((i for i in scenario.institutions if i.id == wp.proposed_by), None)
    return f"{inst.id}, {inst.country}" if inst is not None else wp.proposed_by


def _title(scenario: Scenario, wp_id: str) -> str:
    return next(w.title for w in scenario.work_packages if w.id == wp_id)


def _suggestion_lines(d: Duplicate, lang: str) -> list[str]:
    added = d.members[-1]
    head = t("dups.suggest_extend", lang, wp=added, group=d.extends) if d.extends else t("dups.suggest_new", lang)
    lines = [head, group_yaml(d, lang).rstrip("\n")]
    if d.make_optional:
        lines.append(t("dups.make_optional", lang, wps=", ".join(d.make_optional)))
    return lines


def _text(scenario: Scenario, found: list[Duplicate], threshold: float, lang: str) -> str:
    th = number(threshold, lang, decimals=2)
    if not found:
        return t("dups.none", lang, threshold=th) + "\n"
    lines = [t("dups.found", lang, n=len(found), threshold=th), ""]
    for d in found:
        lines.append(
            f"{number(d.score, lang, decimals=2)}  {d.a} ({side_words(scenario, d.a, lang)}) ↔ "
            f"{d.b} ({side_words(scenario, d.b, lang)})"
        )
        lines += [f"      {d.a}: {_title(scenario, d.a)}", f"      {d.b}: {_title(scenario, d.b)}"]
        lines += [f"      {e}" for e in evidence_words(d, lang)]
        lines += ["      " + x for s in _suggestion_lines(d, lang) for x in s.splitlines()]
        lines.append("")
    return "\n".join(lines)


def _markdown(scenario: Scenario, found: list[Duplicate], threshold: float, lang: str) -> str:
    th = number(threshold, lang, decimals=2)
    lines = [f"### {t('dups.md.title', lang)}", ""]
    if not found:
        return "\n".join([*lines, t("dups.none", lang, threshold=th), ""])
    lines += [
        t("dups.found", lang, n=len(found), threshold=th),
        "",
        f"| {t('dups.col.score', lang)} | {t('dups.col.pair', lang)} | {t('dups.col.evidence', lang)} |",
        "|---:|---|---|",
    ]
    for d in found:
        pair = (
            f"**{d.a}** {_cell(_title(scenario, d.a))} ({side_words(scenario, d.a, lang)})<br>"
            f"**{d.b}** {_cell(_title(scenario, d.b))} ({side_words(scenario, d.b, lang)})"
        )
        lines.append(f"| {number(d.score, lang, decimals=2)} | {pair} | {_cell('; '.join(evidence_words(d, lang)))} |")
    lines.append("")
    for d in found:
        head, snippet, *rest = _suggestion_lines(d, lang)
        lines += [f"{d.a} ↔ {d.b}: {head}", "", "```yaml", snippet, "```", *rest, ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _json(scenario: Scenario, found: list[Duplicate], threshold: float, lang: str) -> dict[str, Any]:
    return {
        "threshold": threshold,
        "pairs": [
            {
                "a": d.a,
                "b": d.b,
                "score": d.score,
                "titles": [_title(scenario, d.a), _title(scenario, d.b)],
                "proposers": [side_words(scenario, d.a, lang), side_words(scenario, d.b, lang)],
                "evidence": [{"field": e.field, "similarity": e.similarity, "detail": e.detail} for e in d.evidence],
                "group": {
                    "id": d.group_id,
                    "members": list(d.members),
                    "required": d.required,
                    "note": t("dups.note", lang, score=number(d.score, lang, decimals=2)),
                },
                "extends": d.extends,
                "make_optional": list(d.make_optional),
            }
            for d in found
        ],
    }
