"""The node keeping a pod's history as it runs (private): what each container is doing, fed to
the pod's :class:`~podmodel.kubelet.history.PodHistory` after every transition."""

from __future__ import annotations

from typing import TYPE_CHECKING

from podmodel.model._frozen import replace

if TYPE_CHECKING:
    from podmodel.kubelet.history import Facts
    from podmodel.kubelet.state import ContainerStatus, PodState

__all__ = ["activity", "facts", "record"]


def activity(c: ContainerStatus) -> str:
    """What container *c* is doing, as the timeline colours it: ``running``, ``done``
    (completed), ``failed`` (exited non-zero, not restarted), ``backoff`` (waiting to be
    restarted, or to pull again) or ``waiting`` (being created)."""
    if c.state == "running":
        return "running"
    if c.state == "terminated":
        return "done" if c.exit_code == 0 else "failed"
    if c.reason in ("CrashLoopBackOff", "ImagePullBackOff") or c.finished_at is not None:
        return "backoff"
    return "waiting"


def facts(c: ContainerStatus) -> Facts:
    """What the history keeps of container *c* at one moment."""
    failures = sum(c.probes.failures) if c.probes is not None else 0
    oom = c.finished_at if c.last_reason == "OOMKilled" else None
    return (activity(c), c.restart_count, c.started_at, failures, oom)


def record(state: PodState, now: float) -> PodState:
    """*state* with what its containers are doing at *now* recorded in its history (*state*
    itself when nothing changed)."""
    old, containers = state.history.statuses, state.containers
    if len(old) == len(containers) and all(a is b for a, b in zip(old, containers, strict=True)):
        return state  # the same status objects: nothing changed (the common case, made cheap)
    seen = state.history.seen
    now_facts = tuple(
        seen[i] if i < len(old) and old[i] is c else facts(c) for i, c in enumerate(containers)
    )
    history = state.history.add(now, tuple(c.name for c in containers), now_facts)
    return replace(state, history=replace(history, statuses=containers))
