"""JSON Schemas generated from the models: the files editors use to validate and autocomplete."""

from __future__ import annotations

from typing import Any

from planner.domain.plan import Plan
from planner.domain.scenario import Scenario


def scenario_schema() -> dict[str, Any]:
    """JSON Schema of scenario files."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Joint R&D Program Planner scenario"
    return schema


def plan_schema() -> dict[str, Any]:
    """JSON Schema of plan files."""
    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Joint R&D Program Planner plan"
    return schema
