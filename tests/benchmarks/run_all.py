"""Every benchmark, one after the other, then the table beside the peers.

    python tests/benchmarks/run_all.py           # full runs (several minutes)
    python tests/benchmarks/run_all.py --quick   # what CI runs

Each benchmark is its own script (run one alone to dig in); this runs them all with the same
mode and fails if any fails.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = [
    "bench_codec.py",
    "bench_validate.py",
    "bench_check.py",
    "bench_network.py",
    "bench_filesystem.py",
    "bench_runtime.py",
    "bench_shell.py",
    "bench_strategies.py",
    "bench_limits.py",
    "bench_peers.py",  # last: the one table this library is judged by
]


def main(argv: list[str]) -> int:
    found = sorted(p.name for p in HERE.glob("bench_*.py"))
    missing = sorted(set(found) - set(ORDER))
    if missing:
        print(f"run_all.py does not list {', '.join(missing)}", file=sys.stderr)
        return 1
    failed = []
    for name in ORDER:
        print(f"\n== {name} {' '.join(argv)}", flush=True)
        if subprocess.run([sys.executable, str(HERE / name), *argv], check=False).returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
