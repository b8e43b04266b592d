"""A generic ephemeral volume's claim template against the real v1.35.4 API server (the
oracle): ``dataSource`` and ``dataSourceRef`` must match (``isDataSourceEqualDataSourceRef``:
the ``apiGroup`` pointers compare as pointers, an unset one is not ``""``; ``kind`` and
``name`` compare as strings, an unset one is ``""``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import given
from hypothesis import strategies as st

import podmodel

if TYPE_CHECKING:
    from tests.support.oracle import Oracle

_UNSET: Any = object()


def _reference(api_group: Any, kind: Any, name: Any) -> dict[str, Any]:
    fields = {"apiGroup": api_group, "kind": kind, "name": name}
    return {k: v for k, v in fields.items() if v is not _UNSET}


_GROUPS = st.sampled_from([_UNSET, None, "", "x.io"])
_KINDS = st.sampled_from([_UNSET, "", "PersistentVolumeClaim", "Snap"])
_NAMES = st.sampled_from([_UNSET, "", "a"])


@given(
    st.builds(_reference, _GROUPS, _KINDS, _NAMES),
    st.builds(_reference, _GROUPS, _KINDS, _NAMES),
)
def test_data_source_and_ref_agree(
    apiserver_oracle: Oracle, source: dict[str, Any], ref: dict[str, Any]
) -> None:
    spec = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "1Gi"}},
        "dataSource": source,
        "dataSourceRef": ref,
    }
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {
            "containers": [{"name": "c", "image": "nginx"}],
            "volumes": [{"name": "v", "ephemeral": {"volumeClaimTemplate": {"spec": spec}}}],
        },
    }
    theirs = [e["text"] for e in apiserver_oracle.check(pod)["errors"]]
    assert [str(e) for e in podmodel.validate(podmodel.from_dict(pod)).errors] == theirs
