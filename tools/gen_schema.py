"""Generate the field catalogues from the official schemas: ``podmodel/model/_schema_data.py``
(v1.Pod) and ``podmodel/model/_workload_schema_data.py`` (the workload kinds that carry pods).

The source is the set of JSON schemas that the ``kubernetes-validate`` package ships (each one is
generated from the official Kubernetes OpenAPI document of that release). For every Kubernetes
minor version it ships, this script walks the definitions reachable from ``io.k8s.api.core.v1.Pod``
and records every legal field name and its JSON type. The versions are merged into one table in
which each field carries the first (and, if it disappeared, the last) version that has it, so the
package can answer "is this field legal in version X?" for any shipped version. The same walk
from the workload kinds (apps/v1 Deployment, StatefulSet, DaemonSet, ReplicaSet; batch/v1 Job,
CronJob; v1 ReplicationController, PodTemplate) gives the definitions the Pod catalogue does not
already have.

Usage (from the repository root, with the ``schema`` dependency group installed)::

    python tools/gen_schema.py            # rewrites both files

The output is committed and never edited by hand; ``tests/model/test_generated.py`` checks that
regenerating changes nothing, and ``tests/model/test_schema.py`` checks the catalogue against the
typed model in ``podmodel/model/spec.py``.
"""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys
from importlib import metadata
from typing import Any

ROOT = "io.k8s.api.core.v1.Pod"
WORKLOAD_ROOTS = (
    "io.k8s.api.apps.v1.Deployment",
    "io.k8s.api.apps.v1.StatefulSet",
    "io.k8s.api.apps.v1.DaemonSet",
    "io.k8s.api.apps.v1.ReplicaSet",
    "io.k8s.api.batch.v1.Job",
    "io.k8s.api.batch.v1.CronJob",
    "io.k8s.api.core.v1.ReplicationController",
    "io.k8s.api.core.v1.PodTemplate",
)
MODEL = pathlib.Path(__file__).resolve().parent.parent / "podmodel" / "model"
OUT = MODEL / "_schema_data.py"
WORKLOAD_OUT = MODEL / "_workload_schema_data.py"


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


def catalogue(
    directory: pathlib.Path, roots: tuple[str, ...] = (ROOT,)
) -> dict[str, dict[str, str]]:
    defs = json.loads((directory / "_definitions.json").read_text())["$defs"]
    out: dict[str, dict[str, str]] = {}
    todo = list(reversed(roots))
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


def merge(
    versions: list[tuple[str, pathlib.Path]], roots: tuple[str, ...]
) -> dict[str, dict[str, list[Any]]]:
    """Every version's catalogue from *roots*, merged: field -> [type, first, last index]."""
    merged: dict[str, dict[str, list[Any]]] = {}
    for index, (_version, directory) in enumerate(versions):
        for defn, fields in catalogue(directory, roots).items():
            slot = merged.setdefault(defn, {})
            for field, typ in fields.items():
                if field not in slot:
                    slot[field] = [typ, index, index]
                else:
                    slot[field][0] = typ  # the newest version's type wins
                    slot[field][2] = index
    return merged


def _table(merged: dict[str, dict[str, list[Any]]]) -> list[str]:
    lines = [
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
    return lines


def render() -> dict[pathlib.Path, str]:
    """The text of every generated file, by path."""
    versions = schema_dirs()
    if not versions:
        raise SystemExit("kubernetes-validate ships no schemas")
    names = [v for v, _ in versions]
    pods = merge(versions, (ROOT,))
    header = [
        "# Generated by tools/gen_schema.py from the JSON schemas shipped by",
        f"# kubernetes-validate {metadata.version('kubernetes-validate')}. Do not edit by hand.",
    ]
    pod_lines = [
        *header,
        '"""The v1.Pod field catalogue: every legal field, its JSON type, and its versions."""',
        "",
        "from __future__ import annotations",
        "",
        f"VERSIONS: tuple[str, ...] = {tuple(names)!r}",
        "",
        *_table(pods),
        f"LATEST_INDEX = {len(names) - 1}",
    ]
    workloads = {
        defn: fields for defn, fields in merge(versions, WORKLOAD_ROOTS).items() if defn not in pods
    }
    workload_lines = [
        *header,
        '"""The workload field catalogue: the definitions reachable from the workload kinds that',
        'the v1.Pod catalogue (``_schema_data``) does not have; version indexes as there."""',
        "",
        "from __future__ import annotations",
        "",
        *_table(workloads),
    ]
    return {
        OUT: _formatted("\n".join(pod_lines) + "\n", OUT),
        WORKLOAD_OUT: _formatted("\n".join(workload_lines) + "\n", WORKLOAD_OUT),
    }


def _formatted(text: str, path: pathlib.Path) -> str:
    """*text* as ``ruff format`` (the project's formatter, from the lint extra) writes it."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(path), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=path.parent,
    )
    return done.stdout


def main() -> int:
    for path, text in render().items():
        path.write_text(text)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
