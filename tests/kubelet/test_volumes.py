"""Volumes on the node: emptyDir limits, hostPath type checks and persistence, and the two
ways a new volume is populated ("first mount wins", or empty as Kubernetes does)."""

from __future__ import annotations

import errno

import attrs
import pytest

import podmodel
from podmodel.kernel.filesystem import NODE, Filesystem, FileTree, NoSpace
from podmodel.kubelet.volumes import VolumeSetupError, mount_pod
from tests.support.helpers import pod_of


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
