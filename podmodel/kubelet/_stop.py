"""Stopping a container (private): ``preStop``, the stop signal, the grace period, ``SIGKILL``.

The kubelet's ``killContainer`` (``pkg/kubelet/kuberuntime/kuberuntime_container.go``, v1.35),
for a pod deletion, a failed liveness or startup probe, or a failed ``postStart`` hook:

1. ``Normal Killing``: ``Stopping container X`` for a deletion, ``Container X failed liveness
   probe, will be restarted`` for a probe, ``FailedPostStartHook`` after a failed hook;
2. the grace period: the pod's ``terminationGracePeriodSeconds`` (default 30; the deletion's
   own when it gives one; a probe's ``terminationGracePeriodSeconds`` for a probe kill);
3. ``executePreStopHook``: the ``preStop`` handler runs, for at most the grace period; a failure
   records ``Warning FailedPreStopHook PreStopHook failed``. The time it took (whole seconds)
   comes off the grace period, but the container always gets at least
   ``minimumGracePeriodInSeconds`` (2) more;
4. the runtime's ``StopContainer``: containerd sends the image's ``STOPSIGNAL`` (``SIGTERM``
   unless the image says otherwise: nginx's is ``SIGQUIT``), waits for the rest of the grace
   period, then sends ``SIGKILL`` (exit code 137).

What the process does with the signal: a script with a ``trap`` for it runs the handler (after
a foreground ``sleep`` ends, as shells do) and exits as the handler says; a script or program
that is PID 1 without a handler ignores it (the kernel gives PID 1 no default action) and is
killed when the grace period ends; an image's own program exits at once with its
:attr:`~podmodel.kubelet.images.Behaviour.stop_exit`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import attrs

from podmodel.kubelet import _hooks, _probes
from podmodel.kubelet.lifecycle import Event
from podmodel.kubelet.shell import signal
from podmodel.kubelet.state import Stop
from podmodel.model._frozen import replace

if TYPE_CHECKING:
    from collections.abc import Mapping

    from podmodel.kubelet.images import Behaviour
    from podmodel.kubelet.state import NodeLike, PodState
    from podmodel.model.spec import Container

__all__ = ["DEFAULT_GRACE", "MINIMUM_GRACE", "advance", "begin", "grace_of", "take_turns"]

#: ``terminationGracePeriodSeconds`` when the pod does not set it (the API server's default).
DEFAULT_GRACE = 30.0
#: ``minimumGracePeriodInSeconds``: what a container always gets after its preStop hook.
MINIMUM_GRACE = 2.0


def grace_of(state: PodState, probe: Mapping[str, Any] | None = None) -> float:
    """The grace period of a kill: a probe's own ``terminationGracePeriodSeconds`` when it
    sets one, else the pod's (default 30 s)."""
    if probe is not None:
        own = probe.get("terminationGracePeriodSeconds")
        if isinstance(own, int) and not isinstance(own, bool):
            return float(max(own, 0))
    pod = state.pod.spec.termination_grace_period_seconds
    return float(max(pod, 0)) if isinstance(pod, int) else DEFAULT_GRACE


def begin(
    node: NodeLike,
    state: PodState,
    i: int,
    container: Container,
    at: float,
    *,
    why: str,
    message: str,
    grace: float,
) -> tuple[NodeLike, PodState]:
    """Start stopping running container *i* at *at*: the ``Killing`` event, then its
    ``preStop`` hook; the rest happens in :func:`advance` at :meth:`Stop.due`."""
    status = state.containers[i]
    if status.probes is not None:  # no probe runs from now on: count the parked ones' runs
        state, probes = _probes.catch_up(state, container, status.probes, at, inclusive=False)
        status = replace(status, probes=replace(probes, output=None))
    event = Event(time=at, type="Normal", reason="Killing", source="kubelet", message=message)
    state = replace(state, events=state.events.add(event))
    handler = _hooks.handler_of(container, "preStop")
    took, failed = 0.0, False
    if handler is not None and grace > 0:
        took, failed, fs = _hooks.run_handler(node, state, container, handler, at, limit=grace)
        node = replace(node, filesystem=fs)
        took = min(took, grace)
    rest = max(grace - int(took), MINIMUM_GRACE)
    stop = Stop(why=why, term_at=at + took, kill_at=at + took + rest, hook_failed=failed)
    if why in ("delete", "complete") and status.kind == "sidecar" and grace - int(took) > 0:
        stop = attrs.evolve(stop, ordered=True, grace_left=grace - int(took))
    items = list(state.containers)
    items[i] = replace(status, stop=stop)
    return node, replace(state, containers=tuple(items))


def advance(
    state: PodState, i: int, behaviour: Behaviour | None, *, script_signal: str
) -> PodState:
    """Do what stopping container *i* has due: send the stop signal (the hook is over), or
    ``SIGKILL`` at the end of the grace period. *behaviour*: the image's program the container
    runs (``None``: a script, or a program podmodel cannot run)."""
    status = state.containers[i]
    stop = status.stop
    assert stop is not None
    at = stop.due()
    if stop.ordered:  # its turn never came: the grace period ran out while it waited
        stop = attrs.evolve(stop, ordered=False, term_at=at, kill_at=at + MINIMUM_GRACE)
        status = replace(status, stop=stop)
    if stop.signalled or stop.kill_at <= stop.term_at:  # SIGKILL
        exit_at = at if status.exit_at is None else min(status.exit_at, at)
        killed = replace(
            status,
            stop=replace(stop, signalled=True, killed=True),
            exit_at=exit_at,
            pending_exit=(137, "") if exit_at == at else status.pending_exit,
            pending_reason=None if exit_at == at else status.pending_reason,
            process=None,
            wake_at=None,
        )
        return _set(state, i, killed)
    if stop.hook_failed:
        event = Event(
            time=at,
            type="Warning",
            reason="FailedPreStopHook",
            source="kubelet",
            message="PreStopHook failed",
        )
        state = replace(state, events=state.events.add(event))
    status = replace(status, stop=replace(stop, signalled=True))
    if status.serving and behaviour is not None:  # the script exec-ed the image's server
        if behaviour.stop_exit is not None and status.exit_at is None:
            status = replace(
                status,
                process=None,
                wake_at=None,
                exit_at=at,
                pending_exit=(behaviour.stop_exit, ""),
            )
    elif status.process is not None:
        process = signal(status.process, script_signal, at=at)
        status = replace(status, process=process, wake_at=at)
    elif behaviour is not None and behaviour.stop_exit is not None and status.exit_at is None:
        status = replace(status, exit_at=at, pending_exit=(behaviour.stop_exit, ""))
    return _set(state, i, status)


def _turn_of(state: PodState, i: int) -> float | None:
    """When sidecar *i* may stop: once every app container and every later sidecar has
    terminated (``newTerminationOrdering``), or ``None`` while one still runs."""
    last = -math.inf
    for j, c in enumerate(state.containers):
        if c.kind == "app" or (c.kind == "sidecar" and j > i):
            if c.state == "running":
                return None
            if c.finished_at is not None:
                last = max(last, c.finished_at)
    return last


def take_turns(state: PodState) -> PodState:
    """Let the waiting sidecars of a pod being deleted (or whose app containers are done)
    stop, once it is their turn: the time they waited comes off their grace period (whole
    seconds, at least :data:`MINIMUM_GRACE` left), then the stop signal is sent
    (``killContainer``, ``waitForTurn``)."""
    for i, c in enumerate(state.containers):
        stop = c.stop
        if stop is None or not stop.ordered or c.state != "running":
            continue
        turn = _turn_of(state, i)
        if turn is None:
            continue
        at = min(max(stop.term_at, turn), stop.term_at + stop.grace_left)
        rest = max(stop.grace_left - int(at - stop.term_at), MINIMUM_GRACE)
        stop = attrs.evolve(stop, ordered=False, term_at=at, kill_at=at + rest)
        state = _set(state, i, replace(c, stop=stop))
    return state


def _set(state: PodState, i: int, status: object) -> PodState:
    items = list(state.containers)
    items[i] = status  # type: ignore[call-overload]
    return replace(state, containers=tuple(items))
