"""batch/v1 rules checked against ``pkg/apis/batch/validation/validation.go`` (v1.33+, the
version with ``managedBy``, the high-completions limits and ``successPolicy``): each rule that
differed from the server is pinned here with the server's exact text and order."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from podmodel.apiserver.workloads import validate_workload
from podmodel.codec import object_from_dict

TEMPLATE: dict[str, Any] = {
    "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}
}


def job(**spec: Any) -> Any:
    return object_from_dict(
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "pi"},
            "spec": {**spec, "template": copy.deepcopy(TEMPLATE)},
        }
    )


def errors(obj: Any) -> list[str]:
    return [str(e) for e in validate_workload(obj).errors]


INDEXED = {"completionMode": "Indexed", "completions": 5}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # the NonIndexed checks are Invalid (with the value), one per field, after the others
        (
            {"backoffLimitPerIndex": 1},
            ["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"],
        ),
        (
            {"backoffLimitPerIndex": 1, "maxFailedIndexes": 2},
            [
                "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode",
                "spec.maxFailedIndexes: Invalid value: 2: requires indexed completion mode",
            ],
        ),
        (
            {"maxFailedIndexes": 2},
            [
                "spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified",
                "spec.maxFailedIndexes: Invalid value: 2: requires indexed completion mode",
            ],
        ),
        # an unsupported completion mode is neither Indexed nor NonIndexed
        (
            {"completionMode": "Sometimes", "backoffLimitPerIndex": 1},
            [
                'spec.completionMode: Unsupported value: "Sometimes": supported values: '
                '"NonIndexed", "Indexed"'
            ],
        ),
        # managedBy: IsDomainPrefixedPath, then the length
        (
            {"managedBy": "invalid custom controller name"},
            [
                'spec.managedBy: Invalid value: "invalid custom controller name": must be a '
                'domain-prefixed path (such as "acme.io/foo")'
            ],
        ),
        (
            {"managedBy": "example.com/" + "x" * 60},
            ["spec.managedBy: Too long: may not be more than 63 bytes"],
        ),
        (
            {"managedBy": "example.com/a b"},
            [
                'spec.managedBy: Invalid value: "a b": Invalid path (regex used for '
                "validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"
            ],
        ),
        (
            {"managedBy": "Example.com/x"},
            [
                'spec.managedBy: Invalid value: "Example.com": a lowercase RFC 1123 subdomain '
                "must consist of lower case alphanumeric characters, '-' or '.', and must "
                "start and end with an alphanumeric character (e.g. 'example.com', regex used "
                "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
                "[a-z0-9])?)*')"
            ],
        ),
        # a successPolicy of a NonIndexed Job: one error with the struct, its rules unchecked
        (
            {"successPolicy": {"rules": [{"succeededCount": 9}]}},
            [
                'spec.successPolicy: Invalid value: {"Rules":[{"SucceededIndexes":null,'
                '"SucceededCount":9}]}: requires indexed completion mode'
            ],
        ),
        # ...checked before podReplacementPolicy
        (
            {"successPolicy": {"rules": []}, "podReplacementPolicy": "Sometimes"},
            [
                'spec.successPolicy: Invalid value: {"Rules":[]}: requires indexed completion mode',
                'spec.podReplacementPolicy: Unsupported value: "Sometimes": supported values: '
                '"Failed", "TerminatingOrFailed"',
            ],
        ),
        # succeededIndexes is parsed (validateIndexesFormat)
        (
            {**INDEXED, "successPolicy": {"rules": [{"succeededIndexes": "0-2,1"}]}},
            [
                'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-2,1": error '
                "parsing succeededIndexes: non-increasing order, previous: 2, current: 1"
            ],
        ),
        (
            {**INDEXED, "successPolicy": {"rules": [{"succeededIndexes": "1,7"}]}},
            [
                'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "1,7": error '
                'parsing succeededIndexes: too large index: "7"'
            ],
        ),
        (
            {**INDEXED, "successPolicy": {"rules": [{"succeededIndexes": "1-x"}]}},
            [
                'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "1-x": error '
                'parsing succeededIndexes: cannot convert string to integer for index: "x"'
            ],
        ),
        (
            {**INDEXED, "successPolicy": {"rules": [{"succeededIndexes": "1-2-3"}]}},
            [
                'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "1-2-3": error '
                'parsing succeededIndexes: the fragment "1-2-3" violates the requirement that '
                "an index interval can have at most two parts separated by '-'"
            ],
        ),
        (
            {
                **INDEXED,
                "successPolicy": {"rules": [{"succeededIndexes": "0-1", "succeededCount": 3}]},
            },
            [
                "spec.successPolicy.rules[0].succeededCount: Invalid value: 3: must be less "
                "than or equal to 2 (the number of indexes in the specified succeededIndexes "
                "field)"
            ],
        ),
        (
            {
                **INDEXED,
                "successPolicy": {"rules": [{"succeededIndexes": "0,2-4", "succeededCount": 4}]},
            },
            [],
        ),
        # more than 100000 completions with a backoff limit per index
        (
            {
                "completionMode": "Indexed",
                "completions": 100_001,
                "parallelism": 10_001,
                "backoffLimitPerIndex": 1,
            },
            [
                "spec.maxFailedIndexes: Required value: must be specified when completions is "
                "above 100000",
                "spec.parallelism: Invalid value: 10001: must be less than or equal to 10000 "
                "when completions are above 100000 and used with backoff limit per index",
            ],
        ),
        (
            {
                "completionMode": "Indexed",
                "completions": 100_001,
                "backoffLimitPerIndex": 1,
                "maxFailedIndexes": 10_001,
            },
            [
                "spec.maxFailedIndexes: Invalid value: 10001: must be less than or equal to "
                "10000 when completions are above 100000 and used with backoff limit per index",
            ],
        ),
    ],
)
def test_job_spec_rules_as_the_server_words_them(spec: dict[str, Any], expected: list[str]) -> None:
    assert errors(job(**spec)) == expected


def test_exit_code_values_null_and_empty_are_told_apart() -> None:
    rule: dict[str, Any] = {"action": "FailJob", "onExitCodes": {"operator": "In"}}
    missing = job(podFailurePolicy={"rules": [rule]})
    empty = job(
        podFailurePolicy={"rules": [{**rule, "onExitCodes": {**rule["onExitCodes"], "values": []}}]}
    )
    path = "spec.podFailurePolicy.rules[0].onExitCodes.values"
    assert errors(missing) == [f"{path}: Invalid value: null: at least one value is required"]
    assert errors(empty) == [f"{path}: Invalid value: []: at least one value is required"]


def test_a_cronjob_name_over_52_is_reported_after_the_spec() -> None:
    cj = object_from_dict(
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": {"name": "c" * 53},
            "spec": {
                "schedule": "61 * * * *",
                "jobTemplate": {"spec": {"template": copy.deepcopy(TEMPLATE)}},
            },
        }
    )
    assert errors(cj) == [
        'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
        'metadata.name: Invalid value: "' + "c" * 53 + '": must be no more than 52 characters',
    ]


HUGE = "1" * 5000


def test_numbers_too_long_to_convert_are_out_of_range_not_a_crash() -> None:
    cj = object_from_dict(
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": {"name": "c"},
            "spec": {
                "schedule": f"{HUGE} * * * *",
                "jobTemplate": {"spec": {"template": copy.deepcopy(TEMPLATE)}},
            },
        }
    )
    assert errors(cj) == [
        f'spec.schedule: Invalid value: "{HUGE} * * * *": failed to parse int from {HUGE}: '
        f'strconv.Atoi: parsing "{HUGE}": value out of range'
    ]
    indexed = job(**INDEXED, successPolicy={"rules": [{"succeededIndexes": HUGE}]})
    assert errors(indexed) == [
        f'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "{HUGE}": error parsing '
        f'succeededIndexes: cannot convert string to integer for index: "{HUGE}"'
    ]
    deployment = object_from_dict(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "d"},
            "spec": {
                "selector": {"matchLabels": {"app": "d"}},
                "strategy": {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxUnavailable": f"{HUGE}%"},
                },
                "template": {
                    "metadata": {"labels": {"app": "d"}},
                    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
                },
            },
        }
    )
    assert errors(deployment) == [
        f'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "{HUGE}%": must not be greater '
        "than 100%"
    ]


def test_an_empty_completion_mode_is_not_defaulted() -> None:
    # only a nil completionMode is defaulted to NonIndexed (SetDefaults_Job)
    assert errors(job(completionMode="")) == [
        'spec.completionMode: Unsupported value: "": supported values: "NonIndexed", "Indexed"'
    ]


def test_a_cronjob_pattern_status_is_defaulted_as_a_jobs_is() -> None:
    # SetDefaults_PodFailurePolicyOnPodConditionsPattern is the type's defaulter
    policy = {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}
    cj = object_from_dict(
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": {"name": "c"},
            "spec": {
                "schedule": "@hourly",
                "jobTemplate": {
                    "spec": {"podFailurePolicy": policy, "template": copy.deepcopy(TEMPLATE)}
                },
            },
        }
    )
    assert errors(cj) == []
    assert errors(job(podFailurePolicy=policy)) == []
