"""Test-only helpers shared by several test modules."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import podmodel


def pod_of(spec: dict[str, Any], *, name: str = "p") -> podmodel.Pod:
    """A v1 Pod named *name* with *spec* (decoded strictly, as a manifest would be)."""
    return podmodel.from_dict(
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}
    )


class JsonLinesOracle:
    """A helper process that answers one JSON line per JSON line (the kernel and mount oracles)."""

    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, payload: Any) -> Any:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(payload) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()
