"""The package layout: imports flow one way between the layers, and no module imports itself
back through others (docs/explanation/architecture.md).

Every ``import`` of every module counts, wherever it is written: at the top, inside a function
(a lazy import is still a dependency) or under ``if TYPE_CHECKING:`` (an annotation that names a
higher layer's class is still a dependency on it).
"""

from __future__ import annotations

import ast
import pathlib
import warnings

import pytest

import podmodel
from podmodel._moved import MOVED
from tests.conftest import REPO

#: Lowest first: a module may import its own layer and the layers before it.
LAYERS = (
    "errors",
    "model",
    "codec",
    "apiserver",
    "kernel",
    "kubelet",
    "strategies",
    "display",
    "cli",
)
#: Modules of the package root above every layer: the lazy facade and the old paths' shims.
FACADE = "facade"


def module_name(path: pathlib.Path, root: pathlib.Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return FACADE
    if parts[1] in LAYERS:
        return parts[1]
    return FACADE  # podmodel.__main__, podmodel._moved and the shims of moved modules


def rank(layer: str) -> int:
    return len(LAYERS) if layer == FACADE else LAYERS.index(layer)


def imports_of(path: pathlib.Path, module: str, known: set[str]) -> set[str]:
    """Every podmodel module *module* (at *path*) imports, anywhere in the file."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "podmodel")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if base.split(".")[0] != "podmodel":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in known:  # ``from podmodel.kubelet import _exec``: the submodule
                    found.add(sub)
                elif not (base == "podmodel" and alias.name == "__version__"):
                    found.add(base)
    found.discard(module)
    return found


def import_graph(root: pathlib.Path) -> dict[str, set[str]]:
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    known = set(files)
    return {name: imports_of(path, name, known) for name, path in files.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for module, targets in graph.items():
        for target in targets:
            if rank(layer_of(target)) > rank(layer_of(module)):
                bad.append(f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})")
    return sorted(bad)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


ROOT = REPO / "podmodel"


def test_every_module_belongs_to_a_layer_or_the_facade() -> None:
    graph = import_graph(ROOT)
    facade = sorted(m for m in graph if layer_of(m) == FACADE)
    shims = {f"podmodel.{old.rpartition('.')[2]}" for old in MOVED}
    assert set(facade) == {"podmodel", "podmodel.__main__", "podmodel._moved"} | shims
    assert {m.split(".")[1] for m in graph if layer_of(m) != FACADE} == set(LAYERS)


def test_no_layer_imports_a_higher_one() -> None:
    assert upward_imports(import_graph(ROOT)) == []


def test_no_import_cycles() -> None:
    assert cycles(import_graph(ROOT)) == []


def test_the_checks_catch_what_they_are_for(tmp_path: pathlib.Path) -> None:
    """The checker itself: a lazy upward import and a cycle under TYPE_CHECKING are found."""
    pkg = tmp_path / "podmodel"
    for sub in ("kernel", "kubelet"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "errors.py").write_text("")
    (pkg / "kernel" / "net.py").write_text("def f():\n    from podmodel.kubelet.node import Node\n")
    (pkg / "kubelet" / "node.py").write_text(
        "from typing import TYPE_CHECKING\nfrom podmodel.kubelet import _proc\n"
    )
    (pkg / "kubelet" / "_proc.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .node import Node\n"
    )
    graph = import_graph(pkg)
    assert upward_imports(graph) == [
        "podmodel.kernel.net (kernel) imports podmodel.kubelet.node (kubelet)"
    ]
    assert cycles(graph) == [["podmodel.kubelet._proc", "podmodel.kubelet.node"]]


def test_every_layer_says_what_it_models_and_may_import() -> None:
    for layer in LAYERS:
        path = ROOT / layer / "__init__.py" if layer != "errors" else ROOT / "errors.py"
        doc = ast.get_docstring(ast.parse(path.read_text())) or ""
        assert len(doc.splitlines()) >= 3, f"{path} needs a docstring"
        if layer != "errors":
            assert "may import" in doc, f"{path}'s docstring must say what it may import"


def test_no_module_is_longer_than_700_lines() -> None:
    generated = {ROOT / "model" / "_schema_data.py"}
    long = {
        str(p.relative_to(REPO)): n
        for p in ROOT.rglob("*.py")
        if p not in generated and (n := len(p.read_text().splitlines())) > 700
    }
    assert long == {}


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_module_paths_still_work_and_warn(old: str) -> None:
    import importlib

    module = importlib.import_module(old)  # importing alone is silent (filterwarnings=error)
    names = [n for new in MOVED[old] for n in importlib.import_module(new).__all__]
    assert names
    for name in names:
        with pytest.warns(DeprecationWarning, match=f"{old} moved to"):
            value = getattr(module, name)
        new = next(n for n in MOVED[old] if name in importlib.import_module(n).__all__)
        assert value is getattr(importlib.import_module(new), name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError):
            module.no_such_name  # noqa: B018


def test_the_facade_resolves_every_public_name_to_its_layer() -> None:
    for module, names in podmodel._LAZY.items():
        assert layer_of(module) != FACADE
        for name in names:
            assert getattr(podmodel, name) is getattr(__import__(module, fromlist=[name]), name)
