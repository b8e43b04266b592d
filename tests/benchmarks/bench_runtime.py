"""Pod start cost: one 100-container pod, and a node filling up with 1,000 one-container pods.

    python tests/benchmarks/bench_runtime.py           # 1,000 pods
    python tests/benchmarks/bench_runtime.py --quick   # 200 pods (CI)

Reports ms per start for the big pod, and ms per pod start for the first 100 and the last 100
pods on the node (and their ratio: how the cost grows with the node's population).
"""

from __future__ import annotations

import argparse
import time

import podmodel


def one(name: str, image: str = "nginx") -> podmodel.Pod:
    return podmodel.from_dict(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name},
            "spec": {"containers": [{"name": "c", "image": image}]},
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    n = 200 if args.quick else 1_000
    big = podmodel.from_dict(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "big"},
            "spec": {
                "containers": [
                    {
                        "name": f"c{i}",
                        "image": "busybox",
                        "command": ["sleep", "3600"],
                        "ports": [{"containerPort": 10000 + i}],
                    }
                    for i in range(100)
                ]
            },
        }
    )
    t = time.perf_counter()
    node = podmodel.Node().start(big)
    big_ms = (time.perf_counter() - t) * 1e3
    assert node.pod("big").ready == "100/100"
    node = podmodel.Node(pod_cidr="10.244.0.0/16")
    times = []
    for i in range(n):
        pod = one(f"p{i}")
        t = time.perf_counter()
        node = node.start(pod)
        times.append(time.perf_counter() - t)
    first = sum(times[:100]) / 100 * 1e3
    last = sum(times[-100:]) / 100 * 1e3
    print(f"start a 100-container pod: {big_ms:8.1f} ms")
    print(f"start a 1-container pod, pods 1-100 on the node:        {first:6.2f} ms/pod")
    print(f"start a 1-container pod, pods {n - 99}-{n} on the node:   {last:6.2f} ms/pod")
    print(f"growth (last / first): {last / first:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
