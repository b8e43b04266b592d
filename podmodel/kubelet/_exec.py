"""``kubectl exec``: a command run in a running container, through podmodel's shell (private).

A string is a shell command line (``echo hi > /tmp/f && cat /tmp/f``); a list is an argv
(``["sh", "-c", "..."]`` runs the script, any other list runs as ``exec ARGV...``). The command
runs as PID 2 of the container, over the node's file tree through the container's view (volumes
included), with the container's environment, its image's programs (a missing one is
``sh: ps: not found``, 127), and ``curl``/``wget`` answered by the container that listens there
(:func:`podmodel.kubelet._scripts.http_get`). It starts at the node's clock and runs for at most
:data:`EXEC_TIMEOUT` simulated seconds; the clock does not move.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from podmodel.kubelet import _scripts
from podmodel.kubelet.shell import start
from podmodel.kubelet.state import ExecResult

if TYPE_CHECKING:
    from podmodel.kernel.filesystem import Filesystem
    from podmodel.kubelet.shell import System
    from podmodel.kubelet.state import NodeLike, PodLike, PodState

__all__ = ["EXEC_TIMEOUT", "run_command", "run_exec"]

#: How long (simulated seconds) an ``exec`` runs before podmodel stops waiting for it: a
#: command still running then (``sleep 100``, ``tail -f``) is killed and reported with 137.
EXEC_TIMEOUT = 60.0


def run_exec(
    pod: PodLike, container: str, command: str | list[str]
) -> tuple[ExecResult, Filesystem, PodState]:
    """Run *command* in *container* (a string is a shell command line, a list an argv) for at
    most :data:`EXEC_TIMEOUT` simulated seconds; return the result, the file system after, and
    the pod's state with the connections the command made recorded."""
    node, state = pod.node, pod.state
    fs = node.filesystem
    status = pod.container(container)
    if status.state != "running" or container not in state.views:
        return (
            ExecResult(
                stderr=f'error: unable to upgrade connection: container not found ("{container}")\n',
                exit_code=1,
            ),
            fs,
            state,
        )
    result, system, _ = _run(node, state, container, command, now=node.clock, timeout=EXEC_TIMEOUT)
    return result, system.fs, _scripts.keep_dials(state, container, system)


def run_command(
    node: NodeLike,
    state: PodState,
    container: str,
    command: str | list[str],
    *,
    now: float,
    timeout: float,
) -> tuple[ExecResult, Filesystem, float | None]:
    """Run *command* in the running *container* of *state* from *now* for at most *timeout*
    seconds (the path of ``kubectl exec``, exec probes and exec hooks): the result (137 when
    it was still running), the file system after, and when it finished (``None``: timed
    out)."""
    result, system, done = _run(node, state, container, command, now=now, timeout=timeout)
    return result, system.fs, done


def _run(
    node: NodeLike,
    state: PodState,
    container: str,
    command: str | list[str],
    *,
    now: float,
    timeout: float,
) -> tuple[ExecResult, System, float | None]:
    spec = next(
        c
        for c in (*state.pod.spec.init_containers, *state.pod.spec.containers)
        if c.name == container
    )
    status = next(c for c in state.containers if c.name == container)
    env = {"HOSTNAME": state.hostname, **dict(status.env)}
    cwd = spec.working_dir or "/"
    if isinstance(command, str):
        process = start(command, env=env, cwd=cwd, now=now, pid=2)
    else:
        process = _scripts.script_for(list(command), env=env, cwd=cwd, now=now, pid=2)
    system = _scripts.system_for(node, state, container, spec)
    process, system = _scripts.drive(process, system, now + timeout)
    done = process.done and process.now <= now + timeout
    code = process.exit_code if done else 137
    result = ExecResult(stdout=process.stdout, stderr=process.stderr, exit_code=code or 0)
    return result, system, (max(process.now, now) if done else None)
