"""Projected volumes against the real v1.35.4 API server (the oracle): a ``clusterTrustBundle``
named by a signer-scoped name (``example.com:signer:bundle``) and a ``podCertificate`` with
several bad ``userAnnotations``.

Go ranges over ``userAnnotations`` (a map), so the order of its errors is random from one
request to the next: they are compared as a multiset, every other error in order
(``schema_walk.same_order_modulo_maps``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import given
from hypothesis import strategies as st

import podmodel
from tests.support.schema_walk import same_order_modulo_maps, sent_warnings

if TYPE_CHECKING:
    from tests.support.oracle import Oracle

_PARTS = st.sampled_from(["", "a", "example.com", "signer", "Bad_", "x-1", "a.b", "-a", "B"])
_NAMES = st.lists(_PARTS, min_size=1, max_size=4).map(":".join)
_KEYS = st.sampled_from(
    ["acme.io/foo", "foo", "Bad Key", "a/b/c", "example.com/", "/x", "A.io/Up", "x" * 70, ""]
)


def _pod(*sources: dict[str, Any]) -> dict[str, Any]:
    """A pod with one projected volume of *sources*."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {
            "serviceAccountName": "sa",
            "containers": [{"name": "c", "image": "nginx"}],
            "volumes": [{"name": "v", "projected": {"sources": list(sources)}}],
        },
    }


def _agree(oracle: Oracle, obj: dict[str, Any]) -> None:
    answer = oracle.check(obj)
    theirs = [(e["field"], e["text"]) for e in answer["errors"]]
    result = podmodel.validate(podmodel.from_dict(obj))
    ours = [(str(e.field), str(e)) for e in result.errors]
    assert same_order_modulo_maps(ours, theirs, lambda e: e[0]), (ours, theirs)


@given(_NAMES)
def test_signer_scoped_bundle_names_agree(apiserver_oracle: Oracle, name: str) -> None:
    _agree(apiserver_oracle, _pod({"clusterTrustBundle": {"name": name, "path": "ca.pem"}}))


@given(st.lists(_KEYS, min_size=1, max_size=5, unique=True))
def test_several_bad_user_annotations_agree_as_a_set(
    apiserver_oracle: Oracle, keys: list[str]
) -> None:
    source = {
        "podCertificate": {
            "signerName": "example.com/signer",
            "keyType": "ED25519",
            "credentialBundlePath": "creds.pem",
            "userAnnotations": dict.fromkeys(keys, "v"),
        }
    }
    _agree(apiserver_oracle, _pod(source))


def test_a_signer_scoped_name_is_a_dns_subdomain_after_its_last_colon() -> None:
    def texts(name: str) -> list[str]:
        obj = _pod({"clusterTrustBundle": {"name": name, "path": "ca.pem"}})
        return [str(e) for e in podmodel.validate(podmodel.from_dict(obj)).errors]

    where = "spec.volumes[0].projected.sources[0].clusterTrustBundle.name"
    assert texts("example.com:signer:bundle") == []
    assert texts(":bundle") == [
        f'{where}: Invalid value: ":bundle": not a valid clustertrustbundlename: '
        'ClusterTrustBundle without signer name must not have ":" in its name'
    ]
    assert texts("example.com:signer:Bundle") == [
        f'{where}: Invalid value: "example.com:signer:Bundle": not a valid '
        "clustertrustbundlename: a lowercase RFC 1123 subdomain must consist of lower case "
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
        "character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    ]


@given(st.integers(-3, 3), st.sampled_from(["acme.io/k", "Acme.io/K"]))
def test_user_annotations_size_cap_agrees(apiserver_oracle: Oracle, delta: int, key: str) -> None:
    size = 256 * 1024 + delta
    source = {
        "podCertificate": {
            "signerName": "example.com/signer",
            "keyType": "ED25519",
            "credentialBundlePath": "creds.pem",
            "userAnnotations": {key: "v" * (size - len(key))},
        }
    }
    _agree(apiserver_oracle, _pod(source))


_REQUIREMENTS = st.fixed_dictionaries(
    {},
    optional={
        "key": st.sampled_from(["", "app", "Bad Key"]),
        "operator": st.sampled_from(["", "In", "Exists"]),
        "values": st.lists(st.sampled_from(["a", ""]), max_size=2),
    },
)
_SELECTORS = st.fixed_dictionaries(
    {},
    optional={
        "matchLabels": st.dictionaries(st.sampled_from(["b", "a"]), st.just("v"), max_size=2),
        "matchExpressions": st.lists(_REQUIREMENTS, max_size=2),
    },
)


@given(_SELECTORS, st.sampled_from([None, True, False]))
def test_a_bundle_with_name_and_signer_shows_the_go_struct(
    apiserver_oracle: Oracle, selector: dict[str, Any], optional: bool | None
) -> None:
    bundle: dict[str, Any] = {
        "name": "a.b",
        "signerName": "example.com/s",
        "labelSelector": selector,
        "path": "ca.pem",
    }
    if optional is not None:
        bundle["optional"] = optional
    _agree(apiserver_oracle, _pod({"clusterTrustBundle": bundle}))


# Each projection, as the v1.35 warning code's switch sees it; "none" matches no case (a
# configMap or secret without items, a downwardAPI without items, a podCertificate).
_PROJECTIONS = {
    "token t": {"serviceAccountToken": {"path": "t"}},
    "token t/u": {"serviceAccountToken": {"path": "t/u"}},
    "bundle t": {"clusterTrustBundle": {"signerName": "example.com/s", "path": "t"}},
    "configMap a,b": {
        "configMap": {"name": "x", "items": [{"key": "k", "path": "a"}, {"key": "l", "path": "b"}]}
    },
    "configMap a/z": {"configMap": {"name": "y", "items": [{"key": "k", "path": "a/z"}]}},
    "configMap no items": {"configMap": {"name": "a"}},
    "configMap empty items": {"configMap": {"name": "e", "items": []}},
    "secret no items": {"secret": {"name": "s"}},
    "downwardAPI no items": {"downwardAPI": {}},
    "downwardAPI d": {
        "downwardAPI": {"items": [{"path": "d", "fieldRef": {"fieldPath": "metadata.name"}}]}
    },
    "podCertificate c": {
        "podCertificate": {
            "signerName": "example.com/s",
            "keyType": "ED25519",
            "credentialBundlePath": "c",
        }
    },
    "token c": {"serviceAccountToken": {"path": "c"}},
}


@given(st.lists(st.sampled_from(sorted(_PROJECTIONS)), min_size=1, max_size=5))
def test_overlapping_paths_of_projected_sources_agree(
    apiserver_oracle: Oracle, names: list[str]
) -> None:
    """``warningsForOverlappingVirtualPaths`` keeps the previous source's paths when a source
    matches no case of its switch, so they are checked again and overlap themselves ("t" with
    "t"); a podCertificate's paths are never checked. The oracle lists a repeated text as
    often as Go appends it; the server's recorder (and podmodel) sends it once."""
    pod = _pod(*(_PROJECTIONS[n] for n in names))
    answer = apiserver_oracle.check(pod)
    result = podmodel.validate(podmodel.from_dict(pod))
    assert [str(e) for e in result.errors] == [e["text"] for e in answer["errors"]]
    if result.ok:
        assert [str(w) for w in result.warnings] == sent_warnings(answer)
