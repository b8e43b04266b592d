"""Strict, lossless decoding: what loads, what is reported, and how it is rendered."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
import yaml

import podmodel
from podmodel import DecodeError, ErrorType

if TYPE_CHECKING:
    import pathlib

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: mypod
spec:
  containers:
  - name: c
    image: nginx
"""


def errors_of(text: str, **kw: object) -> list[tuple[str, str]]:
    with pytest.raises(DecodeError) as info:
        podmodel.loads(text, **kw)  # type: ignore[arg-type]
    return [(e.type.value, e.path) for e in info.value.errors]


def test_seed_manifests_load_losslessly(seed_experiments: dict[str, str]) -> None:
    for text in seed_experiments.values():
        pod = podmodel.loads(text)
        assert pod.metadata.name == "mypod"
        assert podmodel.to_dict(pod) == yaml.safe_load(text)


def test_seed_shared_disk_has_a_typed_empty_dir(seed_experiments: dict[str, str]) -> None:
    pod = podmodel.loads(seed_experiments["shared-disk"])
    assert pod.spec.volumes[0].source == podmodel.EmptyDir()
    assert pod.spec.containers[1].command == ("sh", "-c", "tail -f /pm2logs/*.log")
    assert pod.spec.containers[0].volume_mounts[0].mount_path == "/root/.pm2/logs"


def test_seed_path_typo_is_an_unknown_field_with_a_hint(seed_experiments: dict[str, str]) -> None:
    # GIVEN the post's hostPath variant, with `Path` capitalised
    text = seed_experiments["shared-disk"].replace(
        "emptyDir: {}", 'hostPath:\n        Path: "/logs"'
    )
    # WHEN it is decoded
    with pytest.raises(DecodeError) as info:
        podmodel.loads(text)
    # THEN the one error names the field, the fix and the place
    (err,) = info.value.errors
    assert str(err) == 'unknown field "spec.volumes[0].hostPath.Path"; did you mean "path"?'
    assert err.type is ErrorType.UNKNOWN_FIELD
    assert err.location is not None
    assert (err.location.line, err.location.column) == (27, 9)
    assert str(info.value) == (
        'Pod in version "v1" cannot be handled as a Pod: strict decoding error: '
        'unknown field "spec.volumes[0].hostPath.Path"; did you mean "path"?'
    )
    assert err.pointed().endswith('        Path: "/logs"\n            ^')


def test_every_problem_is_reported_at_once_in_document_order() -> None:
    text = POD + "    imagee: x\n    ports: [{containerPort: '80'}]\n  restartPolicy: Always\n"
    text += "  restartPolicy: Never\n"
    # A duplicate key is no error (kubectl keeps the last value; k8s-oracle --yaml agrees):
    # it is reported as a warning, beside the errors.
    with pytest.warns(podmodel.DecodeWarning, match=r'duplicate field "spec\.restartPolicy"'):
        assert errors_of(text) == [
            ("UnknownField", "spec.containers[0].imagee"),
            ("FieldValueTypeInvalid", "spec.containers[0].ports[0].containerPort"),
        ]


def test_duplicate_key_keeps_the_last_value_and_warns_naming_both_lines() -> None:
    # kubectl (go-yaml v2, non-strict) silently keeps the last value: k8s-oracle --yaml sends
    # "image": "redis" for this text. podmodel does the same, and says so.
    text = POD.replace("    image: nginx\n", "    image: nginx\n    image: redis\n")
    with pytest.warns(podmodel.DecodeWarning) as caught:
        pod = podmodel.loads(text)
    assert pod.spec.containers[0].image == "redis"
    (warning,) = caught
    assert str(warning.message) == (
        'duplicate field "spec.containers[0].image"; written on line 8 and again on line 9: '
        "the last value (line 9) is kept, as kubectl does"
    )
    assert isinstance(warning.message, podmodel.DecodeWarning)
    err = warning.message.error
    assert err.type is ErrorType.DUPLICATE_FIELD
    assert err.location is not None
    assert (err.location.line, err.location.column) == (9, 5)


def test_duplicate_key_is_silent_under_ignore() -> None:
    text = POD.replace("    image: nginx\n", "    image: nginx\n    image: redis\n")
    assert podmodel.loads(text, field_validation="Ignore").spec.containers[0].image == "redis"


def test_merge_keys_are_not_duplicates() -> None:
    text = "x: &base {name: c, image: nginx}\n" + POD.replace(
        "  - name: c\n    image: nginx\n", "  - <<: *base\n    image: redis\n"
    )
    with pytest.raises(DecodeError) as info:  # `x` itself is not a Pod field
        podmodel.loads(text)
    assert [e.path for e in info.value.errors] == ["x"]


def test_yaml_11_boolean_trap_is_explained() -> None:
    text = POD + "    env:\n    - name: DEBUG\n      value: yes\n"
    with pytest.raises(DecodeError) as info:
        podmodel.loads(text)
    (err,) = info.value.errors
    assert str(err) == (
        "spec.containers[0].env[0].value: Invalid value: true: expected string, found boolean; "
        'YAML reads the unquoted yes as a boolean: write "yes" to keep it a string'
    )


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("containerPort", "'80'", "expected 32-bit integer, found string"),
        ("containerPort", "true", "expected 32-bit integer, found boolean"),
        ("containerPort", "80.5", "expected 32-bit integer, found number"),
        ("containerPort", "[80]", "expected 32-bit integer, found list"),
        ("name", "80", "expected string, found integer"),
        ("protocol", "{a: b}", "expected string, found object"),
    ],
)
def test_wrong_types_say_what_was_expected_and_found(field: str, value: str, expected: str) -> None:
    text = POD + f"    ports:\n    - {field}: {value}\n"
    with pytest.raises(DecodeError) as info:
        podmodel.loads(text)
    (err,) = info.value.errors
    assert err.path == f"spec.containers[0].ports[0].{field}"
    assert expected in err.detail


def test_integral_floats_are_integers_as_in_json() -> None:
    pod = podmodel.loads(POD + "    ports: [{containerPort: 80.0}]\n")
    assert pod.spec.containers[0].ports[0].container_port == 80
    assert isinstance(pod.spec.containers[0].ports[0].container_port, int)


def test_timestamps_and_base_60_stay_strings_as_in_kubernetes() -> None:
    text = POD + "    env:\n    - {name: A, value: 2024-01-01}\n    - {name: B, value: 1:20}\n"
    env = podmodel.loads(text).spec.containers[0].env
    assert [e.value for e in env] == ["2024-01-01", "1:20"]


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("- a\n- b\n", "decode.notMapping"),
        ("apiVersion: v1\nkind: Service\n", "decode.kindNotPod"),
        ("apiVersion: v1\n", "decode.kindMissing"),
        ("apiVersion: apps/v1\nkind: Pod\n", "decode.apiVersion"),
        ("kind: Pod\n", "decode.apiVersion"),
        ("a: [\n", "decode.yaml"),
        ("a: b\n\tc: d\n", "decode.yaml"),
    ],
)
def test_documents_that_are_not_a_v1_pod(text: str, origin: str) -> None:
    with pytest.raises(DecodeError) as info:
        podmodel.loads(text)
    assert [e.origin for e in info.value.errors] == [origin]


def test_binary_junk_is_a_decode_error() -> None:
    for junk in (
        b"\xff\xfe\x00\x00\x01",
        b"\x00\x01\x02",
        "\ud800".encode("utf-8", "surrogatepass"),
    ):
        with pytest.raises(DecodeError):
            podmodel.loads(junk)


def test_non_string_keys_are_reported() -> None:
    # kubectl turns the YAML key 1 into the JSON field name "1" (k8s-oracle --yaml sends
    # {"spec": {"1": "x", ...}}), which the server then rejects as an unknown field.
    assert errors_of(POD + "  1: x\n") == [("UnknownField", "spec.1")]


def test_loads_wants_exactly_one_pod() -> None:
    with pytest.raises(DecodeError, match="found 2"):
        podmodel.loads(POD + "---\n" + POD)
    with pytest.raises(DecodeError, match="found 0"):
        podmodel.loads("")


def test_load_all_reports_or_skips_other_kinds() -> None:
    stream = POD + "---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\n" + POD
    with pytest.raises(DecodeError) as info:
        podmodel.load_all(stream)
    assert info.value.document == 1
    assert info.value.errors[0].detail == 'expected a Pod, found kind "Service"'
    assert len(podmodel.load_all(stream, skip_non_pods=True)) == 2
    assert len(podmodel.load_all(io.StringIO(POD + "---\n---\n" + POD))) == 2


def test_load_reads_paths_and_streams(tmp_path: pathlib.Path) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(POD)
    assert podmodel.load(f) == podmodel.load(str(f)) == podmodel.loads(POD)
    with f.open() as fh:
        assert podmodel.load(fh) == podmodel.loads(POD)
    with pytest.raises(DecodeError, match="cannot read"):
        podmodel.load(tmp_path / "missing.yaml")


def test_field_validation_modes_keep_unknown_fields_verbatim() -> None:
    text = POD + "    imagee: x\n"
    with pytest.warns(podmodel.DecodeWarning, match="imagee"):
        pod = podmodel.loads(text, field_validation="Warn")
    assert pod.spec.containers[0].extra == {"imagee": "x"}
    assert podmodel.to_dict(pod) == yaml.safe_load(text)
    assert podmodel.loads(text, field_validation="Ignore") == pod
    with pytest.raises(DecodeError, match="fieldValidation"):
        podmodel.loads(text, field_validation="Lenient")


def test_older_schema_versions_lack_newer_fields() -> None:
    text = POD + "  volumes:\n  - name: v\n    emptyDir: {mode: 0755}\n"
    pod = podmodel.loads(text, version="1.37")
    assert pod.spec.volumes[0].empty_dir == podmodel.EmptyDir(mode=0o755)
    assert errors_of(text, version="1.36") == [("UnknownField", "spec.volumes[0].emptyDir.mode")]
    # the default is v1.35, the version of the rules: a v1.37 field is unknown there
    assert errors_of(text) == [("UnknownField", "spec.volumes[0].emptyDir.mode")]
    assert podmodel.LATEST_SCHEMA_VERSION == podmodel.SCHEMA_VERSIONS[-1] == "1.37"
    assert podmodel.DEFAULT_SCHEMA_VERSION == "1.35"
    with pytest.raises(podmodel.UnknownSchemaVersion):
        podmodel.loads(text, version="2.0")


def test_nulls_and_empty_collections_round_trip() -> None:
    text = POD + "    ports: []\n    env: null\n  volumes:\n  - name: v\n    emptyDir:\n"
    text += "status: {}\n"
    pod = podmodel.loads(text)
    assert pod.spec.containers[0].ports == ()
    assert pod.spec.volumes[0].sources == ()
    assert podmodel.to_dict(pod) == yaml.safe_load(text)
    assert podmodel.loads(podmodel.dumps(pod)) == pod


def test_unmodelled_fields_are_kept_verbatim() -> None:
    text = POD + (
        "    resources: {limits: {cpu: 0.5, memory: 64Mi}}\n"
        "    livenessProbe: {httpGet: {path: /, port: http}}\n"
        "  affinity: {nodeAffinity: {}}\n"
        "  tolerations: [{key: k, operator: Exists}]\n"
    )
    pod = podmodel.loads(text)
    assert pod.spec.containers[0].resources == {"limits": {"cpu": 0.5, "memory": "64Mi"}}
    assert pod.spec.tolerations == ({"key": "k", "operator": "Exists"},)
    assert podmodel.to_dict(pod) == yaml.safe_load(text)


def test_unknown_fields_inside_unmodelled_parts_are_still_caught() -> None:
    text = POD + "    livenessProbe: {httpGet: {path: /, prot: 80}}\n"
    assert errors_of(text) == [("UnknownField", "spec.containers[0].livenessProbe.httpGet.prot")]


def test_ephemeral_containers_may_target_a_container() -> None:
    text = POD + "  ephemeralContainers:\n  - {name: dbg, image: busybox, targetContainerName: c}\n"
    pod = podmodel.loads(text)
    assert pod.spec.ephemeral_containers[0].target_container_name == "c"
    assert errors_of(POD + "    targetContainerName: c\n") == [
        ("UnknownField", "spec.containers[0].targetContainerName")
    ]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["apiVersion: v1", "kind: Pod", "metadata:", "  annotations: {}", "a0: &a0 [x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 20)]
    with pytest.raises(DecodeError):
        podmodel.loads("\n".join(lines) + "\n")
    # fieldsV1 is a free-form object: the one place a real Pod may hold arbitrary structure
    bomb = "apiVersion: v1\nkind: Pod\nmetadata:\n  managedFields:\n  - fieldsV1:\n"
    bomb += "      a0: &a0 {x: 1, y: 1}\n"
    bomb += "".join(f"      a{i}: &a{i} {{x: *a{i - 1}, y: *a{i - 1}}}\n" for i in range(1, 30))
    with pytest.raises(DecodeError, match="document too large"):
        podmodel.loads(bomb)


def test_deep_nesting_is_refused() -> None:
    deep = "[" * 10_000 + "]" * 10_000
    with pytest.raises(DecodeError):
        podmodel.loads(
            f"apiVersion: v1\nkind: Pod\nmetadata: {{managedFields: [{{fieldsV1: {{x: {deep}}}}}]}}\n"
        )
    nested = {"managedFields": [{"fieldsV1": _nest(5000)}]}
    with pytest.raises(DecodeError, match="nesting deeper"):
        podmodel.from_dict({"apiVersion": "v1", "kind": "Pod", "metadata": nested})


def _nest(n: int) -> dict[str, object]:
    d: dict[str, object] = {}
    for _ in range(n):
        d = {"x": d}
    return d


def test_from_dict_accepts_frozen_maps_and_rejects_bad_input() -> None:
    pod = podmodel.loads(POD)
    assert podmodel.from_dict(podmodel.FrozenMap(podmodel.to_dict(pod))) == pod
    with pytest.raises(DecodeError):
        podmodel.from_dict(["not", "a", "mapping"])  # type: ignore[arg-type]


def test_integers_outside_their_go_type_are_decode_errors() -> None:
    # containerPort is an int32 on the server: 2**31 cannot even be decoded, let alone validated.
    assert errors_of(POD + "    ports: [{containerPort: 2147483648}]\n") == [
        ("FieldValueTypeInvalid", "spec.containers[0].ports[0].containerPort")
    ]
    big = podmodel.loads(POD + "    ports: [{containerPort: 70000}]\n")  # fits; validation's job
    assert big.spec.containers[0].ports[0].container_port == 70000
    with pytest.raises(DecodeError, match="outside the 32-bit range"):
        podmodel.loads(POD + "    ports: [{containerPort: -2147483649}]\n")
