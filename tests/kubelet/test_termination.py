"""Graceful termination: preStop, the stop signal, the grace period, SIGKILL (kubelet v1.35)."""

from __future__ import annotations

from typing import Any

import pytest

import podmodel
from podmodel import Node
from podmodel.errors import PodmodelError
from tests.support.helpers import pod_of


def _node(*containers: dict[str, Any], **spec: Any) -> Node:
    return Node().start(pod_of({"containers": list(containers), **spec}, name="p"))


def _rows(node: Node, times: tuple[float, ...]) -> list[str]:
    out = []
    for t in times:
        later = node.advance(t)
        out.append(later.pod("p").get_line() if "default/p" in later.pods else "gone")
    return out


SLEEP = {"name": "c", "image": "busybox", "command": ["sleep", "3600"]}


def test_a_pid_1_sleep_ignores_sigterm_and_is_killed_after_30_seconds() -> None:
    node = _node(SLEEP).advance(5).delete("p")
    assert _rows(node, (0, 29.9, 30)) == [
        "p           1/1     Terminating         0",
        "p           1/1     Terminating         0",
        "gone",
    ]
    events = [(e.type, e.reason, e.message) for e in node.pod("p").events][-1:]
    assert events == [("Normal", "Killing", "Stopping container c")]


def test_the_grace_period_comes_from_the_pod_or_the_delete() -> None:
    node = _node(SLEEP, terminationGracePeriodSeconds=10).delete("p")
    assert _rows(node, (9.9, 10)) == ["p           1/1     Terminating         0", "gone"]
    node = _node(SLEEP).delete("p", grace_period=4)
    assert _rows(node, (3.9, 4)) == ["p           1/1     Terminating         0", "gone"]
    assert "default/p" not in _node(SLEEP).delete("p", grace_period=0).pods


def test_a_trap_handler_decides_how_the_script_exits() -> None:
    script = "trap 'echo bye; exit 3' TERM; sleep 3600 & wait"
    node = _node({"name": "c", "image": "busybox", "command": ["sh", "-c", script]})
    deleting = node.advance(1).delete("p")
    # blocked in `wait`, the shell runs its handler at once
    assert "default/p" not in deleting.advance(0.01).pods
    # in a foreground `sleep`, the handler waits for the sleep to end, as shells do
    fg = "trap 'exit 0' TERM; sleep 20; sleep 3600"
    node = _node({"name": "c", "image": "busybox", "command": ["sh", "-c", fg]})
    node = node.advance(1).delete("p")  # (at 0 the trap is not set yet: PID 1 ignores it)
    assert _rows(node, (18.9, 19.01)) == ["p           1/1     Terminating         0", "gone"]


def test_an_image_program_stops_at_once_on_its_stop_signal() -> None:
    node = _node({"name": "c", "image": "nginx"}, {"name": "r", "image": "redis"})
    assert "default/p" not in node.advance(3).delete("p").pods


def test_nginx_stop_signal_is_sigquit_so_a_term_trap_does_not_run() -> None:
    script = "trap 'exit 0' TERM; sleep 3600 & wait"
    node = _node({"name": "c", "image": "nginx", "command": ["sh", "-c", script]}).delete("p")
    assert _rows(node, (29.9, 30)) == ["p           1/1     Terminating         0", "gone"]


def test_pre_stop_time_counts_against_the_grace_period() -> None:
    hook = {"preStop": {"sleep": {"seconds": 5}}}
    c = {
        "name": "c",
        "image": "busybox",
        "command": ["sh", "-c", "trap 'exit 0' TERM; sleep 1d & wait"],
    }
    node = _node(c | {"lifecycle": hook}).delete("p")
    # the hook runs 5 s, then SIGTERM: the handler exits at once
    assert _rows(node, (4.9, 5.01)) == ["p           1/1     Terminating         0", "gone"]
    # without a handler: SIGKILL at 30 s, hook included
    node = _node(SLEEP | {"lifecycle": hook}).delete("p")
    assert _rows(node, (29.9, 30)) == ["p           1/1     Terminating         0", "gone"]


def test_a_pre_stop_hook_longer_than_the_grace_period_leaves_two_more_seconds() -> None:
    hook = {"preStop": {"exec": {"command": ["sleep", "100"]}}}
    node = _node(SLEEP | {"lifecycle": hook}, terminationGracePeriodSeconds=10).delete("p")
    # minimumGracePeriodInSeconds: the hook is cut at 10 s, SIGKILL comes 2 s later
    assert _rows(node, (11.9, 12)) == ["p           1/1     Terminating         0", "gone"]


def test_a_failing_pre_stop_hook_records_the_kubelets_event() -> None:
    hook = {"preStop": {"exec": {"command": ["sh", "-c", "echo no; exit 1"]}}}
    node = _node(SLEEP | {"lifecycle": hook}).advance(1).delete("p").advance(1)
    last = [(e.type, e.reason, e.message) for e in node.pod("p").events][-2:]
    assert last == [
        ("Normal", "Killing", "Stopping container c"),
        ("Warning", "FailedPreStopHook", "PreStopHook failed"),
    ]
    refused = {"preStop": {"httpGet": {"path": "/quit", "port": 8080}}}
    node = _node(SLEEP | {"lifecycle": refused}).delete("p")
    assert node.pod("p").events[-1].reason == "FailedPreStopHook"


def test_a_pre_stop_hook_can_write_what_the_container_reads() -> None:
    script = "trap 'cat /tmp/bye; exit 0' TERM; sleep 1d & wait"
    hook = {"preStop": {"exec": {"command": ["sh", "-c", "echo draining > /tmp/bye"]}}}
    c = {"name": "c", "image": "busybox", "command": ["sh", "-c", script], "lifecycle": hook}
    node = _node(c).delete("p")
    stopping = node.pod("p")
    assert stopping.container("c").stop is not None
    assert stopping.read("c", "/tmp/bye") == b"draining\n"


def test_a_pod_being_deleted_is_deleted_once_and_restarts_nothing() -> None:
    crash = {"name": "c", "image": "busybox", "command": ["sh", "-c", "exit 1"]}
    node = _node(crash, SLEEP | {"name": "s"}).advance(5)
    deleting = node.delete("p")
    assert deleting.delete("p") == deleting  # already terminating
    assert [c.state for c in deleting.advance(20).pod("p").containers] == [
        "waiting",
        "running",
    ]
    assert deleting.advance(20).pod("p").restarts == node.pod("p").restarts
    with pytest.raises(PodmodelError):
        deleting.delete("p", grace_period=-1)
    assert "default/p" not in deleting.delete("p", grace_period=0).pods


def test_a_liveness_kill_goes_through_the_same_stop() -> None:
    probe = {"exec": {"command": ["false"]}, "periodSeconds": 5, "failureThreshold": 1}
    node = _node(SLEEP | {"livenessProbe": probe})
    # the probe fails at 0: Killing, then 30 s of grace (sleep ignores SIGTERM), then restart
    assert [node.advance(t).pod("p").restarts for t in (29.9, 30)] == [0, 1]
    assert node.advance(30).pod("p").container("c").last_reason == "Error"
    events = [e.message for e in node.pod("p").events if e.reason == "Killing"]
    assert events == ["Container c failed liveness probe, will be restarted"]
    # the probe's own terminationGracePeriodSeconds wins over the pod's
    own = probe | {"terminationGracePeriodSeconds": 5}
    node = _node(SLEEP | {"livenessProbe": own})
    assert [node.advance(t).pod("p").restarts for t in (4.9, 5)] == [0, 1]


def test_deleting_keeps_host_path_data_and_frees_the_name() -> None:
    vol = {"name": "h", "hostPath": {"path": "/data"}}
    script = "echo kept > /h/f; sleep 3600"
    c = {"name": "c", "image": "busybox", "command": ["sh", "-c", script]}
    c["volumeMounts"] = [{"name": "h", "mountPath": "/h"}]
    node = _node(c, volumes=[vol]).advance(1).delete("p")
    with pytest.raises(podmodel.PodExists):
        node.start(pod_of({"containers": [SLEEP]}, name="p"))
    node = node.advance(30)
    assert node.host_read("/data/f") == b"kept\n"
    assert node.start(pod_of({"containers": [SLEEP]}, name="p")).pod("p").status == "Running"


def test_no_probe_runs_or_is_counted_while_a_container_stops() -> None:
    probe = {"exec": {"command": ["false"]}, "periodSeconds": 1}
    node = _node(SLEEP | {"readinessProbe": probe}).advance(10)

    def runs(n: Node) -> list[tuple[int, float]]:
        return [(e.count, e.time) for e in n.pod("p").events if e.reason == "Unhealthy"]

    assert runs(node) == [(11, 10.0)]  # at 0, 1, ..., 10 s
    assert runs(node.delete("p").advance(20)) == [(11, 10.0)]


def test_sidecars_stop_once_the_app_containers_are_done() -> None:
    """computePodActions kills the pod when no app container will run again: the sidecars stop
    in reverse order within the grace period, and none restarts."""
    pod = podmodel.loads(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: task}\nspec:\n  restartPolicy: OnFailure\n"
        "  terminationGracePeriodSeconds: 10\n  initContainers:\n"
        "  - {name: log, image: busybox, restartPolicy: Always, command: [sh, -c, 'sleep 3600']}\n"
        "  - name: proxy\n    image: busybox\n    restartPolicy: Always\n"
        "    command: [sh, -c, \"trap 'exit 0' TERM; sleep 3600 & wait\"]\n"
        "  containers:\n  - {name: main, image: busybox, command: [sh, -c, 'sleep 5']}\n"
    )
    node = Node().start(pod).advance(60)
    p = node.pod("task")
    got = {c.name: (c.state, c.exit_code, round(c.finished_at or -1)) for c in p.containers}
    assert got == {
        "proxy": ("terminated", 0, 5),  # the later sidecar first: its trap exits at once
        "log": ("terminated", 137, 15),  # PID 1 ignores SIGTERM: killed when the grace ends
        "main": ("terminated", 0, 5),
    }
    assert [c.restart_count for c in p.containers] == [0, 0, 0]
    assert p.phase == "Succeeded"
    killing = [e.message for e in p.events if e.reason == "Killing"]
    assert killing == ["Stopping container log", "Stopping container proxy"]
    # with restartPolicy Always the app restarts, so the sidecars keep running
    always = podmodel.replace(pod, "spec.restartPolicy", "Always")
    q = Node().start(always).advance(60).pod("task")
    assert [c.state for c in q.containers[:2]] == ["running", "running"]
