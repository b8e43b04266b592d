"""A fresh cluster's objects on the node (``kube-root-ca.crt``, the ``default``
ServiceAccount), ServiceAccounts applied to the node, and the projected token; the order in
which a deleted pod's sidecars stop (KEP-753)."""

from __future__ import annotations

import base64
import itertools
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel import Node
from podmodel.kubelet._config import (
    ROOT_CA_CERT,
    TOKEN_AUDIENCE,
    ConfigError,
    ServiceAccount,
    config_object,
)
from tests.support.helpers import pod_of

SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


def _admitted(namespace: str = "default", account: str | None = None) -> podmodel.Pod:
    spec: dict[str, Any] = {
        "containers": [{"name": "c", "image": "busybox", "command": ["sleep", "3600"]}]
    }
    if account is not None:
        spec["serviceAccountName"] = account
    pod = podmodel.from_dict(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p", "namespace": namespace},
            "spec": spec,
        }
    )
    return podmodel.admit(pod)


def _claims(token: str) -> dict[str, Any]:
    header, payload, signature = token.split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "=="))["alg"] == "RS256"
    assert signature
    return json.loads(base64.urlsafe_b64decode(payload + "=="))  # type: ignore[no-any-return]


@given(st.sampled_from(["default", "team-a", "kube-system"]))
def test_an_admitted_pod_starts_with_its_api_credentials(namespace: str) -> None:
    p = Node().start(_admitted(namespace)).advance(1).pod("p", namespace)
    assert p.get_line().split()[1:3] == ["1/1", "Running"]
    assert p.exec("c", f"cat {SA_DIR}/namespace").stdout == namespace
    assert p.exec("c", f"cat {SA_DIR}/ca.crt").stdout == ROOT_CA_CERT
    claims = _claims(p.exec("c", f"cat {SA_DIR}/token").stdout)
    assert claims["aud"] == [TOKEN_AUDIENCE]
    assert claims["sub"] == f"system:serviceaccount:{namespace}:default"
    assert claims["kubernetes.io"]["pod"] == {"name": "p", "uid": p.state.uid}
    # the admission plugin's 3607 s token is extended to a year, warning after 3607 s
    assert claims["exp"] - claims["iat"] == 365 * 24 * 3600
    assert claims["kubernetes.io"]["warnafter"] - claims["iat"] == 3607


def test_without_the_cluster_objects_the_mount_fails_with_the_kubelets_messages() -> None:
    node = Node(cluster_objects=False).start(_admitted())
    volume = _admitted().spec.volumes[0].name
    failed = [e.message for e in node.pod("p").events if e.reason == "FailedMount"]
    assert failed == [
        f'MountVolume.SetUp failed for volume "{volume}" : [failed to fetch token: '
        'serviceaccounts "default" not found, configmap "kube-root-ca.crt" not found]'
    ]
    node = node.apply(
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}}
    )
    node = node.apply(
        {"kind": "ConfigMap", "metadata": {"name": "kube-root-ca.crt"}, "data": {"ca.crt": "x"}}
    )
    p = node.advance(1).pod("p")
    assert p.get_line().split()[1:3] == ["1/1", "Running"]
    assert p.exec("c", f"cat {SA_DIR}/ca.crt").stdout == "x"


def test_a_pod_naming_a_missing_service_account_waits_for_it() -> None:
    node = Node().start(_admitted(account="robot"))
    assert node.pod("p").get_line().split()[2] == "ContainerCreating"
    assert any(
        'failed to fetch token: serviceaccounts "robot" not found' in e.message
        for e in node.pod("p").events
    )
    node = node.apply(ServiceAccount(name="robot")).advance(1)
    token = node.pod("p").exec("c", f"cat {SA_DIR}/token").stdout
    assert _claims(token)["kubernetes.io"]["serviceaccount"]["name"] == "robot"


def test_a_token_source_with_its_own_audience_and_expiry() -> None:
    volume = {
        "name": "tok",
        "projected": {
            "sources": [
                {
                    "serviceAccountToken": {
                        "audience": "vault",
                        "expirationSeconds": 600,
                        "path": "t",
                    }
                }
            ]
        },
    }
    pod = pod_of(
        {
            "containers": [
                {
                    "name": "c",
                    "image": "busybox",
                    "command": ["sleep", "3600"],
                    "volumeMounts": [{"name": "tok", "mountPath": "/tok"}],
                }
            ],
            "volumes": [volume],
        }
    )
    claims = _claims(Node().advance(50).start(pod).pod("p").exec("c", "cat /tok/t").stdout)
    assert claims["aud"] == ["vault"]
    assert claims["exp"] - claims["iat"] == 600
    assert "warnafter" not in claims["kubernetes.io"]


def test_a_malformed_object_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="ServiceAccount"):
        config_object({"kind": "Role", "metadata": {"name": "x"}})
    assert config_object({"kind": "ServiceAccount", "metadata": {"name": "x"}}) == ServiceAccount(
        name="x"
    )


SIDECAR = "trap 'sleep {d}; exit 0' TERM; while true; do sleep 1; done"


def _sidecar_pod(delays: list[int], app_delay: int, grace: int) -> podmodel.Pod:
    inits = [
        {
            "name": f"s{i}",
            "image": "busybox",
            "restartPolicy": "Always",
            "command": ["sh", "-c", SIDECAR.format(d=d)],
        }
        for i, d in enumerate(delays)
    ]
    app = {"name": "app", "image": "busybox", "command": ["sh", "-c", SIDECAR.format(d=app_delay)]}
    return pod_of(
        {"initContainers": inits, "containers": [app], "terminationGracePeriodSeconds": grace}
    )


@given(
    st.lists(st.integers(0, 6), min_size=1, max_size=3),
    st.integers(0, 6),
    st.integers(1, 40),
)
def test_sidecars_stop_after_the_app_containers_in_reverse_order(
    delays: list[int], app_delay: int, grace: int
) -> None:
    node = Node().start(_sidecar_pod(delays, app_delay, grace)).advance(5).delete("p")
    finished: dict[str, float] = {}
    for _ in range(100):
        if "default/p" not in node.pods:
            break
        for c in node.pod("p").containers:
            if c.state == "terminated" and c.finished_at is not None:
                finished.setdefault(c.name, c.finished_at)
        node = node.advance(0.5)
    assert "default/p" not in node.pods
    order = ["app", *(f"s{i}" for i in reversed(range(len(delays))))]
    times = [finished.get(n) for n in order]
    known = [t for t in times if t is not None]
    # a container stops only once the ones before it have, unless the grace period ran out
    for before, after in itertools.pairwise(known):
        assert after >= before or after >= 5 + grace


def test_a_sidecar_gets_the_stop_signal_when_the_app_has_exited() -> None:
    node = Node().start(_sidecar_pod([0], 4, 30)).advance(5).delete("p")
    kills = [e for e in node.pod("p").events if e.reason == "Killing"]
    assert sorted(e.message for e in kills) == ["Stopping container app", "Stopping container s0"]
    node = node.advance(4.5)  # the app's handler sleeps 4 s, then the sidecar gets SIGTERM
    assert "default/p" not in node.pods
    mid = Node().start(_sidecar_pod([0], 4, 30)).advance(5).delete("p").advance(3)
    assert mid.pod("p").container("s0").state == "running"
