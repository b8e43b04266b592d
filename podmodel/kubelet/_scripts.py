"""Containers and ``exec`` running their commands through podmodel's shell (private).

A container whose ``command``/``args`` is not one of its image's own server programs runs its
argv as a :class:`~podmodel.kubelet.shell.Process`: ``sh -c SCRIPT [NAME ARGS...]`` (also
``/bin/sh``, ``bash``, ``ash``, ``dash``) runs ``SCRIPT``; any other argv runs as
``exec ARGV...``. The process is kept on the container's status and runs on the node's clock
(:func:`step`); it sees the node's file tree through the container's view (so a file one
container writes into a shared ``emptyDir`` is seen by the others), the pod's host name and IP,
the programs of its image, and ``curl``/``wget`` answered by the container that listens there
(:func:`http_get`).
"""

from __future__ import annotations

import html
import ipaddress
import math
import posixpath
import shlex
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from podmodel.kernel.filesystem import FilesystemError
from podmodel.kernel.network import ConnectionRefused, NetworkUnreachable
from podmodel.kubelet import _memory
from podmodel.kubelet.images import NGINX_VERSION
from podmodel.kubelet.shell import (
    HttpAnswer,
    System,
    expand_kube,
    run,
    start,
    take_output,
)
from podmodel.model._frozen import replace

if TYPE_CHECKING:
    from collections.abc import Mapping

    from podmodel.kernel.filesystem import Filesystem
    from podmodel.kubelet.shell import Process
    from podmodel.kubelet.state import NodeLike, PodState
    from podmodel.model.spec import Container

__all__ = [
    "SHELLS",
    "container_argv",
    "drive",
    "http_get",
    "http_request",
    "keep_dials",
    "script_for",
    "split_log",
    "step",
    "system_for",
    "wake",
]

#: The shells whose ``-c SCRIPT`` runs the script in place.
SHELLS = frozenset({"sh", "bash", "ash", "dash"})
#: ``run`` calls per step at most (each spends at most the shell's ``DEFAULT_BUDGET``).
_RUN_CALLS = 1_000


def script_for(
    argv: list[str],
    *,
    env: Mapping[str, str],
    cwd: str = "/",
    now: float = 0.0,
    pid: int = 1,
) -> Process:
    """The process that runs *argv* (already ``$(VAR)``-expanded) at *now*."""
    environ = dict(env)
    if len(argv) >= 3 and posixpath.basename(argv[0]) in SHELLS and argv[1] == "-c":
        rest = argv[3:]
        name = rest[0] if rest else argv[0]
        return start(
            argv[2], args=tuple(rest[1:]), name=name, env=environ, cwd=cwd, now=now, pid=pid
        )
    return start("exec " + shlex.join(argv), env=environ, cwd=cwd, now=now, pid=pid)


def container_argv(container: Container, env: Mapping[str, str]) -> list[str]:
    """The container's ``command`` + ``args``, with the kubelet's ``$(VAR)`` expansion."""
    return [expand_kube(a, env) for a in (*(container.command or ()), *(container.args or ()))]


def _uid(container: Container, state: PodState) -> int:
    for ctx in (container.security_context, state.pod.spec.security_context):
        value = ctx.get("runAsUser") if ctx is not None else None
        if isinstance(value, int):
            return value
    return 0


def system_for(node: NodeLike, state: PodState, name: str, container: Container) -> System:
    """What container *name* of *state* looks like to a shell running in it: the node's file
    tree through its view, the pod's host name and IP, its uid, its image's programs and own
    program (:attr:`~podmodel.kubelet.images.Behaviour.program`), and ``curl``/``wget`` answered by :func:`http_request`."""
    image = node.catalogue.get(container.image or "")
    uid = _uid(container, state)
    return System(
        fs=node.filesystem,
        view=state.views[name],
        hostname=state.hostname,
        ip=state.ip or node.ip,
        uid=uid,
        user="root" if uid == 0 else str(uid),
        programs=image.programs if image.known else None,
        connect=lambda fs, host, port, path: http_request(node, state, host, port, path, fs=fs),
        image=image.behaviour.program if image.known else None,
    )


def http_get(node: NodeLike, state: PodState, host: str, port: int, path: str) -> tuple[bool, str]:
    """What an HTTP ``GET`` of *path* from *host*:*port* in pod *state* answers, as
    ``(answered, body)``: ``(False, "")`` when nothing listens there (see :func:`http_request`,
    which also gives the status)."""
    answer = http_request(node, state, host, port, path)
    return answer.answered, answer.body


_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
}


def _nginx_page(status: int, server: str = NGINX_VERSION) -> str:
    """nginx's built-in page (``ngx_http_special_response.c``, ``server_tokens on``)."""
    title = f"{status} {_REASONS[status]}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n"
        f"<hr><center>{server}</center>\r\n</body>\r\n</html>\r\n"
    )


_HTTPD_TEXT = {
    301: '<p>The document has moved <a href="{location}">here</a>.</p>\n',
    400: "<p>Your browser sent a request that this server could not understand.<br />\n</p>\n",
    403: "<p>You don't have permission to access this resource.</p>\n",
    404: "<p>The requested URL was not found on this server.</p>\n",
}


def _httpd_page(status: int, location: str = "") -> str:
    """httpd's built-in page (``ap_send_error_response``, ``ServerSignature Off``)."""
    reason = _REASONS[status]
    return (
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n'
        f"<html><head>\n<title>{status} {reason}</title>\n</head><body>\n<h1>{reason}</h1>\n"
        + _HTTPD_TEXT[status].format(location=html.escape(location))
        + "</body></html>\n"
    )


def _httpd_index(url_path: str, names: tuple[str, ...], dirs: set[str]) -> str:
    """mod_autoindex's plain listing (the image's ``Options Indexes``, no FancyIndexing)."""
    parent = posixpath.dirname(url_path.rstrip("/")).rstrip("/") + "/"
    items = "".join(
        f'<li><a href="{quote(n)}{"/" * (n in dirs)}"> {html.escape(n)}{"/" * (n in dirs)}</a></li>\n'
        for n in names
        if not n.startswith(".")
    )
    title = html.escape(url_path)
    return (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n'
        f"<html>\n <head>\n  <title>Index of {title}</title>\n </head>\n <body>\n"
        f"<h1>Index of {title}</h1>\n"
        f'<ul><li><a href="{parent}"> Parent Directory</a></li>\n{items}</ul>\n'
        "</body></html>\n"
    )


def _content_type(path: str, httpd: bool) -> str:
    ext = posixpath.splitext(path)[1].lower()
    if ext in (".html", ".htm"):
        return "text/html"
    if httpd and ext == ".txt":
        return "text/plain"
    return "text/html" if httpd and not ext else "application/octet-stream"


def _resolve_host(state: PodState, host: str) -> str | None:
    """The IPv4 address a client in pod *state* connects to for *host* (busybox and curl prefer
    IPv4), or ``None`` when the name does not resolve there."""
    if host == "localhost":
        return "127.0.0.1"
    if host in (state.hostname, f"{state.hostname}.{state.pod.metadata.namespace or 'default'}"):
        return state.ip or "127.0.0.1"
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def http_request(
    node: NodeLike,
    state: PodState,
    host: str,
    port: int,
    path: str,
    *,
    fs: Filesystem | None = None,
) -> HttpAnswer:
    """What an HTTP ``GET`` of *path* from *host*:*port* in pod *state* answers.

    Nothing listening gives status 0 (``refused``), an address that is not the pod's 0
    (``unreachable``), a host name that does not resolve in the pod 0 (``unresolved``); an
    answer names the container that accepted the connection (``owner``). nginx and httpd serve files from *their own* view of their document
    root (volumes included), as their images are configured: a file is ``200``; a directory
    asked without its ``/`` is a ``301`` to it; a directory with ``index.html`` serves it, one
    without is ``403 Forbidden`` from nginx (``autoindex`` off) and a listing from httpd
    (``Options Indexes``); a missing file is ``404``, each with the server's own page. Other
    servers answer ``200`` with their image's banner. *fs* is the file tree to serve from (by
    default the node's; a script passes the tree as it has changed it).
    """
    address = _resolve_host(state, host)
    if address is None:
        return HttpAnswer(status=0, reason="unresolved")
    ns = state.network if state.network is not None else node.host_network
    assert ns is not None
    prefix = "" if state.network is not None else f"{state.key}/"
    try:
        owner = ns.connect(host, port, "TCP").removeprefix(prefix)
    except ConnectionRefused:
        return HttpAnswer(status=0, reason="refused", address=address)
    except NetworkUnreachable:
        return HttpAnswer(status=0, reason="unreachable", address=address)
    return replace(_serve_http(node, state, owner, host, port, path, fs, address), owner=owner)


def _serve_http(
    node: NodeLike,
    state: PodState,
    owner: str,
    host: str,
    port: int,
    path: str,
    fs: Filesystem | None,
    address: str,
) -> HttpAnswer:
    """What container *owner*'s server answers ``GET path`` (see :func:`http_request`)."""
    status = next((c for c in state.containers if c.name == owner), None)
    image = node.catalogue.get(status.image) if status is not None else None
    view = state.views.get(owner)
    if image is None or image.behaviour.serves is None or view is None:
        banner = image.behaviour.banner.decode() if image is not None else ""
        return _answer(200, banner or f"(a response from {owner})\n", address, server="")
    httpd = image.behaviour.pages == "httpd"
    server = image.behaviour.server

    def page(code: int) -> str:
        return _httpd_page(code) if httpd else _nginx_page(code, server)

    url_path = unquote(path.split("?", 1)[0].split("#", 1)[0]) or "/"
    clean = posixpath.normpath(url_path) if url_path != "/" else "/"
    if not clean.startswith("/") or clean.startswith("//") or "/.." in url_path:
        return _answer(400, page(400), address, server)
    target = posixpath.join(image.behaviour.serves, clean.lstrip("/"))
    fs = node.filesystem if fs is None else fs
    try:
        kind = fs.stat(view, target).kind
        if kind == "directory" and not url_path.endswith("/"):
            where = f"http://{host}{'' if port == 80 else f':{port}'}{url_path}/"
            body = _httpd_page(301, where) if httpd else _nginx_page(301, server)
            return _answer(301, body, address, server, location=where)
        if kind == "directory":
            index = posixpath.join(target, "index.html")
            if fs.exists(view, index):
                target = index
            elif httpd:
                names = fs.listdir(view, target)
                dirs = {
                    n for n in names if fs.stat(view, posixpath.join(target, n)).kind == "directory"
                }
                return _answer(200, _httpd_index(url_path, names, dirs), address, server)
            else:
                return _answer(403, page(403), address, server)
        body = fs.read(view, target).decode("utf-8", "replace")
    except FilesystemError:
        return _answer(404, page(404), address, server)
    return _answer(200, body, address, server, content_type=_content_type(target, httpd))


def _answer(
    status: int,
    body: str,
    address: str,
    server: str,
    *,
    location: str | None = None,
    content_type: str = "text/html",
) -> HttpAnswer:
    headers = [("Server", server)] if server else []
    headers.append(("Content-Type", content_type))
    headers.append(("Content-Length", str(len(body.encode("utf-8", "surrogateescape")))))
    if location is not None:
        headers.append(("Location", location))
    return HttpAnswer(
        status=status,
        reason=_REASONS.get(status, "OK"),
        body=body,
        headers=tuple(headers),
        address=address,
    )


def wake(process: Process, after: float) -> float | None:
    """When *process* (run up to *after*) next needs to run; ``None``: never (it exited, or
    sleeps forever)."""
    if process.done:
        return None
    times = [t for t in (process.now, *(m.now for _, m in process.jobs)) if after < t < math.inf]
    return min(times) if times else None


def _work(process: Process) -> tuple[int, ...]:
    return (process.main.work, *(m.work for _, m in process.jobs))


def drive(process: Process, system: System, until: float) -> tuple[Process, System]:
    """Run *process* until it exits or waits past *until* (over as many budgets as needed)."""
    for _ in range(_RUN_CALLS):
        before = _work(process)
        process, system = run(process, system, until=until)
        if process.done or _work(process) == before:
            break
        times = (process.now, *(m.now for _, m in process.jobs))
        if min(times) > until:
            break
    return process, system


def keep_dials(state: PodState, container: str, system: System) -> PodState:
    """*state* with the connections *container*'s programs made (``System.dials``) recorded
    in its :class:`~podmodel.kubelet.connections.ConnectionLog`."""
    dials = system.dials
    if not dials and not dials.dropped:
        return state
    log = state.connections
    for c in dials:
        log = log.add(
            source=container,
            host=c.host,
            port=c.port,
            target=c.target,
            at=c.first_time,
            until=c.last_time,
            protocol=c.protocol,
            count=c.count,
        )
    return replace(state, connections=replace(log, dropped=log.dropped + dials.dropped))


def split_log(partial: str, text: str, *, end: bool) -> tuple[list[str], str]:
    """The complete lines of *partial* + *text* (split at newlines only, as a container
    runtime's log is) and the unfinished rest; *end* (the process exited): the rest is a line
    too, as the runtime writes it at end of file.

    >>> split_log("hel", "lo\\nwor", end=False)
    (['hello'], 'wor')
    """
    pieces = (partial + text).split("\n")
    rest = pieces.pop()
    if end and rest:
        pieces.append(rest)
        rest = ""
    return pieces, rest


def step(
    node: NodeLike, state: PodState, i: int, now: float, container: Container, max_lines: int
) -> tuple[Filesystem, PodState, tuple[float, ...]]:
    """Run container *i*'s script up to *now*: its output goes to the container's logs, its
    writes to the node's file tree; once it has exited, the container exits at that time.
    Also gives the times the script started its image's server (``System.served``), for the
    kubelet to start the image's behaviour then."""
    status = state.containers[i]
    assert status.process is not None
    since = status.process.now
    system = replace(system_for(node, state, status.name, container), memory=status.memory_holds)
    process, system = drive(status.process, system, now)
    # memory: what its programs hold, plus what it wrote into memory-backed volumes
    before = _memory.tmpfs_bytes(node.filesystem, state, container)
    charged = max(
        0, status.tmpfs_charged + _memory.tmpfs_bytes(system.fs, state, container) - before
    )
    oom = _memory.oom_time(
        _memory.SCRIPT_MEMORY + charged,
        system.memory,
        _memory.memory_limit(container),
        since,
        math.inf,  # the shell may run a little past *now* within its budget
    )
    status = replace(
        status, memory_holds=tuple(h for h in system.memory if h[1] > now), tmpfs_charged=charged
    )
    process, chunks = take_output(process)
    ended = oom is not None or process.done
    lines, partial = split_log(status.partial_log, "".join(text for _, text in chunks), end=ended)
    logs = (*status.logs, *lines)[-max_lines:] if lines else status.logs
    mine = (*status.instance_logs, *lines)[-max_lines:] if lines else status.instance_logs
    status = replace(status, logs=logs, instance_logs=mine, partial_log=partial)
    state = keep_dials(state, status.name, system)
    served = tuple(t for t, _ in system.served)
    if oom is not None:  # the OOM killer ended it
        served = tuple(t for t in served if t < oom)
        status = replace(
            status,
            process=None,
            wake_at=None,
            exit_at=max(oom, status.started_at or 0.0),
            pending_exit=(137, ""),
            pending_reason="OOMKilled",
        )
    elif process.done:
        code = process.exit_code or 0
        status = replace(
            status,
            process=process,
            wake_at=None,
            exit_at=max(process.now, status.started_at or 0.0),
            pending_exit=(code, lines[-1] if lines and code else ""),
        )
    else:
        status = replace(status, process=process, wake_at=wake(process, now))
    items = list(state.containers)
    items[i] = status
    return system.fs, replace(state, containers=tuple(items)), served
