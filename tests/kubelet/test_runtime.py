"""Running pods: the seed's three experiments, lifecycle, volumes' lifetimes, exec."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel import ConnectionRefused, InvalidPod, Node, PodExists
from podmodel.kubelet.lifecycle import BackOffSettings, backoff_delay
from tests.support.helpers import pod_of


def test_shared_ip_experiment(seed_experiments: dict[str, str]) -> None:
    node = Node().start(podmodel.loads(seed_experiments["shared-ip"]))
    p = node.pod("mypod")
    assert (p.ip, p.hostname, p.phase, p.ready, p.status) == (
        "10.244.0.2",
        "mypod",
        "Running",
        "2/2",
        "Running",
    )
    for name in ("mycon1", "mycon2"):
        assert p.exec(name, "hostname").stdout == "mypod\n"
        assert p.exec(name, "hostname -i").stdout == "10.244.0.2\n"
    assert p.connect("mycon2", "localhost", 80) == "mycon1"
    assert "<title>Welcome to nginx!</title>" in p.exec("mycon2", "curl localhost:80").stdout
    assert p.connect("mycon1", "localhost", 1880) == "mycon2"
    env = p.exec("mycon1", "env").stdout
    assert "HELLO=WORLD\n" in env
    assert "XX" not in env


def _port_conflict(text: str) -> Node:
    return Node().start(podmodel.loads(text))


@pytest.mark.parametrize("declared", [True, False])
def test_port_conflict_experiment(seed_experiments: dict[str, str], declared: bool) -> None:
    text = seed_experiments["port-conflict"]
    if not declared:  # the post's variant: every containerPort removed, still a conflict
        text = re.sub(r"\n    ports:\n    - containerPort: \d+", "", text)
        assert "containerPort" not in text
    node = _port_conflict(text)
    assert podmodel.validate(podmodel.loads(text)).ok
    p = node.advance(5).pod("mypod")
    assert p.phase == "Running"
    assert p.ready == "2/3"
    assert p.status == "CrashLoopBackOff"
    c = p.container("mycon2")
    assert (c.state, c.reason, c.exit_code) == ("waiting", "CrashLoopBackOff", 1)
    assert "bind() to 0.0.0.0:80 failed (98: Address already in use)" in c.logs
    assert p.container("mycon1").state == p.container("mycon3").state == "running"
    later = node.advance(30).pod("mypod").container("mycon2")
    assert later.restart_count >= 2
    assert re.fullmatch(
        r"back-off (10|20|40)s restarting failed container=mycon2 pod=mypod_default\([0-9a-f-]{36}\)",
        later.message or "",
    )
    assert any(e.reason == "BackOff" for e in node.advance(30).pod("mypod").events)


def test_back_off_follows_the_kubelets_sequence(seed_experiments: dict[str, str]) -> None:
    node = _port_conflict(seed_experiments["port-conflict"])
    restarts_seen = []
    for _ in range(12):
        node = node.advance(20)
        restarts_seen.append(node.pod("mypod").container("mycon2").restart_count)
    messages = [e for e in node.pod("mypod").events if e.reason == "BackOff"]
    assert messages
    assert [backoff_delay(n) for n in range(1, 8)] == [10, 20, 40, 80, 160, 300, 300]
    assert restarts_seen == sorted(restarts_seen)


@given(
    restarts=st.integers(min_value=-5, max_value=10**6),
    base=st.floats(min_value=0.001, max_value=1e6),
    maximum=st.floats(min_value=0.001, max_value=1e9),
)
def test_back_off_is_total_monotonic_and_capped(restarts: int, base: float, maximum: float) -> None:
    settings = BackOffSettings(base=base, maximum=maximum)
    delay = backoff_delay(restarts, settings)
    assert 0.0 <= delay <= maximum
    assert delay <= backoff_delay(restarts + 1, settings)


def test_a_week_of_crash_looping_is_simulated(seed_experiments: dict[str, str]) -> None:
    # More than 1,000 restarts: the back-off must stay at its 5-minute cap (it once overflowed).
    p = _port_conflict(seed_experiments["port-conflict"]).advance(7 * 86400).pod("mypod")
    assert p.status == "CrashLoopBackOff"
    assert p.container("mycon2").restart_count > 2000


def test_a_restart_binds_once_the_holder_is_gone(seed_experiments: dict[str, str]) -> None:
    node = _port_conflict(seed_experiments["port-conflict"]).advance(5)
    # the first nginx exits for good (its port frees), the second's next restart succeeds
    node = node.delete("mypod")
    text = seed_experiments["port-conflict"]
    node = node.start(
        podmodel.loads(
            text.replace(
                "image: nginx\n    ports:\n    - containerPort: 80\n  - name: mycon2",
                "image: busybox\n    ports:\n    - containerPort: 80\n  - name: mycon2",
                1,
            )
        )
    )
    p = node.advance(5).pod("mypod")
    assert p.container("mycon2").state == "running"


def test_shared_disk_experiment(seed_experiments: dict[str, str]) -> None:
    node = Node().start(podmodel.loads(seed_experiments["shared-disk"]))
    p = node.pod("mypod")
    assert p.listdir("mycon2", "/pm2logs") == ("red-error.log", "red-out.log")
    out = p.exec("mycon2", "tail -n 1 /pm2logs/red-out.log").stdout
    assert out == "Server now running at http://127.0.0.1:1880/\n"
    assert p.ready == "2/2"  # nginx runs `tail -f`: it binds nothing, so no conflict
    with pytest.raises(ConnectionRefused):
        p.connect("mycon1", "localhost", 80)


def test_shared_disk_in_kubernetes_mode(seed_experiments: dict[str, str]) -> None:
    node = Node(volume_population="empty").start(podmodel.loads(seed_experiments["shared-disk"]))
    p = node.pod("mypod")
    # the image's logs are not copied; what pm2 writes at run time is there
    assert (
        p.read("mycon2", "/pm2logs/red-out.log")
        == b"Server now running at http://127.0.0.1:1880/\n"
    )


def test_empty_dir_dies_with_the_pod_host_path_lives_on(seed_experiments: dict[str, str]) -> None:
    text = seed_experiments["shared-disk"]
    node = Node().start(podmodel.loads(text))
    node, result = node.exec("mypod", "mycon2", "sh -c 'echo hello > /pm2logs/note.txt'")
    assert result.exit_code == 0
    assert node.pod("mypod").read("mycon1", "/root/.pm2/logs/note.txt") == b"hello\n"
    node = node.delete("mypod", grace_period=0).start(podmodel.loads(text))
    assert not node.pod("mypod").exists("mycon2", "/pm2logs/note.txt")
    host = text.replace("emptyDir: {}", "hostPath:\n        path: /logs")
    node = Node().start(podmodel.loads(host))
    node, _ = node.exec("mypod", "mycon2", "sh -c 'echo kept >> /pm2logs/note.txt'")
    node = node.delete("mypod")
    assert node.host_read("/logs/note.txt") == b"kept\n"
    node = node.advance(30).start(podmodel.loads(host))
    assert node.pod("mypod").read("mycon2", "/pm2logs/note.txt") == b"kept\n"


def test_failed_mount_keeps_the_pod_creating() -> None:
    pod = pod_of(
        {
            "containers": [
                {
                    "name": "c",
                    "image": "nginx",
                    "volumeMounts": [{"name": "v", "mountPath": "/x"}],
                }
            ],
            "volumes": [{"name": "v", "hostPath": {"path": "/logs", "type": "Directory"}}],
        }
    )
    p = Node().start(pod).advance(60).pod("p")
    assert (p.phase, p.status, p.ready) == ("Pending", "ContainerCreating", "0/1")
    assert p.events[-1].reason == "FailedMount"
    assert p.events[-1].message == (
        'MountVolume.SetUp failed for volume "v" : hostPath type check failed: /logs is not a directory'
    )


def test_invalid_pods_are_refused_and_names_are_unique(seed_experiments: dict[str, str]) -> None:
    with pytest.raises(InvalidPod):
        Node().start(pod_of({"containers": [{"name": "c"}]}))
    node = Node().start(podmodel.loads(seed_experiments["shared-ip"]))
    with pytest.raises(PodExists):
        node.start(podmodel.loads(seed_experiments["shared-ip"]))


def test_pods_have_separate_namespaces_but_host_ports_collide() -> None:
    def web(name: str, host_port: int | None = None, host_network: bool = False) -> podmodel.Pod:
        port: dict[str, object] = {"containerPort": 80}
        if host_port:
            port["hostPort"] = host_port
        spec: dict[str, object] = {
            "containers": [{"name": "web", "image": "nginx", "ports": [port]}]
        }
        if host_network:
            spec["hostNetwork"] = True
        return pod_of(spec, name=name)

    node = Node().start(web("a")).start(web("b"))
    assert node.pod("a").ready == node.pod("b").ready == "1/1"
    assert node.pod("a").ip != node.pod("b").ip
    node = node.start(web("c", 8080)).start(web("d", 8080))
    assert node.pod("c").phase == "Running"
    assert (node.pod("d").phase, node.pod("d").events[-1].reason) == ("Pending", "FailedScheduling")
    # under hostNetwork, containerPort 80 defaults hostPort 80: the scheduler refuses a second
    node = Node().start(web("h1", host_network=True)).start(web("h2", host_network=True))
    assert node.pod("h2").events[-1].reason == "FailedScheduling"
    # without declared ports it is scheduled, and its nginx meets h1's in the node's namespace
    undeclared = pod_of(
        {"hostNetwork": True, "containers": [{"name": "web", "image": "nginx"}]}, name="h3"
    )
    node = node.start(undeclared)
    assert node.pod("h1").ip == node.pod("h3").ip == "192.168.49.2"
    assert node.advance(5).pod("h3").status == "CrashLoopBackOff"  # one host port space


def test_init_containers_run_to_completion_then_sidecars_and_apps() -> None:
    pod = pod_of(
        {
            "initContainers": [
                {"name": "setup", "image": "busybox", "command": ["sleep", "5"]},
                {"name": "side", "image": "redis", "restartPolicy": "Always"},
            ],
            "containers": [{"name": "app", "image": "nginx"}],
        }
    )
    node = Node().start(pod)
    p = node.pod("p")
    assert (p.status, p.ready, p.phase) == ("Init:0/1", "0/2", "Pending")
    assert p.container("app").reason == "PodInitializing"
    # `sleep 5` runs through the shell, whose steps take simulated time: it exits just after 5 s
    assert node.advance(5).pod("p").status == "Init:0/1"
    p = node.advance(5.001).pod("p")
    assert (p.status, p.ready, p.phase) == ("Running", "2/2", "Running")
    assert p.container("setup").reason == "Completed"
    assert p.connect("app", "localhost", 6379) == "side"


def test_restart_policy_never_and_completed_pods() -> None:
    pod = pod_of(
        {
            "restartPolicy": "Never",
            "containers": [{"name": "job", "image": "busybox", "command": ["sh", "-c", "sleep 3"]}],
        }
    )
    p = Node().start(pod).advance(10).pod("p")
    assert (p.phase, p.status, p.container("job").exit_code) == ("Succeeded", "Completed", 0)


def test_exec_commands_and_unknown_ones(seed_experiments: dict[str, str]) -> None:
    node = Node().start(podmodel.loads(seed_experiments["shared-ip"]))
    node, r = node.exec("mypod", "mycon1", "mkdir -p /tmp/a/b")
    node, r = node.exec("mypod", "mycon1", ["sh", "-c", "echo one > /tmp/a/b/f && true"])
    p = node.pod("mypod")
    assert p.exec("mycon1", "cat /tmp/a/b/f").stdout == "one\n"
    assert p.exec("mycon1", "ls /tmp/a").stdout == "b\n"
    assert not p.exists("mycon2", "/tmp/a")  # the writable layer is private
    r = p.exec("mycon1", "frobnicate --now")
    assert (r.exit_code, r.stderr) == (127, "sh: frobnicate: not found\n")
    r = p.exec("mycon1", "cat /nope")
    # the shell's programs print busybox's messages (GNU cat says "cat: /nope: No such ...")
    assert (r.exit_code, r.stderr) == (1, "cat: can't open '/nope': No such file or directory\n")
    r = p.exec("mycon2", "curl localhost:9999")
    assert r.exit_code == 7


def test_operations_never_mutate_their_inputs(seed_experiments: dict[str, str]) -> None:
    node = Node().start(podmodel.loads(seed_experiments["port-conflict"]))
    before = node.pod("mypod")
    snapshot = (before.status, before.ready, before.restarts, node.clock, len(before.events))
    node.advance(100)
    node.write("mypod", "mycon1", "/tmp/x", b"x")
    node.exec("mypod", "mycon1", "sh -c 'echo a > /tmp/y'")
    node.delete("mypod")
    after = node.pod("mypod")
    assert (after.status, after.ready, after.restarts, node.clock, len(after.events)) == snapshot
    assert not after.exists("mycon1", "/tmp/x")


def test_mounts_the_kubelet_cannot_prepare_keep_the_container_waiting() -> None:
    pod = pod_of(
        {
            "containers": [
                {
                    "name": "c",
                    "image": "nginx",
                    "volumeMounts": [{"name": "f", "mountPath": "/data", "subPath": "inside"}],
                }
            ],
            "volumes": [
                {"name": "f", "hostPath": {"path": "/etc/app.conf", "type": "FileOrCreate"}}
            ],
        }
    )
    node = Node().host_write("/etc/keep", b"")
    p = node.start(pod).advance(10).pod("p")
    c = p.container("c")
    assert (c.state, c.reason) == ("waiting", "CreateContainerConfigError")
    assert p.ready == "0/1"
    assert p.events[-1].reason == "Failed"


def test_describe_events_counts_repeats_as_kubectl_does(seed_experiments: dict[str, str]) -> None:
    p = _port_conflict(seed_experiments["port-conflict"]).advance(30).pod("mypod")
    table = p.describe_events().splitlines()
    assert table[0].split() == ["Type", "Reason", "Age", "From", "Message"]
    assert table[1].split() == ["----", "------", "----", "----", "-------"]
    backoff = next(line for line in table if "BackOff" in line)
    assert re.match(r"Warning  BackOff +\d+s \(x\d+ over \d+s\) +kubelet +Back-off", backoff)
    # Every row's Message starts in the same column (kubectl's tabwriter).
    column = table[0].index("Message")
    assert all(line[column - 2 : column] == "  " for line in table)


@given(
    st.lists(
        st.tuples(st.sampled_from(["Normal", "Warning"]), st.sampled_from(["A", "B", "C"])),
        max_size=30,
    )
)
def test_add_event_keeps_one_row_per_distinct_event(items: list[tuple[str, str]]) -> None:
    from podmodel.kubelet.lifecycle import Event, add_event

    events: tuple[Event, ...] = ()
    for t, (kind, reason) in enumerate(items):
        events = add_event(
            events, Event(time=t, type=kind, reason=reason, source="kubelet", message=reason)
        )
    assert sum(e.count for e in events) == len(items)
    assert len(events) == len(set(items))
    assert [e.time for e in events] == sorted(e.time for e in events)  # by last occurrence
    assert all(e.first_time <= e.time for e in events)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Normal", "Warning"]),
            st.sampled_from(["A", "B", "C", "D"]),
            st.integers(1, 3),
        ),
        max_size=40,
    )
)
def test_event_log_records_exactly_as_add_event(items: list[tuple[str, str, int]]) -> None:
    from podmodel.kubelet.lifecycle import Event, EventLog, add_event

    events: tuple[Event, ...] = ()
    log = EventLog()
    for t, (kind, reason, count) in enumerate(items):
        event = Event(
            time=t, type=kind, reason=reason, source="kubelet", message=reason, count=count
        )
        before = log
        events, log = add_event(events, event), log.add(event)
        assert before == EventLog.of(tuple(before))  # add returned a new log
        assert tuple(log) == events
        assert len(log) == len(events)
        assert log[-1:] == events[-1:]
    assert log == EventLog.of(events)


@pytest.mark.parametrize("seconds", [-1.0, float("inf"), float("nan")])
def test_advance_refuses_time_that_is_not_a_finite_forward_step(seconds: float) -> None:
    with pytest.raises(podmodel.NodeError, match="finite"):
        Node().advance(seconds)


def test_advance_stops_with_an_error_instead_of_simulating_for_ever(
    seed_experiments: dict[str, str],
) -> None:
    node = _port_conflict(seed_experiments["port-conflict"])
    with pytest.raises(podmodel.NodeError, match="advance less at a time"):
        node.advance(1e9)
    assert node.advance(86400).pod("mypod").status == "CrashLoopBackOff"  # a day is fine


def test_a_pod_with_too_many_containers_is_refused_by_the_node() -> None:
    from podmodel.kubelet.node import MAX_CONTAINERS

    names = [f"c{i}" for i in range(MAX_CONTAINERS + 1)]
    manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n" + "".join(
        f"  - {{name: {n}, image: busybox, command: [sh, -c, 'sleep 9']}}\n" for n in names
    )
    pod = podmodel.loads(manifest)
    assert podmodel.validate(pod).ok  # Kubernetes sets no such number
    with pytest.raises(podmodel.NodeError, match=f"at most {MAX_CONTAINERS}"):
        Node().start(pod)


def test_a_pod_with_too_many_volume_mounts_is_refused_by_the_node() -> None:
    from podmodel.kubelet.node import MAX_MOUNTS

    mounts = "".join(f"    - {{name: v, mountPath: /m{i}}}\n" for i in range(MAX_MOUNTS + 1))
    manifest = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        f"  - name: c\n    image: busybox\n    volumeMounts:\n{mounts}"
        "  volumes: [{name: v, emptyDir: {}}]\n"
    )
    pod = podmodel.loads(manifest)
    assert podmodel.validate(pod).ok
    with pytest.raises(podmodel.NodeError, match=f"at most {MAX_MOUNTS}"):
        Node().start(pod)
