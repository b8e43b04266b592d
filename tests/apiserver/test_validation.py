"""Validation as the v1.35 API server does it: exact texts, paths, order, cascades, warnings."""

from __future__ import annotations

from typing import Any

import pytest

import podmodel
from podmodel import ErrorType, InvalidPod, validate


def pod(spec: dict[str, Any] | None = None, **meta: Any) -> podmodel.Pod:
    body: dict[str, Any] = {"containers": [{"name": "c", "image": "nginx"}]}
    body.update(spec or {})
    metadata = {"name": "mypod", **meta}
    return podmodel.from_dict(
        {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": body}
    )


def texts(p: podmodel.Pod) -> list[str]:
    return [str(e) for e in validate(p).errors]


def c(**fields: Any) -> dict[str, Any]:
    return {"name": "c", "image": "nginx", **fields}


# --- the seed ------------------------------------------------------------------------------


def test_seed_port_conflict_pod_is_valid_with_one_warning(seed_experiments: dict[str, str]) -> None:
    result = validate(podmodel.loads(seed_experiments["port-conflict"]))
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        "spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]"
    ]
    assert result.kubectl_warnings() == (
        "Warning: spec.containers[1].ports[0]: duplicate port definition with "
        "spec.containers[0].ports[0]"
    )


def test_seed_manifests_validate_cleanly(seed_experiments: dict[str, str]) -> None:
    for key in ("shared-ip", "shared-disk"):
        result = validate(podmodel.loads(seed_experiments[key]))
        assert result.ok
        assert not result.warnings


# --- renderings ---------------------------------------------------------------------------


def test_server_and_kubectl_renderings() -> None:
    p = pod(
        {
            "containers": [c(ports=[{"containerPort": 70000}]), {"name": "c"}],
            "restartPolicy": "Sometimes",
        }
    )
    result = validate(p)
    assert result.server_message() == (
        'Pod "mypod" is invalid: [spec.containers[0].ports[0].containerPort: Invalid value: 70000: '
        "must be between 1 and 65535, inclusive, spec.containers[1].image: Required value, "
        'spec.containers[1].name: Duplicate value: "c", spec.restartPolicy: Unsupported value: '
        '"Sometimes": supported values: "Always", "OnFailure", "Never"]'
    )
    assert result.kubectl_message().splitlines() == [
        'The Pod "mypod" is invalid: ',
        "* spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        "* spec.containers[1].image: Required value",
        '* spec.containers[1].name: Duplicate value: "c"',
        '* spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]
    assert not result.warnings  # no warnings for an invalid pod


def test_one_error_renders_without_brackets_and_check_raises() -> None:
    p = pod({"containers": [{"name": "c"}]})
    with pytest.raises(InvalidPod) as info:
        podmodel.check(p)
    assert str(info.value) == 'Pod "mypod" is invalid: spec.containers[0].image: Required value'
    assert info.value.kubectl_message() == (
        'The Pod "mypod" is invalid: spec.containers[0].image: Required value'
    )
    assert isinstance(info.value, ValueError)
    assert podmodel.check(pod()).ok


def test_error_types_carry_kubernetes_names() -> None:
    (err,) = validate(pod({"containers": [{"name": "c"}]})).errors
    assert err.type is ErrorType.REQUIRED
    assert err.type.value == "FieldValueRequired"
    assert err.path == "spec.containers[0].image"


# --- one test per rule (path, type and exact text) --------------------------------------------

LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)

RULES: list[tuple[str, podmodel.Pod, list[str]]] = [
    (
        "name required",
        pod(name=""),
        ["metadata.name: Required value: name or generateName is required"],
    ),
    (
        "name subdomain",
        pod(name="MyPod"),
        [f'metadata.name: Invalid value: "MyPod": {SUBDOMAIN_MSG}'],
    ),
    ("name with dots ok", pod(name="my.pod"), []),
    (
        "namespace label",
        pod(namespace="my.ns"),
        ['metadata.namespace: Invalid value: "my.ns": must not contain dots'],
    ),
    (
        "label value",
        pod(labels={"app": "-x"}),
        [
            'metadata.labels: Invalid value: "-x": a valid label must be an empty string or consist of '
            "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
            "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
            "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        ],
    ),
    (
        "label key",
        pod(labels={"a/b/c": "x"}),
        [
            'metadata.labels: Invalid value: "a/b/c": a valid label key must consist of alphanumeric '
            "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
            "'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
            "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
            "(e.g. 'example.com/MyName')"
        ],
    ),
    (
        "deletion cost",
        pod(annotations={"controller.kubernetes.io/pod-deletion-cost": "text"}),
        [
            'metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "text": must be a 32bit integer'
        ],
    ),
    (
        "annotations too long",
        pod(annotations={"a": "x" * 262144}),
        ["metadata.annotations: Too long: may not be more than 262144 bytes"],
    ),
    ("no containers", pod({"containers": []}), ["spec.containers: Required value"]),
    (
        "restart policy",
        pod({"restartPolicy": "Sometimes"}),
        [
            'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'
        ],
    ),
    (
        "dns policy",
        pod({"dnsPolicy": "Google"}),
        [
            'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'
        ],
    ),
    (
        "dns none needs config",
        pod({"dnsPolicy": "None"}),
        ["spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"],
    ),
    (
        "hostname label",
        pod({"hostname": "my.host"}),
        ['spec.hostname: Invalid value: "my.host": must not contain dots'],
    ),
    (
        "subdomain label",
        pod({"subdomain": "my.svc"}),
        ['spec.subdomain: Invalid value: "my.svc": must not contain dots'],
    ),
    (
        "node name",
        pod({"nodeName": "Node_1"}),
        [f'spec.nodeName: Invalid value: "Node_1": {SUBDOMAIN_MSG}'],
    ),
    (
        "service account",
        pod({"serviceAccountName": "SA"}),
        [f'spec.serviceAccountName: Invalid value: "SA": {SUBDOMAIN_MSG}'],
    ),
    (
        "active deadline",
        pod({"activeDeadlineSeconds": 0}),
        [
            "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"
        ],
    ),
    (
        "host alias ip",
        pod({"hostAliases": [{"ip": "nope", "hostnames": ["a"]}]}),
        [
            'spec.hostAliases[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'
        ],
    ),
    (
        "container name label",
        pod({"containers": [c(name="my_c")]}),
        [f'spec.containers[0].name: Invalid value: "my_c": {LABEL_MSG}'],
    ),
    (
        "container name long",
        pod({"containers": [c(name="a" * 64)]}),
        [
            f'spec.containers[0].name: Invalid value: "{"a" * 64}": must be no more than 63 characters'
        ],
    ),
    (
        "image whitespace last",
        pod({"containers": [c(image=" nginx "), {"name": "d"}], "restartPolicy": "x"}),
        [
            "spec.containers[1].image: Required value",
            'spec.restartPolicy: Unsupported value: "x": supported values: "Always", "OnFailure", "Never"',
            'spec.containers[0].image: Invalid value: " nginx ": must not have leading or trailing whitespace',
        ],
    ),
    (
        "duplicate empty names",
        pod({"containers": [{"image": "a"}, {"image": "b"}]}),
        [
            "spec.containers[0].name: Required value",
            "spec.containers[1].name: Required value",
            'spec.containers[1].name: Duplicate value: ""',
        ],
    ),
    (
        "init duplicates app",
        pod({"initContainers": [c()]}),
        ['spec.initContainers[0].name: Duplicate value: "c"'],
    ),
    (
        "port zero",
        pod({"containers": [c(ports=[{"containerPort": 0}])]}),
        ["spec.containers[0].ports[0].containerPort: Required value"],
    ),
    (
        "port negative",
        pod({"containers": [c(ports=[{"containerPort": -1}])]}),
        [
            "spec.containers[0].ports[0].containerPort: Invalid value: -1: must be between 1 and 65535, inclusive"
        ],
    ),
    (
        "host port range",
        pod({"containers": [c(ports=[{"containerPort": 80, "hostPort": 70000}])]}),
        [
            "spec.containers[0].ports[0].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive"
        ],
    ),
    (
        "protocol",
        pod({"containers": [c(ports=[{"containerPort": 80, "protocol": "tcp"}])]}),
        [
            'spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'
        ],
    ),
    (
        "port name two errors",
        pod({"containers": [c(ports=[{"containerPort": 80, "name": "HTTP"}])]}),
        [
            'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
            'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
        ],
    ),
    (
        "port name duplicate",
        pod(
            {
                "containers": [
                    c(
                        ports=[
                            {"containerPort": 80, "name": "web"},
                            {"containerPort": 81, "name": "web"},
                        ]
                    )
                ]
            }
        ),
        ['spec.containers[0].ports[1].name: Duplicate value: "web"'],
    ),
    (
        "host port duplicate",
        pod(
            {
                "containers": [
                    c(ports=[{"containerPort": 80, "hostPort": 80}]),
                    c(name="d", ports=[{"containerPort": 81, "hostPort": 80}]),
                ]
            }
        ),
        ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//80"'],
    ),
    (
        "host port other ip ok",
        pod(
            {
                "containers": [
                    c(ports=[{"containerPort": 80, "hostPort": 80}]),
                    c(
                        name="d",
                        ports=[{"containerPort": 81, "hostPort": 80, "hostIP": "10.0.0.1"}],
                    ),
                ]
            }
        ),
        [],
    ),
    (
        "init host port path quirk",
        pod(
            {
                "initContainers": [
                    c(name="i0"),
                    c(
                        name="i1",
                        ports=[
                            {"containerPort": 80, "hostPort": 80},
                            {"containerPort": 81, "hostPort": 80},
                        ],
                    ),
                ]
            }
        ),
        ['spec.initContainers[0].ports[1].hostPort: Duplicate value: "TCP//80"'],
    ),
    (
        "host network duplicates",
        pod(
            {
                "hostNetwork": True,
                "containers": [
                    c(ports=[{"containerPort": 80}]),
                    c(name="d", ports=[{"containerPort": 80}]),
                ],
            }
        ),
        ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//80"'],
    ),
    (
        "host network mismatch",
        pod(
            {"hostNetwork": True, "containers": [c(ports=[{"containerPort": 80, "hostPort": 81}])]}
        ),
        [
            "spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true"
        ],
    ),
    (
        "env name",
        pod({"containers": [c(env=[{"name": "=abc", "value": "x"}])]}),
        [
            "spec.containers[0].env[0].name: Invalid value: \"=abc\": a valid environment variable name must consist only of printable ASCII characters other than '='"
        ],
    ),
    (
        "env name relaxed ok",
        pod({"containers": [c(env=[{"name": "MY VAR", "value": "x"}, {"name": "1ABC"}])]}),
        [],
    ),
    (
        "env valueFrom none",
        pod({"containers": [c(env=[{"name": "A", "valueFrom": {}}])]}),
        [
            'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`'
        ],
    ),
    (
        "env valueFrom with value",
        pod(
            {
                "containers": [
                    c(
                        env=[
                            {
                                "name": "A",
                                "value": "x",
                                "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}},
                            }
                        ]
                    )
                ]
            }
        ),
        [
            'spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'
        ],
    ),
    (
        "env fieldPath",
        pod(
            {
                "containers": [
                    c(env=[{"name": "A", "valueFrom": {"fieldRef": {"fieldPath": "status.phase"}}}])
                ]
            }
        ),
        [
            'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"'
        ],
    ),
    (
        "env labels subscript ok",
        pod(
            {
                "containers": [
                    c(
                        env=[
                            {
                                "name": "A",
                                "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}},
                            }
                        ]
                    )
                ]
            }
        ),
        [],
    ),
    (
        "secret key ref",
        pod(
            {
                "containers": [
                    c(env=[{"name": "A", "valueFrom": {"secretKeyRef": {"name": "", "key": ""}}}])
                ]
            }
        ),
        [
            f'spec.containers[0].env[0].valueFrom.secretKeyRef.name: Invalid value: "": {SUBDOMAIN_MSG}',
            "spec.containers[0].env[0].valueFrom.secretKeyRef.key: Required value",
        ],
    ),
    (
        "envFrom none",
        pod({"containers": [c(envFrom=[{"prefix": "P_"}])]}),
        [
            'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`'
        ],
    ),
    (
        "mount not found",
        pod({"containers": [c(volumeMounts=[{"name": "missing", "mountPath": "/a"}])]}),
        ['spec.containers[0].volumeMounts[0].name: Not found: "missing"'],
    ),
    (
        "mount empty name two errors",
        pod({"containers": [c(volumeMounts=[{"name": "", "mountPath": "/a"}])]}),
        [
            "spec.containers[0].volumeMounts[0].name: Required value",
            'spec.containers[0].volumeMounts[0].name: Not found: ""',
        ],
    ),
    (
        "mount path unique",
        pod(
            {
                "volumes": [{"name": "v", "emptyDir": {}}],
                "containers": [
                    c(
                        volumeMounts=[
                            {"name": "v", "mountPath": "/a"},
                            {"name": "v", "mountPath": "/a"},
                        ]
                    )
                ],
            }
        ),
        ['spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/a": must be unique'],
    ),
    (
        "subPath absolute no index",
        pod(
            {
                "volumes": [{"name": "v"}],
                "containers": [
                    c(volumeMounts=[{"name": "v", "mountPath": "/a", "subPath": "/baz"}])
                ],
            }
        ),
        ['spec.containers[0].volumeMounts.subPath: Invalid value: "/baz": must be a relative path'],
    ),
    (
        "subPath backsteps",
        pod(
            {
                "volumes": [{"name": "v"}],
                "containers": [
                    c(volumeMounts=[{"name": "v", "mountPath": "/a", "subPath": "a/../b"}])
                ],
            }
        ),
        [
            "spec.containers[0].volumeMounts.subPath: Invalid value: \"a/../b\": must not contain '..'"
        ],
    ),
    (
        "propagation",
        pod(
            {
                "volumes": [{"name": "v"}],
                "containers": [
                    c(
                        volumeMounts=[
                            {"name": "v", "mountPath": "/a", "mountPropagation": "Sideways"}
                        ]
                    )
                ],
            }
        ),
        [
            'spec.containers[0].volumeMounts.mountPropagation: Unsupported value: "Sideways": supported values: "Bidirectional", "HostToContainer", "None"'
        ],
    ),
    (
        "bidirectional unprivileged",
        pod(
            {
                "volumes": [{"name": "v"}],
                "containers": [
                    c(
                        volumeMounts=[
                            {"name": "v", "mountPath": "/a", "mountPropagation": "Bidirectional"}
                        ]
                    )
                ],
            }
        ),
        [
            "spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers"
        ],
    ),
    (
        "recursiveReadOnly",
        pod(
            {
                "volumes": [{"name": "v"}],
                "containers": [
                    c(
                        volumeMounts=[
                            {"name": "v", "mountPath": "/a", "recursiveReadOnly": "Enabled"}
                        ]
                    )
                ],
            }
        ),
        [
            "spec.containers[0].volumeMounts.recursiveReadOnly: Forbidden: may only be specified when readOnly is true"
        ],
    ),
    (
        "pull policy",
        pod({"containers": [c(imagePullPolicy="Sometimes")]}),
        [
            'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'
        ],
    ),
    (
        "termination policy",
        pod({"containers": [c(terminationMessagePolicy="Log")]}),
        [
            'spec.containers[0].terminationMessagePolicy: Unsupported value: "Log": supported values: "File", "FallbackToLogsOnError"'
        ],
    ),
    (
        "requests above limits",
        pod({"containers": [c(resources={"requests": {"cpu": "2"}, "limits": {"cpu": "1"}})]}),
        [
            'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'
        ],
    ),
    (
        "negative request",
        pod({"containers": [c(resources={"requests": {"memory": "-1Mi"}})]}),
        [
            'spec.containers[0].resources.requests[memory]: Invalid value: "-1Mi": must be greater than or equal to 0'
        ],
    ),
    # defaulting copies limits into requests, so the server reports the name twice
    (
        "bad resource name",
        pod({"containers": [c(resources={"limits": {"gpu": 1}})]}),
        # the oracle (v1.35.4): validateContainerResourceName first runs validateResourceName
        [
            'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
            'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
            'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
            'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
        ],
    ),
    (
        "extended needs limit",
        pod({"containers": [c(resources={"requests": {"example.org/foo": 1}})]}),
        [
            "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"
        ],
    ),
    (
        "probe no handler",
        pod({"containers": [c(livenessProbe={"periodSeconds": 5})]}),
        ["spec.containers[0].livenessProbe: Required value: must specify a handler type"],
    ),
    (
        "probe two handlers",
        pod(
            {
                "containers": [
                    c(readinessProbe={"exec": {"command": ["true"]}, "tcpSocket": {"port": 80}})
                ]
            }
        ),
        [
            "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"
        ],
    ),
    (
        "probe negative",
        pod(
            {
                "containers": [
                    c(livenessProbe={"tcpSocket": {"port": 80}, "initialDelaySeconds": -1})
                ]
            }
        ),
        [
            "spec.containers[0].livenessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0"
        ],
    ),
    (
        "liveness success threshold",
        pod({"containers": [c(livenessProbe={"tcpSocket": {"port": 80}, "successThreshold": 2})]}),
        ["spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"],
    ),
    (
        "probe port",
        pod({"containers": [c(livenessProbe={"httpGet": {"path": "/"}})]}),
        [
            "spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive"
        ],
    ),
    (
        "probe exec command",
        pod({"containers": [c(startupProbe={"exec": {}})]}),
        ["spec.containers[0].startupProbe.exec.command: Required value"],
    ),
    (
        "readiness tgps",
        pod(
            {
                "containers": [
                    c(
                        readinessProbe={
                            "tcpSocket": {"port": 80},
                            "terminationGracePeriodSeconds": 10,
                        }
                    )
                ]
            }
        ),
        [
            "spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes"
        ],
    ),
    (
        "init probe forbidden",
        pod({"initContainers": [c(name="i", livenessProbe={"exec": {"command": ["x"]}})]}),
        [
            "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"
        ],
    ),
    (
        "sidecar probe ok",
        pod(
            {
                "initContainers": [
                    c(name="i", restartPolicy="Always", livenessProbe={"exec": {"command": ["x"]}})
                ]
            }
        ),
        [],
    ),
    (
        "init restart policy",
        pod({"initContainers": [c(name="i", restartPolicy="Sometimes")]}),
        [
            'spec.initContainers[0].restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"'
        ],
    ),
    (
        "sleep too long",
        pod({"containers": [c(lifecycle={"preStop": {"sleep": {"seconds": 60}}})]}),
        [
            "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than terminationGracePeriodSeconds (30)"
        ],
    ),
    (
        "run as user",
        pod({"containers": [c(securityContext={"runAsUser": -1})]}),
        [
            "spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive"
        ],
    ),
    (
        "volume name",
        pod({"volumes": [{"name": "V", "emptyDir": {}}]}),
        [f'spec.volumes[0].name: Invalid value: "V": {LABEL_MSG}'],
    ),
    (
        "volume duplicate",
        pod({"volumes": [{"name": "v"}, {"name": "v"}]}),
        ['spec.volumes[1].name: Duplicate value: "v"'],
    ),
    (
        "two sources",
        pod({"volumes": [{"name": "v", "emptyDir": {}, "hostPath": {"path": "/x"}}]}),
        ["spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type"],
    ),
    (
        "downwardAPI typo path",
        pod({"volumes": [{"name": "v", "emptyDir": {}, "downwardAPI": {}}]}),
        ["spec.volumes[0].downwarAPI: Forbidden: may not specify more than 1 volume type"],
    ),
    (
        "hostPath path required",
        pod({"volumes": [{"name": "v", "hostPath": {"path": ""}}]}),
        ["spec.volumes[0].hostPath.path: Required value"],
    ),
    (
        "hostPath backsteps",
        pod({"volumes": [{"name": "v", "hostPath": {"path": "/mnt/path/.."}}]}),
        ["spec.volumes[0].hostPath.path: Invalid value: \"/mnt/path/..\": must not contain '..'"],
    ),
    (
        "hostPath relative ok",
        pod({"volumes": [{"name": "v", "hostPath": {"path": "relative/dir"}}]}),
        [],
    ),
    (
        "hostPath type",
        pod({"volumes": [{"name": "v", "hostPath": {"path": "/x", "type": "directory"}}]}),
        [
            'spec.volumes[0].hostPath.type: Unsupported value: "directory": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"'
        ],
    ),
    (
        "emptyDir size negative",
        pod({"volumes": [{"name": "v", "emptyDir": {"sizeLimit": "-1"}}]}),
        [
            "spec.volumes[0].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity"
        ],
    ),
    (
        "emptyDir medium not validated",
        pod({"volumes": [{"name": "v", "emptyDir": {"medium": "Disk"}}]}),
        [],
    ),
    (
        "secret name",
        pod({"volumes": [{"name": "v", "secret": {"defaultMode": 512}}]}),
        [
            "spec.volumes[0].secret.secretName: Required value",
            "spec.volumes[0].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive",
        ],
    ),
    (
        "configMap items",
        pod(
            {
                "volumes": [
                    {
                        "name": "v",
                        "configMap": {"name": "cm", "items": [{"key": "k", "path": "..foo"}]},
                    }
                ]
            }
        ),
        [
            "spec.volumes[0].configMap.items[0].path: Invalid value: \"..foo\": must not start with '..'"
        ],
    ),
    (
        "downwardAPI no index",
        pod(
            {
                "volumes": [
                    {
                        "name": "v",
                        "downwardAPI": {
                            "items": [{"path": "../x", "fieldRef": {"fieldPath": "metadata.name"}}]
                        },
                    }
                ]
            }
        ),
        ["spec.volumes[0].downwardAPI.path: Invalid value: \"../x\": must not contain '..'"],
    ),
    (
        "pvc claim",
        pod({"volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": ""}}]}),
        ["spec.volumes[0].persistentVolumeClaim.claimName: Required value"],
    ),
    (
        "projected one per source",
        pod(
            {
                "volumes": [
                    {
                        "name": "v",
                        "projected": {
                            "sources": [{"secret": {"name": "s"}, "configMap": {"name": "c"}}]
                        },
                    }
                ]
            }
        ),
        [
            "spec.volumes[0].projected.sources[0]: Forbidden: may not specify more than 1 volume type per source"
        ],
    ),
    (
        "projected token needs sa",
        pod(
            {
                "volumes": [
                    {
                        "name": "v",
                        "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]},
                    }
                ]
            }
        ),
        [
            "spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set"
        ],
    ),
    (
        "ephemeral forbidden on create",
        pod(
            {
                "ephemeralContainers": [
                    {
                        "name": "dbg",
                        "image": "busybox",
                        "targetContainerName": "nope",
                        "ports": [{"containerPort": 80}],
                    }
                ]
            }
        ),
        [
            'spec.ephemeralContainers[0].targetContainerName: Not found: "nope"',
            "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
            "spec.ephemeralContainers: Forbidden: cannot be set on create",
        ],
    ),
    (
        "tolerations",
        pod({"tolerations": [{"operator": "Equal", "value": "x"}]}),
        [
            'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'
        ],
    ),
    (
        "node name with gates",
        pod({"nodeName": "n1", "schedulingGates": [{"name": "g"}]}),
        ["spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared"],
    ),
]


@pytest.mark.parametrize(("name", "p", "expected"), RULES, ids=[r[0] for r in RULES])
def test_rule(name: str, p: podmodel.Pod, expected: list[str]) -> None:
    assert texts(p) == expected


# --- cascades and ordering ----------------------------------------------------------------------


def test_a_broken_volume_makes_its_mounts_not_found() -> None:
    p = pod(
        {
            "volumes": [{"name": "logs", "hostPath": {"path": ""}}],
            "containers": [c(volumeMounts=[{"name": "logs", "mountPath": "/logs"}])],
        }
    )
    assert texts(p) == [
        "spec.volumes[0].hostPath.path: Required value",
        'spec.containers[0].volumeMounts[0].name: Not found: "logs"',
    ]


def test_volumes_before_containers_before_pod_fields() -> None:
    p = pod(
        {
            "restartPolicy": "x",
            "volumes": [{"name": "V"}],
            "containers": [{"name": "c"}],
        }
    )
    assert [e.path for e in validate(p).errors] == [
        "spec.volumes[0].name",
        "spec.containers[0].image",
        "spec.restartPolicy",
    ]


def test_generate_name_is_validated() -> None:
    assert texts(pod(name="", generateName="web-")) == []
    errs = validate(pod(name="", generateName="Web-")).errors
    assert [e.path for e in errs] == ["metadata.generateName", "metadata.name"]


def test_validation_does_not_change_the_pod() -> None:
    p = pod({"volumes": [{"name": "v"}], "containers": [c(ports=[{"containerPort": 80}])]})
    before = podmodel.to_dict(p)
    validate(p)
    assert podmodel.to_dict(p) == before


# --- warnings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ports_a", "ports_b", "warning"),
    [
        ({"containerPort": 80}, {"containerPort": 80}, "duplicate port definition"),
        (
            {"containerPort": 80, "hostPort": 8080},
            {"containerPort": 80},
            "overlapping port definition",
        ),
        (
            {"containerPort": 80, "hostPort": 80, "hostIP": "10.0.0.1"},
            {"containerPort": 80, "hostPort": 80},
            "dangerously ambiguous port definition",
        ),
    ],
)
def test_port_warnings(ports_a: dict[str, Any], ports_b: dict[str, Any], warning: str) -> None:
    p = pod({"containers": [c(ports=[ports_a]), c(name="d", ports=[ports_b])]})
    result = validate(p)
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        f"spec.containers[1].ports[0]: {warning} with spec.containers[0].ports[0]"
    ]


def test_init_and_app_ports_warn_together() -> None:
    p = pod(
        {
            "initContainers": [c(name="i", ports=[{"containerPort": 80}])],
            "containers": [c(ports=[{"containerPort": 80}])],
        }
    )
    assert [str(w) for w in validate(p).warnings] == [
        "spec.containers[0].ports[0]: duplicate port definition with spec.initContainers[0].ports[0]"
    ]


def test_other_warnings() -> None:
    p = pod(
        {
            "terminationGracePeriodSeconds": -1,
            "volumes": [{"name": "g", "gitRepo": {"repository": "r"}}],
            "containers": [
                c(
                    ports=[{"containerPort": 80, "hostIP": "10.0.0.1"}],
                    env=[{"name": "A", "value": "1"}, {"name": "A", "value": "2"}],
                )
            ],
        }
    )
    # warningsForPodSpecAndMeta's order: volumes, then each container's own warnings (env),
    # then the ports of all containers. The oracle (v1.35.4) gives exactly these three: a Pod's
    # negative terminationGracePeriodSeconds is set to 1 by the conversion, before the warning
    # could see it (a PodTemplate does warn), and gitRepo says "disabled by default in v1.33+".
    assert [str(w) for w in validate(p).warnings] == [
        "spec.volumes[0].gitRepo: deprecated in v1.11, and disabled by default in v1.33+",
        'spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply',
        "spec.containers[0].ports[0]: hostIP set without hostPort: {Name: HostPort:0 ContainerPort:80 Protocol:TCP HostIP:10.0.0.1}",
    ]
