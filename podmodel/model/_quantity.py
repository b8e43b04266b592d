"""Kubernetes resource quantities: parsing, comparison, arithmetic and canonical text.

Ported from apimachinery ``pkg/api/resource/quantity.go``: the accepted syntax, the error
messages, and ``Quantity.String()``'s canonical form (``0.5`` → ``500m``, ``1024Mi`` → ``1Gi``).
"""

from __future__ import annotations

import functools
import math
import operator
from fractions import Fraction

from podmodel.errors import PodmodelError

__all__ = [
    "MAX_EXPONENT",
    "QUANTITY_FORMAT_ERROR",
    "QUANTITY_NUMERIC_ERROR",
    "QUANTITY_SUFFIX_ERROR",
    "Quantity",
    "QuantityError",
    "parse_quantity",
]

QUANTITY_FORMAT_ERROR = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)
QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix"
QUANTITY_NUMERIC_ERROR = "unable to parse numeric part of quantity"

_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_BY_EXP = {v: k for k, v in _DECIMAL.items()}
_BINARY_BY_EXP = {v: k for k, v in _BINARY.items()}
_NANO = Fraction(1, 10**9)


class QuantityError(PodmodelError, ValueError):
    """Text that is not a Kubernetes quantity; ``str()`` is the API server's message."""


@functools.total_ordering
class Quantity:
    """A Kubernetes resource quantity (``500m``, ``64Mi``, ``1.5``, ``2e3``), as apimachinery's
    ``resource.Quantity``: an exact value (a :class:`~fractions.Fraction`, at the server's nano
    precision) and the format its suffix chose (``DecimalSI``, ``BinarySI`` or
    ``DecimalExponent``), which only decides how :func:`str` prints it.

    Immutable and hashable; equal, ordered, added and subtracted by value, as the server compares
    them (``1Gi == 1024Mi``; a sum keeps the left operand's format, as ``Quantity.Add`` does).

    >>> q = Quantity.parse("0.5")
    >>> str(q), q.as_millis(), str(Quantity.parse("1024Mi")), Quantity.parse("1Gi").as_int()
    ('500m', 500, '1Gi', 1073741824)
    >>> Quantity.parse("1Gi") == Quantity.parse("1024Mi") > Quantity.parse("1G")
    True
    >>> str(Quantity.parse("250m") + Quantity.parse("1")), str(Quantity.parse("64Mi") * 3)
    ('1250m', '192Mi')

    .. versionadded:: 0.2.0
    """

    __slots__ = ("_raw", "_scale", "_text", "format", "value")
    value: Fraction
    format: str
    _text: str | None
    _scale: int | None
    _raw: str | int | float | None

    def __init__(
        self,
        value: Fraction | int,
        fmt: str = "DecimalSI",
        *,
        _text: str | None = None,
        _scale: int | None = None,
    ) -> None:
        object.__setattr__(self, "value", Fraction(value))
        object.__setattr__(self, "format", fmt)  # "DecimalSI", "BinarySI" or "DecimalExponent"
        # The text ParseQuantity keeps (printed back as written) and the decimal scale of its
        # int64 form, which decides whether RoundUp keeps that text.
        object.__setattr__(self, "_text", _text)
        object.__setattr__(self, "_scale", _scale)
        object.__setattr__(self, "_raw", None)  # what parse() was given, see ``raw``

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Quantity is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Quantity is immutable: cannot delete {name!r}")

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.value, self.format, self._text, self._scale, self._raw))

    @classmethod
    def parse(cls, raw: str | int | float) -> Quantity:
        """Parse *raw* as the API server does.

        Raises:
            QuantityError: Not a quantity (the server's message).
        """
        return parse_quantity(raw)

    def __str__(self) -> str:
        """The text as ``Quantity.String()`` prints it: the text it was parsed from when the
        server keeps it, else the canonical form."""
        if self._text is not None:
            return self._text
        return _canonical(self.value, self.format)

    @property
    def raw(self) -> str | int | float:
        """The quantity as the manifest wrote it, text or number (``"64Mi"``, ``1``, ``0.5``),
        which is what :func:`podmodel.to_dict` writes back; ``str(self)`` for a quantity that
        was computed rather than parsed.

        >>> Quantity.parse(1).raw, Quantity.parse(" 0.5").raw, (Quantity.parse("1") * 2).raw
        (1, ' 0.5', '2')
        """
        raw = self._raw
        return str(self) if raw is None else raw

    @property
    def canonical(self) -> str:
        """The canonical form (``CanonicalizeBytes``), whatever the text was: ``1E3`` → ``1k``."""
        return _canonical(self.value, self.format)

    def __repr__(self) -> str:
        return f"Quantity({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __lt__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self.cmp(other) < 0

    def __add__(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented
        return Quantity(self.value + other.value, self.format)

    def __sub__(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented
        return Quantity(self.value - other.value, self.format)

    def __neg__(self) -> Quantity:
        return Quantity(-self.value, self.format)

    def __mul__(self, factor: int) -> Quantity:
        if isinstance(factor, bool):
            return NotImplemented
        return Quantity(self.value * operator.index(factor), self.format)

    __rmul__ = __mul__

    def round_up(self, scale: int) -> Quantity:
        """``Quantity.RoundUp(scale)``: the value rounded away from zero to a multiple of
        ``10**scale`` (the API server's defaulting rounds every resource quantity with
        ``scale=-3``, so ``100u`` is stored as ``1m``).

        >>> str(Quantity.parse("100u").round_up(-3)), str(Quantity.parse("1.2345").round_up(-3))
        ('1m', '1235m')

        Raises:
            QuantityError: *scale* is beyond ±:data:`MAX_EXPONENT` (podmodel holds exact values).
        """
        if not -MAX_EXPONENT <= scale <= MAX_EXPONENT:
            raise QuantityError(
                f"scale {scale} is out of range (at most {MAX_EXPONENT} either way)"
            )
        if self._scale is not None and self._scale >= scale:
            return self
        step = Fraction(10) ** scale
        units = self.value / step
        rounded = _away_from_zero(units) * step
        return Quantity(rounded, self.format, _scale=scale if self._scale is not None else None)

    def as_int(self) -> int:
        """``Quantity.Value()``: the value rounded up, away from zero, to a whole number (bytes
        for memory and storage)."""
        return _away_from_zero(self.value)

    def as_millis(self) -> int:
        """``Quantity.MilliValue()``: a thousand times the value, rounded up away from zero
        (millicores for CPU)."""
        return _away_from_zero(self.value * 1000)

    def as_bytes(self) -> int:
        """The value as a whole number of bytes (memory, storage): :meth:`as_int`."""
        return self.as_int()

    def as_millicores(self) -> int:
        """The value in millicores (CPU): :meth:`as_millis`."""
        return self.as_millis()

    def cmp(self, other: Quantity) -> int:
        """-1, 0 or 1 as ``self.value`` is below, equal to or above ``other.value``: integer
        cross-multiplication, several times faster than comparing two ``Fraction`` values."""
        a = self.value.numerator * other.value.denominator
        b = other.value.numerator * self.value.denominator
        return (a > b) - (a < b)


def _rebuild(
    value: Fraction,
    fmt: str,
    text: str | None,
    scale: int | None,
    raw: str | int | float | None = None,
) -> Quantity:
    q = Quantity(value, fmt, _text=text, _scale=scale)
    object.__setattr__(q, "_raw", raw)
    return q


def _away_from_zero(value: Fraction) -> int:
    return math.ceil(value) if value >= 0 else math.floor(value)


#: Largest decimal exponent podmodel accepts (``1e1000``); apimachinery takes any int32, but an
#: exact value of 10**(2**31) cannot be held. Smaller exponents round up to ``1n`` as the server's.
MAX_EXPONENT = 1000
_MAX_INT64 = 2**63 - 1
_MAX_INT64_FACTORS = 18
_DIGITS = frozenset("0123456789")
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")


def _scan(text: str) -> tuple[bool, str, str, str, str]:
    """``parseQuantityString``: (positive, value, num, denom, suffix), or QuantityError."""
    positive, pos, end = True, 0, len(text)
    if pos < end and text[0] in "+-":
        positive = text[0] == "+"
        pos += 1
    while pos < end and text[pos] == "0":  # leading zeros
        pos += 1
    if pos >= end:
        return positive, "0", "0", "", ""
    start = pos
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    num = text[start:pos] or "0"
    if pos >= end:
        return positive, text, num, "", ""
    denom = ""
    if text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and text[pos] in _DIGITS:
            pos += 1
        denom = text[start:pos]
        if pos >= end:
            return positive, text, num, denom, ""
    value = text[:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos < end:
        raise QuantityError(QUANTITY_FORMAT_ERROR)
    return positive, value, num, denom, text[suffix_start:]


def _interpret(suffix: str) -> tuple[int, int, str]:
    """``quantitySuffixer.interpret``: (base, exponent, format), or QuantityError."""
    if suffix in _DECIMAL:
        return 10, _DECIMAL[suffix], "DecimalSI"
    if suffix in _BINARY:
        return 2, _BINARY[suffix], "BinarySI"
    if len(suffix) > 1 and suffix[0] in "eE":
        digits = suffix[1:]
        body = digits[1:] if digits[0] in "+-" else digits
        if body and all(c in _DIGITS for c in body):
            exp = int(digits)
            if exp > MAX_EXPONENT:
                raise QuantityError(QUANTITY_SUFFIX_ERROR)
            return 10, max(exp, -MAX_EXPONENT), "DecimalExponent"
    raise QuantityError(QUANTITY_SUFFIX_ERROR)


def parse_quantity(raw: str | int | float | Quantity) -> Quantity:
    """Parse *raw* as the API server does (apimachinery's ``ParseQuantity``, after the JSON
    decoder's ``TrimSpace``); raise :class:`QuantityError` (a ``ValueError``) with its message on
    failure.

    Like the server, a quantity keeps the text it was written as when that text is already in a
    canonical shape (``ParseQuantity`` caches it: ``1E3``, ``+140891m`` and ``5.`` print back as
    written), and prints its canonical form otherwise (``0.5`` prints ``500m``). Whatever it
    prints, :attr:`Quantity.raw` is *raw* itself, which is what encoding writes back.

    Cached: manifests repeat the same few quantities (``100m``, ``64Mi``), and a
    :class:`Quantity` is never changed after it is built.
    """
    if type(raw) is Quantity:
        return raw
    return _cached(raw)


@functools.lru_cache(maxsize=4096, typed=True)
def _cached(raw: str | int | float) -> Quantity:
    q = _parse(raw)
    object.__setattr__(q, "_raw", raw)
    return q


def _parse(raw: str | int | float) -> Quantity:
    """``parse_quantity`` without the cache and the raw value."""
    if isinstance(raw, bool):
        raise QuantityError(QUANTITY_FORMAT_ERROR)
    if isinstance(raw, int):
        text = str(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise QuantityError(QUANTITY_FORMAT_ERROR)
        text = repr(raw)
    else:
        text = raw.strip()
    if not text:
        raise QuantityError(QUANTITY_FORMAT_ERROR)
    if text == "0":
        return Quantity(0, "DecimalSI", _text="0")
    positive, value, num, denom, suffix = _scan(text)
    base, exponent, fmt = _interpret(suffix)
    scale, mantissa = 0, 1
    if fmt == "BinarySI":
        if exponent >= 0 and not denom:
            mantissa = 1 << exponent
            precision = 15 - len(num) - int(exponent * 3 / 10) - 1
        else:
            precision = -1
    else:
        scale = exponent
        precision = _MAX_INT64_FACTORS - (len(num) + len(denom))
    if precision >= 0:
        scale -= len(denom)
        if scale >= -9:
            shifted = num + denom
            unscaled = int(shifted)
            result = unscaled * mantissa
            if result <= _MAX_INT64:
                exact = Fraction(result if positive else -result) * Fraction(10) ** scale
                if fmt == "BinarySI":
                    keep = exponent % 10 == 0 and unscaled & 0x07 != 0
                else:
                    keep = scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0"
                return Quantity(exact, fmt, _text=text if keep else None, _scale=scale)
    try:
        amount = Fraction(value)
    except ValueError:
        raise QuantityError(QUANTITY_NUMERIC_ERROR) from None
    amount = abs(amount) * (Fraction(10) ** exponent if base == 10 else 2**exponent)
    if amount and (amount / _NANO).denominator != 1:
        amount = math.ceil(amount / _NANO) * _NANO  # up to the next nano, as the server rounds
    if fmt == "BinarySI" and amount > _MAX_INT64:
        amount = Fraction(_MAX_INT64)
    if fmt == "BinarySI" and 0 < amount < 1:
        fmt = "DecimalSI"
    return Quantity(amount if positive else -amount, fmt)


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
