"""The API server's v1 defaulting, as an explicit step: ``apply_defaults(pod) -> Pod``.

Kubernetes fills in defaults after decoding and before validation
(``pkg/apis/core/v1/defaults.go`` and ``zz_generated.defaults.go``, v1.35). Decoding in podmodel
never does; :func:`podmodel.validate` applies these defaults to its own copy, as the server does.

>>> import podmodel
>>> pod = podmodel.loads('''
... apiVersion: v1
... kind: Pod
... metadata: {name: p}
... spec:
...   containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
...   volumes: [{name: scratch}]
... ''')
>>> d = apply_defaults(pod)
>>> d.spec.restart_policy, d.spec.containers[0].ports[0].protocol, d.spec.containers[0].image_pull_policy
('Always', 'TCP', 'Always')
>>> d.spec.volumes[0].source
EmptyDir(kind='emptyDir', medium=None, size_limit=None, mode=None, extra=FrozenMap({}))
"""

from __future__ import annotations

import functools
import re
from typing import Any

from podmodel.apiserver._resource_rules import aggregate_requests
from podmodel.model._frozen import FrozenMap, replace, replacer
from podmodel.model._typed import lookup
from podmodel.model.spec import (
    Container,
    ContainerPort,
    EmptyDir,
    EnvVar,
    HostPath,
    OtherVolumeSource,
    Pod,
    PodSpec,
    Volume,
)

__all__ = ["apply_defaults", "default_pull_policy"]

# distribution/reference grammar, as parsers.ParseImageName (docker's ParseNormalizedNamed) uses.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(
    rf"(?P<name>(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*)"
    rf"(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?"
)
_HEX64 = re.compile(r"[a-f0-9]{64}")


def _split_domain(image: str) -> tuple[str, str]:
    first, sep, rest = image.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        return first, rest
    return "", image


@functools.lru_cache(maxsize=1024)  # pure, and manifests name the same few images
def default_pull_policy(image: str | None) -> str:
    """``imagePullPolicy`` as the server defaults it from *image*.

    ``Always`` when the tag is ``latest`` or there is neither tag nor digest; otherwise (a tag,
    a digest, or an image that does not parse) ``IfNotPresent``.

    >>> [default_pull_policy(i) for i in ["nginx", "nginx:latest", "nginx:1.27", "NGINX", ""]]
    ['Always', 'Always', 'IfNotPresent', 'IfNotPresent', 'IfNotPresent']
    """
    if not image or _HEX64.fullmatch(image):
        return "IfNotPresent"
    m = _REFERENCE.fullmatch(image)
    if m is None or len(m["name"]) > 255:
        return "IfNotPresent"
    domain, remainder = _split_domain(m["name"])
    if domain and not re.fullmatch(_DOMAIN, domain):
        return "IfNotPresent"
    # ParseNormalizedNamed: the 255-character limit counts the path with an implied "library/"
    if len(("library/" if not domain and "/" not in remainder else "") + remainder) > 255:
        return "IfNotPresent"
    if remainder != remainder.lower() or not re.fullmatch(
        rf"{_COMPONENT}(?:/{_COMPONENT})*", remainder
    ):
        return "IfNotPresent"
    tag, digest = m["tag"], m["digest"]
    if tag == "latest" or (tag is None and digest is None):
        return "Always"
    return "IfNotPresent"


_PROBE_DEFAULTS = (
    ("timeoutSeconds", 1),
    ("periodSeconds", 10),
    ("successThreshold", 1),
    ("failureThreshold", 3),
)
_MODE_SOURCES = ("secret", "configMap", "downwardAPI", "projected")


def _http_get_defaults(get: Any) -> FrozenMap[str, Any] | None:
    """The defaulted ``httpGet`` action, or ``None`` when it needs nothing."""
    if isinstance(get, FrozenMap) and not (get.get("path") and get.get("scheme")):
        return type(get)._wrap(  # (an HTTPGetAction stays one)
            {**get, "path": get.get("path") or "/", "scheme": get.get("scheme") or "HTTP"}
        )
    return None


def _http_get(handler: Any) -> Any:
    if not isinstance(handler, FrozenMap):
        return handler
    get = _http_get_defaults(handler.get("httpGet"))
    return handler if get is None else handler.set("httpGet", get)


def _probe(probe: FrozenMap[str, Any] | None) -> FrozenMap[str, Any] | None:
    if probe is None:
        return None
    changes: dict[str, Any] = {key: value for key, value in _PROBE_DEFAULTS if not probe.get(key)}
    get = _http_get_defaults(probe.get("httpGet"))
    if get is not None:
        changes["httpGet"] = get
    # one copy for the missing timings and the defaulted httpGet together
    return type(probe)._wrap({**probe, **changes}) if changes else probe


def _lifecycle(lifecycle: FrozenMap[str, Any] | None) -> FrozenMap[str, Any] | None:
    if lifecycle is None:
        return None
    for hook in ("postStart", "preStop"):
        if hook in lifecycle:
            lifecycle = lifecycle.set(hook, _http_get(lifecycle[hook]))
    return lifecycle


def _field_ref(holder: FrozenMap[str, Any]) -> FrozenMap[str, Any]:
    ref = holder.get("fieldRef")
    if isinstance(ref, FrozenMap) and not ref.get("apiVersion"):
        holder = holder.set("fieldRef", ref.set("apiVersion", "v1"))
    return holder


def _env(var: EnvVar) -> EnvVar:
    if var.value_from is None:
        return var
    ref = _field_ref(var.value_from)
    return var if ref is var.value_from else replace(var, value_from=ref)


def _resources(res: FrozenMap[str, Any] | None) -> FrozenMap[str, Any] | None:
    """``SetDefaults_Pod``: limits are copied into missing requests."""
    if res is None:
        return None
    limits = res.get("limits")
    if not isinstance(limits, FrozenMap) or not limits:
        return res
    requests = res.get("requests")
    requests = requests if isinstance(requests, FrozenMap) else FrozenMap()
    if all(key in requests for key in limits):
        return res  # every limit already has its request: nothing to copy
    merged = dict(requests)
    for key, value in limits.items():
        merged.setdefault(key, value)
    return res.set("requests", FrozenMap(merged))


def _port(p: ContainerPort, host_network: bool) -> ContainerPort:
    if p.protocol and (p.host_port or not host_network):
        return p
    return _DEFAULTED_PORT(
        p,
        p.protocol or "TCP",
        p.container_port if host_network and not p.host_port else p.host_port,
    )


_DEFAULTED_PORT = replacer(ContainerPort, "protocol", "host_port")


# ``replacer``, not ``attrs.evolve``: every value below is already frozen, and defaulting runs
# for every validated pod (evolve's re-run of __init__ was a third of validate()); the copy
# functions take the new values positionally (no keyword dictionary to build and read).
_DEFAULTED_CONTAINER = replacer(
    Container,
    "ports",
    "env",
    "image_pull_policy",
    "termination_message_path",
    "termination_message_policy",
    "liveness_probe",
    "readiness_probe",
    "startup_probe",
    "lifecycle",
    "resources",
)


def _container(c: Container, host_network: bool, pod_level: bool) -> Container:
    # (the empty and unset fields, most of them, skip their helper)
    return _DEFAULTED_CONTAINER(
        c,
        tuple([_port(p, host_network) for p in c.ports]) if c.ports else (),
        tuple([_env(v) for v in c.env]) if c.env else (),
        c.image_pull_policy or default_pull_policy(c.image),
        c.termination_message_path or "/dev/termination-log",
        c.termination_message_policy or "File",
        None if c.liveness_probe is None else _probe(c.liveness_probe),
        None if c.readiness_probe is None else _probe(c.readiness_probe),
        None if c.startup_probe is None else _probe(c.startup_probe),
        None if c.lifecycle is None else _lifecycle(c.lifecycle),
        _resources(c.resources) if pod_level and c.resources is not None else c.resources,
    )


# (a source's fields are frozen already: no converter to run again)
_WITH_FIELDS = replacer(OtherVolumeSource, "fields")


def _volume(v: Volume) -> Volume:
    if not v.sources:
        return replace(v, sources=(EmptyDir(),))
    sources = []
    changed = False
    for given in v.sources:
        s = given
        if isinstance(s, HostPath) and s.type is None:
            s = replace(s, type="")
        elif isinstance(s, OtherVolumeSource) and s.kind in _SOURCE_DEFAULTS:
            s = _WITH_FIELDS(s, _SOURCE_DEFAULTS[s.kind](s.fields))
        elif isinstance(s, OtherVolumeSource) and s.kind in _MODE_SOURCES:
            fields = s.fields
            if fields.get("defaultMode") is None:
                fields = fields.set("defaultMode", 420)
            if s.kind == "downwardAPI":
                fields = _items_field_refs(fields)
            elif s.kind == "projected":
                fields = _projected(fields)
            s = _WITH_FIELDS(s, fields)
        sources.append(s)
        changed = changed or s is not given
    # a volume with nothing to default (a claim, an emptyDir) is shared, not copied
    return replace(v, sources=tuple(sources)) if changed else v


def _fill(pointers: bool = False, **defaults: Any) -> Any:
    """A source's ``SetDefaults_*``: each missing field (Go's nil pointer, or with *pointers*
    false its empty string) gets its default."""
    unset: tuple[Any, ...] = (None,) if pointers else (None, "")

    def fill(fields: FrozenMap[str, Any]) -> FrozenMap[str, Any]:
        for key, value in defaults.items():
            if fields.get(key) in unset:
                fields = fields.set(key, value)
        return fields

    return fill


def _image_volume(fields: FrozenMap[str, Any]) -> FrozenMap[str, Any]:
    """``SetDefaults_ImageVolumeSource``: the pull policy from the reference, as a container's."""
    if fields.get("pullPolicy"):
        return fields
    ref = fields.get("reference")
    return fields.set("pullPolicy", default_pull_policy(ref if isinstance(ref, str) else None))


def _ephemeral(fields: FrozenMap[str, Any]) -> FrozenMap[str, Any]:
    """``SetDefaults_PersistentVolumeClaimSpec`` of the claim template: ``volumeMode``."""
    template = fields.get("volumeClaimTemplate")
    if not isinstance(template, FrozenMap):
        return fields
    spec = template.get("spec")
    spec = spec if isinstance(spec, FrozenMap) else FrozenMap()
    if spec.get("volumeMode") is None:
        spec = spec.set("volumeMode", "Filesystem")
    return fields.set("volumeClaimTemplate", template.set("spec", spec))


# v1 defaults of the in-tree sources (pkg/apis/core/v1/defaults.go).
_SOURCE_DEFAULTS: dict[str, Any] = {
    "iscsi": _fill(iscsiInterface="default"),
    "azureDisk": _fill(
        pointers=True, cachingMode="ReadWrite", fsType="ext4", readOnly=False, kind="Shared"
    ),
    "rbd": _fill(pool="rbd", user="admin", keyring="/etc/ceph/keyring"),
    "scaleIO": _fill(storageMode="ThinProvisioned", fsType="xfs"),
    "image": _image_volume,
    "ephemeral": _ephemeral,
}


def _items_field_refs(fields: FrozenMap[str, Any]) -> FrozenMap[str, Any]:
    items = fields.get("items")
    if isinstance(items, tuple):
        fields = fields.set(
            "items", tuple(_field_ref(i) if isinstance(i, FrozenMap) else i for i in items)
        )
    return fields


def _projected(fields: FrozenMap[str, Any]) -> FrozenMap[str, Any]:
    sources = fields.get("sources")
    if not isinstance(sources, tuple):
        return fields
    out = []
    for src in sources:
        if isinstance(src, FrozenMap) and isinstance(src.get("downwardAPI"), FrozenMap):
            src = src.set("downwardAPI", _items_field_refs(src["downwardAPI"]))  # noqa: PLW2901
        token = src.get("serviceAccountToken") if isinstance(src, FrozenMap) else None
        if isinstance(token, FrozenMap) and token.get("expirationSeconds") is None:
            src = src.set("serviceAccountToken", token.set("expirationSeconds", 3600))  # noqa: PLW2901
        out.append(src)
    return fields.set("sources", tuple(out))


def apply_defaults(pod: Pod, *, template: bool = False) -> Pod:
    """The pod as the API server sees it after v1 defaulting (a new value; *pod* is unchanged).

    Covers the defaults that change what validation sees: ``restartPolicy: Always``,
    ``dnsPolicy: ClusterFirst``, ``terminationGracePeriodSeconds: 30``,
    ``schedulerName: default-scheduler``, ``securityContext: {}``, ``enableServiceLinks: true``;
    per container (all kinds) port ``protocol: TCP``, ``imagePullPolicy`` from the image tag,
    ``terminationMessagePath``/``Policy``, probe timings and ``httpGet`` path/scheme,
    ``fieldRef.apiVersion: v1``; ``hostPort := containerPort`` under ``hostNetwork`` (app and
    init containers); a volume with no source becomes ``emptyDir: {}``; ``hostPath.type: ""``;
    ``defaultMode: 420`` for secret, configMap, downwardAPI and projected volumes; and resource
    limits copied into missing requests.

    With *template*, the defaults of a pod template's spec: ``SetDefaults_Pod`` runs for a Pod
    only, so no limit is copied into a request (containers or pod level). The ``hostNetwork``
    ``hostPort`` is still filled; a caller that needs the template as written restores it.
    """
    spec = pod.spec
    host_network = bool(spec.host_network)
    pod_level = not template
    grace = spec.termination_grace_period_seconds
    new_spec: PodSpec = _DEFAULTED_SPEC(
        spec,
        tuple([_container(c, host_network, pod_level) for c in spec.containers]),
        tuple([_container(c, host_network, pod_level) for c in spec.init_containers])
        if spec.init_containers
        else (),
        tuple([_container(c, False, False) for c in spec.ephemeral_containers])
        if spec.ephemeral_containers
        else (),
        tuple([_volume(v) for v in spec.volumes]) if spec.volumes else (),
        spec.restart_policy or "Always",
        spec.dns_policy or "ClusterFirst",
        30 if grace is None else grace,
        spec.scheduler_name or "default-scheduler",
        spec.security_context if spec.security_context is not None else _no_security(),
        True if spec.enable_service_links is None else spec.enable_service_links,
    )
    return _WITH_SPEC(pod, new_spec if template else _pod_requests(new_spec))


_DEFAULTED_SPEC = replacer(
    PodSpec,
    "containers",
    "init_containers",
    "ephemeral_containers",
    "volumes",
    "restart_policy",
    "dns_policy",
    "termination_grace_period_seconds",
    "scheduler_name",
    "security_context",
    "enable_service_links",
)
_WITH_SPEC = replacer(Pod, "spec")


@functools.cache
def _no_security() -> Any:
    """The empty ``PodSecurityContext`` defaulting writes, shared (it is immutable)."""
    return lookup("PodSecurityContext")()


def _pod_level(name: str) -> bool:
    """``IsSupportedPodLevelResource``: cpu, memory and huge pages."""
    return name in ("cpu", "memory") or name.startswith("hugepages-")


def _pod_requests(spec: PodSpec) -> PodSpec:
    """``defaultHugePagePodLimits`` then ``defaultPodRequests`` (PodLevelResources): with
    pod-level resources, each huge-page size neither limited nor requested at pod level gets
    the containers' aggregate limit; then,
    with pod-level limits, each missing cpu or memory request is the containers' aggregate
    request, and each missing request of a pod-level limit is that limit."""
    res = spec.resources
    if not isinstance(res, FrozenMap):
        return spec
    current = res.get("limits")
    limits: dict[str, Any] = dict(current) if isinstance(current, FrozenMap) else {}
    given = res.get("requests")
    given = given if isinstance(given, FrozenMap) else FrozenMap()
    if limits or given:
        for name, q in aggregate_requests(spec, "limits").items():
            if name.startswith("hugepages-") and name not in limits and name not in given:
                limits[name] = str(q)
        if limits:
            res = res.set("limits", FrozenMap(limits))
    if not limits:
        return replace(spec, resources=res)
    current = res.get("requests")
    requests: dict[str, Any] = dict(current) if isinstance(current, FrozenMap) else {}
    for name, q in aggregate_requests(spec).items():
        if name not in requests and name in ("cpu", "memory"):
            requests[name] = str(q)
    for name, limit in limits.items():
        if name not in requests and _pod_level(name):
            requests[name] = limit
    if requests:
        res = res.set("requests", FrozenMap(requests))
    return replace(spec, resources=res)
