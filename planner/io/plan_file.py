"""Plan files: JSON or YAML by extension, byte-stable for equal plans, written atomically."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from planner.domain.plan import Plan
from planner.io.bulk import gc_paused
from planner.io.yamlio import dump_yaml_text, load_yaml_text

if TYPE_CHECKING:
    from pathlib import Path


def plan_text(plan: Plan, fmt: str = "json") -> str:
    """A plan as JSON or YAML text (fmt "json" or "yaml"); byte-stable for equal plans."""
    data = plan.model_dump(mode="json")
    if fmt in ("yaml", "yml"):
        return dump_yaml_text(data)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_plan(plan: Plan, path: Path) -> None:
    """Write a plan as JSON or YAML, chosen by the file extension, atomically."""
    text = plan_text(plan, path.suffix.lower().lstrip("."))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def parse_plan(text: str, fmt: str = "json") -> Plan:
    """A plan from JSON or YAML text (raises pydantic.ValidationError or ValueError on bad input)."""
    with gc_paused():
        data = load_yaml_text(text) if fmt in ("yaml", "yml") else json.loads(text)
        return Plan.model_validate(data)


def read_plan(path: Path) -> Plan:
    """Read a plan written by `write_plan` (raises pydantic.ValidationError or ValueError on bad input)."""
    return parse_plan(path.read_text(encoding="utf-8"), path.suffix.lower().lstrip("."))
