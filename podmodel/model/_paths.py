"""Field paths as text, read back into segments (private; used by :mod:`podmodel.model.nested`
and the codec's text edits).

The syntax is the one :class:`~podmodel.errors.FieldPath` renders: field names joined by dots, a
list index in brackets, a map key in brackets (the key may hold dots and slashes)::

    spec.containers[0].image
    metadata.labels[app.kubernetes.io/name]
    spec.volumes[2].configMap.items[0].key

:func:`parse_path` is the exact inverse of ``str(FieldPath(...))`` for every path whose field
names hold none of ``.``, ``[`` and ``]`` and whose map keys hold no ``]`` and are not made of
decimal digits alone (``[0]`` always reads as an index; where a map is found, an index is taken
as the key of the same text).

>>> parse_path("metadata.labels[app.kubernetes.io/name]")
('metadata', 'labels', Key(name='app.kubernetes.io/name'))
>>> str(FieldPath(parse_path("spec.containers[0].ports[1].containerPort")))
'spec.containers[0].ports[1].containerPort'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from podmodel.errors import FieldPath, Key, PodmodelError, Segment

__all__ = ["PathError", "PathLike", "as_segments", "parse_path", "render_path"]

#: What the path-taking functions accept: the text, a :class:`FieldPath`, or its segments.
PathLike = str | FieldPath | Sequence[Segment]


class PathError(PodmodelError, ValueError):
    """A field path that is malformed, or that does not lead where an operation needs it to.

    Attributes:
        path: The path as text (``spec.containers[3].image``).
        reason: What is wrong, without the path.

    >>> try:
    ...     parse_path("spec..containers")
    ... except PathError as e:
    ...     print(e)
    path "spec..containers": empty field name at character 5

    .. versionadded:: 0.2.0
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"path {_quote(path)}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (PathError, (self.path, self.reason))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_path(text: str) -> tuple[Segment, ...]:
    """Split *text* into segments: ``str`` field names, ``int`` indexes and :class:`Key` map keys.

    The empty text is the empty path (the object itself).

    Raises:
        PathError: The text is not a path (an empty name, an unclosed bracket, ...).

    >>> parse_path("spec.volumes[2].configMap.items[0].key")
    ('spec', 'volumes', 2, 'configMap', 'items', 0, 'key')
    >>> parse_path("metadata.annotations[a.b/c]")
    ('metadata', 'annotations', Key(name='a.b/c'))
    """
    if not isinstance(text, str):
        msg = f"a path is a str, FieldPath or sequence of segments, not {type(text).__name__}"
        raise TypeError(msg)
    out: list[Segment] = []
    i, n = 0, len(text)
    expect_name = False  # after a dot, a field name must follow
    while i < n:
        ch = text[i]
        if ch == "[":
            if expect_name:
                raise PathError(text, f"empty field name at character {i}")
            close = text.find("]", i + 1)
            if close < 0:
                raise PathError(text, f"unclosed [ at character {i}")
            inner = text[i + 1 : close]
            out.append(int(inner) if inner.isascii() and inner.isdigit() else Key(name=inner))
            i = close + 1
            if i < n and text[i] not in ".[":
                raise PathError(text, f"expected . or [ after ] at character {i}")
            if i < n and text[i] == ".":
                i += 1
                expect_name = True
            continue
        if ch == "]":
            raise PathError(text, f"unexpected ] at character {i}")
        if ch == ".":
            raise PathError(text, f"empty field name at character {i}")
        j = i
        while j < n and text[j] not in ".[]":
            j += 1
        out.append(text[i:j])
        expect_name = False
        i = j
        if i < n and text[i] == ".":
            i += 1
            expect_name = True
        elif i < n and text[i] == "]":
            raise PathError(text, f"unexpected ] at character {i}")
    if expect_name:
        raise PathError(text, f"empty field name at character {n}")
    return tuple(out)


def render_path(segments: Sequence[Segment]) -> str:
    """The text of a path, as :class:`FieldPath` renders it.

    >>> render_path(("spec", "containers", 0, "image"))
    'spec.containers[0].image'
    """
    return str(FieldPath(tuple(segments)))


def as_segments(path: PathLike) -> tuple[Segment, ...]:
    """The segments of *path*, given as text, a :class:`FieldPath` or a sequence of segments.

    Raises:
        PathError: A malformed text, or a segment that is not a name, an index or a key.

    >>> as_segments(FieldPath.root("spec").child("containers").index(0))
    ('spec', 'containers', 0)
    """
    if isinstance(path, str):
        return parse_path(path)
    if isinstance(path, FieldPath):
        return path.segments
    if isinstance(path, Sequence):
        segments = tuple(path)
        for seg in segments:
            if isinstance(seg, bool) or not isinstance(seg, (str, int, Key)):
                raise PathError(
                    repr(segments), f"a segment is a str, int or Key, not {type(seg).__name__}"
                )
            if isinstance(seg, int) and seg < 0:
                raise PathError(render_path(segments), f"negative index {seg}")
        return segments
    msg = f"a path is a str, FieldPath or sequence of segments, not {type(path).__name__}"
    raise TypeError(msg)
