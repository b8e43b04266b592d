"""Decoding any kind podmodel models: a Pod, a workload, or a ``List`` of them (private).

The header of a document (``apiVersion`` and ``kind``) picks the definition of the field
catalogue it decodes as (:data:`podmodel.model._workload_schema.ROOTS`); the decoding itself is
:mod:`podmodel.codec._decoder`'s, with the same errors, modes and limits as for a Pod.
"""

from __future__ import annotations

from typing import Any

from podmodel.codec._decoder import Run, decoder, found, run_code
from podmodel.errors import ErrorType, FieldError, FieldPath, render_value
from podmodel.model import _workload_schema
from podmodel.model._frozen import FrozenMap
from podmodel.model.workloads import List

__all__ = ["check_object_header", "decode_object"]

Key_ = tuple[Any, ...]

_MODELLED = ", ".join(
    f"{v} {k}" for v, k in sorted(_workload_schema.ROOTS, key=lambda r: (r[0] != "v1", r))
)


def check_object_header(data: Any, path: Key_ = ()) -> FieldError | None:
    """Whether *data* is an object of a kind podmodel models (with its ``apiVersion``)."""
    if not isinstance(data, dict):
        return FieldError(
            type=ErrorType.BAD_DOCUMENT,
            field=FieldPath(path),
            bad_value=found(data),
            detail=f"expected a mapping (a Kubernetes object), found {found(data)}",
            origin="decode.notMapping",
        )
    kind, version = data.get("kind"), data.get("apiVersion")
    if kind is None or kind == "":
        return FieldError(
            type=ErrorType.BAD_DOCUMENT,
            field=FieldPath((*path, "kind")),
            detail="Object 'Kind' is missing",
            origin="decode.kindMissing",
        )
    want = [v for v, k in _workload_schema.ROOTS if k == kind]
    if not want:
        return FieldError(
            type=ErrorType.BAD_DOCUMENT,
            field=FieldPath((*path, "kind")),
            bad_value=kind,
            detail=f"podmodel models {_MODELLED}, not kind {render_value(kind)}",
            origin="decode.kindNotModelled",
        )
    if version not in want:
        shown = "missing" if version is None else render_value(version)
        article = "an" if str(kind)[:1] in "AEIOU" else "a"
        return FieldError(
            type=ErrorType.BAD_DOCUMENT,
            field=FieldPath((*path, "apiVersion")),
            bad_value=version,
            detail=f'{article} {kind} is apiVersion "{want[0]}", found {shown}',
            origin="decode.apiVersion",
        )
    return None


def decode_object(data: Any, version: str, mode: str) -> Run | tuple[Any, list[FieldError]]:
    """Decode a Pod, a workload or a ``List`` of them; each list item by its own kind."""
    header = check_object_header(data)
    if header is not None:
        return None, [header]
    if data.get("kind") != "List":
        return run_code("@" + data["kind"], data, version, mode)
    run = Run(decoder(version).cat, mode)
    items = data.get("items")
    rest = {k: v for k, v in data.items() if k != "items"}
    got = run_code("@List", rest, version, mode, run)
    if isinstance(got, tuple):
        return got
    head: FrozenMap[str, Any] = got.result
    decoded: list[Any] = []
    if items is not None and type(items) is not list:
        run.type_error(("items",), items, "[o")
    for i, item in enumerate(items or ()):
        problem = check_object_header(item, ("items", i))
        if problem is not None:
            run.errors.append(problem)
            continue
        if item.get("kind") == "List":
            run.errors.append(
                FieldError(
                    type=ErrorType.BAD_DOCUMENT,
                    field=FieldPath(("items", i, "kind")),
                    bad_value="List",
                    detail="a List cannot hold a List",
                    origin="decode.nestedList",
                )
            )
            continue
        inner = run_code("@" + item["kind"], item, version, mode, run, ("items", i))
        if isinstance(inner, tuple):
            run.errors.extend(inner[1])
        else:
            decoded.append(run.result)
    extra = {k: v for k, v in head.items() if k not in ("apiVersion", "kind", "metadata")}
    if "items" in data and (items is None or items == []):
        extra["items"] = None if items is None else ()
    run.result = List(
        api_version=head.get("apiVersion"),
        kind=head.get("kind"),
        metadata=head.get("metadata"),
        items=tuple(decoded),
        extra=FrozenMap(extra),
    )
    return run
