"""Deprecated: moved to :mod:`podmodel.kubelet.node` and :mod:`podmodel.kubelet.state` in 0.2.0 (names taken from here warn)."""

from typing import TYPE_CHECKING

from podmodel._moved import redirect

if TYPE_CHECKING:
    from podmodel.kubelet.node import *  # noqa: F403
    from podmodel.kubelet.state import *  # noqa: F403

__getattr__ = redirect(__name__)
