"""Pod-level resources against the real v1.35.4 API server (the oracle): the huge-page limits of
``spec.resources`` must cover the containers' together (``validatePodResourceConsistency``:
the aggregate of app containers and sidecars, or of an init container with the sidecars before
it, whichever is larger), as the requests must.

Go ranges over the resource maps, so errors at map keys are compared as a multiset
(``schema_walk.same_order_modulo_maps``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import given
from hypothesis import strategies as st

import podmodel
from tests.support.schema_walk import same_order_modulo_maps

if TYPE_CHECKING:
    from tests.support.oracle import Oracle

_HUGE = st.dictionaries(
    st.sampled_from(["hugepages-2Mi", "hugepages-1Gi", "memory"]),
    st.sampled_from(["2Mi", "4Mi", "6Mi", "8Mi", "1Gi", "2Gi"]),
    max_size=3,
)


def _container(name: str, limits: dict[str, str], sidecar: bool = False) -> dict[str, Any]:
    c: dict[str, Any] = {"name": name, "image": "nginx", "resources": {"limits": limits}}
    if sidecar:
        c["restartPolicy"] = "Always"
    return c


@given(
    st.lists(_HUGE, min_size=1, max_size=2),
    st.lists(st.tuples(_HUGE, st.booleans()), max_size=2),
    _HUGE,
)
def test_huge_page_limits_cover_the_containers_together(
    apiserver_oracle: Oracle,
    apps: list[dict[str, str]],
    inits: list[tuple[dict[str, str], bool]],
    pod_limits: dict[str, str],
) -> None:
    spec = {
        "containers": [_container(f"c{i}", lim) for i, lim in enumerate(apps)],
        "initContainers": [_container(f"i{i}", lim, s) for i, (lim, s) in enumerate(inits)],
        "resources": {"limits": {"memory": "4Gi", **pod_limits}},
    }
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}
    theirs = [(e["field"], e["text"]) for e in apiserver_oracle.check(obj)["errors"]]
    ours = [(str(e.field), str(e)) for e in podmodel.validate(podmodel.from_dict(obj)).errors]
    assert same_order_modulo_maps(ours, theirs, lambda e: e[0]), (ours, theirs)


def test_the_aggregate_limit_message() -> None:
    spec = {
        "containers": [_container("c", {"hugepages-2Mi": "4Mi", "memory": "1Gi"})],
        "initContainers": [_container("i", {"hugepages-2Mi": "4Mi", "memory": "1Gi"}, True)],
        "resources": {"limits": {"hugepages-2Mi": "6Mi", "memory": "4Gi"}},
    }
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}
    texts = [str(e) for e in podmodel.validate(podmodel.from_dict(obj)).errors]
    assert texts == [
        'spec.resources.requests[hugepages-2Mi]: Invalid value: "6Mi": must be greater than or '
        "equal to aggregate container requests of 8Mi",
        'spec.resources.limits[hugepages-2Mi]: Invalid value: "6Mi": must be greater than or '
        "equal to aggregate container limits of 8Mi",
    ]
