"""The command line, through its entry function and as a subprocess."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

from podmodel.cli import main

GOOD = "apiVersion: v1\nkind: Pod\nmetadata: {name: mypod}\nspec:\n  containers: [{name: c, image: nginx}]\n"
TYPO = GOOD + "  volumes:\n  - name: logs\n    hostPath: {Path: /logs}\n"


def test_check_ok(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(GOOD)
    assert main(["check", str(f)]) == 0
    assert "pod/mypod is valid" in capsys.readouterr().out


def test_check_validates_as_kubectl_prints(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(GOOD.replace("image: nginx", "image: nginx, ports: [{containerPort: 0}]"))
    assert main(["check", str(f)]) == 1
    assert capsys.readouterr().out == (
        f'error when creating "{f}": The Pod "mypod" is invalid: '
        "spec.containers[0].ports[0].containerPort: Required value\n"
    )


def test_check_prints_warnings_on_stderr(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(
        GOOD.replace(
            "containers: [{name: c, image: nginx}]",
            "containers: [{name: a, image: nginx, ports: [{containerPort: 80}]}, "
            "{name: b, image: nginx, ports: [{containerPort: 80}]}]",
        )
    )
    assert main(["check", str(f)]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        "Warning: spec.containers[1].ports[0]: duplicate port definition with "
        "spec.containers[0].ports[0]\n"
    )


def test_check_reports_file_line_and_column(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(TYPO)
    assert main(["check", str(f)]) == 1
    out = capsys.readouterr().out
    assert f'{f}:8:16: unknown field "spec.volumes[0].hostPath.Path"; did you mean "path"?' in out


def test_check_json_output(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(TYPO)
    assert main(["check", "--output", "json", str(f), str(tmp_path / "none.yaml")]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert data["files"][0]["errors"][0]["line"] == 8
    assert "cannot read" in data["files"][1]["errors"][0]["message"]


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2


def test_python_dash_m_reads_stdin() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "podmodel", "check", "-"],
        input=TYPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "<stdin>:8:16" in proc.stdout
