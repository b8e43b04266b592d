"""The public surface: __all__, docstrings, and an import that stays light."""

from __future__ import annotations

import importlib.metadata
import inspect
import subprocess
import sys

import pytest

import podmodel

PUBLIC_MODULES = [
    "podmodel",
    "podmodel.apiserver.defaults",
    "podmodel.apiserver.validation",
    "podmodel.apiserver.workloads",
    "podmodel.cli",
    "podmodel.codec",
    "podmodel.display",
    "podmodel.display.picture",
    "podmodel.errors",
    "podmodel.kernel.filesystem",
    "podmodel.kernel.network",
    "podmodel.kubelet.images",
    "podmodel.kubelet.lifecycle",
    "podmodel.kubelet.node",
    "podmodel.kubelet.state",
    "podmodel.kubelet.volumes",
    "podmodel.model.nested",
    "podmodel.model.schema",
    "podmodel.model.spec",
    "podmodel.model.workloads",
    "podmodel.strategies",
]


def test_all_lists_exactly_the_public_names() -> None:
    for modname in PUBLIC_MODULES:
        mod = importlib.import_module(modname)
        exported = set(mod.__all__)
        for name in exported:
            assert hasattr(mod, name), f"{modname}.{name} is in __all__ but not defined"
    public_defined = {
        n for n, v in vars(podmodel).items() if not n.startswith("_") and not inspect.ismodule(v)
    }
    assert public_defined - {"annotations"} <= set(podmodel.__all__)
    assert sorted(dir(podmodel)) == sorted(podmodel.__all__)


def test_every_public_name_has_a_docstring() -> None:
    for name in podmodel.__all__:
        obj = getattr(podmodel, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"podmodel.{name} has no docstring"


def test_import_podmodel_does_not_import_hypothesis() -> None:
    code = "import sys, podmodel; assert 'hypothesis' not in sys.modules, 'hypothesis imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_version_matches_the_installed_metadata() -> None:
    assert importlib.metadata.version("podmodel") == podmodel.__version__


def test_the_package_is_typed() -> None:
    files = importlib.metadata.files("podmodel") or []
    assert any(str(f).endswith("py.typed") for f in files) or (
        __import__("pathlib").Path(podmodel.__file__).with_name("py.typed").exists()
    )


def _outcome(fn: object, value: object) -> str:
    try:
        result = fn(value)  # type: ignore[operator]
    except podmodel.PodmodelError:
        return "podmodel error"
    return "ok" if isinstance(result, (podmodel.Pod, tuple)) else f"returned {result!r}"


def test_only_podmodel_errors_escape_on_bad_input() -> None:
    # from_dict takes any decoded data; loads/load_all take text. Bad *content* only ever raises
    # podmodel's own errors (anything else propagates and fails this test).
    data: list[object] = [None, 1, "x", [], {}, {"kind": 1}, {"apiVersion": []}, {1: 2}]
    texts: list[str | bytes] = ["", "x", "- 1", b"\xff", "{kind: 1}", "a: *b", "!!python/none x"]
    for value in data:
        assert _outcome(podmodel.from_dict, value) in {"ok", "podmodel error"}
    for text in texts:
        assert _outcome(podmodel.load_all, text) in {"ok", "podmodel error"}
        assert _outcome(podmodel.loads, text) == "podmodel error"


def test_a_wrong_argument_type_is_a_type_error() -> None:
    for wrong in (None, 1, {}):
        for fn in (podmodel.loads, podmodel.load_all):
            with pytest.raises(TypeError):
                fn(wrong)  # type: ignore[arg-type]
