"""Properties of running pods over random pods."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel import Node
from tests.support.helpers import pod_of

# image -> the ports its server listens on (every one binds a wildcard, so a shared port collides)
PORTS = {"nginx": {80}, "httpd": {80}, "redis": {6379}, "sunwu51/node": {1880}}


@st.composite
def pods(draw: st.DrawFn) -> podmodel.Pod:
    images = draw(st.lists(st.sampled_from(sorted(PORTS)), min_size=1, max_size=5))
    containers = [{"name": f"c{i}", "image": image} for i, image in enumerate(images)]
    return pod_of({"containers": containers}, name=draw(st.sampled_from(["p", "web-1"])))


@given(pods(), st.floats(0, 400))
def test_every_container_sees_the_pods_ip_and_hostname(pod: podmodel.Pod, t: float) -> None:
    p = Node().start(pod).advance(t).pod(pod.name)
    for c in p.containers:
        if c.state == "running":
            assert p.exec(c.name, "hostname").stdout == f"{pod.name}\n"
            assert p.exec(c.name, "hostname -i").stdout == f"{p.ip}\n"


@given(pods())
def test_a_container_fails_on_bind_exactly_when_an_earlier_one_holds_its_port(
    pod: podmodel.Pod,
) -> None:
    p = Node().start(pod).advance(3).pod(pod.name)
    held: set[int] = set()
    for spec, status in zip(pod.spec.containers, p.containers, strict=True):
        ports = PORTS[spec.image or ""]
        conflict = bool(ports & held)
        assert (status.restart_count > 0 or status.state != "running") == conflict, (spec, status)
        if not conflict:
            held |= ports


@given(pods(), st.lists(st.floats(0, 120), max_size=4))
def test_advancing_never_changes_the_node_it_came_from(
    pod: podmodel.Pod, steps: list[float]
) -> None:
    node = Node().start(pod)
    for dt in steps:
        before = (node.clock, node.pod(pod.name).containers)
        nxt = node.advance(dt)
        assert (node.clock, node.pod(pod.name).containers) == before
        assert nxt.clock == node.clock + dt
        node = nxt
