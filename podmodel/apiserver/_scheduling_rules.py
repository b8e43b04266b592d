"""Scheduling rules of ``ValidatePodSpec`` (private), as ``validation.go`` v1.35.4 words them:
affinity, tolerations, topology spread constraints, readiness and scheduling gates, the pod's
resource claims and ``workloadRef``.

The rules read the generated objects through their manifest mapping (each is a ``FrozenMap``
of the fields it was written with); a field of the wrong shape was already refused by the
decoder, so anything else is skipped here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from podmodel.apiserver._names import (
    is_dns1123_label,
    is_dns1123_subdomain,
    is_label_value,
    is_qualified_name,
)
from podmodel.errors import GoStruct
from podmodel.model._frozen import FrozenMap

if TYPE_CHECKING:
    from podmodel.apiserver._rules import Errors
    from podmodel.errors import FieldPath

__all__ = [
    "label_selector",
    "pod_claim_names",
    "validate_affinity",
    "validate_readiness_gates",
    "validate_resource_claims",
    "validate_scheduling_gates",
    "validate_tolerations",
    "validate_topology_spread",
    "validate_workload_ref",
]

_NO_MAP: FrozenMap[str, Any] = FrozenMap()  # the missing map, shared (it is immutable)

NOT_POSITIVE = "must be greater than zero"
_TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def _map(value: Any) -> FrozenMap[str, Any]:
    return value if isinstance(value, FrozenMap) else _NO_MAP


def _list(value: Any) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else ()


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def label_name(errs: Errors, key: str, path: FieldPath, origin: str) -> None:
    """apimachinery ``ValidateLabelName``."""
    for msg in is_qualified_name(key):
        errs.invalid(path, key, msg, origin)


def labels(errs: Errors, value: Any, path: FieldPath, origin: str) -> None:
    """apimachinery ``ValidateLabels`` (Go ranges over the map: podmodel sorts the keys)."""
    m = _map(value)
    for key in sorted(m):
        label_name(errs, key, path, origin)
        for msg in is_label_value(_str(m[key])):
            errs.invalid(path, m[key], msg, origin)


def label_selector(errs: Errors, sel: Any, path: FieldPath, origin: str) -> None:
    """apimachinery ``ValidateLabelSelector`` (invalid label values not allowed)."""
    if not isinstance(sel, FrozenMap):
        return
    labels(errs, sel.get("matchLabels"), path.child("matchLabels"), origin)
    for i, expr in enumerate(_list(sel.get("matchExpressions"))):
        e = _map(expr)
        p = path.child("matchExpressions").index(i)
        op, values = _str(e.get("operator")), _list(e.get("values"))
        if op in ("In", "NotIn"):
            if not values:
                errs.required(
                    p.child("values"),
                    "must be specified when `operator` is 'In' or 'NotIn'",
                    origin,
                )
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.forbidden(
                    p.child("values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    origin,
                )
        else:
            errs.invalid(p.child("operator"), op, "not a valid selector operator", origin)
        label_name(errs, _str(e.get("key")), p.child("key"), origin)
        for j, v in enumerate(values):
            for msg in is_label_value(_str(v)):
                errs.invalid(p.child("values").index(j), v, msg, origin)


# --- affinity -----------------------------------------------------------------------------------


def _node_selector_requirement(errs: Errors, rq: Any, path: FieldPath, strict: bool) -> None:
    r = _map(rq)
    op, values = _str(r.get("operator")), _list(r.get("values"))
    if op in ("In", "NotIn"):
        if not values:
            errs.required(
                path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"
            )
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.forbidden(
                path.child("values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            errs.required(
                path.child("values"),
                "must be specified single value when `operator` is 'Lt' or 'Gt'",
            )
    else:
        errs.invalid(path.child("operator"), op, "not a valid selector operator")
    label_name(errs, _str(r.get("key")), path.child("key"), "nodeSelectorRequirement.key")
    if strict:
        for j, v in enumerate(values):
            for msg in is_label_value(_str(v)):
                errs.invalid(path.child("values").index(j), v, msg)


def _node_field_requirement(errs: Errors, rq: Any, path: FieldPath) -> None:
    r = _map(rq)
    op, values = _str(r.get("operator")), _list(r.get("values"))
    if op in ("In", "NotIn"):
        if len(values) != 1:
            errs.required(
                path.child("values"),
                "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
            )
    else:
        errs.invalid(path.child("operator"), op, "not a valid selector operator")
    key = _str(r.get("key"))
    if key != "metadata.name":
        errs.invalid(path.child("key"), key, "not a valid field selector key")
    else:
        for j, v in enumerate(values):
            for msg in is_dns1123_subdomain(_str(v)):
                errs.invalid(path.child("values").index(j), v, msg)


def _node_selector_term(errs: Errors, term: Any, path: FieldPath, strict: bool) -> None:
    t = _map(term)
    for j, rq in enumerate(_list(t.get("matchExpressions"))):
        _node_selector_requirement(errs, rq, path.child("matchExpressions").index(j), strict)
    for j, rq in enumerate(_list(t.get("matchFields"))):
        _node_field_requirement(errs, rq, path.child("matchFields").index(j))


def _node_affinity(errs: Errors, na: FrozenMap[str, Any], path: FieldPath) -> None:
    required = na.get("requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(required, FrozenMap):
        p = path.child("requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
        terms = _list(required.get("nodeSelectorTerms"))
        if not terms:
            errs.required(p, "must have at least one node selector term")
        for i, term in enumerate(terms):
            _node_selector_term(errs, term, p.index(i), strict=True)
    preferred = _list(na.get("preferredDuringSchedulingIgnoredDuringExecution"))
    p = path.child("preferredDuringSchedulingIgnoredDuringExecution")
    for i, item in enumerate(preferred):
        term = _map(item)
        weight = term.get("weight", 0)
        if isinstance(weight, int) and not 0 < weight <= 100:
            errs.invalid(p.index(i).child("weight"), weight, "must be in the range 1-100")
        _node_selector_term(errs, term.get("preference"), p.index(i).child("preference"), False)


def _label_keys(errs: Errors, path: FieldPath, keys: tuple[Any, ...], selector: Any) -> None:
    if not keys:
        return
    if not isinstance(selector, FrozenMap):
        errs.forbidden(path, "must not be specified when labelSelector is not set")
        return
    for i, key in enumerate(keys):
        label_name(errs, _str(key), path.index(i), "labelKeys")


def _merged_keys(errs: Errors, path: FieldPath, match: tuple[Any, ...], selector: Any) -> None:
    """A ``matchLabelKeys`` key found in the label selector twice (the server merged each key
    into the selector once): one error per repetition, at the term's or the constraint's own
    *path* indexed by the key's position (as v1.35 words it, without ``.matchLabelKeys``)."""
    if not isinstance(selector, FrozenMap):
        return
    index = {k: i for i, k in enumerate(match)}
    seen = set(_map(selector.get("matchLabels")))
    for expr in _list(selector.get("matchExpressions")):
        key = _str(_map(expr).get("key"))
        if key in index and key in seen:
            errs.invalid(
                path.index(index[key]), key, "exists in both matchLabelKeys and labelSelector"
            )
        seen.add(key)


def _match_mismatch_keys(errs: Errors, path: FieldPath, term: FrozenMap[str, Any]) -> None:
    """``validateMatchLabelKeysAndMismatchLabelKeys``."""
    match = _list(term.get("matchLabelKeys"))
    mismatch = _list(term.get("mismatchLabelKeys"))
    selector = term.get("labelSelector")
    _label_keys(errs, path.child("matchLabelKeys"), match, selector)
    _label_keys(errs, path.child("mismatchLabelKeys"), mismatch, selector)
    _merged_keys(errs, path, match, selector)
    for i, k in enumerate(match):
        if k in mismatch:
            errs.invalid(
                path.child("matchLabelKeys").index(i),
                k,
                "exists in both matchLabelKeys and mismatchLabelKeys",
            )


def _pod_affinity_term(errs: Errors, term: Any, path: FieldPath) -> None:
    t = _map(term)
    label_selector(errs, t.get("labelSelector"), path.child("labelSelector"), "podAffinityTerm")
    label_selector(
        errs, t.get("namespaceSelector"), path.child("namespaceSelector"), "podAffinityTerm"
    )
    for ns in _list(t.get("namespaces")):
        for msg in is_dns1123_label(_str(ns)):
            errs.invalid(path.child("namespace"), ns, msg)
    _match_mismatch_keys(errs, path, t)
    key = _str(t.get("topologyKey"))
    if not key:
        errs.required(path.child("topologyKey"), "can not be empty")
    label_name(errs, key, path.child("topologyKey"), "podAffinityTerm.topologyKey")


def _pod_affinity(errs: Errors, pa: FrozenMap[str, Any], path: FieldPath) -> None:
    p = path.child("requiredDuringSchedulingIgnoredDuringExecution")
    for i, term in enumerate(_list(pa.get("requiredDuringSchedulingIgnoredDuringExecution"))):
        _pod_affinity_term(errs, term, p.index(i))
    p = path.child("preferredDuringSchedulingIgnoredDuringExecution")
    for i, item in enumerate(_list(pa.get("preferredDuringSchedulingIgnoredDuringExecution"))):
        w = _map(item)
        weight = w.get("weight", 0)
        if isinstance(weight, int) and not 0 < weight <= 100:
            errs.invalid(p.index(i).child("weight"), weight, "must be in the range 1-100")
        _pod_affinity_term(errs, w.get("podAffinityTerm"), p.index(i).child("podAffinityTerm"))


def validate_affinity(errs: Errors, affinity: Any, path: FieldPath) -> None:
    """``validateAffinity``."""
    a = _map(affinity)
    if isinstance(a.get("nodeAffinity"), FrozenMap):
        _node_affinity(errs, a["nodeAffinity"], path.child("nodeAffinity"))
    if isinstance(a.get("podAffinity"), FrozenMap):
        _pod_affinity(errs, a["podAffinity"], path.child("podAffinity"))
    if isinstance(a.get("podAntiAffinity"), FrozenMap):
        _pod_affinity(errs, a["podAntiAffinity"], path.child("podAntiAffinity"))


# --- tolerations, gates, topology spread ------------------------------------------------------


def validate_tolerations(errs: Errors, tolerations: Any, path: FieldPath) -> None:
    """``ValidateTolerations``."""
    for i, item in enumerate(_list(tolerations)):
        t = _map(item)
        p = path.index(i)
        key, op = _str(t.get("key")), _str(t.get("operator"))
        value, effect = _str(t.get("value")), _str(t.get("effect"))
        if key:
            label_name(errs, key, p.child("key"), "toleration.key")
        if not key and op != "Exists":
            errs.invalid(
                p.child("operator"),
                op,
                "operator must be Exists when `key` is empty, "
                'which means "match all values and all keys"',
                "toleration.operator",
            )
        if t.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.invalid(
                p.child("effect"),
                effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
                "toleration.effect",
            )
        if op in ("Equal", ""):
            msgs = is_label_value(value)
            if msgs:
                errs.invalid(p.child("operator"), value, ";".join(msgs), "toleration.value")
        elif op == "Exists":
            if value:
                errs.invalid(
                    p.child("operator"),
                    value,
                    "value must be empty when `operator` is 'Exists'",
                    "toleration.value",
                )
        elif op in ("Lt", "Gt"):
            # TaintTolerationComparisonOperators is off in v1.35: named, but not allowed
            errs.not_supported(
                p.child("operator"), op, ("Equal", "Exists", "Lt", "Gt"), "toleration.operator"
            )
        else:
            errs.not_supported(p.child("operator"), op, ("Equal", "Exists"), "toleration.operator")
        if effect and effect not in _TAINT_EFFECTS:
            errs.not_supported(p.child("effect"), effect, _TAINT_EFFECTS, "toleration.effect")


def validate_readiness_gates(errs: Errors, gates: Any, path: FieldPath) -> None:
    """``validateReadinessGates``."""
    for i, gate in enumerate(_list(gates)):
        ct = _str(_map(gate).get("conditionType"))
        label_name(errs, ct, path.index(i).child("conditionType"), "readinessGates")


def validate_scheduling_gates(errs: Errors, gates: Any, path: FieldPath) -> None:
    """``validateSchedulingGates``."""
    seen: set[str] = set()
    for i, gate in enumerate(_list(gates)):
        name = _str(_map(gate).get("name"))
        label_name(errs, name, path.index(i), "schedulingGates")
        if name in seen:
            errs.duplicate(path.index(i), name, "schedulingGates.duplicate")
        seen.add(name)


def _positive(errs: Errors, path: FieldPath, value: Any) -> None:
    if isinstance(value, int) and value <= 0:
        errs.invalid(path, value, NOT_POSITIVE, "topologySpread.positive")


def validate_topology_spread(errs: Errors, constraints: Any, path: FieldPath) -> None:
    """``validateTopologySpreadConstraints``."""
    items = [_map(c) for c in _list(constraints)]
    for i, c in enumerate(items):
        p = path.index(i)
        _positive(errs, p.child("maxSkew"), c.get("maxSkew", 0))
        key, action = _str(c.get("topologyKey")), _str(c.get("whenUnsatisfiable"))
        if not key:
            errs.required(p.child("topologyKey"), "can not be empty", "topologySpread.topologyKey")
        if action not in ("DoNotSchedule", "ScheduleAnyway"):
            errs.not_supported(
                p.child("whenUnsatisfiable"), action, ("DoNotSchedule", "ScheduleAnyway")
            )
        for rest in items[i + 1 :]:
            if (
                _str(rest.get("topologyKey")) == key
                and _str(rest.get("whenUnsatisfiable")) == action
            ):
                errs.duplicate(p.child("{topologyKey, whenUnsatisfiable}"), f"{{{key}, {action}}}")
                break
        min_domains = c.get("minDomains")
        if isinstance(min_domains, int):
            _positive(errs, p.child("minDomains"), min_domains)
            if action != "DoNotSchedule":
                errs.invalid(
                    p.child("minDomains"),
                    min_domains,
                    f"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}",
                )
        for policy in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            value = c.get(policy)
            if isinstance(value, str) and value not in ("Honor", "Ignore"):
                errs.not_supported(p.child(policy), value, ("Honor", "Ignore"))
        keys = _list(c.get("matchLabelKeys"))
        selector = c.get("labelSelector")
        if keys:
            if not isinstance(selector, FrozenMap):
                errs.forbidden(
                    p.child("matchLabelKeys"), "must not be specified when labelSelector is not set"
                )
            for j, k in enumerate(keys if isinstance(selector, FrozenMap) else ()):
                label_name(errs, _str(k), p.child("matchLabelKeys").index(j), "matchLabelKeys")
            _merged_keys(errs, p, keys, selector)
        label_selector(errs, selector, p.child("labelSelector"), "topologySpread.labelSelector")


# --- resource claims, workloadRef ---------------------------------------------------------------


def pod_claim_names(claims: Any) -> tuple[str, ...]:
    """``gatherPodResourceClaimNames``: the names of the pod's resource claims, in order."""
    return tuple(n for n in (_str(_map(c).get("name")) for c in _list(claims)) if n)


def validate_resource_claims(errs: Errors, claims: Any, path: FieldPath) -> None:
    """``validatePodResourceClaims``."""
    seen: set[str] = set()
    for i, item in enumerate(_list(claims)):
        c = _map(item)
        p = path.index(i)
        name = _str(c.get("name"))
        claim_name, template_name = c.get("resourceClaimName"), c.get("resourceClaimTemplateName")
        if not name:
            errs.required(p.child("name"), origin="resourceClaims.name")
        elif name in seen:
            errs.duplicate(p.child("name"), name, "resourceClaims.name")
        else:
            # (v1.35 has no check of "<pod>-<claim>": generated claims use generateName)
            for msg in is_dns1123_label(name):
                errs.invalid(p.child("name"), name, msg, "resourceClaims.name")
            seen.add(name)
        shown = GoStruct.of(
            Name=name, ResourceClaimName=claim_name, ResourceClaimTemplateName=template_name
        )
        if claim_name is None and template_name is None:
            errs.invalid(
                p, shown, "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`"
            )
        elif claim_name is not None and template_name is not None:
            errs.invalid(
                p,
                shown,
                "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified",
            )
        for key, value in (
            ("resourceClaimName", claim_name),
            ("resourceClaimTemplateName", template_name),
        ):
            if isinstance(value, str):
                for msg in is_dns1123_subdomain(value):
                    errs.invalid(p.child(key), value, msg, f"resourceClaims.{key}")


def validate_workload_ref(errs: Errors, ref: Any, path: FieldPath) -> None:
    """``validateWorkloadReference`` (the alpha ``workloadRef``, validated when set)."""
    if not isinstance(ref, FrozenMap):
        return
    name = _str(ref.get("name"))
    for msg in is_dns1123_subdomain(name):
        errs.invalid(path.child("name"), name, msg, "workloadRef.name")
    group = _str(ref.get("podGroup"))
    for msg in is_dns1123_label(group):
        errs.invalid(path.child("podGroup"), group, msg, "workloadRef.podGroup")
    key = _str(ref.get("podGroupReplicaKey"))
    if key:
        for msg in is_dns1123_label(key):
            errs.invalid(
                path.child("podGroupReplicaKey"), key, msg, "workloadRef.podGroupReplicaKey"
            )
