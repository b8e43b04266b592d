"""The kubelet's volume work for a pod (private): set-up, its retries, and ConfigMap and Secret
updates reaching the volumes that mount them.

* A pod whose volumes cannot be set up (a hostPath type check, a missing ConfigMap or Secret)
  stays ``ContainerCreating`` with a ``FailedMount`` event; the kubelet's volume manager keeps
  retrying, and podmodel retries at every :meth:`~podmodel.kubelet.node.Node.advance` (at the
  node's clock when it is called), so a pod starts once its ConfigMap is applied.
* A change to a ConfigMap or Secret reaches the volumes filled from it
  :data:`~podmodel.kubelet._config.SYNC_DELAY` seconds after it was applied (the kubelet's sync
  period); ``subPath`` mounts of such a volume keep what they had (the kubelet's documented
  limit), until their container restarts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from podmodel.kubelet._config import SYNC_DELAY, cluster_lookup, fill, volume_payload
from podmodel.kubelet.lifecycle import Event
from podmodel.kubelet.volumes import VolumeSetupError, setup_volumes
from podmodel.model._frozen import replace
from podmodel.model._pmap import PMap

if TYPE_CHECKING:
    from podmodel.kubelet.state import NodeLike, PodState

N = TypeVar("N", bound="NodeLike")

__all__ = ["mount_volumes", "refresh_config_volumes"]


def mount_volumes(node: N, state: PodState, now: float) -> tuple[N, PodState, bool]:
    """Set up *state*'s volumes; on failure the pod is blocked ``ContainerCreating`` with a
    ``FailedMount`` event (recorded once per distinct message, then counted)."""
    try:
        fs, sources = setup_volumes(
            node.filesystem,
            state.pod,
            key=state.key,
            configs=cluster_lookup(node.configs, cluster_objects=node.cluster_objects),
            uid=state.uid,
            now=now,
        )
    except VolumeSetupError as exc:
        event = Event(
            time=now, type="Warning", reason="FailedMount", source="kubelet", message=str(exc)
        )
        return (
            node,
            replace(state, blocked="ContainerCreating", events=state.events.add(event)),
            False,
        )
    state = replace(state, blocked=None, sources=PMap(sources))
    return replace(node, filesystem=fs), state, True


def refresh_config_volumes(node: N, now: float) -> N:
    """Bring every configMap, secret and projected volume up to date with the objects changed
    at least :data:`SYNC_DELAY` seconds before *now* (a missing object keeps the old files)."""
    changed = node.config_times
    if not changed:
        return node
    pods = node.pods
    fs = node.filesystem
    for key, state in node.pods.items():
        sources = state.sources
        for name, src in state.sources.items():
            due = [changed[r] for r in src.refs if r in changed and changed[r] + SYNC_DELAY <= now]
            if not due or max(due) <= src.synced_at:
                continue
            vol = next(v for v in state.pod.spec.volumes if v.name == name)
            fields = getattr(vol.source, "fields", {})
            configs = cluster_lookup(node.configs, cluster_objects=node.cluster_objects)
            payload = volume_payload(src.kind, fields, state.pod, state.uid, configs, now=now)
            if not isinstance(payload, str):
                fs = fs.add_store(src.store, fill(payload))
            newest = max(changed[r] for r in src.refs if r in changed)
            sources = sources.set(name, replace(src, synced_at=newest))
        if sources is not state.sources:
            pods = pods.set(key, replace(state, sources=sources))
    return replace(node, filesystem=fs, pods=pods)
