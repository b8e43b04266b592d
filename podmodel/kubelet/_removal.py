"""Deleting a pod from a node (private): graceful termination, then its removal.

:meth:`~podmodel.kubelet.node.Node.delete` marks the pod ``Terminating`` and stops each
running container (:mod:`podmodel.kubelet._stop`: ``preStop``, the stop signal, the grace
period, ``SIGKILL``); once none runs, :func:`remove` takes the pod off the node: its network
namespace and emptyDirs go, hostPath data stays. ``grace_period=0`` removes it at once, as
``kubectl delete --grace-period=0 --force`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from podmodel.kernel.filesystem import NODE
from podmodel.kubelet import _stop
from podmodel.kubelet._pull import WAITING_REASONS
from podmodel.model._frozen import replace

if TYPE_CHECKING:
    from podmodel.kubelet.state import NodeLike, PodState

__all__ = ["finished", "remove", "start_deletion", "with_phase"]

N = TypeVar("N", bound="NodeLike")


def start_deletion(node: N, state: PodState, at: float, grace: float) -> tuple[N, PodState]:
    """Mark *state* deleted at *at* and start stopping its running containers."""
    state = replace(state, deleting=at, grace=grace)
    spec = state.pod.spec
    specs = (*spec.init_containers, *spec.containers)
    for i, c in enumerate(state.containers):
        if c.state != "running" and (c.next_start is not None or c.quiet_from is not None):
            items = list(state.containers)  # it will not start again
            items[i] = replace(c, next_start=None, quiet_from=None, quiet_events=())
            state = replace(state, containers=tuple(items))
        if c.state == "running" and c.stop is not None and not c.stop.killed:
            # already stopping (a probe kill): the deletion's grace period caps it
            stop = c.stop
            kill_at = min(stop.kill_at, at + max(grace, _stop.MINIMUM_GRACE))
            stop = replace(stop, term_at=min(stop.term_at, kill_at), kill_at=kill_at)
            items = list(state.containers)
            items[i] = replace(c, stop=stop)
            state = replace(state, containers=tuple(items))
        elif c.state == "running" and c.stop is None:
            msg = f"Stopping container {c.name}"
            n, state = _stop.begin(
                node, state, i, specs[i], at, why="delete", message=msg, grace=grace
            )
            node = n  # type: ignore[assignment]
    return node, state


def finished(state: PodState) -> bool:
    """Whether a deleted pod has no running container left."""
    return state.deleting is not None and not any(c.state == "running" for c in state.containers)


def remove(node: N, key: str) -> N:
    """*node* without pod *key*: its containers' layers, emptyDirs, sockets, IP and host
    ports released (hostPath data stays)."""
    state = node.pods[key]
    fs = node.filesystem
    for src in state.sources.values():
        if src.store != NODE:
            fs = fs.drop_store(src.store)
    for c in state.containers:
        fs = fs.drop_store(f"rootfs/{key}/{c.name}")
    for store in [s for s in fs.stores if s.startswith(f"subpath/{key}/")]:
        fs = fs.drop_store(store)
    host = node.host_network
    assert host is not None
    if state.network is None:
        for c in state.containers:
            host = host.release(f"{key}/{c.name}")
    host_ports = node.host_ports  # type: ignore[attr-defined]
    for claim, holders in node.host_ports.items():  # type: ignore[attr-defined]
        left = tuple(h for h in holders if h[1] != key)
        if len(left) != len(holders):
            host_ports = host_ports.set(claim, left) if left else host_ports.delete(claim)
    used = node.used_ips  # type: ignore[attr-defined]
    if state.network is not None and state.ip:
        used = used.delete(state.ip)
    return replace(
        node,
        filesystem=fs,
        host_network=host,
        pods=node.pods.delete(key),
        host_ports=host_ports,
        used_ips=used,
    )


def with_phase(state: PodState) -> PodState:
    """*state* with its phase (``Pending``, ``Running``, ``Succeeded``, ``Failed``)."""
    if state.blocked:
        return replace(state, phase="Pending")
    inits = [c for c in state.containers if c.kind == "init"]
    if any(c.reason != "Completed" for c in inits):
        failed = any(
            c.state == "terminated" and c.exit_code and c.next_start is None for c in inits
        )
        return replace(state, phase="Failed" if failed else "Pending")
    apps = [c for c in state.containers if c.kind == "app"]
    if any(
        c.state == "waiting" and c.reason in WAITING_REASONS and c.started_at is None for c in apps
    ):
        return replace(state, phase="Pending")  # a container not created yet
    if apps and all(c.state == "terminated" and c.next_start is None for c in apps):
        ok = all(c.exit_code == 0 for c in apps)
        return replace(state, phase="Succeeded" if ok else "Failed")
    return replace(state, phase="Running")
