"""Path handling: whatever path a container uses (``..``, ``//``, ``.``, trailing slashes, names of
other mounts), it never reaches another container's private layer, nor the node's tree outside
the hostPath it mounts.

podmodel has no symbolic links (see "Where podmodel differs"), so a symlink cannot point out of
a volume either; the API server already refuses an absolute ``subPath`` or one with ``..``.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel.kernel.filesystem import FilesystemError

MANIFEST = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    image: busybox
    command: [sh, -c, 'sleep 3600']
    volumeMounts:
    - {name: host, mountPath: /data}
    - {name: shared, mountPath: /shared}
    - {name: host, mountPath: /sub, subPath: inner}
  - name: b
    image: busybox
    command: [sh, -c, 'sleep 3600']
    volumeMounts: [{name: shared, mountPath: /shared}]
  volumes:
  - {name: host, hostPath: {path: /srv/data}}
  - {name: shared, emptyDir: {}}
"""


def _node() -> podmodel.Node:
    node = podmodel.Node()
    node = node.host_write("/etc/shadow", b"secret")
    node = node.host_write("/srv/other/keep", b"other pod's data")
    node = node.host_write("/srv/data/inner/x", b"x")
    node = node.start(podmodel.loads(MANIFEST))
    node, _ = node.exec("p", "b", "sh -c 'echo private > /root/b-only'")
    return node


NODE = _node()
SEGMENTS = [
    "..",
    ".",
    "",
    "data",
    "sub",
    "shared",
    "etc",
    "srv",
    "root",
    "inner",
    "x",
    "new",
    "shadow",
]
paths = st.tuples(
    st.booleans(), st.lists(st.sampled_from(SEGMENTS), max_size=6), st.booleans()
).map(lambda t: ("/" if t[0] else "") + "/".join(t[1]) + ("/" if t[2] else ""))


def _outside(tree: podmodel.FileTree, root: str) -> list[tuple[str, Any]]:
    """The node's tree without the hostPath directory *root* (what the pod may change)."""
    if tree.exists(root):
        tree = tree.delete(root, recursive=True)
    return tree.walk()


operations = st.one_of(
    st.tuples(st.just("write"), paths, st.binary(max_size=4)),
    st.tuples(st.just("mkdir"), paths),
    st.tuples(st.just("delete"), paths),
    st.tuples(st.just("rename"), paths, paths),
    st.tuples(st.just("read"), paths),
    st.tuples(st.just("listdir"), paths),
)


@given(st.lists(operations, min_size=1, max_size=12))
def test_a_container_stays_inside_its_own_layer_and_its_volumes(ops: list[tuple[Any, ...]]) -> None:
    fs = NODE.filesystem
    view = NODE.pod("p").state.views["a"]
    b_root = NODE.pod("p").state.views["b"].root
    b_before = fs.tree(b_root)
    node_before = _outside(fs.tree("node"), "/srv/data")
    for op, *args in ops:
        try:
            if op == "write":
                fs = fs.write(view, args[0], args[1], parents=True)
            elif op == "mkdir":
                fs = fs.mkdir(view, args[0], parents=True, exist_ok=True)
            elif op == "delete":
                fs = fs.delete(view, args[0], recursive=True)
            elif op == "rename":
                fs = fs.rename(view, args[0], args[1])
            elif op == "read":
                assert fs.read(view, args[0]) != b"secret"
            else:
                fs.listdir(view, args[0])
        except FilesystemError:
            pass
        assert fs.tree(b_root) is b_before  # b's private layer: untouched, not even copied
        assert _outside(fs.tree("node"), "/srv/data") == node_before


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/data/../etc/shadow", FilesystemError),  # .. stops at the container's own /
        ("/../../../etc/shadow", FilesystemError),
        ("//data//inner/x", b"x"),
        ("/data/./inner/../inner/x/", FilesystemError),  # a trailing slash on a file: ENOTDIR
        ("/sub/x", b"x"),
        ("/sub/../data/inner/x", b"x"),
        ("/shared/../root/b-only", FilesystemError),
    ],
)
def test_awkward_paths_resolve_as_on_linux(path: str, expected: Any) -> None:
    p = NODE.pod("p")
    if isinstance(expected, bytes):
        assert p.read("a", path) == expected
    else:
        with pytest.raises(expected):
            p.read("a", path)


@pytest.mark.parametrize(
    ("sub_path", "message"),
    [
        ("/abs", "must be a relative path"),
        ("../up", "must not contain '..'"),
        ("a/../../up", "must not contain '..'"),
    ],
)
def test_the_api_server_refuses_escaping_sub_paths(sub_path: str, message: str) -> None:
    pod = podmodel.loads(MANIFEST.replace("subPath: inner", f"subPath: {sub_path!r}"))
    result = podmodel.validate(pod)
    assert not result.ok
    assert any(message in str(e) and e.path.endswith("subPath") for e in result.errors)


def test_a_host_path_with_dot_dot_is_refused() -> None:
    pod = podmodel.loads(MANIFEST.replace("path: /srv/data", "path: /srv/data/../../etc"))
    assert "must not contain '..'" in podmodel.validate(pod).kubectl_message()
