"""Word expansion (private): parameters, command substitution, arithmetic, field splitting on
IFS, pathname expansion against the simulated file tree, quote removal; and the patterns of
``case`` and ``${x#p}``."""

from __future__ import annotations

import functools
import posixpath
import re
from typing import TYPE_CHECKING, Protocol

from podmodel.errors import PodmodelError
from podmodel.kernel.filesystem import FilesystemError
from podmodel.kubelet.shell._arith import ArithError, evaluate
from podmodel.kubelet.shell._ast import DQ, Arith, CmdSub, Lit, Param, Quoted

if TYPE_CHECKING:
    from podmodel.kubelet.shell._ast import Node, Word
    from podmodel.kubelet.shell._system import System

__all__ = [
    "MAX_STRING",
    "ExpandError",
    "OutOfMemory",
    "expand_fields",
    "expand_text",
    "match_pattern",
    "pattern_of",
]

_PLAIN = re.compile(r"[^ \t\n*?\[]+")
_MAGIC = re.compile(r"[*?]|\[.*\]", re.DOTALL)


class ExpandError(PodmodelError, ValueError):
    """An expansion error (``${x?}``, ``set -u``, bad arithmetic): the shell prints it and exits
    with :attr:`status`."""

    status = 2


class OutOfMemory(ExpandError):
    """A value longer than :data:`MAX_STRING`: ``sh: out of memory``, exit 1."""

    status = 1

    def __init__(self) -> None:
        super().__init__("out of memory")


#: The longest value a variable or an expanded word may have (characters); a longer one is
#: ``sh: out of memory`` (exit 1), as when busybox's ``xmalloc`` fails.
MAX_STRING = 16 << 20


class Ctx(Protocol):
    positional: tuple[str, ...]
    opts: frozenset[str]
    cwd: str
    sys: System

    def getvar(self, name: str) -> str | None: ...

    def setvar(self, name: str, value: str) -> None: ...

    def cmdsub(self, node: Node) -> str: ...


class _Fields:
    """Fields being built: pieces of ``(text, kind)``; kind 0 is unquoted literal text (a
    pattern, never split), 1 quoted text, 2 an unquoted expansion (split, and a pattern)."""

    def __init__(self, ifs: str) -> None:
        self.fields: list[list[tuple[str, int]]] = []
        self.cur: list[tuple[str, int]] = []
        self.real = False  # the current field exists even if empty ("" or a literal)
        self.ifs = ifs
        self.ws = "".join(c for c in ifs if c in " \t\n")

    def add(self, text: str, kind: int) -> None:
        if kind != 2:
            self.cur.append((text, kind))
            self.real = True
            return
        ifs = self.ifs
        if not ifs:
            if text:
                self.cur.append((text, 2))
            return
        start = 0
        after_ws = False
        for i, c in enumerate(text):
            if c not in ifs:
                continue
            if i > start:
                self.cur.append((text[start:i], 2))
                after_ws = False
            if c in self.ws:
                if self.cur or self.real:
                    self.end()
                    after_ws = True
            else:
                if not after_ws:
                    self.end(keep=True)
                after_ws = False
            start = i + 1
        if start < len(text):
            self.cur.append((text[start:], 2))

    def end(self, keep: bool = False) -> None:
        if self.cur or self.real or keep:
            self.fields.append(self.cur)
        self.cur = []
        self.real = False

    def finish(self) -> list[list[tuple[str, int]]]:
        self.end()
        return self.fields


def _ifs(ctx: Ctx) -> str:
    v = ctx.getvar("IFS")
    return " \t\n" if v is None else v


def _value(ctx: Ctx, p: Param, quoted: bool, out: _Fields | None) -> str | list[str] | None:
    """The value of *p* (a list for ``$@``), with its operator applied."""
    name = p.name
    if name in ("@", "*"):
        val: str | list[str] | None = list(ctx.positional)
    else:
        val = ctx.getvar(name)
    if p.op == "len":
        if isinstance(val, list):
            return str(len(val))
        if val is None and "u" in ctx.opts:
            raise ExpandError(f"{name}: parameter not set")
        return str(len(val or ""))
    op = p.op
    if isinstance(val, list):
        is_set = bool(val)
        empty = not val or (len(val) == 1 and not val[0])
    else:
        is_set = val is not None
        empty = not val
    if op in ("-", ":-"):
        if not is_set or (op == ":-" and empty):
            return _sub(ctx, p.arg or (), quoted, out)
        return val
    if op in ("=", ":="):
        if not is_set or (op == ":=" and empty):
            text = expand_text(ctx, p.arg or ())
            if name.isdigit() or name in "@*#?-$!":
                raise ExpandError(f"{name}: bad variable name")
            ctx.setvar(name, text)
            return text
        return val
    if op in ("+", ":+"):
        if is_set and not (op == ":+" and empty):
            return _sub(ctx, p.arg or (), quoted, out)
        return ""
    if op in ("?", ":?"):
        if not is_set or (op == ":?" and empty):
            msg = expand_text(ctx, p.arg or ()) if p.arg else "parameter not set"
            if not p.arg and op == ":?" and is_set:
                msg = "parameter null"
            raise ExpandError(f"{name}: {msg}")
        return val
    if val is None and "u" in ctx.opts and name not in "@*":
        raise ExpandError(f"{name}: parameter not set")
    if op in ("#", "##", "%", "%%"):
        pat = pattern_of(ctx, p.arg or ())
        if isinstance(val, list):
            return [_trim(v, pat, op) for v in val]
        return _trim(val or "", pat, op)
    return val


def _sub(ctx: Ctx, word: Word, quoted: bool, out: _Fields | None) -> str | None:
    """Expand the word of ``${x:-word}`` into *out* directly (it may split); or return text."""
    if out is None:
        return expand_text(ctx, word)
    _add(ctx, out, word, quoted, lit_kind=1 if quoted else 2)
    return None


def _trim(value: str, pat: str, op: str) -> str:
    rx = _regex(pat)
    n = len(value)
    order = range(n + 1) if op in ("#", "%%") else range(n, -1, -1)
    for k in order:
        if op in ("#", "##"):
            if rx.fullmatch(value[:k]):
                return value[k:]
        elif rx.fullmatch(value[k:]):
            return value[:k]
    return value


def _add(ctx: Ctx, out: _Fields, word: Word, quoted: bool, lit_kind: int = 0) -> None:
    for part in word:
        if isinstance(part, Lit):
            out.add(part.text, 1 if quoted else lit_kind)
        elif isinstance(part, Quoted):
            out.add(part.text, 1)
        elif isinstance(part, DQ):
            if part.parts != (Param("@"),):
                out.real = True
            _add(ctx, out, part.parts, True)
        elif isinstance(part, Param):
            val = _value(ctx, part, quoted, out)
            if val is None:
                continue
            if isinstance(val, list):
                if part.name == "*" or not quoted:
                    sep = (_ifs(ctx)[:1] or "") if quoted else " "
                    if quoted:
                        out.add(sep.join(val), 1)
                    else:
                        for k, v in enumerate(val):
                            if k:
                                out.end()
                            out.add(v, 2)
                else:
                    for k, v in enumerate(val):
                        if k:
                            out.end(keep=True)
                        out.add(v, 1)
            else:
                out.add(val, 1 if quoted else 2)
        elif isinstance(part, CmdSub):
            out.add(ctx.cmdsub(part.body).rstrip("\n"), 1 if quoted else 2)
        elif isinstance(part, Arith):
            out.add(str(_arith(ctx, part)), 1 if quoted else 2)


def _arith(ctx: Ctx, part: Arith) -> int:
    text = expand_text(ctx, part.expr)
    try:
        value, assigned = evaluate(text, ctx.getvar)
    except ArithError as exc:
        raise ExpandError(str(exc)) from None
    for k, v in assigned.items():
        ctx.setvar(k, v)
    return value


def _tilde(ctx: Ctx, word: Word) -> Word:
    first = word[0] if word else None
    if isinstance(first, Lit) and first.text.startswith("~"):
        head, sep, tail = first.text.partition("/")
        if head == "~":
            home = ctx.getvar("HOME") or "/"
            return (Quoted(home), Lit(sep + tail), *word[1:])
    return word


def expand_fields(ctx: Ctx, words: tuple[Word, ...]) -> list[str]:
    """The fields of *words* after every expansion, splitting and globbing."""
    result: list[str] = []
    for word in words:
        if len(word) == 1:
            first = word[0]
            kind = type(first)
            if kind is Lit and not _MAGIC.search(first.text):  # type: ignore[union-attr]
                text = first.text  # type: ignore[union-attr]
                if not text.startswith("~"):
                    result.append(text)
                    continue
            elif kind is Param and not first.op and first.name not in "@*":  # type: ignore[union-attr]
                value = ctx.getvar(first.name)  # type: ignore[union-attr]
                if value and _PLAIN.fullmatch(value) and ctx.getvar("IFS") is None:
                    result.append(value)
                    continue
        out = _Fields(_ifs(ctx))
        _add(ctx, out, _tilde(ctx, word), False)
        for field in out.finish():
            if any(kind != 1 and _MAGIC.search(text) for text, kind in field):
                pat = "".join(_escape(t) if k == 1 else t for t, k in field)
                found = glob(ctx.sys, ctx.cwd, pat)
                if found:
                    result.extend(found)
                    continue
            result.append("".join(text for text, _ in field))
    if sum(map(len, result)) > MAX_STRING:
        raise OutOfMemory
    return result


def expand_text(ctx: Ctx, word: Word, *, quoted: bool = False) -> str:
    """*word* expanded to one string (no splitting, no globbing): assignments, redirection
    targets, here-documents (*quoted*: literal text is kept as is)."""
    if len(word) == 1 and type(word[0]) in (Lit, Quoted):
        return word[0].text  # type: ignore[union-attr]
    out = _Fields("")
    _add(ctx, out, _tilde(ctx, word) if not quoted else word, quoted)
    text = " ".join("".join(text for text, _ in field) for field in out.finish())
    if len(text) > MAX_STRING:
        raise OutOfMemory
    return text


def pattern_of(ctx: Ctx, word: Word) -> str:
    """*word* expanded as a pattern: quoted characters escaped with a backslash."""
    out = _Fields("")
    _add(ctx, out, word, False, lit_kind=0)
    return "".join(_escape(t) if k == 1 else t for field in out.finish() for t, k in field)


def _escape(text: str) -> str:
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)


@functools.lru_cache(maxsize=1024)
def _regex(pat: str) -> re.Pattern[str]:
    out: list[str] = []
    i, n = 0, len(pat)
    while i < n:
        c = pat[i]
        if c == "\\" and i + 1 < n:
            out.append(re.escape(pat[i + 1]))
            i += 2
            continue
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            j = i + 1
            if j < n and pat[j] in "!^":
                j += 1
            if j < n and pat[j] == "]":
                j += 1
            while j < n and pat[j] != "]":
                j += 1
            if j >= n:
                out.append(re.escape(c))
            else:
                body = pat[i + 1 : j]
                neg = body[:1] in ("!", "^")
                if neg:
                    body = body[1:]
                body = body.replace("\\", "\\\\").replace("^", "\\^")
                body = re.sub(r"\[:(\w+):\]", lambda m: _CLASSES.get(m[1], ""), body)
                out.append(f"[{'^' if neg else ''}{body}]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out), re.DOTALL)


_CLASSES = {
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "alnum": "a-zA-Z0-9",
    "upper": "A-Z",
    "lower": "a-z",
    "space": " \\t\\n\\r\\f\\v",
    "xdigit": "0-9A-Fa-f",
    "punct": "!-/:-@\\[-`{-~",
}


def match_pattern(pat: str, text: str) -> bool:
    """Whether *text* matches the shell pattern *pat* (``case``)."""
    return _regex(pat).fullmatch(text) is not None


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def glob(sys: System, cwd: str, pat: str) -> list[str]:
    """The paths matching *pat* (sorted), or none."""
    absolute = pat.startswith("/")
    comps = [c for c in pat.split("/") if c]
    trailing = pat.endswith("/")
    paths: list[tuple[str, str]] = [("/" if absolute else "", "/" if absolute else cwd)]
    for k, comp in enumerate(comps):
        last = k == len(comps) - 1
        nxt: list[tuple[str, str]] = []
        for shown, real in paths:
            if not _MAGIC.search(comp.replace("\\*", "").replace("\\?", "").replace("\\[", "")):
                name = _unescape(comp)
                nxt.append((_join(shown, name), posixpath.join(real, name)))
                continue
            try:
                names = sys.listdir(real)
            except FilesystemError:
                continue
            rx = _regex(comp)
            for name in names:
                if name.startswith(".") and not comp.startswith("."):
                    continue
                if rx.fullmatch(name):
                    full = posixpath.join(real, name)
                    if not last and not sys.is_dir(full):
                        continue
                    nxt.append((_join(shown, name), full))
        paths = nxt
    return sorted(s + ("/" if trailing else "") for s, r in paths if sys.exists(r))


def _join(shown: str, name: str) -> str:
    if not shown:
        return name
    return shown + name if shown.endswith("/") else f"{shown}/{name}"
