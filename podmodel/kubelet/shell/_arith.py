"""Shell arithmetic ``$((...))`` (private): 64-bit signed integers, C operators and precedence.

:func:`evaluate` takes the expanded expression text, a lookup for variables and returns the value
and the assignments it made; a bad expression raises :class:`ArithError` with busybox's message.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from podmodel.errors import PodmodelError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["ArithError", "evaluate"]


class ArithError(PodmodelError, ValueError):
    """An arithmetic expression the shell refuses (``sh: arithmetic syntax error``)."""


_TOKEN = re.compile(
    r"\s*(?:(0[xX][0-9a-fA-F]+|[0-9]+[0-9a-zA-Z]*)|([A-Za-z_][A-Za-z0-9_]*)|"
    r"(<<=|>>=|\+\+|--|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|[-+*/%<>=!~&|^?:()]))"
)
_BINARY = {
    "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6,
    "<": 7, ">": 7, "<=": 7, ">=": 7, "<<": 8, ">>": 8, "+": 9, "-": 9,
    "*": 10, "/": 10, "%": 10, "**": 11,
}  # fmt: skip
_ASSIGN_OPS = frozenset(("=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^=", "**="))


def _wrap(v: int) -> int:
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= 1 << 63 else v


def _number(text: str) -> int:
    try:
        if text[:2] in ("0x", "0X"):
            return int(text[2:], 16)
        if len(text) > 1 and text[0] == "0":
            return int(text[1:], 8)
        return int(text, 10)
    except ValueError:
        raise ArithError("arithmetic syntax error") from None


def _binop(op: str, a: int, b: int) -> int:
    if op in ("/", "%"):
        if b == 0:
            raise ArithError("divide by zero")
        q = abs(a) // abs(b)
        q = q if (a >= 0) == (b >= 0) else -q
        return q if op == "/" else a - q * b
    if op == "**":
        if b < 0:
            raise ArithError("exponent less than 0")
        return pow(a, b, 1 << 64)
    if op == "<<":
        return a << (b & 63)
    if op == ">>":
        return a >> (b & 63)
    table: dict[str, Callable[[int, int], int]] = {
        "+": lambda x, y: x + y,
        "-": lambda x, y: x - y,
        "*": lambda x, y: x * y,
        "&": lambda x, y: x & y,
        "|": lambda x, y: x | y,
        "^": lambda x, y: x ^ y,
        "==": lambda x, y: int(x == y),
        "!=": lambda x, y: int(x != y),
        "<": lambda x, y: int(x < y),
        ">": lambda x, y: int(x > y),
        "<=": lambda x, y: int(x <= y),
        ">=": lambda x, y: int(x >= y),
    }
    return table[op](a, b)


@functools.lru_cache(maxsize=1024)
def _tokens(text: str) -> tuple[tuple[str, str], ...]:
    toks: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ArithError("arithmetic syntax error")
        pos = m.end()
        if m.group(1):
            toks.append(("num", m.group(1)))
        elif m.group(2):
            toks.append(("name", m.group(2)))
        else:
            toks.append(("op", m.group(3)))
    toks.append(("end", ""))
    return tuple(toks)


class _Eval:
    def __init__(self, text: str, lookup: Callable[[str], str | None], depth: int = 0) -> None:
        if depth > 16:
            raise ArithError("expression recursion loop detected")
        self.depth = depth
        self.toks = _tokens(text)
        self.i = 0
        self.lookup = lookup
        self.assigned: dict[str, str] = {}

    def peek(self) -> tuple[str, str]:
        return self.toks[self.i]

    def var(self, name: str, depth: int = 0) -> int:
        value = self.assigned.get(name)
        if value is None:
            value = self.lookup(name)
        value = (value or "").strip()
        if not value:
            return 0
        if value.isdigit() and (value[0] != "0" or len(value) == 1):
            return _wrap(int(value))
        if re.fullmatch(r"[-+]?(0[xX][0-9a-fA-F]+|[0-9]+)", value):
            sign = -1 if value[0] == "-" else 1
            return sign * _number(value.lstrip("+-"))
        if depth < 16 and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            return self.var(value, depth + 1)
        if depth < 16:
            sub = _Eval(value, self.lookup, self.depth + 1)
            v = sub.expr(True)
            _finish(sub)
            return v
        raise ArithError("expression recursion loop detected")

    def expect(self, op: str) -> None:
        if self.peek() != ("op", op):
            raise ArithError("arithmetic syntax error")
        self.i += 1

    def expr(self, ev: bool) -> int:
        return self.assign(ev)

    def assign(self, ev: bool) -> int:
        kind, text = self.peek()
        nxt = self.toks[self.i + 1]
        if kind == "name" and nxt[0] == "op" and nxt[1] in _ASSIGN_OPS:
            self.i += 2
            value = self.assign(ev)
            if ev:
                if nxt[1] != "=":
                    value = _wrap(_binop(nxt[1][:-1], self.var(text), value))
                self.assigned[text] = str(value)
            return value
        return self.ternary(ev)

    def ternary(self, ev: bool) -> int:
        cond = self.binary(1, ev)
        if self.peek() == ("op", "?"):
            self.i += 1
            a = self.assign(ev and cond != 0)
            self.expect(":")
            b = self.assign(ev and cond == 0)
            return a if cond else b
        return cond

    def binary(self, level: int, ev: bool) -> int:
        left = self.unary(ev)
        while True:
            kind, op = self.peek()
            prec = _BINARY.get(op) if kind == "op" else None
            if prec is None or prec < level:
                return left
            self.i += 1
            if op == "&&":
                right = self.binary(prec + 1, ev and left != 0)
                left = int(left != 0 and right != 0)
            elif op == "||":
                right = self.binary(prec + 1, ev and left == 0)
                left = int(left != 0 or right != 0)
            else:
                right = self.binary(prec if op == "**" else prec + 1, ev)
                left = _wrap(_binop(op, left, right)) if ev else 0

    def unary(self, ev: bool) -> int:
        kind, text = self.peek()
        if kind == "op" and text in ("+", "-", "!", "~"):
            self.i += 1
            v = self.unary(ev)
            return {"+": v, "-": _wrap(-v), "!": int(v == 0), "~": _wrap(~v)}[text]
        if kind == "op" and text in ("++", "--"):
            self.i += 1
            name = self.peek()
            if name[0] != "name":
                raise ArithError("arithmetic syntax error")
            self.i += 1
            v = _wrap(self.var(name[1]) + (1 if text == "++" else -1))
            if ev:
                self.assigned[name[1]] = str(v)
            return v
        return self.postfix(ev)

    def postfix(self, ev: bool) -> int:
        kind, text = self.next_primary()
        if kind == "name":
            v = self.var(text)
            nk, nt = self.peek()
            if nk == "op" and nt in ("++", "--"):
                self.i += 1
                if ev:
                    self.assigned[text] = str(_wrap(v + (1 if nt == "++" else -1)))
            return v
        return int(text)

    def next_primary(self) -> tuple[str, str]:
        kind, text = self.peek()
        self.i += 1
        if kind == "num":
            return "num", str(_wrap(_number(text)))
        if kind == "name":
            return kind, text
        if (kind, text) == ("op", "("):
            v = self.expr(True)
            self.expect(")")
            return "num", str(v)
        raise ArithError("arithmetic syntax error")


_SIMPLE = re.compile(
    r"\s*([A-Za-z_][A-Za-z0-9_]*|[1-9][0-9]*|0)\s*([-+*/%<>]|==|!=|<=|>=)\s*"
    r"([A-Za-z_][A-Za-z0-9_]*|[1-9][0-9]*|0)\s*"
)


@functools.lru_cache(maxsize=1024)
def _simple(text: str) -> tuple[str, str, str] | None:
    """``a OP b`` with names or decimal numbers (``i+1``): evaluated without the parser."""
    m = _SIMPLE.fullmatch(text)
    return None if m is None else (m.group(1), m.group(2), m.group(3))


def _finish(ev: _Eval) -> None:
    """Every token was used, or busybox's message for what is left."""
    kind, text = ev.peek()
    if kind != "end":
        raise ArithError("malformed ?: operator" if text == ":" else "arithmetic syntax error")


def evaluate(text: str, lookup: Callable[[str], str | None]) -> tuple[int, dict[str, str]]:
    """The value of *text* and the variables it assigned (``i += 1``, ``x++``)."""
    plan = _simple(text)
    if plan is not None:
        ev = _Eval("", lookup)
        a, op, b = plan
        x = int(a) if a[0].isdigit() else ev.var(a)
        y = int(b) if b[0].isdigit() else ev.var(b)
        return _wrap(_binop(op, x, y)), {}
    if not text.strip():
        return 0, {}
    ev = _Eval(text, lookup)
    value = ev.expr(True)
    _finish(ev)
    return value, ev.assigned
