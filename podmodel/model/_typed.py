"""What the generated model classes are made of (private; hand-written).

``tools/gen_model.py`` writes one frozen, slotted, keyword-only ``attrs`` class per definition
reachable from v1.Pod into :mod:`podmodel.model._generated`. Every attribute comes from
:func:`field`, which records the manifest name (``metadata["wire"]``) and the catalogue's type
code (``metadata["type"]``), and which freezes what a constructor is given, deeply: a list
becomes a tuple, a ``dict`` a :class:`~podmodel.FrozenMap` or, where the schema has a class,
that class (its keys are manifest names), and a quantity written as text or a number a
:class:`~podmodel.Quantity`. So every instance hashes.

>>> from podmodel.model._generated import CLASSES
>>> probe = CLASSES["Probe"](http_get={"path": "/healthz", "port": 8080}, period_seconds=5)
>>> probe.http_get.port, type(probe.http_get).__name__
(8080, 'HTTPGetAction')
>>> req = CLASSES["ResourceRequirements"](limits={"memory": "64Mi"})
>>> str(req.limits["memory"]), hash(req) == hash(CLASSES["ResourceRequirements"](limits={"memory": "64Mi"}))
('64Mi', True)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

from podmodel.model._frozen import FrozenMap, filler, freeze
from podmodel.model._paths import PathError
from podmodel.model._quantity import Quantity

__all__ = [
    "REGISTRY",
    "WireObject",
    "build",
    "codes",
    "decoded_builder",
    "extra",
    "field",
    "from_wire",
    "lookup",
    "register",
    "set_loader",
]

T = TypeVar("T")

#: Definition name → generated class, filled as the generated modules are imported.
REGISTRY: dict[str, type] = {}


_LOADER: list[Callable[[str], type]] = []


def set_loader(loader: Callable[[str], type]) -> None:
    """Called by :mod:`podmodel.model._generated`: how :func:`lookup` imports a class."""
    _LOADER[:] = [loader]


def lookup(name: str) -> type:
    """The generated class of definition *name* (its module imported on first use)."""
    cls = REGISTRY.get(name)
    if cls is None:
        if not _LOADER:  # the package registers its loader when imported
            importlib.import_module("podmodel.model._generated")
        cls = _LOADER[0](name)
    return cls


def register(cls: type[T]) -> type[T]:
    """Class decorator: record *cls* in :data:`REGISTRY` under its definition name."""
    REGISTRY[cls.__name__] = cls
    return cls


def _same(value: Any) -> Any:
    return value


def _quantity(value: Any) -> Any:
    if value is None or type(value) is Quantity:
        return value
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return Quantity.parse(value)
    return value


def _object(name: str) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        cls = REGISTRY.get(name) or lookup(name)
        if type(value) is cls or not isinstance(value, Mapping):
            return value
        if isinstance(value, WireObject):  # another class's object: by its manifest fields
            return build(cls, value._data)
        return from_wire(cls, value)

    return convert


def _converter(code: str) -> Callable[[Any], Any]:
    """The converter that freezes a value of catalogue type *code*."""
    if code in {"o", "*"}:
        return freeze
    if code == "q":
        return _quantity
    if code[0] == "@":
        return _object(code[1:])
    if code[0] == "[":
        item = _converter(code[1:])

        def seq(value: Any) -> Any:
            if value is None:
                return ()
            if item is _same:
                return value if type(value) is tuple else tuple(value)
            return tuple([item(v) for v in value])

        return seq
    if code[0] == "{":
        item = _converter(code[1:])

        def mapping(value: Any) -> Any:
            if value is None:
                return FrozenMap()
            if type(value) is FrozenMap and item is _same:
                return value
            return FrozenMap._wrap({k: item(v) for k, v in value.items()})

        return mapping
    return _same


def field(wire: str, code: str) -> Any:
    """An attribute whose manifest name is *wire* and whose catalogue type is *code*.

    Lists default to ``()`` and maps to an empty ``FrozenMap``; everything else to ``None``
    ("not written").
    """
    meta = {"wire": wire, "type": code}
    convert = _converter(code)
    if code[0] == "[":
        return attrs.field(default=(), converter=convert, metadata=meta)
    if code[0] == "{":
        return attrs.field(factory=FrozenMap, converter=convert, metadata=meta)
    if convert is _same:
        return attrs.field(default=None, metadata=meta)
    return attrs.field(default=None, converter=convert, metadata=meta)


def _extra(value: Any) -> Any:
    return value if type(value) is FrozenMap else freeze(value or {})


def extra() -> Any:
    """The ``extra`` attribute: manifest fields no typed attribute holds, by manifest name."""
    return attrs.field(factory=FrozenMap, converter=_extra, metadata={"wire": None})


_WIRES: dict[type, dict[str, str]] = {}


def from_wire(cls: type[T], data: Mapping[str, Any]) -> T:
    """``cls`` built from a mapping keyed by manifest names (``{"httpGet": {...}}``).

    A key the class does not have raises :class:`~podmodel.PathError`.
    """
    wires = _WIRES.get(cls)
    if wires is None:
        wires = _WIRES[cls] = {
            f.metadata["wire"]: f.name
            for f in attrs.fields(cls)  # type: ignore[arg-type]
            if f.metadata.get("wire")
        }
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        attr = wires.get(key)
        if attr is None:
            raise PathError(str(key), f"{cls.__name__} has no field {key!r}")
        kwargs[attr] = value
    return cls(**kwargs)


class WireObject(FrozenMap[str, Any]):
    """Base of the generated classes: a typed object that is also the read-only mapping of
    the manifest fields it was written with.

    The typed attributes (``probe.http_get.port``, ``resources.limits["memory"]`` as a
    :class:`~podmodel.Quantity`) are what tools read. The mapping (``probe["httpGet"]``,
    ``probe.get("periodSeconds")``) is the object as the manifest wrote it, keyed by manifest
    name, nested objects included; quantities there are as written (``"64Mi"``, ``1``). It
    makes the object a :class:`~podmodel.FrozenMap`: equal (and hashing equal) to any mapping
    with the same manifest fields, and readable by code written for the frozen JSON that
    podmodel kept before these classes existed. Where a schema field is called ``items`` or
    ``values``, the attribute wins; ``FrozenMap.items(obj)`` still gives the mapping's items.

    Built three ways, all giving the same object: by keyword (``Probe(period_seconds=5)``,
    nested values given as dicts are converted), by :func:`build` from manifest fields (what
    decoding does), and by the mapping methods that return a changed copy (``set``, ``delete``).
    """

    __slots__ = ()

    def __attrs_post_init__(self) -> None:
        _set_data(self, _data_of(self))

    def _refresh(self) -> None:
        """Recompute the mapping after ``podmodel.model._frozen.replace`` changed attributes."""
        _set_data(self, _data_of(self))

    def __repr__(self) -> str:
        """The attributes that hold something (a pod's objects have dozens that do not)."""
        shown = []
        for f in attrs.fields(type(self)):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value is None or (
                (f.name == "extra" or f.metadata["type"][0] in "[{") and not value
            ):
                continue
            shown.append(f"{f.name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (build, (type(self), self._data))

    @classmethod
    def _wrap(cls, data: dict[str, Any]) -> Any:
        """Adopt *data*, manifest fields whose values are final (nested objects of their
        classes, frozen data, quantities as written), as decoding does."""
        make = _DECODED.get(cls)
        if make is None:
            make = _DECODED[cls] = decoded_builder(cls)
        return make(data)

    def set(self, key: str, value: Any) -> Any:
        """A copy with the manifest field *key* set to *value* (converted to the field's type).

        Raises:
            PathError: *key* is not a field of this object's definition.
        """
        data = dict(self._data)
        data[key] = value
        return build(type(self), data, strict=key)

    def delete(self, key: str) -> Any:
        """A copy without the manifest field *key* (a missing key is not an error)."""
        data = dict(self._data)
        data.pop(key, None)
        return build(type(self), data)


# Per class: (attribute, manifest name, type code) in class order; manifest name →
# (attribute, converter or None, is a list or map, type code); attribute → default.
_ORDER: dict[type, tuple[tuple[str, str, str], ...]] = {}
_BY_WIRE: dict[type, dict[str, tuple[str, Callable[[Any], Any] | None, bool, str]]] = {}
_DEFAULTS: dict[type, tuple[tuple[str, Any], ...]] = {}
_DECODED: dict[type, Callable[[dict[str, Any]], Any]] = {}


def _tables(cls: type) -> None:
    order = []
    by_wire: dict[str, tuple[str, Callable[[Any], Any] | None, bool, str]] = {}
    defaults = []
    for f in attrs.fields(cls):
        default = f.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()  # an empty tuple or FrozenMap: shared, never changed
        defaults.append((f.name, default))
        wire = f.metadata.get("wire")
        if not wire:
            continue
        code = f.metadata["type"]
        order.append((f.name, wire, code))
        convert = _converter(code)
        by_wire[wire] = (f.name, None if convert is _same else convert, code[0] in "[{", code)
    _DEFAULTS[cls] = tuple(defaults)
    _BY_WIRE[cls] = by_wire
    _ORDER[cls] = tuple(order)


def codes(cls: type) -> dict[str, str]:
    """Manifest name → catalogue type code, for the fields of the generated class *cls*."""
    by_wire = _BY_WIRE.get(cls)
    if by_wire is None:
        _tables(cls)
        by_wire = _BY_WIRE[cls]
    return {wire: entry[3] for wire, entry in by_wire.items()}


def _raw(code: str, value: Any) -> Any:
    """*value*, an attribute of type *code*, as the manifest mapping holds it (a quantity
    as written)."""
    if type(value) is Quantity:
        return value.raw
    if code == "{q":
        return FrozenMap._wrap({k: q.raw if type(q) is Quantity else q for k, q in value.items()})
    return value


def _data_of(obj: Any) -> dict[str, Any]:
    """The manifest fields of *obj*, from its attributes, then its ``extra``."""
    cls = type(obj)
    order = _ORDER.get(cls)
    if order is None:
        _tables(cls)
        order = _ORDER[cls]
    data: dict[str, Any] = {}
    for attr, wire, code in order:
        value = getattr(obj, attr)
        if value is None or (code[0] in "[{" and not value):
            continue
        data[wire] = _raw(code, value)
    if obj.extra:
        data.update(obj.extra._data)
    return data


def _set_data(obj: Any, data: dict[str, Any]) -> None:
    object.__setattr__(obj, "_data", data)
    object.__setattr__(obj, "_hash", None)
    object.__setattr__(obj, "get", data.get)


def build(cls: type[T], data: Mapping[str, Any], *, strict: str | None = None) -> T:
    """An instance of the generated class *cls* from its manifest fields, without ``__init__``.

    Values may be final (typed objects, tuples, ``FrozenMap``) or plain data; each is converted
    to its attribute's type. As decoding does, a field written ``null``, a list or map written
    empty, and a field the class does not have (which decoding keeps only under
    ``field_validation="Warn"``) go to ``extra``, so that the object's mapping is what was
    written. With *strict* set to a manifest name, that field must be one of the class's.

    Raises:
        PathError: *strict* is not a field of *cls*.
    """
    by_wire = _BY_WIRE.get(cls)
    if by_wire is None:
        _tables(cls)
        by_wire = _BY_WIRE[cls]
    if strict is not None and strict not in by_wire:
        raise PathError(strict, f"{cls.__name__} has no field {strict!r}")
    values: dict[str, Any] = {}
    extra_: dict[str, Any] = {}
    out: dict[str, Any] = {}
    pairs = data._data.items() if isinstance(data, FrozenMap) else data.items()
    for key, value in pairs:
        entry = by_wire.get(key)
        if entry is None or value is None:
            out[key] = extra_[key] = freeze(value)
            continue
        attr, convert, container, code = entry
        got = value if convert is None else convert(value)
        if container and not got:
            out[key] = extra_[key] = got  # written empty: the attribute keeps its default
            continue
        values[attr] = got
        out[key] = _raw(code, got) if "q" in code else got
    if extra_:
        values["extra"] = FrozenMap._wrap(extra_)
    new = object.__new__(cls)
    for attr, default in _DEFAULTS[cls]:
        object.__setattr__(new, attr, values.get(attr, default))
    _set_data(new, out)
    return new


def decoded_builder(cls: type[T]) -> Callable[[dict[str, Any]], T]:
    """What :func:`build` does, for values the decoder has already decoded (frozen; nested
    objects of their classes; quantities as written): only quantities are converted, and the
    given dictionary becomes the object's mapping. Made once per class."""
    by_wire = _BY_WIRE.get(cls)
    if by_wire is None:
        _tables(cls)
        by_wire = _BY_WIRE[cls]
    fields = {
        wire: (attr, convert if "q" in code else None, container)
        for wire, (attr, convert, container, code) in by_wire.items()
    }
    fill = filler(cls())
    get = fields.get

    def make(out: dict[str, Any]) -> T:
        values: dict[str, Any] = {}
        extra_: dict[str, Any] = {}
        for key, value in out.items():
            entry = get(key)
            if entry is None or value is None or (entry[2] and not value):
                extra_[key] = value  # unknown (Warn), written null, or written empty
                continue
            attr, convert, _ = entry
            values[attr] = value if convert is None else convert(value)
        if extra_:
            values["extra"] = FrozenMap._wrap(extra_)
        new = fill(values)
        _set_data(new, out)
        return new

    return make
