"""A deterministic corpus of varied, valid pods for the benchmarks (seeded, no downloads)."""

from __future__ import annotations

import random
from typing import Any

import yaml

IMAGES = [
    "nginx",
    "nginx:1.27",
    "redis:7",
    "busybox",
    "sunwu51/node",
    "registry:5000/app@sha256:" + "a" * 64,
]


def pod(rng: random.Random, i: int) -> dict[str, Any]:
    volumes: list[dict[str, Any]] = []
    for v in range(rng.randint(0, 4)):
        if rng.random() < 0.5:
            volumes.append(
                {
                    "name": f"vol{v}",
                    "emptyDir": {}
                    if rng.random() < 0.7
                    else {"medium": "Memory", "sizeLimit": "64Mi"},
                }
            )
        else:
            volumes.append(
                {
                    "name": f"vol{v}",
                    "hostPath": {"path": f"/var/data/{i}/{v}", "type": "DirectoryOrCreate"},
                }
            )
    containers = []
    for c in range(rng.randint(1, 6)):
        container: dict[str, Any] = {
            "name": f"c{c}",
            "image": rng.choice(IMAGES),
            "ports": [
                {"containerPort": 8000 + c * 10 + p, "protocol": "TCP", "name": f"p{c}-{p}"}
                for p in range(rng.randint(0, 2))
            ],
            "env": [
                {"name": f"VAR_{e}", "value": str(rng.random())} for e in range(rng.randint(0, 3))
            ]
            + [{"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}],
            "resources": {
                "requests": {"cpu": "100m", "memory": "64Mi"},
                "limits": {"cpu": 0.5, "memory": "128Mi"},
            },
            "livenessProbe": {
                "httpGet": {"path": "/healthz", "port": 8000 + c * 10},
                "periodSeconds": 10,
            },
        }
        if volumes:
            container["volumeMounts"] = [
                {
                    "name": v["name"],
                    "mountPath": f"/mnt/{v['name']}",
                    "readOnly": rng.random() < 0.3,
                }
                for v in volumes
                if rng.random() < 0.7
            ]
        if rng.random() < 0.3:
            container["command"] = ["sh", "-c", "sleep 3600"]
        containers.append(container)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": f"pod-{i}",
            "namespace": "default",
            "labels": {"app": f"app{i % 17}", "tier": "web"},
        },
        "spec": {
            "containers": containers,
            "volumes": volumes,
            "restartPolicy": rng.choice(["Always", "OnFailure", "Never"]),
        },
    }


def corpus_text(n: int, seed: int = 20240601) -> str:
    rng = random.Random(seed)
    return yaml.safe_dump_all([pod(rng, i) for i in range(n)], sort_keys=False)
