"""Strategies for pods and their parts, valid by construction, and for invalid pods with the
errors their one defect must produce (private; public in :mod:`podmodel.strategies`)."""

from __future__ import annotations

import functools
import string
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from podmodel.errors import ErrorType, FieldError, FieldPath
from podmodel.model._frozen import FrozenMap, freeze
from podmodel.model.spec import (
    Container,
    ContainerPort,
    EmptyDir,
    EnvVar,
    HostPath,
    ObjectMeta,
    OtherVolumeSource,
    Pod,
    PodSpec,
    Volume,
    VolumeMount,
    VolumeSource,
)

__all__ = [
    "Expected",
    "container_ports",
    "containers",
    "env_vars",
    "invalid_pods",
    "object_metas",
    "pod_specs",
    "pods",
    "strategy_for_type",
    "volume_mounts",
    "volumes",
]

VOLUME_KINDS = (
    "emptyDir",
    "hostPath",
    "configMap",
    "secret",
    "downwardAPI",
    "persistentVolumeClaim",
)
IMAGES = (
    "nginx",
    "nginx:1.27",
    "redis:7",
    "busybox",
    "sunwu51/node",
    "httpd",
    "registry.example.com:5000/team/app@sha256:" + "a" * 64,
)
_ALNUM = string.ascii_lowercase + string.digits


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidArgument(message)


# --- names ---------------------------------------------------------------------------------


_SYLLABLES = ("web", "app", "db", "log", "api", "cache", "node", "x", "a1", "my", "pm2", "0")


@st.composite
def _label(draw: st.DrawFn, *, max_len: int = 63) -> str:
    """A DNS-1123 label: short ones from a few syllables, sometimes exactly at the limit."""
    if draw(st.integers(0, 7)) == 0:  # at the length limit (few choices, so it is cheap)
        edge = draw(st.sampled_from(_ALNUM))
        return edge + draw(st.sampled_from("a0-")) * (max_len - 2) + edge
    parts = draw(st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=3))
    name = "-".join(parts)
    return name if name[0].isalpha() else "c" + name


@functools.lru_cache(maxsize=64)
def _unique_labels(n_min: int, n_max: int) -> st.SearchStrategy[list[str]]:
    return st.lists(_label(), min_size=n_min, max_size=n_max, unique=True)


_PORT_NAMES_BUILT = st.builds(
    lambda letter, chunks: "-".join([letter + chunks[0], *chunks[1:]])[:15].rstrip("-"),
    st.sampled_from(string.ascii_lowercase),
    st.lists(st.text(_ALNUM, min_size=1, max_size=4), min_size=1, max_size=3),
)
_QUALIFIED_BUILT = st.from_regex(
    r"(example\.com/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?", fullmatch=True
)
_PORT_NAMES = st.one_of(
    st.sampled_from(["http", "https", "web", "metrics", "dns", "grpc-api"]), _PORT_NAMES_BUILT
)
_QUALIFIED = st.one_of(
    st.sampled_from(["app", "tier", "hello", "example.com/team", "version"]), _QUALIFIED_BUILT
)
_LABEL_VALUES = st.from_regex(r"(([A-Za-z0-9][-A-Za-z0-9_.]{0,10})?[A-Za-z0-9])?", fullmatch=True)


def object_metas(*, name: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[ObjectMeta]:
    """Valid ``metadata``: a DNS-subdomain name, qualified label keys and valid values."""
    names = (
        name
        if name is not None
        else st.one_of(
            _label(), st.builds(lambda a, b: f"{a}.{b}", _label(max_len=30), _label(max_len=30))
        )
    )
    return st.builds(
        lambda n, labels, annotations: ObjectMeta(name=n, labels=labels, annotations=annotations),
        names,
        st.dictionaries(_QUALIFIED, _LABEL_VALUES, max_size=3),
        st.dictionaries(_QUALIFIED, st.text(max_size=20), max_size=2),
    )


# --- containers ------------------------------------------------------------------------------


def container_ports(
    *, ports: st.SearchStrategy[int] | None = None, names: bool = True
) -> st.SearchStrategy[ContainerPort]:
    """A valid ``ports`` entry (no ``hostPort``; see :func:`pod_specs` for host ports)."""
    numbers = (
        ports
        if ports is not None
        else st.one_of(st.sampled_from([80, 443, 8080, 1880, 6379, 53]), st.integers(1, 65535))
    )
    return (
        st.builds(
            lambda port, protocol, name: ContainerPort(
                container_port=port, protocol=protocol, name=name
            ),
            numbers,
            st.sampled_from([None, "TCP", "UDP", "SCTP"]),
            _PORT_NAMES,
        )
        if names
        else st.builds(
            lambda port, protocol: ContainerPort(container_port=port, protocol=protocol),
            numbers,
            st.sampled_from([None, "TCP", "UDP", "SCTP"]),
        )
    )


_ENV_NAMES = st.one_of(
    st.sampled_from(["HELLO", "XX", "DEBUG", "PORT", "my.env-name", "1ABC", "MY VAR", "ev!1"]),
    st.text(
        st.characters(min_codepoint=32, max_codepoint=126, exclude_characters="="),
        min_size=1,
        max_size=6,
    ),
)
_FIELD_PATHS = (
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.podIP",
)


def env_vars() -> st.SearchStrategy[EnvVar]:
    """A valid ``env`` entry: a literal value, or a ``fieldRef``."""
    literal = st.builds(
        lambda n, v: EnvVar(name=n, value=v),
        _ENV_NAMES,
        st.one_of(st.sampled_from(["WORLD", "zz", "yes", "", "80"]), st.text(max_size=8)),
    )
    field = st.builds(
        lambda n, p: EnvVar(name=n, value_from=freeze({"fieldRef": {"fieldPath": p}})),
        _ENV_NAMES,
        st.sampled_from(_FIELD_PATHS),
    )
    return st.one_of(literal, field)


_SEGMENTS = st.sampled_from(["data", "logs", "srv", "app", "cache", "etc", "var"])
_MOUNT_PATHS = st.lists(_SEGMENTS, min_size=1, max_size=3).map(lambda s: "/" + "/".join(s))
_SUB_PATHS = st.lists(_SEGMENTS, min_size=1, max_size=2).map("/".join)


def volume_mounts(volume_names: list[str]) -> st.SearchStrategy[list[VolumeMount]]:
    """Valid ``volumeMounts`` for one container over *volume_names* (unique mount paths)."""
    if not volume_names:
        return st.just([])
    mount = st.builds(
        lambda name, path, ro, sub: VolumeMount(
            name=name, mount_path=path, read_only=ro, sub_path=sub
        ),
        st.sampled_from(volume_names),
        _MOUNT_PATHS,
        st.sampled_from([None, True, False]),
        st.one_of(st.none(), _SUB_PATHS),
    )
    return st.lists(mount, max_size=3, unique_by=lambda m: m.mount_path)


def _source(kind: str) -> st.SearchStrategy[VolumeSource | None]:
    if kind == "emptyDir":
        return st.one_of(
            st.just(EmptyDir()),
            st.just(None),
            st.builds(
                lambda q: EmptyDir(medium="Memory", size_limit=q),
                st.sampled_from(["64Mi", "1Gi", 1024]),
            ),
        )
    if kind == "hostPath":
        return st.builds(
            lambda p, t: HostPath(path=p, type=t),
            _MOUNT_PATHS,
            st.sampled_from([None, "", "DirectoryOrCreate", "Directory", "FileOrCreate"]),
        )
    if kind == "configMap":
        return st.builds(
            lambda n: OtherVolumeSource(kind="configMap", fields={"name": n}), _label()
        )
    if kind == "secret":
        return st.builds(
            lambda n: OtherVolumeSource(kind="secret", fields={"secretName": n}), _label()
        )
    if kind == "downwardAPI":
        return st.just(
            OtherVolumeSource(
                kind="downwardAPI",
                fields={
                    "items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]
                },
            )
        )
    return st.builds(
        lambda n: OtherVolumeSource(kind="persistentVolumeClaim", fields={"claimName": n}), _label()
    )


_SOURCES = {kind: _source(kind) for kind in VOLUME_KINDS}


def volumes(
    *, kinds: tuple[str, ...] = VOLUME_KINDS, min_size: int = 0, max_size: int = 3
) -> st.SearchStrategy[list[Volume]]:
    """Valid ``volumes`` (unique names, one source each) of the given *kinds*."""

    @st.composite
    def draw_volumes(draw: st.DrawFn) -> list[Volume]:
        for kind in kinds:
            _check(kind in VOLUME_KINDS, f"kinds={kinds!r}: {kind!r} is not one of {VOLUME_KINDS}")
        _check(0 <= min_size <= max_size, f"min_size={min_size}, max_size={max_size}")
        names = draw(_unique_labels(min_size, max_size))
        out = []
        for name in names:
            src = draw(_SOURCES[draw(st.sampled_from(kinds))]) if kinds else None
            out.append(Volume(name=name, sources=() if src is None else (src,)))
        return out

    return draw_volumes()


_MOUNT_SHAPE = st.lists(
    st.tuples(
        st.integers(0, 7),
        _MOUNT_PATHS,
        st.sampled_from([None, True, False]),
        st.one_of(st.none(), _SUB_PATHS),
    ),
    max_size=3,
    unique_by=lambda t: t[1],
)
_BASE_CONTAINER = st.builds(
    lambda image, p, env, cmd: (image, tuple(p), tuple(env), cmd),
    st.sampled_from(IMAGES),
    st.lists(container_ports(), max_size=3),
    st.lists(env_vars(), max_size=3),
    st.one_of(st.none(), st.just(("sh", "-c", "sleep 3600"))),
)


@st.composite
def _container(draw: st.DrawFn, name: str, volume_names: list[str], ports: bool) -> Container:
    image, port_list, env, cmd = draw(_BASE_CONTAINER)
    mounts: tuple[VolumeMount, ...] = ()
    if volume_names:
        mounts = tuple(
            VolumeMount(
                name=volume_names[k % len(volume_names)],
                mount_path=path,
                read_only=ro,
                sub_path=sub,
            )
            for k, path, ro, sub in draw(_MOUNT_SHAPE)
        )
    return Container(
        name=name,
        image=image,
        command=cmd,
        env=env,
        volume_mounts=mounts,
        ports=tuple(_unique_port_names(list(port_list))) if ports else (),
    )


def containers(
    *, volume_names: list[str] | None = None, name: str | None = None, ports: bool = True
) -> st.SearchStrategy[Container]:
    """A valid app container (its name from *name* or drawn)."""
    if name is not None:
        return _container(name, volume_names or [], ports)
    return _label().flatmap(lambda n: _container(n, volume_names or [], ports))


def _unique_port_names(ports: list[ContainerPort]) -> list[ContainerPort]:
    seen: set[str] = set()
    out = []
    for p in ports:
        if p.name in seen:
            p = attrs.evolve(p, name=None)  # noqa: PLW2901
        if p.name:
            seen.add(p.name)
        out.append(p)
    return out


def pod_specs(
    *,
    min_containers: int = 1,
    max_containers: int = 4,
    max_init_containers: int = 1,
    max_sidecars: int = 1,
    volume_kinds: tuple[str, ...] = VOLUME_KINDS,
    port_collisions: bool = True,
    host_network: bool = False,
) -> st.SearchStrategy[PodSpec]:
    """A valid ``spec``.

    Args:
        min_containers, max_containers: how many app containers.
        max_init_containers, max_sidecars: how many plain init containers and sidecars.
        volume_kinds: which volume sources to draw.
        port_collisions: allow two containers to declare the same port (valid: a warning; they
            collide at run time). ``False`` keeps every (port, protocol) unique in the pod.
        host_network: draw ``hostNetwork: true`` pods (ports then unique, as the server
            requires once defaulting sets ``hostPort``).
    """

    volume_strategy = volumes(kinds=volume_kinds)

    @st.composite
    def draw_spec(draw: st.DrawFn) -> PodSpec:
        _check(
            1 <= min_containers <= max_containers,
            f"min_containers={min_containers}, max_containers={max_containers}",
        )
        _check(max_init_containers >= 0 and max_sidecars >= 0, "counts must be >= 0")
        vols = draw(volume_strategy)
        vol_names = [v.name or "" for v in vols]
        n_app = draw(st.integers(min_containers, max_containers))
        n_init = draw(st.integers(0, max_init_containers))
        n_side = draw(st.integers(0, max_sidecars))
        names = draw(_unique_labels(n_app + n_init + n_side, n_app + n_init + n_side))
        apps = [draw(_container(n, vol_names, True)) for n in names[:n_app]]
        inits = [
            attrs.evolve(draw(_container(n, vol_names, False)), command=("sh", "-c", "true"))
            for n in names[n_app : n_app + n_init]
        ]
        sides = [
            attrs.evolve(draw(_container(n, vol_names, True)), restart_policy="Always")
            for n in names[n_app + n_init :]
        ]
        if n_app > 1 and port_collisions and not host_network and draw(st.booleans()):
            # the seed's lesson: two containers declaring one port (a warning, not an error)
            shared = ContainerPort(container_port=80)
            apps[1] = attrs.evolve(apps[1], ports=(shared,))
            apps[0] = attrs.evolve(apps[0], ports=(*apps[0].ports, shared))
        if vol_names and n_app > 1 and draw(st.booleans()):
            # one volume mounted in several containers, nested paths included
            first = VolumeMount(name=vol_names[0], mount_path="/data")
            nested = VolumeMount(name=vol_names[-1], mount_path="/data/nested")
            apps[0] = attrs.evolve(apps[0], volume_mounts=(first, nested))
            apps[1] = attrs.evolve(
                apps[1], volume_mounts=(attrs.evolve(first, mount_path="/shared"),)
            )
        if not port_collisions or host_network:
            apps, sides = _dedupe_ports(apps), _dedupe_ports(sides)
        return PodSpec(
            containers=tuple(apps),
            init_containers=(*inits, *sides),
            volumes=tuple(vols),
            restart_policy=draw(st.sampled_from([None, "Always", "OnFailure", "Never"])),
            host_network=True if host_network else None,
        )

    return draw_spec()


def _dedupe_ports(items: list[Container]) -> list[Container]:
    seen: set[tuple[int, str]] = set()
    out = []
    for c in items:
        kept = []
        for p in c.ports:
            key = (p.container_port or 0, p.protocol or "TCP")
            if key not in seen:
                seen.add(key)
                kept.append(p)
        out.append(attrs.evolve(c, ports=tuple(kept)))
    return out


def pods(**options: Any) -> st.SearchStrategy[Pod]:
    """A valid v1 Pod; keyword options are those of :func:`pod_specs`."""
    return st.builds(
        lambda meta, spec: Pod(metadata=meta, spec=spec), object_metas(), pod_specs(**options)
    )


# --- invalid pods --------------------------------------------------------------------------

Expected = tuple[FieldError, ...]


def _err(kind: ErrorType, *path: Any) -> FieldError:
    return FieldError(type=kind, field=FieldPath(path), origin="strategies.expected")


def _set_container(pod: Pod, i: int, **changes: Any) -> Pod:
    items = list(pod.spec.containers)
    items[i] = attrs.evolve(items[i], **changes)
    return attrs.evolve(pod, spec=attrs.evolve(pod.spec, containers=tuple(items)))


def _defects(draw: st.DrawFn, pod: Pod) -> list[tuple[Pod, Expected]]:
    spec = pod.spec
    i = draw(st.integers(0, len(spec.containers) - 1))
    c = spec.containers[i]
    n_ports = len(c.ports)
    out: list[tuple[Pod, Expected]] = []
    bad_port = draw(st.sampled_from([0, 65536, 70000, -1]))
    out.append(
        (
            _set_container(pod, i, ports=(*c.ports, ContainerPort(container_port=bad_port))),
            (
                _err(
                    ErrorType.REQUIRED if bad_port == 0 else ErrorType.INVALID,
                    "spec",
                    "containers",
                    i,
                    "ports",
                    n_ports,
                    "containerPort",
                ),
            ),
        )
    )
    out.append(
        (
            _set_container(
                pod, i, ports=(*c.ports, ContainerPort(container_port=80, protocol="tcp"))
            ),
            (_err(ErrorType.NOT_SUPPORTED, "spec", "containers", i, "ports", n_ports, "protocol"),),
        )
    )
    out.append(
        (
            _set_container(pod, i, image=None),
            (_err(ErrorType.REQUIRED, "spec", "containers", i, "image"),),
        )
    )
    out.append(
        (
            _set_container(pod, i, image=f" {c.image} "),
            (_err(ErrorType.INVALID, "spec", "containers", i, "image"),),
        )
    )
    out.append(
        (
            _set_container(pod, i, name=(c.name or "x").upper() + "_"),
            (_err(ErrorType.INVALID, "spec", "containers", i, "name"),),
        )
    )
    later = len(spec.containers)
    dup = attrs.evolve(spec.containers[0], ports=(), volume_mounts=())
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, containers=(*spec.containers, dup))),
            (_err(ErrorType.DUPLICATE, "spec", "containers", later, "name"),),
        )
    )
    m = len(c.volume_mounts)
    out.append(
        (
            _set_container(
                pod,
                i,
                volume_mounts=(
                    *c.volume_mounts,
                    VolumeMount(name="no-such-volume", mount_path="/no/such/volume/here"),
                ),
            ),
            (_err(ErrorType.NOT_FOUND, "spec", "containers", i, "volumeMounts", m, "name"),),
        )
    )
    out.append(
        (
            _set_container(pod, i, env=(*c.env, EnvVar(name="A=B", value="x"))),
            (_err(ErrorType.INVALID, "spec", "containers", i, "env", len(c.env), "name"),),
        )
    )
    out.append(
        (
            _set_container(pod, i, image_pull_policy="Sometimes"),
            (_err(ErrorType.NOT_SUPPORTED, "spec", "containers", i, "imagePullPolicy"),),
        )
    )
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, restart_policy="Sometimes")),
            (_err(ErrorType.NOT_SUPPORTED, "spec", "restartPolicy"),),
        )
    )
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, dns_policy="Google")),
            (_err(ErrorType.NOT_SUPPORTED, "spec", "dnsPolicy"),),
        )
    )
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, active_deadline_seconds=0)),
            (_err(ErrorType.INVALID, "spec", "activeDeadlineSeconds"),),
        )
    )
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, hostname="my.host")),
            (_err(ErrorType.INVALID, "spec", "hostname"),),
        )
    )
    out.append(
        (
            attrs.evolve(pod, metadata=attrs.evolve(pod.metadata, name="My_Pod")),
            (_err(ErrorType.INVALID, "metadata", "name"),),
        )
    )
    out.append(
        (
            attrs.evolve(
                pod,
                metadata=attrs.evolve(pod.metadata, labels=pod.metadata.labels.set("app", "-bad-"))
                if pod.metadata.labels
                else attrs.evolve(pod.metadata, labels=FrozenMap({"app": "-bad-"})),
            ),
            (_err(ErrorType.INVALID, "metadata", "labels"),),
        )
    )
    k = len(spec.volumes)
    extra_vol = Volume(name="extra-vol", sources=(HostPath(path="/var/../etc"),))
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, volumes=(*spec.volumes, extra_vol))),
            (_err(ErrorType.INVALID, "spec", "volumes", k, "hostPath", "path"),),
        )
    )
    typed = Volume(name="extra-vol", sources=(HostPath(path="/x", type="directory"),))
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, volumes=(*spec.volumes, typed))),
            (_err(ErrorType.NOT_SUPPORTED, "spec", "volumes", k, "hostPath", "type"),),
        )
    )
    both = Volume(name="extra-vol", sources=(EmptyDir(), HostPath(path="/x")))
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, volumes=(*spec.volumes, both))),
            (_err(ErrorType.FORBIDDEN, "spec", "volumes", k, "hostPath"),),
        )
    )
    if spec.volumes:
        first = spec.volumes[0]
        again = Volume(name=first.name, sources=(EmptyDir(),))
        out.append(
            (
                attrs.evolve(pod, spec=attrs.evolve(spec, volumes=(*spec.volumes, again))),
                (_err(ErrorType.DUPLICATE, "spec", "volumes", k, "name"),),
            )
        )
        # an invalid volume disappears: each of its mounts is Not found too (the cascade)
        broken = attrs.evolve(first, sources=(HostPath(path=""),))
        expected = [_err(ErrorType.REQUIRED, "spec", "volumes", 0, "hostPath", "path")]
        for ci, cont in enumerate(spec.containers):
            for mi, mnt in enumerate(cont.volume_mounts):
                if mnt.name == first.name:
                    expected.append(
                        _err(
                            ErrorType.NOT_FOUND,
                            "spec",
                            "containers",
                            ci,
                            "volumeMounts",
                            mi,
                            "name",
                        )
                    )
        for ii, cont in enumerate(spec.init_containers):
            for mi, mnt in enumerate(cont.volume_mounts):
                if mnt.name == first.name:
                    expected.append(
                        _err(
                            ErrorType.NOT_FOUND,
                            "spec",
                            "initContainers",
                            ii,
                            "volumeMounts",
                            mi,
                            "name",
                        )
                    )
        out.append(
            (
                attrs.evolve(pod, spec=attrs.evolve(spec, volumes=(broken, *spec.volumes[1:]))),
                tuple(expected),
            )
        )
        mount = VolumeMount(name=first.name, mount_path="/abs-sub", sub_path="/etc")
        out.append(
            (
                _set_container(pod, i, volume_mounts=(*c.volume_mounts, mount)),
                (_err(ErrorType.INVALID, "spec", "containers", i, "volumeMounts", "subPath"),),
            )
        )
    return out


def invalid_pods(**options: Any) -> st.SearchStrategy[tuple[Pod, Expected]]:
    """A pod with one injected defect, and the errors it must produce (type and path).

    The base pod comes from :func:`pods` (with *options*); the defect is one of a catalogue
    covering names, images, ports, protocols, env names, pull policies, restart and DNS policies,
    deadlines, hostnames, labels, volume names and sources, hostPath paths and types, mounts of
    missing volumes, the invalid-volume cascade and an absolute ``subPath``.
    """

    @st.composite
    def draw_invalid(draw: st.DrawFn) -> tuple[Pod, Expected]:
        base = draw(pods(port_collisions=False, **options))
        return draw(st.sampled_from(_defects(draw, base)))

    return draw_invalid()


# --- from_type ---------------------------------------------------------------------------------


def strategy_for_type(t: type) -> st.SearchStrategy[Any]:
    """The strategy ``st.from_type`` uses for podmodel's model types (``NotImplemented`` for
    any other type)."""
    table: dict[type, st.SearchStrategy[Any]] = {
        Pod: pods(),
        PodSpec: pod_specs(),
        ObjectMeta: object_metas(),
        Container: containers(),
        ContainerPort: container_ports(),
        EnvVar: env_vars(),
        Volume: volumes(min_size=1, max_size=1).map(lambda vs: vs[0]),
        VolumeMount: volume_mounts(["data"]).filter(bool).map(lambda ms: ms[0]),
        EmptyDir: _source("emptyDir").filter(lambda s: s is not None),
        HostPath: _source("hostPath"),
        OtherVolumeSource: st.sampled_from(VOLUME_KINDS[2:]).flatmap(_source),
        VolumeSource: st.sampled_from(VOLUME_KINDS)
        .flatmap(_source)
        .filter(lambda s: s is not None),
    }
    return table.get(t, NotImplemented)
