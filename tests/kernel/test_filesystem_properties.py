"""Stateful properties of the filesystem layer (a hypothesis RuleBasedStateMachine)."""

from __future__ import annotations

import contextlib

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import podmodel
from podmodel.kernel.filesystem import ContainerView, Filesystem, FilesystemError, FileTree, Mount

NAMES = st.sampled_from(["a", "b", "c.log", "dir"])
RELATIVE = st.lists(NAMES, min_size=1, max_size=3).map("/".join)

# three containers sharing "vol" (one of them read-only, one through a subPath), nested mounts
VIEWS = {
    "c1": ContainerView(root="r1", mounts=(Mount(path="/data", store="vol"),)),
    "c2": ContainerView(
        root="r2", mounts=(Mount(path="/mnt/logs", store="vol"), Mount(path="/mnt", store="vol2"))
    ),
    "c3": ContainerView(
        root="r3",
        mounts=(
            Mount(path="/ro", store="vol", read_only=True),
            Mount(path="/sub", store="vol", sub_path="dir"),
        ),
    ),
}
RW_PREFIX = {"c1": "/data", "c2": "/mnt/logs", "c3": "/sub"}
ALL_PREFIXES = {"c1": "/data", "c2": "/mnt/logs", "c3": "/ro"}


class Filesystems(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        fs = Filesystem().add_store("vol", FileTree()).add_store("vol2", FileTree())
        for name in ("r1", "r2", "r3"):
            fs = fs.add_store(name, FileTree().write("/private", name.encode()))
        self.fs = fs
        self.ro_snapshot = None

    def _apply(self, change: object) -> None:
        before = self.fs
        stores_before = {k: before.tree(k) for k in before.stores}
        with contextlib.suppress(FilesystemError):
            self.fs = change()  # type: ignore[operator]
        # no operation mutates its input
        assert {k: before.tree(k) for k in before.stores} == stores_before

    @rule(
        c=st.sampled_from(list(VIEWS)),
        rel=RELATIVE,
        data=st.binary(max_size=8),
        append=st.booleans(),
    )
    def write(self, c: str, rel: str, data: bytes, append: bool) -> None:
        self._apply(lambda: self.fs.write(VIEWS[c], f"{RW_PREFIX[c]}/{rel}", data, append=append))

    @rule(c=st.sampled_from(list(VIEWS)), rel=RELATIVE)
    def mkdir(self, c: str, rel: str) -> None:
        self._apply(lambda: self.fs.mkdir(VIEWS[c], f"{RW_PREFIX[c]}/{rel}", parents=True))

    @rule(c=st.sampled_from(list(VIEWS)), rel=RELATIVE, recursive=st.booleans())
    def delete(self, c: str, rel: str, recursive: bool) -> None:
        self._apply(lambda: self.fs.delete(VIEWS[c], f"{RW_PREFIX[c]}/{rel}", recursive=recursive))

    @rule(c=st.sampled_from(list(VIEWS)), data=st.binary(max_size=4))
    def write_private(self, c: str, data: bytes) -> None:
        self._apply(lambda: self.fs.write(VIEWS[c], "/private", data))

    @rule(rel=RELATIVE, data=st.binary(max_size=4))
    def write_read_only(self, rel: str, data: bytes) -> None:
        before = self.fs
        try:
            self.fs.write(VIEWS["c3"], f"/ro/{rel}", data)
        except podmodel.PodmodelError as exc:
            assert isinstance(exc, (OSError,))
        else:
            raise AssertionError("a read-only mount accepted a write")
        assert self.fs is before

    @invariant()
    def every_mount_of_a_volume_shows_the_same_content(self) -> None:
        vol = self.fs.tree("vol")
        for path, node in vol.walk():
            for c, prefix in ALL_PREFIXES.items():
                seen = f"{prefix}{path}"
                if isinstance(node, type(vol.root)):
                    assert self.fs.listdir(VIEWS[c], seen) == vol.listdir(path)
                else:
                    assert self.fs.read(VIEWS[c], seen) == vol.read(path)
        if vol.is_dir("/dir"):
            assert self.fs.listdir(VIEWS["c3"], "/sub") == vol.listdir("/dir")

    @invariant()
    def private_files_stay_private(self) -> None:
        for c, root in (("c1", "r1"), ("c2", "r2"), ("c3", "r3")):
            assert self.fs.read(VIEWS[c], "/private") == self.fs.tree(root).read("/private")
        assert self.fs.tree("vol2").listdir("/") in ((), ("logs",))


TestFilesystems = Filesystems.TestCase


@st.composite
def images(draw: st.DrawFn, path: str) -> FileTree:
    tree = FileTree().mkdir(path, parents=True)
    for name in draw(st.lists(NAMES, max_size=3, unique=True)):
        tree = tree.write(f"{path}/{name}", name.encode())
    return tree


MOUNT_PATHS = ["/data", "/var/log/app", "/srv"]


@given(
    st.lists(st.tuples(st.sampled_from(MOUNT_PATHS), st.data()), min_size=1, max_size=4),
    st.sampled_from(["first-mount", "empty"]),
)
def test_first_mount_wins_content_is_the_first_non_empty_image_subtree(
    containers: list[tuple[str, st.DataObject]], population: str
) -> None:
    from podmodel.kubelet.images import Image
    from podmodel.kubelet.volumes import VolumeSource, create_container
    from podmodel.model.spec import Container, VolumeMount

    fs = Filesystem().add_store("vol", FileTree())
    sources = {"v": VolumeSource(volume="v", store="vol")}
    expected = None
    for i, (path, data) in enumerate(containers):
        tree = data.draw(images(path))
        if expected is None and tree.listdir(path):
            expected = {n: tree.read(f"{path}/{n}") for n in tree.listdir(path)}
        c = Container(
            name=f"c{i}", image=f"img{i}", volume_mounts=(VolumeMount(name="v", mount_path=path),)
        )
        fs, view = create_container(
            fs,
            key="p",
            container=c,
            image=Image(name=f"img{i}", tree=tree),
            sources=sources,
            population=population,
        )  # type: ignore[arg-type]
        assert fs.listdir(view, path) == fs.tree("vol").listdir("/")
    got = {n: fs.tree("vol").read(f"/{n}") for n in fs.tree("vol").listdir("/")}
    assert got == ({} if population == "empty" or expected is None else expected)
