"""The pieces TMF620 bodies are read with: typed values, objects with known fields, lists, refs, and
JSON merge patch (RFC 7386). Each converter takes the value and its path (for the error message) and gives
the spec's form of it; what does not fit is a TMF Error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from runtime.api.errors import ApiError, Unprocessable

Converter = Callable[[Any, str], Any]


class InvalidBody(ApiError):
    status, code = 400, "INVALID_BODY"


class UnsupportedField(Unprocessable):
    code = "UNSUPPORTED_FIELD"


def text(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise InvalidBody(f"{path} must be a string")
    return value


def boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidBody(f"{path} must be true or false")
    return value


def integer(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidBody(f"{path} must be an integer")
    return value


def number(value: Any, path: str) -> Decimal | int:
    """An exact number; a quoted decimal is accepted as the spec language accepts it."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float | str):
        raise InvalidBody(f"{path} must be a number")
    if isinstance(value, int):
        return value
    try:
        exact = Decimal(repr(value) if isinstance(value, float) else value)
    except InvalidOperation:
        raise InvalidBody(f"{path} must be a number, got {value!r}") from None
    if not exact.is_finite():
        raise InvalidBody(f"{path} must be a finite number")
    return Decimal(format(exact, "f"))


def scalar(value: Any, path: str) -> Any:
    if isinstance(value, str | bool):
        return value
    return number(value, path)


def raw(value: Any, _: str) -> Any:
    return value


def obj(
    fields: Mapping[str, Converter],
    *,
    required: tuple[str, ...] = (),
    ignored: frozenset[str] = frozenset(),
    renamed: Mapping[str, str] | None = None,
) -> Converter:
    """A JSON object with these fields (renamed where the spec name differs); a null value is kept.

    `required` names only what the conversion itself needs (a ref's id): the spec's own required fields
    are the validator's to report, as a draft may be incomplete and a merge patch is partial.
    """

    def convert(value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise InvalidBody(f"{path} must be an object")
        missing = [name for name in required if value.get(name) is None]
        if missing:
            raise InvalidBody(f"{path} needs {', '.join(missing)}")
        result: dict[str, Any] = {}
        for key, item in value.items():
            if key in ignored:
                continue
            if key not in fields:
                raise InvalidBody(f"{path}.{key} is not a field Switchboard reads here")
            name = (renamed or {}).get(key, key)
            result[name] = None if item is None else fields[key](item, f"{path}.{key}")
        return result

    return convert


def list_of(item: Converter) -> Converter:
    def convert(value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise InvalidBody(f"{path} must be a list")
        # A null inside a list element means absent: arrays are replaced whole, never merged.
        return [_without_nulls(item(element, f"{path}[{i}]")) for i, element in enumerate(value)]

    return convert


def _without_nulls(value: Any) -> Any:
    return merge_patch({}, value) if isinstance(value, dict) else value


REF_KEYS = frozenset({"href", "name", "version", "@referredType", "@type", "@baseType", "@schemaLocation"})
TYPE_KEYS = frozenset({"@type", "@baseType", "@schemaLocation"})
_REF = obj({"id": text}, required=("id",), ignored=REF_KEYS)


def ref_id(value: Any, path: str) -> str:
    """The id a TMF ref names."""
    return str(_REF(value, path)["id"])


# What a converter returns for a field that is checked but has no place in the spec.
CHECKED_ONLY = object()


def only_false(value: Any, path: str) -> object:
    if boolean(value, path):
        raise UnsupportedField(
            f"{path} must be false: Switchboard bundles offerings, not prices or specifications"
        )
    return CHECKED_ONLY


def unit_quantity(value: Any, path: str) -> str:
    """A Quantity's units; the model prices per one unit, so an amount other than 1 is refused."""
    quantity = obj({"amount": number, "units": text}, required=("units",))(value, path)
    if quantity.get("amount") not in (None, 1):
        raise UnsupportedField(f"{path}.amount must be 1: Switchboard prices per one unit of measure")
    return str(quantity["units"])


MONEY = obj({"unit": text, "value": number})
TIME_PERIOD = obj({"startDateTime": text, "endDateTime": text})
REFS = list_of(ref_id)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge member by member, null removes a member, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
