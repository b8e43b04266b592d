"""The model is immutable, hashable and changed only through attrs.evolve."""

from __future__ import annotations

import attrs
import pytest

import podmodel
from podmodel import Container, ContainerPort, EmptyDir, FrozenMap, Pod, PodSpec, Volume


def _pod() -> Pod:
    return Pod(
        metadata=podmodel.ObjectMeta(name="mypod", labels={"hello": "world"}),
        spec=PodSpec(
            containers=[
                Container(name="c", image="nginx", ports=[ContainerPort(container_port=80)])
            ],
            volumes=[Volume(name="v", sources=[EmptyDir()])],
        ),
    )


def test_assigning_any_attribute_raises() -> None:
    pod = _pod()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        pod.kind = "Service"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        pod.spec.containers[0].name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        pod.metadata.labels["hello"] = "x"  # type: ignore[index]
    with pytest.raises(AttributeError):
        pod.spec.containers.append(Container())  # type: ignore[attr-defined]


def test_equal_pods_hash_equally() -> None:
    assert _pod() == _pod()
    assert hash(_pod()) == hash(_pod())
    assert len({_pod(), _pod()}) == 1


def test_lists_become_tuples_and_dicts_frozen_maps() -> None:
    pod = _pod()
    assert isinstance(pod.spec.containers, tuple)
    assert isinstance(pod.metadata.labels, FrozenMap)


def test_evolve_returns_a_changed_copy_and_leaves_the_original() -> None:
    pod = _pod()
    other = attrs.evolve(pod, metadata=attrs.evolve(pod.metadata, name="other"))
    assert other.metadata.name == "other"
    assert pod.metadata.name == "mypod"
    assert other != pod


def test_classes_are_slotted_and_keyword_only() -> None:
    for cls in (Pod, PodSpec, Container, ContainerPort, Volume, podmodel.VolumeMount):
        assert "__slots__" in cls.__dict__
        with pytest.raises(TypeError):
            cls("positional")


def test_volume_source_helpers() -> None:
    v = Volume(name="v", sources=[podmodel.HostPath(path="/logs"), EmptyDir()])
    assert v.source is None  # two sources: not one
    assert v.host_path == podmodel.HostPath(path="/logs")
    assert v.empty_dir == EmptyDir()
    assert Volume(name="x").source is None


def test_sidecars_and_all_containers() -> None:
    spec = PodSpec(
        init_containers=[Container(name="init"), Container(name="side", restart_policy="Always")],
        containers=[Container(name="app")],
    )
    assert [c.name for c in spec.sidecars] == ["side"]
    assert [(k, i, c.name) for k, i, c in spec.all_containers()] == [
        ("initContainers", 0, "init"),
        ("initContainers", 1, "side"),
        ("containers", 0, "app"),
    ]


def test_frozen_map_is_a_read_only_mapping() -> None:
    m = FrozenMap({"a": 1})
    assert m.set("b", 2) == {"a": 1, "b": 2}
    assert m == {"a": 1}
    assert m.delete("a") == {}
    with pytest.raises(AttributeError):
        m.x = 1  # type: ignore[attr-defined]


def test_pods_and_errors_pickle() -> None:
    import pickle

    pod = _pod()
    assert pickle.loads(pickle.dumps(pod)) == pod
    try:
        podmodel.loads("apiVersion: v1\nkind: Pod\nspec: {nope: 1}\n")
    except podmodel.DecodeError as exc:
        again = pickle.loads(pickle.dumps(exc))
        assert again.errors == exc.errors
        assert str(again) == str(exc)
