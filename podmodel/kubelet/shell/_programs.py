"""The programs a script can run (private): pure functions over a :class:`~._prog.Prog`.

Each program reads its arguments, standard input and the simulated file system, and writes its
output, the file system it changed, and how long it sleeps. Messages and formats follow busybox
(the image most pod manifests run their scripts in).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from podmodel.kubelet.shell._files import FILES
from podmodel.kubelet.shell._http import HTTP
from podmodel.kubelet.shell._memory import MEMORY
from podmodel.kubelet.shell._prog import Prog
from podmodel.kubelet.shell._text import TEXT, bre

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["PROGRAMS", "Prog", "bre"]

PROGRAMS: dict[str, Callable[[Prog], int]] = {**TEXT, **FILES, **HTTP, **MEMORY}
