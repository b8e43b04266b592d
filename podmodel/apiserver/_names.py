"""Kubernetes' name and value syntax checks, with its exact messages (private).

Ported from apimachinery ``pkg/util/validation/validation.go`` and
``pkg/api/validate/content`` (v0.35.4). Each function returns the list of failure messages, as the
Go functions do; an empty list means the value is fine. Lengths are in bytes, as Go's ``len``
counts them, and every pattern must match the whole value (Go's ``^...$``, Python's
``fullmatch``: ``re.match`` with ``$`` would accept a trailing newline).
"""

from __future__ import annotations

import re

__all__ = [
    "inclusive_range",
    "is_config_map_key",
    "is_dns1123_label",
    "is_dns1123_subdomain",
    "is_env_var_name",
    "is_label_value",
    "is_qualified_name",
    "is_relaxed_env_var_name",
    "is_valid_port_name",
    "regex_error",
]

_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_LABEL_RE = re.compile(_LABEL_FMT)
_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character"
)
_SUBDOMAIN_FMT = _LABEL_FMT + "(\\." + _LABEL_FMT + ")*"
_SUBDOMAIN_RE = re.compile(_SUBDOMAIN_FMT)
_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character"
)
_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_KEY_RE = re.compile(_KEY_FMT)
_KEY_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character"
)
# a valid qualified name, lengths aside: an optional subdomain prefix and "/", then a name part
_QUALIFIED_RE = re.compile(f"(?:{_SUBDOMAIN_FMT}/)?{_KEY_FMT}")
_VALUE_FMT = f"({_KEY_FMT})?"
_VALUE_RE = re.compile(_VALUE_FMT)
_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character"
)
_ENV_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
_ENV_RE = re.compile(_ENV_FMT)
_ENV_MSG = (
    "a valid environment variable name must consist of alphabetic characters, digits, '_', "
    "'-', or '.', and must not start with a digit"
)
_RELAXED_ENV_MSG = (
    "a valid environment variable name must consist only of printable ASCII characters other "
    "than '='"
)
_CM_KEY_FMT = "[-._a-zA-Z0-9]+"
_CM_KEY_RE = re.compile(_CM_KEY_FMT)
_CM_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
_PORT_NAME_RE = re.compile("[-a-z0-9]+")


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """apimachinery's ``RegexError`` (note the two spaces before each ``or``)."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    out = msg + " (e.g. "
    for i, ex in enumerate(examples):
        if i:
            out += " or "
        out += f"'{ex}', "
    return out + f"regex used for validation is '{fmt}')"


def inclusive_range(lo: int, hi: int) -> str:
    """apimachinery's ``InclusiveRangeError``."""
    return f"must be between {lo} and {hi}, inclusive"


def _max_len(n: int, unit: str = "characters") -> str:
    return f"must be no more than {n} {unit}"


def is_dns1123_label(value: str) -> list[str]:
    """``IsDNS1123Label``: at most 63 characters, ``[a-z0-9]([-a-z0-9]*[a-z0-9])?``."""
    errs = []
    if len(value.encode()) > 63:
        errs.append(_max_len(63))
    if not _LABEL_RE.fullmatch(value):
        if _SUBDOMAIN_RE.fullmatch(value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(_LABEL_MSG, _LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str, unit: str = "characters") -> list[str]:
    """``IsDNS1123Subdomain``: at most 253 characters, dot-separated labels."""
    errs = []
    if len(value.encode()) > 253:
        errs.append(_max_len(253, unit))
    if not _SUBDOMAIN_RE.fullmatch(value):
        errs.append(regex_error(_SUBDOMAIN_MSG, _SUBDOMAIN_FMT, "example.com"))
    return errs


def is_qualified_name(value: str) -> list[str]:
    """``content.IsLabelKey`` (= ``IsQualifiedName``): ``[prefix/]name``; v1.35 says bytes."""
    if _QUALIFIED_RE.fullmatch(value):  # the usual valid key, in one match (ASCII: bytes = len)
        prefix, _, name = value.rpartition("/")
        if len(name) <= 63 and len(prefix) <= 253:
            return []
    parts = value.split("/")
    errs: list[str] = []
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + m for m in is_dns1123_subdomain(prefix, "bytes"))
    else:
        return [
            "a valid label key "
            + regex_error(_KEY_MSG, _KEY_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name.encode()) > 63:
        errs.append("name part " + _max_len(63, "bytes"))
    if not _KEY_RE.fullmatch(name):
        errs.append("name part " + regex_error(_KEY_MSG, _KEY_FMT, "MyName", "my.name", "123-abc"))
    return errs


def is_label_value(value: str) -> list[str]:
    """``content.IsLabelValue``: empty, or a qualified name part of at most 63 bytes."""
    errs = []
    if len(value.encode()) > 63:
        errs.append(_max_len(63, "bytes"))
    if not _VALUE_RE.fullmatch(value):
        errs.append(regex_error(_VALUE_MSG, _VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def _chdir_prefix(value: str) -> list[str]:
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


def is_env_var_name(value: str) -> list[str]:
    """``IsEnvVarName``: the strict rule of Kubernetes ≤ 1.31."""
    errs = []
    if not _ENV_RE.fullmatch(value):
        errs.append(regex_error(_ENV_MSG, _ENV_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"))
    return errs + _chdir_prefix(value)


# anything but printable ASCII (0x20-0x7e), and "=" (0x3d)
_NOT_RELAXED = re.compile("[^\x20-\x3c\x3e-\x7e]")


def is_relaxed_env_var_name(value: str) -> list[str]:
    """``IsRelaxedEnvVarName``: printable ASCII except ``=`` (Kubernetes ≥ 1.32)."""
    errs = []
    if not value:
        errs.append("environment variable name must be non-empty")
    if _NOT_RELAXED.search(value):
        errs.append(_RELAXED_ENV_MSG)
    return errs


def is_config_map_key(value: str) -> list[str]:
    """``IsConfigMapKey``: the key of a ConfigMap or Secret."""
    errs = []
    if len(value.encode()) > 253:
        errs.append(_max_len(253))
    if not _CM_KEY_RE.fullmatch(value):
        errs.append(regex_error(_CM_KEY_MSG, _CM_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    return errs + _chdir_prefix(value)


def is_valid_port_name(port: str) -> list[str]:
    """``IsValidPortName`` (IANA_SVC_NAME); every failing rule is its own message."""
    errs = []
    if len(port.encode()) > 15:
        errs.append(_max_len(15))
    if not _PORT_NAME_RE.fullmatch(port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search("[a-z]", port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs
