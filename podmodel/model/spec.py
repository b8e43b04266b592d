"""The typed, immutable Pod model.

Every class is a frozen, slotted, keyword-only ``attrs`` class: assigning to an attribute raises,
equal values hash equally, and :func:`attrs.evolve` returns a changed copy. Sequences are tuples
and mappings are :class:`~podmodel.FrozenMap`.

The model is *well-typed*, not necessarily *valid*: it can hold a pod the API server would reject
(that is what :func:`podmodel.validate` is for). Attribute names are snake_case; each attribute's
manifest (camelCase) name is in its ``metadata["wire"]``.

Every field of the v1.35 schema is a typed attribute; nested objects (probes, resources,
security contexts, affinity, tolerations, ...) are instances of the generated classes of
:mod:`podmodel.model.v1`. A ``None`` attribute means "not written". What the typed attributes
cannot express is kept in each object's ``extra`` mapping, keyed by manifest name, so that
nothing is lost:

* a field written as ``null`` (``emptyDir:`` with no value), or a list or map written empty
  (``ports: []``), whose typed attribute shows only the default;
* a field the schema does not have, kept by decoding with ``field_validation="Warn"``.

>>> c = Container(name="web", image="nginx", ports=(ContainerPort(container_port=80),))
>>> c.ports[0].container_port
80
>>> attrs.evolve(c, image="nginx:1.27").image
'nginx:1.27'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from podmodel.model._frozen import FrozenMap, JSONValue, filler, freeze
from podmodel.model._typed import WireObject, build, converter, lookup
from podmodel.model.schema import catalogue

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from podmodel.model._generated._containers import (
        ContainerResizePolicy,
        ContainerRestartRule,
        EnvFromSource,
        EnvVarSource,
        ResourceRequirements,
        VolumeDevice,
    )
    from podmodel.model._generated._handlers import Lifecycle, Probe
    from podmodel.model._generated._meta import (
        LocalObjectReference,
        ManagedFieldsEntry,
        OwnerReference,
    )
    from podmodel.model._generated._pod import (
        HostAlias,
        PodDNSConfig,
        PodOS,
        PodReadinessGate,
        PodResourceClaim,
        PodSchedulingGate,
        WorkloadReference,
    )
    from podmodel.model._generated._scheduling import (
        Affinity,
        Toleration,
        TopologySpreadConstraint,
    )
    from podmodel.model._generated._security import PodSecurityContext, SecurityContext
    from podmodel.model._generated._status import PodStatus

__all__ = [
    "Container",
    "ContainerKind",
    "ContainerPort",
    "EmptyDir",
    "EnvVar",
    "FrozenMap",
    "HostPath",
    "ObjectMeta",
    "OtherVolumeSource",
    "Pod",
    "PodSpec",
    "Volume",
    "VolumeMount",
    "VolumeSource",
    "manifest_fields",
]


def manifest_fields(obj: Any) -> FrozenMap[str, Any]:
    """The manifest fields of a hand-written model object, one level deep, keyed by manifest
    name: each attribute that holds something, then ``extra`` (a field written ``null`` or
    empty, an unknown one). Nested values are the model's own.

    >>> manifest_fields(Container(name="c", tty=True, extra={"ports": ()}))
    FrozenMap({'name': 'c', 'tty': True, 'ports': ()})
    """
    data: dict[str, Any] = {}
    for attr, wire, listed in _attr_wires(type(obj)):
        value = getattr(obj, attr)
        if value is None or (listed and not value):  # (a list or map attribute at its default)
            continue
        data[wire] = value
    data.update(obj.extra)
    return FrozenMap._wrap(data)


def _attr_wires(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """(attribute, manifest name, whether its default is an empty list or map), in order."""
    got = _ATTR_WIRES.get(cls)
    if got is None:
        factory: Any = attrs.Factory  # (a class at run time)
        got = _ATTR_WIRES[cls] = tuple(
            (f.name, f.metadata["wire"], f.default == () or isinstance(f.default, factory))
            for f in attrs.fields(cls)
            if f.metadata.get("wire")
        )
    return got


_ATTR_WIRES: dict[type, tuple[tuple[str, str, bool], ...]] = {}


#: The converters that return a value already in its final form (a tuple, a ``FrozenMap``,
#: frozen data, a generated object) unchanged: an object built from final values may skip them.
_IDEMPOTENT: set[Callable[[Any], Any]] = set()


def _extra(value: Mapping[str, Any] | None) -> FrozenMap[str, JSONValue]:
    if isinstance(value, FrozenMap):
        return value
    return freeze(value or {})  # type: ignore[no-any-return]


def _tuple(value: Any) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else tuple(value)


def _opt_tuple(value: Any) -> tuple[Any, ...] | None:
    return None if value is None else _tuple(value)


def _strmap(value: Mapping[str, str] | None) -> FrozenMap[str, str]:
    if isinstance(value, FrozenMap):
        return value
    return FrozenMap(value or {})


def _json(value: Any) -> Any:
    return freeze(value)


S = TypeVar("S")


def _object(name: str, wire: str) -> Callable[[Any], Any]:
    """The converter of an attribute holding an object of the generated class *name*: a
    mapping (its keys manifest names) becomes that class, nulls and empty lists kept."""
    convert = converter(f"@{name}", wire)
    _IDEMPOTENT.add(convert)
    return convert


def _objects(name: str, wire: str) -> Callable[[Any], Any]:
    """The converter of a list of objects of the generated class *name*."""
    convert = converter(f"[@{name}", wire)
    _IDEMPOTENT.add(convert)
    return convert


def _typed(name: str, wire: str) -> Any:
    """An optional attribute holding one object of the generated class *name*."""
    return _wire(wire, converter=_object(name, wire))


def _typed_list(name: str, wire: str) -> Any:
    """A list attribute of objects of the generated class *name* (``()`` when not written)."""
    return _wire(wire, default=(), converter=_objects(name, wire))


def _wire(name: str, **kw: Any) -> Any:
    """An optional attribute whose manifest name is *name* (default ``None``)."""
    if "factory" not in kw:
        kw.setdefault("default", None)
    return attrs.field(metadata={"wire": name}, **kw)


def _extra_field() -> Any:
    return attrs.field(factory=FrozenMap, converter=_extra, metadata={"wire": None})


@attrs.frozen(kw_only=True)
class ContainerPort:
    """One entry of a container's ``ports`` list.

    .. versionadded:: 0.1.0
    """

    container_port: int | None = _wire("containerPort")
    host_port: int | None = _wire("hostPort")
    host_ip: str | None = _wire("hostIP")
    protocol: str | None = _wire("protocol")
    name: str | None = _wire("name")
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class EnvVar:
    """One environment variable: a literal ``value`` or a ``value_from`` source.

    .. versionadded:: 0.1.0
    """

    name: str | None = _wire("name")
    value: str | None = _wire("value")
    value_from: EnvVarSource | None = _typed("EnvVarSource", "valueFrom")
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class VolumeMount:
    """One entry of a container's ``volumeMounts`` list.

    .. versionadded:: 0.1.0
    """

    name: str | None = _wire("name")
    mount_path: str | None = _wire("mountPath")
    sub_path: str | None = _wire("subPath")
    sub_path_expr: str | None = _wire("subPathExpr")
    read_only: bool | None = _wire("readOnly")
    mount_propagation: str | None = _wire("mountPropagation")
    recursive_read_only: str | None = _wire("recursiveReadOnly")
    extra: FrozenMap[str, JSONValue] = _extra_field()


class ContainerKind:
    """The lists a container can live in (their manifest names).

    .. versionadded:: 0.1.0
    """

    APP = "containers"
    INIT = "initContainers"
    EPHEMERAL = "ephemeralContainers"


@attrs.frozen(kw_only=True)
class Container:
    """A container of any kind: app, init (a sidecar when ``restart_policy == "Always"``) or
    ephemeral (``target_container_name`` is only legal there).

    Probes, ``lifecycle``, ``resources``, ``securityContext`` and the other nested objects are
    instances of the generated classes (``Probe``, ``ResourceRequirements``, ...), each also
    the read-only mapping of its manifest fields.

    .. versionadded:: 0.1.0
    """

    name: str | None = _wire("name")
    image: str | None = _wire("image")
    command: tuple[str, ...] | None = _wire("command", converter=_opt_tuple)
    args: tuple[str, ...] | None = _wire("args", converter=_opt_tuple)
    working_dir: str | None = _wire("workingDir")
    ports: tuple[ContainerPort, ...] = _wire("ports", default=(), converter=_tuple)
    env: tuple[EnvVar, ...] = _wire("env", default=(), converter=_tuple)
    env_from: tuple[EnvFromSource, ...] = _typed_list("EnvFromSource", "envFrom")
    volume_mounts: tuple[VolumeMount, ...] = _wire("volumeMounts", default=(), converter=_tuple)
    volume_devices: tuple[VolumeDevice, ...] = _typed_list("VolumeDevice", "volumeDevices")
    image_pull_policy: str | None = _wire("imagePullPolicy")
    restart_policy: str | None = _wire("restartPolicy")
    termination_message_path: str | None = _wire("terminationMessagePath")
    termination_message_policy: str | None = _wire("terminationMessagePolicy")
    resources: ResourceRequirements | None = _typed("ResourceRequirements", "resources")
    resize_policy: tuple[ContainerResizePolicy, ...] = _typed_list(
        "ContainerResizePolicy", "resizePolicy"
    )
    restart_policy_rules: tuple[ContainerRestartRule, ...] = _typed_list(
        "ContainerRestartRule", "restartPolicyRules"
    )
    liveness_probe: Probe | None = _typed("Probe", "livenessProbe")
    readiness_probe: Probe | None = _typed("Probe", "readinessProbe")
    startup_probe: Probe | None = _typed("Probe", "startupProbe")
    lifecycle: Lifecycle | None = _typed("Lifecycle", "lifecycle")
    security_context: SecurityContext | None = _typed("SecurityContext", "securityContext")
    stdin: bool | None = _wire("stdin")
    stdin_once: bool | None = _wire("stdinOnce")
    tty: bool | None = _wire("tty")
    target_container_name: str | None = _wire("targetContainerName")
    extra: FrozenMap[str, JSONValue] = _extra_field()

    @property
    def is_sidecar(self) -> bool:
        """True for an init container that keeps running (``restartPolicy: Always``)."""
        return self.restart_policy == "Always"


@attrs.frozen(kw_only=True)
class VolumeSource:
    """Base of the volume sources (never built itself).

    ``kind`` is the source's manifest name (``emptyDir``, ``hostPath``, ``configMap``, ...).

    .. versionadded:: 0.1.0
    """

    kind: str = attrs.field(default="", metadata={"wire": None})


@attrs.frozen(kw_only=True)
class EmptyDir(VolumeSource):
    """An ``emptyDir`` volume source.

    ``size_limit`` is a Kubernetes quantity as written (``"64Mi"``, or a number).

    .. versionadded:: 0.1.0
    """

    kind: str = attrs.field(default="emptyDir", init=False, metadata={"wire": None})
    medium: str | None = _wire("medium")
    size_limit: str | int | float | None = _wire("sizeLimit")
    mode: int | None = _wire("mode")
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class HostPath(VolumeSource):
    """A ``hostPath`` volume source: a path of the node's file system.

    .. versionadded:: 0.1.0
    """

    kind: str = attrs.field(default="hostPath", init=False, metadata={"wire": None})
    path: str | None = _wire("path")
    type: str | None = _wire("type")
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class OtherVolumeSource(VolumeSource):
    """Any other v1 volume source (``configMap``, ``secret``, ``projected``, ...).

    ``fields`` is the source as an object of its generated class (``ConfigMapVolumeSource``,
    ``ProjectedVolumeSource``, ...; any mapping given is converted), which is also the mapping
    of its manifest fields.

    >>> src = OtherVolumeSource(kind="configMap", fields={"name": "app-config"})
    >>> src.fields["name"], src.fields.name, type(src.fields).__name__
    ('app-config', 'app-config', 'ConfigMapVolumeSource')

    .. versionadded:: 0.1.0
    """

    kind: str = attrs.field(metadata={"wire": None})
    fields: FrozenMap[str, JSONValue] = attrs.field(
        factory=FrozenMap, converter=_extra, metadata={"wire": None}
    )

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.fields, WireObject):
            name = _source_definition(self.kind)
            if name is not None:
                object.__setattr__(self, "fields", build(lookup(name), self.fields))


def _source_definition(kind: str) -> str | None:
    """The definition of the volume source called *kind* in a Volume (``None``: not one)."""
    code = catalogue().fields("Volume").get(kind)
    return code[1:] if code and code[0] == "@" else None


@attrs.frozen(kw_only=True)
class Volume:
    """One entry of ``spec.volumes``.

    ``sources`` holds every source written, in manifest order: a valid volume has exactly one
    (or none, which the API server defaults to ``emptyDir``).

    .. versionadded:: 0.1.0
    """

    name: str | None = _wire("name")
    sources: tuple[VolumeSource, ...] = attrs.field(
        default=(), converter=_tuple, metadata={"wire": None}
    )
    extra: FrozenMap[str, JSONValue] = _extra_field()

    @property
    def source(self) -> VolumeSource | None:
        """The volume's one source, or ``None`` when it has none or several."""
        return self.sources[0] if len(self.sources) == 1 else None

    def source_of(self, kind: type[S]) -> S | None:
        """The volume's source of class *kind*, typed: one of the hand-written sources
        (:class:`EmptyDir`, :class:`HostPath`) or a generated one (``ConfigMapVolumeSource``,
        ``ProjectedVolumeSource``, ...: the ``fields`` of an :class:`OtherVolumeSource`), or
        ``None`` when the volume has no source of that class.

        >>> from podmodel.model.v1 import ConfigMapVolumeSource
        >>> vol = Volume(name="cfg", sources=(OtherVolumeSource(kind="configMap",
        ...     fields={"name": "app", "defaultMode": 0o644}),))
        >>> cm = vol.source_of(ConfigMapVolumeSource)
        >>> cm.name, cm.default_mode, vol.source_of(EmptyDir)
        ('app', 420, None)
        """
        for s in self.sources:
            if isinstance(s, kind):
                return s
            if isinstance(s, OtherVolumeSource) and isinstance(s.fields, kind):
                return s.fields
        return None

    @property
    def empty_dir(self) -> EmptyDir | None:
        """The ``emptyDir`` source, if the volume has one."""
        for s in self.sources:
            if isinstance(s, EmptyDir):
                return s
        return None

    @property
    def host_path(self) -> HostPath | None:
        """The ``hostPath`` source, if the volume has one."""
        for s in self.sources:
            if isinstance(s, HostPath):
                return s
        return None


@attrs.frozen(kw_only=True)
class ObjectMeta:
    """A pod's ``metadata``.

    .. versionadded:: 0.1.0
    """

    name: str | None = _wire("name")
    generate_name: str | None = _wire("generateName")
    namespace: str | None = _wire("namespace")
    labels: FrozenMap[str, str] = _wire("labels", factory=FrozenMap, converter=_strmap)
    annotations: FrozenMap[str, str] = _wire("annotations", factory=FrozenMap, converter=_strmap)
    owner_references: tuple[OwnerReference, ...] = _typed_list("OwnerReference", "ownerReferences")
    finalizers: tuple[str, ...] = _wire("finalizers", default=(), converter=_tuple)
    uid: str | None = _wire("uid")
    resource_version: str | None = _wire("resourceVersion")
    generation: int | None = _wire("generation")
    creation_timestamp: str | None = _wire("creationTimestamp")
    deletion_timestamp: str | None = _wire("deletionTimestamp")
    deletion_grace_period_seconds: int | None = _wire("deletionGracePeriodSeconds")
    self_link: str | None = _wire("selfLink")
    managed_fields: tuple[ManagedFieldsEntry, ...] = _typed_list(
        "ManagedFieldsEntry", "managedFields"
    )
    extra: FrozenMap[str, JSONValue] = _extra_field()


@attrs.frozen(kw_only=True)
class PodSpec:
    """A pod's ``spec``.

    .. versionadded:: 0.1.0
    """

    containers: tuple[Container, ...] = _wire("containers", default=(), converter=_tuple)
    init_containers: tuple[Container, ...] = _wire("initContainers", default=(), converter=_tuple)
    ephemeral_containers: tuple[Container, ...] = _wire(
        "ephemeralContainers", default=(), converter=_tuple
    )
    volumes: tuple[Volume, ...] = _wire("volumes", default=(), converter=_tuple)
    restart_policy: str | None = _wire("restartPolicy")
    dns_policy: str | None = _wire("dnsPolicy")
    hostname: str | None = _wire("hostname")
    subdomain: str | None = _wire("subdomain")
    host_network: bool | None = _wire("hostNetwork")
    host_pid: bool | None = _wire("hostPID")
    host_ipc: bool | None = _wire("hostIPC")
    share_process_namespace: bool | None = _wire("shareProcessNamespace")
    node_name: str | None = _wire("nodeName")
    node_selector: FrozenMap[str, str] = _wire("nodeSelector", factory=FrozenMap, converter=_strmap)
    service_account_name: str | None = _wire("serviceAccountName")
    active_deadline_seconds: int | None = _wire("activeDeadlineSeconds")
    termination_grace_period_seconds: int | None = _wire("terminationGracePeriodSeconds")
    scheduler_name: str | None = _wire("schedulerName")
    priority_class_name: str | None = _wire("priorityClassName")
    enable_service_links: bool | None = _wire("enableServiceLinks")
    security_context: PodSecurityContext | None = _typed("PodSecurityContext", "securityContext")
    affinity: Affinity | None = _typed("Affinity", "affinity")
    tolerations: tuple[Toleration, ...] = _typed_list("Toleration", "tolerations")
    topology_spread_constraints: tuple[TopologySpreadConstraint, ...] = _typed_list(
        "TopologySpreadConstraint", "topologySpreadConstraints"
    )
    priority: int | None = _wire("priority")
    preemption_policy: str | None = _wire("preemptionPolicy")
    runtime_class_name: str | None = _wire("runtimeClassName")
    overhead: FrozenMap[str, str | int | float] = _wire(
        "overhead", factory=FrozenMap, converter=_json
    )
    resources: ResourceRequirements | None = _typed("ResourceRequirements", "resources")
    service_account: str | None = _wire("serviceAccount")
    automount_service_account_token: bool | None = _wire("automountServiceAccountToken")
    image_pull_secrets: tuple[LocalObjectReference, ...] = _typed_list(
        "LocalObjectReference", "imagePullSecrets"
    )
    dns_config: PodDNSConfig | None = _typed("PodDNSConfig", "dnsConfig")
    host_aliases: tuple[HostAlias, ...] = _typed_list("HostAlias", "hostAliases")
    hostname_override: str | None = _wire("hostnameOverride")
    set_hostname_as_fqdn: bool | None = _wire("setHostnameAsFQDN")
    host_users: bool | None = _wire("hostUsers")
    os: PodOS | None = _typed("PodOS", "os")
    readiness_gates: tuple[PodReadinessGate, ...] = _typed_list(
        "PodReadinessGate", "readinessGates"
    )
    scheduling_gates: tuple[PodSchedulingGate, ...] = _typed_list(
        "PodSchedulingGate", "schedulingGates"
    )
    resource_claims: tuple[PodResourceClaim, ...] = _typed_list(
        "PodResourceClaim", "resourceClaims"
    )
    workload_ref: WorkloadReference | None = _typed("WorkloadReference", "workloadRef")
    extra: FrozenMap[str, JSONValue] = _extra_field()

    @property
    def sidecars(self) -> tuple[Container, ...]:
        """The init containers that keep running (``restartPolicy: Always``)."""
        return tuple(c for c in self.init_containers if c.is_sidecar)

    def all_containers(self) -> Iterator[tuple[str, int, Container]]:
        """Every container as ``(list name, index, container)``: init, app, then ephemeral."""
        for kind, items in (
            (ContainerKind.INIT, self.init_containers),
            (ContainerKind.APP, self.containers),
            (ContainerKind.EPHEMERAL, self.ephemeral_containers),
        ):
            for i, c in enumerate(items):
                yield kind, i, c

    def volume(self, name: str) -> Volume | None:
        """The volume called *name*, or ``None``."""
        for v in self.volumes:
            if v.name == name:
                return v
        return None


@attrs.frozen(kw_only=True)
class Pod:
    """A v1 Pod.

    >>> pod = Pod(metadata=ObjectMeta(name="mypod"),
    ...           spec=PodSpec(containers=(Container(name="c", image="nginx"),)))
    >>> pod.metadata.name, pod.spec.containers[0].image
    ('mypod', 'nginx')

    .. versionadded:: 0.1.0
    """

    api_version: str | None = _wire("apiVersion", default="v1")
    kind: str | None = _wire("kind", default="Pod")
    metadata: ObjectMeta = _wire("metadata", factory=ObjectMeta)
    spec: PodSpec = _wire("spec", factory=PodSpec)
    status: PodStatus | None = _typed("PodStatus", "status")
    extra: FrozenMap[str, JSONValue] = _extra_field()

    def __repr__(self) -> str:
        """The pod's name, namespace and containers (``podmodel.dumps(pod)`` shows it all)."""
        inits = tuple(c.name for c in self.spec.init_containers)
        init = f", init_containers={inits!r}" if inits else ""
        return (
            f"Pod(name={self.metadata.name!r}, namespace={self.metadata.namespace!r}, "
            f"containers={tuple(c.name for c in self.spec.containers)!r}{init})"
        )

    @property
    def name(self) -> str:
        """``metadata.name`` (``""`` when unset)."""
        return self.metadata.name or ""


_IDEMPOTENT.update({_extra, _tuple, _opt_tuple, _strmap, _json})
_MAKERS: dict[type, Callable[[dict[str, Any]], Any]] = {}


def maker(cls: type[Any]) -> Callable[[dict[str, Any]], Any]:
    """A function making ``cls(**values)`` from *values* already in their final form (what the
    decoder builds: tuples, ``FrozenMap``, frozen data and generated objects). For a class whose converters are
    all idempotent and which has no validator, that is an instance with the defaults, made
    once, copied with the values set (:func:`~podmodel.model._frozen.filler`): several times
    faster than ``__init__`` running every converter."""
    make = _MAKERS.get(cls)
    if make is None:
        fields = attrs.fields(cls)
        hooks = hasattr(cls, "__attrs_pre_init__") or hasattr(cls, "__attrs_post_init__")
        if (
            hooks
            or any(f.validator is not None for f in fields)
            or any(f.converter is not None and f.converter not in _IDEMPOTENT for f in fields)
            or any(f.default is attrs.NOTHING for f in fields)  # no instance without values
        ):
            make = _MAKERS[cls] = lambda values: cls(**values)
        else:
            make = _MAKERS[cls] = filler(cls())
    return make
