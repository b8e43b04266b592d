"""The real Kubernetes v1.35.4 API-server code as a test oracle (``../shared/oracle/k8s-oracle``).

One long-lived process per mode, shared by every test of the session (the ``apiserver_oracle``
and ``kubectl_oracle`` fixtures); see ``../shared/oracle/README.md`` for the answer format.

* :meth:`Oracle.check` sends one object (a dict, as ``kubectl`` would POST it) and returns the
  answer: ``decode_errors``, ``errors`` (field, type, text, ...), ``warnings``, ``defaulted``.
* :meth:`Oracle.check_many` pipelines many objects (write all, then read all): several times
  faster than one at a time for campaigns.
* In YAML mode (:func:`kubectl_oracle`), :meth:`Oracle.check` takes a manifest *text* and returns
  the ``documents`` list: what kubectl sends for each document, and the server's answer.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from tests.conftest import SHARED, need

ORACLE = pathlib.Path(os.environ.get("PODMODEL_ORACLE", SHARED / "oracle" / "k8s-oracle"))


class Oracle:
    """A k8s-oracle process answering one JSON line per JSON line."""

    def __init__(self, *, yaml: bool = False, path: pathlib.Path = ORACLE) -> None:
        self.yaml = yaml
        argv = [str(path), *(["--yaml"] if yaml else [])]
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )

    def check(self, request: Any) -> Any:
        """The answer for one object (JSON mode) or one manifest text (YAML mode)."""
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        return answer["documents"] if self.yaml else answer

    def check_many(self, requests: Sequence[Any]) -> list[Any]:
        """Answers for many requests, in order (written by a thread while this one reads, so a
        long batch never fills both pipes)."""
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        stdin = self.proc.stdin

        def write() -> None:
            for r in requests:
                stdin.write(json.dumps(r) + "\n")
            stdin.flush()

        writer = threading.Thread(target=write)
        writer.start()
        answers = [json.loads(self.proc.stdout.readline()) for _ in requests]
        writer.join()
        return [a["documents"] for a in answers] if self.yaml else answers

    def close(self) -> None:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


def _oracle(yaml: bool) -> Iterator[Oracle]:
    need(ORACLE.is_file() and os.access(ORACLE, os.X_OK), f"{ORACLE} is missing")
    oracle = Oracle(yaml=yaml)
    yield oracle
    oracle.close()


@pytest.fixture(scope="session")
def apiserver_oracle() -> Iterator[Oracle]:
    """The oracle in JSON mode: objects in, the API server's answers out."""
    yield from _oracle(False)


@pytest.fixture(scope="session")
def kubectl_oracle() -> Iterator[Oracle]:
    """The oracle in YAML mode: manifest texts in, what kubectl sends and the answers out."""
    yield from _oracle(True)
