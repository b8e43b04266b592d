"""A pod's network namespace, with the Linux kernel's ``bind()``, ``listen()`` and ``connect()``.

Every container of a pod joins the network namespace its sandbox (the pause container) holds, so
their sockets share one port space: whether a container's ``bind()`` succeeds depends only on
the other sockets of the namespace, with the rules the kernel applies. Those rules were measured
on Linux 6.18 (10,800 pair scenarios, ``shared/reference/linux-bind.md``) and are implemented
here as data: :data:`ADDRESS_OVERLAP` decides which addresses can collide, :func:`may_share`
which socket options let two overlapping sockets share a port.

>>> ns = NetworkNamespace(ip="10.244.0.2", hostname="mypod")
>>> ns, nginx = ns.bind("mycon1", "0.0.0.0", 80, reuse_address=True)
>>> ns = ns.listen(nginx)
>>> ns.connect("localhost", 80)
'mycon1'
>>> try:
...     ns.bind("mycon2", "0.0.0.0", 80, reuse_address=True)
... except PortInUse as exc:
...     print(exc)
bind 0.0.0.0:80/TCP: address already in use (held by mycon1 on 0.0.0.0:80/TCP)

Every operation returns a new namespace and leaves its input unchanged.
"""

from __future__ import annotations

import errno
import functools
import ipaddress
from typing import TYPE_CHECKING, Any, Literal

import attrs

from podmodel.errors import PodmodelError
from podmodel.model._frozen import replace
from podmodel.model._pmap import PMap

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "EPHEMERAL_PORTS",
    "TIME_WAIT_SECONDS",
    "AddressNotAvailable",
    "Connection",
    "ConnectionRefused",
    "InvalidSocketOperation",
    "NetworkNamespace",
    "NetworkUnreachable",
    "PortInUse",
    "PortPermissionDenied",
    "Socket",
]

Protocol = Literal["TCP", "UDP", "SCTP"]
PROTOCOLS: tuple[str, ...] = ("TCP", "UDP", "SCTP")
#: ``net.ipv4.ip_local_port_range``'s default, where ``bind(port=0)`` picks a port.
EPHEMERAL_PORTS = (32768, 60999)
#: How long a TIME_WAIT leftover holds its address (the kernel's fixed ``TCP_TIMEWAIT_LEN``).
TIME_WAIT_SECONDS = 60.0


# --- errors --------------------------------------------------------------------------------


class PortInUse(PodmodelError, OSError):
    """``EADDRINUSE``: an overlapping socket holds the port; ``.holder`` is that socket."""

    def __init__(self, message: str, holder: Socket) -> None:
        super().__init__(errno.EADDRINUSE, message)
        self.holder = holder

    def __str__(self) -> str:
        return str(self.strerror)


class PortPermissionDenied(PodmodelError, PermissionError):
    """``EACCES``: a port below ``unprivileged_port_start`` for a non-root uid."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.EACCES, message)

    def __str__(self) -> str:
        return str(self.strerror)


class AddressNotAvailable(PodmodelError, OSError):
    """``EADDRNOTAVAIL``: bind to an address the namespace does not have."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.EADDRNOTAVAIL, message)

    def __str__(self) -> str:
        return str(self.strerror)


class ConnectionRefused(PodmodelError, ConnectionRefusedError):
    """``ECONNREFUSED``: nothing listens on that address and port."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.ECONNREFUSED, message)

    def __str__(self) -> str:
        return str(self.strerror)


class NetworkUnreachable(PodmodelError, OSError):
    """``ENETUNREACH``: the address is not on this namespace's networks."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.ENETUNREACH, message)

    def __str__(self) -> str:
        return str(self.strerror)


class InvalidSocketOperation(PodmodelError, ValueError):
    """A call the kernel refuses with ``EINVAL``/``EOPNOTSUPP``, or arguments that are not valid
    (an unknown protocol, a port outside 0-65535, an address that is not an IP address)."""

    def __init__(self, message: str, code: int = errno.EINVAL) -> None:
        super().__init__(message)
        self.errno = code


# --- addresses -----------------------------------------------------------------------------

_ALL = "*"
_LOOPBACK4 = ipaddress.IPv4Network("127.0.0.0/8")
_LOOPBACK6 = ipaddress.IPv6Address("::1")


@attrs.frozen
class _View:
    """What a bound address covers: IPv4 addresses and IPv6 addresses (``*`` = all)."""

    v4: str | None
    v6: str | None


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        raise InvalidSocketOperation(f"not an IP address: {address!r}") from None


@functools.lru_cache(maxsize=4096)  # pure: a socket's view depends on these two only
def _view(address: str, v6only: bool) -> _View:
    ip = _parse(address)
    if isinstance(ip, ipaddress.IPv4Address):
        return _View(v4=_ALL if ip.is_unspecified else str(ip), v6=None)
    mapped = ip.ipv4_mapped
    if mapped is not None:
        return _View(v4=_ALL if mapped.is_unspecified else str(mapped), v6=None)
    if ip.is_unspecified:
        return _View(v4=None if v6only else _ALL, v6=_ALL)
    return _View(v4=None, v6=str(ip))


def _meets(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and (a in (_ALL, b) or b == _ALL)


def overlap(a: Socket, b: Socket) -> bool:
    """Whether two bound addresses can collide (``linux-bind.md`` §2; symmetric)."""
    va, vb = a.view, b.view
    return _meets(va.v4, vb.v4) or _meets(va.v6, vb.v6)


def may_share(holder: Socket, new: Socket) -> bool:
    """Whether *new* may bind next to the overlapping *holder* (``linux-bind.md`` §3, §6).

    TCP and SCTP: both ``SO_REUSEADDR`` and the holder not listening, or both ``SO_REUSEPORT``
    under one uid. UDP: both ``SO_REUSEADDR``, or both ``SO_REUSEPORT`` under one uid.
    """
    if holder.reuse_port and new.reuse_port and holder.uid == new.uid:
        return True
    if holder.reuse_address and new.reuse_address:
        return new.protocol == "UDP" or not holder.listening
    return False


def _show(address: str, port: int, protocol: str) -> str:
    host = f"[{address}]" if ":" in address else address
    return f"{host}:{port}/{protocol}"


# --- values --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Socket:
    """A socket in a namespace: who holds it, where it is bound, with which options.

    ``state`` is ``"bound"``, ``"listening"``, or, for what an accepted connection leaves behind,
    ``"established"`` / ``"time-wait"`` (then ``expires`` is the clock time it goes away).

    .. versionadded:: 0.1.0
    """

    id: int
    owner: str
    protocol: str
    address: str
    port: int
    v6only: bool = False
    reuse_address: bool = False
    reuse_port: bool = False
    uid: int = 0
    state: str = "bound"
    expires: float | None = None
    view: _View = attrs.field(eq=False, repr=False, hash=False)

    @property
    def listening(self) -> bool:
        """True once ``listen()`` succeeded (TCP, SCTP)."""
        return self.state == "listening"

    def __str__(self) -> str:
        return _show(self.address, self.port, self.protocol)


@attrs.frozen(kw_only=True)
class Connection:
    """An accepted TCP connection: the listener that took it, and its local address.

    .. versionadded:: 0.1.0
    """

    id: int
    listener: int
    owner: str
    local_address: str
    port: int


@attrs.frozen(kw_only=True)
class NetworkNamespace:
    """One network namespace: loopback, an optional pod IP and hostname, and its sockets.

    Args:
        ip: The pod IP (an address of the namespace besides loopback), if any.
        hostname: The name ``connect`` resolves to ``ip`` (and ``/etc/hosts`` lists).
        unprivileged_port_start: ``net.ipv4.ip_unprivileged_port_start``; ports below it need
            uid 0. The kernel's default is 1024; containerd and Docker set 0 in pods.
        clock: Simulated seconds; only :meth:`advance` moves it (TIME_WAIT expiry).

    .. versionadded:: 0.1.0
    """

    ip: str | None = None
    hostname: str | None = None
    unprivileged_port_start: int = 1024
    clock: float = 0.0
    sockets: PMap[int, Socket] = attrs.field(factory=PMap, repr=False)
    connections: PMap[int, Connection] = attrs.field(factory=PMap, repr=False)
    next_id: int = attrs.field(default=1, repr=False)
    _by_port: PMap[tuple[str, int], tuple[int, ...]] = attrs.field(
        factory=PMap, repr=False, alias="by_port"
    )
    # ids of the sockets in TIME_WAIT (so that expiry never scans every socket)
    waiting: tuple[int, ...] = attrs.field(default=(), repr=False)

    # ---- queries ----

    def on_port(self, port: int, protocol: str = "TCP") -> tuple[Socket, ...]:
        """The sockets (and connection leftovers) on *port* for *protocol*, oldest first."""
        ids = self._by_port.get((protocol, port), ())
        return tuple(self.sockets[i] for i in ids)

    def owned_by(self, owner: str) -> tuple[Socket, ...]:
        """The sockets *owner* holds."""
        return tuple(s for s in self.sockets.values() if s.owner == owner)

    def listeners(self) -> tuple[Socket, ...]:
        """Every listening socket, sorted by port."""
        return tuple(
            sorted((s for s in self.sockets.values() if s.listening), key=lambda s: (s.port, s.id))
        )

    def __iter__(self) -> Iterator[Socket]:
        return iter(sorted(self.sockets.values(), key=lambda s: s.id))

    @property
    def etc_hosts(self) -> str:
        """``/etc/hosts`` as the kubelet writes it for a pod."""
        lines = [
            "# Kubernetes-managed hosts file.",
            "127.0.0.1\tlocalhost",
            "::1\tlocalhost ip6-localhost ip6-loopback",
            "fe00::0\tip6-localnet",
            "fe00::0\tip6-mcastprefix",
            "fe00::1\tip6-allnodes",
            "fe00::2\tip6-allrouters",
        ]
        if self.ip and self.hostname:
            lines.append(f"{self.ip}\t{self.hostname}")
        return "\n".join(lines) + "\n"

    # ---- operations ----

    def bind(
        self,
        owner: str,
        address: str,
        port: int,
        *,
        protocol: str = "TCP",
        v6only: bool = False,
        reuse_address: bool = False,
        reuse_port: bool = False,
        uid: int = 0,
    ) -> tuple[NetworkNamespace, Socket]:
        """Bind a new socket of *owner*; return the new namespace and the socket.

        ``port=0`` picks a free port deterministically: the lowest free **odd** port of
        :data:`EPHEMERAL_PORTS` for TCP and SCTP (then the even ones), the lowest free port for
        UDP (the kernel picks at random in the same range, odd first for TCP).

        Raises:
            PortInUse: An overlapping socket holds the port and the options do not allow sharing.
            PortPermissionDenied: ``port < unprivileged_port_start`` and ``uid != 0``.
            AddressNotAvailable: The address is not one of this namespace's.
            InvalidSocketOperation: A v4-mapped address with ``v6only``, or bad arguments.
        """
        if protocol not in PROTOCOLS:
            raise InvalidSocketOperation(f"unknown protocol {protocol!r}: use TCP, UDP or SCTP")
        if type(port) is not int or not 0 <= port <= 65535:
            raise InvalidSocketOperation(f"port must be an integer in 0-65535, not {port!r}")
        ip = _parse(address)
        text = str(ip)
        # The kernel's order of checks differs by family (net/ipv4/af_inet.c __inet_bind:
        # address, then privilege; net/ipv6/af_inet6.c __inet6_bind: privilege, then v4-mapped
        # on v6only, then address).
        checks = (
            (self._check_local, self._check_privilege)
            if ip.version == 4
            else (self._check_privilege, self._check_mapped, self._check_local)
        )
        for check in checks:
            check(ip, text, port, protocol, v6only, uid)
        view = _view(text, v6only)
        sock = Socket(
            id=self.next_id,
            owner=owner,
            protocol=protocol,
            address=text,
            port=port,
            v6only=v6only,
            reuse_address=reuse_address,
            reuse_port=reuse_port,
            uid=uid,
            view=view,
        )
        ns = self._expire()
        if port == 0:
            sock = replace(sock, port=ns._ephemeral(sock))
        else:
            for other in ns.on_port(port, protocol):
                if overlap(other, sock) and not may_share(other, sock):
                    raise PortInUse(
                        f"bind {sock}: address already in use (held by {other.owner} on {other}"
                        + (
                            f", {other.state}"
                            if other.state in ("established", "time-wait")
                            else ""
                        )
                        + ")",
                        other,
                    )
        key = (protocol, sock.port)
        return replace(
            ns,
            sockets=ns.sockets.set(sock.id, sock),
            next_id=ns.next_id + 1,
            by_port=ns._by_port.set(key, (*ns._by_port.get(key, ()), sock.id)),
        ), sock

    def listen(self, sock: Socket) -> NetworkNamespace:
        """Start listening on a bound TCP or SCTP socket.

        Raises:
            PortInUse: Another overlapping socket listens and ``SO_REUSEPORT`` (same uid) does
                not let both (the ``SO_REUSEADDR`` case: the second ``listen()`` fails).
            InvalidSocketOperation: A UDP socket (``EOPNOTSUPP``) or a closed one.
        """
        current = self._current(sock)
        if current.protocol == "UDP":
            raise InvalidSocketOperation(
                f"listen {current}: operation not supported on UDP", errno.EOPNOTSUPP
            )
        if current.listening:
            return self
        for other in self.on_port(current.port, current.protocol):
            if other.id == current.id or not other.listening or not overlap(other, current):
                continue
            if not (other.reuse_port and current.reuse_port and other.uid == current.uid):
                raise PortInUse(
                    f"listen {current}: address already in use (held by {other.owner} on {other})",
                    other,
                )
        return self._replace(replace(current, state="listening"))

    def close(self, sock: Socket) -> NetworkNamespace:
        """Close a socket; its port is free again at once (connections it accepted remain)."""
        current = self._current(sock)
        return self._remove(current.id)

    def release(self, owner: str) -> NetworkNamespace:
        """*owner*'s process exited: all its sockets close, and the connections it had accepted
        go to TIME_WAIT for :data:`TIME_WAIT_SECONDS` (the kernel closes them server-first)."""
        ns = self
        for s in self.owned_by(owner):
            if s.state == "established":
                ns = ns._replace(
                    replace(s, state="time-wait", expires=self.clock + TIME_WAIT_SECONDS)
                )
            elif s.state != "time-wait":
                ns = ns._remove(s.id)
        return ns

    def connect(self, host: str, port: int, protocol: str = "TCP") -> str:
        """The owner of the socket a connection to *host*:*port* reaches.

        *host* may be ``localhost`` (``::1`` is tried first, then ``127.0.0.1``, as
        ``getaddrinfo`` orders them), any ``127.0.0.0/8`` address, ``::1``, the namespace's IP or
        its hostname. The most specific listener wins, as in the kernel; a bound socket that does
        not listen refuses. For UDP, any bound socket receives (the most recently bound among
        equally specific ones).

        Raises:
            ConnectionRefused: Nothing listens there.
            NetworkUnreachable: *host* is not an address of this namespace.
        """
        return self._target(host, port, protocol).owner

    def accept(self, host: str, port: int) -> tuple[NetworkNamespace, Connection]:
        """Make a TCP connection to *host*:*port* and have the listener accept it.

        The accepted connection holds ``<local address>:port`` until it is closed: see
        :meth:`close_connection`.
        """
        listener = self._target(host, port, "TCP")
        local = self._connected_address(listener, host)
        leftover = Socket(
            id=self.next_id,
            owner=listener.owner,
            protocol="TCP",
            address=local,
            port=port,
            reuse_address=listener.reuse_address,
            reuse_port=listener.reuse_port,
            uid=listener.uid,
            state="established",
            view=_view(local, False),
        )
        conn = Connection(
            id=leftover.id,
            listener=listener.id,
            owner=listener.owner,
            local_address=local,
            port=port,
        )
        key = ("TCP", port)
        ns = replace(
            self,
            sockets=self.sockets.set(leftover.id, leftover),
            connections=self.connections.set(conn.id, conn),
            next_id=self.next_id + 1,
            by_port=self._by_port.set(key, (*self._by_port.get(key, ()), leftover.id)),
        )
        return ns, conn

    def close_connection(self, conn: Connection, *, first: str = "server") -> NetworkNamespace:
        """Close an accepted connection. When the server closes first, its side stays in
        TIME_WAIT for :data:`TIME_WAIT_SECONDS`; when the client does, nothing remains."""
        ns = replace(self, connections=self.connections.delete(conn.id))
        sock = ns.sockets.get(conn.id)
        if sock is None:
            return ns
        if first == "server":
            return ns._replace(
                replace(sock, state="time-wait", expires=self.clock + TIME_WAIT_SECONDS)
            )
        if first == "client":
            return ns._remove(sock.id)
        raise InvalidSocketOperation(f"first must be 'server' or 'client', not {first!r}")

    def advance(self, seconds: float) -> NetworkNamespace:
        """Move the simulated clock; expired TIME_WAIT leftovers disappear."""
        if seconds < 0:
            raise InvalidSocketOperation("time only moves forward")
        return replace(self, clock=self.clock + seconds)._expire()

    # ---- internals ----

    def _current(self, sock: Socket) -> Socket:
        current: Socket | None = self.sockets.get(sock.id)
        if current is None or current.owner != sock.owner:
            raise InvalidSocketOperation(
                f"socket {sock} is not open in this namespace", errno.EBADF
            )
        return current

    def _replace(self, sock: Socket) -> NetworkNamespace:
        waiting = self.waiting
        if sock.state == "time-wait" and sock.id not in waiting:
            waiting = (*waiting, sock.id)
        return replace(self, sockets=self.sockets.set(sock.id, sock), waiting=waiting)

    def _remove(self, sock_id: int) -> NetworkNamespace:
        sock = self.sockets[sock_id]
        key = (sock.protocol, sock.port)
        left = tuple(i for i in self._by_port.get(key, ()) if i != sock_id)
        by_port = self._by_port.set(key, left) if left else self._by_port.delete(key)
        waiting = tuple(i for i in self.waiting if i != sock_id) if self.waiting else ()
        return replace(self, sockets=self.sockets.delete(sock_id), by_port=by_port, waiting=waiting)

    def _expire(self) -> NetworkNamespace:
        ns = self
        for sock_id in self.waiting:
            s = self.sockets.get(sock_id)
            if s is not None and s.expires is not None and s.expires <= self.clock:
                ns = ns._remove(s.id)
        return ns

    def _check_local(
        self, ip: Any, text: str, port: int, protocol: str, v6only: bool, uid: int
    ) -> None:
        if not self._is_local(ip):
            raise AddressNotAvailable(
                f"bind {_show(text, port, protocol)}: cannot assign requested address"
            )

    def _check_privilege(
        self, ip: Any, text: str, port: int, protocol: str, v6only: bool, uid: int
    ) -> None:
        if 0 < port < self.unprivileged_port_start and uid != 0:
            raise PortPermissionDenied(
                f"bind {_show(text, port, protocol)}: permission denied (uid {uid}, ports below "
                f"{self.unprivileged_port_start} need root or CAP_NET_BIND_SERVICE)"
            )

    @staticmethod
    def _check_mapped(ip: Any, text: str, port: int, protocol: str, v6only: bool, uid: int) -> None:
        if ip.ipv4_mapped is not None and v6only:
            raise InvalidSocketOperation(
                f"bind {_show(text, port, protocol)}: a v4-mapped address on a v6only socket"
            )

    def _is_local(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        """Whether *ip* is an address of this namespace (loopback, a wildcard, or the pod IP)."""
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if ip.is_unspecified:
            return True
        if isinstance(ip, ipaddress.IPv4Address) and ip in _LOOPBACK4:
            return True
        if ip == _LOOPBACK6:
            return True
        return self.ip is not None and ip == ipaddress.ip_address(self.ip)

    def _host(self, host: str) -> str:
        if self.hostname and host == self.hostname:
            if self.ip is None:
                raise NetworkUnreachable(f"connect {host}: no address")
            return self.ip
        return host

    def _resolve(self, host: str) -> list[str]:
        if host == "localhost":
            return ["::1", "127.0.0.1"]
        return [str(_parse(self._host(host)))]

    def _target(self, host: str, port: int, protocol: str) -> Socket:
        if protocol not in PROTOCOLS:
            raise InvalidSocketOperation(f"unknown protocol {protocol!r}: use TCP, UDP or SCTP")
        addresses = self._resolve(host)
        refused = None
        for address in addresses:
            ip = _parse(address)
            if ip.is_unspecified:  # connect() to a wildcard reaches the loopback address
                ip = _LOOPBACK6 if ip.version == 6 else ipaddress.IPv4Address("127.0.0.1")
            if not self._is_local(ip):
                if len(addresses) == 1:
                    raise NetworkUnreachable(
                        f"connect {_show(address, port, protocol)}: network is unreachable"
                    )
                continue
            best = self._best(ip, port, protocol)
            if best is not None:
                return best
            refused = address
        shown = host if refused is None else refused
        raise ConnectionRefused(
            f"connect {_show(shown, port, protocol)}: connection refused (nothing listens there)"
        )

    def _best(
        self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address, port: int, protocol: str
    ) -> Socket | None:
        v4 = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else ip
        best: Socket | None = None
        best_score = -1
        for s in self.on_port(port, protocol):
            if protocol != "UDP" and not s.listening:
                continue
            if s.state in ("established", "time-wait"):
                continue
            view = s.view
            if v4 is not None:
                target = str(v4)
                if view.v4 is None or (view.v4 not in (_ALL, target)):
                    continue
                score = (4 if view.v4 == target else 0) + (2 if ":" not in s.address else 1)
            else:
                target = str(ip)
                if view.v6 is None or (view.v6 not in (_ALL, target)):
                    continue
                score = 4 if view.v6 == target else 1
            # ties: the first bound wins for TCP (SO_REUSEPORT groups hash; podmodel is
            # deterministic), the most recently bound for UDP, as the kernel delivers
            if score > best_score or (score == best_score and protocol == "UDP"):
                best, best_score = s, score
        return best

    def _connected_address(self, listener: Socket, host: str) -> str:
        for address in self._resolve(host):
            ip = _parse(address)
            if self._is_local(ip) and self._best(ip, listener.port, "TCP") == listener:
                v4 = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else ip
                return str(v4) if v4 is not None else str(ip)
        return listener.address

    def _ephemeral(self, sock: Socket) -> int:
        lo, hi = EPHEMERAL_PORTS
        if sock.protocol == "UDP":
            candidates: Any = range(lo, hi + 1)
        else:
            first_odd = lo | 1
            candidates = (*range(first_odd, hi + 1, 2), *range(first_odd - 1, hi + 1, 2))
        for port in candidates:
            if not any(overlap(o, sock) for o in self.on_port(port, sock.protocol)):
                return port  # type: ignore[no-any-return]
        raise PortInUse(f"bind {sock}: no free port in {lo}-{hi}", sock)
