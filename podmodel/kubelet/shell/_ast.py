"""The shell's abstract syntax tree (private): immutable values built once by the parser.

A *word* is a tuple of parts. Unquoted literal text is :class:`Lit`; text the user quoted (single
quotes, a backslash, or double quotes with no expansion inside) is :class:`Quoted`; double quotes
around expansions are :class:`DQ`; ``$x``/``${x...}`` is :class:`Param`; ``$(...)`` and
backquotes are :class:`CmdSub`; ``$((...))`` is :class:`Arith`.
"""

from __future__ import annotations

import attrs

__all__ = [
    "DQ",
    "AndOr",
    "Arith",
    "Assign",
    "Background",
    "Brace",
    "Case",
    "CaseItem",
    "CmdSub",
    "For",
    "FuncDef",
    "If",
    "Lit",
    "Node",
    "Param",
    "Pipeline",
    "Quoted",
    "Redirect",
    "Seq",
    "Simple",
    "Subshell",
    "While",
    "Word",
]


@attrs.frozen
class Lit:
    """Unquoted literal text (pattern characters in it are active)."""

    text: str


@attrs.frozen
class Quoted:
    """Quoted literal text (never split, never a pattern)."""

    text: str


@attrs.frozen
class Param:
    """``$name`` or ``${name<op><arg>}``; *op* is ``""``, ``-``, ``:-``, ``=``, ``:=``, ``+``,
    ``:+``, ``?``, ``:?``, ``#``, ``##``, ``%``, ``%%`` or ``len`` (``${#name}``)."""

    name: str
    op: str = ""
    arg: Word | None = None


@attrs.frozen
class CmdSub:
    """``$(...)`` or a backquoted command: its parsed program."""

    body: Node


@attrs.frozen
class Arith:
    """``$((...))``: the expression, itself a word (expanded before it is evaluated)."""

    expr: Word


@attrs.frozen
class DQ:
    """A double-quoted string with expansions inside."""

    parts: tuple[Lit | Param | CmdSub | Arith, ...]


Part = Lit | Quoted | Param | CmdSub | Arith | DQ
Word = tuple[Part, ...]


@attrs.frozen
class Redirect:
    """``[fd]op target``; for here-documents *target* is the body (a word, or quoted text)."""

    fd: int
    op: str  # < > >> >| <> <& >& << <<-
    target: Word


@attrs.frozen
class Assign:
    """``name=value`` before a command (or alone)."""

    name: str
    value: Word


@attrs.frozen
class Simple:
    """A simple command: assignments, words and redirections."""

    assigns: tuple[Assign, ...]
    words: tuple[Word, ...]
    redirects: tuple[Redirect, ...]
    line: int = 1


@attrs.frozen
class Pipeline:
    """``[!] a | b | c``."""

    commands: tuple[Node, ...]
    negate: bool = False


@attrs.frozen
class AndOr:
    """``first && x || y``: *rest* holds ``("&&" | "||", pipeline)`` pairs."""

    first: Node
    rest: tuple[tuple[str, Node], ...]


@attrs.frozen
class Background:
    """``command &``."""

    body: Node


@attrs.frozen
class Seq:
    """A list of commands run one after another."""

    items: tuple[Node, ...]


@attrs.frozen
class Brace:
    """``{ list; }`` with its redirections."""

    body: Node
    redirects: tuple[Redirect, ...] = ()


@attrs.frozen
class Subshell:
    """``( list )`` with its redirections."""

    body: Node
    redirects: tuple[Redirect, ...] = ()


@attrs.frozen
class If:
    """``if c1; then b1; elif c2; then b2; else e; fi``."""

    branches: tuple[tuple[Node, Node], ...]
    orelse: Node | None
    redirects: tuple[Redirect, ...] = ()


@attrs.frozen
class While:
    """``while``/``until`` loops (*until* negates the condition)."""

    cond: Node
    body: Node
    until: bool = False
    redirects: tuple[Redirect, ...] = ()


@attrs.frozen
class For:
    """``for name [in words]; do body; done`` (no ``in``: ``"$@"``)."""

    name: str
    words: tuple[Word, ...] | None
    body: Node
    redirects: tuple[Redirect, ...] = ()


@attrs.frozen
class CaseItem:
    """``pattern | pattern) body ;;``."""

    patterns: tuple[Word, ...]
    body: Node | None


@attrs.frozen
class Case:
    """``case word in items esac``."""

    word: Word
    items: tuple[CaseItem, ...]
    redirects: tuple[Redirect, ...] = ()


@attrs.frozen
class FuncDef:
    """``name() compound-command``."""

    name: str
    body: Node


Node = (
    Simple | Pipeline | AndOr | Background | Seq | Brace | Subshell | If | While | For | Case
    | FuncDef
)  # fmt: skip
