"""The machine and versions a run was made on, and the short Markdown report of a set."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (or what platform knows)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cores() -> int:
    """Usable cores, as `nproc` counts them (the process's CPU affinity)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 0)


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def git_revision(root: Path) -> str:
    """Short commit of the project, with '+dirty' when the work tree has changes."""
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True)
    except OSError:
        return "unknown"
    return rev.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "") if rev.returncode == 0 else "unknown"


def environment(root: Path) -> list[tuple[str, str]]:
    """(label, value) pairs describing machine and software."""
    return [
        ("date", datetime.now().astimezone().isoformat(timespec="seconds")),
        ("machine", platform.platform()),
        ("cores (nproc)", str(cores())),
        ("CPU", cpu_model()),
        ("Python", platform.python_version()),
        ("ortools", package_version("ortools")),
        ("pyjobshop", package_version("pyjobshop")),
        ("psplib", package_version("psplib")),
        ("planner", f"{package_version('rd-program-planner')} @ {git_revision(root)}"),
    ]


def write_markdown(
    path: Path, title: str, command: str, env: list[tuple[str, str]], table: str, notes: list[str]
) -> None:
    """The set's report: the exact command, machine and versions, the summary table, notes."""
    lines = [f"# {title}", "", "```", command, "```", ""]
    lines += [f"- {label}: {value}" for label, value in env]
    lines += ["", table, ""]
    lines += [f"- {n}" for n in notes]
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def append_csv(path: Path, fields: list[str], rows: list[dict[str, object]]) -> None:
    """Add rows to a benchmark's CSV record, writing the header when the file is new (runs accumulate)."""
    import csv

    new = not path.exists()
    with path.open("a", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        if new:
            writer.writeheader()
        writer.writerows(rows)
