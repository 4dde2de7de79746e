"""The scenario models' own behaviour (beyond validation, which tests/problem/test_validate.py covers)."""

from __future__ import annotations

from tests.conftest import scenario, wps


def test_a_copy_with_other_predecessors_does_not_keep_the_old_ones() -> None:
    s = scenario(work_packages=wps({"id": "W1"}, {"id": "W2", "after": ["W1"]}))
    w2 = s.work_packages[1]
    assert [d.id for d in w2.dependencies] == ["W1"]  # computed and cached on the original
    assert w2.model_copy(update={"after": []}).dependencies == []
    assert [d.id for d in w2.model_copy().dependencies] == ["W1"]
