"""Workload validation (podmodel.apiserver.workloads): each kind's own rules with the v1.35
API server's texts, its pod template validated with the template's paths."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podmodel.apiserver.validation import validate
from podmodel.apiserver.workloads import InvalidWorkload, check_workload, validate_workload
from podmodel.codec import object_from_dict
from podmodel.errors import DecodeError
from podmodel.model.spec import Pod
from tests.support.strategies import mutated_manifests, valid_manifests

POD: dict[str, Any] = {
    "metadata": {"labels": {"app": "web"}},
    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
}
VERSIONS = {
    "Deployment": "apps/v1",
    "ReplicaSet": "apps/v1",
    "DaemonSet": "apps/v1",
    "StatefulSet": "apps/v1",
    "Job": "batch/v1",
    "CronJob": "batch/v1",
}


def obj(kind: str, spec: dict[str, Any] | None = None, template: Any = POD, **meta: Any) -> Any:
    """A *kind* object named ``web`` with *spec* and the pod *template*."""
    spec = copy.deepcopy(spec or {})
    template = copy.deepcopy(template)
    if kind == "CronJob":
        spec.setdefault("jobTemplate", {}).setdefault("spec", {})["template"] = template
    elif template is not None:
        spec["template"] = template
    doc = {
        "apiVersion": VERSIONS.get(kind, "v1"),
        "kind": kind,
        "metadata": {"name": "web", **meta},
        "spec": spec,
    }
    return object_from_dict(doc)


def errors(o: Any) -> list[str]:
    return [str(e) for e in validate_workload(o).errors]


SELECT = {"selector": {"matchLabels": {"app": "web"}}}


def never(template: dict[str, Any] = POD) -> dict[str, Any]:
    out = copy.deepcopy(template)
    out["spec"]["restartPolicy"] = "Never"
    return out


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"])
def test_a_valid_object_of_each_apps_kind_passes(kind: str) -> None:
    spec = dict(SELECT, serviceName="web") if kind == "StatefulSet" else SELECT
    result = validate_workload(obj(kind, spec))
    assert result.ok, result.errors
    assert result.kind == kind
    assert result.group == "apps"


def test_a_valid_job_cron_job_and_replication_controller_pass() -> None:
    assert validate_workload(obj("Job", template=never())).ok
    assert validate_workload(obj("CronJob", {"schedule": "*/5 * * * *"}, never())).ok
    assert validate_workload(obj("ReplicationController")).ok


def test_a_deployment_without_selector() -> None:
    assert errors(obj("Deployment")) == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match '
        "template `labels`",
    ]


def test_the_template_is_validated_as_a_pod_with_its_path() -> None:
    template = {"spec": {"containers": [{"name": "c"}], "restartPolicy": "OnFailure"}}
    template["spec"]["activeDeadlineSeconds"] = 10
    template["spec"]["ephemeralContainers"] = [{"name": "e", "image": "x"}]
    assert errors(obj("Deployment", {"selector": {"matchLabels": {"a": "b"}}}, template)) == [
        "spec.template.metadata.labels: Invalid value: null: `selector` does not match template "
        "`labels`",
        "spec.template.spec.containers[0].image: Required value",
        "spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in "
        "pod template",
        'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: '
        '"Always"',
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet "
        "is not Supported",
    ]


def test_deployment_strategies() -> None:
    recreate = dict(SELECT, strategy={"type": "Recreate", "rollingUpdate": {"maxSurge": 1}})
    assert errors(obj("Deployment", recreate)) == [
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is "
        "'Recreate'"
    ]
    zero = dict(SELECT, strategy={"rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}})
    assert errors(obj("Deployment", zero)) == [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when '
        "`maxSurge` is 0"
    ]
    over = dict(SELECT, strategy={"rollingUpdate": {"maxUnavailable": "150%"}})
    assert errors(obj("Deployment", over)) == [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater '
        "than 100%"
    ]
    deadline = dict(SELECT, minReadySeconds=30, progressDeadlineSeconds=30, replicas=-1)
    assert errors(obj("Deployment", deadline)) == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds",
    ]


def test_selectors() -> None:
    assert errors(obj("ReplicaSet", {"selector": {}})) == [
        "spec.selector: Invalid value: {}: empty selector is invalid for deployment"
    ]
    expr = {"selector": {"matchExpressions": [{"key": "app", "operator": "Has"}]}}
    assert errors(obj("ReplicaSet", expr)) == [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Has": not a valid selector '
        "operator",
        'spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"Has"}]}: '
        "invalid label selector",
    ]
    not_in = {
        "selector": {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}
    }
    assert errors(obj("ReplicaSet", not_in))[0].startswith(
        "spec.template.metadata.labels: Invalid value: "
    )


def test_daemon_sets() -> None:
    both = dict(SELECT, updateStrategy={"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 1}})
    assert errors(obj("DaemonSet", both)) == [
        "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when "
        "maxUnavailable is non-zero"
    ]
    assert errors(obj("DaemonSet", SELECT, never())) == [
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'
    ]


def test_stateful_sets_check_the_template_metadata_not_its_spec() -> None:
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c"}]}}
    spec = dict(SELECT, podManagementPolicy="Sometimes", ordinals={"start": -1})
    assert errors(obj("StatefulSet", spec, template)) == [
        "spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or "
        "'Parallel'",
        "spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0",
    ]
    assert errors(obj("StatefulSet", SELECT, name="Web"))[0].startswith(
        'metadata.name: Invalid value: "Web": a lowercase RFC 1123 label must consist of'
    )


def test_jobs() -> None:
    assert errors(obj("Job")) == [
        'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'
    ]
    assert errors(obj("Job", SELECT, never())) == [
        'spec.selector: Invalid value: {"matchLabels":{"app":"web",'
        '"batch.kubernetes.io/controller-uid":"00000000-0000-0000-0000-000000000000"}}: '
        "`selector` not auto-generated"
    ]
    assert validate_workload(obj("Job", dict(SELECT, manualSelector=True), never())).ok
    indexed = {"completionMode": "Indexed", "parallelism": 2, "backoffLimit": -1}
    policy = {"rules": [{"action": "Kill", "onExitCodes": {"operator": "In", "values": [3, 0, 1]}}]}
    template = copy.deepcopy(POD)
    template["spec"]["restartPolicy"] = "OnFailure"
    assert errors(obj("Job", dict(indexed, podFailurePolicy=policy), template)) == [
        "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0",
        "spec.completions: Required value: when completion mode is Indexed",
        'spec.podFailurePolicy.rules[0].action: Unsupported value: "Kill": supported values: '
        '"Count", "FailIndex", "FailJob", "Ignore"',
        "spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 "
        "for the In operator",
        "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [3,0,1]: must be "
        "ordered",
        'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported '
        "when podFailurePolicy is specified",
    ]
    neither = {"rules": [{"action": "Ignore"}]}
    assert errors(obj("Job", {"podFailurePolicy": neither}, never())) == [
        "spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and "
        "OnPodConditions is required"
    ]


@pytest.mark.parametrize(
    ("schedule", "detail"),
    [
        ("61 * * * *", "end of range (61) above maximum (59): 61"),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("@often", "unrecognized descriptor: @often"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("@every 5", 'failed to parse duration @every 5: time: missing unit in duration "5"'),
    ],
)
def test_cron_schedules(schedule: str, detail: str) -> None:
    assert errors(obj("CronJob", {"schedule": schedule}, never())) == [
        f'spec.schedule: Invalid value: "{schedule}": {detail}'
    ]


def test_good_cron_schedules() -> None:
    for schedule in ("0 0 * * sun", "*/15 9-17 * jan-jun mon-fri", "@hourly", "@every 1h30m"):
        assert errors(obj("CronJob", {"schedule": schedule}, never())) == [], schedule


def test_cron_jobs() -> None:
    spec = {
        "schedule": "CRON_TZ=UTC 0 * * * *",
        "timeZone": "Mars/Olympus",
        "concurrencyPolicy": "Sometimes",
        "jobTemplate": {"spec": {"selector": {"matchLabels": {"a": "b"}}}},
    }
    assert errors(obj("CronJob", spec, never())) == [
        'spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in '
        "schedule, use timeZone field instead",
        'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
        'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", '
        '"Forbid", "Replace"',
        'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` '
        "will be auto-generated",
    ]
    assert errors(obj("CronJob", {"schedule": "@daily"}, POD)) == [
        "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "
        '"OnFailure", "Never"'
    ]


def test_warnings_carry_the_template_path_and_the_name() -> None:
    template = copy.deepcopy(POD)
    template["spec"]["containers"][0]["ports"] = [{"containerPort": 80, "hostIP": "0.0.0.0"}]
    result = validate_workload(obj("Deployment", SELECT, template, name="a.b"))
    assert [str(w) for w in result.warnings] == [
        "metadata.name: this is used in Pod names and hostnames, which can result in surprising "
        "behavior; a DNS label is recommended: [must not contain dots]",
        "spec.template.spec.containers[0].ports[0]: hostIP set without hostPort: {Name: "
        "HostPort:0 ContainerPort:80 Protocol:TCP HostIP:0.0.0.0}",
    ]


def test_messages_and_check_workload() -> None:
    result = validate_workload(obj("Deployment"))
    assert result.server_message().startswith('Deployment.apps "web" is invalid: [')
    assert result.kubectl_message().startswith('The Deployment "web" is invalid: \n* ')
    with pytest.raises(InvalidWorkload) as info:
        check_workload(obj("Deployment"))
    assert info.value.result == result
    assert check_workload(obj("Deployment", SELECT)).ok


KINDS = ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob"]


@given(st.sampled_from(KINDS), valid_manifests())
def test_a_valid_pod_makes_a_valid_template_of_every_kind(kind: str, pod: dict[str, Any]) -> None:
    assert validate(object_from_dict(pod)).ok  # type: ignore[arg-type]
    template = {"metadata": {"labels": {"app": "web"}}, "spec": pod["spec"]}
    if kind in ("Job", "CronJob"):
        template["spec"] = dict(template["spec"], restartPolicy="OnFailure")
    spec = {} if kind in ("Job", "CronJob") else dict(SELECT)
    if kind == "CronJob":
        spec["schedule"] = "0 * * * *"
    result = validate_workload(obj(kind, spec, template))
    assert result.ok, result.errors


@given(valid_manifests())
def test_validation_never_changes_its_input(pod: dict[str, Any]) -> None:
    d = obj("Deployment", SELECT, {"metadata": {"labels": {"app": "web"}}, "spec": pod["spec"]})
    before = copy.deepcopy(d)
    validate_workload(d)
    assert d == before
    assert not isinstance(d, Pod)


@given(st.sampled_from(KINDS), mutated_manifests())
def test_validation_never_raises_on_what_decodes(kind: str, pod: Any) -> None:
    """Any decodable workload gets a result (errors are data), whatever its template holds."""
    template = (
        {"metadata": pod.get("metadata"), "spec": pod.get("spec")} if isinstance(pod, dict) else pod
    )
    try:
        o = obj(kind, {}, template)
    except DecodeError:
        return
    result = validate_workload(o)
    assert result.ok or result.errors
    assert all(e.type.value for e in (*result.errors, *result.warnings))
