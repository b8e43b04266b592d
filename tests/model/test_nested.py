"""Nested edits of the model (podmodel.model.nested) and the path syntax (podmodel.model._paths)."""

from __future__ import annotations

import copy
import pathlib
import pickle
import warnings
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel.codec import from_dict, load_all, loads, to_dict
from podmodel.errors import DecodeError, FieldPath, Key, PodmodelError
from podmodel.model import spec
from podmodel.model._frozen import FrozenMap
from podmodel.model._paths import PathError, as_segments, parse_path, render_path
from podmodel.model.nested import get, insert, remove, replace
from podmodel.model.spec import (
    Container,
    ContainerPort,
    EmptyDir,
    HostPath,
    ObjectMeta,
    OtherVolumeSource,
    Pod,
    PodSpec,
    Volume,
)
from podmodel.strategies import pods

# --- paths -----------------------------------------------------------------------------------

_names = st.text(st.characters(blacklist_characters=".[]"), min_size=1, max_size=8)
_keys = st.text(st.characters(blacklist_characters="]"), max_size=12).filter(
    lambda k: not (k.isascii() and k.isdigit())
)
_segments = st.lists(
    st.one_of(_names, st.integers(0, 10**6), st.builds(lambda k: Key(name=k), _keys)), max_size=8
)


@given(_segments)
def test_parse_is_the_inverse_of_render(segments: list[Any]) -> None:
    text = str(FieldPath(tuple(segments)))
    assert parse_path(text) == tuple(segments)
    assert render_path(parse_path(text)) == text


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("spec.containers[0].image", ("spec", "containers", 0, "image")),
        (
            "metadata.labels[app.kubernetes.io/name]",
            ("metadata", "labels", Key(name="app.kubernetes.io/name")),
        ),
        ("metadata.annotations[a.b/c]", ("metadata", "annotations", Key(name="a.b/c"))),
        (
            "spec.volumes[2].configMap.items[0].key",
            ("spec", "volumes", 2, "configMap", "items", 0, "key"),
        ),
        ("", ()),
        ("[3][k]", (3, Key(name="k"))),
    ],
)
def test_parse_examples(text: str, segments: tuple[Any, ...]) -> None:
    assert parse_path(text) == segments


@pytest.mark.parametrize(
    "text",
    ["a..b", ".a", "a.", "a[0", "a]", "a[0]b", "a[0].", "a.[0]", "[0]x", "a[b]]"],
)
def test_malformed_paths_are_path_errors(text: str) -> None:
    with pytest.raises(PathError) as info:
        parse_path(text)
    assert isinstance(info.value, PodmodelError)
    assert isinstance(info.value, ValueError)
    assert repr(text)[1:-1] in str(info.value)
    assert pickle.loads(pickle.dumps(info.value)).args == info.value.args


def test_path_arguments() -> None:
    assert as_segments(FieldPath(("spec", 0))) == ("spec", 0)
    assert as_segments(["spec", 0, Key(name="a")]) == ("spec", 0, Key(name="a"))
    with pytest.raises(PathError):
        as_segments(["spec", -1])
    with pytest.raises(PathError):
        as_segments(["spec", 1.5])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        as_segments(3)  # type: ignore[arg-type]


# --- examples --------------------------------------------------------------------------------

POD = loads(
    """
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app.kubernetes.io/name: web}
spec:
  containers:
  - name: c
    image: nginx
    ports: []
    resources: {limits: {cpu: "1"}}
  volumes:
  - name: scratch
    emptyDir: {sizeLimit: 64Mi}
  - name: conf
    configMap: {name: app, items: [{key: a, path: a}]}
  - name: nothing
    emptyDir:
""",
    field_validation="Warn",
)


def test_replace_returns_a_new_pod_and_keeps_the_old() -> None:
    before = copy.deepcopy(POD)
    new = replace(POD, "spec.containers[0].image", "nginx:1.27")
    assert new.spec.containers[0].image == "nginx:1.27"
    assert before == POD
    assert POD.spec.containers[0].image == "nginx"


def test_get_through_every_kind_of_value() -> None:
    assert get(POD, "metadata.labels[app.kubernetes.io/name]") == "web"
    assert get(POD, "spec.containers[0].resources.limits.cpu") == "1"
    assert get(POD, "spec.containers[0].resources.limits[cpu]") == "1"
    assert get(POD, "spec.volumes[0].emptyDir.sizeLimit") == "64Mi"
    assert get(POD, "spec.volumes[0].emptyDir") == EmptyDir(size_limit="64Mi")
    assert get(POD, "spec.volumes[1].configMap.items[0].key") == "a"
    assert get(POD, "spec.volumes[2].emptyDir") is None  # written null
    assert get(POD, "spec.containers[0].ports") == ()  # written empty
    assert get(POD, "spec.containers[0].command", "x") == "x"
    assert get(POD, "") is POD
    with pytest.raises(PathError, match=r"spec\.containers\[3\]"):
        get(POD, "spec.containers[3].image")
    with pytest.raises(PathError, match="has no fields"):
        get(POD, "spec.containers[0].image.x")
    with pytest.raises(PathError, match="not a list"):
        get(POD, "spec[0]")
    with pytest.raises(PathError, match="indexed by a number"):
        get(POD, "spec.containers.x")


def test_volume_sources() -> None:
    new = replace(POD, "spec.volumes[0].emptyDir.sizeLimit", "1Gi")
    assert new.spec.volumes[0].empty_dir == EmptyDir(size_limit="1Gi")
    new = replace(POD, "spec.volumes[2].emptyDir", {"medium": "Memory"})
    assert new.spec.volumes[2].sources == (EmptyDir(medium="Memory"),)
    assert "emptyDir" not in new.spec.volumes[2].extra
    new = replace(POD, "spec.volumes[1].configMap.name", "other")
    assert new.spec.volumes[1].sources[0] == OtherVolumeSource(
        kind="configMap", fields={"name": "other", "items": [{"key": "a", "path": "a"}]}
    )
    new = replace(POD, "spec.volumes[0].hostPath", {"path": "/x"})
    assert new.spec.volumes[0].sources == (EmptyDir(size_limit="64Mi"), HostPath(path="/x"))
    new = remove(POD, "spec.volumes[0].emptyDir")
    assert new.spec.volumes[0].sources == ()
    new = replace(POD, "spec.volumes[1].secret", {"secretName": "s"})
    assert to_dict(new)["spec"]["volumes"][1]["secret"] == {"secretName": "s"}


def test_dicts_become_model_classes() -> None:
    new = insert(
        POD, "spec.containers[1]", {"name": "b", "image": "x", "ports": [{"containerPort": 80}]}
    )
    assert new.spec.containers[1] == Container(
        name="b", image="x", ports=(ContainerPort(container_port=80),)
    )
    new = insert(POD, "spec.volumes[0]", {"name": "v", "emptyDir": {}})
    assert new.spec.volumes[0] == Volume(name="v", sources=(EmptyDir(),))
    new = replace(POD, "spec.affinity", {"nodeAffinity": {}})
    assert new.spec.affinity == {"nodeAffinity": {}}
    new = replace(POD, "metadata", {"name": "n", "labels": {"a": "b"}})
    assert new.metadata == ObjectMeta(name="n", labels={"a": "b"})
    new = replace(POD, "spec.containers[0].resources", {"requests": {"memory": "1Gi"}})
    assert new.spec.containers[0].resources == FrozenMap({"requests": FrozenMap({"memory": "1Gi"})})


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("spec.containers[0].ports", [{"containerPort": "80"}], "expected an integer"),
        ("spec.containers[0].image", 5, "expected a string, found integer 5"),
        ("metadata.labels[a]", 1, "expected a string"),
        ("spec.hostNetwork", "yes", "expected a boolean"),
        ("spec.containers[0]", "c", "expected a Container or a map"),
        ("spec.containers[0]", None, "found null"),
        ("spec.containers[0].resources", {"a": {1, 2}}, "set is not JSON data"),
        ("spec.containers[0].resources", {"a": float("nan")}, "not a JSON number"),
        ("spec.containers[0].resources", {1: 2}, "string key"),
        ("spec.containers[5]", {}, "index out of range: the list has 1 item; use insert"),
        ("spec.containers[0].command[0]", "x", "is not set"),
        ("spec.volumes[2].emptyDir.medium", "Memory", "is null"),
        ("", 1, "needs a path"),
    ],
)
def test_bad_replacements_are_path_errors(path: str, value: Any, message: str) -> None:
    with pytest.raises(PathError, match=message.replace("[", r"\[")):
        replace(POD, path, value)


def test_unknown_fields() -> None:
    with pytest.raises(
        PathError, match=r'unknown field .imagee. of Container; did you mean "image"'
    ):
        replace(POD, "spec.containers[0].imagee", "x")
    with pytest.raises(PathError, match=r'"spec\.volumes\[0\]\.nme": unknown field'):
        insert(POD, "spec.volumes[0]", {"nme": "v"})
    lenient = Pod(spec=PodSpec(extra={"kept": 1}))  # as a Warn decode keeps an unknown field
    assert get(replace(lenient, "spec.kept", 2), "spec.kept") == 2
    assert to_dict(remove(lenient, "spec.kept")) == {"apiVersion": "v1", "kind": "Pod", "spec": {}}


def test_insert_and_remove_errors() -> None:
    with pytest.raises(PathError, match="already set"):
        insert(POD, "spec.containers[0].image", "x")
    with pytest.raises(PathError, match="up to the list's length"):
        insert(POD, "spec.containers[2]", {})
    with pytest.raises(PathError, match="nothing to remove"):
        remove(POD, "spec.containers[0].command")
    with pytest.raises(PathError, match="out of range"):
        remove(POD, "spec.containers[1]")
    assert insert(POD, "spec.containers[0].command", ["sh"]).spec.containers[0].command == ("sh",)


def test_insert_before_and_append() -> None:
    pod = insert(Pod(), "spec.containers[0]", {"name": "a"})
    pod = insert(pod, "spec.containers[1]", {"name": "c"})
    pod = insert(pod, "spec.containers[1]", Container(name="b"))
    assert [c.name for c in pod.spec.containers] == ["a", "b", "c"]
    assert to_dict(remove(pod, "spec.containers[1]"))["spec"]["containers"] == [
        {"name": "a"},
        {"name": "c"},
    ]


def test_null_empty_and_unset_are_kept_apart() -> None:
    pod = Pod(spec=PodSpec(containers=(Container(name="c"),)))
    nulled = replace(pod, "spec.containers[0].image", None)
    assert to_dict(nulled)["spec"]["containers"][0] == {"name": "c", "image": None}
    emptied = replace(pod, "spec.containers[0].ports", [])
    assert to_dict(emptied)["spec"]["containers"][0] == {"name": "c", "ports": []}
    assert remove(emptied, "spec.containers[0].ports") == pod
    assert remove(nulled, "spec.containers[0].image") == pod
    assert to_dict(remove(pod, "spec.containers[0]"))["spec"] == {"containers": []}
    assert to_dict(remove(pod, "apiVersion")) == {"kind": "Pod", "spec": to_dict(pod)["spec"]}


def test_frozen_values_inside_typed_attributes() -> None:
    new = replace(POD, "spec.containers[0].resources.limits.memory", "1Gi")
    assert to_dict(new)["spec"]["containers"][0]["resources"] == {
        "limits": {"cpu": "1", "memory": "1Gi"}
    }
    new = remove(new, "spec.containers[0].resources.limits[cpu]")
    assert new.spec.containers[0].resources == {"limits": {"memory": "1Gi"}}
    new = insert(POD, "spec.volumes[1].configMap.items[1]", {"key": "b", "path": "b"})
    assert get(new, "spec.volumes[1].configMap.items[1].key") == "b"


def test_works_on_any_model_object() -> None:
    c = Container(name="c", ports=(ContainerPort(container_port=80),))
    assert replace(c, "ports[0].containerPort", 81).ports[0].container_port == 81
    v = Volume(name="v", sources=(OtherVolumeSource(kind="configMap", fields={"name": "a"}),))
    assert get(v, "configMap.name") == "a"
    src = v.sources[0]
    assert replace(src, "name", "b") == OtherVolumeSource(kind="configMap", fields={"name": "b"})
    assert remove(src, "name") == OtherVolumeSource(kind="configMap", fields={})
    assert replace(FrozenMap({"a": (1, 2)}), "a[1]", 3) == {"a": (1, 3)}


# --- properties over generated pods ----------------------------------------------------------


def _paths(data: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here] if here else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*here, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*here, i))
    return out


def _dict_edit(data: Any, path: tuple[Any, ...], op: str, value: Any = None) -> Any:
    data = copy.deepcopy(data)
    node = data
    for seg in path[:-1]:
        node = node[seg]
    last = path[-1]
    if op == "replace":
        node[last] = value
    elif op == "insert":
        node.insert(last, value)
    else:
        del node[last]
    return data


def _new_value(draw: st.DrawFn, old: Any) -> Any:
    if isinstance(old, bool):
        return draw(st.booleans())
    if isinstance(old, int):
        return draw(st.integers(-(2**31), 2**31 - 1))
    if isinstance(old, str):
        return draw(st.text(max_size=10))
    return old


@st.composite
def _pod_and_path(draw: st.DrawFn) -> tuple[Pod, tuple[Any, ...]]:
    pod = draw(pods())
    paths = _paths(to_dict(pod))
    return pod, draw(st.sampled_from(paths))


@given(_pod_and_path(), st.data())
def test_replace_then_get_gives_the_value(case: tuple[Pod, tuple[Any, ...]], data: Any) -> None:
    pod, path = case
    before = copy.deepcopy(pod)
    old = get(pod, path)
    assert replace(pod, path, old) == pod
    value = _new_value(data.draw, to_dict_value(to_dict(pod), path))
    try:
        new = replace(pod, path, value)
    except PathError as exc:
        # only a quantity that is no quantity is refused: decoding refuses the same manifest
        assert "quantit" in exc.reason
        with pytest.raises(DecodeError):
            from_dict(_dict_edit(to_dict(pod), path, "replace", value))
        return
    assert pod == before
    got = get(new, path)
    assert got == value or to_dict_value(to_dict(new), path) == value
    assert to_dict(new) == _dict_edit(to_dict(pod), path, "replace", value)
    # the result is what decoding the edited manifest gives (when that decodes)
    try:
        decoded = from_dict(to_dict(new))
    except DecodeError:
        return
    assert decoded == new


def to_dict_value(data: Any, path: tuple[Any, ...]) -> Any:
    for seg in path:
        data = data[seg]
    return data


@given(pods(), st.data())
def test_every_path_of_a_generated_pod(pod: Pod, data: Any) -> None:
    """At every path of the manifest: get, then replace with itself, is the identity; remove and
    replace with null are the same edits of ``to_dict``; a text path reads the same value; and
    inserting one of the pod's containers as a dict gives that container. The pod never changes."""
    before = copy.deepcopy(pod)
    manifest = to_dict(pod)
    for path in _paths(manifest):
        value = get(pod, path)
        assert replace(pod, path, value) == pod
        assert to_dict(remove(pod, path)) == _dict_edit(manifest, path, "remove")
        try:
            nulled = replace(pod, path, None)
        except PathError:
            # an item of a list of objects or strings, a value of a map of strings
            assert isinstance(path[-1], int) or path[-2] in (
                "labels",
                "annotations",
                "nodeSelector",
            )
        else:
            assert to_dict(nulled) == _dict_edit(manifest, path, "replace", None)
        segments = tuple(
            Key(name=s) if isinstance(s, str) and any(c in s for c in ".[]/") else s for s in path
        )
        text = render_path(segments)
        if parse_path(text) == segments:
            assert get(pod, text) == value
    items = manifest.get("spec", {}).get("containers", [])
    if items:
        where = data.draw(st.integers(0, len(items)))
        new = insert(pod, ("spec", "containers", where), items[-1])
        assert new.spec.containers[where] == pod.spec.containers[-1]
        path = ("spec", "containers", where)
        assert to_dict(new) == _dict_edit(manifest, path, "insert", items[-1])
    assert pod == before


def test_every_path_of_the_corpus(shared: pathlib.Path) -> None:
    """On every corpus pod that loads: get, replace with itself, remove and replace with null,
    at every path of its manifest, agree with the same edit of ``to_dict``."""
    rows = (shared / "corpus" / "INDEX.tsv").read_text().splitlines()[1:]
    checked = 0
    for row in rows:
        text = (shared / "corpus" / row.split("\t")[0]).read_text()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found = load_all(text, skip_non_pods=True, field_validation="Warn")
        except DecodeError:
            continue
        for pod in found:
            data = to_dict(pod)
            for path in _paths(data):
                assert replace(pod, path, get(pod, path)) == pod
                assert to_dict(remove(pod, path)) == _dict_edit(data, path, "remove")
                try:
                    nulled = replace(pod, path, None)
                except PathError:
                    continue
                assert to_dict(nulled) == _dict_edit(data, path, "replace", None)
                checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    "cls",
    [
        c
        for name in spec.__all__
        if attrs.has(c := getattr(spec, name))
        and c not in (spec.VolumeSource, spec.OtherVolumeSource)
    ],
)
def test_every_field_of_every_model_class(cls: type) -> None:
    obj = cls()
    before = copy.deepcopy(obj)
    for f in attrs.fields(cls):
        wire = f.metadata.get("wire")
        if not wire:
            continue
        nulled = replace(obj, wire, None)
        assert get(nulled, wire) is None
        if isinstance(f.default, str):  # Pod's apiVersion and kind: written by default
            assert getattr(remove(obj, wire), f.name) is None
            continue
        assert remove(nulled, wire) == obj
        with pytest.raises(PathError, match="nothing to remove"):
            remove(obj, wire)
    assert obj == before


def test_the_paths_of_validation_errors_lead_to_their_values() -> None:
    pod = loads(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "  - {name: c, image: nginx, ports: [{containerPort: 70000}]}\n"
    )
    errors = podmodel.validate(pod).errors
    assert errors
    for error in errors:
        if error.bad_value is not None and not isinstance(error.bad_value, (dict, list)):
            assert get(pod, error.field) == error.bad_value
            assert get(pod, str(error.field)) == error.bad_value
    fixed = replace(pod, errors[0].field, 8080)
    assert podmodel.validate(fixed).ok


def test_plain_dicts_come_back_frozen_and_unchanged() -> None:
    plain: dict[str, Any] = {"a": None, "b": {"c": 1}}
    assert remove(plain, "a") == FrozenMap({"b": {"c": 1}})
    assert replace(plain, "a", 2) == FrozenMap({"a": 2, "b": {"c": 1}})
    assert insert(plain, "d", 3)["d"] == 3
    assert remove(plain, "b.c") == FrozenMap({"a": None, "b": FrozenMap({})})
    assert plain == {"a": None, "b": {"c": 1}}


_TYPED_POD = """
apiVersion: v1
kind: Pod
metadata: {name: x}
spec:
  tolerations: [{key: a, operator: Exists}]
  containers:
  - name: a
    image: nginx
    livenessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}
    resources: {limits: {memory: 64Mi}}
"""


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            "spec.containers[0].livenessProbe.periodSeconds",
            "5",
            'path "spec.containers[0].livenessProbe.periodSeconds": expected an integer, '
            "found string '5'",
        ),
        (
            "spec.containers[0].livenessProbe.periodSecond",
            5,
            'path "spec.containers[0].livenessProbe.periodSecond": unknown field '
            "'periodSecond' of Probe; did you mean \"periodSeconds\"?",
        ),
        (
            "spec.containers[0].livenessProbe",
            {"httpGet": {"port": 80, "pth": "/"}},
            'path "spec.containers[0].livenessProbe.httpGet.pth": unknown field '
            "'pth' of HTTPGetAction; did you mean \"path\"?",
        ),
        (
            "spec.tolerations[0].tolerationSeconds",
            True,
            'path "spec.tolerations[0].tolerationSeconds": expected an integer, found boolean True',
        ),
        (
            "spec.containers[0].resources.limits.memory",
            "lots",
            'path "spec.containers[0].resources.limits[memory]": quantities must match',
        ),
        (
            "spec.containers[0].resources",
            {"limits": {"cpu": []}},
            'path "spec.containers[0].resources.limits[cpu]": expected a quantity',
        ),
    ],
)
def test_generated_objects_refuse_what_decoding_refuses(
    path: str, value: Any, message: str
) -> None:
    """Inside a generated class, as for the hand-written ones: an unknown field or a value of the
    wrong type is a PathError at its own path, and decoding the same edit fails too."""
    pod = podmodel.loads(_TYPED_POD)
    with pytest.raises(PathError) as err:
        replace(pod, path, value)
    assert str(err.value).startswith(message)
    segments = tuple(parse_path(path))
    with pytest.raises(DecodeError):
        from_dict(_dict_edit(to_dict(pod), segments, "replace", value))
