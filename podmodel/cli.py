"""The ``podmodel`` command line.

``podmodel check FILE...`` decodes each manifest (``-`` reads standard input) and prints every
problem with its file, line and column. Exit codes: 0 all files are fine, 1 a file has problems
or cannot be read, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from podmodel import __version__
from podmodel.codec import load_all
from podmodel.errors import DecodeError

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="podmodel",
        description="Kubernetes Pod semantics, in memory: check manifests without a cluster.",
    )
    parser.add_argument("--version", action="version", version=f"podmodel {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser(
        "check",
        help="decode Pod manifests strictly and report every problem",
        description="Decode each Pod manifest strictly (unknown fields, duplicate keys, wrong "
        "types) and report every problem with its line and column.",
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="a YAML file, or - for stdin")
    check.add_argument(
        "--output", choices=("text", "json"), default="text", help="output format (default text)"
    )
    return parser


def _check(files: Sequence[str], output: str, out: TextIO) -> int:
    status = 0
    report: list[dict[str, Any]] = []
    for name in files:
        shown = "<stdin>" if name == "-" else name
        entry: dict[str, Any] = {"file": shown, "pods": [], "errors": []}
        try:
            if name == "-":
                text: str | bytes = sys.stdin.read()
            else:
                with open(name, "rb") as fh:
                    text = fh.read()
            pods = load_all(text, name=shown)
            entry["pods"] = [p.name for p in pods]
        except OSError as exc:
            status = 1
            entry["errors"].append({"message": f"cannot read {shown}: {exc.strerror}"})
        except DecodeError as exc:
            status = 1
            for e in exc.errors:
                loc = e.location
                entry["errors"].append(
                    {
                        "type": e.type.value,
                        "field": e.path,
                        "message": str(e),
                        "line": loc.line if loc else None,
                        "column": loc.column if loc else None,
                    }
                )
            if output == "text":
                print(f'error when decoding "{shown}": {exc}', file=out)
                for e in exc.errors:
                    print(e.pointed(), file=out)
        else:
            if output == "text":
                for pod_name in entry["pods"]:
                    print(f"{shown}: pod/{pod_name} decoded", file=out)
        if output == "text" and entry["errors"] and "type" not in entry["errors"][0]:
            print(entry["errors"][0]["message"], file=out)
        report.append(entry)
    if output == "json":
        json.dump({"files": report, "ok": status == 0}, out, indent=2)
        out.write("\n")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "check":
        return _check(args.files, args.output, sys.stdout)
    return 2  # pragma: no cover - argparse rejects unknown commands first
