"""Generated code is what its generator writes today: regenerating changes nothing."""

from __future__ import annotations

import importlib.util
import sys

from tests.conftest import REPO, need


def test_regenerating_the_field_catalogues_changes_nothing() -> None:
    need(
        importlib.util.find_spec("kubernetes_validate") is not None,
        "kubernetes-validate is not installed (pip install -e '.[schema]')",
    )
    spec = importlib.util.spec_from_file_location("gen_schema", REPO / "tools" / "gen_schema.py")
    assert spec is not None
    assert spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    rendered = gen.render()
    assert {p.name for p in rendered} == {"_schema_data.py", "_workload_schema_data.py"}
    for path, text in rendered.items():
        assert path.read_text() == text, f"{path} differs from what tools/gen_schema.py writes"


def test_regenerating_the_typed_model_changes_nothing() -> None:
    need(
        importlib.util.find_spec("kubernetes_validate") is not None,
        "kubernetes-validate is not installed (pip install -e '.[schema]')",
    )
    sys.path.insert(0, str(REPO / "tools"))
    try:
        spec = importlib.util.spec_from_file_location("gen_model", REPO / "tools" / "gen_model.py")
        assert spec is not None
        assert spec.loader is not None
        gen = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(gen)
        rendered = gen.render()
    finally:
        sys.path.remove(str(REPO / "tools"))
    on_disk = set((REPO / "podmodel" / "model" / "_generated").glob("*.py"))
    on_disk.add(REPO / "podmodel" / "model" / "v1.py")
    assert set(rendered) == on_disk
    for path, text in rendered.items():
        assert path.read_text() == text, f"{path} differs from what tools/gen_model.py writes"
