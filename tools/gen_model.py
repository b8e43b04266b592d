"""Generate the typed model of every definition reachable from v1.Pod:
``podmodel/model/_generated/``.

The source is the official v1.35 JSON schema that ``kubernetes-validate`` ships (generated from
the Kubernetes OpenAPI document), the version of podmodel's rules. For every definition the
walk from ``io.k8s.api.core.v1.Pod`` reaches, it writes one frozen, slotted, keyword-only
``attrs`` class: snake_case attributes built by :func:`podmodel.model._typed.field` (manifest
name and catalogue type code in the metadata), the schema's descriptions as the class docstring
and the attributes' ``#:`` comments, ``Literal[...]`` where the schema lists the values, and an
``extra`` mapping for what no attribute holds. The classes are grouped by area into modules
of at most ``MAX_LINES`` lines.

Usage (from the repository root, with the ``schema`` and ``lint`` extras installed)::

    python tools/gen_model.py            # rewrites podmodel/model/_generated/

The output is committed and never edited by hand; ``tests/model/test_generated.py`` checks that
regenerating changes nothing and that every v1.35 field maps to a typed attribute.
"""

from __future__ import annotations

import json
import keyword
import pathlib
import re
import subprocess
import sys
import textwrap
from importlib import metadata
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from gen_schema import ROOT, _formatted, schema_dirs, short, type_of

VERSION = "1.35"
OUT = pathlib.Path(__file__).resolve().parent.parent / "podmodel" / "model" / "_generated"
MAX_LINES = 650
WIDTH = 100

# Area → definitions, in the order the modules are written. A definition not named here goes
# to "volumes" when its name says so, and to "pod" otherwise.
AREAS: dict[str, tuple[str, ...]] = {
    "meta": (
        "ObjectMeta",
        "OwnerReference",
        "ManagedFieldsEntry",
        "LabelSelector",
        "LabelSelectorRequirement",
        "LocalObjectReference",
        "TypedLocalObjectReference",
        "TypedObjectReference",
    ),
    "pod": (
        "Pod",
        "PodSpec",
        "PodDNSConfig",
        "PodDNSConfigOption",
        "HostAlias",
        "PodOS",
        "PodReadinessGate",
        "PodSchedulingGate",
        "PodResourceClaim",
        "WorkloadReference",
    ),
    "scheduling": (
        "Affinity",
        "NodeAffinity",
        "NodeSelector",
        "NodeSelectorTerm",
        "NodeSelectorRequirement",
        "PreferredSchedulingTerm",
        "PodAffinity",
        "PodAntiAffinity",
        "PodAffinityTerm",
        "WeightedPodAffinityTerm",
        "Toleration",
        "TopologySpreadConstraint",
    ),
    "containers": (
        "Container",
        "EphemeralContainer",
        "ContainerPort",
        "ContainerResizePolicy",
        "ContainerRestartRule",
        "ContainerRestartRuleOnExitCodes",
        "EnvVar",
        "EnvVarSource",
        "EnvFromSource",
        "ConfigMapEnvSource",
        "SecretEnvSource",
        "ConfigMapKeySelector",
        "SecretKeySelector",
        "FileKeySelector",
        "ObjectFieldSelector",
        "ResourceFieldSelector",
        "VolumeMount",
        "VolumeDevice",
        "ResourceRequirements",
        "ResourceClaim",
    ),
    "handlers": (
        "Probe",
        "ExecAction",
        "HTTPGetAction",
        "HTTPHeader",
        "TCPSocketAction",
        "GRPCAction",
        "Lifecycle",
        "LifecycleHandler",
        "SleepAction",
    ),
    "security": (
        "PodSecurityContext",
        "SecurityContext",
        "Capabilities",
        "SELinuxOptions",
        "SeccompProfile",
        "AppArmorProfile",
        "WindowsSecurityContextOptions",
        "Sysctl",
    ),
    "status": (
        "PodStatus",
        "PodCondition",
        "HostIP",
        "PodIP",
        "ContainerStatus",
        "ContainerState",
        "ContainerStateRunning",
        "ContainerStateTerminated",
        "ContainerStateWaiting",
        "ContainerUser",
        "LinuxContainerUser",
        "ContainerExtendedResourceRequest",
        "PodExtendedResourceClaimStatus",
        "PodResourceClaimStatus",
        "ResourceHealth",
        "ResourceStatus",
        "VolumeMountStatus",
    ),
    "volumes": ("Volume",),
}

_SCALARS = {"s": "str", "i": "int", "i32": "int", "n": "float", "b": "bool", "is": "int | str"}


def snake(name: str) -> str:
    """``hostIPC`` → ``host_ipc``, ``podIPs`` → ``pod_ips``, ``exec`` → ``exec``."""
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower()
    s = s.replace("i_ps", "ips")  # podIPs, hostIPs: one word, as in "pod_ips"
    return s + "_" if keyword.iskeyword(s) or s == "extra" else s


def annotation(code: str, enum: list[str] | None) -> str:
    """The Python annotation of catalogue type *code* (the element's, for a list or a map)."""
    if code in _SCALARS:
        if code == "s" and enum:
            return "Literal[" + ", ".join(json.dumps(v) for v in enum) + "]"
        return _SCALARS[code]
    if code == "q":
        return "Quantity"
    if code in {"o", "*"}:
        return "FrozenMap[str, JSONValue]" if code == "o" else "JSONValue"
    if code[0] == "@":
        return code[1:]
    if code[0] == "[":
        return f"tuple[{annotation(code[1:], enum)}, ...]"
    if code[0] == "{":
        return f"FrozenMap[str, {annotation(code[1:], enum)}]"
    raise SystemExit(f"unknown type code {code}")


def _enum(prop: dict[str, Any]) -> list[str] | None:
    values = prop.get("enum") or prop.get("items", {}).get("enum")
    if not values:
        return None
    return sorted(v for v in values if isinstance(v, str))


def _doc_lines(text: str, indent: str, prefix: str = "") -> list[str]:
    text = " ".join(text.split())
    return textwrap.wrap(
        text,
        width=WIDTH - len(indent) - len(prefix),
        break_long_words=False,
        break_on_hyphens=False,
    )


def _docstring(text: str) -> list[str]:
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip() or "(no description)"
    body = _doc_lines(text, "    ", '"""')
    if len(body) == 1 and len(body[0]) <= WIDTH - 10:
        return [f'    """{body[0]}"""']
    return ['    """' + body[0], *("    " + line for line in body[1:]), '    """']


#: What a generated class inherits from ``FrozenMap`` that a schema field may be called.
MAPPING_METHODS = frozenset({"items", "keys", "values", "get", "set", "delete"})


def render_class(
    name: str, definition: dict[str, Any], defs: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """The lines of one class, and the annotations its attributes use."""
    lines = [
        "",
        "",
        "@register",
        "@attrs.frozen(kw_only=True, eq=False, repr=False)",
        f"class {name}(WireObject):",
    ]
    annotations: list[str] = []
    lines += _docstring(definition.get("description", ""))
    lines.append("")
    for wire in sorted(definition.get("properties", {})):
        prop = definition["properties"][wire]
        code = type_of(prop, defs, [])
        ann = annotation(code, _enum(prop))
        if code[0] not in "[{":
            ann += " | None"
        description = prop.get("description", "").strip()
        if description:
            lines += ["    #: " + line for line in _doc_lines(description, "    ", "#: ")]
        line = f"    {snake(wire)}: {ann} = field({wire!r}, {code!r})"
        if snake(wire) in MAPPING_METHODS:  # the field wins over the mapping's method
            line += "  # type: ignore[assignment]"
        lines.append(line)
        annotations.append(ann)
    lines += [
        "    #: Manifest fields no attribute holds (written ``null``, or unknown), by manifest name.",
        "    extra: FrozenMap[str, JSONValue] = extra()",
    ]
    return lines, annotations


def reachable(defs: dict[str, Any]) -> dict[str, str]:
    """Short name → full name of every definition with properties reachable from v1.Pod."""
    out: dict[str, str] = {}
    todo = [ROOT]
    while todo:
        full = todo.pop()
        name = short(full)
        if name in out:
            continue
        out[name] = full
        for prop in defs[full].get("properties", {}).values():
            type_of(prop, defs, todo)
    return out


def cat_types(definition: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    """The type codes of *definition*'s properties."""
    return [type_of(prop, defs, []) for prop in definition.get("properties", {}).values()]


def _dependents_first(members: list[str], refs: dict[str, set[str]]) -> list[str]:
    """*members* ordered so that a class comes before every class it refers to (the schema's
    references have no cycles), keeping the given order where it is free: split into modules
    in this order, a module only imports the ones after it, and the imports have no cycle."""
    inside = set(members)
    done: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for user in members:  # everything that refers to *name* goes first
            if name in refs[user]:
                visit(user)
        done.append(name)

    for name in members:
        visit(name)
    assert set(done) == inside
    return done


def area_of(name: str) -> str:
    for area, names in AREAS.items():
        if name in names:
            return area
    if re.search(r"Volume|Projection|KeyToPath|PersistentVolumeClaim", name):
        return "volumes"
    raise SystemExit(f"no area for {name}: add it to AREAS")


def _module(area: str, part: int, parts: int) -> str:
    return f"_{area}" if parts == 1 else f"_{area}{part}"


def render() -> dict[pathlib.Path, str]:
    """The text of every generated file, by path."""
    directory = dict(schema_dirs())[VERSION]
    defs = json.loads((directory / "_definitions.json").read_text())["$defs"]
    names = reachable(defs)
    by_area: dict[str, list[str]] = {area: [] for area in AREAS}
    for name in names:
        by_area[area_of(name)].append(name)
    refs = {
        n: set(re.findall(r"@(\w+)", " ".join(cat_types(defs[f], defs)))) for n, f in names.items()
    }
    for area, members in by_area.items():
        order = AREAS[area]
        members.sort(key=lambda n: (order.index(n) if n in order else len(order), n))
        by_area[area] = _dependents_first(members, refs)
    header = [
        "# Generated by tools/gen_model.py from the v1.35 JSON schema shipped by",
        f"# kubernetes-validate {metadata.version('kubernetes-validate')}. Do not edit by hand.",
    ]
    # Pack each area's classes into modules of at most MAX_LINES lines.
    modules: dict[str, list[tuple[str, list[str], list[str]]]] = {}
    for area, members in by_area.items():
        rendered = [(name, *render_class(name, defs[names[name]], defs)) for name in members]
        total = sum(len(text) for _, text, _ in rendered)
        parts = -(-total // (MAX_LINES - 50))
        chunks: list[list[tuple[str, list[str], list[str]]]] = [[]]
        size = 0
        for item in rendered:
            if chunks[-1] and size + len(item[1]) > total / parts + 40:
                chunks.append([])
                size = 0
            chunks[-1].append(item)
            size += len(item[1])
        for i, chunk in enumerate(chunks, 1):
            modules[_module(area, i, len(chunks))] = chunk
    home = {name: module for module, chunk in modules.items() for name, _, _ in chunk}
    files: dict[pathlib.Path, str] = {}
    for module, chunk in modules.items():
        own = {name for name, _, _ in chunk}
        body = [line for _, text, _ in chunk for line in text]
        annotated = " ".join(a for _, _, anns in chunk for a in anns)
        used = set(re.findall(r"\b[A-Z][A-Za-z0-9]+\b", annotated))
        foreign: dict[str, list[str]] = {}
        for name in sorted(used & set(home) - own):
            foreign.setdefault(home[name], []).append(name)
        typing_names = ["TYPE_CHECKING"] + (["Literal"] if "Literal[" in annotated else [])
        lines = [
            *header,
            f'"""Generated model classes: {module.strip("_")} (see tools/gen_model.py)."""',
            "",
            "from __future__ import annotations",
            "",
            f"from typing import {', '.join(typing_names)}",
            "",
            "import attrs",
            "",
            "from podmodel.model._typed import WireObject, extra, field, register",
            "",
            "if TYPE_CHECKING:",
        ]
        imports = {"podmodel.model._frozen": ["FrozenMap", "JSONValue"]}
        if "Quantity" in used:
            imports["podmodel.model._quantity"] = ["Quantity"]
        for other, names_there in foreign.items():
            imports[f"podmodel.model._generated.{other}"] = names_there
        for source in sorted(imports):
            lines.append(f"    from {source} import {', '.join(sorted(imports[source]))}")
        lines += ["", "__all__ = [" + ", ".join(repr(n) for n in sorted(own)) + "]", *body]
        path = OUT / f"{module}.py"
        files[path] = _formatted(_sorted_imports("\n".join(lines) + "\n", path), path)
    home_lines = [f"    {name!r}: {module!r}," for name, module in sorted(home.items())]
    init = [
        *header,
        '"""The generated model: one class per definition reachable from v1.Pod (v1.35).',
        "",
        "A module is imported when one of its classes is first needed (:func:`load`), so that",
        "decoding a pod creates only the classes it uses. :data:`CLASSES` (every class) imports",
        "them all. See ``tools/gen_model.py``.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import importlib",
        "from typing import Literal",
        "",
        "from podmodel.model._frozen import FrozenMap, JSONValue",
        "from podmodel.model._quantity import Quantity",
        "from podmodel.model._typed import REGISTRY, set_loader",
        "",
        '__all__ = ["CLASSES", "HOME", "load", "load_all"]',
        "",
        "#: Definition name → the module of this package that defines its class.",
        "HOME: dict[str, str] = {",
        *home_lines,
        "}",
        "",
        "",
        "def load(name: str) -> type:",
        '    """The class of definition *name*, its module imported if it was not yet."""',
        "    cls = REGISTRY.get(name)",
        "    if cls is None:",
        '        importlib.import_module(f"{__name__}.{HOME[name]}")',
        "        cls = REGISTRY[name]",
        "    return cls",
        "",
        "",
        "set_loader(load)",
        "",
        "",
        "def load_all() -> dict[str, type]:",
        '    """Every class, by definition name; the annotations of each module then resolve',
        "    (``typing.get_type_hints``, ``attrs.resolve_types``): the names a module imports",
        '    only for type checking are given to it."""',
        "    classes = {name: load(name) for name in sorted(HOME)}",
        "    shared = {**classes, **_ANNOTATION_NAMES}",
        "    for module in sorted(set(HOME.values())):",
        '        space = vars(importlib.import_module(f"{__name__}.{module}"))',
        "        for name, value in shared.items():",
        "            space.setdefault(name, value)",
        "    return classes",
        "",
        "",
        "_ANNOTATION_NAMES = {",
        '    "FrozenMap": FrozenMap,',
        '    "JSONValue": JSONValue,',
        '    "Quantity": Quantity,',
        '    "Literal": Literal,',
        "}",
        "",
        "",
        "def __getattr__(attr: str) -> dict[str, type]:",
        '    if attr == "CLASSES":  # every class, by definition name',
        "        return load_all()",
        '    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")',
    ]
    path = OUT / "__init__.py"
    files[path] = _formatted(_sorted_imports("\n".join(init) + "\n", path), path)
    path = OUT.parent / "v1.py"
    files[path] = _formatted(_sorted_imports(_public(modules) + "\n", path), path)
    return files


#: Definitions decoding models with the hand-written classes of ``podmodel.model.spec``: the
#: public module exports those instead (``EphemeralContainer`` decodes to ``Container``).
HAND_WRITTEN = {
    "Pod": "Pod",
    "PodSpec": "PodSpec",
    "ObjectMeta": "ObjectMeta",
    "Container": "Container",
    "EphemeralContainer": None,
    "ContainerPort": "ContainerPort",
    "EnvVar": "EnvVar",
    "VolumeMount": "VolumeMount",
    "Volume": "Volume",
    "EmptyDirVolumeSource": "EmptyDir",
    "HostPathVolumeSource": "HostPath",
}


def _public(modules: dict[str, list[tuple[str, list[str], list[str]]]]) -> str:
    """``podmodel/model/v1.py``: every class of the model under one public name."""
    lines = [
        "# Generated by tools/gen_model.py. Do not edit by hand.",
        '"""Every class of the v1 Pod model, by its Kubernetes definition name.',
        "",
        "The classes decoding builds: :class:`Pod`, :class:`PodSpec`, :class:`ObjectMeta`,",
        ":class:`Container` (app, init and ephemeral), :class:`ContainerPort`, :class:`EnvVar`,",
        ":class:`VolumeMount`, :class:`Volume` and its sources :class:`EmptyDir`,",
        ":class:`HostPath` and :class:`OtherVolumeSource` are hand-written",
        "(:mod:`podmodel.model.spec`); every other one (:class:`Probe`, :class:`SecurityContext`,",
        ":class:`Toleration`, :class:`ConfigMapVolumeSource`, ...) is generated from the v1.35",
        "schema by ``tools/gen_model.py``: frozen, slotted, keyword-only ``attrs`` classes, each",
        "also the read-only mapping of its manifest fields.",
        "",
        ">>> from podmodel.model.v1 import Probe",
        '>>> Probe(http_get={"path": "/healthz", "port": 8080}).http_get.port',
        "8080",
        "",
        "Importing this module creates every class (about 50 ms); decoding alone creates only",
        "the classes a pod uses.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
    ]
    names: list[str] = []
    for module, chunk in sorted(modules.items()):
        own = sorted(n for n, _, _ in chunk if n not in HAND_WRITTEN)
        names += own
        lines.append(f"from podmodel.model._generated.{module} import {', '.join(own)}")
    spec = sorted({*(v for v in HAND_WRITTEN.values() if v), "OtherVolumeSource", "VolumeSource"})
    names += spec
    lines.append(f"from podmodel.model.spec import {', '.join(spec)}")
    lines.append("from podmodel.model._generated import load_all")
    lines += ["", "__all__ = [" + ", ".join(repr(n) for n in sorted(names)) + "]"]
    lines += ["", "load_all()  # (so that every annotation resolves)"]
    return "\n".join(lines)


def _sorted_imports(text: str, path: pathlib.Path) -> str:
    """*text* with its imports in the order ``ruff check --select I`` wants (case-sensitive)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--select",
            "I001",
            "--fix",
            "--quiet",
            "--stdin-filename",
            str(path),
            "-",
        ],
        input=text,
        capture_output=True,
        text=True,
        check=False,
        cwd=path.parent,
    )
    return done.stdout or text


def main() -> int:
    OUT.mkdir(exist_ok=True)
    files = render()
    for stale in set(OUT.glob("*.py")) - set(files):
        stale.unlink()
    for path, text in files.items():
        path.write_text(text)
        print(f"wrote {path} ({text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
