"""File and system programs (private): ``ls``, ``touch``, ``mkdir``, ``rm``, ``cp``, ``mv``,
``basename``, ``dirname``, ``env``, ``id``, ``date``, ``sleep``, ``uname``, ``hostname``,
``curl``/``wget``; busybox's formats and messages."""

from __future__ import annotations

import posixpath
import time
from typing import TYPE_CHECKING

from podmodel.kernel.filesystem import FilesystemError
from podmodel.kubelet.shell._prog import options
from podmodel.kubelet.shell._system import EPOCH

if TYPE_CHECKING:
    from collections.abc import Callable

    from podmodel.kubelet.shell._prog import Prog
    from podmodel.kubelet.shell._system import System

__all__ = ["FILES"]

# ---- files ------------------------------------------------------------------------------


def _ls(p: Prog) -> int:
    opts, paths = options(p.args, "alA1dFR")
    code = 0
    files: list[str] = []
    dirs: list[str] = []
    for name in paths or ["."]:
        full = p.path(name)
        if not p.sys.exists(full):
            p.err.append(f"ls: {name}: No such file or directory\n")
            code = 1
        elif p.sys.is_dir(full) and "d" not in opts:
            dirs.append(name)
        else:
            files.append(name)
    for name in sorted(files):
        p.write(_ls_entry(p, p.path(name), name, "l" in opts))
    for k, name in enumerate(sorted(dirs)):
        if files or len(dirs) > 1:
            p.write(("\n" if files or k else "") + f"{name}:\n")
        full = p.path(name)
        names = list(p.sys.listdir(full))
        if "a" in opts:
            names = [".", "..", *names]
        elif "A" not in opts:
            names = [n for n in names if not n.startswith(".")]
        if "l" in opts:
            p.write("total 0\n")
        for n in names:
            p.write(
                _ls_entry(
                    p, posixpath.join(full, n) if n not in (".", "..") else full, n, "l" in opts
                )
            )
    return code


def _ls_entry(p: Prog, full: str, shown: str, long: bool) -> str:
    if not long:
        return shown + "\n"
    st = p.sys.stat(full)
    kind = "d" if st.kind == "directory" else "-"
    perms = "".join(ch if st.mode & (1 << (8 - k)) else "-" for k, ch in enumerate("rwxrwxrwx"))
    size = 4096 if st.kind == "directory" else st.size
    stamp = time.strftime("%b %e %H:%M", time.gmtime(EPOCH + p.now))
    return f"{kind}{perms}    1 root     root     {size:>8} {stamp} {shown}\n"


def _touch(p: Prog) -> int:
    _, files = options(p.args, "cam")
    code = 0
    for name in files:
        full = p.path(name)
        try:
            if not p.sys.exists(full):
                p.sys = p.sys.write(full, b"")
        except FilesystemError as exc:
            code = p.fail(f"{name}: {exc.strerror}")
    return code


def _mkdir(p: Prog) -> int:
    opts, dirs = options(p.args, "p", "m")
    code = 0
    for name in dirs:
        try:
            p.sys = p.sys.mkdir(p.path(name), parents="p" in opts)
        except FilesystemError as exc:
            code = p.fail(f"can't create directory '{name}': {exc.strerror}")
    return code


def _rm(p: Prog) -> int:
    opts, names = options(p.args, "rRfiv")
    code = 0
    recursive = "r" in opts or "R" in opts
    for name in names:
        full = p.path(name)
        try:
            if p.sys.is_dir(full) and not recursive:
                code = p.fail(f"'{name}' is a directory")
                continue
            p.sys = p.sys.remove(full, recursive=recursive)
        except FilesystemError as exc:
            if "f" in opts and exc.errno == 2:
                continue
            code = p.fail(f"can't remove '{name}': {exc.strerror}")
    return code


def _target(p: Prog, src: str, dst: str, many: bool) -> str:
    full = p.path(dst)
    if many or p.sys.is_dir(full):
        return posixpath.join(full, posixpath.basename(src.rstrip("/")))
    return full


def _cp(p: Prog) -> int:
    opts, names = options(p.args, "rRafp")
    if len(names) < 2:
        return p.fail("missing file operand")
    *srcs, dst = names
    code = 0
    for src in srcs:
        full = p.path(src)
        try:
            if p.sys.is_dir(full):
                if not ("r" in opts or "R" in opts or "a" in opts):
                    code = p.fail(f"omitting directory '{src}'")
                    continue
                p.sys = _copy_tree(p.sys, full, _target(p, src, dst, len(srcs) > 1))
            else:
                data = p.sys.read(full)
                p.sys = p.sys.write(_target(p, src, dst, len(srcs) > 1), data)
        except FilesystemError as exc:
            code = p.fail(
                f"can't stat '{src}': {exc.strerror}"
                if exc.errno == 2
                else f"{src}: {exc.strerror}"
            )
    return code


def _copy_tree(sys: System, src: str, dst: str) -> System:
    if not sys.exists(dst):
        sys = sys.mkdir(dst)
    for name in sys.listdir(src):
        s, d = posixpath.join(src, name), posixpath.join(dst, name)
        sys = _copy_tree(sys, s, d) if sys.is_dir(s) else sys.write(d, sys.read(s))
    return sys


def _mv(p: Prog) -> int:
    _, names = options(p.args, "fin")
    if len(names) < 2:
        return p.fail("missing file operand")
    *srcs, dst = names
    code = 0
    for src in srcs:
        try:
            p.sys = p.sys.rename(p.path(src), _target(p, src, dst, len(srcs) > 1))
        except FilesystemError as exc:
            code = p.fail(f"can't rename '{src}': {exc.strerror}")
    return code


def _basename(p: Prog) -> int:
    if not p.args:
        return p.fail("missing operand")
    name = p.args[0].rstrip("/") or "/"
    base = posixpath.basename(name) or "/"
    if len(p.args) > 1 and base != p.args[1] and base.endswith(p.args[1]):
        base = base[: -len(p.args[1])]
    p.write(base + "\n")
    return 0


def _dirname(p: Prog) -> int:
    if not p.args:
        return p.fail("missing operand")
    name = p.args[0].rstrip("/") or "/"
    d = posixpath.dirname(name).rstrip("/") or ("/" if name.startswith("/") else ".")
    p.write(d + "\n")
    return 0


# ---- the system ----------------------------------------------------------------------------


def _env(p: Prog) -> int:
    names = [a for a in p.args if not a.startswith("-")]
    if p.name == "printenv" and names:
        found = [p.env[n] for n in names if n in p.env]
        p.write("".join(f"{v}\n" for v in found))
        return 0 if len(found) == len(names) else 1
    p.write("".join(f"{k}={v}\n" for k, v in p.env.items()))
    return 0


def _id(p: Prog) -> int:
    uid, user = p.sys.uid, p.sys.user
    if p.name == "whoami" or p.args[:1] == ["-un"]:
        p.write(f"{user}\n")
    elif p.args[:1] == ["-u"]:
        p.write(f"{uid}\n")
    else:
        p.write(f"uid={uid}({user}) gid={uid}({user}) groups={uid}({user})\n")
    return 0


def _date(p: Prog) -> int:
    stamp = time.gmtime(int(EPOCH + p.now))
    fmt = next((a[1:] for a in p.args if a.startswith("+")), "%a %b %e %H:%M:%S UTC %Y")
    fmt = fmt.replace("%s", str(int(EPOCH + p.now))).replace("%N", "000000000")
    p.write(time.strftime(fmt, stamp) + "\n")
    return 0


def _sleep(p: Prog) -> int:
    total = 0.0
    if not p.args:
        return p.fail("missing operand")
    for a in p.args:
        if a in ("inf", "infinity"):
            total = float("inf")
            continue
        unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(a[-1:], 0)
        try:
            total += float(a[:-1] if unit else a) * (unit or 1)
        except ValueError:
            return p.fail(f"invalid number '{a}'")
    p.sleep = total
    return 0


def _uname(p: Prog) -> int:
    opts, _ = options(p.args, "asnrvmpio")
    s = p.sys
    fields = {
        "s": "Linux",
        "n": s.hostname,
        "r": s.kernel_release,
        "v": "#1 SMP PREEMPT_DYNAMIC podmodel",
        "m": s.machine,
        "o": "GNU/Linux",
    }
    keys = "snrvmo" if "a" in opts else "".join(k for k in "snrvmo" if k in opts) or "s"
    p.write(" ".join(fields[k] for k in keys) + "\n")
    return 0


def _hostname(p: Prog) -> int:
    p.write((p.sys.ip if "-i" in p.args else p.sys.hostname) + "\n")
    return 0


def _true(p: Prog) -> int:
    return 0


def _false(p: Prog) -> int:
    return 1


FILES: dict[str, Callable[[Prog], int]] = {
    "ls": _ls,
    "touch": _touch,
    "mkdir": _mkdir,
    "rm": _rm,
    "cp": _cp,
    "mv": _mv,
    "basename": _basename,
    "dirname": _dirname,
    "env": _env,
    "printenv": _env,
    "id": _id,
    "whoami": _id,
    "date": _date,
    "sleep": _sleep,
    "uname": _uname,
    "hostname": _hostname,
    "true": _true,
    "false": _false,
}
