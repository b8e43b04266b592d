"""Shared test set-up: Hypothesis profiles, the seed's manifests (shipped in docs/examples/seed),
and access to ../shared (the corpus, the oracle, the seed post itself).

Helpers shared by several test modules are in :mod:`tests.support`."""

from __future__ import annotations

import os
import pathlib

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=20, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARED = pathlib.Path(os.environ.get("PODMODEL_SHARED", REPO.parent / "shared"))


def need(condition: bool, reason: str) -> None:
    """Skip the test with *reason* unless *condition*; under PODMODEL_NO_SKIP=1 (CI), fail."""
    if condition:
        return
    if os.environ.get("PODMODEL_NO_SKIP") == "1":
        pytest.fail(f"required test could not run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared() -> pathlib.Path:
    need(SHARED.is_dir(), f"{SHARED} is missing (the project's shared folder)")
    return SHARED


SEED = REPO / "docs" / "examples" / "seed"


@pytest.fixture(scope="session")
def seed_experiments() -> dict[str, str]:
    """The seed blog post's three manifests, by experiment id, as the repository ships them
    (``docs/examples/seed/``; tests/test_docs.py checks them against the post's own)."""
    return {p.stem: p.read_text() for p in sorted(SEED.glob("*.yaml"))}


@pytest.fixture(scope="session")
def shared_seed_experiments(shared: pathlib.Path) -> dict[str, str]:
    """The three manifests as ../shared/seed/experiments.yaml records them from the post."""
    import yaml

    data = yaml.safe_load((shared / "seed" / "experiments.yaml").read_text())
    return {e["id"]: e["manifest"] for e in data}


# The k8s-oracle fixtures (defined beside their client; imported last: they use SHARED and need).
from tests.support.oracle import apiserver_oracle, kubectl_oracle  # noqa: E402

__all__ = ["REPO", "SHARED", "apiserver_oracle", "kubectl_oracle", "need"]
