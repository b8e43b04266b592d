"""Workloads on the simulated node: the controller-manager's controllers
(podmodel/kubelet/_workload_controllers.py, _jobs.py, _cron.py, _workload_view.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podmodel.apiserver.workloads import InvalidWorkload
from podmodel.codec import loads_object
from podmodel.kubelet._cron import Schedule
from podmodel.kubelet._jobs import _backoff
from podmodel.kubelet.controllers import ALPHANUMS
from podmodel.kubelet.node import Node
from podmodel.kubelet.state import PodExists, PodNotFound

SUFFIX = f"[{ALPHANUMS}]{{5}}"


def deployment(replicas: int, *, host_port: int | None = None, name: str = "web") -> object:
    port = f", ports: [{{containerPort: 80, hostPort: {host_port}}}]" if host_port else ""
    return loads_object(f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers: [{{name: web, image: nginx:1.27{port}}}]
""")


def job(completions: int, parallelism: int, script: str, *, extra: str = "", policy: str = "Never"):
    return loads_object(f"""
apiVersion: batch/v1
kind: Job
metadata: {{name: work}}
spec:
  completions: {completions}
  parallelism: {parallelism}
{extra}  template:
    spec:
      restartPolicy: {policy}
      containers: [{{name: w, image: busybox, command: ["sh", "-c", "{script}"]}}]
""")


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=4))
def test_a_deployment_keeps_replicas_pods_of_its_replica_set(replicas: int) -> None:
    node = Node().start(deployment(replicas)).advance(5)
    view = node.workload("deploy", "web")
    (rs,) = view.children
    assert re.fullmatch(f"web-[{ALPHANUMS}]{{1,10}}", rs)
    assert len(view.pods) == replicas
    for name in view.pods:
        assert re.fullmatch(f"{rs}-{SUFFIX}", name)
        pod = node.pod(name).state.pod
        assert pod.metadata.labels["pod-template-hash"] == rs.removeprefix("web-")
        (ref,) = pod.metadata.owner_references
        assert (ref["kind"], ref["name"], ref["controller"]) == ("ReplicaSet", rs, True)
    assert view.ready == f"{replicas}/{replicas}"
    assert (view.up_to_date, view.available) == (replicas, replicas)
    rs_view = node.workload("rs", rs)
    assert (rs_view.desired, rs_view.current, rs_view.ready_count) == (replicas,) * 3


def test_kubectl_get_deploy_columns() -> None:
    node = Node().start(deployment(2)).advance(10)
    assert node.workload("deployment", "web").get() == (
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/2     2            2           10s"
    )


def test_two_replicas_on_one_host_port_the_second_stays_pending() -> None:
    node = Node().start(deployment(2, host_port=8080)).advance(10)
    view = node.workload("deploy", "web")
    statuses = sorted(node.pod(p).status for p in view.pods)
    assert statuses == ["Pending", "Running"]
    pending = next(node.pod(p) for p in view.pods if node.pod(p).status == "Pending")
    event = pending.events[-1]
    assert (event.reason, event.source) == ("FailedScheduling", "default-scheduler")
    assert event.message == (
        "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod "
        "ports. preemption: 0/1 nodes are available: 1 No preemption victims found for "
        "incoming pod."
    )
    assert view.ready == "1/2"


def test_a_deleted_replica_is_replaced() -> None:
    node = Node().start(deployment(2)).advance(5)
    first = node.workload("deploy", "web").pods
    node = node.delete(first[0], grace_period=0).advance(1)
    now = node.workload("deploy", "web").pods
    assert len(now) == 2
    assert first[0] not in now
    assert first[1] in now


def test_a_workload_is_validated_and_unique() -> None:
    bad = loads_object("""
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: other}}
    spec: {containers: [{name: web, image: nginx}]}
""")
    with pytest.raises(InvalidWorkload):
        Node().start(bad)
    node = Node().start(deployment(1))
    with pytest.raises(PodExists, match=r'deployments.apps "web" already exists'):
        node.start(deployment(1))
    with pytest.raises(PodNotFound, match=r'statefulsets.apps "web" not found'):
        node.workload("sts", "web")


STS = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  %s
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: busybox
        command: [sh, -c, "sleep 3600"]
        volumeMounts: [{name: data, mountPath: /data}]
        readinessProbe: {exec: {command: ["true"]}, initialDelaySeconds: 5, periodSeconds: 5}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""


def test_a_stateful_set_starts_its_pods_in_order() -> None:
    node = Node().start(loads_object(STS % ""))
    seen = []
    for _ in range(12):
        seen.append(node.workload("sts", "db").pods)
        node = node.advance(2)
    # each pod waits until the one before is Running and Ready
    assert seen[0] == ("db-0",)
    assert [len(p) for p in seen] == sorted(len(p) for p in seen)
    assert seen[-1] == ("db-0", "db-1", "db-2")
    assert node.workload("sts", "db").get().splitlines()[1].split()[:2] == ["db", "3/3"]
    pod = node.pod("db-2")
    assert (pod.hostname, pod.state.pod.spec.subdomain) == ("db-2", "db")
    (vol,) = [v for v in pod.state.pod.spec.volumes if v.name == "data"]
    assert vol.source.fields["claimName"] == "data-db-2"  # type: ignore[union-attr]


def test_parallel_stateful_set_creates_all_at_once() -> None:
    node = Node().start(loads_object(STS % "podManagementPolicy: Parallel"))
    assert node.workload("sts", "db").pods == ("db-0", "db-1", "db-2")


def test_a_stateful_pods_volume_survives_its_deletion() -> None:
    node = Node().start(loads_object(STS % "podManagementPolicy: Parallel")).advance(10)
    node = node.write("db-1", "db", "/data/kept", b"state")
    node = node.advance(1).delete("db-1").advance(60)
    assert node.pod("db-1").read("db", "/data/kept") == b"state"
    assert node.workload("sts", "db").volumes == ("data-db-0", "data-db-1", "data-db-2")


def test_a_daemon_set_runs_one_pod_bound_to_the_node() -> None:
    ds = loads_object("""
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: busybox, command: [sh, -c, "sleep 9999"]}]}
""")
    node = Node().start(ds).advance(3)
    (name,) = node.workload("ds", "agent").pods
    assert node.pod(name).state.pod.spec.node_name == "node-1"
    assert node.workload("ds", "agent").get().splitlines()[1].split()[:6] == [
        "agent",
        "1",
        "1",
        "1",
        "1",
        "1",
    ]


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3))
def test_a_job_runs_completions_pods_parallelism_at_a_time(completions: int, par: int) -> None:
    node = Node().start(job(completions, par, "sleep 3"))
    most = 0
    for _ in range(completions + 2):
        most = max(most, node.workload("job", "work").active)
        node = node.advance(4)
    view = node.workload("job", "work")
    assert most <= par
    assert (view.status, view.completions, view.succeeded) == (
        "Complete",
        f"{completions}/{completions}",
        completions,
    )
    assert len(view.pods) == completions


def test_failed_pods_are_replaced_with_back_off_until_the_backoff_limit() -> None:
    node = Node().start(job(1, 1, "exit 1", extra="  backoffLimit: 3\n")).advance(200)
    view = node.workload("job", "work")
    assert (view.status, view.reason, view.failed) == ("Failed", "BackoffLimitExceeded", 4)
    ends = sorted(node.pod(p).containers[0].finished_at or 0 for p in view.pods)
    starts = [e.time for e in view.events if e.reason == "SuccessfulCreate"]
    assert len(starts) == len(ends) == 4
    # each replacement is created the back-off after the previous pod failed
    assert [s - e for e, s in zip(ends, starts[1:], strict=False)] == pytest.approx([10, 20, 40])
    assert view.events[-1].message == "Job has reached the specified backoff limit"


def test_back_off_doubles_up_to_six_minutes() -> None:
    assert [_backoff(n) for n in range(1, 9)] == [10, 20, 40, 80, 160, 320, 360, 360]


def test_on_failure_restarts_count_against_the_backoff_limit() -> None:
    node = Node().start(job(1, 1, "exit 1", extra="  backoffLimit: 2\n", policy="OnFailure"))
    node = node.advance(120)
    view = node.workload("job", "work")
    assert (view.status, view.reason) == ("Failed", "BackoffLimitExceeded")
    assert view.failed == 0  # restarted in place: no pod failed
    assert view.pods == ()  # then deleted by the controller


def test_active_deadline_fails_the_job() -> None:
    node = Node().start(job(1, 1, "sleep 600", extra="  activeDeadlineSeconds: 30\n"))
    node = node.advance(29)
    assert node.workload("job", "work").status == "Running"
    node = node.advance(1)
    view = node.workload("job", "work")
    assert (view.status, view.reason) == ("Failed", "DeadlineExceeded")
    assert view.events[-1].message == "Job was active longer than specified deadline"


CRON = """
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/5 * * * *"
  %s
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: t, image: busybox, command: [sh, -c, "sleep %d"]}]
"""


def test_a_cron_job_creates_a_job_when_its_schedule_fires() -> None:
    node = Node().start(loads_object(CRON % ("", 10)))
    assert node.workload("cj", "tick").last_schedule == "<none>"
    node = node.advance(299)
    assert node.workload("cj", "tick").children == ()
    node = node.advance(31)
    view = node.workload("cj", "tick")
    # 300 s after 2026-01-01T00:00:00Z, in minutes since 1970
    assert view.children == ("tick-29453765",)
    assert view.last_schedule == "30s"
    assert node.workload("job", "tick-29453765").status == "Complete"


def test_cron_history_limits_and_suspend() -> None:
    node = Node().start(loads_object(CRON % ("successfulJobsHistoryLimit: 2", 10)))
    node = node.advance(3600)
    jobs = [node.workload("job", j) for j in node.workload("cj", "tick").children]
    assert [j.status for j in jobs] == ["Complete", "Complete", "Running"]  # 3600 s: a new run
    suspended = Node().start(loads_object(CRON % ("suspend: true", 10))).advance(3600)
    assert suspended.workload("cj", "tick").children == ()


def test_forbid_waits_for_the_running_job() -> None:
    node = Node().start(loads_object(CRON % ("concurrencyPolicy: Forbid", 400)))
    node = node.advance(600)
    assert len(node.workload("cj", "tick").children) == 1
    allow = Node().start(loads_object(CRON % ("concurrencyPolicy: Allow", 400))).advance(600)
    assert allow.workload("cj", "tick").active == 2


@pytest.mark.parametrize(
    ("spec", "after", "expected"),
    [
        ("*/15 * * * *", 0, 900),
        ("0 0 * * *", 0, 86400),
        ("@hourly", 3599, 3600),
        ("0 9 * * MON", 0, 4 * 86400 + 9 * 3600),
        ("0 0 13 * 5", 0, 86400),  # day 13 or a Friday: Friday 2 January
        ("@every 90s", 100, 180),
    ],
)
def test_schedules(spec: str, after: float, expected: float) -> None:
    assert Schedule.parse(spec).next_after(after) == expected


def test_a_list_starts_each_item() -> None:
    from podmodel.model.workloads import List

    node = Node().start(List(items=(deployment(1), deployment(1, name="api"))))
    assert len(node.workload("deploy", "web").pods) == len(node.workload("deploy", "api").pods) == 1
