"""Properties of validation: total, deterministic, and each injected defect found at its path."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel import DecodeError, ErrorType
from tests.support.strategies import manifests, mutated_manifests, valid_manifests


@given(valid_manifests())
def test_valid_by_construction_pods_validate_cleanly(doc: dict[str, Any]) -> None:
    result = podmodel.validate(podmodel.from_dict(doc))
    assert result.errors == ()


@given(st.one_of(manifests(), mutated_manifests()))
def test_validation_never_raises_and_is_deterministic(doc: Any) -> None:
    try:
        pod = podmodel.from_dict(doc)
    except DecodeError:
        return
    first = podmodel.validate(pod)
    assert podmodel.validate(pod) == first
    for e in first.errors:
        assert str(e).startswith(e.path)


def _errors(doc: dict[str, Any]) -> set[tuple[ErrorType, str]]:
    return {(e.type, e.path) for e in podmodel.validate(podmodel.from_dict(doc)).errors}


@given(valid_manifests(), st.data())
def test_a_bad_port_is_reported_at_its_path(doc: dict[str, Any], data: st.DataObject) -> None:
    doc = copy.deepcopy(doc)
    i = data.draw(st.integers(0, len(doc["spec"]["containers"]) - 1))
    bad = data.draw(st.sampled_from([0, 65536, -1, 70000]))
    doc["spec"]["containers"][i].setdefault("ports", []).append({"containerPort": bad})
    j = len(doc["spec"]["containers"][i]["ports"]) - 1
    kind = ErrorType.REQUIRED if bad == 0 else ErrorType.INVALID
    assert (kind, f"spec.containers[{i}].ports[{j}].containerPort") in _errors(doc)


@given(valid_manifests(), st.data())
def test_a_duplicated_name_is_reported_at_the_later_one(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    doc = copy.deepcopy(doc)
    containers = doc["spec"]["containers"]
    i = data.draw(st.integers(0, len(containers) - 1))
    containers.append({**containers[i], "name": containers[i]["name"]})
    assert (ErrorType.DUPLICATE, f"spec.containers[{len(containers) - 1}].name") in _errors(doc)


@given(valid_manifests(), st.data())
def test_a_mount_of_a_missing_volume_is_not_found(doc: dict[str, Any], data: st.DataObject) -> None:
    doc = copy.deepcopy(doc)
    i = data.draw(st.integers(0, len(doc["spec"]["containers"]) - 1))
    mounts = doc["spec"]["containers"][i].setdefault("volumeMounts", [])
    mounts.append({"name": "no-such-volume-x", "mountPath": "/missing"})
    path = f"spec.containers[{i}].volumeMounts[{len(mounts) - 1}].name"
    assert (ErrorType.NOT_FOUND, path) in _errors(doc)


@given(valid_manifests())
def test_breaking_a_volume_cascades_to_its_mounts(doc: dict[str, Any]) -> None:
    doc = copy.deepcopy(doc)
    volumes = doc["spec"].get("volumes")
    if not volumes:
        return
    broken = volumes[0]["name"]
    volumes[0] = {"name": broken, "hostPath": {"path": ""}}
    errors = _errors(doc)
    assert (ErrorType.REQUIRED, "spec.volumes[0].hostPath.path") in errors
    for i, c in enumerate(doc["spec"]["containers"]):
        for j, m in enumerate(c.get("volumeMounts", [])):
            if m["name"] == broken:
                assert (
                    ErrorType.NOT_FOUND,
                    f"spec.containers[{i}].volumeMounts[{j}].name",
                ) in errors


@given(st.one_of(manifests(), mutated_manifests()))
def test_defaulting_is_idempotent_and_validation_sees_the_same_pod(doc: Any) -> None:
    """The server defaults once; defaulting an already defaulted pod changes nothing, so
    validating it gives exactly the same errors and warnings."""
    from podmodel.apiserver.defaults import apply_defaults

    try:
        pod = podmodel.from_dict(doc)
    except DecodeError:
        return
    once = apply_defaults(pod)
    assert apply_defaults(once) == once
    assert podmodel.to_dict(apply_defaults(once)) == podmodel.to_dict(once)
    assert podmodel.validate(once) == podmodel.validate(pod)
