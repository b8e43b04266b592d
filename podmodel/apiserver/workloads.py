"""What the API server says about a workload: ``validate_workload(obj) -> WorkloadResult``.

The kinds whose ``spec.template`` is a pod: apps/v1 Deployment, ReplicaSet, DaemonSet and
StatefulSet, batch/v1 Job and CronJob, v1 ReplicationController and PodTemplate. Each is
defaulted as the v1.35 API server defaults it, then validated by its kind's own rules
(``pkg/apis/apps/validation``, ``pkg/apis/batch/validation``, ``ValidateReplicationController``,
``ValidatePodTemplate``), its pod template by the Pod's rules with the template's paths
(``ValidatePodTemplateSpec``); a valid workload gets the template's warnings
(``GetWarningsForPodTemplate``).

>>> from podmodel.codec import loads_object
>>> d = loads_object('''
... apiVersion: apps/v1
... kind: Deployment
... metadata: {name: web}
... spec:
...   selector: {matchLabels: {app: web}}
...   template:
...     metadata: {labels: {app: api}}
...     spec:
...       containers: [{name: web}]
...       restartPolicy: Never
... ''')
>>> result = validate_workload(d)
>>> result.kind, result.ok
('Deployment', False)
>>> for e in result.errors:
...     print(e)
spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`
spec.template.spec.containers[0].image: Required value
spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"
"""

from __future__ import annotations

from typing import Any

import attrs

from podmodel.apiserver import _apps_rules as apps
from podmodel.apiserver import _batch_rules as batch
from podmodel.apiserver._meta_rules import object_meta
from podmodel.apiserver._names import is_dns1123_label
from podmodel.apiserver._rules import Errors
from podmodel.apiserver._template_rules import (
    GENERATED_SUFFIX,
    template_spec,
    template_warnings,
)
from podmodel.errors import (
    ErrorType,
    FieldError,
    FieldPath,
    PodmodelError,
    _kubectl_invalid,
    _kubectl_warnings,
    _server_invalid,
)
from podmodel.model.workloads import (
    CronJob,
    DaemonSet,
    Deployment,
    Job,
    ReplicaSet,
    ReplicationController,
    StatefulSet,
    Workload,
    templates_of,
)

__all__ = ["InvalidWorkload", "WorkloadResult", "check_workload", "validate_workload"]

_GROUP = {"apps/v1": ".apps", "batch/v1": ".batch"}
# The kinds whose strategy warns about a name that is no DNS label (it prefixes pod names).
_NAME_WARNED = frozenset({"Deployment", "ReplicaSet", "DaemonSet", "Job", "ReplicationController"})


@attrs.frozen(kw_only=True)
class WorkloadResult:
    """What the API server says about a workload: every error, and (when valid) its warnings.

    Attributes:
        kind: The object's kind (``"Deployment"``, ...).
        group: ``"apps"``, ``"batch"`` or ``""`` (core).
        name: The object's name, as the messages show it.
        errors: Every :class:`~podmodel.FieldError`, in the server's order.
        warnings: The warnings returned with a valid object (the template's, with its path).

    .. versionadded:: 0.3.0
    """

    kind: str
    group: str = ""
    name: str = ""
    errors: tuple[FieldError, ...] = ()
    warnings: tuple[FieldError, ...] = ()

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings do not count)."""
        return not self.errors

    def __bool__(self) -> bool:
        return self.ok

    def server_message(self) -> str:
        """The ``Status.message``: ``Deployment.apps "web" is invalid: [e1, e2]``."""
        qualified = f"{self.kind}.{self.group}" if self.group else self.kind
        return _server_invalid(qualified, self.name, self.errors)

    def kubectl_message(self) -> str:
        """What ``kubectl apply`` prints: one line for one error, else one ``* e`` per error."""
        return _kubectl_invalid(self.kind, self.name, self.errors)

    def kubectl_warnings(self) -> str:
        """The warnings as kubectl prints them (``Warning: ...`` lines)."""
        return _kubectl_warnings(self.warnings)

    def raise_for_errors(self) -> None:
        """Raise :class:`InvalidWorkload` when there are errors."""
        if self.errors:
            raise InvalidWorkload(self)


class InvalidWorkload(PodmodelError, ValueError):
    """The API server would reject the workload; ``str()`` is the server's message.

    Attributes:
        result: The :class:`WorkloadResult`.

    .. versionadded:: 0.3.0
    """

    def __init__(self, result: WorkloadResult) -> None:
        self.result = result
        super().__init__(result.server_message())

    def __reduce__(self) -> tuple[Any, ...]:
        return (InvalidWorkload, (self.result,))


def _name(obj: Workload) -> str:
    meta = obj.metadata
    if not meta.name and meta.generate_name:
        return meta.generate_name[:58] + GENERATED_SUFFIX
    return meta.name or ""


def _name_warning(name: str, kind: str) -> list[FieldError]:
    """The controllers' strategies warn when the name (every pod's prefix) is no DNS label."""
    msgs = is_dns1123_label(name)
    if not msgs or kind not in _NAME_WARNED:
        return []
    detail = (
        "this is used in Pod names and hostnames, which can result in surprising behavior; "
        f"a DNS label is recommended: [{' '.join(msgs)}]"
    )
    return [
        FieldError(
            type=ErrorType.WARNING,
            field=FieldPath(("metadata", "name")),
            detail=detail,
            origin="name.dnsLabel",
        )
    ]


def _rules(errs: Errors, obj: Workload, name: str, namespace: str) -> Workload:
    """Default *obj*, validate it into *errs*; return the object as validated."""
    meta = obj.metadata
    if isinstance(obj, Deployment):
        obj = apps.deployment_defaults(obj)
        object_meta(errs, meta, name, namespace)
        apps.deployment_spec(errs, obj)
    elif isinstance(obj, ReplicaSet):
        obj = apps.replica_set_defaults(obj)
        object_meta(errs, meta, name, namespace)
        apps.replica_set_spec(errs, obj)
    elif isinstance(obj, DaemonSet):
        obj = apps.daemon_set_defaults(obj)
        object_meta(errs, meta, name, namespace)
        apps.daemon_set_spec(errs, obj)
    elif isinstance(obj, StatefulSet):
        obj = apps.stateful_set_defaults(obj)
        object_meta(errs, meta, name, namespace, dns_label=True)
        apps.stateful_set_spec(errs, obj)
    elif isinstance(obj, Job):
        obj = batch.prepare_job(attrs.evolve(obj, spec=batch.job_defaults(obj.spec)), name)
        object_meta(errs, meta, name, namespace)
        batch.job_spec(errs, obj, name)
    elif isinstance(obj, CronJob):
        obj = batch.cron_job_defaults(obj)
        object_meta(errs, meta, name, namespace)
        batch.cron_job_spec(errs, obj)
        if len(name) > 52:  # ValidateCronJobCreate checks it after the spec
            errs.invalid(
                FieldPath(("metadata", "name")),
                name,
                "must be no more than 52 characters",
                "cronJob.name",
            )
    elif isinstance(obj, ReplicationController):
        obj = apps.replication_controller_defaults(obj)
        object_meta(errs, obj.metadata, name, namespace)
        apps.replication_controller_spec(errs, obj)
    else:
        object_meta(errs, meta, name, namespace)
        template_spec(errs, obj.template, FieldPath(("template",)))
    return obj


def validate_workload(obj: Workload, *, namespace: str = "default") -> WorkloadResult:
    """Validate *obj* as the v1.35 API server does on create, after defaulting a copy of it.

    Args:
        obj: A Deployment, ReplicaSet, DaemonSet, StatefulSet, Job, CronJob,
            ReplicationController or PodTemplate, as decoded.
        namespace: The request's namespace, used when ``metadata.namespace`` is empty.

    Returns:
        Every error in the server's order, and the warnings when there is no error.
        Validation never raises on a decodable object.
    """
    name = _name(obj)
    errs = Errors()
    validated = _rules(errs, obj, name, obj.metadata.namespace or namespace)
    warnings: list[FieldError] = []
    if not errs:
        warnings.extend(_name_warning(name, obj.kind or ""))
        for site in templates_of(validated):
            warnings.extend(template_warnings(site.template, FieldPath(site.segments)))
    return WorkloadResult(
        kind=obj.kind or "",
        group=_GROUP.get(obj.api_version or "", "").lstrip("."),
        name=name,
        errors=tuple(errs),
        warnings=tuple(warnings),
    )


def check_workload(obj: Workload, *, namespace: str = "default") -> WorkloadResult:
    """:func:`validate_workload`, raising when the API server would reject *obj*.

    Admission plugins act on pods, not on their templates: the controller's pods meet them
    when it creates them.

    Raises:
        InvalidWorkload: The API server would reject the object.
    """
    result = validate_workload(obj, namespace=namespace)
    result.raise_for_errors()
    return result
