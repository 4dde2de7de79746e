"""'Why this plan' laid out for the Plan page: reasons as Markdown, alternatives as a table, answers cached."""

from __future__ import annotations

from planner.cpsat import solve
from planner.diagnose.why import WhyCache
from planner.domain.settings import SolverSettings
from planner.ui import why_view
from tests.conftest import scenario, wps

EXACT = SolverSettings(time_limit_s=20, workers=1, reproducible=True)


def test_reasons_and_alternatives_read_in_both_languages() -> None:
    # cost only: W1 at a (400) rather than b (600), W2 forbidden at b
    s = scenario(
        work_packages=wps({"id": "W1"}, {"id": "W2"}),
        forbids=[{"work_package": "W2", "institution": "b"}],
        objective={"priorities": ["cost"]},
    )
    plan = solve(s, EXACT)
    cache = WhyCache()
    assert not why_view.alternatives_priced(cache, s, plan, "W1", EXACT)
    w1 = why_view.why_answer(cache, s, plan, "W1", EXACT, alternatives=True)
    assert why_view.alternatives_priced(cache, s, plan, "W1", EXACT)
    assert why_view.why_answer(cache, s, plan, "W1", EXACT, alternatives=True) is w1
    table = why_view.alternatives_table(w1, "en")
    assert table.to_dict("records")[0] | {"Where it runs, what else moves": ""} == {
        "Institution": "b",
        "cost": "+200",
        "How sure": "proven",
        "Where it runs, what else moves": "",
    }
    assert list(why_view.alternatives_table(w1, "ru").columns) == [
        "Организация",
        "стоимость",
        "Насколько точно",
        "Когда идёт, что ещё сдвигается",
    ]
    w2 = why_view.why_answer(cache, s, plan, "W2", EXACT, alternatives=True)
    assert why_view.alternatives_table(w2, "en").to_dict("records") == [
        {"Institution": "b", "cost": "", "How sure": "forbidden by the scenario", "Where it runs, what else moves": ""}
    ]
    text = why_view.reasons_markdown(w2, "en")
    assert text.startswith("**What binds it:**\n- forbidden at b\n- only a can do it")
    assert why_view.reasons_markdown(w2, "ru").startswith("**Что её держит:**\n- запрещена в b")
