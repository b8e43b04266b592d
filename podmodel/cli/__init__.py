"""The ``podmodel`` command line.

``podmodel run FILE [--for 5m] [--mode first-mount|kubernetes] [--explain] [--svg OUT]`` starts
the pod on a fresh simulated node and shows what happened (``--svg`` also draws it);
``podmodel exec FILE CONTAINER -- COMMAND...`` runs a command in one of its containers;
``podmodel defaults FILE`` prints the pod after API defaulting.

``podmodel check PATH...`` reads files, directories (recursively), globs and ``-`` (standard
input), decodes every document as kubectl does, admits and validates each pod as the v1.35 API
server would, and prints every problem at its ``FILE:LINE:COLUMN`` as kubectl words it; other
kinds are skipped and counted; a summary line ends the report (``--output json|sarif``,
``--jobs N``). Exit codes: 0 all pods are valid, 1 a pod is invalid or a document or file
cannot be read, 2 usage error.

Every command takes ``--output json`` and ``--color auto|always|never`` (auto: colour only on a
terminal, and not when the ``NO_COLOR`` environment variable is set).

The command line is the top layer: it may import every package of podmodel, and nothing
imports it.
"""

from __future__ import annotations

from podmodel.cli._main import main, use_colour

__all__ = ["main", "use_colour"]
