"""Hostile input: every case fails with podmodel's own error saying what is wrong, or decodes.

Time and memory are measured by tests/benchmarks/bench_limits.py, not asserted here."""

from __future__ import annotations

import warnings

import pytest

import podmodel
from tests.hostile_cases import CASES, Case


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_fails_clearly_or_decodes(case: Case) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", podmodel.DecodeWarning)
        if case.expect is None:
            case.run()
            return
        with pytest.raises(podmodel.DecodeError) as info:
            case.run()
    assert case.expect in str(info.value)
    for error in info.value.errors:
        assert error.type in set(podmodel.ErrorType)
        assert str(error)
