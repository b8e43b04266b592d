"""Values the kubelet and the shell's programs exchange (private): what a server answered
(:class:`HttpAnswer`), and the image's own program (:class:`ImageProgram`)."""

from __future__ import annotations

import attrs

__all__ = ["HttpAnswer", "ImageProgram"]


@attrs.frozen(kw_only=True)
class HttpAnswer:
    """What a server answered an HTTP request, or why none came.

    ``status`` is 0 when there was no answer: ``reason`` then says why (``refused``: nothing
    listens there; ``unreachable``: the address is not one of the pod's; ``unresolved``: the
    host name does not resolve). ``address`` is the IP the client connected to (``127.0.0.1``
    for ``localhost``); ``owner``: the container whose listening socket accepted the
    connection ("" when none did, or when the kubelet does not say).
    """

    status: int
    reason: str
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    address: str = ""
    version: str = "HTTP/1.1"
    owner: str = ""

    @property
    def answered(self) -> bool:
        """Whether a server answered (any status)."""
        return self.status > 0

    @property
    def status_line(self) -> str:
        """``HTTP/1.1 404 Not Found``."""
        return f"{self.version} {self.status} {self.reason}"

    def header(self, name: str) -> str | None:
        """The value of header *name* (case-insensitive), if the answer has it."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def head_text(self) -> str:
        """The status line and headers as they come over the wire (CRLF, a blank line)."""
        lines = [self.status_line, *(f"{k}: {v}" for k, v in self.headers), ""]
        return "".join(f"{line}\r\n" for line in lines)


@attrs.frozen(kw_only=True)
class ImageProgram:
    """An image's own program as a script sees it (see the module docstring).

    ``version`` and ``config_test`` may contain ``{ip}`` and ``{hostname}``, filled from the
    container's system when printed.
    """

    #: The names it is called by (``nginx``; ``httpd`` and ``httpd-foreground``).
    names: frozenset[str]
    #: What a version flag prints, and on which file descriptor (nginx: 2, httpd: 1).
    version: str = ""
    version_fd: int = 1
    version_flags: frozenset[str] = frozenset({"-v", "-V", "--version"})
    #: What the configuration-test flag (``-t``) prints on standard error ("": no such flag).
    config_test: str = ""
    #: The exit code once it has run (``None``: a server, which keeps running).
    exits: int | None = None
