"""A container's optional areas, valid for the Kubernetes v1.35 rules, as plain JSON (private).

:func:`enrich_container` adds to one container's manifest the areas asked for (probes, hooks,
resources, security context, env sources, devices, ...), knowing what the pod around it allows
(:class:`Context`: the pod's OS, its volumes and claims, whether the container is an init
container or a sidecar).
"""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import strategies as st

from podmodel.strategies._gen import Gen, bits, chance, lst, obj, one_key, pool

__all__ = ["CONTAINER_AREAS", "Context", "enrich_container", "pod_security_context"]

#: The container areas :func:`enrich_container` can add (names of ``areas=`` options).
CONTAINER_AREAS: tuple[str, ...] = (
    "probes",
    "lifecycle",
    "resources",
    "securityContext",
    "envFrom",
    "envValueFrom",
    "volumeDevices",
    "resizePolicy",
    "restartPolicyRules",
    "containerOptions",
    "mountOptions",
    "hostPorts",
)


@attrs.frozen
class Context:
    """What the pod allows a container: its OS, volume and claim names, its kind."""

    os: str | None = None
    claims: tuple[str, ...] = ()
    device_volumes: tuple[str, ...] = ()
    empty_dirs: tuple[str, ...] = ()
    host_users: bool = True
    host_network: bool = False


# --- handlers and probes -----------------------------------------------------------------

_PORT = pool(80, 8080, 1, 65535, "http", "a")
_EXEC = obj({"command": pool(["true"], ["cat", "/tmp/healthy"], ["sh", "-c", "exit 0"])})
_HTTP = obj(
    {"port": _PORT},
    {
        "path": pool("/", "/healthz"),
        "host": pool("localhost", "10.0.0.1"),
        "scheme": pool("HTTP", "HTTPS"),
        "httpHeaders": lst(
            obj(
                {"name": pool("X-A", "Accept", "Custom-Header")}, {"value": pool("a", "text/plain")}
            ),
            1,
            2,
        ),
    },
)
_TCP = obj({"port": _PORT}, {"host": pool("localhost", "10.0.0.1")})
_GRPC = obj({"port": pool(9090, 1, 50051)}, {"service": pool("", "health", "a")})
_SLEEP = obj({"seconds": pool(1, 0, 5)})
_PROBE_HANDLER = one_key({"exec": _EXEC, "httpGet": _HTTP, "tcpSocket": _TCP, "grpc": _GRPC})
_HOOK = one_key({"exec": _EXEC, "httpGet": _HTTP, "tcpSocket": _TCP, "sleep": _SLEEP})
_PROBE_NUMBERS = {
    "initialDelaySeconds": pool(0, 1, 10),
    "timeoutSeconds": pool(1, 5),
    "periodSeconds": pool(1, 10, 30),
    "failureThreshold": pool(1, 3),
}
_PROBES = {
    "livenessProbe": obj(
        {},
        {
            **_PROBE_NUMBERS,
            "successThreshold": pool(1),
            "terminationGracePeriodSeconds": pool(1, 30),
        },
    ),
    "readinessProbe": obj({}, {**_PROBE_NUMBERS, "successThreshold": pool(1, 2)}),
    "startupProbe": obj(
        {},
        {
            **_PROBE_NUMBERS,
            "successThreshold": pool(1),
            "terminationGracePeriodSeconds": pool(1, 30),
        },
    ),
}
_PROBE_MASK = bits(3)


def _probes(draw: st.DrawFn, c: dict[str, Any], ctx: Context) -> None:
    m = _PROBE_MASK(draw) or 1
    for i, (key, numbers) in enumerate(_PROBES.items()):
        if m >> i & 1:
            c[key] = {**_PROBE_HANDLER(draw), **numbers(draw)}


_SIGNALS = {
    "linux": pool("SIGTERM", "SIGKILL", "SIGINT", "SIGQUIT", "SIGUSR1", "SIGRTMIN+1", "SIGHUP"),
    "windows": pool("SIGTERM", "SIGKILL"),
}
_HOOK_MASK = bits(3)


def _lifecycle(draw: st.DrawFn, c: dict[str, Any], ctx: Context) -> None:
    m = _HOOK_MASK(draw) or 1
    out: dict[str, Any] = {}
    if m & 1:
        out["postStart"] = _HOOK(draw)
    if m & 2:
        out["preStop"] = _HOOK(draw)
    if m & 4 and ctx.os is not None:  # stopSignal needs spec.os.name
        out["stopSignal"] = _SIGNALS[ctx.os](draw)
    c["lifecycle"] = out or {"preStop": _HOOK(draw)}


# --- resources ---------------------------------------------------------------------------

_PAIRS = {  # (request, limit), request <= limit
    "cpu": pool(("1", None), ("100m", "200m"), (None, "500m"), ("250m", "1"), ("0.5", "0.5")),
    "memory": pool(("64Mi", None), ("64Mi", "128Mi"), (None, "1Gi"), ("128974848", "129e6")),
    "ephemeral-storage": pool(("1Gi", None), ("500Mi", "2Gi"), (None, "1G")),
    "hugepages-2Mi": pool(("2Mi", "2Mi"), (None, "4Mi")),
    "example.com/gpu": pool(("1", "1"), (None, "2")),
}
_RES_MASK = bits(len(_PAIRS))


def resources(draw: st.DrawFn, claims: tuple[str, ...]) -> dict[str, Any]:
    """``resources`` of a container (requests <= limits; huge pages with cpu or memory;
    extended resources with requests == limits) and claims of the pod's *claims*."""
    m = _RES_MASK(draw) or 1
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    for i, (name, pairs) in enumerate(_PAIRS.items()):
        if m >> i & 1:
            req, lim = pairs(draw)
            if req is not None:
                requests[name] = req
            if lim is not None:
                limits[name] = lim
    if "hugepages-2Mi" in limits and not ({"cpu", "memory"} & (set(requests) | set(limits))):
        requests["memory"] = "64Mi"
    out: dict[str, Any] = {}
    if requests:
        out["requests"] = requests
    if limits:
        out["limits"] = limits
    if claims and chance(draw):
        name = draw(st.sampled_from(claims))
        claim: dict[str, Any] = {"name": name}
        if chance(draw):
            claim["request"] = pool("gpu", "a")(draw)
        out["claims"] = [claim]
    return out


def _resources(draw: st.DrawFn, c: dict[str, Any], ctx: Context) -> None:
    c["resources"] = resources(draw, ctx.claims)


_RESIZE = pool(
    [{"resourceName": "cpu", "restartPolicy": "NotRequired"}],
    [{"resourceName": "memory", "restartPolicy": "RestartContainer"}],
    [
        {"resourceName": "cpu", "restartPolicy": "RestartContainer"},
        {"resourceName": "memory", "restartPolicy": "NotRequired"},
    ],
)


def _resize(draw: st.DrawFn, c: dict[str, Any], ctx: Context) -> None:
    c["resizePolicy"] = _RESIZE(draw)


_RULES = lst(
    obj(
        {"action": pool("Restart")},
        {
            "exitCodes": pool(
                {"operator": "In", "values": [1]},
                {"operator": "NotIn", "values": [0, 2]},
                {"operator": "In", "values": [42, 137]},
            )
        },
    ),
    1,
    2,
)


def _restart_rules(draw: st.DrawFn, c: dict[str, Any], ctx: Context) -> None:
    rules = _RULES(draw)
    for r in rules:
        r.setdefault("exitCodes", {"operator": "In", "values": [1]})
    c["restartPolicy"] = pool("Never", "OnFailure", "Always")(draw)
    c["restartPolicyRules"] = rules


# --- security ----------------------------------------------------------------------------

_SELINUX = obj(
    {},
    {
        "user": pool("system_u"),
        "role": pool("system_r", "object_r"),
        "type": pool("spc_t", "container_t"),
        "level": pool("s0:c123,c456", "s0"),
    },
)
_SECCOMP = pool(
    {"type": "RuntimeDefault"},
    {"type": "Unconfined"},
    {"type": "Localhost", "localhostProfile": "profiles/audit.json"},
)
_APPARMOR = pool(
    {"type": "RuntimeDefault"},
    {"type": "Unconfined"},
    {"type": "Localhost", "localhostProfile": "k8s-apparmor-example"},
)
_WINDOWS = obj(
    {},
    {
        "gmsaCredentialSpecName": pool("webapp1"),
        "gmsaCredentialSpec": pool('{"a": 1}'),
        "runAsUserName": pool("ContainerUser", "NT AUTHORITY\\NETWORK SERVICE"),
        "hostProcess": pool(False),
    },
)
_LINUX_CONTAINER = obj(
    {},
    {
        "privileged": pool(False, True),
        "allowPrivilegeEscalation": pool(False, True),
        "capabilities": obj(
            {},
            {"add": pool(["NET_ADMIN"], ["SYS_TIME", "CHOWN"]), "drop": pool(["ALL"], ["NET_RAW"])},
        ),
        "readOnlyRootFilesystem": pool(True, False),
        "runAsUser": pool(1000, 0, 65534),
        "runAsGroup": pool(1000, 0, 3000),
        "procMount": pool("Default", "Unmasked"),
        "seLinuxOptions": _SELINUX,
        "seccompProfile": _SECCOMP,
        "appArmorProfile": _APPARMOR,
    },
)
_COMMON = obj({}, {"runAsNonRoot": pool(True, False)})


def _fix_run_as(out: dict[str, Any]) -> None:
    if out.get("runAsNonRoot") and out.get("runAsUser") == 0:
        out["runAsUser"] = 1000


def _security(draw: st.DrawFn, c: dict[str, Any], ctx: Context) -> None:
    out = _COMMON(draw)
    if ctx.os != "windows":
        out.update(_LINUX_CONTAINER(draw))
        if out.get("procMount") == "Unmasked" and ctx.host_users:
            out["procMount"] = "Default"
        caps = out.get("capabilities", {}).get("add", ())
        if out.get("allowPrivilegeEscalation") is False and (
            out.get("privileged") or "SYS_ADMIN" in caps
        ):
            out["allowPrivilegeEscalation"] = True
    if ctx.os != "linux" and chance(draw, 3):
        out["windowsOptions"] = _WINDOWS(draw)
    _fix_run_as(out)
    c["securityContext"] = out


_POD_LINUX = obj(
    {},
    {
        "fsGroup": pool(2000, 0),
        "fsGroupChangePolicy": pool("OnRootMismatch", "Always"),
        "runAsUser": pool(1000, 0),
        "runAsGroup": pool(3000, 0),
        "supplementalGroups": pool([4000], [1000, 2000]),
        "supplementalGroupsPolicy": pool("Merge", "Strict"),
        "seLinuxOptions": _SELINUX,
        "seLinuxChangePolicy": pool("Recursive"),  # MountOption: behind a gate off in v1.35
        "seccompProfile": _SECCOMP,
        "appArmorProfile": _APPARMOR,
    },
)
_SYSCTLS = {
    "net": pool([{"name": "net.core.somaxconn", "value": "1024"}]),
    "ipc": pool([{"name": "kernel.shm_rmid_forced", "value": "0"}]),
    "other": pool([{"name": "kernel.domainname", "value": "example.com"}]),
}


def pod_security_context(
    draw: st.DrawFn, os: str | None, host_network: bool, host_ipc: bool
) -> dict[str, Any]:
    """A pod ``securityContext`` allowed for *os* (sysctls of namespaces the pod owns)."""
    out: dict[str, Any] = _COMMON(draw)
    if os != "windows":
        out.update(_POD_LINUX(draw))
        if chance(draw):
            kinds = [k for k, bad in (("net", host_network), ("ipc", host_ipc)) if not bad]
            kind = draw(st.sampled_from([*kinds, "other"]))
            out["sysctls"] = _SYSCTLS[kind](draw)
    if os != "linux" and chance(draw, 3):
        out["windowsOptions"] = _WINDOWS(draw)
    _fix_run_as(out)
    return out


# --- env, devices, options ---------------------------------------------------------------

_ENV_FROM = lst(
    one_key(
        {
            "configMapRef": obj({"name": pool("a", "app-config")}, {"optional": pool(False, True)}),
            "secretRef": obj({"name": pool("a", "my-secret")}, {"optional": pool(False, True)}),
        }
    ),
    1,
    2,
)
_PREFIX = pool("A_", "CONFIG_", "my.")


def _env_from(draw: st.DrawFn, c: dict[str, Any], ctx: Context) -> None:
    items = _ENV_FROM(draw)
    for item in items:
        if chance(draw):
            item["prefix"] = _PREFIX(draw)
    c["envFrom"] = items


_KEY_SELECTOR = obj(
    {"name": pool("a", "app-config"), "key": pool("a", "key-1")}, {"optional": pool(False, True)}
)
_VALUE_FROM: dict[str, Gen] = {
    "fieldRef": obj(
        {"fieldPath": pool("metadata.name", "status.podIP", "spec.nodeName")},
        {"apiVersion": pool("v1")},
    ),
    "resourceFieldRef": pool(
        {"resource": "limits.cpu"},
        {"resource": "requests.memory", "divisor": "1Mi"},
        {"resource": "limits.memory", "divisor": "1"},
        {"resource": "requests.cpu", "divisor": "1m"},
    ),
    "configMapKeyRef": _KEY_SELECTOR,
    "secretKeyRef": _KEY_SELECTOR,
    "fileKeyRef": obj(
        {"path": pool("env.txt", "a/b"), "key": pool("A", "key-1")}, {"optional": pool(False, True)}
    ),
}
_VALUE_KINDS = st.sampled_from(tuple(_VALUE_FROM))
_ENV_NAME_PAIRS = pool(("A",), ("B", "HOME_DIR"), ("my.var",), ("X-1", "A"))


def _env_value_from(draw: st.DrawFn, c: dict[str, Any], ctx: Context) -> None:
    taken = {e.get("name") for e in c.get("env", ())}
    env = list(c.get("env", ()))
    for name in _ENV_NAME_PAIRS(draw):
        if name in taken:
            continue
        kind = "fileKeyRef" if ctx.empty_dirs and chance(draw, 3) else draw(_VALUE_KINDS)
        if kind == "fileKeyRef" and not ctx.empty_dirs:
            kind = "fieldRef"
        source = _VALUE_FROM[kind](draw)
        if kind == "resourceFieldRef":
            source = {**source, "containerName": c["name"]} if chance(draw) else dict(source)
        elif kind == "fileKeyRef":
            source["volumeName"] = ctx.empty_dirs[0]
        env.append({"name": name, "valueFrom": {kind: source}})
    c["env"] = env


def _devices(draw: st.DrawFn, c: dict[str, Any], ctx: Context) -> None:
    mounted = {m["name"] for m in c.get("volumeMounts", ())}
    free = [v for v in ctx.device_volumes if v not in mounted]
    if not free or not ctx.host_users:  # no devices in a user namespace
        return
    names = draw(st.lists(st.sampled_from(free), min_size=1, max_size=2, unique=True))
    c["volumeDevices"] = [
        {"name": n, "devicePath": f"/dev/xvd{chr(97 + i)}"} for i, n in enumerate(names)
    ]


_OPTIONS = obj(
    {},
    {
        "args": pool(["a"], ["--port", "80"], ["-c", "echo hi"]),
        "workingDir": pool("/", "/app"),
        "stdin": pool(True, False),
        "stdinOnce": pool(True, False),
        "tty": pool(True, False),
        "terminationMessagePath": pool("/dev/termination-log", "/tmp/msg"),
        "terminationMessagePolicy": pool("File", "FallbackToLogsOnError"),
        "imagePullPolicy": pool("IfNotPresent", "Always", "Never"),
    },
)


def _options(draw: st.DrawFn, c: dict[str, Any], ctx: Context) -> None:
    c.update(_OPTIONS(draw))


_MOUNT_OPTIONS = pool(
    {"mountPropagation": "None"},
    {"mountPropagation": "HostToContainer"},
    {"readOnly": True, "recursiveReadOnly": "IfPossible"},
    {"readOnly": True, "recursiveReadOnly": "Enabled"},
    {"recursiveReadOnly": "Disabled"},
    {"subPathExpr": "$(POD_NAME)"},
    {"mountPropagation": "Bidirectional"},
)


def _mount_options(draw: st.DrawFn, c: dict[str, Any], ctx: Context) -> None:
    mounts = c.get("volumeMounts")
    if not mounts:
        return
    m = dict(_MOUNT_OPTIONS(draw))
    target = dict(mounts[0])
    if "subPathExpr" in m:
        target.pop("subPath", None)
    if m.get("mountPropagation") == "Bidirectional":
        sc = dict(c.get("securityContext") or {})
        if ctx.os == "windows":
            m["mountPropagation"] = "HostToContainer"
        else:
            sc["privileged"] = True
            if sc.get("allowPrivilegeEscalation") is False:
                sc["allowPrivilegeEscalation"] = True
            c["securityContext"] = sc
    target.update(m)
    c["volumeMounts"] = [target, *mounts[1:]]


def _host_ports(draw: st.DrawFn, c: dict[str, Any], ctx: Context) -> None:
    ports = c.get("ports")
    if not ports:
        return
    first = dict(ports[0])
    first["hostPort"] = first["containerPort"] if ctx.host_network else pool(8080, 80, 30001)(draw)
    if chance(draw):
        first["hostIP"] = pool("0.0.0.0", "127.0.0.1", "::")(draw)
    c["ports"] = [first, *ports[1:]]


_AREA_FUNCS = {
    "probes": _probes,
    "lifecycle": _lifecycle,
    "resources": _resources,
    "securityContext": _security,
    "envFrom": _env_from,
    "envValueFrom": _env_value_from,
    "volumeDevices": _devices,
    "resizePolicy": _resize,
    "restartPolicyRules": _restart_rules,
    "containerOptions": _options,
    "mountOptions": _mount_options,
    "hostPorts": _host_ports,
}
#: areas a plain (run-to-completion) init container may not have
_NOT_FOR_INIT = frozenset({"probes", "lifecycle", "resizePolicy"})


def enrich_container(
    draw: st.DrawFn, c: dict[str, Any], ctx: Context, areas: tuple[str, ...], kind: str
) -> None:
    """Add a drawn subset of *areas* to container *c* (a manifest dict), of *kind* ``app``,
    ``init`` or ``sidecar``."""
    if kind == "init":
        areas = tuple(a for a in areas if a not in _NOT_FOR_INIT)
    elif kind == "sidecar":
        areas = tuple(a for a in areas if a != "restartPolicyRules")
    if not areas:
        return
    for area in areas:  # one choice right before each area: it shrinks away whole
        # a sidecar is the only init container with probes and hooks: drawn more often
        often = kind == "sidecar" and area in ("probes", "lifecycle")
        if draw(_OFTEN) != 0 if often else draw(_ON):
            _AREA_FUNCS[area](draw, c, ctx)
    if kind == "init" and c.get("restartPolicy") == "Always":
        c["restartPolicy"] = "Never"  # an init container with rules: not a sidecar


_ON = st.booleans()
_OFTEN = st.integers(0, 3)
