"""A schema-walking generator of Pod objects for differential tests against the API server.

Start from a small valid pod and set one to three random fields anywhere in the v1.35 Pod
schema (:func:`podmodel.model.schema.catalogue` ``("1.35")``), with plausible and edge values per
field kind: names, label keys, paths, quantities, IPs, enum values and wrong values, negative
and out-of-range integers, empty and long strings, and now and then a wrong JSON type or an
unknown field. Plain ``random.Random`` draws: the same seed gives the same objects.

Each object comes with its *area*: the top-level spec field touched (``spec.affinity``), or the
container field (``containers.securityContext``), or the metadata field (``metadata.labels``).

>>> import random
>>> walk = SchemaWalk()
>>> obj, areas = walk.pod(random.Random(1))
>>> obj["kind"], bool(areas)
('Pod', True)
"""

from __future__ import annotations

import copy
import random
from typing import Any

import attrs

from podmodel.model.schema import Catalogue, catalogue

__all__ = [
    "KINDS",
    "Diff",
    "SchemaWalk",
    "as_kind",
    "compare",
    "normalize",
    "pod_of",
    "same_order_modulo_maps",
    "sent_warnings",
]

VERSION = "1.35"
KINDS = ("Pod", "PodTemplate", "ReplicationController")

_LONG63 = "a" * 63
_LONG64 = "a" * 64
_LONG254 = "a" * 254

# Values by field name (exact), then by hints in the name; every pool mixes good and bad values.
_ENUMS: dict[str, tuple[Any, ...]] = {
    "restartPolicy": ("Always", "OnFailure", "Never", "Sometimes", ""),
    "dnsPolicy": ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None", "Bogus"),
    "protocol": ("TCP", "UDP", "SCTP", "tcp", "HTTP"),
    "imagePullPolicy": ("Always", "IfNotPresent", "Never", "Sometimes"),
    "terminationMessagePolicy": ("File", "FallbackToLogsOnError", "Bogus"),
    "operator": ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "Equal", "Bogus", ""),
    "effect": ("NoSchedule", "PreferNoSchedule", "NoExecute", "Bogus", ""),
    "medium": ("", "Memory", "HugePages", "HugePages-2Mi", "Disk"),
    "mountPropagation": ("None", "HostToContainer", "Bidirectional", "Bogus"),
    "recursiveReadOnly": ("Disabled", "IfPossible", "Enabled", "Bogus"),
    "preemptionPolicy": ("Never", "PreemptLowerPriority", "Bogus"),
    "whenUnsatisfiable": ("DoNotSchedule", "ScheduleAnyway", "Bogus"),
    "nodeAffinityPolicy": ("Honor", "Ignore", "Bogus"),
    "nodeTaintsPolicy": ("Honor", "Ignore", "Bogus"),
    "fsGroupChangePolicy": ("OnRootMismatch", "Always", "Bogus"),
    "seLinuxChangePolicy": ("Recursive", "MountOption", "Bogus"),
    "supplementalGroupsPolicy": ("Merge", "Strict", "Bogus"),
    "procMount": ("Default", "Unmasked", "Bogus"),
    "resourceName": ("cpu", "memory", "ephemeral-storage", "bogus", "example.com/gpu"),
    "scheme": ("HTTP", "HTTPS", "FTP"),
    "signal": ("SIGTERM", "SIGKILL", "SIGBOGUS", "SIGRTMIN+1"),
    "action": ("Restart", "Bogus"),
    "readOnly": (True, False),
    "name": ("a", "my-name", "My_Name", "", _LONG64, "a.b", "-a", "x" * 16),
    "image": ("nginx", "nginx:1.25", " nginx", "", "nginx ", "busybox@sha256:abc"),
    "mountPath": ("/data", "data", "", "/a/../b", "/"),
    "subPath": ("sub", "/abs", "../up", "", "a/b"),
    "subPathExpr": ("$(POD)", "/abs", "../up", ""),
    "path": ("/data", "relative", "", "../up", "/a/../b", "a/../../b", "key"),
    "hostIP": ("10.0.0.1", "::1", "1.2.3", "", "010.0.0.1"),
    "ip": ("10.0.0.1", "::1", "1.2.3", "", "010.0.0.1"),
    "key": ("app", "example.com/app", "Bad Key", "", "a/b/c", _LONG64),
    "topologyKey": ("kubernetes.io/hostname", "zone", "", "bad key"),
    "fsType": ("ext4", "xfs", ""),
    "type": ("RuntimeDefault", "Localhost", "Unconfined", "Bogus", "", "Directory", "File"),
    "localhostProfile": ("profile.json", "", "/abs/profile", "a/../b"),
    "apiVersion": ("v1", "", "apps/v1"),
    "kind": ("Pod", "", "ReplicaSet"),
    "uid": ("1234", "", "e7d6-x"),
    "value": ("v", "", "bad value!", _LONG64),
    "values": (("a",), (), ("a", "b"), ("1",)),
    "port": (80, 0, 65536, "http", "", "bad_port", -1),
    "containerPort": (80, 0, 65536, -1, 8080),
    "hostPort": (80, 0, 65536, -1),
    "runAsUser": (0, 1000, -1, 2**31),
    "runAsGroup": (0, 1000, -1, 2**31),
    "fsGroup": (0, 1000, -1, 2**31),
    "supplementalGroups": ((0,), (1000, 2000), (-1,)),
    "weight": (1, 100, 0, 101, -1),
    "maxSkew": (1, 0, -1, 3),
    "minDomains": (1, 0, -1, 2),
    "tolerationSeconds": (0, 60, -1),
    "priority": (0, 1000, -1, 2**31 - 1),
    "defaultMode": (0o644, 0o777, 0o1000, -1, 420),
    "mode": (0o644, 0o777, 0o1000, -1, 420),
    "expirationSeconds": (3600, 600, 1, 2**32 + 1),
    "terminationGracePeriodSeconds": (0, 30, -1, 2**40),
    "activeDeadlineSeconds": (0, 1, 30, -1, 2**31),
    "sizeLimit": ("1Gi", "0", "-1", "abc", "100m"),
    "nameservers": (("8.8.8.8",), ("1.2.3",), ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"), ()),
    "searches": (("example.com",), ("bad_domain",), ()),
    "hostnames": (("h1",), ("bad_host!",), ()),
    "add": (("NET_ADMIN",), ("BOGUS",), ("all",)),
    "drop": (("ALL",), ("NET_RAW",)),
    "finalizers": (("example.com/f",), ("bad finalizer",), ("kubernetes",), ("a/b/c",)),
    "storageClassName": ("standard", "", "Bad_Class"),
    "accessModes": (("ReadWriteOnce",), ("Bogus",), ()),
    "volumeMode": ("Filesystem", "Block", "Bogus"),
    "creationTimestamp": ("2024-01-01T00:00:00Z", None),
    "deletionTimestamp": ("2024-01-01T00:00:00Z",),
    "hostnameOverride": ("host", "Bad_Host", "", _LONG64),
}
_STRINGS: tuple[Any, ...] = (
    "",
    "a",
    "abc-def",
    "Bad_Value!",
    "/abs/path",
    "rel/path",
    "../up",
    "10.0.0.1",
    "::1",
    "example.com/key",
    _LONG63,
    _LONG64,
    _LONG254,
    "a" * 300,
    "Always",
)
_INTS: tuple[int, ...] = (0, 1, -1, 10, 30, 80, 65536, 2**31 - 1, 2**31, -(2**31) - 1)
_QUANTITIES: tuple[Any, ...] = ("100m", "1Gi", "-1", "0", "abc", 1, 2, "1.5", "500Mi", "1e3")
_INT_OR_STRINGS: tuple[Any, ...] = (80, 0, -1, 65536, "http", "", "bad_name!", "80", "a" * 16)
_MAP_KEYS: tuple[str, ...] = (
    "app",
    "example.com/key",
    "Bad Key",
    "a/b/c",
    "",
    "cpu",
    "memory",
    "kubernetes.io/x",
    _LONG64,
)
_RESOURCE_KEYS: tuple[str, ...] = (
    "cpu",
    "memory",
    "ephemeral-storage",
    "hugepages-2Mi",
    "example.com/gpu",
    "bogus",
    "requests.cpu",
)
_ANNOTATIONS: tuple[tuple[str, str], ...] = (
    ("container.apparmor.security.beta.kubernetes.io/c", "runtime/default"),
    ("container.apparmor.security.beta.kubernetes.io/c", "localhost/prof"),
    ("container.apparmor.security.beta.kubernetes.io/c", "bogus"),
    ("container.apparmor.security.beta.kubernetes.io/nope", "unconfined"),
    ("seccomp.security.alpha.kubernetes.io/pod", "runtime/default"),
    ("seccomp.security.alpha.kubernetes.io/pod", "bogus"),
    ("container.seccomp.security.alpha.kubernetes.io/c", "localhost/x"),
    ("scheduler.alpha.kubernetes.io/critical-pod", ""),
    ("security.alpha.kubernetes.io/sysctls", "a=b"),
    ("kubernetes.io/config.mirror", "x"),
    ("controller.kubernetes.io/pod-deletion-cost", "12"),
    ("controller.kubernetes.io/pod-deletion-cost", "x"),
    ("kubernetes.io/ingress-bandwidth", "10M"),
    ("pod.beta.kubernetes.io/hostname", "h"),
)


def _base(rng: random.Random) -> dict[str, Any]:
    containers: list[dict[str, Any]] = [{"name": "c", "image": "nginx"}]
    if rng.random() < 0.3:
        containers.append({"name": "d", "image": "busybox:1.36", "command": ["sh"]})
    spec: dict[str, Any] = {"containers": containers}
    if rng.random() < 0.3:
        spec["volumes"] = [{"name": "v", "emptyDir": {}}]
        containers[0]["volumeMounts"] = [{"name": "v", "mountPath": "/v"}]
    if rng.random() < 0.2:
        spec["initContainers"] = [{"name": "i", "image": "busybox"}]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}


class SchemaWalk:
    """Random pods touching random fields of the v1.35 Pod schema."""

    def __init__(self, cat: Catalogue | None = None) -> None:
        self.cat = cat or catalogue(VERSION)

    # --- values --------------------------------------------------------------------------

    def value(self, rng: random.Random, code: str, name: str, depth: int) -> Any:
        """A plausible or edge value of type *code* for a field called *name*."""
        if rng.random() < 0.02:  # a wrong JSON type
            return rng.choice(("str", 7, True, [], {}))
        if code.startswith("["):
            item = code[1:]
            if name in _ENUMS and item == "s":
                return list(rng.choice(_ENUMS[name]))
            if name == "supplementalGroups":
                return list(rng.choice(_ENUMS[name]))
            return [self.value(rng, item, name, depth + 1) for _ in range(rng.choice((0, 1, 1, 2)))]
        if code.startswith("{"):
            keys = _RESOURCE_KEYS if code == "{q" else _MAP_KEYS
            return {
                rng.choice(keys): self.value(rng, code[1:], "", depth + 1)
                for _ in range(rng.choice((0, 1, 1, 2)))
            }
        if code.startswith("@"):
            return self.obj(rng, code[1:], depth + 1)
        if name in _ENUMS and code != "b" and rng.random() < 0.85:
            return rng.choice(_ENUMS[name])
        if code == "s":
            return rng.choice(_STRINGS)
        if code in ("i", "i32"):
            return rng.choice(_INTS)
        if code == "b":
            return rng.random() < 0.5
        if code == "q":
            return rng.choice(_QUANTITIES)
        if code == "is":
            return rng.choice(_INT_OR_STRINGS)
        if code in ("o", "*"):
            return rng.choice(({}, {"a": "b"}))
        return rng.choice(_STRINGS)

    def obj(self, rng: random.Random, definition: str, depth: int) -> dict[str, Any]:
        """An object of *definition* with a few random fields (more near the top)."""
        fields = self.cat.fields(definition)
        if not fields or depth > 6:
            return {}
        names = sorted(fields)
        count = rng.choice((0, 1, 1, 2, 2, 3)) if depth < 5 else rng.choice((0, 1))
        out: dict[str, Any] = {}
        for f in rng.sample(names, min(count, len(names))):
            out[f] = self.value(rng, fields[f], f, depth)
        if rng.random() < 0.01:
            out["bogusField"] = 1
        return out

    # --- walks ---------------------------------------------------------------------------

    def _set_random(self, rng: random.Random, node: dict[str, Any], definition: str) -> list[str]:
        """Descend from *node* (of *definition*) along random fields and set one; return the
        field names of the path."""
        path: list[str] = []
        depth = 0
        while True:
            fields = self.cat.fields(definition)
            if not fields:
                return path
            name = rng.choice(sorted(fields))
            code = fields[name]
            path.append(name)
            # descend into objects (or the first item of lists of objects) now and then
            target = code[1:] if code.startswith("[@") else code
            if target.startswith("@") and rng.random() < 0.6 and depth < 6:
                child_def = target[1:]
                if code.startswith("[@"):
                    items = node.get(name)
                    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
                        items = [self.obj(rng, child_def, depth + 1)]
                        node[name] = items
                    node = items[0]
                else:
                    child = node.get(name)
                    if not isinstance(child, dict):
                        child = self.obj(rng, child_def, depth + 1)
                        node[name] = child
                    node = child
                definition = child_def
                depth += 1
                continue
            node[name] = self.value(rng, code, name, depth)
            return path

    def pod(
        self, rng: random.Random, fields: int | None = None
    ) -> tuple[dict[str, Any], tuple[str, ...]]:
        """A pod and the areas it touches: *fields* random fields set (by default one to three,
        mostly one)."""
        pod = _base(rng)
        areas: list[str] = []
        for _ in range(fields or rng.choice((1, 1, 1, 2, 3))):
            roll = rng.random()
            if roll < 0.12:
                meta = pod["metadata"]
                if rng.random() < 0.4:
                    key, value = rng.choice(_ANNOTATIONS)
                    if not isinstance(meta.get("annotations"), dict):
                        meta["annotations"] = {}
                    meta["annotations"][key] = value
                    areas.append("metadata.annotations")
                    continue
                path = self._set_random(rng, meta, "ObjectMeta")
                areas.append("metadata." + path[0] if path else "metadata")
            elif roll < 0.45:
                lists = ["containers"] * 6 + ["initContainers"] * 2 + ["ephemeralContainers"]
                which = rng.choice(lists)
                items = pod["spec"].get(which)
                if not isinstance(items, list) or not items or not isinstance(items[0], dict):
                    items = pod["spec"][which] = [{"name": "e", "image": "busybox"}]
                item = rng.choice([i for i in items if isinstance(i, dict)])
                kind = "EphemeralContainer" if which == "ephemeralContainers" else "Container"
                path = self._set_random(rng, item, kind)
                areas.append(f"{which}.{path[0]}" if path else which)
            else:
                path = self._set_random(rng, pod["spec"], "PodSpec")
                areas.append("spec." + path[0] if path else "spec")
        return pod, tuple(dict.fromkeys(areas))


def as_kind(pod: dict[str, Any], kind: str) -> dict[str, Any]:
    """The pod's metadata and spec as a PodTemplate's or ReplicationController's template."""
    if kind == "Pod":
        return pod
    meta = copy.deepcopy(pod.get("metadata") or {})
    template = {"metadata": {k: v for k, v in meta.items() if k != "name"}, "spec": pod["spec"]}
    if kind == "PodTemplate":
        return {"apiVersion": "v1", "kind": "PodTemplate", "metadata": meta, "template": template}
    labels = template["metadata"].setdefault("labels", {"app": "p"})
    selector = labels if isinstance(labels, dict) and labels else {"app": "p"}
    return {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {"name": "rc"},
        "spec": {"replicas": 1, "selector": selector, "template": template},
    }


# --- comparison with the oracle's answer ------------------------------------------------------

# Where Go ranges over a map, the order of the errors (or warnings) it yields is random: those
# parts are compared as multisets. The loops (Kubernetes v1.35.4):
#   metadata.labels (a template's: template.labels) / nodeSelector / selectors: apimachinery validation.ValidateLabels
#       (`for k, v := range labels`, pkg/api/validation/objectmeta.go / metav1validation);
#   metadata.annotations: ValidateAnnotations (`for k := range annotations`), the AppArmor and
#       seccomp annotation checks (`for k, p := range annotations`, validation.go
#       ValidateAppArmorProfileFormat callers) and the annotation warnings (warnings.go);
#   resources.limits / requests / overhead / claims: validateResourceRequirements and
#       validateOverhead (`for resourceName, quantity := range requirements.Limits`);
#   volumeAttributes / nodeSelector terms' maps, csi and flexVolume options;
#   a podCertificate's userAnnotations (validatePodCertificateProjection ranges over the map,
#       every bad key reported at the same path ``...podCertificate.userAnnotations``).
_MAP_MARKERS = (
    ".labels",  # metadata.labels, a template's template.labels
    ".annotations",
    "nodeSelector",
    "matchLabels",
    ".resources",
    "spec.overhead",
    "volumeAttributes",
    ".options",
    ".userAnnotations",
    "[",  # any map key in the path (`annotations[key]`, `limits[cpu]`) is a map's entry
)


def _is_map_part(field: str) -> bool:
    for marker in _MAP_MARKERS:
        if marker == "[":
            if any(not seg[:1].isdigit() for seg in field.split("[")[1:]):
                return True
        elif marker in field:
            return True
    return False


def sent_warnings(answer: dict[str, Any]) -> list[str]:
    """The warnings of an oracle *answer* as the server sends them: the oracle lists what the
    strategy returns, and the server's warning recorder (which podmodel models, and kubectl
    shows) sends a repeated text once."""
    return list(dict.fromkeys(answer.get("warnings") or []))


def same_order_modulo_maps(ours: list[Any], theirs: list[Any], field_of: Any) -> bool:
    """Equal in order, except that items on map-iterated fields compare as a multiset."""
    if ours == theirs:
        return True
    a = [x for x in ours if not _is_map_part(field_of(x))]
    b = [x for x in theirs if not _is_map_part(field_of(x))]
    if a != b:
        return False
    return sorted(map(repr, ours)) == sorted(map(repr, theirs))


_QUANTITY_MAPS = ("limits", "requests", "overhead")


def normalize(value: Any, key: str = "") -> Any:
    """A defaulted object with the encoding differences removed: Go's zero values (null, "",
    0, false, empty lists and objects) are dropped, since Go's encoder writes some of them (a
    field without ``omitempty``, a struct value such as ``resources: {}``) and omits others,
    while podmodel keeps what was written; and quantities are canonical."""
    if isinstance(value, dict):
        out = {}
        for k, raw in value.items():
            v = raw
            if key in _QUANTITY_MAPS or k in ("sizeLimit", "divisor"):
                v = _quantity(raw)
                if v == "0":  # a zero Quantity struct value
                    continue
            n = normalize(v, k)
            if n is None or n in ([], {}, "") or n is False or n == 0:
                continue
            out[k] = n
        return out
    if isinstance(value, (list, tuple)):
        return [normalize(v, key) for v in value]
    return value


def _quantity(v: Any) -> Any:
    from podmodel.model._quantity import parse_quantity

    try:
        return str(parse_quantity(v))
    except (ValueError, TypeError, ArithmeticError):
        return v


MIRROR = "kubernetes.io/config.mirror"

# The path of the pod spec inside each kind, as the server prints it.
SPEC_PREFIX = {
    "Pod": "spec",
    "PodTemplate": "template.spec",
    "ReplicationController": "spec.template.spec",
}


def pod_of(obj: dict[str, Any]) -> dict[str, Any]:
    """The Pod that podmodel checks for *obj* (itself, or its template as a Pod)."""
    kind = obj.get("kind", "Pod")
    if kind == "Pod":
        return obj
    template = obj["template"] if kind == "PodTemplate" else obj["spec"]["template"]
    meta = dict(template.get("metadata") or {})
    meta.setdefault("name", "p")
    notes = meta.get("annotations")
    if isinstance(notes, dict) and MIRROR in notes:
        # a template is never a mirror pod: the server applies no mirror-pod rule to it
        meta["annotations"] = {k: v for k, v in notes.items() if k != MIRROR}
    out: dict[str, Any] = {"apiVersion": "v1", "kind": "Pod", "metadata": meta}
    if "spec" in template:
        out["spec"] = template["spec"]
    return out


@attrs.frozen
class Diff:
    """One aspect on which podmodel and the server differ: the differing items (error texts,
    warning texts, a defaulted field's path) and a one-line summary."""

    items: tuple[str, ...]
    summary: str


def compare(obj: dict[str, Any], answer: dict[str, Any]) -> dict[str, Diff]:
    """podmodel's answer for *obj* against the oracle's: ``{aspect: Diff}`` (empty when they
    agree). Aspects: ``decode``, ``errors``, ``warnings``, ``defaults``, ``crash``.

    A Pod is decoded by :func:`podmodel.from_dict` and checked by :func:`podmodel.validate`; a
    PodTemplate or ReplicationController is decoded as its typed kind
    (:func:`podmodel.codec.object_from_dict`) and checked by
    :func:`podmodel.apiserver.workloads.validate_workload`: every error and warning of the
    object is compared, the template's own rules included. The defaults of a template's spec
    are those of its pod, less the defaults of ``SetDefaults_Pod``."""
    import warnings as _w

    import podmodel
    from podmodel.errors import DecodeError

    kind = obj.get("kind", "Pod")
    out: dict[str, Diff] = {}
    theirs_decode = answer.get("decode_errors") or []

    def decode(body: dict[str, Any], typed: bool) -> tuple[Any, list[str]]:
        from podmodel.codec import object_from_dict

        try:
            with _w.catch_warnings():
                _w.simplefilter("ignore")
                if typed:
                    return object_from_dict(body, version=VERSION), []
                return podmodel.from_dict(body, version=VERSION), []
        except DecodeError as e:
            return None, [str(x) for x in e.errors]

    try:
        decoded, texts = decode(obj, kind != "Pod")
    except Exception as e:
        return {"crash": Diff((), f"from_dict raised {type(e).__name__}: {e}")}
    if texts:
        if not theirs_decode:
            items = tuple("decode: " + t for t in texts)
            out["decode"] = Diff(items, f"podmodel refused: {texts[:3]}")
        else:
            ours_u = sorted(t.split(";", maxsplit=1)[0] for t in texts if "unknown field" in t)
            theirs_u = sorted(t for t in theirs_decode if t.startswith("unknown field"))
            if ours_u != theirs_u and theirs_u:
                items = tuple("decode: " + t for t in set(ours_u) ^ set(theirs_u))
                out["decode"] = Diff(
                    items, f"unknown fields: ours {ours_u[:3]} theirs {theirs_u[:3]}"
                )
        return out
    if theirs_decode:
        items = tuple("decode: " + t for t in theirs_decode)
        return {"decode": Diff(items, f"podmodel accepted; server: {theirs_decode[:2]}")}
    try:
        if kind == "Pod":
            pod = decoded
            result: Any = podmodel.validate(pod)
        else:
            from podmodel.apiserver.workloads import validate_workload

            result = validate_workload(decoded)
            pod = decode(pod_of(obj), False)[0]
        defaulted = podmodel.to_dict(podmodel.apply_defaults(pod)) if pod is not None else None
    except Exception as e:
        return {"crash": Diff((), f"validate raised {type(e).__name__}: {e}")}
    theirs = [(e["field"], e["type"], e["text"]) for e in answer.get("errors") or []]
    ours = [(str(e.field), e.type.value, str(e)) for e in result.errors]
    if not same_order_modulo_maps(ours, theirs, lambda e: e[0]):
        out["errors"] = _diff([x[2] for x in ours], [x[2] for x in theirs])
    if not answer.get("errors") and not result.errors:  # warnings come only without errors
        theirs_w = sent_warnings(answer)
        ours_w = [str(w) for w in result.warnings]
        if not same_order_modulo_maps(ours_w, theirs_w, lambda w: w.split(":")[0]):
            out["warnings"] = _diff(ours_w, theirs_w)
    their_def = answer.get("defaulted")
    if their_def is not None and defaulted is not None:
        if kind == "Pod":
            a = normalize(defaulted)
            b = normalize({k: v for k, v in their_def.items() if k != "status"})
        else:
            tmpl = their_def["template"] if kind == "PodTemplate" else their_def["spec"]["template"]
            a = normalize(_pod_only_defaults_undone(defaulted.get("spec") or {}, pod_of(obj)))
            a, b = {"spec": a}, {"spec": normalize(tmpl.get("spec") or {})}
        if a != b:
            where, summary = _dict_diff(a, b)
            out["defaults"] = Diff(("defaults: " + where,), summary)
    return out


def _pod_only_defaults_undone(spec: dict[str, Any], pod: dict[str, Any]) -> dict[str, Any]:
    """podmodel defaults a template as a Pod; ``SetDefaults_Pod`` (not run for templates,
    pkg/apis/core/v1/defaults.go) sets ``enableServiceLinks``, copies containers' limits to
    their requests, sets ``hostPort := containerPort`` under ``hostNetwork`` and fills the
    pod-level huge-page limits and requests: undo those for a template."""
    written = pod.get("spec") if isinstance(pod.get("spec"), dict) else {}
    spec = dict(spec)
    if "enableServiceLinks" not in written:
        spec.pop("enableServiceLinks", None)
    pod_res, mine_res = written.get("resources"), spec.get("resources")
    if isinstance(pod_res, dict) and isinstance(mine_res, dict):
        spec["resources"] = {
            **mine_res,
            "requests": pod_res.get("requests"),
            "limits": pod_res.get("limits"),
        }
    for key in ("containers", "initContainers"):
        mine, theirs = spec.get(key), written.get(key)
        if not isinstance(mine, list) or not isinstance(theirs, list):
            continue
        fixed = []
        for item, w in zip(mine, theirs, strict=False):
            res = w.get("resources") if isinstance(w, dict) else None
            req = res.get("requests") if isinstance(res, dict) else None
            c = dict(item)
            c["resources"] = {**(c.get("resources") or {}), "requests": req}
            ports = w.get("ports") if isinstance(w, dict) else None
            if isinstance(c.get("ports"), list) and isinstance(ports, list):
                c["ports"] = [
                    {**p, "hostPort": q.get("hostPort")} if isinstance(q, dict) else p
                    for p, q in zip(c["ports"], ports, strict=False)
                ]
            fixed.append(c)
        spec[key] = fixed + mine[len(fixed) :]
    return spec


def _diff(ours: list[str], theirs: list[str]) -> Diff:
    only_ours = [x for x in ours if x not in theirs]
    only_theirs = [x for x in theirs if x not in ours]
    if not only_ours and not only_theirs:
        summary = (
            f"order: ours {[_short(x) for x in ours][:4]} theirs {[_short(x) for x in theirs][:4]}"
        )
        return Diff(tuple(ours), summary)
    summary = (
        f"only podmodel: {[_short(x) for x in only_ours][:3]}; "
        f"only server: {[_short(x) for x in only_theirs][:3]}"
    )
    return Diff(tuple(only_ours + only_theirs), summary)


def _short(s: str) -> str:
    return s if len(s) < 300 else s[:300] + "..."


def _dict_diff(a: Any, b: Any, path: str = "") -> tuple[str, str]:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return _dict_diff(a.get(k), b.get(k), f"{path}.{k}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _dict_diff(x, y, f"{path}[{i}]")
    where = path.removeprefix(".") or "."
    return where, f"defaults at {where}: podmodel {str(a)[:150]} server {str(b)[:150]}"
