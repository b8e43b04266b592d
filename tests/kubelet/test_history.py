"""The history a running pod carries (what each container did): recorded as the node runs,
immutable, bounded."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st

import podmodel
from podmodel.kubelet import history as history_module
from podmodel.kubelet.history import MAX_SPANS, PodHistory

if TYPE_CHECKING:
    import pytest

CONFLICT = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: nginx}
  - {name: b, image: nginx}
"""


def _pod(seconds: float, manifest: str = CONFLICT) -> podmodel.RunningPod:
    return podmodel.Node().start(podmodel.loads(manifest)).advance(seconds).pod("p")


def test_a_crash_loop_is_recorded_span_by_span() -> None:
    h = _pod(60).history
    assert (h.name, h.start, h.end, h.containers) == ("p", 0.0, 60.0, ("a", "b"))
    assert [(s.start, s.end, s.kind) for s in h.spans if s.container == "b"] == [
        (0.0, 4.0, "running"),
        (4.0, 14.0, "backoff"),
        (14.0, 16.0, "running"),
        (16.0, 36.0, "backoff"),
        (36.0, 38.0, "running"),
        (38.0, 60.0, "backoff"),
    ]
    assert [(m.time, m.kind) for m in h.marks] == [
        (2.0, "restart"),
        (14.0, "restart"),
        (36.0, "restart"),
    ]


def test_advancing_in_steps_records_the_same_history() -> None:
    node = podmodel.Node().start(podmodel.loads(CONFLICT))
    stepped = node.advance(7).advance(0).advance(23).advance(30).pod("p").history
    assert stepped == node.advance(60).pod("p").history
    assert node.pod("p").history.end == 0.0  # the node it started from is unchanged


def test_the_record_is_bounded_and_says_from_when_it_is_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(history_module, "MAX_SPANS", 6)
    p = _pod(3600)
    record = p.state.history
    assert len(record.closed) <= 6
    assert len(record.marks) <= 6
    assert record.dropped > 0
    h = p.history
    assert h.start == record.complete_from
    assert h.start > 0
    assert all(s.start >= h.start and s.end <= h.end for s in h.spans)
    assert all(m.time >= h.start for m in h.marks)


def test_repr_stays_short() -> None:
    p = _pod(600)
    assert len(repr(p.state.history)) < 80
    assert repr(p).count("\n") == 0


_KINDS = st.sampled_from(["running", "waiting", "backoff", "done", "failed"])


@settings(max_examples=50, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.floats(0, 50), _KINDS, st.integers(0, 2), st.booleans()),
        max_size=MAX_SPANS // 10,
    )
)
def test_spans_tile_the_record_without_gaps(steps: list[tuple[float, str, int, bool]]) -> None:
    h, now, restarts, failures = PodHistory(), 0.0, 0, 0
    h = h.add(0, ("c",), (("waiting", 0, None, 0, None),))
    for dt, kind, more, failed in steps:
        now += dt
        restarts, failures = restarts + more, failures + failed
        before = h
        h = h.add(now, ("c",), ((kind, restarts, now, failures, None),))
        assert before.add(now, ("c",), ((kind, restarts, now, failures, None),)) == h
    view = h.view("p", ("c",), now)
    spans = view.spans
    assert spans[0].start == 0.0
    assert spans[-1].end == now
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))
    assert all(a.kind != b.kind for a, b in itertools.pairwise(spans))
    assert sum(m.kind == "restart" for m in view.marks) == restarts
    assert sum(m.kind == "probe" for m in view.marks) <= failures
