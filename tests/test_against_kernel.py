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

from podmodel import strategies as pst
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


ops = pst.network_operations(
    owners=tuple(OWNERS),
    ports=tuple(PORTS),
    addresses=tuple(ADDRESSES),
    hosts=tuple(TARGETS),
    min_size=1,
    max_size=12,
)


@settings(deadline=None)
@given(ops)
def test_namespace_agrees_with_the_kernel(kernel: Oracle, seq: list[dict[str, Any]]) -> None:
    real = kernel.run(seq)
    _, model = pst.run_network_operations(seq)
    for op, got, want in zip(seq, model, real, strict=True):
        if op["op"] == "connect" and got != want and want not in ("ECONNREFUSED",):
            # SO_REUSEPORT groups: the kernel hashes among equal listeners, podmodel picks the
            # first; both are right when both owners listen with SO_REUSEPORT on that port
            owners = {o["owner"] for o in seq if o["op"] == "bind" and o["reuse_port"]}
            assert {got, want} <= owners, (seq, model, real)
            continue
        assert got == want, f"{op}: podmodel {got!r}, kernel {want!r}\n{seq}\n{model}\n{real}"
