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

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

from podmodel.model._frozen import FrozenMap, freeze
from podmodel.model._paths import PathError
from podmodel.model._quantity import Quantity

__all__ = ["REGISTRY", "extra", "field", "from_wire", "register"]

T = TypeVar("T")

#: Definition name → generated class, filled as the generated modules are imported.
REGISTRY: dict[str, type] = {}


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
        if isinstance(value, Mapping) and not attrs.has(type(value)):
            return from_wire(REGISTRY[name], value)
        return value

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
