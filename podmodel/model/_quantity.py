"""Kubernetes resource quantities (private): parsing, comparison and canonical text.

Ported from apimachinery ``pkg/api/resource/quantity.go``: the accepted syntax, the error
messages, and ``Quantity.String()``'s canonical form (``0.5`` → ``500m``, ``1024Mi`` → ``1Gi``).
"""

from __future__ import annotations

import functools
import math
import re
from fractions import Fraction

__all__ = ["QUANTITY_FORMAT_ERROR", "QUANTITY_SUFFIX_ERROR", "Quantity", "parse_quantity"]

QUANTITY_FORMAT_ERROR = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)
QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix"

_SHAPE = re.compile(r"([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)")
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_BY_EXP = {v: k for k, v in _DECIMAL.items()}
_BINARY_BY_EXP = {v: k for k, v in _BINARY.items()}
_NANO = Fraction(1, 10**9)


class Quantity:
    """A parsed quantity: its exact value and the format its suffix chose."""

    __slots__ = ("format", "value")

    def __init__(self, value: Fraction, fmt: str) -> None:
        self.value = value
        self.format = fmt  # "DecimalSI", "BinarySI" or "DecimalExponent"

    def __str__(self) -> str:
        return _canonical(self.value, self.format)

    def cmp(self, other: Quantity) -> int:
        """-1, 0 or 1 as ``self.value`` is below, equal to or above ``other.value``: integer
        cross-multiplication, several times faster than comparing ``Fraction``s."""
        a = self.value.numerator * other.value.denominator
        b = other.value.numerator * self.value.denominator
        return (a > b) - (a < b)


@functools.lru_cache(maxsize=4096, typed=True)
def parse_quantity(raw: str | int | float) -> Quantity:
    """Parse *raw* as the API server does; raise ``ValueError`` with its message on failure.

    Cached: manifests repeat the same few quantities (``100m``, ``64Mi``), and a
    :class:`Quantity` is never changed after it is built.
    """
    if isinstance(raw, bool):
        raise ValueError(QUANTITY_FORMAT_ERROR)
    if isinstance(raw, int):
        return Quantity(Fraction(raw), "DecimalSI")
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueError(QUANTITY_FORMAT_ERROR)
        text = repr(raw)
    else:
        text = raw.strip()
    m = _SHAPE.fullmatch(text)
    if not m or m.group(1).count(".") > 1 or m.group(1).lstrip("+-") in ("", "."):
        raise ValueError(QUANTITY_FORMAT_ERROR)
    number, suffix = m.groups()
    value = Fraction(number)
    if suffix in _DECIMAL:
        value *= Fraction(10) ** _DECIMAL[suffix]
        fmt = "DecimalSI"
    elif suffix in _BINARY:
        value *= 2 ** _BINARY[suffix]
        fmt = "BinarySI"
    elif re.fullmatch(r"[eE][-+]?[0-9]+", suffix):
        exp = int(suffix[1:])
        if abs(exp) > 1000:
            raise ValueError(QUANTITY_SUFFIX_ERROR)
        value *= Fraction(10) ** exp
        fmt = "DecimalExponent"
    else:
        raise ValueError(QUANTITY_SUFFIX_ERROR)
    # The API server keeps nano precision, rounding away from zero.
    if value.denominator != 1 and (value / _NANO).denominator != 1:
        nanos = math.ceil(abs(value) / _NANO)
        value = (nanos * _NANO) * (1 if value > 0 else -1)
    return Quantity(value, fmt)


def _canonical(value: Fraction, fmt: str) -> str:
    if value == 0:
        return "0"
    if fmt == "BinarySI" and (-1024 < value < 1024 or value.denominator != 1):
        fmt = "DecimalSI"
    if fmt == "BinarySI":
        number, exp = int(value), 0
        while exp < 60 and number % 1024 == 0:
            number //= 1024
            exp += 10
        return f"{number}{_BINARY_BY_EXP.get(exp, '')}"
    # mantissa * 10**exp with exp a multiple of 3 and the mantissa an integer
    exp = 0
    while value.denominator != 1:
        value *= 10
        exp -= 1
    mantissa = int(value)
    while mantissa and mantissa % 10 == 0:
        mantissa //= 10
        exp += 1
    shift = exp % 3
    mantissa *= 10**shift
    exp -= shift
    if fmt == "DecimalSI" and exp in _DECIMAL_BY_EXP:
        return f"{mantissa}{_DECIMAL_BY_EXP[exp]}"
    if exp > 18 and fmt == "DecimalSI":
        fmt = "DecimalExponent"
    return f"{mantissa}e{exp}" if exp else str(mantissa)
