"""A server started from a script binds as the image's entrypoint would; log lines written in
pieces stay one line; ``tail -f`` as a bare command follows its file; images declare their own
programs (issues #17 and #18)."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel.kubelet._scripts import split_log
from podmodel.kubelet.images import Behaviour, Image, ImageProgram, Listen, default_catalogue
from tests.support.helpers import pod_of

NGINX_EXEC = 'echo hi > /usr/share/nginx/html/index.html; exec nginx -g "daemon off;"'


def _client(command: str) -> dict[str, Any]:
    return {"name": "client", "image": "busybox", "command": ["sh", "-c", command]}


def test_a_server_exec_ed_from_a_script_serves_what_the_script_wrote() -> None:
    pod = pod_of(
        {
            "containers": [
                {"name": "web", "image": "nginx", "command": ["sh", "-c", NGINX_EXEC]},
                _client("sleep 1; wget -qO- localhost; sleep 3600"),
            ]
        }
    )
    p = podmodel.Node().start(pod).advance(5).pod("p")
    assert p.get_line().split()[1:3] == ["2/2", "Running"]
    assert p.container("client").logs == ("hi",)
    assert p.exec("client", "wget -qO- localhost").stdout == "hi\n"


def test_before_the_script_starts_the_server_nothing_listens() -> None:
    command = 'sleep 10; exec nginx -g "daemon off;"'
    pod = pod_of(
        {
            "containers": [
                {"name": "web", "image": "nginx", "command": ["sh", "-c", command]},
                _client("sleep 3600"),
            ]
        }
    )
    node = podmodel.Node().start(pod).advance(5)
    assert node.pod("p").exec("client", "wget -qO- localhost").exit_code == 1
    body = node.advance(10).pod("p").exec("client", "wget -qO- localhost").stdout
    assert "Welcome to nginx!" in body


def test_a_second_server_from_a_script_fails_to_bind_and_backs_off() -> None:
    pod = pod_of(
        {
            "containers": [
                {"name": "a", "image": "nginx"},
                {"name": "b", "image": "nginx", "command": ["sh", "-c", NGINX_EXEC]},
            ]
        }
    )
    node = podmodel.Node().start(pod).advance(30)
    b = node.pod("p").container("b")
    message = "bind() to 0.0.0.0:80 failed (98: Address already in use)"
    assert b.logs[0] == message
    assert b.reason == "CrashLoopBackOff"
    assert b.exit_code == 1
    assert b.restart_count >= 1
    assert node.pod("p").container("a").ready


def test_a_served_program_stops_on_its_images_stop_signal() -> None:
    pod = pod_of(
        {"containers": [{"name": "web", "image": "nginx", "command": ["sh", "-c", NGINX_EXEC]}]}
    )
    node = podmodel.Node().start(pod).advance(2).delete("p")
    assert "default/p" not in node.pods  # SIGQUIT: nginx exits 0 at once


@given(st.lists(st.text(string.ascii_letters + " \n", max_size=8), max_size=8), st.booleans())
def test_log_pieces_split_only_at_newlines(pieces: list[str], end: bool) -> None:
    partial = ""
    lines: list[str] = []
    for i, piece in enumerate(pieces):
        done, partial = split_log(partial, piece, end=end and i == len(pieces) - 1)
        lines.extend(done)
    text = "".join(pieces)
    expected = text.split("\n")
    rest = expected.pop()
    if end and rest and pieces:
        expected.append(rest)
        rest = ""
    assert (lines, partial) == (expected, rest)


def test_a_line_written_in_two_pieces_is_one_log_line() -> None:
    command = "printf hel; sleep 1; printf 'lo\\nwor'; sleep 1; echo ld; printf tail"
    pod = pod_of(
        {
            "containers": [{"name": "c", "image": "busybox", "command": ["sh", "-c", command]}],
            "restartPolicy": "Never",
        }
    )
    p = podmodel.Node().start(pod).advance(5).pod("p")
    assert p.container("c").logs == ("hello", "world", "tail")


def test_tail_f_as_the_bare_command_forwards_appended_lines() -> None:
    pod = pod_of(
        {
            "containers": [
                {
                    "name": "t",
                    "image": "busybox",
                    "command": ["tail", "-f", "/data/app.log"],
                    "volumeMounts": [{"name": "d", "mountPath": "/data"}],
                },
                {
                    "name": "w",
                    "image": "busybox",
                    "volumeMounts": [{"name": "d", "mountPath": "/data"}],
                    "command": [
                        "sh",
                        "-c",
                        "for i in 1 2 3; do echo line $i >> /data/app.log; sleep 2; done; sleep 3600",
                    ],
                },
            ],
            "volumes": [{"name": "d", "emptyDir": {}}],
        }
    )
    p = podmodel.Node().start(pod).advance(10).pod("p")
    assert "line 3" in p.container("t").logs
    assert p.container("t").state == "running"


def test_an_added_image_declares_its_own_server_program() -> None:
    image = Image(
        name="example/echo",
        programs=frozenset({"sh", "echo", "sleep"}),
        behaviour=Behaviour(
            listens=(Listen(port=7000),),
            banner=b"echo\n",
            program=ImageProgram(names=frozenset({"echo-server"}), version="echo 2.0\n"),
        ),
    )
    node = podmodel.Node(catalogue=default_catalogue().add(image))
    pod = pod_of(
        {
            "containers": [
                {
                    "name": "s",
                    "image": "example/echo:2",
                    "command": ["sh", "-c", "sleep 2; exec echo-server --port 7000"],
                },
                _client("sleep 3600"),
            ]
        }
    )
    node = node.start(pod).advance(1)
    assert node.pod("p").exec("client", "wget -qO- localhost:7000").exit_code == 1
    node = node.advance(2)
    assert node.pod("p").exec("client", "wget -qO- localhost:7000").stdout == "echo\n"
    assert node.pod("p").exec("s", "echo-server -v").stdout == "echo 2.0\n"


ETCD = """
apiVersion: v1
kind: Pod
metadata:
  name: etcd-with-grpc
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.1-0
    command: [ "/usr/local/bin/etcd", "--data-dir",  "/var/lib/etcd", "--listen-client-urls", "http://0.0.0.0:2379", "--advertise-client-urls", "http://127.0.0.1:2379", "--log-level", "debug"]
    ports:
    - containerPort: 2379
    livenessProbe:
      grpc:
        port: 2379
      initialDelaySeconds: 10
"""


def test_the_docs_grpc_liveness_example_runs_with_its_probe_passing() -> None:
    node = podmodel.Node().start(podmodel.loads(ETCD)).advance(300)
    p = node.pod("etcd-with-grpc")
    assert p.get_line().split()[1:4] == ["1/1", "Running", "0"]
    assert not [e for e in p.events if e.type == "Warning"]
