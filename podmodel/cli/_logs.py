"""``podmodel logs FILE CONTAINER``: what ``kubectl logs`` prints, one shot (private module)."""

from __future__ import annotations

from typing import IO

from podmodel.cli._shell import CommandError, NodeShell, duration, logs_of, read_manifests
from podmodel.errors import PodmodelError

__all__ = ["run_logs"]


def run_logs(
    path: str,
    container: str,
    *,
    previous: bool,
    advance: str,
    mode: str,
    out: IO[str],
    err: IO[str],
) -> int:
    """Load the manifests of *path* onto a fresh node, let *advance* pass, and print the logs
    of *container* of the file's first pod. Returns 0, or 1 after an error printed on *err*
    (a file that cannot be read or decoded, an invalid pod, a container that has no such log)."""
    from podmodel.kubelet.node import Node

    shell = NodeShell(
        Node(volume_population="empty" if mode == "kubernetes" else "first-mount"), stdout=err
    )
    try:
        seconds = duration(advance)
        found = read_manifests(path)
        if not found.pods:
            raise CommandError(f'error: no pod in "{path}"')
        for obj in found.configs:
            shell.node = shell.node.apply(obj)
        pod = found.pods[0]
        shell.node = shell.node.start(pod).advance(seconds)
        running = shell.node.pod(pod.name, pod.metadata.namespace or "default")
        out.write(logs_of(running, container, previous=previous))
    except CommandError as exc:
        print(exc, file=err)
        return 1
    except PodmodelError as exc:
        message = getattr(exc, "kubectl_message", None)
        print(message() if message else f"Error from server (BadRequest): {exc}", file=err)
        return 1
    return 0
