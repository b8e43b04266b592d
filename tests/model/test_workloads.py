"""The typed workloads (podmodel.model.workloads): frozen, wire-named, their templates found."""

from __future__ import annotations

import attrs
import pytest

from podmodel.model.spec import Container, ObjectMeta, Pod, PodSpec
from podmodel.model.workloads import (
    WORKLOAD_KINDS,
    CronJob,
    CronJobSpec,
    Deployment,
    DeploymentSpec,
    Job,
    JobSpec,
    JobTemplateSpec,
    LabelSelector,
    PodTemplate,
    PodTemplateSpec,
    ReplicationController,
    ReplicationControllerSpec,
    StatefulSet,
    templates_of,
)

TEMPLATE = PodTemplateSpec(
    metadata=ObjectMeta(labels={"app": "x"}),
    spec=PodSpec(containers=(Container(name="c", image="nginx"),)),
)


@pytest.mark.parametrize(("key", "cls"), sorted(WORKLOAD_KINDS.items(), key=str))
def test_each_kind_defaults_to_its_api_version_and_kind(key: tuple[str, str], cls: type) -> None:
    obj = cls()
    assert (obj.api_version, obj.kind) == key


def test_workloads_are_frozen_and_hashable() -> None:
    d = Deployment(spec=DeploymentSpec(replicas=1, template=TEMPLATE))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        d.spec.replicas = 2  # type: ignore[misc]
    assert hash(d) == hash(attrs.evolve(d))
    assert attrs.evolve(d.spec, replicas=3).replicas == 3
    assert d.spec.replicas == 1  # the original is unchanged


def test_every_typed_attribute_has_a_wire_name() -> None:
    for cls in (*WORKLOAD_KINDS.values(), DeploymentSpec, JobSpec, CronJobSpec, LabelSelector):
        for f in attrs.fields(cls):
            if f.name != "extra":
                wire = f.metadata["wire"]
                assert wire.replace("IP", "Ip").lower() == f.name.replace("_", "").lower()


def test_selectors_convert_to_frozen_maps() -> None:
    sel = LabelSelector(match_labels={"app": "x"}, match_expressions=[{"key": "a"}])
    assert sel.match_labels["app"] == "x"
    assert isinstance(sel.match_expressions, tuple)
    assert ReplicationControllerSpec(selector={"a": "b"}).selector["a"] == "b"


@pytest.mark.parametrize(
    ("obj", "path"),
    [
        (Deployment(spec=DeploymentSpec(template=TEMPLATE)), "spec.template"),
        (StatefulSet(), "spec.template"),
        (Job(spec=JobSpec(template=TEMPLATE)), "spec.template"),
        (
            CronJob(
                spec=CronJobSpec(job_template=JobTemplateSpec(spec=JobSpec(template=TEMPLATE)))
            ),
            "spec.jobTemplate.spec.template",
        ),
        (PodTemplate(template=TEMPLATE), "template"),
        (ReplicationController(spec=ReplicationControllerSpec(template=TEMPLATE)), "spec.template"),
    ],
)
def test_templates_of_names_the_template_path(obj: object, path: str) -> None:
    (site,) = templates_of(obj)
    assert site.path == path
    assert ".".join(site.segments) == path


def test_a_pod_and_a_controller_without_template_have_none() -> None:
    assert list(templates_of(Pod())) == []
    assert list(templates_of(ReplicationController())) == []


def test_every_typed_workload_attribute_is_a_legal_field() -> None:
    from podmodel.codec._decoder import TYPED_WORKLOADS, decoder

    cat = decoder("1.35").cat
    for definition, cls in TYPED_WORKLOADS.items():
        legal = set(cat.fields(definition))
        wires = {f.metadata["wire"] for f in attrs.fields(cls) if f.metadata.get("wire")}
        assert wires <= legal, (definition, wires - legal)
        # and every field of the definition is typed, or kept (status) as frozen JSON
        assert legal - wires <= {"status"}, (definition, legal - wires)
