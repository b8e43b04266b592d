"""The filesystem layer: trees, views, mounts, volumes and "first mount wins"."""

from __future__ import annotations

import errno

import attrs
import pytest

import podmodel
from podmodel.filesystem import (
    NODE,
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
    NoSpace,
    NotADirectory,
    ReadOnlyFileSystem,
    VolumeSetupError,
    mount_pod,
)
from tests.helpers import pod_of


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


def test_memory_empty_dir_size_limit_is_enospc() -> None:
    pod = pod_of(
        {
            "containers": [
                {
                    "name": "c",
                    "image": "busybox",
                    "volumeMounts": [{"name": "m", "mountPath": "/mem"}],
                }
            ],
            "volumes": [{"name": "m", "emptyDir": {"medium": "Memory", "sizeLimit": "64Ki"}}],
        }
    )
    pm = mount_pod(pod)
    fs, view = pm.filesystem, pm.view("c")
    fs = fs.write(view, "/mem/a", b"x" * 30000)
    fs = fs.write(view, "/mem/b", b"x" * 30000)
    with pytest.raises(NoSpace) as info:
        fs.write(view, "/mem/c", b"x" * 30000)
    assert info.value.errno == errno.ENOSPC


def _host_pod(path: str, kind: str | None) -> podmodel.Pod:
    host: dict[str, object] = {"path": path}
    if kind is not None:
        host["type"] = kind
    return pod_of(
        {
            "containers": [
                {
                    "name": "c",
                    "image": "busybox",
                    "volumeMounts": [{"name": "v", "mountPath": "/host"}],
                }
            ],
            "volumes": [{"name": "v", "hostPath": host}],
        }
    )


@pytest.mark.parametrize(
    ("kind", "prepare", "error"),
    [
        ("Directory", None, "/logs is not a directory"),
        ("Directory", "file", "/logs is not a directory"),
        ("File", None, "/logs is not a file"),
        ("File", "dir", "/logs is not a file"),
        ("Socket", "file", "/logs is not a socket file"),
        ("CharDevice", "file", "/logs is not a character device"),
        ("BlockDevice", "file", "/logs is not a block device"),
        ("DirectoryOrCreate", "file", "/logs is not a directory"),
        ("FileOrCreate", "dir", "/logs is not a file"),
    ],
)
def test_host_path_type_checks_use_the_kubelets_words(
    kind: str, prepare: str | None, error: str
) -> None:
    fs = Filesystem()
    if prepare == "file":
        fs = fs.add_store(NODE, FileTree().write("/logs", b""))
    elif prepare == "dir":
        fs = fs.add_store(NODE, FileTree().mkdir("/logs"))
    with pytest.raises(VolumeSetupError) as info:
        mount_pod(_host_pod("/logs", kind), filesystem=fs)
    assert str(info.value) == (
        f'MountVolume.SetUp failed for volume "v" : hostPath type check failed: {error}'
    )


def test_host_path_creation_rules_and_persistence() -> None:
    pm = mount_pod(_host_pod("/var/data/logs", "DirectoryOrCreate"))
    assert pm.filesystem.tree(NODE).is_dir("/var/data/logs")  # parents created too
    pm = mount_pod(
        _host_pod("/etc/app.conf", "FileOrCreate"),
        filesystem=Filesystem().add_store(NODE, FileTree().mkdir("/etc")),
    )
    assert pm.filesystem.tree(NODE).read("/etc/app.conf") == b""
    with pytest.raises(VolumeSetupError, match="no such file or directory"):
        mount_pod(_host_pod("/missing/app.conf", "FileOrCreate"))  # no parent creation
    pm = mount_pod(_host_pod("/logs", None))
    fs = pm.filesystem.write(pm.view("c"), "/host/x.log", b"kept")
    assert fs.tree(NODE).read("/logs/x.log") == b"kept"
    fs = fs.drop_store("emptydir/p/none")  # deleting the pod's stores leaves the node's
    assert fs.tree(NODE).read("/logs/x.log") == b"kept"


def test_first_mount_wins_in_the_seeds_shared_disk_pod(seed_experiments: dict[str, str]) -> None:
    pod = podmodel.loads(seed_experiments["shared-disk"])
    pm = mount_pod(pod)
    nginx = pm.view("mycon2")
    assert pm.filesystem.listdir(nginx, "/pm2logs") == ("red-error.log", "red-out.log")
    assert pm.filesystem.read(nginx, "/pm2logs/red-out.log").startswith(b"Welcome to Node-RED")
    assert "sunwu51/node" in pm.filesystem.origins["emptydir/mypod/mymount"]


def test_kubernetes_mode_starts_empty(seed_experiments: dict[str, str]) -> None:
    pod = podmodel.loads(seed_experiments["shared-disk"])
    pm = mount_pod(pod, population="empty")
    assert pm.filesystem.listdir(pm.view("mycon2"), "/pm2logs") == ()
    assert pm.filesystem.listdir(pm.view("mycon1"), "/root/.pm2/logs") == ()


def test_the_reverse_lesson(seed_experiments: dict[str, str]) -> None:
    # nginx first, mounting the volume at /etc/nginx; then Node-RED at /root/.pm2/logs
    pod = podmodel.loads(seed_experiments["shared-disk"].replace("/pm2logs", "/etc/nginx"))
    spec = pod.spec
    pod = attrs.evolve(pod, spec=attrs.evolve(spec, containers=spec.containers[::-1]))
    pm = mount_pod(pod)
    node_red = pm.view("mycon1")
    assert "nginx.conf" in pm.filesystem.listdir(node_red, "/root/.pm2/logs")
    assert "red-out.log" not in pm.filesystem.listdir(node_red, "/root/.pm2/logs")
    assert pm.filesystem.tree("rootfs/mypod/mycon1").exists("/root/.pm2/logs/red-out.log")
