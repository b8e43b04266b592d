"""The filesystem layer: trees, views and mounts (volumes on the node: tests/kubelet/test_volumes.py)."""

from __future__ import annotations

import errno

import pytest

import podmodel
from podmodel.kernel.filesystem import (
    ContainerView,
    CrossDevice,
    DirectoryNotEmpty,
    FileExists,
    FileNotFound,
    Filesystem,
    FileTree,
    IsADirectory,
    Mount,
    MountBusy,
    NotADirectory,
    ReadOnlyFileSystem,
)


def test_tree_basics_and_errors() -> None:
    t = FileTree().write("/a/b/c.txt", b"hi", parents=True)
    assert t.read("/a/b/c.txt") == b"hi"
    assert t.listdir("/a") == ("b",)
    assert t.stat("/a/b/c.txt").size == 2
    assert t.append("/a/b/c.txt", b"!").read("/a/b/c.txt") == b"hi!"
    assert t.size == 2
    cases = [
        (lambda: t.read("/nope"), FileNotFound, errno.ENOENT),
        (lambda: t.read("/a/b/c.txt/x"), NotADirectory, errno.ENOTDIR),
        (lambda: t.read("/a"), IsADirectory, errno.EISDIR),
        (lambda: t.mkdir("/a"), FileExists, errno.EEXIST),
        (lambda: t.delete("/a"), DirectoryNotEmpty, errno.ENOTEMPTY),
        (lambda: t.write("/x/y", b""), FileNotFound, errno.ENOENT),
    ]
    for call, exc_type, code in cases:
        with pytest.raises(exc_type) as info:
            call()
        assert info.value.errno == code
        assert isinstance(info.value, podmodel.PodmodelError)
        assert isinstance(info.value, OSError)
    assert t.delete("/a", recursive=True).listdir("/") == ()
    assert t.rename("/a/b", "/z").listdir("/z") == ("c.txt",)


def test_paths_normalise_and_never_climb_above_root() -> None:
    t = FileTree().write("/etc/x", b"1", parents=True)
    assert t.read("//etc/./x") == t.read("/../../etc/x") == b"1"


def test_writes_never_change_the_old_tree() -> None:
    t = FileTree().write("/a", b"1")
    t2 = t.write("/a", b"2").write("/b", b"3")
    assert t.read("/a") == b"1"
    assert not t.exists("/b")
    assert t2.read("/a") == b"2"


def _two_views() -> tuple[Filesystem, ContainerView, ContainerView]:
    fs = Filesystem().add_store("vol", FileTree().write("/seed", b"s"))
    fs = fs.add_store("r1", FileTree().mkdir("/data")).add_store("r2", FileTree())
    v1 = ContainerView(root="r1", mounts=(Mount(path="/data", store="vol"),))
    v2 = ContainerView(root="r2", mounts=(Mount(path="/logs", store="vol"),))
    return fs, v1, v2


def test_one_volume_many_mounts_is_one_set_of_files() -> None:
    fs, v1, v2 = _two_views()
    fs = fs.write(v1, "/data/app.log", b"line 1\n")
    fs = fs.write(v2, "/logs/app.log", b"line 2\n", append=True)
    assert fs.read(v1, "/data/app.log") == b"line 1\nline 2\n"
    fs = fs.mkdir(v1, "/data/dir")
    fs = fs.rename(v2, "/logs/seed", "/logs/dir/seed")
    assert fs.listdir(v1, "/data/dir") == ("seed",)
    fs = fs.delete(v2, "/logs/app.log")
    assert fs.listdir(v1, "/data") == ("dir",)
    assert fs.tree("vol").listdir("/") == ("dir",)


def test_writes_outside_mounts_stay_private() -> None:
    fs, v1, v2 = _two_views()
    fs = fs.write(v1, "/private", b"x")
    assert not fs.exists(v2, "/private")


def test_rename_across_mounts_is_exdev_and_mount_points_are_busy() -> None:
    fs, v1, _ = _two_views()
    with pytest.raises(CrossDevice):
        fs.rename(v1, "/data/seed", "/seed")
    with pytest.raises(MountBusy):
        fs.delete(v1, "/data", recursive=True)


def test_read_only_mounts_refuse_every_change_but_see_other_writes() -> None:
    fs, v1, _ = _two_views()
    ro = ContainerView(root="r2", mounts=(Mount(path="/ro", store="vol", read_only=True),))
    for change in (
        lambda: fs.write(ro, "/ro/x", b""),
        lambda: fs.write(ro, "/ro/seed", b"overwrite"),
        lambda: fs.delete(ro, "/ro/seed"),
        lambda: fs.mkdir(ro, "/ro/d"),
        lambda: fs.rename(ro, "/ro/seed", "/ro/s2"),
    ):
        with pytest.raises(ReadOnlyFileSystem) as info:
            change()
        assert info.value.errno == errno.EROFS
    fs = fs.write(v1, "/data/late", b"late\n")
    assert fs.read(ro, "/ro/late") == b"late\n"


def test_mounts_cover_image_content_deepest_wins_and_stacks() -> None:
    image = FileTree().write("/a/b/under", b"", parents=True).write("/a/mine", b"")
    fs = (
        Filesystem()
        .add_store("root", image)
        .add_store("A", FileTree().write("/A-file", b"").mkdir("/b").write("/b/A-b-file", b""))
        .add_store("B", FileTree().write("/B-file", b""))
    )
    # spec order /a/b then /a: parent-first sorting makes /a/b visible anyway
    view = ContainerView(
        root="root", mounts=(Mount(path="/a/b", store="B"), Mount(path="/a", store="A"))
    )
    assert fs.listdir(view, "/a") == ("A-file", "b")
    assert fs.listdir(view, "/a/b") == ("B-file",)
    assert not fs.exists(view, "/a/mine")  # covered, not merged
    assert fs.tree("root").exists("/a/mine")  # and not deleted
    stacked = ContainerView(
        root="root", mounts=(Mount(path="/a", store="A"), Mount(path="/a", store="B"))
    )
    assert fs.listdir(stacked, "/a") == ("B-file",)


def test_sub_path_mounts_a_sub_directory() -> None:
    fs = Filesystem().add_store("vol", FileTree().mkdir("/dir")).add_store("r", FileTree())
    view = ContainerView(root="r", mounts=(Mount(path="/sub", store="vol", sub_path="dir"),))
    fs = fs.write(view, "/sub/f", b"x")
    assert fs.tree("vol").read("/dir/f") == b"x"
