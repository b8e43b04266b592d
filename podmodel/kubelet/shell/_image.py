"""The image's own program, called from a script (private).

``sh -c 'echo hi > /usr/share/nginx/html/index.html; exec nginx -g "daemon off;"'`` runs nginx:
the image's main program is one more program of the shell, described by an
:class:`ImageProgram` that the kubelet puts on the container's
:class:`~podmodel.kubelet.shell.System` (``System.image``). Called with one of its version flags
it prints its version line (``nginx -v``: ``nginx version: nginx/1.27.5`` on standard error) and
exits 0; with its configuration-test flag it prints the test's result; otherwise it runs as the
image's server in the foreground: the time it started is recorded in ``System.served`` (where
the kubelet starts the image's behaviour: its binds and listens) and it keeps running, as a
server does, until it is killed (or exits with the image's code, for an image whose program
ends).
"""

from __future__ import annotations

import math
import posixpath
from typing import TYPE_CHECKING

import attrs

from podmodel.kubelet.shell._values import ImageProgram

if TYPE_CHECKING:
    from podmodel.kubelet.shell._prog import Prog

__all__ = ["ImageProgram", "run_image_program"]


def run_image_program(p: Prog, image: ImageProgram) -> int:
    """Run the image's program *image* as *p* asks (see the module docstring)."""
    fill = {"ip": p.sys.ip, "hostname": p.sys.hostname}
    if image.version and any(a in image.version_flags for a in p.args):
        text = image.version.format(**fill)
        (p.out if image.version_fd == 1 else p.err).append(text)
        return 0
    if image.config_test and "-t" in p.args:
        p.err.append(image.config_test.format(**fill))
        return 0
    p.sys = attrs.evolve(p.sys, served=(*p.sys.served, (p.now, posixpath.basename(p.argv[0]))))
    if image.exits is not None:
        return image.exits
    p.sleep = math.inf  # a server in the foreground: it runs until it is stopped
    return 0
