"""What the kubelet holds for a pod and its containers (data only), and the errors of node
operations. The engines that change this state (:mod:`podmodel.kubelet._processes`,
:mod:`podmodel.kubelet._exec`) import it from here, never :mod:`podmodel.kubelet.node`: they see
the node and a running pod through the :class:`NodeLike` and :class:`PodLike` protocols.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import attrs

from podmodel.errors import PodmodelError
from podmodel.kubelet.lifecycle import BindFailure, EventLog
from podmodel.model._pmap import PMap

if TYPE_CHECKING:
    from podmodel.kernel.filesystem import ContainerView, Filesystem
    from podmodel.kernel.network import NetworkNamespace
    from podmodel.kubelet.images import Catalogue
    from podmodel.kubelet.lifecycle import BackOffSettings
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
]


class PodExists(PodmodelError, ValueError):
    """A pod of that name already runs on the node."""


class PodNotFound(PodmodelError, LookupError):
    """No pod (or container) of that name on the node."""


class NodeError(PodmodelError, ValueError):
    """A node operation that cannot be done (time going backwards, no free pod IP)."""


@attrs.frozen(kw_only=True)
class ContainerStatus:
    """A container's status: ``state`` is ``waiting``, ``running`` or ``terminated``.

    ``reason``: ``ContainerCreating``, ``PodInitializing``, ``CrashLoopBackOff`` (waiting),
    ``Error`` or ``Completed`` (terminated). ``message``: the kubelet's message while waiting,
    or the program's last output line after a failure. ``logs``: what the process printed (the
    last 1,000 lines, over every restart).
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
    failed_bind: BindFailure | None = None

    @property
    def ready(self) -> bool:
        """A running container is ready (podmodel does not run readiness probes)."""
        return self.state == "running"

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
    def catalogue(self) -> Catalogue: ...
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
