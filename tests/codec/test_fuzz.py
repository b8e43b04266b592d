"""Fuzz campaigns over every entry point that takes outside input: any input either works or
raises podmodel's own error, never another exception.

Each campaign runs the Hypothesis profile's number of examples; ``PODMODEL_FUZZ_EXAMPLES=N``
runs N instead (the closing note of issue 9 records the counts of a long local run).
"""

from __future__ import annotations

import contextlib
import io
import os
import pathlib
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import podmodel
from podmodel import strategies as pst
from podmodel.cli import main

REPO = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("PODMODEL_FUZZ_EXAMPLES", "0")) or None


def campaign(test: Any) -> Any:
    kwargs: dict[str, Any] = {
        "deadline": None,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
    }
    if EXAMPLES:
        kwargs.update(max_examples=EXAMPLES, database=None)
    return settings(**kwargs)(test)


@pytest.fixture(autouse=True)
def _quiet() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", podmodel.DecodeWarning)
        yield


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(["", "nginx", "c", "/data", "0.0.0.0", "TCP", "Always", "80", "-1"]),
)
json_values = st.recursive(
    scalars,
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=12), c, max_size=4),
    max_leaves=30,
)
container = st.fixed_dictionaries(
    {"name": st.sampled_from(["a", "b", "web", "A", ""]), "image": json_values},
    optional={
        "ports": st.lists(
            st.fixed_dictionaries(
                {"containerPort": json_values},
                optional={"protocol": json_values, "hostPort": json_values, "name": json_values},
            ),
            max_size=3,
        )
        | json_values,
        "volumeMounts": st.lists(
            st.fixed_dictionaries(
                {"name": st.sampled_from(["v", "w", "x"]), "mountPath": json_values},
                optional={"subPath": json_values, "readOnly": json_values},
            ),
            max_size=3,
        )
        | json_values,
        "command": json_values,
        "restartPolicy": json_values,
        "env": json_values,
    },
)
pod_shaped = st.fixed_dictionaries(
    {"apiVersion": st.sampled_from(["v1", "v2", 1]), "kind": st.sampled_from(["Pod", "pod"])},
    optional={
        "metadata": st.fixed_dictionaries(
            {}, optional={"name": json_values, "labels": json_values, "namespace": json_values}
        )
        | json_values,
        "spec": st.fixed_dictionaries(
            {},
            optional={
                "containers": st.lists(container, max_size=3) | json_values,
                "initContainers": st.lists(container, max_size=2) | json_values,
                "volumes": st.lists(
                    st.fixed_dictionaries(
                        {"name": st.sampled_from(["v", "w", "x"])},
                        optional={
                            "emptyDir": json_values,
                            "hostPath": st.fixed_dictionaries(
                                {"path": json_values}, optional={"type": json_values}
                            ),
                            "configMap": json_values,
                        },
                    ),
                    max_size=3,
                )
                | json_values,
                "hostNetwork": json_values,
                "restartPolicy": json_values,
            },
        )
        | json_values,
    },
)


def _run_everything(pod: podmodel.Pod) -> None:
    for step in (podmodel.validate, podmodel.apply_defaults, podmodel.to_dict, podmodel.dumps):
        with contextlib.suppress(podmodel.PodmodelError):
            step(pod)
    with contextlib.suppress(podmodel.PodmodelError):
        node = podmodel.Node().start(pod).advance(45)
        running = node.pod(pod.name, pod.metadata.namespace or "default")
        running._repr_svg_()
        running.describe_events()
        for c in running.containers:
            running.exec(c.name, "ls -la / && cat /etc/hosts")


@campaign
@given(pod_shaped)
def test_fuzz_from_dict_then_the_whole_pipeline(data: dict[str, Any]) -> None:
    try:
        pod = podmodel.from_dict(data, field_validation="Ignore")
    except podmodel.PodmodelError:
        return
    _run_everything(pod)


@campaign
@given(
    st.one_of(
        st.text(),
        st.binary(),
        pst.manifests(),
        pst.invalid_manifests().map(lambda t: t[0] if isinstance(t, tuple) else t),
        st.lists(pst.manifests(), min_size=2, max_size=4).map("---\n".join),
    ),
    st.sampled_from(["Strict", "Warn", "Ignore"]),
)
def test_fuzz_yaml_text(text: str | bytes, mode: str) -> None:
    try:
        pods = podmodel.load_all(text, field_validation=mode)
    except podmodel.PodmodelError:
        return
    for pod in pods[:1]:
        _run_everything(pod)


SHARED_DISK = podmodel.loads((REPO / "docs/examples/seed/shared-disk.yaml").read_text())
NODE = podmodel.Node().start(SHARED_DISK).advance(5)
WORDS = [
    *("cat", "ls", "echo", "mkdir", "rm", "tail", "-n", "-p", "-r", "-f", "x", ">", ">>"),
    *("/", "..", "//a/", "/etc/hosts", "&&", "sh", "-c", "'", '"', "curl", "wget", "-qO-"),
    *("localhost:80", "localhost:1880", "hostname", "-i", "env", "$HOME", "|", ";", "*", "~"),
    *("/pm2logs/x", "/pm2logs/*", "/pm2logs/../..", "0", "+1", "-5", " ", "\x00", "true"),
]


@campaign
@given(
    st.one_of(
        st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
        st.text(max_size=30),
        st.lists(st.sampled_from(WORDS), max_size=6),
    ),
    st.sampled_from(["mycon1", "mycon2", "nope", ""]),
)
def test_fuzz_exec(command: str | list[str], container: str) -> None:
    with contextlib.suppress(podmodel.PodmodelError):
        node, result = NODE.exec("mypod", container, command)
        assert isinstance(result.exit_code, int)
        node.pod("mypod").exec(container, command)


CLI_WORDS = [
    *("check", "run", "exec", "defaults", "--for", "5x", "-1s", "nan", "inf", "1e308s", "30s"),
    *("--output", "json", "yaml", "--svg", "/proc/nope/x.svg", "--mode", "kubernetes", "--explain"),
    *("docs/examples/seed/port-conflict.yaml", "docs/examples/typo-pod.yaml", "/nonexistent"),
    *("/etc", "--", "mycon1", "hostname", "--color", "always", "\x00", "--version"),
]


@campaign
@given(st.lists(st.sampled_from(CLI_WORDS), max_size=7))
def test_fuzz_command_line(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's usage errors and --version
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(cwd)
    assert code in (0, 1, 2) or argv[:1] == ["exec"]
