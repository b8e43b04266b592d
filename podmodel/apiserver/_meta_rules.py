"""Object-metadata rules (private), as apimachinery's ``ValidateObjectMetaAccessor`` and core's
``ValidateObjectMeta`` (v1.35.4) word them: owner references, finalizers, managed fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from podmodel.apiserver._names import (
    is_dns1123_label,
    is_dns1123_subdomain,
    is_label_value,
    is_qualified_name,
)
from podmodel.errors import FieldPath, GoStruct
from podmodel.model._frozen import FrozenMap

if TYPE_CHECKING:
    from podmodel.apiserver._rules import Errors
    from podmodel.model.spec import ObjectMeta

__all__ = [
    "kube_finalizer_names",
    "object_meta",
    "validate_finalizers",
    "validate_managed_fields",
    "validate_owner_references",
]

_STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")
_ANNOTATIONS_LIMIT = 256 * 1024
# the paths below metadata that object_meta names, built once (paths are immutable)
_AT = {
    name: FieldPath(("metadata", name))
    for name in (
        "generateName",
        "name",
        "namespace",
        "generation",
        "labels",
        "annotations",
        "ownerReferences",
        "finalizers",
        "managedFields",
    )
}


def object_meta(
    errs: Errors, meta: ObjectMeta, name: str, namespace: str, *, dns_label: bool = False
) -> None:
    """apimachinery ``ValidateObjectMetaAccessor`` for a namespaced object named *name* (after
    ``generateName``), with ``NameIsDNSSubdomain`` (``NameIsDNSLabel`` when *dns_label*);
    labels and annotations in sorted key order (Go iterates maps randomly)."""
    check = is_dns1123_label if dns_label else is_dns1123_subdomain
    if meta.generate_name:
        masked = meta.generate_name
        if len(masked) > 1 and masked.endswith("-"):
            masked = masked[:-1] + "a"
        for msg in check(masked):
            errs.invalid(_AT["generateName"], meta.generate_name, msg, "metadata.generateName")
    if not name:
        errs.required(_AT["name"], "name or generateName is required", "metadata.name")
    else:
        for msg in check(name):
            errs.invalid(_AT["name"], name, msg, "metadata.name")
    for msg in is_dns1123_label(namespace):
        errs.invalid(_AT["namespace"], namespace, msg, "metadata.namespace")
    written = meta.extra.get  # (a list written empty counts as written: see validation)
    errs.nonnegative(_AT["generation"], meta.generation, "metadata.generation")
    labels = meta.labels
    if labels:
        for key in sorted(labels):
            for msg in is_qualified_name(key):
                errs.invalid(_AT["labels"], key, msg, "metadata.labels.key")
            for msg in is_label_value(labels[key]):
                errs.invalid(_AT["labels"], labels[key], msg, "metadata.labels.value")
    annotations = meta.annotations
    if annotations:
        total = 0
        for key in sorted(annotations):
            for msg in is_qualified_name(key.lower()):
                errs.invalid(_AT["annotations"], key, msg, "metadata.annotations.key")
            total += len(key.encode()) + len(annotations[key].encode())
        if total > _ANNOTATIONS_LIMIT:
            errs.too_long(_AT["annotations"], _ANNOTATIONS_LIMIT, "metadata.annotations.size")
    # (the lists below are rare in a manifest: each check runs when its list is there)
    owners = meta.owner_references or written("ownerReferences")
    if owners is not None:
        validate_owner_references(errs, owners, _AT["ownerReferences"])
    finalizers = meta.finalizers or written("finalizers")
    if finalizers is not None:
        validate_finalizers(errs, finalizers, _AT["finalizers"])
    managed = meta.managed_fields or written("managedFields")
    if managed is not None:
        validate_managed_fields(errs, managed, _AT["managedFields"])
    if finalizers is not None:
        kube_finalizer_names(errs, finalizers, _AT["finalizers"])


def _list(value: Any) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else ()


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _group_version_kind(api_version: str, kind: str) -> tuple[str, str, str]:
    """``schema.FromAPIVersionAndKind``: an unparsable apiVersion leaves group and version empty."""
    if not api_version:
        return "", "", kind
    if "/" not in api_version:
        return "", api_version, kind
    parts = api_version.split("/")
    if len(parts) != 2:
        return "", "", kind
    return parts[0], parts[1], kind


def _owner(ref: FrozenMap[str, Any]) -> GoStruct:
    """An ``OwnerReference`` as Go prints it: its JSON names in declaration order, the two
    ``omitempty`` pointers left out when nil."""
    fields: list[tuple[str, Any]] = [(k, _str(ref.get(k))) for k in ("apiVersion", "kind", "name")]
    fields.append(("uid", _str(ref.get("uid"))))
    fields += [(k, ref[k]) for k in ("controller", "blockOwnerDeletion") if ref.get(k) is not None]
    return GoStruct(tuple(fields))


def validate_owner_references(errs: Errors, refs: Any, path: FieldPath) -> None:
    """``ValidateOwnerReferences`` (every error at the list's path, without an index)."""
    first = ""
    items = _list(refs)
    for item in items:
        ref = item if isinstance(item, FrozenMap) else FrozenMap()
        api_version, kind = _str(ref.get("apiVersion")), _str(ref.get("kind"))
        group, version, _ = _group_version_kind(api_version, kind)
        if not version:
            errs.invalid(path.child("apiVersion"), api_version, "version must not be empty")
        if not kind:
            errs.invalid(path.child("kind"), kind, "must not be empty")
        for key in ("name", "uid"):
            if not _str(ref.get(key)):
                errs.invalid(path.child(key), _str(ref.get(key)), "must not be empty")
        if (group, version, kind) == ("", "v1", "Event"):
            errs.invalid(path, _owner(ref), "/v1, Kind=Event is disallowed from being an owner")
        if ref.get("controller") is True:
            current = f"{kind}/{_str(ref.get('name'))}"
            if first:
                errs.invalid(
                    path,
                    tuple(_owner(r if isinstance(r, FrozenMap) else FrozenMap()) for r in items),
                    "Only one reference can have Controller set to true. "
                    f'Found "true" in references for {first} and {current}',
                )
            else:
                first = current


def validate_finalizers(errs: Errors, finalizers: Any, path: FieldPath) -> None:
    """apimachinery ``ValidateFinalizers`` (errors at the list's path, without an index)."""
    items = [f for f in _list(finalizers) if isinstance(f, str)]
    for fin in items:
        for msg in is_qualified_name(fin):
            errs.invalid(path, fin, msg, "metadata.finalizers")
    if "orphan" in items and "foregroundDeletion" in items:
        errs.invalid(
            path,
            tuple(_list(finalizers)),
            "finalizer orphan and foregroundDeletion cannot be both set",
            "metadata.finalizers.conflict",
        )


def kube_finalizer_names(errs: Errors, finalizers: Any, path: FieldPath) -> None:
    """core ``validateKubeFinalizerName``: a name without ``/`` must be a standard one."""
    for i, fin in enumerate(_list(finalizers)):
        if isinstance(fin, str) and "/" not in fin and fin not in _STANDARD_FINALIZERS:
            errs.invalid(
                path.index(i),
                fin,
                "name is neither a standard finalizer name nor is it fully qualified",
                "metadata.finalizers.standard",
            )


def validate_managed_fields(errs: Errors, entries: Any, path: FieldPath) -> None:
    """apimachinery ``ValidateManagedFields``."""
    for i, item in enumerate(_list(entries)):
        entry = item if isinstance(item, FrozenMap) else FrozenMap()
        p = path.index(i)
        op = _str(entry.get("operation"))
        if op not in ("Apply", "Update"):
            errs.invalid(p.child("operation"), op, "must be `Apply` or `Update`")
        kind = _str(entry.get("fieldsType"))
        if kind and kind != "FieldsV1":
            errs.invalid(p.child("fieldsType"), kind, "must be `FieldsV1`")
        manager = _str(entry.get("manager"))
        if len(manager) > 128:
            errs.too_long(p.child("manager"), 128)
        for j, ch in enumerate(manager):
            if not ch.isprintable():
                errs.invalid(
                    p.child("manager"),
                    manager,
                    f"invalid character U+{ord(ch):04X} (at position {j})",
                )
        if len(_str(entry.get("subresource"))) > 256:
            errs.too_long(p.child("subresource"), 256)
