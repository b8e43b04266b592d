"""Properties of the codec: lossless round trips, and totality on any input."""

from __future__ import annotations

import copy
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel import DecodeError
from podmodel.codec._api import _Dumper as KubectlDumper
from tests.support.strategies import JSON, manifests, mutated_manifests


@given(manifests())
def test_to_dict_of_from_dict_is_the_input(doc: dict[str, Any]) -> None:
    before = copy.deepcopy(doc)
    pod = podmodel.from_dict(doc)
    assert podmodel.to_dict(pod) == doc
    assert doc == before  # decoding never changes its input


@given(manifests())
def test_loads_of_dumps_is_the_pod(doc: dict[str, Any]) -> None:
    pod = podmodel.from_dict(doc)
    assert podmodel.loads(podmodel.dumps(pod)) == pod
    assert hash(podmodel.loads(podmodel.dumps(pod))) == hash(pod)


@given(manifests(), st.sampled_from(["block", "flow"]))
def test_yaml_styles_decode_alike(doc: dict[str, Any], style: str) -> None:
    # Written as a user writes YAML for kubectl: strings kubectl would read plain as something
    # else (`n`, `Y`, `8e3`) are quoted, as podmodel.dumps quotes them.
    text = yaml.dump(doc, Dumper=KubectlDumper, default_flow_style=style == "flow")
    assert podmodel.loads(text) == podmodel.from_dict(doc)


@given(st.one_of(mutated_manifests(), JSON))
def test_decoding_any_data_returns_a_pod_or_raises_decode_error(doc: Any) -> None:
    try:
        pod = podmodel.from_dict(doc)
    except DecodeError as exc:
        assert exc.errors
        for e in exc.errors:
            assert str(e)
    else:
        assert isinstance(pod, podmodel.Pod)


@given(st.one_of(st.text(max_size=200), st.binary(max_size=200)))
def test_decoding_any_text_returns_a_pod_or_raises_decode_error(text: str | bytes) -> None:
    try:
        podmodel.load_all(text)
    except DecodeError as exc:
        assert exc.errors


@given(mutated_manifests())
def test_decoding_mutated_yaml_is_total(doc: Any) -> None:
    try:
        text = yaml.safe_dump(doc)
    except yaml.YAMLError:
        return
    try:
        podmodel.loads(text)
    except DecodeError as exc:
        assert all(e.location is not None or not e.field.segments for e in exc.errors)
