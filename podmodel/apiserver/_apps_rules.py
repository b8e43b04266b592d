"""apps/v1 Deployment, ReplicaSet, DaemonSet, StatefulSet and v1 ReplicationController: their
v1 defaults and their create validation, as ``pkg/apis/apps/validation/validation.go`` and
``ValidateReplicationController`` (``pkg/apis/core/validation``) of v1.35 word them (private)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import attrs

from podmodel.apiserver._rules import NEGATIVE_MSG, Errors
from podmodel.apiserver._template_rules import (
    as_selector,
    labels_json,
    selector_json,
    selector_rules,
    template_spec,
)
from podmodel.errors import FieldError, FieldPath, GoStruct
from podmodel.model._frozen import FrozenMap, thaw

if TYPE_CHECKING:
    from podmodel.model.spec import PodSpec
    from podmodel.model.workloads import (
        DaemonSet,
        Deployment,
        LabelSelector,
        PodTemplateSpec,
        ReplicaSet,
        ReplicationController,
        StatefulSet,
    )

__all__ = [
    "daemon_set_defaults",
    "daemon_set_spec",
    "deployment_defaults",
    "deployment_spec",
    "replica_set_defaults",
    "replica_set_spec",
    "replication_controller_defaults",
    "replication_controller_spec",
    "stateful_set_defaults",
    "stateful_set_spec",
]

_SPEC = FieldPath(("spec",))


def _map(value: Any) -> FrozenMap[str, Any]:
    return value if isinstance(value, FrozenMap) else FrozenMap()


def _with(value: Any, **defaults: Any) -> FrozenMap[str, Any]:
    """*value* (a frozen mapping or ``None``) with *defaults* for its missing keys."""
    out = dict(_map(value))
    for k, v in defaults.items():
        if out.get(k) is None:
            out[k] = v
    return FrozenMap(out)


# --- defaults (pkg/apis/apps/v1/defaults.go, SetDefaults_ReplicationController) ----------------


def deployment_defaults(d: Deployment) -> Deployment:
    """``SetDefaults_Deployment``."""
    spec = d.spec
    strategy = _with(spec.strategy, type="RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = _with(strategy.get("rollingUpdate"), maxUnavailable="25%", maxSurge="25%")
        strategy = FrozenMap({**strategy, "rollingUpdate": rolling})
    spec = attrs.evolve(
        spec,
        replicas=1 if spec.replicas is None else spec.replicas,
        strategy=strategy,
        revision_history_limit=(
            10 if spec.revision_history_limit is None else spec.revision_history_limit
        ),
        progress_deadline_seconds=(
            600 if spec.progress_deadline_seconds is None else spec.progress_deadline_seconds
        ),
    )
    return attrs.evolve(d, spec=spec)


def replica_set_defaults(rs: ReplicaSet) -> ReplicaSet:
    """``SetDefaults_ReplicaSet``."""
    replicas = 1 if rs.spec.replicas is None else rs.spec.replicas
    return attrs.evolve(rs, spec=attrs.evolve(rs.spec, replicas=replicas))


def daemon_set_defaults(ds: DaemonSet) -> DaemonSet:
    """``SetDefaults_DaemonSet``."""
    spec = ds.spec
    strategy = _with(spec.update_strategy, type="RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = _with(strategy.get("rollingUpdate"), maxUnavailable=1, maxSurge=0)
        strategy = FrozenMap({**strategy, "rollingUpdate": rolling})
    limit = 10 if spec.revision_history_limit is None else spec.revision_history_limit
    return attrs.evolve(
        ds, spec=attrs.evolve(spec, update_strategy=strategy, revision_history_limit=limit)
    )


def stateful_set_defaults(ss: StatefulSet) -> StatefulSet:
    """``SetDefaults_StatefulSet``."""
    spec = ss.spec
    strategy = _with(spec.update_strategy, type="RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        strategy = FrozenMap(
            {**strategy, "rollingUpdate": _with(strategy.get("rollingUpdate"), partition=0)}
        )
    retention = _with(
        spec.persistent_volume_claim_retention_policy, whenDeleted="Retain", whenScaled="Retain"
    )
    spec = attrs.evolve(
        spec,
        pod_management_policy=spec.pod_management_policy or "OrderedReady",
        update_strategy=strategy,
        replicas=1 if spec.replicas is None else spec.replicas,
        revision_history_limit=(
            10 if spec.revision_history_limit is None else spec.revision_history_limit
        ),
        persistent_volume_claim_retention_policy=retention,
    )
    return attrs.evolve(ss, spec=spec)


def replication_controller_defaults(rc: ReplicationController) -> ReplicationController:
    """``SetDefaults_ReplicationController``: the selector and labels default to the
    template's labels."""
    spec, meta = rc.spec, rc.metadata
    labels = spec.template.metadata.labels if spec.template is not None else FrozenMap()
    if labels:
        if not spec.selector:
            spec = attrs.evolve(spec, selector=labels)
        if not meta.labels:
            meta = attrs.evolve(meta, labels=labels)
    replicas = 1 if spec.replicas is None else spec.replicas
    return attrs.evolve(rc, metadata=meta, spec=attrs.evolve(spec, replicas=replicas))


# --- validation ---------------------------------------------------------------------------------


def _nonnegative(errs: Errors, value: Any, path: FieldPath) -> None:
    if isinstance(value, int) and value < 0:
        errs.invalid(path, value, NEGATIVE_MSG, "nonnegative")


def _strict_selector(errs: Errors, sel: LabelSelector | None, kind: str) -> None:
    """The selector rules Deployment, ReplicaSet and StatefulSet share."""
    path = _SPEC.child("selector")
    if sel is None:
        errs.required(path, origin="selector.required")
        return
    selector_rules(errs, sel, path)
    if not sel.match_labels and not sel.match_expressions:
        errs.invalid(
            path, selector_json(sel), f"empty selector is invalid for {kind}", "selector.empty"
        )


def _selector_matches(
    errs: Errors, sel: LabelSelector | None, template: PodTemplateSpec, *, skip_empty: bool
) -> None:
    selector = as_selector(sel)
    if selector is None or (skip_empty and selector.empty):
        return
    if not selector.matches(template.metadata.labels):
        errs.invalid(
            _SPEC.child("template", "metadata", "labels"),
            labels_json(template.metadata),
            "`selector` does not match template `labels`",
            "selector.matchTemplate",
        )


def _always_restart(errs: Errors, spec: PodSpec, kind: str) -> None:
    path = _SPEC.child("template", "spec")
    if spec.restart_policy != "Always":
        errs.not_supported(
            path.child("restartPolicy"), spec.restart_policy or "", ("Always",), "restartPolicy"
        )
    if spec.active_deadline_seconds is not None:
        errs.forbidden(
            path.child("activeDeadlineSeconds"),
            f"activeDeadlineSeconds in {kind} is not Supported",
            "activeDeadlineSeconds",
        )


def _template_for_replica_set(
    errs: Errors, sel: LabelSelector | None, template: PodTemplateSpec, kind: str
) -> None:
    """``ValidatePodTemplateSpecForReplicaSet``."""
    if as_selector(sel) is None:
        errs.invalid(
            _SPEC.child("selector"), selector_json(sel), "invalid label selector", "selector"
        )
        return
    _selector_matches(errs, sel, template, skip_empty=True)
    # ValidateReadOnlyPersistentDisks (replicas > 1) is off: SkipReadOnlyValidationGCE is on
    spec = template_spec(errs, template, _SPEC.child("template"))
    _always_restart(errs, spec, kind)


def deployment_spec(errs: Errors, d: Deployment) -> None:
    """``ValidateDeploymentSpec`` (on the defaulted Deployment)."""
    spec = d.spec
    _nonnegative(errs, spec.replicas, _SPEC.child("replicas"))
    _strict_selector(errs, spec.selector, "deployment")
    _template_for_replica_set(errs, spec.selector, spec.template, "ReplicaSet")
    _deployment_strategy(errs, _map(spec.strategy), _SPEC.child("strategy"))
    _nonnegative(errs, spec.min_ready_seconds, _SPEC.child("minReadySeconds"))
    _nonnegative(errs, spec.revision_history_limit, _SPEC.child("revisionHistoryLimit"))
    deadline = spec.progress_deadline_seconds
    if deadline is not None:
        _nonnegative(errs, deadline, _SPEC.child("progressDeadlineSeconds"))
        if deadline <= (spec.min_ready_seconds or 0):
            errs.invalid(
                _SPEC.child("progressDeadlineSeconds"),
                deadline,
                "must be greater than minReadySeconds",
                "progressDeadlineSeconds",
            )


def _deployment_strategy(errs: Errors, strategy: FrozenMap[str, Any], path: FieldPath) -> None:
    kind = strategy.get("type")
    rolling = strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            errs.forbidden(
                path.child("rollingUpdate"),
                "may not be specified when strategy `type` is 'Recreate'",
                "strategy.rollingUpdate",
            )
    elif kind == "RollingUpdate":
        r = _map(rolling)
        unavailable, surge = r.get("maxUnavailable", 0), r.get("maxSurge", 0)
        p = path.child("rollingUpdate")
        _int_or_percent(errs, unavailable, p.child("maxUnavailable"))
        _int_or_percent(errs, surge, p.child("maxSurge"))
        if _value(unavailable) == 0 and _value(surge) == 0:
            errs.invalid(
                p.child("maxUnavailable"),
                unavailable,
                "may not be 0 when `maxSurge` is 0",
                "strategy.maxUnavailable",
            )
        _not_over_100(errs, unavailable, p.child("maxUnavailable"))
    else:
        errs.not_supported(
            path, _strategy_struct(strategy), ("Recreate", "RollingUpdate"), "strategy.type"
        )


_PERCENT = re.compile(r"[0-9]+%")
_INT64_MAX = 2**63 - 1
_PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"


def _intstr(value: Any) -> Any:
    """An ``intstr.IntOrString`` as its JSON (a number or a string; 0 when unset)."""
    return 0 if value is None else thaw(value)


def _strategy_struct(strategy: FrozenMap[str, Any]) -> GoStruct:
    """The internal ``DeploymentStrategy`` / ``DaemonSetUpdateStrategy`` as the server prints it
    (Go field names: internal types have no JSON tags)."""
    rolling = strategy.get("rollingUpdate")
    r = _map(rolling)
    return GoStruct.of(
        Type=thaw(strategy.get("type")) or "",
        RollingUpdate=None
        if rolling is None
        else GoStruct.of(
            MaxUnavailable=_intstr(r.get("maxUnavailable")), MaxSurge=_intstr(r.get("maxSurge"))
        ),
    )


def _stateful_rolling_struct(rolling: Any) -> GoStruct:
    """The internal ``RollingUpdateStatefulSetStrategy`` (``Partition`` is no pointer there)."""
    r = _map(rolling)
    unavailable = r.get("maxUnavailable")
    return GoStruct.of(
        Partition=thaw(r.get("partition")) or 0,
        MaxUnavailable=None if unavailable is None else thaw(unavailable),
    )


def _stateful_strategy_struct(strategy: FrozenMap[str, Any]) -> GoStruct:
    """The internal ``StatefulSetUpdateStrategy``."""
    rolling = strategy.get("rollingUpdate")
    return GoStruct.of(
        Type=thaw(strategy.get("type")) or "",
        RollingUpdate=None if rolling is None else _stateful_rolling_struct(rolling),
    )


def _int_or_percent(errs: Errors, value: Any, path: FieldPath) -> None:
    """``ValidatePositiveIntOrPercent``."""
    if isinstance(value, str):
        if not _PERCENT.fullmatch(value):
            errs.invalid(path, value, _PERCENT_MSG, "intOrPercent")
    else:
        _nonnegative(errs, value, path)


def _percent(value: Any) -> int | None:
    if isinstance(value, str) and _PERCENT.fullmatch(value):
        # strconv.Atoi saturates at int64's maximum (its error is ignored)
        digits = value[:-1].lstrip("0")
        return min(int(digits or "0"), _INT64_MAX) if len(digits) <= 19 else _INT64_MAX
    return None


def _value(value: Any) -> int:
    """``getIntOrPercentValue``: a percent's number, an int, else 0 (``IntValue``)."""
    pct = _percent(value)
    if pct is not None:
        return pct
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except ValueError:
        return 0


def _not_over_100(errs: Errors, value: Any, path: FieldPath) -> None:
    pct = _percent(value)
    if pct is not None and pct > 100:
        errs.invalid(path, value, "must not be greater than 100%", "intOrPercent.max")


def replica_set_spec(errs: Errors, rs: ReplicaSet) -> None:
    """``ValidateReplicaSetSpec``."""
    spec = rs.spec
    _nonnegative(errs, spec.replicas, _SPEC.child("replicas"))
    _nonnegative(errs, spec.min_ready_seconds, _SPEC.child("minReadySeconds"))
    _strict_selector(errs, spec.selector, "deployment")  # sic: the server says "deployment"
    _template_for_replica_set(errs, spec.selector, spec.template, "ReplicaSet")


def daemon_set_spec(errs: Errors, ds: DaemonSet) -> None:
    """``ValidateDaemonSetSpec``."""
    spec = ds.spec
    if spec.selector is not None:
        selector_rules(errs, spec.selector, _SPEC.child("selector"))
    _selector_matches(errs, spec.selector, spec.template, skip_empty=False)
    sel = spec.selector
    if sel is not None and not sel.match_labels and not sel.match_expressions:
        errs.invalid(
            _SPEC.child("selector"),
            selector_json(sel),
            "empty selector is invalid for daemonset",
            "selector.empty",
        )
    pod = template_spec(errs, spec.template, _SPEC.child("template"))
    _always_restart(errs, pod, "DaemonSet")
    _nonnegative(errs, spec.min_ready_seconds, _SPEC.child("minReadySeconds"))
    _daemon_set_strategy(errs, _map(spec.update_strategy), _SPEC.child("updateStrategy"))
    _nonnegative(errs, spec.revision_history_limit, _SPEC.child("revisionHistoryLimit"))


def _daemon_set_strategy(errs: Errors, strategy: FrozenMap[str, Any], path: FieldPath) -> None:
    kind = strategy.get("type")
    if kind == "OnDelete":
        return
    if kind != "RollingUpdate":
        errs.not_supported(
            path, _strategy_struct(strategy), ("RollingUpdate", "OnDelete"), "strategy.type"
        )
        return
    rolling = strategy.get("rollingUpdate")
    p = path.child("rollingUpdate")
    if rolling is None:
        errs.required(p, origin="strategy.rollingUpdate")
        return
    r = _map(rolling)
    unavailable, surge = r.get("maxUnavailable", 0), r.get("maxSurge", 0)
    _int_or_percent(errs, unavailable, p.child("maxUnavailable"))
    _int_or_percent(errs, surge, p.child("maxSurge"))
    _not_over_100(errs, unavailable, p.child("maxUnavailable"))
    _not_over_100(errs, surge, p.child("maxSurge"))
    has_unavailable, has_surge = _value(unavailable) != 0, _value(surge) != 0
    if has_unavailable and has_surge:
        errs.invalid(
            p.child("maxSurge"),
            surge,
            "may not be set when maxUnavailable is non-zero",
            "strategy.maxSurge",
        )
    elif not has_unavailable and not has_surge:
        errs.required(
            p.child("maxUnavailable"), "cannot be 0 when maxSurge is 0", "strategy.maxUnavailable"
        )


def stateful_set_spec(errs: Errors, ss: StatefulSet) -> None:
    """``ValidateStatefulSetSpec``: the template's labels and annotations are checked, not
    its spec (the API server leaves that to the pods the controller creates)."""
    spec = ss.spec
    policy = spec.pod_management_policy
    if not policy:
        errs.required(_SPEC.child("podManagementPolicy"), origin="podManagementPolicy")
    elif policy not in ("OrderedReady", "Parallel"):
        errs.invalid(
            _SPEC.child("podManagementPolicy"),
            policy,
            "must be 'OrderedReady' or 'Parallel'",
            "podManagementPolicy",
        )
    _stateful_set_strategy(errs, _map(spec.update_strategy), _SPEC.child("updateStrategy"))
    retention = spec.persistent_volume_claim_retention_policy
    if retention is not None:
        for key in ("whenDeleted", "whenScaled"):
            value = retention.get(key)
            if value not in ("Retain", "Delete"):
                errs.not_supported(
                    _SPEC.child("persistentVolumeClaimRetentionPolicy", key),
                    value or "",
                    ("Retain", "Delete"),
                    "persistentVolumeClaimRetentionPolicy",
                )
    _nonnegative(errs, spec.replicas, _SPEC.child("replicas"))
    _nonnegative(errs, spec.min_ready_seconds, _SPEC.child("minReadySeconds"))
    if spec.ordinals is not None:
        _nonnegative(errs, spec.ordinals.get("start", 0), _SPEC.child("ordinals.start"))
    _strict_selector(errs, spec.selector, "statefulset")
    path = _SPEC.child("template")
    sub = Errors()
    defaulted = template_spec(sub, spec.template, path)
    if as_selector(spec.selector) is None:
        errs.invalid(_SPEC.child("selector"), selector_json(spec.selector), "", "selector")
    else:
        _selector_matches(errs, spec.selector, spec.template, skip_empty=True)
        # ValidatePodTemplateSpecForStatefulSet: labels, annotations, pod annotations only
        errs.extend(e for e in sub if _is_template_meta(e, path))
    _always_restart(errs, defaulted, "StatefulSet")


def _is_template_meta(error: FieldError, path: FieldPath) -> bool:
    segments = error.field.segments
    n = len(path.segments)
    return segments[:n] == path.segments and segments[n : n + 1] in (("labels",), ("annotations",))


def _stateful_set_strategy(errs: Errors, strategy: FrozenMap[str, Any], path: FieldPath) -> None:
    kind = strategy.get("type")
    rolling = strategy.get("rollingUpdate")
    if not kind:
        errs.required(path, origin="updateStrategy")
    elif kind == "OnDelete":
        if rolling is not None:
            errs.invalid(
                path.child("rollingUpdate"),
                _stateful_rolling_struct(rolling),
                "only allowed for updateStrategy 'RollingUpdate'",
                "updateStrategy.rollingUpdate",
            )
    elif kind == "RollingUpdate":
        if rolling is not None:
            r = _map(rolling)
            p = path.child("rollingUpdate")
            _nonnegative(errs, r.get("partition", 0), p.child("partition"))
            unavailable = r.get("maxUnavailable")
            if unavailable is not None:
                _int_or_percent(errs, unavailable, p.child("maxUnavailable"))
                if _value(unavailable) == 0:
                    errs.invalid(p.child("maxUnavailable"), unavailable, "cannot be 0")
                _not_over_100(errs, unavailable, p.child("maxUnavailable"))
    else:
        errs.invalid(
            path,
            _stateful_strategy_struct(strategy),
            "must be 'RollingUpdate' or 'OnDelete'",
            "updateStrategy.type",
        )


def replication_controller_spec(errs: Errors, rc: ReplicationController) -> None:
    """``ValidateReplicationControllerSpec``."""
    spec = rc.spec
    _nonnegative(errs, spec.min_ready_seconds, _SPEC.child("minReadySeconds"))
    if not spec.selector:
        errs.required(_SPEC.child("selector"), origin="selector.required")
    _nonnegative(errs, spec.replicas, _SPEC.child("replicas"))
    template = spec.template
    path = _SPEC.child("template")
    if template is None:
        errs.required(path, origin="template.required")
        return
    if spec.selector and not all(
        template.metadata.labels.get(k) == v for k, v in spec.selector.items()
    ):
        errs.invalid(
            path.child("metadata", "labels"),
            labels_json(template.metadata),
            "`selector` does not match template `labels`",
            "selector.matchTemplate",
        )
    pod = template_spec(errs, template, path)
    _always_restart(errs, pod, "ReplicationController")
