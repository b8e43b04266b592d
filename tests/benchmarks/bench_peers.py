"""podmodel beside the libraries a user would pick instead, on one corpus, in one table.

    python tests/benchmarks/bench_peers.py            # 2,000 pods, best of 3
    python tests/benchmarks/bench_peers.py --quick    # 200 pods, one round (CI)
    python tests/benchmarks/bench_peers.py --no-peers # podmodel's rows only (no install)

Every row decodes the same deterministic corpus (tests/benchmarks/corpus.py) and reports pods
per second and the time relative to the bare C YAML parse (``yaml.load_all`` with
``CSafeLoader``) measured in the same process. The peers are benchmark-only dependencies: they
are installed, pinned, into their own virtual environment under $TMPDIR (from the package
registry, once), never into podmodel's. Targets (issue 9): load + validate <= 1.5x the bare
parse; validation of decoded pods >= 10,000 pods/s; ``import podmodel`` <= 60 ms.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from corpus import corpus_text
from timing import best

HERE = Path(__file__).resolve().parent
PEERS = [
    "kubernetes==36.0.3",  # 37.x's pydantic models reject numeric quantities (cpu: 0.5)
    "lightkube==1.0.1",
    "lightkube-models==1.37.0.8",
    "kubernetes-validate==1.37.0",
    "hikaru-core==1.1.2",
    "hikaru-model-28==1.1.0",
    f"PyYAML=={importlib.metadata.version('PyYAML')}",  # the same parser as podmodel's
]

WORKER = r"""
import json, sys, warnings
import yaml
warnings.simplefilter("ignore")
text = open(sys.argv[1]).read()
rounds = int(sys.argv[2])
sys.path.insert(0, sys.argv[3])  # this folder: the same timing rule as podmodel's rows
from timing import best as best_of

def best(fn):
    return best_of(fn, rounds)

def parse():
    return list(yaml.load_all(text, Loader=yaml.CSafeLoader))

docs = parse()
rows = {"bare": (best(parse), len(docs), 0)}

def measure(name, version, per_doc=None, whole=None):
    failed = 0
    def run():
        nonlocal failed
        failed = 0
        if whole is not None:
            whole()
            return
        for d in parse():
            try:
                per_doc(d)
            except Exception:
                failed += 1
    seconds = best(run)
    rows[name] = (seconds, len(docs), failed, version)

import importlib.metadata as md
from kubernetes.client import ApiClient
api = ApiClient()
measure("kubernetes", md.version("kubernetes"), per_doc=lambda d: api._ApiClient__deserialize(d, "V1Pod"))
import lightkube.codecs
measure("lightkube", md.version("lightkube"), whole=lambda: lightkube.codecs.load_all_yaml(text))
import kubernetes_validate
measure("kubernetes-validate", md.version("kubernetes-validate"),
        per_doc=lambda d: kubernetes_validate.validate(d, "1.35.0", strict=True))
import hikaru
hikaru.set_default_release("rel_1_28")
measure("hikaru", md.version("hikaru-core"), whole=lambda: hikaru.load_full_yaml(yaml=text))
print(json.dumps(rows))
"""


def peer_env() -> Path:
    """The peers' virtual environment, built once per pin list."""
    env = Path(tempfile.gettempdir()) / "podmodel-bench-peers"
    stamp = env / "pins.txt"
    python = env / "bin" / "python"
    if not (stamp.exists() and stamp.read_text() == "\n".join(PEERS)):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(env)], check=True)
        pip = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PEERS],
            capture_output=True,
            text=True,
            check=False,
        )
        if pip.returncode:
            sys.stderr.write(pip.stdout + pip.stderr)
            raise SystemExit(f"installing the peers failed: {' '.join(PEERS)}")
        stamp.write_text("\n".join(PEERS))
    return python


def import_ms(code: str, runs: int) -> float:
    """The fastest of *runs* fresh interpreters running *code*, minus an empty interpreter."""

    def once(snippet: str) -> float:
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import time; t = time.perf_counter(); {snippet}; print(time.perf_counter() - t)",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return float(out) * 1000

    return min(once(code) for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 pods, one round (CI)")
    parser.add_argument("--no-peers", action="store_true", help="podmodel's rows only")
    args = parser.parse_args(argv)
    n, rounds = (200, 1) if args.quick else (2000, 3)
    text = corpus_text(n)
    import podmodel

    def bare() -> object:
        return list(yaml.load_all(text, Loader=yaml.CSafeLoader))

    pods = podmodel.load_all(text)

    def load_validate() -> None:
        for pod in podmodel.load_all(text):
            podmodel.validate(pod)

    def validate_only() -> None:
        for pod in pods:
            podmodel.validate(pod)

    base = best(bare, rounds)
    rows: list[tuple[str, str, float, int]] = [
        ("yaml.load_all(CSafeLoader)", "parse only (the baseline)", base, 0),
        (
            "podmodel " + podmodel.__version__,
            "load_all: typed, strict",
            best(lambda: podmodel.load_all(text), rounds),
            0,
        ),
        ("podmodel " + podmodel.__version__, "load_all + validate", best(load_validate, rounds), 0),
        (
            "podmodel " + podmodel.__version__,
            "validate decoded pods",
            best(validate_only, rounds),
            0,
        ),
    ]
    notes = []
    if not args.no_peers:
        python = peer_env()
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
            fh.write(text)
        out = subprocess.run(
            [str(python), "-c", WORKER, fh.name, str(rounds), str(HERE)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        Path(fh.name).unlink()
        got = json.loads(out.splitlines()[-1])
        peer_base = got.pop("bare")[0]
        what = {
            "kubernetes": "yaml + ApiClient deserialize to V1Pod",
            "lightkube": "codecs.load_all_yaml",
            "kubernetes-validate": "yaml + JSON-schema validate (strict)",
            "hikaru": "load_full_yaml",
        }
        for name, (seconds, _count, failed, version) in got.items():
            # scale to this process's baseline, so every ratio shares one denominator
            rows.append((f"{name} {version}", what[name], seconds * base / peer_base, failed))
            if failed:
                notes.append(f"{name} {version} refused {failed} of {n} pods")
    print(f"corpus: {n} pods, {len(text) / 1e6:.2f} MB of YAML; best of {rounds}")
    print(f"{'library':28} {'what':40} {'pods/s':>9} {'x parse':>8}")
    for name, what_, seconds, _failed in rows:
        print(f"{name:28} {what_:40} {n / seconds:9.0f} {seconds / base:8.2f}")
    runs = 3 if args.quick else 7
    bare_import = import_ms("import podmodel", runs)
    first_use = import_ms("import podmodel; podmodel.loads; podmodel.validate", runs)
    print(
        f"import podmodel: {bare_import:.1f} ms; with loads and validate loaded: {first_use:.1f} ms"
    )
    for note in notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
