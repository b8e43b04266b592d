"""Running pods on a simulated node: sandbox, volumes, containers, restarts, status, exec.

A :class:`Node` is the whole simulated world, as an immutable value: its file tree, its pods
(each with its sandbox's network namespace, volumes and containers), the image catalogue and a
clock that moves only when asked (:meth:`Node.advance`). ``node.start(pod)`` does what the
kubelet does: validate (an invalid pod raises :class:`~podmodel.InvalidPod`), create the sandbox
(pod IP, hostname, ``/etc/hosts``), set up the volumes (hostPath type checks), run the init
containers to completion, start the sidecars, then the app containers in spec order, each running
its image's behaviour (binds, listens, writes) unless ``command``/``args`` replace it. A process
that cannot bind exits; the container restarts with the kubelet's back-off.

>>> import podmodel
>>> pod = podmodel.loads('''
... apiVersion: v1
... kind: Pod
... metadata: {name: mypod}
... spec:
...   containers:
...   - {name: mycon1, image: nginx}
...   - {name: mycon2, image: nginx}
... ''')
>>> node = podmodel.Node().start(pod).advance(30)
>>> p = node.pod("mypod")
>>> p.ready, p.status, p.container("mycon2").reason
('1/2', 'CrashLoopBackOff', 'CrashLoopBackOff')
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from typing import TYPE_CHECKING

import attrs

from podmodel.apiserver.validation import check
from podmodel.kernel.filesystem import NODE, ContainerView, Filesystem
from podmodel.kernel.network import NetworkNamespace
from podmodel.kubelet import _exec, _processes, _recording, _removal, _status, _stop, _sync
from podmodel.kubelet import _workload_controllers as _wc
from podmodel.kubelet import _workload_view as _wv
from podmodel.kubelet._config import ConfigMap, ConfigObject, Secret, ServiceAccount, config_object
from podmodel.kubelet.images import Catalogue, default_catalogue
from podmodel.kubelet.lifecycle import (
    BackOffSettings,
    Event,
    EventLog,
    human_duration,
)
from podmodel.kubelet.qos import qos_class
from podmodel.kubelet.state import (
    ContainerStatus,
    ExecResult,
    NodeError,
    PodExists,
    PodNotFound,
    PodState,
)
from podmodel.model._frozen import replace
from podmodel.model._pmap import PMap

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from podmodel.kubelet._pull import UnknownImages
    from podmodel.kubelet.connections import PodConnection
    from podmodel.kubelet.history import History
    from podmodel.kubelet.volumes import Population
    from podmodel.model.spec import Container, Pod

__all__ = [
    "MAX_CONTAINERS",
    "MAX_MOUNTS",
    "MAX_SCRIPT_WAKES",
    "MAX_STEPS",
    "RICH_DISPLAY",
    "Node",
    "RunningPod",
]


#: Most container starts and exits one :meth:`Node.advance` call simulates (about 0.5 s of work;
#: a step costs more since it also runs probes, scripts and config syncs, so it was halved).
MAX_STEPS = 5_000
#: Most wake-ups of containers' scripts (a ``sleep`` ending) one :meth:`Node.advance` call
#: simulates: a ``while true; ...; sleep 1; done`` loop allows about 28 hours per call.
MAX_SCRIPT_WAKES = 100_000
#: Most init and app containers in one simulated pod (Kubernetes sets no number; every
#: operation on a pod stays well under a second up to this one).
MAX_CONTAINERS = 250
#: Most volume mounts, all containers together, in one simulated pod (each mount is resolved
#: through the ones before it: 500 take about 0.3 s to set up).
MAX_MOUNTS = 500


def _hostname(pod: Pod) -> str:
    name = pod.spec.hostname or pod.name
    return name[:63].rstrip("-.")


def _kind(container: Container, init: bool) -> str:
    if not init:
        return "app"
    return "sidecar" if container.restart_policy == "Always" else "init"


@attrs.frozen(kw_only=True)
class Node:
    """A simulated node (immutable: every operation returns a new ``Node``).

    Args:
        volume_population: ``"first-mount"`` (default: an empty emptyDir is filled from the first
            container whose image has files at its mount path, as the seed saw on Docker) or
            ``"empty"`` (Kubernetes: emptyDir always starts empty).
        unprivileged_port_start: The pods' ``net.ipv4.ip_unprivileged_port_start``: 0 as
            containerd and Docker set it (CRI-O keeps 1024).
        catalogue: The images the node knows (default: :func:`podmodel.default_catalogue`).
        unknown_images: What a pull of an image the catalogue does not know does: ``"assume"``
            (default: it exists, with no files) or ``"fail"`` (``ErrImagePull``). An image one
            edit away from a catalogue image (``ngnix``) always fails to pull.
        cluster_objects: Every namespace has ``kube-root-ca.crt``, a ``default`` ServiceAccount.
    """

    name: str = "node-1"
    ip: str = "192.168.49.2"
    pod_cidr: str = "10.244.0.0/24"
    volume_population: Population = "first-mount"
    unprivileged_port_start: int = 0
    backoff: BackOffSettings = attrs.field(factory=BackOffSettings)
    catalogue: Catalogue = attrs.field(factory=default_catalogue)
    unknown_images: UnknownImages = "assume"
    cluster_objects: bool = True
    clock: float = 0.0
    filesystem: Filesystem = attrs.field(factory=Filesystem)
    host_network: NetworkNamespace | None = None
    pods: PMap[str, PodState] = attrs.field(factory=PMap)
    started: int = 0
    # images pulled onto the node (qualified references; catalogue images are always present)
    pulled_images: frozenset[str] = frozenset()
    # ConfigMaps and Secrets by "Kind/namespace/name", and when each last changed
    configs: PMap[str, ConfigObject] = attrs.field(factory=PMap)
    config_times: PMap[str, float] = attrs.field(factory=PMap)
    # pod IP -> pod key, and (protocol, hostPort) -> ((hostIP, pod key), ...): indexes that keep
    # a start's cost independent of how many pods the node already runs
    used_ips: PMap[str, str] = attrs.field(factory=PMap, repr=False)
    host_ports: PMap[tuple[str, int], tuple[tuple[str, str], ...]] = attrs.field(
        factory=PMap, repr=False
    )
    workloads: PMap[str, _wc.WorkloadState] = attrs.field(factory=PMap, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.host_network is None:
            object.__setattr__(
                self,
                "host_network",
                NetworkNamespace(
                    ip=self.ip,
                    hostname=self.name,
                    unprivileged_port_start=self.unprivileged_port_start,
                ),
            )

    def __repr__(self) -> str:
        """A few words, not the whole simulated world: name, clock and number of pods."""
        return f"Node(name={self.name!r}, clock={self.clock:g}, pods={len(self.pods)})"

    # ---- queries ----

    def pod(self, name: str, namespace: str = "default") -> RunningPod:
        """A read-only view of the pod *name*."""
        state = self.pods.get(f"{namespace}/{name}")
        if state is None:
            raise PodNotFound(f'pods "{name}" not found')
        return RunningPod(node=self, state=state)

    def workload(self, kind: str, name: str, namespace: str = "default") -> _wv.WorkloadView:
        """A read-only view of workload *kind* (``deploy``, ``sts``, ``job``...) *name*."""
        return _wv.workload_view(self, kind, name, namespace)

    def host_read(self, path: str) -> bytes:
        """Read a file of the node's own tree (where hostPath volumes live)."""
        return self.filesystem.tree(NODE).read(path)

    def host_listdir(self, path: str) -> tuple[str, ...]:
        """List a directory of the node's own tree."""
        return self.filesystem.tree(NODE).listdir(path)

    def host_write(self, path: str, data: bytes, *, parents: bool = True) -> Node:
        """Write a file of the node's own tree."""
        tree = self.filesystem.tree(NODE).write(path, data, parents=parents)
        return replace(self, filesystem=self.filesystem.add_store(NODE, tree))

    # ---- operations ----

    def start(self, pod: Pod | _wc.KubeObject) -> Node:
        """Validate *pod*, then create and start it on this node (see the module docstring).

        Raises:
            InvalidPod: The API server would reject the pod.
            PodExists: A pod of that name already runs here.
            NodeError: The pod has more than :data:`MAX_CONTAINERS` containers or
                :data:`MAX_MOUNTS` volume mounts (podmodel's limits, not Kubernetes').
        """
        if not _wc.is_pod(pod):
            return _wc.start(self, pod)  # a workload: its controller's (_workload_controllers)
        check(pod)
        count = len(pod.spec.init_containers) + len(pod.spec.containers)
        if count > MAX_CONTAINERS:
            raise NodeError(
                f"pod has {count} containers; podmodel simulates at most {MAX_CONTAINERS} per pod"
            )
        mounts = sum(
            len(c.volume_mounts) for c in (*pod.spec.init_containers, *pod.spec.containers)
        )
        if mounts > MAX_MOUNTS:
            raise NodeError(
                f"pod has {mounts} volume mounts; podmodel simulates at most {MAX_MOUNTS} per pod"
            )
        namespace = pod.metadata.namespace or "default"
        name = pod.name or ((pod.metadata.generate_name or "pod-") + "bcdfg")
        key = f"{namespace}/{name}"
        if key in self.pods:
            raise PodExists(f'pods "{name}" already exists')
        uid = hashlib.sha256(f"{key}#{self.started}".encode()).hexdigest()
        uid = f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:32]}"
        host = bool(pod.spec.host_network)
        ip = self.ip if host else self._free_ip()
        hostname = self.name if host else _hostname(pod)
        network = (
            None
            if host
            else NetworkNamespace(
                ip=ip, hostname=hostname, unprivileged_port_start=self.unprivileged_port_start
            )
        )
        kinds = [_kind(c, True) for c in pod.spec.init_containers] + ["app"] * len(
            pod.spec.containers
        )
        containers = tuple(
            ContainerStatus(name=c.name or "", kind=k, image=c.image or "")
            for c, k in zip((*pod.spec.init_containers, *pod.spec.containers), kinds, strict=True)
        )
        state = PodState(
            pod=pod,
            key=key,
            uid=uid,
            ip=ip,
            hostname=hostname,
            network=network,
            containers=containers,
        )
        node = replace(self, started=self.started + 1)
        claims = self._claims(pod)
        if node._host_port_conflict(claims):
            state = replace(
                state,
                ip=None,
                blocked="Pending",
                events=EventLog().add(
                    Event(
                        time=self.clock,
                        type="Warning",
                        reason="FailedScheduling",
                        source="default-scheduler",
                        message="0/1 nodes are available: 1 node(s) didn't have free ports for the "
                        "requested pod ports. preemption: 0/1 nodes are available: 1 No "
                        "preemption victims found for incoming pod.",
                    )
                ),
            )
            return node._put(_recording.record(state, self.clock))
        host_ports = node.host_ports
        for proto, hip, port in claims:
            held = host_ports.get((proto, port), ())
            host_ports = host_ports.set((proto, port), (*held, (hip, key)))
        node = replace(
            node,
            host_ports=host_ports,
            used_ips=node.used_ips if host or ip is None else node.used_ips.set(ip, key),
        )
        state = replace(
            state,
            events=EventLog().add(
                Event(
                    time=self.clock,
                    type="Normal",
                    reason="Scheduled",
                    source="default-scheduler",
                    message=f"Successfully assigned {namespace}/{name} to {self.name}",
                )
            ),
        )
        node, state, mounted = _sync.mount_volumes(node, state, self.clock)
        node = node._put(_recording.record(state, self.clock))
        if not mounted:
            return node
        return node._progress(key, self.clock)

    def apply(self, obj: ConfigMap | Secret | ServiceAccount | Mapping[str, Any]) -> Node:
        """Create or update a ConfigMap, Secret or ServiceAccount (object or manifest dict).

        Pods waiting for it start at the next :meth:`advance`; volumes filled from it see the
        change :data:`~podmodel.kubelet._config.SYNC_DELAY` seconds later (not ``subPath``
        mounts); a running container's environment never changes.

        Raises:
            ConfigError: *obj* is not a ConfigMap, Secret or ServiceAccount, or is malformed.
        """
        o = config_object(obj)
        key = f"{o.kind}/{o.namespace}/{o.name}"
        return replace(
            self,
            configs=self.configs.set(key, o),
            config_times=self.config_times.set(key, self.clock),
        )

    def delete_config(self, kind: str, name: str, namespace: str = "default") -> Node:
        """Delete the object of *kind* called *name*; mounted files stay as they are."""
        key = f"{kind}/{namespace}/{name}"
        if key not in self.configs:
            raise PodNotFound(f'{kind.lower()}s "{name}" not found')
        return replace(self, configs=self.configs.delete(key))

    def delete(
        self, name: str, namespace: str = "default", *, grace_period: float | None = None
    ) -> Node:
        """Delete a pod, gracefully (see :mod:`podmodel.kubelet._removal`): it shows
        ``Terminating`` while each running container runs its ``preStop`` hook, gets its stop
        signal and, at the end of the grace period (*grace_period*, else the pod's
        ``terminationGracePeriodSeconds``, default 30), ``SIGKILL``; :meth:`advance` moves
        that on, and the pod leaves the node once no container runs. ``grace_period=0``
        removes it at once. Its network namespace and emptyDirs go; hostPath data stays.

        Raises:
            PodNotFound: No such pod.
            NodeError: *grace_period* is negative or not finite.
        """
        key = f"{namespace}/{name}"
        state = self.pods.get(key)
        if state is None:
            raise PodNotFound(f'pods "{name}" not found')
        if grace_period is not None and not (math.isfinite(grace_period) and grace_period >= 0):
            raise NodeError(f"the grace period must be a finite number >= 0 (got {grace_period!r})")
        if grace_period == 0:
            return _removal.remove(self, key)
        if state.deleting is not None:
            return self  # already terminating
        grace = _stop.grace_of(state) if grace_period is None else float(grace_period)
        if state.blocked:
            return _removal.remove(self, key)
        node, state = _removal.start_deletion(self, state, self.clock, grace)
        return node._put(state)._progress(key, self.clock)

    def advance(self, seconds: float) -> Node:
        """Move the clock forward: containers exit and restart as their timers say.

        Raises:
            NodeError: *seconds* is negative or not finite, or the span would take more than
                :data:`MAX_STEPS` container starts and exits to simulate (advance less at a
                time: a crash-looping container restarts every 5 minutes, so one such
                container allows about 17 days per call).
        """
        if not math.isfinite(seconds) or seconds < 0:
            raise NodeError(f"time only moves forward, by a finite amount (got {seconds!r})")
        target = self.clock + seconds
        node = self
        for key, blocked in self.pods.items():
            if blocked.blocked == "ContainerCreating":  # the volume manager retries the set-up
                node, st, mounted = _sync.mount_volumes(node, blocked, self.clock)
                node = node._put(st)
                if mounted:
                    node = node._progress(key, self.clock)
            elif any(c.probes is not None or c.quiet_from is not None for c in blocked.containers):
                node = node._put(_processes.settle(blocked, self.clock, resume=True))
                node = node._progress(key, self.clock)  # parked work looks again
        node = _wc.run(node, target)  # the controllers act at each due time
        steps = wakes = 0
        while (due := node._next_due(target)) is not None:
            when, key, script = due
            wakes, steps = wakes + script, steps + (not script)
            if steps > MAX_STEPS or wakes > MAX_SCRIPT_WAKES:
                raise NodeError(
                    f"advancing {seconds:g} s would simulate more than {MAX_STEPS} container "
                    f"starts and exits, or {MAX_SCRIPT_WAKES} wake-ups of containers' scripts; "
                    "advance less at a time"
                )
            node = node._progress(key, when)
        host = node.host_network
        assert host is not None
        pods = node.pods
        for key, old in node.pods.items():
            st = old
            if any(c.quiet_from is not None or c.probes is not None for c in st.containers):
                st = _processes.settle(st, target)
            if st.network is not None:
                st = replace(st, network=st.network.advance(target - st.network.clock))
            st = _recording.record(st, target)
            pods = pods if st is old else pods.set(key, st)
        node = replace(
            node, clock=target, pods=pods, host_network=host.advance(target - host.clock)
        )
        return _sync.refresh_config_volumes(node, target)

    def exec(
        self, name: str, container: str, command: str | list[str], namespace: str = "default"
    ) -> tuple[Node, ExecResult]:
        """Run *command* in *container* (see :mod:`podmodel.kubelet._exec`); its writes and
        its connections (:attr:`RunningPod.connections`) are kept."""
        pod = self.pod(name, namespace)
        result, fs, state = _exec.run_exec(pod, container, command)
        return replace(self, filesystem=fs, pods=self.pods.set(state.key, state)), result

    def write(
        self,
        name: str,
        container: str,
        path: str,
        data: bytes,
        *,
        namespace: str = "default",
        append: bool = False,
    ) -> Node:
        """Write a file as *container* of pod *name* sees it."""
        pod = self.pod(name, namespace)
        fs = self.filesystem.write(pod._view(container), path, data, parents=True, append=append)
        return replace(self, filesystem=fs)

    # ---- internals ----

    def _put(self, state: PodState) -> Node:
        return replace(self, pods=self.pods.set(state.key, _removal.with_phase(state)))

    def _free_ip(self) -> str:
        net = ipaddress.ip_network(self.pod_cidr)
        size = net.num_addresses - 2
        for step in range(size):
            index = (self.started + step) % size + 1  # .1 is the bridge: start at .2
            addr = str(net.network_address + index + 1) if index + 1 <= size else None
            if addr is not None and addr not in self.used_ips:
                return addr
        raise NodeError(f"the pod CIDR {self.pod_cidr} is full")

    @staticmethod
    def _claims(pod: Pod) -> set[tuple[str, str, int]]:
        from podmodel.apiserver.defaults import apply_defaults

        d = apply_defaults(pod)
        return {
            (port.protocol or "TCP", port.host_ip or "", port.host_port)
            for c in d.spec.containers
            for port in c.ports
            if port.host_port
        }

    def _host_port_conflict(self, claims: set[tuple[str, str, int]]) -> bool:
        wild = ("", "0.0.0.0", "::")
        for proto, ip, port in claims:
            for other_ip, _ in self.host_ports.get((proto, port), ()):
                if ip == other_ip or ip in wild or other_ip in wild:
                    return True
        return False

    def _next_due(self, target: float) -> tuple[float, str, bool] | None:
        """The earliest transition due by *target*: its time, pod, and whether it is only a
        script waking up."""
        best: tuple[float, str, bool] | None = None
        for key, st in self.pods.items():
            if st.blocked:
                continue
            for c in st.containers:
                probe = _processes.probe_due(c)
                wake = c.wake_at if c.state == "running" else None
                for t, script in ((c.due(), 0), (probe, 0), (wake, 1)):
                    if t is not None and t <= target and (best is None or t < best[0]):
                        best = (t, key, bool(script))
        return best

    def _progress(self, key: str, now: float) -> Node:
        """Run every transition of pod *key* due at *now*, then start what can start."""
        node, state = _processes.progress(self, key, now)
        state = _recording.record(state, now)
        if _removal.finished(state):
            return _removal.remove(node._put(state), key)
        return node._put(state)


#: How Jupyter draws a :class:`RunningPod`, by MIME type. The kubelet draws nothing itself: the
#: presentation layer (:mod:`podmodel.display`) registers its pictures here when it is imported,
#: and ``podmodel.Node`` (the top-level name) imports it, so notebooks show pictures.
RICH_DISPLAY: dict[str, Callable[[RunningPod], str]] = {}


@attrs.frozen
class RunningPod:
    """A read-only view of one pod on a node (what ``kubectl get`` / ``describe`` show)."""

    node: Node
    state: PodState

    def __repr__(self) -> str:
        """One line, as ``kubectl get pods`` sums the pod up (not the node it is on)."""
        return f"RunningPod({self.state.key!r}, ready={self.ready!r}, status={self.status!r})"

    @property
    def name(self) -> str:
        """The pod's name."""
        return self.state.key.split("/", 1)[1]

    @property
    def ip(self) -> str | None:
        """The pod IP (every container has it)."""
        return self.state.ip

    @property
    def hostname(self) -> str:
        """The hostname every container sees."""
        return self.state.hostname

    @property
    def phase(self) -> str:
        """``Pending``, ``Running``, ``Succeeded`` or ``Failed``."""
        return self.state.phase

    @property
    def qos_class(self) -> str:
        """``Guaranteed``, ``Burstable`` or ``BestEffort`` (:func:`podmodel.kubelet.qos.qos_class`)."""
        return qos_class(self.state.pod)

    @property
    def events(self) -> tuple[Event, ...]:
        """The events, oldest first, as ``kubectl describe pod`` lists them."""
        return tuple(self.state.events)

    @property
    def connections(self) -> tuple[PodConnection, ...]:
        """The connections made inside the pod (least recently used first): by its containers'
        scripts and by :meth:`Node.exec`'s commands (``curl``, ``wget``), each with the
        container that accepted it, or refused (:mod:`podmodel.kubelet.connections`).

        >>> import podmodel
        >>> pod = podmodel.loads('''
        ... apiVersion: v1
        ... kind: Pod
        ... metadata: {name: p}
        ... spec:
        ...   containers:
        ...   - {name: web, image: nginx}
        ...   - name: poller
        ...     image: busybox
        ...     command: [sh, -c, 'while true; do wget -qO- localhost; wget -qO- localhost:8080;
        ...       sleep 10; done']
        ... ''')
        >>> for c in podmodel.Node().start(pod).advance(35).pod("p").connections:
        ...     print(c)
        poller -> localhost:80/TCP -> web (x4)
        poller -> localhost:8080/TCP refused (x4)
        """
        return tuple(self.state.connections)

    @property
    def history(self) -> History:
        """What each container did since the pod started, as the restart timeline draws it
        (:mod:`podmodel.kubelet.history`; the last :data:`~podmodel.kubelet.history.MAX_SPANS`
        spans)."""
        names = tuple(c.name for c in self.state.containers)
        return self.state.history.view(self.name, names, self.node.clock)

    @property
    def containers(self) -> tuple[ContainerStatus, ...]:
        """Every container's status, init containers first."""
        return self.state.containers

    @property
    def ready(self) -> str:
        """``READY`` as ``kubectl get pods`` shows it: ready / (app containers + sidecars)."""
        counted = [c for c in self.state.containers if c.counts_for_ready]
        return f"{sum(c.ready for c in counted)}/{len(counted)}"

    @property
    def restarts(self) -> int:
        """The sum of the containers' restart counts."""
        return sum(c.restart_count for c in self.state.containers)

    @property
    def status(self) -> str:
        """``STATUS`` as ``kubectl get pods`` shows it."""
        return _status.pod_status(self.state)

    def container(self, name: str) -> ContainerStatus:
        """The status of container *name*."""
        for c in self.state.containers:
            if c.name == name:
                return c
        raise PodNotFound(f'container "{name}" not found in pod "{self.name}"')

    def logs(self, container: str, *, previous: bool = False) -> str:
        """What ``kubectl logs`` prints for *container* (``--previous`` with *previous*): the
        output of its current instance, or of the last one while it waits to restart.

        Raises:
            NodeError: The container has no such log yet, with the kubelet's words
                (``container "c" in pod "p" is waiting to start: ContainerCreating``).
        """
        return _status.logs(self.name, self.container(container), previous=previous)

    def _view(self, container: str) -> ContainerView:
        view = self.state.views.get(container)
        if view is None:
            self.container(container)
            raise PodNotFound(f'container "{container}" has not been created yet')
        return view  # type: ignore[no-any-return]

    def _network(self) -> tuple[NetworkNamespace, str]:
        if self.state.network is not None:
            return self.state.network, ""
        host = self.node.host_network
        assert host is not None
        return host, f"{self.state.key}/"

    def connect(self, container: str, host: str, port: int, protocol: str = "TCP") -> str:
        """Which container answers a connection *container* makes to *host*:*port*.

        Raises:
            ConnectionRefused: Nothing listens there.
        """
        self.container(container)
        ns, prefix = self._network()
        owner = ns.connect(host, port, protocol)
        return owner.removeprefix(prefix)

    def read(self, container: str, path: str) -> bytes:
        """Read a file as *container* sees it."""
        return self.node.filesystem.read(self._view(container), path)

    def listdir(self, container: str, path: str) -> tuple[str, ...]:
        """List a directory as *container* sees it."""
        return self.node.filesystem.listdir(self._view(container), path)

    def exists(self, container: str, path: str) -> bool:
        """Whether *path* exists for *container*."""
        return self.node.filesystem.exists(self._view(container), path)

    def exec(self, container: str, command: str | list[str]) -> ExecResult:
        """Run *command* in *container* and return its output (file changes are discarded; use
        :meth:`Node.exec` to keep them)."""
        return _exec.run_exec(self, container, command)[0]

    def get_line(self) -> str:
        """The pod's row of ``kubectl get pods`` (NAME READY STATUS RESTARTS; a NAME or STATUS
        longer than its column, ``CreateContainerConfigError``, widens it as kubectl's tabwriter
        does)."""
        status = self.status
        name = f"{self.name:<{max(12, len(self.name) + 3)}}"
        return f"{name}{self.ready:<8}{status:<{max(20, len(status) + 3)}}{self.restarts}"

    def _repr_svg_(self) -> str | None:
        """Jupyter's rich display: the picture registered in :data:`RICH_DISPLAY` (the one of
        :mod:`podmodel.display.picture` once :mod:`podmodel.display` is imported; ``None``, so
        the plain ``repr``, before)."""
        render = RICH_DISPLAY.get("image/svg+xml")
        return render(self) if render is not None else None

    def _repr_html_(self) -> str | None:
        render = RICH_DISPLAY.get("text/html")
        return render(self) if render is not None else None

    def describe_events(self) -> str:
        """The ``Events:`` table of ``kubectl describe pod``, ages taken at the node's clock
        (``10s (x3 over 40s)`` for an event seen three times)."""
        now = self.node.clock
        rows = [
            ("Type", "Reason", "Age", "From", "Message"),
            ("----", "------", "----", "----", "-------"),
        ]
        for e in self.state.events:
            age = human_duration(now - e.first_time)
            if e.count > 1:
                age = f"{human_duration(now - e.time)} (x{e.count} over {age})"
            rows.append((e.type, e.reason, age, e.source, e.message.strip()))
        widths = [max(len(row[i]) for row in rows) + 2 for i in range(4)]  # kubectl's tabwriter
        return "\n".join(
            "".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + row[4]
            for row in rows
        )
