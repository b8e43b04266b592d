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
    # The kubectl line, then (new in 0.x: issue #16) the error at its file:line:column, and
    # the summary line.
    assert capsys.readouterr().out == (
        f'error when creating "{f}": The Pod "mypod" is invalid: '
        "spec.containers[0].ports[0].containerPort: Required value\n"
        f"{f}:5:64: spec.containers[0].ports[0].containerPort: Required value\n"
        "      containers: [{name: c, image: nginx, ports: [{containerPort: 0}]}]\n"
        "                                                                   ^\n"
        "1 file, 1 document: 0 pods valid, 1 invalid, 0 skipped, 0 unreadable\n"
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
    # kubectl's warning, now (issue #16) at the file:line:column of the field it names
    assert captured.err == (
        f"{f}:5:103: Warning: spec.containers[1].ports[0]: duplicate port definition with "
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


CONFLICT = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: mypod}\nspec:\n  containers:\n"
    "  - {name: mycon1, image: nginx, ports: [{containerPort: 80}]}\n"
    "  - {name: mycon2, image: nginx, ports: [{containerPort: 80}]}\n"
    "  - {name: mycon3, image: sunwu51/node}\n"
)


def test_run_shows_the_crash_loop_and_explains_it(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(CONFLICT)
    assert main(["run", str(f), "--for", "30s", "--explain"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(
        "NAME    READY   STATUS             RESTARTS      AGE\n"
        "mypod   2/3     CrashLoopBackOff   2 (14s ago)   30s\n"
    )
    assert "mycon1      0.0.0.0:80/TCP" in out
    assert "mycon2 failed (bind() to 0.0.0.0:80 failed (98: Address already in use))" in out


def test_run_json_is_a_stable_shape(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(GOOD)
    assert main(["run", str(f), "--output", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "name",
        "ip",
        "hostname",
        "phase",
        "status",
        "ready",
        "restarts",
        "containers",
        "listening",
        "volumes",
        "events",
    }
    assert (data["ready"], data["status"]) == ("1/1", "Running")


def test_run_modes_show_where_volume_content_came_from(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], seed_experiments: dict[str, str]
) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(seed_experiments["shared-disk"])
    assert main(["run", str(f), "--explain"]) == 0
    assert (
        "copied from sunwu51/node:/root/.pm2/logs when mycon1 was created"
        in capsys.readouterr().out
    )
    assert main(["run", str(f), "--mode", "kubernetes"]) == 0
    assert "content: started empty" in capsys.readouterr().out


def test_exec_runs_the_command_and_returns_its_exit_code(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(CONFLICT)
    assert main(["exec", str(f), "mycon3", "--", "hostname", "-i"]) == 0
    assert capsys.readouterr().out == "10.244.0.2\n"
    assert main(["exec", str(f), "mycon3", "--", "curl", "-s", "localhost:80"]) == 0
    assert "Welcome to nginx!" in capsys.readouterr().out
    assert main(["exec", str(f), "mycon3", "--", "nope"]) == 127
    assert main(["exec", str(f), "mycon3"]) == 2


def test_defaults_prints_the_defaulted_pod(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(GOOD)
    assert main(["defaults", str(f)]) == 0
    out = capsys.readouterr().out
    assert "restartPolicy: Always" in out
    assert "imagePullPolicy: Always" in out


def test_invalid_pods_are_refused_by_run(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(GOOD.replace("image: nginx", "image: ''"))
    assert main(["run", str(f)]) == 1
    assert (
        'The Pod "mypod" is invalid: spec.containers[0].image: Required value'
        in capsys.readouterr().out
    )


def test_run_svg_writes_the_picture(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import xml.etree.ElementTree as ET

    f = tmp_path / "pod.yaml"
    f.write_text(GOOD)
    out = tmp_path / "pod.svg"
    assert main(["run", str(f), "--svg", str(out)]) == 0
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "pause (infra container)" in out.read_text(encoding="utf-8")
    assert "mypod" in capsys.readouterr().out


def test_run_svg_unwritable(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(GOOD)
    assert main(["run", str(f), "--svg", str(tmp_path / "no" / "such" / "dir.svg")]) == 1
    assert "cannot write" in capsys.readouterr().out


class _Tty:
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "no_color", "tty", "expected"),
    [
        ("auto", None, True, True),
        ("auto", None, False, False),
        ("auto", "1", True, False),
        ("auto", "", True, True),  # no-color.org: only a non-empty value disables colour
        ("always", "1", False, True),
        ("never", None, True, False),
    ],
)
def test_colour_only_on_a_terminal_and_never_with_no_color(
    monkeypatch: pytest.MonkeyPatch, choice: str, no_color: str | None, tty: bool, expected: bool
) -> None:
    from podmodel.cli import use_colour

    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    stream = _Tty() if tty else sys.stdout
    assert use_colour(choice, stream) is expected  # type: ignore[arg-type]


def test_colour_always_paints_status_and_verdicts(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(GOOD)
    assert main(["check", "--color", "always", str(f)]) == 0
    assert "\x1b[32mis valid\x1b[0m" in capsys.readouterr().out
    assert main(["run", "--color", "always", str(f)]) == 0
    assert "\x1b[32mRunning\x1b[0m" in capsys.readouterr().out
    assert main(["run", str(f)]) == 0  # captured output is not a terminal: no colour
    assert "\x1b[" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("status", "colour"),
    [
        ("Running", "green"),
        ("Completed", "green"),
        ("Pending", "yellow"),
        ("ContainerCreating", "yellow"),
        ("Init:0/2", "yellow"),
        ("Init:CrashLoopBackOff", "red"),
        ("CrashLoopBackOff", "red"),
        ("Error", "red"),
    ],
)
def test_status_colours(status: str, colour: str) -> None:
    from podmodel.display.report import status_colour

    assert status_colour(status) == colour


def test_run_takes_compound_durations(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(GOOD)
    assert main(["run", str(f), "--for", "1h30m"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "NAME    READY   STATUS    RESTARTS   AGE",
        "mypod   1/1     Running   0          90m",
    ]
    with pytest.raises(SystemExit, match=r"invalid duration '1x' \(use e.g. 30s, 5m, 1h30m\)"):
        main(["run", str(f), "--for", "1x"])


def test_a_closed_pipe_ends_the_command_quietly(tmp_path: pathlib.Path) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(GOOD)
    # `podmodel ... | head -1`: the reader goes away after the first line
    code = (
        "import sys\n"
        "from podmodel.cli import main\n"
        "class Closed:\n"
        "    def write(self, text):\n"
        "        raise BrokenPipeError(32, 'Broken pipe')\n"
        "    def flush(self):\n"
        "        pass\n"
        "    def isatty(self):\n"
        "        return False\n"
        "    def fileno(self):\n"
        "        return 1\n"
        "sys.stdout = Closed()\n"
        f"sys.exit(main(['run', {str(f)!r}, '--for', '30s', '--explain']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert (done.returncode, done.stderr) == (1, "")


def test_a_real_pipe_to_head_prints_no_traceback(tmp_path: pathlib.Path) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(GOOD)
    # 5,000 lines are more than a pipe buffer holds: the writer does meet the closed pipe
    pods = "".join(GOOD.replace("name: mypod", f"name: p{i}") + "---\n" for i in range(5000))
    f.write_text(pods)
    reader = subprocess.Popen(
        [sys.executable, "-m", "podmodel", "check", str(f)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None
    first = reader.stdout.readline()
    reader.stdout.close()  # what head does after its line
    _, err = reader.communicate(timeout=120)
    assert first.endswith(b"pod/p0 is valid\n")
    assert b"Traceback" not in err
    assert reader.returncode in (0, 1)
