"""Validation speed on the real corpus and on the generated one, against the bare C YAML parse.

    python tests/benchmarks/bench_validate.py            # best of 7 rounds
    python tests/benchmarks/bench_validate.py --quick    # best of 2 rounds, 200 generated pods (CI)

The real corpus is every file of ``../shared/corpus`` and every file of
``../shared/corpus-workloads`` holding a ``kind: Pod`` document that podmodel loads (the few
files it refuses are listed and left out of every timing). For each corpus it prints, in one
run: the bare parse (``yaml.load_all(..., CSafeLoader)`` of the same bytes), ``podmodel.load_all``
(``skip_non_pods``: the other kinds are parsed and skipped), ``load_all`` then ``validate``, and
``validate`` alone on decoded pods, and ``from_dict`` of the parsed Pod dicts, as pods/s and as a
ratio to the bare parse (issue #14's targets: ``load_all`` <= 1.1 x the parse's time, ``from_dict``
>= 10 x its pods/s on the real corpus). The targets of
issue #15, for the real corpus: load + validate <= 1.3 x the bare parse's time, and validate >= 3 x
the bare parse's pods/s. On a shared machine the absolute numbers move from run to run: compare
the ratios of one run (each timing is the best of its rounds, interleaved with the others).
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_text
from timing import best

import podmodel

SHARED = Path(os.environ.get("PODMODEL_SHARED", Path(__file__).parents[3] / "shared"))


def real_corpus() -> tuple[list[bytes], list[str]]:
    """The texts of the real corpus that podmodel loads, and the names of those it refuses."""
    files = sorted((SHARED / "corpus").glob("*.y*ml"))
    for f in sorted((SHARED / "corpus-workloads").glob("*.y*ml")):
        docs = list(yaml.load_all(f.read_bytes(), Loader=yaml.CSafeLoader))
        if any(isinstance(d, dict) and d.get("kind") == "Pod" for d in docs):
            files.append(f)
    texts, refused = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", podmodel.DecodeWarning)
        for f in files:
            data = f.read_bytes()
            try:
                if podmodel.load_all(data, skip_non_pods=True):
                    texts.append(data)
            except podmodel.PodmodelError:
                refused.append(f.name)
    return texts, refused


def measure(label: str, texts: list[bytes | str], rounds: int) -> dict[str, float]:
    """Print one corpus's table; return the times (seconds) by measure."""

    def bare() -> None:
        for t in texts:
            list(yaml.load_all(t, Loader=yaml.CSafeLoader))

    def load() -> list[podmodel.Pod]:
        return [p for t in texts for p in podmodel.load_all(t, skip_non_pods=True)]

    docs = [
        d
        for t in texts
        for d in yaml.load_all(t, Loader=yaml.CSafeLoader)
        if isinstance(d, dict) and d.get("kind") == "Pod"
    ]

    def from_dicts() -> list[podmodel.Pod]:
        return [podmodel.from_dict(d) for d in docs]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", podmodel.DecodeWarning)
        pods = load()
        results = [podmodel.validate(p) for p in pods]
        times = {"bare": float("inf"), "load": float("inf"), "both": float("inf")}
        times["validate"] = float("inf")
        times["from_dict"] = float("inf")
        for _ in range(rounds):  # interleaved, so that a busy moment hurts every measure alike
            times["bare"] = min(times["bare"], best(bare, 1))
            times["load"] = min(times["load"], best(load, 1))
            times["both"] = min(
                times["both"], best(lambda: [podmodel.validate(p) for p in load()], 1)
            )
            times["validate"] = min(
                times["validate"], best(lambda: [podmodel.validate(p) for p in pods], 1)
            )
            times["from_dict"] = min(times["from_dict"], best(from_dicts, 1))
    n = len(pods)
    size = sum(len(t) for t in texts) / 1e6
    invalid = sum(not r.ok for r in results)
    containers = sum(len(p.spec.containers) + len(p.spec.init_containers) for p in pods)
    print(
        f"\n{label}: {n} pods ({invalid} invalid) in {len(texts)} texts, {size:.2f} MB, "
        f"{containers / max(n, 1):.1f} containers/pod"
    )
    print(f"{'what':40} {'pods/s':>9} {'us/pod':>8} {'x bare time':>12}")
    rows = (
        ("yaml.load_all(CSafeLoader)", times["bare"]),
        ("podmodel.load_all", times["load"]),
        ("podmodel.load_all + validate", times["both"]),
        ("podmodel.validate (decoded pods)", times["validate"]),
        ("podmodel.from_dict (parsed dicts)", times["from_dict"]),
    )
    for name, t in rows:
        print(f"{name:40} {n / t:9.0f} {t / n * 1e6:8.1f} {t / times['bare']:12.2f}")
    print(f"load + validate / bare parse: {times['both'] / times['bare']:.2f} x the time")
    print(f"validate / bare parse: {times['bare'] / times['validate']:.2f} x the pods/s")
    print(f"load_all / bare parse: {times['load'] / times['bare']:.2f} x the time (#14: <= 1.1)")
    print(
        f"from_dict / bare parse: {times['bare'] / times['from_dict']:.2f} x the pods/s "
        "(#14: >= 10, real corpus)"
    )
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 rounds, 200 generated pods (CI)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pods", type=int, default=2000, help="pods of the generated corpus")
    args = parser.parse_args(argv)
    rounds, n = (2, 200) if args.quick else (args.rounds, args.pods)
    print(f"libyaml={yaml.__with_libyaml__}; best of {rounds} interleaved rounds")
    texts, refused = real_corpus()
    if texts:
        if refused:
            print(f"real corpus: {len(refused)} files podmodel refuses, left out: {refused}")
        t = measure("real corpus", list(texts), rounds)
        both, speed = t["both"] / t["bare"], t["bare"] / t["validate"]
        print(
            f"targets: load + validate <= 1.30 x bare ({both:.2f}); validate >= 3.0 x ({speed:.2f})"
        )
    else:
        print(f"real corpus: {SHARED} not found, not measured")
    measure("generated corpus", [corpus_text(n)], rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
