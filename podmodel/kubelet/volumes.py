"""Volumes and containers on the node: the kubelet's volume set-up (emptyDir, hostPath and its
type checks) and the runtime's creation of a container's root and mounts, with the two ways a
new volume is populated ("first mount wins", as Docker's named volumes; or empty, as Kubernetes
does). Built on the kernel's :mod:`podmodel.kernel.filesystem`.
"""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING, Literal

import attrs

from podmodel.kernel._tree import Dir, File, FileNotFound, FilesystemError, FileTree, NotADirectory
from podmodel.kernel.filesystem import NODE, ContainerView, Filesystem, Mount, _by_depth, normalize
from podmodel.kubelet._config import CONFIG_KINDS, fill, volume_payload, volume_refs
from podmodel.kubelet.images import Catalogue, Image, default_catalogue
from podmodel.model._pmap import PMap
from podmodel.model._quantity import parse_quantity
from podmodel.model.spec import EmptyDir, HostPath, OtherVolumeSource

if TYPE_CHECKING:
    from collections.abc import Mapping

    from podmodel.kubelet._config import ConfigObject
    from podmodel.model.spec import Container, Pod

__all__ = [
    "PodMounts",
    "Population",
    "VolumeSetupError",
    "VolumeSource",
    "create_container",
    "mount_pod",
    "setup_volumes",
]

Population = Literal["first-mount", "empty"]


@attrs.frozen(kw_only=True)
class VolumeSource:
    """Where a pod volume's files are: a store and a path in it (``/`` for an emptyDir)."""

    volume: str
    store: str
    path: str = "/"
    kind: str = "emptyDir"
    #: for configMap, secret and projected volumes: the objects it is filled from
    #: (``ConfigMap/ns/name``), and the clock when its content was last synced
    refs: tuple[str, ...] = ()
    synced_at: float = 0.0


_TYPE_WORDS = {
    "Directory": "is not a directory",
    "DirectoryOrCreate": "is not a directory",
    "File": "is not a file",
    "FileOrCreate": "is not a file",
    "Socket": "is not a socket file",
    "CharDevice": "is not a character device",
    "BlockDevice": "is not a block device",
}


def _host_path(fs: Filesystem, name: str, src: HostPath) -> tuple[Filesystem, VolumeSource]:
    """Set up a hostPath volume: the kubelet's type checks and creation rules."""
    path = normalize(src.path or "/")
    node = fs.tree(NODE)
    kind = src.type or ""
    failed = f'MountVolume.SetUp failed for volume "{name}" : hostPath type check failed: {path} '
    exists = node.exists(path)
    if kind == "DirectoryOrCreate" and not exists:
        try:
            node = node.mkdir(path, parents=True, exist_ok=True)
        except FilesystemError as exc:
            raise VolumeSetupError(
                f'MountVolume.SetUp failed for volume "{name}" : mkdir {path}: {exc.strerror}'
            ) from None
    elif kind == "FileOrCreate" and not exists:
        try:
            node = node.write(path, b"")
        except FilesystemError as exc:
            raise VolumeSetupError(
                f'MountVolume.SetUp failed for volume "{name}" : '
                f"open {path}: {exc.strerror.lower() if exc.strerror else ''}"
            ) from None
    elif kind == "" and not exists:
        node = node.mkdir(path, parents=True, exist_ok=True)  # the runtime creates a missing source
    is_dir = node.is_dir(path)
    if (
        (kind in ("Directory", "DirectoryOrCreate") and not is_dir)
        or (kind in ("File", "FileOrCreate") and (is_dir or not node.exists(path)))
        or kind in ("Socket", "CharDevice", "BlockDevice")
    ):
        raise VolumeSetupError(failed + _TYPE_WORDS[kind])
    fs = fs._set(NODE, node, path)
    return fs, VolumeSource(volume=name, store=NODE, path=path, kind="hostPath")


class VolumeSetupError(FilesystemError):
    """A volume could not be set up (a hostPath type check failed); ``str()`` is the kubelet's
    ``FailedMount`` event message."""

    code = errno.EIO

    def __init__(self, message: str) -> None:
        super().__init__("", message)

    def __str__(self) -> str:
        return str(self.strerror)


def setup_volumes(
    fs: Filesystem,
    pod: Pod,
    *,
    key: str | None = None,
    configs: Mapping[str, ConfigObject] | None = None,
    uid: str = "",
    now: float = 0.0,
) -> tuple[Filesystem, dict[str, VolumeSource]]:
    """Create the stores for *pod*'s volumes (before any container starts).

    emptyDir: a new, empty store per pod (with the ``sizeLimit`` as a hard limit when
    ``medium: Memory``); hostPath: a path of the node's tree, after the kubelet's type checks;
    configMap, secret, projected and downwardAPI: a store filled from *configs* (the node's
    ConfigMaps and Secrets, see :mod:`podmodel.kubelet._config`) and the pod's metadata; every
    other source: an empty store (its data lives in storage podmodel does not have).

    Raises:
        VolumeSetupError: A hostPath type check failed, or a ConfigMap or Secret is missing
            (the pod stays ``ContainerCreating``).
    """
    key = key or pod.name
    sources: dict[str, VolumeSource] = {}
    for vol in pod.spec.volumes:
        name = vol.name or ""
        src = vol.source
        if isinstance(src, HostPath):
            fs, sources[name] = _host_path(fs, name, src)
            continue
        if isinstance(src, OtherVolumeSource) and src.kind in CONFIG_KINDS:
            payload = volume_payload(
                src.kind, src.fields, pod, uid, {} if configs is None else configs, now=now
            )
            if isinstance(payload, str):
                raise VolumeSetupError(f'MountVolume.SetUp failed for volume "{name}" : {payload}')
            store = f"volume/{key}/{name}"
            fs = fs.add_store(store, fill(payload))
            refs = volume_refs(src.kind, src.fields, pod.metadata.namespace or "default")
            sources[name] = VolumeSource(
                volume=name, store=store, kind=src.kind, refs=refs, synced_at=now
            )
            continue
        store = (
            f"{'emptydir' if src is None or isinstance(src, EmptyDir) else 'volume'}/{key}/{name}"
        )
        limit = None
        if isinstance(src, EmptyDir) and src.medium == "Memory" and src.size_limit is not None:
            try:
                limit = int(parse_quantity(src.size_limit).value)
            except ValueError:
                limit = None
        fs = fs.add_store(store, FileTree(), limit=limit)
        kind = "emptyDir" if src is None else src.kind
        sources[name] = VolumeSource(volume=name, store=store, kind=kind)
    return fs, sources


def _ensure_mount_point(fs: Filesystem, view: ContainerView, mount: Mount) -> Filesystem:
    """Create a missing mount point through the mounts made so far (as the runtime does)."""
    target_is_file = (
        isinstance(fs.tree(mount.store).node(mount.sub_path), File)
        if fs.tree(mount.store).exists(mount.sub_path)
        else False
    )
    _, store, inner = view.resolve(mount.path)
    tree = fs.tree(store)
    if tree.exists(inner):
        if tree.is_dir(inner) == target_is_file:  # a file onto a directory, or the reverse
            raise NotADirectory(
                mount.path,
                "Not a directory: are you trying to mount a directory onto a file (or vice-versa)?",
            )
        return fs
    if target_is_file:
        tree = tree.write(inner, b"", parents=True)
    else:
        tree = tree.mkdir(inner, parents=True, exist_ok=True)
    return attrs.evolve(fs, stores=fs.stores.set(store, tree))


def create_container(
    fs: Filesystem,
    *,
    key: str,
    container: Container,
    image: Image,
    sources: dict[str, VolumeSource],
    population: Population = "first-mount",
) -> tuple[Filesystem, ContainerView]:
    """Create a container's root store and mounts; populate empty emptyDirs in first-mount mode.

    First mount wins (``population="first-mount"``, the default, Docker's copy-up as the seed
    describes it): mounting an emptyDir that is still empty copies the image's files under the
    mount path into the volume. ``population="empty"`` is what Kubernetes does: never.
    hostPath and the other sources are never populated.
    """
    name = container.name or ""
    root = f"rootfs/{key}/{name}"
    fs = fs.add_store(root, image.tree)
    mounts: list[Mount] = []
    for vm in container.volume_mounts:
        src = sources.get(vm.name or "")
        if src is None or not vm.mount_path:
            continue
        sub = normalize(src.path + "/" + (vm.sub_path or ""))
        store = src.store
        if vm.sub_path and src.kind in CONFIG_KINDS and fs.tree(store).exists(sub):
            # a subPath mount of a file the kubelet fills binds that file as it is now: later
            # updates of the volume do not reach it (a snapshot store)
            store = f"subpath/{key}/{name}/{len(mounts)}"
            fs = fs.add_store(
                store, FileTree().put(sub, fs.tree(src.store).node(sub), parents=True)
            )
        elif vm.sub_path:
            tree = fs.tree(src.store)
            if not tree.exists(sub):  # the kubelet creates a missing subPath directory
                fs = attrs.evolve(
                    fs,
                    stores=fs.stores.set(src.store, tree.mkdir(sub, parents=True, exist_ok=True)),
                )
        mounts.append(
            Mount(
                path=vm.mount_path,
                store=store,
                sub_path=sub,
                read_only=bool(vm.read_only) or src.kind in CONFIG_KINDS,
                volume=src.volume,
            )
        )
    view = ContainerView(root=root)
    done: list[Mount] = []
    for mount in _by_depth(tuple(mounts)):
        src = sources[mount.volume or ""]
        if population == "first-mount" and src.kind == "emptyDir":
            fs = _copy_up(fs, image, mount, name)
        fs = _ensure_mount_point(fs, view, mount)
        done.append(mount)
        view = ContainerView(root=root, mounts=tuple(done))
    return fs, view


def _copy_up(fs: Filesystem, image: Image, mount: Mount, container: str) -> Filesystem:
    tree = fs.tree(mount.store)
    target = tree.node(mount.sub_path) if tree.exists(mount.sub_path) else None
    if not isinstance(target, Dir) or len(target.entries):
        return fs  # not empty: the first mount already won
    content = image.tree.node(mount.path) if image.tree.exists(mount.path) else None
    if not isinstance(content, Dir) or not len(content.entries):
        return fs
    if mount.sub_path == "/":
        new = FileTree(
            root=content,
            size=sum(len(n.data) for _, n in FileTree(root=content).walk() if isinstance(n, File)),
        )
    else:
        new = tree.put(mount.sub_path, content, parents=True)
    fs = fs._set(mount.store, new, mount.path)
    return attrs.evolve(
        fs,
        origins=fs.origins.set(
            mount.store, f"copied from {image.name}:{mount.path} when {container} was created"
        ),
    )


@attrs.frozen(kw_only=True)
class PodMounts:
    """A pod's file-system side, set up: the filesystem, and each container's view."""

    filesystem: Filesystem
    views: PMap[str, ContainerView]
    sources: PMap[str, VolumeSource]

    def view(self, container: str) -> ContainerView:
        """The view of the container named *container*."""
        found: ContainerView | None = self.views.get(container)
        if found is None:
            raise FileNotFound(container, "no such container")
        return found


def mount_pod(
    pod: Pod,
    *,
    filesystem: Filesystem | None = None,
    catalogue: Catalogue | None = None,
    population: Population = "first-mount",
    key: str | None = None,
) -> PodMounts:
    """Set up *pod*'s volumes, then create its containers in start order (init containers,
    then app containers in spec order), each with its mounts.

    This is the filesystem half of starting a pod, usable without the runtime: the processes do
    not run, so only image content (first-mount mode) fills a volume.
    """
    fs = filesystem or Filesystem()
    cat = catalogue or default_catalogue()
    fs, sources = setup_volumes(fs, pod, key=key)
    views: dict[str, ContainerView] = {}
    for c in (*pod.spec.init_containers, *pod.spec.containers):
        fs, views[c.name or ""] = create_container(
            fs,
            key=key or pod.name,
            container=c,
            image=cat.get(c.image or ""),
            sources=sources,
            population=population,
        )
    return PodMounts(filesystem=fs, views=PMap(views), sources=PMap(sources))
