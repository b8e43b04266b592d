"""Doctests in the docs run from the page's own directory, so a page can name the files beside it
(``../examples/seed/shared-ip.yaml``) as its reader would."""

from __future__ import annotations

import pathlib

import pytest


@pytest.fixture(autouse=True)
def _run_in_the_pages_directory(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(pathlib.Path(str(request.node.path)).parent)
