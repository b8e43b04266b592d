"""Hostile input: every case fails with podmodel's own error saying what is wrong, or decodes.

Time and memory are measured by tests/benchmarks/bench_limits.py, not asserted here."""

from __future__ import annotations

import warnings

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel.codec import _yaml
from tests.support.hostile_cases import CASES, Case


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


_PADDING = "# " + "p" * (_yaml.COUNT_FROM + 10) + "\n"  # a comment: no event, no node


def _yaml_values(depth: int) -> st.SearchStrategy[str]:
    scalar = st.sampled_from(["a", "1", "''", "null", "*x"])
    if depth == 0:
        return scalar
    inner = _yaml_values(depth - 1)
    return st.one_of(
        scalar,
        st.lists(inner, max_size=6).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(inner, max_size=6).map(
            lambda xs: "{" + ", ".join(f"k{i}: {x}" for i, x in enumerate(xs)) + "}"
        ),
    )


@given(body=_yaml_values(4), limit=st.integers(0, 120))
def test_the_event_count_refuses_only_documents_over_the_node_limit(body: str, limit: int) -> None:
    """The parser-level check is sound: when it refuses, the document has more than *limit*
    nodes, counting an alias as the values it stands for (what the decoder's budget counts)."""
    document = f"{_PADDING}a: &x [b]\nv: {body}\n"
    if not _yaml.too_many_nodes(document, limit):
        return
    root = yaml.compose(document, Loader=yaml.SafeLoader)
    stack, values = [root], 0
    while stack:
        node = stack.pop()
        values += 1
        if isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    assert values > limit


def test_the_event_count_leaves_short_and_broken_documents_to_the_parser() -> None:
    assert not _yaml.too_many_nodes("[" + "a," * 1000 + "]", 10)  # short: composed and counted
    assert not _yaml.too_many_nodes(_PADDING + "[" + "a," * 1000, 10)  # unclosed: parser's error
    assert _yaml.too_many_nodes(_PADDING + "[" + "a," * 1000 + "]", 10)
