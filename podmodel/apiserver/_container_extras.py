"""Container rules added since v1.33 (private), as ``validation.go`` v1.35.4 words them: the
resource claims of a container, ``resizePolicy``, ``restartPolicyRules`` and
``lifecycle.stopSignal``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from podmodel.apiserver._names import is_dns1123_label
from podmodel.errors import ErrorType, FieldError
from podmodel.model._frozen import FrozenMap

if TYPE_CHECKING:
    from podmodel.apiserver._rules import Errors
    from podmodel.errors import FieldPath
    from podmodel.model.spec import Container

__all__ = ["container_claims", "resize_policy", "restart_policy_rules", "stop_signal"]

_NO_MAP: FrozenMap[str, Any] = FrozenMap()  # the missing map, shared (it is immutable)

# sets.List of the Linux signals (sorted as Go sorts strings).
_LINUX_SIGNALS = (
    "SIGABRT",
    "SIGALRM",
    "SIGBUS",
    "SIGCHLD",
    "SIGCLD",
    "SIGCONT",
    "SIGFPE",
    "SIGHUP",
    "SIGILL",
    "SIGINT",
    "SIGIO",
    "SIGIOT",
    "SIGKILL",
    "SIGPIPE",
    "SIGPOLL",
    "SIGPROF",
    "SIGPWR",
    "SIGQUIT",
    "SIGRTMAX",
    "SIGRTMAX-1",
    "SIGRTMAX-10",
    "SIGRTMAX-11",
    "SIGRTMAX-12",
    "SIGRTMAX-13",
    "SIGRTMAX-14",
    "SIGRTMAX-2",
    "SIGRTMAX-3",
    "SIGRTMAX-4",
    "SIGRTMAX-5",
    "SIGRTMAX-6",
    "SIGRTMAX-7",
    "SIGRTMAX-8",
    "SIGRTMAX-9",
    "SIGRTMIN",
    "SIGRTMIN+1",
    "SIGRTMIN+10",
    "SIGRTMIN+11",
    "SIGRTMIN+12",
    "SIGRTMIN+13",
    "SIGRTMIN+14",
    "SIGRTMIN+15",
    "SIGRTMIN+2",
    "SIGRTMIN+3",
    "SIGRTMIN+4",
    "SIGRTMIN+5",
    "SIGRTMIN+6",
    "SIGRTMIN+7",
    "SIGRTMIN+8",
    "SIGRTMIN+9",
    "SIGSEGV",
    "SIGSTKFLT",
    "SIGSTOP",
    "SIGSYS",
    "SIGTERM",
    "SIGTRAP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGUSR1",
    "SIGUSR2",
    "SIGVTALRM",
    "SIGWINCH",
    "SIGXCPU",
    "SIGXFSZ",
)
_WINDOWS_SIGNALS = ("SIGKILL", "SIGTERM")


def _map(value: Any) -> FrozenMap[str, Any]:
    return value if isinstance(value, FrozenMap) else _NO_MAP


def _list(value: Any) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else ()


def container_claims(
    errs: Errors, claims: Any, pod_claims: tuple[str, ...], path: FieldPath
) -> None:
    """The ``claims`` part of ``validateResourceRequirements``."""
    seen: set[str] = set()
    for i, item in enumerate(_list(claims)):
        claim = _map(item)
        p = path.index(i)
        name = claim.get("name") or ""
        if not isinstance(name, str) or not name:
            errs.required(p, origin="resources.claims.name")
            continue
        request = claim.get("request") or ""
        request = request if isinstance(request, str) else ""
        if name in seen:
            # every request of that claim is already referenced
            errs.duplicate(p, name, "resources.claims.duplicate")
        else:
            key = name + "/" + request if request else name
            for msg in is_dns1123_label(request) if request else ():
                errs.invalid(p.child("request"), request, msg, "resources.claims.request")
            if key in seen:
                errs.duplicate(p, key, "resources.claims.duplicate")
            elif not request:
                # the whole claim overlaps each request of it referenced before (Go ranges
                # over a set here: one identical error per such request)
                for other in seen:
                    if "/" in other and other.split("/", 1)[0] == name:
                        errs.duplicate(p, name, "resources.claims.duplicate")
            seen.add(key)
        if name not in pod_claims:
            known = sorted(set(pod_claims))
            detail = "must be one of the names in pod.spec.resourceClaims" + (
                ": " + ", ".join(known) if known else " which is empty"
            )
            errs.append(
                FieldError(
                    type=ErrorType.NOT_FOUND,
                    field=p,
                    bad_value=name,
                    detail=detail,
                    origin="resources.claims.notFound",
                )
            )


def resize_policy(errs: Errors, policies: Any, pod_restart: str | None, path: FieldPath) -> None:
    """``validateResizePolicy``."""
    seen: set[Any] = set()
    for i, item in enumerate(_list(policies)):
        p = _map(item)
        resource = p.get("resourceName") or ""
        if resource in seen:
            errs.duplicate(path.index(i), resource, "resizePolicy.duplicate")
        seen.add(resource)
        if resource == "":
            errs.required(path, origin="resizePolicy.resourceName")
        elif resource not in ("cpu", "memory"):
            errs.not_supported(path, resource, ("cpu", "memory"), "resizePolicy.resourceName")
        policy = p.get("restartPolicy") or ""
        if policy == "":
            errs.required(path, origin="resizePolicy.restartPolicy")
        elif policy not in ("NotRequired", "RestartContainer"):
            errs.not_supported(
                path, policy, ("NotRequired", "RestartContainer"), "resizePolicy.restartPolicy"
            )
        if pod_restart == "Never" and policy != "NotRequired":
            errs.invalid(
                path,
                policy,
                "must be 'NotRequired' when `restartPolicy` is 'Never'",
                "resizePolicy.never",
            )


def restart_policy_rules(errs: Errors, c: Container, path: FieldPath, *, init: bool) -> None:
    """``validateContainerRestartPolicyRules`` (ContainerRestartRules, beta in v1.35)."""
    rules = c.restart_policy_rules or c.extra.get("restartPolicyRules")
    if not isinstance(rules, tuple) or not rules:
        return
    if init and c.restart_policy == "Always":
        errs.forbidden(
            path.child("restartPolicyRules"),
            "restartPolicyRules are not allowed for init containers with restart policy Always",
            "restartPolicyRules.sidecar",
        )
        return
    if c.restart_policy is None:
        errs.required(
            path.child("restartPolicy"),
            "must specify restartPolicy when restart rules are used",
            "restartPolicyRules.restartPolicy",
        )
        if init:
            return
    for i, item in enumerate(rules):
        rule = _map(item)
        p = path.child("restartPolicyRules").index(i)
        action = rule.get("action") or ""
        if action != "Restart":
            errs.not_supported(p.child("action"), action, ("Restart",), "restartPolicyRules.action")
        codes = rule.get("exitCodes")
        if not isinstance(codes, FrozenMap):
            errs.required(p.child("exitCodes"), "must be specified", "restartPolicyRules.exitCodes")
            continue
        op = codes.get("operator") or ""
        if op not in ("In", "NotIn"):
            errs.not_supported(
                p.child("exitCodes", "operator"), op, ("In", "NotIn"), "restartPolicyRules.operator"
            )
        if len(_list(codes.get("values"))) > 255:
            errs.too_long(p.child("exitCodes", "values"), 255, "restartPolicyRules.values")


def stop_signal(errs: Errors, c: Container, os_name: str | None, path: FieldPath) -> None:
    """``validateContainerStopSignal``: allowed only with ``spec.os`` (*os_name* None: no
    ``spec.os``), from the list of its ``name``; an empty or unknown name is refused on
    ``spec.os`` alone."""
    signal = _map(c.lifecycle).get("stopSignal")
    if signal is None:
        return
    p = path.child("lifecycle", "stopSignal")
    if os_name is None:
        errs.forbidden(
            p, "may not be set for containers with empty `spec.os.name`", "lifecycle.stopSignal"
        )
        return
    if os_name not in ("linux", "windows"):
        return  # spec.os.name itself is refused
    allowed = _WINDOWS_SIGNALS if os_name == "windows" else _LINUX_SIGNALS
    if signal not in allowed:
        errs.not_supported(p, signal, allowed, "lifecycle.stopSignal")
