"""The connections a pod's containers make inside the pod: recorded by the node, bounded."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import podmodel
from podmodel.kubelet import connections
from podmodel.kubelet.connections import MAX_CONNECTIONS, ConnectionLog

POLLER = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: web, image: nginx}
  - {name: red, image: sunwu51/node}
  - name: poller
    image: busybox
    command: [sh, -c, 'while true; do wget -qO- localhost; wget -qO- localhost:8080; sleep 10; done']
"""


def _node(manifest: str = POLLER) -> podmodel.Node:
    return podmodel.Node().start(podmodel.loads(manifest))


def _seen(p: podmodel.RunningPod) -> list[tuple[str, str, int, str | None, int]]:
    return [(c.source, c.host, c.port, c.target, c.count) for c in p.connections]


def test_a_sidecar_polling_the_app_is_recorded_once_with_a_count() -> None:
    p = _node().advance(35).pod("p")
    assert _seen(p) == [
        ("poller", "localhost", 80, "web", 4),
        ("poller", "localhost", 8080, None, 4),
    ]
    ok, refused = p.connections
    assert not ok.refused
    assert refused.refused
    assert ok.protocol == "TCP"
    assert ok.first_time < 1
    assert 30 <= ok.last_time < 31
    assert str(refused) == "poller -> localhost:8080/TCP refused (x4)"


def test_the_record_is_immutable_and_grows_only_on_new_nodes() -> None:
    early = _node().advance(5)
    late = early.advance(30)
    assert _seen(early.pod("p"))[0][-1] == 1
    assert _seen(late.pod("p"))[0][-1] == 4
    assert _seen(early.pod("p"))[0][-1] == 1  # the earlier node is unchanged
    assert isinstance(late.pod("p").connections, tuple)


def test_node_exec_keeps_the_connections_its_command_made_running_pod_exec_does_not() -> None:
    node = _node().advance(1)
    pod = node.pod("p")
    before = _seen(pod)
    result = pod.exec("web", "curl -s localhost:1880 >/dev/null")
    assert result.exit_code == 0
    assert _seen(node.pod("p")) == before  # a read-only view records nothing
    after, result = node.exec("p", "web", f"curl -s {pod.ip}:1880 >/dev/null; curl -s p:81")
    assert result.exit_code == 7
    new = _seen(after.pod("p"))[len(before) :]
    assert new == [("web", pod.ip, 1880, "red", 1), ("web", "p", 81, None, 1)]
    assert _seen(node.pod("p")) == before


def test_names_that_do_not_resolve_and_addresses_outside_the_pod_are_not_recorded() -> None:
    node = _node().advance(1)
    before = _seen(node.pod("p"))
    after, result = node.exec("p", "poller", "wget -q -O- nosuchhost; wget -q -O- 10.1.2.3:80")
    assert "wget: bad address 'nosuchhost'" in result.stderr
    assert "can't connect to remote host (10.1.2.3): Connection refused" in result.stderr
    after, result = after.exec("p", "web", "curl -sS 10.1.2.3")
    assert result.exit_code == 7  # curl: Couldn't connect, as before
    assert "Failed to connect to 10.1.2.3 port 80" in result.stderr
    assert _seen(after.pod("p")) == before


def test_a_script_dialling_many_ports_keeps_the_last_ones() -> None:
    manifest = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: scan
    image: busybox
    command: [sh, -c, 'for i in $(seq 1 150); do wget -q -O- localhost:$i; done; sleep 3600']
"""
    p = _node(manifest).advance(5).pod("p")
    assert len(p.connections) == MAX_CONNECTIONS
    assert p.state.connections.dropped == 150 - MAX_CONNECTIONS
    assert [c.port for c in p.connections] == list(range(151 - MAX_CONNECTIONS, 151))


def test_a_crash_looping_script_keeps_one_record() -> None:
    manifest = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: c, image: busybox, command: [sh, -c, 'wget -q -O- localhost:9; exit 1']}
"""
    p = _node(manifest).advance(3600).pod("p")
    assert len(p.connections) == 1
    (c,) = p.connections
    assert c.refused
    assert c.count == p.container("c").restart_count + 1
    assert p.restarts > 10


def test_repr_stays_short() -> None:
    p = _node().advance(35).pod("p")
    assert "\n" not in repr(p)
    assert len(repr(p)) < 100
    assert repr(p.state.connections) == "ConnectionLog(2 connections, dropped=0)"


_ADDS = st.lists(
    st.tuples(
        st.sampled_from(["a", "b"]),
        st.sampled_from(["localhost", "10.244.0.2"]),
        st.integers(1, 300),
        st.sampled_from(["a", "b", None]),
    ),
    max_size=400,
)


@settings(max_examples=60, deadline=None)
@given(adds=_ADDS)
def test_the_log_is_bounded_distinct_and_keeps_the_most_recently_used(
    adds: list[tuple[str, str, int, str | None]],
) -> None:
    log = ConnectionLog()
    kept: list[tuple[str, str, int, str | None]] = []  # a plain model: least recently used first
    counts: dict[tuple[str, str, int, str | None], int] = {}
    dropped = 0
    for t, add in enumerate(adds):
        source, host, port, target = add
        before, entries = log, log.entries
        log = log.add(source=source, host=host, port=port, target=target, at=t)
        assert before.entries == entries  # the old log is unchanged
        if add in kept:
            kept.remove(add)
        else:
            counts[add] = 0
        kept.append(add)
        counts[add] += 1
        if len(kept) > MAX_CONNECTIONS:
            del counts[kept.pop(0)]
            dropped += 1
        assert len(log) <= MAX_CONNECTIONS
    assert [(c.source, c.host, c.port, c.target) for c in log] == kept
    assert [c.count for c in log] == [counts[k] for k in kept]
    assert log.dropped == dropped
    assert all(c.first_time <= c.last_time for c in log)


def test_module_docstring_names_the_bound() -> None:
    assert connections.__doc__ is not None
    assert "MAX_CONNECTIONS" in connections.__doc__
