"""The connections a pod's processes made inside the pod, as the kubelet keeps them for a picture.

Every container of a pod shares one network namespace, so a process of one container reaches
another container's listening socket over ``localhost`` (or the pod IP, or the pod's host
name). When a container's script, or a command run with :meth:`Node.exec
<podmodel.kubelet.node.Node.exec>`, runs ``curl``/``wget``, the kernel's ``connect()``
(:meth:`~podmodel.kernel.network.NetworkNamespace.connect`) finds the listener, and the node
records it here: which container connected, to which address and port, and which container's
listener accepted. A connection nothing accepted (``ECONNREFUSED``: nothing listens on that
port yet, or a wrong port) is kept too, with no target: it is the mistake a student most needs
to see (a sidecar polling ``localhost:8081`` while the app listens on 8080).

Connections are kept as distinct records with a count (the same sidecar polling the same port
every second is one record), at most :data:`MAX_CONNECTIONS` of them per pod (the ones used
least recently go first; :attr:`ConnectionLog.dropped` counts them), so a crash-looping script
cannot grow a pod's state without bound. What is not recorded: the kubelet's own probes and
``httpGet`` hooks (they come from the node, not from a container), a host name that does not
resolve, an address outside the pod (podmodel simulates one pod's namespace), and
:meth:`RunningPod.connect <podmodel.kubelet.node.RunningPod.connect>`, a read-only question.

>>> log = ConnectionLog().add(source="sidecar", host="localhost", port=8080, target="app", at=1)
>>> log = log.add(source="sidecar", host="localhost", port=8080, target="app", at=2)
>>> log = log.add(source="sidecar", host="localhost", port=8081, target=None, at=3)
>>> [(c.source, c.port, c.target, c.count) for c in log]
[('sidecar', 8080, 'app', 2), ('sidecar', 8081, None, 1)]
>>> log[1].refused, log[0].first_time, log[0].last_time
(True, 1.0, 2.0)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

import attrs

from podmodel.model._frozen import replace

__all__ = ["MAX_CONNECTIONS", "ConnectionLog", "PodConnection"]

#: Most distinct connections a pod keeps (a script connecting to every port in a loop keeps the
#: last ones it used).
MAX_CONNECTIONS = 64


@attrs.frozen(kw_only=True)
class PodConnection:
    """One kind of connection made inside a pod, and how often it was made.

    ``source``: the container whose process connected; ``host`` and ``port``: where to, as the
    program was given them (``localhost``, the pod IP, its host name); ``protocol``: ``TCP``;
    ``target``: the container whose listening socket accepted it (``None``: refused, nothing
    listened there); ``count``, ``first_time``, ``last_time``: how many times, and when (node
    clock seconds).
    """

    source: str
    host: str
    port: int
    protocol: str = "TCP"
    target: str | None = None
    count: int = 1
    first_time: float = 0.0
    last_time: float = 0.0

    @property
    def refused(self) -> bool:
        """Whether nothing accepted it (``ECONNREFUSED``)."""
        return self.target is None

    @property
    def key(self) -> tuple[str, str, int, str, str | None]:
        """What makes two connections the same record: source, host, port, protocol, target."""
        return (self.source, self.host, self.port, self.protocol, self.target)

    def __str__(self) -> str:
        where = f"{self.host}:{self.port}/{self.protocol}"
        to = "refused" if self.target is None else f"-> {self.target}"
        return f"{self.source} -> {where} {to} (x{self.count})"


@attrs.frozen
class ConnectionLog(Sequence[PodConnection]):
    """A pod's connections, least recently used first, at most :data:`MAX_CONNECTIONS`."""

    entries: tuple[PodConnection, ...] = ()
    #: distinct connections dropped to keep the bound
    dropped: int = 0

    def add(
        self,
        *,
        source: str,
        host: str,
        port: int,
        target: str | None,
        at: float,
        until: float | None = None,
        protocol: str = "TCP",
        count: int = 1,
    ) -> ConnectionLog:
        """This log with one more connection at *at* (or *count* more, from *at* to
        *until*)."""
        last = float(at if until is None else until)
        key = (source, host, port, protocol, target)
        old = next((c for c in self.entries if c.key == key), None)
        if old is None:
            new = PodConnection(
                source=source,
                host=host,
                port=port,
                protocol=protocol,
                target=target,
                count=count,
                first_time=float(at),
                last_time=last,
            )
            rest = self.entries
        else:
            new = replace(old, count=old.count + count, last_time=max(old.last_time, last))
            rest = tuple(c for c in self.entries if c is not old)
        entries = (*rest, new)
        over = len(entries) - MAX_CONNECTIONS
        if over > 0:
            return ConnectionLog(entries[over:], self.dropped + over)
        return ConnectionLog(entries, self.dropped)

    def __iter__(self) -> Iterator[PodConnection]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    @overload
    def __getitem__(self, index: int) -> PodConnection: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[PodConnection, ...]: ...
    def __getitem__(self, index: int | slice) -> PodConnection | tuple[PodConnection, ...]:
        return self.entries[index]

    def __repr__(self) -> str:
        return f"ConnectionLog({len(self.entries)} connections, dropped={self.dropped})"
