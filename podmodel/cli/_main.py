"""The command line's commands (private module; public in :mod:`podmodel.cli`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from typing import TYPE_CHECKING, Any, TextIO

from podmodel import __version__
from podmodel.errors import DecodeError, PodmodelError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

if TYPE_CHECKING:
    from podmodel.kubelet.node import Node
    from podmodel.model.spec import Pod

__all__ = ["main", "use_colour"]


_ANSI = {"red": "31", "green": "32", "yellow": "33", "bold": "1"}


def use_colour(choice: str, stream: TextIO) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org);
    ``--color always`` / ``never`` override both."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _painter(choice: str, stream: TextIO) -> Callable[[str, str], str]:
    if not use_colour(choice, stream):
        return lambda text, _: text
    return lambda text, colour: f"\x1b[{_ANSI[colour]}m{text}\x1b[0m"


_CHECK_EPILOG = """\
exit codes:
  0  every pod checked is valid (skipped documents allowed; warnings do not count)
  1  a pod is invalid, a document cannot be decoded or parsed, or a file cannot be read
  2  usage error

The last line of text output counts everything:
  N files, M documents: P pods valid, Q invalid, S skipped (kinds: ...), E unreadable
"""


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = -1
    if jobs < 0:
        msg = f"invalid job count {text!r} (use a whole number; 0 for one per core)"
        raise argparse.ArgumentTypeError(msg)
    return jobs


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the output: auto (on a terminal, unless NO_COLOR is set), always, never",
    )
    parser = argparse.ArgumentParser(
        prog="podmodel",
        description="Kubernetes Pod semantics, in memory: check manifests without a cluster.",
        epilog="Exit codes: 0 success, 1 an invalid pod, an unreadable file or a failed pod or "
        "command, 2 usage error. check, run, exec and defaults take --output json (a stable "
        "shape for tools).",
    )
    parser.add_argument("--version", action="version", version=f"podmodel {__version__}")
    sub = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
    check = sub.add_parser(
        "check",
        parents=[common],
        help="decode and validate Pod manifests, reporting every problem",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.fill(
            "Decode each Pod manifest strictly (unknown fields, wrong types; duplicate keys warn), "
            "then validate it as the Kubernetes v1.35 API server would, and report every "
            "problem as kubectl prints it, at its FILE:LINE:COLUMN. Every document of every "
            "file is reported: documents of kinds podmodel does not model (Deployment, "
            "Service, ...) are skipped and counted, empty documents are ignored, and a broken "
            "document never hides the next one.",
            78,
        ),
        epilog=_CHECK_EPILOG,
    )
    check.add_argument(
        "files",
        nargs="+",
        metavar="PATH",
        help="a file; a directory (its *.yaml, *.yml and *.json files, recursively, hidden "
        "ones left out); a glob pattern such as 'k8s/**/*.yaml'; or - for standard input",
    )
    check.add_argument(
        "--output",
        choices=("text", "json", "sarif"),
        default="text",
        help="output format: text (default), json (a stable shape) or sarif (SARIF 2.1.0)",
    )
    check.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=1,
        metavar="N",
        help="check files in N worker processes (default 1; 0: one per core); the output "
        "order does not change",
    )
    check.add_argument(
        "--no-admission",
        dest="admission",
        action="store_false",
        help="validate each pod as written, without the default mutating admission a cluster "
        "runs first (ServiceAccount, Priority, DefaultTolerationSeconds, RuntimeClass)",
    )
    # what run and exec share: how volumes are populated, and the output format
    simulated = argparse.ArgumentParser(add_help=False)
    simulated.add_argument(
        "--mode",
        choices=("first-mount", "kubernetes"),
        default="first-mount",
        help="emptyDir population: first-mount (Docker's copy-up, the default) or "
        "kubernetes (always empty)",
    )
    simulated.add_argument(
        "--output", choices=("text", "json"), default="text", help="output format (default text)"
    )
    run = sub.add_parser(
        "run",
        parents=[common, simulated],
        help="start the pod on a simulated node and show what happens",
        description="Start the pod on a fresh simulated node, let simulated "
        "time pass, and show READY/STATUS, the events, who listens where and "
        "which volume is mounted where.",
    )
    run.add_argument("file", metavar="FILE", help="a Pod manifest (YAML)")
    run.add_argument(
        "--for",
        dest="duration",
        default="0s",
        help="simulated time to let pass, e.g. 30s, 5m, 1h30m (default 0s)",
    )
    run.add_argument("--explain", action="store_true", help="explain notable outcomes")
    run.add_argument(
        "--svg",
        metavar="OUT.svg",
        help="also draw the running pod (network namespace, containers, sockets, volumes) "
        "as an SVG picture into this file",
    )
    run.add_argument(
        "--timeline",
        metavar="OUT.svg",
        help="also draw the restart timeline (which container ran when, back-off gaps, "
        "probe failures, OOM kills) as an SVG picture into this file",
    )
    ex = sub.add_parser(
        "exec",
        parents=[common, simulated],
        help="run a command in a container of the pod",
        description="Start the pod, then run COMMAND in CONTAINER "
        "(hostname, cat, ls, echo, mkdir, rm, tail, env, curl, wget, sh -c).",
    )
    ex.add_argument("file", metavar="FILE", help="a Pod manifest (YAML)")
    ex.add_argument("container", metavar="CONTAINER", help="the container to run it in")
    ex.add_argument(
        "argv",
        nargs=argparse.REMAINDER,
        metavar="-- COMMAND...",
        help="the command and its arguments",
    )
    ex.add_argument(
        "--for",
        dest="duration",
        default="1s",
        help="simulated time before the command runs, e.g. 5s, 1m30s (default 1s)",
    )
    _add_shell_and_logs(sub, common)
    de = sub.add_parser(
        "defaults", parents=[common], help="print the pod after API defaulting, as YAML"
    )
    de.add_argument("file", metavar="FILE", help="a Pod manifest (YAML)")
    de.add_argument(
        "--output", choices=("yaml", "json"), default="yaml", help="output format (default yaml)"
    )
    from podmodel.cli import _lab

    _lab.add_parser(sub)
    return parser


_SHELL_EPILOG = """\
commands at the prompt (kubectl's words and output):
  get pods [NAME...] [-n NS | -A]       NAME READY STATUS RESTARTS AGE
  describe pod NAME                     the pod, its containers, its events
  logs NAME [-c C] [-p|--previous]      what the container printed
  exec NAME [-c C] -- COMMAND...        run a command (its writes are kept)
  apply -f FILE                         create pods, ConfigMaps, Secrets
  delete pod NAME                       delete a pod
  advance DURATION                      let simulated time pass (30s, 5m, 1h)
  help [COMMAND], exit

exit codes:
  0  every manifest loaded and every scripted command ran without an error
  1  a manifest could not be loaded, or a command printed an error (Error from server
     ..., error: ...); an exec whose command exits non-zero does not count
     (it prints "command terminated with exit code N")
  2  usage error
"""


def _add_shell_and_logs(sub: Any, common: argparse.ArgumentParser) -> None:
    mode = argparse.ArgumentParser(add_help=False)
    mode.add_argument(
        "--mode",
        choices=("first-mount", "kubernetes"),
        default="first-mount",
        help="emptyDir population: first-mount (Docker's copy-up, the default) or "
        "kubernetes (always empty)",
    )
    sh = sub.add_parser(
        "shell",
        parents=[common, mode],
        help="an interactive prompt on a simulated node holding the pods of FILE...",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.fill(
            "Start the pods, ConfigMaps and Secrets of FILE... on a simulated node and open a "
            "prompt on it: get pods, describe pod, logs, exec, apply, delete, and advance to "
            "let simulated time pass. State is kept between commands. With --script (or a "
            "standard input that is not a terminal) the commands are read from a file, each "
            "echoed after the prompt, so the output reads like a terminal session.",
            78,
        ),
        epilog=_SHELL_EPILOG,
    )
    sh.add_argument("files", nargs="*", metavar="FILE", help="manifests to load first")
    sh.add_argument(
        "--script",
        metavar="SCRIPT",
        help="read the commands from SCRIPT (- for standard input) instead of the terminal",
    )
    lg = sub.add_parser(
        "logs",
        parents=[common, mode],
        help="print what a container of the pod printed (kubectl logs)",
        description="Start the first pod of FILE (with the file's ConfigMaps and Secrets) on a "
        "fresh node, let --advance pass, and print the logs of CONTAINER. Exit codes: 0 "
        "printed, 1 an error (a manifest that cannot be loaded, no such container, no log "
        "yet), 2 usage error.",
    )
    lg.add_argument("file", metavar="FILE", help="a manifest (YAML)")
    lg.add_argument("container", metavar="CONTAINER", help="the container")
    lg.add_argument("--previous", "-p", action="store_true", help="the previous instance's logs")
    lg.add_argument(
        "--advance",
        default="1s",
        metavar="DURATION",
        help="simulated time to let pass first, e.g. 30s, 5m (default 1s)",
    )


def _duration(text: str) -> float:
    """Seconds in ``--for``: ``30s``, ``5m``, ``1h30m`` or a bare number of seconds."""
    from podmodel.cli._shell import CommandError, duration

    try:
        return duration(text)
    except CommandError:
        raise SystemExit(f"podmodel: invalid duration {text!r} (use e.g. 30s, 5m, 1h30m)") from None


def _read_pod(name: str, out: TextIO) -> Pod | None:
    from podmodel.codec import loads

    try:
        with open(name, "rb") as fh:
            return loads(fh.read(), name=name)
    except DecodeError as exc:
        print(f'error when decoding "{name}": {exc}', file=out)
        print(exc.pointed(), file=out)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        print(f"error: cannot read {name}: {getattr(exc, 'strerror', None) or exc}", file=out)
    return None


def _node_with(pod: Pod, mode: str, out: TextIO) -> Node | None:
    from podmodel.errors import InvalidPod
    from podmodel.kubelet.node import Node

    try:
        return Node(volume_population="empty" if mode == "kubernetes" else "first-mount").start(pod)
    except InvalidPod as exc:
        print(f"error: {exc.kubectl_message()}", file=out)
        return None


def _started(args: argparse.Namespace, out: TextIO) -> tuple[Pod, Node] | None:
    """Read FILE, start its pod on a fresh node and let ``--for`` pass (run and exec)."""
    pod = _read_pod(args.file, out)
    if pod is None:
        return None
    node = _node_with(pod, args.mode, out)
    if node is None:
        return None
    return pod, node.advance(_duration(args.duration))


def _write(path: str, text: str, out: TextIO) -> bool:
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        print(f"error: cannot write {path}: {getattr(exc, 'strerror', None) or exc}", file=out)
        return False
    return True


def _run(args: argparse.Namespace, out: TextIO) -> int:
    from podmodel.display.report import explain, pod_json, summary

    pod = _read_pod(args.file, out)
    if pod is None:
        return 1
    start = _node_with(pod, args.mode, out)
    if start is None:
        return 1
    seconds = _duration(args.duration)
    node = start.advance(seconds)
    namespace = pod.metadata.namespace or "default"
    p = node.pod(pod.name, namespace)
    if args.svg:
        from podmodel.display.picture import render_svg

        if not _write(args.svg, render_svg(p), out):
            return 1
    if args.timeline:
        from podmodel.display.timeline import render_timeline

        # the pod's own record (kept as it ran): no second run of the simulation to replay it
        drawn = render_timeline(p.history)
        if not _write(args.timeline, drawn, out):
            return 1
    if args.output == "json":
        json.dump(pod_json(node, p), out, indent=2)
        out.write("\n")
    else:
        print(summary(node, p, _painter(args.color, out)), file=out)
        if args.explain:
            print("\nWhat happened:", file=out)
            fine = "Every container started and keeps running."
            for sentence in explain(node, p) or [fine]:
                print(f"  - {sentence}", file=out)
    healthy = p.phase in ("Running", "Succeeded") and all(
        c.reason not in ("CrashLoopBackOff", "Error") for c in p.containers
    )
    return 0 if healthy else 1


def _exec(args: argparse.Namespace, out: TextIO) -> int:
    command = list(args.argv)
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        print("error: a command is required after --", file=sys.stderr)
        return 2
    started = _started(args, out)
    if started is None:
        return 1
    pod, node = started
    try:
        _, result = node.exec(
            pod.name, args.container, command, namespace=pod.metadata.namespace or "default"
        )
    except PodmodelError as exc:
        print(f"error: {exc}", file=out)
        return 1
    if args.output == "json":
        json.dump(
            {"stdout": result.stdout, "stderr": result.stderr, "exitCode": result.exit_code},
            out,
            indent=2,
        )
        out.write("\n")
    else:
        out.write(result.stdout)
        sys.stderr.write(result.stderr)
    return result.exit_code


def _defaults(args: argparse.Namespace, out: TextIO) -> int:
    from podmodel.apiserver.defaults import apply_defaults
    from podmodel.codec import dumps, to_dict

    pod = _read_pod(args.file, out)
    if pod is None:
        return 1
    defaulted = apply_defaults(pod)
    if args.output == "json":
        json.dump(to_dict(defaulted), out, indent=2)
        out.write("\n")
    else:
        out.write(dumps(defaulted))
    return 0


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from podmodel.cli import _check as check

    paint, paint_err = _painter(args.color, out), _painter(args.color, sys.stderr)
    reports = []
    targets = check.expand(args.files)
    for report in check.check_targets(targets, args.jobs, admission=args.admission):
        reports.append(report)
        if args.output == "text":
            check.write_text(report, out, sys.stderr, paint, paint_err)
    summary = check.Summary.of(reports)
    if args.output == "text":
        print(summary.line(), file=out)
    else:
        shown = check.to_json(reports) if args.output == "json" else check.to_sarif(reports)
        json.dump(shown, out, indent=2)
        out.write("\n")
    return 0 if summary.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Output cut short by its reader (``podmodel run pod.yaml | head -3``) ends the command
    quietly with exit code 1, as Python's documentation advises for a closed pipe: no traceback,
    and standard output is pointed at ``/dev/null`` so that the interpreter's final flush does
    not fail again."""
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # no file descriptor (a test's captured stream)
            pass
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    if args.subcommand == "check":
        return _check(args, sys.stdout)
    if args.subcommand == "run":
        return _run(args, sys.stdout)
    if args.subcommand == "exec":
        return _exec(args, sys.stdout)
    if args.subcommand == "defaults":
        return _defaults(args, sys.stdout)
    if args.subcommand == "shell":
        from podmodel.cli._shell import run_shell

        return run_shell(args.files, script=args.script, mode=args.mode, out=sys.stdout)
    if args.subcommand == "logs":
        from podmodel.cli._logs import run_logs

        return run_logs(
            args.file,
            args.container,
            previous=args.previous,
            advance=args.advance,
            mode=args.mode,
            out=sys.stdout,
            err=sys.stderr,
        )
    if args.subcommand == "lab":
        from podmodel.cli import _lab

        return _lab.run(args, sys.stdout)
    return 2  # pragma: no cover - argparse rejects unknown commands first
