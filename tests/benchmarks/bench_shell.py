"""Speed of podmodel's shell: a CPU-bound loop of 10,000 iterations (target: under 1 s).

    python tests/benchmarks/bench_shell.py           # 10,000 iterations, best of 3
    python tests/benchmarks/bench_shell.py --quick   # 2,000 iterations (CI)
    python tests/benchmarks/bench_shell.py --hostile # also each hostile script (SHELL_CASES)

Also prints how fast plain Python runs on this machine (a million additions), so numbers taken
on a busy machine can be compared.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

from podmodel.kubelet.shell import run, simple_system, start


def loop(n: int) -> float:
    src = f"i=0; while [ $i -lt {n} ]; do i=$((i+1)); done; echo $i"
    system = simple_system()
    t0 = time.perf_counter()
    p, _ = run(start(src), system)
    elapsed = time.perf_counter() - t0
    assert p.done
    assert p.stdout == f"{n}\n", p.stdout
    return elapsed


def python_reference() -> float:
    t0 = time.perf_counter()
    x = 0
    for i in range(1_000_000):
        x += i
    return time.perf_counter() - t0


def hostile() -> None:
    """Time and peak memory of each hostile script of tests/support/hostile_cases.py, run alone
    for its simulated time."""
    from tests.support.hostile_cases import SHELL_CASES

    for case in SHELL_CASES:
        tracemalloc.start()
        t0 = time.perf_counter()
        process, _ = case.run()
        elapsed = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        end = "running" if not process.done else f"exit {process.exit_code}"
        print(f"  {case.name:34} {elapsed:6.2f} s  {peak / 2**20:7.1f} MiB  {end}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--hostile", action="store_true")
    args = parser.parse_args(argv)
    n = 2_000 if args.quick else 10_000
    best = min(loop(n) for _ in range(3))
    ref = python_reference()
    print(f"{n} iterations of `while [ $i -lt {n} ]; do i=$((i+1)); done`: {best:.3f} s")
    print(f"  ({best / n * 1e6:.1f} us per iteration; reference: 1e6 Python additions {ref:.3f} s)")
    target = 1.0 * n / 10_000
    print("OK" if best < target else f"SLOW (target {target:.1f} s)")
    if args.hostile:
        print("hostile scripts (simulated time, wall time, peak Python memory, outcome):")
        hostile()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
