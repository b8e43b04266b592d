"""The assembler of whole pods as plain JSON (private): containers, volumes and every optional
area, put together under the pod's cross-field rules, then decoded once into the model.

Rules kept here (the areas' own rules are in ``_fields``, ``_areas`` and ``_volumes``): names
unique per list; mounts name volumes, devices name claims not mounted by the same container;
ports unique under ``hostNetwork`` (and when asked); the OS forbids the other OS's fields;
``hostUsers: false`` only without host namespaces; a projected token only with a service
account; ``schedulingGates`` only without ``nodeName``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from podmodel.model.schema import DEFAULT_SCHEMA_VERSION, catalogue
from podmodel.strategies._areas import SPEC_AREAS, metadata_areas, spec_area
from podmodel.strategies._fields import (
    CONTAINER_AREAS,
    Context,
    enrich_container,
    pod_security_context,
)
from podmodel.strategies._gen import chance, pool
from podmodel.strategies._volumes import DEVICE_KINDS, SOURCES, fill_container

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["AREAS", "Options", "container_dict", "metadata_dict", "spec_dict"]

#: Every optional area, pod-level, container-level and metadata.
AREAS: tuple[str, ...] = (*SPEC_AREAS, *CONTAINER_AREAS, "ownership", "systemFields")

NAMES = (
    "a",
    "b",
    "c",
    "web",
    "app",
    "db",
    "x1",
    "cache",
    "api",
    "my-app",
    "log",
    "node-0",
    "a" * 63,
    "z" + "0" * 61 + "z",
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
_IMAGES = st.sampled_from(IMAGES)
_ENV_NAMES = (
    "HELLO",
    "XX",
    "DEBUG",
    "PORT",
    "my.env-name",
    "1ABC",
    "MY VAR",
    "ev!1",
    "a",
)
_FIELD_PATHS = ("metadata.name", "status.podIP", "spec.nodeName")
_RO = pool(None, True, False)


def _leaves(definition: str) -> int:
    cat = catalogue(DEFAULT_SCHEMA_VERSION)
    total = 0
    for code in cat.fields(definition).values():
        target = code.lstrip("[{")
        total += _leaves(target[1:]) if target.startswith("@") else 1
    return total


_SOURCE_FIELDS = {  # (an ephemeral volume's claim metadata: labels and annotations only)
    kind: _leaves(code.lstrip("[{")[1:])
    - (len(catalogue().fields("ObjectMeta")) + 11) * (kind == "ephemeral")
    for kind, code in catalogue(DEFAULT_SCHEMA_VERSION).fields("Volume").items()
    if kind != "name"
}


class Options:
    """The options of one ``pod_specs`` call, checked."""

    __slots__ = (
        "admissible",
        "areas",
        "container_areas",
        "host_network",
        "kind_strategy",
        "max_containers",
        "max_init_containers",
        "max_sidecars",
        "max_volumes",
        "meta_areas",
        "min_containers",
        "port_collisions",
        "spec_areas",
        "volume_kinds",
    )

    def __init__(
        self,
        *,
        min_containers: int,
        max_containers: int,
        max_init_containers: int,
        max_sidecars: int,
        volume_kinds: tuple[str, ...],
        max_volumes: int,
        port_collisions: bool,
        host_network: bool,
        areas: frozenset[str],
        admissible: bool = False,
    ) -> None:
        self.admissible = admissible
        self.min_containers, self.max_containers = min_containers, max_containers
        self.max_init_containers, self.max_sidecars = max_init_containers, max_sidecars
        self.volume_kinds, self.max_volumes = volume_kinds, max_volumes
        # kinds with many fields drawn more often, so that each field shows up about as often
        weighted = [k for k in volume_kinds for _ in range(1 + _SOURCE_FIELDS[k] // 16)]
        self.kind_strategy = st.sampled_from(weighted or ["emptyDir"])
        self.port_collisions, self.host_network = port_collisions, host_network
        self.areas = areas
        self.spec_areas = tuple(a for a in SPEC_AREAS if a in areas)
        self.container_areas = tuple(a for a in CONTAINER_AREAS if a in areas)
        self.meta_areas = tuple(a for a in ("ownership", "systemFields") if a in areas)


# --- containers --------------------------------------------------------------------------


# ports, env entries and mounts come from pools of whole entries (one choice each: cheap)
_PORTS = st.sampled_from(
    tuple(
        {
            "containerPort": number,
            **({"protocol": protocol} if protocol else {}),
            **({"name": name} if name else {}),
        }
        for number, protocol, name in (
            (80, None, None),
            (80, "TCP", "http"),
            (443, None, "https"),
            (8080, "TCP", "web"),
            (53, "UDP", "dns"),
            (53, "TCP", "dns-tcp"),
            (1880, None, "a"),
            (6379, None, None),
            (9090, "TCP", "metrics"),
            (50051, None, "grpc-api"),
            (1, "SCTP", None),
            (65535, "UDP", "p" * 15),
            (8443, "SCTP", "x1-y2"),
            (3000, None, "ui"),
        )
    )
)
_PORT_COUNT = st.integers(0, 3)


def _ports(draw: st.DrawFn) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for _ in range(draw(_PORT_COUNT)):
        port = dict(draw(_PORTS))
        name: Any = port.get("name")
        if name in seen:
            del port["name"]
        elif name:
            seen.add(name)
        out.append(port)
    return out


_ENV_ENTRIES = st.lists(
    st.sampled_from(
        tuple(
            {"name": name, "valueFrom": {"fieldRef": {"fieldPath": value}}}
            if value in _FIELD_PATHS
            else {"name": name, "value": value}
            for name, value in zip(
                _ENV_NAMES,
                (
                    "WORLD",
                    "metadata.name",
                    "",
                    "80",
                    "status.podIP",
                    "yes",
                    "ñ é",
                    "spec.nodeName",
                    "a",
                ),
                strict=True,
            )
        )
        + tuple(
            {"name": name, "value": value}
            for name, value in (("XX", "zz"), ("HELLO", "metadata.uid"), ("DEBUG", "1"))
        )
        + tuple(
            {"name": name, "valueFrom": {"fieldRef": {"fieldPath": value}}}
            for name, value in (
                ("POD_NS", "metadata.namespace"),
                ("UID", "metadata.uid"),
                ("SA", "spec.serviceAccountName"),
                ("HOST_IP", "status.hostIP"),
            )
        )
    ),
    max_size=3,
    unique_by=lambda e: str(e["name"]),
)


def _env(draw: st.DrawFn) -> list[dict[str, Any]]:
    return [dict(e) for e in draw(_ENV_ENTRIES)]


_PATHS = (
    "/data",
    "/logs",
    "/srv/app",
    "/etc/app",
    "/var/cache",
    "/a",
    "/data/nested/deep",
    "/app/srv/app",
    "/cache",
    "/etc",
)
_MOUNT_PATH_LISTS = st.lists(st.sampled_from(_PATHS), max_size=3, unique=True)
_SUB = pool(None, None, "data", "logs/app", "a")
_INDEX = {n: st.integers(0, n - 1) for n in range(1, 65)}


def pick(draw: st.DrawFn, items: Sequence[Any]) -> Any:
    """One of *items* (a list of any length up to 64, made at draw time)."""
    return items[draw(_INDEX[len(items)])]


def _mounts(draw: st.DrawFn, volume_names: list[str]) -> list[dict[str, Any]]:
    if not volume_names:
        return []
    out = []
    for path in draw(_MOUNT_PATH_LISTS):
        mount: dict[str, Any] = {"name": pick(draw, volume_names), "mountPath": path}
        ro = _RO(draw)
        if ro is not None:
            mount["readOnly"] = ro
        sub = _SUB(draw)
        if sub is not None:
            mount["subPath"] = sub
        out.append(mount)
    return out


def container_dict(
    draw: st.DrawFn, name: str, volume_names: list[str], ports: bool
) -> dict[str, Any]:
    """A plain container: image, ports, env, command and mounts (no optional area)."""
    c: dict[str, Any] = {"name": name, "image": draw(_IMAGES)}
    if chance(draw):
        c["command"] = ["sh", "-c", "sleep 3600"]
    if ports:
        p = _ports(draw)
        if p:
            c["ports"] = p
    env = _env(draw)
    if env:
        c["env"] = env
    mounts = _mounts(draw, volume_names)
    if mounts:
        c["volumeMounts"] = mounts
    return c


def _dedupe_ports(items: list[dict[str, Any]], seen: set[tuple[int, str]]) -> None:
    for c in items:
        kept = []
        for p in c.get("ports", ()):
            key = (p["containerPort"], p.get("protocol") or "TCP")
            if key not in seen:
                seen.add(key)
                kept.append(p)
        if kept:
            c["ports"] = kept
        else:
            c.pop("ports", None)


# --- the spec ----------------------------------------------------------------------------

_POD_RESTART = pool(None, "Always", "OnFailure", "Never")


def spec_dict(draw: st.DrawFn, o: Options) -> dict[str, Any]:
    """A valid ``spec`` as plain JSON, with the areas of *o*."""
    volumes = []
    kinds_of: dict[str, str] = {}
    names: list[str] = []
    vol_taken: set[str] = set()
    while len(names) < o.max_volumes and draw(_MOST) != 0:  # "one more?" three times in four
        vname = _fresh_name(draw, vol_taken)
        names.append(vname)
        vol: dict[str, Any] = {"name": vname}
        if o.volume_kinds:
            kind = draw(o.kind_strategy)
            if not kinds_of and "emptyDir" in o.volume_kinds and chance(draw, 4):
                kind = "emptyDir"  # often one: env's fileKeyRef needs an emptyDir volume
            if kind == "emptyDir" and chance(draw, 4):
                kinds_of[vname] = kind  # no source at all: defaulted to emptyDir
            else:
                vol[kind] = src = SOURCES[kind](draw)
                kinds_of[vname] = kind
                if kind == "iscsi":
                    if len(vname) + len(src["targetPortal"]) > 62:
                        src.pop("initiatorName", None)  # <name>:<portal> must stay under 64
                    if src.get("chapAuthDiscovery") or src.get("chapAuthSession"):
                        src.setdefault("secretRef", {"name": "a"})
        volumes.append(vol)
    vol_names = list(names)
    mountable = [n for n in vol_names if kinds_of.get(n) not in DEVICE_KINDS or chance(draw)]
    spec: dict[str, Any] = {}
    restart = _POD_RESTART(draw)
    if restart is not None:
        spec["restartPolicy"] = restart
    if o.host_network:
        spec["hostNetwork"] = True
    elif "podOptions" in o.spec_areas and chance(draw, 8):
        spec["hostNetwork"] = False
    ctx = _pod_areas(draw, o, spec, kinds_of)
    taken: set[str] = set()

    def containers(lo: int, hi: int, kind: str) -> list[dict[str, Any]]:
        # one container after another, each with its areas, and a "one more?" choice between
        # them: the shrinker deletes a container with everything it drew
        out: list[dict[str, Any]] = []
        while len(out) < hi and (len(out) < lo or draw(_MORE)):
            c = container_dict(draw, _fresh_name(draw, taken), mountable, kind != "init")
            if kind == "init":
                c["command"] = ["sh", "-c", "true"]
            elif kind == "sidecar":
                c["restartPolicy"] = "Always"
            if o.container_areas:
                enrich_container(draw, c, ctx, o.container_areas, kind)
            out.append(c)
        return out

    apps = containers(o.min_containers, o.max_containers, "app")
    inits = containers(0, o.max_init_containers, "init")
    sides = containers(0, o.max_sidecars, "sidecar")
    n_app = len(apps)
    if n_app > 1 and o.port_collisions and not o.host_network and chance(draw):
        shared = {"containerPort": 80}  # one port in two containers: a warning, not an error
        apps[1]["ports"] = [shared]
        apps[0]["ports"] = [*apps[0].get("ports", ()), dict(shared)]
    if mountable and n_app > 1 and chance(draw):
        # one volume mounted in several containers, nested paths included
        apps[0]["volumeMounts"] = [
            {"name": mountable[0], "mountPath": "/data"},
            {"name": mountable[-1], "mountPath": "/data/nested"},
        ]
        apps[1]["volumeMounts"] = [{"name": mountable[0], "mountPath": "/shared"}]
        for c in apps[:2]:  # a volume is mounted or a device in one container, not both
            mounted = {m["name"] for m in c["volumeMounts"]}
            devices = [d for d in c.get("volumeDevices", ()) if d["name"] not in mounted]
            if devices:
                c["volumeDevices"] = devices
            else:
                c.pop("volumeDevices", None)
    if not o.port_collisions or o.host_network:
        seen: set[tuple[int, str]] = set()
        _dedupe_ports(apps, seen)
        _dedupe_ports(sides, seen)
    spec["containers"] = apps
    if inits or sides:
        spec["initContainers"] = [*inits, *sides]
    if volumes:
        spec["volumes"] = volumes
    _finish(o, spec, apps, sides)
    return spec


_MORE = st.booleans()
_MOST = st.integers(0, 3)


class _Area:
    """A pod-level area drawn as a span of its own (so that the shrinker deletes it whole),
    applied to the spec afterwards."""

    __slots__ = ("fragment",)

    def __init__(self, fragment: dict[str, Any]) -> None:
        self.fragment = fragment

    def apply(self, spec: dict[str, Any]) -> None:
        for key, value in self.fragment.items():
            spec.setdefault(key, value)  # an earlier area's value wins (dnsPolicy: None)


def _area_strategy(area: str) -> st.SearchStrategy[_Area]:
    def draw_area(draw: st.DrawFn) -> _Area:
        fragment: dict[str, Any] = {}
        spec_area(draw, area, fragment)
        return _Area(fragment)

    return st.composite(draw_area)()


_AREA_SPANS = {area: _area_strategy(area) for area in SPEC_AREAS}


def _fresh_name(draw: st.DrawFn, taken: set[str]) -> str:
    """A container name not yet *taken* (the drawn one, or the next free one after it)."""
    i = draw(_INDEX[len(NAMES)])
    while NAMES[i % len(NAMES)] in taken:
        i += 1
    name = NAMES[i % len(NAMES)]
    taken.add(name)
    return name


def _pod_areas(
    draw: st.DrawFn, o: Options, spec: dict[str, Any], kinds_of: dict[str, str]
) -> Context:
    """Draw the pod-level areas into *spec*; what they allow the containers."""
    for area in o.spec_areas:  # one choice right before each area: it shrinks away whole
        if area != "podSecurityContext" and draw(_MORE):
            draw(_AREA_SPANS[area]).apply(spec)
    if spec.get("nodeName"):
        spec.pop("schedulingGates", None)  # a pod with gates is not bound yet
    if o.admissible:  # no RuntimeClass in a fresh cluster: neither a class nor an overhead
        spec.pop("runtimeClassName", None)
        spec.pop("overhead", None)
    os_name = spec.get("os", {}).get("name")
    if (o.host_network or os_name == "windows") and spec.get("hostUsers") is False:
        del spec["hostUsers"]
    if o.host_network and spec.get("hostnameOverride"):
        del spec["hostnameOverride"]
    if os_name == "windows":
        spec.pop("resources", None)  # pod-level resources: not for a windows pod
        for key in ("hostPID", "hostIPC"):
            if spec.get(key):
                del spec[key]
        spec.pop("shareProcessNamespace", None)  # even false: not for a windows pod
        spec.pop("hostUsers", None)
    if "podSecurityContext" in o.spec_areas and chance(draw):
        spec["securityContext"] = pod_security_context(
            draw, os_name, o.host_network, bool(spec.get("hostIPC"))
        )
    return Context(
        os=os_name,
        claims=tuple(c["name"] for c in spec.get("resourceClaims", ())),
        device_volumes=tuple(n for n, k in kinds_of.items() if k in DEVICE_KINDS),
        empty_dirs=tuple(n for n, k in kinds_of.items() if k == "emptyDir"),
        host_users=spec.get("hostUsers", True),
        host_network=o.host_network,
    )


def _finish(
    o: Options, spec: dict[str, Any], apps: list[dict[str, Any]], sides: list[dict[str, Any]]
) -> None:
    """The rules between the containers and the pod, once both are drawn."""
    volumes = spec.get("volumes", ())
    if volumes:
        first = apps[0]["name"]
        spec["volumes"] = volumes = [fill_container(v, first) for v in volumes]
        token = any(
            "serviceAccountToken" in s
            for v in volumes
            for s in v.get("projected", {}).get("sources", ())
        )
        if token and not spec.get("serviceAccountName"):
            spec["serviceAccountName"] = "default"
            spec.pop("serviceAccount", None)
    if "hostPorts" in o.container_areas:
        _unique_host_ports(spec)
    if spec.get("terminationGracePeriodSeconds") == 0:
        for c in [*apps, *sides]:  # a sleep hook may not outlast the grace period
            for hook in c.get("lifecycle", {}).values():
                if isinstance(hook, dict) and "sleep" in hook:
                    hook["sleep"] = {"seconds": 0}
    pod_restart = spec.get("restartPolicy")
    for c in [*apps, *sides]:
        policy = c.get("resizePolicy")
        if policy and "Never" in (pod_restart, c.get("restartPolicy")):
            c["resizePolicy"] = [{**r, "restartPolicy": "NotRequired"} for r in policy]


def _unique_host_ports(spec: dict[str, Any]) -> None:
    seen: set[tuple[int, str, str]] = set()
    for c in [*spec.get("initContainers", ()), *spec["containers"]]:
        for p in c.get("ports", ()):
            if "hostPort" not in p:
                continue
            key = (p["hostPort"], p.get("protocol") or "TCP", p.get("hostIP", ""))
            if key in seen or (p["hostPort"], p.get("protocol") or "TCP", "") in seen:
                del p["hostPort"]
                p.pop("hostIP", None)
            else:
                seen.add(key)
                seen.add((p["hostPort"], p.get("protocol") or "TCP", ""))


def metadata_dict(draw: st.DrawFn, o: Options) -> dict[str, Any]:
    """The metadata fields of *o*'s metadata areas (name, labels, annotations apart)."""
    return metadata_areas(draw, o.meta_areas) if o.meta_areas else {}
