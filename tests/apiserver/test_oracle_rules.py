"""Rules of the v1.35.4 API server that the differential campaign brought in, pinned with the
server's exact texts (each expectation is the oracle's answer for the same object): resource
claim overlaps, the stop signal's ``spec.os``, ``matchLabelKeys`` merged into the selector,
``fileKeyRef`` volumes, mirror pods' claims, ``hostUsers`` and volume devices, Go structs as bad
values in declaration order, the in-tree volume sources and their v1 defaults, projected
volumes (duplicate paths, ``podCertificate``, ``clusterTrustBundle``), generic ephemeral
volumes' claim templates, and the pod-level resource defaults.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel.errors import GoStruct, render_value

CASES: list[tuple[str, dict[str, Any], dict[str, Any], list[str]]] = [
    (
        "claims: a whole claim after one of its requests",
        {"name": "p"},
        {
            "containers": [
                {
                    "name": "c",
                    "image": "x",
                    "resources": {"claims": [{"name": "a", "request": "r"}, {"name": "a"}]},
                }
            ],
            "resourceClaims": [{"name": "a", "resourceClaimName": "x"}],
        },
        ['spec.containers[0].resources.claims[1]: Duplicate value: "a"'],
    ),
    (
        "claims: a request after the whole claim",
        {"name": "p"},
        {
            "containers": [
                {
                    "name": "c",
                    "image": "x",
                    "resources": {"claims": [{"name": "a"}, {"name": "a", "request": "Bad!"}]},
                }
            ],
            "resourceClaims": [{"name": "a", "resourceClaimName": "x"}],
        },
        ['spec.containers[0].resources.claims[1]: Duplicate value: "a"'],
    ),
    (
        "stop signal with an empty os name",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x", "lifecycle": {"stopSignal": "SIGTERM"}}],
            "os": {},
        },
        ["spec.os.name: Required value"],
    ),
    (
        "matchLabelKeys key twice in the selector",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x"}],
            "topologySpreadConstraints": [
                {
                    "maxSkew": 1,
                    "topologyKey": "z",
                    "whenUnsatisfiable": "DoNotSchedule",
                    "matchLabelKeys": ["a", "b"],
                    "labelSelector": {
                        "matchLabels": {"a": "x"},
                        "matchExpressions": [
                            {"key": "a", "operator": "Exists"},
                            {"key": "b", "operator": "Exists"},
                        ],
                    },
                }
            ],
        },
        [
            'spec.topologySpreadConstraints[0][0]: Invalid value: "a": exists in both matchLabelKeys and labelSelector'
        ],
    ),
    (
        "fileKeyRef to a hostPath volume",
        {"name": "p"},
        {
            "containers": [
                {
                    "name": "c",
                    "image": "x",
                    "env": [
                        {
                            "name": "A",
                            "valueFrom": {
                                "fileKeyRef": {"key": "k", "path": "p", "volumeName": "v"}
                            },
                        }
                    ],
                }
            ],
            "volumes": [{"name": "v", "hostPath": {"path": "/x"}}],
        },
        [
            'spec.containers[0].env[0].valueFrom.fileKeyRef.volumeName: Invalid value: "v": referenced volume must be of type emptyDir'
        ],
    ),
    (
        "downwardAPI volume item without container name",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x"}],
            "volumes": [
                {
                    "name": "v0",
                    "downwardAPI": {
                        "items": [{"path": "a", "resourceFieldRef": {"resource": "bogus"}}]
                    },
                }
            ],
        },
        ["spec.volumes[0].downwardAPI.resourceFieldRef.containerName: Required value"],
    ),
    (
        "mirror pod with two claims",
        {"name": "p", "annotations": {"kubernetes.io/config.mirror": "x"}},
        {
            "containers": [{"name": "c", "image": "x"}],
            "nodeName": "n",
            "resourceClaims": [
                {"name": "a", "resourceClaimName": "x"},
                {"name": "b", "resourceClaimName": "y"},
            ],
        },
        [
            "[]: Forbidden: static pods do not support resource claims",
            "[]: Forbidden: static pods do not support resource claims",
        ],
    ),
    (
        "hostUsers false with volume devices",
        {"name": "p"},
        {
            "containers": [
                {"name": "c", "image": "x", "volumeDevices": [{"name": "v", "devicePath": "/d"}]}
            ],
            "hostUsers": False,
            "hostname": "Bad_",
        },
        [
            'spec.containers[0].volumeDevices[0].name: Not found: "v"',
            "spec.containers[0].volumeDevices: Forbidden: when `hostUsers` is false",
            "spec.hostname: Invalid value: \"Bad_\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
            "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ],
    ),
    (
        "seccomp struct in declaration order",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x"}],
            "securityContext": {
                "seccompProfile": {"type": "RuntimeDefault", "localhostProfile": "p.json"}
            },
        },
        [
            'spec.securityContext.seccompProfile.localhostProfile: Invalid value: {"Type":"RuntimeDefault","LocalhostProfile":"p.json"}: can only be set when seccomp type is Localhost'
        ],
    ),
    (
        "security context struct",
        {"name": "p"},
        {
            "containers": [
                {
                    "name": "c",
                    "image": "x",
                    "securityContext": {
                        "privileged": True,
                        "allowPrivilegeEscalation": False,
                        "windowsOptions": {"gmsaCredentialSpecName": "a"},
                        "seLinuxOptions": {"user": "u"},
                    },
                }
            ]
        },
        [
            "spec.containers[0].securityContext: Invalid value: "
            '{"Capabilities":null,"Privileged":true,"SELinuxOptions":{"User":"u","Role":"","Type":"","Level":""},"WindowsOptions":{"GMSACredentialSpecName":"a","GMSACredentialSpec":null,"RunAsUserName":null,"HostProcess":null},"RunAsUser":null,"RunAsGroup":null,"RunAsNonRoot":null,"ReadOnlyRootFilesystem":null,"AllowPrivilegeEscalation":false,"ProcMount":null,"SeccompProfile":null,"AppArmorProfile":null}: '
            "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"
        ],
    ),
    (
        "owner reference of an Event",
        {
            "name": "p",
            "ownerReferences": [
                {
                    "apiVersion": "v1",
                    "kind": "Event",
                    "name": "e",
                    "uid": "u",
                    "blockOwnerDeletion": True,
                }
            ],
        },
        {"containers": [{"name": "c", "image": "x"}]},
        [
            'metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u","blockOwnerDeletion":true}: /v1, Kind=Event is disallowed from being an owner'
        ],
    ),
    (
        "iscsi",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x"}],
            "volumes": [
                {
                    "name": "v0",
                    "iscsi": {
                        "targetPortal": "a",
                        "iqn": "bogus",
                        "lun": 300,
                        "chapAuthSession": True,
                        "initiatorName": "foo",
                    },
                },
                {
                    "name": "v1",
                    "iscsi": {
                        "targetPortal": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                        "iqn": "iqn.bad",
                        "initiatorName": "iqn.2001-04.com.example:x",
                    },
                },
            ],
        },
        [
            'spec.volumes[0].iscsi.iqn: Invalid value: "bogus": must be valid format starting with iqn, eui, or naa',
            "spec.volumes[0].iscsi.lun: Invalid value: 300: must be between 0 and 255, inclusive",
            "spec.volumes[0].iscsi.secretRef: Required value",
            'spec.volumes[0].iscsi.initiatorname: Invalid value: "foo": must be valid format starting with iqn, eui, or naa',
            'spec.volumes[1].iscsi.iqn: Invalid value: "iqn.bad": must be valid format',
            'spec.volumes[1].name: Invalid value: "v1": Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.',
        ],
    ),
    (
        "fc, disks, flocker",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x"}],
            "volumes": [
                {"name": "v0", "fc": {"targetWWNs": ["a"], "wwids": ["b"], "lun": -1}},
                {"name": "v1", "fc": {"targetWWNs": ["a"]}},
                {"name": "v2", "gcePersistentDisk": {"pdName": "x", "partition": -1}},
                {"name": "v3", "flocker": {"datasetName": "a/b", "datasetUUID": "u"}},
            ],
        },
        [
            'spec.volumes[0].fc.targetWWNs: Invalid value: ["a"]: targetWWNs and wwids can not be specified simultaneously',
            "spec.volumes[0].fc.lun: Invalid value: -1: must be between 0 and 255, inclusive",
            "spec.volumes[1].fc.lun: Required value: lun is required if targetWWNs is specified",
            "spec.volumes[2].persistentDisk.partition: Invalid value: -1: must be between 1 and 255, inclusive",
            'spec.volumes[3].flocker: Invalid value: "resource": datasetName and datasetUUID can not be specified simultaneously',
            "spec.volumes[3].flocker.datasetName: Invalid value: \"a/b\": must not contain '/'",
        ],
    ),
    (
        "quobyte, cinder, storageos",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x"}],
            "volumes": [
                {"name": "v0", "quobyte": {"registry": "bad,host:1", "volume": "v"}},
                {"name": "v1", "cinder": {"volumeID": "x", "secretRef": {}}},
                {"name": "v2", "storageos": {"volumeName": "Bad_", "secretRef": {}}},
            ],
        },
        [
            'spec.volumes[0].quobyte.registry: Invalid value: "bad,host:1": must be a host:port pair or multiple pairs separated by commas',
            "spec.volumes[1].cinder.secretRef.name: Required value",
            "spec.volumes[2].storageos.volumeName: Invalid value: \"Bad_\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric "
            "character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
            "spec.volumes[2].storageos.secretRef.name: Required value",
        ],
    ),
    (
        "azureDisk after its defaults",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x"}],
            "volumes": [
                {"name": "v0", "azureDisk": {"diskName": "d", "diskURI": "/subscriptions/x"}},
                {
                    "name": "v1",
                    "azureDisk": {
                        "diskName": "d",
                        "diskURI": "x",
                        "kind": "Managed",
                        "cachingMode": "Bogus",
                    },
                },
            ],
        },
        [
            'spec.volumes[0].azureDisk.diskURI: Unsupported value: "/subscriptions/x": supported values: "https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd"',
            'spec.volumes[1].azureDisk.cachingMode: Unsupported value: "Bogus": supported values: "None", "ReadOnly", "ReadWrite"',
            'spec.volumes[1].azureDisk.diskURI: Unsupported value: "x": supported values: "/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}"',
        ],
    ),
    (
        "csi, image, gitRepo, scaleIO",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x"}],
            "volumes": [
                {
                    "name": "v0",
                    "csi": {"driver": "Bad_Driver", "nodePublishSecretRef": {"name": "Bad_"}},
                },
                {"name": "v1", "image": {"reference": "x", "pullPolicy": "Bogus"}},
                {"name": "v2", "gitRepo": {"repository": "r", "directory": "/abs/../x"}},
                {"name": "v3", "scaleIO": {"gateway": "g", "system": "s"}},
            ],
        },
        [
            "spec.volumes[0].csi.driver: Invalid value: \"Bad_Driver\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "spec.volumes[0].csi.name: Invalid value: \"Bad_\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
            "character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            'spec.volumes[1].image.pullPolicy: Unsupported value: "Bogus": supported values: "Always", "IfNotPresent", "Never"',
            'spec.volumes[2].gitRepo.directory: Invalid value: "/abs/../x": must be a relative path',
            "spec.volumes[2].gitRepo.directory: Invalid value: \"/abs/../x\": must not contain '..'",
            "spec.volumes[3].scaleIO.volumeName: Required value",
        ],
    ),
    (
        "projected: duplicate paths and two types",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x"}],
            "volumes": [
                {
                    "name": "v0",
                    "projected": {
                        "sources": [
                            {
                                "secret": {"name": "s", "items": [{"key": "k", "path": "a"}]},
                                "configMap": {"name": "c", "items": [{"key": "k", "path": "a"}]},
                            },
                            {"serviceAccountToken": {"path": "/abs", "expirationSeconds": 10}},
                        ]
                    },
                }
            ],
        },
        [
            'spec.volumes[0].projected: Invalid value: "c": conflicting duplicate paths',
            "spec.volumes[0].projected.sources[0]: Forbidden: may not specify more than 1 volume type per source",
            "spec.volumes[0].projected.sources[1].serviceAccountToken.expirationSeconds: Invalid value: 10: may not specify a duration less than 10 minutes",
            'spec.volumes[0].projected.path: Invalid value: "/abs": must be a relative path',
            "spec.volumes[0].projected.sources[1].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set",
        ],
    ),
    (
        "projected podCertificate",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x"}],
            "volumes": [
                {
                    "name": "v0",
                    "projected": {
                        "sources": [
                            {
                                "podCertificate": {
                                    "signerName": "rel/path",
                                    "keyType": "RSA2048",
                                    "keyPath": "/k",
                                    "maxExpirationSeconds": 100,
                                    "userAnnotations": {"a": "b"},
                                }
                            },
                            {
                                "podCertificate": {
                                    "signerName": "kubernetes.io/x",
                                    "keyType": "ED25519",
                                    "maxExpirationSeconds": 86401,
                                }
                            },
                        ]
                    },
                }
            ],
        },
        [
            'spec.volumes[0].projected.sources[0].podCertificate.signerName: Invalid value: "rel": should be a domain with at least two segments separated by dots',
            'spec.volumes[0].projected.sources[0].podCertificate.userAnnotations: Invalid value: "a": must be a domain-prefixed key (such as "acme.io/foo")',
            'spec.volumes[0].projected.sources[0].podCertificate.keyType: Unsupported value: "RSA2048": supported values: "RSA3072", "RSA4096", "ECDSAP256", "ECDSAP384", "ECDSAP521", "ED25519"',
            "spec.volumes[0].projected.sources[0].podCertificate.maxExpirationSeconds: Invalid value: 100: if provided, maxExpirationSeconds must be >= 3600",
            'spec.volumes[0].projected.sources[0].podCertificate.keyPath: Invalid value: "/k": must be a relative path',
            "spec.volumes[0].projected.sources[1].podCertificate.maxExpirationSeconds: Invalid value: 86401: if provided, maxExpirationSeconds must be <= 86400",
            "spec.volumes[0].projected.sources[1].podCertificate: Required value: specify at least one of credentialBundlePath, keyPath, and certificateChainPath",
        ],
    ),
    (
        "projected clusterTrustBundle",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x"}],
            "volumes": [
                {
                    "name": "v0",
                    "projected": {
                        "sources": [
                            {"clusterTrustBundle": {"name": "n", "signerName": "s", "path": "p"}},
                            {"clusterTrustBundle": {"signerName": "", "path": "/p"}},
                        ]
                    },
                }
            ],
        },
        [
            'spec.volumes[0].projected.sources[0].clusterTrustBundle: Invalid value: {"Name":"n","SignerName":"s","LabelSelector":null,"Optional":null,"Path":"p"}: only one of name and signerName may be used',
            "spec.volumes[0].projected.sources[1].clusterTrustBundle.signerName: Required value: must be a valid signer name",
            "spec.volumes[0].projected.sources[1].clusterTrustBundle.signerName: Required value",
            'spec.volumes[0].projected.sources[1].clusterTrustBundle.path: Invalid value: "/p": must be a relative path',
        ],
    ),
    (
        "ephemeral claim template",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x"}],
            "volumes": [
                {
                    "name": "v0",
                    "ephemeral": {
                        "volumeClaimTemplate": {
                            "metadata": {"name": "x", "uid": "u", "labels": {"Bad Key": "v"}},
                            "spec": {
                                "accessModes": ["Bogus", "ReadWriteOncePod", "ReadWriteOnce"],
                                "resources": {"requests": {"storage": "0"}},
                                "volumeMode": "Bogus",
                                "dataSource": {"name": "a", "kind": "PersistentVolumeClaim"},
                                "dataSourceRef": {"name": "b", "kind": "PersistentVolumeClaim"},
                            },
                        }
                    },
                }
            ],
        },
        [
            "spec.volumes[0].ephemeral.volumeClaimTemplate.metadata.labels: Invalid value: \"Bad Key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            "spec.volumes[0].ephemeral.volumeClaimTemplate.metadata.name: Forbidden: cannot be set",
            "spec.volumes[0].ephemeral.volumeClaimTemplate.metadata.uID: Forbidden: cannot be set",
            'spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes: Unsupported value: "Bogus": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
            "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
            'spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]: Invalid value: "0": must be greater than zero',
            'spec.volumes[0].ephemeral.volumeClaimTemplate.spec.volumeMode: Unsupported value: "Bogus": supported values: "Block", "Filesystem"',
            "spec.volumes[0].ephemeral.volumeClaimTemplate.spec: Invalid value: {}: must match dataSourceRef",
        ],
    ),
    (
        "pod-level requests from the containers",
        {"name": "p"},
        {
            "containers": [{"name": "c", "image": "x", "resources": {"requests": {"cpu": "3"}}}],
            "resources": {"limits": {"cpu": "2", "memory": "1Gi"}},
        },
        [
            'spec.resources.requests: Invalid value: "3": must be less than or equal to cpu limit of 2'
        ],
    ),
    (
        "pod-level request below the aggregate",
        {"name": "p"},
        {
            "containers": [
                {
                    "name": "c",
                    "image": "x",
                    "resources": {"requests": {"cpu": "100m", "memory": "2Gi"}},
                }
            ],
            "resources": {"requests": {"memory": "1Gi"}},
        },
        [
            'spec.resources.requests[memory]: Invalid value: "1Gi": must be greater than or equal to aggregate container requests of 2Gi'
        ],
    ),
]


def _texts(meta: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    pod = podmodel.from_dict({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec})
    return [str(e) for e in podmodel.validate(pod).errors]


@pytest.mark.parametrize(("name", "meta", "spec", "expected"), CASES, ids=[c[0] for c in CASES])
def test_server_texts(
    name: str, meta: dict[str, Any], spec: dict[str, Any], expected: list[str]
) -> None:
    assert _texts(meta, spec) == expected


def _defaulted(spec: dict[str, Any]) -> dict[str, Any]:
    pod = podmodel.from_dict(
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}
    )
    out: dict[str, Any] = podmodel.to_dict(podmodel.apply_defaults(pod))["spec"]
    return out


def test_legacy_volume_defaults() -> None:
    """SetDefaults_ISCSIVolumeSource, _AzureDiskVolumeSource (nil pointers only), _RBD..., _ScaleIO...,
    _ImageVolumeSource, the token's expirationSeconds and the claim template's volumeMode."""
    spec = {
        "containers": [{"name": "c", "image": "x"}],
        "volumes": [
            {"name": "a", "iscsi": {"iscsiInterface": ""}},
            {"name": "b", "azureDisk": {"kind": ""}},
            {"name": "c", "rbd": {}},
            {"name": "d", "scaleIO": {"fsType": ""}},
            {"name": "e", "image": {"reference": "x:latest"}},
            {"name": "f", "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]}},
            {"name": "g", "ephemeral": {"volumeClaimTemplate": {}}},
        ],
    }
    volumes = _defaulted(spec)["volumes"]
    assert volumes[0]["iscsi"] == {"iscsiInterface": "default"}
    assert volumes[1]["azureDisk"] == {
        "kind": "",
        "cachingMode": "ReadWrite",
        "fsType": "ext4",
        "readOnly": False,
    }
    assert volumes[2]["rbd"] == {"pool": "rbd", "user": "admin", "keyring": "/etc/ceph/keyring"}
    assert volumes[3]["scaleIO"] == {"fsType": "xfs", "storageMode": "ThinProvisioned"}
    assert volumes[4]["image"]["pullPolicy"] == "Always"
    assert volumes[5]["projected"]["sources"][0]["serviceAccountToken"]["expirationSeconds"] == 3600
    assert volumes[6]["ephemeral"] == {
        "volumeClaimTemplate": {"spec": {"volumeMode": "Filesystem"}}
    }


def test_pod_level_resource_defaults() -> None:
    """defaultHugePagePodLimits, then defaultPodRequests: cpu and memory from the containers'
    aggregate (sidecars summed, init containers as a maximum), the rest from the pod's limits."""
    spec = {
        "containers": [
            {"name": "c", "image": "x", "resources": {"limits": {"cpu": "500m", "memory": "1Gi"}}}
        ],
        "initContainers": [
            {"name": "i", "image": "x", "resources": {"requests": {"cpu": "1"}}},
            {
                "name": "s",
                "image": "x",
                "restartPolicy": "Always",
                "resources": {"requests": {"cpu": "300m"}, "limits": {"hugepages-2Mi": "4Mi"}},
            },
        ],
        "resources": {"limits": {"cpu": "2"}, "requests": {}},
    }
    assert _defaulted(spec)["resources"] == {
        "limits": {"cpu": "2", "hugepages-2Mi": "4Mi"},
        "requests": {"cpu": "1", "memory": "1Gi", "hugepages-2Mi": "4Mi"},
    }
    # no pod-level limits: nothing is defaulted
    spec["resources"] = {"limits": {}}
    assert "requests" not in _defaulted(spec)["resources"]


_NAMES = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-(2**31), 2**31), st.text(max_size=8))


@given(st.lists(st.tuples(_NAMES, _VALUES), max_size=6, unique_by=lambda kv: kv[0]))
def test_go_struct_keeps_declaration_order(fields: list[tuple[str, Any]]) -> None:
    """A GoStruct renders as a JSON object whose keys keep the declared order (a map's would be
    sorted), with the same values."""
    text = render_value(GoStruct(tuple(fields)))
    decoded = json.loads(text, object_pairs_hook=list)
    assert [k for k, _ in decoded] == [k for k, _ in fields]
    assert [v for _, v in decoded] == [v for _, v in fields]


@given(
    st.dictionaries(
        st.sampled_from(["cpu", "memory", "hugepages-2Mi"]),
        st.sampled_from(["1", "2Mi", "500m", "0"]),
        max_size=3,
    ),
    st.dictionaries(
        st.sampled_from(["cpu", "memory", "hugepages-2Mi"]),
        st.sampled_from(["1", "2Mi", "500m", "0"]),
        max_size=3,
    ),
    st.lists(
        st.dictionaries(
            st.sampled_from(["cpu", "memory", "hugepages-2Mi"]),
            st.sampled_from(["1", "4Mi", "100m"]),
            max_size=3,
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_pod_level_defaults_are_idempotent_and_keep_what_was_written(
    limits: dict[str, str], requests: dict[str, str], containers: list[dict[str, str]]
) -> None:
    spec = {
        "containers": [
            {"name": f"c{i}", "image": "x", "resources": {"requests": r}}
            for i, r in enumerate(containers)
        ],
        "resources": {"limits": limits, "requests": requests},
    }
    pod = podmodel.from_dict(
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}
    )
    once = podmodel.apply_defaults(pod)
    assert podmodel.apply_defaults(once) == once
    res = podmodel.to_dict(once)["spec"]["resources"]
    for key, value in requests.items():
        assert res["requests"][key] == value
    for key, value in limits.items():
        assert res["limits"][key] == value
    if not limits and not requests:
        assert not res.get("requests")
        assert not res.get("limits")
