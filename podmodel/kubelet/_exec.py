"""``kubectl exec``: a small shell for running pods (private).

Enough for the seed's experiments and for teaching: ``hostname [-i]``, ``cat``, ``ls [-a]``,
``echo ... [> file | >> file]``, ``true``, ``false``, ``a && b``, ``mkdir [-p]``, ``rm [-r] [-f]``, ``tail [-n N] [-f]``,
``env``, ``curl URL`` and ``wget -qO- URL`` (answered by the container that listens there, nginx
serving files from *its own* view of its document root, volumes included), and ``sh -c
'...'`` around any of them. Anything else exits 127, as a shell does.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from podmodel.kernel.filesystem import Filesystem, FilesystemError
from podmodel.kernel.network import ConnectionRefused, NetworkUnreachable
from podmodel.kubelet.state import ExecResult

if TYPE_CHECKING:
    from podmodel.kubelet.state import PodLike

__all__ = ["COMMANDS", "run_exec"]

COMMANDS = (
    "hostname",
    "cat",
    "ls",
    "echo",
    "mkdir",
    "rm",
    "tail",
    "env",
    "curl",
    "wget",
    "true",
    "false",
)


def run_exec(
    pod: PodLike, container: str, command: str | list[str]
) -> tuple[ExecResult, Filesystem]:
    """Run *command* in *container*; return the result and the file system afterwards."""
    fs = pod.node.filesystem
    status = pod.container(container)
    if status.state != "running":
        return ExecResult(
            stderr=f'error: unable to upgrade connection: container not found ("{container}")\n',
            exit_code=1,
        ), fs
    try:
        argv = shlex.split(command) if isinstance(command, str) else list(command)
    except ValueError as exc:
        return ExecResult(stderr=f"sh: syntax error: {exc}\n", exit_code=2), fs
    if len(argv) >= 3 and argv[0] in ("sh", "/bin/sh", "bash", "/bin/bash") and argv[1] == "-c":
        argv = shlex.split(argv[2])
    shell = _Shell(pod, container, fs)
    out_all, err_all, code = "", "", 0
    for segment in _segments(argv):
        out, err, code = _run_segment(shell, segment)
        out_all, err_all = out_all + out, err_all + err
        if code != 0:
            break
    return ExecResult(stdout=out_all, stderr=err_all, exit_code=code), shell.fs


def _segments(argv: list[str]) -> list[list[str]]:
    """Split ``a && b`` into its commands (``;`` too: podmodel stops at the first failure)."""
    out: list[list[str]] = [[]]
    for token in argv:
        if token in ("&&", ";"):
            out.append([])
        else:
            out[-1].append(token)
    return [seg for seg in out if seg]


def _run_segment(shell: _Shell, argv: list[str]) -> tuple[str, str, int]:
    redirect = None
    for op in (">>", ">"):
        if op in argv:
            k = argv.index(op)
            if k + 1 < len(argv):
                redirect = (op, argv[k + 1])
                argv = argv[:k] + argv[k + 2 :]
            break
    if not argv:
        return "", "", 0
    out, err, code = shell.run(argv)
    if redirect is not None and code == 0:
        try:
            shell.fs = shell.fs.write(
                shell.view, redirect[1], out.encode(), append=redirect[0] == ">>"
            )
            out = ""
        except FilesystemError as exc:
            out, err, code = "", f"sh: can't create {redirect[1]}: {exc.strerror}\n", 1
    return out, err, code


class _Shell:
    def __init__(self, pod: PodLike, container: str, fs: Filesystem) -> None:
        self.pod = pod
        self.container = container
        self.fs = fs
        self.view = pod._view(container)

    def run(self, argv: list[str]) -> tuple[str, str, int]:
        name, args = argv[0].rsplit("/", 1)[-1], argv[1:]
        handler = getattr(self, f"cmd_{name}", None)
        if handler is None:
            return "", f"sh: {argv[0]}: not found\n", 127
        try:
            return handler(args)  # type: ignore[no-any-return]
        except FilesystemError as exc:
            return "", f"{name}: {exc.filename}: {exc.strerror}\n", 1

    def cmd_true(self, args: list[str]) -> tuple[str, str, int]:
        return "", "", 0

    def cmd_false(self, args: list[str]) -> tuple[str, str, int]:
        return "", "", 1

    def cmd_hostname(self, args: list[str]) -> tuple[str, str, int]:
        if args[:1] == ["-i"]:
            return f"{self.pod.ip}\n", "", 0
        return f"{self.pod.hostname}\n", "", 0

    def cmd_cat(self, args: list[str]) -> tuple[str, str, int]:
        out, err, code = [], [], 0
        for path in args:
            try:
                out.append(self.fs.read(self.view, path).decode("utf-8", "replace"))
            except FilesystemError as exc:
                err.append(f"cat: {path}: {exc.strerror}\n")
                code = 1
        return "".join(out), "".join(err), code

    def cmd_ls(self, args: list[str]) -> tuple[str, str, int]:
        show_all = any(a.startswith("-") and "a" in a for a in args)
        paths = [a for a in args if not a.startswith("-")] or ["/"]
        out = []
        for path in paths:
            if self.fs.stat(self.view, path).kind != "directory":
                out.append(path)
                continue
            names = self.fs.listdir(self.view, path)
            out.extend(n for n in names if show_all or not n.startswith("."))
        return "".join(f"{n}\n" for n in out), "", 0

    def cmd_echo(self, args: list[str]) -> tuple[str, str, int]:
        if args[:1] == ["-n"]:
            return " ".join(args[1:]), "", 0
        return " ".join(args) + "\n", "", 0

    def cmd_mkdir(self, args: list[str]) -> tuple[str, str, int]:
        parents = "-p" in args
        for path in (a for a in args if not a.startswith("-")):
            self.fs = self.fs.mkdir(self.view, path, parents=parents, exist_ok=parents)
        return "", "", 0

    def cmd_rm(self, args: list[str]) -> tuple[str, str, int]:
        flags = "".join(a[1:] for a in args if a.startswith("-"))
        code, err = 0, []
        for path in (a for a in args if not a.startswith("-")):
            try:
                if self.fs.stat(self.view, path).kind == "directory" and "r" not in flags:
                    err.append(f"rm: can't remove '{path}': Is a directory\n")
                    code = 1
                    continue
                self.fs = self.fs.delete(self.view, path, recursive="r" in flags)
            except FilesystemError as exc:
                if "f" in flags and exc.errno == 2:
                    continue
                err.append(f"rm: can't remove '{path}': {exc.strerror}\n")
                code = 1
        return "", "".join(err), code

    def cmd_tail(self, args: list[str]) -> tuple[str, str, int]:
        n, start, files, i = 10, False, [], 0
        while i < len(args):
            a = args[i]
            count = None
            if a == "-n":
                if i + 1 == len(args):
                    return "", "tail: option requires an argument -- 'n'\n", 1
                count, i = args[i + 1], i + 1
            elif a.startswith("-n"):
                count = a[2:]
            elif not a.startswith("-") or a == "-":
                files.extend(self._glob(a))
            if count is not None:
                m = re.fullmatch(r"([+-]?)([0-9]+)", count)
                if m is None:
                    return "", f"tail: invalid number of lines: '{count}'\n", 1
                n, start = int(m[2]), m[1] == "+"
            i += 1
        out, err, code = [], [], 0
        for path in files:
            try:
                lines = self.fs.read(self.view, path).decode("utf-8", "replace").splitlines(True)
            except FilesystemError as exc:
                err.append(f"tail: can't open '{path}': {exc.strerror}\n")
                code = 1
                continue
            if len(files) > 1:
                out.append(f"==> {path} <==\n")
            out.extend(lines[max(n - 1, 0) :] if start else lines[-n:] if n else [])
        return "".join(out), "".join(err), code

    def _glob(self, pattern: str) -> list[str]:
        import fnmatch

        if "*" not in pattern and "?" not in pattern:
            return [pattern]
        directory, _, name = pattern.rpartition("/")
        directory = directory or "/"
        try:
            names = self.fs.listdir(self.view, directory)
        except FilesystemError:
            return [pattern]
        found = [f"{directory.rstrip('/')}/{n}" for n in names if fnmatch.fnmatch(n, name)]
        return found or [pattern]

    def cmd_env(self, args: list[str]) -> tuple[str, str, int]:
        values = {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOSTNAME": self.pod.hostname,
        }
        values.update(self.pod.container(self.container).env)
        values["HOME"] = "/root"
        return "".join(f"{k}={v}\n" for k, v in values.items()), "", 0

    def _http(self, url: str, tool: str) -> tuple[str, str, int]:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        host, port, path = parts.hostname or "localhost", parts.port or 80, parts.path or "/"
        try:
            owner = self.pod.connect(self.container, host, port)
        except (ConnectionRefused, NetworkUnreachable):
            if tool == "curl":
                return (
                    "",
                    (
                        f"curl: (7) Failed to connect to {host} port {port} after 0 ms: "
                        "Couldn't connect to server\n"
                    ),
                    7,
                )
            return "", f"wget: can't connect to remote host ({host}): Connection refused\n", 1
        image = self.pod.node.catalogue.get(self.pod.container(owner).image)
        behaviour = image.behaviour
        if behaviour.serves is not None:
            target = f"{behaviour.serves}{path}"
            view = self.pod._view(owner)
            try:
                if self.fs.stat(view, target).kind == "directory":
                    target = f"{target.rstrip('/')}/index.html"
                return self.fs.read(view, target).decode("utf-8", "replace"), "", 0
            except FilesystemError:
                body = (
                    "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
                    "<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n"
                )
                if tool == "wget":
                    return "", "wget: server returned error: HTTP/1.1 404 Not Found\n", 1
                return body, "", 0
        return (behaviour.banner.decode() or f"(a response from {owner})\n"), "", 0

    def cmd_curl(self, args: list[str]) -> tuple[str, str, int]:
        urls = [a for a in args if not a.startswith("-")]
        if not urls:
            return "", "curl: no URL specified!\n", 2
        return self._http(urls[0], "curl")

    def cmd_wget(self, args: list[str]) -> tuple[str, str, int]:
        urls = [a for a in args if not a.startswith("-") and a != "-"]
        if not urls:
            return "", "wget: missing URL\n", 1
        return self._http(urls[-1], "wget")
