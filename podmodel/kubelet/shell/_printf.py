"""``printf`` and ``expr`` (private): pure functions of their arguments."""

from __future__ import annotations

import re

__all__ = ["expr", "printf"]

_SPEC = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfgGcsb%])")


def _escape(text: str, *, in_b: bool = False) -> tuple[str, bool]:
    out: list[str] = []
    i = 0
    table = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "b": "\b", "r": "\r", "f": "\f",
             "v": "\v", '"': '"'}  # fmt: skip
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            if n == "c" and in_b:
                return "".join(out), True
            if n in table:
                out.append(table[n])
                i += 2
                continue
            if n in "01234567":
                j = i + 1
                if in_b and n == "0":
                    j += 1
                k = j
                while k < len(text) and k < j + 3 and text[k] in "01234567":
                    k += 1
                out.append(chr(int(text[j:k] or "0", 8) & 255))
                i = k
                continue
        out.append(c)
        i += 1
    return "".join(out), False


def _int(arg: str, errors: list[tuple[int, str]]) -> int:
    s = arg.lstrip()
    if s[:1] in ("'", '"') and len(s) > 1:
        return ord(s[1])
    try:
        if re.fullmatch(r"[-+]?0[xX][0-9a-fA-F]+", s):
            return int(s, 16)
        if re.fullmatch(r"[-+]?0[0-7]+", s):
            return int(s, 8)
        return int(s) if re.fullmatch(r"[-+]?[0-9]+", s) else int("x")
    except ValueError:
        errors.append((2, f"sh: invalid number '{arg}'\n"))
        return 0


def _float(arg: str, errors: list[tuple[int, str]]) -> float:
    try:
        return float(arg)
    except ValueError:
        errors.append((2, f"sh: invalid number '{arg}'\n"))
        return 0.0


def printf(fmt: str, args: list[str]) -> tuple[list[tuple[int, str]], int]:
    """``printf FORMAT ARGS...``: the output and error chunks in order, and the status; the
    format is used again while arguments remain."""
    out: list[tuple[int, str]] = []
    args = list(args)
    first = True

    def text(t: str) -> None:
        out.append((1, t))

    while first or args:
        first = False
        used = 0
        pos = 0
        for m in _SPEC.finditer(fmt):
            text(_escape(fmt[pos : m.start()])[0])
            pos = m.end()
            flags, width, prec, conv = m.groups()
            if conv == "%":
                text("%")
                continue
            if width == "*":
                width = str(_int(args.pop(0), out)) if args else "0"
                used += 1
            if prec == "*":
                prec = str(_int(args.pop(0), out)) if args else "0"
                used += 1
            arg = args.pop(0) if args else None
            used += arg is not None
            if int(width or 0) > 4096 or int(prec or 0) > 4096 or (width or "").startswith("-"):
                width, prec = (
                    str(min(abs(int(width or 0)), 4096)),
                    prec and str(min(int(prec), 4096)),
                )
            spec = "%" + flags + (width or "") + (f".{prec}" if prec is not None else "")
            if conv in "sb":
                value = arg or ""
                stop = False
                if conv == "b":
                    value, stop = _escape(value, in_b=True)
                text((spec + "s") % value)
                if stop:
                    return out, _status(out)
            elif conv == "c":
                text((spec + "s") % (arg or "")[:1])
            elif conv in "diouxX":
                n = _int(arg if arg is not None else "", out)
                if conv in "ouxX" and n < 0:
                    n &= (1 << 64) - 1
                text((spec + ("d" if conv in "iu" else conv)) % n)
            else:
                text((spec + conv) % _float(arg if arg is not None else "", out))
        text(_escape(fmt[pos:])[0])
        if used == 0:
            break
    return out, _status(out)


def _status(out: list[tuple[int, str]]) -> int:
    return 1 if any(fd == 2 for fd, _ in out) else 0


# ---- expr ---------------------------------------------------------------------------------


class _ExprError(Exception):
    pass


def _is_int(v: str) -> bool:
    return re.fullmatch(r"-?\d+", v) is not None


class _Expr:
    def __init__(self, args: list[str]) -> None:
        self.a = args
        self.i = 0

    def peek(self) -> str | None:
        return self.a[self.i] if self.i < len(self.a) else None

    def take(self) -> str:
        if self.i >= len(self.a):
            raise _ExprError("syntax error")
        self.i += 1
        return self.a[self.i - 1]

    def parse(self, level: int = 0) -> str:
        ops = [
            ("|",),
            ("&",),
            ("=", ">", ">=", "<", "<=", "!="),
            ("+", "-"),
            ("*", "/", "%"),
            (":",),
        ]
        if level == len(ops):
            return self.primary()
        left = self.parse(level + 1)
        while self.peek() in ops[level]:
            op = self.take()
            right = self.parse(level + 1)
            left = self.apply(op, left, right)
        return left

    def primary(self) -> str:
        t = self.take()
        if t == "(":
            v = self.parse()
            if self.take() != ")":
                raise _ExprError("syntax error")
            return v
        if t == "length":
            return str(len(self.take()))
        if t == "substr":
            s, p, n = self.take(), self.take(), self.take()
            if not (_is_int(p) and _is_int(n)):
                raise _ExprError("non-numeric argument")
            start = int(p)
            return s[start - 1 : start - 1 + int(n)] if start >= 1 and int(n) > 0 else ""
        if t == "index":
            s, chars = self.take(), self.take()
            return str(next((k + 1 for k, c in enumerate(s) if c in chars), 0))
        if t == "match":
            return self.apply(":", self.take(), self.take())
        return t

    @staticmethod
    def apply(op: str, a: str, b: str) -> str:
        if op == "|":
            return a if a not in ("", "0") else (b if b not in ("",) else "0")
        if op == "&":
            return a if a not in ("", "0") and b not in ("", "0") else "0"
        if op == ":":
            from podmodel.kubelet.shell._text import bre

            m = re.match(bre(b), a)
            if "\\(" in b:
                return (m.group(1) or "") if m else ""
            return str(m.end()) if m else "0"
        if op in ("=", ">", ">=", "<", "<=", "!="):
            if _is_int(a) and _is_int(b):
                x: int | str = int(a)
                y: int | str = int(b)
            else:
                x, y = a, b
            result = {
                "=": x == y, "!=": x != y, "<": x < y, "<=": x <= y,  # type: ignore[operator]
                ">": x > y, ">=": x >= y,  # type: ignore[operator]
            }[op]  # fmt: skip
            return "1" if result else "0"
        if not (_is_int(a) and _is_int(b)):
            raise _ExprError("non-numeric argument")
        x2, y2 = int(a), int(b)
        if op in ("/", "%") and y2 == 0:
            raise _ExprError("division by zero")
        if op == "+":
            return str(x2 + y2)
        if op == "-":
            return str(x2 - y2)
        if op == "*":
            return str(x2 * y2)
        q = abs(x2) // abs(y2) * (1 if (x2 >= 0) == (y2 >= 0) else -1)
        return str(q if op == "/" else x2 - q * y2)


def expr(args: list[str]) -> tuple[str, str, int]:
    """``expr ARGS...``: (output, errors, status): 1 when the result is null or 0, 2 on error."""
    if not args:
        return "", "expr: missing operand\n", 2
    e = _Expr(args)
    try:
        v = e.parse()
        if e.peek() is not None:
            raise _ExprError("syntax error")
    except (_ExprError, re.error) as exc:
        return "", f"expr: {exc}\n", 2
    return v + "\n", "", 1 if v in ("", "0") or (_is_int(v) and int(v) == 0) else 0
