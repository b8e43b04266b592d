"""A POSIX shell over the simulated kernel: parse once, run resumably on the simulated clock.

>>> from podmodel.kubelet.shell import run, simple_system, start
>>> p, s = run(start("for i in 1 2 3; do echo $i >> /tmp/log; sleep 5; done"), simple_system(), until=60)
>>> s.read("/tmp/log"), p.exit_code
(b'1\\n2\\n3\\n', 0)

See ``docs/explanation/shell.md`` for what it does, what it does not, and its caps.
"""

from __future__ import annotations

from podmodel.kubelet.shell._core import (
    MAX_JOBS,
    MAX_STRING,
    NESTED_WORK,
    OUTPUT_CAP,
    PIPE_CAP,
    WORK_PER_SECOND,
)
from podmodel.kubelet.shell._kube import expand_kube
from podmodel.kubelet.shell._parser import MAX_SCRIPT, ShellSyntaxError, parse
from podmodel.kubelet.shell._process import (
    DEFAULT_BUDGET,
    run,
    signal,
    start,
    take_output,
)
from podmodel.kubelet.shell._programs import PROGRAMS
from podmodel.kubelet.shell._state import Machine, Process
from podmodel.kubelet.shell._system import EPOCH, MAX_FILE, System, simple_system
from podmodel.kubelet.shell._values import HttpAnswer, ImageProgram

__all__ = [
    "DEFAULT_BUDGET",
    "EPOCH",
    "MAX_FILE",
    "MAX_JOBS",
    "MAX_SCRIPT",
    "MAX_STRING",
    "NESTED_WORK",
    "OUTPUT_CAP",
    "PIPE_CAP",
    "PROGRAM_NAMES",
    "WORK_PER_SECOND",
    "HttpAnswer",
    "ImageProgram",
    "Machine",
    "Process",
    "ShellSyntaxError",
    "System",
    "expand_kube",
    "parse",
    "run",
    "signal",
    "simple_system",
    "start",
    "take_output",
]

#: Every program podmodel's shell knows (an image's table is a subset of these and builtins).
PROGRAM_NAMES = frozenset(PROGRAMS) | {"sh", "ash", "bash", "dash"}
