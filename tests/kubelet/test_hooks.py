"""postStart hooks (kubelet v1.35 startContainer, lifecycle/handlers.go)."""

from __future__ import annotations

from typing import Any

from podmodel import Node
from tests.support.helpers import pod_of


def _node(*containers: dict[str, Any], **spec: Any) -> Node:
    return Node().start(pod_of({"containers": list(containers), **spec}, name="p"))


SLEEP = {"name": "c", "image": "busybox", "command": ["sleep", "3600"]}


def test_the_container_is_not_running_until_its_post_start_hook_returns() -> None:
    hook = {"postStart": {"exec": {"command": ["sh", "-c", "sleep 3; echo hi > /tmp/started"]}}}
    node = _node(SLEEP | {"lifecycle": hook, "readinessProbe": {"exec": {"command": ["true"]}}})
    rows = [node.advance(t).pod("p").get_line() for t in (0, 2.9, 3.1)]
    assert rows == [
        "p           0/1     ContainerCreating   0",
        "p           0/1     ContainerCreating   0",
        "p           1/1     Running             0",
    ]
    assert node.advance(4).pod("p").read("c", "/tmp/started") == b"hi\n"


def test_a_post_start_hook_holds_back_the_next_container() -> None:
    hook = {"postStart": {"sleep": {"seconds": 10}}}
    node = _node(SLEEP | {"lifecycle": hook}, SLEEP | {"name": "d"})
    states = [c.started_at for c in node.advance(5).pod("p").containers]
    assert states == [0.0, None]
    assert [c.started_at for c in node.advance(10).pod("p").containers] == [0.0, 10.0]


def test_a_failing_post_start_hook_kills_the_container_with_the_kubelets_events() -> None:
    hook = {"postStart": {"exec": {"command": ["sh", "-c", "echo nope; exit 1"]}}}
    node = _node({"name": "c", "image": "nginx", "lifecycle": hook})
    p = node.advance(1).pod("p")
    events = {(e.type, e.reason, e.message): e.count for e in p.events}
    assert {k: v for k, v in events.items() if k[1] in ("FailedPostStartHook", "Killing")} == {
        ("Warning", "FailedPostStartHook", "PostStartHook failed"): 2,
        ("Normal", "Killing", "FailedPostStartHook"): 2,
    }
    assert (
        p.events[-1].message
        == f"Back-off restarting failed container c in pod p_default({p.state.uid})"
    )
    # nginx stops at once (SIGQUIT, exit 0), is restarted at once, fails again, backs off
    assert p.get_line() == "p           0/1     CrashLoopBackOff    1"
    assert [node.advance(t).pod("p").restarts for t in (10, 11, 30, 31)] == [1, 2, 2, 3]


def test_a_failed_hook_on_a_process_that_ignores_sigterm_takes_the_grace_period() -> None:
    hook = {"postStart": {"httpGet": {"path": "/", "port": 8080}}}  # nothing listens: refused
    node = _node(SLEEP | {"lifecycle": hook}, terminationGracePeriodSeconds=5)
    rows = [node.advance(t).pod("p").get_line() for t in (0, 4.9, 5)]
    assert rows == [
        "p           0/1     ContainerCreating   0",
        "p           0/1     ContainerCreating   0",
        "p           0/1     ContainerCreating   1",
    ]
    assert node.advance(5).pod("p").container("c").last_reason == "Error"


def test_a_post_start_http_hook_to_a_listening_server_succeeds_whatever_the_path() -> None:
    hook = {"postStart": {"httpGet": {"path": "/nope", "port": 80}}}
    node = _node({"name": "c", "image": "nginx", "lifecycle": hook})
    assert node.advance(60).pod("p").get_line() == "p           1/1     Running             0"
