"""Cost per write as a file tree grows (structural sharing: it must stay flat).

    python tests/benchmarks/bench_filesystem.py           # up to 100,000 files
    python tests/benchmarks/bench_filesystem.py --quick   # up to 10,000 files (CI)

Builds a tree of N files spread over directories 3 levels deep, then times 10,000 writes into it,
at 1,000 files and at N files; prints µs/write for both and the ratio (target <= 2).
"""

from __future__ import annotations

import argparse
import time

from podmodel.kernel.filesystem import FileTree


def build(n: int) -> FileTree:
    tree = FileTree()
    for i in range(n):
        tree = tree.write(f"/srv/d{i % 100}/e{(i // 100) % 100}/f{i}", b"x", parents=True)
    return tree


def time_writes(tree: FileTree, count: int) -> float:
    start = time.perf_counter()
    for i in range(count):
        tree = tree.write(f"/srv/d{i % 100}/e{i % 37}/new{i}", b"data", parents=True)
    return (time.perf_counter() - start) / count * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    big = 10_000 if args.quick else 100_000
    writes = 2_000 if args.quick else 10_000
    small_tree, big_tree = build(1_000), build(big)
    small, large = time_writes(small_tree, writes), time_writes(big_tree, writes)
    print(f"{writes} writes into a tree of 1,000 files:   {small:7.1f} us/write")
    print(f"{writes} writes into a tree of {big:,} files: {large:7.1f} us/write")
    print(f"ratio: {large / small:.2f} (target <= 2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
