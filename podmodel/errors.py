"""Errors as data, and the closed set of exceptions podmodel raises.

Every problem podmodel finds in a manifest is a :class:`FieldError`: a frozen value with the
field path, the error type (Kubernetes' name, such as ``FieldValueInvalid``), the bad value and a
human detail. ``str()`` of it is exactly what Kubernetes prints
(``apimachinery/pkg/util/validation/field/errors.go``)::

    spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive

Exceptions: everything podmodel raises on bad input is a :class:`PodmodelError`. Each concrete
class also inherits the built-in exception a caller would already catch (``ValueError`` for bad
manifests, ``OSError`` for simulated system-call failures). Any other exception escaping a public
function on bad input is a bug.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "DecodeError",
    "DecodeWarning",
    "ErrorType",
    "FieldError",
    "FieldPath",
    "GoStruct",
    "InvalidPod",
    "Key",
    "Location",
    "PodmodelError",
    "UnknownSchemaVersion",
    "ValidationResult",
    "go_quote",
    "render_value",
]


class ErrorType(str, enum.Enum):
    """The kind of a :class:`FieldError`; the value is Kubernetes' name for it.

    >>> ErrorType.INVALID.value, ErrorType.INVALID.phrase
    ('FieldValueInvalid', 'Invalid value')

    .. versionadded:: 0.1.0
    """

    REQUIRED = "FieldValueRequired"
    INVALID = "FieldValueInvalid"
    DUPLICATE = "FieldValueDuplicate"
    NOT_SUPPORTED = "FieldValueNotSupported"
    NOT_FOUND = "FieldValueNotFound"
    FORBIDDEN = "FieldValueForbidden"
    TOO_LONG = "FieldValueTooLong"
    TOO_MANY = "FieldValueTooMany"
    INTERNAL = "InternalError"
    TYPE_INVALID = "FieldValueTypeInvalid"
    # Strict decoding (not field.ErrorType values in Kubernetes, which reports them as text).
    UNKNOWN_FIELD = "UnknownField"
    DUPLICATE_FIELD = "DuplicateField"
    BAD_DOCUMENT = "BadDocument"
    # A warning the API server returns for a valid pod (pkg/api/pod/warnings.go).
    WARNING = "Warning"

    @property
    def phrase(self) -> str:
        """The canonical phrase Kubernetes prints for this type (``Required value``, ...)."""
        return _PHRASES[self]

    @property
    def shows_value(self) -> bool:
        """Whether Kubernetes prints the bad value after the phrase."""
        return self in _SHOWS_VALUE


_PHRASES = {
    ErrorType.REQUIRED: "Required value",
    ErrorType.INVALID: "Invalid value",
    ErrorType.DUPLICATE: "Duplicate value",
    ErrorType.NOT_SUPPORTED: "Unsupported value",
    ErrorType.NOT_FOUND: "Not found",
    ErrorType.FORBIDDEN: "Forbidden",
    ErrorType.TOO_LONG: "Too long",
    ErrorType.TOO_MANY: "Too many",
    ErrorType.INTERNAL: "Internal error",
    ErrorType.TYPE_INVALID: "Invalid value",
    ErrorType.UNKNOWN_FIELD: "unknown field",
    ErrorType.DUPLICATE_FIELD: "duplicate field",
    ErrorType.BAD_DOCUMENT: "invalid document",
    ErrorType.WARNING: "warning",
}
_SHOWS_VALUE = frozenset(
    {
        ErrorType.INVALID,
        ErrorType.DUPLICATE,
        ErrorType.NOT_SUPPORTED,
        ErrorType.NOT_FOUND,
        ErrorType.TOO_MANY,
        ErrorType.TYPE_INVALID,
    }
)

_GO_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}


def go_quote(text: str) -> str:
    """Quote *text* the way Go's ``%q`` / ``strconv.Quote`` does.

    >>> print(go_quote('say "hi"\\n'))
    "say \\"hi\\"\\n"
    """
    out = ['"']
    for ch in text:
        esc = _GO_ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def render_value(value: object) -> str:
    """Render a bad value as Kubernetes v1.35 does: strings quoted, numbers bare, else JSON.

    >>> render_value("MyPod"), render_value(70000), render_value(True), render_value(None)
    ('"MyPod"', '70000', 'true', 'null')
    """
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e21:
            return str(int(value))
        return repr(value) if math.isfinite(value) else go_quote(repr(value))
    if value is None:
        return "null"
    try:
        return _go_json(value)
    except (TypeError, ValueError):
        return go_quote(repr(value))


@attrs.frozen
class GoStruct:
    """A Go struct as a bad value: its fields in declaration order, as Go's ``encoding/json``
    writes them (a map's keys are sorted, a struct's fields are not).

    The API server's internal types have no JSON tags, so their fields show Go names; a type
    with tags (``metav1.OwnerReference``) shows its JSON names, without the omitted ones. A
    field's value may itself be a :class:`GoStruct`; ``None`` is Go's nil (``null``).

    >>> print(render_value(GoStruct.of(Type="Bogus", LocalhostProfile=None)))
    {"Type":"Bogus","LocalhostProfile":null}
    """

    fields: tuple[tuple[str, Any], ...]

    @classmethod
    def of(cls, **fields: Any) -> GoStruct:
        """The struct with these fields, in the order given."""
        return cls(tuple(fields.items()))


def _go_json(value: Any) -> str:
    """*value* as compact JSON: :class:`GoStruct` fields in order, mapping keys sorted, any
    mapping or tuple of frozen data as an object or array (errors import nothing of
    podmodel's, so this is the model's ``thaw`` without the model)."""
    if isinstance(value, GoStruct):
        return "{" + ",".join(f"{_go_json(k)}:{_go_json(v)}" for k, v in value.fields) + "}"
    if isinstance(value, Mapping):
        # (``Mapping.items`` unbound: a model object's own ``items`` may be a field)
        pairs = Mapping.items(value) if not isinstance(value, dict) else value.items()
        items = sorted(pairs, key=lambda kv: kv[0])
        return "{" + ",".join(f"{_go_json(k)}:{_go_json(v)}" for k, v in items) + "}"
    if isinstance(value, (tuple, list)):
        return "[" + ",".join(_go_json(v) for v in value) + "]"
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@attrs.frozen(kw_only=True)
class Key:
    """A map key segment of a :class:`FieldPath` (rendered ``[key]``)."""

    name: str


Segment = str | int | Key


def _path(segments: tuple[Segment, ...]) -> FieldPath:
    path = object.__new__(FieldPath)
    object.__setattr__(path, "segments", segments)
    return path


@attrs.frozen
class FieldPath:
    """A structured field path, rendered as Kubernetes prints it.

    Build it while descending; it is never parsed back from a string.

    >>> p = FieldPath.root("spec").child("containers").index(1).child("ports").index(0)
    >>> str(p.child("containerPort"))
    'spec.containers[1].ports[0].containerPort'
    >>> str(FieldPath.root("metadata").child("annotations").key("a/b"))
    'metadata.annotations[a/b]'

    .. versionadded:: 0.1.0
    """

    segments: tuple[Segment, ...] = ()

    @classmethod
    def root(cls, name: str) -> FieldPath:
        """A path of one field name."""
        return cls((name,))

    # Validation builds a path for every field it looks at: these skip attrs' __init__.

    def child(self, name: str, *more: str) -> FieldPath:
        """The path to a field below this one."""
        return _path((*self.segments, name, *more))

    def index(self, i: int) -> FieldPath:
        """The path to item *i* of the list at this path."""
        return _path((*self.segments, i))

    def key(self, name: str) -> FieldPath:
        """The path to key *name* of the map at this path."""
        return _path((*self.segments, Key(name=name)))

    @property
    def names(self) -> tuple[str, ...]:
        """The field names alone (no indices or keys), as Go's type errors print them."""
        return tuple(s for s in self.segments if isinstance(s, str))

    def __str__(self) -> str:
        out: list[str] = []
        for seg in self.segments:
            if isinstance(seg, str):
                if out:
                    out.append(".")
                out.append(seg)
            elif isinstance(seg, int):
                out.append(f"[{seg}]")
            else:
                out.append(f"[{seg.name}]")
        return "".join(out)


@attrs.frozen(kw_only=True)
class Location:
    """Where in the source text a problem is: 1-based line and column, and that line's text.

    .. versionadded:: 0.1.0
    """

    line: int
    column: int
    source: str = "<string>"
    text: str = ""

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}"


@attrs.frozen(kw_only=True)
class FieldError:
    """One problem at one field: Kubernetes' ``field.Error`` as a frozen value.

    Attributes:
        type: The :class:`ErrorType`; ``type.value`` is Kubernetes' name (``FieldValueInvalid``).
        field: The :class:`FieldPath`; ``str(error.field)`` is the path Kubernetes prints.
        bad_value: The offending value (printed for the types that print one).
        detail: The human explanation, as Kubernetes words it.
        origin: A stable rule identifier (such as ``"containerPort.range"``) for tests that must
            not depend on the exact wording.
        location: For decode errors, where the problem is in the YAML text.

    >>> err = FieldError(type=ErrorType.INVALID,
    ...                  field=FieldPath(("spec", "containers", 0, "ports", 0, "containerPort")),
    ...                  bad_value=70000, detail="must be between 1 and 65535, inclusive")
    >>> print(err)
    spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive

    .. versionadded:: 0.1.0
    """

    type: ErrorType
    field: FieldPath
    bad_value: Any = None
    detail: str = ""
    origin: str = ""
    location: Location | None = attrs.field(default=None, eq=False)

    @property
    def path(self) -> str:
        """The rendered field path (``spec.containers[1].name``)."""
        return str(self.field)

    def body(self) -> str:
        """Kubernetes' ``ErrorBody()``: the phrase, the value where shown, the detail."""
        t = self.type
        if t is ErrorType.UNKNOWN_FIELD or t is ErrorType.DUPLICATE_FIELD:
            return self.detail
        parts = [t.phrase]
        if t.shows_value:
            parts.append(render_value(self.bad_value))
        if self.detail:
            parts.append(self.detail)
        return ": ".join(parts)

    def __str__(self) -> str:
        t = self.type
        if t is ErrorType.UNKNOWN_FIELD or t is ErrorType.DUPLICATE_FIELD:
            text = f"{t.phrase} {go_quote(str(self.field))}"
            return f"{text}; {self.detail}" if self.detail else text
        if t is ErrorType.BAD_DOCUMENT and not self.field.segments:
            return self.detail
        if t is ErrorType.WARNING:
            return f"{self.field}: {self.detail}" if self.field.segments else self.detail
        return f"{self.field}: {self.body()}"

    def pointed(self) -> str:
        """The message, then (when known) the source line with a caret under the column."""
        loc = self.location
        if loc is None:
            return str(self)
        head = f"{loc}: {self}"
        if not loc.text:
            return head
        return f"{head}\n    {loc.text}\n    {' ' * (loc.column - 1)}^"


class PodmodelError(Exception):
    """Base of every exception podmodel raises on bad input (never raised itself).

    .. versionadded:: 0.1.0
    """

    def __init__(self, *args: object) -> None:
        if type(self) is PodmodelError:
            msg = "PodmodelError is abstract: raise one of its subclasses"
            raise TypeError(msg)
        super().__init__(*args)


class DecodeError(PodmodelError, ValueError):
    """A manifest could not be decoded into a :class:`~podmodel.Pod`.

    Raised by :func:`~podmodel.loads`, :func:`~podmodel.load`, :func:`~podmodel.load_all` and
    :func:`~podmodel.from_dict` for YAML syntax errors, documents that are not a v1 Pod, unknown
    fields and wrong types. It collects **every** problem found before raising. (A key written
    twice is not an error: kubectl keeps its last value; see :class:`DecodeWarning`.)

    Attributes:
        errors: Every problem, as :class:`FieldError` values, in document order.
        document: The 0-based index of the document in a multi-document stream.

    .. versionadded:: 0.1.0
    """

    kind: ClassVar[str] = "Pod"

    def __init__(
        self, errors: Sequence[FieldError], *, document: int = 0, object_kind: str | None = None
    ) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        self.document = document
        #: the kind the document declared (``Deployment``), named in the message as the server
        #: names it; the Pod's when unset
        self.object_kind: str = object_kind or self.kind
        super().__init__(self._message())

    def _message(self) -> str:
        strict = [
            e for e in self.errors if e.type in (ErrorType.UNKNOWN_FIELD, ErrorType.DUPLICATE_FIELD)
        ]
        other = [e for e in self.errors if e not in strict]
        parts: list[str] = []
        if strict:
            parts.append("strict decoding error: " + ", ".join(_dedupe(str(e) for e in strict)))
        parts.extend(_dedupe(str(e) for e in other))
        kind = self.object_kind
        return f'{kind} in version "v1" cannot be handled as a {kind}: {"; ".join(parts)}'

    def pointed(self) -> str:
        """Every problem on its own line(s), with source line and caret where known."""
        return "\n".join(e.pointed() for e in self.errors)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_decode_error, (self.errors, self.document))


def _rebuild_decode_error(errors: tuple[FieldError, ...], document: int) -> DecodeError:
    return DecodeError(errors, document=document)


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


class UnknownSchemaVersion(PodmodelError, ValueError):
    """A Kubernetes version was asked for that podmodel ships no field catalogue for.

    .. versionadded:: 0.1.0
    """

    def __init__(self, version: str, known: Sequence[str]) -> None:
        self.version = version
        self.known = tuple(known)
        super().__init__(
            f"no schema for Kubernetes version {version!r}: known versions are "
            + ", ".join(self.known)
        )


class DecodeWarning(UserWarning):
    """An unknown field kept under ``field_validation="Warn"``, or a key written twice in YAML
    text, whose last value is kept as kubectl keeps it (under ``"Strict"``, the default, and
    ``"Warn"``; ``"Ignore"`` keeps it silently). The message names both lines, e.g.
    ``duplicate field "spec.containers[0].image"; written on line 8 and again on line 9: the
    last value (line 9) is kept, as kubectl does``.

    Attributes:
        error: The problem, as a :class:`FieldError`.
        document: The 0-based index of the document in its stream.

    .. versionadded:: 0.1.0
    """

    def __init__(self, error: FieldError, *, document: int = 0) -> None:
        self.error = error
        self.document = document
        super().__init__(str(error))


def _aggregate(texts: Sequence[str]) -> str:
    unique = _dedupe(texts)
    if len(unique) == 1:
        return unique[0]
    return "[" + ", ".join(unique) + "]"


def _server_invalid(resource: str, name: str, errors: Sequence[FieldError]) -> str:
    """The 422 ``Status.message``: ``Pod "p" is invalid: [e1, e2]`` (``""`` with no error);
    *resource* is the kind with its group (``Deployment.apps``)."""
    if not errors:
        return ""
    return f'{resource} "{name}" is invalid: {_aggregate([str(e) for e in errors])}'


def _kubectl_invalid(kind: str, name: str, errors: Sequence[FieldError]) -> str:
    """What ``kubectl apply`` prints: one line for one error, else one ``* e`` per error."""
    if not errors:
        return ""
    lines = _dedupe(str(e) for e in errors)
    head = f'The {kind} "{name}" is invalid: '
    if len(lines) == 1:
        return head + lines[0]
    return head + "\n" + "\n".join(f"* {line}" for line in lines)


def _kubectl_warnings(warnings: Sequence[FieldError]) -> str:
    """The warnings as kubectl prints them on stderr (``Warning: ...`` lines)."""
    return "\n".join(f"Warning: {w}" for w in warnings)


@attrs.frozen(kw_only=True)
class ValidationResult:
    """What the API server says about a pod: every error, and (for a valid pod) its warnings.

    Attributes:
        errors: Every :class:`FieldError`, in the order the API server reports them.
        warnings: The warnings (``ErrorType.WARNING``) the server returns with a valid pod.
        name: The pod's name, as the messages show it.

    .. versionadded:: 0.1.0
    """

    errors: tuple[FieldError, ...] = ()
    warnings: tuple[FieldError, ...] = ()
    name: str = ""

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings do not count)."""
        return not self.errors

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        """A short repr: the counts and the first error (``errors`` and ``kubectl_message()``
        have them all)."""
        first = f", first={str(self.errors[0])!r}" if self.errors else ""
        return (
            f"ValidationResult(name={self.name!r}, ok={self.ok}, errors={len(self.errors)}, "
            f"warnings={len(self.warnings)}{first})"
        )

    def server_message(self) -> str:
        """The API server's ``Status.message``: ``Pod "mypod" is invalid: [e1, e2]``."""
        return _server_invalid("Pod", self.name, self.errors)

    def kubectl_message(self) -> str:
        """What ``kubectl apply`` prints: one line for one error, else one ``* e`` per error."""
        return _kubectl_invalid("Pod", self.name, self.errors)

    def kubectl_warnings(self) -> str:
        """The warnings as kubectl prints them on stderr (``Warning: ...`` lines)."""
        return _kubectl_warnings(self.warnings)

    def raise_for_errors(self) -> None:
        """Raise :class:`InvalidPod` when there are errors."""
        if self.errors:
            raise InvalidPod(self)


class InvalidPod(PodmodelError, ValueError):
    """The API server would reject the pod; ``str()`` is the server's message.

    Raised by :func:`podmodel.check` and :meth:`ValidationResult.raise_for_errors`.

    Attributes:
        result: The :class:`ValidationResult`, with every error.
        errors: Shortcut for ``result.errors``.

    .. versionadded:: 0.1.0
    """

    def __init__(self, result: ValidationResult) -> None:
        self.result = result
        self.errors = result.errors
        super().__init__(result.server_message())

    def kubectl_message(self) -> str:
        """kubectl's rendering of the same errors."""
        return self.result.kubectl_message()

    def __reduce__(self) -> tuple[Any, ...]:
        return (InvalidPod, (self.result,))
