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

Volume set-up and container creation (the kubelet's and the runtime's work, with the two
population modes) are in :mod:`podmodel.kubelet.volumes`.
"""

from __future__ import annotations

import contextlib
import errno
from typing import TYPE_CHECKING

import attrs

from podmodel.kernel._tree import (
    CrossDevice,
    Dir,
    DirectoryNotEmpty,
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
from podmodel.model._pmap import PMap

if TYPE_CHECKING:
    from collections.abc import Callable


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
    "ReadOnlyFileSystem",
    "Stat",
]

#: The store id of the node's own file tree (hostPath volumes live there).
NODE = "node"


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
