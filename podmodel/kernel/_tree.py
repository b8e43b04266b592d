"""A persistent in-memory file tree (private; public through :mod:`podmodel.kernel.filesystem`).

Directories hold their entries in a :class:`~podmodel.model._pmap.PMap`, so a write copies only the
directories on its path, each in O(log32 n): one write costs about the depth of the path, not the
size of the tree, and every older version of the tree stays valid and unchanged.
"""

from __future__ import annotations

import errno

import attrs

from podmodel.errors import PodmodelError
from podmodel.model._pmap import PMap

__all__ = [
    "CrossDevice",
    "Dir",
    "DirectoryNotEmpty",
    "File",
    "FileExists",
    "FileNotFound",
    "FileTree",
    "FilesystemError",
    "InvalidArgument",
    "IsADirectory",
    "NoSpace",
    "NotADirectory",
    "ReadOnlyFileSystem",
    "Stat",
    "split",
]


class FilesystemError(PodmodelError, OSError):
    """Base of the simulated file-system failures; each also subclasses the matching builtin."""

    code = errno.EIO

    def __init__(self, path: str, detail: str = "") -> None:
        super().__init__(self.code, detail or _STRERROR[self.code], path)

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


_STRERROR = {
    errno.ENOENT: "No such file or directory",
    errno.ENOTDIR: "Not a directory",
    errno.EISDIR: "Is a directory",
    errno.EROFS: "Read-only file system",
    errno.ENOSPC: "No space left on device",
    errno.EXDEV: "Invalid cross-device link",
    errno.EEXIST: "File exists",
    errno.ENOTEMPTY: "Directory not empty",
    errno.EBUSY: "Device or resource busy",
    errno.EIO: "Input/output error",
    errno.EINVAL: "Invalid argument",
}


class FileNotFound(FilesystemError, FileNotFoundError):
    """``ENOENT``."""

    code = errno.ENOENT


class NotADirectory(FilesystemError, NotADirectoryError):
    """``ENOTDIR``."""

    code = errno.ENOTDIR


class IsADirectory(FilesystemError, IsADirectoryError):
    """``EISDIR``."""

    code = errno.EISDIR


class ReadOnlyFileSystem(FilesystemError):
    """``EROFS``: a write through a read-only mount."""

    code = errno.EROFS


class NoSpace(FilesystemError):
    """``ENOSPC``: a memory-backed emptyDir is full (its ``sizeLimit``)."""

    code = errno.ENOSPC


class CrossDevice(FilesystemError):
    """``EXDEV``: a rename across two mounts."""

    code = errno.EXDEV


class FileExists(FilesystemError, FileExistsError):
    """``EEXIST``."""

    code = errno.EEXIST


class InvalidArgument(FilesystemError):
    """``EINVAL``: for example, moving a directory into itself."""

    code = errno.EINVAL


class DirectoryNotEmpty(FilesystemError):
    """``ENOTEMPTY``."""

    code = errno.ENOTEMPTY


@attrs.frozen
class File:
    """A regular file: its bytes and mode."""

    data: bytes = b""
    mode: int = 0o644


@attrs.frozen
class Dir:
    """A directory: its entries (name → node) and mode."""

    entries: PMap[str, File | Dir] = attrs.field(factory=PMap)
    mode: int = 0o755


Node = File | Dir


@attrs.frozen
class Stat:
    """What ``stat`` says: the kind (``"file"`` or ``"directory"``), size in bytes, and mode."""

    kind: str
    size: int
    mode: int


def split(path: str) -> tuple[str, ...]:
    """Normalise an absolute path into its components (``..`` never climbs above ``/``).

    >>> split("/a//b/./c/../d/")
    ('a', 'b', 'd')
    >>> split("/../..")
    ()
    """
    if not str(path).startswith("/"):  # also refuses a non-string path, as a bad input
        raise FileNotFound(str(path), "paths must be absolute")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return tuple(parts)


def _join(parts: tuple[str, ...]) -> str:
    return "/" + "/".join(parts)


def _size(node: Node) -> int:
    if isinstance(node, File):
        return len(node.data)
    return sum(_size(child) for child in node.entries.values())


@attrs.frozen
class FileTree:
    """An immutable file tree; every change returns a new tree sharing the rest.

    ``size`` is the total number of bytes in its files (kept up to date, for ``sizeLimit``).

    >>> t = FileTree().write("/etc/app/conf", b"x=1\\n", parents=True)
    >>> t.read("/etc/app/conf"), t.listdir("/etc")
    (b'x=1\\n', ('app',))
    """

    root: Dir = attrs.field(factory=Dir)
    size: int = 0

    # ---- queries ----

    def _node(self, parts: tuple[str, ...], path: str) -> Node:
        node: Node = self.root
        for i, part in enumerate(parts):
            if not isinstance(node, Dir):
                raise NotADirectory(_join(parts[:i]) or path)
            child = node.entries.get(part)
            if child is None:
                raise FileNotFound(path)
            node = child
        return node

    def node(self, path: str) -> Node:
        """The file or directory at *path*."""
        return self._node(split(path), path)

    def exists(self, path: str) -> bool:
        """Whether something is at *path*."""
        try:
            self.node(path)
        except FilesystemError:
            return False
        return True

    def is_dir(self, path: str) -> bool:
        """Whether *path* is a directory."""
        try:
            return isinstance(self.node(path), Dir)
        except FilesystemError:
            return False

    def read(self, path: str) -> bytes:
        """The bytes of the file at *path*."""
        node = self.node(path)
        if isinstance(node, Dir):
            raise IsADirectory(path)
        return node.data

    def listdir(self, path: str) -> tuple[str, ...]:
        """The sorted names in the directory at *path*."""
        node = self.node(path)
        if not isinstance(node, Dir):
            raise NotADirectory(path)
        return tuple(sorted(node.entries))

    def stat(self, path: str) -> Stat:
        """Kind, size and mode of *path*."""
        node = self.node(path)
        if isinstance(node, Dir):
            return Stat(kind="directory", size=len(node.entries), mode=node.mode)
        return Stat(kind="file", size=len(node.data), mode=node.mode)

    def walk(self, path: str = "/") -> list[tuple[str, Node]]:
        """Every (path, node) below *path* (files and directories), sorted."""
        start = self.node(path)
        base = split(path)
        out: list[tuple[str, Node]] = []
        stack: list[tuple[tuple[str, ...], Node]] = [(base, start)]
        while stack:
            parts, node = stack.pop()
            if parts != base:
                out.append((_join(parts), node))
            if isinstance(node, Dir):
                stack.extend(((*parts, name), child) for name, child in node.entries.items())
        return sorted(out, key=lambda item: item[0])

    # ---- changes ----

    def _put(
        self, parts: tuple[str, ...], path: str, new: Node | None, *, parents: bool
    ) -> FileTree:
        """Replace (or with ``None`` remove) the node at *parts*; returns the new tree."""
        if not parts:
            raise IsADirectory(path, "cannot replace the root directory")
        delta = 0

        def rebuild(node: Dir, depth: int) -> Dir:
            nonlocal delta
            name = parts[depth]
            child = node.entries.get(name)
            if depth == len(parts) - 1:
                old = (
                    0
                    if child is None
                    else _size(child)
                    if isinstance(child, Dir)
                    else len(child.data)
                )
                if new is None:
                    if child is None:
                        raise FileNotFound(path)
                    delta -= old
                    return Dir(node.entries.delete(name), node.mode)
                delta += (_size(new) if isinstance(new, Dir) else len(new.data)) - old
                return Dir(node.entries.set(name, new), node.mode)
            if child is None:
                if not parents:
                    raise FileNotFound(path)
                child = Dir()
            elif not isinstance(child, Dir):
                raise NotADirectory(_join(parts[: depth + 1]))
            return Dir(node.entries.set(name, rebuild(child, depth + 1)), node.mode)

        root = rebuild(self.root, 0)
        return FileTree(root=root, size=self.size + delta)

    def write(
        self, path: str, data: bytes, *, parents: bool = False, mode: int | None = None
    ) -> FileTree:
        """Create or overwrite the file at *path* (its parents too when *parents*)."""
        parts = split(path)
        try:
            old = self._node(parts, path)
        except FileNotFound:
            old = None
        if isinstance(old, Dir):
            raise IsADirectory(path)
        keep = old.mode if isinstance(old, File) else 0o644
        return self._put(
            parts, path, File(bytes(data), keep if mode is None else mode), parents=parents
        )

    def append(self, path: str, data: bytes) -> FileTree:
        """Append to the file at *path*, creating it if missing (its parent must exist)."""
        parts = split(path)
        try:
            old = self._node(parts, path)
        except FileNotFound:
            return self.write(path, data)
        if isinstance(old, Dir):
            raise IsADirectory(path)
        return self._put(parts, path, File(old.data + bytes(data), old.mode), parents=False)

    def mkdir(
        self, path: str, *, parents: bool = False, exist_ok: bool = False, mode: int = 0o755
    ) -> FileTree:
        """Create a directory (``mkdir -p`` with *parents* and *exist_ok*)."""
        parts = split(path)
        try:
            old = self._node(parts, path)
        except FileNotFound:
            old = None
        if old is not None:
            if isinstance(old, Dir) and (exist_ok or parents):
                return self
            raise FileExists(path)
        return self._put(parts, path, Dir(mode=mode), parents=parents)

    def delete(self, path: str, *, recursive: bool = False) -> FileTree:
        """Remove a file, an empty directory, or (with *recursive*) a whole directory."""
        parts = split(path)
        node = self._node(parts, path)
        if isinstance(node, Dir) and len(node.entries) and not recursive:
            raise DirectoryNotEmpty(path)
        return self._put(parts, path, None, parents=False)

    def put(self, path: str, node: Node, *, parents: bool = False) -> FileTree:
        """Place *node* (a file or a whole directory) at *path*, replacing what was there."""
        return self._put(split(path), path, node, parents=parents)

    def rename(self, src: str, dst: str) -> FileTree:
        """Move *src* to *dst* (replacing a file there; a directory may replace an empty one)."""
        node = self.node(src)
        sparts, dparts = split(src), split(dst)
        if dparts[: len(sparts)] == sparts and dparts != sparts:
            raise InvalidArgument(dst)
        try:
            target = self._node(dparts, dst)
        except FileNotFound:
            target = None
        if isinstance(target, Dir):
            if not isinstance(node, Dir):
                raise IsADirectory(dst)
            if len(target.entries):
                raise DirectoryNotEmpty(dst)
        elif target is not None and isinstance(node, Dir):
            raise NotADirectory(dst)
        if sparts == dparts:
            return self
        return self._put(sparts, src, None, parents=False)._put(dparts, dst, node, parents=False)

    def chmod(self, path: str, mode: int) -> FileTree:
        """Change the mode of *path*."""
        node = self.node(path)
        new: Node = File(node.data, mode) if isinstance(node, File) else Dir(node.entries, mode)
        return self._put(split(path), path, new, parents=False)
