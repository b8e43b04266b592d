"""Programs that hold memory (private): ``stress`` and ``stress-ng``'s ``--vm`` workers.

``stress --vm N --vm-bytes SIZE [--timeout T]`` starts *N* workers that each keep *SIZE* bytes
allocated (``stress`` 1.0.4: a worker mallocs, dirties and frees its block over and over, or
keeps it with ``--vm-hang``; either way that much stays resident) until the timeout, or for
ever. The program records what it holds in :attr:`System.memory
<podmodel.kubelet.shell.System.memory>` as ``(from, until, bytes)``; the kubelet charges it to
the container (and the OOM killer ends the container once it is over its memory limit).
``--cpu``, ``--io`` and ``--hdd`` workers are accepted and hold nothing.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from collections.abc import Callable

    from podmodel.kubelet.shell._prog import Prog

__all__ = ["MEMORY", "parse_size"]

_SIZE = {"b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_TIME = {"s": 1, "m": 60, "h": 3600, "d": 86400, "y": 31_536_000}
#: stress's default ``--vm-bytes``.
_DEFAULT_BYTES = 256 << 20


def parse_size(text: str) -> int | None:
    """``150M`` -> bytes (stress's suffixes b, k, m, g, t are powers of 1024); ``None`` when
    it is not a size."""
    unit = _SIZE.get(text[-1:].lower(), 0)
    number = text[:-1] if unit else text
    try:
        value = float(number)
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return int(value * (unit or 1))


def _seconds(text: str) -> float | None:
    unit = _TIME.get(text[-1:].lower(), 0)
    try:
        value = float(text[:-1] if unit else text)
    except ValueError:
        return None
    return value * (unit or 1) if math.isfinite(value) and value >= 0 else None


def _stress(p: Prog) -> int:
    counts = {"cpu": 0, "io": 0, "vm": 0, "hdd": 0}
    size, timeout = _DEFAULT_BYTES, math.inf
    args = list(p.args)
    i = 0
    while i < len(args):
        a = args[i]
        name, eq, inline = a.lstrip("-").partition("=")
        short = {"c": "cpu", "i": "io", "m": "vm", "d": "hdd", "t": "timeout"}.get(name, name)
        takes = short in (*counts, "vm-bytes", "timeout", "vm-hang", "vm-stride", "hdd-bytes")
        if not a.startswith("-") or not takes:
            if short in ("v", "verbose", "q", "quiet", "n", "dry-run", "vm-keep"):
                i += 1
                continue
            return p.fail(f"FAIL: [1] (244) unrecognized option: {a}")
        value = inline if eq else (args[i + 1] if i + 1 < len(args) else None)
        i += 1 if eq else 2
        if value is None:
            return p.fail(f"FAIL: [1] (244) option requires an argument: {a}")
        if short in counts:
            if not value.isdigit():
                return p.fail(f"FAIL: [1] (244) invalid number: {value}")
            counts[short] = int(value)
        elif short == "vm-bytes":
            parsed = parse_size(value)
            if parsed is None:
                return p.fail(f"FAIL: [1] (244) invalid size: {value}")
            size = parsed
        elif short == "timeout":
            seconds = _seconds(value)
            if seconds is None:
                return p.fail(f"FAIL: [1] (244) invalid time: {value}")
            timeout = seconds
    tag = "stress-ng" if p.name == "stress-ng" else "stress"
    p.write(
        f"{tag}: info: [1] dispatching hogs: {counts['cpu']} cpu, {counts['io']} io, "
        f"{counts['vm']} vm, {counts['hdd']} hdd\n"
    )
    held = counts["vm"] * size
    if held:
        hold = (p.now, p.now + timeout, held)
        p.sys = attrs.evolve(p.sys, memory=(*p.sys.memory, hold))
    p.sleep = timeout
    return 0


#: The programs of this module, for :data:`podmodel.kubelet.shell._programs.PROGRAMS`.
MEMORY: dict[str, Callable[[Prog], int]] = {"stress": _stress, "stress-ng": _stress}
