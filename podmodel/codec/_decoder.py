"""The schema-driven decoder behind :mod:`podmodel.codec` (private).

One :class:`_Decoder` per Kubernetes schema version turns plain data (what a YAML or JSON parser
returns) into the typed model, walking the field catalogue: the hand-written classes of
:mod:`podmodel.model.spec`, the generated class of every other definition, frozen JSON for
free-form fields, and a :class:`FieldError` for every unknown field, wrong type, bad quantity or
limit crossed. Decoders are built once per type code and cached.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import attrs

from podmodel.errors import ErrorType, FieldError, FieldPath, Key, render_value
from podmodel.model import _workload_schema
from podmodel.model._frozen import FrozenMap
from podmodel.model._generated import HOME as GENERATED
from podmodel.model._quantity import parse_quantity
from podmodel.model._typed import lookup
from podmodel.model.schema import SCHEMA_VERSIONS, Catalogue, catalogue, describe_type
from podmodel.model.spec import (
    Container,
    ContainerPort,
    EmptyDir,
    EnvVar,
    HostPath,
    ObjectMeta,
    OtherVolumeSource,
    Pod,
    PodSpec,
    Volume,
    VolumeMount,
    VolumeSource,
    maker,
)
from podmodel.model.workloads import (
    CronJob,
    CronJobSpec,
    DaemonSet,
    DaemonSetSpec,
    Deployment,
    DeploymentSpec,
    Job,
    JobSpec,
    JobTemplateSpec,
    LabelSelector,
    List,
    PodTemplate,
    PodTemplateSpec,
    ReplicaSet,
    ReplicaSetSpec,
    ReplicationController,
    ReplicationControllerSpec,
    StatefulSet,
    StatefulSetSpec,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "ATTR",
    "EMPTY",
    "MAX_DEPTH",
    "MAX_DOCUMENTS",
    "MAX_DOCUMENT_BYTES",
    "MAX_DOCUMENT_NODES",
    "MAX_INPUT_BYTES",
    "TYPED_WORKLOADS",
    "Run",
    "check_header",
    "decode",
    "decoder",
    "found",
    "run_code",
]

#: Largest input (a whole stream) accepted, in bytes.
MAX_INPUT_BYTES = 64 * 1024 * 1024
#: Largest single document, in bytes. Kubernetes stores at most 1.5 MiB per object (etcd) and
#: refuses requests over 3 MiB; 512 KiB (a pod's annotations may total 256 KiB) keeps the
#: densest document under half a second to parse.
MAX_DOCUMENT_BYTES = 512 * 1024
#: Most documents in one stream (empty ones included).
MAX_DOCUMENTS = 10_000
#: Most YAML nodes (mappings, sequences and scalars) one document may hold, and most objects
#: and lists it may decode to with aliases expanded ("billion laughs").
MAX_DOCUMENT_NODES = 50_000
#: Deepest nesting accepted in one document.
MAX_DEPTH = 100

# Definition name in the schema catalogue → the typed class that models it.
_TYPED: dict[str, type] = {
    "Pod": Pod,
    "ObjectMeta": ObjectMeta,
    "PodSpec": PodSpec,
    "Container": Container,
    "EphemeralContainer": Container,
    "ContainerPort": ContainerPort,
    "EnvVar": EnvVar,
    "VolumeMount": VolumeMount,
    "Volume": Volume,
    "EmptyDirVolumeSource": EmptyDir,
    "HostPathVolumeSource": HostPath,
}
# The same for the workloads (model/workloads.py), whose definitions are not in the v1.Pod
# catalogue but in model/_workload_schema.py.
_TYPED_WORKLOADS: dict[str, type] = {
    "Deployment": Deployment,
    "DeploymentSpec": DeploymentSpec,
    "StatefulSet": StatefulSet,
    "StatefulSetSpec": StatefulSetSpec,
    "DaemonSet": DaemonSet,
    "DaemonSetSpec": DaemonSetSpec,
    "ReplicaSet": ReplicaSet,
    "ReplicaSetSpec": ReplicaSetSpec,
    "Job": Job,
    "JobSpec": JobSpec,
    "CronJob": CronJob,
    "CronJobSpec": CronJobSpec,
    "JobTemplateSpec": JobTemplateSpec,
    "ReplicationController": ReplicationController,
    "ReplicationControllerSpec": ReplicationControllerSpec,
    "PodTemplate": PodTemplate,
    "PodTemplateSpec": PodTemplateSpec,
    "WorkloadLabelSelector": LabelSelector,
}


def _wire_names(cls: type) -> dict[str, str]:
    """Manifest name → attribute name, from the ``metadata["wire"]`` of the class's fields."""
    return {f.metadata["wire"]: f.name for f in attrs.fields(cls) if f.metadata.get("wire")}


_WIRE: dict[type, dict[str, str]] = {
    cls: _wire_names(cls) for cls in (*_TYPED.values(), *_TYPED_WORKLOADS.values(), List)
}
# Attribute name → manifest name, in class order (the order ``to_dict`` writes).
_ATTR: dict[type, tuple[tuple[str, str], ...]] = {
    cls: tuple((a, w) for w, a in wire.items()) for cls, wire in _WIRE.items()
}


def _empty_defaults(cls: type) -> dict[str, Any]:
    """Attribute → default, for the attributes whose default is an empty list, map or object.

    ``to_dict`` leaves those out when they hold their default, so a manifest that wrote one
    explicitly (``ports: []``, ``metadata: {}``) keeps a marker in ``extra``.
    """
    out: dict[str, Any] = {}
    for f in attrs.fields(cls):
        if not f.metadata.get("wire"):
            continue
        default = f.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if isinstance(default, (tuple, FrozenMap)) or attrs.has(type(default)):
            out[f.name] = default
    return out


_EMPTY: dict[type, dict[str, Any]] = {cls: _empty_defaults(cls) for cls in _WIRE}

_BAD: Any = object()  # what a decoder returns for a value it reported as mistyped

_FOUND = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "list",
    dict: "object",
    type(None): "null",
    bytes: "binary",
}


class _Decoder:
    """Decodes plain data against one catalogue; one instance per schema version."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self._cache: dict[str, Callable[[Any, tuple[Any, ...], _Run], Any]] = {}

    def for_code(self, code: str) -> Callable[[Any, tuple[Any, ...], _Run], Any]:
        fn = self._cache.get(code)
        if fn is None:
            fn = self._build(code)
            self._cache[code] = fn
        return fn

    def _build(self, code: str) -> Callable[[Any, tuple[Any, ...], _Run], Any]:
        if code in _SCALARS:
            return _SCALARS[code]
        if code in {"o", "*"}:
            want = "object" if code == "o" else None

            def free(value: Any, path: tuple[Any, ...], run: _Run) -> Any:
                if want and not isinstance(value, dict):
                    return run.type_error(path, value, code)
                return run.freeze(value, path)

            return free
        if code[0] == "[":
            item = self.for_code(code[1:])
            simple = _SIMPLE.get(code[1:])

            def seq(value: Any, path: tuple[Any, ...], run: _Run) -> Any:
                if type(value) is not list:
                    return run.type_error(path, value, code)
                run.count(path)
                if simple is not None and all(type(v) is simple for v in value):
                    return tuple(value)
                return tuple([item(v, (*path, i), run) for i, v in enumerate(value)])

            return seq
        if code[0] == "{":
            item = self.for_code(code[1:])
            simple = _SIMPLE.get(code[1:])

            def mapping(value: Any, path: tuple[Any, ...], run: _Run) -> Any:
                if type(value) is not dict:
                    return run.type_error(path, value, code)
                run.count(path)
                out = {}
                for k, v in value.items():
                    if type(k) is not str:
                        run.key_error(path, k)
                        continue
                    out[k] = v if type(v) is simple else item(v, (*path, Key(name=k)), run)
                return FrozenMap._wrap(out)

            return mapping
        name = code[1:]
        fields = self.cat.fields(name)
        cls = _TYPED.get(name) or _TYPED_WORKLOADS.get(name)
        if cls is None:
            return self._untyped(name, code, fields)
        if cls is Volume:
            return self._volume(code, fields)
        return self._typed(name, code, cls, fields)

    def _untyped(
        self, name: str, code: str, fields: Mapping[str, str]
    ) -> Callable[[Any, tuple[Any, ...], _Run], Any]:
        decoders = {f: self.for_code(t) for f, t in fields.items()} if len(fields) < 400 else {}
        simple = {f: _SIMPLE.get(t) for f, t in fields.items()}
        for f in fields:
            if (name, f) in _TIME_FIELDS:
                decoders[f] = _time
                simple[f] = None
        if name == "ManagedFieldsEntry" and "fieldsV1" in decoders:
            decoders["fieldsV1"] = self.for_code("*")  # FieldsV1 keeps any raw JSON
        # The definition's generated class, imported on first use; its _wrap adopts the values.
        make: list[Callable[[dict[str, Any]], Any]] = [FrozenMap._wrap]
        if name in GENERATED:

            def first(out: dict[str, Any]) -> Any:
                make[0] = lookup(name)._wrap  # type: ignore[attr-defined]
                return make[0](out)

            make[0] = first

        def obj(value: Any, path: tuple[Any, ...], run: _Run) -> Any:
            if type(value) is not dict:
                return run.type_error(path, value, code)
            run.count(path)
            out = {}
            for k, v in value.items():
                dec = decoders.get(k)
                if dec is None:
                    if run.unknown(path, k, name):
                        out[k] = run.freeze(v, (*path, k))
                elif v is None:
                    out[k] = None
                elif type(v) is simple[k]:
                    out[k] = v  # what the value's decoder would return, without its call
                else:
                    out[k] = dec(v, (*path, k), run)
            if run.errors:  # the document fails to decode: what it holds is never built
                return FrozenMap._wrap(out)
            return make[0](out)

        return obj

    def _typed(
        self, name: str, code: str, cls: type, fields: Mapping[str, str]
    ) -> Callable[[Any, tuple[Any, ...], _Run], Any]:
        wire = _WIRE[cls]
        empty = _EMPTY[cls]
        decoders = {}
        for f, t in fields.items():
            attr = wire.get(f)
            # Written empty (``[]``, ``{}``), a list/map/object attribute keeps its default
            marker: tuple[type, Any] | None = None  # and extra a marker, the value not decoded
            if attr in empty:
                marker = (list, ()) if t[0] == "[" else (dict, FrozenMap())
            dec = _time if (name, f) in _TIME_FIELDS else self.for_code(t)
            simple = None if (name, f) in _TIME_FIELDS else _SIMPLE.get(t)
            decoders[f] = (dec, attr, simple, marker)
        make = maker(cls)

        def typed(value: Any, path: tuple[Any, ...], run: _Run) -> Any:
            if type(value) is not dict:
                return run.type_error(path, value, code)
            run.budget -= 1
            if run.budget < 0 or len(path) > MAX_DEPTH:
                run.count(path)  # (raises)
            kwargs: dict[str, Any] = {}
            extra: dict[str, Any] = {}
            for k, v in value.items():
                entry = decoders.get(k)
                if entry is None:
                    if run.unknown(path, k, name):
                        extra[k] = run.freeze(v, (*path, k))
                    continue
                if v is None:
                    extra[k] = None
                    continue
                dec, attr, simple, marker = entry
                if type(v) is simple:
                    got = v  # what the value's decoder would return, without its call
                elif marker is not None and not v and type(v) is marker[0]:
                    extra[k] = marker[1]  # "written empty"
                    continue
                else:
                    got = dec(v, (*path, k), run)
                    if got is _BAD:
                        continue
                if attr is None:
                    extra[k] = got
                else:
                    kwargs[attr] = got
            if extra:
                kwargs["extra"] = FrozenMap._wrap(extra)
            return make(kwargs)

        return typed

    def _volume(
        self, code: str, fields: Mapping[str, str]
    ) -> Callable[[Any, tuple[Any, ...], _Run], Any]:
        decoders = {f: self.for_code(t) for f, t in fields.items()}

        def volume(value: Any, path: tuple[Any, ...], run: _Run) -> Any:
            if type(value) is not dict:
                return run.type_error(path, value, code)
            run.count(path)
            name = None
            sources: list[VolumeSource] = []
            extra: dict[str, Any] = {}
            for k, v in value.items():
                dec = decoders.get(k)
                if dec is None:
                    if run.unknown(path, k, "Volume"):
                        extra[k] = run.freeze(v, (*path, k))
                elif v is None:
                    extra[k] = None
                elif k == "name":
                    name = dec(v, (*path, k), run)
                else:
                    got = dec(v, (*path, k), run)
                    if isinstance(got, VolumeSource):
                        sources.append(got)
                    elif isinstance(got, FrozenMap) and not run.errors:  # (else never built)
                        sources.append(OtherVolumeSource(kind=k, fields=got))
            return Volume(name=name, sources=tuple(sources), extra=FrozenMap._wrap(extra))

        return volume


def _scalar(
    code: str, accept: Callable[[Any], bool]
) -> Callable[[Any, tuple[Any, ...], _Run], Any]:
    def check(value: Any, path: tuple[Any, ...], run: _Run) -> Any:
        if accept(value):
            return value
        return run.type_error(path, value, code)

    return check


def _integers(code: str, bits: int) -> Callable[[Any, tuple[Any, ...], _Run], Any]:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def integer(value: Any, path: tuple[Any, ...], run: _Run) -> Any:
        t = type(value)
        if t is float and value.is_integer():
            value, t = int(value), int  # JSON has one number type: 80.0 is the integer 80
        if t is int:
            if low <= value <= high:
                return value
            return run.type_error(path, value, code, f"outside the {bits}-bit range")
        return run.type_error(path, value, code)

    return integer


def _quantity(value: Any, path: tuple[Any, ...], run: _Run) -> Any:
    t = type(value)
    if t is not str and t is not int and t is not float:
        return run.type_error(path, value, "q")
    try:
        parse_quantity(value)
    except ValueError as exc:
        run.errors.append(
            FieldError(
                type=ErrorType.TYPE_INVALID,
                field=FieldPath(path),
                bad_value=value,
                detail=str(exc),
                origin="decode.quantity",
            )
        )
        return _BAD
    return value


_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))"
)


def _is_rfc3339(text: str) -> bool:
    """What Go's ``time.Parse(time.RFC3339, text)`` accepts (``metav1.Time``)."""
    m = _RFC3339.fullmatch(text)
    if m is None:
        return False
    year, month, day, hour, minute, second = (int(m.group(i)) for i in range(1, 7))
    if not 1 <= month <= 12 or hour > 23 or minute > 59 or second > 59:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    if not 1 <= day <= days:
        return False
    return not (m.group(9) is not None and (int(m.group(9)) > 23 or int(m.group(10)) > 59))


def _time(value: Any, path: tuple[Any, ...], run: _Run) -> Any:
    """A ``metav1.Time``: a string in RFC 3339 form, refused at decoding otherwise."""
    if type(value) is not str:
        return run.type_error(path, value, "s")
    if not _is_rfc3339(value):
        run.errors.append(
            FieldError(
                type=ErrorType.TYPE_INVALID,
                field=FieldPath(path),
                bad_value=value,
                detail='parsing time as "2006-01-02T15:04:05Z07:00" (RFC 3339) failed',
                origin="decode.time",
            )
        )
        return _BAD
    return value


# (definition, field) of the metav1.Time fields a create request may carry.
_TIME_FIELDS = frozenset(
    {
        ("ObjectMeta", "creationTimestamp"),
        ("ObjectMeta", "deletionTimestamp"),
        ("ManagedFieldsEntry", "time"),
    }
)


#: The codes whose decoder returns a value of this type unchanged (and refuses any other type
#: or transforms it): the decoders skip the call for a value of exactly that type.
_SIMPLE: dict[str, type] = {"s": str, "b": bool, "is": str}

_SCALARS: dict[str, Callable[[Any, tuple[Any, ...], _Run], Any]] = {
    "s": _scalar("s", lambda v: type(v) is str),
    "i": _integers("i", 64),
    "i32": _integers("i32", 32),
    "n": _scalar("n", lambda v: type(v) is int or type(v) is float),
    "b": _scalar("b", lambda v: type(v) is bool),
    "q": _quantity,
    "is": _scalar("is", lambda v: type(v) is str or type(v) is int),
}


class _Run:
    """The state of one document's decoding: its errors and its size budget."""

    __slots__ = ("budget", "cat", "errors", "mode", "result", "warnings")

    def __init__(self, cat: Catalogue, mode: str = "Strict") -> None:
        self.cat = cat
        self.mode = mode
        self.errors: list[FieldError] = []
        self.warnings: list[FieldError] = []
        self.result: Any = None
        self.budget = MAX_DOCUMENT_NODES

    def count(self, path: tuple[Any, ...]) -> None:
        self.budget -= 1
        if self.budget < 0 or len(path) > MAX_DEPTH:
            raise _TooBig(path, "depth" if len(path) > MAX_DEPTH else "size")

    def freeze(self, value: Any, path: tuple[Any, ...]) -> Any:
        if isinstance(value, dict):
            self.count(path)
            out = {}
            for k, v in value.items():
                if type(k) is not str:
                    self.key_error(path, k)
                    continue
                out[k] = self.freeze(v, (*path, k))
            return FrozenMap._wrap(out)
        if isinstance(value, list):
            self.count(path)
            return tuple([self.freeze(v, (*path, i)) for i, v in enumerate(value)])
        if isinstance(value, bytes):
            return self.type_error(path, value, "*")
        return value

    def unknown(self, path: tuple[Any, ...], key: Any, definition: str) -> bool:
        """Report an unknown field; True when the caller should keep it (Warn / Ignore)."""
        if type(key) is not str:
            self.key_error(path, key)
            return False
        if self.mode == "Ignore":
            return True
        hint = self.cat.suggest(definition, key)
        (self.errors if self.mode == "Strict" else self.warnings).append(
            FieldError(
                type=ErrorType.UNKNOWN_FIELD,
                field=FieldPath((*path, key)),
                bad_value=key,
                detail=f'did you mean "{hint}"?' if hint else "",
                origin="decode.unknownField",
            )
        )
        return self.mode != "Strict"

    def key_error(self, path: tuple[Any, ...], key: Any) -> None:
        self.errors.append(
            FieldError(
                type=ErrorType.TYPE_INVALID,
                field=FieldPath((*path, str(key))),
                bad_value=key if not isinstance(key, (dict, list, tuple)) else str(key),
                detail=f"field names must be strings, found {_found(key)}",
                origin="decode.keyType",
            )
        )

    def type_error(self, path: tuple[Any, ...], value: Any, code: str, why: str = "") -> Any:
        expected = describe_type(code)
        found = _found(value)
        detail = f"expected {expected}, found {found}" + (f" {why}" if why else "")
        shown = value
        if isinstance(value, (dict, list)):
            shown = found
        elif isinstance(value, bytes):
            shown = "<binary>"
        self.errors.append(
            FieldError(
                type=ErrorType.TYPE_INVALID,
                field=FieldPath(path),
                bad_value=shown,
                detail=detail,
                origin=f"decode.type.{code}",
            )
        )
        return _BAD


def _found(value: Any) -> str:
    return _FOUND.get(type(value), type(value).__name__)


class _TooBig(Exception):
    def __init__(self, path: tuple[Any, ...], what: str) -> None:
        self.path = path
        self.what = what


_DECODERS: dict[str, _Decoder] = {}


def _decoder(version: str) -> _Decoder:
    dec = _DECODERS.get(version)
    if dec is None:
        dec = _DECODERS[version] = _Decoder(_with_workloads(catalogue(version)))
    return dec


def _with_workloads(cat: Catalogue) -> Catalogue:
    """*cat* (the v1.Pod catalogue) with the workload definitions of the same version."""
    index = SCHEMA_VERSIONS.index(cat.version)
    defs: dict[str, Mapping[str, str]] = dict(cat.definitions)
    for name, fields in _workload_schema.DEFINITIONS.items():
        legal = {f: t for f, (t, first, last) in fields.items() if first <= index <= last}
        if legal:
            defs[name] = legal
    return Catalogue(version=cat.version, definitions=defs)


def _check_header(data: Any) -> FieldError | None:
    if not isinstance(data, dict):
        return FieldError(
            type=ErrorType.BAD_DOCUMENT,
            field=FieldPath(),
            bad_value=_found(data),
            detail=f"expected a mapping (a v1 Pod object), found {_found(data)}",
            origin="decode.notMapping",
        )
    kind, version = data.get("kind"), data.get("apiVersion")
    if kind is None or kind == "":
        return FieldError(
            type=ErrorType.BAD_DOCUMENT,
            field=FieldPath(("kind",)),
            detail="Object 'Kind' is missing: a Pod needs `kind: Pod`",
            origin="decode.kindMissing",
        )
    if kind != "Pod":
        return FieldError(
            type=ErrorType.BAD_DOCUMENT,
            field=FieldPath(("kind",)),
            bad_value=kind,
            detail=f"expected a Pod, found kind {_quote(kind)}",
            origin="decode.kindNotPod",
        )
    if version != "v1":
        shown = "missing" if version is None else _quote(version)
        return FieldError(
            type=ErrorType.BAD_DOCUMENT,
            field=FieldPath(("apiVersion",)),
            bad_value=version,
            detail=f'a Pod is apiVersion "v1", found {shown}',
            origin="decode.apiVersion",
        )
    return None


def _quote(value: Any) -> str:

    return render_value(value)


def _decode(data: Any, version: str, mode: str) -> _Run | tuple[Pod | None, list[FieldError]]:
    header = _check_header(data)
    if header is not None:
        return None, [header]
    return _run_code("@Pod", data, version, mode)


def _run_code(
    code: str,
    data: Any,
    version: str,
    mode: str,
    run: _Run | None = None,
    path: tuple[Any, ...] = (),
) -> _Run | tuple[Any, list[FieldError]]:
    """Decode *data* as the definition *code*, at *path* (the errors' path prefix)."""
    decoder = _decoder(version)
    run = run or _Run(decoder.cat, mode)
    try:
        obj = decoder.for_code(code)(data, path, run)
    except _TooBig as big:
        detail = (
            f"nesting deeper than {MAX_DEPTH} levels"
            if big.what == "depth"
            else f"more than {MAX_DOCUMENT_NODES} values (aliases expanded)"
        )
        return None, [
            FieldError(
                type=ErrorType.BAD_DOCUMENT,
                field=FieldPath(big.path[:MAX_DEPTH]),
                detail=f"document too large: {detail}",
                origin=f"decode.limit.{big.what}",
            )
        ]
    except RecursionError:
        return None, [
            FieldError(
                type=ErrorType.BAD_DOCUMENT,
                field=FieldPath(),
                detail="document too deeply nested",
                origin="decode.limit.depth",
            )
        ]
    run.result = obj
    return run


# Names the codec uses.
ATTR = _ATTR
EMPTY = _EMPTY
Run = _Run
TYPED_WORKLOADS = _TYPED_WORKLOADS
check_header = _check_header
decode = _decode
decoder = _decoder
run_code = _run_code
found = _found
