"""The ``podmodel`` command line.

``podmodel check FILE...`` decodes each manifest (``-`` reads standard input) and validates each
pod as the v1.35 API server would, printing every problem as kubectl prints it (decode errors
with their file, line and column; warnings as ``Warning:`` lines). Exit codes: 0 all pods are
valid, 1 a file has problems or cannot be read, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from podmodel import __version__
from podmodel.codec import load_all
from podmodel.errors import DecodeError, FieldError
from podmodel.validation import validate

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
        help="decode and validate Pod manifests, reporting every problem",
        description="Decode each Pod manifest strictly (unknown fields, duplicate keys, wrong "
        "types), then validate it as the Kubernetes v1.35 API server would, and report every "
        "problem as kubectl prints it.",
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
            entry["pods"] = []
            for pod in pods:
                result = validate(pod)
                entry["pods"].append(
                    {
                        "name": pod.name,
                        "valid": result.ok,
                        "errors": [_error_json(e) for e in result.errors],
                        "warnings": [str(w) for w in result.warnings],
                    }
                )
                if not result.ok:
                    status = 1
                if output == "text":
                    if result.ok:
                        for w in result.warnings:
                            print(f"Warning: {w}", file=sys.stderr)
                        print(f"{shown}: pod/{pod.name} is valid", file=out)
                    else:
                        print(
                            f'error when creating "{shown}": {result.kubectl_message()}', file=out
                        )
        except OSError as exc:
            status = 1
            entry["errors"].append({"message": f"cannot read {shown}: {exc.strerror}"})
        except DecodeError as exc:
            status = 1
            entry["errors"].extend(_error_json(e) for e in exc.errors)
            if output == "text":
                print(f'error when decoding "{shown}": {exc}', file=out)
                for e in exc.errors:
                    print(e.pointed(), file=out)
        if output == "text" and entry["errors"] and "type" not in entry["errors"][0]:
            print(entry["errors"][0]["message"], file=out)
        report.append(entry)
    if output == "json":
        json.dump({"files": report, "ok": status == 0}, out, indent=2)
        out.write("\n")
    return status


def _error_json(e: FieldError) -> dict[str, Any]:
    loc = e.location
    return {
        "type": e.type.value,
        "field": e.path,
        "message": str(e),
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "check":
        return _check(args.files, args.output, sys.stdout)
    return 2  # pragma: no cover - argparse rejects unknown commands first
