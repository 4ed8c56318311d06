"""TMF620 JSON into spec documents: the inverse of the projection, for drafts.

Each resource reads the fields its projection writes, under the same names: refs give back their ids, a
Quantity its units, everything else its spec shape. Read-only fields (href, lastUpdate, what a category
lists, a matrix price's `prodSpecCharValueUse`, `draft`) are accepted and ignored so a body read can be
sent back. Anything else is refused: a field TMF defines that the model does not have is a 422, an unknown
field or a wrong type a 400. Nothing here checks the spec's own rules; that is the store's and the
validator's work, and a draft may be incomplete.

A `null` deletes the field (JSON merge patch, RFC 7386); a new document is a merge patch applied to `{}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.spec.common import API_VERSION, Kind
from runtime.catalog.tmf620_common import tmf_name, type_fields
from runtime.catalog.tmf620_convert import (
    CHECKED_ONLY,
    MONEY,
    REF_KEYS,
    REFS,
    TIME_PERIOD,
    TYPE_KEYS,
    Converter,
    InvalidBody,
    UnsupportedField,
    boolean,
    integer,
    list_of,
    merge_patch,
    number,
    obj,
    only_false,
    raw,
    ref_id,
    scalar,
    text,
    unit_quantity,
)
from runtime.tmf.contract import swagger

COMMON: Mapping[str, Converter] = {
    "name": text,
    "description": text,
    "lifecycleStatus": text,
    "validFor": TIME_PERIOD,
}
COMMON_IGNORED = frozenset({"href", "lastUpdate", "@baseType", "@schemaLocation", "draft"})

_OPTION = obj(
    {
        "numberRelOfferLowerLimit": integer,
        "numberRelOfferUpperLimit": integer,
        "numberRelOfferDefault": integer,
    },
    ignored=TYPE_KEYS,
)
OFFERING: Mapping[str, Converter] = {
    "isBundle": boolean,
    "isSellable": boolean,
    "productSpecification": ref_id,
    "category": REFS,
    "channel": REFS,
    "marketSegment": REFS,
    "productOfferingPrice": REFS,
    "bundledProductOffering": list_of(
        obj(
            {"id": text, "bundledProductOfferingOption": _OPTION},
            required=("id",),
            ignored=REF_KEYS | {"lifecycleStatus"},
        )
    ),
    "productOfferingRelationship": list_of(
        obj({"id": text, "relationshipType": text}, required=("id",), ignored=REF_KEYS)
    ),
    "exclusivityGroup": text,
    "eligibilityPolicy": ref_id,
    "orderFlow": ref_id,
    "examples": raw,
}

_VALUE = obj(
    {
        "value": scalar,
        "isDefault": boolean,
        "unitOfMeasure": text,
        "valueFrom": number,
        "valueTo": number,
        "valueFromDecimal": number,
        "valueToDecimal": number,
    },
    ignored=TYPE_KEYS,
    renamed={"valueFromDecimal": "valueFrom", "valueToDecimal": "valueTo"},
)
SPECIFICATION: Mapping[str, Converter] = {
    "brand": text,
    "isBundle": only_false,
    "productSpecCharacteristic": list_of(
        obj(
            {
                "name": text,
                "valueType": text,
                "description": text,
                "configurable": boolean,
                "minCardinality": integer,
                "productSpecCharacteristicValue": list_of(_VALUE),
            },
            ignored=TYPE_KEYS,
        )
    ),
}

CATEGORY: Mapping[str, Converter] = {"parentId": text}

PRICE: Mapping[str, Converter] = {
    "priceType": text,
    "price": MONEY,
    "recurringChargePeriodType": text,
    "recurringChargePeriodLength": integer,
    "unitOfMeasure": unit_quantity,
    "percentage": number,
    "isBundle": only_false,
    "tierMode": text,
    "tiers": list_of(obj({"fromQuantity": number, "toQuantity": number, "price": MONEY})),
    "includedAllowance": number,
    "matrix": obj(
        {
            "characteristics": list_of(text),
            "rows": list_of(obj({"values": list_of(text), "price": MONEY})),
        }
    ),
    "applicationDuration": integer,
    "appliesTo": REFS,
    "condition": obj({"productOffering": REFS, "minCount": integer, "scope": text}),
    "channel": REFS,
    "priority": integer,
    "taxCategory": text,
    "existingSubscribers": obj({"policy": text, "effectiveDate": text}),
}

FIELDS: Mapping[Kind, Mapping[str, Converter]] = {
    Kind.ProductOffering: OFFERING,
    Kind.ProductSpecification: SPECIFICATION,
    Kind.Category: CATEGORY,
    Kind.ProductOfferingPrice: PRICE,
}

# What the projection derives from the release or the spec: shown on reads, ignored on writes.
DERIVED: Mapping[Kind, frozenset[str]] = {
    Kind.Category: frozenset({"isRoot", "subCategory", "productOffering"}),
    Kind.ProductOfferingPrice: frozenset({"prodSpecCharValueUse"}),
}


@dataclass(frozen=True, slots=True)
class Translated:
    """A TMF body as spec fields (None deletes a field), and the envelope fields it names."""

    spec: dict[str, Any]
    id: str | None
    version: str | None


def translate(kind: Kind, body: Any) -> Translated:
    if not isinstance(body, dict):
        raise InvalidBody(f"a {tmf_name(kind)} body is a JSON object")
    _check_type(kind, body.get("@type"))
    fields = {**COMMON, **FIELDS[kind]}
    ignored = COMMON_IGNORED | DERIVED.get(kind, frozenset()) | {"id", "version", "@type"}
    tmf_fields = swagger("TMF620")["definitions"][tmf_name(kind)]["properties"]
    spec: dict[str, Any] = {}
    for key, value in body.items():
        if key in ignored:
            continue
        if key not in fields:
            if key in tmf_fields:
                raise UnsupportedField(f"{key} is a TMF field Switchboard's catalog model does not have")
            raise InvalidBody(f"unknown field {key!r} for {tmf_name(kind)}")
        converted = None if value is None else fields[key](value, key)
        if converted is not CHECKED_ONLY:
            spec[key] = converted
    return Translated(spec, _envelope_text(body, "id"), _envelope_text(body, "version"))


def _check_type(kind: Kind, declared: Any) -> None:
    allowed = set(type_fields(kind).values()) | {tmf_name(kind)}
    if declared is not None and declared not in allowed:
        raise InvalidBody(f"@type must be one of {', '.join(sorted(allowed))}, got {declared!r}")


def _envelope_text(body: Mapping[str, Any], key: str) -> str | None:
    value = body.get(key)
    return None if value is None else text(value, key)


def new_document(kind: Kind, translated: Translated, entity_id: str) -> dict[str, Any]:
    """The spec envelope of a new draft; without a version the store gives it the next one."""
    metadata = {"id": entity_id} | ({} if translated.version is None else {"version": translated.version})
    return {
        "apiVersion": API_VERSION,
        "kind": kind.value,
        "metadata": metadata,
        "spec": merge_patch({}, translated.spec),
    }


def patched_document(document: Mapping[str, Any], translated: Translated) -> dict[str, Any]:
    """A draft document with a TMF merge patch applied to its spec (and its version, when named)."""
    patched = dict(document)
    patched["spec"] = merge_patch(document.get("spec"), translated.spec)
    if translated.version is not None:
        metadata = document.get("metadata")
        patched["metadata"] = {
            **(metadata if isinstance(metadata, dict) else {}),
            "version": translated.version,
        }
    return patched
