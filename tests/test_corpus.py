"""Real manifests written by others (../shared/corpus) load, losslessly."""

from __future__ import annotations

import csv
import warnings
from typing import TYPE_CHECKING

import pytest
import yaml

import podmodel
from podmodel import DecodeError, ErrorType

if TYPE_CHECKING:
    import pathlib

pytestmark = pytest.mark.corpus


def _rows(shared: pathlib.Path) -> list[dict[str, str]]:
    with (shared / "corpus" / "INDEX.tsv").open() as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _pod_documents(text: str) -> list[object]:
    return [d for d in yaml.safe_load_all(text) if isinstance(d, dict) and d.get("kind") == "Pod"]


def test_the_corpus_is_there(shared: pathlib.Path) -> None:
    rows = _rows(shared)
    assert len(rows) >= 137
    assert {r["expected"] for r in rows} <= {"valid", "invalid"}


def test_valid_manifests_load_and_round_trip(shared: pathlib.Path) -> None:
    strict_failures: dict[str, list[str]] = {}
    for row in _rows(shared):
        if row["expected"] != "valid":
            continue
        text = (shared / "corpus" / row["file"]).read_text()
        docs = _pod_documents(text)
        # Unknown fields are kept (fieldValidation=Warn, the API server's own default) so that
        # old manifests with since-removed or misspelt fields still load, losslessly.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", podmodel.DecodeWarning)
            try:
                pods = podmodel.load_all(text, skip_non_pods=True, field_validation="Warn")
            except DecodeError as exc:
                # A wrong JSON type is fatal on the server whatever fieldValidation says
                # (k8s-validation.md §1.2); nothing else may stop a manifest marked valid.
                assert all(e.type is ErrorType.TYPE_INVALID for e in exc.errors), (row, exc)
                strict_failures[row["file"]] = [str(e) for e in exc.errors]
                continue
        assert [podmodel.to_dict(p) for p in pods] == docs, row["file"]
        for pod in pods:
            assert podmodel.loads(podmodel.dumps(pod), field_validation="Ignore") == pod
        try:
            podmodel.load_all(text, skip_non_pods=True)
        except DecodeError as exc:
            kinds = {e.type for e in exc.errors}
            assert kinds <= {ErrorType.UNKNOWN_FIELD, ErrorType.DUPLICATE_FIELD}, (row, exc)
            strict_failures[row["file"]] = [str(e) for e in exc.errors]
    # Strict decoding (kubectl's default) rejects only a handful of the old examples, each for a
    # reason the real API server gives too; the list is printed for the record.
    print(f"\nrejected by strict decoding: {strict_failures}")
    assert len(strict_failures) <= 5


def test_invalid_manifests_still_decode(shared: pathlib.Path) -> None:
    for row in _rows(shared):
        if row["expected"] == "invalid":
            text = (shared / "corpus" / row["file"]).read_text()
            assert podmodel.load_all(text, skip_non_pods=True)
