"""Cost per bind and per connect as a namespace fills up (must not grow with the socket count).

    python tests/benchmarks/bench_network.py           # 10,000 sockets
    python tests/benchmarks/bench_network.py --quick   # 2,000 sockets (CI)

Binds N listeners on distinct ports, then connects to each; reports µs/op over the first 100
operations and over the last 100 (when N sockets exist), and their ratio (target <= 2).
"""

from __future__ import annotations

import argparse
import time

from podmodel import NetworkNamespace


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    n = 2_000 if args.quick else 10_000
    ns = NetworkNamespace(unprivileged_port_start=0)
    bind_times = []
    for port in range(1, n + 1):
        t = time.perf_counter()
        ns, s = ns.bind(f"c{port % 7}", "0.0.0.0", port)
        ns = ns.listen(s)
        bind_times.append(time.perf_counter() - t)
    connect_times = []
    for port in range(1, n + 1):
        t = time.perf_counter()
        ns.connect("127.0.0.1", port)
        connect_times.append(time.perf_counter() - t)
    print(f"{'operation':28} {'first 100 us/op':>16} {f'last 100 (at {n}) us/op':>24} {'ratio':>6}")
    for label, times in (("bind + listen", bind_times), ("connect", connect_times)):
        first = sum(times[:100]) / 100 * 1e6
        last = sum(times[-100:]) / 100 * 1e6
        print(f"{label:28} {first:16.1f} {last:24.1f} {last / first:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
