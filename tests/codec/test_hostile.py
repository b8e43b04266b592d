"""Hostile input: every case fails with podmodel's own error saying what is wrong, or decodes.

Time and memory are measured by tests/benchmarks/bench_limits.py, not asserted here."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel.codec import _yaml
from tests.support.hostile_cases import CASES, SHELL_CASES, Case, ShellCase

if TYPE_CHECKING:
    from tests.support.oracle import Oracle


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


#: Cases whose outcome is a rule of kubectl's YAML reading, with what ``k8s-oracle --yaml`` (the
#: kubectl v1.35 client code, then the API server's strict decoding) says: words of its refusal,
#: or None when the request body decodes.
KUBECTL_SAYS: dict[str, str | None] = {
    "integer key": 'unknown field "spec.1"',
    "boolean key": 'unknown field "spec.true"',
    "null key": "unsupported map key of type",
    "list as a key": "invalid map key",
    "python tag (ignored, decodes)": None,
    "custom tag (ignored, decodes)": None,
    "5,000-digit integer": "cannot unmarshal string into Go struct field ContainerPort",
    "containerPort 2^31 (int32)": "cannot unmarshal number 2147483648",
    "sexagesimal 1:20 is a string": "cannot unmarshal string into Go struct field ContainerPort",
    "0o755 is octal 493 (decodes)": None,
    ".inf port": "json: unsupported value: +Inf",
    ".nan port": "json: unsupported value: NaN",
    "yes as hostNetwork (YAML 1.1 bool, decodes)": None,
    "2024-01-01 as an env value (stays a string, decodes)": None,
    "merge key << (YAML 1.1 merge, decodes)": None,
}


def test_kubectl_reads_the_yaml_rule_cases_alike(kubectl_oracle: Oracle) -> None:
    cases = {c.name: c for c in CASES}
    assert set(KUBECTL_SAYS) <= set(cases)
    texts = [cases[name].make() for name in KUBECTL_SAYS]
    for (name, says), answer in zip(
        KUBECTL_SAYS.items(), kubectl_oracle.check_many(texts), strict=True
    ):
        (doc,) = answer
        server: dict[str, Any] = doc.get("answer") or {}
        refusals = [doc["yaml_error"], doc.get("kubectl_error") or ""]
        refusals += server.get("decode_errors") or []
        if says is None:
            assert not any(refusals), (name, refusals)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", podmodel.DecodeWarning)
                (pod,) = cases[name].run()
            assert podmodel.to_dict(pod) == doc["json"], name
        else:
            assert any(says in r for r in refusals), (name, refusals)
            assert cases[name].expect is not None, name


def test_octal_port_is_493() -> None:
    (case,) = [c for c in CASES if c.name.startswith("0o755")]
    (pod,) = case.run()
    assert pod.spec.containers[0].ports[0].container_port == 493


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


@pytest.mark.parametrize("case", SHELL_CASES, ids=[c.name for c in SHELL_CASES])
def test_a_hostile_script_ends_as_documented(case: ShellCase) -> None:
    """Run alone (a simulated minute, for most): it ends with its documented code and words, or
    is still running when the time is up; and the call returns."""
    process, _ = case.run()
    if case.code is None:
        assert not process.done
        # the busy shells used the time up (a main shell waiting for its jobs stays behind)
        assert max((process.now, *(m.now for _, m in process.jobs))) >= case.seconds
    else:
        assert (process.done, process.exit_code) == (True, case.code)
    assert case.says in process.stdout + process.stderr
    assert len(process.stdout) + len(process.stderr) <= 2 * (1 << 20)


_HEAVY = {"a here-document of 300 MB", "50,000 nested subshells", "huge $((...))"}
_IN_A_CONTAINER = [c for c in SHELL_CASES if c.name not in _HEAVY]


@pytest.mark.parametrize("case", _IN_A_CONTAINER, ids=[c.name for c in _IN_A_CONTAINER])
def test_a_hostile_script_in_a_container_and_in_exec_never_hangs_the_node(case: ShellCase) -> None:
    """As a container's command, the node advances a simulated minute; ``exec`` of the same
    script in a running container returns within its timeout (137 when still running)."""
    from podmodel import Node
    from tests.support.helpers import pod_of

    spec = {
        "containers": [
            {"name": "bad", "image": "busybox", "command": ["sh", "-c", case.script]},
            {"name": "ok", "image": "busybox", "command": ["sleep", "3600"]},
        ],
        "restartPolicy": "Never",
    }
    node = Node().start(pod_of(spec)).advance(case.seconds)
    bad = node.pod("p").container("bad")
    if case.code is None:
        assert bad.state == "running"
    else:
        assert (bad.state, bad.exit_code) == ("terminated", case.code)
    if case.seconds < 60:
        return  # exec runs for a minute: too long to simulate for the heaviest
    node, result = node.exec("p", "ok", ["sh", "-c", case.script])
    assert result.exit_code == (137 if case.code is None else case.code)
    assert node.pod("p").container("ok").state == "running"
