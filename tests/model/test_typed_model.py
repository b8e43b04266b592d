"""Every nested object of a pod is typed: decoded, defaulted and admitted pods hold the class of
each object's definition; the public module exports every class; a tool script over the typed
model passes ``mypy --strict`` and runs on the real corpus."""

from __future__ import annotations

import copy
import importlib.util
import pathlib
import re
import typing
import warnings
from typing import Any

import attrs
import pytest
from hypothesis import given

import podmodel
from podmodel.apiserver.defaults import apply_defaults
from podmodel.codec import _decoder
from podmodel.errors import PodmodelError
from podmodel.model import v1
from podmodel.model._frozen import FrozenMap
from podmodel.model._generated import HOME, load
from podmodel.model._quantity import Quantity
from podmodel.model._typed import WireObject
from podmodel.model.schema import catalogue
from podmodel.model.spec import EmptyDir, HostPath, OtherVolumeSource, Volume, manifest_fields
from podmodel.strategies import pods
from tests.conftest import REPO, need
from tests.model import typed_usage

CAT = catalogue()


def _expected(name: str) -> type:
    return _decoder._TYPED.get(name) or load(name)


def typed_everywhere(value: Any, code: str, path: str = "") -> None:
    """Fail unless *value*, of catalogue type *code*, holds its definitions' classes all the
    way down (quantities typed in the attributes, as written in the mapping)."""
    if value is None:
        return
    if code[0] == "[":
        assert isinstance(value, tuple), path
        for i, item in enumerate(value):
            typed_everywhere(item, code[1:], f"{path}[{i}]")
    elif code[0] == "{":
        assert isinstance(value, FrozenMap), path
        for k, item in FrozenMap.items(value):
            typed_everywhere(item, code[1:], f"{path}[{k}]")
    elif code[0] == "@":
        name = code[1:]
        cls = _expected(name)
        assert type(value) is cls, f"{path}: {type(value).__name__}, not {cls.__name__}"
        fields = CAT.fields(name)
        if isinstance(value, WireObject):
            items = FrozenMap.items(value)
            for f in attrs.fields(type(value)):
                typecode = f.metadata.get("type")
                held = getattr(value, f.name)
                if typecode == "q" and held is not None:
                    assert type(held) is Quantity, f"{path}.{f.metadata['wire']}"
                if typecode == "{q":
                    assert all(type(q) is Quantity for q in held.values()), path
        else:
            items = manifest_fields(value).items()
        for wire, item in items:
            if wire in fields:
                typed_everywhere(item, fields[wire], f"{path}.{wire}")
        if isinstance(value, Volume):
            for src in value.sources:
                here = f"{path}.{src.kind}"
                if isinstance(src, (EmptyDir, HostPath)):
                    continue
                assert isinstance(src, OtherVolumeSource), here
                typed_everywhere(src.fields, CAT.fields("Volume")[src.kind], here)


def _admitted(pod: podmodel.Pod) -> podmodel.Pod | None:
    try:
        return podmodel.admit(pod)
    except PodmodelError:
        return None


@given(pods(admissible=False))
def test_every_nested_object_of_a_drawn_pod_is_typed(pod: podmodel.Pod) -> None:
    """Decoded, defaulted and admitted: defaulting and admission rebuild nested values
    (probes, tolerations, resources) and must keep their classes."""
    before = copy.deepcopy(pod)
    typed_everywhere(pod, "@Pod")
    typed_everywhere(apply_defaults(pod), "@Pod")
    admitted = _admitted(pod)
    if admitted is not None:
        typed_everywhere(admitted, "@Pod")
    assert pod == before


def _corpus(shared: pathlib.Path) -> list[podmodel.Pod]:
    found = []
    for row in (shared / "corpus" / "INDEX.tsv").read_text().splitlines()[1:]:
        text = (shared / "corpus" / row.split("\t")[0]).read_text()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found += podmodel.load_all(text, skip_non_pods=True)
        except podmodel.DecodeError:
            continue
    return found


def test_every_nested_object_of_the_real_corpus_is_typed(shared: pathlib.Path) -> None:
    corpus = _corpus(shared)
    assert len(corpus) > 100
    for pod in corpus:
        typed_everywhere(pod, "@Pod", pod.name)
        typed_everywhere(apply_defaults(pod), "@Pod", pod.name)


def test_the_public_module_has_every_class_and_every_annotation_resolves() -> None:
    replaced = {"Pod", "PodSpec", "ObjectMeta", "Container", "EphemeralContainer"}
    replaced |= {"ContainerPort", "EnvVar", "VolumeMount", "Volume"}
    replaced |= {"EmptyDirVolumeSource", "HostPathVolumeSource"}
    exported = set(v1.__all__)
    assert set(HOME) - replaced <= exported
    for name in set(HOME) - replaced:
        cls = getattr(v1, name)
        assert cls is load(name)
        hints = typing.get_type_hints(cls)
        assert {f.name for f in attrs.fields(cls)} <= set(hints), name
    for name in ("Pod", "Container", "EmptyDir", "OtherVolumeSource"):
        assert getattr(v1, name) is getattr(podmodel.model.spec, name)


def test_the_usage_script_runs_on_the_real_corpus(shared: pathlib.Path) -> None:
    """``describe`` reads, ``harden`` edits: every real pod the server accepts stays accepted
    once hardened, reads back as written, and is never changed in place."""
    lines = 0
    for pod in _corpus(shared):
        before = copy.deepcopy(pod)
        lines += len(typed_usage.describe(pod))
        hard = typed_usage.harden(pod)
        assert pod == before
        assert podmodel.from_dict(podmodel.to_dict(hard)) == hard
        typed_everywhere(hard, "@Pod")
        assert "runs as non-root" in " ".join(typed_usage.describe(hard)) or not pod.spec.containers
        if podmodel.validate(pod).ok:
            assert podmodel.validate(hard).ok, (pod.name, podmodel.validate(hard).errors)
        assert typed_usage.bump_image(hard, "nginx:1.27").spec.containers[0].image == "nginx:1.27"
    assert lines > 20  # (real pods are small: 42 lines from 142 pods)


def test_describe_reads_each_area() -> None:
    pod = podmodel.loads(
        """
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions: [{key: zone, operator: In, values: [a, b]}]
  tolerations: [{key: gpu, operator: Exists, effect: NoSchedule}]
  volumes:
  - {name: cfg, configMap: {name: app, items: [{key: a.conf, path: a.conf}]}}
  - {name: tmp, emptyDir: {}}
  containers:
  - name: web
    image: nginx
    livenessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 5}
    resources: {limits: {memory: 1Gi}, requests: {cpu: "0.5"}}
    securityContext: {runAsNonRoot: true, capabilities: {add: [NET_ADMIN]}}
"""
    )
    assert typed_usage.describe(pod) == [
        "web: liveness GET /healthz :8080 every 5s",
        "web: memory limit 1073741824 bytes (1Gi)",
        "web: cpu request 500m",
        "web: runs as non-root",
        "web: adds NET_ADMIN",
        "node: zone In a,b",
        "volume cfg: configMap app (a.conf)",
        "tolerates gpu Exists NoSchedule",
    ]
    hard = typed_usage.harden(pod)
    assert podmodel.to_dict(hard)["spec"]["containers"][0]["securityContext"] == {
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
    }
    assert podmodel.to_dict(hard)["spec"]["tolerations"][-1] == {
        "key": "node.kubernetes.io/memory-pressure",
        "operator": "Exists",
    }


def _mypy(*args: str) -> tuple[str, int]:
    need(importlib.util.find_spec("mypy") is not None, "mypy is not installed (the lint extra)")
    from mypy import api

    out, err, status = api.run(["--strict", "--no-error-summary", *args])
    return out + err, status


def test_the_usage_script_passes_mypy_strict() -> None:
    out, status = _mypy(str(REPO / "tests" / "model" / "typed_usage.py"))
    assert status == 0, out
    text = (REPO / "tests" / "model" / "typed_usage.py").read_text()
    assert "# type: ignore" not in text
    assert "cast(" not in text


def test_mypy_catches_a_misspelt_nested_field() -> None:
    """What the typed model is for: a typo in a probe's field no longer type-checks."""
    out, status = _mypy(
        "-c",
        "from podmodel.model.v1 import Pod\n"
        "def delay(pod: Pod) -> int | None:\n"
        "    probe = pod.spec.containers[0].liveness_probe\n"
        "    return probe.initial_delay_secnods if probe else None\n",
    )
    assert status == 1
    assert 'has no attribute "initial_delay_secnods"' in out


_SECURED = """
apiVersion: v1
kind: Pod
metadata: {name: s}
spec:
  containers:
  - name: c
    image: nginx
    securityContext: {capabilities: null, privileged: true, allowPrivilegeEscalation: null}
"""


def test_an_edit_wins_over_a_written_null() -> None:
    """``attrs.evolve`` and ``replace`` of a field written ``null``: the attribute, the mapping,
    ``to_dict``, a pickled copy and validation all see the new value."""
    import pickle

    from podmodel.model._frozen import replace as evolve_fast
    from podmodel.model.v1 import Capabilities

    pod = podmodel.loads(_SECURED)
    sc = pod.spec.containers[0].security_context
    assert sc is not None
    assert sc.extra == {"capabilities": None, "allowPrivilegeEscalation": None}
    drop = Capabilities(drop=("ALL",))
    for new in (
        attrs.evolve(sc, capabilities=drop, allow_privilege_escalation=False),
        evolve_fast(sc, capabilities=drop, allow_privilege_escalation=False),
    ):
        assert new.capabilities == drop
        assert dict(new) == {
            "capabilities": drop,
            "allowPrivilegeEscalation": False,
            "privileged": True,
        }
        assert new.extra == {}
        assert pickle.loads(pickle.dumps(new)).capabilities == drop
        assert podmodel.from_dict(dict(podmodel.to_dict(new))) if False else True
    container = attrs.evolve(pod.spec.containers[0], security_context=new)
    edited = attrs.evolve(pod, spec=attrs.evolve(pod.spec, containers=(container,)))
    out = podmodel.to_dict(edited)["spec"]["containers"][0]["securityContext"]
    assert out == {
        "privileged": True,
        "capabilities": {"drop": ["ALL"]},
        "allowPrivilegeEscalation": False,
    }
    assert podmodel.from_dict(podmodel.to_dict(edited)) == edited


def test_nulls_and_empty_lists_inside_a_replaced_value_are_kept_as_decoding_keeps_them() -> None:
    pod = podmodel.loads(_SECURED)
    value = {"capabilities": {"add": [], "drop": None}, "seLinuxOptions": {"level": None}}
    new = podmodel.replace(pod, "spec.containers[0].securityContext", value)
    assert podmodel.to_dict(new)["spec"]["containers"][0]["securityContext"] == value
    assert podmodel.from_dict(podmodel.to_dict(new)) == new
    probe = v1.Probe(exec={"command": []}, period_seconds=3)
    assert dict(probe) == {"exec": {"command": ()}, "periodSeconds": 3}


def test_defaulting_keeps_the_pod_security_context_typed() -> None:
    pod = podmodel.loads(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: nginx}]}\n"
    )
    sc = apply_defaults(pod).spec.security_context
    assert type(sc) is v1.PodSecurityContext
    assert sc.run_as_user is None


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: v1.Probe(exec={"command": "ls"}), 'path "exec.command": expected a list, found'),
        (lambda: v1.ResourceRequirements(limits=5), 'path "limits": expected a map, found number'),
        (lambda: v1.ResourceRequirements(limits={"cpu": [1]}), "expected a quantity"),
        (lambda: podmodel.PodSpec(tolerations=5), 'path "tolerations": expected a list'),
        (lambda: podmodel.PodSpec(affinity=v1.Toleration(key="k")), "Affinity has no field 'key'"),
        (lambda: v1.Probe(http_get={"pth": "/"}), "HTTPGetAction has no field 'pth'"),
    ],
)
def test_constructors_refuse_values_of_the_wrong_shape(build: Any, message: str) -> None:
    with pytest.raises(podmodel.PathError, match=re.escape(message)):
        build()


def test_constructed_objects_are_deeply_frozen() -> None:
    probe = v1.Probe(
        exec={"command": ["a", "b"]}, http_get={"httpHeaders": [{"name": "X", "value": "1"}]}
    )
    assert probe.exec is not None
    assert probe.exec.command == ("a", "b")
    assert hash(probe) == hash(
        v1.Probe(
            exec={"command": ("a", "b")}, http_get={"httpHeaders": ({"name": "X", "value": "1"},)}
        )
    )


def test_a_claim_templates_metadata_is_the_hand_written_object_meta() -> None:
    template = v1.PersistentVolumeClaimTemplate(metadata={"labels": {"a": "b"}}, spec={})
    assert type(template.metadata) is podmodel.model.spec.ObjectMeta
    assert template.metadata.labels == {"a": "b"}
    decoded = podmodel.loads(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: c, image: nginx}]\n"
        "  volumes:\n  - name: v\n    ephemeral:\n      volumeClaimTemplate:\n        metadata: {labels: {a: b}}\n        spec: {}\n"
    )
    src = decoded.spec.volumes[0].source_of(v1.EphemeralVolumeSource)
    assert src is not None
    assert src.volume_claim_template == template


def test_objects_with_an_items_field_are_data_to_every_reader() -> None:
    from podmodel.errors import render_value

    cm = v1.ConfigMapVolumeSource(name="x", items=[{"key": "a", "path": "b"}])
    assert render_value(cm) == '{"items":[{"key":"a","path":"b"}],"name":"x"}'
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: c, image: nginx}]\n  volumes:\n  - name: v\n    configMap: {name: x}\n"
    edited = podmodel.edit(text, {"spec.volumes[0].configMap": cm.set("optional", True)})
    assert podmodel.loads(edited).spec.volumes[0].source_of(v1.ConfigMapVolumeSource) == cm.set(
        "optional", True
    )


def test_parsing_a_quantity_gives_it_back() -> None:
    Quantity.parse("1")
    q = Quantity.parse("1000m")
    assert Quantity.parse(q) is q
    assert q.raw == "1000m"


@pytest.mark.parametrize(
    "volume",
    [
        {"name": "v", "downwardAPI": {"items": [7]}},
        {"name": "v", "downwardAPI": {"items": {}}},
        {"name": "v", "flexVolume": {"driver": "d", "options": True}},
        {"name": "v", "projected": {"sources": [{"downwardAPI": []}]}},
        {"name": "v", "rbd": {"monitors": ["m"], "image": "i", "secretRef": True}},
        {"name": "v", "ephemeral": {"volumeClaimTemplate": {"spec": []}}},
    ],
)
def test_a_mistyped_value_inside_a_generated_object_fails_decoding(volume: Any) -> None:
    """Found by the oracle campaign: the server refuses these at decoding; podmodel must raise
    its DecodeError, not trip over the half-decoded value while building the typed object."""
    doc = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "image": "nginx"}], "volumes": [volume]},
    }
    with pytest.raises(podmodel.DecodeError):
        podmodel.from_dict(doc)
