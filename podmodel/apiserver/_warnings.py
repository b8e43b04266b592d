"""The warnings the API server returns with a valid pod (private).

``pkg/api/pod/warnings.go`` (``warningsForPodSpecAndMeta``) decides which warnings there are and
in which order; the API server's warning recorder (``apiserver/pkg/endpoints/filters/
warning.go``) then decides which of them reach the client: it drops a text it already sent,
sends warnings in full while their total stays within 4,096 characters, and past that cuts every
warning (those already sent included) to 256 characters and drops the rest. A pod with thousands
of colliding ports therefore gives a few dozen warnings, not millions, and podmodel stops
looking as soon as the recorder would drop everything further.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from podmodel.apiserver._ip import ip_warning
from podmodel.apiserver._names import is_label_value
from podmodel.errors import ErrorType, FieldError, FieldPath, go_quote
from podmodel.model._frozen import FrozenMap
from podmodel.model._quantity import Quantity, parse_quantity
from podmodel.model.spec import Container, ContainerKind, Pod, Volume, VolumeSource

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["WARNING_BUDGET", "WARNING_ITEM_LIMIT", "pod_warnings"]

#: Characters of warning text the API server sends in full (``truncateAtTotalRunes``).
WARNING_BUDGET = 4 * 1024
#: What each warning is cut to once the budget is spent (``truncateItemRunes``).
WARNING_ITEM_LIMIT = 256

# volume source -> (the path segment warnings.go prints, the text)
_DEPRECATED_VOLUMES = {
    "photonPersistentDisk": (
        "photonPersistentDisk",
        "deprecated in v1.11, non-functional in v1.16+",
    ),
    "gitRepo": ("gitRepo", "deprecated in v1.11, and disabled by default in v1.33+"),
    "scaleIO": ("scaleIO", "deprecated in v1.16, non-functional in v1.22+"),
    "flocker": ("flocker", "deprecated in v1.22, non-functional in v1.25+"),
    "storageos": ("storageOS", "deprecated in v1.22, non-functional in v1.25+"),
    "quobyte": ("quobyte", "deprecated in v1.22, non-functional in v1.25+"),
    "glusterfs": ("glusterfs", "deprecated in v1.25, non-functional in v1.26+"),
    "cephfs": ("cephfs", "deprecated in v1.28, non-functional in v1.31+"),
    "rbd": ("rbd", "deprecated in v1.28, non-functional in v1.31+"),
}
# pkg/api/node/util.go deprecatedNodeLabels
_DEPRECATED_NODE_LABELS = {
    "beta.kubernetes.io/arch": 'deprecated since v1.14; use "kubernetes.io/arch" instead',
    "beta.kubernetes.io/os": 'deprecated since v1.14; use "kubernetes.io/os" instead',
    "failure-domain.beta.kubernetes.io/region": (
        'deprecated since v1.17; use "topology.kubernetes.io/region" instead'
    ),
    "failure-domain.beta.kubernetes.io/zone": (
        'deprecated since v1.17; use "topology.kubernetes.io/zone" instead'
    ),
    "beta.kubernetes.io/instance-type": (
        'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead'
    ),
}
_DEPRECATED_ANNOTATIONS = (
    (
        "scheduler.alpha.kubernetes.io/critical-pod",
        'non-functional in v1.16+; use the "priorityClassName" field instead',
    ),
    (
        "security.alpha.kubernetes.io/sysctls",
        'non-functional in v1.11+; use the "sysctls" field instead',
    ),
    (
        "security.alpha.kubernetes.io/unsafe-sysctls",
        'non-functional in v1.11+; use the "sysctls" field instead',
    ),
)
_SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod"
_SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/"
_SECCOMP_TEXT = 'non-functional in v1.27+; use the "seccompProfile" field instead'
_APPARMOR_CONTAINER = "container.apparmor.security.beta.kubernetes.io/"
_APPARMOR_TEXT = 'deprecated since v1.30; use the "appArmorProfile" field instead'
_NULL_SELECTOR = "a null labelSelector results in matching no pod"


class _Recorder:
    """The API server's warning recorder: what it keeps of the warnings, in order."""

    def __init__(self) -> None:
        self.sent: list[FieldError] = []
        self._seen: set[str] = set()
        self._ordered: list[FieldError] = []
        self._written = 0
        self._truncating = False

    @property
    def full(self) -> bool:
        """True once every further warning would be dropped."""
        return self._truncating and self._written >= WARNING_BUDGET

    def append(self, warning: FieldError) -> None:
        text = str(warning)
        if not text or self.full or text in self._seen:
            return
        self._seen.add(text)
        self._ordered.append(warning)
        size = len(text)
        if self._truncating and size > WARNING_ITEM_LIMIT:
            warning, size = _cut(warning, text), WARNING_ITEM_LIMIT
        if self._written + size <= WARNING_BUDGET or self._truncating:
            self._written += size
            self.sent.append(warning)
            return
        # over the budget: from now on every warning is cut, those already sent included
        self._truncating, self._written, self.sent = True, 0, []
        for earlier in self._ordered:
            text = str(earlier)
            if len(text) > WARNING_ITEM_LIMIT:
                earlier = _cut(earlier, text)  # noqa: PLW2901
            self._written += min(len(text), WARNING_ITEM_LIMIT)
            self.sent.append(earlier)


def _cut(warning: FieldError, text: str) -> FieldError:
    """*warning* with its text cut to :data:`WARNING_ITEM_LIMIT` characters (the path kept
    when it fits)."""
    head = len(str(warning.field)) + 2
    if warning.field.segments and head <= WARNING_ITEM_LIMIT:
        return _warn(warning.field, text[head:WARNING_ITEM_LIMIT], warning.origin)
    return _warn(FieldPath(), text[:WARNING_ITEM_LIMIT], warning.origin)


def _warn(path: FieldPath, detail: str, origin: str) -> FieldError:
    return FieldError(type=ErrorType.WARNING, field=path, detail=detail, origin=origin)


# A container's place: the list's path and the index in it (the container's own path is built
# only for a warning: most pods have none).
_Place = tuple[FieldPath, int]


_BASES = {
    kind: FieldPath(("spec", kind))
    for kind in (ContainerKind.INIT, ContainerKind.APP, ContainerKind.EPHEMERAL)
}


def _visit(pod: Pod) -> list[tuple[_Place, Container]]:
    """``VisitContainersWithPath``: init, regular, then ephemeral containers."""
    spec = pod.spec
    out: list[tuple[_Place, Container]] = []
    for kind, items in (
        (ContainerKind.INIT, spec.init_containers),
        (ContainerKind.APP, spec.containers),
        (ContainerKind.EPHEMERAL, spec.ephemeral_containers),
    ):
        base = _BASES[kind]
        out.extend(((base, i), c) for i, c in enumerate(items))
    return out


def _path(place: _Place, *below: str | int) -> FieldPath:
    base, i = place
    return FieldPath((*base.segments, i, *below))


_EMPTY: FrozenMap[str, object] = FrozenMap()


def _map(value: object) -> FrozenMap[str, object]:
    return value if isinstance(value, FrozenMap) else _EMPTY


def _list(value: object) -> tuple[object, ...]:
    return value if isinstance(value, tuple) else ()


def pod_warnings(pod: Pod, *, template: bool = False) -> list[FieldError]:
    """The warnings the client receives for a defaulted, valid pod, in the server's order.

    With *template*, those of a pod template (``GetWarningsForPodTemplate``), which also warns
    about a container's deprecated AppArmor annotation when no ``appArmorProfile`` field
    covers that container (a Pod gets that warning from elsewhere, not on create).

    Most pods get no warning and write few of the fields warned about: each group of checks
    runs only when a field it reads is there (skipping one changes nothing: it would warn about
    nothing), and a path is built only for a warning."""
    out = _Recorder()
    spec = pod.spec
    written = spec.extra.get  # (a list written empty counts as written: see validation)
    annotations = pod.metadata.annotations
    if spec.node_selector or spec.affinity is not None or spec.topology_spread_constraints:
        _node_label_warnings(out, pod)
    if annotations:
        for key, text in _DEPRECATED_ANNOTATIONS:
            if key in annotations:
                out.append(
                    _warn(
                        FieldPath(("metadata", "annotations")).key(key), text, "warning.annotation"
                    )
                )
    if spec.volumes:
        _volume_warnings(out, spec.volumes)
    aliases = spec.host_aliases or written("hostAliases")
    if aliases is not None:
        _duplicates(out, aliases, "hostAliases", "ip", "duplicate ip")
    secrets = spec.image_pull_secrets or written("imagePullSecrets")
    if secrets is not None:
        secrets = _list(secrets)
        _duplicates(out, secrets, "imagePullSecrets", "name", "duplicate name")
        for i, ref in enumerate(secrets):
            if not _map(ref).get("name"):
                p = FieldPath(("spec", "imagePullSecrets", i, "name"))
                out.append(_warn(p, 'invalid empty name ""', "warning.imagePullSecrets.empty"))
    overhead_map = spec.overhead or written("overhead")
    if overhead_map is not None:
        overhead = FieldPath(("spec", "overhead"))
        for name in ("memory", "ephemeral-storage"):
            q = _fractional(_map(overhead_map).get(name))
            if q is not None:
                out.append(_fractional_warning(overhead.key(name), q))
    if _SECCOMP_POD in annotations and _map(spec.security_context).get("seccompProfile") is None:
        path = FieldPath(("metadata", "annotations")).key(_SECCOMP_POD)
        out.append(_warn(path, _SECCOMP_TEXT, "warning.seccomp.annotation"))
    apparmor = template and _map(spec.security_context).get("appArmorProfile") is None
    noted = bool(annotations)
    ports = 0
    host_ip = False
    for kind, items in (
        (ContainerKind.INIT, spec.init_containers),
        (ContainerKind.APP, spec.containers),
        (ContainerKind.EPHEMERAL, spec.ephemeral_containers),
    ):
        for i, c in enumerate(items):
            # a container without resources or a second env var has only annotations to warn of
            if noted or c.resources is not None or len(c.env) > 1:
                _container_warnings(out, pod, (_BASES[kind], i), c, apparmor)
            if c.ports:
                ports += len(c.ports)
                host_ip = host_ip or any(p.host_ip for p in c.ports)
    # one port alone can only have a hostIP without a hostPort; it repeats nothing
    if ports > 1 or host_ip:
        containers = _visit(pod)
        _port_warnings(out, containers)
        if ports > 1:
            _port_name_warnings(out, containers)
    tgps = spec.termination_grace_period_seconds
    if isinstance(tgps, int) and tgps < 0:
        out.append(
            _warn(
                FieldPath(("spec", "terminationGracePeriodSeconds")),
                "must be >= 0; negative values are invalid and will be treated as 1",
                "warning.terminationGracePeriodSeconds",
            )
        )
    if spec.affinity is not None:
        _affinity_warnings(out, _map(spec.affinity))
    if spec.dns_config is not None:
        # IP addresses in a legacy form (leading zeros, IPv4-mapped IPv6, non-RFC 5952 IPv6)
        servers = _list(_map(spec.dns_config).get("nameservers"))
        for i, server in enumerate(servers):
            _ip_warning(out, server, ("spec", "dnsConfig", "nameservers", i))
    if aliases is not None:
        for i, alias in enumerate(_list(aliases)):
            _ip_warning(out, _map(alias).get("ip"), ("spec", "hostAliases", i, "ip"))
    return out.sent


def _volume_warnings(out: _Recorder, volumes: tuple[Volume, ...]) -> None:
    """Deprecated volume sources, then each volume's overlapping paths."""
    for i, vol in enumerate(volumes):
        for src in vol.sources:
            deprecated = _DEPRECATED_VOLUMES.get(src.kind)
            if deprecated:
                segment, text = deprecated
                out.append(
                    _warn(
                        FieldPath(("spec", "volumes", i, segment)),
                        text,
                        f"warning.volume.{src.kind}",
                    )
                )
    for vol in volumes:
        if any(src.kind in _ITEM_SOURCES for src in vol.sources):
            _overlapping_paths(out, vol.name or "", vol.sources)


# the sources whose items or projections may overlap
_ITEM_SOURCES = frozenset({"configMap", "secret", "downwardAPI", "projected"})


def _ip_warning(out: _Recorder, value: object, path: tuple[str | int, ...]) -> None:
    text = ip_warning(value) if isinstance(value, str) else None
    if text:
        out.append(_warn(FieldPath(path), text, "warning.ip"))


def _node_label_warnings(out: _Recorder, pod: Pod) -> None:
    """Deprecated node labels in ``nodeSelector``, node affinity and topology spread."""
    spec = pod.spec
    for key in spec.node_selector:
        text = _DEPRECATED_NODE_LABELS.get(key)
        if text:
            path = FieldPath(("spec", "nodeSelector")).key(key)
            out.append(_warn(path, text, "warning.nodeLabel"))
    node = _map(_map(spec.affinity).get("nodeAffinity"))
    base = ("spec", "affinity", "nodeAffinity")
    required = _map(node.get("requiredDuringSchedulingIgnoredDuringExecution"))
    here: tuple[str | int, ...]
    for i, term in enumerate(_list(required.get("nodeSelectorTerms"))):
        here = (*base, "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", i)
        _term_warnings(out, _map(term), here)
    preferred = _list(node.get("preferredDuringSchedulingIgnoredDuringExecution"))
    for i, item in enumerate(preferred):
        here = (*base, "preferredDuringSchedulingIgnoredDuringExecution", i, "preference")
        _term_warnings(out, _map(_map(item).get("preference")), here, values=True)
    for i, tsc in enumerate(spec.topology_spread_constraints):
        here = ("spec", "topologySpreadConstraints", i)
        key = _map(tsc).get("topologyKey")
        text = _DEPRECATED_NODE_LABELS.get(key) if isinstance(key, str) else None
        if text:
            path = FieldPath((*here, "topologyKey"))
            out.append(_warn(path, f"{key} is {text}", "warning.nodeLabel"))
        if _map(tsc).get("labelSelector") is None:
            path = FieldPath((*here, "labelSelector"))
            out.append(_warn(path, _NULL_SELECTOR, "warning.labelSelector.null"))


def _term_warnings(
    out: _Recorder,
    term: FrozenMap[str, object],
    here: tuple[str | int, ...],
    *,
    values: bool = False,
) -> None:
    """``GetWarningsForNodeSelectorTerm``: deprecated keys; with *values* (preferred terms,
    which validation does not check), values that are not valid label values."""
    for j, expression in enumerate(_list(term.get("matchExpressions"))):
        key = _map(expression).get("key")
        text = _DEPRECATED_NODE_LABELS.get(key) if isinstance(key, str) else None
        if text:
            path = FieldPath((*here, "matchExpressions", j, "key"))
            out.append(_warn(path, f"{key} is {text}", "warning.nodeLabel"))
        if not values:
            continue
        for k, value in enumerate(_list(_map(expression).get("values"))):
            if not isinstance(value, str):
                continue
            for message in is_label_value(value):
                path = FieldPath((*here, "matchExpressions", j, "values", k))
                out.append(_warn(path, f"{value} is invalid, {message}", "warning.labelValue"))


# --- warningsForOverlappingVirtualPaths: items of one volume written to overlapping paths ------

_Source = tuple[str, str]  # (path, where it comes from, "" for a plain configMap/secret item)
_PROJECTED = ("secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle")


def _item_paths(fields: FrozenMap[str, object], source: str) -> list[_Source] | None:
    items = fields.get("items")
    if not isinstance(items, tuple):
        return None  # no items: the keys decide the paths, at run time
    return [(str(_map(item).get("path") or ""), source) for item in items]


def _projected_paths(projection: FrozenMap[str, object]) -> list[_Source] | None:
    """The paths of one projection as v1.35's ``switch`` takes them, or ``None`` when no case
    matches: a configMap, secret or downwardAPI without ``items``, and a podCertificate (v1.35
    checks none of its paths)."""
    for kind, label in (("configMap", "ConfigMap"), ("secret", "Secret")):
        fields = projection.get(kind)
        if isinstance(fields, FrozenMap):
            found = _item_paths(fields, f"{label} {go_quote(str(fields.get('name') or ''))}")
            if found is not None:
                return found
    downward = projection.get("downwardAPI")
    if isinstance(downward, FrozenMap):
        found = _item_paths(downward, "DownwardAPI")
        if found is not None:
            return found
    token = projection.get("serviceAccountToken")
    if isinstance(token, FrozenMap):
        return [(str(token.get("path") or ""), "ServiceAccountToken")]
    bundle = projection.get("clusterTrustBundle")
    if isinstance(bundle, FrozenMap):
        name = bundle.get("name") or bundle.get("signerName") or ""
        return [(str(bundle.get("path") or ""), f"ClusterTrustBundle {go_quote(str(name))}")]
    return None


def _overlaps(paths: list[_Source]) -> Iterator[str]:
    """``checkVolumeMappingForOverlap``: each path against every earlier one (trailing slashes
    dropped), equal or one a directory of the other, in the order of the earlier ones.

    Each distinct text is given once, at its first place: the warning recorder drops the
    repeats anyway. Earlier items are indexed by directory and by what they print as, so
    thousands of items cost thousands of lookups, not millions of comparisons.
    """

    def shown(item: _Source) -> str:
        return go_quote(item[0]) + (f" ({item[1]})" if item[1] else "")

    order = 0
    exactly: dict[str, dict[_Source, int]] = {}  # path -> earlier items there, first place
    below: dict[str, dict[_Source, int]] = {}  # directory -> earlier items at or below it
    given: set[tuple[_Source, _Source]] = set()
    for raw, source in paths:
        here = (raw.rstrip("/"), source)
        path = here[0]
        order += 1
        if not path:
            continue
        ancestors = [path[:i] for i, ch in enumerate(path) if ch == "/"] + [path]
        hits = dict(below.get(path, {}))
        for ancestor in ancestors:
            for item, first in exactly.get(ancestor, {}).items():
                hits.setdefault(item, first)
        for item, _ in sorted(hits.items(), key=lambda kv: kv[1]):
            if (here, item) not in given:
                given.add((here, item))
                yield f"{shown(here)} with {shown(item)}"
        for ancestor in ancestors:
            below.setdefault(ancestor, {}).setdefault(here, order)
        exactly.setdefault(path, {}).setdefault(here, order)


def _overlapping_paths(out: _Recorder, name: str, sources: tuple[VolumeSource, ...]) -> None:
    for src in sources:
        fields = getattr(src, "fields", None)
        if not isinstance(fields, FrozenMap):
            continue
        if src.kind in ("configMap", "secret", "downwardAPI"):
            items = _item_paths(fields, "")
            if not items or len(items) < 2:
                continue  # one path overlaps nothing
            volume = go_quote(name)
            for overlap in _overlaps(items):
                if out.full:
                    return
                label = _source_label(src.kind, fields)
                text = f"volume {volume} ({label}): overlapping paths: {overlap}"
                out.append(_warn(FieldPath(), text, "warning.volume.overlap"))
        elif src.kind == "projected":
            volume = go_quote(name)
            paths: list[_Source] = []
            # Go keeps ``sourcePaths`` from one source to the next: a source no case of its
            # switch matches (a configMap without items, a podCertificate) checks the previous
            # source's paths again, which then overlap themselves ("t" with "t").
            current: list[_Source] = []
            for projection in _list(fields.get("sources")):
                projection = _map(projection)  # noqa: PLW2901
                if all(projection.get(k) is None for k in (*_PROJECTED, "podCertificate")):
                    text = f"volume {volume} (Projected) has no sources provided"
                    out.append(_warn(FieldPath(), text, "warning.volume.noSources"))
                    continue
                found = _projected_paths(projection)
                if found is not None:
                    current = found
                paths.extend(current)
            for overlap in _overlaps(paths):
                if out.full:
                    return
                text = f"volume {volume} (Projected): overlapping paths: {overlap}"
                out.append(_warn(FieldPath(), text, "warning.volume.overlap"))


def _source_label(kind: str, fields: FrozenMap[str, object]) -> str:
    """How an overlap warning names a configMap, secret or downwardAPI source."""
    if kind == "configMap":
        return f"ConfigMap {go_quote(str(fields.get('name') or ''))}"
    if kind == "secret":
        return f"Secret {go_quote(str(fields.get('secretName') or ''))}"
    return "DownwardAPI"


def _duplicates(out: _Recorder, items: object, field: str, key: str, text: str) -> None:
    """A later list item repeating an earlier one's *key* (hostAliases ip, imagePullSecrets
    name)."""
    if not isinstance(items, tuple) or len(items) < 2:
        return  # nothing to repeat
    seen: set[object] = set()
    for i, item in enumerate(_list(items)):
        value = _map(item).get(key, "")
        if value in seen:
            path = FieldPath(("spec", field, i, key))
            out.append(_warn(path, f"{text} {go_quote(str(value))}", f"warning.{field}.dup"))
        else:
            seen.add(value)


def _fractional(raw: object) -> Quantity | None:
    """The quantity when it is a byte count that is not whole: ``value.MilliValue() % 1000 !=
    0``, the milli-value rounded up as Go's ``ScaledValue`` does."""
    if not isinstance(raw, (str, int, float)):
        return None
    try:
        q = parse_quantity(raw)
    except ValueError:
        return None
    if q.value.denominator == 1 or not math.ceil(q.value * 1000) % 1000:
        return None
    return q


def _fractional_warning(path: FieldPath, q: Quantity) -> FieldError:
    text = f'fractional byte value "{q}" is invalid, must be an integer'
    return _warn(path, text, "warning.memory.fractional")


def _container_warnings(
    out: _Recorder, pod: Pod, place: _Place, c: Container, apparmor: bool
) -> None:
    """The per-container part of ``warningsForPodSpecAndMeta``, in its order (*apparmor*: a
    template's container annotation is looked at)."""
    annotations = pod.metadata.annotations
    if annotations:
        key = _SECCOMP_CONTAINER + (c.name or "")
        if key in annotations and _map(c.security_context).get("seccompProfile") is None:
            path = FieldPath(("metadata", "annotations")).key(key)
            out.append(_warn(path, _SECCOMP_TEXT, "warning.seccomp.annotation"))
        key = _APPARMOR_CONTAINER + (c.name or "")
        if (
            apparmor
            and key in annotations
            and _map(c.security_context).get("appArmorProfile") is None
        ):
            path = FieldPath(("metadata", "annotations")).key(key)
            out.append(_warn(path, _APPARMOR_TEXT, "warning.apparmor.annotation"))
    res = c.resources
    if isinstance(res, FrozenMap) and res:
        for name in ("memory", "ephemeral-storage"):
            for section in ("limits", "requests"):
                values = _map(res.get(section))
                q = _fractional(values.get(name))
                if q is not None:  # the path is built for a warning only
                    out.append(_fractional_warning(_path(place, "resources", section).key(name), q))
    if len(c.env) < 2:
        return  # nothing to hide
    names: set[str] = set()
    for i, env in enumerate(c.env):
        name = env.name or ""
        if name in names:
            if env.value_from is not None or f"$({name})" not in (env.value or ""):
                out.append(
                    _warn(
                        _path(place, "env", i),
                        f"hides previous definition of {go_quote(name)}, which may be "
                        "dropped when using apply",
                        "warning.env.duplicate",
                    )
                )
        else:
            names.add(name)


def _port_warnings(out: _Recorder, containers: list[tuple[_Place, Container]]) -> None:
    # each port's place is kept as (container's place, index): its path is built for a warning
    seen: dict[str, list[tuple[_Place, int, int, str]]] = {}
    for place, c in containers:
        for i, port in enumerate(c.ports):
            if out.full:
                return  # every pair still to compare would be dropped
            host_ip, host_port = port.host_ip or "", port.host_port or 0
            if host_ip and not host_port:
                shown = (
                    f"{{Name:{port.name or ''} HostPort:0 ContainerPort:{port.container_port or 0}"
                    f" Protocol:{port.protocol or ''} HostIP:{host_ip}}}"
                )
                out.append(
                    _warn(
                        _path(place, "ports", i),
                        f"hostIP set without hostPort: {shown}",
                        "warning.port.hostIP",
                    )
                )
            key = f"{port.container_port or 0}/{port.protocol or ''}"
            earlier = seen.get(key)
            if earlier is None:
                seen[key] = [(place, i, host_port, host_ip)]
                continue
            for other_place, other_i, other_port, other_ip in earlier:
                if out.full:
                    return
                if host_ip == other_ip and host_port == other_port:
                    text, origin = "duplicate port definition", "warning.port.duplicate"
                elif host_port == 0 or other_port == 0:
                    text, origin = "overlapping port definition", "warning.port.overlapping"
                elif host_port == other_port and (not host_ip) != (not other_ip):
                    text, origin = "dangerously ambiguous port definition", "warning.port.ambiguous"
                else:
                    continue
                other = _path(other_place, "ports", other_i)
                out.append(_warn(_path(place, "ports", i), f"{text} with {other}", origin))
            earlier.append((place, i, host_port, host_ip))


def _port_name_warnings(out: _Recorder, containers: list[tuple[_Place, Container]]) -> None:
    """A port name used again (by any container): Services and probes take the first."""
    first: dict[str, tuple[_Place, int]] = {}
    for place, c in containers:
        for i, port in enumerate(c.ports):
            if not port.name:
                continue
            where = first.get(port.name)
            if where is None:
                first[port.name] = (place, i)
                continue
            if out.full:
                return
            other = _path(where[0], "ports", where[1])
            out.append(
                _warn(
                    _path(place, "ports", i),
                    f"duplicate port name {go_quote(port.name)} with {other}, services and "
                    f"probes that select ports by name will use {other}",
                    "warning.port.name",
                )
            )


def _affinity_warnings(out: _Recorder, affinity: FrozenMap[str, object]) -> None:
    """Pod (anti-)affinity terms with no ``labelSelector`` match no pod."""
    for kind in ("podAffinity", "podAntiAffinity"):
        terms = affinity.get(kind)
        if not isinstance(terms, FrozenMap):
            continue
        base = ("spec", "affinity", kind)
        required = "requiredDuringSchedulingIgnoredDuringExecution"
        for i, term in enumerate(_list(terms.get(required))):
            if _map(term).get("labelSelector") is None:
                path = FieldPath((*base, required, i, "labelSelector"))
                out.append(_warn(path, _NULL_SELECTOR, "warning.labelSelector.null"))
        preferred = "preferredDuringSchedulingIgnoredDuringExecution"
        for i, term in enumerate(_list(terms.get(preferred))):
            if _map(_map(term).get("podAffinityTerm")).get("labelSelector") is None:
                path = FieldPath((*base, preferred, i, "podAffinityTerm", "labelSelector"))
                out.append(_warn(path, _NULL_SELECTOR, "warning.labelSelector.null"))
