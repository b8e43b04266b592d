"""pods() reaches every writable field of the v1.35 Pod, every draw valid (for podmodel and for
the real API server), and a failing pod shrinks to a small, readable one (issue #14).

"Writable" is every leaf field under ``metadata`` and ``spec`` of the v1.35 schema
(:func:`podmodel.model.schema.catalogue`), list indices and map keys collapsed, less the fields
no valid pod can hold on create (:data:`UNREACHABLE`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis.errors import InvalidArgument

import podmodel
from podmodel import strategies as pst
from podmodel.model.schema import catalogue

if TYPE_CHECKING:
    from tests.support.oracle import Oracle

CAT = catalogue("1.35")

# (path prefix, why no valid pod reaches it); the fields of an ephemeral volume's claim
# template metadata but its labels and annotations are refused by ValidatePersistentVolumeClaimTemplate.
_TEMPLATE_META = "spec.volumes.ephemeral.volumeClaimTemplate.metadata."
UNREACHABLE: tuple[tuple[str, str], ...] = (
    ("spec.ephemeralContainers.", "Forbidden: cannot be set on create"),
    ("spec.resources.claims.", "Forbidden: claims may not be set for Resources at pod-level"),
    *(
        (f"spec.{kind}.readinessProbe.terminationGracePeriodSeconds", "must not be set")
        for kind in ("containers", "initContainers")
    ),
    *(
        (_TEMPLATE_META + field, "a claim template's metadata: labels and annotations only")
        for field in sorted(CAT.fields("ObjectMeta"))
        if field not in ("labels", "annotations")
    ),
)


def _leaf(code: str) -> bool:
    return not code.lstrip("[{").startswith("@")


def schema_paths(definition: str, prefix: str) -> Iterator[str]:
    """Every leaf path below *definition* (the schema's Pod has no recursive definition)."""
    for field, code in CAT.fields(definition).items():
        path = f"{prefix}.{field}"
        if _leaf(code):
            yield path
        else:
            yield from schema_paths(code.lstrip("[{")[1:], path)


def writable_paths() -> set[str]:
    """The writable leaf paths (``metadata.*`` and ``spec.*``)."""
    return {*schema_paths("ObjectMeta", "metadata"), *schema_paths("PodSpec", "spec")}


def reachable_paths() -> set[str]:
    """The writable paths a valid pod can hold."""
    return {p for p in writable_paths() if not any(p.startswith(u) for u, _ in UNREACHABLE)}


def seen_paths(value: Any, definition: str, prefix: str, out: set[str]) -> None:
    """Add to *out* the leaf paths *value* (a manifest dict of *definition*) sets."""
    for field, item in value.items():
        code = CAT.type_of(definition, field)
        if code is None:
            continue
        path = f"{prefix}.{field}"
        if _leaf(code):
            out.add(path)
            continue
        child = code.lstrip("[{")[1:]
        if code.startswith("["):
            for x in item:
                seen_paths(x, child, path, out)
        elif code.startswith("{"):
            for x in item.values():
                seen_paths(x, child, path, out)
        else:
            seen_paths(item, child, path, out)


def draw_pods(n: int, *, derandomize: bool = False, **options: Any) -> list[podmodel.Pod]:
    """*n* pods of ``pst.pods(**options)``, generation only (no shrinking, no database)."""
    out: list[podmodel.Pod] = []

    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=derandomize,
    )
    @given(pst.pods(**options))
    def collect(pod: podmodel.Pod) -> None:
        out.append(pod)

    collect()
    return out


def _ci() -> bool:
    return settings.default.max_examples >= 1000


def test_the_writable_fields_are_counted_from_the_schema() -> None:
    writable, reachable = writable_paths(), reachable_paths()
    print(f"\nwritable leaf fields: {len(writable)}; reachable by a valid pod: {len(reachable)}")
    assert "spec.containers.livenessProbe.grpc.service" in reachable
    assert "metadata.ownerReferences.uid" in reachable
    assert "spec.volumes.ephemeral.volumeClaimTemplate.metadata.labels" in reachable
    assert "spec.ephemeralContainers.name" in writable - reachable


# what a fresh cluster's RuntimeClass admission refuses: drawn only with admissible=False
NOT_ADMISSIBLE = frozenset({"spec.runtimeClassName", "spec.overhead"})


@pytest.mark.parametrize("admissible", [True, False])
def test_pods_reach_every_writable_field(admissible: bool) -> None:
    # the ci profile: 1,000 draws, every reachable field at least once; otherwise 500 and 95%
    n, bar = (1000, 1.0) if _ci() else (500, 0.95)
    seen: set[str] = set()
    # derandomized: the same draws every run, so no flaky miss
    for pod in draw_pods(n, derandomize=True, admissible=admissible):
        doc = podmodel.to_dict(pod)
        seen_paths(doc["metadata"], "ObjectMeta", "metadata", seen)
        seen_paths(doc["spec"], "PodSpec", "spec", seen)
    reachable = reachable_paths() - (NOT_ADMISSIBLE if admissible else frozenset())
    assert not (seen & NOT_ADMISSIBLE if admissible else False)
    missing = sorted(reachable - seen)
    print(f"\n{len(reachable) - len(missing)} of {len(reachable)} reachable fields in {n} pods")
    for path in missing:
        print("  never drawn:", path)
    assert not seen - writable_paths(), sorted(seen - writable_paths())
    assert len(reachable) - len(missing) >= bar * len(reachable), missing


@given(pst.pods(admissible=False))
def test_every_draw_is_valid(pod: podmodel.Pod) -> None:
    result = podmodel.validate(pod)
    assert result.errors == (), [str(e) for e in result.errors]


def test_the_real_api_server_accepts_every_draw(apiserver_oracle: Oracle) -> None:
    pods = draw_pods(400 if _ci() else 200, admissible=False)
    answers = apiserver_oracle.check_many([podmodel.to_dict(p) for p in pods])
    refused = [
        (
            podmodel.to_dict(p)["metadata"]["name"],
            a["decode_errors"],
            [e["text"] for e in a["errors"]],
        )
        for p, a in zip(pods, answers, strict=True)
        if a["errors"] or a["decode_errors"]
    ]
    print(f"\n{len(pods)} pods sent, {len(refused)} refused")
    assert not refused, refused[:5]


@pytest.mark.parametrize(
    "options",
    [
        {"areas": ()},
        {"areas": {"probes", "lifecycle"}, "max_containers": 1},
        {"areas": "all", "host_network": True, "admissible": False},
        {"volume_kinds": ("nfs", "projected", "ephemeral"), "max_volumes": 5},
        {"areas": {"os", "securityContext", "podSecurityContext", "mountOptions"}},
    ],
)
def test_the_options_keep_every_draw_valid(apiserver_oracle: Oracle, options: Any) -> None:
    pods = draw_pods(60, **options)
    for pod in pods:
        assert podmodel.validate(pod).ok, [str(e) for e in podmodel.validate(pod).errors]
    answers = apiserver_oracle.check_many([podmodel.to_dict(p) for p in pods])
    assert not [a["errors"] for a in answers if a["errors"] or a["decode_errors"]]


def test_areas_restrict_what_is_drawn() -> None:
    for pod in draw_pods(50, areas=(), volume_kinds=("nfs",)):
        doc = podmodel.to_dict(pod)
        assert set(doc["spec"]) <= {"containers", "initContainers", "volumes", "restartPolicy"}
        assert all(set(v) <= {"name", "nfs"} for v in doc["spec"].get("volumes", ()))
        for c in doc["spec"]["containers"]:
            assert "livenessProbe" not in c
            assert "securityContext" not in c


@pytest.mark.parametrize(
    "options",
    [
        {"areas": "most"},
        {"areas": ("probes", "nosuch")},
        {"volume_kinds": ("nosuch",)},
        {"max_volumes": -1},
    ],
)
def test_bad_options_raise_invalid_argument(options: Any) -> None:
    with pytest.raises(InvalidArgument):
        given(pst.pods(**options))(lambda _: None)()


def _has_probe(pod: podmodel.Pod) -> bool:
    return any(
        c.liveness_probe or c.readiness_probe or c.startup_probe
        for c in (*pod.spec.containers, *pod.spec.init_containers)
    )


def test_a_failing_pod_shrinks_to_a_small_readable_one() -> None:
    pod = find(pst.pods(), _has_probe, settings=settings(database=None, max_examples=2000))
    doc = podmodel.to_dict(pod)
    print("\nshrunk to:", json.dumps(doc))
    assert doc["metadata"] == {"name": "a"}
    containers = [*doc["spec"]["containers"], *doc["spec"].get("initContainers", ())]
    # usually one container "a" with the probe; the shrinker may leave the probe on a second
    # container or a sidecar, or an area it could not delete: but every name and value is
    # the first (simplest) of its pool, and the pod stays small
    assert len(containers) <= 2
    assert [c["name"] for c in containers] == ["a", "b"][: len(containers)]
    probes = [v for c in containers for k, v in c.items() if k.endswith("Probe")]
    assert probes == [{"exec": {"command": ["true"]}}], probes
    for c in containers:
        assert c["image"] == "nginx"
        assert set(c) <= {"name", "image", "livenessProbe", "restartPolicy"}, c
    assert len(json.dumps(doc["spec"])) < 400, doc


@settings(max_examples=50)
@given(pst.containers(volume_names=["data", "logs"]))
def test_containers_with_areas_are_valid_in_a_pod(container: podmodel.Container) -> None:
    spec = {
        "containers": [
            podmodel.to_dict(podmodel.Pod(spec=podmodel.PodSpec(containers=(container,))))["spec"][
                "containers"
            ][0]
        ],
        "volumes": [{"name": "data"}, {"name": "logs"}],
    }
    pod = podmodel.from_dict(
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": spec}
    )
    assert podmodel.validate(pod).ok, [str(e) for e in podmodel.validate(pod).errors]
