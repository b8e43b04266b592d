"""Presentation of a running pod: ``kubectl get pods`` and ``kubectl describe pod`` as kubectl
prints them (:mod:`podmodel.display.kubectl`), the picture (SVG and HTML,
:mod:`podmodel.display.picture`), the restart timeline (:mod:`podmodel.display.timeline`) and
the report the command line prints (what happened and why, JSON;
:mod:`podmodel.display.report`).

Importing this package registers the picture as Jupyter's rich display of a
:class:`~podmodel.kubelet.node.RunningPod` (see :data:`podmodel.kubelet.node.RICH_DISPLAY`).

What this package may import: every layer below it (up to ``kubelet`` and ``strategies``); only
the command line imports it.
"""

from __future__ import annotations

from podmodel.display.kubectl import describe_pod, get_pods
from podmodel.display.picture import render_html, render_svg
from podmodel.display.timeline import history, render_timeline
from podmodel.kubelet.node import RICH_DISPLAY

RICH_DISPLAY["image/svg+xml"] = render_svg
RICH_DISPLAY["text/html"] = render_html

__all__ = [
    "describe_pod",
    "get_pods",
    "history",
    "render_html",
    "render_svg",
    "render_timeline",
]
