"""The QoS class, as ComputePodQOS computes it (pkg/apis/core/helper/qos/qos.go)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podmodel import Node
from podmodel.display.report import summary
from podmodel.kubelet.qos import QOS_CLASSES, qos_class
from tests.support.helpers import pod_of


def _pod(*resources: dict[str, Any] | None, init: dict[str, Any] | None = None) -> Any:
    containers = [
        {"name": f"c{i}", "image": "busybox:1", "command": ["sleep", "inf"]}
        | ({"resources": r} if r is not None else {})
        for i, r in enumerate(resources)
    ]
    spec: dict[str, Any] = {"containers": containers}
    if init is not None:
        spec["initContainers"] = [{"name": "i", "image": "busybox:1", "resources": init}]
    return pod_of(spec, name="p")


FULL = {"limits": {"cpu": "500m", "memory": "128Mi"}}


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        ((None,), "BestEffort"),
        (({},), "BestEffort"),
        (({"requests": {"cpu": "0", "memory": "0"}},), "BestEffort"),  # zero does not count
        (({"limits": {"nvidia.com/gpu": "1"}},), "BestEffort"),  # only cpu and memory count
        ((FULL,), "Guaranteed"),  # requests defaulted from limits
        (
            (
                {
                    "limits": {"cpu": "1", "memory": "1Gi"},
                    "requests": {"cpu": "1000m", "memory": "1024Mi"},
                },
            ),
            "Guaranteed",
        ),
        ((FULL, FULL), "Guaranteed"),
        ((FULL, None), "Burstable"),  # one container without limits
        (({"limits": {"cpu": "1"}},), "Burstable"),  # memory not limited
        (({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}},), "Burstable"),
        (({"requests": {"memory": "64Mi"}},), "Burstable"),
    ],
)
def test_qos_classes(resources: tuple[dict[str, Any] | None, ...], expected: str) -> None:
    assert qos_class(_pod(*resources)) == expected


def test_init_containers_count() -> None:
    assert qos_class(_pod(FULL, init={"requests": {"cpu": "100m"}})) == "Burstable"
    assert qos_class(_pod(None, init={"requests": {"cpu": "100m"}})) == "Burstable"
    assert qos_class(_pod(FULL, init=FULL)) == "Guaranteed"


def test_the_running_pod_and_its_summary_show_it() -> None:
    node = Node().start(_pod(FULL))
    p = node.pod("p")
    assert p.qos_class == "Guaranteed"
    assert "QoS Class: Guaranteed" in summary(node, p).splitlines()


QUANTITIES = st.sampled_from(["0", "100m", "0.5", "500m", "1", "64Mi", "128Mi", "1Gi"])


@st.composite
def resources(draw: st.DrawFn) -> dict[str, Any] | None:
    if draw(st.booleans()):
        return None
    out: dict[str, Any] = {}
    for which in ("requests", "limits"):
        chosen = draw(st.dictionaries(st.sampled_from(["cpu", "memory"]), QUANTITIES, max_size=2))
        if chosen:
            out[which] = chosen
    return out


@given(st.lists(resources(), min_size=1, max_size=3))
def test_qos_is_always_one_of_three_and_best_effort_only_without_resources(
    items: list[dict[str, Any] | None],
) -> None:
    from podmodel.model._quantity import parse_quantity

    qos = qos_class(_pod(*items))  # computed on any pod, valid or not, as the helper is
    assert qos in QOS_CLASSES
    positive = any(
        parse_quantity(q).value > 0
        for r in items
        if r
        for which in r.values()
        for q in which.values()
    )
    assert (qos == "BestEffort") == (not positive)
