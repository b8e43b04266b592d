"""IP address values as the API server's legacy fields take them (private).

``hostAliases[].ip`` and ``dnsConfig.nameservers[]`` are checked with
``IsValidIPForLegacyField``: without the ``StrictIPCIDRValidation`` gate (alpha in v1.33, off by
default in v1.35) it parses with ``netutils.ParseIPSloppy``, Go 1.16's ``net.ParseIP``, which
reads IPv4 octets with leading zeros as decimal (``010`` is 10). ``GetWarningsForIP`` then warns
about such values, about IPv4-mapped IPv6 addresses, and about IPv6 text that is not RFC 5952's.
"""

from __future__ import annotations

import ipaddress

__all__ = ["ip_warning", "parse_ip_sloppy"]

IP = ipaddress.IPv4Address | ipaddress.IPv6Address


def _sloppy_v4(text: str) -> ipaddress.IPv4Address | None:
    parts = text.split(".")
    if len(parts) != 4 or not all(p and p.isascii() and p.isdigit() for p in parts):
        return None
    octets = [int(p) for p in parts]
    if any(o > 255 for o in octets):
        return None
    return ipaddress.IPv4Address(bytes(octets))


def parse_ip_sloppy(value: object) -> IP | None:
    """``netutils.ParseIPSloppy``: the address, or ``None`` when Go would not parse it.

    >>> str(parse_ip_sloppy("010.001.02.3")), parse_ip_sloppy("1.2.3"), parse_ip_sloppy("fe80::1%e")
    ('10.1.2.3', None, None)
    """
    if not isinstance(value, str) or not value.isascii() or "%" in value:
        return None
    if ":" not in value:
        return _sloppy_v4(value)
    head, _, last = value.rpartition(":")
    if "." in last:  # an IPv6 address ending in dotted IPv4, whose octets may be sloppy too
        v4 = _sloppy_v4(last)
        if v4 is None:
            return None
        value = f"{head}:{v4}"
    try:
        return ipaddress.IPv6Address(value)
    except ValueError:
        return None


def _go_string(ip: IP) -> str:
    """``net.IP.String()``: an IPv4-mapped IPv6 address prints as IPv4."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def ip_warning(value: str) -> str | None:
    """``GetWarningsForIP``'s text after the path, for a value ``parse_ip_sloppy`` accepts.

    >>> ip_warning("05.06.07.08")
    'non-standard IP address "05.06.07.08" will be considered invalid in a future Kubernetes release: use "5.6.7.8"'
    >>> ip_warning("2001:db8:0:0::2")
    'IPv6 address "2001:db8:0:0::2" should be in RFC 5952 canonical format ("2001:db8::2")'
    >>> ip_warning("10.0.0.1") is None
    True
    """
    ip = parse_ip_sloppy(value)
    if ip is None:
        return None
    try:
        strict: IP | None = ipaddress.ip_address(value)  # netip.ParseAddr: no leading zeros
    except ValueError:
        strict = None
    mapped = isinstance(strict, ipaddress.IPv6Address) and strict.ipv4_mapped is not None
    if strict is None or mapped:
        return (
            f'non-standard IP address "{value}" will be considered invalid in a future '
            f'Kubernetes release: use "{_go_string(ip)}"'
        )
    if isinstance(strict, ipaddress.IPv6Address) and str(strict) != value:
        return f'IPv6 address "{value}" should be in RFC 5952 canonical format ("{strict}")'
    return None
