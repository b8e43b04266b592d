"""The kubelet's sync loop for one pod (private): start, exit, back-off, restart.

:func:`progress` applies every transition of a pod due at a given time: processes that exit,
containers whose back-off is over, and containers that may now start (init containers one after
another to completion, sidecars, then the app containers in spec order).
"""

from __future__ import annotations

import math
import posixpath
import shlex
from typing import TYPE_CHECKING, TypeVar

import attrs

from podmodel.kernel.filesystem import FilesystemError
from podmodel.kubelet import _hooks, _memory, _probes, _scripts, _serve, _stop
from podmodel.kubelet._config import cluster_lookup, container_env
from podmodel.kubelet._pull import SYNC_RETRY, ensure_image
from podmodel.kubelet.images import Behaviour, Listen
from podmodel.kubelet.lifecycle import (
    Event,
    backoff_delay,
    container_path,
    format_duration,
    should_restart,
)
from podmodel.kubelet.shell import PROGRAM_NAMES
from podmodel.kubelet.volumes import create_container
from podmodel.model._frozen import replace

if TYPE_CHECKING:
    from podmodel.kubelet.state import ContainerStatus, NodeLike, PodState
    from podmodel.model.spec import Container

#: The node type the engine is given (and returns): a :class:`~podmodel.kubelet.node.Node`.
N = TypeVar("N", bound="NodeLike")

__all__ = ["probe_due", "progress", "settle"]

_SHELLS = {"sh", "bash", "ash", "dash"}
#: What a container's argv may start with to run through podmodel's shell: its programs and the
#: built-ins a manifest runs directly. Any other program (``python app.py``, ``/server``) is an
#: application podmodel cannot run: the container keeps running, doing nothing.
_SHELL_RUNS = PROGRAM_NAMES | {"exit", "printf", "test", "[", ":", "kill", "exec", "env"}


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
    #: the container's ``command`` + ``args``, to run through the shell
    argv: tuple[str, ...] | None = None


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
        own = behaviour.program is not None and program in behaviour.program.names
        if not (own and image.known):
            raw = (*(container.command or ()), *(container.args or ()))
            direct = not raw or posixpath.basename(raw[0]) not in _SHELLS
            if direct and program and program not in _SHELL_RUNS:
                return _Plan()  # an application podmodel cannot run: keeps running
            return _Plan(argv=raw)
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


#: Log lines kept per container (the kubelet rotates container logs too).
MAX_LOG_LINES = 1_000


def _event(
    state: PodState,
    at: float,
    kind: str,
    reason: str,
    message: str,
    source: str = "kubelet",
    field_path: str = "",
) -> PodState:
    event = Event(
        time=at, type=kind, reason=reason, source=source, message=message, field_path=field_path
    )
    return replace(state, events=state.events.add(event))


def _set(state: PodState, i: int, status: ContainerStatus) -> PodState:
    items = list(state.containers)
    items[i] = status
    return replace(state, containers=tuple(items))


def _spec(state: PodState, i: int) -> Container:
    spec = state.pod.spec
    all_containers = (*spec.init_containers, *spec.containers)
    return all_containers[i]


def _wait(state: PodState, i: int, at: float, reason: str | None, message: str | None) -> PodState:
    """Container *i* could not be created: it waits, and the pod worker syncs again later."""
    status = replace(
        state.containers[i],
        state="waiting",
        reason=reason,
        message=message,
        next_start=at + SYNC_RETRY,
        exit_at=None,
    )
    return _set(state, i, status)


def _go_quiet(
    state: PodState,
    i: int,
    at: float,
    repeated: tuple[tuple[str, str, str], ...],
    backoff: tuple[float, float] | None,
) -> PodState:
    """Container *i* failed to be created at *at* and will fail the same way at every sync until
    its next pull (or, for any other reason, until the next ``advance``): count those syncs
    instead of running them. *repeated*: the events each of those syncs records."""
    status = state.containers[i]
    if status.reason == "ImagePullBackOff" and backoff is not None:
        steps = max(1, math.ceil((backoff[0] + backoff[1] - at) / SYNC_RETRY - 1e-9))
        if steps == 1:
            return state
        nxt = at + steps * SYNC_RETRY
    elif status.reason == "ErrImagePull":
        return state  # the next sync is a back-off sync or a new pull
    else:
        nxt = math.inf
    quiet = replace(status, next_start=nxt, quiet_from=at + SYNC_RETRY, quiet_events=repeated)
    return _set(state, i, quiet)


def _count_quiet(state: PodState, i: int, until: float, *, inclusive: bool) -> PodState:
    """Record the quiet syncs of container *i* up to *until*."""
    c = state.containers[i]
    if c.quiet_from is None:
        return state
    span = until - c.quiet_from
    n = math.floor(span / SYNC_RETRY + 1e-9) + 1 if span >= 0 else 0
    if not inclusive and n and math.isclose(c.quiet_from + (n - 1) * SYNC_RETRY, until):
        n -= 1
    if n <= 0:
        return state
    last = c.quiet_from + (n - 1) * SYNC_RETRY
    events = state.events
    for kind, reason, message in c.quiet_events:
        event = Event(
            time=last,
            type=kind,
            reason=reason,
            source="kubelet",
            message=message,
            count=n,
            first_time=c.quiet_from,
            field_path=container_path(c.kind, c.name),
        )
        events = events.add(event)
    state = replace(state, events=events)
    return _set(state, i, replace(c, quiet_from=last + SYNC_RETRY))


def settle(state: PodState, until: float, *, resume: bool = False) -> PodState:
    """Record what a pod's parked work did up to *until* (the end of an ``advance``): the runs
    of steadily failing probes, and the quiet syncs of containers that cannot be created.
    *resume* (the start of an ``advance``): count up to *until* exclusive, and schedule the
    containers waiting for the next ``advance`` at their next sync."""
    for i, c in enumerate(state.containers):
        if c.quiet_from is not None:
            state = _count_quiet(state, i, until, inclusive=not resume)
            c = state.containers[i]  # noqa: PLW2901
            if resume and c.next_start == math.inf and c.quiet_from is not None:
                state = _set(
                    state, i, replace(c, next_start=c.quiet_from, quiet_from=None, quiet_events=())
                )
        elif c.state == "running" and c.probes is not None and c.probes.output is not None:
            spec = _spec(state, i)
            state, probes = _probes.catch_up(state, spec, c.probes, until, inclusive=True)
            state = _set(state, i, replace(c, probes=probes))
    return state


def _start(node: N, state: PodState, i: int, at: float, *, restart: bool) -> tuple[N, PodState]:
    status = state.containers[i]
    container = _spec(state, i)
    name = status.name
    image = container.image or ""
    pull = ensure_image(
        catalogue=node.catalogue,
        unknown_images=node.unknown_images,
        pulled=node.pulled_images,
        image=image,
        policy=container.image_pull_policy,
        backoff=state.pull_backoff.get(image),
        events=state.events,
        at=at,
        field_path=container_path(status.kind, name),
    )
    state = replace(state, events=pull.events)
    if pull.backoff is not None:
        state = replace(state, pull_backoff=state.pull_backoff.set(image, pull.backoff))
    if pull.record is not None and pull.record not in node.pulled_images:
        node = replace(node, pulled_images=node.pulled_images | {pull.record})
    if not pull.present:
        state = _wait(state, i, at, pull.reason, pull.message)
        return node, _go_quiet(state, i, at, pull.added, pull.backoff)
    assert node.host_network is not None
    env = container_env(
        container,
        state.pod,
        state.uid,
        cluster_lookup(node.configs, cluster_objects=node.cluster_objects),
        {
            "status.podIP": state.ip or "",
            "status.podIPs": state.ip or "",
            "spec.nodeName": node.name,
            "status.hostIP": node.ip,
            "status.hostIPs": node.ip,
        },
    )
    if isinstance(env, str):  # generateContainerConfig failed
        state = _event(
            state,
            at,
            "Warning",
            "Failed",
            f"Error: {env}",
            field_path=container_path(status.kind, name),
        )
        state = _wait(state, i, at, "CreateContainerConfigError", env)
        return node, _go_quiet(state, i, at, (("Warning", "Failed", f"Error: {env}"),), None)
    status = replace(status, env=env)
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
        state = _event(
            state,
            at,
            "Warning",
            "Failed",
            f"Error: {message}",
            field_path=container_path(status.kind, name),
        )
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
        ("Created", f"Created container: {name}"),
        ("Started", f"Started container {name}"),
    ):
        events = events.add(
            Event(
                time=at,
                type="Normal",
                reason=reason,
                source="kubelet",
                message=message,
                field_path=container_path(status.kind, name),
            )
        )
    state = replace(state, views=state.views.set(name, view), events=events)
    plan = plan_for(node, container)
    node, state, failure, failed_bind = _serve.bind(
        node, state, name, plan.listens, plan.behaviour, plan.uid
    )
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
    process = None
    if plan.argv is not None:
        env_map = dict(env)
        process = _scripts.script_for(
            _scripts.container_argv(container, env_map),
            env={"HOSTNAME": state.hostname, **env_map},
            cwd=container.working_dir or "/",
            now=at,
        )
    base = (
        _memory.SCRIPT_MEMORY
        if plan.argv is not None
        else plan.behaviour.memory
        if plan.behaviour is not None
        else 0
    )
    limit = _memory.memory_limit(container)
    oom = limit is not None and base > limit and failure is None
    if oom:  # the OOM killer ends the process as it starts
        process, exit_after, exit_code = None, 0.0, 137
    status = replace(
        status,
        process=process,
        wake_at=None if process is None else at,
        pending_reason="OOMKilled" if oom else None,
        stop=None,
        hook_until=None,
        hook_failed=False,
        memory_holds=(),
        tmpfs_charged=0,
        serving=False,
        partial_log="",
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
        instance_logs=tuple(logs[-MAX_LOG_LINES:]),
        previous_logs=status.instance_logs if restart else status.previous_logs,
        failed_bind=failed_bind,
        probes=_probes.initial(container, at),
    )
    state = _set(state, i, status)
    handler = _hooks.handler_of(container, "postStart")
    if handler is not None and not oom:
        took, failed, fs = _hooks.run_handler(node, state, container, handler, at)
        node = replace(node, filesystem=fs)
        if took > 0 or failed:  # not running (nor probed) until the hook returns
            hooked = replace(status, hook_until=at + took, hook_failed=failed, probes=None)
            state = _set(state, i, hooked)
    return node, state


def _hook_done(node: N, state: PodState, i: int, at: float) -> tuple[N, PodState]:
    """Container *i*'s ``postStart`` hook returned at *at*: it runs (and its probes start), or,
    when the hook failed, the kubelet kills it (``startContainer``)."""
    status = state.containers[i]
    container = _spec(state, i)
    if not status.hook_failed:
        done = replace(status, hook_until=None, probes=_probes.initial(container, at))
        return node, _set(state, i, done)
    state = _event(state, at, "Warning", "FailedPostStartHook", "PostStartHook failed")
    grace = _stop.grace_of(state)
    return _stop.begin(  # type: ignore[return-value]
        node, state, i, container, at, why="postStart", message="FailedPostStartHook", grace=grace
    )


def _stop_step(node: N, state: PodState, i: int) -> PodState:
    """Do what stopping container *i* has due (see :mod:`podmodel.kubelet._stop`)."""
    container = _spec(state, i)
    status = state.containers[i]
    image = node.catalogue.get(container.image or "")
    plan = plan_for(node, container) if status.process is None else None
    behaviour = plan.behaviour if plan is not None and plan.argv is None else None
    if status.serving:  # the script exec-ed its image's server: the signal goes to it
        behaviour = image.behaviour
    sig = image.behaviour.stop_signal if image.known else "SIGTERM"
    return _stop.advance(state, i, behaviour, script_signal=sig)


def _policy(state: PodState, status: ContainerStatus, container: Container) -> str:
    if status.kind == "sidecar":
        return "Always"
    if status.kind == "init":
        return "Never" if state.pod.spec.restart_policy == "Never" else "OnFailure"
    return container.restart_policy or state.pod.spec.restart_policy or "Always"


def _exit(node: N, state: PodState, i: int, at: float) -> tuple[N, PodState]:
    status = state.containers[i]
    if status.partial_log:  # killed in the middle of a line: the runtime's log ends with it
        rest = status.partial_log
        status = replace(
            status,
            logs=(*status.logs, rest)[-MAX_LOG_LINES:],
            instance_logs=(*status.instance_logs, rest)[-MAX_LOG_LINES:],
        )
    code, message = status.pending_exit or (0, "")
    ns = _serve.net(node, state).release(_serve.owner(state, status.name))
    node, state = _serve.store_net(node, state, ns)
    steps = status.backoff_steps
    if status.started_at is not None and at - status.started_at >= node.backoff.reset_after:
        steps = 0
    reason = status.pending_reason or ("Completed" if code == 0 else "Error")
    status = replace(
        status,
        state="terminated",
        reason=reason,
        last_reason=reason,
        last_exit_code=code,
        last_started_at=status.started_at,
        last_finished_at=at,
        pending_reason=None,
        stop=None,
        hook_until=None,
        hook_failed=False,
        memory_holds=(),
        serving=False,
        partial_log="",
        message=message or None,
        exit_code=code,
        finished_at=at,
        exit_at=None,
        pending_exit=None,
        backoff_steps=steps,
        probes=None,
        process=None,
        wake_at=None,
    )
    done = status.kind == "sidecar" and _apps_done(state)  # the pod is over: no restart
    restart = (
        state.deleting is None
        and not done
        and should_restart(_policy(state, status, _spec(state, i)), code)
    )
    if not restart:
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


def _apps_done(state: PodState) -> bool:
    """Every app container has terminated for good (``restartPolicy`` Never, or OnFailure after
    success): the kubelet's ``computePodActions`` then kills the pod, sidecars included."""
    apps = [c for c in state.containers if c.kind == "app"]
    return bool(apps) and all(c.state == "terminated" and c.next_start is None for c in apps)


def _stop_sidecars(node: N, state: PodState, now: float) -> tuple[N, PodState, bool]:
    """Stop the running sidecars of a pod whose app containers are done (``KillPod``: in
    reverse order, within the pod's grace period, as for a deletion); they do not restart."""
    running = [
        i
        for i, c in enumerate(state.containers)
        if c.kind == "sidecar" and c.state == "running" and c.stop is None
    ]
    grace = _stop.grace_of(state)
    for i in running:
        name = state.containers[i].name
        node, state = _stop.begin(  # type: ignore[assignment]
            node,
            state,
            i,
            _spec(state, i),
            now,
            why="complete",
            message=f"Stopping container {name}",
            grace=grace,
        )
    return node, state, bool(running)


def _rearm(state: PodState, now: float) -> PodState:
    """Wake the parked probes of every running container (something may have changed)."""
    for i, c in enumerate(state.containers):
        if c.state == "running" and c.probes is not None and any(c.probes.parked) and not c.stop:
            spec = _spec(state, i)
            state, probes = _probes.catch_up(state, spec, c.probes, now, inclusive=False)
            state = _set(state, i, replace(c, probes=_probes.rearm(spec, probes, now)))
    return state


def _probe(node: N, state: PodState, i: int, at: float) -> tuple[N, PodState]:
    """Run container *i*'s probes due at *at*; a failed liveness or startup probe kills it."""
    status = state.containers[i]
    assert status.probes is not None
    state, probes, kill, fs = _probes.run(node, state, _spec(state, i), status.probes, at)
    node = replace(node, filesystem=fs)
    state = _set(state, i, replace(status, probes=probes))
    if kill is None:
        return node, state
    container = _spec(state, i)
    probe = container.startup_probe if " startup " in kill else container.liveness_probe
    grace = _stop.grace_of(state, probe)
    return _stop.begin(  # type: ignore[return-value]
        node, state, i, container, at, why="probe", message=kill, grace=grace
    )


def probe_due(c: ContainerStatus) -> float | None:
    """When container *c*'s next probe runs (none while it stops or its postStart runs)."""
    if c.state != "running" or c.probes is None or c.stop is not None or c.hook_until is not None:
        return None
    return c.probes.due()


def progress(node: N, key: str, now: float) -> tuple[N, PodState]:
    """Apply every transition of pod *key* due at or before *now*."""
    state: PodState = node.pods[key]
    changed = True
    moved = True  # a container started or exited (or the kubelet just looked): probes look again
    while changed:
        changed = False
        if moved:
            state = _rearm(state, now)
            state = _stop.take_turns(state)
            moved = False
        for i, c in enumerate(state.containers):
            if c.state == "running" and c.stop is not None and c.stop.due() <= now:
                state = _stop_step(node, state, i)
                changed = True
                break
            hook = c.hook_until if c.state == "running" and c.stop is None else None
            if hook is not None and hook <= now:
                node, state = _hook_done(node, state, i, hook)
                changed = moved = True
                break
            if c.state == "running" and c.wake_at is not None and c.wake_at <= now:
                before = node.filesystem
                spec = _spec(state, i)
                fs, state, served = _scripts.step(node, state, i, now, spec, MAX_LOG_LINES)
                node = replace(node, filesystem=fs)
                for t in served:  # the script started its image's server: it binds now
                    if state.containers[i].process is not None:
                        node, state = _serve.serve(node, state, i, t, spec, MAX_LOG_LINES)
                changed = True
                moved = moved or fs is not before
                break
            if c.state == "running" and c.exit_at is not None and c.exit_at <= now:
                node, state = _exit(node, state, i, c.exit_at)
                changed = moved = True
                break
            if state.deleting is not None:
                continue  # a pod being deleted starts nothing and probes nothing
            if c.state == "waiting" and c.next_start is not None and c.next_start <= now:
                restart = c.finished_at is not None  # an earlier instance ran and exited
                if c.quiet_from is not None:
                    state = _count_quiet(state, i, c.next_start, inclusive=False)
                    state = _set(
                        state, i, replace(state.containers[i], quiet_from=None, quiet_events=())
                    )
                node, state = _start(node, state, i, c.next_start, restart=restart)
                changed = moved = True
                break
            due = probe_due(c)
            if due is not None and due <= now:
                node, state = _probe(node, state, i, due)
                changed = True
                after = state.containers[i]  # killed (and maybe restarted at once)?
                moved = after.state != "running" or after.started_at != c.started_at
                break
        if changed or state.deleting is not None:
            continue
        if _apps_done(state):
            node, state, changed = _stop_sidecars(node, state, now)
            if changed:
                moved = True
                continue
        ready_for_apps = True
        for i, c in enumerate(state.containers):
            if c.kind == "app":
                continue
            if c.started_at is None and c.state == "waiting" and c.next_start is None:
                node, state = _start(node, state, i, now, restart=False)
                changed = moved = True
                break
            if c.kind == "init" and c.reason != "Completed":
                ready_for_apps = False
                break
        if changed:
            continue
        if ready_for_apps:
            for i, c in enumerate(state.containers):
                if c.hook_until is not None and c.hook_until > now:
                    break  # startContainer waits for its postStart hook
                if (
                    c.kind == "app"
                    and c.started_at is None
                    and c.state == "waiting"
                    and c.next_start is None
                ):
                    node, state = _start(node, state, i, now, restart=False)
                    changed = moved = True
                    if state.containers[i].hook_until is not None:
                        break
        else:
            waiting = tuple(
                replace(c, reason="PodInitializing")
                if c.kind == "app" and c.started_at is None and c.reason == "ContainerCreating"
                else c
                for c in state.containers
            )
            state = replace(state, containers=waiting)
    return node, state
