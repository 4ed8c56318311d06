"""Validating request bodies against the official TMF definitions, strictly.

The swagger definitions allow any extra attribute; a request body may not carry one (a typo would vanish
silently). So every object definition is closed (`additionalProperties: false`, keeping the `@type`
family of attributes everywhere) and `date-time` strings must parse. Responses are checked against the
unmodified definitions (`runtime.tmf.contract`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any

from jsonschema import Draft4Validator, FormatChecker

from runtime.customers.body import BadBody
from runtime.tmf.contract import swagger

META = {"@type": {"type": "string"}, "@baseType": {"type": "string"}, "@schemaLocation": {"type": "string"}}

_formats = FormatChecker(formats=())


@_formats.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if isinstance(value, str):
        datetime.fromisoformat(value)
    return True


@cache
def _closed_definitions(api: str) -> dict[str, Any]:
    definitions: dict[str, Any] = copy.deepcopy(swagger(api)["definitions"])
    for definition in definitions.values():
        if "properties" in definition:
            definition["properties"] = {**META, **definition["properties"]}
            definition["additionalProperties"] = False
    return definitions


@cache
def _validator(api: str, definition: str) -> Draft4Validator:
    schema = {"definitions": _closed_definitions(api), "$ref": f"#/definitions/{definition}"}
    return Draft4Validator(schema, format_checker=_formats)


def properties(api: str, definition: str) -> frozenset[str]:
    """The attribute names of an official definition (plus the `@type` family)."""
    return frozenset(swagger(api)["definitions"][definition]["properties"]) | frozenset(META)


def require_conforming(api: str, definition: str, body: Any) -> None:
    """Raise a 400 naming every place where `body` breaks the closed definition."""
    errors = sorted(_validator(api, definition).iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        problems = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors[:10]]
        raise BadBody(f"the body does not conform to {api} {definition}: " + "; ".join(problems))


def require_only(body: dict[str, Any], allowed: Iterable[str], what: str) -> None:
    """Refuse top-level attributes outside `allowed` (read-only or unsupported ones)."""
    extra = sorted(set(body) - set(allowed))
    if extra:
        raise BadBody(f"{what}: {', '.join(extra)}")
