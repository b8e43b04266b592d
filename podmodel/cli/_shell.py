"""``podmodel shell``: an interactive prompt on a simulated node (private module).

The prompt holds one :class:`~podmodel.kubelet.node.Node` and replaces it after every command
(the node is immutable), so state carries from one command to the next: a file written by
``exec`` in one container is read by another through a shared volume, ``advance 30s`` moves the
clock, ``delete`` removes a pod. Commands and their output follow ``kubectl``:

``get pods``, ``describe pod X``, ``logs X [-c C] [-p]``, ``exec X [-c C] -- COMMAND...``,
``apply -f FILE``, ``delete pod X``; plus ``advance DURATION`` and ``help``. The same prompt reads
a script (``--script FILE``, or standard input when it is not a terminal), echoing each command
after the prompt so that the output reads like a terminal session.

Errors are printed as kubectl prints them (``Error from server (NotFound): pods "x" not
found``), never as a Python traceback.
"""

from __future__ import annotations

import cmd
import shlex
import sys
from typing import IO, TYPE_CHECKING, Any

from podmodel.errors import DecodeError, InvalidPod, PodmodelError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from podmodel.kubelet.node import Node, RunningPod
    from podmodel.model.spec import Pod

__all__ = [
    "PROMPT",
    "CommandError",
    "Manifests",
    "NodeShell",
    "duration",
    "read_manifests",
    "run_shell",
]

#: What the prompt looks like (the transcript of a script shows it before each command).
PROMPT = "podmodel> "
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0}
#: The most simulated time one ``advance`` may ask for (a year): the node refuses more work
#: than it can simulate in one call anyway, with its own message.
_MAX_ADVANCE = 365 * 86400.0


class CommandError(PodmodelError, ValueError):
    """A command that cannot run; ``str()`` is what kubectl would print."""


def duration(text: str) -> float:
    """Seconds in *text*: ``30s``, ``5m``, ``2h``, ``1m30s`` or a bare number of seconds.

    >>> duration("90"), duration("1m30s"), duration("2h")
    (90.0, 90.0, 7200.0)

    Raises:
        CommandError: *text* is not a duration.
    """
    rest = text.strip()
    total = 0.0
    bad = CommandError(f'error: invalid duration "{text}" (use e.g. 30s, 5m, 1h)')
    if not rest:
        raise bad
    try:
        return _finite(float(rest), bad)
    except ValueError:
        pass
    number = ""
    for ch in rest:
        if ch.isdigit() or ch == ".":
            number += ch
        elif ch in _UNITS and number:
            try:
                total += float(number) * _UNITS[ch]
            except ValueError:
                raise bad from None
            number = ""
        else:
            raise bad
    if number:
        raise bad
    return _finite(total, bad)


def _finite(value: float, bad: CommandError) -> float:
    if not 0 <= value <= _MAX_ADVANCE:
        raise bad
    return value


class Manifests:
    """What a manifest file holds, in the order the node takes it: ConfigMaps and Secrets (as
    manifest dicts), then pods; the kinds podmodel's node does not run are listed by name."""

    def __init__(self) -> None:
        self.configs: list[dict[str, Any]] = []
        self.pods: list[Pod] = []
        self.skipped: list[str] = []


def read_manifests(path: str) -> Manifests:
    """Read every document of the file *path* (``-``: standard input).

    Raises:
        CommandError: The file cannot be read or a document cannot be decoded, with kubectl's
            words.
    """
    from podmodel.codec import _yaml, load_all

    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        why = getattr(exc, "strerror", None) or str(exc)
        raise CommandError(f'error: the path "{path}" cannot be read: {why}') from None
    found = Manifests()
    try:
        found.pods = list(load_all(data, skip_non_pods=True, name=path))
    except DecodeError as exc:
        msg = f'error: error when decoding "{path}": {exc}\n{exc.pointed()}'
        raise CommandError(msg.rstrip("\n")) from None
    for doc in _yaml.iter_documents(data):
        obj = doc.data
        if not isinstance(obj, dict) or obj.get("kind") == "Pod":
            continue
        kind = str(obj.get("kind"))
        if kind in ("ConfigMap", "Secret"):
            found.configs.append(obj)
            continue
        meta = obj.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        found.skipped.append(f"{kind.lower()}/{name}")
    return found


class _Args:
    """A parsed command line: operands, ``-c``/``-n`` values and flags, and what follows
    ``--``."""

    def __init__(
        self,
        words: list[str],
        valued: Iterable[str],
        flags: Iterable[str],
        *,
        stop_after: int | None = None,
    ) -> None:
        valued, flags = set(valued), set(flags)
        self.operands: list[str] = []
        self.values: dict[str, str] = {}
        self.flags: set[str] = set()
        self.rest: list[str] | None = None
        i = 0
        while i < len(words):
            w = words[i]
            name, eq, value = w.partition("=")
            option = name in valued or w in flags or (w[:2] in valued and w[:2] != "--")
            if w == "--" or (
                not option and stop_after is not None and len(self.operands) >= stop_after
            ):
                self.rest = words[i + (w == "--") :]
                return
            if name in valued:
                if not eq:
                    i += 1
                    if i >= len(words):
                        raise CommandError(f"error: flag needs an argument: {w}")
                    value = words[i]
                self.values[name] = value
            elif len(w) > 2 and w[:2] in valued and not w.startswith("--"):
                self.values[w[:2]] = w[2:]
            elif w in flags:
                self.flags.add(w)
            elif w.startswith("-") and w != "-":
                raise CommandError(f"error: unknown flag: {w}")
            else:
                self.operands.append(w)
            i += 1

    def value(self, *names: str) -> str | None:
        for n in names:
            if n in self.values:
                return self.values[n]
        return None


class NodeShell(cmd.Cmd):
    """The prompt (see the module docstring); :meth:`onecmd` runs one line of it."""

    prompt = PROMPT
    intro = 'Type "help" for the commands, "exit" to leave.'

    def __init__(
        self,
        node: Node,
        *,
        stdout: IO[str] | None = None,
        stdin: IO[str] | None = None,
        echo: bool = False,
        created: dict[str, float] | None = None,
    ) -> None:
        super().__init__(stdin=stdin, stdout=stdout)
        self.node = node
        self.echo = echo
        self.failures = 0
        self.created: dict[str, float] = dict(created or {})
        if stdin is not None:
            self.use_rawinput = False

    # ---- the loop ----

    def say(self, text: str) -> None:
        """Print *text* (and a newline when it has none)."""
        if text:
            self.stdout.write(text if text.endswith("\n") else text + "\n")

    def precmd(self, line: str) -> str:
        """Echo the command after the prompt when reading a script."""
        if self.echo:
            self.stdout.write(f"{self.prompt}{line.rstrip()}\n")
        return line

    def emptyline(self) -> bool:
        """An empty line does nothing (``cmd`` would repeat the last command)."""
        return False

    def default(self, line: str) -> None:
        """A line starting with ``#`` is a comment; another unknown command is an error."""
        if line.lstrip().startswith("#"):
            return
        word = line.split(maxsplit=1)[0] if line.strip() else line
        self.fail(f'error: unknown command "{word}" for "podmodel shell"\nRun "help" for usage.')

    def onecmd(self, line: str) -> bool:
        """Run one line; an error is printed as kubectl prints it, never raised."""
        try:
            return super().onecmd(line)
        except CommandError as exc:
            self.fail(str(exc))
        except InvalidPod as exc:
            self.fail(exc.kubectl_message())
        except PodmodelError as exc:
            self.fail(f"Error from server (BadRequest): {exc}")
        return False

    def fail(self, message: str) -> None:
        """Print an error and count it (a script's exit code)."""
        self.failures += 1
        self.say(message)

    # ---- helpers ----

    def words(self, arg: str) -> list[str]:
        try:
            return shlex.split(arg, comments=False)
        except ValueError as exc:
            raise CommandError(f"error: {exc}") from None

    def running(self, name: str, namespace: str) -> RunningPod:
        from podmodel.kubelet.state import PodNotFound

        try:
            return self.node.pod(name, namespace)
        except PodNotFound:
            raise CommandError(f'Error from server (NotFound): pods "{name}" not found') from None

    def one_pod(self, args: _Args, what: str) -> RunningPod:
        """The pod the operands name (after the resource type ``pod`` for *what*, a command
        such as ``describe pod``; kubectl's ``pod/NAME`` too)."""
        ops = list(args.operands)
        if what and ops[:1] in (["pod"], ["pods"], ["po"]):
            ops = ops[1:]
        if len(ops) != 1:
            raise CommandError(f"error: {what or 'a command'} needs exactly one pod name")
        name = ops[0].removeprefix("pod/").removeprefix("pods/")
        return self.running(name, args.value("-n", "--namespace") or "default")

    def container_of(self, pod: RunningPod, chosen: str | None) -> str:
        """The container chosen with ``-c``, or the first app container (kubectl says which
        when there are several)."""
        if chosen is not None:
            return chosen
        apps = [c.name for c in pod.containers if c.kind == "app"]
        names = [c.name for c in pod.containers]
        if len(names) > 1:
            self.say(f'Defaulted container "{apps[0]}" out of: {", ".join(names)}')
        return apps[0]

    def pod_names(self) -> list[str]:
        return sorted(key.split("/", 1)[1] for key in self.node.pods)

    def apply_file(self, path: str) -> None:
        from podmodel.kubelet.state import PodExists

        found = read_manifests(path)
        for obj in found.configs:
            meta = obj.get("metadata")
            name = meta.get("name") if isinstance(meta, dict) else None
            key = f"{obj.get('kind')}/{(meta or {}).get('namespace') or 'default'}/{name}"
            existed = key in self.node.configs
            self.node = self.node.apply(obj)
            self.say(f"{str(obj['kind']).lower()}/{name} {'configured' if existed else 'created'}")
        for pod in found.pods:
            ns = pod.metadata.namespace or "default"
            try:
                self.node = self.node.start(pod)
            except PodExists:
                self.fail(
                    f'Error from server (AlreadyExists): error when creating "{path}": '
                    f'pods "{pod.name}" already exists'
                )
                continue
            except InvalidPod as exc:
                self.fail(
                    f'Error from server (Invalid): error when creating "{path}": '
                    + exc.kubectl_message()
                )
                continue
            self.created[f"{ns}/{pod.name}"] = self.node.clock
            self.say(f"pod/{pod.name} created")
        for what in found.skipped:
            self.fail(
                f"error: {what} skipped: podmodel's node runs Pods, ConfigMaps and Secrets only"
            )

    # ---- commands ----

    def do_get(self, arg: str) -> bool:
        """get pods [NAME...] [-n NAMESPACE | -A]: the pods, as kubectl get pods shows them
        (NAME READY STATUS RESTARTS AGE)."""
        from podmodel.display.kubectl import get_pods

        args = _Args(self.words(arg), ("-n", "--namespace"), ("-A", "--all-namespaces"))
        if not args.operands or args.operands[0] not in ("pods", "pod", "po"):
            raise CommandError(
                "error: the server doesn't have a resource type \""
                + (args.operands[0] if args.operands else "")
                + '"'
            )
        everywhere = bool(args.flags)
        ns = args.value("-n", "--namespace") or "default"
        wanted = args.operands[1:]
        shown = []
        for key in sorted(self.node.pods):
            space, name = key.split("/", 1)
            if (not everywhere and space != ns) or (wanted and name not in wanted):
                continue
            shown.append(self.node.pod(name, space))
        for name in wanted:
            if not any(p.name == name for p in shown):
                self.fail(f'Error from server (NotFound): pods "{name}" not found')
        if not shown:
            if not wanted:
                where = "" if everywhere else f" in {ns} namespace"
                self.say(f"No resources found{where}.")
            return False
        self.say(get_pods(shown, all_namespaces=everywhere, created=self.created))
        return False

    def do_describe(self, arg: str) -> bool:
        """describe pod NAME [-n NAMESPACE]: the pod's status, containers and events."""
        from podmodel.display.kubectl import describe_pod

        args = _Args(self.words(arg), ("-n", "--namespace"), ())
        p = self.one_pod(args, "describe pod")
        self.say(describe_pod(p))
        return False

    def do_logs(self, arg: str) -> bool:
        """logs NAME [-c CONTAINER] [-p|--previous]: what the container printed (kubectl logs)."""
        args = _Args(
            self.words(arg), ("-c", "--container", "-n", "--namespace"), ("-p", "--previous")
        )
        p = self.one_pod(args, "")
        self.stdout.write(
            logs_of(
                p, self.container_of(p, args.value("-c", "--container")), previous=bool(args.flags)
            )
        )
        return False

    def do_exec(self, arg: str) -> bool:
        """exec NAME [-c CONTAINER] -- COMMAND...: run COMMAND in the container (its writes are
        kept; the clock does not move)."""
        args = _Args(
            self.words(arg),
            ("-c", "--container", "-n", "--namespace"),
            ("-i", "-t", "-it", "-ti"),
            stop_after=1,
        )
        if not args.rest:
            raise CommandError("error: you must specify at least one command for the container")
        p = self.one_pod(args, "")
        container = self.container_of(p, args.value("-c", "--container"))
        if container not in {c.name for c in p.containers}:
            raise CommandError(
                f'error: unable to upgrade connection: container not found ("{container}")'
            )
        node, result = self.node.exec(
            p.name, container, args.rest, namespace=p.state.pod.metadata.namespace or "default"
        )
        self.node = node
        self.stdout.write(result.stdout)
        self.stdout.write(result.stderr)
        if result.stdout and not result.stdout.endswith("\n") and not result.stderr:
            self.stdout.write("\n")
        if result.exit_code:
            self.say(f"command terminated with exit code {result.exit_code}")
        return False

    def do_advance(self, arg: str) -> bool:
        """advance DURATION: let simulated time pass (30s, 5m, 1h, 1m30s)."""
        words = self.words(arg)
        if len(words) != 1:
            raise CommandError("error: advance needs one duration (e.g. advance 30s)")
        self.node = self.node.advance(duration(words[0]))
        return False

    def do_delete(self, arg: str) -> bool:
        """delete pod NAME [-n NAMESPACE]: delete the pod (its emptyDirs go with it)."""
        args = _Args(self.words(arg), ("-n", "--namespace"), ())
        p = self.one_pod(args, "delete pod")
        ns = p.state.pod.metadata.namespace or "default"
        self.node = self.node.delete(p.name, ns)
        self.created.pop(f"{ns}/{p.name}", None)
        self.say(f'pod "{p.name}" deleted')
        return False

    def do_apply(self, arg: str) -> bool:
        """apply -f FILE: create the pods, ConfigMaps and Secrets of FILE."""
        args = _Args(self.words(arg), ("-f", "--filename"), ())
        path = args.value("-f", "--filename") or (args.operands[0] if args.operands else None)
        if path is None:
            raise CommandError("error: must specify one of -f and -k")
        self.apply_file(path)
        return False

    def do_exit(self, arg: str) -> bool:
        """exit: leave the shell (also quit, or end of input)."""
        del arg
        return True

    do_quit = do_exit
    do_EOF = do_exit

    # ---- completion ----

    def completenames(self, text: str, *ignored: Any) -> list[str]:
        """Command names (without ``EOF``)."""
        return [n for n in super().completenames(text, *ignored) if n != "EOF"]

    def _complete_pods(self, text: str, line: str) -> list[str]:
        words = line.split()
        if len(words) >= 2 and words[-2] in ("-c", "--container"):
            pods = [w for w in words[1:] if w in self.pod_names()]
            names = [c.name for p in pods for c in self.node.pod(p).containers]
            return [n for n in names if n.startswith(text)]
        options = (
            [*self.pod_names(), "pod"]
            if words[:1] in (["describe"], ["delete"])
            else self.pod_names()
        )
        return [n for n in options if n.startswith(text)]

    def complete_exec(self, text: str, line: str, *_: int) -> list[str]:
        """Pod names, then container names after ``-c``."""
        return self._complete_pods(text, line)

    complete_logs = complete_exec
    complete_describe = complete_exec
    complete_delete = complete_exec

    def complete_get(self, text: str, *_: Any) -> list[str]:
        """``pods``."""
        return [w for w in ("pods",) if w.startswith(text)]


def logs_of(p: RunningPod, container: str, *, previous: bool = False) -> str:
    """What ``kubectl logs`` prints for *container* of *p*.

    Raises:
        CommandError: No such container, or no such log yet, in kubectl's words.
    """
    from podmodel.kubelet.state import NodeError

    if container not in {c.name for c in p.containers}:
        raise CommandError(f"error: container {container} is not valid for pod {p.name}")
    try:
        return p.logs(container, previous=previous)
    except NodeError as exc:
        raise CommandError(f"Error from server (BadRequest): {exc}") from None


def run_shell(
    files: Sequence[str],
    *,
    script: str | None,
    mode: str,
    out: IO[str],
) -> int:
    """``podmodel shell``: load *files* onto a fresh node, then read commands from the
    terminal, *script* (a file; ``-``: standard input) or a standard input that is not a
    terminal. Returns the exit code: 0, or 1 when a manifest could not be loaded or a scripted
    command failed."""
    from podmodel.kubelet.node import Node

    node = Node(volume_population="empty" if mode == "kubernetes" else "first-mount")
    source: IO[str] | None = None
    if script == "-" or (script is None and not sys.stdin.isatty()):
        source = sys.stdin
    elif script is not None:
        try:
            source = open(script, encoding="utf-8")  # noqa: SIM115 - closed below
        except (OSError, ValueError) as exc:
            why = getattr(exc, "strerror", None) or str(exc)
            print(f'error: the path "{script}" cannot be read: {why}', file=out)
            return 1
    shell = NodeShell(node, stdout=out, stdin=source, echo=source is not None)
    try:
        for path in files:
            try:
                shell.apply_file(path)
            except CommandError as exc:
                shell.fail(str(exc))
        if shell.failures:
            return 1
        if source is None:
            shell.cmdloop()  # cmd loads readline: history and tab completion
        else:
            shell.prompt = PROMPT
            for line in source:
                if shell.onecmd(shell.precmd(line.rstrip("\n"))):
                    break
    except KeyboardInterrupt:
        out.write("\n")
    finally:
        if source is not None and source is not sys.stdin:
            source.close()
    return 1 if shell.failures else 0
