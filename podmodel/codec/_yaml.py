"""The YAML front end (private): PyYAML's safe loader, with Kubernetes' scalar rules and marks.

* Uses libyaml (``yaml.CSafeLoader``) when PyYAML was built with it, else the pure-Python loader.
* Scalars resolve as Kubernetes' YAML front end (go-yaml v2 through ``sigs.k8s.io/yaml``) resolves
  them: YAML 1.1 booleans (``yes``/``no``/``on``/``off``) are booleans, but timestamps stay
  strings, base-60 numbers (``1:20``) stay strings, and ``=`` is a string.
* Duplicate keys in a mapping are recorded (with both marks) instead of silently overwritten.
* Each document's root node is kept, so that errors can be traced back to a line and column.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import BaseConstructor as _BaseConstructor
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "COUNT_FROM",
    "LIBYAML",
    "Document",
    "Duplicate",
    "TooLarge",
    "document_starts",
    "iter_documents",
    "node_at",
    "too_many_nodes",
]

LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False))
_Base: Any = yaml.CSafeLoader if LIBYAML else yaml.SafeLoader

_INT = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.X,
)
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
_DROPPED = {
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:value",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}


class Duplicate:
    """A key written twice in one mapping."""

    __slots__ = ("first", "key", "mapping", "second")

    def __init__(self, mapping: MappingNode, key: str, first: Node, second: Node) -> None:
        self.mapping = mapping
        self.key = key
        self.first = first
        self.second = second


class _Loader(_Base):  # type: ignore[misc]
    duplicates: list[Duplicate]

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        own = len(node.value)
        self.flatten_mapping(node)
        # SafeConstructor.construct_mapping is flatten + this; we flatten ourselves to count
        # the mapping's own keys first (merged keys may legitimately repeat them).
        mapping: dict[Any, Any] = _BaseConstructor.construct_mapping(self, node, deep=deep)
        if len(mapping) < own == len(node.value):
            self._record_duplicates(node)
        return mapping

    def _record_duplicates(self, node: MappingNode) -> None:
        seen: dict[Any, Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode):
                continue
            key = self.construct_object(key_node)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:
                continue
            if first is not key_node:
                self.duplicates.append(Duplicate(node, str(key), first, key_node))


def _construct_int(loader: _Loader, node: ScalarNode) -> int:
    try:
        return SafeConstructor.construct_yaml_int(loader, node)
    except ValueError:  # more digits than int() converts (sys.get_int_max_str_digits)
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"found an integer of {len(node.value)} characters, too large",
            node.start_mark,
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))
# An explicit !!timestamp tag still works, and (as in Kubernetes) yields the text.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


class Document:
    """One YAML document: its root node, the plain data, and the duplicate keys found."""

    __slots__ = ("data", "duplicates", "index", "node")

    def __init__(self, index: int, node: Node, data: Any, duplicates: list[Duplicate]) -> None:
        self.index = index
        self.node = node
        self.data = data
        self.duplicates = duplicates


class TooLarge(ValueError):
    """A document over a limit, found before it is built (``what``: ``nodes``, ``documents``)."""

    def __init__(self, what: str, limit: int, line: int) -> None:
        super().__init__(what, limit, line)
        self.what = what
        self.limit = limit
        self.line = line


_MARKER = re.compile(r"^(?:---|\.\.\.)(?=[ \t\r\n]|$)", re.M)


def document_starts(text: str) -> Iterator[tuple[int, int, bool]]:
    """(offset, line, starts) of each document marker line (``---`` or ``...`` at column 0;
    *starts* for ``---``, which begins a document): YAML forbids them inside a document, so the
    text between two of them bounds one document."""
    line, last = 1, 0
    for m in _MARKER.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        yield m.start(), line, text.startswith("---", m.start())


def _count_nodes(root: Node, limit: int) -> int:
    """Nodes of a composed document (each anchored node once), stopping past *limit*."""
    seen: set[int] = set()
    stack = [root]
    while stack and len(seen) <= limit:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return len(seen)


#: Documents spanning fewer characters cannot hold enough nodes to be worth counting.
COUNT_FROM = 64 * 1024


def too_many_nodes(document: str, limit: int) -> bool:
    """Whether the text of one document surely holds more than *limit* nodes, told by libyaml's
    event parser alone (no Python object per node: ~20 times faster than composing).

    A document's events are its scalars, aliases, two per collection and four around it, so
    more than ``2 * limit + 4`` events mean more than *limit* nodes (aliases counted as the nodes
    they expand to, which the decoder's own budget refuses anyway). Short documents, text that
    does not parse, and a PyYAML without libyaml answer ``False``: the composer's exact count
    and the parser's own errors then decide.
    """
    if len(document) <= COUNT_FROM or not LIBYAML:
        return False
    try:
        events: int = _Base(document).raw_parse()
    except (yaml.YAMLError, ValueError):
        return False
    return events > 2 * limit + 4


def iter_documents(
    stream: str | bytes | Any, *, max_nodes: int = 1 << 62, max_documents: int = 1 << 62
) -> Iterator[Document]:
    """Yield each document of *stream*; YAML errors propagate as ``yaml.YAMLError``, a document
    with more than *max_nodes* nodes (counted before it is built) or a stream with more than
    *max_documents* documents raise :class:`TooLarge`."""
    loader = _Loader(stream)
    try:
        index = 0
        while loader.check_node():
            if index >= max_documents:
                raise TooLarge("documents", max_documents, loader.peek_event().start_mark.line + 1)
            node = loader.get_node()
            if (
                node.end_mark.index - node.start_mark.index > COUNT_FROM
                and _count_nodes(node, max_nodes) > max_nodes
            ):
                raise TooLarge("nodes", max_nodes, node.start_mark.line + 1)
            loader.duplicates = []
            data = loader.construct_document(node)
            yield Document(index, node, data, loader.duplicates)
            index += 1
    finally:
        loader.dispose()


def node_at(root: Node, segments: tuple[Any, ...]) -> tuple[Node, Node | None]:
    """The deepest node along *segments* (and its key node when it is a mapping value)."""
    node: Node = root
    key_node: Node | None = None
    for seg in segments:
        if isinstance(node, MappingNode):
            name = getattr(seg, "name", seg)
            for k, v in reversed(node.value):
                if isinstance(k, ScalarNode) and k.value == str(name):
                    node, key_node = v, k
                    break
            else:
                break
        elif isinstance(node, SequenceNode) and isinstance(seg, int) and seg < len(node.value):
            node, key_node = node.value[seg], None
        else:
            break
    return node, key_node
