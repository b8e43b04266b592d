"""``podmodel shell`` (the interactive node, driven by scripts) and ``podmodel logs``."""

from __future__ import annotations

import io
import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podmodel.cli import main
from podmodel.cli._shell import PROMPT, CommandError, NodeShell, duration
from podmodel.kubelet.node import Node

SHARED = """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: writer
    image: busybox
    command: ["sh", "-c", "while true; do date >> /data/log; sleep 10; done"]
    volumeMounts: [{name: data, mountPath: /data}]
  - name: reader
    image: busybox
    command: ["sh", "-c", "sleep 3600"]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - {name: data, emptyDir: {}}
"""
CRASH = """\
apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers:
  - {name: c, image: busybox, command: ["sh", "-c", "echo starting; exit 3"]}
"""
CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: greeting}
data: {message: hello}
---
apiVersion: v1
kind: Pod
metadata: {name: cm}
spec:
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", "echo \\"$(cat /etc/greeting/message)\\"; sleep 3600"]
    volumeMounts: [{name: g, mountPath: /etc/greeting}]
  volumes:
  - {name: g, configMap: {name: greeting}}
"""


def _files(tmp_path: pathlib.Path, **texts: str) -> dict[str, str]:
    paths = {}
    for name, text in texts.items():
        f = tmp_path / f"{name}.yaml"
        f.write_text(text)
        paths[name] = str(f)
    return paths


def _session(
    tmp_path: pathlib.Path,
    capsys: pytest.CaptureFixture[str],
    script: str,
    *manifests: str,
) -> tuple[int, str]:
    lab = tmp_path / "lab.txt"
    lab.write_text(script)
    code = main(["shell", "--script", str(lab), *manifests])
    return code, capsys.readouterr().out


def test_a_scripted_session_keeps_state_between_commands(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _files(tmp_path, shared=SHARED)
    script = (
        "get pods\n"
        "advance 25s\n"
        "exec web -c reader -- cat /data/log\n"
        "exec web -c writer -- sh -c 'echo hi > /data/note'\n"
        "exec web -c reader -- cat /data/note\n"
        "get pods\n"
    )
    code, out = _session(tmp_path, capsys, script, f["shared"])
    assert code == 0
    assert out == (
        "pod/web created\n"
        f"{PROMPT}get pods\n"
        "NAME   READY   STATUS    RESTARTS   AGE\n"
        "web    2/2     Running   0          0s\n"
        f"{PROMPT}advance 25s\n"
        f"{PROMPT}exec web -c reader -- cat /data/log\n"
        "Thu Jan  1 00:00:00 UTC 2026\n"
        "Thu Jan  1 00:00:10 UTC 2026\n"
        "Thu Jan  1 00:00:20 UTC 2026\n"
        f"{PROMPT}exec web -c writer -- sh -c 'echo hi > /data/note'\n"
        f"{PROMPT}exec web -c reader -- cat /data/note\n"
        "hi\n"
        f"{PROMPT}get pods\n"
        "NAME   READY   STATUS    RESTARTS   AGE\n"
        "web    2/2     Running   0          25s\n"
    )


def test_errors_are_printed_as_kubectl_prints_them_and_counted(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _files(tmp_path, shared=SHARED)
    script = (
        "logs nope\n"
        "exec web -c nope -- ls\n"
        "logs web -c nope\n"
        "advance soon\n"
        "get deployments\n"
        "frob x\n"
        "exec web\n"
        "describe pod\n"
        "get pods --bogus\n"
        "exec web -- sh -c 'exit 4'\n"
    )
    code, out = _session(tmp_path, capsys, script, f["shared"])
    assert code == 1
    assert out == (
        "pod/web created\n"
        f"{PROMPT}logs nope\n"
        'Error from server (NotFound): pods "nope" not found\n'
        f"{PROMPT}exec web -c nope -- ls\n"
        'error: unable to upgrade connection: container not found ("nope")\n'
        f"{PROMPT}logs web -c nope\n"
        "error: container nope is not valid for pod web\n"
        f"{PROMPT}advance soon\n"
        'error: invalid duration "soon" (use e.g. 30s, 5m, 1h)\n'
        f"{PROMPT}get deployments\n"
        'error: the server doesn\'t have a resource type "deployments"\n'
        f"{PROMPT}frob x\n"
        'error: unknown command "frob" for "podmodel shell"\n'
        'Run "help" for usage.\n'
        f"{PROMPT}exec web\n"
        "error: you must specify at least one command for the container\n"
        f"{PROMPT}describe pod\n"
        "error: describe pod needs exactly one pod name\n"
        f"{PROMPT}get pods --bogus\n"
        "error: unknown flag: --bogus\n"
        f"{PROMPT}exec web -- sh -c 'exit 4'\n"
        'Defaulted container "writer" out of: writer, reader\n'
        "command terminated with exit code 4\n"
    )


def test_logs_previous_and_describe_show_the_crash_loop(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _files(tmp_path, crash=CRASH)
    script = "logs crash --previous\nadvance 15s\nget pods\nlogs crash -p\ndescribe pod crash\n"
    code, out = _session(tmp_path, capsys, script, f["crash"])
    assert code == 1  # the first --previous has no previous instance yet
    blocks = out.split(PROMPT)
    assert blocks[1] == (
        "logs crash --previous\n"
        'Error from server (BadRequest): previous terminated container "c" in pod "crash" '
        "not found\n"
    )
    assert blocks[2] == "advance 15s\n"
    assert blocks[3] == (
        "get pods\n"
        "NAME    READY   STATUS             RESTARTS     AGE\n"
        "crash   0/1     CrashLoopBackOff   2 (4s ago)   15s\n"
    )
    assert blocks[4] == "logs crash -p\nstarting\n"
    described = blocks[5].splitlines()
    assert described[1:12] == [
        "Name:         crash",
        "Namespace:    default",
        "Node:         node-1/192.168.49.2",
        "Start Time:   Thu, 01 Jan 2026 00:00:00 +0000",
        "Labels:       <none>",
        "Annotations:  <none>",
        "Status:       Running",
        "IP:           10.244.0.2",
        "IPs:",
        "  IP:  10.244.0.2",
        "Containers:",
    ]
    assert described[12:31] == [
        "  c:",
        "    Image:      busybox",
        "    Port:       <none>",
        "    Host Port:  <none>",
        "    Command:",
        "      sh",
        "      -c",
        "      echo starting; exit 3",
        "    State:          Waiting",
        "      Reason:       CrashLoopBackOff",
        "    Last State:     Terminated",
        "      Reason:       Error",
        "      Exit Code:    3",
        "      Started:      Thu, 01 Jan 2026 00:00:10 +0000",
        "      Finished:     Thu, 01 Jan 2026 00:00:10 +0000",
        "    Ready:          False",
        "    Restart Count:  2",
        "    Environment:    <none>",
        "    Mounts:         <none>",
    ]
    assert described[31:43] == [
        "Conditions:",
        "  Type                        Status",
        "  PodReadyToStartContainers   True ",
        "  Initialized                 True ",
        "  Ready                       False ",
        "  ContainersReady             False ",
        "  PodScheduled                True ",
        "Volumes:                      <none>",
        "QoS Class:                    BestEffort",
        "Node-Selectors:               <none>",
        "Tolerations:                  <none>",
        "Events:",
    ]
    assert described[43:46] == [
        "  Type     Reason     Age               From               Message",
        "  ----     ------     ----              ----               -------",
        "  Normal   Scheduled  15s               default-scheduler  Successfully assigned "
        "default/crash to node-1",
    ]
    assert any("Back-off restarting failed container c" in line for line in described)


def test_apply_delete_and_configmaps(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _files(tmp_path, config=CONFIG, crash=CRASH)
    script = (
        f"apply -f {f['crash']}\n"
        f"apply -f {f['crash']}\n"
        "advance 1s\n"
        "logs cm\n"
        "get pods\n"
        "delete pod crash\n"
        "delete pod crash\n"
        "get pods -n other\n"
        "get pods -A\n"
    )
    code, out = _session(tmp_path, capsys, script, f["config"])
    assert code == 1
    assert out == (
        "configmap/greeting created\n"
        "pod/cm created\n"
        f"{PROMPT}apply -f {f['crash']}\n"
        "pod/crash created\n"
        f"{PROMPT}apply -f {f['crash']}\n"
        f'Error from server (AlreadyExists): error when creating "{f["crash"]}": '
        'pods "crash" already exists\n'
        f"{PROMPT}advance 1s\n"
        f"{PROMPT}logs cm\n"
        "hello\n"
        f"{PROMPT}get pods\n"
        "NAME    READY   STATUS             RESTARTS     AGE\n"
        "cm      1/1     Running            0            1s\n"
        "crash   0/1     CrashLoopBackOff   1 (0s ago)   1s\n"
        f"{PROMPT}delete pod crash\n"
        'pod "crash" deleted\n'
        f"{PROMPT}delete pod crash\n"
        'Error from server (NotFound): pods "crash" not found\n'
        f"{PROMPT}get pods -n other\n"
        "No resources found in other namespace.\n"
        f"{PROMPT}get pods -A\n"
        "NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE\n"
        "default     cm     1/1     Running   0          1s\n"
    )


def test_a_manifest_that_cannot_be_loaded_stops_the_shell(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _files(tmp_path, bad=CRASH.replace("image: busybox", "image: busybox, ports: [{}]"))
    code, out = _session(tmp_path, capsys, "get pods\n", bad["bad"], str(tmp_path / "none.yaml"))
    assert code == 1
    assert PROMPT not in out
    assert 'The Pod "crash" is invalid: spec.containers[0].ports[0].containerPort' in out
    assert f'error: the path "{tmp_path / "none.yaml"}" cannot be read' in out


def test_the_script_can_come_from_standard_input(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    f = _files(tmp_path, crash=CRASH)
    monkeypatch.setattr("sys.stdin", io.StringIO("get pods\nexit\nget pods\n"))
    assert main(["shell", f["crash"]]) == 0
    assert capsys.readouterr().out.count(PROMPT) == 2  # exit ends it


def test_help_lists_every_command() -> None:
    out = io.StringIO()
    NodeShell(Node(), stdout=out).onecmd("help")
    for name in ("advance", "apply", "delete", "describe", "exec", "exit", "get", "logs"):
        assert name in out.getvalue()
    out = io.StringIO()
    NodeShell(Node(), stdout=out).onecmd("help exec")
    assert out.getvalue() == (
        "exec NAME [-c CONTAINER] -- COMMAND...: run COMMAND in the container (its writes are\n"
        "        kept; the clock does not move).\n"
    )


def test_tab_completion_offers_pods_then_containers(tmp_path: pathlib.Path) -> None:
    f = _files(tmp_path, shared=SHARED, crash=CRASH)
    shell = NodeShell(Node(), stdout=io.StringIO())
    shell.apply_file(f["shared"])
    shell.apply_file(f["crash"])
    assert shell.complete_exec("", "exec ", 5, 5) == ["crash", "web"]
    assert shell.complete_logs("w", "logs w", 5, 6) == ["web"]
    assert shell.complete_exec("r", "exec web -c r", 12, 13) == ["reader"]
    assert shell.complete_describe("", "describe ", 9, 9) == ["crash", "web", "pod"]
    assert shell.complete_get("p", "get p", 4, 5) == ["pods"]
    assert "EOF" not in shell.completenames("")
    assert "exec" in shell.completenames("e")


@given(st.integers(0, 50), st.integers(0, 59), st.integers(0, 59), st.sampled_from(["", " ", "\t"]))
def test_durations_add_their_units(h: int, m: int, s: int, pad: str) -> None:
    text = f"{pad}{h}h{m}m{s}s{pad}"
    assert duration(text) == h * 3600 + m * 60 + s
    assert duration(str(s)) == s


@given(st.text(max_size=12))
def test_a_duration_is_a_number_with_units_or_an_error(text: str) -> None:
    try:
        seconds = duration(text)
    except CommandError as exc:
        assert str(exc).startswith("error: invalid duration")
    else:
        assert 0 <= seconds <= 365 * 86400


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=5))
def test_no_line_ever_raises(lines: list[str]) -> None:
    """Whatever is typed, the shell prints (an answer or an error) and never raises."""
    out = io.StringIO()
    shell = NodeShell(Node(), stdout=out)
    for line in lines:
        stop = shell.onecmd(line.replace("\n", " ").replace("\r", " "))
        assert stop in (True, False, None)
    assert all(not chunk.startswith("Traceback") for chunk in out.getvalue().splitlines())


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 40), min_size=1, max_size=4))
def test_advancing_in_steps_shows_what_one_advance_shows(steps: list[int]) -> None:
    """``advance a; advance b`` leaves the node where ``advance a+b`` does."""
    from podmodel.codec import loads

    pod = loads(CRASH)
    stepped, once = NodeShell(Node().start(pod)), NodeShell(Node().start(pod))
    for s in steps:
        stepped.onecmd(f"advance {s}s")
    once.onecmd(f"advance {sum(steps)}")
    a, b = stepped.node.pod("crash"), once.node.pod("crash")
    assert (a.ready, a.status, a.restarts) == (b.ready, b.status, b.restarts)
    assert a.logs("c") == b.logs("c")


# ---- podmodel logs ----


def test_logs_prints_what_the_container_printed(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _files(tmp_path, shared=SHARED, crash=CRASH, config=CONFIG)
    assert main(["logs", f["crash"], "c", "--advance", "0s"]) == 0
    assert capsys.readouterr().out == ""  # the script has not run yet
    assert main(["logs", f["crash"], "c"]) == 0  # one simulated second by default
    assert capsys.readouterr().out == "starting\n"
    assert main(["logs", f["crash"], "c", "--previous", "--advance", "15s"]) == 0
    assert capsys.readouterr().out == "starting\n"
    assert main(["logs", f["config"], "c", "--advance", "1s"]) == 0
    assert capsys.readouterr().out == "hello\n"
    assert main(["logs", f["shared"], "reader"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("args", "err"),
    [
        (
            ["crash", "c", "--previous", "--advance=0s"],
            'Error from server (BadRequest): previous terminated container "c" in pod '
            '"crash" not found\n',
        ),
        (["crash", "x"], "error: container x is not valid for pod crash\n"),
        (
            ["crash", "c", "--advance=-1s"],
            'error: invalid duration "-1s" (use e.g. 30s, 5m, 1h)\n',
        ),
        (["none", "c"], 'error: the path "{none}" cannot be read: No such file or directory\n'),
        (["empty", "c"], 'error: no pod in "{empty}"\n'),
    ],
)
def test_logs_errors_are_kubectls_and_exit_1(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], args: list[str], err: str
) -> None:
    f = _files(tmp_path, crash=CRASH, empty="")
    f["none"] = str(tmp_path / "none.yaml")
    assert main(["logs", f[args[0]], *args[1:]]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == err.format(**f)


def test_logs_of_a_container_waiting_for_its_image(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _files(tmp_path, typo=CRASH.replace("image: busybox", "image: ngnix"))
    assert main(["logs", f["typo"], "c", "--advance", "5s"]) == 1
    assert capsys.readouterr().err.startswith(
        'Error from server (BadRequest): container "c" in pod "crash" is waiting to start: '
    )


def test_the_prompt_loop_reads_until_exit(tmp_path: pathlib.Path) -> None:
    """The interactive loop (``cmd.Cmd.cmdloop``), fed from a file instead of a terminal."""
    f = _files(tmp_path, crash=CRASH)
    out = io.StringIO()
    shell = NodeShell(Node(), stdout=out, stdin=io.StringIO("get pods\nfrob\nquit\nget pods\n"))
    shell.apply_file(f["crash"])
    shell.cmdloop()
    text = out.getvalue()
    assert text.startswith('pod/crash created\nType "help" for the commands, "exit" to leave.\n')
    assert text.count("NAME    READY") == 1  # quit ended the loop before the second get
    assert 'error: unknown command "frob"' in text
    assert shell.failures == 1
