"""Time and peak memory of every hostile input (target: under 1 s and a few hundred MB each).

    python tests/benchmarks/bench_limits.py           # every case of tests/support/hostile_cases.py, 3 runs
    python tests/benchmarks/bench_limits.py --quick   # 1 run, 3 if over half a limit (CI)

Also runs the simulator's bounded cases: the largest pod a node accepts (250 crash-looping
containers, 5 simulated minutes) and an `advance` that hits MAX_STEPS. Time is the best of the
runs without tracing; memory is tracemalloc's peak in one more run. Exits 1 if a case takes more
than 1 s or 300 MB.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))

import podmodel
from podmodel.kubelet.node import MAX_CONTAINERS, MAX_MOUNTS
from tests.support.hostile_cases import CASES

LIMIT_S, LIMIT_MB = 1.0, 300.0


def _runtime_cases() -> list[tuple[str, Callable[[], object]]]:
    head = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
    crowd = podmodel.loads(
        head + "".join(f"  - {{name: c{i}, image: nginx}}\n" for i in range(MAX_CONTAINERS))
    )
    seed = podmodel.loads(head + "  - {name: a, image: nginx}\n  - {name: b, image: nginx}\n")

    mounted = podmodel.loads(
        head
        + "  - name: c\n    image: nginx\n    volumeMounts:\n"
        + "".join(f"    - {{name: v, mountPath: /m{i}}}\n" for i in range(MAX_MOUNTS))
        + "  volumes: [{name: v, emptyDir: {}}]\n"
    )

    def many_mounts() -> object:
        return podmodel.Node().start(mounted).advance(60).pod("p")._repr_svg_()

    def crowded() -> object:
        return podmodel.Node().start(crowd).advance(300).pod("p")._repr_svg_()

    def forever() -> object:
        try:
            return podmodel.Node().start(seed).advance(1e12)
        except podmodel.NodeError as exc:
            return exc

    return [
        (f"{MAX_CONTAINERS} crash-looping containers, 5 min + SVG", crowded),
        ("advance(1e12) stops at MAX_STEPS", forever),
        (f"{MAX_MOUNTS} volume mounts, 1 min + SVG", many_mounts),
    ]


def _guarded(run: Callable[[], object]) -> Callable[[], object]:
    def call() -> object:
        try:
            return run()
        except podmodel.PodmodelError as exc:
            return exc

    return call


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else 3
    warnings.simplefilter("ignore", podmodel.DecodeWarning)
    cases: list[tuple[str, Callable[[], object]]] = []
    for case in CASES:
        text = case.make()  # built outside the timing

        def run(case=case, text=text) -> object:  # type: ignore[no-untyped-def]
            return case.process(text)

        cases.append((case.name, _guarded(run)))
    cases.extend((name, _guarded(run)) for name, run in _runtime_cases())
    print(f"{'case':58} {'time ms':>9} {'peak MB':>8}")
    over = []
    for name, run in cases:
        best = float("inf")
        for i in range(3):
            t = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - t)
            if i + 1 >= runs and best < LIMIT_S / 2:
                break  # quick mode: a clear pass needs one run; a close call gets three
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        flag = ""
        if best > LIMIT_S or peak > LIMIT_MB:
            flag = "  OVER"
            over.append(name)
        print(f"{name[:58]:58} {best * 1000:9.1f} {peak:8.1f}{flag}")
    if over:
        print(f"over {LIMIT_S} s or {LIMIT_MB} MB: {', '.join(over)}")
        return 1
    print(f"every case under {LIMIT_S} s and {LIMIT_MB} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
