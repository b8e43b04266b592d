"""A pod's ``STATUS`` column, as ``kubectl get pods`` computes it, and what ``kubectl logs``
prints (private)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from podmodel.kubelet._pull import WAITING_REASONS
from podmodel.kubelet.state import NodeError

if TYPE_CHECKING:
    from podmodel.kubelet.state import ContainerStatus, PodState

__all__ = ["logs", "pod_status"]


def pod_status(st: PodState) -> str:
    """``STATUS`` as ``kubectl get pods`` shows it for the pod *st*: ``Terminating``, a
    blocked pod's reason, ``Init:...``, the last app container's waiting or terminated reason,
    ``Running``/``NotReady``, else the phase."""
    if st.deleting is not None:
        return "Terminating"
    if st.blocked:
        return st.blocked
    inits = [c for c in st.containers if c.kind != "app"]
    pending_inits = [c for c in inits if c.kind == "init" and c.reason != "Completed"]
    if pending_inits:
        c = pending_inits[0]
        if c.reason in ("CrashLoopBackOff", "Error", *WAITING_REASONS):
            return f"Init:{c.reason}"
        done = sum(1 for i in inits if i.kind == "init" and i.reason == "Completed")
        return f"Init:{done}/{len([i for i in inits if i.kind == 'init'])}"
    reason = st.phase
    running = False
    for c in reversed([c for c in st.containers if c.kind == "app"]):
        if c.state == "running" and c.hook_until is not None:
            reason = "ContainerCreating"  # its postStart hook has not returned
        elif (c.state == "waiting" and c.reason) or (c.state == "terminated" and c.reason):
            reason = c.reason
        elif c.state == "running":
            running = True
    if reason == "Completed" and running:  # kubectl: Running only with the Ready condition
        ready = all(c.ready for c in st.containers if c.counts_for_ready)
        return "Running" if ready else "NotReady"
    return reason


def logs(pod: str, c: ContainerStatus, *, previous: bool = False) -> str:
    """What ``kubectl logs`` prints for container *c* of pod *pod* (see
    :meth:`podmodel.kubelet.node.RunningPod.logs`)."""
    container = c.name
    has_run = c.started_at is not None
    waiting_again = c.state == "waiting" and has_run
    if previous:
        if waiting_again:
            lines = c.instance_logs
        elif c.restart_count > 0:
            lines = c.previous_logs
        else:
            raise NodeError(f'previous terminated container "{container}" in pod "{pod}" not found')
    elif has_run:
        lines = c.instance_logs
    else:
        why = {
            "ErrImagePull": "image can't be pulled",
            "ImagePullBackOff": "trying and failing to pull image",
        }.get(c.reason or "", c.reason or "")
        raise NodeError(f'container "{container}" in pod "{pod}" is waiting to start: {why}')
    return "".join(f"{line}\n" for line in lines)
