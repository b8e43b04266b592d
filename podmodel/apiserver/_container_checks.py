"""Container field checks (private): resources, security context, probes and lifecycle hooks.

Split from :mod:`podmodel.apiserver._container_rules`, which applies them per container kind in
``validation.go``'s order.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from podmodel.apiserver._container_extras import stop_signal
from podmodel.apiserver._names import inclusive_range, is_valid_port_name
from podmodel.apiserver._resource_rules import resource_requirements
from podmodel.apiserver._security_rules import (
    apparmor_profile,
    seccomp_profile,
    security_context_struct,
    windows_options,
)
from podmodel.model._frozen import FrozenMap

if TYPE_CHECKING:
    from podmodel.apiserver._rules import Errors
    from podmodel.errors import FieldPath
    from podmodel.model.spec import Container

__all__ = ["lifecycle_and_probes", "resources", "security_context"]

_HTTP_HEADER = re.compile("[-A-Za-z0-9]+")


def _resources(errs: Errors, res: Any, path: FieldPath) -> None:
    resource_requirements(errs, res, path)


def _security_context(errs: Errors, sc: Any, path: FieldPath, host_users: bool = True) -> None:
    """``ValidateSecurityContext`` (privileged containers are allowed, as on most clusters)."""
    if not isinstance(sc, FrozenMap):
        return
    for key in ("runAsUser", "runAsGroup"):
        value = sc.get(key)
        if isinstance(value, int) and not 0 <= value <= 2147483647:
            errs.invalid(
                path.child(key), value, inclusive_range(0, 2147483647), f"securityContext.{key}"
            )
    proc = sc.get("procMount")
    if proc is not None:
        if proc not in ("Default", "Unmasked"):
            errs.not_supported(
                path.child("procMount"), proc, ("Default", "Unmasked"), "securityContext.procMount"
            )
        if host_users and proc == "Unmasked":
            errs.invalid(
                path.child("procMount"),
                proc,
                "`hostUsers` must be false to use `Unmasked`",
                "securityContext.procMount.hostUsers",
            )
    # (each profile's path is built when the profile is there)
    if sc.get("seccompProfile") is not None:
        seccomp_profile(errs, sc.get("seccompProfile"), path.child("seccompProfile"))
    if sc.get("allowPrivilegeEscalation") is False:
        if sc.get("privileged") is True:
            errs.invalid(
                path,
                security_context_struct(sc),
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
                "securityContext.privilegeEscalation",
            )
        caps = sc.get("capabilities")
        added = caps.get("add") if isinstance(caps, FrozenMap) else None
        for cap in added if isinstance(added, tuple) else ():
            if cap == "CAP_SYS_ADMIN":
                errs.invalid(
                    path,
                    security_context_struct(sc),
                    "cannot set `allowPrivilegeEscalation` to false and "
                    "`capabilities.Add` CAP_SYS_ADMIN",
                    "securityContext.sysAdmin",
                )
    if sc.get("windowsOptions") is not None:
        windows_options(errs, sc.get("windowsOptions"), path.child("windowsOptions"))
    if sc.get("appArmorProfile") is not None:
        apparmor_profile(errs, sc.get("appArmorProfile"), path.child("appArmorProfile"))


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
                        "'-' (e.g. 'X-Header-Name', regex used for validation is "
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


def _lifecycle_and_probes(
    errs: Errors, c: Container, grace: int | None, path: FieldPath, os_name: str | None = None
) -> None:
    if isinstance(c.lifecycle, FrozenMap):
        for hook in ("postStart", "preStop"):
            if c.lifecycle.get(hook) is not None:
                _handler(errs, c.lifecycle[hook], grace, path.child("lifecycle", hook), probe=False)
        stop_signal(errs, c, os_name, path)
    if c.liveness_probe is not None:
        _probe(errs, c.liveness_probe, grace, path.child("livenessProbe"), "liveness")
    if c.readiness_probe is not None:
        _probe(errs, c.readiness_probe, grace, path.child("readinessProbe"), "readiness")
    if c.startup_probe is not None:
        _probe(errs, c.startup_probe, grace, path.child("startupProbe"), "startup")


resources = _resources
security_context = _security_context
lifecycle_and_probes = _lifecycle_and_probes
