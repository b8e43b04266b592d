"""``podmodel check`` over a repository of manifests: files/s with ``--jobs 1`` and ``--jobs 2``,
beside schema-only checking of the same tree with ``kubernetes-validate``.

    python tests/benchmarks/bench_check.py            # 10,000 files, best of 3 rounds
    python tests/benchmarks/bench_check.py --quick    # 1,000 files, 1 round (what CI runs)

The tree is built from the real manifests of ``../shared/corpus`` (Pods, a Deployment, a few
invalid ones), copied round-robin into 100 directories with each copy's pods renamed
(``web`` -> ``web-c00042``), so that no two files are the same. Each run is the whole command,
``podmodel.cli.main(["check", "--jobs", N, TREE])`` called in this process with its output
captured, and timed wall-clock: for ``--jobs 2`` that includes starting the worker processes.
The CPU seconds (this process and its workers, per run) tell the cost apart from the waiting
on a machine shared with other work.

The same tree is then checked the way kubeconform checks it, against the JSON schemas only
(``kubernetes-validate``, v1.35, strict: unknown fields rejected), in this process, each file
read and parsed with PyYAML and every document validated:

* ``schemas cached``: one compiled validator per (apiVersion, kind), as kubeconform caches its
  schemas: the whole tree, best of the same rounds;
* ``as shipped``: ``kubernetes_validate.validate(doc, "1.35", strict=True)`` per document, which
  loads and parses the schema files on every call: a sample of the tree (``--shipped-files``),
  its files/s extrapolated.

Schema checking sees types and unknown fields, not the API server's rules (names, ports,
selectors, restart policies...): the ratio is the price of those rules.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import best

from podmodel.cli import main as podmodel_main


def _name_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of the ``metadata.name`` scalar of each Pod document of *text*."""
    spans = []
    try:
        roots = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return []  # a broken manifest of the corpus: copied as it is
    for root in roots:
        if not isinstance(root, yaml.MappingNode):
            continue
        fields = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
        kind, meta = fields.get("kind"), fields.get("metadata")
        if not (isinstance(kind, yaml.ScalarNode) and kind.value == "Pod"):
            continue
        if not isinstance(meta, yaml.MappingNode):
            continue
        for k, v in meta.value:
            if k.value == "name" and isinstance(v, yaml.ScalarNode) and v.value:
                spans.append((v.start_mark.index, v.end_mark.index, v.value))
    return spans


def build_tree(corpus: Path, root: Path, files: int) -> int:
    """Write *files* manifests below *root*; returns how many pods they hold."""
    sources = sorted(corpus.glob("*.y*ml"))
    if not sources:
        raise SystemExit(f"no manifests in {corpus}")
    texts = [p.read_text(encoding="utf-8") for p in sources]
    spans = [_name_spans(t) for t in texts]
    pods = 0
    for i in range(files):
        j = i % len(texts)
        text, out = texts[j], []
        position = 0
        for start, end, name in spans[j]:
            out.append(text[position:start])
            out.append(f"{name}-c{i:05}")
            position = end
        out.append(text[position:])
        pods += len(spans[j])
        folder = root / f"d{i % 100:02}"
        folder.mkdir(exist_ok=True)
        (folder / f"{i:05}-{sources[j].name}").write_text("".join(out), encoding="utf-8")
    return pods


def _check(tree: Path, jobs: int) -> int:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = podmodel_main(["check", "--jobs", str(jobs), str(tree)])
    _check.last = out.getvalue()  # type: ignore[attr-defined]
    return status


def _schema_validators(version: str) -> Callable[[dict[str, Any]], bool | None]:
    """A kubeconform-like check of one document against the v*version* strict schemas of
    ``kubernetes-validate``, each schema loaded and compiled once: ``True`` valid, ``False``
    invalid, ``None`` no schema for its kind."""
    import jsonschema
    from kubernetes_validate import utils as kvu
    from referencing import Registry, Resource

    shipped = [v for v in kvu.all_versions() if kvu.major_minor(v) <= version][-1]
    folder = f"kubernetes-json-schema/v{shipped}-local-strict"
    definitions = Resource.from_contents(
        kvu.schema_contents(f"{folder}/_definitions.json", version)
    )
    cache: dict[tuple[str, str], Any] = {}

    def check(doc: dict[str, Any]) -> bool | None:
        api, kind = str(doc.get("apiVersion", "")), str(doc.get("kind", ""))
        key = (api, kind)
        if key not in cache:
            group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api)
            try:
                schema = kvu.schema_contents(
                    f"{folder}/{kind.lower()}-{group_version}.json", version
                )
            except (FileNotFoundError, kvu.InvalidSchemaError):
                cache[key] = None
            else:
                registry = definitions @ (Resource.from_contents(schema) @ Registry())
                cache[key] = jsonschema.validators.Draft202012Validator(schema, registry=registry)
        validator = cache[key]
        return None if validator is None else validator.is_valid(doc)

    return check


def _shipped(version: str) -> Callable[[dict[str, Any]], bool | None]:
    """``kubernetes_validate.validate`` as its users call it (schemas re-read every call)."""
    import kubernetes_validate

    def check(doc: dict[str, Any]) -> bool | None:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            return None
        except kubernetes_validate.ValidationError:
            return False
        return True

    return check


def schema_check(
    files: list[Path], check: Callable[[dict[str, Any]], bool | None]
) -> dict[str, int]:
    """Read, parse and schema-check every document of *files*; the counts of each outcome."""
    counts = {"valid": 0, "invalid": 0, "no schema": 0, "unreadable": 0}
    for path in files:
        try:
            docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
        except (yaml.YAMLError, UnicodeDecodeError):
            counts["unreadable"] += 1
            continue
        for doc in docs:
            outcome = check(doc) if isinstance(doc, dict) else False
            counts["no schema" if outcome is None else "valid" if outcome else "invalid"] += 1
    return counts


def _cpu() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    own = time.process_time()
    try:
        import resource
    except ImportError:  # not on POSIX: this process alone
        return own
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 files, one round (CI)")
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--shipped-files",
        type=int,
        default=None,
        help="files checked with kubernetes_validate.validate as shipped (1,000; 100 --quick)",
    )
    args = parser.parse_args(argv)
    files, rounds = (1_000, 1) if args.quick else (args.files, args.rounds)
    shipped_files = args.shipped_files or (100 if args.quick else 1_000)
    shared = Path(os.environ.get("PODMODEL_SHARED", Path(__file__).parents[3] / "shared"))
    corpus = shared / "corpus"
    if not corpus.is_dir():
        print(f"{corpus} not found, not measured")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        pods = build_tree(corpus, tree, files)
        size = sum(f.stat().st_size for f in tree.rglob("*.y*ml"))
        print(
            f"tree: {files} files in 100 directories, {pods} pods, {size / 1e6:.1f} MB "
            f"(from {corpus}), {os.cpu_count()} cores"
        )
        outputs, times, cpu = {}, {}, {}
        for jobs in (1, 2):
            before = _cpu()
            times[jobs] = best(lambda jobs=jobs: _check(tree, jobs), rounds)
            cpu[jobs] = (_cpu() - before) / rounds
            outputs[jobs] = _check.last  # type: ignore[attr-defined]
        summary = outputs[1].splitlines()[-1]
        print(f"summary line: {summary}")
        assert outputs[1] == outputs[2], "--jobs 2 must print what --jobs 1 prints"
        print(
            f"{'podmodel check':16} {'files/s':>8} {'seconds':>8} {'speed-up':>9} "
            f"{'CPU s':>7} {'files/CPU-s':>12}"
        )
        for jobs, t in times.items():
            print(
                f"{'--jobs ' + str(jobs):16} {files / t:8.0f} {t:8.2f} {times[1] / t:9.2f} "
                f"{cpu[jobs]:7.2f} {files / cpu[jobs]:12.0f}"
            )
        paths = sorted(tree.rglob("*.y*ml"))
        cached = _schema_validators("1.35")
        counts: dict[str, dict[str, int]] = {}
        schema_times = {
            "schemas cached": (
                files,
                best(lambda: counts.__setitem__("cached", schema_check(paths, cached)), rounds),
            ),
        }
        sample = paths[:: max(1, len(paths) // shipped_files)][:shipped_files]
        schema_times["as shipped"] = (
            len(sample),
            best(lambda: counts.__setitem__("shipped", schema_check(sample, _shipped("1.35"))), 1),
        )
        print(f"kubernetes-validate (v1.35 schemas, strict), whole tree: {counts['cached']}")
        print(f"{'schema only':16} {'files/s':>8} {'files':>8} {'podmodel --jobs 1 is':>22}")
        for label, (n, t) in schema_times.items():
            rate = n / t
            ratio = (files / times[1]) / rate
            print(f"{label:16} {rate:8.0f} {n:8} {ratio:15.2f}x as fast")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"load average at the end: {load:.1f} (on a busy machine, --jobs 2 cannot help)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
