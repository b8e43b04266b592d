"""Strategies for the workloads, valid by construction (private; public in
:mod:`podmodel.strategies`).

Every object drawn here passes :func:`podmodel.validate_workload` with no error: the template's
``spec`` comes from :func:`~podmodel.strategies.pod_specs` (with its keyword options), its labels
match the selector, its ``restartPolicy`` is one its kind allows, and the kind's own fields
(replicas, strategies, completions, schedules, time zones) are drawn from their valid ranges.
"""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import strategies as st

from podmodel.model._frozen import FrozenMap, freeze
from podmodel.model.spec import ObjectMeta
from podmodel.model.workloads import (
    CronJob,
    CronJobSpec,
    DaemonSet,
    DaemonSetSpec,
    Deployment,
    DeploymentSpec,
    Job,
    JobSpec,
    JobTemplateSpec,
    LabelSelector,
    PodTemplate,
    PodTemplateSpec,
    ReplicaSet,
    ReplicaSetSpec,
    ReplicationController,
    ReplicationControllerSpec,
    StatefulSet,
    StatefulSetSpec,
)
from podmodel.strategies._pods import (
    _LABEL_VALUES,
    _QUALIFIED,
    VOLUME_KINDS,
    _check,
    _label,
    object_metas,
    pod_specs,
)

__all__ = [
    "cronjobs",
    "daemonsets",
    "deployments",
    "jobs",
    "label_selectors",
    "pod_template_objects",
    "pod_template_specs",
    "replicasets",
    "replication_controllers",
    "statefulsets",
    "workload_strategy_for_type",
    "workloads",
]

# The labels the Job strategy generates: a template label of these keys would clash with them.
_GENERATED_KEYS = frozenset(
    {
        "controller-uid",
        "job-name",
        "batch.kubernetes.io/controller-uid",
        "batch.kubernetes.io/job-name",
    }
)
_APP_LABELS = st.dictionaries(
    _QUALIFIED.filter(lambda k: k not in _GENERATED_KEYS), _LABEL_VALUES, min_size=1, max_size=3
)
_SCHEDULES = st.one_of(
    st.sampled_from(
        [
            "*/5 * * * *",
            "0 * * * *",
            "30 2 * * 1-5",
            "0 0 1 * *",
            "15 10 * jan,jul mon",
            "@hourly",
            "@daily",
            "@weekly",
            "@every 90m",
        ]
    ),
    st.builds(
        lambda m, h, dom, mon, dow: f"{m} {h} {dom} {mon} {dow}",
        st.integers(0, 59),
        st.one_of(st.just("*"), st.integers(0, 23).map(str)),
        st.one_of(st.just("*"), st.integers(1, 28).map(str)),
        st.one_of(st.just("*"), st.integers(1, 12).map(str)),
        st.one_of(st.just("*"), st.integers(0, 6).map(str)),
    ),
)
_TIME_ZONES = (
    "Etc/UTC",
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
)
_INT_OR_PERCENT = st.one_of(st.integers(0, 5), st.sampled_from(["0%", "10%", "25%", "100%"]))


def _is_zero(value: int | str) -> bool:
    return value in (0, "0%")


def _nonneg(maximum: int) -> st.SearchStrategy[int | None]:
    return st.one_of(st.none(), st.integers(0, maximum))


def _replicas(replicas: st.SearchStrategy[int | None] | None) -> st.SearchStrategy[int | None]:
    return replicas if replicas is not None else _nonneg(5)


def label_selectors(labels: FrozenMap[str, str]) -> st.SearchStrategy[LabelSelector]:
    """A non-empty ``LabelSelector`` that selects *labels* (a subset of them as
    ``matchLabels``, sometimes an ``Exists`` requirement on one of their keys)."""
    _check(bool(labels), "labels must not be empty")
    keys = sorted(labels)

    @st.composite
    def draw(draw: st.DrawFn) -> LabelSelector:
        chosen = draw(st.lists(st.sampled_from(keys), min_size=1, unique=True))
        expressions: tuple[dict[str, Any], ...] = ()
        if draw(st.booleans()):
            key = draw(st.sampled_from(keys))
            expressions = (
                draw(
                    st.sampled_from(
                        [
                            {"key": key, "operator": "Exists"},
                            {"key": key, "operator": "In", "values": [labels[key]]},
                        ]
                    )
                ),
            )
        return LabelSelector(
            match_labels=FrozenMap({k: labels[k] for k in chosen}),
            match_expressions=freeze(expressions),
        )

    return draw()


def pod_template_specs(
    *, restart_policies: tuple[str | None, ...] = (None, "Always"), **pod_options: Any
) -> st.SearchStrategy[PodTemplateSpec]:
    """A valid pod template: labels (at least one), and a spec from
    :func:`~podmodel.strategies.pod_specs` (*pod_options*) with one of *restart_policies*."""
    _check(bool(restart_policies), "restart_policies must not be empty")
    return st.builds(
        lambda labels, spec, restart: PodTemplateSpec(
            metadata=ObjectMeta(labels=labels),
            spec=attrs.evolve(spec, restart_policy=restart),
        ),
        _APP_LABELS,
        # a template's own rules differ from a pod's: the plain areas, unless asked
        pod_specs(**{"areas": (), "volume_kinds": VOLUME_KINDS, **pod_options}),
        st.sampled_from(restart_policies),
    )


def deployments(
    *, replicas: st.SearchStrategy[int | None] | None = None, **pod_options: Any
) -> st.SearchStrategy[Deployment]:
    """A valid apps/v1 Deployment.

    Args:
        replicas: its ``spec.replicas`` (default: unset or 0 to 5).
        pod_options: the keyword options of :func:`~podmodel.strategies.pod_specs`.
    """

    @st.composite
    def draw(draw: st.DrawFn) -> Deployment:
        template = draw(pod_template_specs(**pod_options))
        unavailable, surge = draw(_INT_OR_PERCENT), draw(_INT_OR_PERCENT)
        if _is_zero(unavailable) and _is_zero(surge):
            surge = 1
        strategy = draw(
            st.sampled_from(
                [
                    None,
                    {"type": "Recreate"},
                    {"type": "RollingUpdate"},
                    {
                        "type": "RollingUpdate",
                        "rollingUpdate": {"maxUnavailable": unavailable, "maxSurge": surge},
                    },
                ]
            )
        )
        min_ready = draw(_nonneg(30))
        deadline = draw(st.none() | st.integers((min_ready or 0) + 1, 900))
        return Deployment(
            metadata=draw(object_metas()),
            spec=DeploymentSpec(
                replicas=draw(_replicas(replicas)),
                selector=draw(label_selectors(template.metadata.labels)),
                template=template,
                strategy=freeze(strategy),
                min_ready_seconds=min_ready,
                revision_history_limit=draw(_nonneg(10)),
                paused=draw(st.sampled_from([None, False, True])),
                progress_deadline_seconds=deadline,
            ),
        )

    return draw()


def replicasets(
    *, replicas: st.SearchStrategy[int | None] | None = None, **pod_options: Any
) -> st.SearchStrategy[ReplicaSet]:
    """A valid apps/v1 ReplicaSet (options as for :func:`deployments`)."""

    @st.composite
    def draw(draw: st.DrawFn) -> ReplicaSet:
        template = draw(pod_template_specs(**pod_options))
        return ReplicaSet(
            metadata=draw(object_metas()),
            spec=ReplicaSetSpec(
                replicas=draw(_replicas(replicas)),
                min_ready_seconds=draw(_nonneg(30)),
                selector=draw(label_selectors(template.metadata.labels)),
                template=template,
            ),
        )

    return draw()


def daemonsets(**pod_options: Any) -> st.SearchStrategy[DaemonSet]:
    """A valid apps/v1 DaemonSet (*pod_options* as for
    :func:`~podmodel.strategies.pod_specs`)."""

    @st.composite
    def draw(draw: st.DrawFn) -> DaemonSet:
        template = draw(pod_template_specs(**pod_options))
        unavailable = draw(_INT_OR_PERCENT.filter(lambda v: not _is_zero(v)))
        strategy = draw(
            st.sampled_from(
                [
                    None,
                    {"type": "OnDelete"},
                    {"type": "RollingUpdate"},
                    {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": unavailable}},
                    {
                        "type": "RollingUpdate",
                        "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1},
                    },
                ]
            )
        )
        return DaemonSet(
            metadata=draw(object_metas()),
            spec=DaemonSetSpec(
                selector=draw(label_selectors(template.metadata.labels)),
                template=template,
                update_strategy=freeze(strategy),
                min_ready_seconds=draw(_nonneg(30)),
                revision_history_limit=draw(_nonneg(10)),
            ),
        )

    return draw()


def statefulsets(
    *, replicas: st.SearchStrategy[int | None] | None = None, **pod_options: Any
) -> st.SearchStrategy[StatefulSet]:
    """A valid apps/v1 StatefulSet: a DNS-label name, a ``serviceName``, a pod management
    policy and an update strategy (options as for :func:`deployments`)."""

    @st.composite
    def draw(draw: st.DrawFn) -> StatefulSet:
        template = draw(pod_template_specs(**pod_options))
        partition = draw(st.integers(0, 3))
        strategy = draw(
            st.sampled_from(
                [
                    None,
                    {"type": "OnDelete"},
                    {"type": "RollingUpdate"},
                    {"type": "RollingUpdate", "rollingUpdate": {"partition": partition}},
                    {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "50%"}},
                ]
            )
        )
        retention = draw(
            st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {
                        "whenDeleted": st.sampled_from(["Retain", "Delete"]),
                        "whenScaled": st.sampled_from(["Retain", "Delete"]),
                    }
                ),
            )
        )
        return StatefulSet(
            metadata=draw(object_metas(name=_label())),
            spec=StatefulSetSpec(
                replicas=draw(_replicas(replicas)),
                selector=draw(label_selectors(template.metadata.labels)),
                template=template,
                service_name=draw(st.one_of(st.none(), _label())),
                pod_management_policy=draw(st.sampled_from([None, "OrderedReady", "Parallel"])),
                update_strategy=freeze(strategy),
                revision_history_limit=draw(_nonneg(10)),
                min_ready_seconds=draw(_nonneg(30)),
                persistent_volume_claim_retention_policy=freeze(retention),
                ordinals=freeze(draw(st.sampled_from([None, {"start": 0}, {"start": 5}]))),
            ),
        )

    return draw()


def _job_specs(
    *,
    completions: st.SearchStrategy[int | None] | None,
    parallelism: st.SearchStrategy[int | None] | None,
    max_completions: int,
    pod_options: dict[str, Any],
) -> st.SearchStrategy[JobSpec]:
    """A valid ``JobSpec`` with no selector (the server generates it)."""

    @st.composite
    def draw(draw: st.DrawFn) -> JobSpec:
        template = draw(pod_template_specs(restart_policies=("OnFailure", "Never"), **pod_options))
        indexed = draw(st.booleans())
        if completions is not None:
            n = draw(completions)
        else:
            n = draw(st.integers(0, max_completions) if indexed else _nonneg(max_completions))
        if indexed and n is None:
            n = 1
        per_index = failed = None
        if indexed and draw(st.booleans()):
            per_index = draw(st.integers(0, 3))
            failed = draw(st.none() | st.integers(0, n or 0))
        policy = None
        if template.spec.restart_policy == "Never" and draw(st.booleans()):
            name = template.spec.containers[0].name
            policy = {
                "rules": [
                    {
                        "action": draw(st.sampled_from(["FailJob", "Ignore", "Count"])),
                        "onExitCodes": {"containerName": name, "operator": "In", "values": [42]},
                    },
                    {
                        "action": "Ignore",
                        "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}],
                    },
                ]
            }
        success = None
        if indexed and n and draw(st.booleans()):
            success = {"rules": [{"succeededIndexes": "0", "succeededCount": 1}]}
        replacement = draw(
            st.sampled_from([None, "Failed"] if policy else [None, "Failed", "TerminatingOrFailed"])
        )
        return JobSpec(
            parallelism=draw(parallelism) if parallelism is not None else draw(_nonneg(5)),
            completions=n,
            active_deadline_seconds=draw(_nonneg(3600)),
            pod_failure_policy=freeze(policy),
            success_policy=freeze(success),
            backoff_limit=draw(_nonneg(6)),
            backoff_limit_per_index=per_index,
            max_failed_indexes=failed,
            template=template,
            ttl_seconds_after_finished=draw(_nonneg(600)),
            completion_mode=("Indexed" if indexed else draw(st.sampled_from([None, "NonIndexed"]))),
            suspend=draw(st.sampled_from([None, False, True])),
            pod_replacement_policy=replacement,
        )

    return draw()


def jobs(
    *,
    completions: st.SearchStrategy[int | None] | None = None,
    parallelism: st.SearchStrategy[int | None] | None = None,
    **pod_options: Any,
) -> st.SearchStrategy[Job]:
    """A valid batch/v1 Job: ``restartPolicy`` ``OnFailure`` or ``Never``, NonIndexed or
    Indexed (then sometimes with a backoff limit per index and a success policy), sometimes a
    pod failure policy; the selector is left to the server, as ``kubectl create`` does.

    Args:
        completions, parallelism: their strategies (default: unset or 0 to 5; an Indexed Job
            always has ``completions``).
        pod_options: the keyword options of :func:`~podmodel.strategies.pod_specs`.
    """
    # an Indexed Job's longest pod hostname (name-N) must be a DNS label: short names
    names = _label(max_len=40)
    return st.builds(
        lambda meta, spec: Job(metadata=meta, spec=spec),
        object_metas(name=names),
        _job_specs(
            completions=completions,
            parallelism=parallelism,
            max_completions=5,
            pod_options=pod_options,
        ),
    )


def cronjobs(**pod_options: Any) -> st.SearchStrategy[CronJob]:
    """A valid batch/v1 CronJob: a standard schedule (five fields or a descriptor), sometimes a
    time zone, a concurrency policy, history limits, and a Job template as :func:`jobs` draws
    it (*pod_options* as for :func:`~podmodel.strategies.pod_specs`)."""

    @st.composite
    def draw(draw: st.DrawFn) -> CronJob:
        job = draw(
            _job_specs(
                completions=None, parallelism=None, max_completions=5, pod_options=pod_options
            )
        )
        return CronJob(
            metadata=draw(object_metas(name=_label(max_len=40))),
            spec=CronJobSpec(
                schedule=draw(_SCHEDULES),
                time_zone=draw(st.one_of(st.none(), st.sampled_from(_TIME_ZONES))),
                starting_deadline_seconds=draw(_nonneg(300)),
                concurrency_policy=draw(st.sampled_from([None, "Allow", "Forbid", "Replace"])),
                suspend=draw(st.sampled_from([None, False, True])),
                job_template=JobTemplateSpec(spec=job),
                successful_jobs_history_limit=draw(_nonneg(5)),
                failed_jobs_history_limit=draw(_nonneg(5)),
            ),
        )

    return draw()


def replication_controllers(
    *, replicas: st.SearchStrategy[int | None] | None = None, **pod_options: Any
) -> st.SearchStrategy[ReplicationController]:
    """A valid v1 ReplicationController: a plain-map selector that the template's labels
    match (options as for :func:`deployments`)."""

    @st.composite
    def draw(draw: st.DrawFn) -> ReplicationController:
        template = draw(pod_template_specs(**pod_options))
        labels = template.metadata.labels
        keys = draw(st.lists(st.sampled_from(sorted(labels)), min_size=1, unique=True))
        return ReplicationController(
            metadata=draw(object_metas()),
            spec=ReplicationControllerSpec(
                replicas=draw(_replicas(replicas)),
                min_ready_seconds=draw(_nonneg(30)),
                selector=FrozenMap({k: labels[k] for k in keys}),
                template=template,
            ),
        )

    return draw()


def pod_template_objects(**pod_options: Any) -> st.SearchStrategy[PodTemplate]:
    """A valid v1 PodTemplate (any restart policy; *pod_options* as for
    :func:`~podmodel.strategies.pod_specs`)."""
    return st.builds(
        lambda meta, template: PodTemplate(metadata=meta, template=template),
        object_metas(),
        pod_template_specs(restart_policies=(None, "Always", "OnFailure", "Never"), **pod_options),
    )


def workloads(**pod_options: Any) -> st.SearchStrategy[Any]:
    """Any of the workload kinds above, valid (*pod_options* as for
    :func:`~podmodel.strategies.pod_specs`)."""
    return st.one_of(
        deployments(**pod_options),
        statefulsets(**pod_options),
        daemonsets(**pod_options),
        replicasets(**pod_options),
        jobs(**pod_options),
        cronjobs(**pod_options),
        replication_controllers(**pod_options),
        pod_template_objects(**pod_options),
    )


def workload_strategy_for_type(t: type) -> st.SearchStrategy[Any]:
    """The strategy ``st.from_type`` uses for the workload types (``NotImplemented`` for any
    other type)."""
    table: dict[type, Any] = {
        Deployment: deployments,
        StatefulSet: statefulsets,
        DaemonSet: daemonsets,
        ReplicaSet: replicasets,
        Job: jobs,
        CronJob: cronjobs,
        ReplicationController: replication_controllers,
        PodTemplate: pod_template_objects,
        PodTemplateSpec: pod_template_specs,
    }
    if t is LabelSelector:
        return _APP_LABELS.flatmap(lambda labels: label_selectors(FrozenMap(labels)))
    factory = table.get(t)
    return factory() if factory is not None else NotImplemented
