"""Differential test: podmodel's container views against real bind mounts.

The same random operations run through real bind mounts (a private mount namespace the test makes
with ``unshare -m``, on a tmpfs it mounts) and through podmodel's views of the same layout:
shadowing, sharing one source at several paths, nested mounts, a read-only mount and a subPath.
Every outcome and what each container sees must agree. Needs root; CI must not skip it.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podmodel.kernel.filesystem import ContainerView, Filesystem, FilesystemError, FileTree, Mount
from tests.conftest import REPO, need
from tests.support.helpers import JsonLinesOracle

VIEWS = {
    "c1": ContainerView(root="r1", mounts=(Mount(path="/data", store="vol"),)),
    "c2": ContainerView(
        root="r2", mounts=(Mount(path="/mnt", store="vol2"), Mount(path="/mnt/logs", store="vol"))
    ),
    "c3": ContainerView(
        root="r3",
        mounts=(
            Mount(path="/ro", store="vol", read_only=True),
            Mount(path="/sub", store="vol", sub_path="dir"),
        ),
    ),
}
PREFIXES = {"c1": ["/data", "/"], "c2": ["/mnt/logs", "/mnt", "/"], "c3": ["/ro", "/sub", "/"]}


def layout() -> Filesystem:
    fs = Filesystem().add_store("vol", FileTree().mkdir("/dir"))
    fs = fs.add_store("vol2", FileTree().mkdir("/logs"))
    fs = fs.add_store(
        "r1",
        FileTree()
        .write("/private", b"c1")
        .mkdir("/data")
        .write("/data/image-file", b"from the image"),
    )
    fs = fs.add_store("r2", FileTree().write("/private", b"c2").mkdir("/mnt"))
    return fs.add_store("r3", FileTree().write("/private", b"c3").mkdir("/ro").mkdir("/sub"))


def _can_unshare_mounts() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "true"], capture_output=True, check=False
    )
    return probe.returncode == 0


class MountOracle(JsonLinesOracle):
    """The mount oracle, in a private mount namespace, on a temporary directory it removes."""

    def __init__(self) -> None:
        self.base = tempfile.mkdtemp(prefix="podmodel-mounts-")
        super().__init__(
            [
                "unshare",
                "-m",
                "--propagation",
                "private",
                sys.executable,
                str(REPO / "tests" / "support" / "mount_oracle.py"),
                self.base,
            ]
        )

    def close(self) -> None:
        super().close()
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="module")
def mounts() -> Iterator[MountOracle]:
    need(_can_unshare_mounts(), "a private mount namespace needs root and unshare(1)")
    oracle = MountOracle()
    yield oracle
    oracle.close()


def _paths(c: str) -> st.SearchStrategy[str]:
    names = st.lists(st.sampled_from(["a", "b", "dir", "image-file"]), min_size=0, max_size=2)
    return st.builds(
        lambda p, rest, slash: (
            ((p.rstrip("/") + "/" + "/".join(rest)).rstrip("/") or "/") + ("/" if slash else "")
        ),
        st.sampled_from([*PREFIXES[c], "/private"]),
        names,
        st.sampled_from([False, False, False, True]),  # a trailing slash asks for a directory
    ).map(lambda p: "/" if p == "//" else p)


@st.composite
def operations(draw: st.DrawFn) -> dict[str, Any]:
    c = draw(st.sampled_from(list(VIEWS)))
    kind = draw(st.sampled_from(["write", "write", "mkdir", "delete", "rename"]))
    # the container's own "/" is the oracle's plain directory, not a root: leave it out of
    # deletes and renames (a real container's rmdir("/") is EBUSY)
    path = draw(_paths(c).filter(lambda p: p != "/" or kind not in ("delete", "rename")))
    op: dict[str, Any] = {"c": c, "op": kind, "path": path}
    if kind == "write":
        op["data"] = draw(st.sampled_from(["x", "hello\n", ""]))
        op["append"] = draw(st.booleans())
    if kind == "rename":
        op["to"] = draw(_paths(c).filter(lambda p: p != "/"))
    return op


# podmodel's sub-directory mounts follow the path, Linux's follow the directory (inode): if the
# source directory of the /sub mount ("dir" of vol) is removed or moved while mounted, Linux keeps
# showing the old directory. A documented difference, so the test leaves that directory alone.
SUBPATH_SOURCE = {"/data/dir", "/mnt/logs/dir", "/ro/dir"}


def _touches_subpath_source(op: dict[str, Any]) -> bool:
    return op["op"] in ("delete", "rename") and (
        op["path"].rstrip("/") in SUBPATH_SOURCE
        or (op.get("to") or "").rstrip("/") in SUBPATH_SOURCE
    )


def run_model(ops: list[dict[str, Any]]) -> dict[str, Any]:
    fs = layout()
    out = []
    for op in ops:
        view = VIEWS[op["c"]]
        try:
            if op["op"] == "write":
                fs = fs.write(view, op["path"], op["data"].encode(), append=op["append"])
            elif op["op"] == "mkdir":
                fs = fs.mkdir(view, op["path"])
            elif op["op"] == "delete":
                fs = fs.delete(view, op["path"])
            else:
                fs = fs.rename(view, op["path"], op["to"])
            out.append("ok")
        except FilesystemError as exc:
            out.append(errno.errorcode[exc.errno or 0])
    return {"outcomes": out, "seen": {c: _snapshot(fs, v) for c, v in VIEWS.items()}}


def _snapshot(fs: Filesystem, view: ContainerView, path: str = "/") -> dict[str, str]:
    found: dict[str, str] = {}
    for name in fs.listdir(view, path):
        child = f"{path.rstrip('/')}/{name}"
        if fs.stat(view, child).kind == "directory":
            found[child] = "DIR"
            found.update(_snapshot(fs, view, child))
        else:
            found[child] = fs.read(view, child).decode("latin-1")
    return found


@settings(deadline=None)
@given(
    st.lists(
        operations().filter(lambda op: not _touches_subpath_source(op)), min_size=1, max_size=10
    )
)
def test_views_agree_with_real_bind_mounts(mounts: MountOracle, ops: list[dict[str, Any]]) -> None:
    real = mounts.run(ops)
    model = run_model(ops)
    for op, got, want in zip(ops, model["outcomes"], real["outcomes"], strict=True):
        assert got == want, f"{op}: podmodel {got}, kernel {want}\n{ops}"
    assert model["seen"] == real["seen"], ops
