"""Workloads through the codec: strict like a Pod, lossless, and their templates located."""

from __future__ import annotations

import csv
import warnings
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from podmodel.codec import (
    dumps_object,
    from_dict,
    load_all,
    load_objects,
    loads_object,
    object_from_dict,
    object_to_dict,
    pod_templates,
)
from podmodel.errors import DecodeError, DecodeWarning, ErrorType
from podmodel.model.spec import Pod
from podmodel.model.workloads import (
    WORKLOAD_KINDS,
    CronJob,
    Deployment,
    List,
    PodTemplate,
    ReplicationController,
    StatefulSet,
)
from tests.support.strategies import manifests, mutated_manifests

if TYPE_CHECKING:
    import pathlib

# The place of the pod template in each kind.
TEMPLATE_AT = {
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    "PodTemplate": ("template",),
}


def wrap(kind: str, pod: dict[str, Any], spec: dict[str, Any] | None = None) -> dict[str, Any]:
    """A *kind* object whose template is *pod*'s metadata and spec."""
    version = next(v for v, k in WORKLOAD_KINDS if k == kind)
    template = {"metadata": pod.get("metadata", {}), "spec": pod.get("spec", {})}
    doc: dict[str, Any] = {"apiVersion": version, "kind": kind, "metadata": {"name": "w"}}
    node = doc
    *parents, last = TEMPLATE_AT.get(kind, ("spec", "template"))
    for p in parents:
        node = node.setdefault(p, dict(spec or {}) if p == "spec" and node is doc else {})
    node[last] = template
    return doc


KINDS = sorted(k for _, k in WORKLOAD_KINDS)


@given(st.sampled_from(KINDS), manifests())
def test_workloads_round_trip(kind: str, pod: dict[str, Any]) -> None:
    doc = wrap(kind, pod)
    obj = object_from_dict(doc)
    assert type(obj) is WORKLOAD_KINDS[(doc["apiVersion"], kind)]
    assert object_to_dict(obj) == doc
    assert loads_object(dumps_object(obj)) == obj


@given(st.lists(st.sampled_from(KINDS), max_size=4), manifests())
def test_a_list_decodes_each_item_by_its_kind(kinds: list[str], pod: dict[str, Any]) -> None:
    items = [wrap(k, pod) for k in kinds] + [pod]
    doc = {"apiVersion": "v1", "kind": "List", "items": items}
    obj = object_from_dict(doc)
    assert isinstance(obj, List)
    assert [i.kind for i in obj.items] == [*kinds, "Pod"]
    assert object_to_dict(obj) == doc
    assert load_objects(dumps_object(obj)) == obj.items


def test_unknown_fields_are_reported_as_for_a_pod() -> None:
    doc = wrap("Deployment", {"spec": {"containers": [{"name": "c", "imagee": "x"}]}})
    doc["spec"]["replica"] = 2
    with pytest.raises(DecodeError) as info:
        object_from_dict(doc)
    assert [str(e) for e in info.value.errors] == [
        'unknown field "spec.template.spec.containers[0].imagee"; did you mean "image"?',
        'unknown field "spec.replica"; did you mean "replicas"?',
    ]


def test_unknown_fields_in_a_yaml_workload_are_located() -> None:
    text = (
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n"
        "  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
        "          containers:\n          - {name: c, image: x, Ports: []}\n"
    )
    with pytest.raises(DecodeError) as info:
        loads_object(text, name="cj.yaml")
    (error,) = info.value.errors
    assert str(error.field) == "spec.jobTemplate.spec.template.spec.containers[0].Ports"
    assert str(error.location) == "cj.yaml:11:33"
    assert error.detail == 'did you mean "ports"?'


def test_warn_mode_keeps_unknown_fields() -> None:
    doc = wrap("StatefulSet", {"spec": {"containers": [{"name": "c", "image": "x"}]}})
    doc["spec"]["serviceNam"] = "s"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obj = object_from_dict(doc, field_validation="Warn")
    assert isinstance(obj, StatefulSet)
    assert obj.spec.extra["serviceNam"] == "s"
    assert [str(w.message) for w in caught if w.category is DecodeWarning] == [
        'unknown field "spec.serviceNam"; did you mean "serviceName"?'
    ]
    assert object_to_dict(obj) == doc


def test_wrong_types_are_errors() -> None:
    doc = {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": "3"}}
    with pytest.raises(DecodeError) as info:
        object_from_dict(doc)
    (error,) = info.value.errors
    assert error.type is ErrorType.TYPE_INVALID
    assert str(error.field) == "spec.replicas"
    assert error.detail == "expected 32-bit integer, found string"


@pytest.mark.parametrize(
    ("doc", "text"),
    [
        ({"apiVersion": "v1", "kind": "Service"}, 'not kind "Service"'),
        ({"apiVersion": "extensions/v1beta1", "kind": "Deployment"}, "kind: Invalid value"),
        ({"kind": "Job"}, "kind: Invalid value"),
    ],
)
def test_kinds_and_api_versions_podmodel_does_not_model(doc: dict[str, Any], text: str) -> None:
    with pytest.raises(DecodeError) as info:
        object_from_dict(doc)
    assert len(info.value.errors) == 1


def test_the_api_version_error_names_the_right_one() -> None:
    with pytest.raises(DecodeError) as info:
        object_from_dict({"apiVersion": "extensions/v1beta1", "kind": "Deployment"})
    (error,) = info.value.errors
    assert error.origin == "decode.apiVersion"
    assert error.detail == 'a Deployment is apiVersion "apps/v1", found "extensions/v1beta1"'


def test_pod_entry_points_stay_pod_only() -> None:
    doc = wrap("Job", {"spec": {}})
    with pytest.raises(DecodeError) as info:
        from_dict(doc)
    assert info.value.errors[0].origin == "decode.kindNotPod"
    pods = load_all(
        yaml.safe_dump(doc) + "---\n" + "apiVersion: v1\nkind: Pod\n", skip_non_pods=True
    )
    assert [type(p) for p in pods] == [Pod]


def test_load_objects_can_skip_other_kinds() -> None:
    text = "apiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: PodTemplate\n"
    with pytest.raises(DecodeError):
        load_objects(text)
    assert [type(o) for o in load_objects(text, skip_other_kinds=True)] == [PodTemplate]


def test_pod_templates_say_where_each_came_from() -> None:
    text = (
        "apiVersion: v1\nkind: Service\n---\n"
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: ReplicationController\n  spec:\n    template:\n"
        "      metadata: {labels: {a: b}}\n"
        "- apiVersion: batch/v1\n  kind: CronJob\n  metadata: {name: cj}\n  spec:\n"
        "    jobTemplate:\n      spec:\n        template: {}\n"
        "---\napiVersion: v1\nkind: Pod\n"
    )
    sites = pod_templates(text, name="all.yaml")
    assert [(s.document, s.list_item, s.line, s.column, s.kind, s.name, s.path) for s in sites] == [
        (1, 0, 11, 7, "ReplicationController", "", "spec.template"),
        (1, 1, 18, 19, "CronJob", "cj", "spec.jobTemplate.spec.template"),
    ]
    assert sites[0].template.metadata.labels == {"a": "b"}
    assert isinstance(sites[0].owner, ReplicationController)
    assert isinstance(sites[1].owner, CronJob)


def test_a_list_item_of_a_bad_kind_is_reported_at_its_path() -> None:
    doc = {"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Secret"}]}
    with pytest.raises(DecodeError) as info:
        object_from_dict(doc)
    assert [str(e.field) for e in info.value.errors] == ["items[0].kind"]


@pytest.mark.corpus
def test_the_workload_corpus_round_trips(shared: pathlib.Path) -> None:
    """Every modelled document of every ``valid`` file decodes strictly and round trips."""
    folder = shared / "corpus-workloads"
    with (folder / "INDEX.tsv").open() as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["expected"] == "valid"]
    assert len(rows) >= 100
    decoded = 0
    for row in rows:
        text = (folder / row["file"]).read_text()
        for data in yaml.safe_load_all(text):
            if not isinstance(data, dict) or (data.get("apiVersion"), data.get("kind")) not in {
                *WORKLOAD_KINDS,
                ("v1", "Pod"),
            }:
                continue
            obj = object_from_dict(data)
            assert object_to_dict(obj) == data, row["file"]
            decoded += 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DecodeWarning)  # a key written twice, kept last
            objs = load_objects(text, skip_other_kinds=True)
            sites = pod_templates(text)
        assert len(sites) == sum(1 for o in objs if not isinstance(o, Pod))
    assert decoded >= 185
    assert isinstance(object_from_dict(wrap("Deployment", {})), Deployment)


@given(st.sampled_from(KINDS), mutated_manifests(), st.booleans())
def test_bad_workloads_raise_only_decode_errors(kind: str, pod: Any, listed: bool) -> None:
    """Arbitrary data anywhere in a workload (or a List of it) is a DecodeError, never a crash;
    what decodes round-trips."""
    doc: Any = wrap(kind, pod) if isinstance(pod, dict) else pod
    if listed:
        doc = {"apiVersion": "v1", "kind": "List", "items": [doc, pod]}
    try:
        obj = object_from_dict(doc)
    except DecodeError as exc:
        assert exc.errors
        return
    assert object_to_dict(obj) == doc


def test_a_decode_error_names_the_documents_kind() -> None:
    from podmodel.codec import load_objects, object_from_dict
    from podmodel.errors import DecodeError

    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replica: 1}\n"
    with pytest.raises(DecodeError) as caught:
        load_objects(text)
    assert str(caught.value) == (
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
        'unknown field "spec.replica"; did you mean "replicas"?'
    )
    with pytest.raises(DecodeError, match=r"^Job in version \"v1\" cannot be handled as a Job:"):
        object_from_dict({"apiVersion": "batch/v1", "kind": "Job", "spec": {"x": 1}})
    with pytest.raises(DecodeError, match=r"^Pod in version \"v1\" cannot be handled as a Pod:"):
        loads_object("apiVersion: v1\nkind: Pod\nspec: {x: 1}\n")


def test_an_ephemeral_volumes_claim_metadata_is_encoded() -> None:
    import podmodel

    manifest = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "x"},
        "spec": {
            "containers": [{"name": "c", "image": "nginx"}],
            "volumes": [
                {
                    "name": "s",
                    "ephemeral": {
                        "volumeClaimTemplate": {
                            "metadata": {"labels": {"a": "b"}},
                            "spec": {"accessModes": ["ReadWriteOnce"]},
                        }
                    },
                }
            ],
        },
    }
    assert podmodel.to_dict(podmodel.from_dict(manifest)) == manifest
