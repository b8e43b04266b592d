"""podmodel.strategies: valid by construction, defects found at their path, manifests, from_type."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import podmodel
from podmodel import DecodeError
from podmodel import strategies as pst


@given(pst.pods())
def test_valid_by_construction_pods_validate_cleanly(pod: podmodel.Pod) -> None:
    result = podmodel.validate(pod)
    assert result.errors == (), [str(e) for e in result.errors]


@given(pst.pods(host_network=True, max_containers=3))
def test_host_network_pods_are_valid_too(pod: podmodel.Pod) -> None:
    assert podmodel.validate(pod).ok


@given(pst.invalid_pods())
def test_every_injected_defect_is_reported_at_its_path(
    pair: tuple[podmodel.Pod, tuple[podmodel.FieldError, ...]],
) -> None:
    pod, expected = pair
    got = {(e.type, e.path) for e in podmodel.validate(pod).errors}
    assert got == {(e.type, e.path) for e in expected}


@given(pst.pods())
def test_round_trip_through_yaml(pod: podmodel.Pod) -> None:
    assert podmodel.loads(podmodel.dumps(pod)) == pod


@given(pst.manifests(max_documents=3))
def test_manifests_decode_and_validate(text: str) -> None:
    for pod in podmodel.load_all(text):
        assert podmodel.validate(pod).ok


@given(pst.invalid_manifests())
def test_invalid_manifests_fail_decoding_as_expected(
    pair: tuple[str, tuple[podmodel.FieldError, ...]],
) -> None:
    text, expected = pair
    with pytest.raises(DecodeError) as info:
        podmodel.loads(text)
    assert {(e.type, e.path) for e in info.value.errors} == {(e.type, e.path) for e in expected}


@given(pst.pods(max_containers=3, admissible=True), st.floats(0, 60))
def test_all_containers_share_ip_and_hostname(pod: podmodel.Pod, t: float) -> None:
    p = podmodel.Node().start(pod).advance(t).pod(pod.name, pod.metadata.namespace or "default")
    for c in p.containers:
        if c.state == "running":
            assert p.exec(c.name, "hostname -i").stdout.strip() == p.ip
            assert p.exec(c.name, "hostname").stdout.strip() == p.hostname


@given(pst.network_operations())
def test_network_operation_sequences_run(ops: list[dict[str, object]]) -> None:
    _ns, outcomes = pst.run_network_operations(ops)
    assert len(outcomes) == len(ops)


def test_bad_arguments_raise_invalid_argument() -> None:
    for strategy in (
        pst.pod_specs(min_containers=0),
        pst.volumes(kinds=("nosuch",)),
        pst.manifests(max_documents=0),
    ):
        with pytest.raises(InvalidArgument):
            given(strategy)(lambda _: None)()


def test_the_hypothesis_entry_point_is_registered() -> None:
    hooks = {e.value for e in importlib.metadata.entry_points(group="hypothesis")}
    assert "podmodel.strategies._hypothesis:_hypothesis_setup_hook" in hooks


@settings(max_examples=50)
@given(st.from_type(podmodel.Pod), st.from_type(podmodel.Container))
def test_from_type_draws_valid_values(pod: podmodel.Pod, container: podmodel.Container) -> None:
    assert podmodel.validate(pod).ok
    assert container.name
    assert container.image


def test_register_works_without_plugins() -> None:
    code = (
        "import hypothesis.strategies as st, podmodel, podmodel.strategies as pst;"
        "pst.register();"
        "from hypothesis import given, settings;"
        "f = settings(max_examples=5)(given(st.from_type(podmodel.Pod))(lambda p: None));"
        "f(); print('ok')"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"HYPOTHESIS_NO_PLUGINS": "1", "PATH": ""},
        check=False,
    )
    assert proc.stdout.strip() == "ok", proc.stderr
