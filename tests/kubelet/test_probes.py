"""Startup, liveness and readiness probes (tcpSocket, httpGet) on the simulated clock."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel import Node
from tests.support.helpers import pod_of


def _pod(*containers: dict[str, Any]) -> podmodel.Pod:
    return pod_of({"containers": list(containers)}, name="web")


NGINX = {"name": "web", "image": "nginx:1.27"}
SLEEPER = {"name": "side", "image": "busybox:1", "command": ["sleep", "inf"]}


def test_a_failing_liveness_probe_kills_and_restarts_with_the_kubelets_events() -> None:
    pod = _pod(
        NGINX
        | {
            "livenessProbe": {
                "httpGet": {"path": "/healthz", "port": 80},
                "initialDelaySeconds": 5,
            }
        }
    )
    node = Node().start(pod)
    # probes at 5, 15, 25 fail (404): the third failure kills it, and it restarts at once;
    # the new one fails at 30, 40, 50, and waits out a 10 s back-off
    assert [node.advance(t).pod("web").restarts for t in (24, 25, 50, 60)] == [0, 1, 1, 2]
    p = node.advance(51).pod("web")
    assert p.get_line() == "web         0/1     CrashLoopBackOff    1"
    c = p.container("web")
    # nginx stops on its STOPSIGNAL (SIGQUIT) and exits 0: the restart policy still restarts it
    assert (c.exit_code, c.reason, c.message) == (
        0,
        "CrashLoopBackOff",
        f"back-off 10s restarting failed container=web pod=web_default({p.state.uid})",
    )
    events = {(e.reason, e.message): e.count for e in p.events}
    assert (
        events[("Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 404")] == 6
    )
    assert events[("Killing", "Container web failed liveness probe, will be restarted")] == 2
    unhealthy = next(e for e in p.events if e.reason == "Unhealthy")
    assert (unhealthy.type, unhealthy.source) == ("Warning", "kubelet")


def test_a_passing_liveness_probe_keeps_the_container() -> None:
    pod = _pod(NGINX | {"livenessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 3}})
    p = Node().start(pod).advance(86400 * 30).pod("web")  # parked probes cost nothing
    assert (p.get_line(), p.events[-1].reason) == (
        "web         1/1     Running             0",
        "Started",
    )


def test_readiness_drives_ready() -> None:
    pod = _pod(
        NGINX
        | {"readinessProbe": {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 10}},
        SLEEPER | {"readinessProbe": {"tcpSocket": {"port": 8080}, "periodSeconds": 5}},
    )
    node = Node().start(pod)
    rows = [node.advance(t).pod("web").get_line() for t in (0, 9, 10)]
    assert rows == [
        "web         0/2     Running             0",  # not ready before its first probe
        "web         0/2     Running             0",
        "web         1/2     Running             0",
    ]
    p = node.advance(120).pod("web")
    assert [c.ready for c in p.containers] == [True, False]
    assert p.container("side").restart_count == 0  # readiness never restarts
    unhealthy = next(e for e in p.events if e.reason == "Unhealthy")
    assert (
        unhealthy.message
        == "Readiness probe failed: dial tcp 10.244.0.2:8080: connect: connection refused"
    )
    assert (unhealthy.count, unhealthy.first_time, unhealthy.time) == (25, 0.0, 120.0)


def test_event_counts_do_not_depend_on_how_time_is_advanced() -> None:
    pod = _pod(SLEEPER | {"readinessProbe": {"tcpSocket": {"port": 8080}, "periodSeconds": 7}})
    node = Node().start(pod)
    stepped = node
    for _ in range(30):
        stepped = stepped.advance(11)
    at_once = node.advance(330).pod("web").events
    assert stepped.pod("web").events == at_once


def test_a_named_port_and_a_localhost_listener() -> None:
    probe = {"readinessProbe": {"tcpSocket": {"port": "http"}}}
    pod = _pod(NGINX | {"ports": [{"name": "http", "containerPort": 80}]} | probe)
    assert Node().start(pod).pod("web").ready == "1/1"
    # a server on 127.0.0.1 does not answer the kubelet, which dials the pod IP
    from podmodel.kubelet.images import Behaviour, Image, Listen

    local = Image(
        name="local", behaviour=Behaviour(listens=(Listen(address="127.0.0.1", port=80),))
    )
    node = Node(catalogue=podmodel.default_catalogue().add(local))
    local_probe = {"readinessProbe": {"tcpSocket": {"port": 80}}}
    p = node.start(_pod({"name": "web", "image": "local:1"} | local_probe)).pod("web")
    assert p.ready == "0/1"
    assert p.events[-1].message == (
        "Readiness probe failed: dial tcp 10.244.0.2:80: connect: connection refused"
    )


def test_a_startup_probe_gates_liveness_and_kills_when_it_fails() -> None:
    pod = _pod(
        SLEEPER
        | {
            "startupProbe": {"tcpSocket": {"port": 9}, "failureThreshold": 2, "periodSeconds": 5},
            "livenessProbe": {"tcpSocket": {"port": 9}},
        }
    )
    p = Node().start(pod).advance(6).pod("web")
    counts = {e.message: e.count for e in p.events if e.reason in ("Unhealthy", "Killing")}
    assert counts == {
        # at 0 and 5: the second failure kills it
        "Startup probe failed: dial tcp 10.244.0.2:9: connect: connection refused": 2,
        "Container side failed startup probe, will be restarted": 1,
    }
    # `sleep` is PID 1 and ignores SIGTERM: SIGKILL ends it after the 30 s grace period, and
    # it restarts at once (no probe runs while it is being stopped)
    node = Node().start(pod)
    assert [node.advance(t).pod("web").restarts for t in (34, 35)] == [0, 1]
    assert node.advance(35).pod("web").container("side").last_reason == "Error"
    ok = _pod(
        NGINX
        | {"startupProbe": {"httpGet": {"port": 80}}, "readinessProbe": {"tcpSocket": {"port": 80}}}
    )
    assert Node().start(ok).pod("web").ready == "1/1"


def test_an_exec_probe_runs_its_command_in_the_container() -> None:
    pod = _pod(SLEEPER | {"livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}}})
    p = Node().start(pod).advance(20).pod("web")
    assert [e.message for e in p.events if e.reason in ("Unhealthy", "Killing")] == [
        "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
        "Container side failed liveness probe, will be restarted",
    ]
    ok = _pod(SLEEPER | {"livenessProbe": {"exec": {"command": ["true"]}}})
    assert Node().start(ok).advance(300).pod("web").restarts == 0


def test_removing_the_page_fails_the_probe_at_the_next_advance() -> None:
    pod = _pod(NGINX | {"livenessProbe": {"httpGet": {"path": "/", "port": 80}}})
    node = Node().start(pod).advance(30)
    node, _ = node.exec("web", "web", "rm /usr/share/nginx/html/index.html")
    p = node.advance(30).pod("web")
    assert p.restarts == 1
    # a restarted container starts from its image again: the page is back
    assert node.advance(300).pod("web").restarts == 1


PROBES = [
    {"tcpSocket": {"port": 80}},
    {"tcpSocket": {"port": 81}},
    {"httpGet": {"path": "/", "port": 80}},
    {"httpGet": {"path": "/nope", "port": 80}},
]


@st.composite
def probed_pods(draw: st.DrawFn) -> podmodel.Pod:
    containers = []
    for i in range(draw(st.integers(1, 3))):
        c: dict[str, Any] = {
            "name": f"c{i}",
            "image": draw(st.sampled_from(["nginx:1.27", "busybox:1"])),
        }
        if c["image"] == "busybox:1":
            c["command"] = ["sleep", draw(st.sampled_from(["inf", "30"]))]
        for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
            if draw(st.booleans()):
                c[kind] = draw(st.sampled_from(PROBES)) | {
                    "periodSeconds": draw(st.integers(1, 20)),
                    "initialDelaySeconds": draw(st.integers(0, 15)),
                    "failureThreshold": draw(st.integers(1, 4)),
                }
        containers.append(c)
    return _pod(*containers)


STATUSES = {"Running", "CrashLoopBackOff", "Error", "Completed", "Pending", "Succeeded"}


@given(probed_pods(), st.lists(st.floats(0, 300), min_size=1, max_size=5))
def test_probes_keep_every_rule(pod: podmodel.Pod, steps: list[float]) -> None:
    node = Node().start(pod)
    restarts = [c.restart_count for c in node.pod("web").containers]
    for dt in steps:
        before = (node.clock, node.pod("web").containers, node.pod("web").events)
        nxt = node.advance(dt)
        assert (node.clock, node.pod("web").containers, node.pod("web").events) == before
        p = nxt.pod("web")
        assert p.status in STATUSES
        now = [c.restart_count for c in p.containers]
        assert all(b >= a for a, b in zip(restarts, now, strict=True))
        ready, _total = map(int, p.ready.split("/"))
        assert ready <= sum(c.state == "running" for c in p.containers)
        assert all(e.time <= nxt.clock for e in p.events)
        restarts, node = now, nxt


def _events(p: podmodel.RunningPod, reason: str = "Unhealthy") -> list[str]:
    return [e.message for e in p.events if e.reason == reason]


def test_an_exec_probe_that_outlives_its_timeout_fails_with_the_kubelets_text() -> None:
    slow = {"exec": {"command": ["sleep", "5"]}, "timeoutSeconds": 2, "failureThreshold": 100}
    p = Node().start(_pod(SLEEPER | {"livenessProbe": slow})).advance(1).pod("web")
    assert _events(p) == ['Liveness probe failed: command "sleep 5" timed out']
    fast = slow | {"timeoutSeconds": 6}
    assert (
        _events(Node().start(_pod(SLEEPER | {"livenessProbe": fast})).advance(60).pod("web")) == []
    )


def _grpc_node(health: tuple[tuple[str, str], ...] | None) -> Node:
    from podmodel.kubelet.images import Behaviour, Image, Listen

    image = Image(
        name="example/grpc",
        behaviour=Behaviour(listens=(Listen(port=9000),), grpc_health=health),
    )
    return Node(catalogue=podmodel.default_catalogue().add(image))


@pytest.mark.parametrize(
    ("health", "service", "message"),
    [
        ((("", "SERVING"),), None, None),
        (
            (("", "SERVING"), ("db", "NOT_SERVING")),
            "db",
            'service unhealthy (responded with "NOT_SERVING")',
        ),
        (
            (("", "SERVING"),),
            "db",
            "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service",
        ),
        (
            (),
            None,
            "error: this server does not implement the grpc health protocol "
            "(grpc.health.v1.Health): unknown service grpc.health.v1.Health",
        ),
        (
            None,
            None,
            'timeout: failed to connect service "10.244.0.2:9000" within 1s: context deadline exceeded',
        ),
    ],
)
def test_grpc_probes_speak_the_health_protocol(
    health: tuple[tuple[str, str], ...] | None, service: str | None, message: str | None
) -> None:
    grpc: dict[str, Any] = {"port": 9000} | ({"service": service} if service else {})
    pod = _pod({"name": "g", "image": "example/grpc:1", "readinessProbe": {"grpc": grpc}})
    p = _grpc_node(health).start(pod).pod("web")
    assert p.ready == ("1/1" if message is None else "0/1")
    assert _events(p) == ([] if message is None else [f"Readiness probe failed: {message}"])


def test_a_grpc_probe_to_a_closed_port_times_out_as_the_kubelet_dials_with_block() -> None:
    pod = _pod(NGINX | {"readinessProbe": {"grpc": {"port": 81}, "timeoutSeconds": 3}})
    p = Node().start(pod).pod("web")
    assert _events(p) == [
        'Readiness probe failed: timeout: failed to connect service "10.244.0.2:81" within 3s: '
        "context deadline exceeded"
    ]


def test_an_http_probe_to_a_slow_server_times_out() -> None:
    from podmodel.kubelet.images import Behaviour, Image, Listen

    slow = Image(
        name="example/slow",
        behaviour=Behaviour(listens=(Listen(port=8080),), response_seconds=2.5),
    )
    node = Node(catalogue=podmodel.default_catalogue().add(slow))
    probe = {"httpGet": {"path": "/healthz", "port": 8080}}
    pod = _pod({"name": "s", "image": "example/slow", "readinessProbe": probe})
    assert _events(node.start(pod).pod("web")) == [
        'Readiness probe failed: Get "http://10.244.0.2:8080/healthz": context deadline exceeded '
        "(Client.Timeout exceeded while awaiting headers)"
    ]
    patient = _pod(
        {"name": "s", "image": "example/slow", "readinessProbe": probe | {"timeoutSeconds": 3}}
    )
    assert node.start(patient).pod("web").ready == "1/1"


def test_an_http_probe_follows_redirects_and_fails_on_a_forbidden_directory() -> None:
    make = "mkdir -p /usr/share/nginx/html/empty /usr/share/nginx/html/site"
    make += " && echo hi > /usr/share/nginx/html/site/index.html"
    for path, result in (("/site", None), ("/empty", "HTTP probe failed with statuscode: 403")):
        probe = {"httpGet": {"path": path, "port": 80}, "initialDelaySeconds": 5}
        node, done = Node().start(_pod(NGINX | {"readinessProbe": probe})).exec("web", "web", make)
        assert done.exit_code == 0
        p = node.advance(5).pod("web")
        assert _events(p) == ([] if result is None else [f"Readiness probe failed: {result}"])
        assert p.ready == ("1/1" if result is None else "0/1")
