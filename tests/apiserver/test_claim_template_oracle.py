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


@given(
    st.sampled_from([None, "x", "Bad_T"]),
    st.sampled_from(["Bad_Name", "ok", "rel/path", "a" * 70]),
    st.sampled_from(["PodTemplate", "ReplicationController"]),
)
def test_a_template_checks_no_claim_name_of_its_ephemeral_volumes(
    apiserver_oracle: Oracle, template_name: str | None, volume: str, kind: str
) -> None:
    """A Pod's ephemeral volume creates the claim ``<pod>-<volume>`` (its name is checked, and
    no other volume may claim it); a template's pod has no name yet, so neither applies."""
    claim = f"{template_name}-{volume}"
    spec = {
        "containers": [{"name": "c", "image": "nginx"}],
        "volumes": [
            {
                "name": volume,
                "ephemeral": {
                    "volumeClaimTemplate": {
                        "spec": {
                            "accessModes": ["ReadWriteOnce"],
                            "resources": {"requests": {"storage": "1Gi"}},
                        }
                    }
                },
            },
            {"name": "p", "persistentVolumeClaim": {"claimName": claim}},
        ],
    }
    meta: dict[str, Any] = {"labels": {"app": "p"}}
    if template_name:
        meta["name"] = template_name
    template = {"metadata": meta, "spec": spec}
    obj: dict[str, Any] = {"apiVersion": "v1", "kind": kind, "metadata": {"name": "o"}}
    if kind == "PodTemplate":
        obj["template"] = template
    else:
        obj["spec"] = {"replicas": 1, "selector": {"app": "p"}, "template": template}
    theirs = [e["text"] for e in apiserver_oracle.check(obj)["errors"]]
    ours = podmodel.validate_workload(podmodel.object_from_dict(obj)).errors
    assert [str(e) for e in ours] == theirs
