"""A pod's QoS class, as ``pkg/apis/core/helper/qos/qos.go`` (``ComputePodQOS``, v1.35)
computes it from the defaulted pod (the API server copies missing requests from limits first).

* Only ``cpu`` and ``memory`` count, and only quantities above zero.
* **BestEffort**: no container (init containers included, ephemeral ones not) requests or
  limits either.
* **Guaranteed**: every container limits both cpu and memory, and the sums of requests equal
  the sums of limits, resource by resource.
* **Burstable**: anything else.
* Pod-level ``spec.resources`` (``PodLevelResources``, on by default since 1.34), when they name
  a supported resource, replace the containers' in the same rules.

>>> import podmodel
>>> pod = podmodel.loads('''
... apiVersion: v1
... kind: Pod
... metadata: {name: p}
... spec:
...   containers:
...   - name: c
...     image: nginx
...     resources: {limits: {cpu: 500m, memory: 128Mi}}
... ''')
>>> qos_class(pod)
'Guaranteed'
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from podmodel.apiserver.defaults import apply_defaults
from podmodel.model._quantity import parse_quantity

if TYPE_CHECKING:
    from podmodel.model.spec import Pod

__all__ = ["QOS_CLASSES", "qos_class"]

QOS_CLASSES = ("Guaranteed", "Burstable", "BestEffort")
_SUPPORTED = ("cpu", "memory")


def _quantities(resources: Any, which: str) -> dict[str, Fraction]:
    """The positive cpu and memory quantities of ``resources[which]``."""
    if not isinstance(resources, Mapping):
        return {}
    values = resources.get(which)
    out: dict[str, Fraction] = {}
    if not isinstance(values, Mapping):
        return out
    for name, raw in values.items():
        if name not in _SUPPORTED:
            continue
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            continue
        try:
            value = Fraction(parse_quantity(raw).value)
        except (ValueError, TypeError, OverflowError):
            continue
        if value > 0:
            out[name] = value
    return out


def _add(total: dict[str, Fraction], more: dict[str, Fraction]) -> None:
    for name, value in more.items():
        total[name] = total.get(name, Fraction(0)) + value


def _pod_level_set(resources: Any) -> bool:
    if not isinstance(resources, Mapping):
        return False
    names = [
        str(n)
        for which in ("requests", "limits")
        if isinstance(resources.get(which), Mapping)
        for n in resources[which]
    ]
    return any(n in _SUPPORTED or n.startswith("hugepages-") for n in names)


def qos_class(pod: Pod) -> str:
    """``Guaranteed``, ``Burstable`` or ``BestEffort`` (see the module docstring)."""
    spec = apply_defaults(pod).spec
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    pod_level = spec.resources
    if _pod_level_set(pod_level):
        _add(requests, _quantities(pod_level, "requests"))
        found = _quantities(pod_level, "limits")
        _add(limits, found)
        if found and not all(n in found for n in _SUPPORTED):
            guaranteed = False
    else:
        for c in (*spec.containers, *spec.init_containers):
            _add(requests, _quantities(c.resources, "requests"))
            found = _quantities(c.resources, "limits")
            _add(limits, found)
            if not all(n in found for n in _SUPPORTED):
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and any(limits.get(n) != v for n, v in requests.items()):
        guaranteed = False
    return "Guaranteed" if guaranteed and len(requests) == len(limits) else "Burstable"
