"""Every document of a stream, one at a time: decoded, skipped or refused, never hidden (private).

:func:`podmodel.load_all` stops at the first bad document. A checker of whole repositories needs
the opposite: each document on its own, so that a broken one never hides the next. The text is
cut at its ``---`` lines, as kubectl's reader cuts it (YAML forbids them inside a document), and
each piece is parsed (by :mod:`podmodel.codec._yaml`, with kubectl's rules) and decoded on its
own:

* a YAML syntax error, a bad byte or a document over a size limit makes only that document
  (up to the next ``---``) ``"unreadable"``; the documents after it are read as usual;
* a document of a kind podmodel does not model (anything but a ``v1`` ``Pod``), or that is no
  Kubernetes object at all (not a mapping, or a mapping with none of ``apiVersion``, ``kind``
  and ``metadata``, such as a CI configuration) is ``"skipped"``;
* empty documents are ignored, as kubectl ignores them (they still count in ``index``);
* the rest decode strictly, as :func:`podmodel.from_dict` decodes: ``"pod"`` with the
  :class:`~podmodel.Pod`, or ``"invalid"`` with a :class:`~podmodel.DecodeError` whose every
  error carries its line and column; what decoding warns about (as :func:`podmodel.load_all`
  warns) is in ``warnings``.

:meth:`DocumentResult.locate` gives any later finding on the pod (a validation error, a warning)
the position of the field it names, or of the nearest parent written in the text.

>>> docs = list(iter_documents("kind: Service\\napiVersion: v1\\n---\\n{]\\n---\\n"
...     "apiVersion: v1\\nkind: Pod\\nmetadata: {name: p}\\n", source="all.yaml"))
>>> [(d.index, d.line, d.status, d.kind) for d in docs]
[(0, 1, 'skipped', 'Service'), (1, 4, 'unreadable', None), (2, 6, 'pod', 'Pod')]
>>> print(docs[1].error.errors[0].location)
all.yaml:4:2
"""

from __future__ import annotations

import re
import warnings
from typing import TYPE_CHECKING, Any, Literal

import attrs
import yaml

from podmodel.codec import _yaml
from podmodel.codec._api import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENT_NODES,
    MAX_DOCUMENTS,
    MAX_INPUT_BYTES,
    _duplicate_warning,
    _gc_paused,
    _in_document_order,
    _limit_error,
    _locate,
    _yaml_error,
    from_dict,
)
from podmodel.codec._decoder import check_header
from podmodel.codec._kinds import check_object_header
from podmodel.codec._objects import object_from_dict
from podmodel.errors import (
    DecodeError,
    DecodeWarning,
    ErrorType,
    FieldError,
    FieldPath,
    Location,
)
from podmodel.model.schema import DEFAULT_SCHEMA_VERSION

if TYPE_CHECKING:
    from collections.abc import Iterator

    from podmodel.model.spec import Pod
    from podmodel.model.workloads import KubeObject

__all__ = ["DocumentResult", "Status", "iter_documents"]

Status = Literal["pod", "object", "invalid", "skipped", "unreadable"]


class _Lines:
    """The lines of a whole text, split once and only when a location needs one."""

    __slots__ = ("_lines", "source", "text")

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self._lines: list[str] | None = None

    def at(self, line: int, column: int) -> Location:
        if self._lines is None:
            self._lines = self.text.split("\n")
        shown = self._lines[line - 1].rstrip("\r") if 0 < line <= len(self._lines) else ""
        if _BAD_BYTE.search(shown):  # a byte that is not UTF-8, kept as a lone surrogate
            shown = _BAD_BYTE.sub("\ufffd", shown)
        return Location(line=line, column=column, source=self.source, text=shown)


@attrs.frozen(kw_only=True)
class DocumentResult:
    """One document of a stream, and what became of it.

    Attributes:
        source: The name of the stream (a file name), as locations show it.
        index: The 0-based position of the document in the stream (empty documents count).
        line: The 1-based line where the document's content starts.
        end_line: The last line of the document's text (the line before the next ``---``).
        status: ``"pod"`` (decoded: see ``pod``), ``"object"`` (a workload or a ``List``,
            decoded when asked for: see ``obj``), ``"invalid"`` (strict decoding failed: see
            ``error``), ``"skipped"`` (not a kind podmodel models: see ``reason``) or
            ``"unreadable"`` (not YAML, or over a size limit: see ``error``).
        api_version: The document's ``apiVersion`` when it is a string, else ``None``.
        kind: The document's ``kind`` when it is a string, else ``None``.
        name: The document's ``metadata.name`` when it is a string, else ``None``.
        pod: The decoded pod (status ``"pod"``).
        obj: The decoded workload or ``List`` (status ``"object"``).
        error: Every problem of the document, each located (status ``"invalid"``,
            ``"unreadable"``).
        warnings: What decoding warns about, each located (a key written twice: kubectl
            keeps the last value).
        reason: Why the document was skipped (status ``"skipped"``).
    """

    source: str
    index: int
    line: int
    end_line: int
    status: Status
    api_version: str | None = None
    kind: str | None = None
    name: str | None = None
    pod: Pod | None = attrs.field(default=None, repr=False)
    obj: KubeObject | None = attrs.field(default=None, repr=False)
    error: DecodeError | None = attrs.field(default=None, eq=False)
    warnings: tuple[FieldError, ...] = attrs.field(default=(), eq=False)
    reason: str = ""
    _document: _yaml.Document | None = attrs.field(
        default=None, eq=False, repr=False, alias="document"
    )
    _offset: int = attrs.field(default=0, eq=False, repr=False, alias="offset")
    _lines: _Lines | None = attrs.field(default=None, eq=False, repr=False, alias="lines")

    def locate(self, error: FieldError) -> FieldError:
        """A copy of *error* (a finding on this document's pod, such as a validation error or
        warning) located at the field it names, or at the nearest parent written in the text:
        a missing ``image`` points at its container's mapping. Unchanged when the document
        was not parsed."""
        if self._document is None or self._lines is None:
            return error
        return _locate(error, self._document, self._where())

    def _where(self) -> Any:
        lines, offset = self._lines, self._offset
        assert lines is not None  # only called when parsed
        return lambda line, column: lines.at(line + offset, column)


def _text(data: str | bytes) -> str | FieldError:
    """The text of *data*: UTF-16 by its byte-order mark, else UTF-8 with each bad byte kept as
    a lone surrogate (so that it breaks only its own document)."""
    if isinstance(data, str):
        text = data
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            return FieldError(
                type=ErrorType.BAD_DOCUMENT,
                field=FieldPath(),
                detail=f"yaml: {exc.reason} (the input must be UTF-8 or UTF-16 text)",
                origin="decode.yaml",
            )
    else:
        text = data.decode("utf-8", "surrogateescape")
    return text[1:] if text.startswith("\ufeff") else text


_BAD_BYTE = re.compile("[\udc80-\udcff]")


def _pieces(text: str) -> list[tuple[int, int, int]]:
    """(start, end, first line) of the text of each document, and of what precedes the first
    ``---`` line: kubectl cuts a stream at its ``---`` lines, and so does this."""
    bounds = [(0, 1)]
    bounds.extend((at, line) for at, line, starts in _yaml.document_starts(text) if starts and at)
    ends = [b[0] for b in bounds[1:]] + [len(text)]
    return [(s, e, line) for (s, line), e in zip(bounds, ends, strict=True)]


def iter_documents(
    text: str | bytes,
    *,
    source: str = "<string>",
    version: str = DEFAULT_SCHEMA_VERSION,
    workloads: bool = False,
) -> Iterator[DocumentResult]:
    """Every non-empty document of *text*, in order, each decoded strictly on its own.

    Args:
        text: YAML (or JSON) text; ``bytes`` are UTF-8, or UTF-16 with a byte-order mark.
        source: The name to show in locations (a file name).
        version: The Kubernetes version whose field catalogue decides which fields are legal.
        workloads: Also decode the workloads (Deployment, Job, ..., PodTemplate) and ``List``
            documents (status ``"object"``) instead of skipping them; a workload kind under an
            ``apiVersion`` that does not serve it is then ``"invalid"``.

    A stream over :data:`~podmodel.codec.MAX_INPUT_BYTES` or not decodable as UTF-16 yields one
    ``"unreadable"`` result; past :data:`~podmodel.codec.MAX_DOCUMENTS` documents, one
    ``"unreadable"`` result says so and the rest is not read.
    """
    decoded = _text(text) if len(text) <= MAX_INPUT_BYTES else None
    if not isinstance(decoded, str):
        problem = decoded or FieldError(
            type=ErrorType.BAD_DOCUMENT,
            field=FieldPath(),
            detail=f"input larger than {MAX_INPUT_BYTES} bytes",
            origin="decode.limit.bytes",
        )
        located = attrs.evolve(problem, location=Location(line=1, column=1, source=source))
        yield DocumentResult(
            source=source,
            index=0,
            line=1,
            end_line=1,
            status="unreadable",
            error=DecodeError([located]),
        )
        return
    lines = _Lines(decoded, source)
    index = 0
    last_line = decoded.count("\n") + 1
    for start, end, first in _pieces(decoded):
        if index >= MAX_DOCUMENTS:
            problem = _limit_error(
                f"more than {MAX_DOCUMENTS} documents", "decode.limit.documents", lines.at(first, 1)
            )
            yield _unreadable(source, index, first, last_line, problem)
            return
        piece = decoded[start:end]
        end_line = first + piece.count("\n", 0, len(piece) - 1)
        for result in _piece_results(piece, index, first, end_line, lines, version, workloads):
            index = result.index + 1
            if isinstance(result, DocumentResult):
                yield result


_LEADING = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n|(?:---|\.\.\.)[ \t]*(?:#[^\n]*)?\n)*")


def _content_line(piece: str, first: int) -> int:
    """The line of the first content of *piece* (past blank lines, comments, a bare marker)."""
    lead = _LEADING.match(piece)
    skipped = piece.count("\n", 0, lead.end()) if lead else 0
    return first + skipped


def _unreadable(
    source: str, index: int, line: int, end: int, error: FieldError, piece: str = ""
) -> DocumentResult:
    return DocumentResult(
        source=source,
        index=index,
        line=min(_content_line(piece, line), end),
        end_line=end,
        status="unreadable",
        error=DecodeError([error], document=index),
    )


def _piece_results(
    piece: str,
    index: int,
    first: int,
    end_line: int,
    lines: _Lines,
    version: str,
    workloads: bool = False,
) -> Iterator[DocumentResult | _Empty]:
    """The results of one piece of text (at most one document, unless markers hide in it);
    an empty document yields a stand-in with status ``"empty"`` so that it takes an index."""
    offset = first - 1

    def where(line: int, column: int) -> Location:
        return lines.at(line + offset, column)

    source = lines.source
    refused = _refusal(piece, where)
    if refused is not None:
        yield _unreadable(source, index, first, end_line, refused, piece)
        return
    docs = _yaml.iter_documents(piece, max_nodes=MAX_DOCUMENT_NODES)
    seen = 0  # documents of this piece so far
    while True:
        try:
            doc = next(docs)
        except StopIteration:
            return
        except _yaml.TooLarge as big:
            detail = f"more than {big.limit} YAML nodes in one document"
            problem = _limit_error(detail, "decode.limit.nodes", where(big.line, 1))
            yield _unreadable(source, index + seen, first, end_line, problem, piece)
            return
        except (yaml.YAMLError, ValueError, OverflowError, RecursionError, TypeError) as exc:
            problem = _syntax_error(exc, offset, where)
            yield _unreadable(source, index + seen, first, end_line, problem, piece)
            return
        seen = doc.index + 1
        if doc.data is None:
            yield _Empty(index + doc.index)
        else:
            yield _decode_one(doc, index + doc.index, offset, end_line, lines, version, workloads)


class _Empty:
    """An empty document: it takes an index, and is not reported."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


def _refusal(piece: str, where: Any) -> FieldError | None:
    """Why *piece* is not read at all: over a size limit, or holding a byte that is not UTF-8."""
    if len(piece) > MAX_DOCUMENT_BYTES:
        detail = f"a document of more than {MAX_DOCUMENT_BYTES} bytes"
        return _limit_error(detail, "decode.limit.document_bytes", where(1, 1))
    if _yaml.too_many_nodes(piece, MAX_DOCUMENT_NODES):
        detail = f"more than {MAX_DOCUMENT_NODES} YAML nodes in one document"
        return _limit_error(detail, "decode.limit.nodes", where(1, 1))
    bad = _BAD_BYTE.search(piece)
    if bad is not None:
        line = piece.count("\n", 0, bad.start()) + 1
        column = bad.start() - (piece.rfind("\n", 0, bad.start()) + 1) + 1
        byte = ord(bad.group()) - 0xDC00
        return FieldError(
            type=ErrorType.BAD_DOCUMENT,
            field=FieldPath(),
            detail=f"yaml: invalid UTF-8 byte 0x{byte:02x} (the input must be UTF-8 or UTF-16 "
            "text)",
            origin="decode.yaml",
            location=where(line, column),
        )
    return None


def _syntax_error(exc: BaseException, offset: int, where: Any) -> FieldError:
    """The YAML error of a piece starting on line ``offset + 1``, with the file's line in its
    text as in its location."""
    error = _shifted(_yaml_error(exc, where), offset)
    if error.location is None:
        error = attrs.evolve(error, location=where(1, 1))
    return error


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _not_an_object(data: Any) -> bool:
    """Not a Kubernetes object at all: not a mapping, or no apiVersion, kind nor metadata."""
    if not isinstance(data, dict):
        return True
    return not any(k in data for k in ("apiVersion", "kind", "metadata"))


def _decode_one(
    doc: _yaml.Document,
    index: int,
    offset: int,
    end_line: int,
    lines: _Lines,
    version: str,
    workloads: bool = False,
) -> DocumentResult:
    data = doc.data
    meta = data.get("metadata") if isinstance(data, dict) else None
    found: dict[str, Any] = {
        "source": lines.source,
        "index": index,
        "line": doc.node.start_mark.line + 1 + offset,
        "end_line": end_line,
        "api_version": _string(data.get("apiVersion")) if isinstance(data, dict) else None,
        "kind": _string(data.get("kind")) if isinstance(data, dict) else None,
        "name": _string(meta.get("name")) if isinstance(meta, dict) else None,
        "document": doc,
        "offset": offset,
        "lines": lines,
    }
    if _not_an_object(data):
        reason = "not a Kubernetes object (no apiVersion, kind or metadata)"
        return DocumentResult(status="skipped", reason=reason, **found)
    header = check_header(data)
    decode: Any = from_dict
    if header is not None and header.origin == "decode.kindNotPod" and found["kind"]:
        if not workloads:
            reason = "podmodel checks v1 Pods only"
            return DocumentResult(status="skipped", reason=reason, **found)
        unmodelled = check_object_header(data)
        if unmodelled is not None and unmodelled.origin == "decode.kindNotModelled":
            reason = "podmodel does not model this kind"
            return DocumentResult(status="skipped", reason=reason, **found)
        decode = object_from_dict
    result = DocumentResult(status="pod" if decode is from_dict else "object", **found)
    where = result._where()
    errors: list[FieldError] = []
    pod = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DecodeWarning)
        try:
            with _gc_paused():
                pod = decode(data, version=version)
        except DecodeError as exc:
            errors = [_locate(e, doc, where) for e in exc.errors]
    warned = [
        _locate(w.message.error, doc, where) for w in caught if isinstance(w.message, DecodeWarning)
    ]
    warned.extend(_shifted(_duplicate_warning(d, doc, where), offset) for d in doc.duplicates)
    result = attrs.evolve(result, warnings=tuple(_in_document_order(warned)))
    if errors or pod is None:
        problem = DecodeError(_in_document_order(errors), document=index)
        return attrs.evolve(result, status="invalid", error=problem)
    if decode is from_dict:
        return attrs.evolve(result, pod=pod)
    return attrs.evolve(result, obj=pod)


_LINE = re.compile(r"(?<=\bline )[0-9]+")


def _shifted(error: FieldError, offset: int) -> FieldError:
    """*error* made by the codec for a piece of text starting on line ``offset + 1``, with the
    lines its detail names counted from the start of the file, as its location is."""
    if not offset or "line " not in error.detail:
        return error
    detail = _LINE.sub(lambda m: str(int(m.group()) + offset), error.detail)
    return attrs.evolve(error, detail=detail)
