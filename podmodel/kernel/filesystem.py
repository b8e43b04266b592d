"""The filesystem layer: persistent file trees, volumes, mounts, and "first mount wins".

Files live in *stores*: the node's own tree (where ``hostPath`` volumes are), one tree per
``emptyDir``, and each container's root (its image's files plus its private writable layer). A
container sees its root with its volume mounts on top: a :class:`ContainerView` resolves a path
to the deepest mount covering it (mounts are applied parent-first, as containerd, CRI-O and
Docker sort them) and reads or writes the store behind it. So a write through one mount is seen at
once through every other mount of the same volume, and a write outside any mount stays private.

>>> fs = Filesystem().add_store("vol", FileTree())
>>> a = ContainerView(root="rootfs/a", mounts=(Mount(path="/data", store="vol"),))
>>> b = ContainerView(root="rootfs/b", mounts=(Mount(path="/logs", store="vol", read_only=True),))
>>> fs = fs.add_store("rootfs/a", FileTree()).add_store("rootfs/b", FileTree())
>>> fs = fs.write(a, "/data/app.log", b"hello\\n")
>>> fs.read(b, "/logs/app.log")
b'hello\\n'
>>> try:
...     fs.write(b, "/logs/x", b"")
... except ReadOnlyFileSystem as exc:
...     print(exc.errno, exc)
30 /logs/x: Read-only file system

Volume set-up and container creation (with the two population modes) are
:func:`setup_volumes` and :func:`create_container`; :func:`mount_pod` does both for a whole pod.
"""

from __future__ import annotations

import contextlib
import errno
from typing import TYPE_CHECKING, Literal

import attrs

from podmodel._pmap import PMap
from podmodel._quantity import parse_quantity
from podmodel._tree import (
    CrossDevice,
    Dir,
    DirectoryNotEmpty,
    File,
    FileExists,
    FileNotFound,
    FilesystemError,
    FileTree,
    IsADirectory,
    NoSpace,
    NotADirectory,
    ReadOnlyFileSystem,
    Stat,
    split,
)
from podmodel.images import Catalogue, Image, default_catalogue
from podmodel.spec import EmptyDir, HostPath

if TYPE_CHECKING:
    from collections.abc import Callable

    from podmodel.spec import Container, Pod

__all__ = [
    "NODE",
    "ContainerView",
    "CrossDevice",
    "DirectoryNotEmpty",
    "FileExists",
    "FileNotFound",
    "FileTree",
    "Filesystem",
    "FilesystemError",
    "IsADirectory",
    "Mount",
    "MountBusy",
    "NoSpace",
    "NotADirectory",
    "PodMounts",
    "Population",
    "ReadOnlyFileSystem",
    "Stat",
    "VolumeSetupError",
    "VolumeSource",
    "create_container",
    "mount_pod",
    "setup_volumes",
]

#: The store id of the node's own file tree (hostPath volumes live there).
NODE = "node"
Population = Literal["first-mount", "empty"]


class MountBusy(FilesystemError):
    """``EBUSY``: removing a mount point (or a directory with a mount below it)."""

    code = errno.EBUSY


def _join(parts: tuple[str, ...]) -> str:
    return "/" + "/".join(parts)


def normalize(path: str) -> str:
    """A path with ``//``, ``.``, ``..`` and trailing slashes resolved (never above ``/``);
    a relative path is taken from ``/`` (as the runtime joins a ``mountPath`` to the rootfs)."""
    return _join(split("/" + path))


@attrs.frozen(kw_only=True)
class Mount:
    """A store (or a sub-directory of it) mounted at *path* in a container."""

    path: str = attrs.field(converter=normalize)
    store: str
    sub_path: str = attrs.field(default="/", converter=normalize)
    read_only: bool = False
    volume: str | None = None

    @property
    def parts(self) -> tuple[str, ...]:
        return split(self.path)


def _by_depth(mounts: tuple[Mount, ...]) -> tuple[Mount, ...]:
    return tuple(sorted(mounts, key=lambda m: len(m.parts)))  # stable: parents first


@attrs.frozen(kw_only=True)
class ContainerView:
    """What one container sees: its root store, with its mounts on top (parent-first)."""

    root: str
    mounts: tuple[Mount, ...] = attrs.field(default=(), converter=_by_depth)

    def resolve(self, path: str) -> tuple[Mount | None, str, str]:
        """(the mount covering *path* or ``None``, its store, the path inside the store)."""
        parts = split(path)
        best: Mount | None = None
        for m in self.mounts:  # parent-first: the last match is the deepest (or the top of a stack)
            mp = m.parts
            if parts[: len(mp)] == mp and (best is None or len(mp) >= len(best.parts)):
                best = m
        if best is None:
            return None, self.root, _join(parts)
        rest = parts[len(best.parts) :]
        return best, best.store, _join((*split(best.sub_path), *rest))

    def mount_points(self) -> tuple[str, ...]:
        """The mount paths, parent-first."""
        return tuple(m.path for m in self.mounts)


@attrs.frozen(kw_only=True)
class Filesystem:
    """All the stores of a node: immutable; every change returns a new ``Filesystem``.

    ``limits`` maps a store to its size limit in bytes (a memory-backed emptyDir's
    ``sizeLimit``); ``origins`` records where a volume's first content came from.
    """

    stores: PMap[str, FileTree] = attrs.field(factory=lambda: PMap({NODE: FileTree()}))
    limits: PMap[str, int] = attrs.field(factory=PMap)
    origins: PMap[str, str] = attrs.field(factory=PMap)

    def tree(self, store: str) -> FileTree:
        """The file tree of *store*."""
        found: FileTree | None = self.stores.get(store)
        if found is None:
            raise FileNotFound(store, "no such store")
        return found

    def add_store(self, store: str, tree: FileTree, *, limit: int | None = None) -> Filesystem:
        """A filesystem with *store* holding *tree* (replacing it if it existed)."""
        limits = self.limits.set(store, limit) if limit is not None else self.limits.delete(store)
        return attrs.evolve(self, stores=self.stores.set(store, tree), limits=limits)

    def drop_store(self, store: str) -> Filesystem:
        """A filesystem without *store* (an emptyDir deleted with its pod)."""
        return attrs.evolve(
            self,
            stores=self.stores.delete(store),
            limits=self.limits.delete(store),
            origins=self.origins.delete(store),
        )

    def _set(self, store: str, tree: FileTree, path: str) -> Filesystem:
        limit = self.limits.get(store)
        if limit is not None and tree.size > limit:
            raise NoSpace(path)
        return attrs.evolve(self, stores=self.stores.set(store, tree))

    # ---- reads through a view ----

    def _slash(self, view: ContainerView, path: str, *, create: bool = False) -> None:
        """A trailing slash asks for a directory (Linux path lookup): ``ENOTDIR`` when *path*
        is a file; when creating (``open(O_CREAT)``), ``EISDIR`` once the parent directory is
        found, whatever is there (``open_last_lookups`` in fs/namei.c)."""
        if not path.endswith("/") or not split(path):
            return
        if create:
            self._parent(view, path)
            raise IsADirectory(normalize(path))
        _, store, inner = view.resolve(path)
        tree = self.tree(store)
        if tree.exists(inner) and not isinstance(tree.node(inner), Dir):
            raise NotADirectory(normalize(path))

    def read(self, view: ContainerView, path: str) -> bytes:
        """The bytes of the file at *path* as *view* sees it."""
        self._slash(view, path)
        _, store, inner = view.resolve(path)
        return self.tree(store).read(inner)

    def _orphan(self, view: ContainerView, path: str) -> bool:
        """True at a mount point whose source directory was removed (through another mount):
        the kernel keeps showing it, as an empty directory in which nothing can be created."""
        mount, store, inner = view.resolve(path)
        return (
            mount is not None and mount.parts == split(path) and not self.tree(store).exists(inner)
        )

    def listdir(self, view: ContainerView, path: str) -> tuple[str, ...]:
        """The sorted names in the directory at *path*."""
        _, store, inner = view.resolve(path)
        if self._orphan(view, path):
            return ()
        return self.tree(store).listdir(inner)

    def stat(self, view: ContainerView, path: str) -> Stat:
        """Kind, size and mode of *path*."""
        self._slash(view, path)
        _, store, inner = view.resolve(path)
        if self._orphan(view, path):
            return Stat(kind="directory", size=0, mode=0o755)
        return self.tree(store).stat(inner)

    def exists(self, view: ContainerView, path: str) -> bool:
        """Whether *path* exists in *view*."""
        try:
            self._slash(view, path)
        except NotADirectory:
            return False
        _, store, inner = view.resolve(path)
        return self._orphan(view, path) or self.tree(store).exists(inner)

    # ---- writes through a view ----
    #
    # The order of the checks is the kernel's (fs/namei.c): path lookup errors first, then the
    # read-only mount (EROFS), then what is wrong with the target itself. Creating or changing a
    # file looks the target up before ``mnt_want_write``; unlink, rmdir and rename ask for write
    # access right after looking up the parent directory.

    def _parent(self, view: ContainerView, path: str) -> tuple[Mount | None, tuple[str, ...]]:
        """Look up *path*'s parent directory (ENOENT / ENOTDIR); return its mount and *path*."""
        parts = split(path)
        parent = _join(parts[:-1])
        mount, store, inner = view.resolve(parent)
        node = self.tree(store).node(inner)
        if not isinstance(node, Dir):
            raise NotADirectory(parent)
        return mount, parts

    def _change(
        self,
        view: ContainerView,
        path: str,
        op: Callable[[FileTree, str], FileTree],
    ) -> Filesystem:
        """Apply *op* to the store behind *path*; the tree's own errors come before EROFS."""
        mount, store, inner = view.resolve(path)
        new = op(self.tree(store), inner)
        if mount is not None and mount.read_only:
            raise ReadOnlyFileSystem(normalize(path))
        return self._set(store, new, path)

    def write(
        self,
        view: ContainerView,
        path: str,
        data: bytes,
        *,
        parents: bool = False,
        append: bool = False,
    ) -> Filesystem:
        """Write (or with *append*, append to) the file at *path*."""
        self._slash(view, path, create=True)
        if append:
            return self._change(view, path, lambda t, p: t.append(p, data))
        return self._change(view, path, lambda t, p: t.write(p, data, parents=parents))

    def mkdir(
        self, view: ContainerView, path: str, *, parents: bool = False, exist_ok: bool = False
    ) -> Filesystem:
        """Create a directory (``mkdir -p`` with *parents*)."""
        if parents:
            fs = self
            parts = split(path)
            for i in range(1, len(parts) + 1):
                sub = _join(parts[:i])
                if not fs.exists(view, sub):
                    fs = fs.mkdir(view, sub)
                elif fs.stat(view, sub).kind != "directory":
                    raise NotADirectory(sub)
            return fs
        return self._change(view, path, lambda t, p: t.mkdir(p, exist_ok=exist_ok))

    def delete(self, view: ContainerView, path: str, *, recursive: bool = False) -> Filesystem:
        """Remove a file or directory; a mount point (or one below *path*) is ``EBUSY``."""
        parent_mount, parts = self._parent(view, path)
        if parent_mount is not None and parent_mount.read_only:
            raise ReadOnlyFileSystem(normalize(path))
        _mount, store, inner = view.resolve(path)
        self.tree(store).node(inner)  # ENOENT before EBUSY
        self._slash(view, path)  # then a trailing slash on a file (do_unlinkat)
        for m in view.mounts:
            # rmdir of the mount point itself is EBUSY; a mount further down makes a plain
            # rmdir ENOTEMPTY (the tree says so) and a recursive removal EBUSY
            if m.parts == parts or (recursive and m.parts[: len(parts)] == parts):
                raise MountBusy(normalize(path))
        return self._set(store, self.tree(store).delete(inner, recursive=recursive), path)

    def rename(self, view: ContainerView, src: str, dst: str) -> Filesystem:
        """Move *src* to *dst*.

        As in the kernel, the mounts compared are those of the two *parent* directories
        (``EXDEV`` when they differ), then a read-only mount refuses (``EROFS``), then the
        source and target are checked, and a mount point cannot move (``EBUSY``).
        """
        sparts, dparts = split(src), split(dst)
        if not sparts or not dparts:
            raise MountBusy(normalize(src if not sparts else dst))
        parent_src, _ = self._parent(view, src)
        parent_dst, _ = self._parent(view, dst)
        if parent_src != parent_dst:
            raise CrossDevice(normalize(src))
        if parent_src is not None and parent_src.read_only:
            raise ReadOnlyFileSystem(normalize(src))
        _, store, inner_src = view.resolve(src)
        tree = self.tree(store)
        moved = tree.node(inner_src)  # ENOENT
        if not isinstance(moved, Dir) and (src.endswith("/") or dst.endswith("/")):
            raise NotADirectory(normalize(src))  # a trailing slash on a file (do_renameat2)
        _, _, inner_dst = view.resolve(dst)
        if sparts == dparts:
            return self
        if any(m.parts in (sparts, dparts) for m in view.mounts):
            # type checks (on the mount-point directories, in the parent's store) come first,
            # the file system's own ENOTEMPTY after EBUSY (vfs_rename)
            _, pstore, pinner = view.resolve(_join(sparts[:-1]))
            ptree = self.tree(pstore)
            with contextlib.suppress(DirectoryNotEmpty):
                ptree.rename(
                    _join((*split(pinner), sparts[-1])), _join((*split(pinner), dparts[-1]))
                )
            raise MountBusy(normalize(src))
        return self._set(store, tree.rename(inner_src, inner_dst), dst)


# --- volumes and containers ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class VolumeSource:
    """Where a pod volume's files are: a store and a path in it (``/`` for an emptyDir)."""

    volume: str
    store: str
    path: str = "/"
    kind: str = "emptyDir"


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
    fs: Filesystem, pod: Pod, *, key: str | None = None
) -> tuple[Filesystem, dict[str, VolumeSource]]:
    """Create the stores for *pod*'s volumes (before any container starts).

    emptyDir: a new, empty store per pod (with the ``sizeLimit`` as a hard limit when
    ``medium: Memory``); hostPath: a path of the node's tree, after the kubelet's type checks;
    every other source: an empty store (its data lives in the API server, which podmodel does
    not have).

    Raises:
        VolumeSetupError: A hostPath type check failed (the pod stays ``ContainerCreating``).
    """
    key = key or pod.name
    sources: dict[str, VolumeSource] = {}
    for vol in pod.spec.volumes:
        name = vol.name or ""
        src = vol.source
        if isinstance(src, HostPath):
            fs, sources[name] = _host_path(fs, name, src)
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
    mounts = []
    for vm in container.volume_mounts:
        src = sources.get(vm.name or "")
        if src is None or not vm.mount_path:
            continue
        sub = normalize(src.path + "/" + (vm.sub_path or ""))
        if vm.sub_path:
            tree = fs.tree(src.store)
            if not tree.exists(sub):  # the kubelet creates a missing subPath directory
                fs = attrs.evolve(
                    fs,
                    stores=fs.stores.set(src.store, tree.mkdir(sub, parents=True, exist_ok=True)),
                )
        mounts.append(
            Mount(
                path=vm.mount_path,
                store=src.store,
                sub_path=sub,
                read_only=bool(vm.read_only),
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
