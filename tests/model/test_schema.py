"""The generated field catalogue agrees with the typed model."""

from __future__ import annotations

import attrs
import pytest

import podmodel
from podmodel.codec import _decoder
from podmodel.model import schema


@pytest.mark.parametrize("cls", sorted(set(_decoder._TYPED.values()), key=lambda c: c.__name__))
def test_every_typed_attribute_is_a_legal_field(cls: type) -> None:
    # Container models both Container and EphemeralContainer (targetContainerName).
    definitions = [d for d, c in _decoder._TYPED.items() if c is cls]
    # legal in some catalogue: EmptyDir.mode is a v1.37 field, unknown in the default 1.35;
    # PodSpec.workloadRef a v1.35 one, gone in 1.37
    legal = {
        f
        for version in schema.SCHEMA_VERSIONS
        for d in definitions
        for f in schema.catalogue(version).fields(d)
    }
    for field in attrs.fields(cls):  # type: ignore[misc]
        wire = field.metadata.get("wire")
        if wire:
            assert wire in legal, f"{cls.__name__}.{field.name} -> {wire} not in {definitions}"


def test_volume_sources_come_from_the_catalogue() -> None:
    sources = set(schema.catalogue().fields("Volume")) - {"name"}
    assert {"emptyDir", "hostPath", "configMap", "secret", "projected", "image"} <= sources


def test_versions_are_exposed_in_order() -> None:
    versions = podmodel.SCHEMA_VERSIONS
    assert versions == tuple(sorted(versions, key=lambda v: tuple(map(int, v.split(".")))))
    assert "1.35" in versions
    assert versions[-1] == podmodel.LATEST_SCHEMA_VERSION


def test_describe_type_and_suggestions() -> None:
    assert schema.describe_type("[@Container") == "list of Container"
    assert schema.catalogue().suggest("Container", "imagee") == "image"
    assert schema.catalogue().suggest("Container", "zzzzzz") is None
