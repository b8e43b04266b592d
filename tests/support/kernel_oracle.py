"""Run socket operation sequences on the real kernel (used by test_against_kernel.py).

Started as ``unshare -n python tests/support/kernel_oracle.py`` (a fresh network namespace with only
``lo``, which this script brings up). It reads one JSON list of operations per line on stdin and
writes one JSON list of outcomes per line: ``"ok"``, an errno name, or for ``connect`` the owner
whose listener accepted. Loopback only; every socket is closed after each sequence.

Sockets of a non-zero uid are created, configured and bound in a child process that drops to
that uid (no capabilities) and passes the descriptor back, as a container process would.
"""

from __future__ import annotations

import errno
import json
import os
import select
import socket
import subprocess
import sys
from typing import Any

PROTO = {"TCP": (socket.SOCK_STREAM, 0), "UDP": (socket.SOCK_DGRAM, 0)}


def _make(op: dict[str, Any]) -> socket.socket:
    family = socket.AF_INET6 if ":" in op["address"] else socket.AF_INET
    kind, proto = PROTO[op["protocol"]]
    s = socket.socket(family, kind, proto)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if op["v6only"] else 0)
    if op["reuse_address"]:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if op["reuse_port"]:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    return s


def _bind_as(op: dict[str, Any]) -> tuple[str, socket.socket | None]:
    if op["uid"] == 0:
        s = _make(op)
        try:
            s.bind((op["address"], op["port"]))
        except OSError as exc:
            s.close()
            return errno.errorcode[exc.errno or 0], None
        return "ok", s
    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid == 0:  # child: drop to the uid, bind, hand the descriptor back
        parent.close()
        code = 0
        try:
            os.setgroups([])
            os.setgid(op["uid"])
            os.setuid(op["uid"])
            s = _make(op)
            s.bind((op["address"], op["port"]))
            socket.send_fds(child, [b"ok"], [s.fileno()])
        except OSError as exc:
            child.sendall(errno.errorcode[exc.errno or 0].encode())
        finally:
            os._exit(code)
    child.close()
    msg, fds, _, _ = socket.recv_fds(parent, 64, 1)
    os.waitpid(pid, 0)
    parent.close()
    if not fds:
        return msg.decode(), None
    return "ok", socket.socket(fileno=fds[0])


def run(ops: list[dict[str, Any]]) -> list[Any]:
    sockets: list[list[Any] | None] = []  # [owner, bind op, socket, listening]
    out: list[Any] = []
    for op in ops:
        kind = op["op"]
        if kind == "bind":
            result, s = _bind_as(op)
            sockets.append([op["owner"], op, s, False] if s is not None else None)
            out.append(result)
        elif kind in ("listen", "close"):
            entry = sockets[op["socket"]] if op["socket"] < len(sockets) else None
            if entry is None:
                out.append("skip")
                continue
            s = entry[2]
            if kind == "close":
                s.close()
                sockets[op["socket"]] = None
                out.append("ok")
                continue
            try:
                s.listen(8)
                entry[3] = True
                out.append("ok")
            except OSError as exc:
                out.append(errno.errorcode[exc.errno or 0])
        elif kind == "release":
            for i, entry in enumerate(sockets):
                if entry is not None and entry[0] == op["owner"]:
                    entry[2].close()
                    sockets[i] = None
            out.append("ok")
        elif kind == "connect":
            out.append(_connect(op, sockets))
    for entry in sockets:
        if entry is not None:
            entry[2].close()
    return out


def _connect(op: dict[str, Any], sockets: list[Any]) -> str:
    family = socket.AF_INET6 if ":" in op["host"] else socket.AF_INET
    c = socket.socket(family, socket.SOCK_STREAM)
    c.settimeout(2)
    try:
        c.connect((op["host"], op["port"]))
    except OSError as exc:
        c.close()
        return errno.errorcode[exc.errno or 0]
    listening = [e for e in sockets if e is not None and e[3]]
    readable, _, _ = select.select([e[2] for e in listening], [], [], 1.0)
    owner = "?"
    for e in listening:
        if e[2] in readable:
            owner = e[0]
            conn, _ = e[2].accept()
            c.close()  # the client closes first: no TIME_WAIT on the server's port
            conn.close()
            break
    else:
        c.close()
    return owner


def main() -> int:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    for line in sys.stdin:
        print(json.dumps(run(json.loads(line))), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
