"""Differential test: podmodel against the real Kubernetes v1.35.4 API-server code (the oracle).

For every generated object, podmodel and the server must agree on:

* decoding: accepted or refused (``podmodel.from_dict`` raising ``DecodeError`` vs the server's
  ``decode_errors``), and the ``unknown field`` paths when both refuse;
* the validation errors as (field, Go error type, text), in the server's order;
* the create warnings, in order (only for a valid object: the server sends none with a 422);
* defaulting: ``podmodel.to_dict(podmodel.apply_defaults(pod))`` against ``defaulted``, modulo
  encoding (Go's zero values, canonical quantities; see ``schema_walk.normalize``).

Where Go ranges over a map, the order of the errors it yields is random; those errors are
compared as a multiset (``schema_walk.same_order_modulo_maps``, which names the Go loops).

The objects: (a) the public strategies ``pods()`` and ``invalid_pods()`` (Hypothesis, one object
per example), (b) the schema walk of ``tests/support/schema_walk.py`` (a plain loop over seeded
``random.Random`` draws, sent in pipelined ``check_many`` batches): a small valid pod with one to
three random fields set anywhere in the v1.35 Pod schema, as a Pod, a PodTemplate or a
ReplicationController. A Pod is checked by :func:`podmodel.validate`; the other two kinds are
decoded as themselves (:func:`podmodel.codec.object_from_dict`) and checked by
:func:`podmodel.apiserver.workloads.validate_workload`, every error and warning of the object
compared (the template's own rules, the controller's selector); the defaults of a template's
spec are compared with those of ``SetDefaults_Pod`` undone.

With CI's Hypothesis profile this runs 4,000 walked objects plus 500 examples of each
strategy; ``tools/oracle_campaign.py`` runs larger campaigns with a per-area report.
"""

from __future__ import annotations

import collections
import random
import re
from typing import TYPE_CHECKING, Any

from hypothesis import given, settings
from hypothesis import strategies as st

import podmodel
from podmodel.strategies import invalid_pods, pods
from tests.support.schema_walk import KINDS, Diff, SchemaWalk, as_kind, compare

if TYPE_CHECKING:
    from tests.support.oracle import Oracle

# Deliberate, documented disagreements: (regular expression over a differing item, reason). An
# item is an error or warning text, "decode: <text>", or "defaults: <path>". A disagreement is
# explained when every one of its items matches a row here; anything else fails the test.
# The table is empty: every difference the campaigns found has become a rule (the last rows,
# the template kinds checked as Pods and an ephemeral claim template's metadata left unencoded
# by ``to_dict``, went with typed PodTemplates and ReplicationControllers and the codec's fix).
KNOWN: tuple[tuple[str, str], ...] = ()

_KNOWN = tuple((re.compile(p), why) for p, why in KNOWN)


def explained(diff: Diff) -> bool:
    """Every differing item is listed in :data:`KNOWN`."""
    return bool(diff.items) and all(any(p.search(i) for p, _ in _KNOWN) for i in diff.items)


def unexplained(obj: dict[str, Any], answer: dict[str, Any]) -> dict[str, Diff]:
    return {k: d for k, d in compare(obj, answer).items() if not explained(d)}


def _report(failures: list[tuple[tuple[str, ...], dict[str, Any], dict[str, Diff]]], n: int) -> str:
    by_area: collections.Counter[str] = collections.Counter()
    first: dict[str, str] = {}
    for areas, obj, diff in failures:
        for area in areas:
            by_area[area] += 1
            first.setdefault(
                area,
                "; ".join(f"{k}: {d.summary}" for k, d in diff.items())
                + f"\n      object: {str(obj)[:400]}",
            )
    lines = [f"{len(failures)} of {n} objects disagree with the API server, by area:"]
    for area, count in by_area.most_common():
        lines.append(f"  {area}: {count}\n    first: {first[area]}")
    return "\n".join(lines)


def _walk_count() -> int:
    return max(400, 4 * (settings.default.max_examples or 100))


def test_schema_walk_agrees_with_the_api_server(apiserver_oracle: Oracle) -> None:
    rng = random.Random(20260)
    walk = SchemaWalk()
    n = _walk_count()
    objs = []
    for _ in range(n):
        pod, areas = walk.pod(rng)
        kind = rng.choices(KINDS, (8, 1, 1))[0]
        objs.append(
            (as_kind(pod, kind), tuple(f"{kind}:{a}" if kind != "Pod" else a for a in areas))
        )
    failures = []
    for start in range(0, n, 1000):
        batch = objs[start : start + 1000]
        answers = apiserver_oracle.check_many([o for o, _ in batch])
        for (obj, areas), answer in zip(batch, answers, strict=True):
            diff = unexplained(obj, answer)
            if diff:
                failures.append((tuple(areas), obj, diff))
    assert not failures, _report(failures, n)


def _check_pod(oracle: Oracle, pod: podmodel.Pod) -> None:
    obj = podmodel.to_dict(pod)
    diff = unexplained(obj, oracle.check(obj))
    assert not diff, "\n".join(f"{k}: {d.summary}" for k, d in diff.items()) + f"\n{obj}"


# Half the profile's examples for each strategy (500 in CI): with the walk's 4,000, over 5,000
# objects in about two minutes on a loaded 2-core machine.
_HALF = settings(max_examples=max(10, (settings.default.max_examples or 100) // 2))


@_HALF
@given(st.data())
def test_valid_pods_strategy_agrees_with_the_api_server(
    apiserver_oracle: Oracle, data: st.DataObject
) -> None:
    _check_pod(apiserver_oracle, data.draw(pods()))


@_HALF
@given(st.data())
def test_invalid_pods_strategy_agrees_with_the_api_server(
    apiserver_oracle: Oracle, data: st.DataObject
) -> None:
    pod, _expected = data.draw(invalid_pods())
    _check_pod(apiserver_oracle, pod)
