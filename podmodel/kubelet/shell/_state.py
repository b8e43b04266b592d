"""The resumable state of a running script (private): frames, file descriptors, processes.

A running script is a :class:`Machine`: an explicit continuation (a stack of immutable frames
such as "in this list at item *i*" or "in this while loop, after the body"), plus the shell's
variables, functions, options, traps, working directory and file descriptors. A
:class:`Process` is the main machine with its background jobs and the output not yet taken.
All of it is frozen and hashable: an older state stays valid after a newer one was computed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from podmodel.model._pmap import PMap

if TYPE_CHECKING:
    from podmodel.kubelet.shell._ast import For, If, Node, While

__all__ = ["Machine", "Process", "Target"]


@attrs.frozen
class Target:
    """Where a file descriptor goes: ``stream`` *n* (the process's stdout/stderr, or a capture),
    a ``file`` opened at *path*, ``null``, or an ``input`` holding *data* read up to *pos*."""

    kind: str
    n: int = 0
    path: str = ""
    data: str = ""
    pos: int = 0


STDIN = Target("input")
STDOUT = Target("stream", 1)
STDERR = Target("stream", 2)
CAPTURE = Target("stream", 3)  # a command substitution's or a pipe's collected output
DEFAULT_FDS: tuple[Target | None, ...] = (STDIN, STDOUT, STDERR) + (None,) * 7


@attrs.frozen
class Run:
    """Execute *node*."""

    node: Node


@attrs.frozen
class SeqNext:
    """In a list, run item *i* next."""

    items: tuple[Node, ...]
    i: int


@attrs.frozen
class AndOrNext:
    """In ``a && b || c``, decide on part *i* of *rest* from ``$?``."""

    rest: tuple[tuple[str, Node], ...]
    i: int
    cond: int


@attrs.frozen
class Negate:
    """After ``! pipeline``: invert ``$?``."""

    cond: int


@attrs.frozen
class IfNext:
    """After the condition of branch *k* of an ``if``."""

    node: If
    k: int
    cond: int


@attrs.frozen
class LoopCond:
    """After a ``while``/``until`` condition."""

    node: While
    cond: int
    last: int = 0


@attrs.frozen
class LoopBody:
    """After a ``while``/``until`` body: check the condition again."""

    node: While


@attrs.frozen
class ForNext:
    """In a ``for`` loop, bind item *i* next."""

    node: For
    items: tuple[str, ...]
    i: int


@attrs.frozen
class FuncDone:
    """Returning from a function: restore the caller's positional parameters and the variables
    its ``local`` commands shadowed (``None``: was unset)."""

    positional: tuple[str, ...]
    saved: tuple[tuple[str, str | None], ...] = ()


@attrs.frozen
class RestoreFds:
    """Leaving a redirected command: restore the file descriptors."""

    fds: tuple[Target | None, ...]


@attrs.frozen
class Scope:
    """What a subshell may change without its parent seeing it."""

    vars: PMap[str, str]
    exported: frozenset[str]
    funcs: PMap[str, Node]
    positional: tuple[str, ...]
    cwd: str
    traps: PMap[str, str]
    opts: frozenset[str]
    fds: tuple[Target | None, ...]
    cond: int


@attrs.frozen
class SubshellDone:
    """Leaving ``( ... )``: restore the parent's scope."""

    scope: Scope


@attrs.frozen
class TrapDone:
    """After a trap's action: restore ``$?``."""

    status: int


@attrs.frozen
class Finish:
    """The shell ends with *code* (after its EXIT trap; ``None``: with ``$?``, after ``exec``)."""

    code: int | None


@attrs.frozen
class Wait:
    """``wait`` for the jobs *pids* (all jobs when empty)."""

    pids: tuple[int, ...]


@attrs.frozen
class Follow:
    """``tail -f``: every *interval* seconds, write what *path* gained past byte *offset*
    (through *rest*, the stages of the pipeline after ``tail``, when there are some)."""

    path: str
    offset: int
    interval: float = 1.0
    rest: Node | None = None


Frame = (
    Run | SeqNext | AndOrNext | Negate | IfNext | LoopCond | LoopBody | ForNext | FuncDone
    | RestoreFds | SubshellDone | TrapDone | Finish | Wait | Follow
)  # fmt: skip
LOOP_FRAMES = (LoopCond, LoopBody, ForNext)


@attrs.frozen(kw_only=True)
class Machine:
    """One shell (the main script or a background job) stopped between two steps."""

    stack: tuple[Frame, ...]
    vars: PMap[str, str]
    exported: frozenset[str]
    funcs: PMap[str, Node] = attrs.field(factory=PMap)
    positional: tuple[str, ...] = ()
    name: str = "sh"
    cwd: str = "/"
    traps: PMap[str, str] = attrs.field(factory=PMap)
    opts: frozenset[str] = frozenset()
    status: int = 0
    fds: tuple[Target | None, ...] = DEFAULT_FDS
    now: float = 0.0
    work: int = 0
    pid: int = 1
    next_pid: int = 2
    main: bool = True
    last_bg: int | None = None
    cond: int = 0
    exit_code: int | None = None
    exiting: bool = False
    signals: tuple[str, ...] = ()
    job_status: PMap[int, int] = attrs.field(factory=PMap)
    job_ends: PMap[int, float] = attrs.field(factory=PMap)
    output: tuple[tuple[int, str], ...] = ()
    dropped: int = 0

    @property
    def done(self) -> bool:
        """Whether this shell has exited."""
        return self.exit_code is not None


@attrs.frozen(kw_only=True)
class Process:
    """A running script: the main shell, its background jobs (by pid), and pending output.

    ``now`` is when the script next does something (after a ``sleep``, the time it wakes up);
    ``exit_code`` is set once the main shell has exited.
    """

    main: Machine
    jobs: tuple[tuple[int, Machine], ...] = ()
    output: tuple[tuple[int, str], ...] = ()
    dropped: int = 0

    @property
    def done(self) -> bool:
        """Whether the script has exited."""
        return self.main.exit_code is not None

    @property
    def exit_code(self) -> int | None:
        """The script's exit status, once it has exited."""
        return self.main.exit_code

    @property
    def now(self) -> float:
        """The simulated time the script has reached (or will wake up at)."""
        return self.main.now

    @property
    def stdout(self) -> str:
        """The pending standard output (not yet taken with :func:`take_output`)."""
        return "".join(text for fd, text in self.output if fd == 1)

    @property
    def stderr(self) -> str:
        """The pending standard error."""
        return "".join(text for fd, text in self.output if fd == 2)
