"""Differential test: PodTemplates and ReplicationControllers, podmodel against the real v1.35
API server code (the k8s-oracle answers for these two kinds; they exercise
``ValidatePodTemplateSpec`` and ``GetWarningsForPodTemplate`` as every workload does)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podmodel.apiserver.workloads import validate_workload
from podmodel.codec import object_from_dict
from podmodel.model.workloads import PodTemplate, ReplicationController
from tests.support.oracle import Oracle
from tests.support.strategies import NAMES, manifests

LABELS = st.dictionaries(st.sampled_from(["app", "tier", "Bad Key"]), NAMES, max_size=2)


@st.composite
def templates(draw: st.DrawFn) -> dict[str, Any]:
    """A pod template: a generated pod's spec, with template-only twists."""
    pod = draw(manifests())
    spec = pod["spec"]
    if draw(st.booleans()):
        spec["activeDeadlineSeconds"] = draw(st.integers(-1, 30))
    if draw(st.integers(0, 5)) == 0:
        spec["ephemeralContainers"] = [{"name": "debug", "image": "busybox"}]
    if draw(st.integers(0, 4)) == 0:
        spec.setdefault("volumes", []).append(
            {"name": "pd", "gcePersistentDisk": {"pdName": "d", "readOnly": draw(st.booleans())}}
        )
    if draw(st.integers(0, 4)) == 0:
        spec["terminationGracePeriodSeconds"] = draw(st.integers(-3, 3))
    meta: dict[str, Any] = {}
    labels = draw(LABELS)
    if labels:
        meta["labels"] = labels
    if draw(st.integers(0, 4)) == 0:
        meta["name"] = "ignored-name"
    return {"metadata": meta, "spec": spec}


@st.composite
def objects(draw: st.DrawFn) -> dict[str, Any]:
    template = draw(templates())
    name = draw(st.one_of(NAMES, st.sampled_from(["Web", "a.b", "x" * 70])))
    if draw(st.booleans()):
        return {
            "apiVersion": "v1",
            "kind": "PodTemplate",
            "metadata": {"name": name},
            "template": template,
        }
    spec: dict[str, Any] = {"template": template}
    if draw(st.booleans()):
        spec["replicas"] = draw(st.integers(-1, 3))
    if draw(st.booleans()):
        spec["selector"] = draw(LABELS)
    if draw(st.integers(0, 4)) == 0:
        spec["minReadySeconds"] = draw(st.integers(-2, 2))
    return {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {"name": name},
        "spec": spec,
    }


def _ours(doc: dict[str, Any]) -> tuple[list[str], list[str]]:
    obj = object_from_dict(doc)
    assert isinstance(obj, (PodTemplate, ReplicationController))
    result = validate_workload(obj)
    return [str(e) for e in result.errors], [str(w) for w in result.warnings]


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=150)
@given(st.lists(objects(), min_size=1, max_size=20))
def test_templates_and_rcs_agree_with_the_api_server(
    apiserver_oracle: Oracle, docs: list[dict[str, Any]]
) -> None:
    for doc, answer in zip(docs, apiserver_oracle.check_many(docs), strict=True):
        assert not answer["decode_errors"], answer
        errors, warnings = _ours(doc)
        assert errors == [e["text"] for e in answer["errors"]], doc
        assert warnings == answer["warnings"], doc


def test_the_template_path_prefixes_pod_findings(apiserver_oracle: Oracle) -> None:
    doc = {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {"name": "rc"},
        "spec": {
            "selector": {"app": "x"},
            "template": {
                "metadata": {"labels": {"app": "y"}},
                "spec": {
                    "containers": [{"name": "c", "ports": [{"containerPort": 70000}]}],
                    "ephemeralContainers": [{"name": "e", "image": "busybox"}],
                    "restartPolicy": "OnFailure",
                    "activeDeadlineSeconds": 5,
                },
            },
        },
    }
    expected = [
        'spec.template.metadata.labels: Invalid value: {"app":"y"}: `selector` does not match '
        "template `labels`",
        "spec.template.spec.containers[0].image: Required value",
        "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be "
        "between 1 and 65535, inclusive",
        "spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in "
        "pod template",
        'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: '
        '"Always"',
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in "
        "ReplicationController is not Supported",
    ]
    assert _ours(doc)[0] == expected
    assert [e["text"] for e in apiserver_oracle.check(doc)["errors"]] == expected


def test_template_warnings_carry_the_template_path(apiserver_oracle: Oracle) -> None:
    doc = {
        "apiVersion": "v1",
        "kind": "PodTemplate",
        "metadata": {"name": "t"},
        "template": {
            "spec": {
                "containers": [
                    {"name": "a", "image": "nginx", "ports": [{"containerPort": 80}]},
                    {"name": "b", "image": "nginx", "ports": [{"containerPort": 80}]},
                ],
                "terminationGracePeriodSeconds": -1,
            }
        },
    }
    expected = [
        "template.spec.containers[1].ports[0]: duplicate port definition with "
        "template.spec.containers[0].ports[0]",
        "template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid "
        "and will be treated as 1",
    ]
    assert _ours(doc) == ([], expected)
    assert apiserver_oracle.check(doc)["warnings"] == expected
