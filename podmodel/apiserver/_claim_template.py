"""Generic ephemeral volumes (private): the claim template's own checks, as
``ValidatePersistentVolumeClaimTemplate`` and ``ValidatePersistentVolumeClaimSpec`` of
Kubernetes v1.35.4 word them, and the name of the claim the volume creates.

The template's metadata may hold labels and annotations only: any other field that is set (an
empty list counts, as Go compares with the zero value) is ``Forbidden: cannot be set``, at the
path of its Go field name with a lower-case first letter (``uID``, sic).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from podmodel.apiserver._names import (
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
)
from podmodel.apiserver._scheduling_rules import label_selector, labels
from podmodel.errors import GoStruct, go_quote
from podmodel.model._frozen import FrozenMap
from podmodel.model._quantity import parse_quantity
from podmodel.model.spec import ObjectMeta, manifest_fields

if TYPE_CHECKING:
    from podmodel.apiserver._rules import Errors
    from podmodel.errors import FieldPath

__all__ = ["claim_template", "pvc_name"]

# ObjectMeta's fields in declaration order, but labels and annotations: (JSON name, Go name).
_META_FIELDS = (
    ("name", "Name"),
    ("generateName", "GenerateName"),
    ("namespace", "Namespace"),
    ("selfLink", "SelfLink"),
    ("uid", "UID"),
    ("resourceVersion", "ResourceVersion"),
    ("generation", "Generation"),
    ("creationTimestamp", "CreationTimestamp"),
    ("deletionTimestamp", "DeletionTimestamp"),
    ("deletionGracePeriodSeconds", "DeletionGracePeriodSeconds"),
    ("ownerReferences", "OwnerReferences"),
    ("finalizers", "Finalizers"),
    ("managedFields", "ManagedFields"),
)
_POINTERS = frozenset({"deletionGracePeriodSeconds", "ownerReferences", "finalizers"})
_ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")
_VOLUME_MODES = ("Block", "Filesystem")
_DEFAULT_GROUP = "must be 'PersistentVolumeClaim' when referencing the default apiGroup"


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _is_set(key: str, value: Any) -> bool:
    """Go's ``!reflect.DeepEqual(field, zero)`` for a decoded ObjectMeta field."""
    if value is None:
        return False
    if key in _POINTERS or key == "managedFields":
        return True  # a pointer or a slice: any non-nil value, even empty
    return value not in ("", 0)


def _wire_meta(meta: Any) -> FrozenMap[str, Any]:
    """The template's metadata as written (the decoder may have typed it as an ObjectMeta)."""
    if isinstance(meta, ObjectMeta):
        return manifest_fields(meta)
    return meta if isinstance(meta, FrozenMap) else FrozenMap()


def _metadata(errs: Errors, meta: Any, path: FieldPath) -> None:
    """``ValidateTemplateObjectMeta``."""
    m = _wire_meta(meta)
    notes = m.get("annotations")
    for key in sorted(notes) if isinstance(notes, FrozenMap) else ():
        for msg in is_qualified_name(key.lower()):
            errs.invalid(path.child("annotations"), key, msg, "claimTemplate.annotations")
    labels(errs, m.get("labels"), path.child("labels"), "claimTemplate.labels")
    for key, go_name in _META_FIELDS:
        if _is_set(key, m.get(key)):
            errs.forbidden(
                path.child(go_name[0].lower() + go_name[1:]), "cannot be set", "claimTemplate"
            )


def _data_source(errs: Errors, ref: FrozenMap[str, Any], path: FieldPath, *, full: bool) -> None:
    """``validateDataSource`` / ``validateDataSourceRef`` (*full*)."""
    if not _s(ref.get("name")):
        errs.required(path.child("name"), origin="dataSource.name")
    kind = _s(ref.get("kind"))
    if not kind:
        errs.required(path.child("kind"), origin="dataSource.kind")
    group = _s(ref.get("apiGroup"))
    if not group and kind != "PersistentVolumeClaim":
        errs.invalid(path, kind, _DEFAULT_GROUP, "dataSource.kind")
    for msg in is_dns1123_subdomain(group) if group else ():
        errs.invalid(path.child("apiGroup"), group, msg, "dataSource.apiGroup")
    namespace = _s(ref.get("namespace")) if full else ""
    for msg in is_dns1123_label(namespace) if namespace else ():
        errs.invalid(path.child("namespace"), namespace, msg, "dataSourceRef.namespace")


def _spec(errs: Errors, spec: Any, path: FieldPath) -> None:
    """``ValidatePersistentVolumeClaimSpec`` (the options of a new claim template)."""
    s = spec if isinstance(spec, FrozenMap) else FrozenMap()
    modes = s.get("accessModes")
    modes = modes if isinstance(modes, tuple) else ()
    if not modes:
        errs.required(path.child("accessModes"), "at least 1 access mode is required", "pvc")
    label_selector(errs, s.get("selector"), path.child("selector"), "pvc.selector")
    once_pod = other = False
    for mode in modes:
        if mode not in _ACCESS_MODES:
            errs.not_supported(path.child("accessModes"), mode, _ACCESS_MODES, "pvc.accessModes")
        if mode == "ReadWriteOncePod":
            once_pod = True
        elif mode in _ACCESS_MODES:
            other = True
    if once_pod and other:
        errs.forbidden(
            path.child("accessModes"), "may not use ReadWriteOncePod with other access modes"
        )
    resources = s.get("resources")
    requests = resources.get("requests") if isinstance(resources, FrozenMap) else None
    storage = requests.get("storage") if isinstance(requests, FrozenMap) else None
    storage_path = path.child("resources").key("storage")
    if storage is None:
        errs.required(storage_path, origin="pvc.storage")
    else:
        try:
            q = parse_quantity(storage)
        except ValueError:
            q = None
        if q is not None and q.value <= 0:
            errs.invalid(storage_path, str(q), "must be greater than zero", "pvc.storage")
    for key, origin in (("storageClassName", "pvc.storageClassName"),):
        name = _s(s.get(key))
        for msg in is_dns1123_subdomain(name) if name else ():
            errs.invalid(path.child(key), name, msg, origin)
    mode = s.get("volumeMode")
    if isinstance(mode, str) and mode not in _VOLUME_MODES:
        errs.not_supported(path.child("volumeMode"), mode, _VOLUME_MODES, "pvc.volumeMode")
    source, ref = s.get("dataSource"), s.get("dataSourceRef")
    if isinstance(source, FrozenMap):
        _data_source(errs, source, path.child("dataSource"), full=False)
    if isinstance(ref, FrozenMap):
        _data_source(errs, ref, path.child("dataSourceRef"), full=True)
    here = GoStruct(())  # Go prints the *field.Path given as the value: {}
    if isinstance(ref, FrozenMap) and _s(ref.get("namespace")):
        if isinstance(source, FrozenMap):
            errs.invalid(
                path, here, "may not be specified when dataSourceRef.namespace is specified"
            )
    elif isinstance(source, FrozenMap) and isinstance(ref, FrozenMap):
        # isDataSourceEqualDataSourceRef: the apiGroup pointers DeepEqual (unset is not ""),
        # kind and name as strings (unset is "")
        same = source.get("apiGroup") == ref.get("apiGroup") and all(
            (source.get(k) or "") == (ref.get(k) or "") for k in ("kind", "name")
        )
        if not same:
            errs.invalid(path, here, "must match dataSourceRef")
    vac = _s(s.get("volumeAttributesClassName"))
    for msg in is_dns1123_subdomain(vac) if vac else ():
        errs.invalid(path.child("volumeAttributesClassName"), vac, msg, "pvc.attributesClass")


def claim_template(errs: Errors, template: FrozenMap[str, Any], path: FieldPath) -> None:
    """``ValidatePersistentVolumeClaimTemplate`` at ``ephemeral.volumeClaimTemplate``."""
    _metadata(errs, template.get("metadata"), path.child("metadata"))
    _spec(errs, template.get("spec"), path.child("spec"))


def pvc_name(errs: Errors, pod_name: str, volume_name: str, volume_path: FieldPath) -> None:
    """The claim ``<pod>-<volume>`` the volume creates must be a valid object name."""
    if not pod_name or not volume_name:
        return
    claim = f"{pod_name}-{volume_name}"
    for msg in is_dns1123_subdomain(claim):
        errs.invalid(
            volume_path.child("name"), volume_name, f"PVC name {go_quote(claim)}: {msg}", "pvc.name"
        )
