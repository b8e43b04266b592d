"""Load, decode and validate speed against the bare C YAML parse, in one run.

    python tests/benchmarks/bench_codec.py            # 2,000 pods, best of 5 rounds
    python tests/benchmarks/bench_codec.py --quick    # 200 pods, 1 round (what CI runs)

Prints pods/s for ``yaml.load_all(..., CSafeLoader)`` alone and for ``podmodel.load_all``, and the
ratio of their times (target: podmodel <= 1.3 x the bare parse). Whole corpora are timed, not one
pod in a loop, because keeping thousands of trees alive changes the garbage collector's work.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import warnings
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_text
from timing import best

import podmodel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 pods, one round (CI)")
    parser.add_argument("--pods", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    n, rounds = (200, 1) if args.quick else (args.pods, args.rounds)
    text = corpus_text(n)
    pods = podmodel.load_all(text)
    assert len(pods) == n
    bare = best(lambda: list(yaml.load_all(text, Loader=yaml.CSafeLoader)), rounds)
    ours = best(lambda: podmodel.load_all(text), rounds)

    def bare_no_gc() -> None:
        gc.disable()
        try:
            list(yaml.load_all(text, Loader=yaml.CSafeLoader))
        finally:
            gc.enable()

    bare_quiet = best(bare_no_gc, rounds)
    validate_only = best(lambda: [podmodel.validate(p) for p in pods], rounds)
    both = best(lambda: [podmodel.validate(p) for p in podmodel.load_all(text)], rounds)
    assert all(podmodel.validate(p).ok for p in pods)
    print(f"corpus: {n} pods, {len(text) / 1e6:.2f} MB of YAML, libyaml={yaml.__with_libyaml__}")
    print(f"{'what':45} {'pods/s':>9} {'us/pod':>8} {'x bare':>7}")
    rows = (
        ("yaml.load_all(CSafeLoader)", bare),
        ("yaml.load_all(CSafeLoader), GC paused", bare_quiet),
        ("podmodel.load_all (decode, strict)", ours),
        ("podmodel.validate (already decoded)", validate_only),
        ("podmodel.load_all + validate", both),
    )
    for label, t in rows:
        print(f"{label:45} {n / t:9.0f} {t / n * 1e6:8.0f} {t / bare:7.2f}")
    print(f"ratio podmodel / bare parse: {ours / bare:.2f} (target <= 1.3)")
    print(f"ratio podmodel / bare parse with GC paused too: {ours / bare_quiet:.2f}")
    print(f"ratio load+validate / bare parse: {both / bare:.2f} (target <= 1.5)")
    print(f"validation of decoded pods: {n / validate_only:.0f} pods/s (target >= 10,000)")
    _real_corpus(rounds)
    return 0


def _real_corpus(rounds: int) -> None:
    """Validation speed on the real manifests of ../shared/corpus (lighter than the generated
    corpus: about one container each, where the generated pods have 3.5 with probes, env and
    resources)."""
    folder = Path(os.environ.get("PODMODEL_SHARED", Path(__file__).parents[3] / "shared"))
    files = sorted((folder / "corpus").glob("*.y*ml"))
    if not files:
        print(f"real corpus: {folder / 'corpus'} not found, not measured")
        return
    pods = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", podmodel.DecodeWarning)
        for f in files:
            try:
                pods.extend(podmodel.load_all(f.read_bytes(), field_validation="Ignore"))
            except podmodel.PodmodelError:
                continue  # the corpus holds a few manifests that are not valid pods
    containers = sum(len(p.spec.containers) + len(p.spec.init_containers) for p in pods)
    t = best(lambda: [podmodel.validate(p) for p in pods], max(rounds, 5))
    print(
        f"validation of the real corpus ({len(pods)} pods from {len(files)} files, "
        f"{containers / len(pods):.1f} containers/pod): {len(pods) / t:.0f} pods/s"
    )


if __name__ == "__main__":
    raise SystemExit(main())
