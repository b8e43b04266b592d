"""Surgical text edits (podmodel.codec._edit): only the edited values' bytes change."""

from __future__ import annotations

import copy
import difflib
import pathlib
import pickle
import warnings
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel.codec import _yaml
from podmodel.codec._edit import EditError, edit
from podmodel.errors import DecodeError, PodmodelError
from podmodel.model._paths import PathError, render_path
from podmodel.strategies import manifests


def _documents(text: str) -> list[Any]:
    return _norm([d.data for d in _yaml.iter_documents(text)])


def _norm(data: Any) -> Any:
    """Numbers as float64 (JSON has one number type), to compare what was written and read."""
    if isinstance(data, dict):
        return {k: _norm(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_norm(v) for v in data]
    if isinstance(data, (int, float)) and not isinstance(data, bool) and abs(data) < 1e300:
        return float(data)
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    data = copy.deepcopy(data)
    node = data
    for seg in path[:-1]:
        if node[seg] is None:
            node[seg] = {}
        node = node[seg]
    if isinstance(node, list) and path[-1] == len(node):
        node.append(value)
    else:
        node[path[-1]] = value
    return data


def _changed_lines(old: str, new: str) -> tuple[list[int], list[str], list[str]]:
    """(0-based numbers of old lines changed or removed, those lines, the new lines added)."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    removed: list[int] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed.extend(range(i1, i2))
            added.extend(b[j1:j2])
    return removed, [a[i] for i in removed], added


def _leaves(data: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _leaves(v, (*here, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _leaves(v, (*here, i))]
    return [here]


def _node(root: Any, path: tuple[Any, ...]) -> Any:
    node = root
    for seg in path:
        if isinstance(node, yaml.MappingNode):
            node = next(v for k, v in reversed(node.value) if k.value == seg)
        else:
            node = node.value[seg]
    return node


def _segments(path: tuple[Any, ...]) -> tuple[Any, ...]:
    from podmodel.errors import Key

    return tuple(
        Key(name=s) if isinstance(s, str) and any(c in s for c in ".[]") else s for s in path
    )


# --- the corpus ------------------------------------------------------------------------------


def _corpus(shared: pathlib.Path) -> list[pathlib.Path]:
    rows = (shared / "corpus" / "INDEX.tsv").read_text().splitlines()[1:]
    return [shared / "corpus" / row.split("\t")[0] for row in rows if row.strip()]


def _pod_document(docs: list[Any]) -> int:
    return next(i for i, d in enumerate(docs) if isinstance(d, dict) and d.get("kind") == "Pod")


def test_every_corpus_file_edits_in_place(shared: pathlib.Path) -> None:
    files = _corpus(shared)
    assert len(files) > 100
    for file in files:
        text = file.read_text()
        docs = _documents(text)
        index = _pod_document(docs)
        root = list(yaml.compose_all(text, Loader=yaml.SafeLoader))[index]
        where = f"{file.name}"

        # 1. the first container's image: only that value's line changes
        path = ("spec", "containers", 0, "image")
        new = edit(text, {"spec.containers[0].image": "example.com/edited:1.0"}, document=index)
        removed, _, added = _changed_lines(text, new)
        assert removed == [_node(root, path).start_mark.line], where
        assert len(added) == 1, where
        assert "example.com/edited:1.0" in added[0], where
        expected = list(docs)
        expected[index] = _set(docs[index], path, "example.com/edited:1.0")
        assert _documents(new) == expected, where
        if len(docs) == 1 and file.name in _LOADABLE:
            pod = _loads(new)
            assert pod.spec.containers[0].image == "example.com/edited:1.0", where

        # 2. a new key: exactly one line is added (or, in a flow mapping, one line changes)
        container = docs[index]["spec"]["containers"][0]
        name = next(
            n
            for n in ("imagePullPolicy", "terminationMessagePolicy", "workingDir")
            if n not in container
        )
        value = {"imagePullPolicy": "IfNotPresent", "workingDir": "/w"}.get(name, "File")
        new = edit(text, {f"spec.containers[0].{name}": value}, document=index)
        removed, _, added = _changed_lines(text, new)
        assert len(added) == 1, (where, added)
        assert f"{name}: {value}" in added[0], (where, added)
        flow = _node(root, ("spec", "containers", 0)).flow_style
        assert len(removed) == (1 if flow else 0), where
        expected[index] = _set(docs[index], ("spec", "containers", 0, name), value)
        assert _documents(new) == expected, where
        if not flow:  # the new line is indented as the container's other keys
            key_column = _node(root, ("spec", "containers", 0)).value[0][0].start_mark.column
            assert added[0].index(name) == key_column, where


def test_every_scalar_of_the_corpus_edits_in_place(shared: pathlib.Path) -> None:
    for file in _corpus(shared):
        text = file.read_text()
        docs = _documents(text)
        index = _pod_document(docs)
        root = list(yaml.compose_all(text, Loader=yaml.SafeLoader))[index]
        for leaf in _leaves(docs[index])[:40]:
            node = _node(root, leaf)
            if node.style in ("|", ">") or node.start_mark.line != node.end_mark.line:
                continue  # block and multi-line scalars become one line: checked below
            new = edit(text, {_segments(leaf): "a new value"}, document=index)
            removed, _, added = _changed_lines(text, new)
            assert removed == [node.start_mark.line], (file.name, leaf)
            assert len(added) == 1, (file.name, leaf)
            assert _documents(new)[index] == _set(docs[index], leaf, "a new value")


def test_block_scalars_of_the_corpus(shared: pathlib.Path) -> None:
    seen = 0
    for file in _corpus(shared):
        text = file.read_text()
        docs = _documents(text)
        index = _pod_document(docs)
        root = list(yaml.compose_all(text, Loader=yaml.SafeLoader))[index]
        for leaf in _leaves(docs[index]):
            node = _node(root, leaf)
            if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
                new = edit(text, {_segments(leaf): "echo hi"}, document=index)
                assert _documents(new)[index] == _set(docs[index], leaf, "echo hi")
                removed, _, _ = _changed_lines(text, new)
                assert set(removed) <= set(range(node.start_mark.line, node.end_mark.line + 1))
                seen += 1
    assert seen >= 0


_LOADABLE: set[str] = set()


def _loads(text: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return podmodel.loads(text, field_validation="Warn")


@pytest.fixture(autouse=True, scope="module")
def _which_load(shared: pathlib.Path) -> None:
    for file in _corpus(shared):
        try:
            _loads(file.read_text())
        except DecodeError:
            continue
        _LOADABLE.add(file.name)


# --- examples --------------------------------------------------------------------------------

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web            # the pod's name
  labels: {app: web}
spec:
  containers:
  - name: web
    image: "nginx"
    ports:
    - containerPort: 80
  volumes:
  - name: scratch
    emptyDir:
"""


@pytest.mark.parametrize(
    ("changes", "lines"),
    [
        ({"spec.containers[0].image": "nginx:1.27"}, ['    image: "nginx:1.27"\n']),
        ({"metadata.name": "db"}, ["  name: db            # the pod's name\n"]),
        ({"metadata.labels[app]": "80"}, ['  labels: {app: "80"}\n']),
        ({"metadata.labels[tier]": "yes"}, ['  labels: {app: web, tier: "yes"}\n']),
        (
            {"spec.containers[0].ports[0].containerPort": 8080},
            ["    - containerPort: 8080\n"],
        ),
        ({"spec.containers[0].ports[1]": {"containerPort": 443}}, ["    - containerPort: 443\n"]),
        (
            {"spec.volumes[0].emptyDir.medium": "Memory"},
            ["      medium: Memory\n"],
        ),
        ({"spec.restartPolicy": "Never"}, ["  restartPolicy: Never\n"]),
    ],
)
def test_examples(changes: dict[str, Any], lines: list[str]) -> None:
    new = edit(POD, changes)
    _, _, added = _changed_lines(POD, new)
    assert added == lines
    expected = _documents(POD)[0]
    for path, value in changes.items():
        from podmodel.model._paths import parse_path

        segs = parse_path(path)
        expected = _set(expected, tuple(s.name if hasattr(s, "name") else s for s in segs), value)
    assert _documents(new) == [expected]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("80", '"80"'),
        ("yes", '"yes"'),
        ("1e3", '"1e3"'),
        ("~", '"~"'),
        ("null", '"null"'),
        ("", '""'),
        ("0x1F", '"0x1F"'),
        ("64Mi", "64Mi"),
        ("a: b", '"a: b"'),
        ("#x", '"#x"'),
        ("two\nlines", '"two\\nlines"'),
        ("tab\there", '"tab\\there"'),
        ("\u2028", '"\\u2028"'),
        (80, "80"),
        (1.5, "1.5"),
        (1e20, "1.0e+20"),
        (True, "true"),
        (None, "null"),
        ({}, "{}"),
    ],
)
def test_values_read_back_as_the_same_json(value: Any, written: str) -> None:
    new = edit("a: x\n", {"a": value})
    assert new == f"a: {written}\n"
    assert _documents(new) == [{"a": value}]


def test_quote_style_is_kept() -> None:
    assert edit("a: 'x'\n", {"a": "it's"}) == "a: 'it''s'\n"
    assert edit('a: "x"\n', {"a": "y"}) == 'a: "y"\n'
    assert edit("a: 'x'\n", {"a": "a\nb"}) == 'a: "a\\nb"\n'
    assert edit("a: x\n", {"a": 5}) == "a: 5\n"


def test_multi_document_streams() -> None:
    text = "# first\napiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: Pod\n"
    assert edit(text, {"metadata.name": "p"}, document=1) == text + "metadata:\n  name: p\n"
    assert edit(text, {"kind": "Pod"}) == text.replace("Service", "Pod")
    with pytest.raises(EditError, match="no document 2"):
        edit(text, {"kind": "x"}, document=2)


def test_empty_documents() -> None:
    assert edit("---\n---\na: 1\n", {"b": 2}) == "---\n{b: 2}\n---\na: 1\n"
    assert edit("a: 1\n---\n", {"b": 2}, document=1) == "a: 1\n---\n{b: 2}"
    with pytest.raises(EditError, match="the document is a list"):
        edit("- 1\n", {"a": 1})
    with pytest.raises(EditError, match="the text has 0"):
        edit("", {"a": 1})


def test_crlf_files_keep_their_line_breaks() -> None:
    text = "a: 1\r\nb:\r\n  c: 2\r\n"
    assert edit(text, {"b.d": 3, "a": 4}) == "a: 4\r\nb:\r\n  c: 2\r\n  d: 3\r\n"


def test_whole_values() -> None:
    text = "a:\n  x: 1   # one\n  y: 2\nb:\n- 1\nc: 3\n"
    assert edit(text, {"a": "s"}) == "a: s\nb:\n- 1\nc: 3\n"
    assert edit(text, {"b": {"k": [1]}}) == "a:\n  x: 1   # one\n  y: 2\nb:\n  k:\n  - 1\nc: 3\n"
    assert edit(text, {"c": {"k": 1}}) == "a:\n  x: 1   # one\n  y: 2\nb:\n- 1\nc:\n  k: 1\n"
    assert edit("a: [1, 2]\n", {"a": {"k": 1}}) == "a: {k: 1}\n"
    assert edit("a: x\n", {"a": [1, "2"]}) == 'a:\n  - 1\n  - "2"\n'
    assert edit("- x\n", {"[0]": [1, "2"]}) == '- [1, "2"]\n'
    assert edit("[x]\n", {"[0]": {"k": "v"}}) == "[{k: v}]\n"


@pytest.mark.parametrize(
    ("text", "changes", "message"),
    [
        ("a: &x {b: 1}\nc: *x\n", {"c.b": 2}, "c is an alias"),
        ("a: &x {b: 1}\nc: *x\n", {"a.b": 2}, "a is an alias"),
        ("a: &x 1\nc: *x\n", {"c": 2}, "anchor or an alias"),
        ("a: {<<: {b: 1}}\n", {"a.c": 2}, "merge key"),
        ("a: 1\n", {"a.b": 2}, "a is a scalar"),
        ("a: [1]\n", {"a[3]": 2}, "out of range"),
        ("a: [1]\n", {"a.b": 2}, "a is a list"),
        ("a: {}\n", {"a.b[2]": 2}, "index 2 of a list that does not exist"),
        ("a: 1\n", {"a": {1, 2}}, "set is not JSON data"),
        ("a: 1\n", {"a": float("inf")}, "not a JSON number"),
        ("a: [\n", {"a": 1}, "not YAML"),
        ("a: 1\n", {"": 1}, "below the document"),
    ],
)
def test_refusals_are_podmodel_errors(text: str, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(EditError, match=message) as info:
        edit(text, changes)
    assert isinstance(info.value, PodmodelError)
    assert isinstance(info.value, ValueError)
    assert pickle.loads(pickle.dumps(info.value)).args == info.value.args


def test_block_scalars() -> None:
    text = "a: |+\n  x\n\n\nb: 1\n"
    assert edit(text, {"c": 1, "a": "y"}) == 'a: "y"\n\n\nb: 1\nc: 1\n'
    assert edit("a: >\n  x\n  y\nb: 1\n", {"a": "z"}) == "a: z\nb: 1\n"


def test_bad_arguments() -> None:
    with pytest.raises(PathError):
        edit("a: 1\n", {"a..b": 1})
    with pytest.raises(TypeError):
        edit(b"a: 1\n", {"a": 1})  # type: ignore[arg-type]


# --- properties over generated manifests -----------------------------------------------------


@given(manifests(), st.data())
def test_editing_one_scalar_changes_only_its_lines(text: str, data: Any) -> None:
    docs = _documents(text)
    leaves = _leaves(docs[0])
    if not leaves or leaves == [()]:
        return
    leaf = data.draw(st.sampled_from(leaves))
    value = data.draw(
        st.one_of(
            st.text(max_size=12),
            st.integers(-(2**63), 2**63 - 1),  # past int64, kubectl sends a float: see below
            st.booleans(),
            st.none(),
            st.floats(allow_nan=False, allow_infinity=False),
        )
    )
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    node = _node(root, leaf)
    new = edit(text, {_segments(leaf): value})
    assert _documents(new) == [_set(docs[0], leaf, _norm(value))]
    removed, _, added = _changed_lines(text, new)
    assert set(removed) <= set(range(node.start_mark.line, node.end_mark.line + 1))
    assert len(added) <= 1


@given(manifests(), st.data())
def test_adding_a_key_adds_one_line_or_changes_one(text: str, data: Any) -> None:
    docs = _documents(text)
    containers = docs[0]["spec"].get("containers") or []
    if not containers:
        return
    i = data.draw(st.integers(0, len(containers) - 1))
    if "workingDir" in containers[i]:
        return
    path = ("spec", "containers", i, "workingDir")
    new = edit(text, {render_path(path): "/srv/app"})
    assert _documents(new) == [_set(docs[0], path, "/srv/app")]
    removed, _, added = _changed_lines(text, new)
    assert len(added) == 1
    assert len(removed) <= 1
    try:
        _loads(text)
    except DecodeError:  # manifests() may write a string YAML reads otherwise (name: N)
        return
    assert _loads(new).spec.containers[i].working_dir == "/srv/app"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _all_paths(data: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here] if here else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _all_paths(v, (*here, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _all_paths(v, (*here, i))
    return out


@given(manifests(), st.data(), _JSON)
def test_any_json_value_at_any_place_reads_back(text: str, data: Any, value: Any) -> None:
    """Replace any value, or add a key or list item anywhere, with any JSON value (maps and
    lists included): the text reads back as the data with that one change."""
    docs = _documents(text)
    path = data.draw(st.sampled_from(_all_paths(docs[0])))
    target = docs[0]
    for seg in path:
        target = target[seg]
    if data.draw(st.booleans()) and isinstance(target, (dict, list)):
        key = data.draw(st.text(min_size=1, max_size=5))
        if isinstance(target, list):
            path = (*path, len(target))
        elif key not in target:
            path = (*path, key)
    changes = {_segments(path): value}
    kept = copy.deepcopy(changes)
    new = edit(text, changes)
    assert changes == kept  # the arguments are not changed
    assert _documents(new) == [_set(docs[0], path, _norm(value))]


def test_an_integer_past_int64_is_refused_as_kubectl_would_send_a_float() -> None:
    """kubectl reads 9223372036854775808 as a float (9.223372036854776e+18), so the edited text
    would not read back as the intended integer: edit refuses it rather than write it."""
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"
    with pytest.raises(EditError, match="would not read back as the intended data"):
        edit(text, {"metadata.generation": 2**63})
    assert "generation: 9223372036854775807" in edit(text, {"metadata.generation": 2**63 - 1})
