"""What the Kubernetes API server would say about a pod: ``validate(pod) -> ValidationResult``.

The rules are those of ``ValidatePodCreate`` in Kubernetes **v1.35**
(``pkg/apis/core/validation/validation.go`` v1.35.4, with the default v1.35 feature gates), run
on a defaulted copy of the pod (:func:`podmodel.apiserver.defaults.apply_defaults`) as the server runs
them, with every error returned in the server's order, paths and wording, and the server's
warnings (``pkg/api/pod/warnings.go``) for a valid pod.

>>> import podmodel
>>> pod = podmodel.loads('''
... apiVersion: v1
... kind: Pod
... metadata: {name: mypod}
... spec:
...   containers:
...   - {name: c, image: nginx, ports: [{containerPort: 70000}]}
...   - {name: c}
...   restartPolicy: Sometimes
... ''')
>>> print(validate(pod).kubectl_message())
The Pod "mypod" is invalid:
* spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive
* spec.containers[1].image: Required value
* spec.containers[1].name: Duplicate value: "c"
* spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from podmodel.apiserver._container_rules import (
    validate_app_containers,
    validate_ephemeral_containers,
    validate_image_whitespace,
    validate_init_containers,
)
from podmodel.apiserver._ip import parse_ip_sloppy
from podmodel.apiserver._names import (
    inclusive_range,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_label_value,
    is_qualified_name,
)
from podmodel.apiserver._rules import Errors
from podmodel.apiserver._volume_rules import validate_volumes
from podmodel.apiserver._warnings import pod_warnings
from podmodel.apiserver.defaults import apply_defaults
from podmodel.errors import FieldPath, InvalidPod, ValidationResult
from podmodel.model._frozen import FrozenMap

if TYPE_CHECKING:
    from podmodel.model.spec import ObjectMeta, Pod, PodSpec

__all__ = ["KUBERNETES_VERSION", "InvalidPod", "ValidationResult", "check", "validate"]

#: The Kubernetes release whose validation rules podmodel follows.
KUBERNETES_VERSION = "1.35.4"

_RESTART_POLICIES = ("Always", "OnFailure", "Never")
_DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
_TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
_ANNOTATIONS_LIMIT = 256 * 1024
_META = FieldPath(("metadata",))
_SPEC = FieldPath(("spec",))


def validate(pod: Pod, *, namespace: str = "default") -> ValidationResult:
    """Validate *pod* as the API server does on create, after defaulting a copy of it.

    Args:
        pod: The pod, as decoded (no defaults applied; this function applies them to a copy).
        namespace: The request's namespace, used when ``metadata.namespace`` is empty (kubectl
            sends the current context's namespace, usually ``default``).

    Returns:
        Every error in the server's order, and the server's warnings when there is no error.
        Validation never raises on a decodable pod.
    """
    pod = apply_defaults(pod)
    meta = pod.metadata
    name = meta.name or ""
    if not name and meta.generate_name:
        # rest.BeforeCreate: generateName[:58] + 5 random characters (a fixed stand-in here)
        name = meta.generate_name[:58] + "bcdfg"
    errs = Errors()
    _object_meta(errs, meta, name, meta.namespace or namespace)
    _pod_annotations(errs, meta, pod.spec)
    _pod_spec(errs, pod.spec, name)
    _projected_token(errs, pod.spec)
    for i, c in enumerate(pod.spec.containers):
        validate_image_whitespace(errs, c, _SPEC.child("containers"), i)
    for i, c in enumerate(pod.spec.init_containers):
        validate_image_whitespace(errs, c, _SPEC.child("initContainers"), i)
    if pod.spec.ephemeral_containers:
        errs.forbidden(
            _SPEC.child("ephemeralContainers"),
            "cannot be set on create",
            "ephemeralContainers.create",
        )
    gates = pod.spec.extra.get("schedulingGates")
    if pod.spec.node_name and isinstance(gates, tuple) and gates:
        errs.forbidden(
            _SPEC.child("nodeName"),
            "cannot be set until all schedulingGates have been cleared",
            "nodeName.schedulingGates",
        )
    warnings = () if errs else tuple(pod_warnings(pod))
    return ValidationResult(errors=tuple(errs), warnings=warnings, name=name)


def check(pod: Pod, *, namespace: str = "default") -> ValidationResult:
    """Validate *pod*; raise :class:`InvalidPod` on errors, else return the result (warnings).

    Raises:
        InvalidPod: The API server would reject the pod.
    """
    result = validate(pod, namespace=namespace)
    result.raise_for_errors()
    return result


def _object_meta(errs: Errors, meta: ObjectMeta, name: str, namespace: str) -> None:
    """apimachinery ``ValidateObjectMetaAccessor`` with ``NameIsDNSSubdomain``."""
    if meta.generate_name:
        masked = meta.generate_name
        if len(masked) > 1 and masked.endswith("-"):
            masked = masked[:-1] + "a"
        for msg in is_dns1123_subdomain(masked):
            errs.invalid(
                _META.child("generateName"), meta.generate_name, msg, "metadata.generateName"
            )
    if not name:
        errs.required(_META.child("name"), "name or generateName is required", "metadata.name")
    else:
        errs.subdomain(_META.child("name"), name, "metadata.name")
    for msg in is_dns1123_label(namespace):
        errs.invalid(_META.child("namespace"), namespace, msg, "metadata.namespace")
    generation = meta.extra.get("generation")
    errs.nonnegative(_META.child("generation"), generation, "metadata.generation")
    labels = _META.child("labels")
    for key in sorted(meta.labels):  # Go iterates maps randomly; podmodel sorts
        for msg in is_qualified_name(key):
            errs.invalid(labels, key, msg, "metadata.labels.key")
        for msg in is_label_value(meta.labels[key]):
            errs.invalid(labels, meta.labels[key], msg, "metadata.labels.value")
    annotations = _META.child("annotations")
    total = 0
    for key in sorted(meta.annotations):
        for msg in is_qualified_name(key.lower()):
            errs.invalid(annotations, key, msg, "metadata.annotations.key")
        total += len(key.encode()) + len(meta.annotations[key].encode())
    if total > _ANNOTATIONS_LIMIT:
        errs.too_long(annotations, _ANNOTATIONS_LIMIT, "metadata.annotations.size")
    finalizers = meta.extra.get("finalizers")
    if isinstance(finalizers, tuple):
        for i, fin in enumerate(finalizers):
            if isinstance(fin, str):
                for msg in is_qualified_name(fin):
                    errs.invalid(
                        _META.child("finalizers").index(i), fin, msg, "metadata.finalizers"
                    )


def _pod_annotations(errs: Errors, meta: ObjectMeta, spec: PodSpec) -> None:
    """``ValidatePodSpecificAnnotations``."""
    annotations = _META.child("annotations")
    mirror = meta.annotations.get("kubernetes.io/config.mirror")
    if mirror is not None and not spec.node_name:
        errs.invalid(
            annotations.key("kubernetes.io/config.mirror"),
            mirror,
            "must set spec.nodeName if mirror pod annotation is set",
            "annotation.mirror",
        )
    cost = meta.annotations.get("controller.kubernetes.io/pod-deletion-cost")
    if cost is not None:
        try:
            ok = str(int(cost)) == cost and -(2**31) <= int(cost) < 2**31
        except ValueError:
            ok = False
        if not ok:
            errs.invalid(
                annotations.key("controller.kubernetes.io/pod-deletion-cost"),
                cost,
                "must be a 32bit integer",
                "annotation.podDeletionCost",
            )


def _pod_spec(errs: Errors, spec: PodSpec, pod_name: str) -> None:
    """``ValidatePodSpec``."""
    grace = spec.termination_grace_period_seconds
    if grace is None:
        errs.required(
            _SPEC.child("terminationGracePeriodSeconds"), origin="terminationGracePeriodSeconds"
        )
    volumes = validate_volumes(errs, spec.volumes, pod_name, _SPEC.child("volumes"))
    validate_app_containers(errs, spec.containers, volumes, grace, _SPEC.child("containers"))
    validate_init_containers(
        errs, spec.init_containers, spec.containers, volumes, grace, _SPEC.child("initContainers")
    )
    validate_ephemeral_containers(
        errs,
        spec.ephemeral_containers,
        spec.containers,
        spec.init_containers,
        volumes,
        _SPEC.child("ephemeralContainers"),
    )
    if spec.host_network:
        for i, c in enumerate(spec.containers):
            for j, port in enumerate(c.ports):
                if (port.host_port or 0) != (port.container_port or 0):
                    errs.invalid(
                        _SPEC.child("containers")
                        .index(i)
                        .child("ports")
                        .index(j)
                        .child("hostPort"),
                        port.host_port or 0,
                        "must match `containerPort` when `hostNetwork` is true",
                        "hostNetwork.hostPort",
                    )
    if not spec.restart_policy:
        errs.required(_SPEC.child("restartPolicy"), origin="restartPolicy")
    elif spec.restart_policy not in _RESTART_POLICIES:
        errs.not_supported(
            _SPEC.child("restartPolicy"), spec.restart_policy, _RESTART_POLICIES, "restartPolicy"
        )
    if not spec.dns_policy:
        errs.required(_SPEC.child("dnsPolicy"), origin="dnsPolicy")
    elif spec.dns_policy not in _DNS_POLICIES:
        errs.not_supported(_SPEC.child("dnsPolicy"), spec.dns_policy, _DNS_POLICIES, "dnsPolicy")
    selector = _SPEC.child("nodeSelector")
    for key in sorted(spec.node_selector):
        for msg in is_qualified_name(key):
            errs.invalid(selector, key, msg, "nodeSelector.key")
        for msg in is_label_value(spec.node_selector[key]):
            errs.invalid(selector, spec.node_selector[key], msg, "nodeSelector.value")
    _pod_security_context(errs, spec.security_context)
    _dns_config(errs, spec)
    if spec.service_account_name:
        errs.subdomain(
            _SPEC.child("serviceAccountName"), spec.service_account_name, "serviceAccountName"
        )
    if spec.node_name:
        errs.subdomain(_SPEC.child("nodeName"), spec.node_name, "nodeName")
    deadline = spec.active_deadline_seconds
    if deadline is not None and not 1 <= deadline <= 2147483647:
        errs.invalid(
            _SPEC.child("activeDeadlineSeconds"),
            deadline,
            inclusive_range(1, 2147483647),
            "activeDeadlineSeconds",
        )
    if spec.hostname:
        errs.label(_SPEC.child("hostname"), spec.hostname, "hostname")
    if spec.subdomain:
        errs.label(_SPEC.child("subdomain"), spec.subdomain, "subdomain")
    _tolerations(errs, spec.extra.get("tolerations"))
    _host_aliases(errs, spec.extra.get("hostAliases"))
    if spec.priority_class_name:
        errs.subdomain(
            _SPEC.child("priorityClassName"), spec.priority_class_name, "priorityClassName"
        )
    runtime = spec.extra.get("runtimeClassName")
    if isinstance(runtime, str):
        errs.subdomain(_SPEC.child("runtimeClassName"), runtime, "runtimeClassName")
    preemption = spec.extra.get("preemptionPolicy")
    if isinstance(preemption, str) and preemption not in ("Never", "PreemptLowerPriority"):
        errs.not_supported(
            _SPEC.child("preemptionPolicy"),
            preemption,
            ("Never", "PreemptLowerPriority"),
            "preemptionPolicy",
        )
    os = spec.extra.get("os")
    if isinstance(os, FrozenMap):
        os_name = os.get("name") or ""
        if not os_name:
            errs.required(_SPEC.child("os", "name"), origin="os.name")
        elif os_name not in ("linux", "windows"):
            errs.not_supported(_SPEC.child("os", "name"), os_name, ("linux", "windows"), "os.name")


def _pod_security_context(errs: Errors, sc: Any) -> None:
    if not isinstance(sc, FrozenMap):
        return
    path = _SPEC.child("securityContext")
    for key in ("runAsUser", "runAsGroup", "fsGroup"):
        value = sc.get(key)
        if isinstance(value, int) and not 0 <= value <= 2147483647:
            errs.invalid(
                path.child(key), value, inclusive_range(0, 2147483647), f"securityContext.{key}"
            )
    groups = sc.get("supplementalGroups")
    if isinstance(groups, tuple):
        for i, gid in enumerate(groups):
            if isinstance(gid, int) and not 0 <= gid <= 2147483647:
                errs.invalid(
                    path.child("supplementalGroups").index(i),
                    gid,
                    inclusive_range(0, 2147483647),
                    "securityContext.supplementalGroups",
                )


def _dns_config(errs: Errors, spec: PodSpec) -> None:
    config = spec.extra.get("dnsConfig")
    path = _SPEC.child("dnsConfig")
    if spec.dns_policy == "None" and not isinstance(config, FrozenMap):
        errs.required(path, "must provide `dnsConfig` when `dnsPolicy` is None", "dnsConfig")
        return
    if not isinstance(config, FrozenMap):
        return
    servers = config.get("nameservers") or ()
    if len(servers) > 3:
        errs.invalid(
            path.child("nameservers"),
            servers,
            "must not have more than 3 nameservers",
            "dnsConfig.nameservers.count",
        )
    for i, ns in enumerate(servers):
        if parse_ip_sloppy(ns) is None:  # leading zeros are accepted (and warned about)
            errs.invalid(
                path.child("nameservers").index(i),
                ns,
                "must be valid IP address",
                "dnsConfig.nameservers.ip",
            )
    if spec.dns_policy == "None" and not servers:
        errs.required(
            path.child("nameservers"),
            "must provide at least one DNS nameserver when `dnsPolicy` is None",
            "dnsConfig.nameservers.required",
        )
    searches = config.get("searches") or ()
    if len(searches) > 32:
        errs.invalid(
            path.child("searches"),
            searches,
            "must not have more than 32 search paths",
            "dnsConfig.searches.count",
        )
    for i, search in enumerate(searches):
        if search == ".":
            continue
        for msg in is_dns1123_subdomain(str(search).removesuffix(".")):
            errs.invalid(path.child("searches").index(i), search, msg, "dnsConfig.searches")
    for i, option in enumerate(config.get("options") or ()):
        if isinstance(option, FrozenMap) and not option.get("name"):
            errs.required(path.child("options").index(i).child("name"), origin="dnsConfig.options")


def _tolerations(errs: Errors, tolerations: Any) -> None:
    if not isinstance(tolerations, tuple):
        return
    for i, t in enumerate(tolerations):
        if not isinstance(t, FrozenMap):
            continue
        p = _SPEC.child("tolerations").index(i)
        key, op = t.get("key") or "", t.get("operator") or ""
        value, effect = t.get("value") or "", t.get("effect") or ""
        if key:
            for msg in is_qualified_name(key):
                errs.invalid(p.child("key"), key, msg, "toleration.key")
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
                    t,
                    "value must be empty when `operator` is 'Exists'",
                    "toleration.value",
                )
        else:
            errs.not_supported(p.child("operator"), op, ("Equal", "Exists"), "toleration.operator")
        if effect and effect not in _TAINT_EFFECTS:
            errs.not_supported(p.child("effect"), effect, _TAINT_EFFECTS, "toleration.effect")


def _host_aliases(errs: Errors, aliases: Any) -> None:
    if not isinstance(aliases, tuple):
        return
    for i, alias in enumerate(aliases):
        if not isinstance(alias, FrozenMap):
            continue
        p = _SPEC.child("hostAliases").index(i)
        ip = alias.get("ip") or ""
        if parse_ip_sloppy(ip) is None:  # leading zeros are accepted (and warned about)
            errs.invalid(
                p.child("ip"),
                ip,
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                "hostAliases.ip",
            )
        for j, host in enumerate(alias.get("hostnames") or ()):
            errs.subdomain(p.child("hostnames").index(j), str(host), "hostAliases.hostnames")


def _projected_token(errs: Errors, spec: PodSpec) -> None:
    if spec.service_account_name:
        return
    for i, vol in enumerate(spec.volumes):
        for src in vol.sources:
            if src.kind != "projected":
                continue
            fields: FrozenMap[str, Any] = getattr(src, "fields", FrozenMap())
            sources = fields.get("sources")
            for k, proj in enumerate(sources if isinstance(sources, tuple) else ()):
                if isinstance(proj, FrozenMap) and proj.get("serviceAccountToken") is not None:
                    errs.forbidden(
                        _SPEC.child("volumes")
                        .index(i)
                        .child("projected", "sources")
                        .index(k)
                        .child("serviceAccountToken"),
                        "must not be specified when serviceAccountName is not set",
                        "projected.serviceAccountToken.noServiceAccount",
                    )
