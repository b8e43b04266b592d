"""The warnings the API server returns with a valid pod (``pkg/api/pod/warnings.go``), private."""

from __future__ import annotations

from podmodel._frozen import FrozenMap
from podmodel._quantity import parse_quantity
from podmodel.errors import ErrorType, FieldError, FieldPath
from podmodel.spec import Container, ContainerKind, Pod

__all__ = ["pod_warnings"]

_DEPRECATED_VOLUMES = {
    "gitRepo": "deprecated in v1.11",
    "photonPersistentDisk": "deprecated in v1.11, non-functional in v1.16+",
    "scaleIO": "deprecated in v1.16, non-functional in v1.22+",
    "flocker": "deprecated in v1.22, support removal is planned in v1.26",
    "storageos": "deprecated in v1.22, support removal is planned in v1.26",
    "quobyte": "deprecated in v1.22, support removal is planned in v1.26",
    "glusterfs": "deprecated in v1.25, non-functional in v1.26+",
    "cephfs": "deprecated in v1.28, non-functional in v1.31+",
    "rbd": "deprecated in v1.28, non-functional in v1.31+",
}


def _warn(path: FieldPath, detail: str, origin: str) -> FieldError:
    return FieldError(type=ErrorType.WARNING, field=path, detail=detail, origin=origin)


# A container's place: the list's path and the index in it (the container's own path is built
# only for a warning: most pods have none).
_Place = tuple[FieldPath, int]


def _visit(pod: Pod) -> list[tuple[_Place, Container]]:
    """``VisitContainersWithPath``: init, regular, then ephemeral containers."""
    spec = pod.spec
    out: list[tuple[_Place, Container]] = []
    for kind, items in (
        (ContainerKind.INIT, spec.init_containers),
        (ContainerKind.APP, spec.containers),
        (ContainerKind.EPHEMERAL, spec.ephemeral_containers),
    ):
        base = FieldPath(("spec", kind))
        out.extend(((base, i), c) for i, c in enumerate(items))
    return out


def _path(place: _Place, *below: str | int) -> FieldPath:
    base, i = place
    return FieldPath((*base.segments, i, *below))


def pod_warnings(pod: Pod) -> list[FieldError]:
    """Warnings for a defaulted, valid pod, in the server's order."""
    spec = pod.spec
    out: list[FieldError] = []
    for i, vol in enumerate(spec.volumes):
        for src in vol.sources:
            text = _DEPRECATED_VOLUMES.get(src.kind)
            if text:
                out.append(
                    _warn(
                        FieldPath(("spec", "volumes", i, src.kind)),
                        text,
                        f"warning.volume.{src.kind}",
                    )
                )
    secrets = spec.extra.get("imagePullSecrets")
    if isinstance(secrets, tuple):
        seen: set[str] = set()
        for i, ref in enumerate(secrets):
            name = ref.get("name", "") if isinstance(ref, FrozenMap) else ""
            p = FieldPath(("spec", "imagePullSecrets", i, "name"))
            if not name:
                out.append(_warn(p, 'invalid empty name ""', "warning.imagePullSecrets.empty"))
            elif name in seen:
                out.append(_warn(p, f'duplicate name "{name}"', "warning.imagePullSecrets.dup"))
            seen.add(name)
    tgps = spec.termination_grace_period_seconds
    if isinstance(tgps, int) and tgps < 0:
        out.append(
            _warn(
                FieldPath(("spec", "terminationGracePeriodSeconds")),
                "must be >= 0; negative values are invalid and will be treated as 1",
                "warning.terminationGracePeriodSeconds",
            )
        )
    containers = _visit(pod)
    for place, c in containers:
        _fractional_memory(out, place, c)
    _port_warnings(out, containers)
    for place, c in containers:
        names: set[str] = set()
        for i, env in enumerate(c.env):
            name = env.name or ""
            if name in names:
                if env.value_from is not None or f"$({name})" not in (env.value or ""):
                    out.append(
                        _warn(
                            _path(place, "env", i),
                            f'hides previous definition of "{name}", which may be '
                            "dropped when using apply",
                            "warning.env.duplicate",
                        )
                    )
            else:
                names.add(name)
    return out


def _fractional_memory(out: list[FieldError], place: _Place, c: Container) -> None:
    res = c.resources
    if not isinstance(res, FrozenMap):
        return
    for section in ("limits", "requests"):
        values = res.get(section)
        if not isinstance(values, FrozenMap):
            continue
        raw = values.get("memory")
        if raw is None:
            continue
        try:
            q = parse_quantity(raw)
        except ValueError:
            continue
        if q.value.denominator != 1:
            out.append(
                _warn(
                    _path(place, "resources", section).key("memory"),
                    f'fractional byte value "{q}" is invalid, must be an integer',
                    "warning.memory.fractional",
                )
            )


def _port_warnings(out: list[FieldError], containers: list[tuple[_Place, Container]]) -> None:
    seen: dict[str, list[tuple[FieldPath, int, str]]] = {}
    for place, c in containers:
        for i, port in enumerate(c.ports):
            here = _path(place, "ports", i)
            host_ip, host_port = port.host_ip or "", port.host_port or 0
            if host_ip and not host_port:
                shown = (
                    f"{{Name:{port.name or ''} HostPort:0 ContainerPort:{port.container_port or 0}"
                    f" Protocol:{port.protocol or ''} HostIP:{host_ip}}}"
                )
                out.append(
                    _warn(here, f"hostIP set without hostPort: {shown}", "warning.port.hostIP")
                )
            key = f"{port.container_port or 0}/{port.protocol or ''}"
            for other, other_port, other_ip in seen.get(key, []):
                if host_ip == other_ip and host_port == other_port:
                    text, origin = "duplicate port definition", "warning.port.duplicate"
                elif host_port == 0 or other_port == 0:
                    text, origin = "overlapping port definition", "warning.port.overlapping"
                elif host_port == other_port and (not host_ip) != (not other_ip):
                    text, origin = "dangerously ambiguous port definition", "warning.port.ambiguous"
                else:
                    continue
                out.append(_warn(here, f"{text} with {other}", origin))
            seen.setdefault(key, []).append((here, host_port, host_ip))
