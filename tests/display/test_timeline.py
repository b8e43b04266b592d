"""The restart timeline: what each container did, replayed transition by transition."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

import podmodel
from podmodel import strategies as pst
from podmodel.display.timeline import history, render_timeline


def _start(manifest: str) -> podmodel.Node:
    return podmodel.Node().start(podmodel.loads(manifest))


def test_the_port_conflict_crash_loop(seed_experiments: dict[str, str]) -> None:
    h = history(_start(seed_experiments["port-conflict"]), "mypod", 60)
    spans = [(s.start, s.end, s.kind) for s in h.spans if s.container == "mycon2"]
    # two quick failures (the first restart is immediate), then back-off gaps of 10 s and 20 s
    assert spans == [
        (0.0, 4.0, "running"),
        (4.0, 14.0, "backoff"),
        (14.0, 16.0, "running"),
        (16.0, 36.0, "backoff"),
        (36.0, 38.0, "running"),
        (38.0, 60.0, "backoff"),
    ]
    assert [m.time for m in h.marks if m.container == "mycon2"] == [2.0, 14.0, 36.0]
    assert [s.kind for s in h.spans if s.container == "mycon1"] == ["running"]


def test_oom_kills_and_probe_failures_are_marked() -> None:
    oom = history(
        _start(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            "  - {name: r, image: redis, resources: {limits: {memory: 1Mi}}}\n"
        ),
        "p",
        60,
    )
    assert [(m.time, m.kind) for m in oom.marks if m.kind == "oom"] == [
        (0.0, "oom"),
        (10.0, "oom"),
        (30.0, "oom"),
    ]
    probed = history(
        _start(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            "  - name: web\n    image: nginx\n"
            "    livenessProbe: {httpGet: {path: /, port: 81}, periodSeconds: 5}\n"
        ),
        "p",
        30,
    )
    assert any(m.kind == "probe" for m in probed.marks)
    assert any(s.kind == "backoff" for s in probed.spans)


def test_the_picture_has_a_lane_per_container_and_a_legend(
    seed_experiments: dict[str, str],
) -> None:
    svg = render_timeline(history(_start(seed_experiments["port-conflict"]), "mypod", 60))
    root = ET.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"mycon1", "mycon2", "mycon3", "back-off", "restart", "OOM kill"} <= set(texts)
    assert "prefers-color-scheme: dark" in svg


@settings(max_examples=40, deadline=None)
@given(pod=pst.pods(), seconds=st.sampled_from([0, 1, 30, 400]))
def test_spans_tile_the_record_and_restarts_add_up(pod: podmodel.Pod, seconds: int) -> None:
    start = podmodel.Node().start(pod)
    ns = pod.metadata.namespace or "default"
    h = history(start, pod.name, seconds, ns)
    end = start.advance(seconds).pod(pod.name, ns)
    for c in end.containers:
        spans = [s for s in h.spans if s.container == c.name]
        assert spans[0].start == 0
        assert spans[-1].end == seconds
        assert all(a.end == b.start and a.kind != b.kind for a, b in itertools.pairwise(spans))
        restarts = [m for m in h.marks if m.container == c.name and m.kind == "restart"]
        assert len(restarts) == c.restart_count
    svg = render_timeline(h)
    assert svg == render_timeline(h)
    ET.fromstring(svg)
