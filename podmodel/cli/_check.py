"""``podmodel check``: files, directories, globs and standard input; every document reported,
every finding at its ``file:line:column`` (private module; the command is in :mod:`podmodel.cli`).

The work is split in three steps, so that files can be checked in worker processes and the
output stays in one order whatever ``--jobs`` is:

* :func:`expand` turns the command line's paths into the ordered list of files to read;
* :func:`check_file` / :func:`check_text` read one file, split it into documents, decode and
  validate each pod and each workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
  CronJob, ReplicationController, PodTemplate, and the items of a ``List``: the kind's rules
  and its template's, at the template's paths), and locate each finding: a picklable
  :class:`FileReport`;
* :func:`write_text`, :func:`to_json` and :func:`to_sarif` show the reports.
"""

from __future__ import annotations

import collections
import functools
import glob
import os
import re
import sys
import urllib.parse
from typing import TYPE_CHECKING, Any

import attrs

from podmodel import __version__
from podmodel.apiserver import admission as _admission
from podmodel.apiserver.admission import CHECKING, AdmissionError
from podmodel.apiserver.validation import validate
from podmodel.apiserver.workloads import validate_workload
from podmodel.codec import MAX_INPUT_BYTES
from podmodel.codec._stream import iter_documents
from podmodel.errors import ErrorType, FieldError, FieldPath, Location
from podmodel.model.spec import Pod
from podmodel.model.workloads import List

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from typing import TextIO

    from podmodel.codec._stream import DocumentResult

__all__ = [
    "MANIFEST_SUFFIXES",
    "DocumentReport",
    "FileReport",
    "Summary",
    "Target",
    "check_file",
    "check_targets",
    "check_text",
    "expand",
    "to_json",
    "to_sarif",
    "write_text",
]

#: The files a directory is searched for (hidden files and directories are left out).
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"
STDIN_NAME = "<stdin>"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_GLOB = re.compile(r"[*?[]")


@attrs.frozen
class Target:
    """One file to check: its name as given or found, and why it cannot be read (if known)."""

    name: str
    problem: str = ""


def _sort_key(path: str) -> tuple[str, ...]:
    return tuple(os.path.normpath(path).split(os.sep))


def _walk(top: str) -> Iterator[Target]:
    """The manifests below *top*, sorted by path; hidden files and directories are skipped."""
    found: list[Target] = []

    def unreadable(exc: OSError) -> None:
        name = exc.filename or top
        found.append(Target(name, f"cannot read {name}: {exc.strerror or exc}"))

    for here, dirs, files in os.walk(top, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            Target(os.path.normpath(os.path.join(here, f)))
            for f in files
            if not f.startswith(".") and f.lower().endswith(MANIFEST_SUFFIXES)
        )
    return iter(sorted(found, key=lambda t: _sort_key(t.name)))


def expand(paths: Sequence[str]) -> list[Target]:
    """The files named by *paths*, in order, each once.

    A directory gives its ``*.yaml``, ``*.yml`` and ``*.json`` files, recursively, sorted; a
    pattern (``*``, ``?``, ``[``) that names no existing file is expanded as a shell would
    (``**`` spans directories), its matches sorted; ``-`` is standard input. A pattern matching
    nothing, and a missing file, are kept: reading them reports the problem.
    """
    out: list[Target] = []
    seen: set[str] = set()

    def add(target: Target) -> None:
        key = target.name if target.name == STDIN else os.path.normpath(target.name)
        if key not in seen:
            seen.add(key)
            out.append(target)

    for arg in paths:
        if arg != STDIN and not os.path.exists(arg) and _GLOB.search(arg):
            matches = sorted(glob.glob(arg, recursive=True), key=_sort_key)
            if not matches:
                add(Target(arg, f"cannot read {arg}: no file matches this pattern"))
        else:
            matches = [arg]
        for name in matches:
            if name != STDIN and os.path.isdir(name):
                for target in _walk(name):
                    add(target)
            else:
                add(Target(name))
    return out


@attrs.frozen(kw_only=True)
class DocumentReport:
    """What ``check`` found in one document (see the JSON shape in the command-line docs).

    ``status`` is ``valid``, ``invalid`` (strict decoding or validation failed), ``skipped``
    (not a kind podmodel models: a Pod, a workload or a ``List`` of them) or ``unreadable`` (not YAML, or over a size limit); ``stage``
    says who refused an invalid or unreadable document: ``parse``, ``decode`` or ``create``.
    Every error and warning carries its :class:`~podmodel.errors.Location`.
    """

    file: str
    index: int
    line: int
    end_line: int
    status: str
    api_version: str | None = None
    kind: str | None = None
    name: str | None = None
    stage: str = ""
    message: str = ""
    reason: str = ""
    errors: tuple[FieldError, ...] = ()
    warnings: tuple[FieldError, ...] = ()


@attrs.frozen(kw_only=True)
class FileReport:
    """The documents of one file, or why it could not be read."""

    file: str
    documents: tuple[DocumentReport, ...] = ()
    read_error: FieldError | None = None


def _placed(error: FieldError, doc: DocumentResult) -> FieldError:
    if error.location is not None:
        return error
    return attrs.evolve(error, location=Location(line=doc.line, column=1, source=doc.source))


def _report(doc: DocumentResult, admission: bool = True) -> DocumentReport:
    common: dict[str, Any] = {
        "file": doc.source,
        "index": doc.index,
        "line": doc.line,
        "end_line": doc.end_line,
        "api_version": doc.api_version,
        "kind": doc.kind,
        "name": doc.name,
    }
    if doc.status == "skipped":
        return DocumentReport(status="skipped", reason=doc.reason, **common)
    decoding = tuple(_placed(w, doc) for w in doc.warnings)
    if doc.obj is not None:
        return _object_report(doc, decoding, common, admission)
    if doc.pod is None:
        assert doc.error is not None  # invalid and unreadable documents carry their error
        errors = tuple(_placed(e, doc) for e in doc.error.errors)
        if doc.status == "unreadable":
            message = "; ".join(dict.fromkeys(str(e) for e in errors))
            return DocumentReport(
                status="unreadable", stage="parse", message=message, errors=errors, **common
            )
        message = str(doc.error)
        return DocumentReport(
            status="invalid",
            stage="decode",
            message=message,
            errors=errors,
            warnings=decoding,
            **common,
        )
    pod, denial = doc.pod, None
    if admission:  # what kubectl apply meets: the cluster's mutating admission, then validation
        try:
            admitted = _admission.admission(pod, cluster=CHECKING)
        except AdmissionError as exc:
            return DocumentReport(
                status="invalid",
                stage="create",
                message=str(exc),
                warnings=decoding,
                **{**common, "name": doc.pod.name},
            )
        pod, denial = admitted.pod, admitted.denial
    result = validate(pod)
    if result.ok and denial is not None:
        return DocumentReport(
            status="invalid",
            stage="create",
            message=str(denial),
            warnings=decoding + tuple(_placed(doc.locate(w), doc) for w in result.warnings),
            **{**common, "name": doc.pod.name},
        )
    return DocumentReport(
        status="valid" if result.ok else "invalid",
        stage="" if result.ok else "create",
        message=result.kubectl_message(),
        errors=tuple(_placed(doc.locate(e), doc) for e in result.errors),
        warnings=decoding + tuple(_placed(doc.locate(w), doc) for w in result.warnings),
        **{**common, "name": doc.pod.name},
    )


def _moved(error: FieldError, prefix: tuple[str | int, ...]) -> FieldError:
    return attrs.evolve(error, field=FieldPath((*prefix, *error.field.segments)))


def _object_report(
    doc: DocumentResult,
    decoding: tuple[FieldError, ...],
    common: dict[str, Any],
    admission: bool,
) -> DocumentReport:
    """A workload (its kind's rules and its template's, with the template's paths) or a
    ``List`` (each item as its own kind, its findings under ``items[i]``)."""
    obj = doc.obj
    items: tuple[tuple[tuple[str | int, ...], Any], ...] = (
        tuple((("items", i), item) for i, item in enumerate(obj.items))
        if isinstance(obj, List)
        else (((), obj),)
    )
    errors: list[FieldError] = []
    warnings: list[FieldError] = list(decoding)
    messages: list[str] = []
    for prefix, item in items:
        denial: Exception | None = None
        if isinstance(item, Pod):
            pod = item
            if admission:
                try:
                    admitted = _admission.admission(pod, cluster=CHECKING)
                except AdmissionError as exc:
                    messages.append(str(exc))
                    continue
                pod, denial = admitted.pod, admitted.denial
            result: Any = validate(pod)
        else:
            result = validate_workload(item)
        if result.ok and denial is not None:
            messages.append(str(denial))
        elif result.ok:
            warnings.extend(_placed(doc.locate(_moved(w, prefix)), doc) for w in result.warnings)
        else:
            messages.append(result.kubectl_message())
            errors.extend(_placed(doc.locate(_moved(e, prefix)), doc) for e in result.errors)
    if isinstance(obj, List) or obj is None:
        name = common["name"]
    else:
        name = obj.metadata.name or common["name"]
    return DocumentReport(
        status="invalid" if messages else "valid",
        stage="create" if messages else "",
        message="\n".join(messages),
        errors=tuple(errors),
        warnings=tuple(warnings),
        **{**common, "name": name},
    )


def _read_error(name: str, problem: str) -> FileReport:
    error = FieldError(
        type=ErrorType.BAD_DOCUMENT, field=FieldPath(), detail=problem, origin="decode.read"
    )
    return FileReport(file=name, read_error=error)


def check_text(data: str | bytes, name: str, admission: bool = True) -> FileReport:
    """Every document of *data* (the text of the file shown as *name*), checked (after the
    default mutating admission unless *admission* is false)."""
    return FileReport(
        file=name,
        documents=tuple(
            _report(d, admission) for d in iter_documents(data, source=name, workloads=True)
        ),
    )


def check_file(
    target: Target | tuple[Target, str | bytes | None], admission: bool = True
) -> FileReport:
    """Read and check one file (``Target``), or check text already read for it (standard
    input). Runs in a worker process under ``--jobs``: takes and returns picklable values."""
    text: str | bytes | None = None
    if isinstance(target, tuple):
        target, text = target
    if target.problem:
        return _read_error(target.name, target.problem)
    if text is not None:
        return check_text(text, target.name, admission)
    try:
        with open(target.name, "rb") as fh:
            data = fh.read(MAX_INPUT_BYTES + 1)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        why = getattr(exc, "strerror", None) or exc
        return _read_error(target.name, f"cannot read {target.name}: {why}")
    return check_text(data, target.name, admission)


def _jobs(jobs: int) -> int:
    return jobs if jobs > 0 else (os.cpu_count() or 1)


def check_targets(
    targets: Sequence[Target],
    jobs: int = 1,
    stdin: TextIO | None = None,
    *,
    admission: bool = True,
) -> Iterator[FileReport]:
    """Check *targets* in order; with *jobs* above 1 (0: one per core) in worker processes,
    yielding the reports in the same order as one job does."""
    work: list[Target | tuple[Target, str | bytes | None]] = []
    for t in targets:
        if t.name == STDIN:
            stream = stdin if stdin is not None else sys.stdin
            buffer = getattr(stream, "buffer", None)
            text = buffer.read(MAX_INPUT_BYTES + 1) if buffer is not None else stream.read()
            work.append((Target(STDIN_NAME), text))
        else:
            work.append(t)
    workers = min(_jobs(jobs), len(work))
    one = functools.partial(check_file, admission=admission)
    if workers <= 1:
        yield from map(one, work)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(64, len(work) // (workers * 8)))
    try:
        pool = ProcessPoolExecutor(max_workers=workers)
    except (OSError, NotImplementedError):  # no process support here (a sandbox): one job
        yield from map(one, work)
        return
    with pool:
        yield from pool.map(one, work, chunksize=chunk)


@attrs.frozen(kw_only=True)
class Summary:
    """The counts of the summary line."""

    files: int
    documents: int
    valid: int
    invalid: int
    skipped: int
    unreadable: int
    kinds: tuple[tuple[str, int], ...]
    #: How many of the ``valid`` documents are workloads (or ``List``s), not pods.
    valid_workloads: int = 0

    @property
    def ok(self) -> bool:
        """No invalid pod, no decoding error, no unreadable file or document."""
        return not (self.invalid or self.unreadable)

    @classmethod
    def of(cls, reports: Iterable[FileReport]) -> Summary:
        """The counts over *reports*."""
        files = documents = unreadable = 0
        status: collections.Counter[str] = collections.Counter()
        kinds: collections.Counter[str] = collections.Counter()
        workloads = 0
        for r in reports:
            files += 1
            documents += len(r.documents)
            unreadable += r.read_error is not None
            for d in r.documents:
                status[d.status] += 1
                workloads += d.status == "valid" and (d.kind or "Pod") != "Pod"
                if d.status == "skipped":
                    kinds[d.kind or "no kind"] += 1
        return cls(
            files=files,
            documents=documents,
            valid=status["valid"],
            invalid=status["invalid"],
            skipped=status["skipped"],
            unreadable=unreadable + status["unreadable"],
            kinds=tuple(sorted(kinds.items())),
            valid_workloads=workloads,
        )

    def line(self) -> str:
        """``N files, M documents: P pods valid, [W workloads valid, ]Q invalid, S skipped
        (kinds: ...), E unreadable``."""

        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        kinds = ", ".join(f"{k} {c}" for k, c in self.kinds)
        workloads = f"{n(self.valid_workloads, 'workload')} valid, " if self.valid_workloads else ""
        return (
            f"{n(self.files, 'file')}, {n(self.documents, 'document')}: "
            f"{n(self.valid - self.valid_workloads, 'pod')} valid, {workloads}"
            f"{self.invalid} invalid, "
            f"{self.skipped} skipped{f' (kinds: {kinds})' if kinds else ''}, "
            f"{self.unreadable} unreadable"
        )


def write_text(
    report: FileReport,
    out: TextIO,
    err: TextIO,
    paint: Callable[[str, str], str],
    paint_err: Callable[[str, str], str],
) -> None:
    """One file's documents as kubectl words it, each finding at ``FILE:LINE:COL:``."""
    if report.read_error is not None:
        print(f"{paint('error', 'red')}: {report.read_error.detail}", file=out)
    for d in report.documents:
        for w in d.warnings:
            print(f"{w.location}: {paint_err('Warning:', 'yellow')} {w}", file=err)
        if d.status == "valid":
            print(f"{d.file}: {_resource(d)}/{d.name} {paint('is valid', 'green')}", file=out)
        elif d.status == "skipped":
            what = " ".join(x for x in (d.api_version, d.kind) if x) or "document"
            named = f' "{d.name}"' if d.name else ""
            print(f"{d.file}:{d.line}: skipped {what}{named}: {d.reason}", file=out)
        else:
            error = paint("error", "red")
            if d.stage == "parse":
                where = f"lines {d.line}-{d.end_line}" if d.end_line > d.line else f"line {d.line}"
                print(
                    f'{error} parsing "{d.file}" (the document at {where} is not read; the '
                    f"documents after it are): {d.message}",
                    file=out,
                )
            else:
                verb = "creating" if d.stage == "create" else "decoding"
                print(f'{error} when {verb} "{d.file}": {d.message}', file=out)
            for e in d.errors:
                print(e.pointed(), file=out)


def _resource(d: DocumentReport) -> str:
    """kubectl's name for the kind: ``pod``, ``deployment.apps``, ``job.batch``, ``list``."""
    kind = (d.kind or "pod").lower()
    group = (d.api_version or "v1").rpartition("/")[0]
    return f"{kind}.{group}" if group else kind


def _finding(e: FieldError) -> dict[str, Any]:
    loc = e.location
    return {
        "type": e.type.value,
        "origin": e.origin,
        "field": e.path,
        "detail": e.detail,
        "text": str(e),
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
    }


def _legacy_error(e: FieldError) -> dict[str, Any]:
    """The error shape of podmodel 0.x's ``check --output json`` ``files`` list (kept)."""
    loc = e.location
    return {
        "type": e.type.value,
        "field": e.path,
        "message": str(e),
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
    }


def _document_json(d: DocumentReport) -> dict[str, Any]:
    return {
        "file": d.file,
        "index": d.index,
        "line": d.line,
        "endLine": d.end_line,
        "apiVersion": d.api_version,
        "kind": d.kind,
        "name": d.name,
        "status": d.status,
        "reason": d.reason,
        "errors": [_finding(e) for e in d.errors],
        "warnings": [_finding(w) for w in d.warnings],
    }


def _file_json(r: FileReport) -> dict[str, Any]:
    pods = [
        {
            "name": d.name,
            "valid": d.status == "valid",
            "errors": [_legacy_error(e) for e in d.errors],
            "warnings": [str(w) for w in d.warnings],
        }
        for d in r.documents
        if d.stage in ("", "create") and d.status != "skipped"
    ]
    errors: list[dict[str, Any]] = []
    if r.read_error is not None:
        errors.append({"message": r.read_error.detail})
    for d in r.documents:
        if d.stage in ("parse", "decode"):
            errors.extend(_legacy_error(e) for e in d.errors)
    bad = r.read_error is not None or any(
        d.status in ("invalid", "unreadable") for d in r.documents
    )
    status = "unreadable" if r.read_error is not None else "problems" if bad else "ok"
    return {"file": r.file, "status": status, "pods": pods, "errors": errors}


def to_json(reports: Sequence[FileReport]) -> dict[str, Any]:
    """The ``--output json`` document (shape in ``docs/how-to/command-line.md``)."""
    s = Summary.of(reports)
    return {
        "ok": s.ok,
        "summary": {
            "files": s.files,
            "documents": s.documents,
            "valid": s.valid,
            "invalid": s.invalid,
            "skipped": s.skipped,
            "skippedKinds": dict(s.kinds),
            "unreadable": s.unreadable,
        },
        "documents": [_document_json(d) for r in reports for d in r.documents],
        "files": [_file_json(r) for r in reports],
    }


def _uri(name: str) -> str:
    """*name* as a URI reference relative to the working directory (``/`` separators)."""
    if name == STDIN_NAME:
        return urllib.parse.quote(name)
    try:
        rel = os.path.relpath(name)
    except ValueError:  # another drive (Windows)
        rel = os.path.abspath(name)
    return urllib.parse.quote(rel.replace(os.sep, "/"))


_RULE_TEXT = {
    ErrorType.WARNING: "A warning the API server returns with a valid pod",
    ErrorType.BAD_DOCUMENT: "The document cannot be read or decoded as a v1 Pod",
    ErrorType.UNKNOWN_FIELD: "Strict decoding: a field the v1 Pod schema does not have",
    ErrorType.DUPLICATE_FIELD: "Strict decoding: a key written twice in one mapping",
}


def _result(e: FieldError, file: str, rules: dict[str, int], level: str) -> dict[str, Any]:
    rule = e.type.value
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(file)}}
    if e.location is not None:
        physical["region"] = {"startLine": e.location.line, "startColumn": e.location.column}
    return {
        "ruleId": rule,
        "ruleIndex": rules.setdefault(rule, len(rules)),
        "level": level,
        "message": {"text": str(e)},
        "locations": [{"physicalLocation": physical}],
        "properties": {"field": e.path, "origin": e.origin},
    }


def to_sarif(reports: Sequence[FileReport]) -> dict[str, Any]:
    """The ``--output sarif`` log: SARIF 2.1.0, one run, a rule per Kubernetes error type."""
    rules: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for r in reports:
        if r.read_error is not None:
            results.append(_result(r.read_error, r.file, rules, "error"))
        for d in r.documents:
            results.extend(_result(e, r.file, rules, "error") for e in d.errors)
            results.extend(_result(w, r.file, rules, "warning") for w in d.warnings)
    descriptors = []
    for rule in rules:  # in ruleIndex order
        kind = ErrorType(rule)
        descriptors.append(
            {
                "id": rule,
                "name": rule,
                "shortDescription": {"text": _RULE_TEXT.get(kind, f"Kubernetes: {kind.phrase}")},
                "defaultConfiguration": {
                    "level": "warning" if kind is ErrorType.WARNING else "error"
                },
            }
        )
    s = Summary.of(reports)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "podmodel",
                        "version": __version__,
                        "informationUri": "https://podmodel.readthedocs.io",
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {"summary": s.line()},
            }
        ],
    }
