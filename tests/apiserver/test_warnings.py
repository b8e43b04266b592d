"""The API server's warnings for a valid pod: which, in what order, and what the recorder lets
through (``pkg/api/pod/warnings.go``, ``apiserver/pkg/endpoints/filters/warning.go``)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel.apiserver._warnings import _Recorder
from podmodel.errors import ErrorType, FieldError, FieldPath


def _go_recorder(texts: list[str]) -> list[str]:
    """``recorder.AddWarning``, line by line from the Go source, over plain texts."""
    recorded: set[str] = set()
    ordered: list[str] = []
    headers: list[str] = []
    written, truncating = 0, False
    for text in texts:
        if not text or (written >= 4 * 1024 and truncating) or text in recorded:
            continue
        recorded.add(text)
        ordered.append(text)
        if truncating and len(text) > 256:
            text = text[:256]  # noqa: PLW2901
        if written + len(text) <= 4 * 1024 or truncating:
            written += len(text)
            headers.append(text)
            continue
        truncating, written, headers = True, 0, []
        for earlier in ordered:
            earlier = earlier[:256]  # noqa: PLW2901
            written += len(earlier)
            headers.append(earlier)
    return headers


_WARNINGS = st.builds(
    lambda segments, detail: FieldError(
        type=ErrorType.WARNING, field=FieldPath(tuple(segments)), detail=detail, origin="t"
    ),
    st.lists(st.sampled_from(["spec", "containers", 0, 1, "a" * 120]), max_size=4),
    st.text(alphabet="abé", min_size=1, max_size=400),
)


@given(st.lists(_WARNINGS, max_size=80))
def test_the_recorder_lets_through_what_the_api_server_sends(warnings: list[FieldError]) -> None:
    recorder = _Recorder()
    for w in warnings:
        recorder.append(w)
    assert [str(w) for w in recorder.sent] == _go_recorder([str(w) for w in warnings])
    assert all(w.type is ErrorType.WARNING and w.origin == "t" for w in recorder.sent)


def _pod(spec: dict[str, Any], annotations: dict[str, str] | None = None) -> podmodel.Pod:
    return podmodel.from_dict(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p", "annotations": annotations or {}},
            "spec": spec,
        }
    )


def _warnings(pod: podmodel.Pod) -> list[str]:
    result = podmodel.validate(pod)
    assert result.ok, result.errors
    return [str(w) for w in result.warnings]


def test_thousands_of_colliding_ports_give_what_the_recorder_sends() -> None:
    n = 300
    pod = _pod(
        {
            "containers": [
                {"name": f"c{i}", "image": "nginx", "ports": [{"containerPort": 80}]}
                for i in range(n)
            ]
        }
    )
    every = [
        f"spec.containers[{j}].ports[0]: duplicate port definition with "
        f"spec.containers[{i}].ports[0]"
        for j in range(1, n)
        for i in range(j)
    ]
    sent = _warnings(pod)
    assert sent == _go_recorder(every)
    assert 40 < len(sent) < 60  # ~4 KiB of ~90-character warnings, not 44,850 of them


def test_every_kind_of_warning_in_the_servers_order() -> None:
    zone = "failure-domain.beta.kubernetes.io/zone"
    arch = "beta.kubernetes.io/arch"
    pod = _pod(
        {
            "nodeSelector": {arch: "amd64"},
            "affinity": {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {
                        "nodeSelectorTerms": [
                            {"matchExpressions": [{"key": zone, "operator": "Exists"}]}
                        ]
                    },
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {
                            "weight": 1,
                            "preference": {
                                "matchExpressions": [{"key": arch, "operator": "Exists"}]
                            },
                        }
                    ],
                },
                "podAntiAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": [{"topologyKey": "k"}],
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {"weight": 1, "podAffinityTerm": {"topologyKey": "k"}}
                    ],
                },
            },
            "topologySpreadConstraints": [
                {"maxSkew": 1, "topologyKey": zone, "whenUnsatisfiable": "DoNotSchedule"}
            ],
            "volumes": [
                {"name": "f", "flocker": {"datasetName": "d"}},
                {"name": "s", "storageos": {"volumeName": "v"}},
            ],
            "hostAliases": [
                {"ip": "10.0.0.1", "hostnames": ["a"]},
                {"ip": "10.0.0.1", "hostnames": ["b"]},
            ],
            "imagePullSecrets": [{"name": "x"}, {"name": ""}, {"name": "x"}],
            "terminationGracePeriodSeconds": -1,
            "containers": [
                {
                    "name": "c",
                    "image": "nginx",
                    "resources": {
                        "limits": {"memory": "1500m", "ephemeral-storage": "0.5"},
                        "requests": {"memory": "1", "ephemeral-storage": "0"},
                    },
                    "env": [{"name": "A", "value": "1"}, {"name": "A", "value": "2"}],
                    "ports": [{"containerPort": 80}, {"containerPort": 80}],
                }
            ],
        },
        annotations={
            "scheduler.alpha.kubernetes.io/critical-pod": "",
            "seccomp.security.alpha.kubernetes.io/pod": "runtime/default",
            "container.seccomp.security.alpha.kubernetes.io/c": "runtime/default",
        },
    )
    since14 = 'deprecated since v1.14; use "kubernetes.io/arch" instead'
    since17 = 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead'
    seccomp = 'non-functional in v1.27+; use the "seccompProfile" field instead'
    null = "a null labelSelector results in matching no pod"
    anti = "spec.affinity.podAntiAffinity"
    assert _warnings(pod) == [
        f"spec.nodeSelector[{arch}]: {since14}",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
        f".nodeSelectorTerms[0].matchExpressions[0].key: {zone} is {since17}",
        "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]"
        f".preference.matchExpressions[0].key: {arch} is {since14}",
        f"spec.topologySpreadConstraints[0].topologyKey: {zone} is {since17}",
        f"spec.topologySpreadConstraints[0].labelSelector: {null}",
        "metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in "
        'v1.16+; use the "priorityClassName" field instead',
        "spec.volumes[0].flocker: deprecated in v1.22, non-functional in v1.25+",
        "spec.volumes[1].storageOS: deprecated in v1.22, non-functional in v1.25+",
        'spec.hostAliases[1].ip: duplicate ip "10.0.0.1"',
        'spec.imagePullSecrets[2].name: duplicate name "x"',
        'spec.imagePullSecrets[1].name: invalid empty name ""',
        f"metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: {seccomp}",
        f"metadata.annotations[container.seccomp.security.alpha.kubernetes.io/c]: {seccomp}",
        'spec.containers[0].resources.limits[memory]: fractional byte value "1500m" is invalid, '
        "must be an integer",
        "spec.containers[0].resources.limits[ephemeral-storage]: fractional byte value "
        '"500m" is invalid, must be an integer',
        'spec.containers[0].env[1]: hides previous definition of "A", which may be dropped '
        "when using apply",
        "spec.containers[0].ports[1]: duplicate port definition with spec.containers[0].ports[0]",
        # no terminationGracePeriodSeconds warning: the oracle (v1.35.4) shows the Pod
        # conversion sets -1 to 1 first (only a PodTemplate warns)
        f"{anti}.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector: {null}",
        f"{anti}.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm"
        f".labelSelector: {null}",
    ]


def test_a_seccomp_profile_field_silences_the_annotation_warning() -> None:
    pod = _pod(
        {
            "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [{"name": "c", "image": "nginx"}],
        },
        annotations={"seccomp.security.alpha.kubernetes.io/pod": "runtime/default"},
    )
    assert _warnings(pod) == []


def test_a_byte_count_is_fractional_by_its_milli_value_rounded_up() -> None:
    # Go: value.MilliValue() % 1000 != 0, where MilliValue rounds up: 0.9999999 is 1000m.
    def memory(value: str) -> list[str]:
        pod = _pod(
            {
                "containers": [
                    {"name": "c", "image": "nginx", "resources": {"limits": {"memory": value}}}
                ]
            }
        )
        return _warnings(pod)

    # (defaulting copies the limit into requests: one warning for each)
    assert memory("1Gi") == []
    assert memory("0.9999999") == []
    assert len(memory("1.0000001")) == 2
    assert len(memory("1500m")) == 2


def test_a_port_name_used_twice_names_the_one_services_will_use() -> None:
    pod = _pod(
        {
            "initContainers": [
                {
                    "name": "side",
                    "image": "nginx",
                    "restartPolicy": "Always",
                    "ports": [{"containerPort": 9000, "name": "metrics"}],
                }
            ],
            "containers": [
                {"name": "a", "image": "nginx", "ports": [{"containerPort": 80, "name": "http"}]},
                {
                    "name": "b",
                    "image": "nginx",
                    "ports": [
                        {"containerPort": 81, "name": "http"},
                        {"containerPort": 9001, "name": "metrics"},
                    ],
                },
            ],
        }
    )
    use = "services and probes that select ports by name will use"
    assert _warnings(pod) == [
        f'spec.containers[1].ports[0]: duplicate port name "http" with '
        f"spec.containers[0].ports[0], {use} spec.containers[0].ports[0]",
        f'spec.containers[1].ports[1]: duplicate port name "metrics" with '
        f"spec.initContainers[0].ports[0], {use} spec.initContainers[0].ports[0]",
    ]


def test_ip_addresses_in_a_legacy_form_are_accepted_with_a_warning() -> None:
    pod = _pod(
        {
            "dnsPolicy": "None",
            "dnsConfig": {"nameservers": ["1.2.3.4", "05.06.07.08", "2001:DB8:0:0::2"]},
            "hostAliases": [{"ip": "::ffff:1.2.3.4", "hostnames": ["a"]}],
            "containers": [{"name": "c", "image": "nginx"}],
        }
    )
    future = "will be considered invalid in a future Kubernetes release"
    assert _warnings(pod) == [
        f'spec.dnsConfig.nameservers[1]: non-standard IP address "05.06.07.08" {future}: '
        'use "5.6.7.8"',
        'spec.dnsConfig.nameservers[2]: IPv6 address "2001:DB8:0:0::2" should be in RFC 5952 '
        'canonical format ("2001:db8::2")',
        f'spec.hostAliases[0].ip: non-standard IP address "::ffff:1.2.3.4" {future}: use "1.2.3.4"',
    ]


def test_ip_addresses_go_does_not_parse_stay_errors() -> None:
    for bad in ("1.2.3", "256.1.1.1", "fe80::1%eth0", "1.2.3.4 ", "\u0661.2.3.4"):
        pod = _pod(
            {
                "hostAliases": [{"ip": bad, "hostnames": ["a"]}],
                "containers": [{"name": "c", "image": "nginx"}],
            }
        )
        assert [e.origin for e in podmodel.validate(pod).errors] == ["hostAliases.ip"], bad


def test_preferred_node_affinity_values_must_be_label_values() -> None:
    term = {"matchExpressions": [{"key": "k", "operator": "In", "values": ["ok", "-1"]}]}
    pod = _pod(
        {
            "affinity": {
                "nodeAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {"weight": 10, "preference": term}
                    ]
                }
            },
            "containers": [{"name": "c", "image": "nginx"}],
        }
    )
    [warning] = _warnings(pod)
    assert warning.startswith(
        "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]"
        ".preference.matchExpressions[0].values[1]: -1 is invalid, a valid label must be an "
        "empty string or consist of alphanumeric characters"
    )


def _volume_warnings(volume: dict[str, Any]) -> list[str]:
    spec = {"volumes": [volume], "containers": [{"name": "c", "image": "nginx"}]}
    return _warnings(_pod({**spec, "serviceAccountName": "sa"}))


def _items(*paths: str) -> list[dict[str, str]]:
    return [{"key": f"k{i}", "path": p} for i, p in enumerate(paths)]


def test_items_written_to_overlapping_paths_of_one_volume() -> None:
    # the cases of warnings_test.go (release-1.35), one by one (volume names made valid)
    cm = {"name": "test", "configMap": {"name": "foo", "items": _items("test", "test")}}
    assert _volume_warnings(cm) == [
        'volume "test" (ConfigMap "foo"): overlapping paths: "test" with "test"'
    ]
    cm["configMap"]["items"] = _items("test", "test/app")  # type: ignore[index]
    assert _volume_warnings(cm) == [
        'volume "test" (ConfigMap "foo"): overlapping paths: "test/app" with "test"'
    ]
    cm["configMap"]["items"] = _items("test/app", "test/")  # type: ignore[index]
    assert _volume_warnings(cm) == [
        'volume "test" (ConfigMap "foo"): overlapping paths: "test" with "test/app"'
    ]
    secret = {"name": "test", "secret": {"secretName": "foo", "items": _items("test", "test")}}
    assert _volume_warnings(secret) == [
        'volume "test" (Secret "foo"): overlapping paths: "test" with "test"'
    ]
    downward = {
        "name": "test",
        "downwardAPI": {
            "items": [
                {"path": "test", "fieldRef": {"fieldPath": "metadata.name"}},
                {"path": "test", "fieldRef": {"fieldPath": "metadata.labels"}},
            ]
        },
    }
    assert _volume_warnings(downward) == [
        'volume "test" (DownwardAPI): overlapping paths: "test" with "test"'
    ]
    assert (
        _volume_warnings({"name": "ok", "configMap": {"name": "a", "items": _items("a", "ab")}})
        == []
    )


def test_projected_sources_overlapping_each_other() -> None:
    projected = {
        "name": "foo",
        "projected": {
            "sources": [
                {"configMap": {"name": "Test", "items": _items("test")}},
                {"serviceAccountToken": {"path": "test/file"}},
                {"secret": {"name": "s", "items": _items("other")}},
            ]
        },
    }
    assert _volume_warnings(projected) == [
        'volume "foo" (Projected): overlapping paths: "test/file" (ServiceAccountToken) with '
        '"test" (ConfigMap "Test")'
    ]


def _naive_overlaps(paths: list[tuple[str, str]]) -> list[str]:
    """``checkVolumeMappingForOverlap`` as written in the Go source: every earlier item."""
    from podmodel.errors import go_quote

    def shown(item: tuple[str, str]) -> str:
        return go_quote(item[0]) + (f" ({item[1]})" if item[1] else "")

    seen: list[tuple[str, str]] = []
    out = []
    for raw, source in paths:
        here = (raw.rstrip("/"), source)
        if here[0]:
            for item in seen:
                if item[0] and (
                    item == here
                    or f"{item[0]}/".startswith(f"{here[0]}/")
                    or f"{here[0]}/".startswith(f"{item[0]}/")
                ):
                    out.append(f"{shown(here)} with {shown(item)}")
        seen.append(here)
    return out


@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(["a", "b", "ab", ""]), max_size=4).map("/".join),
            st.sampled_from(["", 'ConfigMap "x"', "DownwardAPI"]),
        ),
        max_size=25,
    )
)
def test_the_indexed_overlap_check_gives_what_the_go_loop_sends(
    paths: list[tuple[str, str]],
) -> None:
    from podmodel.apiserver._warnings import _overlaps

    # each distinct text once, at its first place (the recorder drops the repeats)
    assert list(_overlaps(paths)) == list(dict.fromkeys(_naive_overlaps(paths)))
