"""What the controller-manager keeps per workload on a simulated node, and the pod operations
its controllers share (create a pod from a template, delete one, is it ready).

The controllers themselves are in :mod:`podmodel.kubelet._workload_controllers` (ReplicaSet,
ReplicationController, Deployment, StatefulSet, DaemonSet) and :mod:`podmodel.kubelet._jobs`
(Job, CronJob).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import attrs

from podmodel.errors import PodmodelError
from podmodel.kubelet.lifecycle import Event, EventLog
from podmodel.kubelet.state import PodNotFound
from podmodel.model._frozen import FrozenMap, replace
from podmodel.model._pmap import PMap
from podmodel.model._typed import build, lookup
from podmodel.model.spec import Pod

if TYPE_CHECKING:
    from podmodel.kernel._tree import FileTree
    from podmodel.kubelet.state import PodState
    from podmodel.model._generated._meta import OwnerReference
    from podmodel.model.workloads import PodTemplateSpec, Workload

#: The node (typed loosely: this module may not import the node, which imports it).
Node = Any

__all__ = ["WorkloadState"]

#: ``kubectl``'s resource names and short names → the kind.
KIND_ALIASES = {
    **dict.fromkeys(("deployment", "deployments", "deploy"), "Deployment"),
    **dict.fromkeys(("replicaset", "replicasets", "rs"), "ReplicaSet"),
    **dict.fromkeys(("replicationcontroller", "replicationcontrollers"), "ReplicationController"),
    "rc": "ReplicationController",
    **dict.fromkeys(("statefulset", "statefulsets", "sts"), "StatefulSet"),
    **dict.fromkeys(("daemonset", "daemonsets", "ds"), "DaemonSet"),
    **dict.fromkeys(("job", "jobs"), "Job"),
    **dict.fromkeys(("cronjob", "cronjobs", "cj"), "CronJob"),
}
#: The resource of each kind, as the API server names it in its messages.
RESOURCES = {
    "Deployment": "deployments.apps",
    "ReplicaSet": "replicasets.apps",
    "ReplicationController": "replicationcontrollers",
    "StatefulSet": "statefulsets.apps",
    "DaemonSet": "daemonsets.apps",
    "Job": "jobs.batch",
    "CronJob": "cronjobs.batch",
}


@attrs.frozen(kw_only=True)
class WorkloadState:
    """One workload as its controller sees it (an immutable value, kept in ``Node.workloads``
    under ``Kind/namespace/name``).

    Attributes:
        obj: The object (a Deployment's ReplicaSet and a CronJob's Jobs are objects of their
            own, with ``owner`` set).
        created_at: The node's clock when it was created.
        pods: The keys of the pods it created and still owns, oldest first.
        made: How many pods it has created (numbers the names' random-looking suffixes).
        owner: The key of the workload that created it.
        children: The keys of the workloads it created (a Deployment's ReplicaSet, a
            CronJob's Jobs).
        events: The controller's events about it.
        volumes: A StatefulSet's persistent volumes by claim name: their files as of the
            last time the controllers ran.
        succeeded: A Job's succeeded pods (an Indexed Job's, its indexes in ``done``).
        failed: A Job's failed pods.
        counted: The pods whose end a Job has counted.
        condition: A Job's ``Complete`` or ``Failed``, and its ``reason``.
        retry_at: When a Job may create a pod again after a failure (its back-off).
        last_failure: The clock of a Job's last pod failure, and ``since_success`` how many
            failed since the last success.
        finished_at: When a Job finished.
        last_schedule: A CronJob's last scheduled time, and ``checked`` how far its schedule
            has been looked at.
    """

    obj: Workload
    created_at: float = 0.0
    pods: tuple[str, ...] = ()
    made: int = 0
    owner: str | None = None
    children: tuple[str, ...] = ()
    events: EventLog = attrs.field(factory=EventLog)
    volumes: PMap[str, FileTree] = attrs.field(factory=PMap)
    succeeded: int = 0
    failed: int = 0
    done: frozenset[int] = frozenset()
    counted: frozenset[str] = frozenset()
    condition: str | None = None
    reason: str | None = None
    retry_at: float | None = None
    since_success: int = 0
    finished_at: float | None = None
    last_schedule: float | None = None
    checked: float = 0.0

    @property
    def kind(self) -> str:
        """The object's kind."""
        return self.obj.kind or type(self.obj).__name__

    @property
    def name(self) -> str:
        """The object's name."""
        return self.obj.metadata.name or ""

    @property
    def namespace(self) -> str:
        """The object's namespace."""
        return self.obj.metadata.namespace or "default"

    @property
    def key(self) -> str:
        """``Kind/namespace/name``."""
        return f"{self.kind}/{self.namespace}/{self.name}"

    @property
    def uid(self) -> str:
        """A stable stand-in for the object's UID."""
        h = hashlib.sha256(self.key.encode()).hexdigest()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

    @property
    def seed(self) -> int:
        """The seed of its pods' name suffixes."""
        return int(hashlib.sha256(self.key.encode()).hexdigest()[:8], 16)

    def owner_reference(self) -> OwnerReference:
        """The ``ownerReferences`` entry its children carry."""
        cls: type[OwnerReference] = lookup("OwnerReference")
        return build(
            cls,
            {
                "apiVersion": self.obj.api_version or "",
                "kind": self.kind,
                "name": self.name,
                "uid": self.uid,
                "controller": True,
                "blockOwnerDeletion": True,
            },
        )

    def event(self, now: float, kind: str, reason: str, source: str, message: str) -> WorkloadState:
        """This state with one more event."""
        return replace(
            self,
            events=self.events.add(
                Event(time=now, type=kind, reason=reason, source=source, message=message)
            ),
        )


def source(kind: str) -> str:
    """The controller that reports on *kind* (an event's ``From``)."""
    return {
        "Deployment": "deployment-controller",
        "ReplicaSet": "replicaset-controller",
        "ReplicationController": "replication-controller",
        "StatefulSet": "statefulset-controller",
        "DaemonSet": "daemonset-controller",
        "Job": "job-controller",
        "CronJob": "cronjob-controller",
    }[kind]


def owned_by(owner: WorkloadState) -> tuple[OwnerReference, ...]:
    """The ``ownerReferences`` of a child of *owner*."""
    return (owner.owner_reference(),)


def put(node: Node, state: WorkloadState) -> Node:
    """*node* with *state* stored."""
    return replace(node, workloads=node.workloads.set(state.key, state))


def is_ready(st: PodState) -> bool:
    """Running, not terminating, every container counted for READY ready (the pod's
    ``Ready`` condition)."""
    if st.deleting is not None or st.phase != "Running" or st.blocked:
        return False
    counted = [c for c in st.containers if c.counts_for_ready]
    return bool(counted) and all(c.ready for c in counted)


def is_active(st: PodState) -> bool:
    """Neither finished nor terminating (what a controller counts as one of its replicas)."""
    return st.deleting is None and st.phase not in ("Succeeded", "Failed")


def create_pod(
    node: Node,
    state: WorkloadState,
    template: PodTemplateSpec,
    name: str,
    now: float,
    *,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    spec_changes: dict[str, Any] | None = None,
) -> tuple[Node, WorkloadState]:
    """Create pod *name* from *template* for *state*'s controller at clock *now*: its labels
    and annotations, ``ownerReferences``, the namespace. A pod the node refuses (the API
    server would reject it) is a ``FailedCreate`` event on the workload, as on a cluster."""
    meta = template.metadata
    new_labels = {**meta.labels, **(labels or {})}
    new_annotations = {**meta.annotations, **(annotations or {})}
    pod_meta = replace(
        meta,
        name=name,
        generate_name=None,
        namespace=state.namespace,
        labels=FrozenMap(new_labels),
        annotations=FrozenMap(new_annotations),
        owner_references=owned_by(state),
        extra=meta.extra.delete("ownerReferences"),
    )
    spec = replace(template.spec, **(spec_changes or {}))
    pod = Pod(metadata=pod_meta, spec=spec)
    clock = node.clock
    try:
        started = replace(node, clock=max(now, clock)).start(pod)
    except PodmodelError as exc:
        message = f"Error creating: {exc}"
        return node, state.event(now, "Warning", "FailedCreate", source(state.kind), message)
    key = f"{state.namespace}/{name}"
    state = replace(state, pods=(*state.pods, key), made=state.made + 1)
    state = state.event(
        now, "Normal", "SuccessfulCreate", source(state.kind), f"Created pod: {name}"
    )
    return started, state


def delete_pod(node: Node, key: str, *, grace: float | None = None) -> Node:
    """Delete pod *key* (gracefully unless *grace* says otherwise); gone already is fine."""
    namespace, name = key.split("/", 1)
    try:
        return node.delete(name, namespace, grace_period=grace)
    except PodNotFound:
        return node
