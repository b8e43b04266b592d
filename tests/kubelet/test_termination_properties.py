"""Properties of the kubelet's container lifecycle (termination, hooks, probes, memory) over
random pods: podmodel.strategies' pods, and pods with random probes, hooks and limits."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel import Node
from podmodel import strategies as pms
from tests.support.helpers import pod_of

#: Every STATUS kubectl prints for a pod podmodel runs (``Init:`` ones are checked apart).
STATUSES = {
    "Pending",
    "Running",
    "NotReady",
    "Succeeded",
    "Failed",
    "Completed",
    "Error",
    "OOMKilled",
    "ContainerCreating",
    "PodInitializing",
    "CrashLoopBackOff",
    "Terminating",
    "ErrImagePull",
    "ImagePullBackOff",
    "InvalidImageName",
    "ErrImageNeverPull",
    "CreateContainerConfigError",
    "RunContainerError",
}

COMMANDS: list[list[str] | None] = [
    None,
    ["sleep", "3600"],
    ["sh", "-c", "exit 1"],
    ["sh", "-c", "echo ok"],
    ["sh", "-c", "trap 'exit 0' TERM; sleep 1d & wait"],
    ["sh", "-c", "trap 'sleep 5; exit 2' TERM; while true; do sleep 7; done"],
    ["sh", "-c", "sleep 3; stress --vm 1 --vm-bytes 64M --vm-hang 1"],
    ["sh", "-c", "printf 'a'; sleep 2; echo b; exec nginx -g 'daemon off;'"],
    ["tail", "-f", "/etc/passwd"],
]
HANDLERS: list[dict[str, Any]] = [
    {"exec": {"command": ["true"]}},
    {"exec": {"command": ["sh", "-c", "sleep 4; exit 1"]}},
    {"exec": {"command": ["sleep", "100"]}},
    {"sleep": {"seconds": 3}},
    {"httpGet": {"path": "/", "port": 80}},
]
PROBES: list[dict[str, Any]] = [
    {"exec": {"command": ["true"]}},
    {"exec": {"command": ["false"]}},
    {"exec": {"command": ["sleep", "3"]}, "timeoutSeconds": 1},
    {"tcpSocket": {"port": 80}},
    {"httpGet": {"path": "/", "port": 80}},
    {"grpc": {"port": 80}},
]


@st.composite
def lifecycle_pods(draw: st.DrawFn) -> podmodel.Pod:
    containers = []
    for i in range(draw(st.integers(1, 3))):
        c: dict[str, Any] = {"name": f"c{i}", "image": draw(st.sampled_from(["busybox", "nginx"]))}
        command = draw(st.sampled_from(COMMANDS))
        if command is not None:
            c["command"] = command
        for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
            if draw(st.booleans()):
                probe = dict(draw(st.sampled_from(PROBES)))
                probe["periodSeconds"] = draw(st.integers(1, 20))
                if kind != "readinessProbe":
                    probe["failureThreshold"] = draw(st.integers(1, 3))
                    if draw(st.booleans()):
                        probe["terminationGracePeriodSeconds"] = draw(st.integers(1, 40))
                c[kind] = probe
        hooks = {}
        for hook in ("postStart", "preStop"):
            if draw(st.booleans()):
                hooks[hook] = draw(st.sampled_from(HANDLERS))
        if hooks:
            c["lifecycle"] = hooks
        if draw(st.booleans()):
            c["resources"] = {"limits": {"memory": draw(st.sampled_from(["1Mi", "32Mi", "1Gi"]))}}
        containers.append(c)
    spec: dict[str, Any] = {"containers": containers}
    if draw(st.booleans()):  # a sidecar (a restartable init container)
        command = draw(st.sampled_from(COMMANDS[1:]))
        spec["initContainers"] = [
            {"name": "side", "image": "busybox", "restartPolicy": "Always", "command": command}
        ]
    spec["restartPolicy"] = draw(st.sampled_from(["Always", "OnFailure", "Never"]))
    if draw(st.booleans()):
        spec["terminationGracePeriodSeconds"] = draw(st.integers(4, 60))  # > a sleep hook
    return pod_of(spec, name="p")


def _printable(status: str) -> bool:
    if status.startswith("Init:"):
        rest = status[5:]
        done, _, total = rest.partition("/")
        return (done.isdigit() and total.isdigit()) or rest in STATUSES
    return status in STATUSES


@given(lifecycle_pods(), st.lists(st.floats(0, 200), min_size=1, max_size=5))
def test_status_is_printable_and_restarts_never_decrease(
    pod: podmodel.Pod, steps: list[float]
) -> None:
    node = Node().start(pod)
    before = 0
    for dt in steps:
        node = node.advance(dt)
        p = node.pod("p")
        assert _printable(p.status), p.status
        assert p.restarts >= before
        before = p.restarts


@given(pms.pods(), st.floats(0, 300))
def test_any_valid_pod_has_a_printable_status_and_can_be_deleted(
    pod: podmodel.Pod, t: float
) -> None:
    ns = pod.metadata.namespace or "default"
    node = Node().start(pod).advance(t)
    p = node.pod(pod.name, ns)
    assert _printable(p.status), p.status
    grace = pod.spec.termination_grace_period_seconds
    # SIGKILL comes at most 2 s after the grace period; a sidecar's wait for its turn counts
    # the hook's time in whole seconds (waitForTurn), so it may end up to 1 s later
    limit = (30 if grace is None else grace) + 3.01
    node = node.delete(pod.name, ns)
    assert f"{ns}/{pod.name}" not in node.advance(limit).pods


@given(lifecycle_pods(), st.floats(0, 200), st.one_of(st.none(), st.integers(0, 60)))
def test_deleting_ends_with_the_pod_gone_within_the_grace_period(
    pod: podmodel.Pod, t: float, grace: int | None
) -> None:
    node = Node().start(pod).advance(t).delete("p", grace_period=grace)
    own = pod.spec.termination_grace_period_seconds
    period = grace if grace is not None else 30 if own is None else own
    if "default/p" in node.pods:
        assert node.pod("p").status == "Terminating"
        restarts = node.pod("p").restarts
        # the hook runs within the grace period; SIGKILL comes at most 2 s after it
        mid = node.advance(period / 2)
        if "default/p" in mid.pods:
            assert mid.pod("p").status == "Terminating"
            assert mid.pod("p").restarts == restarts
    assert "default/p" not in node.advance(period + 3.01).pods


@given(lifecycle_pods(), st.floats(0, 300))
def test_a_container_whose_readiness_probe_fails_is_never_ready(
    pod: podmodel.Pod, t: float
) -> None:
    failing = {"exec": {"command": ["false"]}}
    pod = podmodel.replace(pod, "spec.containers[0].readinessProbe", failing)
    p = Node().start(pod).advance(t).pod("p")
    assert not p.container("c0").ready
    assert int(p.ready.split("/")[0]) == sum(c.ready for c in p.containers)


@given(lifecycle_pods(), st.floats(0, 600))
def test_every_path_ends_in_a_state_the_restart_policy_allows(pod: podmodel.Pod, t: float) -> None:
    p = Node().start(pod).advance(t).pod("p")
    policy = pod.spec.restart_policy or "Always"
    apps = [c for c in p.containers if c.kind == "app"]
    apps_done = all(c.state == "terminated" and c.next_start is None for c in apps)
    for c in p.containers:
        if c.kind == "sidecar":  # always restarted, until no app container will run again
            assert c.state != "terminated" or c.next_start is not None or apps_done
            if apps_done:
                assert c.next_start is None  # the pod is over: no sidecar restarts
            continue
        if policy == "Never":
            assert c.restart_count == 0
        if c.state == "terminated":
            assert policy != "Always"
            assert policy == "Never" or c.exit_code == 0
        if c.reason == "OOMKilled" or c.last_reason == "OOMKilled":
            assert c.exit_code == 137
