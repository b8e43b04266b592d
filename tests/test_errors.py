"""FieldError renders exactly as apimachinery's field.Error does, for every type."""

from __future__ import annotations

import pytest

from podmodel import ErrorType, FieldError, FieldPath
from podmodel.errors import go_quote, render_value

P = FieldPath(("spec", "containers", 0, "name"))


@pytest.mark.parametrize(
    ("etype", "value", "detail", "expected"),
    [
        (ErrorType.REQUIRED, None, "", "spec.containers[0].name: Required value"),
        (
            ErrorType.REQUIRED,
            None,
            "must specify a handler type",
            "spec.containers[0].name: Required value: must specify a handler type",
        ),
        (ErrorType.INVALID, "MyPod", "bad", 'spec.containers[0].name: Invalid value: "MyPod": bad'),
        (ErrorType.INVALID, 70000, "x", "spec.containers[0].name: Invalid value: 70000: x"),
        (ErrorType.INVALID, True, "x", "spec.containers[0].name: Invalid value: true: x"),
        (ErrorType.DUPLICATE, "c", "", 'spec.containers[0].name: Duplicate value: "c"'),
        (
            ErrorType.NOT_SUPPORTED,
            "x",
            'supported values: "A", "B"',
            'spec.containers[0].name: Unsupported value: "x": supported values: "A", "B"',
        ),
        (ErrorType.NOT_FOUND, "v", "", 'spec.containers[0].name: Not found: "v"'),
        (ErrorType.FORBIDDEN, None, "no", "spec.containers[0].name: Forbidden: no"),
        (
            ErrorType.TOO_LONG,
            "x" * 10,
            "may not be more than 5 bytes",
            "spec.containers[0].name: Too long: may not be more than 5 bytes",
        ),
        (
            ErrorType.TOO_MANY,
            12,
            "must have at most 10 items",
            "spec.containers[0].name: Too many: 12: must have at most 10 items",
        ),
        (ErrorType.INTERNAL, None, "boom", "spec.containers[0].name: Internal error: boom"),
    ],
)
def test_every_type_renders_like_kubernetes(
    etype: ErrorType, value: object, detail: str, expected: str
) -> None:
    assert str(FieldError(type=etype, field=P, bad_value=value, detail=detail)) == expected


def test_values_render_as_go_does() -> None:
    assert go_quote('a"b\\c\n\x00é') == '"a\\"b\\\\c\\n\\x00é"'
    assert render_value({"b": 1, "a": [True, None]}) == '{"a":[true,null],"b":1}'
    assert render_value(2.0) == "2"


def test_errors_are_hashable_values() -> None:
    a = FieldError(type=ErrorType.REQUIRED, field=P)
    assert a == FieldError(type=ErrorType.REQUIRED, field=P)
    assert len({a, FieldError(type=ErrorType.REQUIRED, field=P)}) == 1
    assert a.type.value == "FieldValueRequired"
