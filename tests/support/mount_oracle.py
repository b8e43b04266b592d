"""Run file operations through real bind mounts (used by test_against_mounts.py).

Started as ``unshare -m --propagation private python tests/support/mount_oracle.py BASE``; reads one JSON
list of operations per line and answers one JSON object per line: each operation's outcome
(``"ok"`` or an errno name) and a snapshot of what each container sees. For every sequence it
mounts a fresh tmpfs on BASE and builds this layout with bind mounts (parents first):

    c1: /data <- vol                      (the image's /data/image-file is covered)
    c2: /mnt <- vol2, /mnt/logs <- vol    (the mount point is made inside vol2)
    c3: /ro <- vol (read-only), /sub <- vol/dir (a subPath)
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import sys
from typing import Any

libc = ctypes.CDLL("libc.so.6", use_errno=True)
MS_RDONLY, MS_REMOUNT, MS_BIND = 1, 32, 4096
MNT_DETACH = 2


def _mount(
    src: str | None, dst: str, fstype: str | None, flags: int, data: str | None = None
) -> None:
    if (
        libc.mount(
            src and src.encode(),
            dst.encode(),
            fstype and fstype.encode(),
            flags,
            data and data.encode(),
        )
        != 0
    ):
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), dst)


def setup(base: str) -> None:
    _mount("tmpfs", base, "tmpfs", 0, "size=16m")
    for d in ("vol/dir", "vol2", "c1/data", "c2/mnt", "c3/ro", "c3/sub"):
        os.makedirs(f"{base}/{d}")
    for c in ("c1", "c2", "c3"):
        with open(f"{base}/{c}/private", "w") as fh:
            fh.write(c)
    with open(f"{base}/c1/data/image-file", "w") as fh:
        fh.write("from the image")
    _mount(f"{base}/vol", f"{base}/c1/data", None, MS_BIND)
    _mount(f"{base}/vol2", f"{base}/c2/mnt", None, MS_BIND)
    os.makedirs(f"{base}/c2/mnt/logs", exist_ok=True)
    _mount(f"{base}/vol", f"{base}/c2/mnt/logs", None, MS_BIND)
    _mount(f"{base}/vol", f"{base}/c3/ro", None, MS_BIND)
    _mount(None, f"{base}/c3/ro", None, MS_BIND | MS_REMOUNT | MS_RDONLY)
    _mount(f"{base}/vol/dir", f"{base}/c3/sub", None, MS_BIND)


def run(base: str, ops: list[dict[str, Any]]) -> dict[str, Any]:
    setup(base)
    out = []
    for op in ops:
        path = f"{base}/{op['c']}{op['path']}"
        try:
            if op["op"] == "write":
                with open(path, "ab" if op["append"] else "wb") as fh:
                    fh.write(op["data"].encode())
            elif op["op"] == "mkdir":
                os.mkdir(path)
            elif op["op"] == "delete":
                (os.rmdir if os.path.isdir(path) and not os.path.islink(path) else os.unlink)(path)
            elif op["op"] == "rename":
                os.rename(path, f"{base}/{op['c']}{op['to']}")
            out.append("ok")
        except OSError as exc:
            out.append(errno.errorcode[exc.errno or 0])
    seen = {c: snapshot(f"{base}/{c}") for c in ("c1", "c2", "c3")}
    if libc.umount2(base.encode(), MNT_DETACH) != 0:
        raise OSError(ctypes.get_errno(), "umount")
    return {"outcomes": out, "seen": seen}


def snapshot(root: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = dirpath[len(root) :] or "/"
        for d in dirnames:
            found[f"{rel.rstrip('/')}/{d}"] = "DIR"
        for f in filenames:
            with open(f"{dirpath}/{f}", "rb") as fh:
                found[f"{rel.rstrip('/')}/{f}"] = fh.read().decode("latin-1")
    return found


def main() -> int:
    base = sys.argv[1]
    for line in sys.stdin:
        print(json.dumps(run(base, json.loads(line))), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
