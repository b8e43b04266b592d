"""Every valid workload of ../shared/corpus-workloads starts on a node, and its controller
creates its pods (images the catalogue does not know run as "assumed" images)."""

from __future__ import annotations

import csv
import warnings
from typing import TYPE_CHECKING

import pytest

import podmodel
from podmodel.apiserver.workloads import validate_workload
from podmodel.codec import load_objects
from podmodel.errors import DecodeWarning
from podmodel.kubelet.node import Node
from podmodel.model.spec import Pod
from podmodel.model.workloads import CronJob, Job, PodTemplate, StatefulSet

if TYPE_CHECKING:
    import pathlib

KINDS = {"Deployment": "deploy", "ReplicaSet": "rs", "ReplicationController": "rc"}
KINDS |= {"StatefulSet": "sts", "DaemonSet": "ds", "Job": "job", "CronJob": "cj"}


@pytest.mark.corpus
def test_every_valid_workload_of_the_corpus_starts_its_pods(shared: pathlib.Path) -> None:
    folder = shared / "corpus-workloads"
    with (folder / "INDEX.tsv").open() as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["expected"] == "valid"]
    started = pods = running = 0
    for row in rows:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DecodeWarning)
            objs = load_objects((folder / row["file"]).read_text(), skip_other_kinds=True)
        for obj in objs:
            where = f"{row['file']}: {obj.kind} {obj.metadata.name}"
            if isinstance(obj, Pod):
                node = Node().start(podmodel.admit(obj)).advance(60)
                pods += 1
                running += node.pod(obj.name).phase == "Running"
                continue
            if isinstance(obj, PodTemplate) or validate_workload(obj).errors:
                continue
            node = Node().start(obj).advance(120)
            started += 1
            if isinstance(obj, CronJob):
                node = node.advance(86400 - 120)  # every schedule of the corpus fires daily
            (state,) = [s for s in node.workloads.values() if s.owner is None]
            view = node.workload(KINDS[state.kind], state.name, state.namespace)
            names = view.pods
            if isinstance(obj, (Job, CronJob)):
                made = [e for e in view.events if e.reason == "SuccessfulCreate"]
                assert made or obj.spec.suspend, where
            elif isinstance(obj, StatefulSet) and obj.spec.pod_management_policy != "Parallel":
                assert names[: len(names)] == tuple(
                    f"{obj.metadata.name}-{i}" for i in range(len(names))
                ), where
                assert len(names) >= min(1, view.desired), where
            else:
                assert len(names) == view.desired, where
            for name in names:
                pod = node.pod(name, obj.metadata.namespace or "default")
                pods += 1
                running += pod.phase == "Running"
    print(f"{started} workloads started, {pods} pods created, {running} Running")
    assert started >= 100
    assert running >= pods // 2
