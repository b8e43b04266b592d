"""A tool script written against the typed model, as a user would write one.

``tests/model/test_typed_model.py`` type-checks this file with ``mypy --strict`` (no casts, no
``type: ignore``) and runs it on real pods: it reads and edits probes, resources (as
``Quantity``), security contexts, affinity and tolerations through typed attributes only.
"""

from __future__ import annotations

import attrs

import podmodel
from podmodel import FrozenMap, Quantity
from podmodel.model.v1 import (
    Capabilities,
    ConfigMapVolumeSource,
    Container,
    Pod,
    Probe,
    ResourceRequirements,
    SecurityContext,
    TCPSocketAction,
    Toleration,
)


def describe(pod: Pod) -> list[str]:
    """One line per fact a reviewer would want from *pod*'s nested fields."""
    out: list[str] = []
    for c in pod.spec.containers:
        name = c.name or "?"
        probe = c.liveness_probe
        if probe is not None and probe.http_get is not None:
            port: int | str | None = probe.http_get.port
            every = probe.period_seconds if probe.period_seconds is not None else 10
            out.append(f"{name}: liveness GET {probe.http_get.path or '/'} :{port} every {every}s")
        if probe is not None and probe.exec is not None:
            out.append(f"{name}: liveness runs {' '.join(probe.exec.command)}")
        if c.resources is not None:
            memory: Quantity | None = c.resources.limits.get("memory")
            if memory is not None:
                out.append(f"{name}: memory limit {memory.as_bytes()} bytes ({memory})")
            cpu: Quantity | None = c.resources.requests.get("cpu")
            if cpu is not None:
                out.append(f"{name}: cpu request {cpu.as_millicores()}m")
        sc = c.security_context
        if sc is not None:
            if sc.run_as_non_root:
                out.append(f"{name}: runs as non-root")
            if sc.capabilities is not None:
                out.extend(f"{name}: adds {cap}" for cap in sc.capabilities.add)
    affinity = pod.spec.affinity
    node = affinity.node_affinity if affinity is not None else None
    required = node.required_during_scheduling_ignored_during_execution if node else None
    if required is not None:
        for term in required.node_selector_terms:
            for expr in term.match_expressions:
                out.append(f"node: {expr.key} {expr.operator} {','.join(expr.values)}")
    for vol in pod.spec.volumes:
        cm = vol.source_of(ConfigMapVolumeSource)
        if cm is not None:
            keys = ", ".join(item.key or "?" for item in cm.items) or "every key"
            out.append(f"volume {vol.name}: configMap {cm.name} ({keys})")
    for t in pod.spec.tolerations:
        seconds = t.toleration_seconds
        after = f" for {seconds}s" if seconds is not None else ""
        out.append(f"tolerates {t.key or '*'} {t.operator or 'Equal'} {t.effect or 'any'}{after}")
    return out


def harden(pod: Pod) -> Pod:
    """*pod* with every container non-root, without added capabilities, with a liveness probe
    and a memory limit of at least 64Mi (and of its request), and a toleration of node
    pressure: a new pod."""
    floor = Quantity.parse("64Mi")
    containers: list[Container] = []
    for c in pod.spec.containers:
        sc = c.security_context or SecurityContext()
        sc = attrs.evolve(sc, run_as_non_root=True, capabilities=Capabilities(drop=("ALL",)))
        resources = c.resources or ResourceRequirements()
        memory: Quantity | None = resources.limits.get("memory")
        requested: Quantity | None = resources.requests.get("memory")
        wanted = max(floor, requested) if requested is not None else floor
        if memory is None or memory < wanted:
            limits = dict(resources.limits)
            limits["memory"] = wanted
            resources = attrs.evolve(resources, limits=FrozenMap(limits))
        probe = c.liveness_probe or Probe(tcp_socket=TCPSocketAction(port=8080), period_seconds=20)
        containers.append(
            attrs.evolve(c, security_context=sc, resources=resources, liveness_probe=probe)
        )
    pressure = Toleration(key="node.kubernetes.io/memory-pressure", operator="Exists")
    tolerations = pod.spec.tolerations
    if pressure not in tolerations:
        tolerations = (*tolerations, pressure)
    spec = attrs.evolve(pod.spec, containers=tuple(containers), tolerations=tolerations)
    return attrs.evolve(pod, spec=spec)


def bump_image(pod: Pod, image: str) -> Pod:
    """The same edit through a path, as errors print them."""
    return podmodel.replace(pod, "spec.containers[0].image", image)
