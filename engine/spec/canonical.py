"""The canonical JSON of a spec document and the content hashes built on it.

Canonical JSON: object keys sorted (by code point), no whitespace, UTF-8 text unescaped. It depends on
content only, never on file names, YAML formatting, comments, key order or quoting. Values the schema
declares decimal (`"format": "decimal"`: money, quantities, rates) are written as strings in normalised
plain notation: `12.50`, `"12.5"` and `12.500` all become `"12.5"`, `1e3` and `"1000.00"` become `"1000"`.
Any other non-integral number stays a JSON number in plain notation with at least one decimal (`2.0`),
so reading the canonical JSON back gives the same values and types, and the same hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from referencing._core import Resolver  # the public package re-exports Registry, not Resolver

from engine.spec.common import Kind
from engine.spec.parse_schema import kind_schema, schema_registry

Location = tuple[str | int, ...]


def canonical_json(document: Any) -> str:
    """The canonical JSON text of a document (plain data as the located loader builds it)."""
    return _dump(document, (), _decimal_locations(document))


def document_digest(document: Any) -> str:
    """SHA-256 (hex) of the document's canonical JSON: equal digests mean equal content."""
    return _sha256(canonical_json(document))


def release_hash(manifest_digest: str, entity_digests: Iterable[str]) -> str:
    """The release `contentHash`: SHA-256 of the manifest digest and the sorted entity digests."""
    return _sha256(canonical_json({"manifest": manifest_digest, "entities": sorted(entity_digests)}))


def canonical_decimal(number: Decimal) -> str:
    """Normalised plain notation: no exponent, no trailing zeros, `0` for every zero."""
    if not number.is_finite():
        raise ValueError(f"{number} has no canonical form")
    if number == 0:
        return "0"
    return format(number.normalize(), "f")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _dump(value: Any, at: Location, decimals: frozenset[Location]) -> str:
    if at in decimals and (number := _as_decimal(value)) is not None:
        return json.dumps(canonical_decimal(number))
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = canonical_decimal(value)
        return text if "." in text else f"{text}.0"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        members = (
            f"{json.dumps(str(key), ensure_ascii=False)}:{_dump(item, (*at, key), decimals)}"
            for key, item in sorted(value.items())
        )
        return "{" + ",".join(members) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_dump(item, (*at, i), decimals) for i, item in enumerate(value)) + "]"
    # Floats included: a binary float is never an exact amount, so it has no place in a spec.
    raise TypeError(f"{type(value).__name__} has no canonical JSON form")


def _as_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _decimal_locations(document: Any) -> frozenset[Location]:
    """Where the document's kind schema declares decimal values; none for a document of no known kind."""
    kind = document.get("kind") if isinstance(document, Mapping) else None
    if not isinstance(kind, str) or kind not in Kind.__members__:
        return frozenset()
    schema = kind_schema(Kind(kind))
    found: set[Location] = set()
    _walk(document, schema, schema_registry().resolver(base_uri=str(schema["$id"])), (), found)
    return frozenset(found)


def _walk(instance: Any, schema: Any, resolver: Resolver[Any], at: Location, found: set[Location]) -> None:
    # Every branch (allOf/anyOf/oneOf, then/else) is followed: in the spec schemas no branch declares a
    # decimal where another declares something else, so no branch needs choosing.
    if not isinstance(schema, Mapping):
        return
    if "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        _walk(instance, resolved.contents, resolved.resolver, at, found)
    if schema.get("format") == "decimal":
        found.add(at)
    branches = [*schema.get("allOf", ()), *schema.get("anyOf", ()), *schema.get("oneOf", ())]
    branches += [schema[key] for key in ("then", "else") if key in schema]
    for branch in branches:
        _walk(instance, branch, resolver, at, found)
    if isinstance(instance, Mapping):
        properties, extra = schema.get("properties", {}), schema.get("additionalProperties")
        for key, value in instance.items():
            sub = properties.get(key, extra)
            _walk(value, sub, resolver, (*at, key), found)
    elif isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            _walk(item, schema["items"], resolver, (*at, i), found)
