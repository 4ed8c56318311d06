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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from json.encoder import encode_basestring
from typing import Any

from engine.spec.common import Kind
from engine.spec.parse_schema import kind_schema, schema_refs


def canonical_json(document: Any) -> str:
    """The canonical JSON text of a document (plain data as the located loader builds it)."""
    return _dump(document, _root(document))


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


@dataclass(eq=False)
class _Place:
    """A place in documents of one kind, as far as decimals go: whether the schemas that apply there
    declare a decimal, whether any place below does, and where each member or list item is."""

    decimal: bool = False
    inert: bool = True  # no decimal here or below: the value is written as it is
    named: dict[Any, _Place] = field(default_factory=dict)
    other: _Place | None = None  # the place of a member not named
    item: _Place | None = None


_NOWHERE = _Place()  # in a document of no known kind


def _root(document: Any) -> _Place:
    kind = document.get("kind") if isinstance(document, Mapping) else None
    if not isinstance(kind, str) or kind not in Kind.__members__:
        return _NOWHERE
    return _roots()[Kind(kind)]


def _dump(value: Any, place: _Place) -> str:
    if place.inert:
        return _plain(value)
    if place.decimal and (number := _as_decimal(value)) is not None:
        return encode_basestring(canonical_decimal(number))
    if isinstance(value, Mapping):
        named, other = place.named, place.other or _NOWHERE
        members = [
            f"{encode_basestring(str(k))}:{_dump(v, named.get(k, other))}" for k, v in sorted(value.items())
        ]
        return "{" + ",".join(members) + "}"
    if isinstance(value, list):
        item = place.item or _NOWHERE
        return "[" + ",".join([_dump(v, item) for v in value]) + "]"
    return _plain(value)


def _plain(value: Any) -> str:
    if type(value) is str:
        return encode_basestring(value)
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
        return encode_basestring(value)
    if isinstance(value, Mapping):
        return (
            "{"
            + ",".join([f"{encode_basestring(str(k))}:{_plain(v)}" for k, v in sorted(value.items())])
            + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ",".join([_plain(v) for v in value]) + "]"
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


@cache
def _roots() -> Mapping[Kind, _Place]:
    """The root place of each kind, derived once from its schema.

    The schemas that apply at a place are those applying at its parent through `properties` (or else
    `additionalProperties`) for a member and `items` for a list item, with every `$ref`, every branch
    (allOf/anyOf/oneOf, then/else) followed: in the spec schemas no branch declares a decimal where another
    declares something else, so no branch needs choosing. Places with the same schemas are one place, so
    the recursive condition trees make a finite graph.
    """
    places: dict[frozenset[int], _Place] = {}

    def place(seeds: Iterable[Any]) -> _Place:
        schemas = _closure(seeds)
        key = frozenset(schemas)
        if key in places:
            return places[key]
        found = places[key] = _Place(decimal=any(s.get("format") == "decimal" for s in schemas.values()))
        names = {name: None for s in schemas.values() for name in s.get("properties", {})}
        for name in names:
            found.named[name] = place(
                [s.get("properties", {}).get(name, s.get("additionalProperties")) for s in schemas.values()]
            )
        found.other = place([s.get("additionalProperties") for s in schemas.values()])
        found.item = place([s["items"] for s in schemas.values() if "items" in s])
        return found

    roots = {kind: place([kind_schema(kind)]) for kind in Kind}
    for each in places.values():
        each.inert = not each.decimal
    changed = True
    while changed:  # a place holding a decimal somewhere below is not inert
        changed = False
        for each in places.values():
            below = [*each.named.values(), each.other, each.item]
            if each.inert and any(p is not None and not p.inert for p in below):
                each.inert, changed = False, True
    return roots


def _closure(seeds: Iterable[Any]) -> dict[int, Mapping[str, Any]]:
    """The schemas among `seeds` with those their `$ref`s and branches lead to, by id()."""
    refs = schema_refs()
    found: dict[int, Mapping[str, Any]] = {}
    todo = list(seeds)
    while todo:
        schema = todo.pop()
        if not isinstance(schema, Mapping) or id(schema) in found:
            continue
        found[id(schema)] = schema
        if "$ref" in schema:
            todo.append(refs[id(schema)])
        todo += [*schema.get("allOf", ()), *schema.get("anyOf", ()), *schema.get("oneOf", ())]
        todo += [schema[key] for key in ("then", "else") if key in schema]
    return found
