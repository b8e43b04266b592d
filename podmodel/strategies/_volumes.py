"""Valid sources for every kind of v1 volume, as plain JSON (private).

One generator per source kind (:data:`SOURCES`), each valid for the Kubernetes v1.35 rules on
its own; the pod's own rules (unique names, mounts, devices, a service account for projected
tokens, a container for ``resourceFieldRef``) are the assembler's (``_assemble.py``).
``CONTAINER`` stands for the name of the pod's first container until the assembler fills it.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from podmodel.strategies._gen import Gen, bits, const, lst, obj, pool

__all__ = ["ALL_VOLUME_KINDS", "CONTAINER", "DEVICE_KINDS", "SOURCES", "fill_container"]

CONTAINER = "\x00container"

_NAMES = pool("a", "data", "my-secret", "app-config")
_FS = pool("ext4", "xfs")
_RO = pool(False, True)
_REF = obj({"name": _NAMES})
_MODE = pool(0o644, 0o400, 0o755, 0)
_KEY_TO_PATH = lst(
    obj({"key": pool("a", "config.yaml", "key-1")}, {"mode": _MODE}), 1, 1
)  # one item: paths stay unique without bookkeeping


def _items(draw: st.DrawFn) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = _KEY_TO_PATH(draw)
    for i, item in enumerate(out):
        item["path"] = f"p{i}/{item['key']}"
    return out


_FIELD_PATHS = pool(
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "metadata.labels",
    "metadata.annotations",
    "metadata.labels['app']",
)
_RESOURCE_REFS = pool(
    {"resource": "limits.cpu"},
    {"resource": "requests.memory", "divisor": "1Mi"},
    {"resource": "limits.memory", "divisor": "1"},
    {"resource": "requests.cpu", "divisor": "1m"},
    {"resource": "limits.ephemeral-storage", "divisor": "1Gi"},
)


def _downward_file(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        ref = dict(_RESOURCE_REFS(draw))
        ref["containerName"] = CONTAINER
        out: dict[str, Any] = {"path": "", "resourceFieldRef": ref}
    else:
        field = {"fieldPath": _FIELD_PATHS(draw)}
        if draw(st.booleans()):
            field["apiVersion"] = "v1"
        out = {"path": "", "fieldRef": field}
    if draw(st.booleans()):
        out["mode"] = _MODE(draw)
    return out


def _downward_items(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = [_downward_file(draw) for _ in range(draw(st.integers(1, 2)))]
    for i, item in enumerate(out):
        item["path"] = f"d{i}/info"
    return out


_SELECTOR = obj(
    {},
    {
        "matchLabels": pool({"app": "a"}, {"example.com/tier": "web", "app": "db"}),
        "matchExpressions": pool(
            [{"key": "app", "operator": "In", "values": ["a", "b"]}],
            [{"key": "tier", "operator": "Exists"}],
            [{"key": "env", "operator": "NotIn", "values": ["dev"]}],
            [{"key": "x", "operator": "DoesNotExist"}],
        ),
    },
)


def _projection(draw: st.DrawFn, index: int, kind: str) -> dict[str, Any]:
    path = f"s{index}"
    if kind in ("secret", "configMap"):
        src = _PROJ_REF(draw)
        if "items" in src:
            src["items"] = [{**item, "path": f"{path}/{item['key']}"} for item in src["items"]]
        return {kind: src}
    if kind == "downwardAPI":
        items = _downward_items(draw)
        return {kind: {"items": [{**item, "path": f"{path}/{item['path']}"} for item in items]}}
    if kind == "serviceAccountToken":
        return {kind: {"path": path, **_TOKEN(draw)}}
    if kind == "clusterTrustBundle":
        src = _bundle(draw)
        src["path"] = path
        return {kind: src}
    src = _cert(draw)
    if "credentialBundlePath" not in src:
        src["keyPath"], src["certificateChainPath"] = f"{path}/key.pem", f"{path}/chain.pem"
    else:
        src["credentialBundlePath"] = f"{path}/bundle.pem"
    return {kind: src}


_PROJECTION_KIND_NAMES = (
    "secret",
    "configMap",
    "downwardAPI",
    "serviceAccountToken",
    "clusterTrustBundle",
    "podCertificate",
)
_PROJECTION_MASK = bits(len(_PROJECTION_KIND_NAMES))
_PROJ_REF = obj({"name": _NAMES}, {"items": _items, "optional": _RO})
_TOKEN = obj({}, {"audience": pool("api", "vault"), "expirationSeconds": pool(3600, 600, 7200)})


def _bundle(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        out: dict[str, Any] = {"name": pool("a", "example.com:bundle")(draw)}
    else:
        out = {"signerName": "example.com/signer", "labelSelector": _SELECTOR(draw)}
    if draw(st.booleans()):
        out["optional"] = draw(st.booleans())
    return out


_CERT_FIELDS = obj(
    {
        "signerName": pool("example.com/signer", "coolcert.example.com/foo"),
        "keyType": pool("ED25519", "RSA3072", "RSA4096", "ECDSAP256", "ECDSAP384"),
        "credentialBundlePath": const(""),
    },
    {
        "maxExpirationSeconds": pool(3600, 86400),
        "userAnnotations": pool({"example.com/a": "b"}, {"test.domain/foo": "bar"}),
    },
)


def _cert(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = _CERT_FIELDS(draw)
    if draw(st.booleans()):
        del out["credentialBundlePath"]
    return out


def _projected(draw: st.DrawFn) -> dict[str, Any]:
    m = _PROJECTION_MASK(draw) or 1
    kinds = [k for i, k in enumerate(_PROJECTION_KIND_NAMES) if m >> i & 1]
    out: dict[str, Any] = {"sources": [_projection(draw, i, k) for i, k in enumerate(kinds)]}
    if draw(st.booleans()):
        out["defaultMode"] = _MODE(draw)
    return out


def _fc(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        out: dict[str, Any] = {"targetWWNs": ["500a0982991b8dc5"], "lun": pool(0, 2)(draw)}
    else:
        out = {"wwids": ["3600508b400105e210000900000490000"]}
    return {**out, **_FC_OPT(draw)}


_FC_OPT = obj({}, {"fsType": _FS, "readOnly": _RO})


def _flocker(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        return {"datasetName": "a"}
    return {"datasetUUID": "6a2d7a6c-0b0e-4f2e-9e0d-1b5c2c3d4e5f"}


def _azure_disk(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = _AZURE_OPT(draw)
    if draw(st.booleans()):
        out["kind"] = "Managed"
        out["diskURI"] = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/disks/d"
    else:
        out["diskURI"] = "https://example.blob.core.windows.net/vhds/d.vhd"
        if draw(st.booleans()):
            out["kind"] = pool("Shared", "Dedicated")(draw)
    out["diskName"] = "d"
    return out


_AZURE_OPT = obj(
    {}, {"cachingMode": pool("None", "ReadOnly", "ReadWrite"), "fsType": _FS, "readOnly": _RO}
)

_CLAIM_SPEC = obj(
    {
        "accessModes": pool(["ReadWriteOnce"], ["ReadOnlyMany"], ["ReadWriteOncePod"]),
        "resources": obj(
            {"requests": pool({"storage": "1Gi"}, {"storage": "10Gi"})},
            {"limits": pool({"storage": "20Gi"})},
        ),
    },
    {
        "storageClassName": pool("standard", "fast"),
        "volumeMode": pool("Filesystem", "Block"),
        "selector": _SELECTOR,
        "volumeName": pool("pv-1"),
        "volumeAttributesClassName": pool("gold"),
        "dataSource": pool(
            {"kind": "PersistentVolumeClaim", "name": "a"},
            {"apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "snap"},
        ),
        "dataSourceRef": pool(
            {"kind": "PersistentVolumeClaim", "name": "a"},
            {"apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "snap"},
            {"apiGroup": "example.com", "kind": "Populator", "name": "p", "namespace": "other"},
        ),
    },
)


def _claim_spec(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = _CLAIM_SPEC(draw)
    ref, src = out.get("dataSourceRef"), out.get("dataSource")
    if ref is not None and "namespace" not in ref:
        out["dataSource"] = dict(ref)  # both set: they must agree
    elif ref is not None and src is not None:
        del out["dataSource"]
    return out


_EPHEMERAL = obj(
    {
        "volumeClaimTemplate": obj(
            {"spec": _claim_spec},
            {
                "metadata": obj(
                    {}, {"labels": pool({"app": "a"}), "annotations": pool({"note": "x"})}
                )
            },
        )
    },
)

SOURCES: dict[str, Gen] = {
    "emptyDir": obj({}, {"medium": pool("", "Memory"), "sizeLimit": pool("1Gi", "64Mi", "500M")}),
    "hostPath": obj(
        {"path": pool("/a", "/var/log", "/data")},
        {
            "type": pool(
                "",
                "DirectoryOrCreate",
                "Directory",
                "FileOrCreate",
                "File",
                "Socket",
                "CharDevice",
                "BlockDevice",
            )
        },
    ),
    "configMap": obj({"name": _NAMES}, {"items": _items, "defaultMode": _MODE, "optional": _RO}),
    "secret": obj({"secretName": _NAMES}, {"items": _items, "defaultMode": _MODE, "optional": _RO}),
    "downwardAPI": obj({"items": _downward_items}, {"defaultMode": _MODE}),
    "persistentVolumeClaim": obj({"claimName": _NAMES}, {"readOnly": _RO}),
    "projected": _projected,
    "ephemeral": _EPHEMERAL,
    "csi": obj(
        {"driver": pool("csi.example.com", "secrets-store.csi.k8s.io")},
        {
            "fsType": _FS,
            "readOnly": _RO,
            "volumeAttributes": pool({"a": "b"}, {"secretProviderClass": "vault"}),
            "nodePublishSecretRef": _REF,
        },
    ),
    "image": obj(
        {"reference": pool("busybox", "quay.io/crio/artifact:v2")},
        {"pullPolicy": pool("IfNotPresent", "Always", "Never")},
    ),
    "nfs": obj(
        {"server": pool("nfs.example.com", "10.0.0.1"), "path": pool("/", "/exports")},
        {"readOnly": _RO},
    ),
    "iscsi": obj(
        {
            "targetPortal": pool("10.0.2.15:3260", "10.0.2.15"),
            "iqn": pool("iqn.2001-04.com.example:storage.kube.sys1.xyz"),
            "lun": pool(0, 1),
        },
        {
            "iscsiInterface": pool("default"),
            "fsType": _FS,
            "readOnly": _RO,
            "portals": pool(["10.0.2.16:3260"], ["10.0.2.17:3260", "10.0.2.18"]),
            "secretRef": _REF,
            "initiatorName": pool("iqn.1996-04.de.suse:01:a"),
            "chapAuthDiscovery": _RO,
            "chapAuthSession": _RO,
        },
    ),
    "awsElasticBlockStore": obj(
        {"volumeID": pool("vol-0123456789abcdef0")},
        {"fsType": _FS, "partition": pool(1, 0), "readOnly": _RO},
    ),
    "gcePersistentDisk": obj(
        {"pdName": pool("my-disk")}, {"fsType": _FS, "partition": pool(1, 0), "readOnly": _RO}
    ),
    "azureDisk": _azure_disk,
    "azureFile": obj({"secretName": _NAMES, "shareName": pool("share")}, {"readOnly": _RO}),
    "cephfs": obj(
        {"monitors": pool(["10.16.154.78:6789"], ["10.16.154.82:6789", "10.16.154.83:6789"])},
        {
            "path": pool("/", "/a"),
            "user": pool("admin"),
            "secretFile": pool("/etc/ceph/admin.secret"),
            "secretRef": _REF,
            "readOnly": _RO,
        },
    ),
    "cinder": obj(
        {"volumeID": pool("bd82f7e2")}, {"fsType": _FS, "readOnly": _RO, "secretRef": _REF}
    ),
    "fc": _fc,
    "flexVolume": obj(
        {"driver": pool("example.com/lvm")},
        {"fsType": _FS, "secretRef": _REF, "readOnly": _RO, "options": pool({"volumeID": "v"})},
    ),
    "flocker": _flocker,
    "gitRepo": obj(
        {"repository": pool("https://example.com/a.git")},
        {
            "revision": pool("main", "22f1d8406d464b0c0874075539c1f2e96c253775"),
            "directory": pool(".", "a"),
        },
    ),
    "glusterfs": obj(
        {"endpoints": pool("glusterfs-cluster"), "path": pool("kube_vol")}, {"readOnly": _RO}
    ),
    "photonPersistentDisk": obj({"pdID": pool("p1")}, {"fsType": _FS}),
    "portworxVolume": obj({"volumeID": pool("pxvol")}, {"fsType": _FS, "readOnly": _RO}),
    "quobyte": obj(
        {"registry": pool("registry:7861"), "volume": pool("vol")},
        {"readOnly": _RO, "user": pool("root"), "group": pool("root"), "tenant": pool("t")},
    ),
    "rbd": obj(
        {"monitors": pool(["10.16.154.78:6789"]), "image": pool("foo")},
        {
            "fsType": _FS,
            "pool": pool("kube"),
            "user": pool("admin"),
            "keyring": pool("/etc/ceph/keyring"),
            "secretRef": _REF,
            "readOnly": _RO,
        },
    ),
    "scaleIO": obj(
        {
            "gateway": pool("https://localhost:443/api"),
            "system": pool("scaleio"),
            "secretRef": _REF,
            "volumeName": pool("vol-0"),
        },
        {
            "protectionDomain": pool("pd"),
            "storagePool": pool("sp"),
            "storageMode": pool("ThinProvisioned", "ThickProvisioned"),
            "fsType": _FS,
            "readOnly": _RO,
            "sslEnabled": _RO,
        },
    ),
    "storageos": obj(
        {"volumeName": pool("vol")},
        {
            "volumeNamespace": pool("default"),
            "fsType": _FS,
            "readOnly": _RO,
            "secretRef": _REF,
        },
    ),
    "vsphereVolume": obj(
        {"volumePath": pool("[datastore1] volumes/myDisk")},
        {"fsType": _FS, "storagePolicyName": pool("gold"), "storagePolicyID": pool("id-1")},
    ),
}
ALL_VOLUME_KINDS: tuple[str, ...] = tuple(SOURCES)
#: kinds a ``volumeDevices`` entry may name (a claim, made by the pod or not)
DEVICE_KINDS = frozenset({"persistentVolumeClaim", "ephemeral"})


def fill_container(value: Any, name: str) -> Any:
    """*value* with every ``CONTAINER`` placeholder replaced by *name*."""
    if isinstance(value, dict):
        return {k: fill_container(v, name) for k, v in value.items()}
    if isinstance(value, list):
        return [fill_container(v, name) for v in value]
    return name if value == CONTAINER else value
