"""Volume rules of ``ValidateVolumes`` / ``validateVolumeSource`` (v1.35), private.

The order of the sources and the two misspelt paths (``cephFS``, ``downwarAPI``) are the API
server's own. A volume with any error is left out of the returned name → volume map, so that its
mounts are reported ``Not found`` too (the server's cascade).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from podmodel.apiserver._claim_template import claim_template, pvc_name
from podmodel.apiserver._names import is_dns1123_label
from podmodel.apiserver._projected_rules import downward_api_items, key_to_paths, projected
from podmodel.apiserver._rules import Errors, no_backsteps
from podmodel.apiserver._volume_sources import LEGACY_CHECKS, iscsi_name_length
from podmodel.model._frozen import FrozenMap
from podmodel.model._quantity import parse_quantity
from podmodel.model.spec import EmptyDir, HostPath, OtherVolumeSource, Volume, VolumeSource

if TYPE_CHECKING:
    from podmodel.errors import FieldPath

__all__ = ["SOURCE_ORDER", "validate_volumes"]

_NO_MAP: FrozenMap[str, Any] = FrozenMap()  # the missing map, shared (it is immutable)

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


def _fields(src: VolumeSource) -> FrozenMap[str, Any]:
    return src.fields if isinstance(src, OtherVolumeSource) else _NO_MAP


def _source(errs: Errors, src: VolumeSource, path: FieldPath) -> None:
    kind = src.kind
    if isinstance(src, EmptyDir):
        if src.size_limit is not None:
            p = path.child(kind)
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
    p = path.child(kind)
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
        mode = f.get("defaultMode")
        if isinstance(mode, int) and not 0 <= mode <= 0o777:  # the path for an error only
            errs.file_mode(p.child("defaultMode"), mode, f"{kind}.defaultMode")
        if f.get("items") is not None:
            key_to_paths(errs, f.get("items"), p.child("items"))
    elif kind == "downwardAPI":
        errs.file_mode(p.child("defaultMode"), f.get("defaultMode"), "downwardAPI.defaultMode")
        downward_api_items(errs, f.get("items"), p)
    elif kind == "persistentVolumeClaim":
        if not f.get("claimName"):
            errs.required(p.child("claimName"), origin="persistentVolumeClaim.claimName")
    elif kind == "projected":
        projected(errs, f, p)
    elif kind == "ephemeral":
        template = f.get("volumeClaimTemplate")
        if not isinstance(template, FrozenMap):
            errs.required(p.child("volumeClaimTemplate"), origin="ephemeral.volumeClaimTemplate")
        else:
            claim_template(errs, template, p.child("volumeClaimTemplate"))
    elif kind in LEGACY_CHECKS:
        if kind == "gcePersistentDisk":
            p = path.child("persistentDisk")  # sic: validateGCEPersistentDiskVolumeSource
        LEGACY_CHECKS[kind](errs, f, p)


def validate_volumes(
    errs: Errors, volumes: tuple[Volume, ...], pod_name: str, path: FieldPath
) -> dict[str, Volume]:
    """``ValidateVolumes``: append errors; return the valid volumes by name."""
    created_pvcs: set[str] | None = None  # built when a claim is there to compare
    valid: dict[str, Volume] = {}
    for i, vol in enumerate(volumes):
        ip = path.index(i)
        local = Errors()
        seen = False
        sources = vol.sources
        if len(sources) > 1:
            sources = tuple(sorted(sources, key=lambda s: _RANK.get(s.kind, len(_RANK))))
        for src in sources:
            if seen:
                wrong = dict(SOURCE_ORDER).get(src.kind, src.kind)
                local.forbidden(
                    ip.child(wrong),
                    "may not specify more than 1 volume type",
                    "volume.multipleSources",
                )
            else:
                seen = True
                _source(local, src, ip)
                if src.kind == "ephemeral":
                    pvc_name(local, pod_name, vol.name or "", ip)
            if src.kind == "iscsi":
                iscsi_name_length(local, _fields(src), vol.name or "", ip)
        if not seen:
            local.required(ip, "must specify a volume type", "volume.noSource")
        name = vol.name or ""
        if not name:
            local.required(ip.child("name"), origin="volume.name")
        else:
            for msg in is_dns1123_label(name):  # the path is built for an error only
                local.invalid(ip.child("name"), name, msg, "volume.name")
        if name in valid:
            local.duplicate(ip.child("name"), name, "volume.name.duplicate")
        if local:
            errs.extend(local)
        else:
            valid[name] = vol
        for src in vol.sources:
            if src.kind == "persistentVolumeClaim":
                if created_pvcs is None:
                    created_pvcs = {
                        f"{pod_name}-{v.name}"
                        for v in volumes
                        if pod_name and any(s.kind == "ephemeral" for s in v.sources)
                    }
                claim = _fields(src).get("claimName")
                if claim in created_pvcs:
                    errs.invalid(
                        ip.child("persistentVolumeClaim", "claimName"),
                        claim,
                        "must not reference a PVC that gets created for an ephemeral volume",
                        "persistentVolumeClaim.ephemeral",
                    )
    return valid
