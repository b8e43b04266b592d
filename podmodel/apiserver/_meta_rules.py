"""Object-metadata rules (private), as apimachinery's ``ValidateObjectMetaAccessor`` and core's
``ValidateObjectMeta`` (v1.35.4) word them: owner references, finalizers, managed fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from podmodel.apiserver._names import is_qualified_name
from podmodel.errors import GoStruct
from podmodel.model._frozen import FrozenMap

if TYPE_CHECKING:
    from podmodel.apiserver._rules import Errors
    from podmodel.errors import FieldPath

__all__ = [
    "kube_finalizer_names",
    "validate_finalizers",
    "validate_managed_fields",
    "validate_owner_references",
]

_STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")


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
