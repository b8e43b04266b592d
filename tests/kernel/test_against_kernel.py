"""Differential test: podmodel's NetworkNamespace against the real Linux kernel.

Hypothesis generates sequences of bind / listen / close / release / connect over a few owners,
IPv4, IPv6, wildcard, dual-stack and v6only addresses, TCP and UDP, SO_REUSEADDR, SO_REUSEPORT
and two uids; each sequence runs on real sockets in a fresh network namespace (``unshare -n``,
loopback only) and on a ``NetworkNamespace``, and every outcome must agree. Needs root (CI runs
as root and must not skip it: PODMODEL_NO_SKIP=1 turns the skip into a failure).
"""

from __future__ import annotations

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
from tests.support.helpers import JsonLinesOracle

ADDRESSES = ["0.0.0.0", "127.0.0.1", "127.0.0.2", "::", "::1", "::ffff:127.0.0.1", "::ffff:0.0.0.0"]
TARGETS = ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"]
PORTS = [80, 8080]
OWNERS = ["a", "b", "c"]


def _can_unshare() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.fixture(scope="module")
def kernel() -> Iterator[JsonLinesOracle]:
    need(_can_unshare(), "creating a network namespace needs root and unshare(1)")
    oracle = JsonLinesOracle(
        ["unshare", "-n", sys.executable, str(REPO / "tests" / "support" / "kernel_oracle.py")]
    )
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
def test_namespace_agrees_with_the_kernel(
    kernel: JsonLinesOracle, seq: list[dict[str, Any]]
) -> None:
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
