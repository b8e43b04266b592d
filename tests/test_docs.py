"""Every runnable example under docs/examples runs and prints what it should."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

from tests.conftest import REPO

EXAMPLES = sorted((REPO / "docs" / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(path: object, tmp_path: pathlib.Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(path), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
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


def test_seed_manifests_are_the_posts_own(
    seed_experiments: dict[str, str], shared_seed_experiments: dict[str, str]
) -> None:
    """docs/examples/seed holds the blog post's three manifests byte for byte."""
    assert seed_experiments == shared_seed_experiments


def test_the_docs_pictures_are_drawn(tmp_path: pathlib.Path) -> None:
    import runpy
    import xml.etree.ElementTree as ET

    draw = runpy.run_path(str(REPO / "docs" / "examples" / "draw_seed_pods.py"))["draw"]
    written = draw(tmp_path)
    assert sorted(p.name for p in written) == [
        "port-conflict.svg",
        "shared-disk.svg",
        "shared-ip.svg",
    ]
    conflict = (tmp_path / "port-conflict.svg").read_text(encoding="utf-8")
    ET.fromstring(conflict)
    assert "✗ bind 0.0.0.0:80/TCP EADDRINUSE" in conflict
