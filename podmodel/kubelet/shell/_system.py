"""What the shell runs over (private; public through :mod:`podmodel.kubelet.shell`).

A :class:`System` is one container's world as its processes see it: its file view (the node's
immutable :class:`~podmodel.kernel.filesystem.Filesystem` seen through the container's
:class:`~podmodel.kernel.filesystem.ContainerView`), its host name and pod IP, the uid it runs
as, which programs its image has, and how to reach a server (``connect``, for ``curl``/``wget``,
supplied by the kubelet). Every change returns a new ``System``.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

import attrs

from podmodel.kernel.filesystem import ContainerView, Filesystem, FileTree, NoSpace, Stat
from podmodel.kubelet.connections import ConnectionLog
from podmodel.model._frozen import replace

if TYPE_CHECKING:
    from collections.abc import Callable

    from podmodel.kubelet.shell._values import HttpAnswer, ImageProgram

__all__ = ["EPOCH", "MAX_FILE", "System", "simple_system"]

#: The largest file a script may write (bytes): one write past it fails with ``ENOSPC``.
MAX_FILE = 16 << 20
#: Simulated time 0 is this instant (2026-01-01T00:00:00Z); ``date`` prints ``EPOCH + now``.
EPOCH = 1_767_225_600


_DEV = {"/dev/null": b"", "/dev/zero": b"", "/dev/stdin": b"", "/dev/tty": b""}


@attrs.frozen(kw_only=True)
class System:
    """One container's file view and identity, as its shell sees them (immutable)."""

    fs: Filesystem
    view: ContainerView
    hostname: str = "localhost"
    ip: str = "127.0.0.1"
    uid: int = 0
    user: str = "root"
    #: The programs the image has (``None``: all of podmodel's); a missing one is ``not found``.
    programs: frozenset[str] | None = None
    #: ``connect(fs, host, port, path) -> HttpAnswer``: a ``GET`` for ``curl``/``wget``; *fs*
    #: is the file tree as the script has changed it so far (what a server there serves).
    connect: Callable[[Filesystem, str, int, str], HttpAnswer] | None = attrs.field(
        default=None, eq=False
    )
    #: Memory the programs hold, as ``(from, until, bytes)`` (``stress --vm``): the kubelet
    #: charges it to the container's cgroup (see ``podmodel.kubelet._memory``).
    memory: tuple[tuple[float, float, int], ...] = ()
    #: The image's own program (``nginx``), which a script may call (see ``_image.py``).
    image: ImageProgram | None = None
    #: ``(time, name)`` each time a script started the image's program as its server: the
    #: kubelet starts the image's behaviour (its binds and listens) then.
    served: tuple[tuple[float, str], ...] = ()
    #: The connections programs made to a pod address, counted as the kubelet keeps them
    #: (:class:`~podmodel.kubelet.connections.ConnectionLog`, bounded the same way); their
    #: ``source`` is left empty, for the kubelet to fill with the container's name.
    dials: ConnectionLog = attrs.field(factory=ConnectionLog)
    kernel_release: str = "6.1.0-podmodel"
    machine: str = "x86_64"

    def dialled(self, at: float, host: str, port: int, owner: str | None) -> System:
        """A system that has made one more connection to *host*:*port* at *at*, accepted by
        container *owner* (``None``: refused)."""
        return replace(
            self, dials=self.dials.add(source="", host=host, port=port, target=owner, at=at)
        )

    def read(self, path: str) -> bytes:
        """The bytes of the file at absolute *path* (``/dev/null`` reads empty)."""
        if path in _DEV:
            return _DEV[path]
        return self.fs.read(self.view, path)

    def write(self, path: str, data: bytes, *, append: bool = False) -> System:
        """A system where *path* holds *data* (or has it appended); a file would grow past
        :data:`MAX_FILE`: ``No space left on device``."""
        if path in _DEV:
            return self
        if len(data) > MAX_FILE or (
            append
            and data
            and self.fs.exists(self.view, path)
            and self.fs.stat(self.view, path).size + len(data) > MAX_FILE
        ):
            raise NoSpace(path)
        return attrs.evolve(self, fs=self.fs.write(self.view, path, data, append=append))

    def listdir(self, path: str) -> tuple[str, ...]:
        """The sorted names in the directory *path*."""
        return self.fs.listdir(self.view, path)

    def stat(self, path: str) -> Stat:
        """Kind, size and mode of *path*."""
        if path in _DEV:
            return Stat(kind="device", size=0, mode=0o666)
        return self.fs.stat(self.view, path)

    def exists(self, path: str) -> bool:
        """Whether *path* exists."""
        return path in _DEV or self.fs.exists(self.view, path)

    def is_dir(self, path: str) -> bool:
        """Whether *path* is a directory."""
        return self.exists(path) and self.stat(path).kind == "directory"

    def mkdir(self, path: str, *, parents: bool = False) -> System:
        """A system with the directory *path* created (``mkdir -p`` with *parents*)."""
        fs = self.fs.mkdir(self.view, path, parents=parents, exist_ok=parents)
        return attrs.evolve(self, fs=fs)

    def remove(self, path: str, *, recursive: bool = False) -> System:
        """A system without *path*."""
        return attrs.evolve(self, fs=self.fs.delete(self.view, path, recursive=recursive))

    def rename(self, src: str, dst: str) -> System:
        """A system with *src* moved to *dst*."""
        return attrs.evolve(self, fs=self.fs.rename(self.view, src, dst))

    def has(self, program: str) -> bool:
        """Whether the image has *program*."""
        name = posixpath.basename(program)
        if self.image is not None and name in self.image.names:
            return True
        return self.programs is None or name in self.programs


def simple_system(files: dict[str, bytes] | None = None, **kwargs: object) -> System:
    """A system over one private file tree holding *files* (tests and examples).

    >>> s = simple_system({"/etc/hostname": b"web\\n"})
    >>> s.read("/etc/hostname")
    b'web\\n'
    """
    tree = FileTree().mkdir("/tmp").mkdir("/root").mkdir("/dev")
    for path, data in (files or {}).items():
        tree = tree.write(path, data, parents=True)
    fs = Filesystem().add_store("rootfs", tree)
    return System(fs=fs, view=ContainerView(root="rootfs"), **kwargs)  # type: ignore[arg-type]
