"""The deep checks of the in-tree (legacy) volume sources, as ``validateVolumeSource``'s helpers
word them in Kubernetes v1.35.4 (private): iSCSI, FC, GCE/AWS disks, NFS, GlusterFS, Flocker, RBD,
Cinder, CephFS, Quobyte, FlexVolume, Azure File/Disk, vSphere, Photon, Portworx, StorageOS,
ScaleIO, CSI, image and gitRepo volumes.

Each check reads the source's fields as written (after v1 defaulting: an ``azureDisk`` has its
``kind: Shared`` and ``cachingMode: ReadWrite``), in the order the Go function checks them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from podmodel.apiserver._names import inclusive_range, is_dns1123_subdomain
from podmodel.apiserver._rules import local_descending_path
from podmodel.model._frozen import FrozenMap

if TYPE_CHECKING:
    from podmodel.apiserver._rules import Errors
    from podmodel.errors import FieldPath

__all__ = ["LEGACY_CHECKS", "iscsi_name_length"]

# validation.go's initiator and IQN formats (Go's regexp: the IQN one is not anchored at the start)
_IQN = re.compile(r"iqn\.[0-9]{4}-[0-9]{2}\.([A-Za-z0-9.\-]+)(:[^,;*&$|\t\n\f\r ]+)\Z")
_EUI = re.compile(r"eui.[A-Za-z0-9]{16}\Z")
_NAA = re.compile(r"naa.[A-Za-z0-9]{32}\Z")
_PREFIX_MSG = "must be valid format starting with iqn, eui, or naa"
_PARTITION_MSG = inclusive_range(1, 255)  # sic: pdPartitionErrorMsg, while 0 is accepted
_CACHING_MODES = ("None", "ReadOnly", "ReadWrite")
_DISK_KINDS = ("Dedicated", "Managed", "Shared")
_MANAGED_URI = "/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}"
_BLOB_URI = "https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd"
_PULL_POLICIES = ("Always", "IfNotPresent", "Never")


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _required(errs: Errors, f: FrozenMap[str, Any], p: FieldPath, kind: str, *keys: str) -> None:
    for key in keys:
        if f.get(key) in (None, "", ()):
            errs.required(p.child(key), origin=f"{kind}.{key}")


def _format_error(value: str) -> str | None:
    """The IQN / initiator name format check: None when *value* is well-formed."""
    if not value.startswith(("iqn", "eui", "naa")):
        return _PREFIX_MSG
    if value.startswith("iqn") and not _IQN.search(value):
        return "must be valid format"
    if value.startswith("eui") and not _EUI.match(value):
        return "must be valid format"
    if value.startswith("naa") and not _NAA.match(value):
        return "must be valid format"
    return None


def _iscsi(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
    """``validateISCSIVolumeSource``."""
    _required(errs, f, p, "iscsi", "targetPortal")
    iqn = _s(f.get("iqn"))
    if not iqn:
        errs.required(p.child("iqn"), origin="iscsi.iqn")
    elif (msg := _format_error(iqn)) is not None:
        errs.invalid(p.child("iqn"), iqn, msg, "iscsi.iqn")
    lun = f.get("lun")
    if isinstance(lun, int) and not 0 <= lun <= 255:
        errs.invalid(p.child("lun"), lun, inclusive_range(0, 255), "iscsi.lun")
    chap = f.get("chapAuthDiscovery") is True or f.get("chapAuthSession") is True
    if chap and f.get("secretRef") is None:
        errs.required(p.child("secretRef"), origin="iscsi.secretRef")
    initiator = f.get("initiatorName")
    if isinstance(initiator, str) and (msg := _format_error(initiator)) is not None:
        errs.invalid(p.child("initiatorname"), initiator, msg, "iscsi.initiatorName")


def iscsi_name_length(
    errs: Errors, f: FrozenMap[str, Any], vol_name: str, volume_path: FieldPath
) -> None:
    """An iSCSI volume with an initiator name: ``<volume name>:<targetPortal>`` under 64
    characters (checked even when the source is refused as a second one)."""
    if f.get("initiatorName") is not None and len(f"{vol_name}:{_s(f.get('targetPortal'))}") > 64:
        errs.invalid(
            volume_path.child("name"),
            vol_name,
            "Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters "
            "if iscsi.initiatorName is specified.",
            "iscsi.name",
        )


def _fc(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
    """``validateFCVolumeSource``."""
    wwns, wwids = f.get("targetWWNs") or (), f.get("wwids") or ()
    if not wwns and not wwids:
        errs.required(
            p.child("targetWWNs"), "must specify either targetWWNs or wwids, but not both", "fc"
        )
    if wwns and wwids:
        errs.invalid(
            p.child("targetWWNs"), wwns, "targetWWNs and wwids can not be specified simultaneously"
        )
    if wwns:
        lun = f.get("lun")
        if lun is None:
            errs.required(p.child("lun"), "lun is required if targetWWNs is specified", "fc.lun")
        elif isinstance(lun, int) and not 0 <= lun <= 255:
            errs.invalid(p.child("lun"), lun, inclusive_range(0, 255), "fc.lun")


def _disk(key: str) -> Any:
    """``validateGCEPersistentDiskVolumeSource`` / ``validateAWSElasticBlockStoreVolumeSource``."""

    def check(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
        _required(errs, f, p, "disk", key)
        part = f.get("partition")
        if isinstance(part, int) and not 0 <= part <= 255:
            errs.invalid(p.child("partition"), part, _PARTITION_MSG, "disk.partition")

    return check


def _nfs(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
    _required(errs, f, p, "nfs", "server", "path")
    path = _s(f.get("path"))
    if not path.startswith("/"):
        errs.invalid(p.child("path"), path, "must be an absolute path", "nfs.path")


def _flocker(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
    name, uuid = _s(f.get("datasetName")), _s(f.get("datasetUUID"))
    if not name and not uuid:
        errs.required(p, "one of datasetName and datasetUUID is required", "flocker")
    if name and uuid:
        # sic: validateFlockerVolumeSource shows the word "resource" as the value
        errs.invalid(
            p, "resource", "datasetName and datasetUUID can not be specified simultaneously"
        )
    if "/" in name:
        errs.invalid(p.child("datasetName"), name, "must not contain '/'", "flocker.datasetName")


def _secret_ref_name(errs: Errors, f: FrozenMap[str, Any], p: FieldPath, kind: str) -> None:
    ref = f.get("secretRef")
    if isinstance(ref, FrozenMap) and not _s(ref.get("name")):
        errs.required(p.child("secretRef", "name"), origin=f"{kind}.secretRef.name")


def _cinder(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
    _required(errs, f, p, "cinder", "volumeID")
    _secret_ref_name(errs, f, p, "cinder")


def _host_port_ok(pair: str) -> bool:
    """Go's ``net.SplitHostPort`` accepts *pair*."""
    if pair.startswith("["):
        end = pair.find("]")
        return end > 0 and pair[end + 1 : end + 2] == ":" and "[" not in pair[1:end]
    return pair.count(":") == 1


def _quobyte(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
    registry = _s(f.get("registry"))
    msg = "must be a host:port pair or multiple pairs separated by commas"
    if not registry:
        errs.required(p.child("registry"), msg, "quobyte.registry")
    elif len(_s(f.get("tenant"))) >= 65:
        errs.required(
            p.child("tenant"),
            "must be a UUID and may not exceed a length of 64 characters",
            "quobyte.tenant",
        )
    else:
        for pair in registry.split(","):
            if not _host_port_ok(pair):
                errs.invalid(p.child("registry"), registry, msg, "quobyte.registry")
    _required(errs, f, p, "quobyte", "volume")


def _flex(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
    _required(errs, f, p, "flexVolume", "driver")
    options = f.get("options")
    for key in options if isinstance(options, FrozenMap) else ():
        namespace = key.split("/", 1)[0] if "/" in key else key
        normalized = "." + namespace.lower()
        if normalized.endswith((".kubernetes.io", ".k8s.io")):
            errs.invalid(
                p.child("options").key(key),
                key,
                "kubernetes.io and k8s.io namespaces are reserved",
                "flexVolume.options",
            )


def _azure_disk(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
    """``validateAzureDisk``."""
    _required(errs, f, p, "azureDisk", "diskName", "diskURI")
    caching, kind = f.get("cachingMode"), f.get("kind")
    if isinstance(caching, str) and caching not in _CACHING_MODES:
        errs.not_supported(p.child("cachingMode"), caching, _CACHING_MODES, "azureDisk.cachingMode")
    if isinstance(kind, str) and kind not in _DISK_KINDS:
        errs.not_supported(p.child("kind"), kind, _DISK_KINDS, "azureDisk.kind")
    uri = _s(f.get("diskURI"))
    if kind == "Managed" and not uri.startswith("/subscriptions/"):
        errs.not_supported(p.child("diskURI"), uri, (_MANAGED_URI,), "azureDisk.diskURI")
    if isinstance(kind, str) and kind != "Managed" and not uri.startswith("https://"):
        errs.not_supported(p.child("diskURI"), uri, (_BLOB_URI,), "azureDisk.diskURI")


def _storageos(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
    name = _s(f.get("volumeName"))
    if not name:
        errs.required(p.child("volumeName"), origin="storageos.volumeName")
    else:
        errs.label(p.child("volumeName"), name, "storageos.volumeName")
    namespace = _s(f.get("volumeNamespace"))
    if namespace:
        errs.label(p.child("volumeNamespace"), namespace, "storageos.volumeNamespace")
    _secret_ref_name(errs, f, p, "storageos")


def _csi(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
    """``validateCSIVolumeSource`` with ``ValidateCSIDriverName``."""
    driver = _s(f.get("driver"))
    if not driver:
        errs.required(p.child("driver"), origin="csi.driver")
    else:
        if len(driver) > 63:
            errs.too_long(p.child("driver"), 63, "csi.driver")
        for msg in is_dns1123_subdomain(driver.lower()):
            errs.invalid(p.child("driver"), driver, msg, "csi.driver")
    ref = f.get("nodePublishSecretRef")
    if isinstance(ref, FrozenMap):
        name = _s(ref.get("name"))
        if not name:
            errs.required(p.child("nodePublishSecretRef", "name"), origin="csi.secretRef.name")
        else:
            for msg in is_dns1123_subdomain(name):
                # sic: the path is csi.name
                errs.invalid(p.child("name"), name, msg, "csi.secretRef.name")


def _image(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
    _required(errs, f, p, "image", "reference")
    policy = f.get("pullPolicy")
    if isinstance(policy, str) and policy not in _PULL_POLICIES:
        errs.not_supported(p.child("pullPolicy"), policy, _PULL_POLICIES, "image.pullPolicy")


def _git_repo(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
    _required(errs, f, p, "gitRepo", "repository")
    local_descending_path(errs, _s(f.get("directory")), p.child("directory"), "gitRepo.directory")


def _simple(*keys: str) -> Any:
    def check(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
        _required(errs, f, p, "volume", *keys)

    return check


def _rbd(errs: Errors, f: FrozenMap[str, Any], p: FieldPath) -> None:
    _required(errs, f, p, "rbd", "monitors", "image")


#: The check of each in-tree source, by its v1 field name (the path segment it reports under is
#: the same, except ``gcePersistentDisk``'s ``persistentDisk``, handled by the caller).
LEGACY_CHECKS: dict[str, Any] = {
    "gitRepo": _git_repo,
    "gcePersistentDisk": _disk("pdName"),
    "awsElasticBlockStore": _disk("volumeID"),
    "nfs": _nfs,
    "iscsi": _iscsi,
    "glusterfs": _simple("endpoints", "path"),
    "flocker": _flocker,
    "rbd": _rbd,
    "cinder": _cinder,
    "cephfs": _simple("monitors"),
    "quobyte": _quobyte,
    "fc": _fc,
    "flexVolume": _flex,
    "azureFile": _simple("secretName", "shareName"),
    "vsphereVolume": _simple("volumePath"),
    "photonPersistentDisk": _simple("pdID"),
    "portworxVolume": _simple("volumeID"),
    "azureDisk": _azure_disk,
    "storageos": _storageos,
    "scaleIO": _simple("gateway", "system", "volumeName"),
    "csi": _csi,
    "image": _image,
}
