"""What ``podmodel run`` prints about a running pod (private): kubectl-like tables, a network and
mount summary, and one plain sentence per notable outcome (``--explain``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from podmodel.kubelet.node import Node, RunningPod

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
    get_line = pod.get_line()
    width = max(20, len(pod.status) + 3)
    padded = f"{pod.status:<{width}}"
    get_line = get_line.replace(
        padded, paint(pod.status, status_colour(pod.status)) + padded[len(pod.status) :], 1
    )
    lines = [f"{'NAME':<12}{'READY':<8}{'STATUS':<{width}}RESTARTS", get_line, ""]
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
                f"(resources.limits.memory), so the kernel killed it (exit code 137); the "
                "kubelet restarts it under its restart policy, with a growing back-off."
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
            out.append(
                f"{c.name} exited with code {c.exit_code}{why}; the kubelet restarts it under "
                "its restart policy, with a growing back-off."
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
            out.append(f"{c.name} cannot start: {c.message}")
    for row in mounts(node, pod):
        if row["content"].startswith("copied from"):
            out.append(
                f"Volume {row['volume']} was empty, so its content was {row['content']} "
                "(first mount wins; real Kubernetes would leave it empty: --mode kubernetes)."
            )
    if pod.state.blocked:
        out.append(f"The pod is stuck {pod.state.blocked}: {pod.events[-1].message}")
    return out


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
