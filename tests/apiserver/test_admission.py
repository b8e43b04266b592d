"""The default mutating admission of a fresh v1.35 cluster (podmodel.apiserver.admission).

Example tests pin each plugin's documented behaviour and the server's texts; the properties say
that admission never changes its input, is idempotent and keeps valid pods valid; the oracle
(which runs no admission) confirms that the admitted pod, with its ``kube-api-access-*`` volume,
is accepted as is, and that the server's defaulting adds nothing to that volume.
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import podmodel
from podmodel.apiserver.admission import (
    ADMISSION_ORDER,
    API_TOKEN_MOUNT_PATH,
    SYSTEM_PRIORITY_CLASSES,
    AdmissionError,
    ClusterFacts,
    PriorityClass,
    UnknownAdmissionPlugin,
    admission,
    admit,
    token_volume_name,
)
from podmodel.strategies import invalid_pods, pods
from tests.support.oracle import Oracle

# kubernetes/website content/en/examples/pods/pod-projected-svc-token.yaml
PROJECTED_TOKEN = """\
kind: Pod
apiVersion: v1
metadata:
  name: nginx
spec:
  containers:
  - image: nginx
    name: nginx
    volumeMounts:
    - mountPath: /var/run/secrets/tokens
      name: vault-token
  volumes:
  - name: vault-token
    projected:
      sources:
      - serviceAccountToken:
          path: vault-token
          expirationSeconds: 7200
          audience: vault
"""

# What a v1.35 server stores for the token volume (TokenVolumeSource, serviceaccount/admission.go).
TOKEN_SOURCE = {
    "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {
            "downwardAPI": {
                "items": [
                    {
                        "path": "namespace",
                        "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                    }
                ]
            }
        },
    ],
    "defaultMode": 420,
}
TOLERATIONS = [
    {
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
    {
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
]


def pod_of(spec: dict[str, Any], **meta: Any) -> podmodel.Pod:
    meta.setdefault("name", "p")
    return podmodel.from_dict({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec})


def plain(**spec: Any) -> podmodel.Pod:
    return pod_of({"containers": [{"name": "c", "image": "nginx"}], **spec})


def spec_of(pod: podmodel.Pod) -> dict[str, Any]:
    out: dict[str, Any] = podmodel.to_dict(pod)["spec"]
    return out


# --- the whole chain -----------------------------------------------------------------------


def test_a_plain_pod_gets_what_a_fresh_cluster_adds() -> None:
    pod = pod_of(
        {
            "initContainers": [{"name": "i", "image": "busybox"}],
            "containers": [{"name": "c", "image": "nginx"}],
        }
    )
    spec = spec_of(admit(pod))
    name = token_volume_name(pod)
    mount = {"name": name, "mountPath": API_TOKEN_MOUNT_PATH, "readOnly": True}
    assert spec == {
        "initContainers": [{"name": "i", "image": "busybox", "volumeMounts": [mount]}],
        "containers": [{"name": "c", "image": "nginx", "volumeMounts": [mount]}],
        "volumes": [{"name": name, "projected": TOKEN_SOURCE}],
        "serviceAccountName": "default",
        "serviceAccount": "default",
        "priority": 0,
        "preemptionPolicy": "PreemptLowerPriority",
        "tolerations": TOLERATIONS,
    }


def test_the_changes_are_listed_plugin_by_plugin_in_the_servers_order() -> None:
    result = admission(plain())
    assert [c.plugin for c in result.changes] == [
        "ServiceAccount",
        "ServiceAccount",
        "ServiceAccount",
        "Priority",
        "Priority",
        "DefaultTolerationSeconds",
        "DefaultTolerationSeconds",
    ]
    assert str(result.changes[0]) == 'ServiceAccount: spec.serviceAccountName: set to "default"'
    assert [c.path for c in result.changes][1:3] == [
        "spec.containers[0].volumeMounts[0]",
        "spec.volumes[0]",
    ]
    assert result.plugins == ADMISSION_ORDER


def test_the_website_projected_token_example_is_accepted_after_admission() -> None:
    pod = podmodel.loads(PROJECTED_TOKEN)
    assert [str(e) for e in podmodel.validate(pod).errors] == [
        "spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be "
        "specified when serviceAccountName is not set"
    ]
    assert podmodel.validate(admit(pod)).ok


def test_check_admits_first_as_kubectl_apply_meets_it() -> None:
    pod = podmodel.loads(PROJECTED_TOKEN)
    assert podmodel.check(pod).ok
    with pytest.raises(podmodel.InvalidPod, match="serviceAccountToken: Forbidden"):
        podmodel.check(pod, admission=False)
    named = plain(runtimeClassName="gvisor", priorityClassName="high")
    assert podmodel.check(named).ok  # the classes a manifest names are assumed to exist
    with pytest.raises(AdmissionError, match="no PriorityClass with name high"):
        podmodel.check(named, cluster=ClusterFacts())
    with pytest.raises(podmodel.InvalidPod):  # field errors come before admission's
        podmodel.check(plain(overhead={"cpu": "-1"}), cluster=ClusterFacts())


def test_plugins_choose_the_steps_and_the_server_order_is_kept() -> None:
    pod = plain()
    assert admit(pod, plugins=()) == pod
    only = spec_of(admit(pod, plugins=["DefaultTolerationSeconds"]))
    assert only["tolerations"] == TOLERATIONS
    assert "priority" not in only
    assert "serviceAccountName" not in only
    both = admission(pod, plugins=["DefaultTolerationSeconds", "Priority"])
    assert both.plugins == ("Priority", "DefaultTolerationSeconds")
    assert admit(pod, plugins=["LimitRanger", "PodSecurity", "NodeRestriction"]) == pod
    assert admit(pod, plugins="Priority") == admit(pod, plugins=["Priority"])


def test_an_unknown_plugin_name_is_a_podmodel_error() -> None:
    with pytest.raises(UnknownAdmissionPlugin, match="AlwaysPullImage"):
        admit(plain(), plugins=["AlwaysPullImage"])
    assert issubclass(UnknownAdmissionPlugin, podmodel.PodmodelError)


# --- ServiceAccount ------------------------------------------------------------------------


def test_the_token_volume_is_projected_exactly_as_the_decoder_reads_it() -> None:
    name = token_volume_name(plain())
    decoded = pod_of(
        {
            "containers": [{"name": "c", "image": "nginx"}],
            "volumes": [{"name": name, "projected": TOKEN_SOURCE}],
        }
    )
    assert admit(plain()).spec.volumes == decoded.spec.volumes


def test_the_volume_name_is_deterministic_and_depends_on_the_pod() -> None:
    assert token_volume_name(plain()) == token_volume_name(plain())
    assert token_volume_name(plain()) != token_volume_name(plain(hostname="h"))
    suffix = token_volume_name(plain()).removeprefix("kube-api-access-")
    assert len(suffix) == 5
    assert set(suffix) <= set("bcdfghjklmnpqrstvwxz2456789")


def test_automount_false_on_the_pod_sets_the_account_and_mounts_nothing() -> None:
    spec = spec_of(admit(plain(automountServiceAccountToken=False)))
    assert spec["serviceAccountName"] == "default"
    assert "volumes" not in spec
    assert "volumeMounts" not in spec["containers"][0]


def test_a_container_that_already_mounts_the_path_is_left_alone() -> None:
    pod = pod_of(
        {
            "containers": [
                {
                    "name": "own",
                    "image": "nginx",
                    "volumeMounts": [{"name": "mine", "mountPath": API_TOKEN_MOUNT_PATH}],
                },
                {"name": "other", "image": "nginx"},
            ],
            "volumes": [{"name": "mine", "emptyDir": {}}],
        }
    )
    out = admit(pod)
    assert out.spec.containers[0] == pod.spec.containers[0]
    assert out.spec.containers[1].volume_mounts[0].name == out.spec.volumes[1].name
    only_own = pod_of(
        {
            "containers": [podmodel.to_dict(pod)["spec"]["containers"][0]],
            "volumes": [{"name": "mine", "emptyDir": {}}],
        }
    )
    # no container needs the token volume, so none is added
    assert admit(only_own, plugins=["ServiceAccount"]).spec.volumes == only_own.spec.volumes


def test_an_existing_kube_api_access_volume_is_reused_whatever_its_source() -> None:
    pod = plain(volumes=[{"name": "kube-api-access-abcde", "emptyDir": {}}])
    out = admit(pod)
    assert out.spec.volumes == pod.spec.volumes
    assert out.spec.containers[0].volume_mounts[0].name == "kube-api-access-abcde"


def test_ephemeral_containers_get_no_mount() -> None:
    pod = plain(ephemeralContainers=[{"name": "debug", "image": "busybox"}])
    assert admit(pod).spec.ephemeral_containers == pod.spec.ephemeral_containers


def test_a_pod_without_containers_gets_the_account_but_no_volume() -> None:
    spec = spec_of(admit(pod_of({}), plugins=["ServiceAccount"]))
    assert spec == {"serviceAccountName": "default", "serviceAccount": "default"}


def test_the_deprecated_service_account_field_names_the_account() -> None:
    spec = spec_of(admit(plain(serviceAccount="robot"), plugins=["ServiceAccount"]))
    assert (spec["serviceAccountName"], spec["serviceAccount"]) == ("robot", "robot")
    both = spec_of(
        admit(plain(serviceAccount="old", serviceAccountName="new"), plugins=["ServiceAccount"])
    )
    assert (both["serviceAccountName"], both["serviceAccount"]) == ("new", "new")


def test_node_name_changes_nothing_for_the_service_account_plugin() -> None:
    out = spec_of(admit(plain(nodeName="node-1"), plugins=["ServiceAccount"]))
    assert out["serviceAccountName"] == "default"
    assert out["volumes"][0]["projected"] == TOKEN_SOURCE


def test_a_missing_service_account_is_forbidden_when_the_accounts_are_given() -> None:
    pod = plain(serviceAccountName="build-robot")
    assert admit(pod).spec.service_account_name == "build-robot"  # default: not checked
    with pytest.raises(AdmissionError) as err:
        admit(pod, cluster=ClusterFacts(service_accounts={"default"}), namespace="dev")
    assert str(err.value) == (
        'pods "p" is forbidden: error looking up service account dev/build-robot: '
        'serviceaccount "build-robot" not found'
    )
    assert err.value.plugin == "ServiceAccount"


MIRROR = {"kubernetes.io/config.mirror": "abc"}


def test_a_mirror_pod_is_not_changed_by_the_service_account_plugin() -> None:
    pod = pod_of({"containers": [{"name": "c", "image": "nginx"}]}, annotations=MIRROR)
    assert admit(pod, plugins=["ServiceAccount"]) == pod


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        ({"serviceAccountName": "x"}, "a mirror pod may not reference service accounts"),
        ({"serviceAccount": "x"}, "a mirror pod may not reference service accounts"),
        ({"imagePullSecrets": [{"name": "reg"}]}, "a mirror pod may not reference secrets"),
        (
            {"volumes": [{"name": "s", "secret": {"secretName": "s"}}]},
            "a mirror pod may not reference secrets",
        ),
        (
            {
                "volumes": [
                    {
                        "name": "t",
                        "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]},
                    }
                ]
            },
            "a mirror pod may not use ServiceAccountToken volume projections",
        ),
    ],
)
def test_a_mirror_pod_may_not_reference_accounts_secrets_or_tokens(
    spec: dict[str, Any], text: str
) -> None:
    pod = pod_of({"containers": [{"name": "c", "image": "nginx"}], **spec}, annotations=MIRROR)
    with pytest.raises(AdmissionError) as err:
        admit(pod)
    assert str(err.value) == f'pods "p" is forbidden: {text}'


def test_a_mirror_pod_with_env_from_a_secret_is_forbidden() -> None:
    container = {"name": "c", "image": "i", "envFrom": [{"secretRef": {"name": "s"}}]}
    with pytest.raises(AdmissionError, match="may not reference secrets"):
        admit(pod_of({"containers": [container]}, annotations=MIRROR))


# --- Priority -----------------------------------------------------------------------------


def test_no_class_means_priority_zero_and_preempt_lower_priority() -> None:
    spec = spec_of(admit(plain(), plugins=["Priority"]))
    assert (spec["priority"], spec["preemptionPolicy"]) == (0, "PreemptLowerPriority")
    assert "priorityClassName" not in spec


@pytest.mark.parametrize(
    ("name", "value"),
    [("system-node-critical", 2000001000), ("system-cluster-critical", 2000000000)],
)
def test_the_system_classes_resolve(name: str, value: int) -> None:
    spec = spec_of(admit(plain(priorityClassName=name), plugins=["Priority"]))
    assert (spec["priorityClassName"], spec["priority"]) == (name, value)
    assert spec["preemptionPolicy"] == "PreemptLowerPriority"


def test_an_unknown_class_is_forbidden_with_the_servers_text() -> None:
    with pytest.raises(AdmissionError) as err:
        admit(plain(priorityClassName="high-priority"))
    assert str(err.value) == (
        'pods "p" is forbidden: no PriorityClass with name high-priority was found'
    )
    assert (err.value.plugin, err.value.reason, err.value.phase) == (
        "Priority",
        "Forbidden",
        "mutating",
    )
    assert err.value.kubectl_message("pod.yaml") == (
        'Error from server (Forbidden): error when creating "pod.yaml": ' + str(err.value)
    )


def test_a_given_class_and_a_global_default_come_from_the_cluster_facts() -> None:
    classes = (
        PriorityClass(name="high", value=1000, preemption_policy="Never"),
        PriorityClass(name="low", value=10, global_default=True),
        PriorityClass(name="lower", value=5, global_default=True),
    )
    cluster = ClusterFacts(priority_classes=classes)
    high = spec_of(admit(plain(priorityClassName="high"), cluster=cluster, plugins=["Priority"]))
    assert (high["priority"], high["preemptionPolicy"]) == (1000, "Never")
    default = spec_of(admit(plain(), cluster=cluster, plugins=["Priority"]))
    assert (default["priorityClassName"], default["priority"]) == ("lower", 5)


def test_a_written_priority_must_match_the_computed_one() -> None:
    assert spec_of(admit(plain(priority=0), plugins=["Priority"]))["priority"] == 0
    with pytest.raises(AdmissionError) as err:
        admit(plain(priority=7))
    assert str(err.value) == (
        'pods "p" is forbidden: the integer value of priority (7) must not be provided in pod '
        "spec; priority admission controller computed 0 from the given PriorityClass name"
    )


def test_a_written_preemption_policy_must_match_the_computed_one() -> None:
    with pytest.raises(AdmissionError) as err:
        admit(plain(preemptionPolicy="Never"))
    assert str(err.value) == (
        'pods "p" is forbidden: the string value of PreemptionPolicy (Never) must not be '
        "provided in pod spec; priority admission controller computed PreemptLowerPriority "
        "from the given PriorityClass name"
    )


def test_a_generate_name_pod_shows_its_generate_name_in_the_message() -> None:
    pod = podmodel.from_dict(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"generateName": "job-"},
            "spec": {"priorityClassName": "x", "containers": [{"name": "c", "image": "i"}]},
        }
    )
    with pytest.raises(AdmissionError) as err:
        admit(pod)
    assert str(err.value) == 'pods "job-" is forbidden: no PriorityClass with name x was found'
    nameless = pod_of({"priorityClassName": "x"}, name=None)
    with pytest.raises(AdmissionError, match=r'^pods "Unknown" is forbidden'):
        admit(nameless)


def test_admission_errors_pickle() -> None:
    err = AdmissionError("Priority", "no", name="p", phase="validating")
    back = pickle.loads(pickle.dumps(err))
    assert (str(back), back.plugin, back.phase) == (str(err), "Priority", "validating")


# --- DefaultTolerationSeconds ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("toleration", "added"),
    [
        ({"operator": "Exists"}, []),  # empty key and effect tolerate everything
        ({"operator": "Exists", "effect": "NoExecute"}, []),
        ({"operator": "Exists", "effect": "NoSchedule"}, ["not-ready", "unreachable"]),
        ({"key": "node.kubernetes.io/not-ready", "operator": "Exists"}, ["unreachable"]),
        (
            {
                "key": "node.kubernetes.io/unreachable",
                "operator": "Equal",
                "value": "x",
                "effect": "NoExecute",
                "tolerationSeconds": 10,
            },
            ["not-ready"],
        ),
        (
            {"key": "other", "operator": "Exists", "effect": "NoExecute"},
            ["not-ready", "unreachable"],
        ),
    ],
)
def test_a_pod_that_already_tolerates_keeps_its_toleration(
    toleration: dict[str, Any], added: list[str]
) -> None:
    spec = spec_of(admit(plain(tolerations=[toleration]), plugins=["DefaultTolerationSeconds"]))
    assert spec["tolerations"][0] == toleration
    assert [t["key"].removeprefix("node.kubernetes.io/") for t in spec["tolerations"][1:]] == added


def test_the_seconds_are_a_cluster_fact() -> None:
    cluster = ClusterFacts(not_ready_toleration_seconds=60, unreachable_toleration_seconds=30)
    spec = spec_of(admit(plain(), cluster=cluster, plugins=["DefaultTolerationSeconds"]))
    assert [t["tolerationSeconds"] for t in spec["tolerations"]] == [60, 30]


# --- RuntimeClass ---------------------------------------------------------------------------


def test_an_unknown_runtime_class_is_forbidden() -> None:
    pod = plain(runtimeClassName="firecracker")
    with pytest.raises(AdmissionError) as err:
        admit(pod)
    assert (
        str(err.value)
        == 'pods "p" is forbidden: pod rejected: RuntimeClass "firecracker" not found'
    )
    known = ClusterFacts(runtime_classes={"firecracker"})
    assert admit(pod, cluster=known).spec.runtime_class_name == "firecracker"


def test_an_overhead_without_a_runtime_class_overhead_is_refused_after_validation() -> None:
    pod = plain(overhead={"cpu": "250m"})
    result = admission(pod)
    assert admit(pod) == result.pod  # admit leaves it to the caller, after validation
    assert result.denial is not None
    assert result.denial.phase == "validating"
    assert str(result.denial) == (
        'pods "p" is forbidden: pod rejected: Pod Overhead set without corresponding '
        "RuntimeClass defined Overhead"
    )
    assert admission(pod, plugins=["Priority"]).denial is None


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(pods())
def test_admission_never_changes_its_input_and_is_idempotent(pod: podmodel.Pod) -> None:
    before = podmodel.to_dict(pod)
    once = admit(pod)
    assert podmodel.to_dict(pod) == before
    assert admit(once) == once


@settings(max_examples=60, deadline=None)
@given(pods())
def test_valid_pods_stay_valid_after_admission(pod: podmodel.Pod) -> None:
    out = admit(pod)
    assert podmodel.validate(out).ok
    assert podmodel.from_dict(podmodel.to_dict(out)) == out


@settings(max_examples=60, deadline=None)
@given(pods(), st.booleans())
def test_every_init_and_app_container_mounts_the_api_path_once(
    pod: podmodel.Pod, automount: bool
) -> None:
    pod = podmodel.from_dict(
        {
            **podmodel.to_dict(pod),
            "spec": {**spec_of(pod), "automountServiceAccountToken": automount},
        }
    )
    out = admit(pod)
    for c in (*out.spec.init_containers, *out.spec.containers):
        paths = [m.mount_path for m in c.volume_mounts]
        assert paths.count(API_TOKEN_MOUNT_PATH) == (1 if automount else 0)
    assert out.spec.service_account_name == (pod.spec.service_account_name or "default")
    classes = {c.name: c.value for c in SYSTEM_PRIORITY_CLASSES}
    assert out.spec.priority == classes.get(str(pod.spec.priority_class_name), 0)


@settings(max_examples=100, deadline=None)
@given(invalid_pods())
def test_on_any_pod_admission_returns_a_pod_or_raises_admission_error(
    case: tuple[podmodel.Pod, Any],
) -> None:
    pod, _ = case
    try:
        out = admit(pod)
    except AdmissionError as e:
        assert str(e).startswith("pods ")
    else:
        assert admit(out) == out


# --- the oracle (the real v1.35.4 validation, no admission) ----------------------------------


def test_the_oracle_accepts_the_admitted_pod_and_defaults_nothing_into_the_volume(
    apiserver_oracle: Oracle,
) -> None:
    pod = podmodel.loads(PROJECTED_TOKEN)
    before = apiserver_oracle.check(podmodel.to_dict(pod))
    assert [e["type"] for e in before["errors"]] == ["FieldValueForbidden"]
    admitted = podmodel.to_dict(admit(pod))
    answer = apiserver_oracle.check(admitted)
    assert answer["errors"] == []
    token_volume = admitted["spec"]["volumes"][1]
    assert token_volume["name"].startswith("kube-api-access-")
    assert answer["defaulted"]["spec"]["volumes"][1] == token_volume
    assert answer["defaulted"]["spec"]["tolerations"] == TOLERATIONS


@settings(max_examples=40, deadline=None)
@given(pods())
def test_the_oracle_accepts_every_admitted_valid_pod(
    apiserver_oracle: Oracle, pod: podmodel.Pod
) -> None:
    answer = apiserver_oracle.check(podmodel.to_dict(admit(pod)))
    assert answer["errors"] == []


def test_checking_assumes_the_named_classes_exist() -> None:
    from podmodel.apiserver.admission import CHECKING

    pod = plain(runtimeClassName="firecracker", priorityClassName="high-priority")
    result = admission(pod, cluster=CHECKING)
    assert "priority" not in result.pod.spec.extra
    assert result.pod.spec.runtime_class_name == "firecracker"
    assert any("high-priority assumed to exist" in str(c) for c in result.changes)
    with pytest.raises(AdmissionError, match="no PriorityClass with name high-priority"):
        admit(pod)
