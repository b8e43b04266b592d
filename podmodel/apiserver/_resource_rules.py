"""Resource rules (private), as ``validation.go`` v1.35.4 words them: a container's or the pod's
``resources`` (``validateResourceRequirements`` with the container or the pod-level resource-name
rule), ``overhead``, and the pod-level consistency with the containers."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from podmodel.apiserver._names import is_qualified_name
from podmodel.model._frozen import FrozenMap
from podmodel.model._quantity import Quantity, parse_quantity

if TYPE_CHECKING:
    from podmodel.apiserver._rules import Errors
    from podmodel.errors import FieldPath
    from podmodel.model.spec import PodSpec

__all__ = ["aggregate_requests", "pod_resources", "resource_requirements"]

_NO_MAP: FrozenMap[str, Any] = FrozenMap()  # the missing map, shared (it is immutable)

_CONTAINER_RESOURCES = frozenset({"cpu", "memory", "ephemeral-storage"})
# helper.standardResources (quota names included)
_STANDARD = frozenset(
    {
        "cpu",
        "memory",
        "ephemeral-storage",
        "requests.cpu",
        "requests.memory",
        "requests.ephemeral-storage",
        "limits.cpu",
        "limits.memory",
        "limits.ephemeral-storage",
        "pods",
        "resourcequotas",
        "services",
        "replicationcontrollers",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "storage",
        "requests.storage",
        "services.nodeports",
        "services.loadbalancers",
    }
)
_POD_LEVEL = ("cpu", "hugepages-", "memory")
_OVERCOMMIT_FORBIDDEN_MSG = "Limit must be set for non overcommitable resources"


def _huge(name: str) -> bool:
    return name.startswith("hugepages-")


def _native(name: str) -> bool:
    """``IsNativeResource``: unprefixed, or in a ``kubernetes.io/`` namespace."""
    return "/" not in name or "kubernetes.io/" in name


def _extended(name: str) -> bool:
    """``IsExtendedResourceName``."""
    if _native(name) or name.startswith("requests."):
        return False
    return not is_qualified_name("requests." + name)


def _resource_name(errs: Errors, name: str, path: FieldPath) -> list[str]:
    """``validateResourceName``: the messages it adds (already appended to *errs*)."""
    msgs = is_qualified_name(name)
    for msg in msgs:
        errs.invalid(path, name, msg, "resources.name")
    if msgs:
        return msgs
    if "/" not in name and name not in _STANDARD and not _huge(name):
        errs.invalid(
            path, name, "must be a standard resource type or fully qualified", "resources.name"
        )
        return ["standard"]
    return []


def _container_resource_name(errs: Errors, name: str, path: FieldPath) -> None:
    if name in _CONTAINER_RESOURCES:
        return  # cpu, memory, ephemeral-storage: standard, and qualified names
    _resource_name(errs, name, path)
    if len(name.split("/")) == 1:
        if name not in _CONTAINER_RESOURCES and not _huge(name):
            errs.invalid(path, name, "must be a standard resource for containers", "resources.name")
    elif not _native(name) and not _extended(name):
        errs.invalid(path, name, "doesn't follow extended resource name standard", "resources.name")


def _pod_resource_name(errs: Errors, name: str, path: FieldPath) -> None:
    if name in _POD_USUAL:
        return  # standard, qualified, and supported at pod level
    if _resource_name(errs, name, path):
        return
    if name not in ("cpu", "memory") and not _huge(name):
        errs.not_supported(path, name, _POD_LEVEL, "resources.podLevel")


def _integer_valued(q: Quantity) -> int:
    """``Quantity.Value()``: rounded up to an integer."""
    return math.ceil(q.value)


def _huge_divisible(name: str, q: Quantity) -> bool:
    try:
        page = parse_quantity(name.removeprefix("hugepages-"))
    except ValueError:
        return False
    if page.value <= 0 or (page.value * 1000).denominator != 1 or (page.value * 1000) % 1000:
        return False
    return _integer_valued(q) % _integer_valued(page) == 0


def _quantity(errs: Errors, name: str, raw: Any, path: FieldPath) -> Quantity | None:
    """``ValidateResourceQuantityValue``."""
    try:
        q = parse_quantity(raw)
    except ValueError:
        return None
    if q.value.numerator < 0:  # (a Fraction's sign is its numerator's: no Fraction compare)
        errs.invalid(path, str(q), "must be greater than or equal to 0", "resources.negative")
    if _extended(name) and (q.value * 1000) % 1000:
        errs.invalid(path, str(q), "must be an integer", "resources.integer")
    return q


def _section(res: FrozenMap[str, Any], key: str) -> FrozenMap[str, Any]:
    value = res.get(key)
    return value if isinstance(value, FrozenMap) else _NO_MAP


def resource_requirements(
    errs: Errors, res: Any, path: FieldPath, *, pod_level: bool = False
) -> None:
    """``validateResourceRequirements`` without the claims (Go ranges over the two maps:
    podmodel sorts the names).

    The usual names (cpu, memory, and for a container ephemeral-storage) are standard, native
    and not huge pages: of all the checks only the sign and requests <= limits can fail for
    them, so they take a short way (the same errors, in the same order); the paths are built
    for an error only."""
    if not isinstance(res, FrozenMap):
        return
    name_rule = _pod_resource_name if pod_level else _container_resource_name
    usual = _POD_USUAL if pod_level else _CONTAINER_RESOURCES
    limits, requests = _section(res, "limits"), _section(res, "requests")
    parsed: dict[str, Quantity] = {}
    compute = huge = False
    for name in sorted(limits) if limits else ():
        if name in usual:
            q = _usual_quantity(errs, limits[name], path, "limits", name)
            if q is not None:
                parsed[name] = q
            compute |= name != "ephemeral-storage"
            continue
        p = path.child("limits").key(name)
        name_rule(errs, name, p)
        q = _quantity(errs, name, limits[name], p)
        if q is not None:
            parsed[name] = q
        if _huge(name):
            huge = True
            if q is not None and not _huge_divisible(name, q):
                errs.invalid(p, str(q), f"{q} is not positive integer multiple of {name}")
        compute |= name in ("cpu", "memory")
    for name in sorted(requests) if requests else ():
        if name in usual:
            q = _usual_quantity(errs, requests[name], path, "requests", name)
            limit = parsed.get(name)
            if q is not None and limit is not None and q.cmp(limit) > 0:
                errs.invalid(
                    path.child("requests"),
                    str(q),
                    f"must be less than or equal to {name} limit of {limit}",
                )
            compute |= name != "ephemeral-storage"
            continue
        p = path.child("requests").key(name)
        name_rule(errs, name, p)
        q = _quantity(errs, name, requests[name], p)
        overcommit = _native(name) and not _huge(name)
        limit = parsed.get(name)
        if q is not None and limit is not None:
            order = q.cmp(limit)
            if order != 0 and not overcommit:
                errs.invalid(
                    path.child("requests"), str(q), f"must be equal to {name} limit of {limit}"
                )
            elif order > 0:
                errs.invalid(
                    path.child("requests"),
                    str(q),
                    f"must be less than or equal to {name} limit of {limit}",
                )
        elif name not in limits and not overcommit:
            errs.required(
                path.child("limits"), _OVERCOMMIT_FORBIDDEN_MSG, "resources.limits.required"
            )
        if _huge(name):
            huge = True
            if q is not None and not _huge_divisible(name, q):
                errs.invalid(p, str(q), f"{q} is not positive integer multiple of {name}")
        compute |= name in ("cpu", "memory")
    if huge and not compute:
        errs.forbidden(path, "HugePages require cpu or memory", "resources.hugepages")


_POD_USUAL = frozenset({"cpu", "memory"})


def _usual_quantity(
    errs: Errors, raw: Any, path: FieldPath, section: str, name: str
) -> Quantity | None:
    """``_quantity`` for a usual name (native, not extended: only the sign to check)."""
    try:
        q = parse_quantity(raw)
    except ValueError:
        return None
    if q.value.numerator < 0:
        errs.invalid(
            path.child(section).key(name),
            str(q),
            "must be greater than or equal to 0",
            "resources.negative",
        )
    return q


def _requests(res: Any) -> dict[str, Quantity]:
    out: dict[str, Quantity] = {}
    for name, raw in _section(
        res if isinstance(res, FrozenMap) else FrozenMap(), "requests"
    ).items():
        try:
            out[name] = parse_quantity(raw)
        except ValueError:
            continue
    return out


def _container_requests(c: Any, section: str = "requests") -> dict[str, Quantity]:
    res = c.resources
    requests = res.get(section) if isinstance(res, FrozenMap) else None
    out: dict[str, Quantity] = {}
    for name, raw in requests.items() if isinstance(requests, FrozenMap) else ():
        try:
            out[name] = parse_quantity(raw)
        except (ValueError, TypeError):
            continue
    return out


def aggregate_requests(spec: PodSpec, section: str = "requests") -> dict[str, Quantity]:
    """``resourcehelper.AggregateContainerRequests`` (or ``...Limits`` for the *section*
    ``limits``): the regular containers and sidecars summed, then the larger of that and each
    init container with the sidecars before it."""
    total: dict[str, Quantity] = {}
    for c in spec.containers:
        for name, q in _container_requests(c, section).items():
            total[name] = total[name] + q if name in total else q
    sidecars: dict[str, Quantity] = {}
    init_max: dict[str, Quantity] = {}
    for c in spec.init_containers:
        reqs = _container_requests(c, section)
        if c.restart_policy == "Always":
            for name, q in reqs.items():
                total[name] = total[name] + q if name in total else q
                sidecars[name] = sidecars[name] + q if name in sidecars else q
            effective = dict(sidecars)
        else:
            effective = dict(reqs)
            for name, q in sidecars.items():
                effective[name] = effective[name] + q if name in effective else q
        for name, q in effective.items():
            if name not in init_max or q.cmp(init_max[name]) > 0:
                init_max[name] = q
    for name, q in init_max.items():
        if name not in total or q.cmp(total[name]) > 0:
            total[name] = q
    return total


def pod_resources(errs: Errors, spec: PodSpec, claims_forbidden: bool, path: FieldPath) -> None:
    """``validatePodResources`` (PodLevelResources, beta and on in v1.35), without the claims
    themselves."""
    res = spec.resources
    if not isinstance(res, FrozenMap):
        return
    if claims_forbidden:
        errs.forbidden(
            path.child("claims"),
            "claims may not be set for Resources at pod-level",
            "resources.claims",
        )
    resource_requirements(errs, res, path, pod_level=True)


def pod_resource_consistency(errs: Errors, spec: PodSpec, path: FieldPath) -> None:
    """``validatePodResourceConsistency`` (Go ranges over maps: podmodel sorts the names)."""
    res = spec.resources
    if not isinstance(res, FrozenMap):
        return
    pod_requests = _requests(res)
    for name, total in sorted(aggregate_requests(spec).items()):
        have = pod_requests.get(name)
        if have is not None and total.cmp(have) > 0:
            errs.invalid(
                path.child("requests").key(name),
                str(have),
                f"must be greater than or equal to aggregate container requests of {total}",
            )
    limits = _section(res, "limits")
    # huge pages only: their pod-level limits bound the containers' together
    pod_limits = _requests(FrozenMap({"requests": limits}))
    for name, total in sorted(aggregate_requests(spec, "limits").items()):
        have = pod_limits.get(name)
        if name.startswith("hugepages-") and have is not None and total.cmp(have) > 0:
            errs.invalid(
                path.child("limits").key(name),
                str(have),
                f"must be greater than or equal to aggregate container limits of {total}",
            )
    for i, c in enumerate(spec.containers):
        c_limits = _section(
            c.resources if isinstance(c.resources, FrozenMap) else FrozenMap(), "limits"
        )
        for name in sorted(c_limits):
            if name not in limits:
                continue
            try:
                mine, pods = parse_quantity(c_limits[name]), parse_quantity(limits[name])
            except ValueError:
                continue
            if mine.cmp(pods) > 0:
                errs.invalid(
                    path.child("containers").index(i).key(name).child("limits"),
                    str(mine),
                    f"must be less than or equal to pod limits of {pods}",
                )
