"""What the controllers would create (podmodel.kubelet.controllers): names and pods, pure."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from podmodel.apiserver.validation import validate
from podmodel.codec import object_from_dict
from podmodel.kubelet.controllers import (
    ALPHANUMS,
    name_suffix,
    pod_names,
    pod_template_hash,
    pods_of,
    replica_set_name,
)
from podmodel.model.workloads import Deployment

TEMPLATE = {
    "metadata": {"labels": {"app": "web"}},
    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
}


def workload(kind: str, version: str = "apps/v1", **spec: Any) -> Any:
    return object_from_dict(
        {
            "apiVersion": version,
            "kind": kind,
            "metadata": {"name": "web"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": TEMPLATE, **spec},
        }
    )


SUFFIX = f"[{ALPHANUMS}]{{5}}"


@given(st.integers(0, 6), st.integers(0, 3))
def test_deployment_pods_are_named_after_their_replica_set(replicas: int, seed: int) -> None:
    d = workload("Deployment", replicas=replicas)
    assert isinstance(d, Deployment)
    rs = replica_set_name(d)
    assert re.fullmatch(f"web-[{ALPHANUMS}]{{1,10}}", rs)
    names = pod_names(d, seed=seed)
    assert len(names) == replicas == len(set(names))
    assert all(re.fullmatch(f"{rs}-{SUFFIX}", n) for n in names)
    assert pod_names(d, seed=seed) == names  # pure
    for pod in pods_of(d, seed=seed):
        assert pod.metadata.labels["pod-template-hash"] == rs.rsplit("-", 1)[-1]
        assert validate(pod).ok


def test_the_hash_follows_the_template() -> None:
    a = workload("Deployment").spec.template
    b = workload("Deployment", replicas=5).spec.template
    assert pod_template_hash(a) == pod_template_hash(b)
    changed = object_from_dict(
        {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": {"spec": {}}}}
    )
    assert pod_template_hash(changed.spec.template) != pod_template_hash(a)
    assert pod_template_hash(a, 1) != pod_template_hash(a)


def test_stateful_set_pods_are_ordinals() -> None:
    ss = workload("StatefulSet", replicas=3, serviceName="db", ordinals={"start": 5})
    assert pod_names(ss) == ("web-5", "web-6", "web-7")
    pods = pods_of(ss)
    assert [(p.spec.hostname, p.spec.subdomain) for p in pods] == [
        ("web-5", "db"),
        ("web-6", "db"),
        ("web-7", "db"),
    ]
    assert pods[0].metadata.labels["statefulset.kubernetes.io/pod-name"] == "web-5"


def test_jobs() -> None:
    plain = workload("Job", "batch/v1", parallelism=3, completions=2)
    assert len(pod_names(plain)) == 2
    assert all(re.fullmatch(f"web-{SUFFIX}", n) for n in pod_names(plain))
    indexed = workload("Job", "batch/v1", completionMode="Indexed", completions=3, parallelism=2)
    names = pod_names(indexed)
    assert [n.rsplit("-", 1)[0] for n in names] == ["web-0", "web-1"]
    pods = pods_of(indexed)
    assert pods[1].metadata.annotations["batch.kubernetes.io/job-completion-index"] == "1"
    assert pods[1].metadata.labels["batch.kubernetes.io/job-name"] == "web"
    assert pod_names(workload("Job", "batch/v1", suspend=True)) == ()


def test_daemon_sets_make_one_pod_per_node() -> None:
    ds = workload("DaemonSet")
    pods = pods_of(ds, nodes=("n1", "n2"))
    assert [p.spec.node_name for p in pods] == ["n1", "n2"]


@given(st.integers(), st.integers(0, 1000))
def test_suffixes_are_five_safe_characters(seed: int, position: int) -> None:
    assert re.fullmatch(SUFFIX, name_suffix(seed, position))
