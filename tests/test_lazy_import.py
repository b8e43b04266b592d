"""``import podmodel`` imports no submodule; each public name loads its module on first use.

The speed itself is measured by tests/benchmarks/bench_peers.py (``import podmodel`` row)."""

from __future__ import annotations

import ast
import subprocess
import sys
from typing import Any

import pytest

import podmodel
from podmodel import strategies as pst
from tests.conftest import REPO


def test_import_podmodel_imports_nothing_else() -> None:
    code = (
        "import sys, podmodel\n"
        "print(sorted(m for m in sys.modules if m.startswith(('podmodel.', 'yaml', 'attr'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("path", "module"),
    [("podmodel/__init__.py", podmodel), ("podmodel/strategies/__init__.py", pst)],
)
def test_the_lazy_table_matches_the_type_checking_imports(path: str, module: Any) -> None:
    tree = ast.parse((REPO / path).read_text())
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
    )
    static = {
        imp.module: tuple(alias.name for alias in imp.names)
        for imp in guarded.body
        if isinstance(imp, ast.ImportFrom)
    }
    assert static == module._LAZY
    names = {n for ns in module._LAZY.values() for n in ns}
    assert names | ({"__version__"} if module is podmodel else set()) == set(module.__all__)


def test_every_public_name_resolves() -> None:
    for name in podmodel.__all__:
        assert getattr(podmodel, name) is not None
    assert set(podmodel.__all__) <= set(dir(podmodel))
    try:
        podmodel.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("unknown names must raise AttributeError")


def test_every_module_imports_first_in_a_fresh_interpreter() -> None:
    """No import cycle depends on which module is imported first (pytest's doctest collection
    imports them in file order; a user may import any of them directly)."""
    root = REPO / "podmodel"
    names = sorted(
        ".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        for p in root.rglob("*.py")
        if p.name != "__main__.py" and p != root / "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    for loaded in [m for m in sys.modules if m.startswith('podmodel')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module('podmodel.' + name)\n"
        "    except Exception as exc:\n"
        "        print(name, type(exc).__name__, exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
