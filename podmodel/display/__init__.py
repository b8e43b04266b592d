"""Presentation of a running pod: the picture (SVG and HTML, :mod:`podmodel.display.picture`)
and the report the command line prints (``kubectl get``-style summary, what happened and why,
JSON; :mod:`podmodel.display.report`).

Importing this package registers the pictures as Jupyter's rich display of a
:class:`~podmodel.kubelet.node.RunningPod` (see :data:`podmodel.kubelet.node.RICH_DISPLAY`).

What this package may import: every layer below it (up to ``kubelet`` and ``strategies``); only
the command line imports it.
"""

from __future__ import annotations

from podmodel.display.picture import render_html, render_svg
from podmodel.kubelet.node import RICH_DISPLAY

RICH_DISPLAY["image/svg+xml"] = render_svg
RICH_DISPLAY["text/html"] = render_html

__all__ = ["render_html", "render_svg"]
