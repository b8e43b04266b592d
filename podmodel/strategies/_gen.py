"""A small, cheap engine for drawing plain JSON fragments of a manifest (private).

A *generator* is a function of Hypothesis' ``draw`` returning plain JSON (dicts, lists, str,
int, bool). Generators are built once, at import time, from pools of valid values ordered
simplest first, so a draw costs few choices and shrinks to the first value of each pool: the
shortest readable name (``"a"``), ``0``, ``80``. An object's optional fields are chosen by one
integer drawn as a bit mask (every field present half of the time; shrinking clears them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import strategies as st

__all__ = [
    "Gen",
    "bits",
    "chance",
    "const",
    "each",
    "lst",
    "obj",
    "one_key",
    "pool",
    "unique_pool",
]

Gen = Callable[[st.DrawFn], Any]

_BOOLS = st.booleans()
_CHANCES = {n: st.integers(0, n - 1) for n in range(2, 9)}


def const(value: Any) -> Gen:
    """Always *value*."""
    return lambda draw: value


_POOLS: dict[str, Gen] = {}


def pool(*values: Any) -> Gen:
    """One of *values* (shrinks to the first); made once per distinct *values*."""
    key = repr(values)
    gen = _POOLS.get(key)
    if gen is None:
        if len(values) == 1:
            gen = const(values[0])
        else:
            strategy = st.sampled_from(values)
            gen = _POOLS[key] = lambda draw: draw(strategy)
    return gen


def unique_pool(values: tuple[Any, ...], lo: int = 1, hi: int = 2) -> Gen:
    """A list of *lo* to *hi* distinct items of *values*; made once per distinct arguments."""
    key = repr((values, lo, hi))
    gen = _POOLS.get(key)
    if gen is None:
        strategy = st.lists(st.sampled_from(values), min_size=lo, max_size=hi, unique=True)
        gen = _POOLS[key] = lambda draw: draw(strategy)
    return gen


def chance(draw: st.DrawFn, n: int = 2) -> bool:
    """True once in *n* draws (shrinks to False)."""
    if n == 2:
        return draw(_BOOLS)
    return draw(_CHANCES[n]) == n - 1


def bits(n: int) -> Callable[[st.DrawFn], int]:
    """An *n*-bit mask (shrinks to 0), every bit set half of the time: drawn a byte at a time,
    as Hypothesis favours small values of wider ranges (the high bits would be rare)."""
    if n == 0:
        return lambda draw: 0
    if n <= 8:
        strategy = st.integers(0, (1 << n) - 1)
        return lambda draw: draw(strategy)
    low, high = bits(8), bits(n - 8)
    return lambda draw: low(draw) | high(draw) << 8


def obj(
    required: Mapping[str, Gen] | None = None, optional: Mapping[str, Gen] | None = None
) -> Gen:
    """An object with every *required* field and a drawn subset of the *optional* ones (each
    present three times in four: two masks or-ed, so that deep fields show up often)."""
    req = tuple((required or {}).items())
    opt = tuple((optional or {}).items())
    mask = bits(2 * len(opt))  # two bits a field: present unless both are clear

    def gen(draw: st.DrawFn) -> dict[str, Any]:
        out = {k: g(draw) for k, g in req}
        m = mask(draw)
        for i, (k, g) in enumerate(opt):
            if m >> 2 * i & 3:
                out[k] = g(draw)
        return out

    return gen


def one_key(options: Mapping[str, Gen]) -> Gen:
    """An object with exactly one of the fields of *options* (a union: a handler, a source)."""
    items = tuple(options.items())
    index = st.integers(0, len(items) - 1)

    def gen(draw: st.DrawFn) -> dict[str, Any]:
        k, g = items[draw(index)]
        return {k: g(draw)}

    return gen


def lst(item: Gen, lo: int = 1, hi: int = 2) -> Gen:
    """A list of *lo* to *hi* items of *item*."""
    count = st.integers(lo, hi)
    return lambda draw: [item(draw) for _ in range(draw(count))]


def each(gens: Mapping[str, Gen]) -> Gen:
    """An object with every field of *gens* (all required)."""
    return obj(gens)
