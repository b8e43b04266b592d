"""HTTP clients (private): ``curl`` (7.88, Debian bookworm) and ``wget`` (busybox 1.36).

A program asks :attr:`System.connect <podmodel.kubelet.shell.System.connect>` (supplied by the
kubelet) for an :class:`HttpAnswer`: a status line, headers and a body, or why there was no
answer (nothing listens there; the host name does not resolve). The clients then do what the
real ones do with it: ``curl`` prints any body and exits 0 unless ``-f`` (22 on a status of 400 or
more), ``wget`` fails on such a status (``server returned error: HTTP/1.1 404 Not Found``, 1),
both follow redirects (``curl`` with ``-L``), and their messages, exit codes and file names are
the real programs'. What they do not do: ``curl``'s progress meter (output is as with ``-s``),
TLS, request bodies and methods other than ``GET`` and ``HEAD``.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import attrs

from podmodel.kernel.filesystem import FilesystemError
from podmodel.kubelet.shell._values import HttpAnswer

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from podmodel.kubelet.shell._prog import Prog

__all__ = ["HTTP", "HttpAnswer", "progress_size"]

#: Redirects followed at most (curl's ``--max-redirs`` default is 50; busybox wget stops at 5).
_CURL_REDIRECTS = 50
_WGET_REDIRECTS = 5


@attrs.frozen
class _Url:
    text: str
    host: str
    port: int
    path: str
    hostport: str  # the host as written, with its port when one was written


def _url(text: str) -> _Url | None:
    full = text if "://" in text else f"http://{text}"
    try:
        parts = urlsplit(full)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    if not parts.hostname:
        return None
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return _Url(full, parts.hostname, port, path, parts.netloc.rpartition("@")[2])


def _resolve(url: _Url, location: str) -> _Url | None:
    """Where a redirect's ``Location`` points (absolute, or a path on the same server)."""
    if "://" in location:
        return _url(location)
    path = location if location.startswith("/") else posixpath.join(url.path, location)
    return attrs.evolve(url, path=path, text=f"http://{url.hostport}{path}")


def _ask(p: Prog, url: _Url, method: str) -> HttpAnswer:
    connect = p.sys.connect
    if connect is None:
        return HttpAnswer(status=0, reason="refused", address=url.host)
    answer = connect(p.sys.fs, url.host, url.port, url.path)
    if answer.answered or answer.reason == "refused":
        p.sys = p.sys.dialled(p.now, url.host, url.port, answer.owner or None)
    return answer if method == "GET" else attrs.evolve(answer, body="")


def _write_file(p: Prog, name: str, data: str) -> str | None:
    """Write *data* to *name* (``-``: standard output); the error text when it cannot."""
    if name == "-":
        p.write(data)
        return None
    if name == "/dev/null":
        return None
    try:
        p.sys = p.sys.write(p.path(name), data.encode("utf-8", "surrogateescape"))
    except FilesystemError as exc:
        return exc.strerror
    return None


# ---- curl ----

_CURL_FLAGS = {
    "s": "silent",
    "S": "show-error",
    "f": "fail",
    "L": "location",
    "I": "head",
    "i": "include",
    "O": "remote-name",
    "k": "insecure",
    "v": "verbose",
    "4": "ipv4",
    "6": "ipv6",
}
_CURL_VALUED = {
    "o": "output",
    "w": "write-out",
    "m": "max-time",
    "H": "header",
    "X": "request",
    "A": "user-agent",
    "u": "user",
    "e": "referer",
    "d": "data",
}
_CURL_LONG_FLAGS = {
    name: name
    for name in (*_CURL_FLAGS.values(), "compressed", "no-progress-meter", "fail-with-body")
}
_CURL_LONG_VALUED = {
    name: name
    for name in (
        *_CURL_VALUED.values(),
        "connect-timeout",
        "retry",
        "retry-delay",
        "max-redirs",
    )
}


def _options(
    args: list[str],
    long_flags: Mapping[str, str],
    long_valued: Mapping[str, str],
    flags: Mapping[str, str],
    valued: Mapping[str, str],
    words: tuple[str, str, str, str],
) -> tuple[dict[str, str], list[str]] | str:
    """getopt_long over *args*: the options (by the key the tables map them to) and the
    operands, or the message of the first bad option. *words*: the messages for a long option
    missing its value and an unknown one (``{}``: the option), then the same for a short one
    (``{}``: its letter), in the program's own words."""
    opts: dict[str, str] = {}
    urls: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("--") and len(a) > 2:
            name, eq, value = a[2:].partition("=")
            if name in long_flags:
                opts[long_flags[name]] = ""
            elif name in long_valued:
                if not eq:
                    i += 1
                    if i >= len(args):
                        return words[0].format(a)
                    value = args[i]
                opts[long_valued[name]] = value
            else:
                return words[1].format(a)
        elif a.startswith("-") and len(a) > 1:
            j = 1
            while j < len(a):
                c = a[j]
                if c in flags:
                    opts[flags[c]] = ""
                elif c in valued:
                    value = a[j + 1 :]
                    if not value:
                        i += 1
                        if i >= len(args):
                            return words[2].format(c)
                        value = args[i]
                    opts[valued[c]] = value
                    break
                else:
                    return words[3].format(c)
                j += 1
        else:
            urls.append(a)
        i += 1
    return opts, urls


_CURL_WORDS = (
    "option {}: requires parameter",
    "option {}: is unknown",
    "option -{}: requires parameter",
    "option -{}: is unknown",
)


def _curl_args(p: Prog) -> tuple[dict[str, str], list[str]] | int:
    parsed = _options(
        p.args, _CURL_LONG_FLAGS, _CURL_LONG_VALUED, _CURL_FLAGS, _CURL_VALUED, _CURL_WORDS
    )
    return _curl_usage(p, parsed) if isinstance(parsed, str) else parsed


def _curl_usage(p: Prog, message: str, code: int = 2) -> int:
    p.err.append(
        f"curl: {message}\ncurl: try 'curl --help' or 'curl --manual' for more information\n"
    )
    return code


def _curl(p: Prog) -> int:
    parsed = _curl_args(p)
    if isinstance(parsed, int):
        return parsed
    opts, urls = parsed
    if not urls:
        return _curl_usage(p, "no URL specified!")
    code = 0
    for text in urls:
        code = _curl_one(p, opts, text)
    return code


def _curl_error(p: Prog, opts: dict[str, str], code: int, message: str) -> int:
    if "silent" not in opts or "show-error" in opts:
        p.err.append(f"curl: ({code}) {message}\n")
    return code


def _curl_one(p: Prog, opts: dict[str, str], text: str) -> int:
    url = _url(text)
    if url is None:
        return _curl_error(p, opts, 3, "URL using bad/illegal format or missing URL")
    method = "HEAD" if "head" in opts else "GET"
    answer = _ask(p, url, method)
    for _ in range(_CURL_REDIRECTS):
        location = answer.header("Location")
        if "location" not in opts or not answer.answered or location is None:
            break
        if not 300 <= answer.status < 400:
            break
        target = _resolve(url, location)
        if target is None:
            break
        if "include" in opts or "head" in opts:
            p.write(answer.head_text())
        url, answer = target, _ask(p, target, method)
    if not answer.answered:
        if answer.reason == "unresolved":
            return _curl_error(p, opts, 6, f"Could not resolve host: {url.host}")
        return _curl_error(
            p,
            opts,
            7,
            f"Failed to connect to {url.host} port {url.port} after 0 ms: "
            "Couldn't connect to server",
        )
    if answer.status >= 400 and "fail" in opts:
        return _curl_error(p, opts, 22, f"The requested URL returned error: {answer.status}")
    shown = answer.head_text() if "include" in opts or "head" in opts else ""
    shown += "" if method == "HEAD" else answer.body
    code = 0
    if "remote-name" in opts or "output" in opts:
        name = opts.get("output") or posixpath.basename(url.path.split("?")[0])
        if not name:
            return _curl_error(p, opts, 23, "Remote file name has no length!")
        if _write_file(p, name, shown) is not None:
            code = _curl_error(p, opts, 23, "Failure writing output to destination")
    else:
        p.write(shown)
    if "write-out" in opts:
        p.write(_write_out(p, opts["write-out"], url, answer))
    return code


def _write_out(p: Prog, fmt: str, url: _Url, answer: HttpAnswer) -> str:
    values = {
        "http_code": f"{answer.status:03d}",
        "response_code": f"{answer.status:03d}",
        "url_effective": url.text if url.path != "/" or url.text.endswith("/") else url.text + "/",
        "size_download": str(len(answer.body.encode("utf-8", "surrogateescape"))),
        "content_type": answer.header("Content-Type") or "",
        "num_redirects": "0",
    }
    out: list[str] = []
    i = 0
    while i < len(fmt):
        if fmt.startswith("%{", i) and "}" in fmt[i:]:
            end = fmt.index("}", i)
            name = fmt[i + 2 : end]
            if name in values:
                out.append(values[name])
            else:
                p.err.append(f"curl: unknown --write-out variable: '{name}'\n")
            i = end + 1
        elif fmt[i] == "\\" and i + 1 < len(fmt) and fmt[i + 1] in "ntr\\":
            out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}[fmt[i + 1]])
            i += 2
        else:
            out.append(fmt[i])
            i += 1
    return "".join(out)


# ---- wget (busybox) ----

_WGET_VALUED = {"O": "O", "T": "T", "t": "t", "P": "P", "U": "U", "Y": "Y", "o": "o"}
_WGET_FLAGS = {"q": "q", "c": "c", "S": "S"}
_WGET_LONG_FLAGS = {
    "spider": "spider",
    "quiet": "q",
    "continue": "c",
    "server-response": "S",
    "no-check-certificate": "no-check-certificate",
}
_WGET_LONG_VALUED = {
    "output-document": "O",
    "timeout": "T",
    "tries": "t",
    "header": "header",
    "user-agent": "U",
    "directory-prefix": "P",
    "proxy": "Y",
    "output-file": "o",
}
_BUSYBOX = "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
_WGET_USAGE = (
    "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n"
    "\t[--post-data STR | --post-file FILE] [-Y on/off]\n"
    "\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n"
)


_WGET_WORDS = (
    "option '{}' requires an argument",
    "unrecognized option '{}'",
    "option requires an argument -- '{}'",
    "invalid option -- '{}'",
)


def _wget_args(p: Prog) -> tuple[dict[str, str], list[str]] | int:
    parsed = _options(
        p.args, _WGET_LONG_FLAGS, _WGET_LONG_VALUED, _WGET_FLAGS, _WGET_VALUED, _WGET_WORDS
    )
    return _wget_usage(p, parsed) if isinstance(parsed, str) else parsed


def _wget_usage(p: Prog, message: str | None = None) -> int:
    if message is not None:
        p.err.append(f"wget: {message}\n")
    p.err.append(_BUSYBOX + _WGET_USAGE)
    return 1


def progress_size(size: int) -> str:
    """A size as busybox's progress bar shows it (``smart_ulltoa5``: five characters).

    >>> [progress_size(n) for n in (6, 99999, 100000, 200000, 1048576, 123456789)]
    ['    6', '99999', '97.6k', ' 195k', '1024k', ' 117M']
    """
    if size <= 99999:
        return f"{size:5d}"
    value, idx = size * 10, 0
    while True:
        value //= 1024
        idx += 1
        if value < 100000:
            break
    whole, tenth = divmod(value, 10)
    unit = " kMGTPEZY"[idx]
    if whole >= 100:
        return f"{whole:4d}{unit}"
    return f"{whole:2d}.{tenth}{unit}"


def _progress(name: str, size: int) -> str:
    return f"{name[:20]:<20} 100% |{'*' * 32}| {progress_size(size)}  0:00:00 ETA\n"


def _wget(p: Prog) -> int:
    parsed = _wget_args(p)
    if isinstance(parsed, int):
        return parsed
    opts, urls = parsed
    if not urls:
        return _wget_usage(p)
    code = 0
    for text in urls:
        code = _wget_one(p, opts, text) or code
    return code


def _wget_one(p: Prog, opts: dict[str, str], text: str) -> int:
    quiet = "q" in opts
    url = _url(text)
    if url is None:
        return p.fail(f"bad address '{text}'")
    answer: HttpAnswer | None = None
    for _ in range(_WGET_REDIRECTS + 1):
        answer = _ask(p, url, "HEAD" if "spider" in opts else "GET")
        if answer.reason == "unresolved" and not answer.answered:
            return p.fail(f"bad address '{url.host}'")
        if not quiet:
            shown = answer.address or url.host
            p.err.append(f"Connecting to {url.hostport} ({shown}:{url.port})\n")
        if not answer.answered:
            return p.fail(
                f"can't connect to remote host ({answer.address or url.host}): Connection refused"
            )
        if "S" in opts:
            p.err.append("".join(f"  {line}\n" for line in answer.head_text().split("\r\n")[:-1]))
        location = answer.header("Location")
        if not 300 <= answer.status < 400 or location is None:
            break
        target = _resolve(url, location)
        if target is None:
            break
        url = target
    else:
        return p.fail("too many redirections")
    assert answer is not None
    if answer.status >= 300:
        return p.fail(f"server returned error: {answer.status_line}")
    if "spider" in opts:
        if not quiet:
            p.err.append("remote file exists\n")
        return 0
    target_name = opts.get("O")
    if target_name is None:
        target_name = posixpath.basename(url.path.split("?")[0]) or "index.html"
        if "P" in opts:
            target_name = posixpath.join(opts["P"], target_name)
        if p.sys.exists(p.path(target_name)) and "c" not in opts:
            return p.fail(f"can't open '{target_name}': File exists")
    size = len(answer.body.encode("utf-8", "surrogateescape"))
    if target_name == "-":
        if not quiet:
            p.err.append("writing to stdout\n")
        p.write(answer.body)
        if not quiet:
            p.err.append(_progress("-", size) + "written to stdout\n")
        return 0
    why = _write_file(p, target_name, answer.body)
    if why is not None:
        return p.fail(f"can't open '{target_name}': {why}")
    if not quiet:
        label = posixpath.basename(target_name)
        p.err.append(f"saving to '{target_name}'\n{_progress(label, size)}'{target_name}' saved\n")
    return 0


HTTP: dict[str, Callable[[Prog], int]] = {"curl": _curl, "wget": _wget}
