"""Every runnable example under docs/examples runs and prints what it should."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

EXAMPLES = sorted((REPO / "docs" / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(path: object) -> None:
    proc = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, check=False, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()


def test_load_and_report_output() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "docs" / "examples" / "load_and_report.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.splitlines()[:2] == [
        "mycon1 mounts mymount at /root/.pm2/logs",
        "mycon2 mounts mymount at /pm2logs",
    ]
    assert 'unknown field "spec.volumes[0].hostPath.Path"; did you mean "path"?' in proc.stdout
