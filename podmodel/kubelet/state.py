"""What the kubelet holds for a pod and its containers (data only), and the errors of node
operations. The engines that change this state (:mod:`podmodel.kubelet._processes`,
:mod:`podmodel.kubelet._exec`) import it from here, never :mod:`podmodel.kubelet.node`: they see
the node and a running pod through the :class:`NodeLike` and :class:`PodLike` protocols.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Protocol

import attrs

from podmodel.errors import PodmodelError
from podmodel.kubelet.connections import ConnectionLog
from podmodel.kubelet.history import PodHistory
from podmodel.kubelet.lifecycle import BindFailure, EventLog
from podmodel.model._pmap import PMap

if TYPE_CHECKING:
    from podmodel.kernel.filesystem import ContainerView, Filesystem
    from podmodel.kernel.network import NetworkNamespace
    from podmodel.kubelet._config import ConfigObject
    from podmodel.kubelet._pull import UnknownImages
    from podmodel.kubelet.images import Catalogue
    from podmodel.kubelet.lifecycle import BackOffSettings
    from podmodel.kubelet.shell import Process
    from podmodel.kubelet.volumes import Population, VolumeSource
    from podmodel.model.spec import Pod

__all__ = [
    "ContainerStatus",
    "ExecResult",
    "NodeError",
    "NodeLike",
    "PodExists",
    "PodLike",
    "PodNotFound",
    "PodState",
    "Probes",
    "Stop",
]


class PodExists(PodmodelError, ValueError):
    """A pod of that name already runs on the node."""


class PodNotFound(PodmodelError, LookupError):
    """No pod (or container) of that name on the node."""


class NodeError(PodmodelError, ValueError):
    """A node operation that cannot be done (time going backwards, no free pod IP)."""


@attrs.frozen(kw_only=True)
class Probes:
    """A running container's probe state (run by :mod:`podmodel.kubelet._probes`): when each
    kind (startup, liveness, readiness) runs next (``None``: not now), the consecutive
    successes and failures of each, and the two results that matter."""

    started_at: float
    next_at: tuple[float | None, float | None, float | None]
    successes: tuple[int, int, int] = (0, 0, 0)
    failures: tuple[int, int, int] = (0, 0, 0)
    started: bool = True
    ready: bool = True
    #: a parked probe waits for :func:`rearm` (its result is steady: nothing changed since);
    #: a steadily failing readiness probe keeps its output, to count its events in
    #: :func:`catch_up`
    parked: tuple[bool, bool, bool] = (False, False, False)
    output: str | None = None

    def due(self) -> float | None:
        """When the next probe runs."""
        times = [
            t for t, p in zip(self.next_at, self.parked, strict=True) if t is not None and not p
        ]
        return min(times) if times else None


@attrs.frozen(kw_only=True)
class Stop:
    """A container being stopped (run by :mod:`podmodel.kubelet._stop`): why (``delete``, or
    the ``Killing`` message of a probe or postStart kill), when its ``preStop`` hook returns
    and ``SIGTERM`` is sent (``term_at``), when ``SIGKILL`` ends it (``kill_at``), whether
    ``SIGTERM`` was sent, and whether the hook failed."""

    why: str
    term_at: float
    kill_at: float
    signalled: bool = False
    hook_failed: bool = False
    killed: bool = False
    #: a sidecar of a pod being deleted, waiting for its turn after its hook (the app
    #: containers and the later sidecars stop first), for at most ``grace_left`` seconds
    ordered: bool = False
    grace_left: float = 0.0

    def due(self) -> float:
        """When the stop next does something (infinity once ``SIGKILL`` was sent)."""
        if self.killed:
            return math.inf
        if self.ordered:
            return self.term_at + self.grace_left
        return self.kill_at if self.signalled else self.term_at


@attrs.frozen(kw_only=True)
class ContainerStatus:
    """A container's status: ``state`` is ``waiting``, ``running`` or ``terminated``.

    ``reason``: ``ContainerCreating``, ``PodInitializing``, ``CrashLoopBackOff`` (waiting),
    ``Error``, ``OOMKilled`` or ``Completed`` (terminated). ``message``: the kubelet's message while waiting,
    or the program's last output line after a failure. ``logs``: what the process printed (the
    last 1,000 lines, over every restart); ``instance_logs``: what the current (or, while it
    waits to restart, the last) instance printed, as ``kubectl logs`` shows it;
    ``previous_logs``: what the instance before it printed (``kubectl logs --previous``).
    ``failed_bind``: the ``bind()`` that made its last start fail, if one did.
    """

    name: str
    kind: str
    image: str
    state: str = "waiting"
    reason: str | None = "ContainerCreating"
    message: str | None = None
    exit_code: int | None = None
    restart_count: int = 0
    started_at: float | None = None
    finished_at: float | None = None
    exit_at: float | None = None
    next_start: float | None = None
    backoff_steps: int = 0
    pending_exit: tuple[int, str] | None = None
    logs: tuple[str, ...] = ()
    instance_logs: tuple[str, ...] = ()
    previous_logs: tuple[str, ...] = ()
    failed_bind: BindFailure | None = None
    #: the variables ``env``/``envFrom`` gave the running container (resolved at its start)
    env: tuple[tuple[str, str], ...] = ()
    #: the running container's probes (``None`` when it has none)
    probes: Probes | None = None
    #: a container that cannot be created repeats the same events at every sync: from
    #: ``quiet_from`` on, those syncs are counted, not simulated one by one (``next_start`` is
    #: the next pull after an image back-off, or infinity until the next ``advance``)
    quiet_from: float | None = None
    quiet_events: tuple[tuple[str, str, str], ...] = ()
    #: the running script of a container whose ``command``/``args`` runs through the shell
    #: (:mod:`podmodel.kubelet._scripts`), and when it next needs to run (``None``: never,
    #: e.g. ``sleep infinity``)
    process: Process | None = None
    wake_at: float | None = None
    #: why the process is exiting (``OOMKilled``), set with ``pending_exit``; and the reason of
    #: the last termination, kept while the container waits to restart (``lastState``)
    pending_reason: str | None = None
    last_reason: str | None = None
    #: the last termination's exit code, start and finish (``lastState.terminated``): kept
    #: when the container restarts, as the kubelet reports them
    last_exit_code: int | None = None
    last_started_at: float | None = None
    last_finished_at: float | None = None
    #: the container being stopped (``preStop``, ``SIGTERM``, grace period, ``SIGKILL``)
    stop: Stop | None = None
    #: a ``postStart`` hook running until then (the container is not running nor ready yet),
    #: and whether it failed
    hook_until: float | None = None
    hook_failed: bool = False
    #: memory the container's script holds, as ``(from, until, bytes)``, and the bytes of
    #: memory-backed volumes it wrote (charged to its cgroup, as tmpfs pages are)
    memory_holds: tuple[tuple[float, float, int], ...] = ()
    tmpfs_charged: int = 0
    #: the script started its image's server (``exec nginx -g 'daemon off;'``): its behaviour
    #: runs (binds, listens) and the stop signal goes to it
    serving: bool = False
    #: the start of a log line not finished yet (output without its newline): the runtime's
    #: log keeps it until the line ends or the process exits, then writes it as one line
    partial_log: str = ""

    def __repr__(self) -> str:
        """The fields ``kubectl describe`` shows, not the logs and timers."""
        return (
            f"ContainerStatus(name={self.name!r}, kind={self.kind!r}, state={self.state!r}, "
            f"reason={self.reason!r}, exit_code={self.exit_code!r}, "
            f"restart_count={self.restart_count})"
        )

    def due(self) -> float | None:
        """When the kubelet next has something to do for this container (besides probes and
        script wake-ups): a start, an exit, a hook returning, a stop signal."""
        times = [t for t in (self.exit_at, self.next_start) if t is not None]
        if self.stop is not None and self.state == "running":
            times.append(self.stop.due())
        elif self.hook_until is not None and self.state == "running":
            times.append(self.hook_until)
        return min(times) if times else None

    @property
    def ready(self) -> bool:
        """A running container is ready once its startup probe (if any) and its readiness probe
        (if any) succeeded."""
        if self.state != "running" or self.hook_until is not None:
            return False
        return self.probes is None or (self.probes.started and self.probes.ready)

    @property
    def counts_for_ready(self) -> bool:
        """App containers and sidecars count in ``READY n/m``."""
        return self.kind in ("app", "sidecar")


@attrs.frozen(kw_only=True)
class PodState:
    """Everything the node holds for one pod."""

    pod: Pod
    key: str
    uid: str
    ip: str | None
    hostname: str
    network: NetworkNamespace | None
    containers: tuple[ContainerStatus, ...] = ()
    views: PMap[str, ContainerView] = attrs.field(factory=PMap)
    sources: PMap[str, VolumeSource] = attrs.field(factory=PMap)
    events: EventLog = attrs.field(factory=EventLog)
    blocked: str | None = None
    phase: str = "Pending"
    # image -> (time of the last failed pull, back-off window): the kubelet's imageBackOff,
    # keyed by pod and image
    pull_backoff: PMap[str, tuple[float, float]] = attrs.field(factory=PMap)
    #: when the pod was deleted (``kubectl get pods`` shows ``Terminating`` until every
    #: container has stopped), and the grace period it was given
    deleting: float | None = None
    grace: float | None = None
    #: the connections its containers' programs made inside the pod
    #: (:mod:`podmodel.kubelet.connections`)
    connections: ConnectionLog = attrs.field(factory=ConnectionLog)
    #: what its containers did over time (:mod:`podmodel.kubelet.history`)
    history: PodHistory = attrs.field(factory=PodHistory)


@attrs.frozen(kw_only=True)
class ExecResult:
    """What a command run with ``exec`` printed, and its exit code."""

    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0


class NodeLike(Protocol):
    """What the engines read of a :class:`~podmodel.kubelet.node.Node`."""

    @property
    def name(self) -> str: ...
    @property
    def ip(self) -> str: ...
    @property
    def clock(self) -> float: ...
    @property
    def catalogue(self) -> Catalogue: ...
    @property
    def unknown_images(self) -> UnknownImages: ...
    @property
    def configs(self) -> PMap[str, ConfigObject]: ...
    @property
    def cluster_objects(self) -> bool: ...
    @property
    def config_times(self) -> PMap[str, float]: ...
    @property
    def pulled_images(self) -> frozenset[str]: ...
    @property
    def filesystem(self) -> Filesystem: ...
    @property
    def host_network(self) -> NetworkNamespace | None: ...
    @property
    def volume_population(self) -> Population: ...
    @property
    def backoff(self) -> BackOffSettings: ...
    @property
    def pods(self) -> PMap[str, PodState]: ...


class PodLike(Protocol):
    """What the engines read of a :class:`~podmodel.kubelet.node.RunningPod`."""

    @property
    def node(self) -> NodeLike: ...
    @property
    def state(self) -> PodState: ...
    @property
    def name(self) -> str: ...
    @property
    def ip(self) -> str | None: ...
    @property
    def hostname(self) -> str: ...
    def container(self, name: str) -> ContainerStatus: ...
    def connect(self, container: str, host: str, port: int, protocol: str = "TCP") -> str: ...
    def _view(self, container: str) -> ContainerView: ...
