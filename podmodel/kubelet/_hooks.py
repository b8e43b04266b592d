"""The kubelet's lifecycle handlers (private): ``postStart`` and ``preStop`` hooks.

Rules, v1.35 (``pkg/kubelet/lifecycle/handlers.go``, ``HandlerRunner.Run``):

* ``exec``: the command runs in the container (the path of ``kubectl exec``,
  :func:`podmodel.kubelet._exec.run_command`), with no timeout of its own; a non-zero exit
  fails the hook. Its output is not shown anywhere but the kubelet's log.
* ``httpGet``: a request to ``host`` (default: the pod IP) at ``port`` and ``path``; only a
  connection error fails it (the status code is not looked at).
* ``sleep``: waits ``seconds``; never fails.

A hook runs on the simulated clock: it starts when the container starts (``postStart``) or is
asked to stop (``preStop``) and returns after the time its command, request or sleep takes.
A command still running after :data:`HOOK_HORIZON` seconds is taken to never return.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from podmodel.kernel.network import ConnectionRefused, NetworkUnreachable
from podmodel.kubelet._exec import run_command

if TYPE_CHECKING:
    from podmodel.kernel.filesystem import Filesystem
    from podmodel.kubelet.state import NodeLike, PodState
    from podmodel.model.spec import Container

__all__ = ["HOOK_HORIZON", "HookRun", "handler_of", "run_handler"]

#: How long (simulated seconds) podmodel follows an exec hook; one still running then never
#: returns (the kubelet gives exec hooks no timeout).
HOOK_HORIZON = 86_400.0

#: (seconds the hook took, or infinity; whether it failed; the file system after)
HookRun = tuple[float, bool, "Filesystem"]


def handler_of(container: Container, hook: str) -> Mapping[str, Any] | None:
    """The ``lifecycle.<hook>`` handler of *container* (``postStart`` or ``preStop``)."""
    lifecycle = container.lifecycle
    handler = lifecycle.get(hook) if lifecycle is not None else None
    return handler if isinstance(handler, Mapping) else None


def _port(spec: Mapping[str, Any], container: Container) -> int | None:
    port = spec.get("port")
    if isinstance(port, str) and not port.isdigit():
        return next((p.container_port for p in container.ports if p.name == port), None)
    return int(port) if isinstance(port, int | str) else None


def run_handler(
    node: NodeLike,
    state: PodState,
    container: Container,
    handler: Mapping[str, Any],
    at: float,
    *,
    limit: float = HOOK_HORIZON,
) -> HookRun:
    """Run *handler* in *container* of *state* from *at*, following it for at most *limit*
    seconds: how long it took (infinity when it had not returned), whether it failed, and the
    file system after its writes."""
    fs = node.filesystem
    exec_ = handler.get("exec")
    if isinstance(exec_, Mapping):
        command = [str(a) for a in exec_.get("command") or ()]
        if not command:
            return 0.0, True, fs
        result, fs, done = run_command(
            node, state, container.name or "", command, now=at, timeout=limit
        )
        if done is None:
            return math.inf, False, fs
        return done - at, result.exit_code != 0, fs
    sleep = handler.get("sleep")
    if isinstance(sleep, Mapping):
        seconds = sleep.get("seconds")
        return float(seconds) if isinstance(seconds, int | float) else 0.0, False, fs
    http = handler.get("httpGet")
    if isinstance(http, Mapping):
        ns = state.network if state.network is not None else node.host_network
        assert ns is not None
        port = _port(http, container)
        host = str(http.get("host") or state.ip or "")
        if port is None:
            return 0.0, True, fs
        try:
            ns.connect(host, port)
        except (ConnectionRefused, NetworkUnreachable):
            return 0.0, True, fs
        return 0.0, False, fs
    return 0.0, False, fs
