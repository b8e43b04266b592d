"""A pod's optional areas below ``spec`` and ``metadata``, valid for Kubernetes v1.35, as plain
JSON (private): scheduling (affinity, tolerations, spread), DNS, host aliases, gates, OS,
overhead, claims, pod-level resources and security, and the rarer metadata fields.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from podmodel.strategies._gen import Gen, chance, lst, obj, pool, unique_pool

__all__ = ["METADATA_AREAS", "SPEC_AREAS", "metadata_areas", "spec_area"]

#: The pod-level areas (names of ``areas=`` options).
SPEC_AREAS: tuple[str, ...] = (
    "os",
    "affinity",
    "tolerations",
    "topologySpreadConstraints",
    "dnsConfig",
    "hostAliases",
    "readinessGates",
    "schedulingGates",
    "overhead",
    "resourceClaims",
    "podResources",
    "podSecurityContext",
    "imagePullSecrets",
    "podOptions",
    "hostNamespaces",
    "workloadRef",
)
#: The metadata areas.
METADATA_AREAS: tuple[str, ...] = ("ownership", "systemFields")

_KEYS = ("app", "example.com/tier", "env")
_VALUES = pool(["a"], ["a", "b"], ["web", "db"])


def _label_requirement(draw: st.DrawFn) -> dict[str, Any]:
    op = pool("In", "NotIn", "Exists", "DoesNotExist")(draw)
    out: dict[str, Any] = {"key": draw(st.sampled_from(_KEYS)), "operator": op}
    if op in ("In", "NotIn"):
        out["values"] = _VALUES(draw)
    return out


def _selector(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if chance(draw):
        out["matchLabels"] = pool({"app": "a"}, {"app": "web", "example.com/tier": "db"})(draw)
    if chance(draw) or not out:
        out["matchExpressions"] = [_label_requirement(draw) for _ in range(draw(st.integers(1, 2)))]
    return out


def _node_requirement(draw: st.DrawFn) -> dict[str, Any]:
    op = pool("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")(draw)
    out: dict[str, Any] = {"key": pool("a", "kubernetes.io/os", "disktype")(draw), "operator": op}
    if op in ("In", "NotIn"):
        out["values"] = _VALUES(draw)
    elif op in ("Gt", "Lt"):
        out["values"] = [pool("1", "100")(draw)]
    return out


def _node_term(draw: st.DrawFn) -> dict[str, Any]:
    m = draw(st.integers(1, 3))
    out: dict[str, Any] = {}
    if m & 1:
        out["matchExpressions"] = [_node_requirement(draw) for _ in range(draw(st.integers(1, 2)))]
    if m & 2:
        out["matchFields"] = [
            {"key": "metadata.name", "operator": pool("In", "NotIn")(draw), "values": ["node-1"]}
        ]
    return out


_WEIGHT = pool(1, 100, 50)


def _node_affinity(draw: st.DrawFn) -> dict[str, Any]:
    m = draw(st.integers(1, 3))
    out: dict[str, Any] = {}
    if m & 1:
        out["requiredDuringSchedulingIgnoredDuringExecution"] = {
            "nodeSelectorTerms": [_node_term(draw) for _ in range(draw(st.integers(1, 2)))]
        }
    if m & 2:
        out["preferredDuringSchedulingIgnoredDuringExecution"] = [
            {"weight": _WEIGHT(draw), "preference": _node_term(draw)}
        ]
    return out


_TOPOLOGY_KEYS = pool("kubernetes.io/hostname", "topology.kubernetes.io/zone", "a")


def _pod_term(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {"topologyKey": _TOPOLOGY_KEYS(draw)}
    m = draw(st.integers(0, 15))
    if m & 1:
        out["labelSelector"] = _selector(draw)
        keys = ["pod-template-hash", "version"]
        if m & 4:
            out["matchLabelKeys"] = [keys[0]]
        if m & 8:
            out["mismatchLabelKeys"] = [keys[1]]
    if m & 2:
        out["namespaces"] = pool(["default"], ["a", "kube-system"])(draw)
    if chance(draw):
        out["namespaceSelector"] = {} if chance(draw, 4) else _selector(draw)
    return out


def _pod_affinity(draw: st.DrawFn) -> dict[str, Any]:
    m = draw(st.integers(1, 3))
    out: dict[str, Any] = {}
    if m & 1:
        out["requiredDuringSchedulingIgnoredDuringExecution"] = [_pod_term(draw)]
    if m & 2:
        out["preferredDuringSchedulingIgnoredDuringExecution"] = [
            {"weight": _WEIGHT(draw), "podAffinityTerm": _pod_term(draw)}
        ]
    return out


def _affinity(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    m = draw(st.integers(1, 7))
    out: dict[str, Any] = {}
    if m & 1:
        out["nodeAffinity"] = _node_affinity(draw)
    if m & 2:
        out["podAffinity"] = _pod_affinity(draw)
    if m & 4:
        out["podAntiAffinity"] = _pod_affinity(draw)
    spec["affinity"] = out


def _toleration(draw: st.DrawFn) -> dict[str, Any]:
    m = draw(st.integers(0, 7))
    out: dict[str, Any] = {}
    if m & 1:
        out["key"] = pool("a", "example.com/gpu", "node.kubernetes.io/not-ready")(draw)
        if m & 2:
            out["operator"] = "Equal"
        if m & 4 or "operator" not in out:
            out["value"] = pool("a", "true", "")(draw)
    else:
        out["operator"] = "Exists"
    if chance(draw):
        effect = pool("NoSchedule", "PreferNoSchedule", "NoExecute")(draw)
        out["effect"] = effect
        if effect == "NoExecute" and chance(draw):
            out["tolerationSeconds"] = pool(0, 300, 3600)(draw)
    return out


def _tolerations(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    spec["tolerations"] = [_toleration(draw) for _ in range(draw(st.integers(1, 2)))]


_SPREAD = obj(
    {"maxSkew": pool(1, 2), "whenUnsatisfiable": pool("DoNotSchedule", "ScheduleAnyway")},
    {
        "nodeAffinityPolicy": pool("Honor", "Ignore"),
        "nodeTaintsPolicy": pool("Honor", "Ignore"),
        "minDomains": pool(1, 3),
    },
)


def _spread(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    keys = unique_pool(("kubernetes.io/hostname", "topology.kubernetes.io/zone", "a"))(draw)
    out = []
    for key in keys:
        item = _SPREAD(draw)
        item["topologyKey"] = key
        if item["whenUnsatisfiable"] != "DoNotSchedule":
            item.pop("minDomains", None)
        if chance(draw):
            item["labelSelector"] = _selector(draw)
            if chance(draw):
                item["matchLabelKeys"] = ["pod-template-hash"]
        out.append(item)
    spec["topologySpreadConstraints"] = out


_DNS = obj(
    {},
    {
        "nameservers": pool(["1.1.1.1"], ["8.8.8.8", "2001:4860:4860::8888"]),
        "searches": pool(["a"], ["ns1.svc.cluster.local", "example.com"]),
        "options": lst(obj({"name": pool("ndots", "edns0", "timeout")}, {"value": pool("2", "5")})),
    },
)


def _dns(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    spec["dnsConfig"] = _DNS(draw)
    if spec["dnsConfig"].get("nameservers") and chance(draw):
        spec["dnsPolicy"] = "None"


_HOST_ALIASES = lst(
    obj(
        {"ip": pool("127.0.0.1", "10.1.2.3", "::1")},
        {"hostnames": pool(["a"], ["foo.local", "bar.local"])},
    ),
    1,
    2,
)


def _host_aliases(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    spec["hostAliases"] = _HOST_ALIASES(draw)


_GATES = unique_pool(("example.com/a", "a", "www.example.com/feature-1"))


def _readiness(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    spec["readinessGates"] = [{"conditionType": g} for g in _GATES(draw)]


def _scheduling_gates(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    spec["schedulingGates"] = [{"name": g} for g in _GATES(draw)]


def _os(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    spec["os"] = {"name": pool("linux", "windows")(draw)}


def _overhead(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    spec["overhead"] = pool({"cpu": "250m"}, {"cpu": "100m", "memory": "120Mi"})(draw)


def _claims(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    names = unique_pool(("a", "gpu", "my-claim"))(draw)
    spec["resourceClaims"] = [
        {
            "name": n,
            pool("resourceClaimName", "resourceClaimTemplateName")(draw): pool("a", "claim-1")(
                draw
            ),
        }
        for n in names
    ]


def _pod_resources(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    # generous: above what all containers together may ask for (each at most 1 cpu, 1Gi)
    spec["resources"] = pool(
        {"limits": {"cpu": "64", "memory": "256Gi"}},
        {"requests": {"cpu": "32", "memory": "128Gi"}, "limits": {"cpu": "64"}},
        {"requests": {"cpu": "32"}},
    )(draw)


def _image_pull_secrets(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    spec["imagePullSecrets"] = [{"name": n} for n in unique_pool(("a", "regcred"))(draw)]


_POD_OPTIONS = obj(
    {},
    {
        # priority, class and policy as the Priority admission of a fresh cluster computes them
        "priorityClassName": pool("system-node-critical", "system-cluster-critical"),
        "preemptionPolicy": pool("PreemptLowerPriority"),
        "priority": pool(0),
        "runtimeClassName": pool("a", "gvisor"),
        "automountServiceAccountToken": pool(False, True),
        "nodeName": pool("node-1", "a"),
        "nodeSelector": pool({"a": "b"}, {"kubernetes.io/os": "linux", "disktype": "ssd"}),
        "hostname": pool("a", "my-host"),
        "subdomain": pool("a", "my-service"),
        "setHostnameAsFQDN": pool(False, True),
        "hostnameOverride": pool("a", "my-host.example.com"),
        "activeDeadlineSeconds": pool(1, 30, 3600),
        "terminationGracePeriodSeconds": pool(0, 30),
        "schedulerName": pool("default-scheduler", "my-scheduler"),
        "enableServiceLinks": pool(False, True),
        "dnsPolicy": pool("ClusterFirst", "Default", "ClusterFirstWithHostNet"),
        "serviceAccountName": pool("default", "a"),
    },
)


_PRIORITY = {"system-node-critical": 2000001000, "system-cluster-critical": 2000000000}


def _pod_options(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    out = _POD_OPTIONS(draw)
    if "priority" in out and "priorityClassName" in out:
        out["priority"] = _PRIORITY[out["priorityClassName"]]
    if "serviceAccountName" in out and chance(draw):
        out["serviceAccount"] = out["serviceAccountName"]
    if out.get("setHostnameAsFQDN") and "hostnameOverride" in out:
        del out["setHostnameAsFQDN"]
    spec.update(out)


def _host_namespaces(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    which = pool(
        {"hostIPC": True},
        {"hostPID": True},
        {"hostUsers": False},
        {"shareProcessNamespace": True},
        {"hostIPC": False, "hostPID": False, "hostUsers": True, "shareProcessNamespace": False},
    )(draw)
    spec.update(which)


def _workload_ref(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    ref = {"name": pool("a", "my-workload")(draw), "podGroup": pool("a", "workers")(draw)}
    if chance(draw):
        ref["podGroupReplicaKey"] = pool("0", "a")(draw)
    spec["workloadRef"] = ref


_SPEC_FUNCS: dict[str, Any] = {
    "os": _os,
    "affinity": _affinity,
    "tolerations": _tolerations,
    "topologySpreadConstraints": _spread,
    "dnsConfig": _dns,
    "hostAliases": _host_aliases,
    "readinessGates": _readiness,
    "schedulingGates": _scheduling_gates,
    "overhead": _overhead,
    "resourceClaims": _claims,
    "podResources": _pod_resources,
    "imagePullSecrets": _image_pull_secrets,
    "podOptions": _pod_options,
    "hostNamespaces": _host_namespaces,
    "workloadRef": _workload_ref,
}


def spec_area(draw: st.DrawFn, area: str, spec: dict[str, Any]) -> None:
    """Add pod-level *area* to *spec* (a manifest dict; the assembler settles the rules
    between areas: gates and node name, the OS); ``podSecurityContext`` is the assembler's,
    as it depends on the OS and the host namespaces."""
    _SPEC_FUNCS[area](draw, spec)


_OWNER = obj(
    {
        "apiVersion": pool("apps/v1", "v1"),
        "kind": pool("ReplicaSet", "Node"),
        "name": pool("a", "web-5d4f8"),
        "uid": pool("d9607e19-f88f-11e6-a518-42010a800195", "a"),
    },
    {"controller": pool(True, False), "blockOwnerDeletion": pool(True, False)},
)
_MANAGED = obj(
    {"manager": pool("kubectl", "a"), "operation": pool("Apply", "Update")},
    {
        "apiVersion": pool("v1"),
        "fieldsType": pool("FieldsV1"),
        "fieldsV1": pool({"f:metadata": {}}, {"f:spec": {"f:containers": {}}}),
        "time": pool("2024-01-01T00:00:00Z"),
        "subresource": pool("", "status"),
    },
)
_SYSTEM = obj(
    {},
    {
        "uid": pool("d9607e19-f88f-11e6-a518-42010a800195"),
        "resourceVersion": pool("1", "12345"),
        "selfLink": pool("/api/v1/namespaces/default/pods/a"),
        "generation": pool(1, 0, 2),
        "creationTimestamp": pool("2024-01-01T00:00:00Z"),
        "deletionTimestamp": pool("2024-01-01T00:00:00Z"),
        "deletionGracePeriodSeconds": pool(30, 0),
    },
)
_OWNERSHIP = obj(
    {},
    {
        "generateName": pool("a-", "web-"),
        "namespace": pool("default", "a", "kube-system"),
        "ownerReferences": lst(_OWNER, 1, 2),
        "finalizers": pool(["example.com/a"], ["example.com/cleanup", "kubernetes.io/b"]),
        "managedFields": lst(_MANAGED, 1, 1),
    },
)
_META_FUNCS: dict[str, Gen] = {"ownership": _OWNERSHIP, "systemFields": _SYSTEM}


def metadata_areas(draw: st.DrawFn, areas: tuple[str, ...]) -> dict[str, Any]:
    """Metadata fields of the drawn subset of *areas* (owner references with one controller at
    most, finalizers, managed fields, the server-set fields)."""
    out: dict[str, Any] = {}
    for area in areas:
        if chance(draw):
            out.update(_META_FUNCS[area](draw))
    owners = out.get("ownerReferences") or []
    if sum(1 for o in owners if o.get("controller")) > 1:
        for o in owners[1:]:
            o["controller"] = False
    return out
