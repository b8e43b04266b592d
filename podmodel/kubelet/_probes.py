"""The kubelet's prober (private): startup, liveness and readiness probes on the simulated clock.

Rules and texts, v1.35:

* ``pkg/kubelet/prober/worker.go``: each probe of a running container runs every
  ``periodSeconds``, the first time ``initialDelaySeconds`` after the container started;
  liveness and readiness wait for the startup probe to succeed. ``failureThreshold``
  consecutive failures (``successThreshold`` successes) change the result; a readiness probe's
  result starts as failure, so the container is not ready until it succeeds.
* ``pkg/kubelet/prober/prober.go``: every failure records ``Warning Unhealthy <Kind> probe
  failed: <output>``.
* ``pkg/kubelet/kuberuntime/kuberuntime_manager.go`` (``computePodActions``): a failed liveness
  (startup) probe kills the container, ``Normal Killing Container X failed liveness probe, will
  be restarted``, through the usual stop (:mod:`podmodel.kubelet._stop`: ``preStop``, stop
  signal, the probe's own ``terminationGracePeriodSeconds`` or the pod's); it restarts under
  its restart policy and the crash-loop back-off. No probe runs while it stops.
* ``pkg/probe/tcp/tcp.go``, ``pkg/probe/http/http.go``: a ``tcpSocket`` probe connects to the
  pod IP (or ``host``) at ``port`` (a number or a container port's name); ``httpGet`` also asks
  for ``path`` (the answer of :func:`~podmodel.kubelet._scripts.http_request`; a redirect to
  the same server is followed): 200-399 succeeds, any other status fails with ``HTTP probe
  failed with statuscode: 404``. A refused connection reads ``dial tcp 10.244.0.2:8080: connect: connection
  refused`` (``Get "http://10.244.0.2:8080/healthz": dial tcp ...`` for HTTP); a server slower
  than ``timeoutSeconds`` (default 1) ``Get "...": context deadline exceeded
  (Client.Timeout exceeded while awaiting headers)``.
* ``pkg/probe/exec/exec.go``: an ``exec`` probe runs its command in the container (the path of
  ``kubectl exec``); exit 0 succeeds, any other code fails with the command's output; one
  still running after ``timeoutSeconds`` fails with ``command "sleep 5" timed out``.
* ``pkg/probe/grpc/grpc.go``: a ``grpc`` probe dials the pod IP at ``port`` and blocks until
  the connection is ready, so a refused connection or a server that is not gRPC fails with
  ``timeout: failed to connect service "10.244.0.2:2379" within 1s: context deadline
  exceeded``; a gRPC server without the health service with ``error: this server does not
  implement the grpc health protocol (grpc.health.v1.Health): unknown service
  grpc.health.v1.Health``; a service not ``SERVING`` with ``service unhealthy (responded with
  "NOT_SERVING")``. An image declares its health service in
  :attr:`~podmodel.kubelet.images.Behaviour.grpc_health`.

A probe that succeeds and changes nothing is parked until something in the pod changes (a
container starts or exits, or :meth:`~podmodel.kubelet.node.Node.advance` is called), so a
healthy pod costs no simulation steps.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from podmodel.apiserver.defaults import _PROBE_DEFAULTS
from podmodel.kernel.network import ConnectionRefused, NetworkUnreachable
from podmodel.kubelet._exec import run_command
from podmodel.kubelet._scripts import http_request
from podmodel.kubelet.lifecycle import Event
from podmodel.kubelet.state import Probes
from podmodel.model._frozen import replace

if TYPE_CHECKING:
    from podmodel.kernel.filesystem import Filesystem
    from podmodel.kubelet.images import Behaviour
    from podmodel.kubelet.state import NodeLike, PodState
    from podmodel.model.spec import Container

__all__ = ["KINDS", "Probes", "catch_up", "initial", "rearm", "run"]

#: The probe kinds, in the order the kubelet gates them.
KINDS = ("startup", "liveness", "readiness")
_TITLE = {"startup": "Startup", "liveness": "Liveness", "readiness": "Readiness"}
_DEFAULTS = dict(_PROBE_DEFAULTS, initialDelaySeconds=0)


def _specs(container: Container) -> tuple[Mapping[str, Any] | None, ...]:
    return (container.startup_probe, container.liveness_probe, container.readiness_probe)


def _param(spec: Mapping[str, Any], name: str) -> float:
    value = spec.get(name) or _DEFAULTS[name]
    return float(value) if isinstance(value, int | float) else float(_DEFAULTS[name])


def _tick(spec: Mapping[str, Any], started_at: float, now: float) -> float:
    """The first probe time at or after *now* on the probe's grid (start + delay + k·period)."""
    first = started_at + _param(spec, "initialDelaySeconds")
    if now <= first:
        return first
    period = max(_param(spec, "periodSeconds"), 1.0)
    return first + math.ceil((now - first) / period - 1e-9) * period


def initial(container: Container, at: float) -> Probes | None:
    """The probe state of *container* started at *at* (``None`` when it has no probes)."""
    startup, liveness, readiness = _specs(container)
    if startup is None and liveness is None and readiness is None:
        return None
    gated = startup is not None
    return Probes(
        started_at=at,
        next_at=(
            _tick(startup, at, at) if startup is not None else None,
            _tick(liveness, at, at) if liveness is not None and not gated else None,
            _tick(readiness, at, at) if readiness is not None and not gated else None,
        ),
        started=not gated,
        ready=readiness is None,
    )


def catch_up(
    state: PodState, container: Container, probes: Probes, until: float, *, inclusive: bool
) -> tuple[PodState, Probes]:
    """Count the failures a steadily failing, parked readiness probe had up to *until*: the
    same ``Unhealthy`` event, counted once per probe, as if it had run."""
    spec, when = container.readiness_probe, probes.next_at[2]
    if not probes.parked[2] or probes.output is None or spec is None or when is None:
        return state, probes
    period = max(_param(spec, "periodSeconds"), 1.0)
    span = until - when
    n = math.floor(span / period + 1e-9) + 1 if span > 0 or (inclusive and span == 0) else 0
    if not inclusive and n and math.isclose(when + (n - 1) * period, until):
        n -= 1
    if n <= 0:
        return state, probes
    event = Event(
        time=when + (n - 1) * period,
        type="Warning",
        reason="Unhealthy",
        source="kubelet",
        message=f"Readiness probe failed: {probes.output}",
        count=n,
        first_time=when,
    )
    fails = (probes.failures[0], probes.failures[1], probes.failures[2] + n)
    times = (probes.next_at[0], probes.next_at[1], when + n * period)
    state = replace(state, events=state.events.add(event))
    return state, replace(probes, next_at=times, failures=fails)


def rearm(container: Container, probes: Probes, now: float) -> Probes:
    """Wake the parked probes at their next tick at or after *now* (after :func:`catch_up`)."""
    specs = _specs(container)
    times = list(probes.next_at)
    for k in range(3):
        spec, when = specs[k], times[k]
        if probes.parked[k] and spec is not None and when is not None:
            times[k] = max(when, _tick(spec, probes.started_at, now))
    return replace(
        probes, next_at=(times[0], times[1], times[2]), parked=(False, False, False), output=None
    )


def _port(spec: Mapping[str, Any], container: Container) -> int | str:
    port = spec.get("port")
    if isinstance(port, str) and not port.isdigit():
        for p in container.ports:
            if p.name == port and p.container_port:
                return p.container_port
        return port
    return int(port) if isinstance(port, int | str) else 0


def _exec_check(
    node: NodeLike, state: PodState, container: Container, spec: Mapping[str, Any], at: float
) -> tuple[str | None, Filesystem]:
    """An ``exec`` probe (``pkg/probe/exec/exec.go``): the command's combined output on a
    non-zero exit; ``command "..." timed out`` (the CRI's ``ExecSync`` deadline, as
    ``remote_runtime.go`` words it) when it outlives ``timeoutSeconds``."""
    command = [str(a) for a in spec.get("command") or ()]
    timeout = _timeout(spec)
    result, fs, done = run_command(
        node, state, container.name or "", command, now=at, timeout=timeout
    )
    if done is None:
        return f"command {' '.join(command)!r} timed out".replace("'", '"'), fs
    if result.exit_code == 0:
        return None, fs
    return result.stdout + result.stderr, fs


def _grpc_check(
    node: NodeLike, state: PodState, container: Container, spec: Mapping[str, Any]
) -> str | None:
    """A ``grpc`` probe (``pkg/probe/grpc/grpc.go``): the kubelet dials with ``WithBlock``, so
    a refused connection, or a server that does not speak gRPC, times out."""
    ns = state.network if state.network is not None else node.host_network
    assert ns is not None
    port = spec.get("port")
    host = state.ip or ""
    addr = f"{host}:{port}"
    timeout = _timeout(spec)
    timed_out = f"timeout: failed to connect service {addr!r} within {timeout:g}s: context deadline exceeded"
    timed_out = timed_out.replace(f"{addr!r}", f'"{addr}"')
    try:
        owner = ns.connect(host, int(port) if isinstance(port, int | str) else 0)
    except (ConnectionRefused, NetworkUnreachable, ValueError):
        return timed_out
    behaviour = _behaviour(node, state, owner)
    health = behaviour.grpc_health if behaviour is not None else None
    if health is None:
        return timed_out
    if not health:
        return (
            "error: this server does not implement the grpc health protocol "
            "(grpc.health.v1.Health): unknown service grpc.health.v1.Health"
        )
    service = str(spec.get("service") or "")
    status = dict(health).get(service)
    if status is None:
        return "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service"
    return None if status == "SERVING" else f'service unhealthy (responded with "{status}")'


def _timeout(spec: Mapping[str, Any]) -> float:
    value = spec.get("timeoutSeconds")
    return float(value) if isinstance(value, int | float) and value > 0 else 1.0


def _behaviour(node: NodeLike, state: PodState, owner: str) -> Behaviour | None:
    name = owner.removeprefix(f"{state.key}/")
    spec_of = {c.name: c for c in (*state.pod.spec.init_containers, *state.pod.spec.containers)}
    serving = spec_of.get(name)
    if serving is None:
        return None
    image = node.catalogue.get(serving.image or "")
    return image.behaviour if image.known else None


def _check(
    node: NodeLike, state: PodState, container: Container, probe: Mapping[str, Any], at: float
) -> tuple[str | None, Filesystem | None]:
    """Run one probe: ``None`` on success, else the prober's output; and the file system
    after it (an exec probe's writes are real)."""
    exec_, grpc = probe.get("exec"), probe.get("grpc")
    if isinstance(exec_, Mapping):
        limit = {"timeoutSeconds": probe.get("timeoutSeconds")}
        return _exec_check(node, state, container, {**exec_, **limit}, at)
    if isinstance(grpc, Mapping):
        return _grpc_check(
            node, state, container, {**grpc, "timeoutSeconds": probe.get("timeoutSeconds")}
        ), None
    return _net_check(node, state, container, probe), None


def _net_check(
    node: NodeLike, state: PodState, container: Container, probe: Mapping[str, Any]
) -> str | None:
    """A ``tcpSocket`` or ``httpGet`` probe."""
    tcp, http = probe.get("tcpSocket"), probe.get("httpGet")
    spec = tcp if isinstance(tcp, Mapping) else http if isinstance(http, Mapping) else None
    if spec is None:
        return None
    ns = state.network if state.network is not None else node.host_network
    assert ns is not None
    host = str(spec.get("host") or state.ip or "")
    port = _port(spec, container)
    if isinstance(port, str):
        return f"couldn't find port {port!r} in container {container.name}"
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    path = str(spec.get("path") or "/")
    url = f"{str(spec.get('scheme') or 'HTTP').lower()}://{where}{path}"
    try:
        owner = ns.connect(host, port)
    except ConnectionRefused:
        error = f"dial tcp {where}: connect: connection refused"
        return error if spec is tcp else f'Get "{url}": {error}'
    except NetworkUnreachable:
        error = f"dial tcp {where}: i/o timeout"
        return error if spec is tcp else f'Get "{url}": {error}'
    if spec is tcp:
        return None
    answering = _behaviour(node, state, owner)
    if answering is not None and answering.response_seconds > _timeout(probe):
        return (
            f'Get "{url}": context deadline exceeded (Client.Timeout exceeded while awaiting '
            "headers)"
        )
    status = _status(node, state, host, port, path)
    return None if 200 <= status < 400 else f"HTTP probe failed with statuscode: {status}"


def _status(node: NodeLike, state: PodState, host: str, port: int, path: str) -> int:
    """The status of ``GET path``, following redirects to the same server as Go's client
    does (at most 10)."""
    for _ in range(10):
        answer = http_request(node, state, host, port, path)
        location = next((v for k, v in answer.headers if k.lower() == "location"), "")
        if not (300 <= answer.status < 400 and location):
            return answer.status
        parts = urlsplit(location)
        if parts.hostname not in (None, host) or (parts.port or 80) != port:
            return answer.status  # a redirect elsewhere: the prober takes it as it is
        path = parts.path + (f"?{parts.query}" if parts.query else "")
    return answer.status


def run(
    node: NodeLike, state: PodState, container: Container, probes: Probes, at: float
) -> tuple[PodState, Probes, str | None, Filesystem]:
    """Run the probes of *container* due at *at*; return the pod's state (events added), the
    probe state, the ``Killing`` message when a liveness or startup probe failed, and the
    file system after the probes (exec probes write)."""
    fs = node.filesystem
    specs = _specs(container)
    times = list(probes.next_at)
    oks, fails = list(probes.successes), list(probes.failures)
    parked = list(probes.parked)
    steady_output: str | None = None
    started, ready = probes.started, probes.ready
    kill: str | None = None
    for k, kind in enumerate(KINDS):
        spec, when = specs[k], times[k]
        if spec is None or when is None or when > at:
            continue
        output, after = _check(node, state, container, spec, at)
        if after is not None:
            fs = after
            node = replace(node, filesystem=after)
        period = max(_param(spec, "periodSeconds"), 1.0)
        times[k] = at + period
        if output is None:
            oks[k], fails[k] = oks[k] + 1, 0
        else:
            oks[k], fails[k] = 0, fails[k] + 1
            event = Event(
                time=at,
                type="Warning",
                reason="Unhealthy",
                source="kubelet",
                message=f"{_TITLE[kind]} probe failed: {output}",
            )
            state = replace(state, events=state.events.add(event))
        failed = fails[k] >= _param(spec, "failureThreshold")
        succeeded = oks[k] >= (1 if kind != "readiness" else _param(spec, "successThreshold"))
        if kind == "readiness":
            ready = True if succeeded else False if failed else ready
            # steady (ready and passing, or not ready and failing): wait for a change
            parked[k] = (ready and output is None) or (not ready and failed)
            if not ready and failed:
                steady_output = output
        elif failed:
            kill = f"Container {container.name} failed {kind} probe, will be restarted"
            break
        elif kind == "startup" and succeeded:
            started, times[k] = True, None
            for j in (1, 2):
                if specs[j] is not None:
                    times[j] = _tick(specs[j], probes.started_at, at)  # type: ignore[arg-type]
        elif kind == "liveness" and output is None:
            parked[k] = True  # steady: wait for a change
    new = replace(
        probes,
        next_at=(times[0], times[1], times[2]),
        successes=(oks[0], oks[1], oks[2]),
        failures=(fails[0], fails[1], fails[2]),
        started=started,
        ready=ready,
        parked=(parked[0], parked[1], parked[2]),
        output=steady_output,
    )
    return state, new, kill, fs
