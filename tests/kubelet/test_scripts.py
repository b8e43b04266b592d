"""Containers and ``exec`` run what the manifest says, through podmodel's shell."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import podmodel
from podmodel import Node, NodeError
from tests.support.helpers import pod_of


def _one(command: list[str], image: str = "busybox", **extra: Any) -> Node:
    restart = extra.pop("restart_policy", None)
    container = {"name": "c", "image": image, "command": command, **extra}
    spec: dict[str, Any] = {"containers": [container]}
    if restart:
        spec["restartPolicy"] = restart
    return Node().start(pod_of(spec))


def test_a_script_that_sleeps_keeps_running() -> None:
    node = _one(["sh", "-c", "echo hello; sleep 3600"]).advance(60)
    p = node.pod("p")
    c = p.container("c")
    assert (p.status, c.state, c.restart_count, c.logs) == ("Running", "running", 0, ("hello",))
    assert c.process is not None
    assert not c.process.done
    # after the hour the script ends: exit 0, and restartPolicy Always restarts it
    c = node.advance(3600).pod("p").container("c")
    assert (c.restart_count, c.logs[:2]) == (1, ("hello", "hello"))


def test_a_script_exit_code_is_the_container_exit_code() -> None:
    node = _one(["sh", "-c", "echo done; exit 3"], restart_policy="Never").advance(1)
    c = node.pod("p").container("c")
    assert (c.state, c.reason, c.exit_code, c.logs) == ("terminated", "Error", 3, ("done",))
    assert node.pod("p").phase == "Failed"
    # with restartPolicy Always it crash-loops
    c = _one(["/bin/sh", "-c", "echo done; exit 3"]).advance(30).pod("p").container("c")
    assert (c.reason, c.exit_code) == ("CrashLoopBackOff", 3)
    assert c.restart_count >= 2


def test_a_loop_writes_on_the_clock() -> None:
    script = "while true; do date >> /data/log; sleep 5; done"
    spec = {
        "containers": [
            {
                "name": "c",
                "image": "busybox",
                "command": ["sh", "-c", script],
                "volumeMounts": [{"name": "d", "mountPath": "/data"}],
            }
        ],
        "volumes": [{"name": "d", "emptyDir": {}}],
    }
    node = Node().start(pod_of(spec)).advance(60)
    p = node.pod("p")
    assert p.read("c", "/data/log").count(b"\n") == 12
    assert p.status == "Running"


def test_args_expand_kube_variables_and_plain_argv_runs_exec() -> None:
    node = _one(
        ["echo"],
        args=["$(GREETING)", "$$(GREETING)", "$(NOPE)"],
        env=[{"name": "GREETING", "value": "hi"}],
        restart_policy="Never",
    ).advance(1)
    c = node.pod("p").container("c")
    assert (c.reason, c.logs) == ("Completed", ("hi $(GREETING) $(NOPE)",))


def test_sh_c_name_and_positional_arguments() -> None:
    node = _one(["sh", "-c", 'echo "$0 $1 $2"', "me", "a", "b"], restart_policy="Never").advance(1)
    assert node.pod("p").container("c").logs == ("me a b",)


def test_a_program_the_image_lacks_is_not_found() -> None:
    node = _one(["sh", "-c", "ps"], image="nginx", restart_policy="Never").advance(1)
    c = node.pod("p").container("c")
    assert (c.exit_code, c.logs) == (127, ("sh: ps: not found",))
    node = _one(["sh", "-c", "sleep 3600"], image="nginx")
    r = node.pod("p").exec("c", "ps aux")
    assert (r.exit_code, r.stderr) == (127, "sh: ps: not found\n")
    assert node.pod("p").exec("c", "ls /usr/share/nginx/html").exit_code == 0


def test_exec_runs_through_the_shell_and_node_exec_keeps_writes() -> None:
    node = _one(["sleep", "infinity"])
    r = node.pod("p").exec("c", "for i in 1 2 3; do echo $i; done | wc -l; exit 4")
    assert (r.stdout.strip(), r.exit_code) == ("3", 4)
    node2, r = node.exec("p", "c", "echo kept > /tmp/f && cat /tmp/f")
    assert r.stdout == "kept\n"
    assert node2.pod("p").read("c", "/tmp/f") == b"kept\n"
    assert not node.pod("p").exists("c", "/tmp/f")  # the older node is unchanged
    r = node.pod("p").exec("c", "sleep 100")  # still running at the timeout
    assert r.exit_code == 137


SHARED = {
    "restartPolicy": "Never",
    "volumes": [{"name": "shared-data", "emptyDir": {}}],
    "containers": [
        {
            "name": "nginx-container",
            "image": "nginx",
            "volumeMounts": [{"name": "shared-data", "mountPath": "/usr/share/nginx/html"}],
        },
        {
            "name": "debian-container",
            "image": "debian",
            "volumeMounts": [{"name": "shared-data", "mountPath": "/pod-data"}],
            "command": ["/bin/sh"],
            "args": ["-c", "echo Hello from the debian container > /pod-data/index.html"],
        },
    ],
}


def test_communicate_between_containers_through_a_shared_volume() -> None:
    """kubernetes.io: Communicate Between Containers in the Same Pod Using a Shared Volume."""
    node = Node().start(pod_of(SHARED, name="two-containers")).advance(10)
    p = node.pod("two-containers")
    debian = p.container("debian-container")
    assert (debian.state, debian.reason, debian.exit_code) == ("terminated", "Completed", 0)
    assert p.container("nginx-container").state == "running"
    r = p.exec("nginx-container", "curl localhost")
    assert (r.stdout, r.exit_code) == ("Hello from the debian container\n", 0)
    assert p.exec("nginx-container", "cat /usr/share/nginx/html/index.html").stdout == (
        "Hello from the debian container\n"
    )


LOOP = {
    "volumes": [{"name": "d", "emptyDir": {}}],
    "containers": [
        {
            "name": "writer",
            "image": "busybox",
            "command": [
                "sh",
                "-c",
                "i=0; while true; do i=$((i+1)); echo $i >> /d/n; sleep 3; done",
            ],
            "volumeMounts": [{"name": "d", "mountPath": "/d"}],
        },
        {
            "name": "reader",
            "image": "busybox",
            "command": ["sh", "-c", "sleep 7; wc -l < /d/n; exit 2"],
            "volumeMounts": [{"name": "d", "mountPath": "/d"}],
        },
    ],
}


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=4))
def test_advancing_in_steps_equals_advancing_at_once(steps: list[int]) -> None:
    start = Node().start(pod_of(LOOP))
    stepped = start
    for s in steps:
        stepped = stepped.advance(s)
    once = start.advance(sum(steps))
    a, b = stepped.pod("p"), once.pod("p")
    assert a.containers == b.containers
    assert a.exists("writer", "/d/n") == b.exists("writer", "/d/n")
    if a.exists("writer", "/d/n"):
        assert a.read("writer", "/d/n") == b.read("writer", "/d/n")


def test_logs_as_kubectl_logs_shows_them() -> None:
    pod = podmodel.loads(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
        "  volumes: [{name: d, emptyDir: {}}]\n  containers:\n"
        "  - name: c\n    image: busybox\n    volumeMounts: [{name: d, mountPath: /d}]\n"
        "    command: [sh, -c, 'echo x >> /d/n; echo run $(wc -l < /d/n); exit 1']\n"
        "  - {name: s, image: busybox, command: [sh, -c, 'echo up; sleep 3600']}\n"
        "  - {name: w, image: ngnix}\n"
    )
    node = Node().start(pod).advance(1)
    p = node.pod("p")
    assert p.logs("s") == "up\n"
    with pytest.raises(NodeError, match='previous terminated container "s" in pod "p" not found'):
        p.logs("s", previous=True)
    with pytest.raises(
        NodeError, match=r'container "w" in pod "p" is waiting to start: image can.t be pulled'
    ):
        p.logs("w")
    # the first restart is at once; while the second instance waits to restart, both show it
    c = p.container("c")
    assert (c.state, c.restart_count) == ("waiting", 1)
    assert p.logs("c") == p.logs("c", previous=True) == "run 2\n"
    assert c.logs == ("run 1", "run 2")  # every instance's lines
    p = node.advance(10).pod("p")
    assert p.container("c").restart_count == 2
    assert p.logs("c") == "run 3\n"
