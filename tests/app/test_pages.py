"""Every page of the app through Streamlit's AppTest: the demo, edits, solves, plans, comparison, saving."""

from __future__ import annotations

import json
import shutil
import threading
import time
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_pages.state import Result
from planner import check_plan, load_scenario
from planner.domain.settings import SolverSettings
from planner.i18n import t
from planner.importers.psplib import import_psplib, scenario_to_yaml
from planner.io.yamlio import dump_yaml_text
from planner.problem.prepared import prepare
from planner.report.charts import DETAIL_ROWS
from planner.ui.table_pages import PAGE_ROWS
from tests.conftest import DATA, ROOT, SCENARIOS, large_program

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from planner.ui.editing import EditSession
    from planner.ui.jobs import SolveJob

DEMO = "belarus-tomsk-2025-2030.yaml"
TIMEOUT = 60
# Solves never race a clock here: how soon CP-SAT finds (or proves) anything depends on the machine and its load,
# so a test that gave it a few seconds failed whenever the first plan came later (a busy 2-core machine). A test
# gives every solve a limit it never reaches, and either lets it end by itself (a small scenario proven optimal, an
# infeasible one proven infeasible, a failing solver) or waits for the first plan and presses Stop, which keeps the
# best plan so far (see `optimize_until_a_plan`). HANG_GUARD_S only turns a hang into a failure: a healthy run needs
# a few seconds of it.
LONG_LIMIT_S = 600.0
HANG_GUARD_S = 240.0


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scenario folder of the app's own: copies of the shipped scenarios."""
    for path in SCENARIOS.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setenv("PLANNER_SCENARIO_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def at(folder: Path) -> Iterator[AppTest]:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.run()
    assert not app.exception
    yield app
    job = app.session_state.get("job")
    if job is not None:  # e.g. the re-solve Forbid here starts; a stop ends it once it has a plan
        job.stop()
        assert job.wait(HANG_GUARD_S), "a solve left running did not stop"


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def edit(at: AppTest) -> EditSession:
    session: EditSession = at.session_state["edit"]
    return session


def start_optimize(at: AppTest, seconds: float = LONG_LIMIT_S) -> SolveJob | None:
    """Press Optimize with this time limit; the background solve job (None if the plan came from the cache)."""
    go(at, "optimize")
    at.number_input(key="time_limit").set_value(seconds)
    at.button(key="optimize_run").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    job: SolveJob | None = at.session_state["job"]
    return job


def has_plan(job: SolveJob) -> bool:
    """The job has found a plan (some solution was reported), or has ended without one."""
    return job.done or any(p.objective is not None for p in job.progress)


def wait_for_a_plan(job: SolveJob) -> None:
    deadline = time.monotonic() + HANG_GUARD_S
    while not has_plan(job):
        assert time.monotonic() < deadline, f"no plan and no end of the solve in {HANG_GUARD_S:g} s"
        time.sleep(0.05)


def optimize_to_the_end(at: AppTest) -> None:
    """Optimize with a limit never reached and let the solve end by itself: for a scenario CP-SAT proves optimal or
    infeasible within a second, or a solver that fails. The outcome does not depend on the machine's speed."""
    job = start_optimize(at)
    if job is not None:
        assert job.wait(HANG_GUARD_S), f"the solve did not end in {HANG_GUARD_S:g} s"
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def optimize_until_a_plan(at: AppTest) -> None:
    """Some plan of the open scenario, however slow the machine: optimize with a limit never reached, wait until the
    solver reports its first plan, press Stop (the solver keeps the best plan so far), and let the page pick it up.

    A stopped plan is not put in the plan cache (it is not the answer these settings give), so each call solves.
    A solve that ends by itself first (e.g. `minimal.yaml`, proven optimal at once) needs no Stop.
    """
    job = start_optimize(at)
    if job is not None:
        wait_for_a_plan(job)
        at.run()  # the Stop button is drawn while the job runs
        if not job.done:
            at.button(key="optimize_stop").click()
            at.run()
        assert job.wait(HANG_GUARD_S), "the solve did not stop"
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def solver_held_until_released(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Replace the solver by one that runs until the returned event is set (then fails): a solve that is certainly
    still running, whatever the machine's speed."""
    release = threading.Event()

    def waiting(scenario: object, settings: object, progress: object, stop: threading.Event) -> None:
        release.wait(HANG_GUARD_S)
        raise RuntimeError("released")

    monkeypatch.setattr("planner.cpsat.solver.solve", waiting)
    return release


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open a tab of the Plan page (its tabs run lazily: only the open one draws)."""
    at.session_state["plan_tab"] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements: object) -> list[str]:
    return [str(e.value) for e in elements]  # type: ignore[attr-defined]


def set_capacity(at: AppTest, institution: str, capacity: float) -> None:
    """An edit through the Edit page's functions: one cell of the institutions table."""
    session = edit(at)
    frame = session.frame("institutions")
    frame.loc[frame["id"] == institution, "capacity_pm"] = capacity
    assert session.apply("institutions", frame)


def test_scenario_page_opens_the_demo_with_its_summary(at: AppTest) -> None:
    assert edit(at).name == DEMO
    assert dict(zip([m.label for m in at.metric], [m.value for m in at.metric], strict=True)) == {
        "Programs": "7",
        "Institutions": "22",
        "Work packages": "65",
        "Overlap groups": "4",
        "Funders": "3",
    }
    assert len(at.dataframe) == 5  # programs, countries, institutions, overlap groups, funders


def test_language_switch_translates_labels_not_content(at: AppTest) -> None:
    at.sidebar.selectbox(key="lang").set_value("ru")
    at.run()
    assert at.title[0].value == "Сценарий"
    assert "Программы" in [m.label for m in at.metric]
    assert at.subheader[0].value == load_scenario(SCENARIOS / DEMO).name  # scenario content as written


def test_invalid_scenario_lists_problems_and_links_to_the_row(at: AppTest, folder: Path) -> None:
    text = (folder / "minimal.yaml").read_text(encoding="utf-8")
    broken = text.replace("capacity_pm: 4", "capacity_pm: -4", 1)
    assert broken != text
    (folder / "broken.yaml").write_text(broken, encoding="utf-8")
    at.run()  # the page lists the folder as it is now
    at.selectbox(key="scenario_pick").set_value("broken.yaml")
    at.run()
    assert not at.exception
    assert edit(at).name == "broken.yaml" and edit(at).problems
    problems = texts(at.markdown)
    assert any("institutions[" in p and "capacity_pm" in p for p in problems), problems
    at.button(key="goto-0").click()
    at.run()
    assert at.title[0].value == "Edit"
    assert any("row 1" in w for w in texts(at.warning)), texts(at.warning)


def test_edit_is_validated_at_once_and_can_be_undone(at: AppTest) -> None:
    go(at, "edit")
    original = edit(at).text
    set_capacity(at, "bsuir", 99)
    go(at, "edit")
    assert edit(at).changed and not edit(at).problems
    changed = [line for line in edit(at).text.splitlines() if line not in original.splitlines()]
    assert len(changed) == 1 and "99" in changed[0]
    # an edit that breaks a rule is kept, and its problem is shown next to the table
    session = edit(at)
    frame = session.frame("work_packages")
    frame.loc[0, "requires"] = "no-such-skill: 3"
    assert session.apply("work_packages", frame)
    go(at, "edit")
    assert session.problems
    assert any("no-such-skill" in x for x in texts(at.markdown)), texts(at.markdown)
    for table in ("institutions", "work_packages"):  # Undo takes back the edits of the table shown
        at.segmented_control(key="edit_table").set_value(table)
        at.run()
        at.button(key="edit_undo").click()
        at.run()
    assert edit(at).text == original and not edit(at).changed


def test_optimize_shows_kpis_and_charts_and_caches(at: AppTest) -> None:
    # Only a solve that ends by itself is cached (a stopped one is not), and ending within a time limit depends on
    # the machine's speed: minimal.yaml, which CP-SAT proves optimal in well under a second, is solved to the end.
    at.selectbox(key="scenario_pick").set_value("minimal.yaml")
    at.run()
    assert edit(at).name == "minimal.yaml" and edit(at).scenario is not None, edit(at).problems
    optimize_to_the_end(at)
    assert any("work packages planned" in s for s in texts(at.success)), texts(at.success)
    result = at.session_state["results"][-1]
    assert result.plan.found and check_plan(result.scenario, result.plan) == []
    go(at, "plan")
    kpis = {m.label: m.value for m in at.metric}
    assert kpis["Status"] in ("optimal", "feasible")
    assert int(kpis["Work packages planned"]) == len(result.plan.assignments)
    assert kpis["Completion"] == max(a.end_month for a in result.plan.assignments)
    assert len(at.get("plotly_chart")) == 1  # lazy tabs: only the open one (the Gantt) is drawn
    for tab in ("Capacity", "Budget", "Funding", "Staff effort"):
        open_tab(at, tab)
        assert [c.key for c in at.get("plotly_chart")], tab
    # the same content and settings again: served from the cache, no new solve
    assert start_optimize(at) is None
    assert any("earlier solve" in s for s in texts(at.success)), texts(at.success)
    assert at.session_state["results"][-1].plan is result.plan


def test_compare_two_plans_and_save_under_a_new_name(at: AppTest, folder: Path) -> None:
    optimize_until_a_plan(at)
    set_capacity(at, "bsuir", 0.5)
    optimize_until_a_plan(at)
    a, b = at.session_state["results"][-2:]
    assert a.scenario != b.scenario and b.plan.found
    go(at, "compare")
    assert [m.label for m in at.metric]
    assert len(at.get("plotly_chart")) == 1
    moved = [x for x in b.plan.assignments if (a.plan.assignment(x.work_package) or x).institution != x.institution]
    if moved:  # less capacity at bsuir moves work elsewhere: the table lists it
        table = at.dataframe[0].value
        assert isinstance(table, pd.DataFrame) and not table.empty
    go(at, "save")
    at.text_input(key="save_name").set_value("demo-less-bsuir")
    at.button(key="save_button").click()
    at.run()
    assert not at.exception and texts(at.success), texts(at.error)
    saved = folder / "demo-less-bsuir.yaml"
    text = saved.read_text(encoding="utf-8")
    assert "ALL FIGURES ARE ILLUSTRATIVE" in text  # the demo's comments survive
    assert load_scenario(saved) == b.scenario
    assert not edit(at).changed and edit(at).name == saved.name


def test_save_refuses_a_file_changed_on_disk_and_shows_the_diff(at: AppTest, folder: Path) -> None:
    set_capacity(at, "bsuir", 7)
    demo = folder / DEMO
    demo.write_text(demo.read_text(encoding="utf-8") + "# someone else's change\n", encoding="utf-8")
    go(at, "save")
    at.checkbox(key="save_overwrite").check()
    at.button(key="save_button").click()
    at.run()
    assert texts(at.error) and "someone else's change" in at.code[0].value
    assert demo.read_text(encoding="utf-8").endswith("# someone else's change\n")  # nothing lost


@pytest.mark.parametrize("name", ["../outside.yaml", "/tmp/x.yaml", "sub/dir.yaml"])
def test_save_stays_inside_the_scenario_folder(at: AppTest, folder: Path, name: str) -> None:
    go(at, "save")
    at.text_input(key="save_name").set_value(name)
    at.button(key="save_button").click()
    at.run()
    assert not at.exception and texts(at.error)
    assert not (folder.parent / "outside.yaml").exists()


def test_stop_keeps_the_best_plan_so_far(at: AppTest) -> None:
    job = start_optimize(at)  # a limit never reached: only the Stop ends this solve
    assert job is not None
    wait_for_a_plan(job)  # however long the first plan takes on this machine
    assert not job.done
    at.run()
    at.button(key="optimize_stop").click()
    at.run()
    assert job.wait(HANG_GUARD_S), "the solve did not stop"
    at.run()
    result = at.session_state["results"][-1]
    assert result.plan.found and check_plan(result.scenario, result.plan) == []
    assert result.plan.solver.wall_time_s < LONG_LIMIT_S / 2  # ended by the Stop, far from the time limit


def test_a_failing_solve_shows_a_message_and_the_app_stays_up(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("solver exploded")

    monkeypatch.setattr("planner.cpsat.solver.solve", broken)
    optimize_to_the_end(at)
    assert any("solver exploded" in e for e in texts(at.error)), texts(at.error)
    at.run()  # the message stays through reruns (it used to vanish after one, a race in this test)
    assert any("solver exploded" in e for e in texts(at.error)), texts(at.error)
    go(at, "plan")  # navigation still works
    monkeypatch.undo()
    optimize_until_a_plan(at)  # the next solve clears the message
    assert not any("solver exploded" in e for e in texts(at.error)), texts(at.error)


def test_infeasible_scenario_shows_the_reason(at: AppTest, folder: Path) -> None:
    infeasible = import_psplib(DATA / "j301_1.mm")  # PSPLIB j30 multi-mode with no feasible schedule
    (folder / "j301_1.yaml").write_text(scenario_to_yaml(infeasible), encoding="utf-8")
    at.run()
    at.selectbox(key="scenario_pick").set_value("j301_1.yaml")
    at.run()
    assert edit(at).scenario is not None, edit(at).problems
    optimize_to_the_end(at)  # proven infeasible at once; the explanation's probes have deterministic limits
    assert any("infeasible" in e for e in texts(at.error)), texts(at.error)
    assert any("available" in m for m in texts(at.markdown)), texts(at.markdown)  # the reason, in words
    go(at, "plan")
    assert texts(at.error)


def test_pin_here_adds_a_pin_and_reoptimizes(at: AppTest) -> None:
    optimize_until_a_plan(at)
    plan = at.session_state["results"][-1].plan
    a = plan.assignments[0]
    go(at, "plan")
    open_tab(at, "Work package")
    at.selectbox(key="detail_wp").set_value(a.work_package)
    at.run()
    opened = edit(at).scenario
    assert opened is not None
    other = next(i.id for i in opened.institutions if i.id != a.institution)
    at.selectbox(key="detail_institution").set_value(other)
    at.run()
    at.button(key="forbid_here").click()
    at.run()
    assert at.title[0].value == "Optimize"
    changed = edit(at).scenario
    assert changed is not None
    forbids = changed.forbids
    assert (forbids[-1].work_package, forbids[-1].institution) == (a.work_package, other)


def test_two_sessions_do_not_share_state(folder: Path) -> None:
    first = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    second = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    first.run()
    second.run()
    second.selectbox(key="scenario_pick").set_value("minimal.yaml")
    second.run()
    optimize_until_a_plan(first)
    optimize_until_a_plan(second)
    assert first.session_state["edit"].name == DEMO and second.session_state["edit"].name == "minimal.yaml"
    (r1,), (r2,) = first.session_state["results"], second.session_state["results"]
    assert r1.scenario.name != r2.scenario.name
    assert first.session_state["cache"] is not second.session_state["cache"]


def test_a_bug_in_a_page_shows_a_message_not_a_traceback(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr("planner.report.summary.summarize", broken)
    at.run()
    assert not at.exception
    assert any("Something went wrong" in e for e in texts(at.error)), texts(at.error)
    go(at, "edit")  # the other pages still work
    assert at.title[0].value == "Edit"


def test_priorities_can_be_changed_on_the_optimize_page(at: AppTest) -> None:
    go(at, "optimize")
    at.multiselect(key="optimize-objective-priorities").set_value(["cost", "value"])
    at.button(key="optimize-objective-apply").click()
    at.run()
    scenario = edit(at).scenario
    assert scenario is not None
    assert [p.value for p in scenario.objective.priorities] == ["cost", "value"]
    assert "priorities: [cost, value]" in edit(at).text


def test_save_back_to_the_opened_file_but_not_over_another(at: AppTest, folder: Path) -> None:
    minimal = (folder / "minimal.yaml").read_bytes()
    set_capacity(at, "bsuir", 7)
    go(at, "save")
    at.text_input(key="save_name").set_value("minimal.yaml")  # another existing file, box unticked
    at.button(key="save_button").click()
    at.run()
    assert any("already exists" in e for e in texts(at.error)), texts(at.error)
    assert (folder / "minimal.yaml").read_bytes() == minimal
    at.text_input(key="save_name").set_value(DEMO)  # the file it was opened from: no tick needed
    at.button(key="save_button").click()
    at.run()
    assert not texts(at.error) and texts(at.success)
    assert load_scenario(folder / DEMO) == edit(at).scenario and not edit(at).changed


def test_every_page_works_in_russian(at: AppTest) -> None:
    at.sidebar.selectbox(key="lang").set_value("ru")
    at.run()
    optimize_until_a_plan(at)
    titles = []
    for page in ("scenario", "edit", "optimize", "plan", "compare", "save"):
        go(at, page)
        titles.append(at.title[0].value)
        assert not texts(at.error), (page, texts(at.error))
    assert titles == ["Сценарий", "Правка", "Оптимизация", "План", "Сравнение", "Сохранение"]
    go(at, "plan")
    assert "Статус" in [m.label for m in at.metric]


def test_a_large_program_pages_its_tables_and_drills_into_its_gantt(at: AppTest, folder: Path) -> None:
    generated, plan = large_program()  # a plan made without a solver: the constructive plan, checked
    text = dump_yaml_text(generated.model_dump(mode="json", exclude_none=True))
    (folder / "large.yaml").write_text(text, encoding="utf-8")
    at.run()
    at.selectbox(key="scenario_pick").set_value("large.yaml")
    at.run()
    opened = edit(at).scenario
    assert opened is not None, edit(at).problems
    n = len(opened.work_packages)
    go(at, "edit")
    at.segmented_control(key="edit_table").set_value("work_packages")
    at.run()
    assert f"Rows 1–{PAGE_ROWS} of {n} shown" in texts(at.caption)[0]
    program = opened.programs[1].id
    at.selectbox(key="edit_program").set_value(program)
    at.run()
    mine = sum(w.program == program for w in opened.work_packages)
    assert f"of {mine} shown ({n} in the table)" in texts(at.caption)[0]
    at.number_input(key="edit_page").set_value(2)
    at.run()
    assert not at.exception and at.number_input(key="edit_page").value == min(2, -(-mine // PAGE_ROWS))

    assert len(plan.assignments) > DETAIL_ROWS
    at.session_state["results"] = [Result("large", opened, plan, SolverSettings())]
    go(at, "plan")
    summary = at.get("plotly_chart")
    assert [c.key for c in summary] == ["gantt_summary_program"]  # one bar per program, not one per WP
    at.selectbox(key="gantt_only_program").set_value(program)
    at.run()
    assert [c.key for c in at.get("plotly_chart")] == ["gantt"]
    figures = at.session_state["figures"]
    drawn = len(figures)
    go(at, "scenario")
    go(at, "plan")  # back on the Plan page: nothing drawn again
    assert len(figures) == drawn


def _forbid_where_planned(at: AppTest) -> str:
    """An edit after the solve: the newest plan's first work package is forbidden where the plan puts it (another
    institution can do it, so the scenario stays valid and the plan now breaks a rule)."""
    plan = at.session_state["results"][-1].plan
    first = plan.assignments[0]
    session = edit(at)
    frame = session.frame("forbids")
    row = {column: None for column in frame.columns} | {
        "work_package": first.work_package,
        "institution": first.institution,
    }
    assert session.apply("forbids", pd.concat([frame, pd.DataFrame([row])], ignore_index=True))
    assert session.scenario is not None, session.problems
    return first.work_package


def test_a_plan_solved_before_an_edit_is_checked_against_the_edited_scenario(at: AppTest) -> None:
    """Issue 16, finding 3: a plan that breaks a rule of the current scenario is never labelled feasible."""
    at.selectbox(key="scenario_pick").set_value("minimal.yaml")
    at.run()
    optimize_to_the_end(at)
    wp = _forbid_where_planned(at)
    go(at, "plan")
    kpis = {m.label: m.value for m in at.metric}
    assert kpis["Status"] == "breaks 1 rule(s) of the current scenario" and kpis["Gap to the best possible"] == "—"
    assert any("breaks 1 rule" in e for e in texts(at.error)), texts(at.error)
    assert any(wp in m and "forbid" in m for m in texts(at.markdown)), texts(at.markdown)
    figure = at.get("plotly_chart")[0].proto.spec
    assert '"Breaks a rule"' in figure  # the work that breaks it is crossed on the Gantt
    go(at, "optimize")
    assert not texts(at.success) and any("breaks 1 rule" in e for e in texts(at.error))
    open_tab(go(at, "plan"), "Downloads")
    assert any("breaks 1 rule" in w for w in texts(at.warning)), texts(at.warning)


def test_an_uploaded_plan_is_labelled_by_the_checker_not_by_its_file(at: AppTest) -> None:
    at.selectbox(key="scenario_pick").set_value("minimal.yaml")
    at.run()
    optimize_to_the_end(at)
    _forbid_where_planned(at)
    solved_result = at.session_state["results"][-1]
    claimed = solved_result.plan.model_copy(update={"gap": 0.004})  # a baseline file says "feasible, 0.40 %"
    opened = edit(at).scenario
    assert opened is not None
    at.session_state["results"].append(Result("#2 baseline.json", opened, claimed, SolverSettings()))
    go(at, "compare")
    assert not at.exception
    labels = at.selectbox(key="compare_b").options
    assert all("breaks 1 rule" in label for label in labels), labels
    status = next(m for m in at.metric if m.label == "Status")
    assert status.value == "breaks 1 rule(s) of the current scenario"
    go(at, "plan")
    assert {m.label: m.value for m in at.metric}["Status"].startswith("breaks")


def test_a_preset_sets_the_form_and_the_settings_survive_leaving_the_page(at: AppTest) -> None:
    """Issue 16, finding 6: presets used to highlight but leave the limit at 5 s and the toggle off."""
    go(at, "optimize")
    at.segmented_control(key="preset").set_value("default")
    at.run()
    assert at.number_input(key="time_limit").value == 30.0
    at.segmented_control(key="preset").set_value("reproducible")
    at.run()
    assert at.toggle(key="reproducible").value is True
    at.segmented_control(key="preset").set_value("thorough")
    at.run()
    assert at.number_input(key="time_limit").value == 300.0 and at.toggle(key="reproducible").value is False
    at.number_input(key="time_limit").set_value(42.0)
    at.run()
    go(at, "scenario")
    go(at, "optimize")  # back: the limit the user set, not the preset's 5 s
    assert at.number_input(key="time_limit").value == 42.0
    assert at.segmented_control(key="preset").value == "thorough"
    at.segmented_control(key="preset").set_value(None)  # a click on the chosen preset keeps it
    at.run()
    assert at.segmented_control(key="preset").value == "thorough"


def test_stop_says_the_best_plan_so_far_is_kept(at: AppTest) -> None:
    """Issue 16, finding 8: after Stop the page says so at once, with the checked status."""
    optimize_until_a_plan(at)
    result = at.session_state["results"][-1]
    assert result.stopped or result.plan.status.value == "optimal"
    if result.stopped:
        assert any("Stopped after" in s and "best plan found so far" in s for s in texts(at.success)), texts(at.success)


def test_the_progress_names_the_stage_before_the_first_plan(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 16, finding 8: the stage and what is happening show from the start, not '—' and an empty chart."""
    release = solver_held_until_released(monkeypatch)
    job = start_optimize(at)
    assert job is not None and job.running
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Stage"].startswith("1/") and metrics["First plan"] == "—"
    assert any("Searching for a first plan" in c for c in texts(at.caption)), texts(at.caption)
    assert not at.get("plotly_chart")
    release.set()
    assert job.wait(HANG_GUARD_S)


def test_pin_here_offers_only_institutions_that_can_do_the_work(at: AppTest) -> None:
    """Issue 16, finding 10: no pin at an institution without the competency."""
    at.selectbox(key="scenario_pick").set_value("minimal.yaml")
    at.run()
    optimize_to_the_end(at)
    go(at, "plan")
    open_tab(at, "Work package")
    at.selectbox(key="detail_wp").set_value("U-02")  # composites: tusur and tpu, not bsuir
    at.run()
    assert at.selectbox(key="detail_institution").options == ["tusur · TUSUR", "tpu · Tomsk Polytechnic University"]


def test_why_this_plan_names_what_binds_a_work_package_and_prices_its_alternatives(at: AppTest) -> None:
    """Issue 18 item 2: the Work package tab says why; the alternatives are priced on request, once per plan."""
    at.selectbox(key="scenario_pick").set_value("minimal.yaml")
    at.run()
    optimize_to_the_end(at)  # proven optimal at once: U-03 at bsuir, the cheapest
    go(at, "plan")
    open_tab(at, "Work package")
    at.selectbox(key="detail_wp").set_value("U-03")
    at.run()
    assert "Why this plan" in texts(at.subheader)
    why = next(m for m in texts(at.markdown) if m.startswith("**What binds it:**"))
    assert "- starts as soon as its predecessor U-01 allows" in why
    assert "- finishes 5 period(s) before its due month 2026-03" in why
    assert not at.dataframe[-1].value.columns.str.contains("How sure").any()  # nothing priced before it is asked
    at.button(key="why_price").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[-1].value
    assert table.to_dict("records") == [
        {
            "Institution": "tusur",
            "lateness": "0",
            "value": "0",
            "cost": "+6,000",
            "How sure": "proven",
            "Where it runs, what else moves": table.iloc[0]["Where it runs, what else moves"],
        }
    ]
    cache = at.session_state["why"]
    answers = len(cache)
    at.sidebar.selectbox(key="lang").set_value("ru")
    at.run()
    open_tab(at, t("plan.tab.detail", "ru"))
    at.selectbox(key="detail_wp").set_value("U-03")
    at.run()  # asked once: shown again (in Russian) from the session's cache, without the button
    assert not any(b.key == "why_price" for b in at.button)
    assert "доказано" in at.dataframe[-1].value["Насколько точно"].tolist()
    assert len(cache) == answers
    assert any(m.startswith("**Что её держит:**") for m in texts(at.markdown))


def test_an_explanation_is_one_list_with_nested_rules(at: AppTest) -> None:
    """Issue 16, finding 10: the explainer's '- rule' lines were drawn as '- - rule', a broken nested bullet."""
    from planner.ui.verdict import explanation_markdown

    lines = ["no plan satisfies all of these rules together:", "- U-03 comes after U-01", "- U-03 is pinned"]
    assert explanation_markdown(lines) == (
        "- No plan satisfies all of these rules together:\n    - U-03 comes after U-01\n    - U-03 is pinned"
    )


def test_an_explanation_has_its_headings_in_the_apps_language() -> None:
    """Issue 18: the rules are the explainer's words; the headings around them are translated."""
    from planner.diagnose.conflict import CHANGES_HEADER
    from planner.ui.verdict import explanation_markdown

    lines = ["no plan satisfies this rule:", "- W2 must finish by 2025-03", CHANGES_HEADER, "- move W2's deadline"]
    assert explanation_markdown(lines, "ru") == (
        "- Ни один план не выполняет это правило:\n    - W2 must finish by 2025-03\n"
        "- Любое из этих изменений делает план возможным (проверено повторным решением):\n    - move W2's deadline"
    )


def test_run_labels_are_cut_at_a_word() -> None:
    from app_pages.state import short

    name = "Belarus – Tomsk Oblast joint R&D program 2025–2030"
    assert short(name) == "Belarus – Tomsk Oblast joint R&D…"
    assert short("Minimal two-country program") == "Minimal two-country program"


def test_the_russian_plan_page_has_no_english_labels(at: AppTest) -> None:
    """Issue 16, finding 11: tables, headers, reasons and numbers of the Plan page in Russian, in one format."""
    at.sidebar.selectbox(key="lang").set_value("ru")
    at.run()
    optimize_until_a_plan(at)
    go(at, "plan")
    for label, value in {m.label: m.value for m in at.metric}.items():
        assert "," not in value or "\u00a0" in value or not value[0].isdigit(), (label, value)
    for tab in ("Бюджет", "Не вошло"):
        open_tab(at, tab)
        for frame in at.dataframe:
            headers = [str(c) for c in frame.value.columns]
            assert not [h for h in headers if h.isascii() and h not in ("Σ", "A", "B")], headers
    left_out = at.dataframe[0].value if at.dataframe else None
    if left_out is not None and len(left_out):
        assert not [r for r in left_out.iloc[:, 1] if str(r).startswith(("optional", "overlap", "depends"))]


def test_edit_page_names_columns_marks_faulty_rows_and_undoes_per_table(at: AppTest) -> None:
    """Issue 16, finding 9 (the page): headers in words, no "None" in empty cells, the faulty row marked, problems
    above the table, Undo per table saying what it undid, the chosen table kept on a second click."""
    go(at, "edit")
    set_capacity(at, "bsuir", 99)
    session = edit(at)
    frame = session.frame("work_packages")
    frame.loc[1, "requires"] = "no-such-skill: 3"
    assert session.apply("work_packages", frame)
    go(at, "edit")
    assert at.segmented_control(key="edit_table").value == "institutions"
    at.segmented_control(key="edit_table").set_value("work_packages")
    at.run()
    at.segmented_control(key="edit_table").set_value(None)  # a click on the chosen button
    at.run()
    assert at.segmented_control(key="edit_table").value == "work_packages"
    from planner.ui.edit_view import PROBLEM, editor_rows, problems_by_row

    rows = editor_rows(
        session.frame("work_packages"),
        session.columns("work_packages"),
        problems_by_row(session.problems, "work_packages"),
        "en",
    )
    assert (
        next(iter(rows.columns)) == PROBLEM and "no-such-skill" in rows.loc[1, PROBLEM] and rows.loc[0, PROBLEM] == ""
    )
    assert not any(v is None or (isinstance(v, float) and v != v) for v in rows["note"])  # blank, not "None"
    assert at.button(key="edit_undo").label == "Undo in Work packages"
    at.button(key="edit_undo").click()
    at.run()
    assert any("Undone in Work packages" in s and "no-such-skill" in s for s in texts(at.success)), texts(at.success)
    assert "99" in edit(at).text  # the institutions edit stays


def test_opening_another_file_asks_before_discarding_unsaved_edits(at: AppTest) -> None:
    """Issue 16, finding 9: opening another file discarded unsaved edits without asking."""
    set_capacity(at, "bsuir", 99)
    at.run()
    at.selectbox(key="scenario_pick").set_value("minimal.yaml")
    at.run()
    assert edit(at).name == DEMO and edit(at).changed  # nothing lost yet
    assert any("unsaved edits" in w for w in texts(at.warning)), texts(at.warning)
    at.button(key="keep_editing").click()
    at.run()
    assert edit(at).name == DEMO and not any("unsaved edits" in w for w in texts(at.warning))
    at.selectbox(key="scenario_pick").set_value("minimal.yaml")
    at.run()
    at.button(key="discard_open").click()
    at.run()
    assert edit(at).name == "minimal.yaml" and not edit(at).changed


def test_an_optimize_click_waits_in_the_session_until_a_run_starts_the_solve(
    at: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17 load test: a click was lost when the run that carried it was cut short. The click's callback keeps
    it in the session, so the next run of the page that gets that far starts the solve, once."""
    release = solver_held_until_released(monkeypatch)
    go(at, "optimize")
    at.session_state["optimize_requested"] = True  # as the button's callback leaves it, whatever run follows
    at.run()
    job = at.session_state["job"]
    assert job is not None and job.running and "optimize_requested" not in at.session_state
    at.run()
    assert at.session_state["job"] is job  # the request was used once: no second solve
    release.set()
    assert job.wait(HANG_GUARD_S)


def _replanned_close_to_the_first(at: AppTest) -> tuple[Any, Any]:
    """The minimal scenario optimized, then optimized again "keeping close to" that first run: both results."""
    at.selectbox(key="scenario_pick").set_value("minimal.yaml")
    at.run()
    optimize_to_the_end(at)
    [first] = at.session_state["results"]
    at.selectbox(key="optimize_baseline").set_value(first.label)
    at.run()
    optimize_to_the_end(at)
    return first, at.session_state["results"][-1]


def test_re_plan_close_to_an_earlier_plan_from_the_optimize_page(at: AppTest) -> None:
    """Issue 18 item 4 in the app: "keep close to" an earlier run adds the stability stage; nothing moves here."""
    first, again = _replanned_close_to_the_first(at)
    assert again is not first and again.plan.solver.stages[-1].term == "stability"
    assert [(a.work_package, a.institution, a.start) for a in again.plan.assignments] == [
        (a.work_package, a.institution, a.start) for a in first.plan.assignments
    ]


def _gantt(at: AppTest) -> dict[str, Any]:
    """The Plan page's Gantt as plotly's JSON."""
    [chart] = [c for c in at.get("plotly_chart") if c.key == "gantt"]
    figure: dict[str, Any] = json.loads(chart.proto.spec)
    return figure


def _layers(figure: dict[str, Any]) -> dict[str | None, list[dict[str, Any]]]:
    """The Gantt's traces by layer (None: the plan's own)."""
    out: dict[str | None, list[dict[str, Any]]] = {}
    for trace in figure["data"]:
        out.setdefault(trace.get("meta"), []).append(trace)
    return out


def test_the_gantt_shows_the_critical_path_float_a_baseline_and_filters(at: AppTest) -> None:
    """Issue 18 item 3: the Plan page's Gantt draws the plan's timing, the run it was kept close to, and filters."""
    from planner.diagnose.timing import plan_timing

    first, again = _replanned_close_to_the_first(at)
    assert again.baseline == first.label  # recorded: the Gantt draws it behind by default
    go(at, "plan")
    assert at.selectbox(key="gantt_baseline").value == first.label
    timing = plan_timing(again.scenario, again.plan)
    layers = _layers(_gantt(at))
    [frames] = [tr for tr in layers["critical"] if tr["type"] == "bar"]
    assert sorted(frames["y"][1]) == sorted(w for w, x in timing.wps.items() if x.critical)
    arrows = [tr for tr in layers["critical"] + layers.get("dependencies", []) if tr.get("mode") == "markers"]
    heads = {(c[0], c[1]) for tr in arrows for c in tr["customdata"]}
    assert heads == set(timing.edges)
    assert {w for tr in layers["baseline"] for w in tr["y"][1]} == {a.work_package for a in first.plan.assignments}
    assert "float" in layers or all(x.total_float == 0 for x in timing.wps.values())
    assert any("the critical path" in c for c in texts(at.caption))

    at.button_group(key="gantt_layers").set_value(["float"])  # no arrows, no frames, no today line
    at.selectbox(key="gantt_baseline").select_index(0)  # none
    at.run()
    assert set(_layers(_gantt(at))) <= {None, "float"}
    assert not _gantt(at)["layout"].get("shapes")

    at.multiselect(key="gantt_countries").set_value(["RU"])
    at.run()
    shown = {w for tr in _layers(_gantt(at))[None] if tr["type"] == "bar" for w in tr["y"][1]}
    russian = {a.work_package for a in again.plan.assignments if a.institution in {"tusur", "tpu"}}
    assert shown == russian
    at.multiselect(key="gantt_institutions").set_value(["bsuir"])  # no work at a Belarusian institution in Russia
    at.run()
    assert not at.exception
    assert _gantt(at)["layout"]["annotations"][0]["text"] == "No work package of the plan passes the filters"


def test_pin_here_can_pin_the_start_month_too(at: AppTest) -> None:
    """Issue 18: "pin here" fixes the institution and, when asked, the start month; a second pin replaces the first."""
    at.selectbox(key="scenario_pick").set_value("minimal.yaml")
    at.run()
    optimize_to_the_end(at)
    plan = at.session_state["results"][-1].plan
    a = next(x for x in plan.assignments if x.work_package == "U-03")
    go(at, "plan")
    open_tab(at, "Work package")
    at.selectbox(key="detail_wp").set_value("U-03")
    at.run()
    assert at.selectbox(key="detail_start_U-03").value == a.start_month  # the plan's month unless another is chosen
    assert at.selectbox(key="detail_start_U-03").disabled
    at.toggle(key="detail_pin_start").set_value(True)
    at.run()
    opened = edit(at).scenario
    assert opened is not None
    later = prepare(opened).calendar.start_month(a.start + 2)
    at.selectbox(key="detail_start_U-03").set_value(later)
    at.selectbox(key="detail_institution").set_value(a.institution)
    at.button(key="pin_here").click()
    at.run()
    assert at.title[0].value == "Optimize"
    changed = edit(at).scenario
    assert changed is not None
    assert [(p.work_package, p.institution, p.start) for p in changed.pins] == [("U-03", a.institution, later)]
    job = at.session_state["job"]
    if job is not None:
        assert job.wait(HANG_GUARD_S)
    at.run()
    pinned = at.session_state["results"][-1].plan
    assert pinned.found and check_plan(changed, pinned) == []
    assert pinned.assignment("U-03").start_month == later

    go(at, "plan")  # pin again, at the institution only: the earlier pin is replaced, not added to
    open_tab(at, "Work package")
    at.selectbox(key="detail_wp").set_value("U-03")
    at.run()
    at.toggle(key="detail_pin_start").set_value(False)
    at.button(key="pin_here").click()
    at.run()
    again = edit(at).scenario
    assert again is not None
    assert [(p.work_package, p.start) for p in again.pins] == [("U-03", None)]


def _demo_without_the_flight_controller_group(folder: Path) -> str:
    """The demo with its `flight-controller` overlap group left out (what follows it waits for U-02 instead)."""
    text = (folder / DEMO).read_text(encoding="utf-8")
    group = (
        "  - id: flight-controller\n    members: [U-02, U-03]\n    required: true\n"
        "    note: BSUIR and TUSUR each proposed a flight controller; the UAV needs exactly one.\n"
    )
    assert group in text
    text = text.replace(group, "").replace("{id: flight-controller, type: SS", "{id: U-02, type: SS")
    text = text.replace("after: [flight-controller, U-04", "after: [U-02, U-04")
    (folder / "planted.yaml").write_text(text, encoding="utf-8")
    return text


def test_the_scenario_page_suggests_a_planted_duplicate_and_makes_a_group_with_undo(at: AppTest, folder: Path) -> None:
    assert "dup-make-0" not in [b.key for b in at.button]  # the demo's proposals are all grouped already
    text = _demo_without_the_flight_controller_group(folder)
    at.run()
    at.selectbox(key="scenario_pick").set_value("planted.yaml")
    at.run()
    assert not at.exception and edit(at).scenario is not None, edit(at).problems
    assert "Possible duplicates" in [h.value for h in at.subheader]
    shown = texts(at.markdown)
    assert any("**U-02**" in m and "**U-03**" in m for m in shown), shown
    assert any("members: [U-02, U-03]" in c.value for c in at.code)
    at.button(key="dup-make-0").click()
    at.run()
    assert not at.exception
    session = edit(at)
    assert session.changed and session.scenario is not None, session.problems
    assert [g.members for g in session.scenario.overlap_groups if g.id == "same-work-U-02-U-03"] == [["U-02", "U-03"]]
    assert "Overlap group same-work-U-02-U-03 added with U-02, U-03." in texts(at.success)
    assert "dup-make-0" not in [b.key for b in at.button]  # grouped now: no longer suggested
    at.button(key="dup-undo").click()
    at.run()
    assert not at.exception
    assert edit(at).text == text and not edit(at).changed
    assert any("**U-02**" in m and "**U-03**" in m for m in texts(at.markdown))
