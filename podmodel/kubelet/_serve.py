"""An image's program starting its server (private): binds, listens, writes, bind failures.

The same behaviour (:class:`~podmodel.kubelet.images.Behaviour`) starts in two ways: as the
container's process, when the kubelet starts a container that runs its image's entrypoint
(``_processes._start`` calls :func:`bind`), and from a script, when ``sh -c '...; exec nginx -g
"daemon off;"'`` runs the image's program in the foreground (the shell records it in
``System.served``; :func:`serve` starts the behaviour at that moment). Either way the process
binds and listens on the behaviour's sockets in the pod's network namespace (the host's for
``hostNetwork``), in order, and a failing bind prints the image's message and exits with its
code after its retries, so the kubelet restarts the container with its back-off.
"""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING, TypeVar

from podmodel.kernel.filesystem import FilesystemError
from podmodel.kernel.network import NetworkNamespace, PortInUse, PortPermissionDenied
from podmodel.kubelet import _memory
from podmodel.kubelet.lifecycle import BindFailure
from podmodel.model._frozen import replace

if TYPE_CHECKING:
    from podmodel.kubelet.images import Behaviour, Listen
    from podmodel.kubelet.state import NodeLike, PodState
    from podmodel.model.spec import Container

__all__ = ["bind", "net", "owner", "serve", "store_net"]

#: The node type the engine is given (and returns).
N = TypeVar("N", bound="NodeLike")


def owner(state: PodState, name: str) -> str:
    """The socket owner of container *name* in its network namespace."""
    return name if state.network is not None else f"{state.key}/{name}"


def net(node: NodeLike, state: PodState) -> NetworkNamespace:
    """The network namespace pod *state* runs in (its own, or the host's)."""
    if state.network is not None:
        return state.network
    assert node.host_network is not None
    return node.host_network


def store_net(node: N, state: PodState, ns: NetworkNamespace) -> tuple[N, PodState]:
    """*node* and *state* holding the changed namespace *ns*."""
    if state.network is not None:
        return node, replace(state, network=ns)
    return replace(node, host_network=ns), state


def bind(
    node: N,
    state: PodState,
    name: str,
    listens: tuple[Listen, ...],
    behaviour: Behaviour | None,
    uid: int,
) -> tuple[N, PodState, str | None, BindFailure | None]:
    """Bind (and listen on) *listens* in order for container *name*; the first failing bind
    stops: its message (the image's for an address in use) and what failed."""
    ns = net(node, state)
    who = owner(state, name)
    failure: str | None = None
    failed: BindFailure | None = None
    for listen in listens:
        try:
            ns, sock = ns.bind(
                who,
                listen.address,
                listen.port,
                protocol=listen.protocol,
                v6only=listen.v6only,
                reuse_address=listen.reuse_address,
                reuse_port=listen.reuse_port,
                uid=uid,
            )
            if listen.protocol != "UDP":
                ns = ns.listen(sock)
        except (PortInUse, PortPermissionDenied) as exc:
            if isinstance(exc, PortInUse) and behaviour is not None:
                failure = behaviour.bind_failure.format(
                    address=listen.address, port=listen.port, protocol=listen.protocol
                )
            else:
                failure = str(exc)
            failed = BindFailure(
                address=listen.address,
                port=listen.port,
                protocol=listen.protocol,
                error=errno.errorcode.get(exc.errno or 0, "EINVAL"),
            )
            break
    node, state = store_net(node, state, ns)
    return node, state, failure, failed


def serve(
    node: N, state: PodState, i: int, at: float, container: Container, max_lines: int
) -> tuple[N, PodState]:
    """Container *i*'s script started its image's program as a server at *at*: the image's
    behaviour starts then (binds, listens, writes, memory). A failed bind ends the program, and
    with it the container (the script ``exec``-ed it, as such scripts do), after the image's
    retries, with its exit code and message."""
    status = state.containers[i]
    image = node.catalogue.get(container.image or "")
    behaviour = image.behaviour
    node, state, failure, failed = bind(
        node, state, status.name, behaviour.listens, behaviour, behaviour.uid
    )
    status = state.containers[i]
    if failure is not None:
        status = replace(
            status,
            process=None,
            wake_at=None,
            logs=(*status.logs, failure)[-max_lines:],
            instance_logs=(*status.instance_logs, failure)[-max_lines:],
            exit_at=at + behaviour.bind_retry,
            pending_exit=(behaviour.bind_failure_exit, failure),
            failed_bind=failed,
        )
        return node, _set(state, i, status)
    view = state.views[status.name]
    logs: tuple[str, ...] = ()
    for w in behaviour.writes:
        try:
            fs = node.filesystem.write(view, w.path, w.data, append=w.append, parents=True)
            node = replace(node, filesystem=fs)
        except FilesystemError as exc:
            logs = (*logs, str(exc))
    limit = _memory.memory_limit(container)
    held = _memory.SCRIPT_MEMORY + status.tmpfs_charged + behaviour.memory
    status = replace(
        status,
        serving=True,
        logs=(*status.logs, *logs)[-max_lines:],
        instance_logs=(*status.instance_logs, *logs)[-max_lines:],
        memory_holds=(*status.memory_holds, (at, float("inf"), behaviour.memory)),
    )
    if limit is not None and held > limit:  # the OOM killer ends it as it starts
        status = replace(
            status,
            process=None,
            wake_at=None,
            exit_at=at,
            pending_exit=(137, ""),
            pending_reason="OOMKilled",
        )
    return node, _set(state, i, status)


def _set(state: PodState, i: int, status: object) -> PodState:
    items = list(state.containers)
    items[i] = status  # type: ignore[call-overload]
    return replace(state, containers=tuple(items))
