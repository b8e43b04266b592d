"""The shell's parser (private): POSIX ``sh`` grammar, by recursive descent.

The source is tokenized eagerly (here-document bodies are read at the newline after their
operator, as the grammar says), then parsed into the immutable tree of :mod:`._ast`. A syntax
error raises :class:`ShellSyntaxError` with busybox's message.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import attrs

from podmodel.errors import PodmodelError
from podmodel.kubelet.shell._ast import (
    DQ,
    AndOr,
    Arith,
    Assign,
    Background,
    Brace,
    Case,
    CaseItem,
    CmdSub,
    For,
    FuncDef,
    If,
    Lit,
    Node,
    Param,
    Part,
    Pipeline,
    Quoted,
    Redirect,
    Seq,
    Simple,
    Subshell,
    While,
    Word,
)

__all__ = ["MAX_SCRIPT", "ShellSyntaxError", "ShellTooBig", "parse"]


class ShellSyntaxError(PodmodelError, ValueError):
    """A script the shell cannot parse; ``str()`` is the shell's message (exit status 2)."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"sh: syntax error: {detail}")
        self.detail = detail


_META = frozenset(" \t\n;&|<>()")
_OPS = (
    "<<-",
    "&&",
    "||",
    ";;",
    "<<",
    ">>",
    "<&",
    ">&",
    "<>",
    ">|",
    ";",
    "&",
    "|",
    "<",
    ">",
    "(",
    ")",
)
_REDIR_OPS = frozenset(("<", ">", ">>", ">|", "<>", "<&", ">&", "<<", "<<-"))
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=")
_SPECIAL = frozenset("@*#?-$!0123456789")
RESERVED = frozenset(
    ("if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for",
     "in", "{", "}", "!")
)  # fmt: skip


@attrs.define
class _Tok:
    kind: str  # WORD OP NL EOF IO HEREDOC
    text: str
    word: Word = ()
    strip: bool = False


class _Scanner:
    """Reads words (with quoting and expansions) out of a source string."""

    def __init__(self, src: str) -> None:
        self.s = src

    def scan(self, i: int, mode: str) -> tuple[Word, int]:
        """Parts from *i* on; *mode* is ``word``, ``brace`` (up to ``}``), ``dq`` (up to ``"``)
        or ``doc`` (a here-document body: to the end)."""
        s, n = self.s, len(self.s)
        parts: list[Part] = []
        buf: list[str] = []

        def flush() -> None:
            if buf:
                parts.append(Lit("".join(buf)))
                buf.clear()

        while i < n:
            c = s[i]
            if mode == "word" and c in _META:
                break
            if mode == "brace" and c == "}":
                break
            if mode == "dq" and c == '"':
                break
            if c == "\\":
                nxt = s[i + 1] if i + 1 < n else ""
                if nxt == "\n":
                    i += 2
                    continue
                if mode in ("dq", "doc") and nxt not in '$`"\\':
                    buf.append(c)
                    i += 1
                    continue
                if mode == "doc" and nxt == '"':
                    buf.append(c)
                    i += 1
                    continue
                flush()
                if nxt == "":
                    parts.append(Lit("\\"))
                    i += 1
                else:
                    parts.append(Lit(nxt) if mode in ("dq", "doc") else Quoted(nxt))
                    i += 2
                continue
            if c == "'" and mode in ("word", "brace"):
                j = s.find("'", i + 1)
                if j < 0:
                    raise ShellSyntaxError("unterminated quoted string")
                flush()
                parts.append(Quoted(s[i + 1 : j]))
                i = j + 1
                continue
            if c == '"' and mode in ("word", "brace"):
                inner, j = self.scan(i + 1, "dq")
                if j >= n:
                    raise ShellSyntaxError("unterminated quoted string")
                flush()
                if all(isinstance(p, Lit) for p in inner):
                    parts.append(Quoted("".join(p.text for p in inner)))  # type: ignore[union-attr]
                else:
                    parts.append(DQ(inner))  # type: ignore[arg-type]
                i = j + 1
                continue
            if c == "$":
                part, j = self.dollar(i)
                if part is None:
                    buf.append("$")
                    i += 1
                    continue
                flush()
                parts.append(part)
                i = j
                continue
            if c == "`":
                j, body = i + 1, []
                while j < n and s[j] != "`":
                    if s[j] == "\\" and j + 1 < n and s[j + 1] in "$`\\":
                        j += 1
                    body.append(s[j])
                    j += 1
                if j >= n:
                    raise ShellSyntaxError("unterminated quoted string")
                flush()
                parts.append(CmdSub(parse("".join(body))))
                i = j + 1
                continue
            buf.append(c)
            i += 1
        flush()
        return tuple(parts), i

    def dollar(self, i: int) -> tuple[Part | None, int]:
        s, n = self.s, len(self.s)
        nxt = s[i + 1] if i + 1 < n else ""
        if nxt == "(" and s.startswith("((", i + 1):
            j = _arith_end(s, i + 3)
            if j is not None:
                expr, _ = _Scanner(s[i + 3 : j]).scan(0, "doc")
                return Arith(expr), j + 2
        if nxt == "(":
            j = _paren_end(s, i + 2)
            return CmdSub(parse(s[i + 2 : j])), j + 1
        if nxt == "{":
            return self.brace(i + 2)
        if nxt in _SPECIAL:
            return Param(nxt), i + 2
        m = _NAME.match(s, i + 1)
        if m:
            return Param(m.group()), m.end()
        return None, i + 1

    def brace(self, i: int) -> tuple[Part, int]:
        s, n = self.s, len(self.s)
        op = ""
        if s.startswith("#", i) and i + 1 < n and s[i + 1] != "}":
            op, i = "len", i + 1
        m = _NAME.match(s, i)
        if m:
            name, i = m.group(), m.end()
        elif i < n and s[i].isdigit():
            j = i
            while j < n and s[j].isdigit():
                j += 1
            name, i = s[i:j], j
        elif i < n and s[i] in _SPECIAL:
            name, i = s[i], i + 1
        else:
            raise ShellSyntaxError("bad substitution")
        if op == "len":
            if not s.startswith("}", i):
                raise ShellSyntaxError("bad substitution")
            return Param(name, "len"), i + 1
        if s.startswith("}", i):
            return Param(name), i + 1
        for candidate in (":-", ":=", ":+", ":?", "##", "%%", "-", "=", "+", "?", "#", "%"):
            if s.startswith(candidate, i):
                op = candidate
                break
        else:
            raise ShellSyntaxError("bad substitution")
        arg, j = self.scan(i + len(op), "brace")
        if j >= n:
            raise ShellSyntaxError("missing '}'")
        return Param(name, op, arg), j + 1


def _skip_quoted(s: str, j: int) -> int:
    """The index after the quoted string or escape starting at *j*."""
    c = s[j]
    if c == "\\":
        return j + 2
    if c == "'":
        k = s.find("'", j + 1)
        if k < 0:
            raise ShellSyntaxError("unterminated quoted string")
        return k + 1
    k = j + 1
    while k < len(s) and s[k] != '"':
        k += 2 if s[k] == "\\" else 1
    if k >= len(s):
        raise ShellSyntaxError("unterminated quoted string")
    return k + 1


def _paren_end(s: str, j: int) -> int:
    """The index of the ``)`` closing a ``$(`` whose body starts at *j*."""
    depth = 0
    while j < len(s):
        c = s[j]
        if c in "\\'\"":
            j = _skip_quoted(s, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return j
            depth -= 1
        j += 1
    raise ShellSyntaxError("unterminated $(")


def _arith_end(s: str, j: int) -> int | None:
    depth = 0
    while j < len(s):
        c = s[j]
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return j if s.startswith("))", j) else None
            depth -= 1
        j += 1
    raise ShellSyntaxError("unterminated $((")


def _tokenize(src: str) -> list[_Tok]:
    s, n, i = src, len(src), 0
    toks: list[_Tok] = []
    scanner = _Scanner(src)
    pending: list[tuple[_Tok, str, bool]] = []
    while i < n:
        c = s[i]
        if c in " \t":
            i += 1
            continue
        if c == "\\" and s.startswith("\n", i + 1):
            i += 2
            continue
        if c == "#":
            while i < n and s[i] != "\n":
                i += 1
            continue
        if c == "\n":
            toks.append(_Tok("NL", "newline"))
            i += 1
            for tok, delim, quoted in pending:
                i = _heredoc(s, i, tok, delim, quoted)
            pending.clear()
            continue
        if c.isdigit():
            j = i
            while j < n and s[j].isdigit():
                j += 1
            if j < n and s[j] in "<>":
                toks.append(_Tok("IO", s[i:j]))
                i = j
                continue
        op = next((o for o in _OPS if s.startswith(o, i)), None)
        if op is not None:
            i += len(op)
            toks.append(_Tok("OP", op))
            if op in ("<<", "<<-"):
                while i < n and s[i] in " \t":
                    i += 1
                word, j = scanner.scan(i, "word")
                if not word:
                    raise ShellSyntaxError(f'unexpected "{_tok_text(s, i)}"')
                quoted = any(not isinstance(p, Lit) for p in word)
                delim = "".join(p.text for p in word if isinstance(p, (Lit, Quoted)))
                tok = _Tok("HEREDOC", delim, strip=op == "<<-")
                toks.append(tok)
                pending.append((tok, delim, quoted))
                i = j
            continue
        word, j = scanner.scan(i, "word")
        toks.append(_Tok("WORD", s[i:j], word))
        i = j
    for tok, delim, quoted in pending:  # here-documents at the end of the script
        _heredoc(s, n, tok, delim, quoted)
    toks.append(_Tok("EOF", "end of file"))
    return toks


def _tok_text(s: str, i: int) -> str:
    return "newline" if i >= len(s) or s[i] == "\n" else s[i]


def _heredoc(s: str, i: int, tok: _Tok, delim: str, quoted: bool) -> int:
    lines: list[str] = []
    while i < len(s):
        j = s.find("\n", i)
        line, i = (s[i:], len(s)) if j < 0 else (s[i:j], j + 1)
        if tok.strip:
            line = line.lstrip("\t")
        if line == delim:
            break
        lines.append(line + "\n")
    body = "".join(lines)
    tok.word = (Quoted(body),) if quoted else _Scanner(body).scan(0, "doc")[0]
    return i


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.pos = 0

    def peek(self) -> _Tok:
        return self.toks[self.pos]

    def next(self) -> _Tok:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def fail(self, tok: _Tok | None = None) -> ShellSyntaxError:
        tok = tok or self.peek()
        if tok.kind == "EOF":
            return ShellSyntaxError("unexpected end of file")
        return ShellSyntaxError(
            f'unexpected "{tok.text}"' if tok.kind != "NL" else "unexpected newline"
        )

    def reserved(self, tok: _Tok | None = None) -> str | None:
        tok = tok or self.peek()
        if tok.kind == "WORD" and len(tok.word) == 1 and isinstance(tok.word[0], Lit):
            text = tok.word[0].text
            if text in RESERVED:
                return text
        return None

    def op(self, *ops: str) -> bool:
        tok = self.peek()
        return tok.kind == "OP" and tok.text in ops

    def linebreak(self) -> None:
        while self.peek().kind == "NL":
            self.pos += 1

    def expect_word(self, word: str) -> None:
        if self.reserved() != word:
            raise self.fail()
        self.pos += 1

    def at_stop(self, stops: frozenset[str]) -> bool:
        tok = self.peek()
        if tok.kind == "EOF":
            return True
        if tok.kind == "OP" and tok.text in (")", ";;"):
            return True
        r = self.reserved()
        return r is not None and r in stops

    def compound_list(self, stops: frozenset[str], *, empty_ok: bool = False) -> Node:
        self.linebreak()
        items: list[Node] = []
        while not self.at_stop(stops):
            node = self.and_or()
            if self.op("&"):
                self.pos += 1
                node = Background(node)
            elif self.op(";") or self.peek().kind == "NL":
                self.pos += 1
            elif not self.at_stop(stops):
                raise self.fail()
            items.append(node)
            self.linebreak()
        if not items and not empty_ok:
            raise self.fail()
        return items[0] if len(items) == 1 else Seq(tuple(items))

    def and_or(self) -> Node:
        first = self.pipeline()
        rest: list[tuple[str, Node]] = []
        while self.op("&&", "||"):
            op = self.next().text
            self.linebreak()
            rest.append((op, self.pipeline()))
        return AndOr(first, tuple(rest)) if rest else first

    def pipeline(self) -> Node:
        negate = False
        if self.reserved() == "!":
            self.pos += 1
            negate = True
        cmds = [self.command()]
        while self.op("|"):
            self.pos += 1
            self.linebreak()
            cmds.append(self.command())
        if len(cmds) == 1 and not negate:
            return cmds[0]
        return Pipeline(tuple(cmds), negate)

    def command(self) -> Node:
        r = self.reserved()
        tok = self.peek()
        if r is not None and r not in ("{", "if", "while", "until", "for", "case", "!"):
            raise self.fail()
        if r in ("{", "if", "while", "until", "for", "case") or self.op("("):
            node = self.compound()
            redirects = self.redirects()
            return _with_redirects(node, redirects)
        if (
            tok.kind == "WORD"
            and self.toks[self.pos + 1].kind == "OP"
            and self.toks[self.pos + 1].text == "("
            and self.toks[self.pos + 2].kind == "OP"
            and self.toks[self.pos + 2].text == ")"
        ):
            if not _NAME.fullmatch(tok.text):
                raise self.fail(self.toks[self.pos + 1])
            self.pos += 3
            self.linebreak()
            if self.reserved() not in ("{", "if", "while", "until", "for", "case") and not self.op(
                "("
            ):
                raise self.fail()
            body: Node = self.compound()
            redirects = self.redirects()
            return FuncDef(tok.text, _with_redirects(body, redirects))
        return self.simple()

    def redirects(self) -> tuple[Redirect, ...]:
        out: list[Redirect] = []
        while True:
            r = self.redirect()
            if r is None:
                return tuple(out)
            out.append(r)

    def redirect(self) -> Redirect | None:
        tok = self.peek()
        fd: int | None = None
        if tok.kind == "IO":
            fd = int(tok.text)
            self.pos += 1
            tok = self.peek()
            if not (tok.kind == "OP" and tok.text in _REDIR_OPS):
                raise self.fail()
        elif not (tok.kind == "OP" and tok.text in _REDIR_OPS):
            return None
        op = self.next().text
        if fd is None:
            fd = 0 if op in ("<", "<&", "<<", "<<-", "<>") else 1
        target = self.next()
        if op in ("<<", "<<-"):
            return Redirect(fd, "<<", target.word)
        if target.kind != "WORD":
            raise self.fail(target)
        return Redirect(fd, op, target.word)

    def simple(self) -> Simple:
        assigns: list[Assign] = []
        words: list[Word] = []
        redirects: list[Redirect] = []
        while True:
            r = self.redirect()
            if r is not None:
                redirects.append(r)
                continue
            tok = self.peek()
            if tok.kind != "WORD":
                break
            self.pos += 1
            first = tok.word[0] if tok.word else None
            if not words and isinstance(first, Lit) and (m := _ASSIGN.match(first.text)):
                rest = first.text[m.end() :]
                value = ((Lit(rest),) if rest else ()) + tok.word[1:]
                assigns.append(Assign(m.group(1), value))
                continue
            words.append(tok.word)
        if not (assigns or words or redirects):
            raise self.fail()
        return Simple(tuple(assigns), tuple(words), tuple(redirects))

    def compound(self) -> Node:
        r = self.reserved()
        if self.op("("):
            self.pos += 1
            body = self.compound_list(frozenset())
            if not self.op(")"):
                raise self.fail()
            self.pos += 1
            return Subshell(body)
        self.pos += 1
        if r == "{":
            body = self.compound_list(frozenset({"}"}))
            self.expect_word("}")
            return Brace(body)
        if r == "if":
            branches = []
            orelse: Node | None = None
            while True:
                cond = self.compound_list(frozenset({"then"}))
                self.expect_word("then")
                then = self.compound_list(frozenset({"elif", "else", "fi"}))
                branches.append((cond, then))
                word = self.reserved()
                self.pos += 1
                if word == "elif":
                    continue
                if word == "else":
                    orelse = self.compound_list(frozenset({"fi"}))
                    self.expect_word("fi")
                elif word != "fi":
                    self.pos -= 1
                    raise self.fail()
                return If(tuple(branches), orelse)
        if r in ("while", "until"):
            cond = self.compound_list(frozenset({"do"}))
            self.expect_word("do")
            body = self.compound_list(frozenset({"done"}))
            self.expect_word("done")
            return While(cond, body, until=r == "until")
        if r == "for":
            tok = self.next()
            if tok.kind != "WORD" or not _NAME.fullmatch(tok.text):
                raise self.fail(tok)
            self.linebreak()
            words: tuple[Word, ...] | None = None
            if self.reserved() == "in":
                self.pos += 1
                items = []
                while self.peek().kind == "WORD":
                    items.append(self.next().word)
                words = tuple(items)
                if not (self.op(";") or self.peek().kind == "NL"):
                    raise self.fail()
                self.pos += 1
            elif self.op(";"):
                self.pos += 1
            self.linebreak()
            self.expect_word("do")
            body = self.compound_list(frozenset({"done"}))
            self.expect_word("done")
            return For(tok.text, words, body)
        assert r == "case"
        tok = self.next()
        if tok.kind != "WORD":
            raise self.fail(tok)
        self.linebreak()
        self.expect_word("in")
        self.linebreak()
        case_items = []
        while self.reserved() != "esac":
            if self.op("("):
                self.pos += 1
            patterns = []
            while True:
                p = self.next()
                if p.kind != "WORD":
                    raise self.fail(p)
                patterns.append(p.word)
                if self.op("|"):
                    self.pos += 1
                    continue
                break
            if not self.op(")"):
                raise self.fail()
            self.pos += 1
            body_node: Node | None = self.compound_list(frozenset({"esac"}), empty_ok=True)
            if isinstance(body_node, Seq) and not body_node.items:
                body_node = None
            case_items.append(CaseItem(tuple(patterns), body_node))
            if self.op(";;"):
                self.pos += 1
                self.linebreak()
            elif self.reserved() != "esac":
                raise self.fail()
        self.pos += 1
        return Case(tok.word, tuple(case_items))


def _with_redirects(node: Node, redirects: tuple[Redirect, ...]) -> Node:
    """*node* (a compound command) with the *redirects* written after it.

    ash's parser (busybox's and dash's alike) keeps no node for ``{ list; }``: the group is
    its list, and when that list is one bare subshell, the group's redirections *replace* the
    subshell's instead of wrapping it. So ``{ ( echo ) > a; } > b`` is ``( echo ) > b`` there
    (``a`` is never opened) and ``{ ( ... ) > a; }`` alone keeps ``> a``. Any other body (two
    commands, ``!``, a pipeline, ``&&``, ``&``, a group or loop with redirections of its own)
    is wrapped, and its redirections apply inside the group's as POSIX has it.
    """
    if not redirects:
        return node
    inner = node
    while type(inner) is Brace and not inner.redirects:
        inner = inner.body
    if type(inner) is Subshell and inner is not node:
        node = inner
    evolve: Any = attrs.evolve
    changed: Node = evolve(node, redirects=redirects)
    return changed


#: The longest script the shell parses (characters). A pod's whole manifest is smaller (the API
#: server takes at most 3 MiB, etcd 1.5 MiB), and ``sh -c SCRIPT`` cannot even start with an
#: argument over the kernel's 128 KiB (``MAX_ARG_STRLEN``).
MAX_SCRIPT = 2 << 20


class ShellTooBig(ShellSyntaxError):
    """A script longer than :data:`MAX_SCRIPT`, or nested deeper than the parser goes."""


@functools.lru_cache(maxsize=512)
def parse(src: str) -> Node:
    """The program *src* as an immutable tree (cached: parsing is pure).

    Raises:
        ShellSyntaxError: *src* is not a program; :class:`ShellTooBig` (a subclass) when it
            is longer than :data:`MAX_SCRIPT` or nests deeper than the parser goes.
    """
    if len(src) > MAX_SCRIPT:
        raise ShellTooBig(f"script too long ({len(src)} characters; at most {MAX_SCRIPT})")
    try:
        p = _Parser(_tokenize(src))
        node = p.compound_list(frozenset(), empty_ok=True)
    except RecursionError:
        raise ShellTooBig("too deeply nested") from None
    if p.peek().kind != "EOF":
        raise p.fail()
    return node
