"""Every kind the codec models, not only Pods: workloads, ``List`` and their pod templates
(private module; public in :mod:`podmodel.codec`).

:func:`load_all`, :func:`loads` and :func:`from_dict` stay Pod-only (a document of another kind
is an error there, as it always was). The functions here accept a v1 Pod, an apps/v1
Deployment, StatefulSet, DaemonSet or ReplicaSet, a batch/v1 Job or CronJob, a v1
ReplicationController or PodTemplate, and a v1 ``List`` of them, and return the class of each
document's kind (:data:`~podmodel.model.workloads.WORKLOAD_KINDS`). Decoding is as strict as
for a Pod: the same unknown-field and wrong-type errors, in the same three
``field_validation`` modes. :func:`~podmodel.codec.to_dict` and :func:`~podmodel.codec.dumps`
write any of them back, losslessly (:func:`object_to_dict` and :func:`dumps_object` are the same
functions, typed for every kind).

>>> objs = load_objects('''
... apiVersion: apps/v1
... kind: Deployment
... metadata: {name: web}
... spec:
...   selector: {matchLabels: {app: web}}
...   template:
...     metadata: {labels: {app: web}}
...     spec:
...       containers: [{name: web, image: nginx}]
... ''')
>>> [type(o).__name__ for o in objs], objs[0].spec.template.spec.containers[0].image
(['Deployment'], 'nginx')
>>> [(t.kind, t.path, t.line) for t in pod_templates(dumps_object(objs[0]))]
[('Deployment', 'spec.template', 10)]
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

import attrs

from podmodel.codec import _yaml
from podmodel.codec._api import (
    _check_mode,
    _gc_paused,
    _outcome,
    _warn,
    dumps,
    iter_decoded,
    to_dict,
)
from podmodel.codec._kinds import check_object_header, decode_object
from podmodel.errors import DecodeError, ErrorType, FieldError, FieldPath
from podmodel.model._frozen import FrozenMap, thaw
from podmodel.model.schema import DEFAULT_SCHEMA_VERSION
from podmodel.model.spec import Pod
from podmodel.model.workloads import (
    WORKLOAD_KINDS,
    KubeObject,
    List,
    PodTemplateSpec,
    templates_of,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = [
    "TemplateSource",
    "dumps_object",
    "iter_objects",
    "load_objects",
    "loads_object",
    "object_from_dict",
    "object_to_dict",
    "pod_templates",
]


def object_from_dict(
    data: Mapping[str, Any],
    *,
    version: str = DEFAULT_SCHEMA_VERSION,
    field_validation: str = "Strict",
) -> KubeObject:
    """Decode a plain mapping into the class of its ``kind``: a :class:`~podmodel.Pod`, a
    workload (:class:`~podmodel.model.workloads.Deployment`, ...) or a
    :class:`~podmodel.model.workloads.List` (each item decoded by its own kind).

    The options are those of :func:`~podmodel.codec.from_dict`.

    Raises:
        DecodeError: With every problem found (unknown fields, wrong types, a kind podmodel
            does not model, an ``apiVersion`` that does not serve the kind).

    >>> object_from_dict({"apiVersion": "batch/v1", "kind": "Job",
    ...                   "spec": {"backoffLimit": 2}}).spec.backoff_limit
    2
    """
    plain = thaw(data) if isinstance(data, FrozenMap) else data
    obj, errors, warned = _outcome(decode_object(plain, version, _check_mode(field_validation)))
    _warn(warned, 0)
    if obj is None or errors:
        raise DecodeError(errors, object_kind=_declared_kind(plain))
    return obj  # type: ignore[no-any-return]


def object_to_dict(obj: KubeObject) -> dict[str, Any]:
    """The manifest of *obj* (any modelled kind) as plain data, exactly as written:
    ``object_to_dict(object_from_dict(d)) == d``. (:func:`~podmodel.codec.to_dict` does the
    same; its signature names the Pod only.)"""
    return to_dict(obj)  # type: ignore[arg-type]


def dumps_object(obj: KubeObject) -> str:
    """The manifest of *obj* (any modelled kind) as block-style YAML, as
    :func:`~podmodel.codec.dumps` writes a Pod: ``loads_object(dumps_object(o)) == o``."""
    return dumps(obj)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class TemplateSource:
    """One pod template of a stream, and where it came from."""

    #: The stream's name (a file name).
    source: str
    #: The 0-based index of the document in the stream (empty ones count).
    document: int
    #: The index in the document's ``List``, or ``None`` when the document is not a ``List``.
    list_item: int | None
    #: The 1-based line of the template's mapping (of the object when the template is not
    #: written).
    line: int
    #: Its 1-based column.
    column: int
    #: The kind of the object holding the template (``"Deployment"``, ...).
    kind: str
    #: That object's ``metadata.name`` (``""`` when it has none).
    name: str
    #: The template's path in that object: ``"spec.template"``, ``"template"`` (PodTemplate)
    #: or ``"spec.jobTemplate.spec.template"`` (CronJob).
    path: str
    #: The template.
    template: PodTemplateSpec = attrs.field(repr=False)
    #: The object holding it.
    owner: KubeObject = attrs.field(repr=False, eq=False)


def _skip_unmodelled(header: FieldError) -> bool:
    return header.origin in ("decode.kindNotModelled", "decode.notMapping")


def _never(_header: FieldError) -> bool:
    return False


def iter_objects(
    source: str | bytes | IO[Any],
    *,
    version: str = DEFAULT_SCHEMA_VERSION,
    name: str = "<string>",
    field_validation: str = "Strict",
    skip_other_kinds: bool = False,
) -> Iterator[tuple[int, int | None, int, int, KubeObject]]:
    """``(document, list item, line, column, object)`` for each object of the stream, a
    ``List``'s items one by one (options as for :func:`load_objects`)."""
    seen: list[str] = []

    def header(data: Any) -> FieldError | None:
        seen[:] = [_declared_kind(data)]
        return check_object_header(data)

    decoded = iter_decoded(
        source,
        version=version,
        name=name,
        mode=field_validation,
        decoder=decode_object,
        skip=_skip_unmodelled if skip_other_kinds else _never,
        header=header,
    )
    try:
        yield from _located(decoded)
    except DecodeError as exc:
        raise _with_kind(exc, seen[0] if seen else None) from None


def _declared_kind(data: Any) -> str:
    """The kind a document declares, if podmodel models it (the Pod's otherwise)."""
    kind = data.get("kind") if isinstance(data, dict) else None
    known = {k for _v, k in WORKLOAD_KINDS}
    return kind if isinstance(kind, str) and kind in known else "Pod"


def _with_kind(exc: DecodeError, kind: str | None) -> DecodeError:
    """*exc* naming the document's kind as the server does (``cannot be handled as a
    Deployment``); a YAML or size error is not about a kind."""
    syntax = any(e.origin.startswith(("decode.yaml", "decode.limit")) for e in exc.errors)
    if kind is None or syntax or kind == exc.object_kind:
        return exc
    return DecodeError(exc.errors, document=exc.document, object_kind=kind)


def _located(
    decoded: Iterator[tuple[Any, KubeObject, Any]],
) -> Iterator[tuple[int, int | None, int, int, KubeObject]]:
    for doc, obj, _where in decoded:
        if isinstance(obj, List):
            for i, item in enumerate(obj.items):
                node, _key = _yaml.node_at(doc.node, ("items", i))
                mark = node.start_mark
                yield doc.index, i, mark.line + 1, mark.column + 1, item
        else:
            mark = doc.node.start_mark
            yield doc.index, None, mark.line + 1, mark.column + 1, obj


def load_objects(
    source: str | bytes | IO[Any],
    *,
    version: str = DEFAULT_SCHEMA_VERSION,
    name: str = "<string>",
    field_validation: str = "Strict",
    skip_other_kinds: bool = False,
) -> tuple[KubeObject, ...]:
    """Decode every object of a multi-document YAML stream, each as the class of its kind.

    As :func:`~podmodel.codec.load_all`, but for every kind podmodel models (Pods, workloads);
    a ``List`` document gives its items, in order, in place of itself.

    Args:
        source: YAML text (``str`` or UTF-8 ``bytes``) or an open file.
        version: The Kubernetes version whose field catalogue decides which fields are legal.
        name: The name to show in error locations (a file name).
        field_validation: ``"Strict"``, ``"Warn"`` or ``"Ignore"``, as for
            :func:`~podmodel.codec.from_dict`.
        skip_other_kinds: Skip documents of a kind podmodel does not model (``Service``,
            ``ConfigMap``, ...) instead of failing.

    Raises:
        DecodeError: For the first document with problems, carrying all of its problems.
    """
    with _gc_paused():
        return tuple(
            obj
            for _doc, _item, _line, _column, obj in iter_objects(
                source,
                version=version,
                name=name,
                field_validation=field_validation,
                skip_other_kinds=skip_other_kinds,
            )
        )


def loads_object(
    text: str | bytes,
    *,
    version: str = DEFAULT_SCHEMA_VERSION,
    name: str = "<string>",
    field_validation: str = "Strict",
) -> KubeObject:
    """Decode YAML text holding exactly one object of any modelled kind (a ``List`` is
    returned as a :class:`~podmodel.model.workloads.List`).

    Raises:
        DecodeError: The text is not exactly one valid document.
    """
    seen: list[str] = []

    def header(data: Any) -> FieldError | None:
        seen[:] = [_declared_kind(data)]
        return check_object_header(data)

    with _gc_paused():
        try:
            found = [
                obj
                for _doc, obj, _where in iter_decoded(
                    text,
                    version=version,
                    name=name,
                    mode=field_validation,
                    decoder=decode_object,
                    skip=_never,
                    header=header,
                )
            ]
        except DecodeError as exc:
            raise _with_kind(exc, seen[0] if seen else None) from None
    if len(found) != 1:
        raise DecodeError(
            [
                FieldError(
                    type=ErrorType.BAD_DOCUMENT,
                    field=FieldPath(),
                    detail=f"expected exactly one document, found {len(found)}",
                    origin="decode.documentCount",
                )
            ]
        )
    return found[0]  # type: ignore[no-any-return]


def pod_templates(
    source: str | bytes | IO[Any],
    *,
    version: str = DEFAULT_SCHEMA_VERSION,
    name: str = "<string>",
    field_validation: str = "Strict",
) -> tuple[TemplateSource, ...]:
    """Every pod template of a stream, in order, each with where it came from.

    Documents of kinds podmodel does not model are skipped; a ``Pod`` has no template (it
    *is* a pod) and gives none. Decoding is strict, as for :func:`load_objects`.

    Raises:
        DecodeError: For the first document with problems.
    """
    out: list[TemplateSource] = []
    with _gc_paused():
        for doc, obj, _where in iter_decoded(
            source,
            version=version,
            name=name,
            mode=field_validation,
            decoder=decode_object,
            skip=_skip_unmodelled,
            header=check_object_header,
        ):
            items: tuple[tuple[int | None, Any], ...] = (
                tuple(enumerate(obj.items)) if isinstance(obj, List) else ((None, obj),)
            )
            for i, item in items:
                if isinstance(item, Pod):
                    continue
                prefix = () if i is None else ("items", i)
                for site in templates_of(item):
                    node, _key = _yaml.node_at(doc.node, (*prefix, *site.segments))
                    mark = node.start_mark
                    out.append(
                        TemplateSource(
                            source=name,
                            document=doc.index,
                            list_item=i,
                            line=mark.line + 1,
                            column=mark.column + 1,
                            kind=item.kind or "",
                            name=item.metadata.name or "",
                            path=site.path,
                            template=site.template,
                            owner=item,
                        )
                    )
    return tuple(out)
