"""The error-type contract: every public function and method, called with any values of its
annotated types (awkward strings, out-of-range numbers, random pods, NaN, ...), either returns
or raises one of podmodel's own exceptions (:class:`podmodel.PodmodelError`).

The functions are enumerated from ``podmodel.__all__`` (functions, and the public methods of the
classes it exports), so a new public function is covered without editing this file; their
arguments are drawn from their type annotations. A wrong *type* (``validate(None)``) is a
programming error that ``mypy --strict`` catches, and is outside this contract.
"""

from __future__ import annotations

import inspect
import io
import math
import os
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import podmodel
from podmodel import strategies as pst
from podmodel.kernel._tree import Dir, File
from podmodel.kernel.filesystem import ContainerView
from podmodel.kernel.network import Connection, Socket
from podmodel.kubelet._config import ServiceAccount
from podmodel.kubelet.images import Image
from podmodel.model._frozen import freeze
from podmodel.model._paths import PathLike
from podmodel.model.spec import Pod
from podmodel.model.workloads import List

SEED = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: mypod}\nspec:\n  restartPolicy: OnFailure\n"
    "  containers:\n"
    "  - name: mycon1\n    image: sunwu51/node\n"
    "    volumeMounts: [{name: logs, mountPath: /root/.pm2/logs}]\n"
    "  - name: mycon2\n    image: nginx\n    volumeMounts: [{name: logs, mountPath: /pm2logs}]\n"
    "  - name: data\n    image: busybox\n    command: [sh, -c, 'sleep 1']\n"
    "    volumeMounts: [{name: host, mountPath: /data, subPath: sub}]\n"
    "  volumes: [{name: logs, emptyDir: {}}, {name: host, hostPath: {path: /srv}}]\n"
)
NODE = podmodel.Node().start(podmodel.loads(SEED)).advance(5)
RUNNING = NODE.pod("mypod")
VIEWS = tuple(RUNNING.state.views.values())
NETWORK = RUNNING.state.network
assert NETWORK is not None
_ns, _s = NETWORK.bind("x", "127.0.0.1", 7000)
NS = _ns.listen(_s)
NS, CONN = NS.accept("127.0.0.1", 7000)
INVALID = podmodel.validate(podmodel.loads(SEED.replace("name: mycon2", "name: mycon1")))
INVALID_WORKLOAD = podmodel.validate_workload(
    podmodel.loads_object(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  backoffLimit: -1\n"
        "  template:\n    spec:\n      containers: [{name: c, image: busybox}]\n"
    )
)

RECEIVERS: dict[type, Any] = {
    podmodel.Catalogue: podmodel.default_catalogue(),
    podmodel.ContainerStatus: RUNNING.containers[0],
    ContainerView: VIEWS[0],
    podmodel.FieldError: INVALID.errors[0],
    podmodel.FieldPath: podmodel.FieldPath(("spec", "containers", 0)),
    podmodel.FileTree: podmodel.default_catalogue().get("nginx").tree,
    podmodel.Filesystem: NODE.filesystem,
    podmodel.FrozenMap: podmodel.FrozenMap({"a": 1, "b": [1, 2]}),
    podmodel.NetworkNamespace: NS,
    podmodel.Node: NODE,
    podmodel.PodSpec: RUNNING.state.pod.spec,
    podmodel.Quantity: podmodel.Quantity.parse("1.5Gi"),
    podmodel.RunningPod: RUNNING,
    podmodel.ValidationResult: INVALID,
    podmodel.Volume: podmodel.Volume(
        name="v", sources=(podmodel.OtherVolumeSource(kind="configMap", fields={"name": "c"}),)
    ),
    podmodel.WorkloadResult: INVALID_WORKLOAD,
}

WORDS = [
    *("mypod", "mycon1", "mycon2", "data", "default", "nope", "", " ", "\x00", "é", "a" * 300),
    *("/", "//", "/.", "/..", "../..", "/etc/hosts", "/pm2logs", "/pm2logs/../../etc", "/data/"),
    *("/root/.pm2/logs/red-out.log", "/srv", "/srv/../etc", "a//b/./c/", "/proc/self", "~"),
    *("localhost", "0.0.0.0", "::", "::1", "127.0.0.1", "10.244.0.2", "::ffff:127.0.0.1"),
    *("fe80::1%lo", "256.1.1.1", "TCP", "UDP", "SCTP", "tcp", "Strict", "Warn", "1.35", "1.99"),
    *("nginx", "registry.example.com:5000/a/b:1@sha256:x", "cat /etc/hosts", "sh -c 'x"),
    *("echo hi > /pm2logs/a", "tail -n x /pm2logs/*", "curl localhost:80", "ls -la /", "&&"),
]
text = st.one_of(st.sampled_from(WORDS), st.text(max_size=12))
numbers = st.one_of(
    st.integers(-(2**40), 2**40),
    st.sampled_from([0, -1, 1, 80, 1023, 1024, 65535, 65536, 2**31, 2**63, -(2**63)]),
)
seconds = st.one_of(
    st.floats(-1e3, 1e6),
    st.sampled_from([0.0, -0.0, math.nan, math.inf, -math.inf, 1e300, 5e-324]),
)
json_like = st.recursive(
    st.none() | st.booleans() | numbers | st.floats() | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=12,
)
anything = st.one_of(json_like, st.builds(object))

PATHS = st.one_of(
    text,
    st.sampled_from(
        [
            "spec.containers[0].image",
            "spec.containers[9]",
            "metadata.labels[app]",
            "spec.volumes[0].emptyDir.sizeLimit",
            "spec..x",
            "spec[",
            "spec.containers[-1]",
            "metadata.name",
        ]
    ),
    st.builds(podmodel.FieldPath, st.tuples(text, numbers)),
    st.lists(st.one_of(text, numbers), max_size=4).map(tuple),
)


# The spec fields of the workloads, by annotation: any value of the annotated type (negative
# counts, unknown enum strings, frozen JSON of any shape where the model keeps JSON).
_selectors = st.builds(
    podmodel.LabelSelector,
    match_labels=st.dictionaries(text, text, max_size=2),
    match_expressions=st.lists(st.dictionaries(text, json_like, max_size=3), max_size=2).map(
        freeze
    ),
)
HUGE = "1" * 5000  # more digits than Python converts to an int by default
_ENUMS = [
    *("Indexed", "NonIndexed", "Never", "Always", "Failed", "Allow", "Parallel", "Local"),
    *(f"{HUGE} * * * *", "example.com/x", "0-1,3"),
]
_FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "int | None": st.none() | numbers,
    "str | None": st.none() | text | st.sampled_from(_ENUMS),
    "bool | None": st.none() | st.booleans(),
    "FrozenMap[str, JSONValue] | None": st.none()
    | st.dictionaries(text, json_like, max_size=3).map(freeze)
    | st.fixed_dictionaries(
        {"type": st.sampled_from(["RollingUpdate", "OnDelete", "Recreate", "x"])},
        optional={
            "rollingUpdate": json_like
            | st.fixed_dictionaries(
                {"maxUnavailable": st.sampled_from([f"{HUGE}%", HUGE, "50%", 0])},
                optional={"maxSurge": st.sampled_from([f"{HUGE}%", "0%", 1])},
            ),
            "rules": st.lists(
                json_like | st.just({"succeededIndexes": HUGE, "succeededCount": 1}), max_size=3
            ),
        },
    ).map(freeze),
    "LabelSelector | None": st.none() | _selectors,
    "FrozenMap[str, str]": st.dictionaries(text, text, max_size=2).map(podmodel.FrozenMap),
    "tuple[FrozenMap[str, Any], ...]": st.lists(
        st.dictionaries(text, json_like, max_size=3), max_size=2
    ).map(freeze),
}


def _awkward_spec(spec: Any, draw: st.DrawFn) -> Any:
    changes = {}
    for f in attrs.fields(type(spec)):
        values = _FIELD_VALUES.get(str(f.type))
        if values is not None and draw(st.booleans()):
            changes[f.name] = draw(values)
    return attrs.evolve(spec, **changes)


@st.composite
def _awkward_workloads(draw: st.DrawFn) -> Any:
    obj = draw(pst.workloads(max_containers=2))
    if draw(st.booleans()):
        obj = attrs.evolve(obj, metadata=attrs.evolve(obj.metadata, name=draw(text)))
    if isinstance(obj, podmodel.PodTemplate):
        return obj
    spec = _awkward_spec(obj.spec, draw)
    if isinstance(obj, podmodel.CronJob):
        job = spec.job_template.spec
        spec = attrs.evolve(
            spec,
            job_template=attrs.evolve(spec.job_template, spec=_awkward_spec(job, draw)),
        )
    return attrs.evolve(obj, spec=spec)


WORKLOADS = st.one_of(pst.workloads(max_containers=2), _awkward_workloads())


def _of_kind(kind: type) -> st.SearchStrategy[Any]:
    return WORKLOADS.filter(lambda o: type(o) is kind)


STRATEGIES: dict[Any, st.SearchStrategy[Any]] = {
    str: text,
    int: numbers,
    float: seconds,
    bool: st.booleans(),
    bytes: st.binary(max_size=16),
    Pod: pst.pods(),
    **{
        kind: _of_kind(kind)
        for kind in (
            podmodel.Deployment,
            podmodel.StatefulSet,
            podmodel.DaemonSet,
            podmodel.ReplicaSet,
            podmodel.Job,
            podmodel.CronJob,
            podmodel.ReplicationController,
            podmodel.PodTemplate,
        )
    },
    List: st.lists(st.one_of(pst.pods(max_containers=2), WORKLOADS), max_size=3).map(
        lambda items: List(items=tuple(items))
    ),
    podmodel.ConfigMap: st.builds(
        podmodel.ConfigMap,
        name=st.sampled_from(["cfg", "", "x" * 300]),
        data=st.dictionaries(text, text, max_size=3),
    ),
    podmodel.Secret: st.builds(podmodel.Secret, name=st.sampled_from(["s", "", "x" * 300])),
    ServiceAccount: st.builds(ServiceAccount, name=text, namespace=text),
    ContainerView: st.sampled_from(VIEWS),
    Socket: st.sampled_from(tuple(NS)),
    Connection: st.just(CONN),
    Image: st.sampled_from(tuple(podmodel.default_catalogue().images.values())),
    podmodel.FileTree: st.sampled_from([podmodel.FileTree(), RECEIVERS[podmodel.FileTree]]),
    File | Dir: st.sampled_from([File(data=b"x"), Dir()]),
    IO[str]: st.builds(io.StringIO),
    typing.Union[str, bytes, IO[Any]]: st.one_of(  # noqa: UP007 - the resolved hint
        pst.manifests(), text, st.binary(max_size=40), pst.manifests().map(io.StringIO)
    ),
    typing.Union[str, os.PathLike[str], IO[Any]]: st.one_of(  # noqa: UP007
        st.sampled_from(["/nonexistent/pod.yaml", "/", "\x00"]), pst.manifests().map(io.StringIO)
    ),
    str | list[str]: st.one_of(text, st.lists(text, max_size=4)),
    str | bytes: st.one_of(pst.manifests(), text, st.binary(max_size=40)),
    Any: anything,
    podmodel.Filesystem | None: st.sampled_from([None, NODE.filesystem]),
    podmodel.Catalogue | None: st.sampled_from([None, podmodel.default_catalogue()]),
    int | None: st.none() | numbers,
    str | int | float: st.one_of(text, numbers, seconds, st.sampled_from(["1e1000", ".", "+Ki"])),
    podmodel.Quantity: st.sampled_from(["0", "1", "100m", "-1.5Gi", "1e3", "1n"]).map(
        podmodel.Quantity.parse
    ),
    PathLike: PATHS,
    Mapping[PathLike, Any]: st.dictionaries(PATHS, json_like, max_size=3),
    Iterable[str]: st.lists(
        st.one_of(text, st.sampled_from(["ServiceAccount", "Priority", "RuntimeClass"])),
        max_size=3,
    ),
    podmodel.ClusterFacts | None: st.sampled_from(
        [None, podmodel.ClusterFacts(), podmodel.ClusterFacts(named_objects="assume")]
    ),
    Mapping[str, Any]: st.one_of(
        st.dictionaries(text, json_like, max_size=4),
        pst.pods().map(podmodel.to_dict),
        WORKLOADS.map(podmodel.object_to_dict),
        st.fixed_dictionaries(
            {"apiVersion": st.just("v1"), "kind": st.just("Pod")},
            optional={"metadata": json_like, "spec": json_like},
        ),
        st.fixed_dictionaries(
            {
                "apiVersion": st.sampled_from(["v1", "apps/v1", "batch/v1"]),
                "kind": st.sampled_from(
                    ["ConfigMap", "Secret", "ServiceAccount", "Deployment", "Job", "List"]
                ),
            },
            optional={
                "metadata": json_like,
                "spec": json_like,
                "data": json_like,
                "items": json_like,
            },
        ),
    ),
}
NAMESPACE = {
    **vars(podmodel),
    **vars(typing),
    "Pod": Pod,
    "Mapping": Mapping,
    "Iterator": Iterator,
    "Iterable": Iterable,
}


def _public() -> Iterator[tuple[str, Callable[..., Any], type | None]]:
    for name in podmodel.__all__:
        obj = getattr(podmodel, name)
        if inspect.isfunction(obj):
            yield name, obj, None
        elif inspect.isclass(obj) and not issubclass(obj, BaseException):
            for meth, fn in inspect.getmembers(obj, predicate=inspect.isfunction):
                if not meth.startswith("_"):
                    yield f"{name}.{meth}", fn, obj


PUBLIC = sorted(_public(), key=lambda t: t[0])


def _strategy(hint: Any) -> st.SearchStrategy[Any]:
    if isinstance(hint, typing.TypeVar):  # FrozenMap's K (a key: hashable) and V
        return st.one_of(text, numbers, st.none()) if hint.__name__ == "K" else anything
    if hint in STRATEGIES:
        return STRATEGIES[hint]
    if typing.get_origin(hint) is type:  # a class to look for (Volume.source_of)
        return st.sampled_from([object, int, str, podmodel.EmptyDir, podmodel.Container])
    if typing.get_origin(hint) is typing.Literal:
        return st.sampled_from(typing.get_args(hint))
    if hint is type(None):
        return st.none()
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return st.one_of([_strategy(arg) for arg in typing.get_args(hint)])
    raise LookupError(hint)


def _arguments(fn: Callable[..., Any]) -> st.SearchStrategy[dict[str, Any]]:
    hints = typing.get_type_hints(fn, globalns={**NAMESPACE, **fn.__globals__})
    params = [
        p
        for p in inspect.signature(fn).parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    required = {p.name: _strategy(hints[p.name]) for p in params if p.default is p.empty}
    optional = {p.name: _strategy(hints[p.name]) for p in params if p.default is not p.empty}
    return st.fixed_dictionaries(required, optional=optional)


def test_every_public_function_is_enumerated() -> None:
    names = {name for name, _, _ in PUBLIC}
    assert {"loads", "from_dict", "validate", "Node.start", "Node.exec", "RunningPod.exec"} <= names
    assert {"validate_workload", "load_objects", "WorkloadResult.server_message"} <= names
    assert len(names) > 80
    for name, fn, owner in PUBLIC:
        _arguments(fn)  # every annotation has a strategy
        assert owner is None or owner in RECEIVERS, name


@pytest.mark.parametrize(("name", "fn", "owner"), PUBLIC, ids=[n for n, _, _ in PUBLIC])
def test_bad_values_raise_only_podmodel_errors(
    name: str, fn: Callable[..., Any], owner: type | None
) -> None:
    receiver = RECEIVERS.get(owner) if owner else None

    @settings(
        max_examples=min(settings().max_examples, 150),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(kwargs=_arguments(fn))
    def check(kwargs: dict[str, Any]) -> None:
        try:
            if receiver is None:
                fn(**kwargs)
            else:
                fn(receiver, **kwargs)
        except podmodel.PodmodelError:
            pass

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", podmodel.DecodeWarning)
        check()
