"""The scenario folder: names stay inside it, saves are atomic, and nobody's change is overwritten unseen."""

from __future__ import annotations

import hashlib
import os
import re
from typing import TYPE_CHECKING

import pytest

from planner.io import workspace
from planner.io.workspace import (
    SaveStatus,
    WorkspaceError,
    list_scenarios,
    open_scenario,
    safe_path,
    save_scenario,
    unified_diff,
)

if TYPE_CHECKING:
    from pathlib import Path

TEXT = "# a comment that must survive\nschema_version: 1\nname: Тест\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "scenarios"
    root.mkdir()
    (root / "demo.yaml").write_text(TEXT, encoding="utf-8")
    return root


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_list_scenarios_lists_only_scenario_files_in_the_folder(folder: Path, tmp_path: Path) -> None:
    (folder / "b.yml").write_text("x: 1\n")
    (folder / ".hidden.yaml").write_text("x: 1\n")
    (folder / "notes.txt").write_text("x\n")
    (folder / "sub.yaml").mkdir()
    outside = tmp_path / "secret.yaml"
    outside.write_text("x: 1\n")
    (folder / "link-out.yaml").symlink_to(outside)
    (folder / "link-in.yaml").symlink_to(folder / "demo.yaml")
    assert [p.name for p in list_scenarios(folder)] == ["b.yml", "demo.yaml", "link-in.yaml"]
    assert list_scenarios(tmp_path / "missing") == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "no file name given"),
        ("   ", "no file name given"),
        ("../escape.yaml", "names a folder path"),
        ("/etc/passwd", "names a folder path"),
        ("sub/inner.yaml", "names a folder path"),
        ("..\\escape.yaml", "names a folder path"),
        ("..", "names a folder path"),
        (".hidden.yaml", "starts with '.'"),
        ("-rf.yaml", "starts with '-'"),
        ("plan.json", "ends in '.json', not .yaml or .yml"),
        ("scenario.YAML", "ends in '.YAML'"),
        ("bad\x00name.yaml", "characters a file name may not have"),
        ("what?.yaml", "characters a file name may not have"),
        ("x" * 200, "too long"),
    ],
)
def test_safe_path_refuses_names_outside_the_folder_or_not_scenarios(folder: Path, name: str, message: str) -> None:
    with pytest.raises(WorkspaceError) as e:
        safe_path(folder, name)
    assert message in str(e.value)
    assert "plain file name in the scenario folder" in str(e.value) or "another name" in str(e.value)


def test_safe_path_refuses_a_link_leading_outside(folder: Path, tmp_path: Path) -> None:
    (tmp_path / "target.yaml").write_text("x: 1\n")
    (folder / "escape.yaml").symlink_to(tmp_path / "target.yaml")
    with pytest.raises(WorkspaceError, match="link to a file outside the scenario folder"):
        safe_path(folder, "escape.yaml")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("new", "new.yaml"),
        ("plan.yml", "plan.yml"),
        ("Сценарий 2026 (v2).yaml", "Сценарий 2026 (v2).yaml"),
        ("  spaced  ", "spaced.yaml"),
    ],
)
def test_safe_path_accepts_plain_names(folder: Path, name: str, expected: str) -> None:
    assert safe_path(folder, name) == folder.resolve() / expected


def test_open_scenario_fingerprints_the_bytes(folder: Path) -> None:
    opened = open_scenario(folder / "demo.yaml")
    assert opened.text == TEXT
    assert opened.fingerprint == hashlib.sha256(TEXT.encode()).hexdigest()
    (folder / "latin1.yaml").write_bytes(b"name: caf\xe9\n")
    with pytest.raises(WorkspaceError, match="not UTF-8"):
        open_scenario(folder / "latin1.yaml")


def test_save_new_file_writes_exact_bytes_and_leaves_no_temp_file(folder: Path) -> None:
    text = TEXT + "description: без BOM, LF only\n"
    result = save_scenario(folder, "copy", text, None, overwrite=False)
    assert result.ok and result.status is SaveStatus.saved
    assert result.path == folder.resolve() / "copy.yaml"
    assert (folder / "copy.yaml").read_bytes() == text.encode("utf-8")
    assert result.opened is not None and result.opened.fingerprint == open_scenario(result.path).fingerprint
    assert leftovers(folder) == []


def test_save_refuses_to_overwrite_unless_asked(folder: Path) -> None:
    result = save_scenario(folder, "demo.yaml", "changed: 1\n", None, overwrite=False)
    assert result.status is SaveStatus.exists and "already exists" in result.message
    assert (folder / "demo.yaml").read_text() == TEXT
    assert save_scenario(folder, "demo.yaml", "changed: 1\n", None, overwrite=True).ok
    assert (folder / "demo.yaml").read_text() == "changed: 1\n"


def test_save_over_the_opened_file_keeps_its_permissions(folder: Path) -> None:
    path = folder / "demo.yaml"
    path.chmod(0o640)
    opened = open_scenario(path)
    result = save_scenario(folder, "demo.yaml", TEXT + "description: x\n", opened, overwrite=True)
    assert result.ok
    assert path.stat().st_mode & 0o777 == 0o640


def test_save_refuses_with_a_diff_when_the_file_changed_on_disk(folder: Path) -> None:
    opened = open_scenario(folder / "demo.yaml")
    someone_else = TEXT.replace("name: Тест", "name: Их правка")
    (folder / "demo.yaml").write_text(someone_else, encoding="utf-8")
    result = save_scenario(folder, "demo.yaml", TEXT + "description: mine\n", opened, overwrite=True)
    assert result.status is SaveStatus.conflict and not result.ok
    assert "changed on disk since you opened it" in result.message
    assert "-name: Тест\n" in result.diff and "+name: Их правка\n" in result.diff
    assert "demo.yaml (as you opened it)" in result.diff and "demo.yaml (on disk now)" in result.diff
    assert (folder / "demo.yaml").read_text(encoding="utf-8") == someone_else
    # saving under a new name is still possible, and so is overwriting once the user has seen the diff
    assert save_scenario(folder, "mine", TEXT + "description: mine\n", opened, overwrite=False).ok
    assert save_scenario(folder, "demo.yaml", TEXT, None, overwrite=True).ok


def test_save_notices_a_deleted_file(folder: Path) -> None:
    opened = open_scenario(folder / "demo.yaml")
    (folder / "demo.yaml").unlink()
    result = save_scenario(folder, "demo.yaml", TEXT, opened, overwrite=True)
    assert result.status is SaveStatus.conflict and "deleted" in result.message
    assert not (folder / "demo.yaml").exists()


def test_save_notices_a_change_made_while_saving(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened = open_scenario(folder / "demo.yaml")
    real_fsync = os.fsync

    def fsync_then_someone_writes(fd: int) -> None:
        real_fsync(fd)
        (folder / "demo.yaml").write_text("theirs: 1\n")

    monkeypatch.setattr(workspace.os, "fsync", fsync_then_someone_writes)
    result = save_scenario(folder, "demo.yaml", "mine: 1\n", opened, overwrite=True)
    assert result.status is SaveStatus.conflict and "+theirs: 1" in result.diff
    assert (folder / "demo.yaml").read_text() == "theirs: 1\n"
    assert leftovers(folder) == []


def test_failed_save_leaves_the_old_file_whole(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workspace.os, "replace", disk_full)
    with pytest.raises(WorkspaceError, match=re.escape("cannot write demo.yaml: No space left on device")):
        save_scenario(folder, "demo.yaml", "half", None, overwrite=True)
    assert (folder / "demo.yaml").read_text() == TEXT
    assert leftovers(folder) == []


def test_save_refuses_names_outside_the_folder(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError):
        save_scenario(folder, "../outside.yaml", TEXT, None, overwrite=True)
    assert not (tmp_path / "outside.yaml").exists()


def test_unified_diff_marks_a_missing_final_newline() -> None:
    diff = unified_diff("a\nb", "a\nc\n", "old.yaml", "new.yaml")
    assert diff.startswith("--- old.yaml\n+++ new.yaml\n")
    assert "-b\n\\ No newline at end of file\n+c\n" in diff
    assert unified_diff("same\n", "same\n", "a", "b") == ""


# ---------------------------------------------------------------- names in other scripts, links (issue 17, finding 15)


def test_a_name_too_long_in_bytes_is_refused_with_a_message_not_an_os_error(folder: Path) -> None:
    with pytest.raises(WorkspaceError, match=r"too long: 305 bytes in UTF-8, at most 255"):
        safe_path(folder, "計" * 100)


def test_a_long_cyrillic_name_that_passes_the_check_can_be_saved(folder: Path) -> None:
    name = "Ж" * 120  # 240 bytes, 245 with .yaml: the temporary file's name must not be longer than that
    result = save_scenario(folder, name, TEXT, None, overwrite=False)
    assert result.ok, result.message
    assert (folder / f"{name}.yaml").read_text(encoding="utf-8") == TEXT
    assert leftovers(folder) == []


def test_a_name_ending_in_a_dot_is_refused(folder: Path) -> None:
    with pytest.raises(WorkspaceError, match=r"ends with '\.'"):
        safe_path(folder, "a.")


def test_open_scenario_refuses_a_link_leading_out_of_the_folder(folder: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text("x: 1\n")
    (folder / "escape.yaml").symlink_to(tmp_path / "secret.yaml")
    with pytest.raises(WorkspaceError, match="link to a file outside the scenario folder"):
        open_scenario(folder / "escape.yaml")


def test_open_scenario_refuses_a_fifo_without_waiting(folder: Path) -> None:
    os.mkfifo(folder / "pipe.yaml")
    with pytest.raises(WorkspaceError, match="not a regular file"):
        open_scenario(folder / "pipe.yaml")
