"""The ``hypothesis`` entry point (private): makes ``st.from_type(Pod)`` draw valid pods
(and ``st.from_type(Deployment)`` valid Deployments, and so on for every workload kind).

Hypothesis calls :func:`_hypothesis_setup_hook` while it initialises, in every project where
podmodel is installed, so it stays tiny: it registers a *function* per model type and builds
nothing until ``from_type`` is first resolved.
"""

from __future__ import annotations

from typing import Any

__all__ = ["register"]


def _hypothesis_setup_hook() -> None:
    import hypothesis.strategies as st

    from podmodel.model import spec, workloads

    def resolve(t: type) -> Any:
        from podmodel.strategies._pods import strategy_for_type

        return strategy_for_type(t)

    def resolve_workload(t: type) -> Any:
        from podmodel.strategies._workloads import workload_strategy_for_type

        return workload_strategy_for_type(t)

    for t in (
        spec.Pod,
        spec.PodSpec,
        spec.ObjectMeta,
        spec.Container,
        spec.ContainerPort,
        spec.EnvVar,
        spec.Volume,
        spec.VolumeMount,
        spec.VolumeSource,
        spec.EmptyDir,
        spec.HostPath,
        spec.OtherVolumeSource,
    ):
        st.register_type_strategy(t, resolve)
    for w in (
        workloads.Deployment,
        workloads.StatefulSet,
        workloads.DaemonSet,
        workloads.ReplicaSet,
        workloads.Job,
        workloads.CronJob,
        workloads.ReplicationController,
        workloads.PodTemplate,
        workloads.PodTemplateSpec,
        workloads.LabelSelector,
    ):
        st.register_type_strategy(w, resolve_workload)


def register() -> None:
    """Register podmodel's strategies with ``st.from_type`` (for ``HYPOTHESIS_NO_PLUGINS``)."""
    _hypothesis_setup_hook()
