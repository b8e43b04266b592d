"""Volume rules of ``ValidateVolumes`` / ``validateVolumeSource`` (v1.35), private.

The order of the sources and the two misspelt paths (``cephFS``, ``downwarAPI``) are the API
server's own. A volume with any error is left out of the returned name → volume map, so that its
mounts are reported ``Not found`` too (the server's cascade).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from podmodel.apiserver._rules import Errors, local_non_reserved_path, no_backsteps
from podmodel.apiserver._selectors import field_selector, resource_field_selector
from podmodel.model._frozen import FrozenMap
from podmodel.model._quantity import parse_quantity
from podmodel.model.spec import EmptyDir, HostPath, OtherVolumeSource, Volume, VolumeSource

if TYPE_CHECKING:
    from podmodel.errors import FieldPath

__all__ = ["SOURCE_ORDER", "validate_volumes"]

#: validateVolumeSource's order; the second name is the path of its "more than 1" error.
SOURCE_ORDER: tuple[tuple[str, str], ...] = (
    ("emptyDir", "emptyDir"),
    ("hostPath", "hostPath"),
    ("gitRepo", "gitRepo"),
    ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("secret", "secret"),
    ("nfs", "nfs"),
    ("iscsi", "iscsi"),
    ("glusterfs", "glusterfs"),
    ("flocker", "flocker"),
    ("persistentVolumeClaim", "persistentVolumeClaim"),
    ("rbd", "rbd"),
    ("cinder", "cinder"),
    ("cephfs", "cephFS"),
    ("quobyte", "quobyte"),
    ("downwardAPI", "downwarAPI"),
    ("fc", "fc"),
    ("flexVolume", "flexVolume"),
    ("configMap", "configMap"),
    ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"),
    ("storageos", "storageos"),
    ("projected", "projected"),
    ("scaleIO", "scaleIO"),
    ("csi", "csi"),
    ("ephemeral", "ephemeral"),
    ("image", "image"),
)
_RANK = {name: i for i, (name, _) in enumerate(SOURCE_ORDER)}
_HOST_PATH_TYPES = (
    "",
    "BlockDevice",
    "CharDevice",
    "Directory",
    "DirectoryOrCreate",
    "File",
    "FileOrCreate",
    "Socket",
)
VOLUME_FIELD_PATHS = (
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
)
# Structural "Required" fields of the sources podmodel gives no meaning to.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "gcePersistentDisk": ("pdName",),
    "awsElasticBlockStore": ("volumeID",),
    "nfs": ("server", "path"),
    "iscsi": ("targetPortal", "iqn"),
    "glusterfs": ("endpoints", "path"),
    "flocker": (),
    "rbd": ("monitors", "image"),
    "cinder": ("volumeID",),
    "cephfs": ("monitors",),
    "quobyte": ("registry", "volume"),
    "flexVolume": ("driver",),
    "azureFile": ("secretName", "shareName"),
    "vsphereVolume": ("volumePath",),
    "photonPersistentDisk": ("pdID",),
    "portworxVolume": ("volumeID",),
    "azureDisk": ("diskName", "diskURI"),
    "storageos": ("volumeName",),
    "scaleIO": ("gateway", "system", "secretRef"),
    "csi": ("driver",),
    "image": ("reference",),
}


_REQUIRED_DETAIL = {
    ("quobyte", "registry"): "must be a host:port pair or multiple pairs separated by commas",
}


def _fields(src: VolumeSource) -> FrozenMap[str, Any]:
    return src.fields if isinstance(src, OtherVolumeSource) else FrozenMap()


def _key_to_paths(errs: Errors, items: Any, path: FieldPath) -> None:
    if not isinstance(items, tuple):
        return
    for k, item in enumerate(items):
        if not isinstance(item, FrozenMap):
            continue
        p = path.index(k)
        if not item.get("key"):
            errs.required(p.child("key"), origin="volume.items.key")
        target = item.get("path") or ""
        if not target:
            errs.required(p.child("path"), origin="volume.items.path")
        local_non_reserved_path(errs, target, p.child("path"), "volume.items.path")
        errs.file_mode(p.child("mode"), item.get("mode"), "volume.items.mode")


def _downward_api_items(errs: Errors, items: Any, path: FieldPath) -> None:
    """Items are reported at ``downwardAPI.path`` with no index (the server's quirk)."""
    if not isinstance(items, tuple):
        return
    for item in items:
        if not isinstance(item, FrozenMap):
            continue
        target = item.get("path") or ""
        if not target:
            errs.required(path.child("path"), origin="downwardAPI.path")
        local_non_reserved_path(errs, target, path.child("path"), "downwardAPI.path")
        ref, res = item.get("fieldRef"), item.get("resourceFieldRef")
        if isinstance(ref, FrozenMap):
            field_selector(errs, ref, path.child("fieldRef"), VOLUME_FIELD_PATHS)
            if res is not None:
                errs.invalid(
                    path,
                    "resource",
                    "fieldRef and resourceFieldRef can not be specified simultaneously",
                    "downwardAPI.bothRefs",
                )
        elif isinstance(res, FrozenMap):
            resource_field_selector(errs, res, path.child("resourceFieldRef"), volume=True)
        else:
            errs.required(
                path, "one of fieldRef and resourceFieldRef is required", "downwardAPI.ref"
            )
        errs.file_mode(path.child("mode"), item.get("mode"), "downwardAPI.mode")


def _source(errs: Errors, src: VolumeSource, path: FieldPath) -> None:
    kind = src.kind
    p = path.child(kind)
    if isinstance(src, EmptyDir):
        if src.size_limit is not None:
            try:
                negative = parse_quantity(src.size_limit).value < 0
            except ValueError:
                negative = False
            if negative:
                errs.forbidden(
                    p.child("sizeLimit"),
                    "SizeLimit field must be a valid resource quantity",
                    "emptyDir.sizeLimit",
                )
        return
    if isinstance(src, HostPath):
        if not src.path:
            errs.required(p.child("path"), origin="hostPath.path")
            return
        if not no_backsteps(src.path):
            errs.invalid(p.child("path"), src.path, "must not contain '..'", "hostPath.path")
        if src.type is not None and src.type not in _HOST_PATH_TYPES:
            errs.not_supported(p.child("type"), src.type, _HOST_PATH_TYPES, "hostPath.type")
        return
    f = _fields(src)
    if kind in ("secret", "configMap"):
        name_key = "secretName" if kind == "secret" else "name"
        if not f.get(name_key):
            errs.required(p.child(name_key), origin=f"{kind}.{name_key}")
        errs.file_mode(p.child("defaultMode"), f.get("defaultMode"), f"{kind}.defaultMode")
        _key_to_paths(errs, f.get("items"), p.child("items"))
    elif kind == "downwardAPI":
        errs.file_mode(p.child("defaultMode"), f.get("defaultMode"), "downwardAPI.defaultMode")
        _downward_api_items(errs, f.get("items"), p)
    elif kind == "persistentVolumeClaim":
        if not f.get("claimName"):
            errs.required(p.child("claimName"), origin="persistentVolumeClaim.claimName")
    elif kind == "projected":
        _projected(errs, f, p)
    elif kind == "gitRepo":
        if not f.get("repository"):
            errs.required(p.child("repository"), origin="gitRepo.repository")
        directory = f.get("directory") or ""
        if directory:
            local_non_reserved_path(errs, directory, p.child("directory"), "gitRepo.directory")
    elif kind == "ephemeral":
        if f.get("volumeClaimTemplate") is None:
            errs.required(p.child("volumeClaimTemplate"), origin="ephemeral.volumeClaimTemplate")
    elif kind == "flocker":
        if not f.get("datasetName") and not f.get("datasetUUID"):
            errs.required(p, "one of datasetName and datasetUUID is required", "flocker")
        elif f.get("datasetName") and f.get("datasetUUID"):
            # sic: validateFlockerVolumeSource shows the word "resource" as the value
            errs.invalid(
                p,
                "resource",
                "datasetName and datasetUUID can not be specified simultaneously",
                "flocker.both",
            )
    else:
        if kind == "gcePersistentDisk":
            p = path.child("persistentDisk")  # sic: validateGCEPersistentDiskVolumeSource
        for key in _REQUIRED.get(kind, ()):
            value = f.get(key)
            if value in (None, "", ()):
                errs.required(p.child(key), _REQUIRED_DETAIL.get((kind, key), ""), f"{kind}.{key}")
        if kind == "nfs" and f.get("path") and not str(f["path"]).startswith("/"):
            errs.invalid(p.child("path"), f["path"], "must be an absolute path", "nfs.path")


def _projected(errs: Errors, f: FrozenMap[str, Any], path: FieldPath) -> None:
    errs.file_mode(path.child("defaultMode"), f.get("defaultMode"), "projected.defaultMode")
    sources = f.get("sources")
    if not isinstance(sources, tuple):
        return
    for k, proj in enumerate(sources):
        if not isinstance(proj, FrozenMap):
            continue
        sp = path.child("sources").index(k)
        count = 0
        for kind in (
            "secret",
            "downwardAPI",
            "configMap",
            "serviceAccountToken",
            "clusterTrustBundle",
            "podCertificate",
        ):
            sub = proj.get(kind)
            if sub is None:
                continue
            if count > 0:
                errs.forbidden(
                    sp.child(kind),
                    "may not specify more than 1 volume type per source",
                    "projected.sources.multiple",
                )
                continue
            count += 1
            if not isinstance(sub, FrozenMap):
                continue
            if kind in ("secret", "configMap"):
                if not sub.get("name"):
                    errs.required(sp.child(kind, "name"), origin=f"projected.{kind}.name")
                _key_to_paths(errs, sub.get("items"), sp.child(kind, "items"))
            elif kind == "downwardAPI":
                _downward_api_items(errs, sub.get("items"), sp.child(kind))
            elif kind == "serviceAccountToken":
                target = sub.get("path") or ""
                if not target:
                    errs.required(
                        sp.child(kind, "path"), origin="projected.serviceAccountToken.path"
                    )
                local_non_reserved_path(
                    errs, target, sp.child(kind, "path"), "projected.serviceAccountToken.path"
                )
                seconds = sub.get("expirationSeconds")
                if isinstance(seconds, int) and seconds < 600:
                    errs.invalid(
                        sp.child(kind, "expirationSeconds"),
                        seconds,
                        "may not specify a duration less than 10 minutes",
                        "projected.serviceAccountToken.expirationSeconds",
                    )
                elif isinstance(seconds, int) and seconds > 1 << 32:
                    errs.invalid(
                        sp.child(kind, "expirationSeconds"),
                        seconds,
                        "may not specify a duration larger than 2^32 seconds",
                        "projected.serviceAccountToken.expirationSeconds",
                    )
        # an empty source is accepted in v1.35 (the oracle shows no error; a warning names it)


def validate_volumes(
    errs: Errors, volumes: tuple[Volume, ...], pod_name: str, path: FieldPath
) -> dict[str, Volume]:
    """``ValidateVolumes``: append errors; return the valid volumes by name."""
    created_pvcs = {
        f"{pod_name}-{v.name}"
        for v in volumes
        if pod_name and any(s.kind == "ephemeral" for s in v.sources)
    }
    valid: dict[str, Volume] = {}
    for i, vol in enumerate(volumes):
        ip = path.index(i)
        local = Errors()
        seen = False
        for src in sorted(vol.sources, key=lambda s: _RANK.get(s.kind, len(_RANK))):
            if seen:
                wrong = dict(SOURCE_ORDER).get(src.kind, src.kind)
                local.forbidden(
                    ip.child(wrong),
                    "may not specify more than 1 volume type",
                    "volume.multipleSources",
                )
                continue
            seen = True
            _source(local, src, ip)
        if not seen:
            local.required(ip, "must specify a volume type", "volume.noSource")
        name = vol.name or ""
        if not name:
            local.required(ip.child("name"), origin="volume.name")
        else:
            local.label(ip.child("name"), name, "volume.name")
        if name in valid:
            local.duplicate(ip.child("name"), name, "volume.name.duplicate")
        if local:
            errs.extend(local)
        else:
            valid[name] = vol
        for src in vol.sources:
            if src.kind == "persistentVolumeClaim":
                claim = _fields(src).get("claimName")
                if claim in created_pvcs:
                    errs.invalid(
                        ip.child("persistentVolumeClaim", "claimName"),
                        claim,
                        "must not reference a PVC that gets created for an ephemeral volume",
                        "persistentVolumeClaim.ephemeral",
                    )
    return valid
