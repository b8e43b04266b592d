"""Shared pieces of the validation rules (private): the error collector and small checks.

Every rule module appends to an :class:`Errors` list in the order ``validation.go`` does; the
helpers here mirror ``field.Required``, ``field.Invalid``, ... and apimachinery's reusable
checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from podmodel.apiserver._names import is_dns1123_label, is_dns1123_subdomain
from podmodel.errors import ErrorType, FieldError, FieldPath

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["FILE_MODE_MSG", "NEGATIVE_MSG", "Errors", "no_backsteps", "not_supported_detail"]

NEGATIVE_MSG = "must be greater than or equal to 0"
FILE_MODE_MSG = "must be a number between 0 and 0777 (octal), both inclusive"


def not_supported_detail(values: Iterable[str]) -> str:
    """``supported values: "A", "B"`` (values already in the order Kubernetes lists them)."""
    return "supported values: " + ", ".join(f'"{v}"' for v in values)


class Errors(list[FieldError]):
    """An ordered error list with Kubernetes' constructors."""

    def required(self, path: FieldPath, detail: str = "", origin: str = "") -> None:
        self.append(FieldError(type=ErrorType.REQUIRED, field=path, detail=detail, origin=origin))

    def invalid(self, path: FieldPath, value: Any, detail: str, origin: str = "") -> None:
        self.append(
            FieldError(
                type=ErrorType.INVALID, field=path, bad_value=value, detail=detail, origin=origin
            )
        )

    def duplicate(self, path: FieldPath, value: Any, origin: str = "") -> None:
        self.append(
            FieldError(type=ErrorType.DUPLICATE, field=path, bad_value=value, origin=origin)
        )

    def not_found(self, path: FieldPath, value: Any, origin: str = "") -> None:
        self.append(
            FieldError(type=ErrorType.NOT_FOUND, field=path, bad_value=value, origin=origin)
        )

    def forbidden(self, path: FieldPath, detail: str, origin: str = "") -> None:
        self.append(FieldError(type=ErrorType.FORBIDDEN, field=path, detail=detail, origin=origin))

    def not_supported(
        self, path: FieldPath, value: Any, supported: Iterable[str], origin: str = ""
    ) -> None:
        self.append(
            FieldError(
                type=ErrorType.NOT_SUPPORTED,
                field=path,
                bad_value=value,
                detail=not_supported_detail(supported),
                origin=origin,
            )
        )

    def too_long(self, path: FieldPath, limit: int, origin: str = "") -> None:
        unit = "byte" if limit == 1 else "bytes"
        self.append(
            FieldError(
                type=ErrorType.TOO_LONG,
                field=path,
                detail=f"may not be more than {limit} {unit}",
                origin=origin,
            )
        )

    def label(self, path: FieldPath, value: str, origin: str) -> None:
        """``ValidateDNS1123Label``: one Invalid per failing rule."""
        for msg in is_dns1123_label(value):
            self.invalid(path, value, msg, origin)

    def subdomain(self, path: FieldPath, value: str, origin: str) -> None:
        """``NameIsDNSSubdomain`` (prefix=false): one Invalid per failing rule."""
        for msg in is_dns1123_subdomain(value):
            self.invalid(path, value, msg, origin)

    def nonnegative(self, path: FieldPath, value: Any, origin: str) -> None:
        if isinstance(value, int) and value < 0:
            self.invalid(path, value, NEGATIVE_MSG, origin)

    def file_mode(self, path: FieldPath, value: Any, origin: str) -> None:
        if isinstance(value, int) and not 0 <= value <= 0o777:
            self.invalid(path, value, FILE_MODE_MSG, origin)


def no_backsteps(value: str) -> bool:
    """True when no ``/``-separated element of *value* is ``..`` (``validatePathNoBacksteps``)."""
    return ".." not in value.replace("\\", "/").split("/")


def local_descending_path(errs: Errors, value: str, path: FieldPath, origin: str) -> None:
    """``validateLocalDescendingPath``: relative, and no ``..`` element."""
    if value.startswith("/"):
        errs.invalid(path, value, "must be a relative path", origin + ".absolute")
    if not no_backsteps(value):
        errs.invalid(path, value, "must not contain '..'", origin + ".backsteps")


def local_non_reserved_path(errs: Errors, value: str, path: FieldPath, origin: str) -> None:
    """``ValidateLocalNonReservedPath``: as above, and not starting with ``..``."""
    local_descending_path(errs, value, path, origin)
    if value.startswith("..") and not value.startswith("../"):
        errs.invalid(path, value, "must not start with '..'", origin + ".dotdot")
