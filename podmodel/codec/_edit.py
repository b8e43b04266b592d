"""Surgical edits of a YAML manifest's text (private; public as :func:`edit`).

:func:`edit` changes values in the text itself, as a person would in an editor: only the bytes
of the edited values change, and a new key is a new line in the file's own indentation. Comments,
key order, quoting, blank lines and every other byte stay as they were.

>>> text = '''\\
... apiVersion: v1
... kind: Pod
... metadata:
...   name: web   # the pod
... spec:
...   containers:
...   - name: web
...     image: 'nginx'
... '''
>>> print(edit(text, {"spec.containers[0].image": "nginx:1.27",
...                   "spec.containers[0].imagePullPolicy": "Always"}), end="")
apiVersion: v1
kind: Pod
metadata:
  name: web   # the pod
spec:
  containers:
  - name: web
    image: 'nginx:1.27'
    imagePullPolicy: Always

What it writes reads back (as kubectl reads YAML) as the original data with the changes made:
strings that YAML would read as something else are quoted (``"80"``, ``"yes"``, ``"1e3"``), an
edited string keeps its quotes where they can hold the new text, and every edit is checked by
reading the result back before it is returned.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from podmodel.codec import _yaml
from podmodel.errors import Key, PodmodelError, Segment
from podmodel.model._frozen import FrozenMap
from podmodel.model._paths import PathLike, as_segments, render_path

__all__ = ["EditError", "edit"]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = "tag:yaml.org,2002:null"


class EditError(PodmodelError, ValueError):
    """An edit :func:`edit` cannot make in place, or text that is not YAML.

    Attributes:
        path: The path of the change refused (``""`` for a problem with the whole text).
        reason: Why.

    .. versionadded:: 0.2.0
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot edit {path}: {reason}" if path else f"cannot edit: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (EditError, (self.path, self.reason))


# --------------------------------------------------------------------------------------------
# Writing scalars.

_BOOL_OR_NULL = frozenset(
    [
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "null",
        "Null",
        "NULL",
        "~",
    ]
)
_NUMBER = re.compile(
    r"""^[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$
    |^[-+]?0[xXoObB][0-9a-fA-F_]+$
    |^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$
    |^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$""",
    re.X,
)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


@functools.lru_cache(maxsize=4096)
def _plain_ok(text: str, flow: bool) -> bool:
    """Whether *text* may be written unquoted and read back (by kubectl) as the same string."""
    if not text or text != text.strip() or text in _BOOL_OR_NULL or _NUMBER.match(text):
        return False
    if not all(ch.isprintable() for ch in text) or "\\" in text:
        return False
    first = text[0]
    if first in _INDICATORS and not (first in "-?:" and len(text) > 1 and text[1] != " "):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and any(ch in ",[]{}" for ch in text):
        return False
    sample = f"[{text}]" if flow else f"k: {text}"
    want: Any = [text] if flow else {"k": text}
    try:
        if yaml.load(sample, Loader=_Loader) != want:  # _Loader is a safe loader
            return False
        return bool(next(_yaml.iter_documents(sample)).data == want)
    except (yaml.YAMLError, ValueError, StopIteration):
        return False


def _double_quoted(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def _scalar(value: Any, *, style: str | None = None, flow: bool = False) -> str:
    """*value* (a JSON scalar) as YAML that reads back as the same JSON value."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" in text and "." not in text:
            text = text.replace("e", ".0e")
        return text
    string = str(value)
    if style == '"':
        return _double_quoted(string)
    if style == "'" and all(ch.isprintable() for ch in string):
        return "'" + string.replace("'", "''") + "'"
    if _plain_ok(string, flow):
        return string
    return _double_quoted(string)


def _flow(value: Any) -> str:
    if isinstance(value, Mapping):
        items = ", ".join(f"{_scalar(k, flow=True)}: {_flow(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value, flow=True)


class _Style:
    """The file's block style: the indentation step and whether sequences under a key are
    indented (``key:\\n  - a``) or not (``key:\\n- a``)."""

    def __init__(self, root: Node) -> None:
        self.step = 2
        self.indentless = False
        found_step = found_seq = False
        stack: list[Node] = [root]
        seen: set[int] = set()
        while stack and not (found_step and found_seq):
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, MappingNode):
                for k, v in node.value:
                    if v.start_mark.line > k.start_mark.line and not getattr(v, "flow_style", 1):
                        if isinstance(v, MappingNode) and not found_step:
                            self.step = max(1, v.start_mark.column - k.start_mark.column)
                            found_step = True
                        elif isinstance(v, SequenceNode) and not found_seq:
                            self.indentless = v.start_mark.column == k.start_mark.column
                            found_seq = True
                    stack.append(v)
            elif isinstance(node, SequenceNode):
                stack.extend(node.value)

    def entry(self, key: Any, value: Any, col: int) -> str:
        """``key: value`` for a block mapping whose keys are at *col* (later lines indented)."""
        head = _scalar(key) + ":"
        if isinstance(value, Mapping) and value:
            return head + "\n" + self.mapping(value, col + self.step)
        if isinstance(value, (list, tuple)) and value:
            return head + "\n" + self.sequence(value, col if self.indentless else col + self.step)
        return head + " " + _flow(value)

    def mapping(self, value: Mapping[str, Any], col: int) -> str:
        return "\n".join(" " * col + self.entry(k, v, col) for k, v in value.items())

    def item(self, value: Any, col: int) -> str:
        """One ``- item`` of a block sequence whose dashes are at *col*, without indentation."""
        if isinstance(value, Mapping) and value:
            (k0, v0), *rest = value.items()
            lines = [self.entry(k0, v0, col + 2)]
            lines += [" " * (col + 2) + self.entry(k, v, col + 2) for k, v in rest]
            return "- " + "\n".join(lines)
        return "- " + _flow(value)

    def sequence(self, value: Any, col: int) -> str:
        return "\n".join(" " * col + self.item(v, col) for v in value)


# --------------------------------------------------------------------------------------------
# Reading the text.


class _Doc:
    def __init__(self, text: str, document: int) -> None:
        try:
            roots = list(yaml.compose_all(text, Loader=_Loader))
        except (yaml.YAMLError, ValueError) as exc:
            raise EditError("", f"the text is not YAML: {exc}") from None
        if not 0 <= document < len(roots):
            raise EditError("", f"no document {document}: the text has {len(roots)}")
        self.text = text
        self.root: Node = roots[document]
        self.shared = _shared_nodes(self.root)
        self.newline = "\r\n" if "\r\n" in text else "\n"

    def content_end(self, node: Node) -> int:
        """Where *node*'s own text ends (before trailing blank lines and comments)."""
        end: int = node.end_mark.index
        if isinstance(node, ScalarNode):
            if node.style in ("|", ">"):
                while end > node.start_mark.index and self.text[end - 1] in " \t\r\n":
                    end -= 1
            return end
        if getattr(node, "flow_style", False) or not node.value:
            return end
        if isinstance(node, MappingNode):
            key, value = node.value[-1]
            if _empty(value):
                return self.colon(key) + 1
            return self.content_end(value)
        return self.content_end(node.value[-1])

    def colon(self, key: Node) -> int:
        """The index of the ``:`` after a mapping key."""
        i = key.end_mark.index
        while i < len(self.text) and self.text[i] in " \t":
            i += 1
        if i >= len(self.text) or self.text[i] != ":":
            raise EditError("", f"no ':' after the key on line {key.start_mark.line + 1}")
        return i

    def lines(self, text: str) -> str:
        """*text* (lines ending in ``\\n``) with the file's own line breaks."""
        return text.replace("\n", self.newline) if self.newline != "\n" else text

    def line_end(self, index: int) -> int:
        """The index of the line break ending the line that holds *index* (or the text's end)."""
        m = re.compile(r"\r\n|[\r\n]").search(self.text, index)
        return m.start() if m else len(self.text)


def _empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.start_mark.index == node.end_mark.index


def _shared_nodes(root: Node) -> set[int]:
    """Nodes reached more than once (an anchor and its aliases)."""
    seen: set[int] = set()
    shared: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            shared.add(id(node))
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for k, v in node.value:
                stack.extend((k, v))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return shared


# --------------------------------------------------------------------------------------------
# One change.


def _key_of(seg: Segment) -> str:
    return seg.name if isinstance(seg, Key) else str(seg)


def _nest(segs: tuple[Segment, ...], value: Any, path: str) -> Any:
    """*value* under the (missing) segments *segs*: ``("a", 0)`` → ``{"a": [value]}``."""
    for seg in reversed(segs):
        if isinstance(seg, int):
            if seg != 0:
                raise EditError(path, f"index {seg} of a list that does not exist")
            value = [value]
        else:
            value = {_key_of(seg): value}
    return value


def _change(doc: _Doc, segs: tuple[Segment, ...], value: Any) -> tuple[int, int, str]:
    """The ``(start, end, new text)`` of one change."""
    path = render_path(segs)
    node: Node = doc.root
    key: Node | None = None  # the key node of *node*, when it is a mapping value
    for depth, seg in enumerate(segs):
        if id(node) in doc.shared:
            raise EditError(path, f"{render_path(segs[:depth]) or 'the document'} is an alias")
        if isinstance(node, MappingNode):
            name = _key_of(seg)
            found = [(k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == name]
            if not found:
                if any(isinstance(k, ScalarNode) and k.value == "<<" for k, _ in node.value):
                    raise EditError(path, "the mapping has a merge key (<<)")
                return _add_key(doc, node, name, _nest(segs[depth + 1 :], value, path), path)
            key, node = found[-1]  # kubectl keeps the last of duplicate keys
        elif isinstance(node, SequenceNode):
            if not isinstance(seg, int):
                raise EditError(path, f"{render_path(segs[:depth]) or 'the document'} is a list")
            if seg == len(node.value):
                return _add_item(doc, node, _nest(segs[depth + 1 :], value, path))
            if seg > len(node.value):
                raise EditError(path, f"index out of range: the list has {len(node.value)} items")
            key, node = None, node.value[seg]
        elif isinstance(node, ScalarNode) and node.tag == _NULL:
            return _replace(doc, node, key, _nest(segs[depth:], value, path), path)
        else:
            here = render_path(segs[:depth]) or "the document"
            raise EditError(path, f"{here} is a scalar, not a map or list")
    if id(node) in doc.shared:
        raise EditError(path, "the value is an anchor or an alias")
    return _replace(doc, node, key, value, path)


def _replace(
    doc: _Doc, node: Node, key: Node | None, value: Any, path: str
) -> tuple[int, int, str]:
    start, end = node.start_mark.index, doc.content_end(node)
    text = doc.text
    flow = _in_flow(doc, node)
    if isinstance(node, ScalarNode) and node.style not in ("|", ">"):
        if isinstance(value, (Mapping, list, tuple)) and value and key is not None and not flow:
            col = key.start_mark.column
            return _block_value(doc, key, end, value, col)
        style = node.style if isinstance(value, str) else None
        new = _flow(value) if not isinstance(value, str) else _scalar(value, style=style, flow=flow)
        if _empty(node) and text[start - 1 : start] == ":":
            new = " " + new
        elif _empty(node) and key is None and start < len(text) and text[start - 1 : start] in "\n":
            new += doc.newline  # an empty document: the next line is the next document's
        return start, end, new
    collection = isinstance(value, (Mapping, list, tuple)) and value
    if isinstance(node, (MappingNode, SequenceNode)) and node.flow_style:
        return start, end, _flow(value)
    if key is not None and (node.start_mark.line > key.start_mark.line or collection):
        if collection:
            return _block_value(doc, key, end, value, key.start_mark.column)
        return doc.colon(key) + 1, end, " " + _flow(value)
    if collection:
        col = node.start_mark.column
        body = _block_body(doc, value, col)
        return start, end, body[col:]
    return start, end, _flow(value)


def _block_value(doc: _Doc, key: Node, end: int, value: Any, col: int) -> tuple[int, int, str]:
    """Write a non-empty map or list as the block value of *key* (keys at *col*)."""
    style = _Style(doc.root)
    if isinstance(value, Mapping):
        body = style.mapping(value, col + style.step)
    else:
        body = style.sequence(value, col if style.indentless else col + style.step)
    return doc.colon(key) + 1, end, doc.lines("\n" + body)


def _block_body(doc: _Doc, value: Any, col: int) -> str:
    style = _Style(doc.root)
    if isinstance(value, Mapping):
        return doc.lines(style.mapping(value, col))
    return doc.lines(style.sequence(value, col))


def _in_flow(doc: _Doc, target: Node) -> bool:
    """Whether *target* is inside a flow collection (where ``,[]{}`` end a plain scalar)."""
    stack: list[tuple[Node, bool]] = [(doc.root, False)]
    seen: set[int] = set()
    while stack:
        node, flow = stack.pop()
        if node is target:
            return flow
        if id(node) in seen:
            continue
        seen.add(id(node))
        inner = flow or bool(getattr(node, "flow_style", False))
        if isinstance(node, MappingNode):
            stack.extend((n, inner) for pair in node.value for n in pair)
        elif isinstance(node, SequenceNode):
            stack.extend((n, inner) for n in node.value)
    return False


def _add_key(
    doc: _Doc, mapping: MappingNode, name: str, value: Any, path: str
) -> tuple[int, int, str]:
    if mapping.flow_style or not mapping.value:
        if not mapping.value:
            at = mapping.start_mark.index + 1
            if doc.text[at - 1 : at] != "{":
                raise EditError(path, "cannot find the mapping's opening brace")
            return at, at, f"{_scalar(name, flow=True)}: {_flow(value)}"
        at = doc.content_end(mapping.value[-1][1])
        return at, at, f", {_scalar(name, flow=True)}: {_flow(value)}"
    col = mapping.value[0][0].start_mark.column
    at = doc.line_end(doc.content_end(mapping))
    entry = _Style(doc.root).entry(name, value, col)
    return at, at, doc.lines("\n" + " " * col + entry)


def _add_item(doc: _Doc, seq: SequenceNode, value: Any) -> tuple[int, int, str]:
    if seq.flow_style or not seq.value:
        if not seq.value:
            at = seq.start_mark.index + 1
            return at, at, _flow(value)
        at = doc.content_end(seq.value[-1])
        return at, at, ", " + _flow(value)
    col = seq.start_mark.column
    at = doc.line_end(doc.content_end(seq))
    item = _Style(doc.root).item(value, col)
    return at, at, doc.lines("\n" + " " * col + item)


# --------------------------------------------------------------------------------------------
# The check, and the public function.


def _json_value(value: Any, path: str) -> Any:
    """*value* as plain JSON data (``FrozenMap`` and tuples thawed), or an :class:`EditError`."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EditError(path, f"{value!r} is not a JSON number")
        return value
    if isinstance(value, Mapping):
        out = {}
        # (a model object's mapping: its own ``items`` may be a field of that name)
        pairs = FrozenMap.items(value) if isinstance(value, FrozenMap) else value.items()
        for k, v in pairs:
            if not isinstance(k, str):
                raise EditError(path, f"map keys must be strings, found {k!r}")
            out[k] = _json_value(v, path)
        return out
    if isinstance(value, (list, tuple)):
        return [_json_value(v, path) for v in value]
    raise EditError(path, f"{type(value).__name__} is not JSON data")


def _set(data: Any, segs: tuple[Segment, ...], value: Any) -> Any:
    """*data* (plain, copied along the path) with *value* at *segs*, creating what is missing."""
    if not segs:
        return value
    seg, rest = segs[0], segs[1:]
    if isinstance(data, list) and isinstance(seg, int):
        items = list(data)
        if seg == len(items):
            items.append(_set(None, rest, value))
        else:
            items[seg] = _set(items[seg], rest, value)
        return items
    out = dict(data) if isinstance(data, dict) else {}
    if data is None and isinstance(seg, int):
        return [_set(None, rest, value)]
    name = _key_of(seg)
    out[name] = _set(out.get(name), rest, value)
    return out


def _same(a: Any, b: Any) -> bool:
    """JSON equality: numbers are equal when their float64 values are (``1e20`` and ``10**20``:
    JSON has one number type, and kubectl reads a large float as its decimal expansion)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    numbers = (int, float)
    if (
        isinstance(a, numbers)
        and isinstance(b, numbers)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
        and (isinstance(a, float) or isinstance(b, float))
    ):
        try:
            return float(a) == float(b)
        except OverflowError:
            return False
    return type(a) is type(b) and bool(a == b)


def _documents(text: str) -> list[Any]:
    try:
        return [d.data for d in _yaml.iter_documents(text)]
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise EditError("", f"the text is not YAML: {exc}") from None


def edit(text: str, changes: Mapping[PathLike, Any], *, document: int = 0) -> str:
    """*text* with the value at each path of *changes* set, changing nothing else.

    Args:
        text: A YAML manifest (one document, or several separated by ``---``).
        changes: Path (as errors print them: ``spec.containers[0].image``) → new value: a JSON
            scalar, or a ``dict`` / ``list`` (written in block style under a new or block key,
            in flow style inside a flow collection). A missing key is added after the last key
            of its mapping, at its indentation, with whatever maps it needs; a list index equal
            to the list's length appends an item.
        document: The 0-based index of the document to edit, counting every document of the
            stream (empty ones too); the others are left as they are.

    Returns:
        The new text: only the edited values' bytes (and the added lines) differ.

    Raises:
        EditError: The text is not YAML; a path goes through an alias, a merge key or a scalar,
            or has an index past the end of its list; a value is not JSON data; or the result
            would not read back as the original data with the changes made.
        PathError: A path is malformed.

    >>> print(edit("a: {b: 1}   # note\\nc: [x]\\n", {"a.b": "80", "c[1]": "yes", "d.e": 1}), end="")
    a: {b: "80"}   # note
    c: [x, "yes"]
    d:
      e: 1
    """
    if not isinstance(text, str):
        msg = f"edit() takes the YAML text as str, not {type(text).__name__}"
        raise TypeError(msg)
    original = _documents(text)
    if not 0 <= document < len(original):
        raise EditError("", f"no document {document}: the text has {len(original)}")
    expected = list(original)
    out = text
    for path, raw in changes.items():
        segs = as_segments(path)
        where = render_path(segs)
        if not segs:
            raise EditError("", "a change needs a path below the document")
        value = _json_value(raw, where)
        start, end, new = _change(_Doc(out, document), segs, value)
        out = out[:start] + new + out[end:]
        expected[document] = _set(expected[document], segs, value)
    paths = ", ".join(render_path(as_segments(p)) for p in changes)
    try:
        same = _same(_documents(out), expected)
    except EditError:
        same = False
    if not same:
        raise EditError(paths, "the edited text would not read back as the intended data")
    return out
