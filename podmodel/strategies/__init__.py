"""Hypothesis strategies for pods, workloads, manifests and operation sequences (not imported by
``import podmodel``).

Every pod the *valid* strategies draw passes :func:`podmodel.validate` with no error (valid by
construction, for the Kubernetes v1.35 rules podmodel implements). :func:`invalid_pods` draws a
valid pod with **one** injected defect and the errors (type and path) that defect must produce.

>>> from hypothesis import given
>>> import podmodel
>>> from podmodel import strategies as pst
>>> @given(pst.pods(max_containers=3))
... def test_valid(pod):
...     assert podmodel.validate(pod).ok
>>> test_valid()

By default :func:`pods` reaches every writable field of the v1.35 Pod (every volume kind,
probes, hooks, resources, security contexts, affinity, ...; see :data:`AREAS` and
:data:`ALL_VOLUME_KINDS`); ``areas=`` and ``volume_kinds=`` narrow what is drawn, ``areas=()``
gives the plain pods of podmodel 0.x, and ``admissible=True`` only pods a fresh cluster's
admission plugins let through (what :meth:`podmodel.Node.start` needs).

The strategies follow Hypothesis' house style: plural names, keyword-only options, bad arguments
raise ``InvalidArgument`` (when the strategy is first used), and interesting cases (shared
ports, one volume in several containers, nested mount paths, names at their length limits) are
behind branches the shrinker can take away.

What this package may import: every layer below it (model, codec, apiserver, kernel, kubelet);
nothing imports it but the command line and the top-level ``podmodel`` names. Its names load on
first use, so Hypothesis' plugin hook (:mod:`podmodel.strategies._hypothesis`) stays cheap.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from podmodel.strategies._hypothesis import register
    from podmodel.strategies._invalid import invalid_pods
    from podmodel.strategies._more import (
        apply_network_operation,
        invalid_manifests,
        manifests,
        network_operations,
        run_network_operations,
    )
    from podmodel.strategies._pods import (
        ALL_VOLUME_KINDS,
        AREAS,
        VOLUME_KINDS,
        container_ports,
        containers,
        env_vars,
        object_metas,
        pod_specs,
        pods,
        strategy_for_type,
        volume_mounts,
        volumes,
    )
    from podmodel.strategies._workloads import (
        cronjobs,
        daemonsets,
        deployments,
        jobs,
        label_selectors,
        pod_template_objects,
        pod_template_specs,
        replicasets,
        replication_controllers,
        statefulsets,
        workload_strategy_for_type,
        workloads,
    )

_LAZY: dict[str, tuple[str, ...]] = {
    "podmodel.strategies._hypothesis": ("register",),
    "podmodel.strategies._more": (
        "apply_network_operation",
        "invalid_manifests",
        "manifests",
        "network_operations",
        "run_network_operations",
    ),
    "podmodel.strategies._invalid": ("invalid_pods",),
    "podmodel.strategies._pods": (
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
    ),
    "podmodel.strategies._workloads": (
        "cronjobs",
        "daemonsets",
        "deployments",
        "jobs",
        "label_selectors",
        "pod_template_objects",
        "pod_template_specs",
        "replicasets",
        "replication_controllers",
        "statefulsets",
        "workload_strategy_for_type",
        "workloads",
    ),
}
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> _typing.Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'podmodel.strategies' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)


__all__ = [
    "ALL_VOLUME_KINDS",
    "AREAS",
    "VOLUME_KINDS",
    "apply_network_operation",
    "container_ports",
    "containers",
    "cronjobs",
    "daemonsets",
    "deployments",
    "env_vars",
    "invalid_manifests",
    "invalid_pods",
    "jobs",
    "label_selectors",
    "manifests",
    "network_operations",
    "object_metas",
    "pod_specs",
    "pod_template_objects",
    "pod_template_specs",
    "pods",
    "register",
    "replicasets",
    "replication_controllers",
    "run_network_operations",
    "statefulsets",
    "strategy_for_type",
    "volume_mounts",
    "volumes",
    "workload_strategy_for_type",
    "workloads",
]
