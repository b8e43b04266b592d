"""The oracle answers (a smoke test of tests/support/oracle.py)."""

from __future__ import annotations

from tests.support.oracle import Oracle


def test_the_oracle_answers_in_both_modes(apiserver_oracle: Oracle, kubectl_oracle: Oracle) -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "x"},
        "spec": {"containers": [{"name": "c"}]},
    }
    answer = apiserver_oracle.check(pod)
    assert [(e["field"], e["type"]) for e in answer["errors"]] == [
        ("spec.containers[0].image", "FieldValueRequired")
    ]
    assert apiserver_oracle.check_many([pod] * 3) == [answer] * 3
    docs = kubectl_oracle.check(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - {name: c, image: a, ports: [{containerPort: 8e3}]}\n"
    )
    assert docs[0]["json"]["spec"]["containers"][0]["ports"] == [{"containerPort": 8000}]
