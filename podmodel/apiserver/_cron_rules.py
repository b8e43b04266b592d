"""A CronJob's ``schedule`` and ``timeZone`` (private): ``cron.ParseStandard`` of
``github.com/robfig/cron/v3`` (five fields or a ``@descriptor``) with its error texts, and the
time-zone checks of ``pkg/apis/batch/validation`` v1.35."""

from __future__ import annotations

import functools
import re
import zoneinfo

__all__ = ["parse_schedule", "time_zone_problems"]

# (min, max, names) of minute, hour, day of month, month, day of week
_BOUNDS: tuple[tuple[int, int, dict[str, int]], ...] = (
    (0, 59, {}),
    (0, 23, {}),
    (1, 31, {}),
    (
        1,
        12,
        {
            m: i + 1
            for i, m in enumerate(
                ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
            )
        },
    ),
    (0, 6, {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}),
)
_DESCRIPTORS = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)
_GO_INT = re.compile(r"[+-]?[0-9]+")
_DURATION_UNIT = r"(?:ns|us|µs|μs|ms|s|m|h)"
_DURATION = re.compile(rf"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+){_DURATION_UNIT})+")
_NUMBER_ONLY = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def parse_schedule(spec: str) -> str | None:
    """The error ``cron.ParseStandard(spec)`` returns, or ``None`` when it parses."""
    if not spec:
        return "empty spec string"
    if spec.startswith(("TZ=", "CRON_TZ=")):
        space = spec.find(" ")
        name = spec[spec.find("=") + 1 : space if space >= 0 else len(spec) - 1]
        if _zone_error(name):
            return f"provided bad location {name}: unknown time zone {name}"
        spec = spec[space:].strip() if space >= 0 else ""
    if spec.startswith("@"):
        return _descriptor(spec)
    fields = spec.split()
    if len(fields) != 5:
        return f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]"
    for field, (low, high, names) in zip(fields, _BOUNDS, strict=True):
        for expr in (e for e in field.split(",") if e):
            problem = _range(expr, low, high, names)
            if problem:
                return problem
    return None


def _descriptor(spec: str) -> str | None:
    if spec in _DESCRIPTORS:
        return None
    if spec.startswith("@every "):
        text = spec[len("@every ") :]
        problem = _duration_error(text)
        return f"failed to parse duration {spec}: {problem}" if problem else None
    return f"unrecognized descriptor: {spec}"


def _duration_error(text: str) -> str | None:
    """Go's ``time.ParseDuration`` error, or ``None``."""
    if text in ("0", "+0", "-0") or _DURATION.fullmatch(text):
        return None
    if _NUMBER_ONLY.fullmatch(text):
        return f'time: missing unit in duration "{text}"'
    return f'time: invalid duration "{text}"'


def _int(expr: str) -> tuple[int | None, str]:
    """``mustParseInt``."""
    if not _GO_INT.fullmatch(expr):
        return (
            None,
            f'failed to parse int from {expr}: strconv.Atoi: parsing "{expr}": invalid syntax',
        )
    # (beyond 19 significant digits it is out of int64's range: no need to convert it)
    digits = expr.lstrip("+-").lstrip("0")
    value = int(expr) if len(digits) <= 19 else 2**63
    if not -(2**63) <= value < 2**63:
        return None, (
            f'failed to parse int from {expr}: strconv.Atoi: parsing "{expr}": value out of range'
        )
    if value < 0:
        return None, f"negative number ({value}) not allowed: {expr}"
    return value, ""


def _int_or_name(expr: str, names: dict[str, int]) -> tuple[int | None, str]:
    if expr.lower() in names:
        return names[expr.lower()], ""
    return _int(expr)


def _range(expr: str, low: int, high: int, names: dict[str, int]) -> str:
    """``getRange``: the error for one comma-separated part of a field, or ``""``."""
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    single = len(low_and_high) == 1
    if low_and_high[0] in ("*", "?"):
        start, end = low, high
    else:
        first, problem = _int_or_name(low_and_high[0], names)
        if first is None:
            return problem
        start = end = first
        if len(low_and_high) == 2:
            last, problem = _int_or_name(low_and_high[1], names)
            if last is None:
                return problem
            end = last
        elif len(low_and_high) > 2:
            return f"too many hyphens: {expr}"
    step = 1
    if len(range_and_step) == 2:
        got, problem = _int(range_and_step[1])
        if got is None:
            return problem
        step = got
        if single:
            end = high
    elif len(range_and_step) > 2:
        return f"too many slashes: {expr}"
    if start < low:
        return f"beginning of range ({start}) below minimum ({low}): {expr}"
    if end > high:
        return f"end of range ({end}) above maximum ({high}): {expr}"
    if start > end:
        return f"beginning of range ({start}) beyond end of range ({end}): {expr}"
    if step == 0:
        return f"step of range should be a positive number: {expr}"
    return ""


_ZONE_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}


def _zone_error(name: str) -> bool:
    return name not in _zones()


def time_zone_problems(zone: str) -> list[str]:
    """``validateTimeZone``: each detail for an Invalid ``timeZone`` (none when valid)."""
    if not zone:
        return ["timeZone must be nil or non-empty string"]
    for part in zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not _ZONE_PART.fullmatch(part):
            return [f"unknown time zone {zone}"]
    out = []
    if zone.lower() == "local":
        out.append(
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
        )
    if zone != "Local" and _zone_error(zone):
        out.append(f"unknown time zone {zone}")
    return out
