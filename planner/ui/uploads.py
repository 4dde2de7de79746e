"""Uploaded files: refused quickly when too big or built to exhaust the server, else read by the planner's readers.

An upload reaches a server many sessions share, so before a reader sees it the app checks what would cost
every session time or memory: the size (the same cap as `server.maxUploadSize` in .streamlit/config.toml),
UTF-8, and the readers' own shape check: how far aliases would repeat the document (a 2.4 KB alias bomb expands to
billions of values), how deep it nests and how long its lists are. The app's own tables
turn the round-trip document into plain data (`to_plain`), so it needs this bound whatever the readers do.
Every refusal and every error a reader raises becomes a `Problem`: file, line, field, what is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.io.scenario_file import Problem, render_path

if TYPE_CHECKING:
    from planner.domain.plan import Plan

MAX_UPLOAD_MB = 5  # .streamlit/config.toml server.maxUploadSize; a 2,000-work-package scenario is 0.4 MB


class UploadRefused(Exception):
    """An upload that cannot be used; `problems` says why, with file and line where there is one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def upload_text(name: str, data: bytes) -> str:
    """The text of an uploaded YAML or JSON file, checked for size, UTF-8, alias expansion and nesting."""
    name = Path(name).name
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        mb = len(data) / 1024 / 1024
        raise UploadRefused(
            [Problem(name, None, "", f"the file is {mb:.1f} MB; uploads are limited to {MAX_UPLOAD_MB} MB")]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        message = f"not UTF-8 text: byte 0x{data[e.start]:02x} ({e.reason}); save the file as UTF-8"
        raise UploadRefused([Problem(name, line, "", message)]) from None
    _check_structure(name, text)
    return text


def _check_structure(name: str, text: str) -> None:
    """Refuse aliases that would repeat too many values, nesting too deep and lists too long: the readers' own
    check (`yamlio.check_shape`, one pass over libyaml's events, building nothing), as a problem of the file."""
    from planner.io.limits import InputRefused
    from planner.io.yamlio import check_shape

    try:
        check_shape(text)
    except InputRefused as e:
        raise UploadRefused([Problem(name, e.line, "", e.message)]) from None


def reader_problem(name: str, text: str, error: Exception) -> Problem:
    """A YAML or JSON reader's exception as a problem naming the file and line (for errors that carry none)."""
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.reader import ReaderError

    from planner.io.limits import InputRefused
    from planner.io.plan_file import PlanFileError

    if isinstance(error, InputRefused):
        return Problem(name, error.line, "", error.message)
    if isinstance(error, PlanFileError):  # its message starts "line N: " where there is a line
        head, _, rest = str(error).partition(": ")
        if head.startswith("line ") and head[5:].isdigit():
            return Problem(name, int(head[5:]), "", rest)
        return Problem(name, None, "", str(error))
    if isinstance(error, ReaderError):
        line = text[: error.position].count("\n") + 1 if isinstance(error.position, int) else None
        char = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or " ")
        return Problem(name, line, "", f"not valid YAML: a control character (#x{char:04x}) is not allowed; remove it")
    if isinstance(error, MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        return Problem(name, mark.line + 1 if mark else None, "", f"not valid YAML: {error.problem or error.context}")
    if isinstance(error, json.JSONDecodeError):
        return Problem(name, error.lineno, "", f"not valid JSON: {error.msg}")
    if isinstance(error, RecursionError):
        return Problem(name, None, "", "nested too deep to read")
    return Problem(
        name, None, "", f"cannot be read: {str(error).splitlines()[0] if str(error) else type(error).__name__}"
    )


def parse_plan_upload(name: str, data: bytes) -> Plan:
    """A plan from an uploaded JSON or YAML file; raises UploadRefused saying what is wrong, field by field."""
    from pydantic import ValidationError
    from ruamel.yaml.error import YAMLError

    from planner.io.plan_file import parse_plan

    name = Path(name).name
    fmt = Path(name).suffix.lower().lstrip(".")
    text = upload_text(name, data)
    try:
        return parse_plan(text, fmt)
    except ValidationError as e:
        raise UploadRefused(_plan_problems(name, text, fmt, e)) from None
    except (YAMLError, ValueError, RecursionError) as e:
        raise UploadRefused([reader_problem(name, text, e)]) from None


def _plan_problems(name: str, text: str, fmt: str, error: Any) -> list[Problem]:
    """Pydantic's errors for a plan file as problems with the YAML path (and the line, for a YAML file)."""
    from planner.io.yamlio import line_of, load_yaml_text

    doc = load_yaml_text(text) if fmt in ("yaml", "yml") else None
    problems = []
    for e in error.errors(include_url=False):
        loc = tuple(e["loc"])
        line = line_of(doc, loc) if doc is not None else None
        message = str(e["msg"]).removeprefix("Value error, ")
        problems.append(Problem(name, line, render_path(loc), message[:1].lower() + message[1:]))
    return problems
