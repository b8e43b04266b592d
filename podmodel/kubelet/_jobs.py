"""The controller-manager's Job and CronJob controllers on a simulated node.

**Job** (``pkg/controller/job``): it keeps up to ``parallelism`` pods running until
``completions`` have succeeded (an ``Indexed`` Job: one per index ``0..completions-1``, named
``<name>-<index>-<5 characters>``, with ``hostname`` ``<name>-<index>``; without
``completions``, a work queue: done once one pod has succeeded and none runs). A failed pod
(``restartPolicy: Never``, or a pod deleted before it finished) is counted and replaced after
the controller's back-off: 10 s, doubled for each failure since the last success, at most 6
minutes. The Job fails (``BackoffLimitExceeded``, "Job has reached the specified backoff
limit") once more than ``backoffLimit`` (default 6) pods failed, or, with ``OnFailure``, once
the running pods' containers restarted ``backoffLimit`` times (any restart when it is 0); and
(``DeadlineExceeded``, "Job was active longer than specified deadline") when it has run
``activeDeadlineSeconds``. A finished Job deletes the pods still running; finished pods stay.
A suspended Job creates no pod.

**CronJob** (``pkg/controller/cronjob``): when its schedule fires on the node's clock (see
:mod:`podmodel.kubelet._cron` for what the clock's 0 is), it creates the Job
``<name>-<scheduled time in minutes since 1970>`` from ``jobTemplate``; ``concurrencyPolicy``
``Forbid`` waits while one of its Jobs runs (and starts the missed run once it is done, unless
``startingDeadlineSeconds`` has passed), ``Replace`` deletes the running Job first;
``suspend`` stops it; it keeps ``successfulJobsHistoryLimit`` (3) succeeded and
``failedJobsHistoryLimit`` (1) failed Jobs and deletes older ones with their pods.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from podmodel.kubelet._cron import Schedule, unix_time
from podmodel.kubelet._workload_state import (
    WorkloadState,
    create_pod,
    delete_pod,
    is_active,
    owned_by,
    put,
    source,
)
from podmodel.kubelet.controllers import name_suffix
from podmodel.model._frozen import FrozenMap, replace
from podmodel.model.spec import ObjectMeta
from podmodel.model.workloads import CronJob, Job

#: The node (typed loosely: this module may not import the node, which imports it).
Node = Any

__all__ = ["DEFAULT_BACKOFF", "MAX_BACKOFF", "reconcile_cron", "reconcile_job", "timer"]

#: The Job controller's back-off after a failed pod, doubled per failure, and its cap.
DEFAULT_BACKOFF = 10.0
MAX_BACKOFF = 360.0
_INDEX = "batch.kubernetes.io/job-completion-index"
_SCHEDULED = "batch.kubernetes.io/cronjob-scheduled-timestamp"


def with_job_labels(job: Job, uid: str) -> Job:
    """*job* as the API server stores it: its template labelled with the Job's name and UID
    (and the selector that matches them)."""
    name = job.metadata.name or ""
    template = job.spec.template
    labels = {
        **template.metadata.labels,
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": name,
        "controller-uid": uid,
        "job-name": name,
    }
    template = replace(template, metadata=replace(template.metadata, labels=FrozenMap(labels)))
    return replace(job, spec=replace(job.spec, template=template))


def _backoff(failures: int) -> float:
    delay = DEFAULT_BACKOFF
    for _ in range(1, failures):
        delay *= 2
        if delay >= MAX_BACKOFF:
            return MAX_BACKOFF
    return delay


def timer(state: WorkloadState) -> float | None:
    """The next time *state*'s controller acts on its own: a Job's back-off or deadline, a
    CronJob's schedule."""
    obj = state.obj
    if isinstance(obj, Job):
        if state.condition is not None or obj.spec.suspend:
            return None
        times = [state.retry_at] if state.retry_at is not None else []
        if obj.spec.active_deadline_seconds is not None:
            times.append(state.created_at + obj.spec.active_deadline_seconds)
        return min(times) if times else None
    if isinstance(obj, CronJob):
        schedule = _schedule(obj)
        if schedule is None or obj.spec.suspend:
            return None
        return schedule.next_after(state.checked)
    return None


def _count(node: Node, state: WorkloadState, now: float) -> WorkloadState:
    """*state* with the newly finished (or vanished) pods counted."""
    succeeded, failed, since = state.succeeded, state.failed, state.since_success
    done, counted, retry = state.done, set(state.counted), state.retry_at
    keep = []
    for key in state.pods:
        st = node.pods.get(key)
        if st is not None:
            keep.append(key)
        if key in counted:
            continue
        phase = "Failed" if st is None else st.phase
        if phase == "Succeeded":
            succeeded += 1
            since = 0
            index = st.pod.metadata.annotations.get(_INDEX) if st is not None else None
            if index is not None and index.isdigit():
                done |= {int(index)}
        elif phase == "Failed":
            failed += 1
            since += 1
            retry = now + _backoff(since)
        else:
            continue
        counted.add(key)
    return replace(
        state,
        pods=tuple(keep),
        succeeded=succeeded,
        failed=failed,
        since_success=since,
        done=done,
        counted=frozenset(counted),
        retry_at=retry,
    )


def _finish(
    node: Node, state: WorkloadState, now: float, condition: str, reason: str, message: str
) -> Node:
    for key in state.pods:
        st = node.pods.get(key)
        if st is not None and is_active(st):
            node = delete_pod(node, key)
    kind = "Normal" if condition == "Complete" else "Warning"
    state = replace(state, condition=condition, reason=reason, finished_at=now, retry_at=None)
    state = state.event(now, kind, reason, source("Job"), message)
    return put(node, state)


def reconcile_job(node: Node, state: WorkloadState, now: float) -> Node:
    """Let the Job controller act on *state* at clock *now*."""
    obj = state.obj
    assert isinstance(obj, Job)
    if state.condition is not None:
        return put(node, replace(state, pods=tuple(k for k in state.pods if k in node.pods)))
    state = _count(node, state, now)
    spec = obj.spec
    indexed = spec.completion_mode == "Indexed"
    completions = spec.completions
    if completions is None and spec.parallelism is None:
        completions = 1
    parallelism = 1 if spec.parallelism is None else spec.parallelism
    limit = 6 if spec.backoff_limit is None else spec.backoff_limit
    active = [k for k in state.pods if is_active(node.pods[k])]
    if indexed and completions is not None:
        complete = len(state.done) >= completions
    elif completions is not None:
        complete = state.succeeded >= completions
    else:
        complete = state.succeeded > 0 and not active
    if complete:
        return _finish(node, state, now, "Complete", "Completed", "Job completed")
    restarts = 0
    if obj.spec.template.spec.restart_policy == "OnFailure":
        restarts = sum(
            c.restart_count
            for k in state.pods
            if node.pods[k].phase in ("Pending", "Running")
            for c in node.pods[k].containers
        )
    on_failure_exceeded = restarts > 0 if limit == 0 else restarts >= limit > 0
    if state.failed > limit or (
        obj.spec.template.spec.restart_policy == "OnFailure" and on_failure_exceeded
    ):
        message = "Job has reached the specified backoff limit"
        return _finish(node, state, now, "Failed", "BackoffLimitExceeded", message)
    deadline = spec.active_deadline_seconds
    if deadline is not None and now >= state.created_at + deadline:
        message = "Job was active longer than specified deadline"
        return _finish(node, state, now, "Failed", "DeadlineExceeded", message)
    if spec.suspend:
        return put(node, state)
    if state.retry_at is not None:
        if now < state.retry_at:
            return put(node, state)
        state = replace(state, retry_at=None)
    if indexed and completions is not None:
        busy = {
            int(i)
            for k in active
            if (i := node.pods[k].pod.metadata.annotations.get(_INDEX, "")).isdigit()
        }
        pending = [i for i in range(completions) if i not in state.done and i not in busy]
        for index in pending[: max(parallelism - len(active), 0)]:
            node, state = _create(node, state, now, index)
        return put(node, state)
    want = parallelism
    if completions is not None:
        want = min(want, completions - state.succeeded)
    elif state.succeeded > 0:
        want = 0  # a work queue: no new pod once one has succeeded
    for _ in range(max(want - len(active), 0)):
        node, state = _create(node, state, now, None)
    return put(node, state)


def _create(
    node: Node, state: WorkloadState, now: float, index: int | None
) -> tuple[Node, WorkloadState]:
    obj = state.obj
    assert isinstance(obj, Job)
    while True:
        suffix = name_suffix(state.seed, state.made)
        name = f"{state.name}-{suffix}" if index is None else f"{state.name}-{index}-{suffix}"
        if f"{state.namespace}/{name}" not in node.pods:
            break
        state = replace(state, made=state.made + 1)
    if index is None:
        return create_pod(node, state, obj.spec.template, name, now)
    marks = {_INDEX: str(index)}
    changes = {"hostname": f"{state.name}-{index}"}
    return create_pod(
        node,
        state,
        obj.spec.template,
        name,
        now,
        labels=marks,
        annotations=marks,
        spec_changes=changes,
    )


def _schedule(obj: CronJob) -> Schedule | None:
    try:
        return Schedule.parse(obj.spec.schedule or "", obj.spec.time_zone)
    except (ValueError, KeyError):
        return None


def _delete_job(node: Node, key: str) -> Node:
    state = node.workloads.get(key)
    if state is None:
        return node
    for pod in state.pods:
        node = delete_pod(node, pod)
    return replace(node, workloads=node.workloads.delete(key))


def reconcile_cron(node: Node, state: WorkloadState, now: float) -> Node:
    """Let the CronJob controller act on *state* at clock *now*."""
    obj = state.obj
    assert isinstance(obj, CronJob)
    schedule = _schedule(obj)
    children = tuple(k for k in state.children if k in node.workloads)
    state = replace(state, children=children, checked=max(state.checked, now))
    if schedule is not None and not obj.spec.suspend:
        node, state = _maybe_run(node, state, obj, schedule, now)
    return _trim_history(node, state, obj, now)


def _maybe_run(
    node: Node, state: WorkloadState, obj: CronJob, schedule: Schedule, now: float
) -> tuple[Node, WorkloadState]:
    since = state.last_schedule if state.last_schedule is not None else state.created_at
    latest = None
    t = schedule.next_after(since)
    for _ in range(1000):  # the controller, too, looks at no more than the recent misses
        if t is None or t > now:
            break
        latest = t
        t = schedule.next_after(t)
    if latest is None:
        return node, state
    deadline = obj.spec.starting_deadline_seconds
    if deadline is not None and now > latest + deadline:
        return node, state  # missed its starting window; waits for the next run
    active = [k for k in state.children if node.workloads[k].condition is None]
    policy = obj.spec.concurrency_policy or "Allow"
    if active and policy == "Forbid":
        return node, state
    if active and policy == "Replace":
        for key in active:
            node = _delete_job(node, key)
            state = state.event(
                now,
                "Normal",
                "SuccessfulDelete",
                source("CronJob"),
                f"Deleted job {key.rsplit('/', 1)[1]}",
            )
        state = replace(state, children=tuple(k for k in state.children if k not in active))
    name = f"{state.name}-{unix_time(latest) // 60}"
    template = obj.spec.job_template
    stamp = dt.datetime.fromtimestamp(unix_time(latest), tz=dt.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    job = Job(
        metadata=ObjectMeta(
            name=name,
            namespace=state.namespace,
            labels=template.metadata.labels,
            annotations=FrozenMap({**template.metadata.annotations, _SCHEDULED: stamp}),
            owner_references=owned_by(state),
        ),
        spec=template.spec,
    )
    child = WorkloadState(obj=job, created_at=now, owner=state.key)
    child = replace(child, obj=with_job_labels(job, child.uid))
    state = replace(state, last_schedule=latest, children=(*state.children, child.key))
    state = state.event(now, "Normal", "SuccessfulCreate", source("CronJob"), f"Created job {name}")
    node = put(node, state)
    node = reconcile_job(put(node, child), child, now)
    return node, state


def _trim_history(node: Node, state: WorkloadState, obj: CronJob, now: float) -> Node:
    limits = {
        "Complete": 3
        if obj.spec.successful_jobs_history_limit is None
        else obj.spec.successful_jobs_history_limit,
        "Failed": 1
        if obj.spec.failed_jobs_history_limit is None
        else obj.spec.failed_jobs_history_limit,
    }
    for condition, limit in limits.items():
        finished = [k for k in state.children if node.workloads[k].condition == condition]
        finished.sort(key=lambda k: node.workloads[k].created_at)
        for key in finished[: max(len(finished) - limit, 0)]:
            node = _delete_job(node, key)
            state = replace(state, children=tuple(k for k in state.children if k != key))
            state = state.event(
                now,
                "Normal",
                "SuccessfulDelete",
                source("CronJob"),
                f"Deleted job {key.rsplit('/', 1)[1]}",
            )
    return put(node, state)
