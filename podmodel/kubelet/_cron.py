"""When a CronJob's schedule fires, on the simulated clock (the controller-manager's CronJob
controller uses ``robfig/cron/v3``'s standard parser; this is the same five-field syntax).

The node's clock starts at :data:`CLOCK_EPOCH` (00:00 UTC on Thursday, 1 January 2026): clock
``t`` is ``CLOCK_EPOCH + t`` seconds. Fields are ``minute hour day-of-month month day-of-week``
with ``*``, ``?``, lists, ranges, steps and the month and weekday names; the descriptors
``@yearly``, ``@annually``, ``@monthly``, ``@weekly``, ``@daily``, ``@midnight``, ``@hourly``
and ``@every <duration>``. As in robfig/cron, when both the day of month and the day of week are
restricted (neither starts with ``*`` or ``?``), a day matching either fires.

>>> s = Schedule.parse("*/15 * * * *")
>>> s.next_after(0.0), s.next_after(900.0)
(900.0, 1800.0)
>>> Schedule.parse("0 9 * * MON").next_after(0.0) / 86400  # Monday 5 January, 09:00
4.375
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import attrs

__all__ = ["CLOCK_EPOCH", "Schedule", "unix_time"]

#: The wall time of the node's clock 0.
CLOCK_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
_EPOCH_UNIX = int(CLOCK_EPOCH.timestamp())
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_DAYS = {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}
_DESCRIPTORS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
#: How far ahead a schedule is searched (robfig/cron gives up after five years too).
_HORIZON_DAYS = 5 * 366


def unix_time(clock: float) -> int:
    """The Unix time (whole seconds) of the node's clock *clock*."""
    return _EPOCH_UNIX + int(clock)


def _field(expr: str, low: int, high: int, names: dict[str, int]) -> tuple[frozenset[int], bool]:
    values: set[int] = set()
    star = False
    for part in expr.split(","):
        rng, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if rng in ("*", "?"):
            start, end = low, high
            star = star or step == 1
        else:
            a, _, b = rng.partition("-")
            start = names[a.lower()] if a.lower() in names else int(a)
            end = (names[b.lower()] if b.lower() in names else int(b)) if b else start
            if step_text and not b:
                end = high
        if step < 1 or start < low or end > high or start > end:
            raise ValueError(part)
        values.update(range(start, end + 1, step))
    return frozenset(values), star


@attrs.frozen
class Schedule:
    """A parsed schedule: the sets of minutes, hours, days, months and weekdays that fire (or,
    for ``@every``, a fixed period), in time zone *zone*."""

    minutes: frozenset[int] = frozenset()
    hours: frozenset[int] = frozenset()
    days: frozenset[int] = frozenset()
    months: frozenset[int] = frozenset()
    weekdays: frozenset[int] = frozenset()
    either_day: bool = False
    every: float | None = None
    zone: str = "UTC"

    @classmethod
    def parse(cls, spec: str, zone: str | None = None) -> Schedule:
        """Parse *spec* (raises :class:`ValueError` for one the API server rejects)."""
        text = spec.strip()
        if text.startswith("@every "):
            total = 0.0
            rest = text[len("@every ") :].strip()
            for match in _DURATION.finditer(rest):
                total += float(match.group(1)) * _UNITS[match.group(2)]
            if not rest or _DURATION.sub("", rest) or total <= 0:
                raise ValueError(spec)
            return cls(every=max(1.0, float(int(total))), zone=zone or "UTC")
        text = _DESCRIPTORS.get(text.lower(), text)
        parts = text.split()
        if len(parts) != 5:
            raise ValueError(spec)
        minutes, _ = _field(parts[0], 0, 59, {})
        hours, _ = _field(parts[1], 0, 23, {})
        days, day_star = _field(parts[2], 1, 31, {})
        months, _ = _field(parts[3], 1, 12, _MONTHS)
        weekdays, dow_star = _field(parts[4], 0, 6, _DAYS)
        return cls(
            minutes=minutes,
            hours=hours,
            days=days,
            months=months,
            weekdays=weekdays,
            either_day=not (day_star or dow_star),
            zone=zone or "UTC",
        )

    def _day_matches(self, day: dt.datetime) -> bool:
        dom = day.day in self.days
        dow = (day.isoweekday() % 7) in self.weekdays
        return (dom or dow) if self.either_day else (dom and dow)

    def next_after(self, clock: float) -> float | None:
        """The first firing strictly after *clock* (``None`` if none in five years)."""
        if self.every is not None:
            return (clock // self.every + 1) * self.every
        try:
            tz: dt.tzinfo = zoneinfo.ZoneInfo(self.zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            tz = dt.timezone.utc
        start = (CLOCK_EPOCH + dt.timedelta(seconds=clock // 60 * 60 + 60)).astimezone(tz)
        day = start.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
        first = start.replace(tzinfo=None)
        for _ in range(_HORIZON_DAYS):
            if day.month in self.months and self._day_matches(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        local = day.replace(hour=hour, minute=minute)
                        if local < first:
                            continue
                        when = local.replace(tzinfo=tz).astimezone(dt.timezone.utc)
                        seconds = (when - CLOCK_EPOCH).total_seconds()
                        if seconds > clock:
                            return seconds
            day += dt.timedelta(days=1)
        return None
