"""What a program run sees (private): the :class:`Prog` context and option parsing.

Each program reads its arguments, standard input and the simulated file system, and writes
its output, the file system it changed, and how long it sleeps. Messages and formats follow
busybox (the image most pod manifests run their scripts in).
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from podmodel.kernel.filesystem import FilesystemError

if TYPE_CHECKING:
    from podmodel.kubelet.shell._system import System

__all__ = ["FLOOD", "Prog", "escapes", "lines_of", "options"]

#: The longest ``yes`` (or ``seq``) output before a full pipe stops it (see PIPE_CAP).
FLOOD = 1 << 20


class Prog:
    """What one program run sees and leaves behind (a working value, never stored)."""

    def __init__(
        self,
        argv: list[str],
        *,
        stdin: str | None,
        env: dict[str, str],
        cwd: str,
        sys: System,
        now: float,
    ) -> None:
        self.argv = argv
        self.name = posixpath.basename(argv[0])
        self.args = argv[1:]
        self.stdin = stdin
        self.env = env
        self.cwd = cwd
        self.sys = sys
        self.now = now
        self.out: list[str] = []
        self.err: list[str] = []
        self.sleep = 0.0
        self.used_stdin = False
        self.kills: list[tuple[int, str]] = []
        #: ``tail -f``: keep following ``(path, byte offset, seconds between reads)``
        self.follow: tuple[str, int, float] | None = None

    def path(self, p: str) -> str:
        full = posixpath.normpath(posixpath.join(self.cwd, p))
        return "/" + full.lstrip("/")

    def write(self, text: str) -> None:
        self.out.append(text)

    def fail(self, message: str, code: int = 1) -> int:
        self.err.append(f"{self.name}: {message}\n")
        return code

    def read_input(self) -> str:
        self.used_stdin = True
        return self.stdin or ""

    def read(self, name: str, *, cant_open: bool = False) -> str | None:
        """The text of file *name* (``-``: standard input); ``None`` after an error message
        (``prog: name: error``, or ``prog: can't open 'name': error``)."""
        if name == "-":
            return self.read_input()
        try:
            return self.sys.read(self.path(name)).decode("utf-8", "surrogateescape")
        except FilesystemError as exc:
            where = f"can't open '{name}'" if cant_open else name
            self.err.append(f"{self.name}: {where}: {exc.strerror}\n")
            return None

    def inputs(self, files: list[str]) -> list[str | None]:
        return [self.read(f) for f in files] if files else [self.read_input()]


def options(args: list[str], flags: str, valued: str = "") -> tuple[dict[str, str], list[str]]:
    """Parse ``-abc``, ``-n 3`` and ``-n3`` style options; the rest are operands."""
    opts: dict[str, str] = {}
    rest: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            rest.extend(args[i + 1 :])
            break
        if len(a) > 1 and a[0] == "-" and not rest and (a[1] in flags or a[1] in valued):
            j = 1
            while j < len(a):
                c = a[j]
                if c in valued:
                    value = a[j + 1 :]
                    if not value and i + 1 < len(args):
                        i += 1
                        value = args[i]
                    opts[c] = value
                    break
                if c in flags:
                    opts[c] = ""
                j += 1
        else:
            rest.append(a)
        i += 1
    return opts, rest


def lines_of(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _nl(line: str) -> str:
    return line if line.endswith("\n") else line + "\n"


def escapes(text: str) -> tuple[str, bool]:
    """``echo -e`` escapes; True when ``\\c`` stopped the output."""
    return _escapes(text)


def _escapes(text: str) -> tuple[str, bool]:
    out: list[str] = []
    i = 0
    table = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "b": "\b", "r": "\r", "f": "\f"}
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            if n == "c":
                return "".join(out), True
            if n in table:
                out.append(table[n])
                i += 2
                continue
            if n == "0":
                j = i + 2
                while j < len(text) and j < i + 5 and text[j] in "01234567":
                    j += 1
                out.append(chr(int(text[i + 2 : j] or "0", 8)))
                i = j
                continue
        out.append(c)
        i += 1
    return "".join(out), False
