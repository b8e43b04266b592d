"""A restart timeline: which container ran when, its back-off gaps, probe failures and OOM kills.

The node records what each container of a pod does as it runs
(:attr:`RunningPod.history <podmodel.kubelet.node.RunningPod.history>`, bounded: see
:mod:`podmodel.kubelet.history`); :func:`history` gets the same record by replaying a node from
a moment (usually just after ``start``) to a later one, stopping at every transition the kubelet
makes (a start, an exit, a probe, a script waking up), from any node and with no bound. :func:`render_timeline` draws it as SVG:
one row per container, coloured spans (running, waiting to be created, back-off, completed,
failed), and marks for each restart (│), failed probe (▾) and OOM kill (✕).
``podmodel run FILE --timeline out.svg`` writes it.

>>> import podmodel
>>> pod = podmodel.loads('''
... apiVersion: v1
... kind: Pod
... metadata: {name: mypod}
... spec:
...   containers:
...   - {name: web, image: nginx}
...   - {name: web2, image: nginx}
... ''')
>>> h = history(podmodel.Node().start(pod), "mypod", 30)
>>> [(s.start, s.end, s.kind) for s in h.spans if s.container == "web2"][:3]
[(0.0, 4.0, 'running'), (4.0, 14.0, 'backoff'), (14.0, 16.0, 'running')]
>>> [m.time for m in h.marks if m.kind == "restart"]  # the first restart is immediate
[2.0, 14.0]
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

import attrs

from podmodel.kubelet._recording import activity as _kind
from podmodel.kubelet.history import History, Mark, Span
from podmodel.kubelet.lifecycle import human_duration

if TYPE_CHECKING:
    from podmodel.kubelet.node import Node, RunningPod
    from podmodel.kubelet.state import ContainerStatus

__all__ = ["MAX_STEPS", "History", "Mark", "Span", "history", "render_timeline"]

#: Most transitions :func:`history` replays one by one; past them it samples the rest of the
#: span in equal steps (a script that wakes every second for an hour would need 3,600).
MAX_STEPS = 2_000


def _due(node: Node, after: float) -> float | None:
    """The earliest moment after *after* when the kubelet has something to do."""
    times = []
    for st in node.pods.values():
        for c in st.containers:
            times += [c.due(), c.probes.due() if c.probes is not None else None]
            times.append(c.wake_at if c.state == "running" else None)
    later = [t for t in times if t is not None and math.isfinite(t) and t > after]
    return min(later) if later else None


def _failures(c: ContainerStatus) -> int:
    return sum(c.probes.failures) if c.probes is not None else 0


def history(node: Node, name: str, until: float, namespace: str = "default") -> History:
    """Replay *node* to *until* (a time on its clock) and record what each container of pod
    *name* did. The pod must be on *node*; a pod that leaves it (deleted) ends the record.

    Raises:
        PodNotFound: No such pod on *node*.
        NodeError: *until* is before the node's clock.
    """
    start = node.clock
    names = tuple(c.name for c in node.pod(name, namespace).containers)
    samples: list[tuple[float, RunningPod]] = [(start, node.pod(name, namespace))]
    born = min((e.first_time for e in samples[0][1].events), default=start)
    key = f"{namespace}/{name}"
    steps = 0
    while node.clock < until and key in node.pods:
        nxt = _due(node, node.clock)
        if steps >= MAX_STEPS:  # sample what is left in 500 equal steps
            nxt = node.clock + max((until - start) / 500, 1.0)
        if nxt is None or nxt > until:
            nxt = until
        node = node.advance(nxt - node.clock)
        steps += 1
        if key in node.pods:
            samples.append((node.clock, node.pod(name, namespace)))
    spans: list[Span] = []
    marks: list[Mark] = []
    for i, cname in enumerate(names):
        current: tuple[float, str] | None = None
        first = samples[0][1].containers[i]
        if born == start:  # the record starts with the pod: what start() did is shown too
            first = attrs.evolve(first, restart_count=0, finished_at=None, probes=None)
        prev = first
        for t, p in samples:
            c = p.containers[i]
            kind = _kind(c)
            if current is None:
                current = (t, kind)
            elif kind != current[1]:
                spans.append(Span(cname, current[0], t, current[1]))
                current = (t, kind)
            when = c.started_at if c.started_at is not None else t
            marks += [Mark(cname, when, "restart")] * (c.restart_count - prev.restart_count)
            if _failures(c) > _failures(prev):
                marks.append(Mark(cname, t, "probe"))
            # (a restart clears finished_at: only a new finish is a kill)
            if (
                c.last_reason == "OOMKilled"
                and c.finished_at is not None
                and c.finished_at != prev.finished_at
            ):
                marks.append(Mark(cname, c.finished_at, "oom"))
            prev = c
        if current is not None:
            spans.append(Span(cname, current[0], samples[-1][0], current[1]))
    end = max(samples[-1][0], until)
    return History(name, start, end, names, tuple(spans), tuple(marks))


_STYLE = """
text { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; font-size: 12px; fill: #1f2328; }
.title { font-size: 15px; font-weight: bold; }
.small { font-size: 11px; fill: #57606a; }
.bg { fill: #ffffff; }
.lane { fill: #f6f8fa; }
.axis { stroke: #57606a; stroke-width: 1; }
.running { fill: #1a7f37; }
.waiting { fill: #bf8700; }
.backoff { fill: #d0d7de; stroke: #9a6700; stroke-dasharray: 3 2; }
.done { fill: #8c959f; }
.failed { fill: #cf222e; }
.restart { stroke: #0969da; stroke-width: 2; }
.probe { fill: #8250df; }
.oom { fill: #cf222e; font-weight: bold; }
@media (prefers-color-scheme: dark) {
  text { fill: #e6edf3; }
  .small { fill: #9198a1; }
  .bg { fill: #0d1117; }
  .lane { fill: #161b22; }
  .axis { stroke: #9198a1; }
  .running { fill: #3fb950; }
  .waiting { fill: #d29922; }
  .backoff { fill: #30363d; stroke: #d29922; }
  .done { fill: #6e7681; }
  .failed { fill: #f85149; }
  .restart { stroke: #4493f8; }
  .probe { fill: #ab7df8; }
  .oom { fill: #f85149; }
}
"""

_LEFT = 150
_PLOT = 720
_ROW = 28
_TOP = 48
_LEGEND = (
    ("running", "running"),
    ("waiting", "being created / waiting"),
    ("backoff", "back-off"),
    ("done", "completed"),
    ("failed", "failed"),
)


def _ticks(span: float) -> list[float]:
    """About six round tick positions over *span* seconds."""
    if span <= 0:
        return [0.0]
    raw = span / 6
    step = min(
        (m * 10**e for e in range(-1, 8) for m in (1, 2, 5) if m * 10**e >= raw),
        default=raw,
    )
    for nice in (60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400):
        if raw <= nice and step > 30:
            step = nice
            break
    return [i * step for i in range(int(span // step) + 1)]


def render_timeline(h: History) -> str:
    """The :class:`History` *h* as an SVG document (a string): deterministic, self-contained,
    readable on light and dark backgrounds."""
    span = max(h.end - h.start, 1e-9)

    def x(t: float) -> float:
        return round(_LEFT + (t - h.start) / span * _PLOT, 2)

    rows = len(h.containers)
    axis_y = _TOP + rows * _ROW + 6
    height = axis_y + 70
    width = _LEFT + _PLOT + 30
    out = [f'<rect class="bg" x="0" y="0" width="{width}" height="{height}"/>']
    title = f"Pod {h.name}: what each container did, {human_duration(0)} to {human_duration(span)}"
    out.append(f'<text class="title" x="20" y="28">{escape(title)}</text>')
    lane = {name: i for i, name in enumerate(h.containers)}
    for name, i in lane.items():
        y = _TOP + i * _ROW
        out.append(f'<rect class="lane" x="{_LEFT}" y="{y}" width="{_PLOT}" height="{_ROW - 6}"/>')
        label = name if len(name) <= 20 else name[:19] + "…"
        tip = f"<title>{escape(name)}</title>" if label != name else ""
        out.append(f'<text x="20" y="{y + 16}">{tip}{escape(label)}</text>')
    for s in h.spans:
        y = _TOP + lane[s.container] * _ROW + 3
        w = max(x(s.end) - x(s.start), 1.5)
        tip = f"{s.container}: {s.kind} {s.start:g}s to {s.end:g}s"
        out.append(
            f'<rect class="{s.kind}" x="{x(s.start)}" y="{y}" width="{w:g}" height="{_ROW - 12}">'
            f"<title>{escape(tip)}</title></rect>"
        )
    for m in h.marks:
        y = _TOP + lane[m.container] * _ROW
        tip = escape(f"{m.container}: {m.kind} at {m.time:g}s")
        if m.kind == "restart":
            out.append(
                f'<line class="restart" x1="{x(m.time)}" y1="{y - 2}" x2="{x(m.time)}" '
                f'y2="{y + _ROW - 4}"><title>{tip}</title></line>'
            )
        elif m.kind == "probe":
            cx = x(m.time)
            out.append(
                f'<path class="probe" d="M{cx - 4:g},{y - 3} L{cx + 4:g},{y - 3} L{cx:g},{y + 3} z">'
                f"<title>{tip}</title></path>"
            )
        else:
            out.append(
                f'<text class="oom" x="{x(m.time)}" y="{y + 16}" text-anchor="middle">'
                f"<title>{tip}</title>✕</text>"
            )
    out.append(
        f'<line class="axis" x1="{_LEFT}" y1="{axis_y}" x2="{_LEFT + _PLOT}" y2="{axis_y}"/>'
    )
    for t in _ticks(span):
        tx = x(h.start + t)
        out.append(f'<line class="axis" x1="{tx}" y1="{axis_y}" x2="{tx}" y2="{axis_y + 5}"/>')
        out.append(
            f'<text class="small" x="{tx}" y="{axis_y + 18}" text-anchor="middle">'
            f"{escape(human_duration(t))}</text>"
        )
    lx = 20.0
    ly = axis_y + 44
    for cls, words in _LEGEND:
        out.append(f'<rect class="{cls}" x="{lx:g}" y="{ly - 10}" width="14" height="10"/>')
        out.append(f'<text class="small" x="{lx + 18:g}" y="{ly}">{escape(words)}</text>')
        lx += 26 + 6.5 * len(words)
    out.append(
        f'<line class="restart" x1="{lx + 4:g}" y1="{ly - 12}" x2="{lx + 4:g}" y2="{ly + 2}"/>'
    )
    out.append(f'<text class="small" x="{lx + 12:g}" y="{ly}">restart</text>')
    lx += 70
    out.append(
        f'<path class="probe" d="M{lx:g},{ly - 9} L{lx + 8:g},{ly - 9} L{lx + 4:g},{ly - 3} z"/>'
    )
    out.append(f'<text class="small" x="{lx + 12:g}" y="{ly}">probe failed</text>')
    lx += 100
    out.append(f'<text class="oom" x="{lx:g}" y="{ly}">✕</text>')
    out.append(f'<text class="small" x="{lx + 14:g}" y="{ly}">OOM kill</text>')
    label = quoteattr(f"Restart timeline of pod {h.name}")
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label={label}>'
    )
    return (
        "\n".join(
            [head, f"<title>{escape(title)}</title>", f"<style>{_STYLE}</style>", *out, "</svg>"]
        )
        + "\n"
    )
