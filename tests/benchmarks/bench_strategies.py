"""Valid pods per second from podmodel.strategies, and (with --peer) from hypothesis-jsonschema.

    python tests/benchmarks/bench_strategies.py            # podmodel, 1,000 pods
    python tests/benchmarks/bench_strategies.py --quick    # podmodel, 200 pods (CI)
    python tests/benchmarks/bench_strategies.py --peer     # also the peer, in its own venv

A pod counts as valid when podmodel.validate finds no error. hypothesis-jsonschema 0.23.1 needs
hypothesis <= 6.170.9, so --peer builds a separate, pinned virtual environment for it (in
$TMPDIR; never the project's own) and runs it there on the official v1 Pod schema that
kubernetes-validate ships.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import podmodel

PEER_SCRIPT = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
from hypothesis import given, settings, HealthCheck
from hypothesis_jsonschema import from_schema
import kubernetes_validate, pathlib
base = pathlib.Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / "v1.37.0-local-strict"
defs = json.loads((base / "_definitions.json").read_text())["$defs"]
pod = json.loads((base / "pod-v1.json").read_text())
def rewrite(x):
    if isinstance(x, dict):
        return {k: ("#/$defs/" + v.rsplit("/", 1)[-1] if k == "$ref" else rewrite(v)) for k, v in x.items()}
    if isinstance(x, list):
        return [rewrite(v) for v in x]
    return x
need, todo = {}, [pod]
while todo:
    node = todo.pop()
    stack = [node]
    while stack:
        y = stack.pop()
        if isinstance(y, dict):
            ref = y.get("$ref")
            if ref:
                name = ref.rsplit("/", 1)[-1]
                if name not in need:
                    need[name] = defs[name]; todo.append(defs[name])
            stack.extend(y.values())
        elif isinstance(y, list):
            stack.extend(y)
schema = rewrite(pod); schema["$defs"] = {k: rewrite(v) for k, v in need.items()}
n = int(sys.argv[1]); out = []
t = time.perf_counter()
@settings(max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(from_schema(schema))
def draw(x):
    out.append(x)
draw()
print(json.dumps({"seconds": time.perf_counter() - t, "docs": out[:n]}))
"""


def podmodel_rate(n: int) -> tuple[float, int]:
    from hypothesis import HealthCheck, given, settings

    from podmodel import strategies as pst

    drawn: list[podmodel.Pod] = []

    @settings(max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(pst.pods())
    def draw(pod: podmodel.Pod) -> None:
        drawn.append(pod)

    start = time.perf_counter()
    draw()
    seconds = time.perf_counter() - start
    valid = sum(podmodel.validate(p).ok for p in drawn)
    return len(drawn) / seconds, valid * 100 // max(1, len(drawn))


def peer_rate(n: int) -> tuple[float, int]:
    env_dir = Path(tempfile.gettempdir()) / "podmodel-peer-hypothesis-jsonschema"
    python = env_dir / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "hypothesis==6.170.9",
                "hypothesis-jsonschema==0.23.1",
                "kubernetes-validate==1.37.0",
            ],
            check=True,
        )
    proc = subprocess.run(
        [str(python), "-c", PEER_SCRIPT, str(n)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "HYPOTHESIS_NO_PLUGINS": "1"},
    )
    result = json.loads(proc.stdout)
    valid = 0
    for doc in result["docs"]:
        try:
            pod = podmodel.from_dict(
                {**doc, "apiVersion": "v1", "kind": "Pod"} if isinstance(doc, dict) else doc
            )
        except podmodel.DecodeError:
            continue
        valid += podmodel.validate(pod).ok
    count = max(1, len(result["docs"]))
    return count / result["seconds"], valid * 100 // count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--peer", action="store_true")
    args = parser.parse_args(argv)
    n = 200 if args.quick else 1_000
    rate, share = podmodel_rate(n)
    print(f"{'generator':52} {'pods/s':>8} {'valid':>6}")
    print(f"{'podmodel.strategies.pods()':52} {rate:8.0f} {share:5d}%")
    if args.peer:
        prate, pshare = peer_rate(min(n, 200))
        print(f"{'hypothesis-jsonschema from_schema(v1 Pod schema)':52} {prate:8.1f} {pshare:5d}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
