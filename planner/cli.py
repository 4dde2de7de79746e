"""The `planner` command line. Exit codes are a contract scripts rely on (see ExitCode)."""

from __future__ import annotations

import time

STARTED = time.perf_counter()
"""When this module was loaded, before the heavy imports: the `planner` process's start (see `main`)."""

_process_start: float | None = None
_command_start = STARTED

# The imports below come after STARTED on purpose, so that the limit includes loading them (E402 is off here).
import contextlib
import json
import sys
import threading
from collections.abc import Callable
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from planner.domain.settings import MAX_SEED, MAX_WORKERS
from planner.problem.validate import ScenarioError, load_scenario

if TYPE_CHECKING:  # the solver (and OR-Tools) load only for commands that solve, the plan's models where used
    from planner.cpsat.solver import Progress, ProgressFn
    from planner.domain.plan import Plan
    from planner.domain.scenario import Scenario
    from planner.domain.settings import SolverSettings
    from planner.report.document import Report


class ExitCode(IntEnum):
    """What a `planner` command's exit status means."""

    OK = 0  # plan found / file valid / plan passes the check
    VIOLATIONS = 1  # `check`: the plan breaks a rule; `diff`: the two files differ; `duplicates`: some found
    INVALID_INPUT = 2  # a file is missing, unreadable or invalid
    INFEASIBLE = 3  # proven: no plan exists
    NO_PLAN_IN_TIME = 4  # no plan found within the time limit (none proven impossible either)


EPILOG = (
    "Exit codes: 0 plan found, file valid or report written, 1 plan breaks a rule (check; report, written all the "
    "same), the files differ (diff) or duplicates were found (duplicates), 2 invalid input, "
    "3 proven infeasible, 4 no plan within the time limit, 70 internal error (a bug; --debug shows it)."
)

app = typer.Typer(
    help="Joint R&D Program Planner: decide which institution does each work package, and when.",
    epilog=EPILOG,
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    add_completion=False,
)
import_app = typer.Typer(
    help="Turn files of other formats into scenarios.", no_args_is_help=True, rich_markup_mode="markdown"
)
app.add_typer(import_app, name="import")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
_debug = False


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks for internal errors.")] = False,
) -> None:
    global _debug, _command_start
    _debug = debug
    # A time limit counts from the command's start, reading included: the process's start when run as
    # `planner` (main), else (the app called in-process, e.g. by tests) the moment this command began.
    _command_start = _process_start if _process_start is not None else time.perf_counter()


PROBLEMS_SHOWN = 200
"""Most problems of a scenario listed (all are counted): a file with thousands repeats one mistake."""


def _load(path: Path) -> Scenario:
    """Load a scenario or exit 2 with every problem listed."""
    try:
        return load_scenario(path)
    except ScenarioError as e:
        shown = e.problems[:PROBLEMS_SHOWN]
        sys.stderr.write("".join(f"{p}\n" for p in shown))
        n = len(e.problems)
        if n > len(shown):
            err.print(f"… and {n - len(shown):,} more problems (the first {len(shown)} are listed)")
        err.print(f"[red]{path}: {n:,} problem{'s' if n != 1 else ''}; nothing was solved.[/red]")
        raise typer.Exit(ExitCode.INVALID_INPUT) from None


def _read_plan_or_fail(path: Path) -> Plan:
    """Read a plan file or exit 2 saying what is wrong with it (the first problems of its fields, or its line)."""
    from pydantic import ValidationError

    from planner.io.plan_file import read_plan

    try:
        return read_plan(path)
    except FileNotFoundError:
        raise _fail(f"{path}: file not found") from None
    except ValidationError as e:
        what = "; ".join(
            f"{'.'.join(str(p) for p in x['loc']) or 'top level'}: {x['msg'].lower()}" for x in e.errors()[:3]
        )
        more = f" (and {e.error_count() - 3} more)" if e.error_count() > 3 else ""
        raise _fail(f"{path}: not a plan file written by `planner solve`: {what}{more}") from None
    except (ValueError, OSError) as e:
        raise _fail(f"{path}: not a plan file written by `planner solve`: {str(e).splitlines()[0]}") from None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _fail(message: str, code: ExitCode = ExitCode.INVALID_INPUT) -> typer.Exit:
    err.print(message, markup=False, highlight=False)
    return typer.Exit(code)


@app.command()
def validate(scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")]) -> None:
    """Check a scenario file and list every problem in it with file, line and field.

    Example: `planner validate scenarios/belarus-tomsk-2025-2030.yaml`
    """
    from planner.problem.prepared import prepare

    s = _load(scenario)
    n_opts = sum(len(v) for v in prepare(s).catalogue.by_wp.values())
    out.print(
        f"{scenario}: valid — {_count(len(s.work_packages), 'work package')} in {_count(len(s.programs), 'program')}, "
        f"{_count(len(s.institutions), 'institution')}, {_count(len(s.funders), 'funder')}, "
        f"{_count(n_opts, 'execution option')}",
        highlight=False,
    )


@app.command()
def solve(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Plan file to write: .json or .yaml.")],
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.01, help="Seconds for the whole solve.")] = 30.0,
    workers: Annotated[int, typer.Option("--workers", min=1, max=MAX_WORKERS, help="Parallel CP-SAT workers.")] = 2,
    seed: Annotated[int, typer.Option("--seed", min=0, max=MAX_SEED, help="Random seed.")] = 0,
    reproducible: Annotated[
        bool,
        typer.Option("--reproducible", help="Byte-identical plan for the same scenario, settings and seed."),
    ] = False,
    log: Annotated[bool, typer.Option("--log", help="Print CP-SAT's search log.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Write the outcome even when it has no plan and replaces a file that has one."),
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="A plan of this scenario before a change: the new plan moves as little as it can from it, "
            "every priority within 2 % of its best.",
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="YYYY-MM", help="With --baseline: work it starts before this month stays."),
    ] = None,
) -> None:
    """Find the best plan for a scenario and write it as JSON or YAML.

    Example: `planner solve scenarios/belarus-tomsk-2025-2030.yaml -o plan.json --time-limit 30`

    The plan holds the status, every objective term, the bound and gap, and per work package the
    institution, start and end (period index and month), effort, cost and funding. In
    --reproducible mode the search is limited by deterministic time, so the same inputs give the
    same file (its wall time is then omitted). A run that ends without a plan (exit 3 or 4) does not
    replace an existing plan file that holds one: its outcome goes beside it (`plan.json` →
    `plan.no-plan.json`) unless --force is given.

    Re-planning after a change: `planner solve new.yaml -o new-plan.json --baseline plan.json [--today 2026-03]`
    keeps institutions and months where it can (moves are minimised in a last stage, each priority within 2 % of
    its best) and prints what moved.
    """
    from planner.cpsat import solve as run
    from planner.diagnose import with_explanation
    from planner.domain.plan import Status
    from planner.io.atomic import check_writable
    from planner.io.plan_file import write_plan

    if output.suffix.lower() not in (".json", ".yaml", ".yml"):
        raise _fail(f"{output}: the plan file must end in .json, .yaml or .yml")
    if not output.parent.exists():
        raise _fail(f"{output}: folder {output.parent} does not exist")
    if output.is_dir():
        raise _fail(f"{output}: is a folder; give the path of a plan file")
    try:  # before solving: a long solve must not be lost to a folder it cannot write
        check_writable(output)
    except OSError as e:
        raise _fail(f"{output}: cannot write in folder {output.parent}: {e.strerror}") from None
    settings = _settings(time_limit_s=time_limit, workers=workers, seed=seed, reproducible=reproducible, log=log)
    if today is not None and (baseline is None or not _is_month(today)):
        raise _fail(f"--today {today}: give a month as YYYY-MM, together with --baseline")
    s = _load(scenario)
    base = _read_plan_or_fail(baseline) if baseline is not None else None
    plan = _with_progress(
        lambda cb: run(s, settings, on_progress=cb, started=_command_start, baseline=base, today=today),
        time_limit,
        quiet or log,
    )
    plan = with_explanation(s, plan, settings)
    target = output if force or plan.found or not _holds_a_plan(output) else _beside(output)
    try:
        write_plan(plan, target)
    except OSError as e:
        raise _fail(f"{target}: cannot write the plan: {e.strerror}") from None
    if target != output:
        err.print(
            f"{output} holds a plan from an earlier run and is kept; this run's outcome is in {target} "
            "(--force replaces the plan)",
            markup=False,
            highlight=False,
        )
    _print_summary(plan, target)
    if base is not None and plan.found:
        _print_moves(s, base, plan)
    if plan.status is Status.infeasible:
        raise typer.Exit(ExitCode.INFEASIBLE)
    if not plan.found:
        raise typer.Exit(ExitCode.NO_PLAN_IN_TIME)


def _same_scenario(plan_path: Path, p: Plan, scenario_path: Path, s: Scenario) -> None:
    """Exit 2 when the plan was made for another scenario (another name); warn when for another version of it."""
    from planner.domain.scenario import scenario_digest

    if p.scenario != s.name:
        raise _fail(f"{plan_path}: made for scenario '{p.scenario}', not for {scenario_path} ('{s.name}')")
    if p.scenario_digest != scenario_digest(s):
        err.print(
            f"warning: {plan_path} was made for another version of {scenario_path} (content differs)", highlight=False
        )


def _figure(x: float) -> str:
    """An objective figure with thousands separators and no exponent: 1,316,345 and 0.25, not 1.31634e+06."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:,.6g}"


def _is_month(text: str) -> bool:
    """Whether `text` is a month as scenario files write it (the domain's `Month`: YYYY-MM)."""
    from pydantic import TypeAdapter, ValidationError

    from planner.domain.scenario import Month

    try:
        TypeAdapter(Month).validate_python(text)
    except ValidationError:
        return False
    return True


def _print_moves(s: Scenario, base: Plan, plan: Plan) -> None:
    """What moved from the baseline, one line per work package (as `planner diff` words it), and why: what holds
    it where the new plan has it (`planner.diagnose.binding`: a forbid, a full institution, a cap, its chain)."""
    from planner.diagnose.binding import Snapshot, reasons
    from planner.report.compare import compare

    changes = compare(s, base, s, plan).changes
    out.print(f"{_count(len(changes), 'work package')} moved from the baseline", highlight=False)
    snapshot = Snapshot(s, plan) if changes else None
    for change in changes:
        out.print(f"  {change.sentence()}", markup=False, highlight=False)
        held = [r.text() for r in reasons(snapshot, change.work_package) if r.binding] if snapshot else []
        for line in held[:MOVE_REASONS]:
            out.print(f"      because {line}", markup=False, highlight=False)


MOVE_REASONS = 3
"""Reasons printed per moved work package: what binds it where it is now, the first few (`planner explain --wp`
gives all of them, and the cost of the alternatives)."""


def _settings(**values: float | bool) -> SolverSettings:
    """Solver settings from the options, or exit 2 naming the option that is out of range (e.g. a time limit of nan)."""
    from pydantic import ValidationError

    from planner.domain.settings import SolverSettings

    try:
        return SolverSettings.model_validate(values)
    except ValidationError as e:
        what = "; ".join(f"{'.'.join(map(str, x['loc']))}: {x['msg'].lower()}" for x in e.errors())
        raise _fail(f"invalid solver settings: {what}") from None


def _holds_a_plan(path: Path) -> bool:
    """Whether a readable plan file with a schedule is at `path` (what a run without a plan must not replace)."""
    from pydantic import ValidationError

    from planner.io.plan_file import read_plan

    if not path.exists():
        return False
    try:
        return read_plan(path).found
    except (ValidationError, ValueError, OSError):
        return False


def _beside(output: Path) -> Path:
    """Where the outcome of a run without a plan goes when `output` keeps an earlier plan: plan.no-plan.json."""
    return output.with_name(f"{output.stem}.no-plan{output.suffix}")


def _with_progress(run: Callable[[ProgressFn | None], Plan], time_limit: float, quiet: bool) -> Plan:
    """Run a solve showing elapsed time, the best value and bound of the current stage."""
    if quiet or not err.is_terminal:
        return run(None)
    from rich.live import Live
    from rich.text import Text

    state: dict[str, object] = {"line": "building the model…"}
    started = time.perf_counter()

    def on_progress(p: Progress) -> None:
        best = "—" if p.objective is None else _figure(p.objective)
        bound = "—" if p.bound is None else _figure(p.bound)
        state["line"] = f"stage {p.stage + 1}/{p.stages} [{p.term}]  best {best}  bound {bound}"

    result: dict[str, Plan] = {}
    worker = threading.Thread(target=lambda: result.setdefault("plan", run(on_progress)), daemon=True)
    worker.start()
    with Live(console=err, transient=True, refresh_per_second=4) as live:
        while worker.is_alive():
            live.update(Text(f"solving {time.perf_counter() - started:5.1f}/{time_limit:g} s  {state['line']}"))
            worker.join(0.25)
    return result["plan"]


def _print_summary(plan: Plan, output: Path) -> None:
    colour = {"optimal": "green", "feasible": "yellow"}.get(plan.status.value, "red")
    wall = f" in {plan.solver.wall_time_s:g} s" if plan.solver and plan.solver.wall_time_s is not None else ""
    gap = f", gap {plan.gap:.2%}" if plan.gap is not None else ""
    out.print(f"[{colour}]{plan.status.value}[/{colour}]{wall}{gap}; plan written to {output}", highlight=False)
    if plan.objective:
        from rich.table import Table

        table = Table("term", "value", "bound", box=None)
        for term, value in plan.objective.items():
            bound = plan.bounds.get(term)
            table.add_row(term, _figure(value), "" if bound is None else _figure(bound))
        out.print(table)
    if plan.found:
        out.print(f"{len(plan.assignments)} work packages planned, {len(plan.left_out)} left out", highlight=False)
        for lo in plan.left_out:
            out.print(f"  left out {lo.work_package}: {lo.reason}", markup=False, highlight=False)
    for line in plan.explanation:
        out.print(line, markup=False, highlight=False)


@app.command()
def check(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    plan: Annotated[Path, typer.Argument(help="Plan file (.json or .yaml) written by `planner solve`.")],
) -> None:
    """Verify a plan against its scenario with the independent checker and recompute its objective.

    Example: `planner check scenarios/minimal.yaml plan.json`  (exit 1 if any rule is broken)

    A plan file without a schedule (status infeasible or unknown) fails when the scenario has mandatory work;
    so does one whose stated objective, bounds, gap or status the recomputation contradicts.
    """
    from rich.table import Table

    from planner.check import check_plan, evaluate, outside_horizon
    from planner.domain.plan import Status
    from planner.domain.scenario import scenario_digest

    s = _load(scenario)
    p = _read_plan_or_fail(plan)
    if p.scenario_digest != scenario_digest(s):
        err.print(f"warning: {plan} was made for another version of {scenario} (content differs)", highlight=False)
    outside = outside_horizon(s, p)
    if outside:  # refused before any work period by period (the objective is not recomputed)
        for v in outside:
            out.print(f"[red]✗[/red] {v}", markup=True, highlight=False)
        out.print(f"[red]{len(outside)} violation{'s' if len(outside) != 1 else ''}[/red]")
        raise typer.Exit(ExitCode.VIOLATIONS)
    # A plan without a schedule (infeasible, unknown) is checked as a schedule too: mandatory work it leaves
    # undone is a violation, so a script never takes an empty file for a valid plan.
    violations = check_plan(s, p if p.found else p.model_copy(update={"status": Status.feasible}))
    terms = evaluate(s, p)
    table = Table("term", "recomputed", "in plan", box=None)
    for term, value in terms.items():
        stated = p.objective.get(term)
        table.add_row(term, _figure(value), "" if stated is None else _figure(stated))
    out.print(table)
    problems = [str(v) for v in violations] + _untrue_figures(p, terms)
    if problems:
        for line in problems:
            out.print(f"[red]✗[/red] {line}", markup=True, highlight=False)
        out.print(f"[red]{len(problems)} violation{'s' if len(problems) != 1 else ''}[/red]")
        raise typer.Exit(ExitCode.VIOLATIONS)
    out.print(
        f"[green]✓[/green] {plan} satisfies every rule of {scenario} ({len(p.assignments)} work packages)",
        highlight=False,
    )


def _untrue_figures(plan: Plan, terms: dict[str, float]) -> list[str]:
    """The plan's headline figures that the recomputation contradicts: objective terms, bounds, gap and status."""
    from planner.domain.plan import Status, relative_gap

    slack = 0.5 * len(plan.assignments) + 1e-6  # the model counts cost in whole units per work package
    out = []
    for term, stated in plan.objective.items():
        if term not in terms:
            out.append(f"objective: unknown term '{term}'")
        elif abs(stated - terms[term]) > max(slack, 1e-6 * abs(terms[term])):
            out.append(f"objective: {term} is {stated:,.6g} but the plan's assignments give {terms[term]:,.6g}")
    for term, bound in plan.bounds.items():
        value = plan.objective.get(term)
        if value is None:
            continue
        if (term == "value" and bound < value - slack) or (term != "value" and bound > value + slack):
            out.append(f"bounds: {term}'s bound {bound:,.6g} is beyond its value {value:,.6g}")
    if plan.gap is not None and plan.bounds:
        gaps = [relative_gap(plan.objective[t], b) for t, b in plan.bounds.items() if t in plan.objective]
        if gaps and abs(max(gaps) - plan.gap) > 1e-4:
            out.append(f"gap: {plan.gap:.4%} but the objective and bounds give {max(gaps):.4%}")
    if plan.status is Status.optimal and plan.gap:
        out.append(f"status: optimal with a gap of {plan.gap:.4%}")
    return out


@app.command()
def explain(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    plan: Annotated[
        Path | None,
        typer.Argument(help="A plan of the scenario (.json or .yaml): explain why it is as it is."),
    ] = None,
    wp: Annotated[
        str | None,
        typer.Option("--wp", metavar="ID", help="With PLAN: the full answer for one work package, alternatives too."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="With PLAN: language of the answer, en or ru.")] = "en",
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit",
            min=0.1,
            help="Seconds to search: for the reason no plan exists [default: 30]; with PLAN and --wp, for the "
            "re-solves of the alternatives together [default: 12].",
            show_default=False,
        ),
    ] = None,
    reproducible: Annotated[
        bool, typer.Option("--reproducible", help="With PLAN and --wp: re-solves limited by deterministic time.")
    ] = False,
) -> None:
    """Say in domain words why a scenario has no plan (exit 3), or confirm that it has one (exit 0); with a PLAN,
    why that plan is as it is.

    Example: `planner explain scenarios/minimal.yaml`

    With a plan: `planner explain scenario.yaml plan.json` lists the room each rule leaves (capacity per
    institution and year, money per funder and year, periods before each deadline; tightest first) and the most
    constrained work packages. `--wp U-07` answers for one work package: what binds it, with its numbers (its
    institution's full months, a funder's cap reached, a pin, a deadline chain), its float or critical path, and
    for each other institution that could do it the change of every priority if it were forced there (a bounded
    re-solve, confirmed by the independent checker: "proven" when no plan with it there does better, else "at most").
    """
    if plan is not None:
        _explain_plan(scenario, plan, wp, lang, time_limit, reproducible)
        return
    if wp is not None:
        raise _fail(f"--wp {wp}: give the PLAN to explain, after the scenario")
    from planner.cpsat import solve as run
    from planner.diagnose import with_explanation
    from planner.domain.plan import Status

    settings = _settings(time_limit_s=30.0 if time_limit is None else time_limit)
    s = _load(scenario)
    found = with_explanation(s, run(s, settings), settings)
    if found.found:
        out.print(f"{scenario} has a plan ({found.status.value}); nothing to explain.", highlight=False)
        return
    for line in found.explanation:
        out.print(line, markup=False, highlight=False)
    raise typer.Exit(ExitCode.INFEASIBLE if found.status is Status.infeasible else ExitCode.NO_PLAN_IN_TIME)


def _explain_plan(
    scenario: Path, plan_path: Path, wp: str | None, lang: str, time_limit: float | None, reproducible: bool
) -> None:
    """Why a plan is as it is: the room each rule leaves and the most constrained work, or one work package's answer."""
    from planner.check import check_plan
    from planner.diagnose.alternatives import BUDGET_S
    from planner.diagnose.why import why_plan, why_work_package

    if lang not in ("en", "ru"):
        raise _fail(f"--lang {lang}: choose en or ru")
    s = _load(scenario)
    p = _read_plan_or_fail(plan_path)
    _same_scenario(plan_path, p, scenario, s)
    if not p.found:
        raise _fail(
            f"{plan_path} holds no schedule (status {p.status.value}): `planner explain {scenario}` says why no plan "
            "exists"
        )
    broken = check_plan(s, p)
    if broken:
        shown = "; ".join(str(v) for v in broken[:3])
        raise _fail(
            f"{plan_path} breaks {_count(len(broken), 'rule')} of {scenario}, so it is not a plan to explain "
            f"(`planner check` lists them): {shown}"
        )
    if wp is None:
        lines = why_plan(s, p).lines(lang)
    else:
        known = [w.id for w in s.work_packages]
        if wp not in known:
            raise _fail(f"--wp {wp}: unknown work package; known: {', '.join(known)}")
        budget = BUDGET_S if time_limit is None else time_limit
        settings = _settings(time_limit_s=budget, reproducible=reproducible)
        working = f"re-solving with {wp} at each other institution that could do it (up to {budget:g} s)…"
        with err.status(working) if err.is_terminal else contextlib.nullcontext():
            lines = why_work_package(s, p, wp, settings, budget_s=budget).lines(lang)
    for line in lines:
        out.print(line, markup=False, highlight=False)


@app.command()
def schema(
    plan: Annotated[bool, typer.Option("--plan", help="The plan file's schema instead of the scenario's.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Print the JSON Schema of scenario files (or plan files), generated from the models.

    Example: `planner schema -o schema/scenario.schema.json`
    """
    from planner.io.schema import plan_schema, scenario_schema

    text = json.dumps(plan_schema() if plan else scenario_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    from planner.io.atomic import write_atomically

    if not output.parent.is_dir():
        raise _fail(f"{output}: folder {output.parent} does not exist")
    try:
        write_atomically(output, text.encode("utf-8"))
    except OSError as e:
        raise _fail(f"{output}: cannot write the schema: {e.strerror}") from None


@import_app.command("psplib")
def import_psplib(
    file: Annotated[Path, typer.Argument(help="PSPLIB .sm/.mm or MMLIB .mm file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Scenario YAML file to write.")],
) -> None:
    """Turn a PSPLIB (single- or multi-mode) or MMLIB instance into a scenario.

    Renewable resources become facilities, non-renewable ones budgets (funders with a total),
    modes explicit execution options; the objective is the makespan. Work package ids are the
    job numbers and option ids the mode numbers.

    Example: `planner import psplib ../shared/benchmarks/psplib_sm/j30/j301_1.sm -o j301_1.yaml`
    """
    from planner.importers.psplib import BenchmarkImportError, scenario_to_yaml
    from planner.importers.psplib import import_psplib as convert

    try:
        s = convert(file)
    except FileNotFoundError:
        raise _fail(f"{file}: file not found") from None
    except BenchmarkImportError as e:
        raise _fail(str(e)) from None
    try:
        output.write_text(
            scenario_to_yaml(s, header=f"Imported from {file.name} by `planner import psplib`."), encoding="utf-8"
        )
    except OSError as e:
        raise _fail(f"{output}: cannot write: {e.strerror}") from None
    out.print(
        f"{output}: {len(s.work_packages)} work packages, {len(s.facilities)} facilities, {len(s.funders)} budgets",
        highlight=False,
    )


@app.command()
def generate(
    output: Annotated[Path, typer.Option("--output", "-o", help="Scenario YAML file to write.")],
    wps: Annotated[int, typer.Option("--wps", min=1, max=20_000, help="Work packages.")] = 500,
    institutions: Annotated[int, typer.Option("--institutions", min=1, max=2_000, help="Institutions.")] = 40,
    countries: Annotated[int, typer.Option("--countries", min=1, max=6, help="Countries (partners).")] = 2,
    periods: Annotated[int, typer.Option("--periods", min=12, max=600, help="Monthly periods.")] = 72,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed: the same seed gives the same file.")] = 0,
    infeasible: Annotated[
        bool, typer.Option("--infeasible", help="Plant one named conflict (a deadline its chain cannot meet).")
    ] = False,
    reference: Annotated[
        Path | None, typer.Option("--reference", help="Also write the reference plan that proves it feasible.")
    ] = None,
) -> None:
    """Write a synthetic program of a given size: realistic, valid, and feasible by construction.

    Competency clusters, programs of chained work packages with links across programs, optional
    work with values, overlap groups of proposals from different countries, prior results,
    facilities, pins, deadlines, and budgets and shares that bind (5–15 % above what a reference
    plan spends). The reference plan keeps every hard rule (`--reference plan.json` writes it).

    Example: `planner generate --wps 2000 --institutions 100 --seed 1 -o program-2000.yaml`
    """
    from planner.check import check_plan, evaluate
    from planner.domain.plan import Plan, Status
    from planner.domain.scenario import scenario_digest
    from planner.importers.psplib import scenario_to_yaml
    from planner.importers.synthetic import generate as make
    from planner.io.plan_file import write_plan
    from planner.problem.assemble import assignments
    from planner.problem.prepared import prepare

    if institutions < countries:
        raise _fail(f"--institutions {institutions}: need at least one institution per country ({countries})")
    try:
        made = make(wps, institutions, countries, periods, seed, infeasible)
    except (ValueError, RuntimeError) as e:
        raise _fail(f"cannot generate this program: {e}") from None
    s = made.scenario
    header = (
        f"Generated by `planner generate --wps {wps} --institutions {institutions} --countries {countries} "
        f"--periods {periods} --seed {seed}{' --infeasible' if infeasible else ''}`."
    )
    if made.planted:
        header += f"\nPlanted conflict: {made.planted}."
    try:
        output.write_text(scenario_to_yaml(s, header=header), encoding="utf-8")
    except OSError as e:
        raise _fail(f"{output}: cannot write: {e.strerror}") from None
    if reference is not None:
        p = prepare(s)
        plan = Plan(
            scenario=s.name,
            scenario_digest=scenario_digest(s),
            status=Status.feasible,
            assignments=assignments(p, made.reference),
            reporting_currency=p.money.reporting,
        )
        values = evaluate(p, plan)
        plan = plan.model_copy(update={"objective": {t.value: values[t.value] for t in s.objective.priorities}})
        if not infeasible and check_plan(p, plan):
            raise RuntimeError("the reference plan breaks a rule")  # a bug: main() reports it as internal (70)
        try:
            write_plan(plan, reference)
        except OSError as e:
            raise _fail(f"{reference}: cannot write: {e.strerror}") from None
    out.print(
        f"{output}: {len(s.work_packages)} work packages in {len(s.programs)} programs, "
        f"{len(s.institutions)} institutions, {len(s.funders)} funders, {len(s.overlap_groups)} overlap groups"
        + (f"; planted: {made.planted}" if made.planted else ""),
        highlight=False,
    )


class DiffFormat(StrEnum):
    """How `planner diff` writes its answer."""

    text = "text"
    markdown = "markdown"
    json = "json"


def _file_kind(path: Path) -> str:
    """'scenario' or 'plan', by the file's top-level keys (a plan may be YAML, a scenario JSON); exit 2 otherwise."""
    from planner.io.yamlio import load_yaml_text

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _fail(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise _fail(f"{path}: cannot read: {e}") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else load_yaml_text(text)
    except Exception:  # any parse error: the scenario reader reports YAML problems with lines below
        data = None
    if isinstance(data, dict) and "assignments" in data and "scenario_digest" in data:
        return "plan"
    if isinstance(data, dict) and "work_packages" in data:
        return "scenario"
    if data is None and path.suffix.lower() in (".yaml", ".yml"):
        return "scenario"  # unparsable YAML: let the scenario reader list its problems
    raise _fail(f"{path}: neither a scenario (no work_packages) nor a plan written by `planner solve`")


@app.command()
def diff(
    a: Annotated[Path, typer.Argument(help="Scenario or plan file A (the base).")],
    b: Annotated[Path, typer.Argument(help="Scenario or plan file B (the change), of the same kind as A.")],
    scenario: Annotated[
        list[Path] | None,
        typer.Option(
            "--scenario",
            "-s",
            help="For plans: the scenario of both plans, or given twice, the scenario of A and then of B.",
        ),
    ] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="text, markdown or json.")] = DiffFormat.text,
    lang: Annotated[str, typer.Option("--lang", help="Language of the plan diff's sentences: en or ru.")] = "en",
) -> None:
    """Say what changed between two scenarios, or between two plans, in domain words.

    Example: `planner diff base.yaml head.yaml` (exit 0 identical, 1 different, 2 bad input)

    Two scenarios: every change by section and id ("tusur's capacity 6 → 4 PM/month from 2026").
    Two plans (with `--scenario`): key-figure deltas and work packages moved, added or dropped
    ("U-12 moved from bsuir to tusur, starts 4 months later, cost +1.2 M USD"); with two scenarios
    the scenario's changes follow. Example: `planner diff base.json head.json -s base.yaml -s head.yaml
    --format markdown`
    """
    from planner.report.diff import plans_identical, render_plan_diff, render_scenario_diff
    from planner.report.scenario_diff import diff_scenarios

    if lang not in ("en", "ru"):
        raise _fail(f"--lang {lang}: choose en or ru")
    kinds = (_file_kind(a), _file_kind(b))
    if kinds[0] != kinds[1]:
        raise _fail(f"{a} is a {kinds[0]} and {b} a {kinds[1]}: compare two scenarios or two plans")
    if kinds[0] == "scenario":
        if scenario:
            raise _fail("--scenario is for comparing plans; here A and B are scenarios")
        d = diff_scenarios(_load(a), _load(b))
        sys.stdout.write(render_scenario_diff(d, fmt.value, str(a), str(b)))
        if not d.identical:
            raise typer.Exit(ExitCode.VIOLATIONS)
        return
    from planner.report.compare import compare

    if not scenario or len(scenario) > 2:
        raise _fail("a plan diff needs the plans' scenario: --scenario S.yaml, or --scenario A.yaml --scenario B.yaml")
    sa = _load(scenario[0])
    sb = _load(scenario[-1]) if len(scenario) == 2 else sa
    pa, pb = _read_plan_or_fail(a), _read_plan_or_fail(b)
    for plan_path, p, s, s_path in ((a, pa, sa, scenario[0]), (b, pb, sb, scenario[-1])):
        _same_scenario(plan_path, p, s_path, s)
    c = compare(sa, pa, sb, pb)
    changes = diff_scenarios(sa, sb) if len(scenario) == 2 else None
    sys.stdout.write(render_plan_diff(c, fmt.value, lang, str(a), str(b), changes))
    if not plans_identical(c):
        raise typer.Exit(ExitCode.VIOLATIONS)


class ReportFormat(StrEnum):
    """What `planner report` writes."""

    html = "html"
    xlsx = "xlsx"


REPORT_SUFFIXES = {".html": ReportFormat.html, ".htm": ReportFormat.html, ".xlsx": ReportFormat.xlsx}


@app.command()
def report(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    plan: Annotated[
        Path, typer.Argument(help="Plan file (.json or .yaml) of this scenario, written by `planner solve`.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Report file to write: .html or .xlsx.")],
    fmt: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", help="html or xlsx; default: from the output file's suffix."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of headings, labels and numbers: en or ru.")] = "en",
) -> None:
    """Write a plan's report for a meeting or a proposal: one self-contained HTML file, or an Excel workbook.

    Example: `planner report scenarios/belarus-tomsk-2025-2030.yaml plan.json -o report.html`

    The plan is first checked against the scenario by the independent checker; the report opens with the verdict
    and the key figures, then: the plan's quality (per priority its value, bound, gap and whether it is proven best),
    the Gantt by program, the work packages (lead institution, person-months, first and last month), staff effort
    (institutions × work packages, with totals), capacity use, budget per institution and year, funding by source
    and country against caps and shares, the funding Sankey, deliverables, milestones and deadlines, left-out work
    and why, and where the plan is tight (or why no plan exists).

    The HTML file works offline (plotly.js inlined once, no network request) and prints on A4 landscape.
    `--format xlsx` (or an .xlsx name) writes the same tables, one sheet each, headers in words;
    `--lang ru` writes headings, labels and numbers in Russian (scenario names as written).

    A plan that breaks a rule of the scenario is still reported, with every broken rule at the top of the report: the
    command warns and exits 1. A plan made for another version of the scenario is reported with a warning (exit 0); one
    made for another scenario (another name, or work packages or options this scenario lacks) is refused (exit 2).
    """
    from planner.io.atomic import check_writable, write_atomically

    if lang not in ("en", "ru"):
        raise _fail(f"--lang {lang}: choose en or ru")
    kind = fmt or REPORT_SUFFIXES.get(output.suffix.lower())
    if kind is None:
        raise _fail(f"{output}: name a .html or .xlsx file, or give --format html|xlsx")
    if not output.parent.is_dir():
        raise _fail(f"{output}: folder {output.parent} does not exist")
    if output.is_dir():
        raise _fail(f"{output}: is a folder; give the path of a report file")
    try:
        check_writable(output)
    except OSError as e:
        raise _fail(f"{output}: cannot write in folder {output.parent}: {e.strerror}") from None
    s = _load(scenario)
    p = _read_plan_or_fail(plan)
    if p.scenario != s.name:
        raise _fail(f"{plan}: made for scenario '{p.scenario}', not for {scenario} ('{s.name}')")
    document = _report_document(s, p, lang, plan, scenario)
    if not document.verdict.same_version:
        err.print(
            f"warning: {plan} was made for another version of {scenario}; the report checks it against this one",
            highlight=False,
        )
    if kind is ReportFormat.html:
        from planner.report.html_report import html_text

        data = html_text(document).encode("utf-8")
    else:
        from planner.report.xlsx_report import xlsx_bytes

        data = xlsx_bytes(document)
    try:
        write_atomically(output, data)
    except OSError as e:
        raise _fail(f"{output}: cannot write the report: {e.strerror}") from None
    verdict = document.verdict
    what = f"{_count(len(p.assignments), 'work package')}" if p.found else f"no plan ({p.status.value})"
    size = f"{len(data) / 1e6:.1f} MB" if len(data) >= 1e6 else f"{len(data) / 1e3:.0f} kB"
    out.print(f"{output}: report written ({size}, {what})", highlight=False)
    if verdict.violations:
        n = len(verdict.violations)
        err.print(
            f"warning: {plan} breaks {_count(n, 'rule')} of {scenario}; the report says so at its top "
            f"(`planner check {scenario} {plan}` lists them)",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(ExitCode.VIOLATIONS)


def _report_document(s: Scenario, p: Plan, lang: str, plan: Path, scenario: Path) -> Report:
    """The report's content, or exit 2 when the plan names work the scenario does not have."""
    from planner.report.contents import build

    headings: dict[str, str] = {}
    if p.explanation:  # the explainer's headings, to say in the report's language why no plan exists
        from planner.diagnose.conflict import HEADINGS

        headings = HEADINGS
    try:
        return build(s, p, lang, plan.name, _critical_path(s, p), headings)
    except ValueError as e:
        raise _fail(f"{plan}: {e}; it was made for another scenario than {scenario}") from None


def _critical_path(s: Scenario, p: Plan) -> list[str] | None:
    """The plan's critical work packages (no float, `planner.diagnose.timing`), by start: the report names them under
    the Gantt and marks them in the list, the same ones the Gantt frames in red; None for a plan without a schedule."""
    if not p.found:
        return None
    from planner.diagnose.timing import plan_timing

    timing = plan_timing(s, p)
    critical = [w for w in timing.wps.values() if w.critical]
    return [w.wp for w in sorted(critical, key=lambda w: (w.start, w.wp))]


@app.command()
def duplicates(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    threshold: Annotated[
        float,
        typer.Option("--threshold", "-t", help="Report pairs scored at or above this (0 to 1; default 0.5)."),
    ] = 0.5,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="text, markdown or json.")] = DiffFormat.text,
    lang: Annotated[str, typer.Option("--lang", help="Language of the output: en or ru.")] = "en",
) -> None:
    """Find work packages proposed by different sides that look like the same work (exit 1 if any, like `diff`).

    Example: `planner duplicates scenarios/belarus-tomsk-2025-2030.yaml --lang ru`

    Pairs of work packages of different proposers (`proposed_by`: another institution or country; a work
    package without one is compared with all) that are not yet in one overlap group are scored from 0 to 1
    by title, description, keywords, required competencies, effort and program, Russian and English alike
    (through a glossary of the program's terms: there is no translation model). Each pair comes with what
    matched and a suggested overlap group to paste under `overlap_groups`. Exit 0 when no pair reaches the
    threshold, 1 when some do, 2 for invalid input.
    """
    from planner.review.duplicates import find_duplicates
    from planner.review.render import render_duplicates

    if lang not in ("en", "ru"):
        raise _fail(f"--lang {lang}: choose en or ru")
    if not 0 <= threshold <= 1:
        raise _fail(f"--threshold {threshold}: choose a number from 0 to 1")
    s = _load(scenario)
    found = find_duplicates(s, threshold)
    sys.stdout.write(render_duplicates(s, found, threshold, fmt.value, lang))
    if found:
        raise typer.Exit(ExitCode.VIOLATIONS)


def main() -> None:
    """Entry point: internal errors become a one-line message unless --debug is given."""
    global _process_start
    _process_start = STARTED
    try:
        app()
    except Exception as e:  # pragma: no cover - last line of defence
        if "--debug" in sys.argv:
            raise
        err.print(f"internal error: {type(e).__name__}: {e} (run with --debug for details)", markup=False)
        sys.exit(70)


if __name__ == "__main__":
    main()
