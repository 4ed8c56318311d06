"""Request bodies of the TMF resource APIs: JSON with exact numbers, media types, RFC 7386 merge patch.

Numbers are read as `Decimal`, never float, so money stays exact. Stored documents hold JSON numbers
(`json_safe`), which is exact for up to 15 significant digits (a float's repr round-trips any such
decimal); longer numbers are refused at the edge, and `exact` turns stored numbers back into Decimals.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import Request

from runtime.api.errors import ApiError

JSON = frozenset({"application/json"})
MERGE_PATCH = frozenset({"application/json", "application/merge-patch+json"})


class BadBody(ApiError):
    status, code = 400, "INVALID_BODY"


class UnsupportedMediaType(ApiError):
    status, code = 415, "UNSUPPORTED_MEDIA_TYPE"


async def read_object(request: Request[Any, Any, Any], media_types: frozenset[str] = JSON) -> dict[str, Any]:
    """The body as a JSON object; anything else is a 400 (or a 415 for another media type)."""
    media_type = request.headers.get("content-type", "application/json").split(";", 1)[0].strip().lower()
    if media_type not in media_types:
        raise UnsupportedMediaType(
            f"content type {media_type!r} is not accepted; use {' or '.join(sorted(media_types))}"
        )
    return parse_object(await request.body())


def parse_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw, parse_float=_exact_number, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise BadBody(f"the body is not valid JSON: {error}", code="INVALID_JSON") from None
    if not isinstance(value, dict):
        raise BadBody(f"the body must be a JSON object, got {type(value).__name__}")
    return value


def _exact_number(text: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not number.is_finite() or Decimal(repr(float(number))) != number:
        raise ValueError(f"{text} has more than 15 significant digits or is out of range")
    return number


def _no_constant(text: str) -> Any:
    raise ValueError(f"{text} is not a JSON number")


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge key by key, null removes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def json_safe(value: Any) -> Any:
    """Decimals as JSON numbers, for the JSON columns (the audit log's too)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def exact(value: Any) -> Any:
    """Stored JSON numbers back as Decimals (integers stay int)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [exact(v) for v in value]
    return value
