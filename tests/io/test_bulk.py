"""Pausing the cyclic garbage collector around bulk reads leaves it as it was found."""

from __future__ import annotations

import gc

import pytest

from planner.io.bulk import gc_paused


def test_the_collector_is_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block leaves it to the outer one
    assert gc.isenabled()


def test_the_collector_is_restored_after_an_error() -> None:
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("bad file")
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
