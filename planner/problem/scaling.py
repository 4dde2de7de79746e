"""The one place where scenario floats become the integers CP-SAT needs.

Rounding always errs on the safe side: what a plan consumes is rounded up, what is available is
rounded down, so every plan the model accepts also passes the checker's exact arithmetic.
"""

from __future__ import annotations

import math

RESOURCE = 100
"""Person-months and facility units are counted in hundredths."""

MONEY = 100
"""Money in budget rules is counted in hundredths of a currency unit."""

SHARE = 10_000
"""Shares are counted in hundredths of a percent."""

VALUE = 100
"""Values of optional work packages are counted in hundredths."""

_EPS = 1e-9


def use(amount: float, scale: int) -> int:
    """A consumed amount, rounded up (safe for capacities and caps)."""
    return math.ceil(amount * scale - _EPS)


def available(amount: float, scale: int) -> int:
    """An available amount, rounded down (safe for capacities and caps)."""
    return math.floor(amount * scale + _EPS)


def nearest(amount: float, scale: int) -> int:
    """An amount rounded to the nearest unit (objective terms, where exactness is not a rule)."""
    return round(amount * scale)
