"""Hashable, immutable containers shared by every layer (private).

:class:`FrozenMap` is the mapping type of the whole model: it is a read-only
:class:`collections.abc.Mapping`, keeps insertion order, compares equal to any mapping with the
same items, and hashes when its values hash. :func:`freeze` turns plain JSON-like data (dicts,
lists) into ``FrozenMap`` and tuples; :func:`thaw` turns it back.
"""

from __future__ import annotations

from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping, ValuesView
from types import MemberDescriptorType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import attrs

from podmodel.model._quantity import Quantity

__all__ = ["FrozenMap", "JSONValue", "filler", "freeze", "replace", "replacer", "thaw"]

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")

#: What a frozen JSON value may be: ``None``, ``bool``, ``int``, ``float``, ``str``, tuples and
#: ``FrozenMap`` of those.
JSONValue = Any


if TYPE_CHECKING:
    _MappingBase = Mapping
else:

    class _MappingBase(Generic[K, V]):
        """FrozenMap's runtime base: a plain class, registered as a ``Mapping`` below, so that
        ``isinstance(x, FrozenMap)`` (validation asks it at every step) does not go through
        ``ABCMeta.__instancecheck__`` when *x* is something else."""

        __slots__ = ()


class FrozenMap(_MappingBase[K, V]):
    """An immutable, hashable mapping that keeps insertion order.

    >>> m = FrozenMap({"app": "web"})
    >>> m["app"], len(m), m == {"app": "web"}
    ('web', 1, True)
    >>> hash(m) == hash(FrozenMap({"app": "web"}))
    True

    .. versionadded:: 0.1.0
    """

    # ``get`` is a slot holding the dict's own bound ``get``: ``Mapping.get``, called without
    # a Python frame (validation calls it about 80 times per pod).
    __slots__ = ("_data", "_hash", "get")

    _data: dict[K, V]
    _hash: int | None

    if TYPE_CHECKING:

        def get(self, key: K, default: Any = None) -> Any:
            """``Mapping.get``."""

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        own: dict[K, V] = dict(data) if data else {}
        object.__setattr__(self, "_data", own)
        object.__setattr__(self, "_hash", None)
        object.__setattr__(self, "get", own.get)

    @classmethod
    def _wrap(cls, data: dict[K, V]) -> FrozenMap[K, V]:
        """Adopt *data* without copying (the caller gives up its reference)."""
        self = cls.__new__(cls)
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_hash", None)
        object.__setattr__(self, "get", data.get)
        return self

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    # The dict's own read-only views: the ABC's generic ones iterate in Python, key by key.
    def keys(self) -> KeysView[K]:
        return self._data.keys()

    def items(self) -> ItemsView[K, V]:
        return self._data.items()

    def values(self) -> ValuesView[V]:
        return self._data.values()

    __reversed__ = None  # as for any Mapping: no order to reverse

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            h = hash(frozenset(self._data.items()))
            object.__setattr__(self, "_hash", h)
        return h

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"FrozenMap is immutable: cannot set {name!r}"
        raise AttributeError(msg)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._data,))

    def set(self, key: K, value: V) -> FrozenMap[K, V]:
        """Return a copy with *key* set to *value*.

        >>> FrozenMap({"a": 1}).set("b", 2)
        FrozenMap({'a': 1, 'b': 2})
        """
        data = dict(self._data)
        data[key] = value
        return FrozenMap._wrap(data)

    def delete(self, key: K) -> FrozenMap[K, V]:
        """Return a copy without *key* (a missing key is not an error)."""
        data = dict(self._data)
        data.pop(key, None)
        return FrozenMap._wrap(data)


Mapping.register(FrozenMap)


def freeze(value: Any) -> Any:
    """Turn JSON-like data into nested ``FrozenMap`` and tuples.

    >>> freeze({"a": [1, {"b": 2}]})
    FrozenMap({'a': (1, FrozenMap({'b': 2}))})
    """
    t = type(value)
    if t is str or t is int or t is bool or t is float or value is None or t is FrozenMap:
        return value  # a FrozenMap only ever holds frozen values
    if t is tuple and not any(type(v) in _MUTABLE for v in value):
        return value
    if isinstance(value, FrozenMap):  # a typed model object is one, and frozen already
        return value
    if isinstance(value, Mapping):
        return FrozenMap._wrap({k: freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple([freeze(v) for v in value])
    return value


_MUTABLE = frozenset({dict, list})


@overload
def thaw(value: FrozenMap[Any, Any]) -> dict[str, Any]: ...
@overload
def thaw(value: Any) -> Any: ...
def thaw(value: Any) -> Any:
    """Turn frozen data back into plain ``dict`` and ``list``.

    >>> thaw(freeze({"a": [1, {"b": 2}]}))
    {'a': [1, {'b': 2}]}
    """
    if isinstance(value, FrozenMap):  # (a typed object's ``items`` may be its field)
        return {k: thaw(v) for k, v in value._data.items()}
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    if type(value) is Quantity:
        return value.raw  # as written
    return value


_REPLACERS: dict[type, Callable[[Any, dict[str, Any]], Any]] = {}


def replace(inst: T, **changes: Any) -> T:
    """``attrs.evolve`` for podmodel's frozen, slotted classes, without re-running ``__init__``
    (no converters, no validators, no ``__attrs_post_init__``): the caller passes values already
    in their final form. Keywords are the ``__init__`` names, as for ``evolve`` (a private
    ``_x`` is changed as ``x``); an unknown keyword raises ``TypeError``. Several times faster
    than ``evolve``; defaulting and every simulated step use it.

    >>> import attrs
    >>> @attrs.frozen
    ... class P:
    ...     a: int
    ...     _b: tuple[int, ...] = ()
    >>> replace(P(1, (2,)), a=3)
    P(a=3, _b=(2,))
    >>> replace(P(1), b=(4,))
    P(a=1, _b=(4,))
    >>> replace(P(1), c=2)
    Traceback (most recent call last):
    TypeError: P has no field c
    """
    cls = type(inst)
    replacer = _REPLACERS.get(cls)
    if replacer is None:
        replacer = _REPLACERS[cls] = _replacer(cls)
    return replacer(inst, changes)  # type: ignore[no-any-return]


def _replacer(cls: type) -> Callable[[Any, dict[str, Any]], Any]:
    """A function made for *cls* (one line per field), as attrs makes its ``__init__``."""
    fields = [(f.name, f.alias or f.name) for f in attrs.fields(cls)]
    keywords = frozenset(keyword for _, keyword in fields)
    namespace: dict[str, Any] = {
        "new_": object.__new__,
        "set_": object.__setattr__,
        "cls": cls,
        "keywords": keywords,
    }
    lines = ["def replace(inst, changes):", "    new = new_(cls)", "    get = changes.get"]
    lines += _set_lines(
        cls,
        fields,
        {keyword: f"get({keyword!r}, inst.{name})" for name, keyword in fields},
        namespace,
    )
    if hasattr(cls, "_refresh"):  # a typed object that is also its manifest mapping
        lines.append("    new._refresh()")
    lines += [
        "    if not changes.keys() <= keywords:",
        "        unknown = ', '.join(sorted(set(changes) - keywords))",
        "        raise TypeError(f'{cls.__name__} has no field {unknown}')",
        "    return new",
    ]
    exec("\n".join(lines), namespace)  # the source holds only attrs field names
    return namespace["replace"]  # type: ignore[no-any-return]


def _set_lines(
    cls: type, fields: list[tuple[str, str]], values: dict[str, str], namespace: dict[str, Any]
) -> list[str]:
    """The body of a copier of *cls*: one line setting each field of *fields* (name, keyword)
    on ``new``, to the expression ``values[keyword]`` or, without one, ``inst``'s own value.
    A slot's setter goes into *namespace* (it skips a type lookup)."""
    lines = []
    for name, keyword in fields:
        if not name.isidentifier():  # pragma: no cover - attrs field names are identifiers
            raise TypeError(f"{cls.__name__}.{name} is not an identifier")
        value = values.get(keyword, f"inst.{name}")
        slot = getattr(cls, name, None)
        if type(slot) is MemberDescriptorType:
            namespace[f"set_{name}"] = slot.__set__
            lines.append(f"    set_{name}(new, {value})")
        else:
            lines.append(f"    set_(new, {name!r}, {value})")
    return lines


def replacer(cls: type[T], *keywords: str) -> Callable[..., T]:
    """A function ``f(inst, v1, v2, ...)`` equal to ``replace(inst, k1=v1, k2=v2, ...)`` for
    these *keywords* of *cls*, taking the new values positionally: made once for a hot path
    (defaulting copies every container), it builds no keyword dictionary and looks no field
    up in one; every other field is copied as it is.

    >>> @attrs.frozen
    ... class P:
    ...     a: int
    ...     b: int = 0
    >>> set_b = replacer(P, "b")
    >>> set_b(P(1, 2), 5)
    P(a=1, b=5)
    >>> replacer(P, "c")
    Traceback (most recent call last):
    TypeError: P has no field c
    """
    klass: Any = cls  # an attrs class (type[T] says nothing of it)
    fields = [(f.name, f.alias or f.name) for f in attrs.fields(klass)]
    unknown = sorted(set(keywords) - {keyword for _, keyword in fields})
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(unknown)}")
    arg = {keyword: f"v{i}" for i, keyword in enumerate(keywords)}
    namespace: dict[str, Any] = {"new_": object.__new__, "set_": object.__setattr__, "cls": cls}
    lines = [f"def replacer(inst, {', '.join(arg.values())}):", "    new = new_(cls)"]
    lines += _set_lines(cls, fields, arg, namespace)
    if hasattr(cls, "_refresh"):
        lines.append("    new._refresh()")
    lines.append("    return new")
    exec("\n".join(lines), namespace)  # the source holds only attrs field names
    return namespace["replacer"]  # type: ignore[no-any-return]


def filler(prototype: T) -> Callable[[dict[str, Any]], T]:
    """A function ``f(values)`` equal to ``replace(prototype, **values)`` for *values* keyed by
    attribute names of the class (unchecked: the caller knows them), made for the decoder: it
    sets every attribute to the prototype's value, then each given one, so that an object of a
    class with dozens of unset fields (a ``PodSpec``) costs one slot write per field and no
    dictionary lookup.

    >>> @attrs.frozen
    ... class P:
    ...     a: int = 0
    ...     b: tuple[int, ...] = ()
    >>> filler(P())({"b": (1,)})
    P(a=0, b=(1,))
    """
    cls = type(prototype)
    klass: Any = cls
    namespace: dict[str, Any] = {"new_": object.__new__, "cls": cls}
    lines = ["def fill(values):", "    new = new_(cls)"]
    setters: dict[str, Any] = {}
    for i, f in enumerate(attrs.fields(klass)):
        slot = getattr(cls, f.name, None)
        if type(slot) is not MemberDescriptorType:  # pragma: no cover - slotted classes only
            raise TypeError(f"{cls.__name__}.{f.name} is not a slot")
        namespace[f"set_{i}"] = slot.__set__
        namespace[f"d_{i}"] = getattr(prototype, f.name)
        setters[f.name] = slot.__set__
        lines.append(f"    set_{i}(new, d_{i})")
    namespace["setters"] = setters
    lines += [
        "    for name, value in values.items():",
        "        setters[name](new, value)",
        "    return new",
    ]
    exec("\n".join(lines), namespace)  # the source holds only generated names
    return namespace["fill"]  # type: ignore[no-any-return]
