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
    "converter",
    "decoded_builder",
    "extra",
    "field",
    "from_wire",
    "held_class",
    "is_quantity",
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


def _found(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {value!r}"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, Mapping):
        return "map"
    if isinstance(value, (list, tuple)):
        return "list"
    return type(value).__name__


def is_quantity(code: str) -> bool:
    """Whether catalogue type *code* is a quantity, or a list or map of them."""
    return code.lstrip("[{") == "q"


#: Definitions that decoding models with a hand-written class of ``podmodel.model.spec``, held
#: by a generated class that is not itself a stand-in for a hand-written one: an ephemeral
#: volume's claim template holds an ``ObjectMeta``, the hand-written one, as decoding gives it.
HAND_WRITTEN = {"ObjectMeta": "ObjectMeta"}


def held_class(name: str) -> type:
    """The class an object of definition *name* has inside the model: the hand-written one
    where there is one, else the generated one."""
    if name in HAND_WRITTEN:
        spec = importlib.import_module("podmodel.model.spec")
        cls: type = getattr(spec, HAND_WRITTEN[name])
        return cls
    return REGISTRY.get(name) or lookup(name)


def _quantity(where: str) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if value is None or type(value) is Quantity:
            return value
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return Quantity.parse(value)
        raise PathError(where, f"expected a quantity (a string or a number), found {_found(value)}")

    return convert


def _hand_written(cls: type, data: Mapping[str, Any], where: str) -> Any:
    """A hand-written model object from its manifest fields (null and empty kept in ``extra``)."""
    wires = {f.metadata["wire"]: f for f in attrs.fields(cls) if f.metadata.get("wire")}
    kwargs: dict[str, Any] = {}
    kept: dict[str, Any] = {}
    for key, value in data.items():
        f = wires.get(key)
        if f is None:
            raise PathError(f"{where}.{key}", f"{cls.__name__} has no field {key!r}")
        if value is None or (isinstance(value, (list, tuple, Mapping)) and not value):
            kept[key] = freeze(value)
        else:
            kwargs[f.name] = freeze(value)
    return cls(**kwargs, extra=kept)


def _object(name: str, where: str) -> Callable[[Any], Any]:
    """The converter of an attribute holding an object of definition *name*: a mapping of
    manifest fields, or another object's (by its manifest fields), becomes that class."""

    held: list[type] = []  # the class, found on first use (its module imported then)

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if not held:
            held.append(held_class(name))
        cls = held[0]
        if type(value) is cls:
            return value
        if isinstance(value, Mapping):
            data = value._data if isinstance(value, FrozenMap) else value
            if not issubclass(cls, WireObject):
                return _hand_written(cls, data, where)
            return build(cls, data, unknown=where)
        raise PathError(where, f"expected a {cls.__name__} or a map, found {_found(value)}")

    return convert


def converter(code: str, where: str = "") -> Callable[[Any], Any]:
    """The converter that freezes a value of catalogue type *code* (of field *where*), or
    raises :class:`~podmodel.PathError` for a value of the wrong shape."""
    if code in {"o", "*"}:
        return freeze
    if code == "q":
        return _quantity(where)
    if code[0] == "@":
        return _object(code[1:], where)
    if code[0] == "[":
        item = converter(code[1:], where)
        if item is _same:
            item = freeze

        def seq(value: Any) -> Any:
            if value is None:
                return ()
            if not isinstance(value, (list, tuple)):
                raise PathError(where, f"expected a list, found {_found(value)}")
            return tuple([item(v) for v in value])

        return seq
    if code[0] == "{":
        item = converter(code[1:], where)
        if item is _same:
            item = freeze

        def mapping(value: Any) -> Any:
            if value is None:
                return FrozenMap()
            if not isinstance(value, Mapping):
                raise PathError(where, f"expected a map, found {_found(value)}")
            pairs = value._data.items() if isinstance(value, FrozenMap) else value.items()
            return FrozenMap._wrap({k: item(v) for k, v in pairs})

        return mapping
    return _same


def field(wire: str, code: str) -> Any:
    """An attribute whose manifest name is *wire* and whose catalogue type is *code*.

    Lists default to ``()`` and maps to an empty ``FrozenMap``; everything else to ``None``
    ("not written").
    """
    meta = {"wire": wire, "type": code}
    convert = converter(code, wire)
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


def from_wire(cls: type[T], data: Mapping[str, Any]) -> T:
    """``cls`` built from a mapping keyed by manifest names (``{"httpGet": {...}}``), as
    decoding builds it: a field written ``null`` or empty is kept as written.

    A key the class does not have raises :class:`~podmodel.PathError`.
    """
    return build(cls, data, unknown="")


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

    Built three ways, giving the same object for the same manifest fields: by keyword
    (``Probe(period_seconds=5)``; nested values given as dicts are converted, a ``null`` or an
    empty list in them kept as written; a keyword ``None`` means "not written"), by
    :func:`build` from manifest fields (what decoding does), and by the mapping methods that
    return a changed copy (``set``, ``delete``). An attribute changed by ``attrs.evolve`` wins
    over a ``null`` that ``extra`` kept of the same field.
    """

    __slots__ = ()

    def __attrs_post_init__(self) -> None:
        _sync(self)

    def _refresh(self) -> None:
        """Recompute the mapping after ``podmodel.model._frozen.replace`` changed attributes."""
        _sync(self)

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
_BY_WIRE: dict[type, dict[str, tuple[str, Callable[[Any], Any] | None, bool, str, bool]]] = {}
_FILL: dict[type, Callable[[dict[str, Any]], Any]] = {}
_DECODED: dict[type, Callable[[dict[str, Any]], Any]] = {}


def _by_wire(cls: type) -> dict[str, tuple[str, Callable[[Any], Any] | None, bool, str, bool]]:
    """Manifest name → (attribute, converter or None, is a list or map, type code, is a
    quantity) for the generated class *cls*; with ``_ORDER`` and ``_FILL``, made once."""
    got = _BY_WIRE.get(cls)
    if got is not None:
        return got
    order = []
    by_wire: dict[str, tuple[str, Callable[[Any], Any] | None, bool, str, bool]] = {}
    for f in attrs.fields(cls):
        wire = f.metadata.get("wire")
        if not wire:
            continue
        code = f.metadata["type"]
        order.append((f.name, wire, code))
        convert = converter(code, wire)
        by_wire[wire] = (
            f.name,
            None if convert is _same else convert,
            code[0] in "[{",
            code,
            is_quantity(code),
        )
    _ORDER[cls] = tuple(order)
    _BY_WIRE[cls] = by_wire
    _FILL[cls] = filler(cls())  # (the prototype's defaults: empty tuples and maps, shared)
    return by_wire


def codes(cls: type) -> dict[str, str]:
    """Manifest name → catalogue type code, for the fields of the generated class *cls*."""
    return {wire: entry[3] for wire, entry in _by_wire(cls).items()}


def _raw(code: str, value: Any) -> Any:
    """*value*, an attribute of type *code*, as the manifest mapping holds it (a quantity
    as written)."""
    if type(value) is Quantity:
        return value.raw
    if code == "{q":
        return FrozenMap._wrap({k: q.raw if type(q) is Quantity else q for k, q in value.items()})
    return value


def _sync(obj: Any) -> None:
    """Make *obj*'s mapping its attributes, then its ``extra``: an attribute that holds a value
    wins over what ``extra`` kept of the same field (a ``null`` or an empty list written before
    an edit), which is dropped from ``extra``."""
    cls = type(obj)
    order = _ORDER.get(cls)
    if order is None:
        _by_wire(cls)
        order = _ORDER[cls]
    data: dict[str, Any] = {}
    for attr, wire, code in order:
        value = getattr(obj, attr)
        if value is None or (code[0] in "[{" and not value):
            continue
        data[wire] = _raw(code, value)
    kept = obj.extra
    if kept:
        if any(k in data for k in kept._data):
            kept = FrozenMap._wrap({k: v for k, v in kept._data.items() if k not in data})
            object.__setattr__(obj, "extra", kept)
        data.update(kept._data)
    _set_data(obj, data)


def _set_data(obj: Any, data: dict[str, Any]) -> None:
    object.__setattr__(obj, "_data", data)
    object.__setattr__(obj, "_hash", None)
    object.__setattr__(obj, "get", data.get)


def build(
    cls: type[T], data: Mapping[str, Any], *, strict: str | None = None, unknown: str | None = None
) -> T:
    """An instance of the generated class *cls* from its manifest fields, without ``__init__``.

    Values may be final (typed objects, tuples, ``FrozenMap``) or plain data; each is converted
    to its attribute's type. As decoding does, a field written ``null``, a list or map written
    empty, and a field the class does not have (which decoding keeps only under
    ``field_validation="Warn"``) go to ``extra``, so that the object's mapping is what was
    written. With *strict* set to a manifest name, that field must be one of the class's; with
    *unknown* set (to the path of *data*), every field must be.

    Raises:
        PathError: *strict*, or with *unknown* any key of *data*, is not a field of *cls*; a
            value has the wrong shape (a string where a list goes) or is not a quantity.
    """
    by_wire = _by_wire(cls)
    if strict is not None and strict not in by_wire:
        raise PathError(strict, f"{cls.__name__} has no field {strict!r}")
    if unknown is not None:
        for key in data:
            if key not in by_wire:
                at = f"{unknown}.{key}" if unknown else str(key)
                raise PathError(at, f"{cls.__name__} has no field {key!r}")
    values: dict[str, Any] = {}
    extra_: dict[str, Any] = {}
    out: dict[str, Any] = {}
    pairs = data._data.items() if isinstance(data, FrozenMap) else data.items()
    for key, value in pairs:
        entry = by_wire.get(key)
        if entry is None or value is None:
            out[key] = extra_[key] = freeze(value)
            continue
        attr, convert, container, code, quantity = entry
        try:
            got = value if convert is None else convert(value)
        except PathError as exc:
            if not unknown:
                raise
            raise PathError(f"{unknown}.{exc.path}", exc.reason) from None
        if container and not got:
            out[key] = extra_[key] = got  # written empty: the attribute keeps its default
            continue
        values[attr] = got
        out[key] = _raw(code, got) if quantity else got
    if extra_:
        values["extra"] = FrozenMap._wrap(extra_)
    new: T = _FILL[cls](values)
    _set_data(new, out)
    return new


def decoded_builder(cls: type[T]) -> Callable[[dict[str, Any]], T]:
    """What :func:`build` does, for values the decoder has already decoded (frozen; nested
    objects of their classes; quantities as written): only quantities are converted, and the
    given dictionary becomes the object's mapping. Made once per class."""
    fields = {
        wire: (attr, convert if quantity else None, container)
        for wire, (attr, convert, container, _, quantity) in _by_wire(cls).items()
    }
    fill = _FILL[cls]
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
        new: T = fill(values)
        _set_data(new, out)
        return new

    return make
