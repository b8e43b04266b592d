"""Read and change one nested value of a pod, addressed by its manifest path.

Paths are written as podmodel's errors print them, with the manifest (camelCase) names:
``spec.containers[0].image``, ``metadata.labels[app.kubernetes.io/name]``,
``spec.volumes[0].emptyDir.sizeLimit``. They go through typed attributes, generated objects (by
their manifest fields: ``spec.containers[0].resources.limits.cpu``), tuples, ``FrozenMap``
values and the frozen JSON inside them, and through a volume's sources (``Volume.sources``) by
the source's manifest name.

Every function returns a new object and leaves its argument as it was.

>>> from podmodel.model.spec import Container, ObjectMeta, Pod, PodSpec
>>> pod = Pod(metadata=ObjectMeta(name="web"),
...           spec=PodSpec(containers=(Container(name="c", image="nginx"),)))
>>> new = replace(pod, "spec.containers[0].image", "nginx:1.27")
>>> new.spec.containers[0].image, pod.spec.containers[0].image
('nginx:1.27', 'nginx')
>>> get(insert(pod, "spec.containers[1]", {"name": "b", "image": "busybox"}), "spec.containers[1]")
Container(name='b', image='busybox', ...)
>>> remove(new, "metadata.name").metadata.name is None
True

The result is what decoding the manifest edited the same way gives: ``to_dict(replace(pod,
path, v))`` is ``to_dict(pod)`` with *v* at *path*. So ``replace(pod, path, None)`` writes a
``null`` there (as ``emptyDir: null``), ``remove`` takes the field out of the manifest, and
an empty list or map is kept as written (``ports: []``).

Values are plain Python or model objects. Where the model has a class, a ``dict`` becomes that
class (its keys are manifest names; a ``null`` or an empty list is kept in ``extra``, as
decoding keeps it), a ``list`` becomes a tuple, and scalars must have the field's type
(``containerPort`` takes an ``int``, not ``"80"``; a quantity must be one), inside generated
objects too.
Everywhere else, data is frozen (``FrozenMap`` and tuples). A field the v1 Pod schema does not
have is refused, with a suggestion, unless the object already holds it (a pod decoded with
``field_validation="Warn"``). The conversion checks no more than that: quantities, ranges and
every other rule are :func:`podmodel.validate`'s.
"""

from __future__ import annotations

import functools
import math
import sys
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs

from podmodel.errors import Key, Segment
from podmodel.model._checks import check_object, check_value, items_of, wrong
from podmodel.model._frozen import FrozenMap, freeze
from podmodel.model._frozen import replace as _evolve
from podmodel.model._generated import HOME
from podmodel.model._paths import PathError, PathLike, as_segments, render_path
from podmodel.model._quantity import QuantityError
from podmodel.model._typed import WireObject, build, codes, lookup
from podmodel.model.schema import catalogue
from podmodel.model.spec import (
    Container,
    ContainerPort,
    EmptyDir,
    EnvVar,
    HostPath,
    ObjectMeta,
    OtherVolumeSource,
    Pod,
    PodSpec,
    Volume,
    VolumeMount,
    VolumeSource,
)

__all__ = ["PathError", "get", "insert", "remove", "replace"]

#: The type of the object edited: each edit returns the same type it was given.
T = TypeVar("T")

_MISSING: Any = object()
_NO_DEFAULT: Any = object()

# --------------------------------------------------------------------------------------------
# The classes: manifest name → (attribute, its type, its "unset" value, whether that value is an
# empty list, map or object that a manifest may also write explicitly).


@attrs.frozen
class _Slot:
    attr: str
    hint: Any
    unset: Any
    empty: bool


def _slots(cls: type) -> dict[str, _Slot]:
    got = _SLOTS.get(cls)
    if got is None:
        got = _SLOTS[cls] = _make_slots(cls)
    return got


_SLOTS: dict[type, dict[str, _Slot]] = {}


class _GeneratedNames(dict[str, Any]):
    """The names a hand-written class's annotations use: its module's, then those imported
    only under ``TYPE_CHECKING``, the generated classes, each imported when first asked for."""

    def __init__(self, module_names: dict[str, Any]) -> None:
        super().__init__()
        self.module_names = module_names

    def __missing__(self, name: str) -> Any:
        if name in self.module_names:
            return self.module_names[name]
        if name in HOME:
            return lookup(name)
        raise KeyError(name)


def _make_slots(cls: type) -> dict[str, _Slot]:
    names = _GeneratedNames(vars(sys.modules[cls.__module__]))
    hints = typing.get_type_hints(cls, localns=names)
    out: dict[str, _Slot] = {}
    for f in attrs.fields(cls):
        wire = f.metadata.get("wire")
        if not wire:
            continue
        default = f.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        empty = isinstance(default, (tuple, FrozenMap)) or attrs.has(type(default))
        out[wire] = _Slot(f.name, hints[f.name], default if empty else None, empty)
    return out


@functools.cache
def _source_kinds() -> frozenset[str]:
    """The manifest names of the volume sources (every field of a v1 Volume but ``name``)."""
    return frozenset(catalogue().fields("Volume")) - {"name"}


_SOURCE_CLASSES: dict[str, type] = {"emptyDir": EmptyDir, "hostPath": HostPath}


def _typed(obj: Any) -> bool:
    """Whether *obj* is a model object edited through its attributes (every hand-written class
    but the sources' base and ``OtherVolumeSource``, which keeps its fields as a map; a
    generated class is edited through its manifest mapping, whose ``set`` keeps its type)."""
    cls = type(obj)
    typed = _TYPED.get(cls)
    if typed is None:
        typed = _TYPED[cls] = (
            attrs.has(cls)
            and not issubclass(cls, FrozenMap)  # a generated class: edited as its mapping
            and any(f.name == "extra" for f in attrs.fields(cls))
        )
    return typed


_TYPED: dict[type, bool] = {}


# --------------------------------------------------------------------------------------------
# Values: plain Python → the model's form for a slot of type *hint*.


def _convert(value: Any, hint: Any, where: tuple[Segment, ...]) -> Any:
    if hint is Any:
        return _frozen_json(value, where)
    origin = typing.get_origin(hint)
    if _is_union(hint):
        arms = typing.get_args(hint)
        if value is None:
            return None  # a written null (kept in ``extra`` by the caller)
        real = [arm for arm in arms if arm is not type(None)]
        if len(real) == 1:  # an optional value: its own error, at its own path
            return _convert(value, real[0], where)
        problems = []
        for arm in real:
            try:
                return _convert(value, arm, where)
            except PathError as exc:
                problems.append(exc.reason)
        raise PathError(render_path(where), " or ".join(dict.fromkeys(problems)))
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if isinstance(value, (list, tuple)):
            return tuple(_convert(v, item, (*where, i)) for i, v in enumerate(value))
        raise wrong(where, "a list", value)
    if origin is FrozenMap or hint is FrozenMap:
        args = typing.get_args(hint)
        item = args[1] if args else Any
        if isinstance(value, Mapping):
            out = {}
            for k, v in items_of(value):
                if not isinstance(k, str):
                    raise wrong((*where, str(k)), "a string key", k)
                out[k] = _convert(v, item, (*where, Key(name=k)))
            return FrozenMap._wrap(out)
        raise wrong(where, "a map", value)
    if isinstance(hint, type) and issubclass(hint, WireObject):  # a generated class
        if isinstance(value, hint):
            return value
        if isinstance(value, Mapping):
            data = _frozen_json(value, where)
            check_object(hint, data, where, FrozenMap())
            return _built(hint, data, where)
        raise wrong(where, f"a {hint.__name__} or a map", value)
    if isinstance(hint, type) and attrs.has(hint):
        if isinstance(value, hint):
            return value
        if isinstance(value, Mapping):
            return _from_wire(hint, value, where)
        raise wrong(where, f"a {hint.__name__} or a map", value)
    if hint is bool:
        if type(value) is bool:
            return value
        raise wrong(where, "a boolean", value)
    if hint is int:
        if type(value) is float and value.is_integer():
            return int(value)  # JSON has one number type: 80.0 is the integer 80
        if type(value) is int:
            return value
        raise wrong(where, "an integer", value)
    if hint is float:
        if type(value) in (int, float) and math.isfinite(value):
            return value
        raise wrong(where, "a number", value)
    if hint is str:
        if type(value) is str:
            return value
        raise wrong(where, "a string", value)
    return _frozen_json(value, where)  # pragma: no cover - every model type is handled above


def _frozen_json(value: Any, where: tuple[Segment, ...]) -> Any:
    """*value* frozen, after checking it is JSON data (the model holds nothing else)."""
    stack = [(value, where)]
    while stack:
        v, at = stack.pop()
        if v is None or type(v) in (str, bool, int):
            continue
        if type(v) is float:
            if not math.isfinite(v):
                raise PathError(render_path(at), f"{v!r} is not a JSON number")
            continue
        if isinstance(v, Mapping):
            for k, item in items_of(v):
                if not isinstance(k, str):
                    raise wrong((*at, str(k)), "a string key", k)
                stack.append((item, (*at, Key(name=k))))
        elif isinstance(v, (list, tuple)):
            stack.extend((item, (*at, i)) for i, item in enumerate(v))
        elif not attrs.has(type(v)):
            # (a model object inside frozen data is what decoding puts there: the ObjectMeta
            # of an ephemeral volume's claim template, say)
            raise PathError(render_path(at), f"{type(v).__name__} is not JSON data")
    return freeze(value)


def _from_wire(cls: type, data: Mapping[str, Any], where: tuple[Segment, ...]) -> Any:
    """An instance of the model class *cls* from its manifest form (keys are manifest names)."""
    if cls is OtherVolumeSource or cls is VolumeSource:
        raise wrong(where, "a volume source in a Volume", data)
    obj = cls()
    for k, v in items_of(data):
        if not isinstance(k, str):
            raise wrong((*where, str(k)), "a string key", k)
        obj = _set_field(obj, k, v, (*where, k), convert=True)
    return obj


# --------------------------------------------------------------------------------------------
# One step: read, set, delete one child of a typed object, a tuple or a map.


def _child(obj: Any, seg: Segment, where: tuple[Segment, ...]) -> tuple[Any, bool, Any]:
    """``(value, written, hint)`` of child *seg* of *obj*: *written* is whether the manifest has
    it (an unwritten typed attribute still gives its default, to descend into)."""
    if isinstance(obj, OtherVolumeSource):
        obj = obj.fields
    if _typed(obj):
        name = _name(seg, where, obj)
        slot = _slots(type(obj)).get(name)
        extra = obj.extra
        if slot is not None:
            v = getattr(obj, slot.attr)
            unset = v is None or (slot.empty and v == slot.unset)
            if unset and name in extra:
                return extra[name], True, slot.hint
            return v, not unset, slot.hint
        if isinstance(obj, Volume) and name in _source_kinds():
            for src in obj.sources:
                if src.kind == name:
                    value = src.fields if isinstance(src, OtherVolumeSource) else src
                    return value, True, _source_hint(name)
            if name in extra:
                return extra[name], True, _source_hint(name)
            return _MISSING, False, _source_hint(name)
        if name in extra:
            return extra[name], True, Any
        return _MISSING, False, Any
    if isinstance(obj, tuple):
        if not isinstance(seg, int):
            raise PathError(render_path(where), f"a list is indexed by a number, not {seg!r}")
        if seg < len(obj):
            return obj[seg], True, Any
        return _MISSING, False, Any
    if isinstance(obj, Mapping):
        key = seg.name if isinstance(seg, Key) else str(seg)
        if key in obj:
            return obj[key], True, Any
        return _MISSING, False, Any
    raise PathError(render_path(where), f"{_what(obj)} has no fields, items or keys")


def _source_hint(kind: str) -> Any:
    cls = _SOURCE_CLASSES.get(kind)
    if cls is not None:
        return cls | None
    return FrozenMap[str, Any] | None if kind in _source_kinds() else Any


def _name(seg: Segment, where: tuple[Segment, ...], obj: Any) -> str:
    if isinstance(seg, str):
        return seg
    if isinstance(seg, Key):
        return seg.name
    raise PathError(render_path(where), f"{_what(obj)} is not a list: it has no item {seg}")


def _what(obj: Any) -> str:
    if obj is None:
        return "null"
    if isinstance(obj, str):
        return "a string"
    if type(obj) in (int, float, bool):
        return f"a {type(obj).__name__}"
    if isinstance(obj, tuple):
        return "a list"
    if isinstance(obj, Mapping):
        return "a map"
    return f"a {type(obj).__name__}"


def _set_field(
    obj: Any, name: str, value: Any, where: tuple[Segment, ...], *, convert: bool
) -> Any:
    """*obj* (a typed object) with field *name* set to *value*, written in the manifest."""
    slot = _slots(type(obj)).get(name)
    extra: FrozenMap[str, Any] = obj.extra
    if slot is not None:
        if convert and value is not None:  # any field may be written null
            value = _convert(value, slot.hint, where)
        if value is None:
            return _evolve(obj, **{slot.attr: slot.unset, "extra": extra.set(name, None)})
        if slot.empty and value == slot.unset:
            marker = () if isinstance(value, tuple) else FrozenMap()
            return _evolve(obj, **{slot.attr: slot.unset, "extra": extra.set(name, marker)})
        return _evolve(obj, **{slot.attr: value, "extra": extra.delete(name)})
    if isinstance(obj, Volume) and name in _source_kinds():
        if convert:
            value = _convert(value, _source_hint(name), where)
        sources = [s for s in obj.sources if s.kind != name]
        if value is None:
            return _evolve(obj, sources=tuple(sources), extra=extra.set(name, None))
        if not isinstance(value, VolumeSource):
            value = OtherVolumeSource(kind=name, fields=value)
        at = next((i for i, s in enumerate(obj.sources) if s.kind == name), len(sources))
        sources.insert(at, value)
        return _evolve(obj, sources=tuple(sources), extra=extra.delete(name))
    if convert and name not in extra:
        _check_known(type(obj), name, where)
    return _evolve(obj, extra=extra.set(name, _frozen_json(value, where) if convert else value))


# The schema definitions of the typed classes (the fields they keep in ``extra`` are legal too).
_DEFINITIONS: dict[type, tuple[str, ...]] = {
    Pod: ("Pod",),
    ObjectMeta: ("ObjectMeta",),
    PodSpec: ("PodSpec",),
    Container: ("Container", "EphemeralContainer"),
    ContainerPort: ("ContainerPort",),
    EnvVar: ("EnvVar",),
    VolumeMount: ("VolumeMount",),
    Volume: ("Volume",),
    EmptyDir: ("EmptyDirVolumeSource",),
    HostPath: ("HostPathVolumeSource",),
}


def _check_known(cls: type, name: str, where: tuple[Segment, ...]) -> None:
    """Refuse a new field the v1 Pod schema does not have (``imagePullPolicyy``), as strict
    decoding would; fields already in ``extra`` (kept by a lenient decode) stay editable."""
    definitions = _DEFINITIONS.get(cls)
    if not definitions:
        return
    cat = catalogue()
    if any(cat.type_of(d, name) is not None for d in definitions):
        return
    hint = cat.suggest(definitions[0], name)
    reason = f"unknown field {name!r} of {cls.__name__}"
    raise PathError(render_path(where), f'{reason}; did you mean "{hint}"?' if hint else reason)


def _delete_field(obj: Any, name: str) -> Any:
    slot = _slots(type(obj)).get(name)
    extra = obj.extra.delete(name)
    if slot is not None:
        return _evolve(obj, **{slot.attr: slot.unset, "extra": extra})
    if isinstance(obj, Volume):
        sources = tuple(s for s in obj.sources if s.kind != name)
        return _evolve(obj, sources=sources, extra=extra)
    return _evolve(obj, extra=extra)


def _with(
    obj: Any, seg: Segment, value: Any, where: tuple[Segment, ...], convert: bool, hint: Any = Any
) -> Any:
    """*obj* with child *seg* set to *value* (an index must be in range); with *convert*,
    *value* is first converted to the child's type (*hint* for a list item or map value)."""
    if isinstance(obj, OtherVolumeSource):
        return _evolve(obj, fields=_with(obj.fields, seg, value, where, convert))
    if _typed(obj):
        return _set_field(obj, _name(seg, where, obj), value, where, convert=convert)
    if convert:
        value = _convert(value, hint, where)
    if isinstance(obj, tuple):
        assert isinstance(seg, int)
        return (*obj[:seg], value, *obj[seg + 1 :])
    key = seg.name if isinstance(seg, Key) else str(seg)
    data = dict(obj)
    data[key] = value
    if isinstance(obj, WireObject):  # a generated class: the same class, the value converted
        if convert:
            check_object(type(obj), {key: value}, where[:-1], obj)
        return _built(type(obj), data, where[:-1])
    return FrozenMap._wrap(data)


def _built(cls: type, data: Mapping[str, Any], where: tuple[Segment, ...]) -> Any:
    try:
        return build(cls, data)
    except QuantityError:
        for k, code in codes(cls).items():  # which quantity: an error names its own path
            if code in ("q", "{q") and data.get(k) is not None:
                check_value(data[k], code, (*where, k))
        raise  # pragma: no cover - the loop raises the same error with its path


# --------------------------------------------------------------------------------------------
# The walk.


def _edit(obj: Any, segs: tuple[Segment, ...], depth: int, op: str, value: Any, hint: Any) -> Any:
    where = segs[: depth + 1]
    seg = segs[depth]
    child, written, child_hint = _child(obj, seg, where)
    if isinstance(obj, tuple) or (isinstance(obj, Mapping) and not _typed(obj)):
        child_hint = _item_hint(hint)
    if depth + 1 < len(segs):
        if child is _MISSING or child is None:
            state = "null" if written else "not set"
            raise PathError(render_path(where), f"is {state}: set it before a field inside it")
        new_child = _edit(child, segs, depth + 1, op, value, child_hint)
        if new_child is child:
            return obj
        return _with(obj, seg, new_child, where, convert=False)
    if op == "replace":
        if isinstance(obj, tuple) and not written:
            raise _out_of_range(where, obj, "use insert to add an item")
        return _with(obj, seg, value, where, convert=True, hint=child_hint)
    if op == "insert":
        if isinstance(obj, tuple):
            assert isinstance(seg, int)  # _child refused anything else
            if seg > len(obj):
                raise _out_of_range(where, obj, "insert takes an index up to the list's length")
            new = _convert(value, child_hint, where)
            return (*obj[:seg], new, *obj[seg:])
        if written:
            raise PathError(render_path(where), "is already set: use replace to change it")
        return _with(obj, seg, value, where, convert=True, hint=child_hint)
    # remove
    if not written:
        if isinstance(obj, tuple):
            raise _out_of_range(where, obj, "")
        raise PathError(render_path(where), "is not set: there is nothing to remove")
    if isinstance(obj, OtherVolumeSource):
        key = seg.name if isinstance(seg, Key) else str(seg)
        return _evolve(obj, fields=obj.fields.delete(key))
    if _typed(obj):
        return _delete_field(obj, _name(seg, where, obj))
    if isinstance(obj, tuple):
        assert isinstance(seg, int)
        return (*obj[:seg], *obj[seg + 1 :])
    key = seg.name if isinstance(seg, Key) else str(seg)
    if isinstance(obj, FrozenMap):
        return obj.delete(key)
    # any other mapping (a plain dict) comes back frozen, as replace and insert give it
    return FrozenMap._wrap({k: v for k, v in obj.items() if k != key})


def _item_hint(hint: Any) -> Any:
    """The type of an item of a tuple or map typed *hint* (``Any`` for frozen JSON)."""
    for arm in typing.get_args(hint) if _is_union(hint) else (hint,):
        origin = typing.get_origin(arm)
        if origin is tuple:
            return typing.get_args(arm)[0]
        if origin is FrozenMap:
            args = typing.get_args(arm)
            return args[1] if args else Any
    return Any


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def _out_of_range(where: tuple[Segment, ...], items: tuple[Any, ...], hint: str) -> PathError:
    reason = f"index out of range: the list has {len(items)} item{'s' if len(items) != 1 else ''}"
    return PathError(render_path(where), f"{reason}; {hint}" if hint else reason)


def _run(obj: Any, path: PathLike, op: str, value: Any) -> Any:
    segs = as_segments(path)
    if not segs:
        raise PathError("", f"{op} needs a path below the object itself")
    root_hint = type(obj) if attrs.has(type(obj)) else Any
    return _edit(obj, segs, 0, op, value, root_hint)


# --------------------------------------------------------------------------------------------
# The public functions.


def get(obj: Any, path: PathLike, default: Any = _NO_DEFAULT) -> Any:
    """The value at *path* in *obj*, as the model holds it (typed objects, tuples, ``FrozenMap``).

    A field the manifest does not have (unset) raises :class:`PathError`, or returns *default*
    when one is given; a field written as ``null`` gives ``None``.

    >>> from podmodel.model.spec import Container, ContainerPort, Pod, PodSpec
    >>> pod = Pod(spec=PodSpec(containers=(
    ...     Container(name="c", ports=(ContainerPort(container_port=80),)),)))
    >>> get(pod, "spec.containers[0].ports[0].containerPort")
    80
    >>> get(pod, "spec.containers[0].image", "unset")
    'unset'
    >>> get(pod, "spec.containers[1]")
    Traceback (most recent call last):
    podmodel.model._paths.PathError: path "spec.containers[1]": not set
    """
    segs = as_segments(path)
    node = obj
    for depth, seg in enumerate(segs):
        where = segs[: depth + 1]
        if node is None and depth:
            if default is not _NO_DEFAULT:
                return default
            raise PathError(render_path(segs[:depth]), "is null: it has no fields or items")
        node, written, _ = _child(node, seg, where)
        if not written:
            if default is not _NO_DEFAULT:
                return default
            raise PathError(render_path(where), "not set")
    return node


def replace(obj: T, path: PathLike, value: Any) -> T:
    """A copy of *obj* with *value* at *path*; *obj* is not changed.

    A field or map key is set whether or not it was set before; a list index must be in range
    (:func:`insert` adds items). ``None`` writes a ``null``; :func:`remove` unsets.

    Raises:
        PathError: The path is malformed, goes through something unset or null, has an index
            out of range, or *value* does not fit the attribute's type.

    >>> from podmodel.model.spec import Pod
    >>> pod = replace(Pod(), "metadata.labels[app.kubernetes.io/name]", "web")
    >>> pod.metadata.labels
    FrozenMap({'app.kubernetes.io/name': 'web'})
    >>> replace(pod, "spec.restartPolicy", 1)
    Traceback (most recent call last):
    podmodel.model._paths.PathError: path "spec.restartPolicy": expected a string, found integer 1
    """
    result: T = _run(obj, path, "replace", value)
    return result


def insert(obj: T, path: PathLike, value: Any) -> T:
    """A copy of *obj* with *value* added at *path*; *obj* is not changed.

    A path ending in an index inserts before that item (the list's length appends); a path
    ending in a field name or map key adds it, and refuses one already set.

    >>> from podmodel.model.spec import Pod
    >>> pod = insert(Pod(), "spec.containers[0]", {"name": "a", "image": "nginx"})
    >>> pod = insert(pod, "spec.containers[0]", {"name": "b"})
    >>> [c.name for c in pod.spec.containers]
    ['b', 'a']
    """
    result: T = _run(obj, path, "insert", value)
    return result


def remove(obj: T, path: PathLike) -> T:
    """A copy of *obj* without the list item, map key or field at *path*; *obj* is not changed.

    A removed field is unset (``None``, or its empty default), as if the manifest never had it.

    >>> from podmodel.model.spec import Pod
    >>> pod = replace(Pod(), "metadata.annotations[a.b/c]", "x")
    >>> remove(pod, "metadata.annotations[a.b/c]").metadata.annotations
    FrozenMap({})
    >>> remove(pod, "metadata.name")
    Traceback (most recent call last):
    podmodel.model._paths.PathError: path "metadata.name": is not set: there is nothing to remove
    """
    result: T = _run(obj, path, "remove", None)
    return result
