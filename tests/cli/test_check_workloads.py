"""``podmodel check`` validates workloads (Deployment, Job, ..., List) instead of skipping them:
their findings carry the template's paths and FILE:LINE:COL."""

from __future__ import annotations

import csv
import pathlib

import pytest

from podmodel.cli import main
from podmodel.cli._check import Summary, check_text

BAD_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        ports:
        - containerPort: 80
      restartPolicy: Never
"""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_bad_deployment_is_reported_at_its_template_fields(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "web.yaml"
    path.write_text(BAD_DEPLOYMENT)
    status, out, _ = run(["check", str(path)], capsys)
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == f'error when creating "{path}": The Deployment "web" is invalid: '
    assert f"{path}:13:9: spec.template.spec.containers[0].image: Required value" in lines
    assert (
        f'{path}:16:22: spec.template.spec.restartPolicy: Unsupported value: "Never": '
        'supported values: "Always"'
    ) in lines
    assert lines[-1] == "1 file, 1 document: 0 pods valid, 1 invalid, 0 skipped, 0 unreadable"


def test_list_items_are_checked_each_as_its_kind() -> None:
    text = """\
apiVersion: v1
kind: List
items:
- apiVersion: batch/v1
  kind: Job
  metadata: {name: once}
  spec:
    template:
      spec:
        containers: [{name: c, image: busybox}]
        restartPolicy: Never
- apiVersion: v1
  kind: Pod
  metadata: {name: p}
  spec:
    containers: [{name: c}]
"""
    (doc,) = check_text(text, "list.yaml").documents
    assert doc.status == "invalid"
    assert [f"{e.location}: {e}" for e in doc.errors] == [
        "list.yaml:16:18: items[1].spec.containers[0].image: Required value"
    ]


def test_a_removed_api_version_is_a_decoding_error() -> None:
    text = "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: old}\n"
    (doc,) = check_text(text, "old.yaml").documents
    assert (doc.status, doc.stage) == ("invalid", "decode")
    assert [str(e) for e in doc.errors] == [
        'apiVersion: invalid document: a Deployment is apiVersion "apps/v1", found '
        '"extensions/v1beta1"'
    ]


def test_warnings_of_a_valid_workload_are_located() -> None:
    text = BAD_DEPLOYMENT.replace("      - name: web\n", "      - name: web\n        image: x\n")
    text = text.replace("      restartPolicy: Never\n", "")
    text = text.replace("containerPort: 80", "{containerPort: 80, hostIP: 0.0.0.0}")
    (doc,) = check_text(text, "w.yaml").documents
    assert doc.status == "valid"
    assert [f"{w.location}: {w}" for w in doc.warnings] == [
        "w.yaml:16:11: spec.template.spec.containers[0].ports[0]: hostIP set without hostPort: "
        "{Name: HostPort:0 ContainerPort:80 Protocol:TCP HostIP:0.0.0.0}"
    ]


@pytest.mark.corpus
def test_every_valid_file_of_the_workload_corpus_checks_clean(shared: pathlib.Path) -> None:
    folder = shared / "corpus-workloads"
    with (folder / "INDEX.tsv").open() as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    reports = {r["file"]: check_text((folder / r["file"]).read_bytes(), r["file"]) for r in rows}
    for row in rows:
        summary = Summary.of([reports[row["file"]]])
        if row["expected"] == "valid":
            assert summary.ok, [d.message for d in reports[row["file"]].documents]
        elif row["expected"] == "invalid":
            assert summary.invalid, row["file"]
    total = Summary.of(reports.values())
    assert total.valid_workloads >= 175
