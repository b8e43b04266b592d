"""The shell's working state while it runs (private), and the caps that bound it.

:class:`Exec` is a mutable working copy of a frozen :class:`~._state.Machine`, used only inside
one call of :func:`~podmodel.kubelet.shell.run` (it is never stored): thawed at the start,
frozen into a new ``Machine`` at the end, so no older state is ever changed.
"""

from __future__ import annotations

import abc
import posixpath
from typing import TYPE_CHECKING

from podmodel.kernel.filesystem import FilesystemError, IsADirectory, NotADirectory
from podmodel.kubelet.shell._expand import MAX_STRING, OutOfMemory, expand_text
from podmodel.kubelet.shell._parser import ShellSyntaxError, parse
from podmodel.kubelet.shell._state import (
    AndOrNext,
    Finish,
    FuncDone,
    IfNext,
    LoopCond,
    Machine,
    Negate,
    RestoreFds,
    Run,
    SubshellDone,
    Target,
    Wait,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from podmodel.kubelet.shell._ast import Node, Redirect
    from podmodel.kubelet.shell._state import Frame, Scope
    from podmodel.kubelet.shell._system import System

__all__ = [
    "MAX_JOBS",
    "MAX_STRING",
    "NESTED_WORK",
    "OUTPUT_CAP",
    "PIPE_CAP",
    "WORK_PER_SECOND",
    "Exec",
]

#: Work units (one shell step: a command, a loop test, a list item) per simulated second: a
#: CPU-bound loop burns simulated time at this rate.
WORK_PER_SECOND = 10_000
#: A command substitution or pipeline stage doing more work than this is stopped (exit 137).
NESTED_WORK = 1_000_000
#: A pipe (or command substitution) holds at most this many characters; a writer past it stops
#: with SIGPIPE (exit 141), as ``yes`` does when ``head`` has read enough.
PIPE_CAP = 1 << 20
#: Output kept for the kubelet between two :func:`take_output` calls; older text is dropped.
OUTPUT_CAP = 1 << 20
#: Background jobs a script may have at once (more fail to fork: ``sh: can't fork``, exit 2).
MAX_JOBS = 64
TICK = 1.0 / WORK_PER_SECOND
_COND_FRAMES = (AndOrNext, Negate, IfNext, LoopCond)


class Exec(abc.ABC):
    """One shell's mutable working copy (see the module docstring); the interpreter
    (:class:`~podmodel.kubelet.shell._interp.Interp`) supplies command substitution."""

    def __init__(self, m: Machine, sys: System, *, nested: bool = False) -> None:
        self.stack: list[Frame] = list(m.stack)
        self.vars = m.vars
        self.exported = m.exported
        self.funcs = m.funcs
        self.positional = m.positional
        self.name = m.name
        self.cwd = m.cwd
        self.traps = m.traps
        self.opts = m.opts
        self.status = m.status
        self.fds = m.fds
        self.now = m.now
        self.work = m.work
        self.pid = m.pid
        self.next_pid = m.next_pid
        self.main = m.main
        self.last_bg = m.last_bg
        self.cond = m.cond
        self.exit_code = m.exit_code
        self.exiting = m.exiting
        self.signals = m.signals
        self.job_status = m.job_status
        self.job_ends = m.job_ends
        self.out: list[tuple[int, str]] = list(m.output)
        self.out_size = sum(len(t) for _, t in m.output)
        self.dropped = m.dropped
        self.sys = sys
        self.nested = nested
        self.captured = 0
        self.sub_status = 0
        self.spawned: list[tuple[int, Machine]] = []
        self.kills: list[tuple[int, str]] = []
        self.live: frozenset[int] = frozenset()
        self.blocked = m.main and bool(self.stack) and isinstance(self.stack[-1], Wait)
        self.depth = 0
        #: the clocks of the other shells of the process, sorted, and how close one must be to
        #: share the CPU: while k shells are that close, each step takes k ticks
        self.rivals: tuple[float, ...] = ()
        self.window = TICK
        #: why the last write to a file failed (``No space left on device``), if it did
        self.write_error: str | None = None
        #: a ``tail -f`` this (nested) shell ran, for the pipeline around it to follow
        self.follow: tuple[str, int, float] | None = None

    def freeze(self) -> Machine:
        """This shell as a new frozen machine."""
        return Machine(
            stack=tuple(self.stack),
            vars=self.vars,
            exported=self.exported,
            funcs=self.funcs,
            positional=self.positional,
            name=self.name,
            cwd=self.cwd,
            traps=self.traps,
            opts=self.opts,
            status=self.status,
            fds=self.fds,
            now=self.now,
            work=self.work,
            pid=self.pid,
            next_pid=self.next_pid,
            main=self.main,
            last_bg=self.last_bg,
            cond=self.cond,
            exit_code=self.exit_code,
            exiting=self.exiting,
            signals=self.signals,
            job_status=self.job_status,
            job_ends=self.job_ends,
            output=_merge(self.out),
            dropped=self.dropped,
        )

    # ---- variables ----

    def getvar(self, name: str) -> str | None:
        """A variable or special parameter (``None`` when unset)."""
        v: str | None = self.vars.get(name)
        if v is not None or len(name) > 1 or name.isalpha() or name == "_":
            return v
        if name.isdigit():
            k = int(name)
            if k == 0:
                return self.name
            return self.positional[k - 1] if k <= len(self.positional) else None
        if name == "?":
            return str(self.status)
        if name == "$":
            return str(self.pid)
        if name == "#":
            return str(len(self.positional))
        if name == "!":
            return None if self.last_bg is None else str(self.last_bg)
        if name == "-":
            return "".join(sorted(self.opts))
        if name in "@*":
            return " ".join(self.positional)
        return None

    def setvar(self, name: str, value: str) -> None:
        """Set a shell variable (one longer than :data:`MAX_STRING` is out of memory)."""
        if len(value) > MAX_STRING:
            raise OutOfMemory
        self.vars = self.vars.set(name, value)
        if "a" in self.opts:
            self.exported = self.exported | {name}

    def environ(self) -> dict[str, str]:
        """The exported variables (a program's environment)."""
        return {k: self.vars[k] for k in sorted(self.exported) if k in self.vars}

    def path(self, p: str) -> str:
        """*p* made absolute against the working directory."""
        full = posixpath.normpath(posixpath.join(self.cwd, p)) if p else self.cwd
        return "/" + full.lstrip("/")

    @abc.abstractmethod
    def cmdsub(self, node: Node) -> str:
        """Run *node* in a subshell and return what it wrote (see the interpreter)."""

    # ---- file descriptors ----

    def emit(self, fd: int, text: str) -> None:
        """Write *text* to file descriptor *fd*."""
        if not text:
            return
        t = self.fds[fd] if 0 <= fd < len(self.fds) else None
        if t is None:
            return
        self.write_to(t, text)

    def write_to(self, t: Target, text: str) -> None:
        if t.kind == "stream":
            if t.n == 3:
                self.captured += len(text)
            elif not self.nested and self.out_size > OUTPUT_CAP:
                self.dropped += len(text)
                return
            self.out.append((t.n, text))
            self.out_size += len(text)
        elif t.kind == "file":
            try:
                self.sys = self.sys.write(t.path, _bytes(text), append=True)
            except FilesystemError as exc:
                self.write_error = exc.strerror

    def read_input(self, *, line: bool = False) -> str | None:
        """Read all of standard input (or one line); ``None`` at end of input."""
        t = self.fds[0]
        if t is None or t.kind != "input":
            if t is not None and t.kind == "file":
                try:
                    data = _text(self.sys.read(t.path))
                except FilesystemError:
                    return None
                t = Target("input", data=data)
            else:
                return None
        if t.pos >= len(t.data):
            return None
        end = len(t.data)
        if line:
            k = t.data.find("\n", t.pos)
            end = end if k < 0 else k + 1
        chunk = t.data[t.pos : end]
        self.fds = (Target("input", data=t.data, pos=end), *self.fds[1:])
        return chunk

    def error(self, message: str) -> None:
        """``sh: message`` on standard error."""
        self.emit(2, f"sh: {message}\n")

    def redirect(self, redirects: tuple[Redirect, ...]) -> bool:
        """Apply *redirects* to the file descriptors; False (and a message) on failure."""
        fds = list(self.fds)
        for r in redirects:
            if r.op == "<<":
                fds[r.fd] = Target("input", data=expand_text(self, r.target, quoted=True))
                continue
            word = expand_text(self, r.target)
            if r.op in ("<&", ">&"):
                if word == "-":
                    fds[r.fd] = None
                elif word.isdigit() and int(word) < len(fds) and fds[int(word)] is not None:
                    fds[r.fd] = fds[int(word)]
                else:
                    self.error(
                        f"{word}: bad file descriptor" if word.isdigit() else f"{word}: bad number"
                    )
                    return False
                continue
            path = self.path(word)
            if r.op == "<":
                try:
                    fds[r.fd] = Target("input", data=_text(self.sys.read(path)))
                except FilesystemError:
                    self.error(f"can't open {word}: no such file")
                    return False
                continue
            if path in ("/dev/null", "/dev/zero"):
                fds[r.fd] = Target("null")
                continue
            if path in ("/dev/stdout", "/dev/stderr"):
                fds[r.fd] = fds[1 if path == "/dev/stdout" else 2]
                continue
            try:
                if r.op in (">", ">|"):
                    self.sys = self.sys.write(path, b"")
                else:
                    self.sys = self.sys.write(path, b"", append=True)
            except FilesystemError as exc:
                why = (
                    "nonexistent directory"
                    if not isinstance(exc, (IsADirectory, NotADirectory)) and exc.errno == 2
                    else exc.strerror
                )
                self.error(f"can't create {word}: {why}")
                return False
            fds[r.fd] = Target("file", path=path)
        self.fds = tuple(fds)
        return True

    # ---- control flow ----

    def unwind(self, stop: Callable[[Frame], bool]) -> Frame | None:
        """Pop frames (undoing their redirections and scopes) up to and including the first one
        *stop* accepts; return it, or ``None`` at the bottom of the stack."""
        while self.stack:
            f = self.stack.pop()
            if isinstance(f, RestoreFds):
                self.fds = f.fds
            elif isinstance(f, _COND_FRAMES):
                self.cond = f.cond
            elif isinstance(f, FuncDone):
                self.leave(f)
            elif isinstance(f, SubshellDone):
                self.restore(f.scope)
            if stop(f):
                return f
        return None

    def checked(self, status: int) -> None:
        """Set ``$?``; with ``set -e``, a failure outside a condition ends the shell."""
        self.status = status
        if status and "e" in self.opts and not self.cond:
            self.do_exit(status)

    def leave(self, f: FuncDone) -> None:
        """Return from a function: the caller's arguments, the shadowed variables back."""
        self.positional = f.positional
        for name, value in f.saved:
            self.vars = self.vars.delete(name) if value is None else self.vars.set(name, value)

    def restore(self, s: Scope) -> None:
        self.vars, self.exported, self.funcs = s.vars, s.exported, s.funcs
        self.positional, self.cwd, self.traps = s.positional, s.cwd, s.traps
        self.opts, self.fds, self.cond = s.opts, s.fds, s.cond

    def do_exit(self, code: int) -> None:
        """``exit code``: leave the innermost subshell, or end the shell (running its EXIT trap)."""
        code &= 255
        if self.unwind(lambda f: isinstance(f, SubshellDone)) is not None:
            self.status = code
            if code and "e" in self.opts and not self.cond:  # set -e sees the subshell fail
                self.do_exit(code)
            return
        action = self.traps.get("EXIT")
        if action and not self.exiting and not self.nested:
            self.exiting = True
            self.status = code
            try:
                body = parse(action)
            except ShellSyntaxError as exc:
                self.emit(2, f"{exc}\n")
                self.exit_code = code
                return
            self.stack = [Finish(code), Run(body)]
            return
        self.exit_code = code
        self.stack = []


def _merge(out: list[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    merged: list[tuple[int, list[str]]] = []
    for fd, text in out:
        if merged and merged[-1][0] == fd:
            merged[-1][1].append(text)
        else:
            merged.append((fd, [text]))
    return tuple((fd, "".join(parts)) for fd, parts in merged)


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")
