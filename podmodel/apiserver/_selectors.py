"""Selectors shared by the env and the volume rules of ``validation.go`` v1.35 (private):
``validateObjectFieldSelector`` (``fieldRef``) and ``validateContainerResourceFieldSelector``
(``resourceFieldRef``), with the field-label conversion they apply first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from podmodel.apiserver._names import is_qualified_name
from podmodel.model._quantity import parse_quantity

if TYPE_CHECKING:
    from podmodel.apiserver._rules import Errors
    from podmodel.errors import FieldPath
    from podmodel.model._frozen import FrozenMap

__all__ = ["field_selector", "resource_field_selector"]


_RESOURCE_FIELD_PATHS = (
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
)


def resource_field_selector(
    errs: Errors, sel: FrozenMap[str, Any], path: FieldPath, *, volume: bool
) -> None:
    """``validateContainerResourceFieldSelector``."""
    resource = sel.get("resource") or ""
    if volume and not sel.get("containerName"):
        # one chain in Go: a volume's missing container name hides the resource's errors
        errs.required(path.child("containerName"), origin="resourceFieldRef.containerName")
    elif not resource:
        errs.required(path.child("resource"), origin="resourceFieldRef.resource")
    elif resource not in _RESOURCE_FIELD_PATHS and not resource.startswith(
        ("limits.hugepages-", "requests.hugepages-")
    ):
        errs.not_supported(
            path.child("resource"), resource, _RESOURCE_FIELD_PATHS, "resourceFieldRef.resource"
        )
    divisor = sel.get("divisor")
    if divisor is None:
        return
    try:
        value = parse_quantity(divisor)
    except ValueError:
        return
    if value.value == 0:  # unset
        return
    # validateContainerResourceDivisor: the bad value shown is the resource's name
    allowed: tuple[str, ...]
    if resource in ("limits.cpu", "requests.cpu"):
        kind, allowed = "cpu", _CPU_DIVISORS
    elif resource in ("limits.memory", "requests.memory"):
        kind, allowed = "memory", _BYTE_DIVISORS
    elif resource in ("limits.ephemeral-storage", "requests.ephemeral-storage"):
        kind, allowed = "local ephemeral storage", _BYTE_DIVISORS
    elif resource.startswith(("limits.hugepages-", "requests.hugepages-")):
        kind, allowed = "hugepages", _BYTE_DIVISORS
    else:
        return
    if str(value) not in allowed:
        values = "1m and 1" if kind == "cpu" else ", ".join(_BYTE_DIVISORS)
        errs.invalid(
            path.child("divisor"),
            resource,
            f"only divisor's values {values} are supported with the {kind} resource",
            "resourceFieldRef.divisor",
        )


_CPU_DIVISORS = ("1m", "1")
_BYTE_DIVISORS = ("1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei")


def field_selector(
    errs: Errors, ref: FrozenMap[str, Any], path: FieldPath, allowed: tuple[str, ...]
) -> None:
    """``validateObjectFieldSelector``."""
    version, fpath = ref.get("apiVersion") or "", ref.get("fieldPath") or ""
    if not version:
        errs.required(path.child("apiVersion"), origin="fieldRef.apiVersion")
        return
    if not fpath:
        errs.required(path.child("fieldPath"), origin="fieldRef.fieldPath")
        return
    problem = _convert_field_label(version, fpath)
    if problem:
        errs.invalid(
            path.child("fieldPath"),
            fpath,
            f"error converting fieldPath: {problem}",
            "fieldRef.fieldPath.convert",
        )
        return
    if fpath.endswith("']") and "['" in fpath and not fpath.startswith("['"):
        base, subscript = fpath[:-2].split("['", 1)
        if base in ("metadata.annotations", "metadata.labels"):
            key = subscript.lower() if base == "metadata.annotations" else subscript
            for msg in is_qualified_name(key):
                errs.invalid(path, key, msg, "fieldRef.subscript")
        else:
            errs.invalid(path, base, "does not support subscript", "fieldRef.subscript")
    elif fpath not in allowed:
        errs.not_supported(path.child("fieldPath"), fpath, allowed, "fieldRef.fieldPath")


_CONVERTIBLE = frozenset(
    {
        "metadata.annotations",
        "metadata.labels",
        "metadata.name",
        "metadata.namespace",
        "metadata.uid",
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.serviceAccountName",
        "spec.schedulerName",
        "status.phase",
        "status.hostIP",
        "status.hostIPs",
        "status.podIP",
        "status.podIPs",
        "spec.host",
    }
)


def _convert_field_label(version: str, label: str) -> str:
    """``podshelper.ConvertDownwardAPIFieldLabel``'s error, or ``""``."""
    if version != "v1":
        return f"unsupported pod version: {version}"
    if label.endswith("']") and "['" in label and not label.startswith("['"):
        base = label[:-2].split("['", 1)[0]
        if base in ("metadata.annotations", "metadata.labels"):
            return ""
        return f"field label does not support subscript: {label}"
    if label in _CONVERTIBLE:
        return ""
    return f"field label not supported: {label}"
