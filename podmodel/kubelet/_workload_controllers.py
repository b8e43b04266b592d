"""The controller-manager on a simulated node: what the ReplicaSet, ReplicationController,
Deployment, StatefulSet and DaemonSet controllers do with a workload started on a
:class:`~podmodel.kubelet.node.Node` (the Job and CronJob controllers are in
:mod:`podmodel.kubelet._jobs`).

``Node.start(workload)`` validates the object as the API server does
(:func:`podmodel.apiserver.workloads.check_workload`), stores it, and lets its controller act;
``Node.advance`` lets every controller act again after each change of a pod and at each of the
controllers' own timers (a Job's back-off, a CronJob's schedule), in time order:

* a **Deployment** creates its ReplicaSet ``<name>-<pod-template-hash>``, whose template has
  the ``pod-template-hash`` label; a **ReplicaSet** or **ReplicationController** keeps
  ``replicas`` pods ``<name>-<5 characters>`` that are neither finished nor terminating: a
  deleted pod is replaced as soon as it is terminating;
* a **StatefulSet** creates ``<name>-<ordinal>``, one at a time (``OrderedReady``: the next
  once the previous is Running and Ready) or all at once (``Parallel``), with ``hostname`` and
  ``subdomain`` (``serviceName``) set and a ``persistentVolumeClaim`` volume
  ``<claim>-<name>-<ordinal>`` per ``volumeClaimTemplates`` entry; the volume's files outlive
  the pod, and a re-created pod (once the deleted one is gone) finds them again;
* a **DaemonSet** creates one pod bound to the node.

The pods are ordinary pods of the node (``node.pod(name)``), with ``ownerReferences`` naming
their controller; two replicas asking for the same ``hostPort`` cannot both be on one node, so
the second stays ``Pending`` with the scheduler's ``FailedScheduling`` message. What the
controllers know is read through ``node.workload(kind, name)``
(:class:`~podmodel.kubelet._workload_view.WorkloadView`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar, cast

from podmodel.apiserver.workloads import check_workload
from podmodel.kubelet import _jobs
from podmodel.kubelet._workload_state import (
    RESOURCES,
    WorkloadState,
    create_pod,
    is_active,
    is_ready,
    owned_by,
    put,
    source,
)
from podmodel.kubelet.controllers import name_suffix, pod_template_hash, replica_set_name
from podmodel.kubelet.state import NodeError, PodExists
from podmodel.model._frozen import FrozenMap, replace
from podmodel.model.spec import ObjectMeta, OtherVolumeSource, Pod, Volume
from podmodel.model.workloads import (
    CronJob,
    DaemonSet,
    Deployment,
    Job,
    KubeObject,
    LabelSelector,
    List,
    PodTemplate,
    ReplicaSet,
    ReplicaSetSpec,
    ReplicationController,
    StatefulSet,
)

if TYPE_CHECKING:
    from podmodel.model.workloads import PodTemplateSpec, Workload

#: The node (typed loosely: this module may not import the node, which imports it).
Node = Any
_N = TypeVar("_N")

__all__ = ["KubeObject", "WorkloadState", "is_pod", "next_timer", "reconcile", "run", "start"]

#: The order the controllers act in at one instant: a Job's pods are counted before its
#: CronJob looks at it, a Deployment creates its ReplicaSet before that creates pods.
_ORDER = {
    "Deployment": 0,
    "Job": 1,
    "CronJob": 2,
    "ReplicaSet": 3,
    "ReplicationController": 3,
    "StatefulSet": 4,
    "DaemonSet": 5,
}
_HASH = "pod-template-hash"
#: The node's own limits per ``advance`` (MAX_STEPS, MAX_SCRIPT_WAKES), for this loop.
MAX_STEPS = 5_000
MAX_SCRIPT_WAKES = 100_000


def is_pod(obj: object) -> TypeGuard[Pod]:
    """Whether *obj* is a :class:`~podmodel.model.spec.Pod` (the kubelet's own path)."""
    return isinstance(obj, Pod)


def start(node: _N, obj: KubeObject) -> _N:
    """Validate workload *obj* (or each item of a ``List``), store it, and let its controller
    create its first pods at the node's clock.

    Raises:
        InvalidWorkload: The API server would reject the object.
        PodExists: A workload of that kind and name is already on the node.
        NodeError: *obj* is not a kind the node runs.
    """
    return cast("_N", _start(node, obj))


def _start(node: Node, obj: KubeObject) -> Node:
    if isinstance(obj, List):
        for item in obj.items:
            node = node.start(item)
        return node
    if isinstance(obj, PodTemplate):
        check_workload(obj)
        return node  # a PodTemplate has no controller: nothing runs
    if not isinstance(
        obj, (Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob)
    ):
        raise NodeError(f"a node cannot run a {type(obj).__name__}")
    namespace = obj.metadata.namespace or "default"
    check_workload(obj, namespace=namespace)
    name = obj.metadata.name or (  # the API server completes a generateName
        f"{obj.metadata.generate_name}{name_suffix(len(node.workloads), node.started)}"
    )
    obj = replace(obj, metadata=replace(obj.metadata, namespace=namespace, name=name))
    state = WorkloadState(obj=obj, created_at=node.clock)
    if state.key in node.workloads:
        raise PodExists(f'{RESOURCES[state.kind]} "{state.name}" already exists')
    if isinstance(obj, Job):
        obj = _jobs.with_job_labels(obj, state.uid)
        state = replace(state, obj=obj)
    node = put(node, state)
    if isinstance(obj, Deployment):
        node = _deploy(node, state, node.clock)
    return reconcile(node, node.clock)


def _deploy(node: Node, dep: WorkloadState, now: float) -> Node:
    """Create a Deployment's ReplicaSet (its pods come from the ReplicaSet's controller)."""
    obj = dep.obj
    assert isinstance(obj, Deployment)
    rs_name = replica_set_name(obj)
    pod_hash = rs_name.rsplit("-", 1)[-1]
    template = obj.spec.template
    labels = FrozenMap({**template.metadata.labels, _HASH: pod_hash})
    template = replace(template, metadata=replace(template.metadata, labels=labels))
    selector = obj.spec.selector or LabelSelector()
    selector = replace(selector, match_labels=FrozenMap({**selector.match_labels, _HASH: pod_hash}))
    replicas = 1 if obj.spec.replicas is None else obj.spec.replicas
    rs = ReplicaSet(
        metadata=ObjectMeta(
            name=rs_name,
            namespace=dep.namespace,
            labels=labels,
            annotations=FrozenMap(
                {
                    "deployment.kubernetes.io/desired-replicas": str(replicas),
                    "deployment.kubernetes.io/revision": "1",
                }
            ),
            owner_references=owned_by(dep),
        ),
        spec=ReplicaSetSpec(
            replicas=replicas,
            min_ready_seconds=obj.spec.min_ready_seconds,
            selector=selector,
            template=template,
        ),
    )
    child = WorkloadState(obj=rs, created_at=now, owner=dep.key)
    dep = replace(dep, children=(child.key,))
    dep = dep.event(
        now,
        "Normal",
        "ScalingReplicaSet",
        source("Deployment"),
        f"Scaled up replica set {rs_name} from 0 to {replicas}",
    )
    return put(put(node, dep), child)


def reconcile(node: Node, now: float) -> Node:
    """Let every controller act once at clock *now*."""
    keys = sorted(node.workloads, key=lambda k: (_ORDER.get(k.split("/", 1)[0], 9), k))
    for key in keys:
        state = node.workloads.get(key)
        if state is None:
            continue  # a CronJob deleted it from its history
        kind = state.kind
        if kind == "Job":
            node = _jobs.reconcile_job(node, state, now)
        elif kind == "CronJob":
            node = _jobs.reconcile_cron(node, state, now)
        elif kind in ("ReplicaSet", "ReplicationController", "DaemonSet"):
            node = _replicas(node, state, now)
        elif kind == "StatefulSet":
            node = _stateful(node, state, now)
    return node


def _template(obj: Workload) -> PodTemplateSpec | None:
    if isinstance(obj, (ReplicaSet, DaemonSet, StatefulSet, Deployment, Job)):
        return obj.spec.template
    if isinstance(obj, ReplicationController):
        return obj.spec.template
    return None


def _live(node: Node, state: WorkloadState) -> WorkloadState:
    """*state* without the pods that have left the node."""
    pods = tuple(k for k in state.pods if k in node.pods)
    return state if pods == state.pods else replace(state, pods=pods)


def _replicas(node: Node, state: WorkloadState, now: float) -> Node:
    obj = state.obj
    template = _template(obj)
    state = _live(node, state)
    if isinstance(obj, DaemonSet):
        want = 1
    else:
        assert isinstance(obj, (ReplicaSet, ReplicationController))
        want = 1 if obj.spec.replicas is None else max(obj.spec.replicas, 0)
    active = sum(1 for k in state.pods if is_active(node.pods[k]))
    changes: dict[str, Any] = {"node_name": node.name} if isinstance(obj, DaemonSet) else {}
    while template is not None and active < want:
        name = f"{state.name}-{name_suffix(state.seed, state.made)}"
        if f"{state.namespace}/{name}" in node.pods:
            state = replace(state, made=state.made + 1)
            continue
        before = len(state.pods)
        node, state = create_pod(node, state, template, name, now, spec_changes=changes)
        if len(state.pods) == before:
            break  # the pod was refused: a FailedCreate event, tried again later
        active += 1
    return put(node, state)


def _claims(obj: StatefulSet) -> list[str]:
    names = []
    for claim in obj.spec.volume_claim_templates:
        meta = claim.get("metadata")
        name = getattr(meta, "name", None)
        if name is None and isinstance(meta, FrozenMap):
            name = meta.get("name")
        if isinstance(name, str):
            names.append(name)
    return names


def _stateful(node: Node, state: WorkloadState, now: float) -> Node:
    obj = state.obj
    assert isinstance(obj, StatefulSet)
    state = _live(node, state)
    claims = _claims(obj)
    state = _save_volumes(node, state, claims)
    first = (obj.spec.ordinals or FrozenMap()).get("start")
    first = first if isinstance(first, int) else 0
    replicas = 1 if obj.spec.replicas is None else max(obj.spec.replicas, 0)
    ordered = obj.spec.pod_management_policy != "Parallel"
    revision = f"{state.name}-{pod_template_hash(obj.spec.template)}"
    for ordinal in range(first, first + replicas):
        name = f"{state.name}-{ordinal}"
        key = f"{state.namespace}/{name}"
        current = node.pods.get(key)
        if current is None:
            node, state = _create_stateful(node, state, obj, name, ordinal, claims, revision, now)
            if ordered:
                break
        elif ordered and not is_ready(current):
            break
    return put(node, state)


def _save_volumes(node: Node, state: WorkloadState, claims: list[str]) -> WorkloadState:
    volumes = state.volumes
    for key in state.pods:
        sources = node.pods[key].sources
        for claim in claims:
            src = sources.get(claim)
            if src is not None:
                pvc = f"{claim}-{key.split('/', 1)[1]}"
                volumes = volumes.set(pvc, node.filesystem.tree(src.store))
    return state if volumes is state.volumes else replace(state, volumes=volumes)


def _create_stateful(
    node: Node,
    state: WorkloadState,
    obj: StatefulSet,
    name: str,
    ordinal: int,
    claims: list[str],
    revision: str,
    now: float,
) -> tuple[Node, WorkloadState]:
    spec = obj.spec.template.spec
    volumes = [v for v in spec.volumes if v.name not in claims]
    for claim in claims:
        source_ = OtherVolumeSource(
            kind="persistentVolumeClaim", fields={"claimName": f"{claim}-{name}"}
        )
        volumes.append(Volume(name=claim, sources=(source_,)))
    labels = {
        "statefulset.kubernetes.io/pod-name": name,
        "apps.kubernetes.io/pod-index": str(ordinal),
        "controller-revision-hash": revision,
    }
    changes = {
        "hostname": name,
        "subdomain": obj.spec.service_name or None,
        "volumes": tuple(volumes),
    }
    if claims:
        state = state.event(
            now,
            "Normal",
            "SuccessfulCreate",
            source("StatefulSet"),
            f"create Claim {claims[0]}-{name} Pod {name} in StatefulSet {state.name} success",
        )
    node, state = create_pod(
        node, state, obj.spec.template, name, now, labels=labels, spec_changes=changes
    )
    key = f"{state.namespace}/{name}"
    pod = node.pods.get(key)
    if pod is None:
        return node, state
    fs = node.filesystem
    for claim in claims:
        saved = state.volumes.get(f"{claim}-{name}")
        src = pod.sources.get(claim)
        if saved is not None and src is not None:
            fs = fs.add_store(src.store, saved)  # the bound volume, re-attached
    return replace(node, filesystem=fs), state


def next_timer(node: Node, target: float) -> float | None:
    """The earliest controller timer due by *target* (a Job's back-off or deadline, a
    CronJob's next schedule)."""
    best: float | None = None
    for state in node.workloads.values():
        t = _jobs.timer(state)
        if t is not None and node.clock <= t <= target and (best is None or t < best):
            best = t
    return best


def run(node: _N, target: float) -> _N:
    """Advance *node*'s pods to *target* with the controllers acting after each change of a
    pod and at each of their own timers, in time order (the pods' own transitions after the
    last one are left to :meth:`Node.advance`'s loop).

    Raises:
        NodeError: More than :data:`MAX_STEPS` steps or :data:`MAX_SCRIPT_WAKES` wake-ups
            (the node's own limits per ``advance``).
    """
    return cast("_N", _run(node, target))


def _run(node: Node, target: float) -> Node:
    if not node.workloads:
        return node

    node = reconcile(node, node.clock)
    steps = wakes = 0
    while True:
        due = node._next_due(target)
        timer = next_timer(node, target)
        if due is None and timer is None:
            return node
        script = due is not None and due[2] and (timer is None or due[0] <= timer)
        wakes, steps = wakes + script, steps + (not script)
        if steps > MAX_STEPS or wakes > MAX_SCRIPT_WAKES:
            raise NodeError(
                f"advancing to {target:g} s would simulate more than {MAX_STEPS} container "
                f"starts, exits and controller actions, or {MAX_SCRIPT_WAKES} wake-ups of "
                "containers' scripts; advance less at a time"
            )
        if due is not None and (timer is None or due[0] <= timer):
            when, key, _script = due
            node = replace(node, clock=max(node.clock, when))._progress(key, when)
        else:
            assert timer is not None
            when = timer
            node = replace(node, clock=max(node.clock, when))
        node = reconcile(node, when)
