"""The shell's built-in commands (private): they change the shell itself (variables, options,
traps, the working directory, control flow), so they run inside it rather than as programs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from podmodel.kernel.filesystem import FilesystemError
from podmodel.kubelet.shell._parser import ShellSyntaxError, parse
from podmodel.kubelet.shell._printf import expr, printf
from podmodel.kubelet.shell._state import (
    LOOP_FRAMES,
    ForNext,
    FuncDone,
    LoopBody,
    LoopCond,
    Run,
    Wait,
)
from podmodel.kubelet.shell._test import run_test

if TYPE_CHECKING:
    from collections.abc import Callable

    from podmodel.kubelet.shell._core import Exec

__all__ = ["BUILTINS", "SIGNALS", "signal_name"]

SIGNALS = {"HUP": 1, "INT": 2, "QUIT": 3, "KILL": 9, "USR1": 10, "USR2": 12, "TERM": 15}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def signal_name(text: str) -> str | None:
    """``TERM``, ``SIGTERM``, ``15`` -> ``TERM``; ``EXIT``/``0`` -> ``EXIT``."""
    t = text.upper().removeprefix("SIG")
    if t in ("EXIT", "0"):
        return "EXIT"
    if t in SIGNALS:
        return t
    for k, v in SIGNALS.items():
        if t == str(v):
            return k
    return None


def _colon(ex: Exec, args: list[str]) -> int:
    return 0


def _false(ex: Exec, args: list[str]) -> int:
    return 1


def _echo(ex: Exec, args: list[str]) -> int:
    from podmodel.kubelet.shell._programs import PROGRAMS, Prog

    p = Prog(["echo", *args], stdin=None, env={}, cwd=ex.cwd, sys=ex.sys, now=ex.now)
    PROGRAMS["echo"](p)
    ex.emit(1, "".join(p.out))
    return 0


def _printf(ex: Exec, args: list[str]) -> int:
    if not args:
        ex.emit(2, "printf: usage: printf FORMAT [ARGUMENT...]\n")
        return 2
    chunks, code = printf(args[0], args[1:])
    for fd, text in chunks:
        ex.emit(fd, text)
    return code


def _expr(ex: Exec, args: list[str]) -> int:
    out, err, code = expr(args)
    ex.emit(1, out)
    ex.emit(2, err)
    return code


def _pwd(ex: Exec, args: list[str]) -> int:
    ex.emit(1, ex.cwd + "\n")
    return 0


def _cd(ex: Exec, args: list[str]) -> int:
    args = [a for a in args if a not in ("-L", "-P")]
    target = args[0] if args else (ex.getvar("HOME") or "/")
    if target == "-":
        target = ex.getvar("OLDPWD") or ex.cwd
        ex.emit(1, target + "\n")
    path = ex.path(target)
    if not ex.sys.is_dir(path):
        why = "Not a directory" if ex.sys.exists(path) else "No such file or directory"
        ex.error(f"cd: can't cd to {target}: {why}")
        return 1
    ex.setvar("OLDPWD", ex.cwd)
    ex.cwd = path
    ex.setvar("PWD", path)
    return 0


def _assign_args(ex: Exec, args: list[str], export: bool) -> int:
    code = 0
    for a in args:
        if a.startswith("-"):
            if a == "-p":
                for k in sorted(ex.exported):
                    if k in ex.vars:
                        ex.emit(1, f"export {k}={_quote(ex.vars[k])}\n")
            continue
        name, eq, value = a.partition("=")
        if not _NAME.fullmatch(name):
            ex.error(f"export: {name}: bad variable name")
            code = 1
            continue
        if eq:
            ex.setvar(name, value)
        if export:
            ex.exported = ex.exported | {name}
    return code


def _export(ex: Exec, args: list[str]) -> int:
    return _assign_args(ex, args, True)


def _readonly(ex: Exec, args: list[str]) -> int:
    return _assign_args(ex, args, False)


def _local(ex: Exec, args: list[str]) -> int:
    k = next(
        (i for i in range(len(ex.stack) - 1, -1, -1) if isinstance(ex.stack[i], FuncDone)), None
    )
    if k is None:
        ex.error("local: not in a function")
        return 1
    frame = ex.stack[k]
    assert isinstance(frame, FuncDone)
    saved = list(frame.saved)
    for a in args:
        name, eq, value = a.partition("=")
        if all(n != name for n, _ in saved):
            saved.append((name, ex.vars.get(name)))
        if eq:
            ex.setvar(name, value)
    ex.stack[k] = FuncDone(frame.positional, tuple(saved))
    return 0


def _quote(v: str) -> str:
    return "'" + v.replace("'", "'\"'\"'") + "'"


def _unset(ex: Exec, args: list[str]) -> int:
    funcs = "-f" in args
    for name in (a for a in args if not a.startswith("-")):
        if funcs:
            ex.funcs = ex.funcs.delete(name)
        else:
            ex.vars = ex.vars.delete(name)
            ex.exported = ex.exported - {name}
    return 0


_LONG = {"errexit": "e", "nounset": "u", "xtrace": "x", "allexport": "a", "noglob": "f"}


def _set(ex: Exec, args: list[str]) -> int:
    if not args:
        for k in sorted(ex.vars):
            ex.emit(1, f"{k}={_quote(ex.vars[k])}\n")
        return 0
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            ex.positional = tuple(args[i + 1 :])
            return 0
        if a in ("-o", "+o") and i + 1 < len(args):
            flag = _LONG.get(args[i + 1])
            if flag is None:
                ex.error(f"set: illegal option -o {args[i + 1]}")
                return 1
            ex.opts = ex.opts | {flag} if a == "-o" else ex.opts - {flag}
            i += 2
            continue
        if len(a) > 1 and a[0] in "-+":
            for c in a[1:]:
                if c not in "euxafvnC":
                    ex.error(f"set: illegal option -{c}")
                    return 2
                ex.opts = ex.opts | {c} if a[0] == "-" else ex.opts - {c}
            i += 1
            continue
        ex.positional = tuple(args[i:])
        return 0
    return 0


def _shift(ex: Exec, args: list[str]) -> int:
    try:
        n = int(args[0]) if args else 1
    except ValueError:
        ex.error(f"shift: Illegal number: {args[0]}")
        return 2
    if n > len(ex.positional) or n < 0:
        return 1  # busybox fails quietly
    ex.positional = ex.positional[n:]
    return 0


def _read(ex: Exec, args: list[str]) -> int:
    raw = False
    names: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-r":
            raw = True
        elif a == "-p" and i + 1 < len(args):
            i += 1
        elif a.startswith("-"):
            pass
        else:
            names.append(a)
        i += 1
    names = names or ["REPLY"]
    text = ""
    eof = False
    while True:
        line = ex.read_input(line=True)
        if line is None:
            eof = True
            break
        if line.endswith("\n"):
            line = line[:-1]
        else:
            eof = True
        if not raw and line.endswith("\\") and not line.endswith("\\\\") and not eof:
            text += line[:-1]
            continue
        text += line
        break
    if not raw:
        text = re.sub(r"\\(.)", r"\1", text)
    ifs = ex.getvar("IFS")
    ifs = " \t\n" if ifs is None else ifs
    ws = "".join(c for c in ifs if c in " \t\n")
    text = text.strip(ws) if ws else text
    values: list[str] = []
    rest = text
    for k, _ in enumerate(names):
        if k == len(names) - 1:
            values.append(rest.rstrip(ws) if ws else rest)
            break
        m = re.search("[" + re.escape(ifs) + "]", rest) if ifs else None
        if m is None:
            values.append(rest)
            rest = ""
            continue
        values.append(rest[: m.start()])
        rest = rest[m.end() :].lstrip(ws) if ws else rest[m.end() :]
        if m.group() in ws and rest[:1] and rest[0] in ifs and rest[0] not in ws:
            rest = rest[1:].lstrip(ws)
    for name, value in zip(names, values + [""] * len(names), strict=False):
        ex.setvar(name, value)
    return 1 if eof and not text else 0


def _eval(ex: Exec, args: list[str]) -> int:
    src = " ".join(args)
    try:
        node = parse(src)
    except ShellSyntaxError as exc:
        ex.emit(2, f"{exc}\n")
        return 2
    ex.stack.append(Run(node))
    return 0


def _source(ex: Exec, args: list[str]) -> int:
    if not args:
        ex.error(".: filename argument required")
        return 2
    try:
        src = ex.sys.read(ex.path(args[0])).decode("utf-8", "surrogateescape")
    except FilesystemError:
        ex.error(f".: can't open '{args[0]}'")
        return 2
    return _eval(ex, [src])


def _number(ex: Exec, args: list[str], default: int, what: str) -> int | None:
    if not args:
        return default
    try:
        return int(args[0])
    except ValueError:
        ex.error(f"{what}: Illegal number: {args[0]}")
        return None


def _exit(ex: Exec, args: list[str]) -> int:
    n = _number(ex, args, ex.status, "exit")
    ex.do_exit(2 if n is None else n)
    return ex.status if ex.exit_code is None else ex.exit_code


def _return(ex: Exec, args: list[str]) -> int:
    n = _number(ex, args, ex.status, "return")
    code = 2 if n is None else n & 255
    if not any(isinstance(f, FuncDone) for f in ex.stack):
        ex.do_exit(code)
        return code
    ex.unwind(lambda f: isinstance(f, FuncDone))
    ex.checked(code)
    return code


def _break(ex: Exec, args: list[str], *, again: bool = False) -> int:
    n = _number(ex, args, 1, "continue" if again else "break")
    if n is None or n < 1:
        return 1
    depth = sum(1 for f in ex.stack if isinstance(f, (LoopBody, ForNext, LoopCond)))
    if depth == 0:
        return 0
    n = min(n, depth)
    for k in range(n):
        f = ex.unwind(lambda f: isinstance(f, LOOP_FRAMES))
        if k == n - 1 and again and f is not None:
            if isinstance(f, ForNext):
                ex.stack.append(f)
            else:
                assert isinstance(f, (LoopBody, LoopCond))
                ex.stack.append(LoopBody(f.node))
    return 0


def _continue(ex: Exec, args: list[str]) -> int:
    return _break(ex, args, again=True)


def _trap(ex: Exec, args: list[str]) -> int:
    if not args:
        for k in sorted(ex.traps):
            ex.emit(1, f"trap -- {_quote(ex.traps[k])} {k}\n")
        return 0
    if len(args) == 1 or (signal_name(args[0]) is not None and args[0] != "-" and len(args) == 1):
        action, sigs = "-", args
    else:
        action, sigs = args[0], args[1:]
    code = 0
    for s in sigs:
        name = signal_name(s)
        if name is None:
            ex.error(f"trap: {s}: invalid signal specification")
            code = 1
            continue
        ex.traps = ex.traps.delete(name) if action == "-" else ex.traps.set(name, action)
    return code


def _wait(ex: Exec, args: list[str]) -> int:
    pids = []
    for a in args:
        if not a.isdigit():
            ex.error(
                f"wait: {a}: bad number" if not a.startswith("%") else f"wait: {a}: no such job"
            )
            return 2
        pids.append(int(a))
    ex.stack.append(Wait(tuple(pids)))
    return 0


def _kill(ex: Exec, args: list[str]) -> int:
    sig = "TERM"
    if args[:1] == ["-l"]:
        ex.emit(1, " ".join(SIGNALS) + "\n")
        return 0
    if args[:1] == ["-s"] and len(args) > 1:
        sig, args = args[1], args[2:]
    elif args and args[0].startswith("-") and len(args[0]) > 1:
        sig, args = args[0][1:], args[1:]
    name = signal_name(sig)
    if name is None or name == "EXIT":
        ex.error(f"kill: bad signal name '{sig}'")
        return 1
    if not args:
        ex.error("kill: usage: kill [-s SIGNAL | -SIGNAL] PID...")
        return 1
    code = 0
    for a in args:
        if not a.lstrip("-").isdigit():
            ex.error(f"kill: invalid number '{a}'")
            code = 1
            continue
        pid = int(a)
        if pid == ex.pid or pid in ex.live:
            ex.kills.append((pid, name))
        else:
            ex.error(f"kill: can't kill pid {pid}: No such process")
            code = 1
    return code


def _command(ex: Exec, args: list[str]) -> int:
    from podmodel.kubelet.shell._programs import PROGRAMS

    if args[:1] == ["-v"]:
        code = 1
        for name in args[1:]:
            if name in BUILTINS or name in ex.funcs:
                ex.emit(1, name + "\n")
                code = 0
            elif name in PROGRAMS and ex.sys.has(name):
                ex.emit(1, f"/bin/{name}\n")
                code = 0
            elif ex.sys.image is not None and name in ex.sys.image.names:
                ex.emit(1, f"/usr/sbin/{name}\n")
                code = 0
        return code
    return 0


def _umask(ex: Exec, args: list[str]) -> int:
    if not args:
        ex.emit(1, "0022\n")
    return 0


BUILTINS: dict[str, Callable[[Exec, list[str]], int]] = {
    ":": _colon,
    "true": _colon,
    "false": _false,
    "echo": _echo,
    "printf": _printf,
    "expr": _expr,
    "pwd": _pwd,
    "cd": _cd,
    "export": _export,
    "readonly": _readonly,
    "local": _local,
    "unset": _unset,
    "set": _set,
    "shift": _shift,
    "read": _read,
    "eval": _eval,
    ".": _source,
    "source": _source,
    "exit": _exit,
    "return": _return,
    "break": _break,
    "continue": _continue,
    "trap": _trap,
    "wait": _wait,
    "kill": _kill,
    "command": _command,
    "umask": _umask,
    "test": lambda ex, args: run_test(ex, args, bracket=False),
    "[": lambda ex, args: run_test(ex, args, bracket=True),
}
