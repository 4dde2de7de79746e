"""The one atomic writer: unique temporary files, nothing left behind, readers never see a part (issue 17, finding 12)."""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING

import pytest

from planner.io import atomic
from planner.io.atomic import check_writable, write_atomically
from planner.io.plan_file import read_plan, write_plan
from tests.conftest import scenario

if TYPE_CHECKING:
    from pathlib import Path


def test_two_writers_at_once_both_succeed_and_a_reader_never_sees_a_torn_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    bodies = [json.dumps({"writer": w, "pad": "x" * 200_000}).encode() for w in range(2)]
    path.write_bytes(bodies[0])
    errors: list[BaseException] = []
    torn: list[bytes] = []
    done = threading.Event()

    def write(body: bytes) -> None:
        try:
            for _ in range(30):
                write_atomically(path, body)
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    def read() -> None:
        while not done.is_set():
            data = path.read_bytes()
            if data not in bodies:
                torn.append(data)

    reader = threading.Thread(target=read)
    writers = [threading.Thread(target=write, args=(b,)) for b in bodies]
    reader.start()
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    done.set()
    reader.join()
    assert errors == []
    assert torn == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.json"
    path.write_text("old", encoding="utf-8")

    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        write_atomically(path, b"new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_write_plan_uses_the_atomic_writer(tmp_path: Path) -> None:
    from planner.cpsat import solve
    from planner.domain.settings import SolverSettings

    plan = solve(scenario(), SolverSettings(time_limit_s=5))
    path = tmp_path / "plan.json"
    write_plan(plan, path)
    assert read_plan(path) == plan
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_check_writable_leaves_nothing_behind(tmp_path: Path) -> None:
    check_writable(tmp_path / "plan.json")
    assert list(tmp_path.iterdir()) == []


def test_check_writable_refuses_a_folder_it_cannot_write(tmp_path: Path) -> None:
    with pytest.raises(
        OSError
    ):  # a file where the folder should be: as unwritable as a read-only folder, even for root
        (tmp_path / "file").write_text("x")
        check_writable(tmp_path / "file" / "plan.json")
