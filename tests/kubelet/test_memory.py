"""Memory limits and the OOM killer."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from podmodel import Node
from podmodel.kubelet._memory import SCRIPT_MEMORY, memory_limit, oom_time
from podmodel.kubelet.images import default_catalogue
from podmodel.kubelet.shell import run, simple_system, start
from podmodel.kubelet.shell._memory import parse_size
from tests.support.helpers import pod_of

MIB = 1 << 20


def _node(*containers: dict[str, Any], **spec: Any) -> Node:
    return Node().start(pod_of({"containers": list(containers), **spec}, name="p"))


def _stress(script: str, limit: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": "s",
        "image": "polinux/stress",
        "command": ["sh", "-c", script],
        "resources": {"limits": {"memory": limit}},
        **extra,
    }


def test_redis_with_a_1mi_limit_is_oom_killed_at_start() -> None:
    c = {"name": "r", "image": "redis", "resources": {"limits": {"memory": "1Mi"}}}
    node = _node(c, restartPolicy="Never")
    status = node.pod("p").container("r")
    assert (status.state, status.reason, status.exit_code) == ("terminated", "OOMKilled", 137)
    assert node.pod("p").get_line() == "p           0/1     OOMKilled           0"
    # restartPolicy Always: restarted at once, then the back-off
    node = _node(c)
    assert node.pod("p").get_line() == "p           0/1     CrashLoopBackOff    1"
    assert node.pod("p").container("r").last_reason == "OOMKilled"
    assert [node.advance(t).pod("p").restarts for t in (9.9, 10, 30)] == [1, 2, 3]


def test_stress_growing_past_the_limit_is_oom_killed_when_it_allocates() -> None:
    node = _node(_stress("sleep 5; stress --vm 1 --vm-bytes 250M --vm-hang 1", "100Mi"))
    rows = [node.advance(t).pod("p").get_line() for t in (4.9, 5.01)]
    # killed at 5 and restarted at once (the first restart), so still Running with 1 restart
    assert rows == [
        "p           1/1     Running             0",
        "p           1/1     Running             1",
    ]
    assert node.advance(5.01).pod("p").container("s").last_reason == "OOMKilled"
    # under the limit, it keeps running
    calm = _node(_stress("stress --vm 1 --vm-bytes 50M --vm-hang 1", "100Mi"))
    assert calm.advance(600).pod("p").restarts == 0
    # no limit: no OOM kill
    free = _node(_stress("stress --vm 4 --vm-bytes 1G", "100Mi") | {"resources": {}})
    assert free.advance(600).pod("p").restarts == 0


def test_memory_is_released_when_the_program_ends() -> None:
    script = "stress --vm 1 --vm-bytes 80M --timeout 10s; stress --vm 1 --vm-bytes 80M --vm-hang 1"
    node = _node(_stress(script, "100Mi"))
    assert node.advance(60).pod("p").restarts == 0
    twice = "stress --vm 2 --vm-bytes 60M --timeout 10s"
    assert _node(_stress(twice, "100Mi")).advance(1).pod("p").restarts == 1


def test_a_memory_backed_empty_dir_counts_against_the_limit() -> None:
    vol = [{"name": "shm", "emptyDir": {"medium": "Memory"}}]
    mount = [{"name": "shm", "mountPath": "/shm"}]
    # 588,895 bytes of tmpfs plus the shell's 512 KiB: over 1 MiB
    script = "sleep 1; seq 1 100000 > /shm/blob; sleep 3600"
    c = _stress(script, "1Mi", volumeMounts=mount, image="busybox")
    node = _node(c, volumes=vol, restartPolicy="Never")
    p = node.advance(2).pod("p")
    assert (p.container("s").reason, p.container("s").exit_code) == ("OOMKilled", 137)
    on_disk = _node(c, volumes=[{"name": "shm", "emptyDir": {}}], restartPolicy="Never")
    assert on_disk.advance(2).pod("p").get_line() == "p           1/1     Running             0"


def test_images_declare_their_footprint() -> None:
    cat = default_catalogue()
    assert cat.get("redis").behaviour.memory > MIB
    assert all(cat.get(i).behaviour.memory >= 0 for i in ("nginx", "httpd", "sunwu51/node"))


@given(st.integers(0, 10_000), st.sampled_from(["", "k", "K", "m", "M", "g", "G"]))
def test_stress_sizes_are_powers_of_1024(n: int, unit: str) -> None:
    scale = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[unit.lower()]
    assert parse_size(f"{n}{unit}") == n * scale


@given(st.integers(0, 64), st.integers(1, 4), st.floats(0, 100))
def test_stress_holds_what_it_was_asked_for_until_its_timeout(mib: int, vm: int, t: float) -> None:
    p, s = run(
        start(f"stress --vm {vm} --vm-bytes {mib}M --timeout {t}s"), simple_system(), until=t + 1
    )
    assert p.exit_code == 0
    if mib:
        [(start_at, until, held)] = s.memory
        assert held == vm * mib * MIB
        assert abs(until - start_at - t) < 1e-9
    else:
        assert s.memory == ()


@given(
    st.integers(0, 10 * MIB),
    st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100), st.integers(0, 10 * MIB)), max_size=6),
    st.integers(1, 20 * MIB),
)
def test_the_oom_time_is_the_first_moment_over_the_limit(
    base: int, raw: list[tuple[float, float, int]], limit: int
) -> None:
    holds = tuple((a, a + d, n) for a, d, n in raw)
    t = oom_time(base, holds, limit, 0.0, 1e9)

    def used(x: float) -> int:
        return base + sum(n for a, b, n in holds if a <= x < b)

    moments = sorted({0.0, *(a for a, _, _ in holds)})
    over = [x for x in moments if used(x) > limit]
    assert t == (over[0] if over else None)


def test_a_limit_is_read_as_a_quantity() -> None:
    def spec(memory: object) -> Any:
        return pod_of(
            {
                "containers": [
                    {"name": "c", "image": "x", "resources": {"limits": {"memory": memory}}}
                ]
            }
        ).spec.containers[0]

    assert memory_limit(spec("64Mi")) == 64 * MIB
    assert memory_limit(spec("1G")) == 10**9
    assert SCRIPT_MEMORY < MIB
