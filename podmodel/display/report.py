"""What ``podmodel run`` prints about a running pod (private): the ``kubectl get pods`` table, a
network and mount summary, and one plain sentence per notable outcome (``--explain``): a failed
``bind()``, a non-zero exit (under ``restartPolicy`` ``Always``, ``OnFailure`` or ``Never``), a
failed init container, a failed probe or ``postStart`` hook, an OOM kill, an image that cannot be
pulled, missing configuration, a completed container, a pod the scheduler cannot place (a taken
``hostPort``), a pod being deleted, and what the containers share (network and UTS namespaces)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from podmodel.kubelet.node import Node, RunningPod
    from podmodel.kubelet.state import ContainerStatus

__all__ = ["explain", "listeners", "mounts", "pod_json", "status_colour", "summary"]


def listeners(pod: RunningPod) -> list[tuple[str, str]]:
    ns, prefix = pod._network()
    out = []
    for s in ns.listeners():
        if s.owner.startswith(prefix) or not prefix:
            out.append((s.owner.removeprefix(prefix), str(s)))
    for s in ns:
        if s.protocol == "UDP" and (s.owner.startswith(prefix) or not prefix):
            out.append((s.owner.removeprefix(prefix), str(s)))
    return out


def mounts(node: Node, pod: RunningPod) -> list[dict[str, Any]]:
    rows = []
    for name, src in sorted(pod.state.sources.items()):
        users = []
        for cname, view in sorted(pod.state.views.items()):
            for m in view.mounts:
                if m.volume == name:
                    users.append(f"{cname}:{m.path}" + (" (ro)" if m.read_only else ""))
        if src.kind == "hostPath":
            origin = f"the node's {src.path}"
        else:
            origin = node.filesystem.origins.get(src.store) or "started empty"
        rows.append({"volume": name, "kind": src.kind, "mounted": users, "content": origin})
    return rows


def status_colour(status: str) -> str:
    """The colour a terminal shows a pod or container status in."""
    if status in ("Running", "Completed", "Succeeded"):
        return "green"
    waiting = status in ("Pending", "ContainerCreating", "PodInitializing", "Terminating")
    if waiting or (status.startswith("Init:") and status[5:].partition("/")[0].isdigit()):
        return "yellow"  # on its way: Init:0/2 is, Init:CrashLoopBackOff is not
    return "red"


def summary(
    node: Node, pod: RunningPod, paint: Callable[[str, str], str] = lambda text, _: text
) -> str:
    """``kubectl get pods``, the events, who listens where and which volume is where;
    *paint(text, colour)* colours the status (the CLI passes ANSI colours on a terminal)."""
    from podmodel.display.kubectl import get_pods, status_cell

    header, cells = get_pods([pod]).splitlines()
    status = status_cell(pod)
    at = header.index("STATUS")
    cells = cells[:at] + paint(status, status_colour(status)) + cells[at + len(status) :]
    lines = [header, cells, ""]
    lines.append(f"IP: {pod.ip}   hostname: {pod.hostname}   phase: {pod.phase}")
    lines.append(f"QoS Class: {pod.qos_class}")
    lines.append("")
    lines.append("Listening:")
    listening = listeners(pod)
    lines.extend(f"  {owner:<12}{where}" for owner, where in listening)
    if not listening:
        lines.append("  (nothing)")
    lines.append("")
    lines.append("Volumes:")
    volumes = mounts(node, pod)
    for row in volumes:
        lines.append(
            f"  {row['volume']} ({row['kind']}): {', '.join(row['mounted']) or '-'}; "
            f"content: {row['content']}"
        )
    if not volumes:
        lines.append("  (none)")
    lines.append("")
    lines.append("Events:")
    lines.extend("  " + line for line in pod.describe_events().splitlines())
    return "\n".join(lines)


def explain(node: Node, pod: RunningPod) -> list[str]:
    """One sentence per notable outcome, for students."""
    from podmodel.display.kubectl import status_cell

    out = []
    held = {where: owner for owner, where in listeners(pod)}
    killed = {
        e.message.split(" ")[1]: e.message
        for e in pod.events
        if e.reason == "Killing" and e.message.startswith("Container ")
    }
    post_start = any(e.reason == "FailedPostStartHook" for e in pod.events)
    specs = {
        c.name: c for c in (*pod.state.pod.spec.init_containers, *pod.state.pod.spec.containers)
    }
    hooks = {e.message for e in pod.events if e.reason == "FailedPreStopHook"}
    if pod.state.deleting is not None:
        out.append(
            f"The pod is being deleted (Terminating): each container ran its preStop hook, got "
            f"its stop signal, and is killed with SIGKILL (exit code 137) when the "
            f"{pod.state.grace:g} s grace period ends; a PID 1 without a handler for the "
            "signal ignores it."
        )
    for c in pod.containers:
        probe = killed.get(c.name)
        last = c.last_reason or c.reason
        if c.stop is not None and c.stop.why == "delete" and c.state == "running":
            hook = " (its preStop hook failed)" if hooks else ""
            out.append(
                f"{c.name} is stopping{hook}: SIGKILL at {c.stop.kill_at:g} s if it has not "
                "exited by then."
            )
        elif last == "OOMKilled":
            out.append(
                f"{c.name} was OOMKilled: its memory went over its limit "
                f"(resources.limits.memory), so the kernel killed it (exit code 137); "
                + _restart_words(pod, c)
            )
        elif (
            post_start
            and "postStart" in (specs[c.name].lifecycle or ())
            and (c.restart_count or c.state != "running")
        ):
            out.append(
                f"{c.name}'s postStart hook failed (FailedPostStartHook): the kubelet kills the "
                "container and restarts it under its restart policy, with a growing back-off."
            )
        elif probe is not None and c.failed_bind is None:
            kind = probe.split(" failed ", 1)[1].split(" ", 1)[0]
            failures = [
                e.message
                for e in pod.events
                if e.reason == "Unhealthy" and e.message.startswith(kind.capitalize())
            ]
            why = f" ({failures[-1].strip()})" if failures else ""
            out.append(
                f"{c.name} failed its {kind} probe{why}; the kubelet kills it and restarts it "
                "with a growing back-off."
            )
        elif c.failed_bind is not None and (
            c.reason == "CrashLoopBackOff" or (c.state == "terminated" and c.exit_code)
        ):
            why = c.logs[-1] if c.logs else f"exit code {c.exit_code}"
            holder = ", ".join(
                f"{owner} on {where}" for where, owner in held.items() if owner != c.name
            )
            out.append(
                f"{c.name} failed ({why}); the pod's other listeners: {holder or 'none'}. "
                "Containers of a pod share one network namespace, so two servers cannot "
                "bind the same port; the kubelet restarts it with a growing back-off."
            )
        elif c.reason == "CrashLoopBackOff" or (c.state == "terminated" and c.exit_code):
            why = f": {c.logs[-1]}" if c.logs else ""
            what = "init container " if c.kind == "init" else ""
            waits = (
                " The app containers do not start until every init container has succeeded."
                if c.kind == "init"
                else ""
            )
            out.append(
                f"{what}{c.name} exited with code {c.exit_code}{why}; "
                + _restart_words(pod, c)
                + waits
            )
        elif c.state == "terminated" and c.reason == "Completed" and c.kind == "app":
            out.append(
                f"{c.name} ran to completion (exit code 0) and stays Completed: restartPolicy "
                f"{_policy(pod, c)} does not restart a container that succeeded."
            )
        elif c.reason in ("ErrImagePull", "ImagePullBackOff"):
            from podmodel.kubelet._pull import near_miss

            near = near_miss(node.catalogue, c.image)
            hint = f' (did you mean "{near}"?)' if near else ""
            out.append(
                f'{c.name} cannot start: image "{c.image}" could not be pulled{hint}; the '
                "kubelet retries the pull with a growing back-off (ImagePullBackOff)."
            )
        elif c.reason in (
            "CreateContainerConfigError",
            "RunContainerError",
            "InvalidImageName",
            "ErrImageNeverPull",
        ):
            out.append(
                f"{c.name} cannot start ({c.reason}): {c.message}; the kubelet tries again at "
                "every sync, so it starts once what is missing exists."
            )
    for row in mounts(node, pod):
        if row["content"].startswith("copied from"):
            out.append(
                f"Volume {row['volume']} was empty, so its content was {row['content']} "
                "(first mount wins; real Kubernetes would leave it empty: --mode kubernetes)."
            )
    if pod.state.blocked == "Pending":
        out.append(
            f"The pod is stuck Pending: the scheduler found no node for it "
            f"({pod.events[-1].message}). A hostPort is a port of the node itself, so only one "
            "pod per node can hold a given hostPort, protocol and hostIP; it stays Pending "
            "until the pod holding it goes."
        )
    elif pod.state.blocked:
        out.append(f"The pod is stuck {pod.state.blocked}: {pod.events[-1].message}")
    status = status_cell(pod)
    done, _, total = status.removeprefix("Init:").partition("/")
    if status.startswith("Init:") and done.isdigit():
        out.insert(
            0,
            f"The pod is initializing ({status}: {done} of {total} init containers have "
            "completed): init containers run one at a time, in spec order, each to completion, "
            "before the app containers start.",
        )
    out.extend(_namespaces(pod))
    return out


def _policy(pod: RunningPod, c: ContainerStatus) -> str:
    """The restart policy the kubelet applies to *c*: a sidecar's ``Always``; an init
    container's ``OnFailure`` when the pod's is ``Always``; else the pod's."""
    policy = pod.state.pod.spec.restart_policy or "Always"
    if c.kind == "sidecar":
        return "Always"
    if c.kind == "init" and policy == "Always":
        return "OnFailure"
    return policy


def _restart_words(pod: RunningPod, c: ContainerStatus) -> str:
    policy = _policy(pod, c)
    if policy == "Never":
        failed = " and the pod is Failed" if pod.phase == "Failed" else ""
        return f"restartPolicy Never: the kubelet does not restart it{failed}."
    return (
        f"restartPolicy {policy}: the kubelet restarts it with a growing back-off "
        "(10s, 20s, 40s, ... up to 5m: CrashLoopBackOff)."
    )


def _namespaces(pod: RunningPod) -> list[str]:
    """What the pod's containers share: the network and UTS namespaces of the pod (or, with
    hostNetwork, the node's); each keeps its own mount namespace."""
    names = [c.name for c in pod.containers if c.kind != "init"]
    if pod.state.pod.spec.host_network:
        return [
            f"hostNetwork: the pod uses the node's own network and UTS namespaces, so its "
            f"containers have the node's IP ({pod.ip}) and hostname ({pod.hostname}) and their "
            "ports are the node's ports."
        ]
    if len(names) < 2 or pod.ip is None:
        return []
    return [
        f"The {len(names)} containers ({', '.join(names)}) share the pod's network namespace "
        f"(one IP, {pod.ip}; one localhost; one set of ports) and its UTS namespace (one "
        f"hostname, {pod.hostname}), both held by the pause container; each has its own file "
        "system and sees another's files only through a shared volume."
    ]


def pod_json(node: Node, pod: RunningPod) -> dict[str, Any]:
    """A stable JSON shape for tools."""
    return {
        "name": pod.name,
        "ip": pod.ip,
        "hostname": pod.hostname,
        "phase": pod.phase,
        "status": pod.status,
        "ready": pod.ready,
        "restarts": pod.restarts,
        "containers": [
            {
                "name": c.name,
                "kind": c.kind,
                "image": c.image,
                "state": c.state,
                "reason": c.reason,
                "message": c.message,
                "exitCode": c.exit_code,
                "restartCount": c.restart_count,
                "logs": list(c.logs),
            }
            for c in pod.containers
        ],
        "listening": [{"container": o, "address": w} for o, w in listeners(pod)],
        "volumes": mounts(node, pod),
        "events": [
            {
                "time": e.time,
                "firstTime": e.first_time,
                "count": e.count,
                "type": e.type,
                "reason": e.reason,
                "from": e.source,
                "message": e.message,
            }
            for e in pod.events
        ],
    }
