"""Old module paths that moved in 0.2.0 (private).

podmodel 0.1 was one flat folder; 0.2 puts each module into the package of the system it models
(see docs/explanation/architecture.md). The old paths the docs named still import, and each name
taken from one still works but warns (:class:`DeprecationWarning`, as SciPy's moved modules do):
importing the old module alone is silent, so tools that walk packages are not disturbed.
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["MOVED", "redirect"]

#: Old module -> the modules its names now live in (first match wins).
MOVED: dict[str, tuple[str, ...]] = {
    "podmodel.spec": ("podmodel.model.spec",),
    "podmodel.schema": ("podmodel.model.schema",),
    "podmodel.validation": ("podmodel.apiserver.validation",),
    "podmodel.defaults": ("podmodel.apiserver.defaults",),
    "podmodel.network": ("podmodel.kernel.network",),
    "podmodel.filesystem": ("podmodel.kernel.filesystem", "podmodel.kubelet.volumes"),
    "podmodel.images": ("podmodel.kubelet.images",),
    "podmodel.runtime": ("podmodel.kubelet.node", "podmodel.kubelet.state"),
    "podmodel.lifecycle": ("podmodel.kubelet.lifecycle",),
    "podmodel.picture": ("podmodel.display.picture",),
}


def redirect(old: str) -> Callable[[str], Any]:
    """The module ``__getattr__`` of the old module *old*."""

    def __getattr__(name: str) -> Any:
        for new in MOVED[old]:
            module = importlib.import_module(new)
            if name in getattr(module, "__all__", ()) or (
                not name.startswith("__") and hasattr(module, name)
            ):
                warnings.warn(
                    f"{old} moved to {new} in podmodel 0.2.0; import {name} from {new} "
                    f"(or from podmodel, where it is public); {old} will be removed",
                    DeprecationWarning,
                    stacklevel=2,
                )
                return getattr(module, name)
        raise AttributeError(f"module {old!r} has no attribute {name!r}")

    return __getattr__
