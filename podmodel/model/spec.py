"""The typed, immutable Pod model.

Every class is a frozen, slotted, keyword-only ``attrs`` class: assigning to an attribute raises,
equal values hash equally, and :func:`attrs.evolve` returns a changed copy. Sequences are tuples
and mappings are :class:`~podmodel.FrozenMap`.

The model is *well-typed*, not necessarily *valid*: it can hold a pod the API server would reject
(that is what :func:`podmodel.validate` is for). Attribute names are snake_case; each attribute's
manifest (camelCase) name is in its ``metadata["wire"]``.

A ``None`` attribute means "not written". What the typed attributes cannot express is kept in each
object's ``extra`` mapping, keyed by manifest name, so that nothing is lost:

* fields podmodel gives no meaning to (``affinity``, ``tolerations``, ``status``, ...), verbatim;
* a modelled field written as ``null`` (``emptyDir:`` with no value), or a list or map written
  empty (``ports: []``), whose typed attribute shows only the default.

>>> c = Container(name="web", image="nginx", ports=(ContainerPort(container_port=80),))
>>> c.ports[0].container_port
80
>>> attrs.evolve(c, image="nginx:1.27").image
'nginx:1.27'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from podmodel.model._frozen import FrozenMap, JSONValue, freeze, replace

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

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
]


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
    """One environment variable: a literal ``value`` or a ``value_from`` source (kept verbatim).

    .. versionadded:: 0.1.0
    """

    name: str | None = _wire("name")
    value: str | None = _wire("value")
    value_from: FrozenMap[str, JSONValue] | None = _wire("valueFrom", converter=_json)
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

    Probes, ``lifecycle``, ``resources``, ``securityContext``, ``envFrom`` and ``volumeDevices``
    are kept as frozen JSON (``FrozenMap`` and tuples), exactly as written.

    .. versionadded:: 0.1.0
    """

    name: str | None = _wire("name")
    image: str | None = _wire("image")
    command: tuple[str, ...] | None = _wire("command", converter=_opt_tuple)
    args: tuple[str, ...] | None = _wire("args", converter=_opt_tuple)
    working_dir: str | None = _wire("workingDir")
    ports: tuple[ContainerPort, ...] = _wire("ports", default=(), converter=_tuple)
    env: tuple[EnvVar, ...] = _wire("env", default=(), converter=_tuple)
    env_from: tuple[FrozenMap[str, JSONValue], ...] = _wire("envFrom", default=(), converter=_json)
    volume_mounts: tuple[VolumeMount, ...] = _wire("volumeMounts", default=(), converter=_tuple)
    volume_devices: tuple[FrozenMap[str, JSONValue], ...] = _wire(
        "volumeDevices", default=(), converter=_json
    )
    image_pull_policy: str | None = _wire("imagePullPolicy")
    restart_policy: str | None = _wire("restartPolicy")
    termination_message_path: str | None = _wire("terminationMessagePath")
    termination_message_policy: str | None = _wire("terminationMessagePolicy")
    resources: FrozenMap[str, JSONValue] | None = _wire("resources", converter=_json)
    liveness_probe: FrozenMap[str, JSONValue] | None = _wire("livenessProbe", converter=_json)
    readiness_probe: FrozenMap[str, JSONValue] | None = _wire("readinessProbe", converter=_json)
    startup_probe: FrozenMap[str, JSONValue] | None = _wire("startupProbe", converter=_json)
    lifecycle: FrozenMap[str, JSONValue] | None = _wire("lifecycle", converter=_json)
    security_context: FrozenMap[str, JSONValue] | None = _wire("securityContext", converter=_json)
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
    """Any other v1 volume source (``configMap``, ``secret``, ``projected``, ...), kept verbatim.

    >>> src = OtherVolumeSource(kind="configMap", fields={"name": "app-config"})
    >>> src.fields["name"]
    'app-config'

    .. versionadded:: 0.1.0
    """

    kind: str = attrs.field(metadata={"wire": None})
    fields: FrozenMap[str, JSONValue] = attrs.field(
        factory=FrozenMap, converter=_extra, metadata={"wire": None}
    )


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
    security_context: FrozenMap[str, JSONValue] | None = _wire("securityContext", converter=_json)
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
    status: FrozenMap[str, JSONValue] | None = _wire("status", converter=_json)
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


#: The converters above return a value already in its final form (a tuple, a ``FrozenMap``,
#: frozen data) unchanged: an object built from final values may skip them.
_IDEMPOTENT = frozenset({_extra, _tuple, _opt_tuple, _strmap, _json})
_MAKERS: dict[type, Callable[[dict[str, Any]], Any]] = {}


def maker(cls: type[Any]) -> Callable[[dict[str, Any]], Any]:
    """A function making ``cls(**values)`` from *values* already in their final form (what the
    decoder builds: tuples, ``FrozenMap`` and frozen data). For a class whose converters are
    all idempotent and which has no validator, that is an instance with the defaults, made
    once, ``replace``\\ d: several times faster than ``__init__`` running every converter."""
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
            prototype = cls()

            def make(values: dict[str, Any]) -> Any:
                return replace(prototype, **values)

            _MAKERS[cls] = make
    return make
