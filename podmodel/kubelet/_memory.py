"""Containers' memory and the OOM killer (private).

A container's memory (its cgroup's usage) is, in podmodel:

* what its process holds once started: an image's :attr:`~podmodel.kubelet.images.Behaviour.memory`
  for the image's own program, :data:`SCRIPT_MEMORY` for a script run through podmodel's shell
  (busybox ``sh``), nothing for a program podmodel cannot run;
* plus what the script's memory-allocating programs hold while they run (``stress --vm 1
  --vm-bytes 200M``: :mod:`podmodel.kubelet.shell._memory`);
* plus the bytes the container wrote into memory-backed ``emptyDir`` volumes (``medium:
  Memory``): tmpfs pages are charged to the cgroup of the process that first touched them.

Over the container's ``resources.limits.memory``, the kernel's OOM killer ends it: exit code
137, reason ``OOMKilled`` (the runtime reads the cgroup's ``oom_kill`` counter), and the
kubelet restarts it under its restart policy. CPU limits are not enforced.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from podmodel.model._quantity import parse_quantity
from podmodel.model.spec import EmptyDir

if TYPE_CHECKING:
    from podmodel.kernel.filesystem import Filesystem
    from podmodel.kubelet.state import PodState
    from podmodel.model.spec import Container

__all__ = ["SCRIPT_MEMORY", "memory_limit", "oom_time", "tmpfs_bytes"]

#: What a script's shell holds (busybox ``sh``'s resident size, rounded up).
SCRIPT_MEMORY = 512 * 1024


def memory_limit(container: Container) -> int | None:
    """The container's ``resources.limits.memory`` in bytes (``None``: no limit)."""
    resources = container.resources
    limits = resources.get("limits") if resources is not None else None
    raw = limits.get("memory") if isinstance(limits, Mapping) else None
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        return None
    try:
        return int(parse_quantity(raw).value)
    except (ValueError, ArithmeticError):
        return None


def _memory_volumes(state: PodState) -> frozenset[str]:
    return frozenset(
        v.name or ""
        for v in state.pod.spec.volumes
        if isinstance(v.source, EmptyDir) and v.source.medium == "Memory"
    )


def tmpfs_bytes(fs: Filesystem, state: PodState, container: Container) -> int:
    """The bytes in the memory-backed emptyDirs *container* mounts."""
    memory = _memory_volumes(state)
    if not memory:
        return 0
    total = 0
    for name in {m.name for m in container.volume_mounts if m.name in memory}:
        src = state.sources.get(name)
        if src is not None and src.store in fs.stores:
            total += fs.stores[src.store].size
    return total


def oom_time(
    base: int,
    holds: tuple[tuple[float, float, int], ...],
    limit: int | None,
    since: float,
    now: float,
) -> float | None:
    """The first time in [*since*, *now*] the usage (*base* plus the *holds* active then) is
    over *limit*; ``None`` when it never is."""
    if limit is None:
        return None
    moments = sorted({since, *(start for start, _, _ in holds if since <= start <= now)})
    for t in moments:
        used = base + sum(n for start, until, n in holds if start <= t < until)
        if used > limit:
            return t
    return None
