"""The one timing rule every benchmark uses (standard library only, so that the peers' own
interpreter can import it too)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def best(fn: Callable[[], object], rounds: int) -> float:
    """The fastest of *rounds* calls of *fn*, in seconds, each after a full collection."""
    out = float("inf")
    for _ in range(rounds):
        gc.collect()
        t = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t)
    return out
