"""Containers and ``exec`` running their commands through podmodel's shell (private).

A container whose ``command``/``args`` is not one of its image's own server programs runs its
argv as a :class:`~podmodel.kubelet.shell.Process`: ``sh -c SCRIPT [NAME ARGS...]`` (also
``/bin/sh``, ``bash``, ``ash``, ``dash``) runs ``SCRIPT``; any other argv runs as
``exec ARGV...``. The process is kept on the container's status and runs on the node's clock
(:func:`step`); it sees the node's file tree through the container's view (so a file one
container writes into a shared ``emptyDir`` is seen by the others), the pod's host name and IP,
the programs of its image, and ``curl``/``wget`` answered by the container that listens there
(:func:`http_get`).
"""

from __future__ import annotations

import math
import posixpath
import shlex
from typing import TYPE_CHECKING

from podmodel.kernel.filesystem import FilesystemError
from podmodel.kernel.network import ConnectionRefused, NetworkUnreachable
from podmodel.kubelet.shell import System, expand_kube, run, start, take_output
from podmodel.model._frozen import replace

if TYPE_CHECKING:
    from collections.abc import Mapping

    from podmodel.kernel.filesystem import Filesystem
    from podmodel.kubelet.shell import Process
    from podmodel.kubelet.state import NodeLike, PodState
    from podmodel.model.spec import Container

__all__ = [
    "SHELLS",
    "container_argv",
    "drive",
    "http_get",
    "script_for",
    "step",
    "system_for",
    "wake",
]

#: The shells whose ``-c SCRIPT`` runs the script in place.
SHELLS = frozenset({"sh", "bash", "ash", "dash"})
#: ``run`` calls per step at most (each spends at most the shell's ``DEFAULT_BUDGET``).
_RUN_CALLS = 1_000

_NOT_FOUND = (
    "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    "<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n"
)


def script_for(
    argv: list[str],
    *,
    env: Mapping[str, str],
    cwd: str = "/",
    now: float = 0.0,
    pid: int = 1,
) -> Process:
    """The process that runs *argv* (already ``$(VAR)``-expanded) at *now*."""
    environ = dict(env)
    if len(argv) >= 3 and posixpath.basename(argv[0]) in SHELLS and argv[1] == "-c":
        rest = argv[3:]
        name = rest[0] if rest else argv[0]
        return start(
            argv[2], args=tuple(rest[1:]), name=name, env=environ, cwd=cwd, now=now, pid=pid
        )
    return start("exec " + shlex.join(argv), env=environ, cwd=cwd, now=now, pid=pid)


def container_argv(container: Container, env: Mapping[str, str]) -> list[str]:
    """The container's ``command`` + ``args``, with the kubelet's ``$(VAR)`` expansion."""
    return [expand_kube(a, env) for a in (*(container.command or ()), *(container.args or ()))]


def _uid(container: Container, state: PodState) -> int:
    for ctx in (container.security_context, state.pod.spec.security_context):
        value = ctx.get("runAsUser") if ctx is not None else None
        if isinstance(value, int):
            return value
    return 0


def system_for(node: NodeLike, state: PodState, name: str, container: Container) -> System:
    """What container *name* of *state* looks like to a shell running in it."""
    image = node.catalogue.get(container.image or "")
    uid = _uid(container, state)
    return System(
        fs=node.filesystem,
        view=state.views[name],
        hostname=state.hostname,
        ip=state.ip or node.ip,
        uid=uid,
        user="root" if uid == 0 else str(uid),
        programs=image.programs if image.known else None,
        connect=lambda host, port, path: http_get(node, state, host, port, path),
    )


def http_get(node: NodeLike, state: PodState, host: str, port: int, path: str) -> tuple[bool, str]:
    """What an HTTP ``GET`` of *path* from *host*:*port* in pod *state* answers: ``(False, "")``
    when nothing listens there; nginx and httpd serve files from *their own* view of their
    document root (volumes included), other servers answer their image's banner."""
    ns = state.network if state.network is not None else node.host_network
    assert ns is not None
    prefix = "" if state.network is not None else f"{state.key}/"
    try:
        owner = ns.connect(host, port, "TCP")
    except (ConnectionRefused, NetworkUnreachable):
        return False, ""
    owner = owner.removeprefix(prefix)
    status = next((c for c in state.containers if c.name == owner), None)
    if status is None:
        return True, f"(a response from {owner})\n"
    behaviour = node.catalogue.get(status.image).behaviour
    view = state.views.get(owner)
    if behaviour.serves is None or view is None:
        return True, behaviour.banner.decode() or f"(a response from {owner})\n"
    fs = node.filesystem
    target = f"{behaviour.serves}{path}"
    try:
        if fs.stat(view, target).kind == "directory":
            target = f"{target.rstrip('/')}/index.html"
        return True, fs.read(view, target).decode("utf-8", "replace")
    except FilesystemError:
        return True, _NOT_FOUND


def wake(process: Process, after: float) -> float | None:
    """When *process* (run up to *after*) next needs to run; ``None``: never (it exited, or
    sleeps forever)."""
    if process.done:
        return None
    times = [t for t in (process.now, *(m.now for _, m in process.jobs)) if after < t < math.inf]
    return min(times) if times else None


def _work(process: Process) -> tuple[int, ...]:
    return (process.main.work, *(m.work for _, m in process.jobs))


def drive(process: Process, system: System, until: float) -> tuple[Process, System]:
    """Run *process* until it exits or waits past *until* (over as many budgets as needed)."""
    for _ in range(_RUN_CALLS):
        before = _work(process)
        process, system = run(process, system, until=until)
        if process.done or _work(process) == before:
            break
        times = (process.now, *(m.now for _, m in process.jobs))
        if min(times) > until:
            break
    return process, system


def step(
    node: NodeLike, state: PodState, i: int, now: float, container: Container, max_lines: int
) -> tuple[Filesystem, PodState]:
    """Run container *i*'s script up to *now*: its output goes to the container's logs, its
    writes to the node's file tree; once it has exited, the container exits at that time."""
    status = state.containers[i]
    assert status.process is not None
    system = system_for(node, state, status.name, container)
    process, system = drive(status.process, system, now)
    process, chunks = take_output(process)
    lines = "".join(text for _, text in chunks).splitlines()
    logs = (*status.logs, *lines)[-max_lines:] if lines else status.logs
    mine = (*status.instance_logs, *lines)[-max_lines:] if lines else status.instance_logs
    if process.done:
        code = process.exit_code or 0
        status = replace(
            status,
            process=process,
            wake_at=None,
            logs=logs,
            instance_logs=mine,
            exit_at=max(process.now, status.started_at or 0.0),
            pending_exit=(code, lines[-1] if lines and code else ""),
        )
    else:
        status = replace(
            status, process=process, wake_at=wake(process, now), logs=logs, instance_logs=mine
        )
    items = list(state.containers)
    items[i] = status
    return system.fs, replace(state, containers=tuple(items))
