"""Generate ``podmodel/model/_schema_data.py``: the v1.Pod field catalogue, from the official schemas.

The source is the set of JSON schemas that the ``kubernetes-validate`` package ships (each one is
generated from the official Kubernetes OpenAPI document of that release). For every Kubernetes
minor version it ships, this script walks the definitions reachable from ``io.k8s.api.core.v1.Pod``
and records every legal field name and its JSON type. The versions are merged into one table in
which each field carries the first (and, if it disappeared, the last) version that has it, so the
package can answer "is this field legal in version X?" for any shipped version.

Usage (from the repository root, with the ``schema`` dependency group installed)::

    python tools/gen_schema.py            # rewrites podmodel/model/_schema_data.py

The output is committed and never edited by hand; ``tests/model/test_schema.py`` checks it against the
typed model in ``podmodel/model/spec.py``.
"""

from __future__ import annotations

import json
import pathlib
import re
import sys
from importlib import metadata
from typing import Any

ROOT = "io.k8s.api.core.v1.Pod"
OUT = pathlib.Path(__file__).resolve().parent.parent / "podmodel" / "model" / "_schema_data.py"


def schema_dirs() -> list[tuple[str, pathlib.Path]]:
    import kubernetes_validate

    base = pathlib.Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    found = []
    for d in base.iterdir():
        m = re.fullmatch(r"v(\d+)\.(\d+)\.\d+-local-strict", d.name)
        if m:
            found.append(((int(m[1]), int(m[2])), d))
    return [(f"{a}.{b}", d) for (a, b), d in sorted(found)]


def short(ref: str) -> str:
    return ref.rsplit("/", 1)[-1].rsplit(".", 1)[-1]


def type_of(prop: dict[str, Any], defs: dict[str, Any], todo: list[str]) -> str:
    """Encode one property's JSON type as a compact string.

    ``s`` string, ``i`` integer (int64), ``i32`` 32-bit integer, ``n`` number, ``b`` boolean, ``q`` quantity (string or number),
    ``is`` int-or-string, ``o`` free-form object, ``@Name`` a definition, ``[T`` a list of T,
    ``{T`` a map of string to T, ``*`` anything.
    """
    if "$ref" in prop:
        full = prop["$ref"].rsplit("/", 1)[-1]
        target = defs[full]
        if "oneOf" in target:
            kinds = {t for alt in target["oneOf"] for t in _types(alt)} - {"null"}
            if kinds == {"string", "number"}:
                return "q"
            if kinds == {"string", "integer"}:
                return "is"
            raise SystemExit(f"unknown oneOf in {full}: {kinds}")
        if "properties" not in target:
            kinds = set(_types(target)) - {"null"}
            if kinds == {"string"}:
                return "s"
            if kinds == {"object"} or not kinds:
                return "o"
            raise SystemExit(f"unknown leaf definition {full}: {kinds}")
        todo.append(full)
        return "@" + short(full)
    kinds = set(_types(prop)) - {"null"}
    if kinds == {"array"}:
        return "[" + type_of(prop["items"], defs, todo)
    if kinds == {"object"}:
        extra = prop.get("additionalProperties")
        if isinstance(extra, dict):
            return "{" + type_of(extra, defs, todo)
        return "o"
    if kinds == {"integer"} and prop.get("format") == "int32":
        return "i32"
    if len(kinds) == 1:
        return {"string": "s", "integer": "i", "number": "n", "boolean": "b"}[kinds.pop()]
    if not kinds:
        return "*"
    raise SystemExit(f"unknown property type {prop}")


def _types(node: dict[str, Any]) -> list[str]:
    t = node.get("type", [])
    return [t] if isinstance(t, str) else list(t)


def catalogue(directory: pathlib.Path) -> dict[str, dict[str, str]]:
    defs = json.loads((directory / "_definitions.json").read_text())["$defs"]
    out: dict[str, dict[str, str]] = {}
    todo = [ROOT]
    full_names: dict[str, str] = {}
    while todo:
        full = todo.pop()
        name = short(full)
        if full_names.setdefault(name, full) != full:
            raise SystemExit(f"two definitions shorten to {name}: {full}, {full_names[name]}")
        if name in out:
            continue
        props = defs[full].get("properties", {})
        out[name] = {}
        for field, prop in props.items():
            out[name][field] = type_of(prop, defs, todo)
    return out


def main() -> int:
    versions = schema_dirs()
    if not versions:
        print("kubernetes-validate ships no schemas", file=sys.stderr)
        return 1
    names = [v for v, _ in versions]
    merged: dict[str, dict[str, list[Any]]] = {}
    for index, (_version, directory) in enumerate(versions):
        for defn, fields in catalogue(directory).items():
            slot = merged.setdefault(defn, {})
            for field, typ in fields.items():
                if field not in slot:
                    slot[field] = [typ, index, index]
                else:
                    slot[field][0] = typ  # the newest version's type wins
                    slot[field][2] = index
    last = len(names) - 1
    lines = [
        "# Generated by tools/gen_schema.py from the JSON schemas shipped by",
        f"# kubernetes-validate {metadata.version('kubernetes-validate')}. Do not edit by hand.",
        '"""The v1.Pod field catalogue: every legal field, its JSON type, and its versions."""',
        "",
        "from __future__ import annotations",
        "",
        f"VERSIONS: tuple[str, ...] = {tuple(names)!r}",
        "",
        "# DEFINITIONS[definition][field] = (type, first version index, last version index)",
        "# type: s string, i integer, i32 32-bit integer, n number, b boolean, q quantity,",
        "# is int-or-string,",
        "# o free-form object, * anything, @Name a definition, [T a list of T, {T a map of T.",
        "DEFINITIONS: dict[str, dict[str, tuple[str, int, int]]] = {",
    ]
    for defn in sorted(merged):
        lines.append(f"    {defn!r}: {{")
        for field in sorted(merged[defn]):
            typ, first, final = merged[defn][field]
            lines.append(f"        {field!r}: ({typ!r}, {first}, {final}),")
        lines.append("    },")
    lines.append("}")
    lines.append(f"LATEST_INDEX = {last}")
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT} ({len(merged)} definitions, versions {names[0]}..{names[-1]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
