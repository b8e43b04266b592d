"""Strategies for pods and their parts, valid by construction, and for invalid pods with the
errors their one defect must produce (private; public in :mod:`podmodel.strategies`)."""

from __future__ import annotations

import functools
import string
from typing import TYPE_CHECKING, Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from podmodel.codec import from_dict
from podmodel.model._frozen import freeze
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
from podmodel.strategies._assemble import (
    AREAS,
    IMAGES,
    NAMES,
    Options,
    container_dict,
    metadata_dict,
    spec_dict,
)
from podmodel.strategies._fields import CONTAINER_AREAS, Context, enrich_container
from podmodel.strategies._volumes import ALL_VOLUME_KINDS, SOURCES

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

__all__ = [
    "ALL_VOLUME_KINDS",
    "AREAS",
    "VOLUME_KINDS",
    "container_ports",
    "containers",
    "env_vars",
    "object_metas",
    "pod_specs",
    "pods",
    "strategy_for_type",
    "volume_mounts",
    "volumes",
]

#: The six common volume kinds (the default of :func:`volumes`); every v1 kind is in
#: :data:`ALL_VOLUME_KINDS` (the default of :func:`pod_specs` and :func:`pods`), and every
#: optional area of :func:`pods` in :data:`AREAS`.
VOLUME_KINDS = (
    "emptyDir",
    "hostPath",
    "configMap",
    "secret",
    "downwardAPI",
    "persistentVolumeClaim",
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
    """Valid ``volumes`` (unique names, one source each) of the given *kinds* (any of
    :data:`ALL_VOLUME_KINDS`; the default: the six common ones, :data:`VOLUME_KINDS`)."""

    @st.composite
    def draw_volumes(draw: st.DrawFn) -> list[Volume]:
        for kind in kinds:
            _check(kind in SOURCES, f"kinds={kinds!r}: {kind!r} is not one of {ALL_VOLUME_KINDS}")
        _check(0 <= min_size <= max_size, f"min_size={min_size}, max_size={max_size}")
        names = draw(_unique_labels(min_size, max_size))
        out = []
        for name in names:
            chosen = draw(st.sampled_from(kinds)) if kinds else None
            if chosen is None:
                src = None
            elif chosen in _SOURCES:
                src = draw(_SOURCES[chosen])
            else:
                src = OtherVolumeSource(kind=chosen, fields=freeze(SOURCES[chosen](draw)))
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
    *,
    volume_names: list[str] | None = None,
    name: str | None = None,
    ports: bool = True,
    areas: str | Collection[str] = "all",
) -> st.SearchStrategy[Container]:
    """A valid app container (its name from *name* or drawn), mounting *volume_names*.

    *areas* are the container areas of :data:`AREAS` to draw (``"all"``, the default: probes,
    lifecycle, resources, securityContext, envFrom, env ``valueFrom``, resizePolicy,
    restartPolicyRules, containerOptions, mountOptions, hostPorts; pod-level names are
    ignored here). A container alone knows nothing of its pod: no devices, no resource claims,
    no ``fileKeyRef``; :func:`pods` draws those. ``areas=()`` draws the plain containers of
    podmodel 0.x.
    """
    if isinstance(areas, str):
        _check(areas == "all", f"areas={areas!r}: 'all' or a collection of {AREAS}")
        chosen = tuple(a for a in CONTAINER_AREAS)
    else:
        for area in areas:
            _check(area in AREAS, f"areas: {area!r} is not one of {AREAS}")
        chosen = tuple(a for a in CONTAINER_AREAS if a in areas)
    if not chosen:
        if name is not None:
            return _container(name, volume_names or [], ports)
        return _label().flatmap(lambda n: _container(n, volume_names or [], ports))

    @st.composite
    def draw_container(draw: st.DrawFn) -> Container:
        mounts = list(volume_names or [])
        c = container_dict(draw, name if name is not None else draw(_label()), mounts, ports)
        enrich_container(draw, c, Context(), chosen, "app")
        spec = {"containers": [c], "volumes": [{"name": v} for v in mounts]}
        return _decode({"metadata": {"name": "a"}, "spec": spec}).spec.containers[0]

    return draw_container()


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


def _check_options(
    *,
    min_containers: int = 1,
    max_containers: int = 4,
    max_init_containers: int = 1,
    max_sidecars: int = 1,
    volume_kinds: tuple[str, ...] = ALL_VOLUME_KINDS,
    max_volumes: int = 4,
    port_collisions: bool = True,
    host_network: bool = False,
    areas: str | Collection[str] = "all",
    admissible: bool = True,
) -> Options:
    _check(
        1 <= min_containers <= max_containers,
        f"min_containers={min_containers}, max_containers={max_containers}",
    )
    _check(max_init_containers >= 0 and max_sidecars >= 0, "counts must be >= 0")
    _check(0 <= max_volumes <= len(NAMES), f"max_volumes={max_volumes}: 0 to {len(NAMES)}")
    for kind in volume_kinds:
        _check(kind in SOURCES, f"volume_kinds: {kind!r} is not one of {ALL_VOLUME_KINDS}")
    if isinstance(areas, str):
        _check(areas == "all", f"areas={areas!r}: 'all' or a collection of {AREAS}")
        chosen = frozenset(AREAS)
    else:
        chosen = frozenset(areas)
        for area in chosen:
            _check(area in AREAS, f"areas: {area!r} is not one of {AREAS}")
    return Options(
        min_containers=min_containers,
        max_containers=max_containers,
        max_init_containers=max_init_containers,
        max_sidecars=max_sidecars,
        volume_kinds=tuple(volume_kinds),
        max_volumes=max_volumes,
        port_collisions=port_collisions,
        host_network=host_network,
        areas=chosen,
        admissible=admissible,
    )


def _checked_once(arguments: dict[str, Any]) -> Callable[[], Options]:
    """The options of a ``pods``/``pod_specs`` call (its *arguments*), checked when the strategy
    is first drawn from (Hypothesis' style: ``InvalidArgument`` then, not at the call) and
    only then, not at every draw."""
    return functools.cache(functools.partial(_check_options, **arguments))


def _decode(doc: dict[str, Any]) -> Pod:
    return from_dict({"apiVersion": "v1", "kind": "Pod", **doc})


def pod_specs(
    *,
    min_containers: int = 1,
    max_containers: int = 4,
    max_init_containers: int = 1,
    max_sidecars: int = 1,
    volume_kinds: tuple[str, ...] = ALL_VOLUME_KINDS,
    max_volumes: int = 4,
    port_collisions: bool = True,
    host_network: bool = False,
    areas: str | Collection[str] = "all",
    admissible: bool = True,
) -> st.SearchStrategy[PodSpec]:
    """A valid ``spec``.

    Args:
        min_containers, max_containers: how many app containers.
        max_init_containers, max_sidecars: how many plain init containers and sidecars.
        volume_kinds: which volume sources to draw (default: every v1 kind,
            :data:`ALL_VOLUME_KINDS`; ``()`` draws volumes without a source).
        max_volumes: at most this many volumes (unique names; mounts and devices name them).
        port_collisions: allow two containers to declare the same port (valid: a warning; they
            collide at run time). ``False`` keeps every (port, protocol) unique in the pod.
        host_network: draw ``hostNetwork: true`` pods (ports then unique, as the server
            requires once defaulting sets ``hostPort``).
        areas: which optional areas may appear, ``"all"`` (the default: every writable field
            of the v1.35 Pod is reached) or a collection of names from :data:`AREAS`: the
            pod-level ``os``, ``affinity``, ``tolerations``, ``topologySpreadConstraints``,
            ``dnsConfig``, ``hostAliases``, ``readinessGates``, ``schedulingGates``,
            ``overhead``, ``resourceClaims``, ``podResources``, ``podSecurityContext``,
            ``imagePullSecrets``, ``podOptions`` (priority, node name and selector, hostname,
            service account, deadlines, DNS policy, ...), ``hostNamespaces``, ``workloadRef``;
            the containers' ``probes``, ``lifecycle``, ``resources``, ``securityContext``,
            ``envFrom``, ``envValueFrom``, ``volumeDevices``, ``resizePolicy``,
            ``restartPolicyRules``, ``containerOptions`` (args, workingDir, stdin, tty,
            termination message, pull policy), ``mountOptions`` (propagation, recursive
            read-only, ``subPathExpr``), ``hostPorts``; and, for :func:`pods`, the metadata's
            ``ownership`` (generateName, namespace, owner references, finalizers, managed
            fields) and ``systemFields`` (uid, resourceVersion, timestamps, ...). Each area
            is drawn about half of the time; ``areas=()`` draws the plain pods of podmodel 0.x.
        admissible: ``True`` (the default): only pods the admission plugins of a fresh
            cluster let through, as :meth:`podmodel.Node.start` requires: no
            ``runtimeClassName`` and no ``overhead``, since a fresh cluster has no RuntimeClass
            (priorities always agree with their class). ``False`` draws those two fields too:
            then every writable field is reached, each pod valid for the API server's
            validation (not for its RuntimeClass admission).
    """

    options = _checked_once(locals())

    @st.composite
    def draw_spec(draw: st.DrawFn) -> PodSpec:
        o = options()
        return _decode({"metadata": {"name": "a"}, "spec": spec_dict(draw, o)}).spec

    return draw_spec()


_META_NAMES = st.sampled_from((*NAMES, "a.b", "web.example.com", "my-app.v1"))
_LABELS = st.sampled_from(
    (
        {},
        {"app": "a"},
        {"app": "web", "tier": "db"},
        {"example.com/team": "", "version": "v1.2"},
        {"a": "Z_z-9", "A_b.c": "x" * 63},
        {"app": "cache"},
        {"tier": "a", "version": "1"},
    )
)
_ANNOTATIONS = st.sampled_from(
    (
        {},
        {"note": "a"},
        {"example.com/owner": "", "a": "hello world"},
        {"kubectl.kubernetes.io/last-applied": '{"k": [1, 2]}'},
        {"note": "0\u00f1\u009e"},
        {},
    )
)


def _meta_dict(draw: st.DrawFn, o: Options) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": draw(_META_NAMES)}
    labels = draw(_LABELS)
    if labels:
        meta["labels"] = dict(labels)
    notes = draw(_ANNOTATIONS)
    if notes:
        meta["annotations"] = dict(notes)
    meta.update(metadata_dict(draw, o))
    return meta


def pods(
    *,
    min_containers: int = 1,
    max_containers: int = 4,
    max_init_containers: int = 1,
    max_sidecars: int = 1,
    volume_kinds: tuple[str, ...] = ALL_VOLUME_KINDS,
    max_volumes: int = 4,
    port_collisions: bool = True,
    host_network: bool = False,
    areas: str | Collection[str] = "all",
    admissible: bool = True,
) -> st.SearchStrategy[Pod]:
    """A valid v1 Pod; the options are those of :func:`pod_specs` (with the metadata areas
    ``ownership`` and ``systemFields`` in *areas*)."""

    options = _checked_once(locals())

    @st.composite
    def draw_pod(draw: st.DrawFn) -> Pod:
        o = options()
        meta = _meta_dict(draw, o)
        return _decode({"metadata": meta, "spec": spec_dict(draw, o)})

    return draw_pod()


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
