"""Test-only strategies for the codec's property tests (the public ones come with issue #7)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

NAMES = st.from_regex(r"[a-z]([-a-z0-9]{0,10}[a-z0-9])?", fullmatch=True)
TEXT = st.text(max_size=12)


def _opt(key: str, strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(st.just({}), strategy.map(lambda v: {key: v}))


@st.composite
def manifests(draw: st.DrawFn) -> dict[str, Any]:
    """Plain Pod manifests (dicts) that decode: right types, known fields, not always valid."""

    def port() -> st.SearchStrategy[dict[str, Any]]:
        return st.builds(
            lambda base, *opts: {**base, **{k: v for o in opts for k, v in o.items()}},
            st.fixed_dictionaries({"containerPort": st.integers(-5, 70000)}),
            _opt("protocol", st.sampled_from(["TCP", "UDP", "SCTP", "tcp"])),
            _opt("hostIP", st.sampled_from(["0.0.0.0", "127.0.0.1", "::"])),
            _opt("name", NAMES),
        )

    def container() -> st.SearchStrategy[dict[str, Any]]:
        return st.builds(
            lambda base, *opts: {**base, **{k: v for o in opts for k, v in o.items()}},
            st.fixed_dictionaries({"name": NAMES, "image": st.sampled_from(["nginx", "redis:7"])}),
            _opt("ports", st.lists(port(), max_size=3)),
            _opt(
                "env", st.lists(st.fixed_dictionaries({"name": NAMES, "value": TEXT}), max_size=2)
            ),
            _opt("command", st.lists(TEXT, max_size=3)),
            _opt(
                "volumeMounts",
                st.lists(
                    st.fixed_dictionaries(
                        {"name": NAMES, "mountPath": st.sampled_from(["/a", "/a/b", "/data"])},
                        optional={"readOnly": st.booleans(), "subPath": NAMES},
                    ),
                    max_size=2,
                ),
            ),
            _opt("resources", st.just({"limits": {"cpu": 0.5, "memory": "64Mi"}})),
        )

    volume = st.one_of(
        st.fixed_dictionaries({"name": NAMES, "emptyDir": st.one_of(st.none(), st.just({}))}),
        st.fixed_dictionaries(
            {"name": NAMES, "hostPath": st.fixed_dictionaries({"path": st.just("/logs")})}
        ),
        st.fixed_dictionaries({"name": NAMES, "configMap": st.fixed_dictionaries({"name": NAMES})}),
    )
    spec: dict[str, Any] = {"containers": draw(st.lists(container(), min_size=1, max_size=3))}
    spec.update(draw(_opt("initContainers", st.lists(container(), max_size=2))))
    spec.update(draw(_opt("volumes", st.lists(volume, max_size=3))))
    spec.update(draw(_opt("restartPolicy", st.sampled_from(["Always", "Never", "Sometimes"]))))
    spec.update(draw(_opt("hostNetwork", st.booleans())))
    meta: dict[str, Any] = {"name": draw(NAMES)}
    meta.update(draw(_opt("labels", st.dictionaries(NAMES, NAMES, max_size=2))))
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=4)
    ),
    max_leaves=30,
)


@st.composite
def mutated_manifests(draw: st.DrawFn) -> Any:
    """A manifest with one random subtree replaced by arbitrary JSON-like data."""
    doc: Any = draw(manifests())
    node = doc
    while isinstance(node, (dict, list)) and node and draw(st.booleans()):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = draw(st.sampled_from(keys))
        if not isinstance(node[key], (dict, list)) or draw(st.booleans()):
            node[key] = draw(JSON)
            break
        node = node[key]
    return doc


@st.composite
def valid_manifests(draw: st.DrawFn) -> dict[str, Any]:
    """Manifests the v1.35 API server accepts (valid by construction; test-only for now)."""
    n = draw(st.integers(1, 4))
    names = draw(st.lists(NAMES, min_size=n, max_size=n, unique=True))
    vol_names = draw(st.lists(NAMES, max_size=3, unique=True))
    volumes = [
        draw(
            st.sampled_from(
                [
                    {"name": v, "emptyDir": {}},
                    {"name": v},
                    {"name": v, "hostPath": {"path": f"/data/{v}", "type": "DirectoryOrCreate"}},
                    {"name": v, "configMap": {"name": "cfg"}},
                ]
            )
        )
        for v in vol_names
    ]
    containers = []
    for name in names:
        ports = draw(
            st.lists(
                st.fixed_dictionaries(
                    {"containerPort": st.integers(1, 65535)},
                    optional={"protocol": st.sampled_from(["TCP", "UDP", "SCTP"])},
                ),
                max_size=3,
            )
        )
        mounts = []
        if vol_names:
            for k, v in enumerate(draw(st.lists(st.sampled_from(vol_names), max_size=2))):
                mounts.append({"name": v, "mountPath": f"/mnt/{k}"})
        container: dict[str, Any] = {
            "name": name,
            "image": draw(st.sampled_from(["nginx", "redis:7"])),
        }
        if ports:
            container["ports"] = ports
        if mounts:
            container["volumeMounts"] = mounts
        containers.append(container)
    spec: dict[str, Any] = {"containers": containers}
    if volumes:
        spec["volumes"] = volumes
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": draw(NAMES)}, "spec": spec}
