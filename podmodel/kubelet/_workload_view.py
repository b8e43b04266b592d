"""A read-only view of a workload on a simulated node: what ``kubectl get`` prints for it
(the columns of ``pkg/printers/internalversion/printers.go``).

``node.workload("deploy", "web")`` takes the resource names and short names ``kubectl`` takes
(``deployment``, ``deploy``, ``replicaset``/``rs``, ``replicationcontroller``/``rc``,
``statefulset``/``sts``, ``daemonset``/``ds``, ``job``, ``cronjob``/``cj``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from podmodel.kubelet._workload_state import KIND_ALIASES, RESOURCES, is_active, is_ready
from podmodel.kubelet.lifecycle import Event, human_duration
from podmodel.kubelet.state import PodNotFound
from podmodel.model.workloads import (
    CronJob,
    DaemonSet,
    Deployment,
    Job,
    ReplicaSet,
    ReplicationController,
    StatefulSet,
)

if TYPE_CHECKING:
    from podmodel.kubelet._workload_state import WorkloadState

#: The node (typed loosely: this module may not import the node, which imports it).
Node = Any

__all__ = ["WorkloadView", "workload_view"]


def workload_view(node: Node, kind: str, name: str, namespace: str = "default") -> WorkloadView:
    """The view of workload *kind*/*name* (*kind* as ``kubectl`` spells it).

    Raises:
        PodNotFound: No such workload on the node, or an unknown kind (kubectl's words).
    """
    real = KIND_ALIASES.get(kind.lower())
    if real is None:
        raise PodNotFound(f'the server doesn\'t have a resource type "{kind}"')
    state = node.workloads.get(f"{real}/{namespace}/{name}")
    if state is None:
        raise PodNotFound(f'{RESOURCES[real]} "{name}" not found')
    return WorkloadView(node=node, state=state)


def _table(rows: list[tuple[str, ...]]) -> str:
    """Rows as kubectl's tabwriter aligns them (padding 3, last column unpadded)."""
    widths = [max(len(r[i]) for r in rows) + 3 for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + row[-1]
        for row in rows
    )


@attrs.frozen
class WorkloadView:
    """One workload as its controller sees it on *node*."""

    node: Node
    state: WorkloadState

    @property
    def kind(self) -> str:
        """The workload's kind."""
        return self.state.kind

    @property
    def name(self) -> str:
        """The workload's name."""
        return self.state.name

    @property
    def events(self) -> tuple[Event, ...]:
        """The controller's events about it, oldest first."""
        return tuple(self.state.events)

    def _owned(self) -> list[str]:
        """Its pods still on the node (a Deployment's: its ReplicaSet's)."""
        states = [self.state]
        if isinstance(self.state.obj, Deployment):
            states = [s for k in self.state.children if (s := self.node.workloads.get(k))]
        return [k for s in states for k in s.pods if k in self.node.pods]

    @property
    def pods(self) -> tuple[str, ...]:
        """The names of its pods on the node, oldest first (a CronJob's: its Jobs')."""
        keys = self._owned()
        if isinstance(self.state.obj, CronJob):
            keys = [
                k
                for child in self.state.children
                if (s := self.node.workloads.get(child))
                for k in s.pods
                if k in self.node.pods
            ]
        return tuple(k.split("/", 1)[1] for k in keys)

    @property
    def children(self) -> tuple[str, ...]:
        """The names of the objects it created (a Deployment's ReplicaSet, a CronJob's Jobs)."""
        return tuple(k.rsplit("/", 1)[1] for k in self.state.children if k in self.node.workloads)

    @property
    def volumes(self) -> tuple[str, ...]:
        """A StatefulSet's persistent volume claims (``<claim>-<name>-<ordinal>``)."""
        return tuple(sorted(self.state.volumes))

    @property
    def desired(self) -> int:
        """``spec.replicas`` (1 when unset; a DaemonSet's: 1, the one node)."""
        obj = self.state.obj
        if isinstance(obj, (Deployment, ReplicaSet, ReplicationController, StatefulSet)):
            return 1 if obj.spec.replicas is None else obj.spec.replicas
        return 1 if isinstance(obj, DaemonSet) else 0

    @property
    def current(self) -> int:
        """``status.replicas``: its pods that are neither finished nor terminating."""
        return sum(1 for k in self._owned() if is_active(self.node.pods[k]))

    @property
    def ready_count(self) -> int:
        """``status.readyReplicas``: its pods that are Running and Ready."""
        return sum(1 for k in self._owned() if is_ready(self.node.pods[k]))

    @property
    def ready(self) -> str:
        """``READY`` of ``kubectl get deploy``/``sts``: ready / desired."""
        return f"{self.ready_count}/{self.desired}"

    @property
    def up_to_date(self) -> int:
        """``UP-TO-DATE``: pods of the current template (every pod here: no rollout)."""
        return self.current

    @property
    def available(self) -> int:
        """``AVAILABLE``: ready pods (``minReadySeconds`` is not modelled)."""
        return self.ready_count

    @property
    def succeeded(self) -> int:
        """A Job's ``status.succeeded``."""
        return self.state.succeeded

    @property
    def failed(self) -> int:
        """A Job's ``status.failed``."""
        return self.state.failed

    @property
    def active(self) -> int:
        """A Job's running pods; a CronJob's running Jobs."""
        if isinstance(self.state.obj, CronJob):
            return sum(
                1
                for k in self.state.children
                if (s := self.node.workloads.get(k)) is not None and s.condition is None
            )
        return self.current

    @property
    def completions(self) -> str:
        """A Job's ``COMPLETIONS``: ``1/3``; without ``completions``, ``1/1`` (``0/1 of 3``
        with a ``parallelism`` above 1)."""
        obj = self.state.obj
        assert isinstance(obj, Job)
        if obj.spec.completions is not None:
            return f"{self.state.succeeded}/{obj.spec.completions}"
        parallelism = obj.spec.parallelism or 0
        if parallelism > 1:
            return f"{self.state.succeeded}/1 of {parallelism}"
        return f"{self.state.succeeded}/1"

    @property
    def status(self) -> str:
        """A Job's ``STATUS``: ``Complete``, ``Failed``, ``Suspended`` or ``Running``."""
        if self.state.condition is not None:
            return self.state.condition
        obj = self.state.obj
        return "Suspended" if isinstance(obj, Job) and obj.spec.suspend else "Running"

    @property
    def reason(self) -> str | None:
        """A finished Job's condition reason (``Completed``, ``BackoffLimitExceeded``,
        ``DeadlineExceeded``)."""
        return self.state.reason

    @property
    def last_schedule(self) -> str:
        """A CronJob's ``LAST SCHEDULE``: the age of its last run, or ``<none>``."""
        last = self.state.last_schedule
        return "<none>" if last is None else human_duration(self.node.clock - last)

    @property
    def age(self) -> str:
        """``AGE``."""
        return human_duration(self.node.clock - self.state.created_at)

    def get(self) -> str:
        """What ``kubectl get <kind> <name>`` prints: the header and the row."""
        obj, s = self.state.obj, self.state
        rows: list[tuple[str, ...]]
        if isinstance(obj, Deployment):
            rows = [
                ("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"),
                (s.name, self.ready, str(self.up_to_date), str(self.available), self.age),
            ]
        elif isinstance(obj, StatefulSet):
            rows = [("NAME", "READY", "AGE"), (s.name, self.ready, self.age)]
        elif isinstance(obj, (ReplicaSet, ReplicationController)):
            rows = [
                ("NAME", "DESIRED", "CURRENT", "READY", "AGE"),
                (s.name, str(self.desired), str(self.current), str(self.ready_count), self.age),
            ]
        elif isinstance(obj, DaemonSet):
            selector = ",".join(f"{k}={v}" for k, v in obj.spec.template.spec.node_selector.items())
            rows = [
                (
                    "NAME",
                    "DESIRED",
                    "CURRENT",
                    "READY",
                    "UP-TO-DATE",
                    "AVAILABLE",
                    "NODE SELECTOR",
                    "AGE",
                ),
                (
                    s.name,
                    "1",
                    str(self.current),
                    str(self.ready_count),
                    str(self.up_to_date),
                    str(self.available),
                    selector or "<none>",
                    self.age,
                ),
            ]
        elif isinstance(obj, Job):
            end = s.finished_at if s.finished_at is not None else self.node.clock
            rows = [
                ("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"),
                (
                    s.name,
                    self.status,
                    self.completions,
                    human_duration(end - s.created_at),
                    self.age,
                ),
            ]
        else:
            assert isinstance(obj, CronJob)
            rows = [
                ("NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"),
                (
                    s.name,
                    obj.spec.schedule or "",
                    obj.spec.time_zone or "<none>",
                    str(bool(obj.spec.suspend)),
                    str(self.active),
                    self.last_schedule,
                    self.age,
                ),
            ]
        return _table(rows)
