"""What the workload controllers would create: pure functions from a workload to the names and
pods of its replicas (no cluster, no clock, no randomness).

* a Deployment makes a ReplicaSet ``<name>-<pod-template-hash>``, whose pods are
  ``<name>-<pod-template-hash>-<5 characters>``; a ReplicaSet's and a ReplicationController's
  are ``<name>-<5 characters>``, as are a DaemonSet's (one per node) and a non-indexed Job's;
* a StatefulSet's pods are ``<name>-<ordinal>``, ordinals from ``spec.ordinals.start``;
* an Indexed Job's pods are ``<name>-<index>-<5 characters>``, with the
  ``batch.kubernetes.io/job-completion-index`` annotation and label.

The 5 characters are random on a cluster (``utilrand.String(5)``, from the same 27-letter
alphabet); here they come from *seed* and the pod's position, so the same call gives the same
names. The ``pod-template-hash`` has the real one's form (a 32-bit FNV-1a hash, encoded with
``rand.SafeEncodeString``) but is computed over the template's manifest, not over the Go struct's
``spew`` dump, so its value differs from a cluster's.

>>> from podmodel.codec import loads_object
>>> ss = loads_object('''
... apiVersion: apps/v1
... kind: StatefulSet
... metadata: {name: db}
... spec:
...   replicas: 3
...   selector: {matchLabels: {app: db}}
...   template:
...     metadata: {labels: {app: db}}
...     spec: {containers: [{name: db, image: postgres}]}
... ''')
>>> pod_names(ss)
('db-0', 'db-1', 'db-2')
>>> [p.spec.hostname for p in pods_of(ss)]
['db-0', 'db-1', 'db-2']
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

import attrs

from podmodel.codec import object_to_dict
from podmodel.model._frozen import FrozenMap
from podmodel.model.spec import Pod
from podmodel.model.workloads import (
    DaemonSet,
    Deployment,
    Job,
    ReplicaSet,
    ReplicationController,
    StatefulSet,
    Workload,
    templates_of,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from podmodel.model.workloads import PodTemplateSpec

__all__ = [
    "ALPHANUMS",
    "name_suffix",
    "pod_names",
    "pod_template_hash",
    "pods_of",
    "replica_set_name",
]

#: The alphabet of generated name parts (``k8s.io/apimachinery/pkg/util/rand``): no vowels,
#: no look-alikes.
ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
_INDEX = "batch.kubernetes.io/job-completion-index"


def _fnv32a(data: bytes) -> int:
    h = 0x811C9DC5
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def _safe_encode(text: str) -> str:
    """``rand.SafeEncodeString``: each byte mapped into :data:`ALPHANUMS`."""
    return "".join(ALPHANUMS[b % len(ALPHANUMS)] for b in text.encode())


def pod_template_hash(template: PodTemplateSpec, collision_count: int | None = None) -> str:
    """A Deployment's ``pod-template-hash`` for *template* (see the module note on its value).

    >>> from podmodel.model.workloads import PodTemplateSpec
    >>> h = pod_template_hash(PodTemplateSpec())
    >>> len(h) <= 10 and set(h) <= set(ALPHANUMS)
    True
    """
    manifest = json.dumps(object_to_dict(template), sort_keys=True)  # type: ignore[arg-type]
    data = manifest.encode()
    if collision_count is not None:
        data += collision_count.to_bytes(4, "little", signed=False)
    return _safe_encode(str(_fnv32a(data)))


def name_suffix(seed: int, position: int) -> str:
    """The 5 characters a controller appends to a pod's name (a pure stand-in for the random
    ones: the same *seed* and *position* give the same suffix)."""
    digest = hashlib.sha256(f"{seed}/{position}".encode()).digest()
    return "".join(ALPHANUMS[b % len(ALPHANUMS)] for b in digest[:5])


def replica_set_name(deployment: Deployment) -> str:
    """The name of the ReplicaSet a Deployment creates: ``<name>-<pod-template-hash>``."""
    collisions = (deployment.status or FrozenMap()).get("collisionCount")
    count = collisions if isinstance(collisions, int) else None
    return f"{deployment.metadata.name or ''}-{pod_template_hash(deployment.spec.template, count)}"


def pod_names(
    obj: Workload, *, seed: int = 0, nodes: Sequence[str] = ("node-1",)
) -> tuple[str, ...]:
    """The names of the pods *obj*'s controller creates first (``replicas`` of them; a Job's
    ``parallelism``, at most its ``completions``; a DaemonSet's one per node of *nodes*; none
    for a CronJob or a PodTemplate, which create no pods themselves)."""
    return tuple(name for name, _index in _slots(obj, seed, nodes))


def _replicas(value: int | None) -> int:
    return 1 if value is None else max(value, 0)


def _slots(obj: Workload, seed: int, nodes: Sequence[str]) -> list[tuple[str, int | None]]:
    name = obj.metadata.name or ""
    if isinstance(obj, Deployment):
        base = replica_set_name(obj)
        n = _replicas(obj.spec.replicas)
        return [(f"{base}-{name_suffix(seed, i)}", None) for i in range(n)]
    if isinstance(obj, StatefulSet):
        start = (obj.spec.ordinals or FrozenMap()).get("start")
        first = start if isinstance(start, int) else 0
        n = _replicas(obj.spec.replicas)
        return [(f"{name}-{first + i}", None) for i in range(n)]
    if isinstance(obj, (ReplicaSet, ReplicationController)):
        n = _replicas(obj.spec.replicas)
        return [(f"{name}-{name_suffix(seed, i)}", None) for i in range(n)]
    if isinstance(obj, DaemonSet):
        return [(f"{name}-{name_suffix(seed, i)}", None) for i in range(len(nodes))]
    if isinstance(obj, Job):
        spec = obj.spec
        completions, parallelism = spec.completions, spec.parallelism
        if completions is None and parallelism is None:
            completions = parallelism = 1
        n = _replicas(parallelism)
        if completions is not None:
            n = min(n, max(completions, 0))
        if spec.suspend:
            n = 0
        if spec.completion_mode == "Indexed":
            return [(f"{name}-{i}-{name_suffix(seed, i)}", i) for i in range(n)]
        return [(f"{name}-{name_suffix(seed, i)}", None) for i in range(n)]
    return []


def pods_of(obj: Workload, *, seed: int = 0, nodes: Sequence[str] = ("node-1",)) -> tuple[Pod, ...]:
    """The pods *obj*'s controller creates first: each its template's metadata and spec, with
    the name of :func:`pod_names` (a StatefulSet's pods also get ``hostname`` and the
    ``statefulset.kubernetes.io/pod-name`` label; a Deployment's the ``pod-template-hash``
    label; an Indexed Job's the completion index; a DaemonSet's pod is bound to its node)."""
    sites = list(templates_of(obj))
    if not sites:
        return ()
    template = sites[0].template
    out = []
    for position, (name, index) in enumerate(_slots(obj, seed, nodes)):
        labels = dict(template.metadata.labels)
        annotations = dict(template.metadata.annotations)
        spec = template.spec
        if isinstance(obj, Deployment):
            labels["pod-template-hash"] = replica_set_name(obj).rsplit("-", 1)[-1]
        elif isinstance(obj, StatefulSet):
            labels["statefulset.kubernetes.io/pod-name"] = name
            spec = attrs.evolve(spec, hostname=name, subdomain=obj.spec.service_name or None)
        elif isinstance(obj, DaemonSet):
            spec = attrs.evolve(spec, node_name=nodes[position])
        elif isinstance(obj, Job):
            labels.setdefault("job-name", obj.metadata.name or "")
            labels.setdefault("batch.kubernetes.io/job-name", obj.metadata.name or "")
            if index is not None:
                labels[_INDEX] = str(index)
                annotations[_INDEX] = str(index)
        meta = attrs.evolve(
            template.metadata,
            name=name,
            namespace=obj.metadata.namespace,
            labels=FrozenMap(labels),
            annotations=FrozenMap(annotations),
        )
        out.append(Pod(metadata=meta, spec=spec))
    return tuple(out)
