"""Processes (private): starting a script, running it on the simulated clock with its
background jobs, signals, and the output the kubelet takes."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import attrs

from podmodel.kubelet.shell._ast import Node, Seq
from podmodel.kubelet.shell._builtins import SIGNALS, signal_name
from podmodel.kubelet.shell._core import OUTPUT_CAP, TICK, _merge
from podmodel.kubelet.shell._interp import Interp
from podmodel.kubelet.shell._parser import ShellSyntaxError, ShellTooBig, parse
from podmodel.kubelet.shell._state import Machine, Process, Run, Wait
from podmodel.model._pmap import PMap

if TYPE_CHECKING:
    from podmodel.kubelet.shell._system import System

__all__ = ["DEFAULT_BUDGET", "DEFAULT_PATH", "SLICE", "run", "signal", "start", "take_output"]

#: Work units one :func:`run` call spends at most unless told otherwise.
DEFAULT_BUDGET = 2_000_000
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#: A shell busy (not sleeping) at the end of a :func:`run` runs on to the end of its time slice
#: (a multiple of this many simulated seconds): a CPU-bound script is woken by the node ten
#: times per simulated second, not once per step.
SLICE = 0.1


def start(
    script: str,
    *,
    args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    cwd: str = "/",
    name: str = "sh",
    now: float = 0.0,
    pid: int = 1,
) -> Process:
    """A process about to run *script* (``sh -c script name args...``) at time *now*.

    *env* is the environment (all exported); ``pid`` 1 (a container's main process) ignores
    signals it has no trap for, as the kernel makes PID 1 do. A syntax error gives a process
    that has already exited with status 2 and the shell's message on standard error.
    """
    environ = {"PATH": DEFAULT_PATH, "HOME": "/root", **(env or {})}
    environ.setdefault("PWD", cwd)
    machine = Machine(
        stack=(),
        vars=PMap(environ),
        exported=frozenset(environ),
        positional=tuple(args),
        name=name,
        cwd=cwd,
        now=now,
        pid=pid,
    )
    try:
        body = parse(script)
    except ShellSyntaxError as exc:
        prefix = None if isinstance(exc, ShellTooBig) else _runnable_prefix(script)
        if prefix is None:
            machine = attrs.evolve(machine, exit_code=2, status=2)
            return Process(main=machine, output=((2, f"{exc}\n"),))
        # the shell reads and runs one complete command at a time: the lines before the
        # error run, then it stops with the error
        message = str(exc).replace("'", "'\\''")
        body = Seq((prefix, parse(f"printf '%s\\n' '{message}' >&2; exit 2")))
    return Process(main=attrs.evolve(machine, stack=(Run(body),)))


def _runnable_prefix(script: str) -> Node | None:
    """The longest run of whole lines at the start of *script* that parses."""
    lines = script.split("\n")
    for k in range(min(len(lines) - 1, 200), 0, -1):
        try:
            return parse("\n".join(lines[:k]))
        except ShellSyntaxError:
            continue
    return None


def _add_output(out: list[tuple[int, str]], size: list[int], chunks: list[tuple[int, str]]) -> None:
    for chunk in chunks:
        out.append(chunk)
        size[0] += len(chunk[1])


def run(
    process: Process,
    system: System,
    *,
    until: float = math.inf,
    budget: int | None = None,
) -> tuple[Process, System]:
    """Run *process* over *system* until it exits, every shell in it sleeps (or waits) past
    the end of the time slice simulated time *until* falls in (:data:`SLICE`), or it has spent
    *budget* work units; return the new process and the new system. Neither argument is
    changed. The shells share one CPU: while *k* of them are busy at once, each step of each
    takes *k* ticks."""
    sys = system
    remaining = DEFAULT_BUDGET if budget is None else budget
    # the shells run to the end of the time slice *until* falls in: a CPU-bound script is
    # woken once per slice, not once per step
    horizon = _slice_end(until)
    main = Interp(process.main, sys)
    jobs: list[tuple[int, Interp]] = [(pid, Interp(m, sys)) for pid, m in process.jobs]
    out: list[tuple[int, str]] = list(process.output)
    size = [sum(len(t) for _, t in out)]
    while main.exit_code is None and remaining > 0:
        main.live = frozenset(pid for pid, j in jobs if j.exit_code is None)
        if main.blocked:
            top = main.stack[-1] if main.stack else None
            waited = top.pids if isinstance(top, Wait) else ()
            if not any(p in main.live for p in (waited or main.live)):
                main.blocked = False
                ends = [main.job_ends.get(p, main.now) for p in waited] or main.job_ends.values()
                main.now = max([main.now, *ends])
        runnable = [
            x for _, x in jobs if x.exit_code is None and x.now <= horizon and x.now < math.inf
        ]
        if not main.blocked and main.now <= horizon and main.now < math.inf:
            runnable.append(main)
        if not runnable:
            break
        # the shell furthest behind runs (the lower pid on a tie), until it overtakes the next
        x = min(runnable, key=lambda e: (e.now, e.pid))
        # every other shell that may run (asleep or not): x stops before it overtakes one
        rivals = [e for _, e in jobs if e is not x and e.exit_code is None and e.now < math.inf]
        if main is not x and not main.blocked and main.now < math.inf:
            rivals.append(main)
        limit, strict = horizon, False
        if rivals:
            nxt = min(rivals, key=lambda e: (e.now, e.pid))
            if nxt.now <= limit:
                limit, strict = nxt.now, x.pid > nxt.pid
        # the container's shells share one CPU: while k of them are busy at the same time,
        # each step of each takes k ticks (10,000 steps per simulated second in all)
        x.rivals = tuple(sorted(e.now for e in rivals))
        x.window = (1 + len(rivals)) * TICK
        x.sys = sys
        before = x.work
        x.go(limit, remaining, strict=strict)
        sys = x.sys
        if x.work == before and x.exit_code is None and not (x.blocked or x.spawned or x.kills):
            break  # nothing can move (never expected; a guard against spinning)
        remaining -= max(x.work - before, 1)
        _add_output(out, size, x.out)
        x.out = []
        for pid, machine in x.spawned:
            jobs.append((pid, Interp(machine, sys)))
        x.spawned = []
        for pid, sig in x.kills:
            _deliver(main, jobs, pid, sig)
        x.kills = []
        for pid, j in jobs:
            if j.exit_code is not None and pid not in main.job_ends:
                main.job_ends = main.job_ends.set(pid, j.now)
                main.job_status = main.job_status.set(pid, j.exit_code)
    if main.exit_code is not None:
        jobs = []  # the container's PID 1 exited: the kernel kills the rest
    for pid, j in jobs:
        if j.exit_code is not None:
            main.job_status = main.job_status.set(pid, j.exit_code)
    main.out = []
    dropped = process.dropped
    while size[0] > OUTPUT_CAP and out:
        dropped += len(out[0][1])
        size[0] -= len(out[0][1])
        out.pop(0)
    new = Process(
        main=main.freeze(),
        jobs=tuple((pid, j.freeze()) for pid, j in jobs if j.exit_code is None),
        output=_merge(out),
        dropped=dropped,
    )
    return new, sys


def _slice_end(until: float) -> float:
    """The end of the time slice *until* falls in (:data:`SLICE`)."""
    if not math.isfinite(until):
        return until
    return max(until, math.ceil(round(until / SLICE, 9)) * SLICE)


def _deliver(main: Interp, jobs: list[tuple[int, Interp]], pid: int, sig: str) -> None:
    target = main if pid == main.pid else next((j for p, j in jobs if p == pid), None)
    if target is None or target.exit_code is not None:
        return
    if sig == "KILL" or (sig not in target.traps and target.pid != 1):
        target.exit_code = 128 + SIGNALS[sig]
        target.stack = []
        return
    target.signals = (*target.signals, sig)


def signal(process: Process, sig: str, *, at: float | None = None) -> Process:
    """*process* after signal *sig* (``TERM``, ``KILL``, ``INT``...) reached its main shell at
    time *at*. A trap runs when the shell next runs: after a foreground ``sleep`` ends (as real
    shells do), or at once when it is blocked in ``wait``. ``KILL`` ends it with 137."""
    name = signal_name(sig)
    if name is None or name == "EXIT" or process.done:
        return process
    m = process.main
    if name == "KILL" or (name not in m.traps and m.pid != 1):
        code = 128 + SIGNALS[name]
        return attrs.evolve(process, main=attrs.evolve(m, exit_code=code, stack=()), jobs=())
    if name not in m.traps:
        return process  # PID 1 ignores a signal it has no handler for
    when = m.now if at is None else at
    if m.stack and isinstance(m.stack[-1], Wait) and name in m.traps:
        m = attrs.evolve(m, stack=m.stack[:-1], status=128 + SIGNALS[name], now=max(when, 0.0))
    return attrs.evolve(process, main=attrs.evolve(m, signals=(*m.signals, name)))


def take_output(process: Process) -> tuple[Process, tuple[tuple[int, str], ...]]:
    """The output written since the last call, as ``(fd, text)`` chunks, and the process
    without it."""
    return attrs.evolve(process, output=(), dropped=0), process.output
