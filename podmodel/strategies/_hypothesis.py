"""The ``hypothesis`` entry point (private): makes ``st.from_type(Pod)`` draw valid pods.

Hypothesis calls :func:`_hypothesis_setup_hook` while it initialises, in every project where
podmodel is installed, so it stays tiny: it registers a *function* per model type and builds
nothing until ``from_type`` is first resolved.
"""

from __future__ import annotations

from typing import Any

__all__ = ["register"]


def _hypothesis_setup_hook() -> None:
    import hypothesis.strategies as st

    from podmodel.model import spec

    def resolve(t: type) -> Any:
        from podmodel.strategies._pods import strategy_for_type

        return strategy_for_type(t)

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


def register() -> None:
    """Register podmodel's strategies with ``st.from_type`` (for ``HYPOTHESIS_NO_PLUGINS``)."""
    _hypothesis_setup_hook()
