"""Type checks of the values given for the generated classes (private): what
:func:`podmodel.model.nested.replace` refuses inside a probe, a toleration or a resource map,
as decoding refuses it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from podmodel.errors import Key, Segment
from podmodel.model._frozen import FrozenMap
from podmodel.model._generated import HOME
from podmodel.model._paths import PathError, render_path
from podmodel.model._quantity import Quantity, QuantityError
from podmodel.model._typed import WireObject, codes, lookup
from podmodel.model.schema import catalogue

__all__ = ["check_object", "check_value", "items_of", "wrong"]


def items_of(m: Mapping[str, Any]) -> Any:
    """*m*'s items (a generated object's ``items`` may be its field of that name)."""
    return FrozenMap.items(m) if isinstance(m, FrozenMap) else m.items()


def wrong(where: tuple[Segment, ...], expected: str, value: Any) -> PathError:
    found = {bool: "boolean", int: "integer", float: "number", str: "string"}.get(type(value))
    if value is None:
        found = "null"
    elif isinstance(value, Mapping):
        found = "map"
    elif isinstance(value, (list, tuple)):
        found = "list"
    shown = f"{found} {value!r}" if found in ("boolean", "integer", "number", "string") else found
    return PathError(
        render_path(where), f"expected {expected}, found {shown or type(value).__name__}"
    )


_SCALARS: dict[str, tuple[tuple[type, ...], str]] = {
    "s": ((str,), "a string"),
    "b": ((bool,), "a boolean"),
    "i": ((int,), "an integer"),
    "i32": ((int,), "an integer"),
    "n": ((int, float), "a number"),
    "is": ((int, str), "an integer or a string"),
}


def check_object(
    cls: type, data: Mapping[str, Any], where: tuple[Segment, ...], held: Mapping[str, Any]
) -> None:
    """Refuse, as for the hand-written classes, a field the generated class *cls* does not
    have (unless *held* already holds it: a Warn decode's unknown field) or a value of the
    wrong type, anywhere inside *data*."""
    fields = codes(cls)
    for k, v in items_of(data):
        code = fields.get(k)
        if code is None:
            if k in held:
                continue
            hint = catalogue().suggest(cls.__name__, k)
            reason = f"unknown field {k!r} of {cls.__name__}"
            raise PathError(
                render_path((*where, k)), f'{reason}; did you mean "{hint}"?' if hint else reason
            )
        check_value(v, code, (*where, k))


def check_value(v: Any, code: str, where: tuple[Segment, ...]) -> None:
    if v is None or code in ("o", "*"):
        return
    if code[0] == "[":
        if not isinstance(v, (list, tuple)):
            raise wrong(where, "a list", v)
        for i, item in enumerate(v):
            check_value(item, code[1:], (*where, i))
    elif code[0] == "{":
        if not isinstance(v, Mapping):
            raise wrong(where, "a map", v)
        for k, item in items_of(v):
            check_value(item, code[1:], (*where, Key(name=k)))
    elif code[0] == "@":
        cls = lookup(code[1:]) if code[1:] in HOME else None
        hand_written = attrs.has(type(v)) and not isinstance(v, WireObject)
        if cls is None or isinstance(v, cls) or hand_written:
            return  # its own class, or a hand-written one (ObjectMeta) that checks its own
        if not isinstance(v, Mapping):
            raise wrong(where, f"a {cls.__name__} or a map", v)
        check_object(cls, v, where, FrozenMap())
    elif code == "q":
        if type(v) not in (str, int, float, Quantity):
            raise wrong(where, "a quantity (a string or a number)", v)
        try:
            Quantity.parse(v)
        except QuantityError as exc:
            raise PathError(render_path(where), str(exc)) from None
    elif code in _SCALARS:
        types_, expected = _SCALARS[code]
        if (type(v) is bool and bool not in types_) or not isinstance(v, types_):
            raise wrong(where, expected, v)
