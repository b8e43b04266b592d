# ruff: noqa: RUF009  (attrs.field() helpers are how attrs declares fields, as in spec.py)
"""The typed, immutable workloads: the objects whose ``spec.template`` is a pod.

apps/v1 :class:`Deployment`, :class:`StatefulSet`, :class:`DaemonSet` and :class:`ReplicaSet`;
batch/v1 :class:`Job` and :class:`CronJob`; v1 :class:`ReplicationController` and
:class:`PodTemplate`; and :class:`List`, a v1 ``List`` of any of them (or of pods).

They follow :mod:`podmodel.model.spec`: frozen, slotted, keyword-only ``attrs`` classes, tuples
and :class:`~podmodel.FrozenMap`, snake_case attributes with their manifest name in
``metadata["wire"]``, ``None`` for "not written", and an ``extra`` mapping keeping verbatim what
is not typed (``status``, fields of newer versions), so that decoding and encoding lose nothing.
Nested parts with no rule of their own (``rollingUpdate``, ``podFailurePolicy``,
``volumeClaimTemplates``, ...) are frozen JSON.

>>> d = Deployment(
...     metadata=ObjectMeta(name="web"),
...     spec=DeploymentSpec(
...         replicas=2,
...         selector=LabelSelector(match_labels={"app": "web"}),
...         template=PodTemplateSpec(metadata=ObjectMeta(labels={"app": "web"})),
...     ),
... )
>>> d.spec.selector.match_labels["app"], d.kind, d.api_version
('web', 'Deployment', 'apps/v1')
>>> [t.path for t in templates_of(d)]
['spec.template']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from podmodel.model._frozen import FrozenMap, JSONValue
from podmodel.model.spec import (
    ObjectMeta,
    Pod,
    PodSpec,
    _extra_field,
    _json,
    _strmap,
    _tuple,
    _wire,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "WORKLOAD_KINDS",
    "CronJob",
    "CronJobSpec",
    "DaemonSet",
    "DaemonSetSpec",
    "Deployment",
    "DeploymentSpec",
    "Job",
    "JobSpec",
    "JobTemplateSpec",
    "KubeObject",
    "LabelSelector",
    "List",
    "PodTemplate",
    "PodTemplateSpec",
    "ReplicaSet",
    "ReplicaSetSpec",
    "ReplicationController",
    "ReplicationControllerSpec",
    "StatefulSet",
    "StatefulSetSpec",
    "TemplateSite",
    "Workload",
    "templates_of",
]


@attrs.frozen(kw_only=True)
class LabelSelector:
    """A ``metav1.LabelSelector`` (a workload's ``spec.selector``).

    ``match_expressions`` holds each requirement (``key``, ``operator``, ``values``) as
    frozen JSON.

    .. versionadded:: 0.3.0
    """

    match_labels: FrozenMap[str, str] = _wire("matchLabels", factory=FrozenMap, converter=_strmap)
    match_expressions: tuple[FrozenMap[str, JSONValue], ...] = _wire(
        "matchExpressions", default=(), converter=_json
    )
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class PodTemplateSpec:
    """A pod template: the ``metadata`` and ``spec`` of the pods a controller creates.

    .. versionadded:: 0.3.0
    """

    metadata: ObjectMeta = _wire("metadata", factory=ObjectMeta)
    spec: PodSpec = _wire("spec", factory=PodSpec)
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class DeploymentSpec:
    """An apps/v1 Deployment's ``spec``; ``strategy`` is frozen JSON (``type``,
    ``rollingUpdate``).

    .. versionadded:: 0.3.0
    """

    replicas: int | None = _wire("replicas")
    selector: LabelSelector | None = _wire("selector")
    template: PodTemplateSpec = _wire("template", factory=PodTemplateSpec)
    strategy: FrozenMap[str, JSONValue] | None = _wire("strategy", converter=_json)
    min_ready_seconds: int | None = _wire("minReadySeconds")
    revision_history_limit: int | None = _wire("revisionHistoryLimit")
    paused: bool | None = _wire("paused")
    progress_deadline_seconds: int | None = _wire("progressDeadlineSeconds")
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class StatefulSetSpec:
    """An apps/v1 StatefulSet's ``spec``; ``volume_claim_templates`` holds each
    PersistentVolumeClaim as frozen JSON (its ``metadata`` as an :class:`ObjectMeta`).

    .. versionadded:: 0.3.0
    """

    replicas: int | None = _wire("replicas")
    selector: LabelSelector | None = _wire("selector")
    template: PodTemplateSpec = _wire("template", factory=PodTemplateSpec)
    volume_claim_templates: tuple[FrozenMap[str, Any], ...] = _wire(
        "volumeClaimTemplates", default=(), converter=_tuple
    )
    service_name: str | None = _wire("serviceName")
    pod_management_policy: str | None = _wire("podManagementPolicy")
    update_strategy: FrozenMap[str, JSONValue] | None = _wire("updateStrategy", converter=_json)
    revision_history_limit: int | None = _wire("revisionHistoryLimit")
    min_ready_seconds: int | None = _wire("minReadySeconds")
    persistent_volume_claim_retention_policy: FrozenMap[str, JSONValue] | None = _wire(
        "persistentVolumeClaimRetentionPolicy", converter=_json
    )
    ordinals: FrozenMap[str, JSONValue] | None = _wire("ordinals", converter=_json)
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class DaemonSetSpec:
    """An apps/v1 DaemonSet's ``spec``.

    .. versionadded:: 0.3.0
    """

    selector: LabelSelector | None = _wire("selector")
    template: PodTemplateSpec = _wire("template", factory=PodTemplateSpec)
    update_strategy: FrozenMap[str, JSONValue] | None = _wire("updateStrategy", converter=_json)
    min_ready_seconds: int | None = _wire("minReadySeconds")
    revision_history_limit: int | None = _wire("revisionHistoryLimit")
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class ReplicaSetSpec:
    """An apps/v1 ReplicaSet's ``spec``.

    .. versionadded:: 0.3.0
    """

    replicas: int | None = _wire("replicas")
    min_ready_seconds: int | None = _wire("minReadySeconds")
    selector: LabelSelector | None = _wire("selector")
    template: PodTemplateSpec = _wire("template", factory=PodTemplateSpec)
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class JobSpec:
    """A batch/v1 Job's ``spec`` (also a CronJob's ``jobTemplate.spec``); the pod failure and
    success policies are frozen JSON.

    .. versionadded:: 0.3.0
    """

    parallelism: int | None = _wire("parallelism")
    completions: int | None = _wire("completions")
    active_deadline_seconds: int | None = _wire("activeDeadlineSeconds")
    pod_failure_policy: FrozenMap[str, JSONValue] | None = _wire(
        "podFailurePolicy", converter=_json
    )
    success_policy: FrozenMap[str, JSONValue] | None = _wire("successPolicy", converter=_json)
    backoff_limit: int | None = _wire("backoffLimit")
    backoff_limit_per_index: int | None = _wire("backoffLimitPerIndex")
    max_failed_indexes: int | None = _wire("maxFailedIndexes")
    selector: LabelSelector | None = _wire("selector")
    manual_selector: bool | None = _wire("manualSelector")
    template: PodTemplateSpec = _wire("template", factory=PodTemplateSpec)
    ttl_seconds_after_finished: int | None = _wire("ttlSecondsAfterFinished")
    completion_mode: str | None = _wire("completionMode")
    suspend: bool | None = _wire("suspend")
    pod_replacement_policy: str | None = _wire("podReplacementPolicy")
    managed_by: str | None = _wire("managedBy")
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class JobTemplateSpec:
    """A CronJob's ``jobTemplate``: the ``metadata`` and ``spec`` of the Jobs it creates.

    .. versionadded:: 0.3.0
    """

    metadata: ObjectMeta = _wire("metadata", factory=ObjectMeta)
    spec: JobSpec = _wire("spec", factory=JobSpec)
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class CronJobSpec:
    """A batch/v1 CronJob's ``spec``.

    .. versionadded:: 0.3.0
    """

    schedule: str | None = _wire("schedule")
    time_zone: str | None = _wire("timeZone")
    starting_deadline_seconds: int | None = _wire("startingDeadlineSeconds")
    concurrency_policy: str | None = _wire("concurrencyPolicy")
    suspend: bool | None = _wire("suspend")
    job_template: JobTemplateSpec = _wire("jobTemplate", factory=JobTemplateSpec)
    successful_jobs_history_limit: int | None = _wire("successfulJobsHistoryLimit")
    failed_jobs_history_limit: int | None = _wire("failedJobsHistoryLimit")
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class ReplicationControllerSpec:
    """A v1 ReplicationController's ``spec``: its ``selector`` is a plain label map.

    .. versionadded:: 0.3.0
    """

    replicas: int | None = _wire("replicas")
    min_ready_seconds: int | None = _wire("minReadySeconds")
    selector: FrozenMap[str, str] = _wire("selector", factory=FrozenMap, converter=_strmap)
    template: PodTemplateSpec | None = _wire("template")
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class Deployment:
    """An apps/v1 Deployment.

    .. versionadded:: 0.3.0
    """

    api_version: str | None = _wire("apiVersion", default="apps/v1")
    kind: str | None = _wire("kind", default="Deployment")
    metadata: ObjectMeta = _wire("metadata", factory=ObjectMeta)
    spec: DeploymentSpec = _wire("spec", factory=DeploymentSpec)
    status: FrozenMap[str, JSONValue] | None = _wire("status", converter=_json)
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class StatefulSet:
    """An apps/v1 StatefulSet.

    .. versionadded:: 0.3.0
    """

    api_version: str | None = _wire("apiVersion", default="apps/v1")
    kind: str | None = _wire("kind", default="StatefulSet")
    metadata: ObjectMeta = _wire("metadata", factory=ObjectMeta)
    spec: StatefulSetSpec = _wire("spec", factory=StatefulSetSpec)
    status: FrozenMap[str, JSONValue] | None = _wire("status", converter=_json)
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class DaemonSet:
    """An apps/v1 DaemonSet.

    .. versionadded:: 0.3.0
    """

    api_version: str | None = _wire("apiVersion", default="apps/v1")
    kind: str | None = _wire("kind", default="DaemonSet")
    metadata: ObjectMeta = _wire("metadata", factory=ObjectMeta)
    spec: DaemonSetSpec = _wire("spec", factory=DaemonSetSpec)
    status: FrozenMap[str, JSONValue] | None = _wire("status", converter=_json)
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class ReplicaSet:
    """An apps/v1 ReplicaSet.

    .. versionadded:: 0.3.0
    """

    api_version: str | None = _wire("apiVersion", default="apps/v1")
    kind: str | None = _wire("kind", default="ReplicaSet")
    metadata: ObjectMeta = _wire("metadata", factory=ObjectMeta)
    spec: ReplicaSetSpec = _wire("spec", factory=ReplicaSetSpec)
    status: FrozenMap[str, JSONValue] | None = _wire("status", converter=_json)
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class Job:
    """A batch/v1 Job.

    .. versionadded:: 0.3.0
    """

    api_version: str | None = _wire("apiVersion", default="batch/v1")
    kind: str | None = _wire("kind", default="Job")
    metadata: ObjectMeta = _wire("metadata", factory=ObjectMeta)
    spec: JobSpec = _wire("spec", factory=JobSpec)
    status: FrozenMap[str, JSONValue] | None = _wire("status", converter=_json)
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class CronJob:
    """A batch/v1 CronJob.

    .. versionadded:: 0.3.0
    """

    api_version: str | None = _wire("apiVersion", default="batch/v1")
    kind: str | None = _wire("kind", default="CronJob")
    metadata: ObjectMeta = _wire("metadata", factory=ObjectMeta)
    spec: CronJobSpec = _wire("spec", factory=CronJobSpec)
    status: FrozenMap[str, JSONValue] | None = _wire("status", converter=_json)
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class ReplicationController:
    """A v1 ReplicationController.

    .. versionadded:: 0.3.0
    """

    api_version: str | None = _wire("apiVersion", default="v1")
    kind: str | None = _wire("kind", default="ReplicationController")
    metadata: ObjectMeta = _wire("metadata", factory=ObjectMeta)
    spec: ReplicationControllerSpec = _wire("spec", factory=ReplicationControllerSpec)
    status: FrozenMap[str, JSONValue] | None = _wire("status", converter=_json)
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class PodTemplate:
    """A v1 PodTemplate: a named pod template stored on its own.

    .. versionadded:: 0.3.0
    """

    api_version: str | None = _wire("apiVersion", default="v1")
    kind: str | None = _wire("kind", default="PodTemplate")
    metadata: ObjectMeta = _wire("metadata", factory=ObjectMeta)
    template: PodTemplateSpec = _wire("template", factory=PodTemplateSpec)
    extra: FrozenMap[str, JSONValue] = _extra_field()


#: Every typed object with a pod template.
Workload: TypeAlias = (
    Deployment
    | StatefulSet
    | DaemonSet
    | ReplicaSet
    | Job
    | CronJob
    | ReplicationController
    | PodTemplate
)


@attrs.frozen(kw_only=True)
class List:
    """A v1 ``List``: ``items`` holds each object, decoded by its own kind.

    ``metadata`` (a ``ListMeta``) is kept as frozen JSON.

    .. versionadded:: 0.3.0
    """

    api_version: str | None = _wire("apiVersion", default="v1")
    kind: str | None = _wire("kind", default="List")
    metadata: FrozenMap[str, JSONValue] | None = _wire("metadata", converter=_json)
    items: tuple[Pod | Workload, ...] = _wire("items", default=(), converter=_tuple)
    extra: FrozenMap[str, JSONValue] = _extra_field()


#: Every object the codec decodes.
KubeObject: TypeAlias = Pod | Workload | List

#: ``(apiVersion, kind)`` → the class modelling it (``v1 Pod`` and ``v1 List`` included).
WORKLOAD_KINDS: dict[tuple[str, str], type] = {
    ("apps/v1", "Deployment"): Deployment,
    ("apps/v1", "StatefulSet"): StatefulSet,
    ("apps/v1", "DaemonSet"): DaemonSet,
    ("apps/v1", "ReplicaSet"): ReplicaSet,
    ("batch/v1", "Job"): Job,
    ("batch/v1", "CronJob"): CronJob,
    ("v1", "ReplicationController"): ReplicationController,
    ("v1", "PodTemplate"): PodTemplate,
}


@attrs.frozen(kw_only=True)
class TemplateSite:
    """One pod template of an object, and where it is in it.

    Attributes:
        path: The template's field path in the object (``"spec.template"``, ``"template"``,
            ``"spec.jobTemplate.spec.template"``).
        segments: The same path as a tuple of field names.
        template: The template.
    """

    path: str
    segments: tuple[str, ...]
    template: PodTemplateSpec


def templates_of(obj: object) -> Iterator[TemplateSite]:
    """The pod templates of *obj* (none for a :class:`Pod` or an object without one); a
    :class:`List`'s items are not searched (each is an object of its own)."""
    segments: tuple[str, ...]
    template: PodTemplateSpec | None
    if isinstance(obj, CronJob):
        segments = ("spec", "jobTemplate", "spec", "template")
        template = obj.spec.job_template.spec.template
    elif isinstance(obj, PodTemplate):
        segments, template = ("template",), obj.template
    elif isinstance(
        obj, (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, ReplicationController)
    ):
        segments, template = ("spec", "template"), obj.spec.template
    else:
        return
    if template is not None:
        yield TemplateSite(path=".".join(segments), segments=segments, template=template)
