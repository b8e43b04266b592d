"""The codec's public functions (private module; public in :mod:`podmodel.codec`)."""

from __future__ import annotations

import contextlib
import gc
import os
import warnings
from typing import IO, TYPE_CHECKING, Any

import attrs
import yaml

from podmodel.codec import _yaml
from podmodel.codec._decoder import (
    ATTR,
    EMPTY,
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENT_NODES,
    MAX_DOCUMENTS,
    MAX_INPUT_BYTES,
    Run,
    check_header,
    decode,
)
from podmodel.codec._decoder import found as found_name
from podmodel.errors import (
    DecodeError,
    DecodeWarning,
    ErrorType,
    FieldError,
    FieldPath,
    Location,
    render_value,
)
from podmodel.model._frozen import FrozenMap, thaw
from podmodel.model.schema import DEFAULT_SCHEMA_VERSION
from podmodel.model.spec import OtherVolumeSource, Pod, Volume

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

__all__ = [
    "FIELD_VALIDATION_MODES",
    "MAX_DEPTH",
    "MAX_DOCUMENTS",
    "MAX_DOCUMENT_BYTES",
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


def from_dict(
    data: Mapping[str, Any],
    *,
    version: str = DEFAULT_SCHEMA_VERSION,
    field_validation: str = "Strict",
) -> Pod:
    """Decode a plain mapping (as ``json.load`` or ``yaml.safe_load`` give) into a :class:`Pod`.

    Args:
        data: The Pod object, with camelCase keys.
        version: The Kubernetes version whose field catalogue decides which fields are legal.
        field_validation: As the API server's ``fieldValidation``: ``"Strict"`` (kubectl's
            default) makes unknown fields errors; ``"Warn"`` keeps them (verbatim, in
            ``extra``) and issues a :class:`DecodeWarning` for each; ``"Ignore"`` keeps them
            silently. Wrong types are errors in every mode, as on the server. (A key written
            twice in YAML text keeps its last value, as kubectl does, with a
            :class:`DecodeWarning` naming both lines, except under ``"Ignore"``.)

    Raises:
        DecodeError: With every problem found (unknown fields, wrong types, not a v1 Pod).

    >>> from_dict({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}).name
    'p'
    """
    plain = thaw(data) if isinstance(data, FrozenMap) else data
    pod, errors, warned = _outcome(decode(plain, version, _check_mode(field_validation)))
    _warn(warned, 0)
    if pod is None or errors:
        raise DecodeError(errors)
    return pod  # type: ignore[no-any-return]


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
    got: Run | tuple[Any, list[FieldError]],
) -> tuple[Any, list[FieldError], list[FieldError]]:
    if isinstance(got, tuple):
        return got[0], got[1], []
    return got.result, got.errors, got.warnings


def _warn(found: list[FieldError], document: int, stacklevel: int = 4) -> None:
    for w in found:
        warnings.warn(DecodeWarning(w, document=document), stacklevel=stacklevel)


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
    def skip(header: FieldError) -> bool:
        return skip_non_pods and header.origin.startswith("decode.kind")

    for _doc, pod, _where in iter_decoded(
        source, version=version, name=name, mode=mode, decoder=decode, skip=skip
    ):
        yield pod


def iter_decoded(
    source: str | bytes | IO[Any],
    *,
    version: str,
    name: str,
    mode: str,
    decoder: Callable[[Any, str, str], Run | tuple[Any, list[FieldError]]],
    skip: Callable[[FieldError], bool],
    header: Callable[[Any], FieldError | None] = check_header,
) -> Iterator[tuple[_yaml.Document, Any, Callable[[int, int], Location]]]:
    """Each non-empty document of *source*, decoded by *decoder*, with the function locating a
    line and column; documents whose *header* problem *skip* accepts are left out. Raises
    :class:`DecodeError` at the first document with a problem."""
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

    _check_document_sizes(text, where)
    docs = _yaml.iter_documents(text, max_nodes=MAX_DOCUMENT_NODES, max_documents=MAX_DOCUMENTS)
    index = -1
    while True:
        try:
            doc = next(docs)
        except StopIteration:
            return
        except _yaml.TooLarge as big:
            raise _refused(big.what, big.limit, where(big.line, 1), index + 1) from None
        except (yaml.YAMLError, ValueError, OverflowError, RecursionError, TypeError) as exc:
            raise DecodeError([_yaml_error(exc, where)], document=index + 1) from None
        index = doc.index
        if doc.data is None:
            continue  # an empty document ("---" alone) is skipped, as kubectl does
        problem = header(doc.data)
        if problem is not None and skip(problem):
            continue
        obj, found, warned = _outcome(decoder(doc.data, version, mode))
        if warned or (doc.duplicates and mode != "Ignore"):  # (most documents have none)
            warned = [_locate(e, doc, where) for e in warned]
            if mode != "Ignore":  # kubectl keeps the last value silently; podmodel says so
                warned.extend(_duplicate_warning(d, doc, where) for d in doc.duplicates)
            _warn(_in_document_order(warned), index, stacklevel=5)
        if found or obj is None:
            errors = [_locate(e, doc, where) for e in found]
            raise DecodeError(_in_document_order(errors), document=index)
        yield doc, obj, where


def _limit_error(detail: str, origin: str, location: Location | None = None) -> FieldError:
    return FieldError(
        type=ErrorType.BAD_DOCUMENT,
        field=FieldPath(),
        detail=f"document too large: {detail}",
        origin=origin,
        location=location,
    )


def _check_document_sizes(text: str | bytes, where: Callable[[int, int], Location]) -> None:
    """Refuse, before building it, a document over :data:`MAX_DOCUMENT_BYTES` or, when libyaml's
    parser alone can tell, over :data:`MAX_DOCUMENT_NODES` nodes (composing a node costs ~2 µs
    of Python), and a stream of more than :data:`MAX_DOCUMENTS` documents."""
    if len(text) <= _yaml.COUNT_FROM and len(text) < 4 * MAX_DOCUMENTS:
        return
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-16" if text[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8")
        except UnicodeDecodeError:
            return  # the YAML reader reports the encoding error
    previous, documents = 0, 0
    for start, line, begins in (*_yaml.document_starts(text), (len(text), -1, False)):
        if start - previous > MAX_DOCUMENT_BYTES:
            first = where(text.count("\n", 0, previous) + 1, 1)
            raise _refused("document_bytes", MAX_DOCUMENT_BYTES, first, documents)
        if _yaml.too_many_nodes(text[previous:start], MAX_DOCUMENT_NODES):
            first = where(text.count("\n", 0, previous) + 1, 1)
            raise _refused("nodes", MAX_DOCUMENT_NODES, first, documents)
        previous, documents = start, documents + begins
        if documents > MAX_DOCUMENTS:
            raise _refused("documents", MAX_DOCUMENTS, where(line, 1), documents)


_LIMIT_DETAILS = {
    "document_bytes": "a document of more than {} bytes",
    "nodes": "more than {} YAML nodes in one document",
    "documents": "more than {} documents",
}


def _refused(what: str, limit: int, location: Location, document: int) -> DecodeError:
    """The error for a stream over limit *what* (origin ``decode.limit.<what>``)."""
    detail = _LIMIT_DETAILS[what].format(limit)
    return DecodeError([_limit_error(detail, f"decode.limit.{what}", location)], document=document)


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


def _duplicate_warning(
    dup: _yaml.Duplicate, doc: _yaml.Document, where: Callable[[int, int], Location]
) -> FieldError:
    """A key written twice: kubectl (go-yaml) keeps the last value without a word."""
    path = (*_path_to(doc.node, dup.mapping), dup.key)
    a, b = dup.first.start_mark.line + 1, dup.second.start_mark.line + 1
    return FieldError(
        type=ErrorType.DUPLICATE_FIELD,
        field=FieldPath(path),
        bad_value=dup.key,
        detail=(
            f"written on line {a} and again on line {b}: "
            f"the last value (line {b}) is kept, as kubectl does"
        ),
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
            f"; YAML reads the unquoted {node.value} as a {found_name(error.bad_value)}: "
            f"write {render_value(node.value)} to keep it a string"
        )
    return attrs.evolve(error, detail=detail, location=where(mark.line + 1, mark.column + 1))


def load_all(
    source: str | bytes | IO[Any],
    *,
    version: str = DEFAULT_SCHEMA_VERSION,
    skip_non_pods: bool = False,
    name: str = "<string>",
    field_validation: str = "Strict",
) -> tuple[Pod, ...]:
    """Decode every Pod of a multi-document YAML stream.

    The text is read as ``kubectl apply`` reads it (go-yaml v2 through ``sigs.k8s.io/yaml``:
    ``8e3`` is 8000, ``0o17`` is 15, ``yes`` and ``y`` are ``true``, a duplicate key keeps its
    last value with a :class:`DecodeWarning`). Empty documents are skipped. A document that is
    not a v1 Pod is an error, unless *skip_non_pods* is true, in which case documents of
    another ``kind`` are skipped.

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
    was_enabled = gc.isenabled()  # _gc_paused, without a context manager's cost per call
    gc.disable()
    try:
        return tuple(
            _iter_pods(
                source,
                version=version,
                skip_non_pods=skip_non_pods,
                name=name,
                mode=field_validation,
            )
        )
    finally:
        if was_enabled:
            gc.enable()


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
    version: str = DEFAULT_SCHEMA_VERSION,
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
    version: str = DEFAULT_SCHEMA_VERSION,
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
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
            raise DecodeError(
                [
                    FieldError(
                        type=ErrorType.BAD_DOCUMENT,
                        field=FieldPath(),
                        detail=f"cannot read {path!r}: {getattr(exc, 'strerror', None) or exc}",
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
    attrs_of = ATTR.get(cls)
    if attrs_of is not None:
        out: dict[str, Any] = {}
        empty = EMPTY[cls]
        for attr, wire in attrs_of:
            v = getattr(value, attr)
            if v is None or (attr in empty and v == empty[attr]):
                continue
            out[wire] = _plain(v)
        if cls is Volume:
            for src in value.sources:
                out[src.kind] = _plain(src)
        for k, v in value.extra.items():
            out.setdefault(k, thaw(v))
        return out
    if cls is OtherVolumeSource:  # an ephemeral volume's claim metadata is an ObjectMeta
        return _plain(value.fields)
    if cls is tuple:
        return [_plain(v) for v in value]
    if isinstance(value, FrozenMap):  # typed objects too: their manifest fields, as written
        return {k: _plain(v) for k, v in value._data.items()}
    return value


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, indentless=False)


def _represent_str(dumper: _Dumper, data: str) -> yaml.ScalarNode:
    """A string, quoted when kubectl would read it plain as something else (``"8e3"``,
    ``"y"``, ``"0o17"``, ``"1_000"``, ``"~"``)."""
    quote = data[:1] in _MAYBE_NOT_STRING and _yaml.go_resolve(data)[0] != "!!str"
    if quote:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return dumper.represent_str(data)


_MAYBE_NOT_STRING = frozenset("+-.0123456789yYnNtTfFoO~")
_Dumper.add_representer(str, _represent_str)


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
