"""A persistent (immutable, structurally shared) hash map (private).

``PMap.set`` and ``PMap.delete`` return a new map that shares all but one path of its 32-way hash
trie with the old one, so an update costs O(log32 n) (at most 7 levels for any size), not a copy
of the whole map: the network namespace and the file trees rely on this to keep every operation
flat as they grow. Iteration order is the hash order, not insertion order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar

__all__ = ["PMap"]

K = TypeVar("K")
V = TypeVar("V")

_BITS = 5
_WIDTH = 1 << _BITS
_MASK = _WIDTH - 1
_MAX_SHIFT = 60  # below this depth, colliding keys share one leaf bucket
_EMPTY_NODE: tuple[Any, ...] = (None,) * _WIDTH


def _set(
    node: tuple[Any, ...], h: int, shift: int, key: Any, value: Any
) -> tuple[tuple[Any, ...], bool]:
    """Return (new node, whether the key was added)."""
    i = (h >> shift) & _MASK
    slot = node[i]
    if slot is None:
        new: Any = (key, value)
        added = True
    elif type(slot) is list:  # a full collision bucket: [(k, v), ...]
        bucket = [(k, v) for k, v in slot if k != key]
        added = len(bucket) == len(slot)
        bucket.append((key, value))
        new = bucket
    elif type(slot) is tuple and len(slot) == 2:  # a single entry
        k, v = slot
        if k == key:
            if v is value:
                return node, False
            new, added = (key, value), False
        elif shift >= _MAX_SHIFT:
            new, added = [slot, (key, value)], True
        else:
            child, _ = _set(_EMPTY_NODE, hash(k), shift + _BITS, k, v)
            new, added = _set(child, h, shift + _BITS, key, value)
    else:  # a child node
        new, added = _set(slot, h, shift + _BITS, key, value)
    return (*node[:i], new, *node[i + 1 :]), added


def _get(node: tuple[Any, ...], h: int, key: Any) -> Any:
    shift = 0
    while True:
        slot = node[(h >> shift) & _MASK]
        if slot is None:
            raise KeyError(key)
        if type(slot) is list:
            for k, v in slot:
                if k == key:
                    return v
            raise KeyError(key)
        if len(slot) == 2:
            if slot[0] == key:
                return slot[1]
            raise KeyError(key)
        node = slot
        shift += _BITS


def _delete(node: tuple[Any, ...], h: int, shift: int, key: Any) -> tuple[Any, ...] | None:
    """The node without *key* (``None`` when it became empty); raises KeyError if absent."""
    i = (h >> shift) & _MASK
    slot = node[i]
    if slot is None:
        raise KeyError(key)
    if type(slot) is list:
        bucket = [(k, v) for k, v in slot if k != key]
        if len(bucket) == len(slot):
            raise KeyError(key)
        new: Any = bucket[0] if len(bucket) == 1 else bucket
    elif len(slot) == 2:
        if slot[0] != key:
            raise KeyError(key)
        new = None
    else:
        new = _delete(slot, h, shift + _BITS, key)
    out = (*node[:i], new, *node[i + 1 :])
    return None if out == _EMPTY_NODE else out


def _items(node: tuple[Any, ...]) -> Iterator[tuple[Any, Any]]:
    for slot in node:
        if slot is None:
            continue
        if type(slot) is list:
            yield from slot
        elif len(slot) == 2:
            yield slot
        else:
            yield from _items(slot)


class PMap(Mapping[K, V], Generic[K, V]):
    """An immutable hash map with O(log n) ``set``/``delete`` that share structure.

    >>> m = PMap().set("a", 1).set("b", 2)
    >>> m["a"], len(m), m.delete("a") == {"b": 2}, m == {"a": 1, "b": 2}
    (1, 2, True, True)
    """

    __slots__ = ("_hash", "_len", "_root")

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        root, n = _EMPTY_NODE, 0
        for k, v in (data or {}).items():
            root, added = _set(root, hash(k), 0, k, v)
            n += added
        self._root: tuple[Any, ...] = root
        self._len = n
        self._hash: int | None = None

    @classmethod
    def _make(cls, root: tuple[Any, ...] | None, n: int) -> PMap[K, V]:
        self = cls.__new__(cls)
        self._root = _EMPTY_NODE if root is None else root
        self._len = n
        self._hash = None
        return self

    def __getitem__(self, key: K) -> V:
        return _get(self._root, hash(key), key)  # type: ignore[no-any-return]

    def get(self, key: K, default: Any = None) -> Any:
        try:
            return _get(self._root, hash(key), key)
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        try:
            _get(self._root, hash(key), key)
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[K]:
        return (k for k, _ in _items(self._root))

    def items(self) -> Any:
        """The (key, value) pairs, in hash order."""
        return list(_items(self._root))

    def __len__(self) -> int:
        return self._len

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PMap):
            if self._root is other._root:
                return True
            return self._len == other._len and dict(_items(self._root)) == dict(_items(other._root))
        if isinstance(other, Mapping):
            return dict(_items(self._root)) == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(_items(self._root)))
        return self._hash

    def __repr__(self) -> str:
        return f"PMap({dict(_items(self._root))!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PMap, (dict(_items(self._root)),))

    def set(self, key: K, value: V) -> PMap[K, V]:
        """A map with *key* set to *value* (this one is unchanged)."""
        root, added = _set(self._root, hash(key), 0, key, value)
        if root is self._root:
            return self
        return PMap._make(root, self._len + added)

    def delete(self, key: K) -> PMap[K, V]:
        """A map without *key*; a missing key is not an error."""
        try:
            root = _delete(self._root, hash(key), 0, key)
        except KeyError:
            return self
        return PMap._make(root, self._len - 1)
