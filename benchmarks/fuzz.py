"""Fuzz: hostile scenario and plan files through `planner validate`, `solve`, `check` and `explain` (issue 17).

    .venv/bin/python benchmarks/fuzz.py [--cases 5000] [--seed 1] [--jobs 1] [--out benchmarks/results/fuzz.md]

Cases come from two sources: a mutation fuzzer over every file in `scenarios/` and over a plan file
(control characters, hostile numbers, deep nesting, alias bombs, truncation, deleted, repeated or
shuffled lines, random bytes, huge lists, …), and hypothesis strategies that build scenarios field
by field with numbers from the edges (inf, nan, 1e308, 2**64, negative, tiny). Each case runs the
command as its own process with limits (resource.setrlimit: address space, CPU seconds; and a
wall-clock timeout), and is counted by outcome: exit 0–4 are answers; exit 70, a traceback, a time
out or a memory kill are failures, kept under `--keep` for a reproducer. Prints counts by outcome
and command, and writes a markdown report. The test suite runs a fast subset (tests/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))

MEMORY_LIMIT = 3 * 1024**3
"""Address space per case: OR-Tools reserves much virtual memory for its threads; the target is RSS < 1 GB."""
CPU_LIMIT = 120
WALL_LIMIT = 60.0
TIME_LIMIT = "2"
"""--time-limit of solve and explain cases."""

RUNNER = (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: sys.stderr.write("
    "f'\\nFUZZ_MAXRSS_KB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n'))\n"
    "from planner.cli import main\n"
    "main()\n"
)

# ---------------------------------------------------------------- mutations

HOSTILE_NUMBERS = [
    ".inf", "-.inf", ".nan", "1e308", "-1e308", "1e-308", "1e20", "-1", "0", "18446744073709551616", "-0.0",
    "1e12", "1000000000001", "2400", "2401", "99999999999999999999999999999999", "0x10", "1_000", "3.5",
]  # fmt: skip
CONTROL = ["\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\ufffe", "\x85", "\ud800"]
SNIPPETS = [
    "[" * 5000 + "]" * 5000,
    "{a: " * 2000 + "1" + "}" * 2000,
    "&a [1, *a]",
    "*nowhere",
    "!!python/object:os.system ls",
    "!!binary aGVsbG8=",
    "<<: {x: 1}",
    "? [complex, key]\n: 1",
    "2025-01-01",
    "yes",
    "~",
    "'unterminated",
    "|\n  block\n",
    "[" + ", ".join(["W"] * 3000) + "]",
    "x" * 20_000,
]


def alias_bomb(levels: int = 9, fan: int = 9) -> str:
    """The "billion laughs": each level an anchored list of `fan` aliases of the level below."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * fan)}]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * fan)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def deep_block(depth: int) -> str:
    return "deep:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(depth)) + "  " * (depth + 1) + "1\n"


def mutate(text: str, rng: random.Random) -> tuple[str, str]:
    """One random mutation of a text file: (name of the mutation, new text)."""
    text = text or "\n"  # an earlier mutation may have left nothing
    lines = text.splitlines(keepends=True)
    kind = rng.choice(MUTATIONS)
    return kind, _MUTATORS[kind](text, lines, rng)


def _number(text: str, lines: list[str], rng: random.Random) -> str:
    import re

    spots = [m for m in re.finditer(r"(?<=[:\[, ])-?\d[\d.e+-]*(?=[,\]}\s])", text)]
    if not spots:
        return text + f"\nx: {rng.choice(HOSTILE_NUMBERS)}\n"
    m = rng.choice(spots)
    return text[: m.start()] + rng.choice(HOSTILE_NUMBERS) + text[m.end() :]


def _control(text: str, lines: list[str], rng: random.Random) -> str:
    k = rng.randrange(len(text) + 1)
    return text[:k] + rng.choice(CONTROL) + text[k:]


def _snippet(text: str, lines: list[str], rng: random.Random) -> str:
    """A hostile value in place of a random value (after a ': ')."""
    spots = [i for i, line in enumerate(lines) if ": " in line]
    if not spots:
        return text + rng.choice(SNIPPETS)
    i = rng.choice(spots)
    key, _, _ = lines[i].partition(": ")
    lines = list(lines)
    lines[i] = f"{key}: {rng.choice(SNIPPETS)}\n"
    return "".join(lines)


def _truncate(text: str, lines: list[str], rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


def _delete_line(text: str, lines: list[str], rng: random.Random) -> str:
    lines = list(lines)
    for _ in range(rng.randint(1, 3)):
        if lines:
            del lines[rng.randrange(len(lines))]
    return "".join(lines)


def _repeat_line(text: str, lines: list[str], rng: random.Random) -> str:
    lines = list(lines)
    i = rng.randrange(len(lines))
    lines[i:i] = [lines[i]] * rng.choice([1, 2, 50])
    return "".join(lines)


def _swap_lines(text: str, lines: list[str], rng: random.Random) -> str:
    lines = list(lines)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


def _indent(text: str, lines: list[str], rng: random.Random) -> str:
    lines = list(lines)
    i = rng.randrange(len(lines))
    lines[i] = rng.choice(["", " ", "\t", "    "]) + lines[i].lstrip(" ") if rng.random() < 0.5 else " " + lines[i]
    return "".join(lines)


def _bytes(text: str, lines: list[str], rng: random.Random) -> str:
    data = bytearray(raw(text))
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return data.decode("utf-8", errors="surrogateescape")


def _bomb(text: str, lines: list[str], rng: random.Random) -> str:
    return text + alias_bomb(rng.randint(5, 9), rng.randint(5, 10))


def _deep(text: str, lines: list[str], rng: random.Random) -> str:
    return text + deep_block(rng.choice([70, 500, 999, 1200]))


def _many_items(text: str, lines: list[str], rng: random.Random) -> str:
    n = rng.choice([1001, 20_000, 60_000])
    return text + "forbids:\n" + "".join(f"  - {{work_package: W{i}, institution: i{i}}}\n" for i in range(n))


def _garbage(text: str, lines: list[str], rng: random.Random) -> str:
    return "".join(
        chr(rng.choice([rng.randrange(32, 127), rng.randrange(0, 0x3000)])) for _ in range(rng.randint(0, 400))
    )


_MUTATORS = {
    "number": _number,
    "control": _control,
    "snippet": _snippet,
    "truncate": _truncate,
    "delete-line": _delete_line,
    "repeat-line": _repeat_line,
    "swap-lines": _swap_lines,
    "indent": _indent,
    "bytes": _bytes,
    "alias-bomb": _bomb,
    "deep": _deep,
    "many-items": _many_items,
    "garbage": _garbage,
}
MUTATIONS = list(_MUTATORS)
# weights: the cheap, varied edits most often
MUTATIONS += ["number"] * 6 + ["snippet"] * 3 + ["delete-line", "repeat-line", "swap-lines", "control"] * 2


def mutate_plan(plan: dict[str, Any], rng: random.Random) -> tuple[str, str, str]:
    """One hostile plan file: (mutation, suffix, text); JSON or YAML."""
    from planner.io.yamlio import dump_yaml_text

    data = json.loads(json.dumps(plan))
    kind = rng.choice(["period", "number", "text", "drop", "nest", "bomb", "yaml-text"])
    a = rng.choice(data["assignments"]) if data["assignments"] else {}
    if kind == "period" and a:
        a[rng.choice(["start", "end"])] = rng.choice([-1, 10**9, 10**30, 2400, 2401, 25, 0])
    elif kind == "number" and a:
        a[rng.choice(["cost", "effort_pm", "load_pm", "cost_reporting"])] = rng.choice([1e308, -1.0, float("nan"), 0])
    elif kind == "text" and a:
        a[rng.choice(["work_package", "option", "start_month", "institution"])] = rng.choice(
            ["", "U-99", "x" * 5000, 7]
        )
    elif kind == "drop":
        data.pop(rng.choice(list(data)))
    elif kind == "nest":
        return kind, ".json", "[" * rng.choice([100, 10_000, 100_000]) + "]" * 3
    elif kind == "bomb":
        return kind, ".yaml", alias_bomb(9, 9)
    if kind == "yaml-text" or rng.random() < 0.3:
        text = dump_yaml_text(data)
        k, text = mutate(text, rng)
        return f"{kind}+{k}", ".yaml", text
    return kind, ".json", json.dumps(data)


# ---------------------------------------------------------------- hypothesis strategies


def hypothesis_scenarios(n: int, seed: int) -> list[str]:
    """n scenario texts built by hypothesis: the minimal program with fields drawn from edge values."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from planner.io.yamlio import dump_yaml_text, load_yaml_text, to_plain

    base = to_plain(load_yaml_text((ROOT / "scenarios" / "minimal.yaml").read_text(encoding="utf-8")))
    numbers = st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.sampled_from([0, 1, 2400, 2401, 1e12, 1e12 + 1, 1e6, 1e-6, 1e-7]),
    )
    values = st.recursive(
        st.one_of(numbers, st.text(max_size=30), st.booleans(), st.none()),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=12,
    )
    paths = [
        ("time", "periods"), ("institutions", 0, "capacity_pm"), ("institutions", 1, "rate_per_pm"),
        ("work_packages", 0, "effort_pm"), ("work_packages", 0, "duration"), ("work_packages", 3, "value"),
        ("work_packages", 2, "after"), ("work_packages", 1, "duration", "max"), ("objective", "weights"),
        ("objective", "mode"), ("institutions", 2, "competencies"), ("work_packages", 0, "facilities"),
        ("currencies",), ("funders",), ("work_packages", 1, "deliverables"), ("time", "start"),
    ]  # fmt: skip
    out: list[str] = []
    rnd = random.Random(seed)

    @settings(max_examples=n, database=None, derandomize=True, suppress_health_check=list(HealthCheck), deadline=None)
    @given(st.lists(st.tuples(st.sampled_from(range(len(paths))), st.one_of(numbers, values)), min_size=1, max_size=3))
    def collect(edits: list[tuple[int, Any]]) -> None:
        data = json.loads(json.dumps(base))
        for k, value in edits:
            node: Any = data
            *head, last = paths[k]
            for part in head:
                node = node[part]
            node[last] = value
        try:
            out.append(dump_yaml_text(data))
        except Exception:
            out.append(json.dumps(data, default=str))

    collect()
    rnd.shuffle(out)
    return out[:n]


# ---------------------------------------------------------------- running a case


@dataclass
class Case:
    """One input and the command it goes through."""

    source: str
    mutation: str
    command: str
    text: str
    suffix: str = ".yaml"


@dataclass
class Outcome:
    case: Case
    code: int | None
    kind: str
    seconds: float
    rss_mb: float | None
    size: int
    tail: str


def raw(text: str) -> bytes:
    """The bytes of a case: escaped bytes (from byte mutations) back as they were, a lone surrogate as CESU bytes."""
    try:
        return text.encode("utf-8", errors="surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="surrogatepass")


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))
    os.setpgrp()


def run_case(case: Case, folder: Path, plan: Path, k: int) -> Outcome:
    """Run one case as its own process with limits; classify how it ended."""
    data = raw(case.text)
    path = folder / f"case{k}{case.suffix}"
    path.write_bytes(data)
    scenario = ROOT / "scenarios" / "minimal.yaml"
    args = {
        "validate": ["validate", path],
        "solve": ["solve", path, "-o", folder / f"out{k}.json", "--time-limit", TIME_LIMIT, "--workers", "1", "-q"],
        "explain": ["explain", path, "--time-limit", TIME_LIMIT],
        "check": ["check", scenario, path],
        "check-scenario": ["check", path, plan],
    }[case.command]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", RUNNER, *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_limits,
    )
    try:
        out, err = proc.communicate(timeout=WALL_LIMIT)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, err = proc.communicate()
        code = None
    seconds = time.perf_counter() - started
    text = err.decode(errors="replace")
    rss = None
    for line in text.splitlines():
        if line.startswith("FUZZ_MAXRSS_KB="):
            rss = int(line.split("=", 1)[1]) / 1024
    text = "\n".join(line for line in text.splitlines() if not line.startswith("FUZZ_MAXRSS_KB="))
    output = out.decode(errors="replace") + text
    if code is None:
        kind = "time-out"
    elif "Traceback" in output:
        kind = "traceback"
    elif code == 70:
        kind = "exit 70"
    elif code in (0, 1, 2, 3, 4):
        kind = f"exit {code}"
    elif code < 0 or "MemoryError" in output:
        kind = f"killed ({code})"
    else:
        kind = f"exit {code}"
    for p in (path, folder / f"out{k}.json", folder / f"out{k}.no-plan.json"):
        p.unlink(missing_ok=True)
    return Outcome(case, code, kind, seconds, rss, len(data), output.strip()[-400:])


FAILURES = ("time-out", "traceback", "exit 70")


def failed(o: Outcome) -> bool:
    """A case that did not end with an answer (0–4) within its limits, or went over 1 GB on an input under 1 MB."""
    if o.kind in FAILURES or o.kind.startswith("killed") or o.code not in (0, 1, 2, 3, 4):
        return True
    return o.rss_mb is not None and o.size < 1024**2 and o.rss_mb > 1024


# ---------------------------------------------------------------- building the cases


def seed_plan(folder: Path) -> Path:
    """A plan of scenarios/minimal.yaml to mutate and to check mutated scenarios against."""
    plan = folder / "seed-plan.json"
    subprocess.run(
        [sys.executable, "-m", "planner.cli", "solve", ROOT / "scenarios" / "minimal.yaml", "-o", plan,
         "--time-limit", "5", "--workers", "1", "-q", "--reproducible"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return plan


def cases(n: int, seed: int, plan: dict[str, Any]) -> list[Case]:
    """n cases: about 70 % mutated scenarios, 15 % hypothesis scenarios, 15 % mutated plans."""
    rng = random.Random(seed)
    texts = {p.name: p.read_text(encoding="utf-8") for p in SCENARIOS}
    n_hyp = n * 15 // 100
    n_plan = n * 15 // 100
    out: list[Case] = []
    commands = ["validate"] * 14 + ["solve", "explain", "check-scenario"]
    for _ in range(n - n_hyp - n_plan):
        name = rng.choice(list(texts))
        text = texts[name]
        mutation, new = mutate(text, rng)
        if rng.random() < 0.25:  # two mutations at once
            m2, new = mutate(new, rng)
            mutation += "+" + m2
        out.append(Case(name, mutation, rng.choice(commands), new))
    for text in hypothesis_scenarios(n_hyp, seed):
        out.append(Case("hypothesis", "fields", rng.choice(commands), text))
    for _ in range(n_plan):
        mutation, suffix, text = mutate_plan(plan, rng)
        out.append(Case("plan", mutation, "check", text, suffix))
    rng.shuffle(out)
    return out


# ---------------------------------------------------------------- report


def report(outcomes: list[Outcome], seed: int, wall: float, keep: Path | None) -> str:
    by_kind = collections.Counter(o.kind for o in outcomes)
    by_command: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for o in outcomes:
        by_command[o.case.command][o.kind] += 1
    kinds = sorted(by_kind)
    bad = [o for o in outcomes if failed(o)]
    small = [o for o in outcomes if o.size < 1024**2 and o.rss_mb is not None]
    lines = [
        "# Fuzz: hostile scenario and plan files (issue 17)",
        "",
        "```",
        f".venv/bin/python benchmarks/fuzz.py --cases {len(outcomes)} --seed {seed}",
        "```",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.platform()}, {os.cpu_count()} cores shared with other "
        f"work; {len(outcomes)} cases in {wall / 60:.1f} min; limits per case: {WALL_LIMIT:g} s wall, "
        f"{CPU_LIMIT} s CPU, {MEMORY_LIMIT / 1024**3:g} GB address space; solve and explain with "
        f"--time-limit {TIME_LIMIT}.",
        "",
        "| outcome | cases |",
        "|---|---|",
        *(f"| {k} | {by_kind[k]} |" for k in kinds),
        f"| **failures** (time-out, traceback, exit 70, killed, > 1 GB on < 1 MB) | **{len(bad)}** |",
        "",
        "| command | " + " | ".join(kinds) + " |",
        "|---|" + "---|" * len(kinds),
        *(f"| {c} | " + " | ".join(str(by_command[c][k]) for k in kinds) + " |" for c in sorted(by_command)),
        "",
        f"Slowest case: {max(o.seconds for o in outcomes):.1f} s; median {sorted(o.seconds for o in outcomes)[len(outcomes) // 2]:.2f} s.",
        f"Peak memory (RSS) over inputs under 1 MB: {max((o.rss_mb or 0) for o in small):.0f} MB"
        if small
        else "",
        "",
        "Mutations: " + ", ".join(f"{k} {v}" for k, v in collections.Counter(
            m for o in outcomes for m in o.case.mutation.split("+")).most_common()) + ".",
        "",
    ]  # fmt: skip
    lines += ["Slowest cases:", ""]
    for o in sorted(outcomes, key=lambda o: -o.seconds)[:5]:
        lines.append(f"- {o.seconds:.1f} s: {o.case.command} {o.case.source} {o.case.mutation} ({o.kind})")
    lines.append("")
    if bad:
        lines += ["## Failures", ""]
        for o in bad[:30]:
            where = f" (kept as {keep / o.case.source}-{id(o)}{o.case.suffix})" if keep else ""
            lines.append(f"- {o.case.command} {o.case.source} {o.case.mutation}: {o.kind}{where}: `{o.tail[-200:]}`")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "fuzz.md")
    parser.add_argument("--keep", type=Path, default=None, help="Folder to keep the inputs of failed cases in.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        folder = Path(tmp)
        plan_path = seed_plan(folder)
        plan = json.loads(plan_path.read_text(encoding="utf-8"))
        todo = cases(args.cases, args.seed, plan)
        started = time.perf_counter()
        outcomes: list[Outcome] = []
        with ThreadPoolExecutor(args.jobs) as pool:
            for k, o in enumerate(pool.map(lambda kc: run_case(kc[1], folder, plan_path, kc[0]), enumerate(todo))):
                outcomes.append(o)
                if failed(o):
                    print(f"FAIL {o.case.command} {o.case.source} {o.case.mutation}: {o.kind} {o.tail[-200:]!r}")
                    if args.keep:
                        args.keep.mkdir(parents=True, exist_ok=True)
                        target = args.keep / f"{o.case.source}-{id(o)}{o.case.suffix}"
                        target.write_bytes(raw(o.case.text))
                if (k + 1) % 100 == 0:
                    counts = collections.Counter(x.kind for x in outcomes)
                    print(f"{k + 1}/{len(todo)} {dict(counts)}", flush=True)
        wall = time.perf_counter() - started
    text = report(outcomes, args.seed, wall, args.keep)
    print(text)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
