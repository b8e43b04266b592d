"""The container lifecycle rules, as data: restart policy, crash-loop back-off, READY and STATUS.

Pure functions over small values, in the style of h11's state tables; :mod:`podmodel.kubelet.node`
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
from collections.abc import Iterator, Sequence
from typing import overload

import attrs

from podmodel.model._frozen import replace
from podmodel.model._pmap import PMap

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_MAX",
    "BACKOFF_RESET",
    "RESTART_RULES",
    "BackOffSettings",
    "BindFailure",
    "Event",
    "EventLog",
    "add_event",
    "backoff_delay",
    "format_duration",
    "human_duration",
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


@attrs.frozen(kw_only=True)
class Event:
    """One event, as ``kubectl describe pod`` lists it: identical events (same type, reason,
    source, message and involved object) are counted in one, as the kubelet's event recorder
    does, with the time of the first (``first_time``) and of the last (``time``) occurrence.
    ``field_path`` is the involved object's field path, ``spec.containers{web}`` for an event
    about one container (``""``: the pod): two containers' identical ``Pulled`` events are two
    rows, as the recorder keys them."""

    time: float
    type: str
    reason: str
    source: str
    message: str
    count: int = 1
    first_time: float = attrs.field(default=attrs.Factory(lambda self: self.time, takes_self=True))
    field_path: str = ""

    def __str__(self) -> str:
        return f"{self.type:<8}{self.reason:<18}{self.source:<19}{self.message}"


def add_event(events: tuple[Event, ...], event: Event) -> tuple[Event, ...]:
    """*events* with *event* recorded: an identical earlier event is counted up and moves to the
    end (``kubectl describe`` sorts by last occurrence), so a crash loop that runs for days keeps
    a handful of events, not one per restart.

    >>> one = Event(time=0, type="Warning", reason="BackOff", source="kubelet", message="m")
    >>> events = add_event(add_event((), one), attrs.evolve(one, time=10, first_time=10))
    >>> [(e.count, e.first_time, e.time) for e in events]
    [(2, 0, 10)]
    """
    key = _key(event)
    for i in range(len(events) - 1, -1, -1):
        if _key(events[i]) == key:
            return (*events[:i], *events[i + 1 :], _again(events[i], event))
    return (*events, event)


_Key = tuple[str, str, str, str, str]


def _key(event: Event) -> _Key:
    """What makes two events the same one for the recorder."""
    return (event.type, event.reason, event.source, event.message, event.field_path)


def _again(earlier: Event, later: Event) -> Event:
    """*earlier* counted up by *later*: its first time kept, the last time *later*'s."""
    return replace(earlier, time=later.time, count=earlier.count + later.count)


def _first(item: tuple[int, Event]) -> int:
    return item[0]


@attrs.frozen(eq=False)
class EventLog(Sequence[Event]):
    """A pod's events, aggregated as :func:`add_event` does, as an immutable sequence (oldest
    last occurrence first). :meth:`add` costs O(log n) where :func:`add_event` scans the whole
    tuple: a pod of 250 crash-looping containers keeps about 1,000 distinct events.

    >>> one = Event(time=0, type="Warning", reason="BackOff", source="kubelet", message="m")
    >>> log = EventLog().add(one).add(Event(time=5, type="Normal", reason="Pulled",
    ...     source="kubelet", message="p")).add(attrs.evolve(one, time=10, first_time=10))
    >>> [(e.reason, e.count, e.time) for e in log]
    [('Pulled', 1, 5), ('BackOff', 2, 10)]
    >>> log[-1].first_time
    0
    """

    # (type, reason, source, message) -> (sequence number of its last occurrence, the event)
    _latest: PMap[_Key, tuple[int, Event]] = attrs.field(factory=PMap, alias="latest", repr=False)
    _next: int = attrs.field(default=0, alias="next", repr=False)

    @classmethod
    def of(cls, events: Sequence[Event]) -> EventLog:
        """A log holding *events*, added in order."""
        log = cls()
        for event in events:
            log = log.add(event)
        return log

    def add(self, event: Event) -> EventLog:
        """This log with *event* recorded (see :func:`add_event`)."""
        key = _key(event)
        latest = self._latest
        old = latest.get(key)
        if old is not None:
            event = _again(old[1], event)
        return replace(self, latest=latest.set(key, (self._next, event)), next=self._next + 1)

    def _ordered(self) -> tuple[Event, ...]:
        return tuple(event for _, event in sorted(self._latest.values(), key=_first))

    def __iter__(self) -> Iterator[Event]:
        return iter(self._ordered())

    def __len__(self) -> int:
        return len(self._latest)

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...
    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        return self._ordered()[index]

    def __eq__(self, other: object) -> bool:
        # equal when the events are (sequence numbers are bookkeeping)
        if not isinstance(other, EventLog):
            return NotImplemented
        return self._ordered() == other._ordered()

    def __hash__(self) -> int:
        return hash(self._ordered())

    def __repr__(self) -> str:
        return f"EventLog({list(self)!r})"


def container_path(kind: str, name: str) -> str:
    """The field path of a container as events name it: ``spec.containers{web}``,
    ``spec.initContainers{setup}`` (sidecars are init containers).

    >>> container_path("sidecar", "log")
    'spec.initContainers{log}'
    """
    return f"spec.{'containers' if kind == 'app' else 'initContainers'}{{{name}}}"


def human_duration(seconds: float) -> str:
    """An age as ``kubectl`` prints it (apimachinery's ``duration.HumanDuration``).

    >>> [human_duration(s) for s in (5, 119, 150, 600, 3 * 3600 + 60, 9 * 3600, 3 * 86400)]
    ['5s', '119s', '2m30s', '10m', '3h1m', '9h', '3d']
    """
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        return f"{minutes}m{s % 60}s" if s % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        return f"{hours // 24}d{hours % 24}h" if hours % 24 else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        return f"{hours // 24 // 365}y{days}d" if days else f"{hours // 24 // 365}y"
    return f"{hours // 24 // 365}y"
