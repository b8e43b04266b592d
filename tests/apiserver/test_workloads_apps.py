"""apps/v1 rules checked against ``pkg/apis/apps/validation/validation.go`` (the version with
``PodValidationOptions`` and DNS-label StatefulSet names): the bad values the server prints for
its internal strategy structs (Go field names, as internal types have no JSON tags)."""

from __future__ import annotations

from typing import Any

import pytest

from podmodel.apiserver.workloads import validate_workload
from podmodel.codec import object_from_dict

TEMPLATE = {
    "metadata": {"labels": {"app": "d"}},
    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
}


def make(kind: str, **spec: Any) -> Any:
    return object_from_dict(
        {
            "apiVersion": "apps/v1",
            "kind": kind,
            "metadata": {"name": "d"},
            "spec": {"selector": {"matchLabels": {"app": "d"}}, "template": TEMPLATE, **spec},
        }
    )


@pytest.mark.parametrize(
    ("kind", "spec", "expected"),
    [
        (
            "Deployment",
            {"strategy": {"type": "Blue", "rollingUpdate": {"maxSurge": "10%"}}},
            'spec.strategy: Unsupported value: {"Type":"Blue","RollingUpdate":'
            '{"MaxUnavailable":0,"MaxSurge":"10%"}}: supported values: "Recreate", '
            '"RollingUpdate"',
        ),
        (
            "Deployment",
            {"strategy": {"type": "Blue"}},
            'spec.strategy: Unsupported value: {"Type":"Blue","RollingUpdate":null}: supported '
            'values: "Recreate", "RollingUpdate"',
        ),
        (
            "DaemonSet",
            {"updateStrategy": {"type": "Never", "rollingUpdate": {"maxUnavailable": 2}}},
            'spec.updateStrategy: Unsupported value: {"Type":"Never","RollingUpdate":'
            '{"MaxUnavailable":2,"MaxSurge":0}}: supported values: "RollingUpdate", "OnDelete"',
        ),
        (
            "StatefulSet",
            {"updateStrategy": {"type": "Never"}},
            'spec.updateStrategy: Invalid value: {"Type":"Never","RollingUpdate":null}: must be '
            "'RollingUpdate' or 'OnDelete'",
        ),
        (
            "StatefulSet",
            {"updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 2}}},
            'spec.updateStrategy.rollingUpdate: Invalid value: {"Partition":2,"MaxUnavailable":'
            "null}: only allowed for updateStrategy 'RollingUpdate'",
        ),
    ],
)
def test_strategy_structs_print_as_the_server_prints_them(
    kind: str, spec: dict[str, Any], expected: str
) -> None:
    assert [str(e) for e in validate_workload(make(kind, **spec)).errors] == [expected]
