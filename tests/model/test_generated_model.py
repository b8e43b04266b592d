"""The generated model (``podmodel/model/_generated``, written by ``tools/gen_model.py``) types
every field of the v1.35 Pod schema, and holds every real pod, frozen and hashable."""

from __future__ import annotations

import pathlib
import pickle
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from podmodel import FrozenMap, Quantity
from podmodel.model._generated import CLASSES
from podmodel.model._paths import PathError
from podmodel.model._typed import from_wire
from podmodel.model.schema import DEFAULT_SCHEMA_VERSION, catalogue
from tests.conftest import shared  # noqa: F401  (fixture)


def _attribute(cls: type, wire: str) -> attrs.Attribute[Any] | None:
    for f in attrs.fields(cls):
        if f.metadata.get("wire") == wire:
            return f
    return None


def test_every_field_of_the_v135_schema_is_a_typed_attribute() -> None:
    cat = catalogue(DEFAULT_SCHEMA_VERSION)
    assert set(CLASSES) == set(cat.definitions)
    missing = []
    for name, fields in cat.definitions.items():
        cls = CLASSES[name]
        for wire, code in fields.items():
            f = _attribute(cls, wire)
            if f is None or f.metadata["type"] != code:
                missing.append(f"{name}.{wire}")
        typed = {f.metadata["wire"] for f in attrs.fields(cls) if f.metadata.get("wire")}
        assert typed == set(fields), name
    assert not missing
    assert sum(len(f) for f in cat.definitions.values()) == 597


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_every_class_is_frozen_slotted_keyword_only_and_hashes(name: str) -> None:
    cls = CLASSES[name]
    obj = cls()
    assert hash(obj) == hash(cls())
    assert "__dict__" not in dir(obj)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        obj.extra = FrozenMap()
    with pytest.raises(TypeError):
        cls(FrozenMap())
    assert pickle.loads(pickle.dumps(obj)) == obj


def test_nested_values_are_frozen_deeply() -> None:
    pod: Any = from_wire(
        CLASSES["Pod"],
        {
            "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {
                "containers": [
                    {
                        "name": "c",
                        "image": "nginx",
                        "resources": {"limits": {"memory": "64Mi", "cpu": 1}},
                        "livenessProbe": {"httpGet": {"path": "/", "port": "http"}},
                        "securityContext": {"capabilities": {"add": ["NET_ADMIN"]}},
                    }
                ],
                "affinity": {
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [
                                {
                                    "matchExpressions": [
                                        {"key": "zone", "operator": "In", "values": ["a"]}
                                    ]
                                }
                            ]
                        }
                    }
                },
                "tolerations": [{"key": "k", "operator": "Exists"}],
            },
        },
    )
    container = pod.spec.containers[0]
    assert type(container).__name__ == "Container"
    assert container.resources.limits["memory"] == Quantity.parse("64Mi")
    assert container.resources.limits["cpu"].as_millis() == 1000
    assert container.liveness_probe.http_get.port == "http"
    assert container.security_context.capabilities.add == ("NET_ADMIN",)
    term = pod.spec.affinity.node_affinity.required_during_scheduling_ignored_during_execution
    assert term.node_selector_terms[0].match_expressions[0].values == ("a",)
    assert pod.spec.tolerations[0].operator == "Exists"
    assert hash(pod) == hash(pickle.loads(pickle.dumps(pod)))


def test_an_unknown_manifest_name_is_refused() -> None:
    with pytest.raises(PathError, match="initialDelaySecnods"):
        from_wire(CLASSES["Probe"], {"initialDelaySecnods": 3})


def to_wire(value: Any) -> Any:
    """The manifest data of a generated object (test-side; quantities stay ``Quantity``)."""
    if attrs.has(type(value)):
        out = {}
        for f in attrs.fields(type(value)):
            v = getattr(value, f.name)
            if f.name == "extra":
                out.update({k: to_wire(x) for k, x in v.items()})
            elif v is not None and v != () and v != FrozenMap():
                out[f.metadata["wire"]] = to_wire(v)
        return out
    if isinstance(value, FrozenMap):
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [to_wire(v) for v in value]
    return value


def _corpus_pods(root: pathlib.Path) -> list[dict[str, Any]]:
    pods = []
    for path in sorted([*root.glob("corpus/*.y*ml"), *root.glob("corpus-workloads/*.y*ml")]):
        try:
            docs = list(yaml.load_all(path.read_bytes(), Loader=yaml.CSafeLoader))
        except yaml.YAMLError:
            continue
        pods += [d for d in docs if isinstance(d, dict) and d.get("kind") == "Pod"]
    return pods


def test_every_corpus_pod_the_server_decodes_fits_the_generated_model(
    shared: pathlib.Path,  # noqa: F811
) -> None:
    import podmodel

    held = 0
    for data in _corpus_pods(shared):
        try:
            podmodel.from_dict(data)  # what the real server decodes (tested against it elsewhere)
        except podmodel.PodmodelError:
            continue
        pod: Any = from_wire(CLASSES["Pod"], data)
        hash(pod)
        wire = to_wire(pod)
        assert _same(wire, data), data.get("metadata")
        held += 1
    assert held > 100


def _same(got: Any, want: Any) -> bool:
    """*got* (to_wire's) holds *want*'s data; a ``Quantity`` equals the quantity written."""
    if isinstance(got, Quantity):
        return got == Quantity.parse(want)
    if isinstance(got, dict) and isinstance(want, dict):
        # A list or map written empty, or a null, is what the model holds as "not written".
        want = {k: v for k, v in want.items() if k in got or v not in ([], {}, None)}
        return got.keys() == want.keys() and all(_same(got[k], want[k]) for k in got)
    if isinstance(got, list) and isinstance(want, list):
        return len(got) == len(want) and all(map(_same, got, want))
    return bool(got == want and type(got) is type(want))


@given(st.sampled_from(sorted(CLASSES)), st.data())
def test_constructing_twice_gives_equal_objects(name: str, data: st.DataObject) -> None:
    cls = CLASSES[name]
    scalars = {
        f.name: data.draw(st.one_of(st.none(), st.text(max_size=3)))
        for f in attrs.fields(cls)
        if f.metadata.get("type") == "s"
    }
    assert cls(**scalars) == cls(**scalars)
    assert hash(cls(**scalars)) == hash(cls(**scalars))
