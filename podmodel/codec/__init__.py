"""YAML text / plain dicts ⇄ the typed model: strict, lossless, and every problem at once.

Text is read exactly as ``kubectl`` reads it (go-yaml v2 behind ``sigs.k8s.io/yaml``: ``8e3`` is
8000, ``yes`` is true, a duplicate key keeps its last value, with a warning naming both lines).
Decoding is strict the way ``kubectl apply --validate=strict`` is, only more talkative: unknown
fields (with a "did you mean"), wrong JSON types (saying what was expected and what was found,
YAML 1.1 traps included) and documents that are not a v1 Pod are all reported, each with its
field path and, for YAML input, its line and column. Decoding never applies defaults and never
drops anything: ``to_dict(from_dict(d)) == d``.

>>> pod = loads('''
... apiVersion: v1
... kind: Pod
... metadata: {name: mypod}
... spec:
...   containers:
...   - {name: web, image: nginx, ports: [{containerPort: 80}]}
... ''')
>>> pod.spec.containers[0].ports[0].container_port
80
>>> to_dict(pod)["spec"]["containers"][0]["ports"]
[{'containerPort': 80}]

Workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController,
PodTemplate) and ``List`` documents decode through :func:`load_objects`, :func:`loads_object`
and :func:`object_from_dict`, which return the class of each document's kind;
:func:`pod_templates` lists every pod template of a stream with where it came from.

What this package may import: :mod:`podmodel.errors` and :mod:`podmodel.model`.
"""

from __future__ import annotations

from podmodel.codec._api import (
    FIELD_VALIDATION_MODES,
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENT_NODES,
    MAX_DOCUMENTS,
    MAX_INPUT_BYTES,
    dump,
    dumps,
    from_dict,
    load,
    load_all,
    loads,
    to_dict,
)
from podmodel.codec._objects import (
    TemplateSource,
    dumps_object,
    iter_objects,
    load_objects,
    loads_object,
    object_from_dict,
    object_to_dict,
    pod_templates,
)

__all__ = [
    "FIELD_VALIDATION_MODES",
    "MAX_DEPTH",
    "MAX_DOCUMENTS",
    "MAX_DOCUMENT_BYTES",
    "MAX_DOCUMENT_NODES",
    "MAX_INPUT_BYTES",
    "TemplateSource",
    "dump",
    "dumps",
    "dumps_object",
    "from_dict",
    "iter_objects",
    "load",
    "load_all",
    "load_objects",
    "loads",
    "loads_object",
    "object_from_dict",
    "object_to_dict",
    "pod_templates",
    "to_dict",
]
