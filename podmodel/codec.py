"""YAML text / plain dicts ⇄ the typed model: strict, lossless, and every problem at once.

Decoding is strict the way ``kubectl apply --validate=strict`` is, only more talkative: unknown
fields (with a "did you mean"), duplicate keys (with both lines), wrong JSON types (saying what
was expected and what was found, YAML 1.1 traps included) and documents that are not a v1 Pod
are all reported, each with its field path and, for YAML input, its line and column. Decoding
never applies defaults and never drops anything: ``to_dict(from_dict(d)) == d``.

>>> pod = loads('''
... apiVersion: v1
... kind: Pod
... metadata: {name: mypod}
... spec:
...   containers:
...   - {name: web, image: nginx, ports: [{containerPort: 80}]}
... ''')
>>> pod.spec.containers[0].ports[0].container_port
80
>>> to_dict(pod)["spec"]["containers"][0]["ports"]
[{'containerPort': 80}]
"""

from __future__ import annotations

import contextlib
import gc
import os
import warnings
from typing import IO, TYPE_CHECKING, Any

import attrs
import yaml

from podmodel import _yaml
from podmodel._frozen import FrozenMap, thaw
from podmodel.errors import (
    DecodeError,
    DecodeWarning,
    ErrorType,
    FieldError,
    FieldPath,
    Location,
)
from podmodel.schema import LATEST_SCHEMA_VERSION, Catalogue, catalogue, describe_type
from podmodel.spec import (
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
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

__all__ = [
    "FIELD_VALIDATION_MODES",
    "MAX_DEPTH",
    "MAX_DOCUMENT_NODES",
    "MAX_INPUT_BYTES",
    "dump",
    "dumps",
    "from_dict",
    "load",
    "load_all",
    "loads",
    "to_dict",
]

#: Largest input accepted, in bytes (Kubernetes itself refuses requests over 3 MiB).
MAX_INPUT_BYTES = 64 * 1024 * 1024
#: Most values (objects, lists and scalars) one document may decode to, aliases expanded.
MAX_DOCUMENT_NODES = 100_000
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
_SOURCE_CLASSES: dict[str, type[VolumeSource]] = {"emptyDir": EmptyDir, "hostPath": HostPath}


def _wire_names(cls: type) -> dict[str, str]:
    """Manifest name → attribute name, from the ``metadata["wire"]`` of the class's fields."""
    return {f.metadata["wire"]: f.name for f in attrs.fields(cls) if f.metadata.get("wire")}


_WIRE: dict[type, dict[str, str]] = {cls: _wire_names(cls) for cls in set(_TYPED.values())}
# Attribute name → manifest name, in class order (the order ``to_dict`` writes).
_ATTR: dict[type, tuple[tuple[str, str], ...]] = {
    cls: tuple((a, w) for w, a in wire.items()) for cls, wire in _WIRE.items()
}
_EMPTY_INSTANCES: dict[type, Any] = {ObjectMeta: ObjectMeta(), PodSpec: PodSpec()}

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

            def seq(value: Any, path: tuple[Any, ...], run: _Run) -> Any:
                if type(value) is not list:
                    return run.type_error(path, value, code)
                run.count(path)
                return tuple([item(v, (*path, i), run) for i, v in enumerate(value)])

            return seq
        if code[0] == "{":
            item = self.for_code(code[1:])

            def mapping(value: Any, path: tuple[Any, ...], run: _Run) -> Any:
                if type(value) is not dict:
                    return run.type_error(path, value, code)
                run.count(path)
                out = {}
                for k, v in value.items():
                    if type(k) is not str:
                        run.key_error(path, k)
                        continue
                    out[k] = item(v, (*path, k), run)
                return FrozenMap._wrap(out)

            return mapping
        name = code[1:]
        fields = self.cat.fields(name)
        cls = _TYPED.get(name)
        if cls is None:
            return self._untyped(name, code, fields)
        if cls is Volume:
            return self._volume(code, fields)
        return self._typed(name, code, cls, fields)

    def _untyped(
        self, name: str, code: str, fields: Mapping[str, str]
    ) -> Callable[[Any, tuple[Any, ...], _Run], Any]:
        decoders = {f: self.for_code(t) for f, t in fields.items()} if len(fields) < 400 else {}

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
                else:
                    out[k] = dec(v, (*path, k), run)
            return FrozenMap._wrap(out)

        return obj

    def _typed(
        self, name: str, code: str, cls: type, fields: Mapping[str, str]
    ) -> Callable[[Any, tuple[Any, ...], _Run], Any]:
        wire = _WIRE[cls]
        decoders = {f: (self.for_code(t), wire.get(f)) for f, t in fields.items()}

        def typed(value: Any, path: tuple[Any, ...], run: _Run) -> Any:
            if type(value) is not dict:
                return run.type_error(path, value, code)
            run.count(path)
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
                dec, attr = entry
                got = dec(v, (*path, k), run)
                if got is _BAD:
                    continue
                if attr is None:
                    extra[k] = got
                elif _omitted(got):
                    extra[k] = _marker(got)
                else:
                    kwargs[attr] = got
            if extra:
                kwargs["extra"] = FrozenMap._wrap(extra)
            return cls(**kwargs)

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
                    elif isinstance(got, FrozenMap):
                        sources.append(OtherVolumeSource(kind=k, fields=got))
            return Volume(name=name, sources=tuple(sources), extra=FrozenMap._wrap(extra))

        return volume


def _omitted(value: Any) -> bool:
    """Whether ``to_dict`` would leave *value* out (so a written empty needs a marker)."""
    if value == () or (type(value) is FrozenMap and not value):
        return True
    empty = _EMPTY_INSTANCES.get(type(value))
    return empty is not None and value == empty


def _marker(value: Any) -> Any:
    return () if isinstance(value, tuple) else FrozenMap()


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


_SCALARS: dict[str, Callable[[Any, tuple[Any, ...], _Run], Any]] = {
    "s": _scalar("s", lambda v: type(v) is str),
    "i": _integers("i", 64),
    "i32": _integers("i32", 32),
    "n": _scalar("n", lambda v: type(v) is int or type(v) is float),
    "b": _scalar("b", lambda v: type(v) is bool),
    "q": _scalar("q", lambda v: type(v) is str or type(v) is int or type(v) is float),
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
        self.result: Pod | None = None
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
        dec = _DECODERS[version] = _Decoder(catalogue(version))
    return dec


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
    from podmodel.errors import render_value

    return render_value(value)


def _decode(data: Any, version: str, mode: str) -> _Run | tuple[Pod | None, list[FieldError]]:
    header = _check_header(data)
    if header is not None:
        return None, [header]
    decoder = _decoder(version)
    run = _Run(decoder.cat, mode)
    try:
        pod = decoder.for_code("@Pod")(data, (), run)
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
    run.result = pod
    return run


def from_dict(
    data: Mapping[str, Any],
    *,
    version: str = LATEST_SCHEMA_VERSION,
    field_validation: str = "Strict",
) -> Pod:
    """Decode a plain mapping (as ``json.load`` or ``yaml.safe_load`` give) into a :class:`Pod`.

    Args:
        data: The Pod object, with camelCase keys.
        version: The Kubernetes version whose field catalogue decides which fields are legal.
        field_validation: As the API server's ``fieldValidation``: ``"Strict"`` (kubectl's
            default) makes unknown and duplicate fields errors; ``"Warn"`` keeps them (verbatim,
            in ``extra``) and issues a :class:`DecodeWarning` for each; ``"Ignore"`` keeps them
            silently. Wrong types are errors in every mode, as on the server.

    Raises:
        DecodeError: With every problem found (unknown fields, wrong types, not a v1 Pod).

    >>> from_dict({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}).name
    'p'
    """
    plain = thaw(data) if isinstance(data, FrozenMap) else data
    pod, errors, warned = _outcome(_decode(plain, version, _check_mode(field_validation)))
    _warn(warned, 0)
    if pod is None or errors:
        raise DecodeError(errors)
    return pod


FIELD_VALIDATION_MODES = ("Strict", "Warn", "Ignore")


def _check_mode(mode: str) -> str:
    if mode not in FIELD_VALIDATION_MODES:
        raise DecodeError(
            [
                FieldError(
                    type=ErrorType.NOT_SUPPORTED,
                    field=FieldPath(("fieldValidation",)),
                    bad_value=mode,
                    detail='supported values: "Strict", "Warn", "Ignore"',
                    origin="decode.fieldValidation",
                )
            ]
        )
    return mode


def _outcome(
    got: _Run | tuple[Pod | None, list[FieldError]],
) -> tuple[Pod | None, list[FieldError], list[FieldError]]:
    if isinstance(got, tuple):
        return got[0], got[1], []
    return got.result, got.errors, got.warnings


def _warn(found: list[FieldError], document: int) -> None:
    for w in found:
        warnings.warn(DecodeWarning(w, document=document), stacklevel=4)


def _text_of(source: str | bytes | IO[Any]) -> str | bytes:
    if isinstance(source, (str, bytes)):
        text = source
    elif callable(getattr(source, "read", None)):
        text = source.read(MAX_INPUT_BYTES + 1)
        if not isinstance(text, (str, bytes)):
            msg = f"the stream's read() returned {type(text).__name__}, not str or bytes"
            raise TypeError(msg)
    else:
        msg = f"expected YAML text (str or bytes) or a readable file, got {type(source).__name__}"
        raise TypeError(msg)
    if len(text) > MAX_INPUT_BYTES:
        raise DecodeError(
            [
                FieldError(
                    type=ErrorType.BAD_DOCUMENT,
                    field=FieldPath(),
                    detail=f"input larger than {MAX_INPUT_BYTES} bytes",
                    origin="decode.limit.bytes",
                )
            ]
        )
    return text


def _iter_pods(
    source: str | bytes | IO[Any], *, version: str, skip_non_pods: bool, name: str, mode: str
) -> Iterator[Pod]:
    _check_mode(mode)
    text = _text_of(source)
    lines: list[str] | None = None

    def where(line: int, column: int) -> Location:
        nonlocal lines
        if lines is None:
            raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
            lines = raw.splitlines()
        shown = lines[line - 1] if 0 < line <= len(lines) else ""
        return Location(line=line, column=column, source=name, text=shown)

    docs = _yaml.iter_documents(text)
    index = -1
    while True:
        try:
            doc = next(docs)
        except StopIteration:
            return
        except (yaml.YAMLError, ValueError, OverflowError, RecursionError, TypeError) as exc:
            raise DecodeError([_yaml_error(exc, where)], document=index + 1) from None
        index = doc.index
        if doc.data is None:
            continue  # an empty document ("---" alone) is skipped, as kubectl does
        header = _check_header(doc.data)
        if header is not None and skip_non_pods and header.origin.startswith("decode.kind"):
            continue
        pod, found, warned = _outcome(_decode(doc.data, version, mode))
        dups = [_duplicate_error(d, doc, where) for d in doc.duplicates]
        errors = [_locate(e, doc, where) for e in found]
        warned = [_locate(e, doc, where) for e in warned]
        if mode == "Strict":
            errors.extend(dups)
        elif mode == "Warn":
            warned.extend(dups)
        _warn(_in_document_order(warned), index)
        if errors or pod is None:
            raise DecodeError(_in_document_order(errors), document=index)
        yield pod


def _in_document_order(errors: list[FieldError]) -> list[FieldError]:
    def key(e: FieldError) -> tuple[int, int]:
        loc = e.location
        return (loc.line, loc.column) if loc else (0, 0)

    return sorted(errors, key=key)


def _yaml_error(exc: BaseException, where: Callable[[int, int], Location]) -> FieldError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if isinstance(exc, RecursionError):
        detail = "document too deeply nested"
    elif isinstance(exc, yaml.reader.ReaderError):
        detail = f"yaml: {exc.reason} (the input must be UTF-8 or UTF-16 text)"
        return FieldError(
            type=ErrorType.BAD_DOCUMENT, field=FieldPath(), detail=detail, origin="decode.yaml"
        )
    else:
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        detail = f"yaml: {context} {problem}" if context else f"yaml: {problem}"
        if mark is not None:
            detail = f"yaml: line {mark.line + 1}, column {mark.column + 1}: " + detail[6:]
    return FieldError(
        type=ErrorType.BAD_DOCUMENT,
        field=FieldPath(),
        detail=detail,
        origin="decode.yaml",
        location=where(mark.line + 1, mark.column + 1) if mark is not None else None,
    )


def _path_to(root: Any, target: Any) -> tuple[Any, ...]:
    """The path of node *target* below *root* (searched only when a duplicate is reported)."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if isinstance(node, yaml.MappingNode):
            stack.extend((v, (*path, k.value)) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, (*path, i)) for i, v in enumerate(node.value))
    return ()


def _duplicate_error(
    dup: _yaml.Duplicate, doc: _yaml.Document, where: Callable[[int, int], Location]
) -> FieldError:
    path = (*_path_to(doc.node, dup.mapping), dup.key)
    a, b = dup.first.start_mark.line + 1, dup.second.start_mark.line + 1
    return FieldError(
        type=ErrorType.DUPLICATE_FIELD,
        field=FieldPath(path),
        bad_value=dup.key,
        detail=f"written on line {a} and again on line {b}; kubectl would silently keep the last",
        origin="decode.duplicateField",
        location=where(b, dup.second.start_mark.column + 1),
    )


def _locate(
    error: FieldError, doc: _yaml.Document, where: Callable[[int, int], Location]
) -> FieldError:
    node, key_node = _yaml.node_at(doc.node, error.field.segments)
    if error.type is ErrorType.UNKNOWN_FIELD and key_node is not None:
        mark = key_node.start_mark
    else:
        mark = node.start_mark
    detail = error.detail
    if (
        error.type is ErrorType.TYPE_INVALID
        and isinstance(node, yaml.ScalarNode)
        and not node.style
        and error.origin in ("decode.type.s", "decode.type.q")
        and not isinstance(error.bad_value, str)
    ):
        detail += (
            f"; YAML reads the unquoted {node.value} as a {_found(error.bad_value)}: "
            f"write {_quote(node.value)} to keep it a string"
        )
    return attrs.evolve(error, detail=detail, location=where(mark.line + 1, mark.column + 1))


def load_all(
    source: str | bytes | IO[Any],
    *,
    version: str = LATEST_SCHEMA_VERSION,
    skip_non_pods: bool = False,
    name: str = "<string>",
    field_validation: str = "Strict",
) -> tuple[Pod, ...]:
    """Decode every Pod of a multi-document YAML stream.

    Empty documents are skipped. A document that is not a v1 Pod is an error, unless
    *skip_non_pods* is true, in which case documents of another ``kind`` are skipped.

    Args:
        source: YAML text (``str`` or UTF-8 ``bytes``) or an open file.
        version: The Kubernetes version whose field catalogue decides which fields are legal.
        skip_non_pods: Skip documents whose ``kind`` is not ``Pod`` instead of failing.
        name: The name to show in error locations (a file name).
        field_validation: ``"Strict"``, ``"Warn"`` or ``"Ignore"``, as for :func:`from_dict`.

    Raises:
        DecodeError: For the first document with problems, carrying all of that document's
            problems (``.document`` says which document).
    """
    with _gc_paused():
        return tuple(
            _iter_pods(
                source,
                version=version,
                skip_non_pods=skip_non_pods,
                name=name,
                mode=field_validation,
            )
        )


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a stream decodes.

    Decoding allocates many small objects and no reference cycles; with the collector running,
    each pass re-traverses every pod already built, which cost ~40 % of a 2,000-pod load.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def loads(
    text: str | bytes,
    *,
    version: str = LATEST_SCHEMA_VERSION,
    name: str = "<string>",
    field_validation: str = "Strict",
) -> Pod:
    """Decode YAML text holding exactly one Pod document.

    The options are those of :func:`load_all`.

    Raises:
        DecodeError: The text is not exactly one valid Pod document.
    """
    pods = load_all(text, version=version, name=name, field_validation=field_validation)
    if len(pods) != 1:
        raise DecodeError(
            [
                FieldError(
                    type=ErrorType.BAD_DOCUMENT,
                    field=FieldPath(),
                    detail=f"expected exactly one Pod document, found {len(pods)}",
                    origin="decode.documentCount",
                )
            ]
        )
    return pods[0]


def load(
    source: str | os.PathLike[str] | IO[Any],
    *,
    version: str = LATEST_SCHEMA_VERSION,
    field_validation: str = "Strict",
) -> Pod:
    """Decode one Pod from a file path or an open file (options as for :func:`load_all`).

    Raises:
        DecodeError: The file does not hold exactly one valid Pod document, or cannot be read.
    """
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise DecodeError(
                [
                    FieldError(
                        type=ErrorType.BAD_DOCUMENT,
                        field=FieldPath(),
                        detail=f"cannot read {path}: {exc.strerror or exc}",
                        origin="decode.read",
                    )
                ]
            ) from None
        return loads(data, version=version, name=path, field_validation=field_validation)
    return loads(
        _text_of(source),
        version=version,
        name=getattr(source, "name", "<stream>"),
        field_validation=field_validation,
    )


def to_dict(pod: Pod) -> dict[str, Any]:
    """The manifest of *pod* as plain data: camelCase, exactly what was written, no defaults.

    >>> to_dict(from_dict({"apiVersion": "v1", "kind": "Pod", "spec": {"volumes": [
    ...     {"name": "v", "emptyDir": None}]}}))["spec"]
    {'volumes': [{'name': 'v', 'emptyDir': None}]}
    """
    return _plain(pod)  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    cls = type(value)
    attrs_of = _ATTR.get(cls)
    if attrs_of is not None:
        out: dict[str, Any] = {}
        for attr, wire in attrs_of:
            v = getattr(value, attr)
            if v is None or _omitted(v):
                continue
            out[wire] = _plain(v)
        if cls is Volume:
            for src in value.sources:
                out[src.kind] = _plain(src)
        for k, v in value.extra.items():
            out.setdefault(k, thaw(v))
        return out
    if cls is OtherVolumeSource:
        return thaw(value.fields)
    if cls is tuple:
        return [_plain(v) for v in value]
    if cls is FrozenMap:
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, indentless=False)


def dumps(pod: Pod) -> str:
    """The manifest of *pod* as block-style YAML (keys in Kubernetes' usual order).

    ``loads(dumps(pod)) == pod`` for every pod ``loads`` returns.
    """
    data = to_dict(pod)
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    if any(ch in text for ch in _YAML_BREAKS):
        # PyYAML writes these unescaped with allow_unicode, and YAML reads them as line breaks.
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=False)
    return text


_YAML_BREAKS = ("\x85", "\u2028", "\u2029", "\ufeff")


def dump(pod: Pod, stream: IO[str]) -> None:
    """Write ``dumps(pod)`` to an open text file."""
    stream.write(dumps(pod))
