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

import re
from typing import TYPE_CHECKING, Any

import attrs

from podmodel.apiserver import admission as _admission
from podmodel.apiserver._container_extras import container_claims
from podmodel.apiserver._container_rules import (
    PodContext,
    file_key_volumes,
    validate_app_containers,
    validate_ephemeral_containers,
    validate_image_whitespace,
    validate_init_containers,
)
from podmodel.apiserver._ip import parse_ip_sloppy
from podmodel.apiserver._meta_rules import object_meta
from podmodel.apiserver._names import (
    inclusive_range,
    is_dns1123_label,
    is_label_value,
    is_qualified_name,
    regex_error,
)
from podmodel.apiserver._resource_rules import (
    pod_resource_consistency,
    pod_resources,
    resource_requirements,
)
from podmodel.apiserver._rules import Errors
from podmodel.apiserver._scheduling_rules import (
    pod_claim_names,
    validate_affinity,
    validate_readiness_gates,
    validate_resource_claims,
    validate_scheduling_gates,
    validate_tolerations,
    validate_topology_spread,
    validate_workload_ref,
)
from podmodel.apiserver._security_rules import (
    validate_annotation_field_match,
    validate_host_users,
    validate_os,
    validate_pod_security_context,
    validate_security_annotations,
    validate_windows_host_process,
)
from podmodel.apiserver._volume_rules import validate_volumes
from podmodel.apiserver._warnings import pod_warnings
from podmodel.apiserver.admission import CHECKING, ClusterFacts
from podmodel.apiserver.defaults import apply_defaults
from podmodel.errors import (
    ErrorType,
    FieldError,
    FieldPath,
    InvalidPod,
    Key,
    ValidationResult,
)
from podmodel.model._frozen import FrozenMap

if TYPE_CHECKING:
    from podmodel.model.spec import ObjectMeta, Pod, PodSpec

__all__ = ["KUBERNETES_VERSION", "InvalidPod", "ValidationResult", "check", "validate"]

#: The Kubernetes release whose validation rules podmodel follows.
KUBERNETES_VERSION = "1.35.4"

_RESTART_POLICIES = ("Always", "OnFailure", "Never")
_DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
_META = FieldPath(("metadata",))
_SPEC = FieldPath(("spec",))


class _Children(dict[str, FieldPath]):
    """The paths of the fields below one path, each built once (paths are immutable, so one
    is shared by every pod: validation names a few dozen per pod, mostly for nothing)."""

    def __init__(self, parent: FieldPath) -> None:
        super().__init__()
        self.parent = parent

    def __missing__(self, name: str) -> FieldPath:
        path = self[name] = self.parent.child(name)
        return path


_SPEC_AT = _Children(_SPEC)
_NO_MAP: FrozenMap[str, Any] = FrozenMap()  # the missing map, shared (it is immutable)
_META_AT = _Children(_META)


def validate(pod: Pod, *, namespace: str = "default", template: bool = False) -> ValidationResult:
    """Validate *pod* as the API server does on create, after defaulting a copy of it.

    Args:
        pod: The pod, as decoded (no defaults applied; this function applies them to a copy).
        namespace: The request's namespace, used when ``metadata.namespace`` is empty (kubectl
            sends the current context's namespace, usually ``default``).
        template: Validate *pod* as the stand-in of a pod template (what
            :mod:`podmodel.apiserver.workloads` does): the template's defaults
            (``apply_defaults(template=True)``) and no Pod-only conversion. The rules that
            apply to Pods only are the caller's to leave out.

    Returns:
        Every error in the server's order, and the server's warnings when there is no error.
        Validation never raises on a decodable pod.
    """
    pod = apply_defaults(pod, template=template)
    grace = pod.spec.termination_grace_period_seconds
    if grace is not None and grace < 0 and not template:
        # Convert_v1_Pod_To_core_Pod (a Pod only, not a template): a negative grace period
        # becomes 1 before validation, so no warning follows either
        pod = attrs.evolve(pod, spec=attrs.evolve(pod.spec, termination_grace_period_seconds=1))
    meta = pod.metadata
    name = meta.name or ""
    if not name and meta.generate_name:
        # rest.BeforeCreate: generateName[:58] + 5 random characters; the stand-in here is
        # the oracle's fixed suffix, so messages naming the pod agree with it
        name = meta.generate_name[:58] + "xn8fg"
    errs = Errors()
    object_meta(errs, meta, name, meta.namespace or namespace)
    # (the annotation rules look annotations up: a pod without any skips them)
    annotations = meta.annotations
    if annotations:
        _pod_annotations(errs, meta, pod.spec)
    # a template's resource claims are checked as written: the mirror-pod refusal is a Pod's
    mirror = not template and bool(annotations) and "kubernetes.io/config.mirror" in annotations
    # A template's pod has no name yet: ValidatePodTemplateSpec checks no `<pod>-<volume>` claim
    # name of an ephemeral volume (whatever the template's own metadata.name says).
    _pod_spec(errs, pod.spec, "" if template else name, mirror=mirror)
    if not service_account_name(pod.spec):
        _projected_token(errs, pod.spec)
    for i, c in enumerate(pod.spec.containers):
        validate_image_whitespace(errs, c, _SPEC_AT["containers"], i)
    for i, c in enumerate(pod.spec.init_containers):
        validate_image_whitespace(errs, c, _SPEC_AT["initContainers"], i)
    if pod.spec.ephemeral_containers:
        errs.forbidden(
            _SPEC_AT["ephemeralContainers"],
            "cannot be set on create",
            "ephemeralContainers.create",
        )
    gates = pod.spec.scheduling_gates or pod.spec.extra.get("schedulingGates")
    if pod.spec.node_name and isinstance(gates, tuple) and gates:
        errs.forbidden(
            _SPEC_AT["nodeName"],
            "cannot be set until all schedulingGates have been cleared",
            "nodeName.schedulingGates",
        )
    if annotations:
        validate_annotation_field_match(errs, meta, pod.spec, _SPEC)
    warnings = () if errs else (*_name_warning(name), *pod_warnings(pod))
    return ValidationResult(errors=tuple(errs), warnings=warnings, name=name)


def _name_warning(name: str) -> tuple[FieldError, ...]:
    """The pod strategy's ``WarningsOnCreate`` starts with the name: it becomes the hostname."""
    msgs = is_dns1123_label(name)
    if not msgs:
        return ()
    detail = (
        "this is used in the Pod's hostname, which can result in surprising behavior; "
        f"a DNS label is recommended: [{' '.join(msgs)}]"
    )
    return (
        FieldError(
            type=ErrorType.WARNING, field=_META_AT["name"], detail=detail, origin="name.dnsLabel"
        ),
    )


def check(
    pod: Pod,
    *,
    namespace: str = "default",
    admission: bool = True,
    cluster: ClusterFacts | None = None,
) -> ValidationResult:
    """What ``kubectl apply`` of *pod* meets on a cluster: the default mutating admission
    (:func:`podmodel.admit`, with :data:`~podmodel.apiserver.admission.CHECKING` facts unless
    *cluster* is given: the classes and accounts a manifest names are assumed to exist), then
    validation; raise on a refusal, else return the result (its warnings).

    ``admission=False`` validates the pod as written, as :func:`validate` does.

    Raises:
        InvalidPod: The API server would reject the pod.
        AdmissionError: An admission plugin would refuse it.
    """
    denial = None
    if admission:
        admitted = _admission.admission(pod, cluster=cluster or CHECKING, namespace=namespace)
        pod, denial = admitted.pod, admitted.denial
    result = validate(pod, namespace=namespace)
    result.raise_for_errors()
    if denial is not None:
        raise denial
    return result


def _pod_annotations(errs: Errors, meta: ObjectMeta, spec: PodSpec) -> None:
    """``ValidatePodSpecificAnnotations``."""
    annotations = _META_AT["annotations"]
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
    validate_security_annotations(errs, meta.annotations, spec, annotations)


def _pod_spec(errs: Errors, spec: PodSpec, pod_name: str, *, mirror: bool = False) -> None:
    """``ValidatePodSpec``, in its order."""
    grace = spec.termination_grace_period_seconds
    if grace is None:
        errs.required(
            _SPEC_AT["terminationGracePeriodSeconds"], origin="terminationGracePeriodSeconds"
        )
    # A rule group whose fields are all unset adds nothing: it is skipped (a real pod sets few
    # of the optional fields, and each call, path and loop costs more than its check).
    # A list written empty (``tolerations: []``) counts as written: its attribute holds the
    # default, ``extra`` the marker ``written(...)`` returns.
    written = spec.extra.get
    volumes = validate_volumes(errs, spec.volumes, pod_name, _SPEC_AT["volumes"])
    claims = spec.resource_claims or written("resourceClaims")
    if claims is None:
        pass
    elif mirror and isinstance(claims, tuple) and claims:
        # validatePodResourceClaims refuses each of them for a mirror pod, at an empty key path
        for _ in claims:
            errs.forbidden(
                FieldPath((Key(name=""),)), "static pods do not support resource claims", "mirror"
            )
    else:
        validate_resource_claims(errs, claims, _SPEC_AT["resourceClaims"])
    os = spec.os
    pod = PodContext(
        claims=() if claims is None else pod_claim_names(claims),
        restart_policy=spec.restart_policy,
        os_name=str(os.get("name") or "") if isinstance(os, FrozenMap) else None,
        host_users=spec.host_users is not False,
    )
    validate_app_containers(errs, spec.containers, volumes, grace, _SPEC_AT["containers"], pod)
    if spec.init_containers:
        validate_init_containers(
            errs,
            spec.init_containers,
            spec.containers,
            volumes,
            grace,
            _SPEC_AT["initContainers"],
            pod,
        )
    if spec.ephemeral_containers:
        validate_ephemeral_containers(
            errs,
            spec.ephemeral_containers,
            spec.containers,
            spec.init_containers,
            volumes,
            _SPEC_AT["ephemeralContainers"],
            pod,
        )
    resources = spec.resources
    if isinstance(resources, FrozenMap):
        path = _SPEC_AT["resources"]
        pod_claims = resources.get("claims")
        pod_resources(errs, spec, pod_claims is not None, path)
        container_claims(errs, pod_claims, pod.claims, path.child("claims"))
        pod_resource_consistency(errs, spec, path)
    if spec.host_network:
        for i, c in enumerate(spec.containers):
            for j, port in enumerate(c.ports):
                if (port.host_port or 0) != (port.container_port or 0):
                    errs.invalid(
                        _SPEC_AT["containers"].index(i).child("ports").index(j).child("hostPort"),
                        port.host_port or 0,
                        "must match `containerPort` when `hostNetwork` is true",
                        "hostNetwork.hostPort",
                    )
    if not spec.restart_policy:
        errs.required(_SPEC_AT["restartPolicy"], origin="restartPolicy")
    elif spec.restart_policy not in _RESTART_POLICIES:
        errs.not_supported(
            _SPEC_AT["restartPolicy"], spec.restart_policy, _RESTART_POLICIES, "restartPolicy"
        )
    if not spec.dns_policy:
        errs.required(_SPEC_AT["dnsPolicy"], origin="dnsPolicy")
    elif spec.dns_policy not in _DNS_POLICIES:
        errs.not_supported(_SPEC_AT["dnsPolicy"], spec.dns_policy, _DNS_POLICIES, "dnsPolicy")
    if spec.node_selector:
        selector = _SPEC_AT["nodeSelector"]
        for key in sorted(spec.node_selector):
            for msg in is_qualified_name(key):
                errs.invalid(selector, key, msg, "nodeSelector.key")
            for msg in is_label_value(spec.node_selector[key]):
                errs.invalid(selector, spec.node_selector[key], msg, "nodeSelector.value")
    validate_pod_security_context(errs, spec, _SPEC_AT["securityContext"])
    pull_secrets = spec.image_pull_secrets or written("imagePullSecrets")
    if pull_secrets is not None:
        _image_pull_secrets(errs, pull_secrets)
    if spec.affinity is not None:
        validate_affinity(errs, spec.affinity, _SPEC_AT["affinity"])
    if spec.dns_policy == "None" or spec.dns_config is not None:
        _dns_config(errs, spec)
    gates = spec.readiness_gates or written("readinessGates")
    if gates is not None:
        validate_readiness_gates(errs, gates, _SPEC_AT["readinessGates"])
    gates = spec.scheduling_gates or written("schedulingGates")
    if gates is not None:
        validate_scheduling_gates(errs, gates, _SPEC_AT["schedulingGates"])
    spread = spec.topology_spread_constraints or written("topologySpreadConstraints")
    if spread is not None:
        validate_topology_spread(errs, spread, _SPEC_AT["topologySpreadConstraints"])
    # hostProcess is a windowsOptions field: without a security context, nothing to check
    secured = envs = False
    for cs in (spec.init_containers, spec.containers, spec.ephemeral_containers):
        for c in cs:
            secured = secured or c.security_context is not None
            envs = envs or bool(c.env)
    if secured or _map(spec.security_context).get("windowsOptions") is not None:
        validate_windows_host_process(errs, spec, _SPEC)
    if spec.host_users is False:
        validate_host_users(errs, spec, _SPEC)
    if spec.hostname_override is not None:
        _hostname_override(errs, spec)
    account = service_account_name(spec)
    if account:
        errs.subdomain(_SPEC_AT["serviceAccountName"], account, "serviceAccountName")
    if spec.node_name:
        errs.subdomain(_SPEC_AT["nodeName"], spec.node_name, "nodeName")
    deadline = spec.active_deadline_seconds
    if deadline is not None and not 1 <= deadline <= 2147483647:
        errs.invalid(
            _SPEC_AT["activeDeadlineSeconds"],
            deadline,
            inclusive_range(1, 2147483647),
            "activeDeadlineSeconds",
        )
    if spec.hostname:
        errs.label(_SPEC_AT["hostname"], spec.hostname, "hostname")
    if spec.subdomain:
        errs.label(_SPEC_AT["subdomain"], spec.subdomain, "subdomain")
    tolerations = spec.tolerations or written("tolerations")
    if tolerations is not None:
        validate_tolerations(errs, tolerations, _SPEC_AT["tolerations"])
    aliases = spec.host_aliases or written("hostAliases")
    if aliases is not None:
        _host_aliases(errs, aliases)
    if spec.priority_class_name:
        errs.subdomain(_SPEC_AT["priorityClassName"], spec.priority_class_name, "priorityClassName")
    runtime = spec.runtime_class_name
    if isinstance(runtime, str):
        errs.subdomain(_SPEC_AT["runtimeClassName"], runtime, "runtimeClassName")
    preemption = spec.preemption_policy
    if preemption == "":
        errs.required(_SPEC_AT["preemptionPolicy"], origin="preemptionPolicy")
    elif isinstance(preemption, str) and preemption not in ("Never", "PreemptLowerPriority"):
        errs.not_supported(
            _SPEC_AT["preemptionPolicy"],
            preemption,
            ("PreemptLowerPriority", "Never"),
            "preemptionPolicy",
        )
    overhead = spec.overhead or written("overhead")
    if isinstance(overhead, FrozenMap):
        resource_requirements(errs, FrozenMap({"limits": overhead}), _SPEC_AT["overhead"])
    if spec.os is not None:
        validate_os(errs, spec, _SPEC)
    if spec.workload_ref is not None:
        validate_workload_ref(errs, spec.workload_ref, _SPEC_AT["workloadRef"])
    if envs:  # (the env vars' fileKeyRef volumes; nothing to read without env vars)
        _file_key_volumes(errs, spec)


def _file_key_volumes(errs: Errors, spec: PodSpec) -> None:
    every_volume = {v.name or "": v for v in spec.volumes}
    for key, items in (
        ("initContainers", spec.init_containers),
        ("containers", spec.containers),
        ("ephemeralContainers", spec.ephemeral_containers),
    ):
        for i, c in enumerate(items):
            if c.env:
                file_key_volumes(errs, c, every_volume, _SPEC.child(key).index(i).child("env"))


def _map(value: Any) -> FrozenMap[str, Any]:
    return value if isinstance(value, FrozenMap) else _NO_MAP


def service_account_name(spec: PodSpec) -> str:
    """The service account: ``serviceAccountName``, else the deprecated ``serviceAccount``
    (the v1 → internal conversion of v1.35 copies it over)."""
    if spec.service_account_name:
        return spec.service_account_name
    alias = spec.service_account
    return alias if isinstance(alias, str) else ""


def _image_pull_secrets(errs: Errors, secrets: Any) -> None:
    """``validateImagePullSecrets``: only ``name`` may be set."""
    for i, ref in enumerate(secrets if isinstance(secrets, tuple) else ()):
        if isinstance(ref, FrozenMap) and set(ref) - {"name"}:
            errs.invalid(
                _SPEC_AT["imagePullSecrets"].index(i),
                {"Name": ref.get("name") or ""},
                "only name may be set",
                "imagePullSecrets",
            )


def _hostname_override(errs: Errors, spec: PodSpec) -> None:
    value = spec.hostname_override
    if not isinstance(value, str):
        return
    path = _SPEC_AT["hostnameOverride"]
    if spec.set_hostname_as_fqdn is True:
        errs.forbidden(path, "may not be specified when setHostnameAsFQDN is true")
    if spec.host_network:
        errs.forbidden(path, "may not be specified when hostNetwork is true")
    if len(value.encode()) > 64:
        errs.too_long(path, 64, "hostnameOverride.length")
    errs.subdomain(path, value, "hostnameOverride")


_SEARCH_FMT = r"_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*"
_SEARCH_RE = re.compile(_SEARCH_FMT)
_SEARCH_MSG = regex_error(
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
    "'_', '-' or '.', and must start and end with an alphanumeric character",
    _SEARCH_FMT,
    "example.com",
)
_IP_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"


def _dns_config(errs: Errors, spec: PodSpec) -> None:
    """``validatePodDNSConfig`` (with the relaxed search validation of v1.35)."""
    config = spec.dns_config
    path = _SPEC_AT["dnsConfig"]
    if spec.dns_policy == "None":
        if not isinstance(config, FrozenMap):
            errs.required(path, "must provide `dnsConfig` when `dnsPolicy` is None", "dnsConfig")
            return
        if not config.get("nameservers"):
            errs.required(
                path.child("nameservers"),
                "must provide at least one DNS nameserver when `dnsPolicy` is None",
                "dnsConfig.nameservers.required",
            )
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
                path.child("nameservers").index(i), ns, _IP_MSG, "dnsConfig.nameservers.ip"
            )
    searches = config.get("searches") or ()
    if len(searches) > 32:
        errs.invalid(
            path.child("searches"),
            searches,
            "must not have more than 32 search paths",
            "dnsConfig.searches.count",
        )
    if len(" ".join(str(x) for x in searches)) > 2048:
        errs.invalid(
            path.child("searches"),
            searches,
            "must not have more than 2048 characters (including spaces) in the search list",
            "dnsConfig.searches.length",
        )
    for i, search in enumerate(searches):
        if search == ".":
            continue
        value = str(search).removesuffix(".")
        if len(value.encode()) > 253:
            errs.invalid(
                path.child("searches").index(i), value, "must be no more than 253 characters"
            )
        if not _SEARCH_RE.fullmatch(value):
            errs.invalid(path.child("searches").index(i), value, _SEARCH_MSG, "dnsConfig.searches")
    for i, option in enumerate(config.get("options") or ()):
        if isinstance(option, FrozenMap) and not option.get("name"):
            errs.required(path.child("options").index(i), "must not be empty", "dnsConfig.options")


def _host_aliases(errs: Errors, aliases: Any) -> None:
    if not isinstance(aliases, tuple):
        return
    for i, alias in enumerate(aliases):
        if not isinstance(alias, FrozenMap):
            continue
        p = _SPEC_AT["hostAliases"].index(i)
        ip = alias.get("ip") or ""
        if parse_ip_sloppy(ip) is None:  # leading zeros are accepted (and warned about)
            errs.invalid(
                p.child("ip"),
                ip,
                _IP_MSG,
                "hostAliases.ip",
            )
        for j, host in enumerate(alias.get("hostnames") or ()):
            errs.subdomain(p.child("hostnames").index(j), str(host), "hostAliases.hostnames")


def _projected_token(errs: Errors, spec: PodSpec) -> None:
    for i, vol in enumerate(spec.volumes):
        for src in vol.sources:
            if src.kind != "projected":
                continue
            fields: FrozenMap[str, Any] = getattr(src, "fields", _NO_MAP)
            sources = fields.get("sources")
            for k, proj in enumerate(sources if isinstance(sources, tuple) else ()):
                if isinstance(proj, FrozenMap) and proj.get("serviceAccountToken") is not None:
                    errs.forbidden(
                        _SPEC_AT["volumes"]
                        .index(i)
                        .child("projected", "sources")
                        .index(k)
                        .child("serviceAccountToken"),
                        "must not be specified when serviceAccountName is not set",
                        "projected.serviceAccountToken.noServiceAccount",
                    )
