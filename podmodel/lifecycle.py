"""The container lifecycle rules, as data: restart policy, crash-loop back-off, READY and STATUS.

Pure functions over small values, in the style of h11's state tables; :mod:`podmodel.runtime`
drives them on a simulated clock. The numbers are the kubelet's (``kuberuntime_manager.go``
``doBackOff``; ``MaxContainerBackOff``): the first restart is immediate, then the delay starts at
10 s and doubles up to 300 s, and it resets once a container has run for 10 minutes.

>>> [backoff_delay(n) for n in range(8)]
[0.0, 10.0, 20.0, 40.0, 80.0, 160.0, 300.0, 300.0]
>>> should_restart("Always", 0), should_restart("OnFailure", 0), should_restart("Never", 1)
(True, False, False)
"""

from __future__ import annotations

import math

import attrs

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_MAX",
    "BACKOFF_RESET",
    "RESTART_RULES",
    "BackOffSettings",
    "BindFailure",
    "backoff_delay",
    "format_duration",
    "should_restart",
]

#: First crash-loop delay, in seconds.
BACKOFF_BASE = 10.0
#: Longest crash-loop delay (``MaxContainerBackOff``).
BACKOFF_MAX = 300.0
#: A container that ran this long without failing gets its back-off reset.
BACKOFF_RESET = 600.0

# restartPolicy -> (restart after exit code 0, restart after a non-zero exit code)
RESTART_RULES: dict[str, tuple[bool, bool]] = {
    "Always": (True, True),
    "OnFailure": (False, True),
    "Never": (False, False),
}


@attrs.frozen(kw_only=True)
class BackOffSettings:
    """The kubelet's crash-loop back-off parameters (KEP-4603 made them configurable)."""

    base: float = BACKOFF_BASE
    maximum: float = BACKOFF_MAX
    reset_after: float = BACKOFF_RESET


def backoff_delay(restarts: int, settings: BackOffSettings | None = None) -> float:
    """The delay before restart number ``restarts + 1`` (0 for the first restart)."""
    s = settings or BackOffSettings()
    if restarts <= 0:
        return 0.0
    try:  # base * 2 ** (restarts - 1), without an int too large for a float after ~1,000
        delay = math.ldexp(s.base, restarts - 1)
    except OverflowError:
        delay = math.inf
    return float(min(s.maximum, delay))


def should_restart(policy: str, exit_code: int) -> bool:
    """Whether a container that exited with *exit_code* is restarted under *policy*."""
    on_success, on_failure = RESTART_RULES.get(policy, RESTART_RULES["Always"])
    return on_success if exit_code == 0 else on_failure


def format_duration(seconds: float) -> str:
    """Go's ``time.Duration`` text for whole seconds, as kubelet messages print it.

    >>> format_duration(20), format_duration(300), format_duration(90)
    ('20s', '5m0s', '1m30s')
    """
    total = int(seconds)
    minutes, secs = divmod(total, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"


@attrs.frozen(kw_only=True)
class BindFailure:
    """A ``bind()`` the container's process could not make: where, and the error's name
    (``EADDRINUSE``, ``EACCES``, ...)."""

    address: str
    port: int
    protocol: str
    error: str

    def __str__(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"{host}:{self.port}/{self.protocol} {self.error}"
