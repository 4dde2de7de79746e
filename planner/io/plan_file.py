"""Plan files: JSON or YAML by extension, byte-stable for equal plans, written atomically."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from planner.domain.plan import Plan
from planner.io.atomic import write_atomically
from planner.io.bulk import gc_paused
from planner.io.limits import InputRefused, read_capped
from planner.io.yamlio import dump_yaml_text, load_yaml_text, syntax_error, to_plain

if TYPE_CHECKING:
    from pathlib import Path


class PlanFileError(ValueError):
    """A plan file that cannot be read as a plan: unreadable, too large, or not JSON or YAML; says where and why."""


def plan_text(plan: Plan, fmt: str = "json") -> str:
    """A plan as JSON or YAML text (fmt "json" or "yaml"); byte-stable for equal plans."""
    data = plan.model_dump(mode="json")
    if fmt in ("yaml", "yml"):
        return dump_yaml_text(data)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_plan(plan: Plan, path: Path) -> None:
    """Write a plan as JSON or YAML, chosen by the file extension, atomically (planner.io.atomic)."""
    write_atomically(path, plan_text(plan, path.suffix.lower().lstrip(".")).encode("utf-8"))


def parse_plan(text: str, fmt: str = "json") -> Plan:
    """A plan from JSON or YAML text (raises pydantic.ValidationError, or PlanFileError saying where and why)."""
    with gc_paused():
        return Plan.model_validate(_data(text, fmt))


def _data(text: str, fmt: str) -> Any:
    """The plain data of a plan file's text; PlanFileError with the line for text that is not JSON or YAML."""
    if fmt in ("yaml", "yml"):
        from ruamel.yaml.error import MarkedYAMLError  # here: a JSON plan is read without the round-trip reader

        try:
            return to_plain(load_yaml_text(text))
        except InputRefused as e:
            raise PlanFileError(str(e)) from None
        except MarkedYAMLError as e:
            line, message = syntax_error(e)
            raise PlanFileError(f"line {line}: {message}" if line else message) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise PlanFileError(f"line {e.lineno}: not valid JSON: {e.msg}") from None
    except RecursionError:
        raise PlanFileError("values are nested too deeply; a plan needs 4 levels") from None


def read_plan(path: Path) -> Plan:
    """Read a plan written by `write_plan` (raises pydantic.ValidationError, PlanFileError or FileNotFoundError)."""
    try:
        raw = read_capped(path)
    except InputRefused as e:
        raise PlanFileError(e.message) from None
    except FileNotFoundError:
        raise
    except OSError as e:
        raise PlanFileError(f"cannot read: {e.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise PlanFileError(f"line {line}: not UTF-8 text: byte 0x{raw[e.start]:02x}; save the file as UTF-8") from None
    return parse_plan(text, path.suffix.lower().lstrip("."))
