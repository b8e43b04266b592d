"""Deprecated: moved to :mod:`podmodel.kernel.filesystem` and :mod:`podmodel.kubelet.volumes` in 0.2.0 (names taken from here warn)."""

from typing import TYPE_CHECKING

from podmodel._moved import redirect

if TYPE_CHECKING:
    from podmodel.kernel.filesystem import *  # noqa: F403
    from podmodel.kubelet.volumes import *  # noqa: F403

__getattr__ = redirect(__name__)
