"""Container field checks (private): resources, security context, probes and lifecycle hooks.

Split from :mod:`podmodel.apiserver._container_rules`, which applies them per container kind in
``validation.go``'s order.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from podmodel.apiserver._names import inclusive_range, is_qualified_name, is_valid_port_name
from podmodel.model._frozen import FrozenMap
from podmodel.model._quantity import parse_quantity

if TYPE_CHECKING:
    from podmodel.apiserver._rules import Errors
    from podmodel.errors import FieldPath
    from podmodel.model.spec import Container

__all__ = ["lifecycle_and_probes", "resources", "security_context"]

_STANDARD_RESOURCES = frozenset({"cpu", "memory", "ephemeral-storage"})
_HTTP_HEADER = re.compile("[-A-Za-z0-9]+")


def _resources(errs: Errors, res: Any, path: FieldPath) -> None:
    if not isinstance(res, FrozenMap):
        return
    limits = _section(res, "limits")
    requests = _section(res, "requests")
    lim_path, req_path = path.child("limits"), path.child("requests")
    parsed_limits = {}
    has_compute = has_huge = False
    for name in sorted(limits):
        q = _resource_value(errs, name, limits[name], lim_path)
        if q is not None:
            parsed_limits[name] = q
        has_compute |= name in ("cpu", "memory")
        has_huge |= name.startswith("hugepages-")
    for name in sorted(requests):
        q = _resource_value(errs, name, requests[name], req_path)
        has_compute |= name in ("cpu", "memory")
        has_huge |= name.startswith("hugepages-")
        if q is None:
            continue
        limit = parsed_limits.get(name)
        overcommit = _native(name) and not name.startswith("hugepages-")
        if limit is not None:
            order = q.cmp(limit)
            if order != 0 and not overcommit:
                errs.invalid(
                    req_path,
                    str(q),
                    f"must be equal to {name} limit of {limit}",
                    "resources.requests.equal",
                )
            elif order > 0:
                errs.invalid(
                    req_path,
                    str(q),
                    f"must be less than or equal to {name} limit of {limit}",
                    "resources.requests.limit",
                )
        elif not overcommit and name not in limits:
            errs.required(
                lim_path,
                "Limit must be set for non overcommitable resources",
                "resources.limits.required",
            )
    if has_huge and not has_compute:
        errs.forbidden(path, "HugePages require cpu or memory", "resources.hugepages")


def _section(res: FrozenMap[str, Any], key: str) -> FrozenMap[str, Any]:
    value = res.get(key)
    return value if isinstance(value, FrozenMap) else FrozenMap()


def _native(name: str) -> bool:
    """``IsNativeResource``: unprefixed, or in a ``kubernetes.io/`` namespace."""
    return "/" not in name or "kubernetes.io/" in name


def _resource_value(errs: Errors, name: str, raw: Any, section: FieldPath) -> Any:
    # the value's path, section.key(name), is built only for an error
    if "/" not in name:
        if name not in _STANDARD_RESOURCES and not name.startswith("hugepages-"):
            errs.invalid(
                section.key(name),
                name,
                "must be a standard resource for containers",
                "resources.name",
            )
    else:
        for msg in is_qualified_name(name):
            errs.invalid(section.key(name), name, msg, "resources.name")
    try:
        q = parse_quantity(raw)
    except ValueError:
        return None
    if q.value.numerator < 0:
        errs.invalid(
            section.key(name), str(q), "must be greater than or equal to 0", "resources.negative"
        )
    if not _native(name) and q.value.denominator != 1:
        errs.invalid(section.key(name), str(q), "must be an integer", "resources.integer")
    return q


def _security_context(errs: Errors, sc: Any, path: FieldPath) -> None:
    if not isinstance(sc, FrozenMap):
        return
    for key in ("runAsUser", "runAsGroup"):
        value = sc.get(key)
        if isinstance(value, int) and not 0 <= value <= 2147483647:
            errs.invalid(
                path.child(key), value, inclusive_range(0, 2147483647), f"securityContext.{key}"
            )
    proc = sc.get("procMount")
    if proc is not None and proc not in ("Default", "Unmasked"):
        errs.not_supported(
            path.child("procMount"), proc, ("Default", "Unmasked"), "securityContext.procMount"
        )
    _seccomp(errs, sc.get("seccompProfile"), path.child("seccompProfile"))
    if sc.get("allowPrivilegeEscalation") is False:
        if sc.get("privileged") is True:
            errs.invalid(
                path,
                sc,
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
                "securityContext.privilegeEscalation",
            )
        caps = sc.get("capabilities")
        added = caps.get("add") if isinstance(caps, FrozenMap) else None
        if isinstance(added, tuple) and "CAP_SYS_ADMIN" in added:
            errs.invalid(
                path,
                sc,
                "cannot set `allowPrivilegeEscalation` to false and "
                "`capabilities.Add` CAP_SYS_ADMIN",
                "securityContext.sysAdmin",
            )


def _seccomp(errs: Errors, profile: Any, path: FieldPath) -> None:
    if not isinstance(profile, FrozenMap):
        return
    kind = profile.get("type") or ""
    local = profile.get("localhostProfile")
    if kind == "Localhost":
        if not local:
            errs.required(
                path.child("localhostProfile"),
                "must be set when seccomp type is Localhost",
                "seccompProfile.localhost",
            )
    elif kind in ("RuntimeDefault", "Unconfined"):
        if local is not None:
            errs.invalid(
                path.child("localhostProfile"),
                local,
                "can only be set when seccomp type is Localhost",
                "seccompProfile.localhost",
            )
    else:
        errs.not_supported(
            path.child("type"),
            kind,
            ("Localhost", "RuntimeDefault", "Unconfined"),
            "seccompProfile.type",
        )


def _port_num_or_name(errs: Errors, action: FrozenMap[str, Any], path: FieldPath) -> None:
    """The ``port`` of *action* (at *path*): a number or an IANA service name."""
    port = action.get("port")
    if isinstance(port, str):
        for msg in is_valid_port_name(port):
            errs.invalid(path.child("port"), port, msg, "handler.port")
    else:
        value = port if isinstance(port, int) else 0
        if not 1 <= value <= 65535:
            errs.invalid(path.child("port"), value, inclusive_range(1, 65535), "handler.port")


def _handler(errs: Errors, h: Any, grace: int | None, path: FieldPath, *, probe: bool) -> None:
    """``validateHandler``: exactly one handler, each checked."""
    if not isinstance(h, FrozenMap):
        return
    kinds = (
        ("exec", "httpGet", "tcpSocket", "grpc", "sleep")
        if probe
        else ("exec", "httpGet", "tcpSocket", "sleep")
    )
    n = 0
    for kind in kinds:
        action = h.get(kind)
        if action is None:
            continue
        p = path.child(kind)
        if n:
            errs.forbidden(p, "may not specify more than 1 handler type", "handler.multiple")
            continue
        n += 1
        if not isinstance(action, FrozenMap):
            continue
        if kind == "exec":
            if not action.get("command"):
                errs.required(p.child("command"), origin="handler.exec.command")
        elif kind == "httpGet":
            if not action.get("path"):
                errs.required(p.child("path"), origin="handler.httpGet.path")
            _port_num_or_name(errs, action, p)
            scheme = action.get("scheme") or ""
            if scheme not in ("HTTP", "HTTPS"):
                errs.not_supported(
                    p.child("scheme"), scheme, ("HTTP", "HTTPS"), "handler.httpGet.scheme"
                )
            for header in action.get("httpHeaders") or ():
                name = header.get("name", "") if isinstance(header, FrozenMap) else ""
                if not _HTTP_HEADER.fullmatch(name or ""):
                    errs.invalid(
                        p.child("httpHeaders"),
                        name,
                        "a valid HTTP header must consist of alphanumeric characters or "
                        "'-' (e.g. 'X-Header-Name',  regex used for validation is "
                        "'[-A-Za-z0-9]+')",
                        "handler.httpGet.header",
                    )
        elif kind == "tcpSocket":
            _port_num_or_name(errs, action, p)
        elif kind == "grpc":
            port = action.get("port")
            value = port if isinstance(port, int) else 0
            if not 1 <= value <= 65535:
                errs.invalid(p.child("port"), value, inclusive_range(1, 65535), "handler.port")
        else:
            seconds = action.get("seconds")
            seconds = seconds if isinstance(seconds, int) else 0
            if grace is not None and (seconds < 0 or seconds > grace):
                errs.invalid(
                    p,
                    seconds,
                    f"must be non-negative and less than terminationGracePeriodSeconds ({grace})",
                    "handler.sleep",
                )
    if n == 0:
        errs.required(path, "must specify a handler type", "handler.none")


def _probe(errs: Errors, probe: Any, grace: int | None, path: FieldPath, kind: str) -> None:
    if not isinstance(probe, FrozenMap):
        return
    _handler(errs, probe, grace, path, probe=True)
    for key in (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
    ):
        value = probe.get(key)
        if isinstance(value, int) and value < 0:  # errs.nonnegative, its path built on error
            errs.nonnegative(path.child(key), value, f"probe.{key}")
    tgps = probe.get("terminationGracePeriodSeconds")
    if isinstance(tgps, int) and tgps <= 0:
        errs.invalid(
            path.child("terminationGracePeriodSeconds"),
            tgps,
            "must be greater than 0",
            "probe.terminationGracePeriodSeconds",
        )
    if kind in ("liveness", "startup"):
        success = probe.get("successThreshold")
        if isinstance(success, int) and success != 1:
            errs.invalid(
                path.child("successThreshold"), success, "must be 1", "probe.successThreshold"
            )
    elif isinstance(tgps, int):
        errs.invalid(
            path.child("terminationGracePeriodSeconds"),
            tgps,
            "must not be set for readinessProbes",
            "probe.readiness.tgps",
        )


def _lifecycle_and_probes(errs: Errors, c: Container, grace: int | None, path: FieldPath) -> None:
    if isinstance(c.lifecycle, FrozenMap):
        for hook in ("postStart", "preStop"):
            if c.lifecycle.get(hook) is not None:
                _handler(errs, c.lifecycle[hook], grace, path.child("lifecycle", hook), probe=False)
    for probe, field, kind in (
        (c.liveness_probe, "livenessProbe", "liveness"),
        (c.readiness_probe, "readinessProbe", "readiness"),
        (c.startup_probe, "startupProbe", "startup"),
    ):
        if probe is not None:
            _probe(errs, probe, grace, path.child(field), kind)


resources = _resources
security_context = _security_context
lifecycle_and_probes = _lifecycle_and_probes
