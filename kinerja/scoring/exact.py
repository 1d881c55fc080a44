"""Exact numbers: every figure compared with a threshold is a ``Fraction``; floats are refused.

A binary float cannot hold 76,605 exactly (docs/spec/regulation.md §7), so inputs are
int, ``Decimal`` or ``Fraction`` and rounding happens once, half-up, at the edge.
"""

from decimal import Decimal
from fractions import Fraction

Number = Decimal | Fraction | int


def exact(value: Number, what: str = "nilai") -> Fraction:
    """Turn an int, Decimal or Fraction into an exact Fraction; refuse floats and bools."""
    if isinstance(value, bool) or not isinstance(value, Decimal | Fraction | int):
        raise TypeError(f"{what} harus berupa Decimal, Fraction atau bilangan bulat")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} harus berupa bilangan terhingga")
    return Fraction(value)


def percent_of(part: int, whole: int) -> Fraction:
    """part / whole in percent, exactly."""
    return Fraction(part * 100, whole)
