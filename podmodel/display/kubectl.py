"""What ``kubectl get pods`` and ``kubectl describe pod`` print, as pure functions of a running pod.

The rules are kubectl's own (v1.35): ``printPod`` of ``pkg/printers/internalversion`` for the
``READY``/``STATUS``/``RESTARTS``/``AGE`` cells (restartable init containers count in ``READY``,
the last container with a waiting or terminated reason names the ``STATUS``, ``NotReady`` for a
completed container beside a running one in a pod that is not ready, ``Terminating`` for a
deleted pod, ``RESTARTS`` as ``2 (14s ago)``), ``describePod`` of ``kubectl/pkg/describe`` for
the description, and Go's ``text/tabwriter`` for the columns (``get``: 3 spaces of padding;
``describe``: 2, with the events table flushed on its own). Simulated time 0 is
:data:`~podmodel.kubelet.shell.EPOCH` (2026-01-01T00:00:00Z), so ``Start Time`` and
``Started`` are dates.

>>> import podmodel
>>> pod = podmodel.loads('''
... apiVersion: v1
... kind: Pod
... metadata: {name: mypod}
... spec:
...   containers:
...   - {name: mycon1, image: nginx}
...   - {name: mycon2, image: nginx}
... ''')
>>> print(get_pods(podmodel.Node().start(pod).advance(30)))
NAME    READY   STATUS             RESTARTS      AGE
mypod   1/2     CrashLoopBackOff   2 (14s ago)   30s
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from podmodel.kubelet.lifecycle import human_duration

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from podmodel.kubelet.node import Node, RunningPod
    from podmodel.kubelet.state import ContainerStatus
    from podmodel.model.spec import Container, Pod

__all__ = [
    "conditions",
    "describe_pod",
    "get_pods",
    "pod_row",
    "restarts_cell",
    "status_cell",
    "tabwriter",
]


def tabwriter(text: str, padding: int, minwidth: int = 0) -> str:
    """*text* aligned as Go's ``text/tabwriter`` aligns it (space padding, no flags): a cell is
    text ending in a tab; a column block is a run of consecutive lines that all have a cell in
    that column, and each block is as wide as its widest cell plus *padding*.

    >>> print(tabwriter("a\\tb\\tc\\nlonger\\tb\\nx\\n\\ty", 2))
    a       b  c
    longer  b
    x
      y
    """
    lines = [line.split("\t") for line in text.split("\n")]
    widths: list[int] = []
    out: list[str] = []

    def write(lo: int, hi: int) -> None:
        for line in lines[lo:hi]:
            cells = [
                cell.ljust(widths[j]) if j < len(widths) and j < len(line) - 1 else cell
                for j, cell in enumerate(line)
            ]
            out.append("".join(cells))

    def fmt(line0: int, line1: int) -> None:
        column = len(widths)
        this = line0
        while this < line1:
            if column >= len(lines[this]) - 1:
                this += 1
                continue
            write(line0, this)
            line0 = this
            width = minwidth
            while this < line1 and column < len(lines[this]) - 1:
                width = max(width, len(lines[this][column]) + padding)
                this += 1
            widths.append(width)
            fmt(line0, this)
            widths.pop()
            line0 = this
        write(line0, line1)

    fmt(0, len(lines))
    return "\n".join(out)


# ---- kubectl get pods ----


def _spec_containers(pod: Pod) -> dict[str, Container]:
    return {c.name or "": c for c in (*pod.spec.init_containers, *pod.spec.containers)}


def _last_termination(c: ContainerStatus) -> float | None:
    """When the container's last terminated instance finished (``lastState.terminated``), if
    it has restarted: the exit of the instance now waiting to restart, or of the one before
    the instance that runs."""
    if c.restart_count == 0:
        return None
    return c.last_finished_at


def _ready_condition(p: RunningPod) -> bool:
    return all(c.ready for c in p.containers if c.counts_for_ready) and _initialized(p)


def _initialized(p: RunningPod) -> bool:
    return all(
        (c.kind == "init" and c.state == "terminated" and c.exit_code == 0)
        or (c.kind == "sidecar" and c.started_at is not None)
        for c in p.containers
        if c.kind != "app"
    )


def _terminated_reason(c: ContainerStatus, prefix: str = "") -> str:
    if c.reason:
        return prefix + c.reason
    return f"{prefix}ExitCode:{c.exit_code or 0}"


def _init_reason(p: RunningPod) -> tuple[str | None, int]:
    """``printPod``'s walk over the init containers (sidecars included): the ``Init:`` status
    while the pod initializes (``None`` once it has), and how many init statuses it read."""
    inits = [c for c in p.containers if c.kind != "app"]
    for i, c in enumerate(inits):
        if c.state == "terminated" and c.exit_code == 0:
            continue
        if c.kind == "sidecar" and c.state == "running":
            continue  # a started sidecar
        if c.state == "terminated":
            return _terminated_reason(c, "Init:"), i + 1
        not_started = c.reason == "ContainerCreating" and c.started_at is None
        if c.state == "waiting" and c.reason and c.reason != "PodInitializing" and not not_started:
            return "Init:" + c.reason, i + 1
        return f"Init:{i}/{len(inits)}", i + 1
    return None, len(inits)


def status_cell(p: RunningPod) -> str:
    """The ``STATUS`` cell of *p*'s row (``printPod``'s rules on the pod's container statuses).

    The simulator's own states shown as kubectl shows them: a pod the scheduler could not place
    has no container statuses yet, so its phase, ``Pending``; a container not yet created (the
    kubelet's ``PodInitializing`` for an init container) counts as waiting to start."""
    st = p.state
    if st.blocked == "Pending":
        return "Pending"
    reason, _ = _init_reason(p)
    if reason is None:
        reason = p.phase
        running = False
        for c in reversed([x for x in p.containers if x.kind == "app"]):
            if c.state == "waiting" and c.reason:
                reason = c.reason
            elif c.state == "terminated":
                reason = _terminated_reason(c)
            elif c.state == "running" and c.hook_until is not None:
                reason = "ContainerCreating"  # postStart has not returned: still "Created"
            elif c.ready:
                running = True
        if reason == "Completed" and running:
            reason = "Running" if _ready_condition(p) else "NotReady"
    if st.deleting is not None and p.phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    return reason


def restarts_cell(p: RunningPod, now: float) -> str:
    """The ``RESTARTS`` cell: the restart count, and how long ago the last restart was
    (``2 (14s ago)``). While the pod initializes, the init containers read so far count; once
    it has, the sidecars and the app containers."""
    reason, read = _init_reason(p)
    if reason is not None and p.state.blocked != "Pending":
        counted = [c for c in p.containers if c.kind != "app"][:read]
    else:
        counted = [c for c in p.containers if c.kind != "init"]
    restarts = sum(c.restart_count for c in counted)
    last = [t for c in counted if (t := _last_termination(c)) is not None]
    if restarts and last:
        return f"{restarts} ({human_duration(now - max(last))} ago)"
    return str(restarts)


def _created(p: RunningPod) -> float:
    """When the pod was created: its first event (``Scheduled`` or ``FailedScheduling``) is
    recorded then."""
    times = [e.first_time for e in p.state.events]
    return min(times) if times else 0.0


def pod_row(p: RunningPod, now: float, created: float | None = None) -> tuple[str, ...]:
    """``(NAME, READY, STATUS, RESTARTS, AGE)`` of *p* at *now* (AGE from *created*, else from
    the pod's first event)."""
    counted = [c for c in p.containers if c.counts_for_ready]
    ready = sum(1 for c in counted if c.ready)
    born = _created(p) if created is None else created
    return (
        p.name,
        f"{ready}/{len(counted)}",
        status_cell(p),
        restarts_cell(p, now),
        human_duration(now - born),
    )


def get_pods(
    pods: Node | Iterable[RunningPod],
    now: float | None = None,
    *,
    all_namespaces: bool = False,
    created: Mapping[str, float] | None = None,
) -> str:
    """The table ``kubectl get pods`` prints for *pods* (a node: every pod on it, sorted by
    namespace and name) at *now* (default: the node's clock); ``NAMESPACE`` first with
    *all_namespaces*; *created* maps ``namespace/name`` to a creation time. Columns are padded
    by 3 spaces, as kubectl's tabwriter does, so they never run together."""
    if hasattr(pods, "pods") and hasattr(pods, "pod"):
        node: Any = pods
        running = [node.pod(*reversed(key.split("/", 1))) for key in sorted(node.pods)]
    else:
        running = list(pods)
    rows = [("NAMESPACE",) * all_namespaces + ("NAME", "READY", "STATUS", "RESTARTS", "AGE")]
    for p in running:
        at = p.node.clock if now is None else now
        born = (created or {}).get(p.state.key)
        space = p.state.key.split("/", 1)[0]
        rows.append((space,) * all_namespaces + pod_row(p, at, born))
    return tabwriter("\n".join("\t".join(row) for row in rows), 3, 6)


# ---- kubectl describe pod ----


def _date(seconds: float) -> str:
    from podmodel.kubelet.shell import EPOCH

    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(EPOCH + int(seconds)))


def conditions(p: RunningPod) -> tuple[tuple[str, str], ...]:
    """The pod's conditions as ``kubectl describe`` lists them, ``(type, "True"|"False")``:
    only ``PodScheduled`` for a pod the scheduler could not place."""
    if p.state.blocked == "Pending":
        return (("PodScheduled", "False"),)
    sandbox = p.state.blocked != "ContainerCreating"
    ready = _ready_condition(p)
    done = p.phase in ("Succeeded", "Failed")
    return (
        ("PodReadyToStartContainers", str(sandbox and not done)),
        ("Initialized", str(_initialized(p))),
        ("Ready", str(ready and not done)),
        ("ContainersReady", str(ready and not done)),
        ("PodScheduled", "True"),
    )


def _multiline(key: str, pairs: Mapping[str, str]) -> list[str]:
    if not pairs:
        return [f"{key}:\t<none>"]
    return [
        f"{key + ':' if i == 0 else ''}\t{k}={v}" for i, (k, v) in enumerate(sorted(pairs.items()))
    ]


def _quantity(raw: Any) -> str:
    from podmodel.model._quantity import QuantityError, parse_quantity

    try:
        return str(parse_quantity(raw))
    except (QuantityError, TypeError):
        return str(raw)


def _probe(probe: Mapping[str, Any]) -> str:
    attrs = (
        f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
        f"period={probe.get('periodSeconds', 10)}s #success={probe.get('successThreshold', 1)} "
        f"#failure={probe.get('failureThreshold', 3)}"
    )
    if hasattr(probe.get("exec"), "get"):
        command = probe["exec"].get("command") or ()
        return f"exec [{' '.join(str(a) for a in command)}] {attrs}"
    if hasattr(probe.get("httpGet"), "get"):
        h = probe["httpGet"]
        host, port = str(h.get("host") or ""), str(h.get("port", ""))
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        scheme = str(h.get("scheme") or "HTTP").lower()
        return f"http-get {scheme}://{where}{h.get('path') or ''} {attrs}"
    if hasattr(probe.get("tcpSocket"), "get"):
        t = probe["tcpSocket"]
        return f"tcp-socket {t.get('host') or ''}:{t.get('port', '')} {attrs}"
    if hasattr(probe.get("grpc"), "get"):
        g = probe["grpc"]
        return f"grpc <pod>:{g.get('port', '')} {g.get('service') or ''} {attrs}"
    return f"unknown {attrs}"


def _field_value(p: RunningPod, path: str) -> str:
    meta = p.state.pod.metadata
    plain = {
        "metadata.name": p.name,
        "metadata.namespace": meta.namespace or "default",
        "metadata.uid": p.state.uid,
    }
    if path in plain:
        return plain[path]
    for prefix, values in (
        ("metadata.labels", meta.labels),
        ("metadata.annotations", meta.annotations),
    ):
        if path.startswith(prefix + "['") and path.endswith("']"):
            return str(values.get(path[len(prefix) + 2 : -2], ""))
    return ""  # kubectl's resolver knows metadata fields only


def _env(p: RunningPod, c: Container) -> list[str]:
    out = []
    if c.env_from:
        out.append("    Environment Variables from:")
        for e in c.env_from:
            for kind, ref in (("ConfigMap", e.get("configMapRef")), ("Secret", e.get("secretRef"))):
                if hasattr(ref, "get"):
                    optional = "true" if ref.get("optional") else "false"
                    prefix = f" with prefix '{e['prefix']}'" if e.get("prefix") else ""
                    out.append(f"      {ref.get('name')}\t{kind}{prefix}\tOptional: {optional}")
    out.append("    Environment:" + ("" if c.env else "\t<none>"))
    for var in c.env:
        source: Any = var.value_from
        if not source:
            for i, line in enumerate((var.value or "").split("\n")):
                out.append(f"      {f'{var.name}:' if i == 0 else ''}\t{line}")
            continue
        if hasattr(source.get("fieldRef"), "get"):
            ref = source["fieldRef"]
            path = str(ref.get("fieldPath", ""))
            out.append(
                f"      {var.name}:\t{_field_value(p, path)} ({ref.get('apiVersion', 'v1')}:{path})"
            )
        elif hasattr(source.get("resourceFieldRef"), "get"):
            resource = str(source["resourceFieldRef"].get("resource", ""))
            group, _, name = resource.partition(".")
            declared: Any = c.resources or {}
            limits: Any = declared.get(group) or {}
            amount = limits.get(name)
            shown = "0" if amount is None else _quantity(amount)
            if shown == "0" and resource in ("limits.cpu", "limits.memory"):
                shown = "node allocatable"
            out.append(f"      {var.name}:\t{shown} ({resource})")
        else:
            for key, words in (("secretKeyRef", "in secret"), ("configMapKeyRef", "of config map")):
                ref = source.get(key)
                if hasattr(ref, "get"):
                    optional = "true" if ref.get("optional") else "false"
                    out.append(
                        f"      {var.name}:\t<set to the key '{ref.get('key')}' {words} "
                        f"'{ref.get('name')}'>\tOptional: {optional}"
                    )
    return out


def _state_lines(title: str, c: ContainerStatus, last: bool = False) -> list[str]:
    if c.state == "running" and not last:
        return [f"    {title}:\tRunning", f"      Started:\t{_date(c.started_at or 0)}"]
    if c.state == "terminated" or last:
        out = [f"    {title}:\tTerminated"]
        reason = c.last_reason if last else c.reason
        if reason:
            out.append(f"      Reason:\t{reason}")
        code = c.last_exit_code if last else c.exit_code
        started = c.last_started_at if last else c.started_at
        finished = c.last_finished_at if last else c.finished_at
        out.append(f"      Exit Code:\t{code or 0}")
        out.append(f"      Started:\t{_date(started or 0)}")
        out.append(f"      Finished:\t{_date(finished or 0)}")
        return out
    out = [f"    {title}:\tWaiting"]
    if c.reason:
        out.append(f"      Reason:\t{c.reason}")
    return out


def _container_ready(c: ContainerStatus) -> bool:
    """``ready`` of a container's status: an init container that completed is ready too (the
    kubelet's prober manager marks it so)."""
    done = c.kind == "init" and c.state == "terminated" and c.exit_code == 0
    return c.ready or done


def _container(p: RunningPod, spec: Container, c: ContainerStatus) -> list[str]:
    lines = [f"  {c.name}:", f"    Image:\t{spec.image or ''}"]
    ports = [f"{port.container_port}/{port.protocol or 'TCP'}" for port in spec.ports]
    hosts = [f"{port.host_port or 0}/{port.protocol or 'TCP'}" for port in spec.ports]
    lines.append(f"    {'Ports' if len(ports) > 1 else 'Port'}:\t{', '.join(ports) or '<none>'}")
    lines.append(
        f"    {'Host Ports' if len(hosts) > 1 else 'Host Port'}:\t{', '.join(hosts) or '<none>'}"
    )
    for title, words in (("Command", spec.command), ("Args", spec.args)):
        if words:
            lines.append(f"    {title}:")
            lines.extend(f"      {part}" for word in words for part in word.split("\n"))
    if p.state.blocked != "Pending":  # an unscheduled pod has no container statuses yet
        lines.extend(_state_lines("State", c))
        if c.state != "terminated" and c.last_finished_at is not None:
            lines.extend(_state_lines("Last State", c, last=True))
        lines.append(f"    Ready:\t{_container_ready(c)}")
        lines.append(f"    Restart Count:\t{c.restart_count}")
    resources: Any = spec.resources or {}
    for title, key in (("Limits", "limits"), ("Requests", "requests")):
        values = resources.get(key) or {}
        if values:
            lines.append(f"    {title}:")
            lines.extend(f"      {name}:\t{_quantity(values[name])}" for name in sorted(values))
    for title, probe in (
        ("Liveness", spec.liveness_probe),
        ("Readiness", spec.readiness_probe),
        ("Startup", spec.startup_probe),
    ):
        if probe is not None:
            lines.append(f"    {title}:\t{_probe(probe)}")
    lines.extend(_env(p, spec))
    lines.append("    Mounts:" + ("" if spec.volume_mounts else "\t<none>"))
    for m in sorted(spec.volume_mounts, key=lambda m: m.mount_path or ""):
        flags = ["ro" if m.read_only else "rw"]
        if m.sub_path:
            flags.append(f'path="{m.sub_path}"')
        lines.append(f"      {m.mount_path} from {m.name} ({','.join(flags)})")
    return lines


_VOLUME_TYPES = {
    "configMap": ("ConfigMap (a volume populated by a ConfigMap)", (("Name", "name"),)),
    "secret": ("Secret (a volume populated by a Secret)", (("SecretName", "secretName"),)),
    "persistentVolumeClaim": (
        "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
        (("ClaimName", "claimName"), ("ReadOnly", "readOnly")),
    ),
}


def _volumes(pod: Pod) -> list[str]:
    from podmodel.model.spec import EmptyDir, HostPath, OtherVolumeSource

    if not pod.spec.volumes:
        return ["Volumes:\t<none>"]
    lines = ["Volumes:"]
    for v in pod.spec.volumes:
        lines.append(f"  {v.name}:")
        src = v.source
        if isinstance(src, HostPath):
            lines.append("    Type:\tHostPath (bare host directory volume)")
            lines.append(f"    Path:\t{src.path or ''}")
            lines.append(f"    HostPathType:\t{src.type or ''}")
        elif isinstance(src, EmptyDir) or src is None:
            size = src.size_limit if isinstance(src, EmptyDir) else None
            medium = src.medium if isinstance(src, EmptyDir) else None
            lines.append("    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)")
            lines.append(f"    Medium:\t{medium or ''}")
            shown = _quantity(size) if size not in (None, 0, "0") else "<unset>"
            lines.append(f"    SizeLimit:\t{shown}")
        elif isinstance(src, OtherVolumeSource) and src.kind in _VOLUME_TYPES:
            words, fields = _VOLUME_TYPES[src.kind]
            lines.append(f"    Type:\t{words}")
            for title, key in fields:
                value = src.fields.get(key)
                lines.append(f"    {title}:\t{'' if value is None else _go(value)}")
            if src.kind != "persistentVolumeClaim":
                lines.append(f"    Optional:\t{_go(bool(src.fields.get('optional')))}")
        elif isinstance(src, OtherVolumeSource) and src.kind == "downwardAPI":
            lines.append("    Type:\tDownwardAPI (a volume populated by information about the pod)")
            lines.append("    Items:")
            for item in src.fields.get("items") or ():
                ref = item.get("fieldRef") or item.get("resourceFieldRef") or {}
                what = ref.get("fieldPath") or ref.get("resource")
                lines.append(f"      {what} -> {item.get('path')}")
        elif isinstance(src, OtherVolumeSource) and src.kind == "projected":
            lines.append(
                "    Type:\tProjected (a volume that contains injected data from multiple sources)"
            )
            for s in src.fields.get("sources") or ():
                if hasattr(s.get("secret"), "get"):
                    lines.append(f"    SecretName:\t{s['secret'].get('name')}")
                    lines.append(f"    Optional:\t{_go(bool(s['secret'].get('optional')))}")
                elif s.get("downwardAPI") is not None:
                    lines.append("    DownwardAPI:\ttrue")
                elif hasattr(s.get("configMap"), "get"):
                    lines.append(f"    ConfigMapName:\t{s['configMap'].get('name')}")
                    lines.append(f"    Optional:\t{_go(bool(s['configMap'].get('optional')))}")
                elif hasattr(s.get("serviceAccountToken"), "get"):
                    seconds = s["serviceAccountToken"].get("expirationSeconds", 3600)
                    lines.append(f"    TokenExpirationSeconds:\t{seconds}")
        else:
            lines.append("  <unknown>")
    return lines


def _go(value: Any) -> str:
    """A value as Go's ``%v`` prints it (booleans in lower case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _tolerations(pod: Pod) -> list[str]:
    tolerations = pod.spec.tolerations
    if not tolerations:
        return ["Tolerations:\t<none>"]
    lines = []
    for i, t in enumerate(tolerations):
        text = str(t.get("key") or "")
        if t.get("value"):
            text += f"={t['value']}"
        if t.get("effect"):
            text += f":{t['effect']}"
        if t.get("operator") == "Exists" and not t.get("value"):
            text += " op=Exists"
        if t.get("tolerationSeconds") is not None:
            text += f" for {t['tolerationSeconds']}s"
        lines.append(f"{'Tolerations:' if i == 0 else ''}\t{text}")
    return lines


def _controller(pod: Pod) -> str:
    for ref in pod.metadata.owner_references:
        if hasattr(ref, "get") and ref.get("controller"):
            return f"{ref.get('kind')}/{ref.get('name')}"
    return ""


def describe_pod(p: RunningPod, now: float | None = None) -> str:
    """What ``kubectl describe pod`` prints for *p* at *now* (default: the node's clock): the
    pod's fields, each container's ports, state, last state, readiness, restart count,
    resources, probes, environment and mounts, the conditions, volumes, QoS class, tolerations
    and the events, in kubectl's order and alignment. The pod is shown as the node holds it
    (after API defaulting, before admission: no ``Service Account`` or token volume is added).
    """
    from podmodel.apiserver.defaults import apply_defaults

    at = p.node.clock if now is None else now
    pod = apply_defaults(p.state.pod)
    meta = pod.metadata
    placed = p.state.blocked != "Pending"
    lines = [f"Name:\t{p.name}", f"Namespace:\t{meta.namespace or 'default'}"]
    if pod.spec.priority is not None:
        lines.append(f"Priority:\t{pod.spec.priority}")
    if pod.spec.priority_class_name:
        lines.append(f"Priority Class Name:\t{pod.spec.priority_class_name}")
    if pod.spec.service_account_name:
        lines.append(f"Service Account:\t{pod.spec.service_account_name}")
    lines.append(f"Node:\t{p.node.name}/{p.node.ip}" if placed else "Node:\t<none>")
    if placed:
        lines.append(f"Start Time:\t{_date(_created(p))}")
    lines += _multiline("Labels", meta.labels)
    lines += _multiline("Annotations", meta.annotations)
    if p.state.deleting is not None and p.phase not in ("Succeeded", "Failed"):
        lines.append(f"Status:\tTerminating (lasts {human_duration(at - p.state.deleting)})")
        lines.append(f"Termination Grace Period:\t{int(p.state.grace or 0)}s")
    else:
        lines.append(f"Status:\t{p.phase}")
    lines.append(f"IP:\t{p.ip or ''}")
    lines.append(f"IPs:\n  IP:\t{p.ip}" if p.ip else "IPs:\t<none>")
    if controller := _controller(pod):
        lines.append(f"Controlled By:\t{controller}")
    specs = _spec_containers(pod)
    for title, kinds in (("Init Containers", ("init", "sidecar")), ("Containers", ("app",))):
        shown = [c for c in p.containers if c.kind in kinds]
        if not shown and title == "Init Containers":
            continue
        lines.append(f"{title}:" + ("" if shown else " <none>"))
        for c in shown:
            lines += _container(p, specs[c.name], c)
    lines.append("Conditions:\n  Type\tStatus")
    lines += [f"  {kind} \t{status} " for kind, status in conditions(p)]
    lines += _volumes(pod)
    lines.append(f"QoS Class:\t{p.qos_class}")
    lines += _multiline("Node-Selectors", pod.spec.node_selector)
    lines += _tolerations(pod)
    events = p.state.events
    if not events:
        lines.append("Events:\t<none>")
        return tabwriter("\n".join(lines), 2)
    rows = ["Events:", "  Type\tReason\tAge\tFrom\tMessage", "  ----\t------\t----\t----\t-------"]
    for e in events:
        age = human_duration(at - e.first_time)
        if e.count > 1:
            age = f"{human_duration(at - e.time)} (x{e.count} over {age})"
        rows.append(f"  {e.type}\t{e.reason}\t{age}\t{e.source}\t{e.message.strip()}")
    return tabwriter("\n".join(lines), 2) + "\n" + tabwriter("\n".join(rows), 2)
