"""The YAML front end (private): PyYAML's safe loader, reading a text as kubectl reads it.

* Uses libyaml (``yaml.CSafeLoader``) when PyYAML was built with it, else the pure-Python loader.
* The data is what ``kubectl apply`` sends for the same text: go-yaml v2 (``sigs.k8s.io/yaml``,
  non-strict) then YAML→JSON, then kubectl's own JSON decoding. So YAML 1.1 booleans in Go's
  spellings (``y``, ``Yes``, ``OFF``), Go integers (``0o17``, ``017``, ``0x1F``, ``0b101``,
  ``1_000``) and floats (``8e3`` is 8000: an integral number carries no fraction in JSON), an
  integer past int64 becomes a float64, timestamps and ``1:20`` stay strings, keys become
  strings (``1`` → ``"1"``, ``yes`` → ``"true"``), merge keys override the keys before them,
  ``\\'`` is an escape, tags other than the core ones are ignored, and ``.inf``/``.nan`` fail.
* Duplicate keys keep the last value, as go-yaml does; each one is recorded with both marks.
* Each document's root node is kept, so that errors can be traced back to a line and column.
"""

from __future__ import annotations

import base64
import math
import re
import struct
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "COUNT_FROM",
    "LIBYAML",
    "PLAIN_TAG",
    "Document",
    "Duplicate",
    "TooLarge",
    "document_starts",
    "go_resolve",
    "iter_documents",
    "json_number",
    "node_at",
    "too_many_nodes",
]

LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False))
_Base: Any = yaml.CSafeLoader if LIBYAML else yaml.SafeLoader

# --- go-yaml v2's scalar resolution (sigs.k8s.io/yaml/goyaml.v2/resolve.go) -------------------

#: The tag podmodel's resolver gives every plain scalar that go-yaml may read as something other
#: than a string; its constructor decides, as go-yaml's ``resolve`` does.
PLAIN_TAG = "tag:podmodel,2026:plain"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_WORDS: dict[str, tuple[str, Any]] = {"": ("!!null", None)}
for _words, _value, _tag in (
    ("y Y yes Yes YES true True TRUE on On ON", True, "!!bool"),
    ("n N no No NO false False FALSE off Off OFF", False, "!!bool"),
    ("~ null Null NULL", None, "!!null"),
    (".nan .NaN .NAN", math.nan, "!!float"),
    (".inf .Inf .INF +.inf +.Inf +.INF", math.inf, "!!float"),
    ("-.inf -.Inf -.INF", -math.inf, "!!float"),
):
    for _word in _words.split():
        _WORDS[_word] = (_tag, _value)
_WORD = re.compile(
    "^(?:" + "|".join(re.escape(w) for w in _WORDS if not w or w[0] not in "+-.") + ")$"
)
_NUMERIC_START = "+-.0123456789"
# strconv.ParseInt(s, 0, 64) and ParseUint's syntax, on the text without underscores.
_GO_INT = re.compile(
    r"^([-+]?)(?:0[bB]([01]+)|0[oO]([0-7]+)|0[xX]([0-9a-fA-F]+)|(0[0-7]*|[1-9]\d*))$"
)
_GO_FLOAT = re.compile(r"^[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:[eE][-+]?\d+)?$")  # yamlStyleFloat
# strconv.ParseFloat on a text starting with ".": underscores only between digits.
_DOT_FLOAT = re.compile(r"^\.\d+(?:_\d+)*(?:[eE][-+]?\d+(?:_\d+)*)?$")
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d{1,9})?(?:Z|[-+]\d\d:\d\d))"
    r"|(?: \d{1,2}:\d{1,2}:\d{1,2}(?:\.\d{1,9})?))?$"
)
_INT64 = 1 << 63


class _Uint64(int):
    """An integer go-yaml holds as ``uint64`` (above the int64 range)."""


def go_resolve(text: str) -> tuple[str, Any]:
    """go-yaml v2's ``resolve`` of an untagged plain scalar: its short tag and Go value
    (``bool``, ``None``, ``int``, a ``uint64`` int, ``float`` including inf and NaN, or the
    text itself as ``!!str``)."""
    if not text:
        return "!!null", None
    word = _WORDS.get(text)
    if word is not None:
        return word
    first = text[0]
    if first == ".":
        if _DOT_FLOAT.match(text):
            f = float(text.replace("_", ""))
            if not math.isinf(f):
                return "!!float", f
        return "!!str", text
    if first not in _NUMERIC_START:
        return "!!str", text
    plain = text.replace("_", "")
    m = _GO_INT.match(plain)
    if m is not None:
        sign, b, o, x, rest = m.groups()
        digits, base = (
            (b, 2) if b else (o, 8) if o else (x, 16) if x else (rest, 8 if rest[0] == "0" else 10)
        )
        if len(digits.lstrip("0")) <= 64:  # more digits than any 64-bit number: a range error
            n = int(digits, base)
            if sign == "-":
                n = -n
            if -_INT64 <= n < _INT64:
                return "!!int", n
            if not sign and n < 2 * _INT64:
                return "!!int", _Uint64(n)
    if _GO_FLOAT.match(plain):
        f = float(plain)
        if not math.isinf(f):  # ParseFloat's range error: the text stays a string
            return "!!float", f
    return "!!str", text


def json_number(value: float) -> int | float:
    """A number as kubectl sends it: its JSON body holds float64s written by Go (an integral value
    below 1e21 without a fraction), read back as int64 when they fit."""
    if value.is_integer() and -1e21 < value < 1e21:
        return int(value) if -(1 << 53) <= value <= 1 << 53 else int(Decimal(repr(value)))
    return value


def _json_value(tag: str, value: Any) -> Any:
    if tag == "!!int":
        return json_number(float(value)) if type(value) is _Uint64 else value
    if tag == "!!float":
        return json_number(value) if math.isfinite(value) else value
    return value


def _format_float32(value: float) -> str:
    """Go's ``strconv.FormatFloat(v, 'g', -1, 32)`` with go-yaml's names for infinities."""
    try:
        single = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        single = math.copysign(math.inf, value)
    if math.isnan(single):
        return ".nan"
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    for places in range(9):
        text = f"{single:.{places}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            break
    exponent = int(text.partition("e")[2])
    if exponent < -4 or exponent >= 6:
        return text
    return format(Decimal(text), "f")


class Duplicate:
    """A key written twice in one mapping (go-yaml keeps the last value)."""

    __slots__ = ("first", "key", "mapping", "second")

    def __init__(self, mapping: MappingNode, key: str, first: Node, second: Node) -> None:
        self.mapping = mapping
        self.key = key
        self.first = first
        self.second = second


def _error(problem: str, node: Node) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, problem, node.start_mark)


class _Loader(_Base):  # type: ignore[misc]
    duplicates: list[Duplicate]
    nonfinite: list[Node]

    # libyaml's composer calls these three for every node; PyYAML's walk path resolvers (there
    # are none) and generic tables. The first two become C callables doing nothing of note.
    descend_resolver, ascend_resolver = staticmethod(slice), staticmethod(tuple)

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
        """``BaseResolver.resolve`` for podmodel's implicit resolvers (no path resolvers)."""
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _RESOLVERS.get(value[:1], ()):
                    if regexp.match(value):
                        return tag  # type: ignore[no-any-return]
            return _STR_TAG
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[str, Any] = {}
        if self._fill(mapping, node, deep) or len(mapping) < len(node.value):
            self._record_duplicates(node)
        return mapping

    def _fill(self, mapping: dict[str, Any], node: MappingNode, deep: bool) -> bool:
        """go-yaml v2's ``mapping``: keys in order, the last one written wins, and a merge key
        (``<<``) writes the merged mappings' keys over those before it. Whether it merged."""
        merged = False
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self._merge(mapping, value_node)
                merged = True
                continue
            key = self.construct_object(key_node, deep=deep)
            if type(key) is not str:
                key = self._key_text(key_node, key)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return merged

    def _merge(self, mapping: dict[str, Any], node: Node) -> None:
        # Each merged mapping is built once (and cached), so chains of merges stay linear.
        if isinstance(node, MappingNode):
            mapping.update(self.construct_object(node, deep=True))
        elif isinstance(node, SequenceNode) and all(isinstance(n, MappingNode) for n in node.value):
            for merged in reversed(node.value):  # earlier mappings take precedence
                mapping.update(self.construct_object(merged, deep=True))
        else:
            raise _error("map merge requires map or sequence of maps as the value", node)

    def _key_text(self, node: Node, key: Any) -> str:
        """A key as sigs.k8s.io/yaml turns it into a JSON field name."""
        if not isinstance(node, ScalarNode):
            raise _error("invalid map key: a key must be a scalar (found unhashable key)", node)
        value = go_resolve(node.value)[1] if node.tag == PLAIN_TAG else key
        if node.tag == "tag:yaml.org,2002:float" or type(value) is float:
            return _format_float32(float(value))
        if type(value) is bool:
            return "true" if value else "false"
        if value is None:
            raise _error("unsupported map key of type: <nil> (a field name must be a string)", node)
        if type(value) is _Uint64:
            raise _error(f"unsupported map key of type: uint64, key: {value}", node)
        return str(value)

    def _record_duplicates(self, node: MappingNode) -> None:
        seen: dict[Any, Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node)
            if type(key) is not str:
                key = self._key_text(key_node, key)
            first = seen.setdefault(key, key_node)
            if first is not key_node:
                self.duplicates.append(Duplicate(node, key, first, key_node))
                seen[key] = key_node


def _construct_plain(loader: _Loader, node: ScalarNode) -> Any:
    tag, value = go_resolve(node.value)
    if tag == "!!float" and not math.isfinite(value):
        loader.nonfinite.append(node)
    return _json_value(tag, value)


def _construct_tagged(want: str) -> Any:
    """The constructor of an explicit ``!!int``/``!!float``/``!!bool``/``!!null``/``!!timestamp``
    (quoted or not): go-yaml resolves the text and fails unless it is of that type."""

    def construct(loader: _Loader, node: Node) -> Any:
        if not isinstance(node, ScalarNode):
            return _construct_untyped(loader, node)
        text = loader.construct_scalar(node)
        if want == "!!timestamp" and _TIMESTAMP.match(text):
            return text
        tag, value = go_resolve(text)
        if want == "!!float" and tag == "!!int" and type(value) is int:
            tag, value = "!!float", float(value)
        if tag != want:
            raise _error(f"cannot decode {tag} `{text}` as a {want}", node)
        if tag == "!!float" and not math.isfinite(value):
            loader.nonfinite.append(node)
        return _json_value(tag, value)

    return construct


def _construct_binary(loader: _Loader, node: Node) -> Any:
    if not isinstance(node, ScalarNode):
        return _construct_untyped(loader, node)
    text = loader.construct_scalar(node)
    try:
        data = base64.b64decode(text, validate=False)
    except ValueError:
        raise _error(f"!!binary value contains invalid base64 data: {text[:40]!r}", node) from None
    return data.decode("utf-8", "replace")


def _construct_str(loader: _Loader, node: Node) -> Any:
    if node.__class__ is ScalarNode:
        return node.value
    return _construct_untyped(loader, node)


def _construct_untyped(loader: _Loader, node: Node) -> Any:
    """Any other tag (``!foo``, ``!!set``, ``!!python/...``): go-yaml ignores it."""
    cls = node.__class__
    if cls is MappingNode:
        return loader.construct_yaml_map(node)
    if cls is SequenceNode:
        return loader.construct_yaml_seq(node)
    return node.value


_Loader.yaml_constructors = dict(_Base.yaml_constructors)
_Loader.yaml_multi_constructors = {}
for _name in ("int", "float", "bool", "null", "timestamp"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_name}", _construct_tagged(f"!!{_name}"))
for _name in ("set", "omap", "pairs", "value", "python/none"):
    _Loader.yaml_constructors.pop(f"tag:yaml.org,2002:{_name}", None)
_Loader.add_constructor("tag:yaml.org,2002:binary", _construct_binary)
for _name in ("map", "seq"):  # go-yaml goes by the node's kind, whatever its tag says
    _Loader.add_constructor(f"tag:yaml.org,2002:{_name}", _construct_untyped)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor(PLAIN_TAG, _construct_plain)
_Loader.add_constructor(None, _construct_untyped)
_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(PLAIN_TAG, _WORD, [*"yYnNtTfFoO~", ""])
_Loader.add_implicit_resolver(PLAIN_TAG, re.compile(""), list(_NUMERIC_START))
_Loader.add_implicit_resolver(_MERGE_TAG, re.compile(r"^<<$"), ["<"])
_RESOLVERS: dict[str, Any] = {c: tuple(rs) for c, rs in _Loader.yaml_implicit_resolvers.items()}
_STR_TAG, _SEQ_TAG, _MAP_TAG = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))


class _Unusual(Exception):  # what _plain_data leaves to the loader's constructors
    pass


def _plain_data(node: Node) -> Any:
    """The loader's data for a document without anchors, tags, merge, duplicate or non-string
    keys, or non-finite numbers (most manifests), several times faster; else :class:`_Unusual`."""
    cls = node.__class__
    if cls is ScalarNode:
        tag = node.tag
        if tag == _STR_TAG:
            return node.value
        if tag == PLAIN_TAG:
            tag, value = go_resolve(node.value)
            if tag == "!!float" and not math.isfinite(value):
                raise _Unusual
            return _json_value(tag, value)
        raise _Unusual
    if cls is MappingNode:
        data = {}
        for key, value in node.value:
            if key.__class__ is not ScalarNode or key.tag != _STR_TAG:
                raise _Unusual
            data[key.value] = _plain_data(value)
        if len(data) < len(node.value):
            raise _Unusual
        return data
    return [_plain_data(item) for item in node.value]


def _contains_itself(root: Node) -> bool:
    """Whether a collection holds itself through aliases (go-yaml refuses such a document)."""
    done: set[int] = set()
    path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            path.discard(id(node))
            done.add(id(node))
            continue
        if id(node) in path:
            return True
        if id(node) in done or isinstance(node, ScalarNode):
            continue
        path.add(id(node))
        stack.append((node, True))
        if isinstance(node, MappingNode):
            for k, v in node.value:
                stack.append((k, False))
                stack.append((v, False))
        else:
            stack.extend((child, False) for child in node.value)
    return False


def _nonfinite_in(data: Any) -> bool:
    stack = [data]
    while stack:
        value = stack.pop()
        if type(value) is float and not math.isfinite(value):
            return True
        if type(value) is dict:
            stack.extend(value.values())
        elif type(value) is list:
            stack.extend(value)
    return False


def _go_float_name(value: float) -> str:
    return "NaN" if math.isnan(value) else "+Inf" if value > 0 else "-Inf"


class Document:
    """One YAML document: its root node, the data kubectl sends, and the duplicate keys found."""

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


# --- what kubectl does to the text before go-yaml sees it ------------------------------------

# k8s.io/apimachinery's YAMLReader cuts the text at every line starting with "---", and refuses
# one with anything but blanks or a comment after the dashes.
_BAD_SEPARATOR = re.compile(r"^---[ \t\r\f\v]*([^ \t\r\f\v#\n][^\n]*)$", re.M)
_DOCUMENT_END = re.compile(
    r"^(?:\.\.\.(?=[ \t\r\n]|$)|%(?=(?:YAML[ \t]+\d+\.\d+|TAG[ \t]+\S+[ \t]+\S+)[ \t\r]*(?:#.*)?$))",
    re.M,
)
_ONLY_COMMENTS = re.compile(r"(?:[ \t\r\ufeff]*(?:#[^\n]*)?\n)*[ \t\r]*")
_SEPARATOR = re.compile(r"^---", re.M)
_BOM_AFTER_SEPARATOR = re.compile(r"^(---[^\n]*\n)\ufeff", re.M)
_ESCAPED_SLASH = re.compile(r"(?<!\\)(?:\\\\)*\\/")
_ANCHOR = re.compile(r"&([0-9A-Za-z_-]+)")


def _mark(text: str, index: int) -> yaml.Mark:
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return yaml.Mark("<unicode string>", index, line, column, None, 0)


def _scan(text: str) -> Iterator[Any]:
    """The tokens of *text* (scanner errors propagate)."""
    scanner = _Base(text)
    try:
        while scanner.check_token():
            yield scanner.get_token()
    finally:
        scanner.dispose()


def _as_kubectl_reads(text: str) -> str:
    """*text* with what kubectl's reader does before parsing applied, line numbers kept: refuse
    a bad ``---`` line or a directive, drop what follows a ``...`` until the next ``---`` (go-yaml
    reads one document per cut), and read ``\\'`` in double quotes as ``'``; refuse ``\\/``."""
    if text and text[-1] != "\n":
        text += "\n"  # kubectl's line reader ends every line, the last one too
    if "\ufeff" in text:  # kubectl drops one, then go-yaml one at the start of each cut
        text = _BOM_AFTER_SEPARATOR.sub(r"\1", text[1:] if text[:2] == "\ufeff\ufeff" else text)
    if "---" in text:
        bad = _BAD_SEPARATOR.search(text)
        if bad is not None:
            problem = f"invalid Yaml document separator: {bad.group(1).strip()}"
            raise yaml.scanner.ScannerError(None, None, problem, _mark(text, bad.start()))
    if "..." in text or "%" in text:
        text = _drop_after_document_ends(text)
    if "\\'" in text:
        text = _accept_escaped_quotes(text)
    if "&" in text:
        names = _ANCHOR.findall(text)
        if len(set(names)) < len(names):
            text = _rename_anchors(text)
    if "\\/" in text and not text.lstrip(" \t\r\n\ufeff").startswith("{"):
        _refuse_escaped_slashes(text)
    return text


def _drop_after_document_ends(text: str) -> str:
    """Blank out (keeping line numbers) what go-yaml never reads: it reads the first document of
    each cut, so what follows a ``...`` line or a directive after that document, up to the next
    ``---`` line, is ignored; a directive before it is refused (its ``---`` was cut away)."""
    out: list[str] = []
    position = 0
    for end in _DOCUMENT_END.finditer(text):
        if end.start() < position:
            continue
        if text[end.start()] == "%":
            starts = [m.end() for m in _SEPARATOR.finditer(text, 0, end.start())]
            begin = text.find("\n", starts[-1]) + 1 if starts else 0
            if _ONLY_COMMENTS.fullmatch(text, begin, end.start()):
                problem = (
                    "did not find expected <document start> (kubectl cuts the text at each "
                    "'---' line, so a %YAML or %TAG directive is left alone)"
                )
                raise yaml.scanner.ScannerError(None, None, problem, _mark(text, end.start()))
            line_end = end.start() - 1
        else:
            line_end = text.find("\n", end.start())
            if line_end < 0:
                break
        following = _SEPARATOR.search(text, line_end + 1)
        stop = following.start() if following is not None else len(text)
        out.append(text[position : line_end + 1])
        out.append("\n" * text.count("\n", line_end + 1, stop))
        position = stop
    out.append(text[position:])
    return "".join(out)


def _rename_anchors(text: str) -> str:
    """Give each anchor defined again a name of its own (go-yaml lets an anchor be redefined;
    an alias names the last definition before it), with the aliases that refer to it."""
    try:
        tokens = [t for t in _scan(text) if isinstance(t, (yaml.AnchorToken, yaml.AliasToken))]
    except yaml.YAMLError:
        return text  # the parser reports it
    current: dict[str, str] = {}
    edits: list[tuple[int, int, str]] = []
    for token in tokens:
        name = token.value
        if isinstance(token, yaml.AnchorToken):
            renamed = f"{name}-{len(edits)}-" if name in current else name
            current[name] = renamed
            sigil = "&"
        else:
            renamed = current.get(name, name)
            sigil = "*"
        if renamed != name:
            edits.append((token.start_mark.index, token.end_mark.index, sigil + renamed))
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text


def _accept_escaped_quotes(text: str) -> str:
    """Rewrite each ``\\'`` that libyaml refuses (inside double quotes) as ``\\x27``."""
    for _ in range(text.count("\\'")):
        try:
            for _token in _scan(text):
                pass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            if mark is None or "unknown escape" not in str(getattr(exc, "problem", "")):
                return text
            at = next((i for i in (mark.index, mark.index - 1) if text[i : i + 2] == "\\'"), None)
            if at is None:
                return text
            text = text[:at] + "\\x27" + text[at + 2 :]
        else:
            return text
    return text


def _refuse_escaped_slashes(text: str) -> None:
    """go-yaml knows no ``\\/`` escape (JSON and libyaml do)."""
    try:
        for token in _scan(text):
            if isinstance(token, yaml.ScalarToken) and token.style == '"':
                source = text[token.start_mark.index : token.end_mark.index]
                if _ESCAPED_SLASH.search(source):
                    raise yaml.scanner.ScannerError(
                        "while parsing a quoted scalar",
                        token.start_mark,
                        "found unknown escape character '/'",
                        token.start_mark,
                    )
    except yaml.scanner.ScannerError:
        raise
    except yaml.YAMLError:
        return  # the parser reports it


def iter_documents(
    stream: str | bytes | Any, *, max_nodes: int = 1 << 62, max_documents: int = 1 << 62
) -> Iterator[Document]:
    """Yield each document of *stream*; YAML errors propagate as ``yaml.YAMLError``, a document
    with more than *max_nodes* nodes (counted before it is built) or a stream with more than
    *max_documents* documents raise :class:`TooLarge`."""
    if isinstance(stream, bytes):
        try:
            utf16 = stream[:2] in (b"\xff\xfe", b"\xfe\xff")
            stream = stream.decode("utf-16" if utf16 else "utf-8")
        except UnicodeDecodeError:
            pass  # the reader reports it
    if isinstance(stream, str):
        stream = _as_kubectl_reads(stream)
    anchors = "&" in stream if isinstance(stream, str) else True
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
            if anchors and _contains_itself(node):
                raise _error("an anchor's value contains itself (through an alias)", node)
            loader.duplicates = []
            loader.nonfinite = []
            try:
                if anchors:
                    raise _Unusual
                data = _plain_data(node)
            except (_Unusual, RecursionError):
                data = loader.construct_document(node)
            if loader.nonfinite and _nonfinite_in(data):
                bad = loader.nonfinite[0]
                name = _go_float_name(go_resolve(bad.value)[1])
                raise _error(f"json: unsupported value: {name}", bad)
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
