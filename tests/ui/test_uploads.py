"""Uploaded files (issue 17, finding 5): one hostile upload per row, with the message it must produce."""

from __future__ import annotations

import tomllib

import pytest

from planner.ui.editing import EditSession
from planner.ui.uploads import MAX_UPLOAD_MB, UploadRefused, parse_plan_upload, upload_text
from tests.conftest import ROOT, SCENARIOS, alias_bomb

BAD_UPLOADS = [
    # (file name, content, the message it must produce)
    ("bomb.yaml", alias_bomb(), "bomb.yaml:6: aliases (*name) repeat more than 100,000 values"),
    ("deep.yaml", b"a: " + b"[" * 10_000 + b"]" * 10_000, "deep.yaml:1: values are nested more than 64 levels deep"),
    ("deep.json", b'{"a": ' * 5_000 + b"1" + b"}" * 5_000, "deep.json:1: values are nested more than 64 levels deep"),
    ("latin1.yaml", b"name: caf\xe9\n", "latin1.yaml:1: not UTF-8 text: byte 0xe9"),
    ("big.yaml", b"#" * (MAX_UPLOAD_MB * 1024 * 1024 + 1), "big.yaml: the file is 5.0 MB; uploads are limited to 5 MB"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_UPLOADS, ids=[row[0] for row in BAD_UPLOADS])
def test_a_hostile_upload_is_refused_before_any_reader_sees_it(name: str, data: bytes, message: str) -> None:
    for read in (upload_text, parse_plan_upload):
        with pytest.raises(UploadRefused) as refused:
            read(name, data)
        assert str(refused.value).startswith(message), str(refused.value)


BAD_SCENARIOS = [
    (
        "control.yaml",
        "schema_version: 1\nname: a\x01b\n",
        "control.yaml:2: column 8: control character U+0001 is not allowed",
    ),
    (
        "escape.yaml",
        "schema_version: 1\n\x1bname: x\n",
        "escape.yaml:2: column 1: control character U+001B is not allowed",
    ),
    ("open.yaml", "schema_version: 1\nname: [\n", "open.yaml:3: not valid YAML: "),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD_SCENARIOS, ids=[row[0] for row in BAD_SCENARIOS])
def test_an_unreadable_scenario_is_opened_with_its_problem_not_an_exception(name: str, text: str, message: str) -> None:
    session = EditSession(upload_text(name, text.encode()), name)
    assert session.scenario is None
    assert str(session.problems[0]).startswith(message), session.problems


BAD_PLANS = [
    ("open.yaml", b"schema_version: 1\nassignments: [\n", "open.yaml:3: not valid YAML: "),
    ("control.yaml", b"status: optimal\x0c\n", "control.yaml:1: column 16: control character U+000C is not allowed"),
    ("broken.json", b'{"status": "optimal",\n', "broken.json:2: not valid JSON: "),
    ("status.yaml", b"schema_version: 1\nstatus: great\n", "status.yaml:2: status: input should be 'optimal'"),
    ("list.json", b"[1, 2]", "list.json: input should be a valid dictionary"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_PLANS, ids=[row[0] for row in BAD_PLANS])
def test_a_bad_plan_upload_says_file_line_field_and_what_is_wrong(name: str, data: bytes, message: str) -> None:
    with pytest.raises(UploadRefused) as refused:
        parse_plan_upload(name, data)
    assert any(str(p).startswith(message) for p in refused.value.problems), refused.value.problems


def test_every_shipped_scenario_passes_the_upload_checks() -> None:
    for path in SCENARIOS.glob("*.yaml"):
        assert upload_text(path.name, path.read_bytes()) == path.read_text(encoding="utf-8")


def test_the_apps_upload_cap_is_streamlits() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB
