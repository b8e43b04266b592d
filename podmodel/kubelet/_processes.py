"""The kubelet's sync loop for one pod (private): start, exit, back-off, restart.

:func:`progress` applies every transition of a pod due at a given time: processes that exit,
containers whose back-off is over, and containers that may now start (init containers one after
another to completion, sidecars, then the app containers in spec order).
"""

from __future__ import annotations

import errno
import posixpath
import shlex
from typing import TYPE_CHECKING, TypeVar

import attrs

from podmodel.kernel.filesystem import FilesystemError
from podmodel.kernel.network import NetworkNamespace, PortInUse, PortPermissionDenied
from podmodel.kubelet.images import Behaviour, Listen
from podmodel.kubelet.lifecycle import (
    BindFailure,
    Event,
    backoff_delay,
    format_duration,
    should_restart,
)
from podmodel.kubelet.volumes import create_container
from podmodel.model._frozen import replace

if TYPE_CHECKING:
    from podmodel.kubelet.state import ContainerStatus, NodeLike, PodState
    from podmodel.model.spec import Container

#: The node type the engine is given (and returns): a :class:`~podmodel.kubelet.node.Node`.
N = TypeVar("N", bound="NodeLike")

__all__ = ["progress"]

#: The images' own server programs: a ``command`` that starts one of them runs the image's
#: behaviour (``nginx -g 'daemon off;'`` is still nginx); any other command replaces it.
SERVER_PROGRAMS = {
    "nginx": "nginx",
    "redis-server": "redis",
    "httpd-foreground": "httpd",
    "httpd": "httpd",
    "pm2-runtime": "sunwu51/node",
    "node-red": "sunwu51/node",
}
_SHELLS = {"sh", "bash", "ash", "dash"}


@attrs.frozen
class _Plan:
    """What a container's process does: sockets, writes, and when it exits."""

    listens: tuple[Listen, ...] = ()
    writes: tuple[tuple[str, bytes], ...] = ()
    exit_after: float | None = None
    exit_code: int = 0
    logs: tuple[str, ...] = ()
    uid: int = 0
    behaviour: Behaviour | None = None


def _argv(container: Container) -> list[str]:
    argv = [*(container.command or ()), *(container.args or ())]
    if len(argv) >= 3 and posixpath.basename(argv[0]) in _SHELLS and argv[1] == "-c":
        try:
            return shlex.split(argv[2])
        except ValueError:
            return argv[2].split()
    return argv


def plan_for(node: N, container: Container) -> _Plan:
    """The process *container* runs: its image's behaviour, or what its command does."""
    image = node.catalogue.get(container.image or "")
    behaviour = image.behaviour
    if container.command or container.args:
        argv = _argv(container)
        program = posixpath.basename(argv[0]) if argv else ""
        own = SERVER_PROGRAMS.get(program)
        if not (own and image.known and own == _key(image.name)):
            return _command_plan(argv)
    if not image.known:
        listens = tuple(
            Listen(address="0.0.0.0", port=p.container_port, protocol=p.protocol or "TCP")
            for p in container.ports
            if p.container_port
        )
        return _Plan(listens=listens)
    return _Plan(
        listens=behaviour.listens,
        writes=tuple((w.path, w.data) for w in behaviour.writes),
        exit_after=0.0 if behaviour.exits is not None else None,
        exit_code=behaviour.exits or 0,
        uid=behaviour.uid,
        behaviour=behaviour,
    )


def _key(name: str) -> str:
    from podmodel.kubelet.images import image_key

    return image_key(name)


def _command_plan(argv: list[str]) -> _Plan:
    """The few commands podmodel understands as a container's main process."""
    if not argv:
        return _Plan()
    program, args = posixpath.basename(argv[0]), argv[1:]
    if program == "sleep" and args:
        if args[0] in ("infinity", "inf"):
            return _Plan()
        try:
            return _Plan(exit_after=float(args[0].rstrip("s")))
        except ValueError:
            return _Plan(exit_after=0.0, exit_code=1, logs=(f"sleep: invalid number '{args[0]}'",))
    if program == "true":
        return _Plan(exit_after=0.0)
    if program == "false":
        return _Plan(exit_after=0.0, exit_code=1)
    if program == "exit":
        code = int(args[0]) if args and args[0].isdigit() else 0
        return _Plan(exit_after=0.0, exit_code=code)
    if program in ("echo", "date", "env", "hostname", "cat", "ls"):
        return _Plan(exit_after=0.0, logs=(" ".join(args),) if program == "echo" else ())
    return _Plan()  # anything else (tail -f, a server podmodel does not know): keeps running


def _owner(state: PodState, name: str) -> str:
    return name if state.network is not None else f"{state.key}/{name}"


def _net(node: N, state: PodState) -> NetworkNamespace:
    if state.network is not None:
        return state.network
    assert node.host_network is not None
    return node.host_network


def _store_net(node: N, state: PodState, ns: NetworkNamespace) -> tuple[N, PodState]:
    if state.network is not None:
        return node, replace(state, network=ns)
    return replace(node, host_network=ns), state


#: Log lines kept per container (the kubelet rotates container logs too).
MAX_LOG_LINES = 1_000


def _event(
    state: PodState, at: float, kind: str, reason: str, message: str, source: str = "kubelet"
) -> PodState:
    event = Event(time=at, type=kind, reason=reason, source=source, message=message)
    return replace(state, events=state.events.add(event))


def _set(state: PodState, i: int, status: ContainerStatus) -> PodState:
    items = list(state.containers)
    items[i] = status
    return replace(state, containers=tuple(items))


def _spec(state: PodState, i: int) -> Container:
    spec = state.pod.spec
    all_containers = (*spec.init_containers, *spec.containers)
    return all_containers[i]


def _start(node: N, state: PodState, i: int, at: float, *, restart: bool) -> tuple[N, PodState]:
    status = state.containers[i]
    container = _spec(state, i)
    name = status.name
    try:
        fs, view = create_container(
            node.filesystem,
            key=state.key,
            container=container,
            image=node.catalogue.get(container.image or ""),
            sources=dict(state.sources),
            population=node.volume_population,
        )
    except FilesystemError as exc:
        # the kubelet could not prepare the mounts (a subPath inside a file, a file mounted
        # onto a directory): the container never starts, and the kubelet keeps reporting it
        subpath = any(m.sub_path for m in container.volume_mounts)
        reason = "CreateContainerConfigError" if subpath else "RunContainerError"
        message = f"failed to prepare the mounts of container {name!r}: {exc}"
        state = _event(state, at, "Warning", "Failed", f"Error: {message}")
        status = replace(
            status,
            state="waiting",
            reason=reason,
            message=message,
            next_start=None,
            exit_at=None,
            started_at=status.started_at or at,
        )
        return node, _set(state, i, status)
    node = replace(node, filesystem=fs)
    events = state.events
    for reason, message in (
        ("Pulled", f'Container image "{container.image}" already present on machine'),
        ("Created", f"Created container: {name}"),
        ("Started", f"Started container {name}"),
    ):
        events = events.add(
            Event(time=at, type="Normal", reason=reason, source="kubelet", message=message)
        )
    state = replace(state, views=state.views.set(name, view), events=events)
    plan = plan_for(node, container)
    ns = _net(node, state)
    owner = _owner(state, name)
    failure: str | None = None
    failed_bind: BindFailure | None = None
    for listen in plan.listens:
        try:
            ns, sock = ns.bind(
                owner,
                listen.address,
                listen.port,
                protocol=listen.protocol,
                v6only=listen.v6only,
                reuse_address=listen.reuse_address,
                reuse_port=listen.reuse_port,
                uid=plan.uid,
            )
            if listen.protocol != "UDP":
                ns = ns.listen(sock)
        except (PortInUse, PortPermissionDenied) as exc:
            if isinstance(exc, PortInUse) and plan.behaviour is not None:
                failure = plan.behaviour.bind_failure.format(
                    address=listen.address, port=listen.port, protocol=listen.protocol
                )
            else:
                failure = str(exc)
            failed_bind = BindFailure(
                address=listen.address,
                port=listen.port,
                protocol=listen.protocol,
                error=errno.errorcode.get(exc.errno or 0, "EINVAL"),
            )
            break
    node, state = _store_net(node, state, ns)
    logs = plan.logs
    exit_after, exit_code = plan.exit_after, plan.exit_code
    if failure is not None:
        behaviour = plan.behaviour or Behaviour()
        logs = (*logs, failure)
        exit_after, exit_code = behaviour.bind_retry, behaviour.bind_failure_exit
    else:
        for path, data in plan.writes:
            try:
                fs = node.filesystem.write(view, path, data, append=True, parents=True)
                node = replace(node, filesystem=fs)
            except FilesystemError as exc:
                logs = (*logs, str(exc))
    status = replace(
        status,
        state="running",
        reason=None,
        message=None,
        exit_code=None,
        started_at=at,
        finished_at=None,
        next_start=None,
        exit_at=None if exit_after is None else at + exit_after,
        pending_exit=None if exit_after is None else (exit_code, logs[-1] if logs else ""),
        restart_count=status.restart_count + (1 if restart else 0),
        backoff_steps=status.backoff_steps + (1 if restart else 0),
        logs=(*status.logs, *logs)[-MAX_LOG_LINES:],
        failed_bind=failed_bind,
    )
    return node, _set(state, i, status)


def _policy(state: PodState, status: ContainerStatus, container: Container) -> str:
    if status.kind == "sidecar":
        return "Always"
    if status.kind == "init":
        return "Never" if state.pod.spec.restart_policy == "Never" else "OnFailure"
    return container.restart_policy or state.pod.spec.restart_policy or "Always"


def _exit(node: N, state: PodState, i: int, at: float) -> tuple[N, PodState]:
    status = state.containers[i]
    code, message = status.pending_exit or (0, "")
    ns = _net(node, state).release(_owner(state, status.name))
    node, state = _store_net(node, state, ns)
    steps = status.backoff_steps
    if status.started_at is not None and at - status.started_at >= node.backoff.reset_after:
        steps = 0
    status = replace(
        status,
        state="terminated",
        reason="Completed" if code == 0 else "Error",
        message=message or None,
        exit_code=code,
        finished_at=at,
        exit_at=None,
        pending_exit=None,
        backoff_steps=steps,
    )
    if not should_restart(_policy(state, status, _spec(state, i)), code):
        return node, _set(state, i, status)
    delay = backoff_delay(steps, node.backoff)
    if delay == 0:
        state = _set(state, i, status)
        return _start(node, state, i, at, restart=True)
    pod_ref = f"{state.key.split('/', 1)[1]}_{state.key.split('/', 1)[0]}({state.uid})"
    status = replace(
        status,
        state="waiting",
        reason="CrashLoopBackOff",
        message=f"back-off {format_duration(delay)} restarting failed container={status.name} "
        f"pod={pod_ref}",
        next_start=at + delay,
        exit_code=code,
    )
    state = _event(
        state,
        at,
        "Warning",
        "BackOff",
        f"Back-off restarting failed container {status.name} in pod {pod_ref}",
    )
    return node, _set(state, i, status)


def progress(node: N, key: str, now: float) -> tuple[N, PodState]:
    """Apply every transition of pod *key* due at or before *now*."""
    state: PodState = node.pods[key]
    changed = True
    while changed:
        changed = False
        for i, c in enumerate(state.containers):
            if c.state == "running" and c.exit_at is not None and c.exit_at <= now:
                node, state = _exit(node, state, i, c.exit_at)
                changed = True
                break
            if c.state == "waiting" and c.next_start is not None and c.next_start <= now:
                node, state = _start(node, state, i, c.next_start, restart=True)
                changed = True
                break
        if changed:
            continue
        ready_for_apps = True
        for i, c in enumerate(state.containers):
            if c.kind == "app":
                continue
            if c.started_at is None and c.state == "waiting" and c.next_start is None:
                node, state = _start(node, state, i, now, restart=False)
                changed = True
                break
            if c.kind == "init" and c.reason != "Completed":
                ready_for_apps = False
                break
        if changed:
            continue
        if ready_for_apps:
            for i, c in enumerate(state.containers):
                if (
                    c.kind == "app"
                    and c.started_at is None
                    and c.state == "waiting"
                    and c.next_start is None
                ):
                    node, state = _start(node, state, i, now, restart=False)
                    changed = True
        else:
            waiting = tuple(
                replace(c, reason="PodInitializing")
                if c.kind == "app" and c.started_at is None and c.reason == "ContainerCreating"
                else c
                for c in state.containers
            )
            state = replace(state, containers=waiting)
    return node, state
