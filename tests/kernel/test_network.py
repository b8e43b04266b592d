"""The kernel's decision tables (shared/reference/linux-bind.md §2-§9) as tests."""

from __future__ import annotations

import errno

import pytest

from podmodel import (
    AddressNotAvailable,
    ConnectionRefused,
    InvalidSocketOperation,
    NetworkNamespace,
    NetworkUnreachable,
    PodmodelError,
    PortInUse,
    PortPermissionDenied,
)

# §2: rows/columns in the reference's order; (address, v6only)
ADDRESSES = {
    "0.0.0.0": ("0.0.0.0", False),
    "127.0.0.1": ("127.0.0.1", False),
    "127.0.0.2": ("127.0.0.2", False),
    "127.0.0.6": ("127.0.0.6", False),
    "[::] dual": ("::", False),
    "[::] v6only": ("::", True),
    "[::1]": ("::1", False),
    "[::1] v6only": ("::1", True),
    "[::ffff:127.0.0.1]": ("::ffff:127.0.0.1", False),
    "[::ffff:0.0.0.0]": ("::ffff:0.0.0.0", False),
}
TABLE_2 = """
X X X X X ok ok ok X X
X X ok ok X ok ok ok X X
X ok X ok X ok ok ok ok X
X ok ok X X ok ok ok ok X
X X X X X X X X X X
ok ok ok ok X X X X ok ok
ok ok ok ok X X X X ok ok
ok ok ok ok X X X X ok ok
X X ok ok X ok ok ok X X
X X X X X ok ok ok X X
"""
CASES_2 = [
    (first, second, cell == "X")
    for (first, row) in zip(ADDRESSES, TABLE_2.split("\n")[1:-1], strict=True)
    for second, cell in zip(ADDRESSES, row.split(), strict=True)
]


@pytest.mark.parametrize("state", ["TCP bound", "TCP listening", "UDP"])
@pytest.mark.parametrize(("first", "second", "collides"), CASES_2)
def test_address_pairs_without_options(first: str, second: str, collides: bool, state: str) -> None:
    protocol = "UDP" if state == "UDP" else "TCP"
    a, a6 = ADDRESSES[first]
    b, b6 = ADDRESSES[second]
    ns, s1 = NetworkNamespace().bind("one", a, 8080, protocol=protocol, v6only=a6)
    if state == "TCP listening":
        ns = ns.listen(s1)
    if collides:
        with pytest.raises(PortInUse) as info:
            ns.bind("two", b, 8080, protocol=protocol, v6only=b6)
        assert info.value.errno == errno.EADDRINUSE
        assert info.value.holder.owner == "one"
    else:
        ns.bind("two", b, 8080, protocol=protocol, v6only=b6)


# §3: (first opts, second opts, same uid?) -> (TCP bound: bind2, listen2, listen1), TCP listening: (bind2, listen2), UDP bind2
OPTS = {"-": (False, False), "RA": (True, False), "RP": (False, True), "RA+RP": (True, True)}
TABLE_3 = [
    ("-", "-", True, ("E", "", ""), ("E", ""), "E"),
    ("-", "RA", True, ("E", "", ""), ("E", ""), "E"),
    ("-", "RP", True, ("E", "", ""), ("E", ""), "E"),
    ("-", "RA+RP", True, ("E", "", ""), ("E", ""), "E"),
    ("RA", "-", True, ("E", "", ""), ("E", ""), "E"),
    ("RA", "RA", True, ("ok", "ok", "E"), ("E", ""), "ok"),
    ("RA", "RP", True, ("E", "", ""), ("E", ""), "E"),
    ("RA", "RA+RP", True, ("ok", "ok", "E"), ("E", ""), "ok"),
    ("RP", "-", True, ("E", "", ""), ("E", ""), "E"),
    ("RP", "RA", True, ("E", "", ""), ("E", ""), "E"),
    ("RP", "RP", True, ("ok", "ok", "ok"), ("ok", "ok"), "ok"),
    ("RP", "RP", False, ("E", "", ""), ("E", ""), "E"),
    ("RP", "RA+RP", True, ("ok", "ok", "ok"), ("ok", "ok"), "ok"),
    ("RP", "RA+RP", False, ("E", "", ""), ("E", ""), "E"),
    ("RA+RP", "-", True, ("E", "", ""), ("E", ""), "E"),
    ("RA+RP", "RA", True, ("ok", "ok", "E"), ("E", ""), "ok"),
    ("RA+RP", "RP", True, ("ok", "ok", "ok"), ("ok", "ok"), "ok"),
    ("RA+RP", "RP", False, ("E", "", ""), ("E", ""), "E"),
    ("RA+RP", "RA+RP", True, ("ok", "ok", "ok"), ("ok", "ok"), "ok"),
    ("RA+RP", "RA+RP", False, ("ok", "ok", "E"), ("E", ""), "ok"),
]
OVERLAPPING = [
    ("0.0.0.0", "127.0.0.1"),
    ("::", "0.0.0.0"),
    ("127.0.0.1", "127.0.0.1"),
    ("::1", "::"),
]


def _try(fn: object, *args: object, **kw: object) -> tuple[str, object]:
    try:
        return "ok", fn(*args, **kw)  # type: ignore[operator]
    except PortInUse:
        return "E", None


@pytest.mark.parametrize(("a", "b"), OVERLAPPING)
@pytest.mark.parametrize(("o1", "o2", "same_uid", "bound", "listening", "udp"), TABLE_3)
def test_socket_options(
    o1: str,
    o2: str,
    same_uid: bool,
    bound: tuple[str, ...],
    listening: tuple[str, ...],
    udp: str,
    a: str,
    b: str,
) -> None:
    ra1, rp1 = OPTS[o1]
    ra2, rp2 = OPTS[o2]
    uid2 = 0 if same_uid else 65534
    # TCP, first only bound: bind#2 -> listen#2 -> listen#1
    ns, s1 = NetworkNamespace(unprivileged_port_start=0).bind(
        "one", a, 9000, reuse_address=ra1, reuse_port=rp1
    )
    got, res = _try(ns.bind, "two", b, 9000, reuse_address=ra2, reuse_port=rp2, uid=uid2)
    seen = [got]
    if got == "ok":
        ns, s2 = res  # type: ignore[misc]
        got, res = _try(ns.listen, s2)
        seen.append(got)
        ns = res if got == "ok" else ns  # type: ignore[assignment]
        seen.append(_try(ns.listen, s1)[0])
    assert tuple(seen) == tuple(x for x in bound if x)
    # TCP, first listening
    ns, s1 = NetworkNamespace(unprivileged_port_start=0).bind(
        "one", a, 9000, reuse_address=ra1, reuse_port=rp1
    )
    ns = ns.listen(s1)
    got, res = _try(ns.bind, "two", b, 9000, reuse_address=ra2, reuse_port=rp2, uid=uid2)
    seen = [got]
    if got == "ok":
        ns, s2 = res  # type: ignore[misc]
        seen.append(_try(ns.listen, s2)[0])
    assert tuple(seen) == tuple(x for x in listening if x)
    # UDP
    ns, _ = NetworkNamespace(unprivileged_port_start=0).bind(
        "one", a, 9000, protocol="UDP", reuse_address=ra1, reuse_port=rp1
    )
    assert (
        _try(ns.bind, "two", b, 9000, protocol="UDP", reuse_address=ra2, reuse_port=rp2, uid=uid2)[
            0
        ]
        == udp
    )


def test_protocols_are_separate_port_spaces() -> None:
    ns = NetworkNamespace()
    for proto in ("TCP", "UDP", "SCTP"):
        ns, _ = ns.bind("a", "0.0.0.0", 53, protocol=proto)
    assert len(ns.on_port(53, "UDP")) == 1


def test_close_and_release_free_the_port_at_once() -> None:
    ns, s = NetworkNamespace().bind("a", "0.0.0.0", 80)
    ns = ns.listen(s)
    ns.close(s).bind("b", "0.0.0.0", 80)
    ns2, _ = ns.bind("a", "0.0.0.0", 81, protocol="UDP")
    freed = ns2.release("a")
    assert freed.owned_by("a") == ()
    freed.bind("b", "0.0.0.0", 80)
    freed.bind("b", "0.0.0.0", 81, protocol="UDP")


# §6: TIME_WAIT and ESTABLISHED leftovers
@pytest.mark.parametrize(
    ("old", "closes", "new_address", "new_opts", "ok"),
    [
        ("-", "server", "0.0.0.0", "-", False),
        ("-", "server", "0.0.0.0", "RA", False),
        ("-", "server", "127.0.0.2", "-", True),
        ("-", "server", "::", "-", False),
        ("-", "client", "0.0.0.0", "-", True),
        ("-", "nobody", "127.0.0.1", "RA", False),
        ("RA", "server", "0.0.0.0", "RA", True),
        ("RA", "server", "0.0.0.0", "RP", False),
        ("RA", "nobody", "::", "RA", True),
        ("RP", "server", "0.0.0.0", "RP", True),
        ("RP", "server", "127.0.0.1", "RA", False),
        ("-", "server (exit)", "0.0.0.0", "-", False),
        ("RA", "server (exit)", "0.0.0.0", "RA", True),
    ],
)
def test_connection_leftovers(
    old: str, closes: str, new_address: str, new_opts: str, ok: bool
) -> None:
    ra, rp = OPTS[old]
    ns, listener = NetworkNamespace().bind("srv", "0.0.0.0", 80, reuse_address=ra, reuse_port=rp)
    ns = ns.listen(listener)
    ns, conn = ns.accept("127.0.0.1", 80)
    if closes == "server (exit)":
        ns = ns.release("srv")
    else:
        if closes != "nobody":
            ns = ns.close_connection(conn, first=closes)
        ns = ns.close(listener)
    nra, nrp = OPTS[new_opts]
    outcome = _try(ns.bind, "new", new_address, 80, reuse_address=nra, reuse_port=nrp)[0]
    assert (outcome == "ok") is ok


def test_time_wait_lasts_sixty_seconds_of_simulated_time() -> None:
    ns, listener = NetworkNamespace().bind("srv", "0.0.0.0", 80)
    ns = ns.listen(listener)
    ns, conn = ns.accept("localhost", 80)
    ns = ns.close_connection(conn).close(listener)
    with pytest.raises(PortInUse, match="time-wait"):
        ns.advance(59).bind("srv", "0.0.0.0", 80)
    ns.advance(60).bind("srv", "0.0.0.0", 80)


# §7: port 0 and privileged ports
def test_port_zero_is_deterministic_odd_first_for_tcp() -> None:
    ns = NetworkNamespace()
    ports = []
    for _ in range(3):
        ns, s = ns.bind("a", "0.0.0.0", 0)
        ports.append(s.port)
    assert ports == [32769, 32771, 32773]
    ns, u = NetworkNamespace().bind("a", "0.0.0.0", 0, protocol="UDP")
    assert u.port == 32768


def test_privileged_ports() -> None:
    ns = NetworkNamespace()  # the kernel's default unprivileged_port_start = 1024
    with pytest.raises(PortPermissionDenied) as info:
        ns.bind("a", "0.0.0.0", 80, uid=65534)
    assert info.value.errno == errno.EACCES
    assert isinstance(info.value, PermissionError)
    ns.bind("a", "0.0.0.0", 1024, uid=65534)
    ns.bind("a", "0.0.0.0", 0, uid=65534)
    ns.bind("a", "0.0.0.0", 80, uid=0)
    NetworkNamespace(unprivileged_port_start=0).bind("a", "0.0.0.0", 80, uid=65534)
    with pytest.raises(PortPermissionDenied):
        NetworkNamespace(unprivileged_port_start=80).bind("a", "0.0.0.0", 79, uid=65534)


# §9: connect
LISTENER_CASES = [
    ([("0.0.0.0", False)], ["L", "L", "L", "R", "L"]),
    ([("127.0.0.1", False)], ["L", "R", "R", "R", "L"]),
    ([("127.0.0.2", False)], ["R", "L", "R", "R", "R"]),
    ([("::", False)], ["L", "L", "L", "L", "L"]),
    ([("::", True)], ["R", "R", "R", "L", "R"]),
    ([("::1", False)], ["R", "R", "R", "L", "R"]),
    ([], ["R", "R", "R", "R", "R"]),
    ([("0.0.0.0", False), ("::", True)], ["L0", "L0", "L0", "L1", "L0"]),
    ([("127.0.0.1", False), ("127.0.0.2", False)], ["L0", "L1", "R", "R", "L0"]),
]
TARGETS = ["127.0.0.1", "127.0.0.2", "127.1.2.3", "::1", "::ffff:127.0.0.1"]


@pytest.mark.parametrize(("listeners", "expected"), LISTENER_CASES)
def test_connect_picks_the_listener_the_kernel_picks(
    listeners: list[tuple[str, bool]], expected: list[str]
) -> None:
    ns = NetworkNamespace()
    for i, (address, v6only) in enumerate(listeners):
        ns, s = ns.bind(f"L{i}", address, 80, v6only=v6only)
        ns = ns.listen(s)
    for target, want in zip(TARGETS, expected, strict=True):
        if want == "R":
            with pytest.raises(ConnectionRefused):
                ns.connect(target, 80)
        else:
            assert ns.connect(target, 80) == ("L0" if want == "L" else want)


def test_most_specific_listener_wins_with_reuseport() -> None:
    for order in (("0.0.0.0", "127.0.0.1"), ("127.0.0.1", "0.0.0.0")):
        ns = NetworkNamespace()
        for address in order:
            ns, s = ns.bind(address, address, 80, reuse_port=True)
            ns = ns.listen(s)
        assert ns.connect("127.0.0.1", 80) == "127.0.0.1"
        assert ns.connect("127.0.0.2", 80) == "0.0.0.0"


def test_bound_but_not_listening_refuses_and_udp_needs_no_listen() -> None:
    ns, _ = NetworkNamespace().bind("a", "0.0.0.0", 80)
    with pytest.raises(ConnectionRefused):
        ns.connect("127.0.0.1", 80)
    ns, _ = ns.bind("dns", "0.0.0.0", 53, protocol="UDP")
    assert ns.connect("127.0.0.1", 53, protocol="UDP") == "dns"
    with pytest.raises(ConnectionRefused):
        ns.connect("::1", 53, protocol="UDP")


def test_udp_most_recent_of_equals_receives() -> None:
    ns = NetworkNamespace()
    for owner in ("u1", "u2"):
        ns, _ = ns.bind(owner, "0.0.0.0", 53, protocol="UDP", reuse_address=True)
    assert ns.connect("127.0.0.1", 53, protocol="UDP") == "u2"


def test_localhost_hostname_and_pod_ip() -> None:
    ns = NetworkNamespace(ip="10.244.0.2", hostname="mypod")
    ns, s = ns.bind("web", "0.0.0.0", 80)
    ns = ns.listen(s)
    assert ns.connect("localhost", 80) == "web"  # ::1 refused, 127.0.0.1 answers
    assert ns.connect("mypod", 80) == "web"
    assert ns.connect("10.244.0.2", 80) == "web"
    ns, lo = ns.bind("local", "127.0.0.1", 81)
    ns = ns.listen(lo)
    with pytest.raises(ConnectionRefused):
        ns.connect("mypod", 81)  # a loopback-only server is not on the pod IP
    with pytest.raises(NetworkUnreachable):
        ns.connect("10.0.0.9", 80)
    assert "10.244.0.2\tmypod" in ns.etc_hosts


def test_bad_calls_raise_podmodel_errors() -> None:
    ns = NetworkNamespace(ip="10.244.0.2")
    with pytest.raises(AddressNotAvailable):
        ns.bind("a", "10.9.9.9", 80)
    ns.bind("a", "10.244.0.2", 80)
    for args, kw in (
        (("a", "0.0.0.0", 70000), {}),
        (("a", "0.0.0.0", 80), {"protocol": "ICMP"}),
        (("a", "not-an-ip", 80), {}),
        (("a", "::ffff:127.0.0.1", 80), {"v6only": True}),
    ):
        with pytest.raises(InvalidSocketOperation) as info:
            ns.bind(*args, **kw)  # type: ignore[arg-type]
        assert isinstance(info.value, PodmodelError)
        assert isinstance(info.value, ValueError)
    ns, u = ns.bind("a", "0.0.0.0", 53, protocol="UDP")
    with pytest.raises(InvalidSocketOperation):
        ns.listen(u)


def test_port_in_use_message_names_everything() -> None:
    ns, s = NetworkNamespace().bind("mycon1", "0.0.0.0", 80)
    ns = ns.listen(s)
    with pytest.raises(PortInUse) as info:
        ns.bind("mycon2", "::", 80)
    assert (
        str(info.value)
        == "bind [::]:80/TCP: address already in use (held by mycon1 on 0.0.0.0:80/TCP)"
    )
    assert info.value.errno == errno.EADDRINUSE
    assert isinstance(info.value, OSError)


def test_the_issue_call_shape() -> None:
    ns = NetworkNamespace()
    ns, s1 = ns.bind("mycon1", "0.0.0.0", 80)
    with pytest.raises(PortInUse):
        ns.bind(
            "mycon2",
            "::",
            80,
            protocol="TCP",
            v6only=False,
            reuse_address=False,
            reuse_port=False,
            uid=0,
        )
    ns = ns.listen(s1)
    assert ns.connect("localhost", 80) == "mycon1"
    ns = ns.close(s1)
    ns = ns.release("mycon1")
    with pytest.raises(ConnectionRefused):
        ns.connect("localhost", 80)
