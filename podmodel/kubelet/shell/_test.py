"""``test`` and ``[`` (private): POSIX's rules by argument count, then a small grammar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from podmodel.kernel.filesystem import FilesystemError

if TYPE_CHECKING:
    from podmodel.kubelet.shell._core import Exec

__all__ = ["run_test"]

_UNARY = frozenset(
    [
        "-e",
        "-f",
        "-d",
        "-s",
        "-r",
        "-w",
        "-x",
        "-z",
        "-n",
        "-L",
        "-h",
        "-b",
        "-c",
        "-p",
        "-S",
        "-t",
        "-g",
        "-u",
        "-k",
        "-O",
        "-G",
    ]
)
_BINARY = frozenset(
    ["=", "!=", "==", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "<", ">"]
)


class _Bad(Exception):
    pass


def _int(v: str) -> int:
    try:
        return int(v.strip())
    except ValueError:
        raise _Bad(f"{v}: bad number") from None


class _Test:
    def __init__(self, ex: Exec, args: list[str]) -> None:
        self.ex = ex
        self.a = args
        self.i = 0

    def more(self) -> bool:
        return self.i < len(self.a)

    def take(self) -> str:
        if self.i >= len(self.a):
            raise _Bad("argument expected")
        self.i += 1
        return self.a[self.i - 1]

    def orexpr(self) -> bool:
        v = self.andexpr()
        while self.more() and self.a[self.i] == "-o":
            self.i += 1
            v = self.andexpr() or v
        return v

    def andexpr(self) -> bool:
        v = self.notexpr()
        while self.more() and self.a[self.i] == "-a":
            self.i += 1
            v = self.notexpr() and v
        return v

    def notexpr(self) -> bool:
        if self.more() and self.a[self.i] == "!" and self.i + 1 < len(self.a):
            self.i += 1
            return not self.notexpr()
        return self.primary()

    def primary(self) -> bool:
        t = self.take()
        if t == "(" and self.more():
            v = self.orexpr()
            if self.take() != ")":
                raise _Bad("')' expected")
            return v
        if self.i < len(self.a) and self.a[self.i] in _BINARY and self.i + 1 < len(self.a):
            op = self.take()
            return self.binary(t, op, self.take())
        if t in _UNARY and self.more():
            return self.unary(t, self.take())
        return t != ""

    def unary(self, op: str, v: str) -> bool:
        if op == "-z":
            return v == ""
        if op == "-n":
            return v != ""
        if op == "-t":
            return False
        sys = self.ex.sys
        path = self.ex.path(v) if v else ""
        if not v or not sys.exists(path):
            return False
        try:
            st = sys.stat(path)
        except FilesystemError:
            return False
        if op == "-e":
            return True
        if op == "-f":
            return st.kind == "file"
        if op == "-d":
            return st.kind == "directory"
        if op == "-s":
            return st.size > 0 or st.kind == "directory"
        if op in ("-r", "-w"):
            return True
        if op == "-x":
            return st.kind == "directory" or bool(st.mode & 0o111)
        if op == "-c":
            return st.kind == "device"
        return False

    @staticmethod
    def binary(a: str, op: str, b: str) -> bool:
        if op in ("=", "=="):
            return a == b
        if op == "!=":
            return a != b
        if op == "<":
            return a < b
        if op == ">":
            return a > b
        if op in ("-nt", "-ot", "-ef"):
            return False
        x, y = _int(a), _int(b)
        return {"-eq": x == y, "-ne": x != y, "-lt": x < y, "-le": x <= y, "-gt": x > y,
                "-ge": x >= y}[op]  # fmt: skip


def run_test(ex: Exec, args: list[str], *, bracket: bool) -> int:
    """The status of ``test ARGS`` (``[ ARGS ]`` with *bracket*): 0 true, 1 false, 2 error."""
    if bracket:
        if not args or args[-1] != "]":
            ex.error("missing ]")
            return 2
        args = args[:-1]
    if not args:
        return 1
    try:
        if len(args) == 3 and args[1] in _BINARY:
            return 0 if _Test.binary(args[0], args[1], args[2]) else 1
        t = _Test(ex, args)
        if len(args) == 1:
            return 0 if args[0] else 1
        if len(args) == 2 and args[0] == "!":
            return 0 if not args[1] else 1
        if len(args) == 3 and args[1] in _BINARY:
            return 0 if t.binary(args[0], args[1], args[2]) else 1
        v = t.orexpr()
        if t.more():
            raise _Bad(f"{t.a[t.i]}: unknown operand")
    except _Bad as exc:
        ex.error(str(exc))
        return 2
    return 0 if v else 1
