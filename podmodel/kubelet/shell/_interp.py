"""The interpreter (private): one step at a time over the frames of a :class:`~._state.Machine`.

Every step pops one frame and does a bounded piece of work (a simple command, a loop test, the
choice of a branch), pushing the frames that continue it. Command substitutions and pipeline
stages run to completion inside the step that needs them (as real subshells would, with their
own time on the clock). :class:`Interp` is the mutable working copy used only inside one call.
"""

from __future__ import annotations

import math
import posixpath
from functools import partial
from typing import TYPE_CHECKING, Any

from podmodel.kernel.filesystem import FilesystemError
from podmodel.kubelet.shell._ast import (
    AndOr,
    Background,
    Brace,
    Case,
    For,
    FuncDef,
    If,
    Node,
    Pipeline,
    Seq,
    Simple,
    Subshell,
    While,
)
from podmodel.kubelet.shell._builtins import BUILTINS, SIGNALS
from podmodel.kubelet.shell._core import MAX_JOBS, NESTED_WORK, PIPE_CAP, TICK, Exec, _text
from podmodel.kubelet.shell._expand import (
    ExpandError,
    expand_fields,
    expand_text,
    match_pattern,
    pattern_of,
)
from podmodel.kubelet.shell._image import run_image_program
from podmodel.kubelet.shell._parser import ShellSyntaxError, parse
from podmodel.kubelet.shell._programs import PROGRAMS, Prog
from podmodel.kubelet.shell._state import (
    CAPTURE,
    AndOrNext,
    Finish,
    Follow,
    ForNext,
    FuncDone,
    IfNext,
    LoopBody,
    LoopCond,
    Machine,
    Negate,
    RestoreFds,
    Run,
    Scope,
    SeqNext,
    SubshellDone,
    Target,
    TrapDone,
    Wait,
)
from podmodel.model._pmap import PMap

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["MAX_DEPTH", "MAX_FRAMES", "Interp"]

#: Nested command substitutions deeper than this fail (``sh: too deeply nested``).
MAX_DEPTH = 40
#: Frames on one shell's stack (function recursion) before it fails.
MAX_FRAMES = 20_000
_SHELLS = frozenset(("sh", "ash", "bash", "dash"))
_SPECIAL = frozenset(
    (":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return",
     "set", "shift", "times", "trap", "unset")
)  # fmt: skip


class Interp(Exec):
    """A shell running: :meth:`go` executes steps."""

    def go(self, until: float, budget: int, *, strict: bool = False) -> None:
        """Run until the shell exits, its clock passes *until* (reaches it, if *strict*),
        *budget* steps are spent, it blocks in ``wait``, or it has started a job or sent a
        signal (so that the scheduler sees them)."""
        frames = _FRAMES
        used = 0
        rivals, window, near = self.rivals, self.window, 0
        while self.exit_code is None:
            if self.now > until or (strict and self.now >= until) or used >= budget:
                return
            if self.now == math.inf:  # sleep infinity: never wakes up
                return
            if self.blocked or self.kills or self.spawned:
                return
            top = self.stack[-1] if self.stack else None
            if type(top) is Wait and any(p in self.live for p in (top.pids or self.live)):
                self.blocked = True  # wait: until the scheduler sees those jobs end
                return
            if self.signals:
                self.take_signal()
                continue
            if not self.stack:
                self.do_exit(self.status)
                continue
            if self.nested and self.captured > PIPE_CAP:
                self.exit_code = 141
                return
            frame = self.stack.pop()
            used += 1
            self.work += 1
            if rivals:  # other shells as close in time share the CPU
                while near < len(rivals) and rivals[near] <= self.now + window:
                    near += 1
                self.now += TICK * (1 + near)
            else:
                self.now += TICK
            try:
                frames[type(frame)](self, frame)
            except ExpandError as exc:
                self.error(str(exc))
                self.do_exit(exc.status)
            except RecursionError:  # a script nesting deeper than Python allows
                self.error("recursion too deep")
                self.do_exit(2)
            if len(self.stack) > MAX_FRAMES:
                self.error("stack overflow (too many nested calls)")
                self.do_exit(2)

    def take_signal(self) -> None:
        sig, self.signals = self.signals[0], self.signals[1:]
        action = self.traps.get(sig)
        if action == "":
            return
        if action is None:
            if self.pid != 1:  # PID 1 ignores signals it has no handler for
                self.exit_code = 128 + SIGNALS[sig]
                self.stack = []
            return
        try:
            body = parse(action)
        except ShellSyntaxError as exc:
            self.emit(2, f"{exc}\n")
            return
        self.stack.append(TrapDone(self.status))
        self.stack.append(Run(body))

    # ---- frames ----

    def f_run(self, f: Run) -> None:
        node = f.node
        if type(node) is Simple:
            self.simple(node)
            return
        redirects = getattr(node, "redirects", ())
        if redirects:
            old = self.fds
            if not self.redirect(redirects):
                self.fds = old
                if type(node) is Subshell:
                    # ash opens a subshell's redirections in the child, which exits 2
                    self.checked(2)
                else:
                    # ash's redirected group, loop, if or case: $? is 1, and set -e does not
                    # look (it checks only commands, subshells and pipelines)
                    self.status = 1
                return
            self.stack.append(RestoreFds(old))
        _NODES[type(node)](self, node)

    def enter(self, node: Node) -> None:
        """Run *node* now if it is a simple command (one step), else schedule it."""
        if type(node) is Simple:
            self.simple(node)
        else:
            self.stack.append(Run(node))

    def f_seq(self, f: SeqNext) -> None:
        if f.i + 1 < len(f.items):
            self.stack.append(SeqNext(f.items, f.i + 1))
        self.enter(f.items[f.i])

    def f_andor(self, f: AndOrNext) -> None:
        op, node = f.rest[f.i]
        go_on = (self.status == 0) == (op == "&&")
        last = f.i + 1 == len(f.rest)
        if not last:
            self.stack.append(AndOrNext(f.rest, f.i + 1, f.cond))
        else:
            self.cond = f.cond
        if go_on:
            self.stack.append(Run(node))

    def f_negate(self, f: Negate) -> None:
        self.cond = f.cond
        self.status = 0 if self.status else 1

    def f_if(self, f: IfNext) -> None:
        self.cond = f.cond
        node = f.node
        if self.status == 0:
            self.stack.append(Run(node.branches[f.k][1]))
        elif f.k + 1 < len(node.branches):
            self.stack.append(IfNext(node, f.k + 1, f.cond))
            self.cond += 1
            self.stack.append(Run(node.branches[f.k + 1][0]))
        elif node.orelse is not None:
            self.stack.append(Run(node.orelse))
        else:
            self.status = 0

    def f_loop_cond(self, f: LoopCond) -> None:
        self.cond = f.cond
        if (self.status == 0) != f.node.until:
            self.stack.append(LoopBody(f.node))
            self.enter(f.node.body)
        else:
            self.status = f.last

    def f_loop_body(self, f: LoopBody) -> None:
        self.stack.append(LoopCond(f.node, self.cond, self.status))
        self.cond += 1
        self.enter(f.node.cond)

    def f_for(self, f: ForNext) -> None:
        if f.i < len(f.items):
            self.setvar(f.node.name, f.items[f.i])
            self.stack.append(ForNext(f.node, f.items, f.i + 1))
            self.enter(f.node.body)
        elif not f.items:
            self.status = 0

    def f_func_done(self, f: FuncDone) -> None:
        self.leave(f)
        self.checked(self.status)  # set -e sees the call fail

    def f_restore(self, f: RestoreFds) -> None:
        self.fds = f.fds

    def f_subshell_done(self, f: SubshellDone) -> None:
        self.restore(f.scope)
        self.checked(self.status)

    def f_trap_done(self, f: TrapDone) -> None:
        self.status = f.status

    def f_finish(self, f: Finish) -> None:
        self.exit_code = self.status if f.code is None else f.code
        self.stack = []

    def f_follow(self, f: Follow) -> None:
        """One read of ``tail -f``: what the file gained since the last (all of it again when
        it was truncated), then sleep until the next."""
        try:
            data = self.sys.read(f.path)
        except FilesystemError:
            data = b""  # removed: tail keeps its descriptor on the old file, which stays still
        offset = 0 if len(data) < f.offset else f.offset
        text = _text(data[offset:])
        if text and f.rest is None:
            self.emit(1, text)
        elif text and f.rest is not None:
            fds = self.child_fds()
            fds[0] = Target("input", data=text)
            child = self.child(f.rest, fds, self.now)
            self.merge(child)
            self.now = max(self.now, child.now)
        self.stack.append(Follow(f.path, len(data), f.interval, f.rest))
        self.now += f.interval

    def f_wait(self, f: Wait) -> None:
        if f.pids:
            self.status = self.job_status.get(f.pids[-1], 127)
        else:
            self.status = 0

    # ---- nodes ----

    def n_seq(self, node: Seq) -> None:
        if len(node.items) > 1:
            self.stack.append(SeqNext(node.items, 1))
        if node.items:
            self.stack.append(Run(node.items[0]))

    def n_andor(self, node: AndOr) -> None:
        self.stack.append(AndOrNext(node.rest, 0, self.cond))
        self.cond += 1
        self.stack.append(Run(node.first))

    def n_pipeline(self, node: Pipeline) -> None:
        if len(node.commands) == 1:
            self.stack.append(Negate(self.cond))
            self.cond += 1
            self.stack.append(Run(node.commands[0]))
            return
        start, end = self.now, self.now
        data: str | None = None
        status = 0
        last = len(node.commands) - 1
        follow = None
        for k, cmd in enumerate(node.commands):
            fds = self.child_fds()
            if data is not None:
                fds[0] = Target("input", data=data)
            if k < last:
                fds[1] = CAPTURE
            child = self.child(cmd, fds, start)
            data, status = self.merge(child)
            end = max(end, child.now)
            if k == 0 and child.follow is not None and not self.nested:
                follow = child.follow
        self.now = end
        if follow is not None:  # tail -f | ...: the later stages see each new piece of the file
            path, offset, interval = follow
            self.stack.append(Follow(path, offset, interval, Pipeline(node.commands[1:])))
            self.now += interval
            return
        if node.negate:
            self.status = 0 if status else 1
        else:
            self.checked(status)

    def n_background(self, node: Background) -> None:
        if self.nested or not self.main:
            self.stack.append(Run(node.body))  # no job control here: run it in place
            return
        if len(self.live) + len(self.spawned) >= MAX_JOBS:
            # the pids cgroup is full: fork() fails, and ash gives up (an error: status 2)
            self.error("can't fork: Resource temporarily unavailable")
            self.do_exit(2)
            return
        pid = self.next_pid
        self.next_pid += 1
        fds = (Target("input"), *self.fds[1:])
        job = Machine(
            stack=(Run(node.body),),
            vars=self.vars,
            exported=self.exported,
            funcs=self.funcs,
            positional=self.positional,
            name=self.name,
            cwd=self.cwd,
            opts=self.opts,
            fds=fds,
            now=self.now,
            pid=pid,
            main=False,
        )
        self.spawned.append((pid, job))
        self.live = self.live | {pid}
        self.last_bg = pid
        self.status = 0

    def n_brace(self, node: Brace) -> None:
        self.stack.append(Run(node.body))

    def scope(self) -> Scope:
        return Scope(
            vars=self.vars,
            exported=self.exported,
            funcs=self.funcs,
            positional=self.positional,
            cwd=self.cwd,
            traps=self.traps,
            opts=self.opts,
            fds=self.fds,
            cond=self.cond,
        )

    def n_subshell(self, node: Subshell) -> None:
        self.stack.append(SubshellDone(self.scope()))
        self.traps = PMap({k: v for k, v in self.traps.items() if v == ""})
        self.stack.append(Run(node.body))

    def n_if(self, node: If) -> None:
        self.stack.append(IfNext(node, 0, self.cond))
        self.cond += 1
        self.stack.append(Run(node.branches[0][0]))

    def n_while(self, node: While) -> None:
        self.stack.append(LoopCond(node, self.cond, 0))
        self.cond += 1
        self.stack.append(Run(node.cond))

    def n_for(self, node: For) -> None:
        items = self.positional if node.words is None else tuple(expand_fields(self, node.words))
        self.stack.append(ForNext(node, items, 0))

    def n_case(self, node: Case) -> None:
        value = expand_text(self, node.word)
        for item in node.items:
            for pat in item.patterns:
                if match_pattern(pattern_of(self, pat), value):
                    if item.body is None:
                        self.status = 0
                    else:
                        self.stack.append(Run(item.body))
                    return
        self.status = 0

    def n_funcdef(self, node: FuncDef) -> None:
        self.funcs = self.funcs.set(node.name, node.body)
        self.status = 0

    # ---- simple commands ----

    def simple(self, node: Simple) -> None:
        self.sub_status = -1
        if not node.words:
            # redirections first, then the assignments (their errors go where fd 2 now goes)
            old = self.fds
            ok = self.redirect(node.redirects) if node.redirects else True
            status = 1
            if ok:
                assigned = [(a.name, expand_text(self, a.value)) for a in node.assigns]
                if "x" in self.opts and assigned:
                    self.emit(2, "+ " + " ".join(f"{k}={v}" for k, v in assigned) + "\n")
                for k, v in assigned:
                    self.setvar(k, v)
                status = max(self.sub_status, 0)
            self.fds = old
            self.checked(status)
            return
        words = expand_fields(self, node.words)
        assigns = [(a.name, expand_text(self, a.value)) for a in node.assigns]
        if "x" in self.opts:
            shown = [f"{k}={v}" for k, v in assigns] + words
            self.emit(2, "+ " + " ".join(shown) + "\n")
        if not words:
            for k, v in assigns:
                self.setvar(k, v)
            status = max(self.sub_status, 0)
            if node.redirects:
                old = self.fds
                ok = self.redirect(node.redirects)
                self.fds = old
                status = status if ok else 1
            self.checked(status)
            return
        name = words[0]
        old = self.fds
        if node.redirects and not self.redirect(node.redirects):
            self.fds = old
            if name in _SPECIAL:  # a special built-in's error ends a non-interactive shell
                self.do_exit(1)
            else:
                self.checked(1)
            return
        if name == "exec":
            if len(words) == 1:
                self.status = 0  # the redirections stay
                return
            words = words[1:]
            name = words[0]
            self.stack.append(Finish(None))  # the shell ends with the command's status
        func = self.funcs.get(name)
        if func is not None:
            for k, v in assigns:
                self.setvar(k, v)
            if node.redirects:
                self.stack.append(RestoreFds(old))
            self.stack.append(FuncDone(self.positional))
            self.positional = tuple(words[1:])
            self.stack.append(Run(func))
            return
        builtin = BUILTINS.get(name)
        if node.redirects:
            self.stack.append(RestoreFds(old))
        if builtin is not None:
            for k, v in assigns:
                self.setvar(k, v)
            status = builtin(self, words[1:])
            if name in ("exit", "return", "break", "continue", "wait", "eval", ".", "source"):
                self.status = status
            else:
                self.checked(status)
        else:
            self.program(words, assigns)

    def program(self, words: list[str], assigns: list[tuple[str, str]]) -> None:
        name = words[0]
        base = posixpath.basename(name)
        if base in _SHELLS and self.sys.has(base):
            self.shell(words)
            return
        image = self.sys.image
        fn = PROGRAMS.get(base)
        if image is not None and base in image.names:
            fn = partial(run_image_program, image=image)
        if fn is None or not self.sys.has(base):
            if "/" in name and self.sys.exists(self.path(name)):
                self.shell(["sh", *words])
                return
            self.error(f"{name}: not found")
            self.checked(127)
            return
        env = self.environ()
        env.update(assigns)
        t = self.fds[0]
        stdin = t.data[t.pos :] if t is not None and t.kind == "input" else None
        if t is not None and t.kind == "file":
            try:
                stdin = _text(self.sys.read(t.path))
            except FilesystemError:
                stdin = ""
        p = Prog(words, stdin=stdin, env=env, cwd=self.cwd, sys=self.sys, now=self.now)
        status = fn(p)
        self.sys = p.sys
        if p.used_stdin and t is not None and t.kind == "input":
            self.fds = (Target("input", data=t.data, pos=len(t.data)), *self.fds[1:])
        self.write_error = None
        self.emit(1, "".join(p.out))
        if self.write_error is not None:  # the program's own write failed: it says so
            p.err.append(f"{p.name}: write error: {self.write_error}\n")
            status = status or 1
        self.emit(2, "".join(p.err))
        self.now += p.sleep
        if p.follow is not None:
            if self.nested:
                self.follow = p.follow  # the pipeline that ran it follows the file
            else:
                path, offset, interval = p.follow
                self.stack.append(Follow(path, offset, interval))
                self.now += interval
                return
        self.checked(status)

    def shell(self, words: list[str]) -> None:
        """``sh -c SCRIPT [NAME ARGS...]`` or ``sh FILE ARGS...``: a new shell, run in place."""
        args = words[1:]
        while args and args[0] in ("-e", "-x", "-u", "-eu", "-ex"):
            args = args[1:]
        if args[:1] == ["-c"] and len(args) > 1:
            src, name, positional = args[1], (args[2] if len(args) > 2 else "sh"), args[3:]
        elif args:
            try:
                src = _text(self.sys.read(self.path(args[0])))
            except FilesystemError:
                self.error(f"can't open '{args[0]}': No such file or directory")
                self.checked(2)
                return
            name, positional = args[0], args[1:]
        else:
            self.checked(0)
            return
        try:
            body = parse(src)
        except ShellSyntaxError as exc:
            self.emit(2, f"{exc}\n")
            self.checked(2)
            return
        self.stack.append(SubshellDone(self.scope()))
        self.vars = PMap({k: v for k, v in self.vars.items() if k in self.exported})
        self.funcs = PMap()
        self.traps = PMap()
        self.opts = frozenset()
        self.cond = 0
        self.positional = tuple(positional)
        del name
        self.stack.append(Run(body))

    # ---- subshells run to completion ----

    def child_fds(self) -> list[Target | None]:
        """The parent's descriptors as a child sees them (its streams pass through)."""
        return [
            Target("stream", t.n + 10) if t is not None and t.kind == "stream" else t
            for t in self.fds
        ]

    def child(self, node: Node, fds: list[Target | None], now: float) -> Interp:
        c = Interp.__new__(Interp)
        c.__dict__.update(self.__dict__)
        c.stack = [Run(node)]
        c.fds = tuple(fds)
        c.out = []
        c.out_size = 0
        c.traps = PMap()
        c.exit_code = None
        c.exiting = False
        c.signals = ()
        c.spawned = []
        c.kills = []
        c.captured = 0
        c.nested = True
        c.blocked = False
        c.cond = 0
        c.follow = None
        c.rivals = ()
        c.now = now
        c.depth = self.depth + 1
        if c.depth > MAX_DEPTH:
            c.error("too deeply nested")
            c.exit_code = 2
            return c
        c.go(math.inf, NESTED_WORK)
        if c.exit_code is None:
            c.exit_code = 141 if c.captured > PIPE_CAP else 137
        return c

    def merge(self, c: Interp) -> tuple[str, int]:
        """Take a finished child's file system and output; return what it captured."""
        self.sys = c.sys
        self.work = c.work
        captured: list[str] = []
        for n, text in c.out:
            if n == 3:
                captured.append(text)
            elif n >= 10:
                self.write_to(Target("stream", n - 10), text)
        return "".join(captured), c.exit_code or 0

    def cmdsub(self, node: Node) -> str:
        fds = self.child_fds()
        fds[1] = CAPTURE
        c = self.child(node, fds, self.now)
        text, status = self.merge(c)
        self.now = c.now
        self.sub_status = status
        self.status = status
        return text


_FRAMES: dict[type, Callable[[Interp, Any], None]] = {
    Run: Interp.f_run,
    SeqNext: Interp.f_seq,
    AndOrNext: Interp.f_andor,
    Negate: Interp.f_negate,
    IfNext: Interp.f_if,
    LoopCond: Interp.f_loop_cond,
    LoopBody: Interp.f_loop_body,
    ForNext: Interp.f_for,
    FuncDone: Interp.f_func_done,
    RestoreFds: Interp.f_restore,
    SubshellDone: Interp.f_subshell_done,
    TrapDone: Interp.f_trap_done,
    Finish: Interp.f_finish,
    Wait: Interp.f_wait,
    Follow: Interp.f_follow,
}
_NODES: dict[type, Callable[[Interp, Any], None]] = {
    Seq: Interp.n_seq,
    AndOr: Interp.n_andor,
    Pipeline: Interp.n_pipeline,
    Background: Interp.n_background,
    Brace: Interp.n_brace,
    Subshell: Interp.n_subshell,
    If: Interp.n_if,
    While: Interp.n_while,
    For: Interp.n_for,
    Case: Interp.n_case,
    FuncDef: Interp.n_funcdef,
}
