"""What each container of a pod did over time: the record behind the restart timeline.

The node records, at every transition the kubelet makes for a pod (a start, an exit, a probe, a
script waking up) and at the end of every :meth:`Node.advance <podmodel.kubelet.node.Node.advance>`,
what each container is doing: ``running``, ``waiting`` (being created, pulling, missing
configuration), ``backoff`` (waiting to be restarted), ``done`` (completed) or ``failed``
(exited non-zero, not restarted), and marks each restart, failed probe and OOM kill. A
:class:`PodHistory` keeps that as spans and marks, at most :data:`MAX_SPANS` spans and as many
marks (the oldest go first, and the record then starts later: :attr:`PodHistory.complete_from`),
so a pod that crash-loops for weeks keeps a bounded state.
:attr:`RunningPod.history <podmodel.kubelet.node.RunningPod.history>` gives it as a
:class:`History`, which :func:`podmodel.display.timeline.render_timeline` draws.

>>> h = PodHistory().add(0, ("web",), (("running", 0, 0.0, 0, None),))
>>> h = h.add(4, ("web",), (("backoff", 0, 0.0, 0, None),))
>>> h = h.add(14, ("web",), (("running", 1, 14.0, 0, None),))
>>> v = h.view("p", ("web",), 20)
>>> [(s.start, s.end, s.kind) for s in v.spans], [(m.time, m.kind) for m in v.marks]
([(0.0, 4.0, 'running'), (4.0, 14.0, 'backoff'), (14.0, 20.0, 'running')], [(14.0, 'restart')])
"""

from __future__ import annotations

import attrs

from podmodel.model._frozen import replace

__all__ = ["MAX_SPANS", "Facts", "History", "Mark", "PodHistory", "Span"]

#: Most finished spans (and, apart, most marks) one pod keeps: a container crash-looping with
#: the longest back-off adds two spans every five minutes, so about 40 hours of it.
MAX_SPANS = 1_000

#: What one container is doing at one moment: its activity (``running``, ``waiting``,
#: ``backoff``, ``done``, ``failed``), its restart count, when its current instance started,
#: its probes' failure count, and when the OOM killer last ended it (``None``: never).
Facts = tuple[str, int, "float | None", int, "float | None"]


@attrs.frozen
class Span:
    """What *container* did from *start* to *end* (seconds of simulated time): ``running``,
    ``waiting`` (being created, pulling, missing configuration), ``backoff`` (waiting to be
    restarted), ``done`` (completed) or ``failed`` (exited non-zero, not restarted)."""

    container: str
    start: float
    end: float
    kind: str


@attrs.frozen
class Mark:
    """Something that happened to *container* at *time*: ``restart``, ``probe`` (a probe
    failed) or ``oom`` (the kernel's OOM killer ended it)."""

    container: str
    time: float
    kind: str


@attrs.frozen
class History:
    """The spans and marks of pod *name*'s containers, from *start* to *end*."""

    name: str
    start: float
    end: float
    containers: tuple[str, ...]
    spans: tuple[Span, ...]
    marks: tuple[Mark, ...]


@attrs.frozen(kw_only=True)
class PodHistory:
    """The bounded record of what a pod's containers did (see the module docstring).

    ``complete_from``: from when on the record is whole (the first record's time, or later
    once old spans or marks were dropped; ``None``: nothing recorded yet); ``closed``: the
    finished spans, oldest first; ``marks``; ``current``: each container's span still going on
    (start, activity); ``seen``: each container's facts at the last record; ``dropped``: how
    many spans and marks were dropped to keep the bound.
    """

    complete_from: float | None = None
    closed: tuple[Span, ...] = ()
    marks: tuple[Mark, ...] = ()
    current: tuple[tuple[float, str], ...] = ()
    seen: tuple[Facts, ...] = ()
    dropped: int = 0
    #: the container statuses *seen* was taken from (the node skips unchanged ones)
    statuses: tuple[object, ...] = attrs.field(default=(), eq=False, repr=False)

    def __repr__(self) -> str:
        return (
            f"PodHistory({len(self.closed)} spans, {len(self.marks)} marks, "
            f"from {self.complete_from!r})"
        )

    def add(self, now: float, names: tuple[str, ...], facts: tuple[Facts, ...]) -> PodHistory:
        """This record with each container's *facts* at *now* (containers named *names*, in
        the pod's order); ``self`` when nothing changed."""
        now = float(now)
        if self.complete_from is None:
            return PodHistory(
                complete_from=now,
                current=tuple((now, f[0]) for f in facts),
                seen=tuple((f[0], 0, None, 0, None) for f in facts),
            ).add(now, names, facts)
        if facts == self.seen:
            return self
        closed, marks = list(self.closed), list(self.marks)
        current = list(self.current)
        for i, (fact, old) in enumerate(zip(facts, self.seen, strict=True)):
            if fact == old:
                continue
            name = names[i]
            kind, restarts, started, failures, oom = fact
            start, was = current[i]
            if kind != was:
                if start < now:
                    closed.append(Span(name, start, now, was))
                    current[i] = (now, kind)
                else:  # two changes at one moment: only the last counts
                    current[i] = _reopen(closed, name, now, kind)
            when = started if started is not None else now
            marks += [Mark(name, when, "restart")] * max(restarts - old[1], 0)
            if failures > old[3]:
                marks.append(Mark(name, now, "probe"))
            if oom is not None and oom != old[4]:
                marks.append(Mark(name, oom, "oom"))
        complete, dropped = self.complete_from, self.dropped
        if len(closed) > MAX_SPANS:
            cut = len(closed) - MAX_SPANS
            complete = max(complete, *(s.end for s in closed[:cut]))
            closed, dropped = closed[cut:], dropped + cut
        if len(marks) > MAX_SPANS:
            cut = len(marks) - MAX_SPANS
            complete = max(complete, *(m.time for m in marks[:cut]))
            marks, dropped = marks[cut:], dropped + cut
        return replace(
            self,
            complete_from=complete,
            closed=tuple(closed),
            marks=tuple(marks),
            current=tuple(current),
            seen=facts,
            dropped=dropped,
        )

    def view(self, name: str, containers: tuple[str, ...], end: float) -> History:
        """The record as a :class:`History` of pod *name* (its containers named *containers*,
        in the pod's order) up to *end* (the node's clock): spans in container order, each
        container's in time order, cut at the start of the complete record."""
        start = self.complete_from if self.complete_from is not None else float(end)
        end = max(float(end), start)
        order = {n: i for i, n in enumerate(containers)}
        ongoing = [Span(n, s, end, k) for n, (s, k) in zip(containers, self.current, strict=False)]
        spans = [
            attrs.evolve(s, start=max(s.start, start))
            for s in (*(c for c in self.closed if c.end > start), *ongoing)
        ]
        marks = [m for m in self.marks if m.time >= start]
        return History(
            name=name,
            start=start,
            end=end,
            containers=containers,
            spans=tuple(sorted(spans, key=lambda s: order.get(s.container, len(order)))),
            marks=tuple(sorted(marks, key=lambda m: order.get(m.container, len(order)))),
        )


def _reopen(closed: list[Span], name: str, now: float, kind: str) -> tuple[float, str]:
    """The current span of container *name* after a change back at *now*: the span it just
    closed (ending at *now*) goes on if it was of *kind*."""
    for j in range(len(closed) - 1, -1, -1):
        s = closed[j]
        if s.container == name:
            if s.end == now and s.kind == kind:
                del closed[j]
                return (s.start, kind)
            break
    return (now, kind)
