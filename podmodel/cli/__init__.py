"""The ``podmodel`` command line.

``podmodel check PATH...`` reads files, directories (recursively), globs and ``-`` (standard
input), decodes every document as kubectl does, admits and validates each pod as the v1.35 API
server would, and prints every problem at its ``FILE:LINE:COLUMN`` as kubectl words it; other
kinds are skipped and counted; a summary line ends the report (``--output text|json|sarif``,
``--jobs N``, ``--no-admission``). Exit codes: 0 all pods are valid, 1 a pod is invalid or a
document or file cannot be read, 2 usage error.

``podmodel run FILE [--for 1h30m] [--mode first-mount|kubernetes] [--explain] [--svg OUT]
[--output text|json]`` starts the pod on a fresh simulated node, lets simulated time pass and
prints ``kubectl get pods``' table (``NAME READY STATUS RESTARTS AGE``), the events, who listens
where and which volume is where; ``--explain`` says what happened and why, ``--svg`` draws the
pod. ``podmodel exec FILE CONTAINER -- COMMAND...`` runs a command in one of its containers
(``--output text|json``); ``podmodel logs FILE CONTAINER [--previous] [--advance 30s]`` prints
what ``kubectl logs`` would; ``podmodel defaults FILE`` prints the pod after API defaulting
(``--output yaml|json``).

``podmodel shell [FILE...] [--script SCRIPT]`` opens a prompt on a simulated node holding the
pods of FILE... (``get pods``, ``describe pod``, ``logs``, ``exec``, ``apply``, ``delete``,
``advance``), or runs a script of such commands as a transcript. ``podmodel lab
list|start|check`` hands out the pod lab's exercises and checks the answers.

Every command but ``lab`` takes ``--color auto|always|never`` (auto: colour only on a terminal, and
not when the ``NO_COLOR`` environment variable is set). Output cut short by its reader (``| head``)
ends the command quietly.

The command line is the top layer: it may import every package of podmodel, and nothing
imports it.
"""

from __future__ import annotations

from podmodel.cli._main import main, use_colour

__all__ = ["main", "use_colour"]
