"""Properties of NetworkNamespace over random operation sequences."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from podmodel import NetworkNamespace
from podmodel import strategies as pst
from podmodel.kernel.network import may_share, overlap


def _apply(ns: NetworkNamespace, sockets: list[Any], op: dict[str, Any]) -> NetworkNamespace:
    return pst.apply_network_operation(ns, sockets, op)[0]  # type: ignore[no-any-return]


@given(pst.network_operations(max_size=20))
def test_no_two_sockets_ever_conflict(seq: list[dict[str, Any]]) -> None:
    ns, sockets = NetworkNamespace(), []
    for op in seq:
        ns = _apply(ns, sockets, op)
        live = list(ns)
        for i, a in enumerate(live):
            for b in live[i + 1 :]:
                if a.protocol == b.protocol and a.port == b.port and overlap(a, b):
                    assert may_share(a, b) or may_share(b, a)
                    both_listen = a.listening and b.listening
                    assert not both_listen or (a.reuse_port and b.reuse_port and a.uid == b.uid)


@given(pst.network_operations(max_size=20))
def test_operations_never_mutate_their_input(seq: list[dict[str, Any]]) -> None:
    ns, sockets = NetworkNamespace(), []
    for op in seq:
        before = (list(ns), ns.clock, ns.next_id)
        frozen = ns
        ns = _apply(ns, sockets, op)
        assert (list(frozen), frozen.clock, frozen.next_id) == before


@given(pst.network_operations(max_size=20), st.sampled_from(["a", "b", "c"]))
def test_release_frees_exactly_the_owners_sockets(seq: list[dict[str, Any]], owner: str) -> None:
    ns, sockets = NetworkNamespace(), []
    for op in seq:
        ns = _apply(ns, sockets, op)
    after = ns.release(owner)
    assert after.owned_by(owner) == ()
    assert [s for s in ns if s.owner != owner] == list(after)
