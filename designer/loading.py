"""Spec documents back into the designer's form rows, to edit a draft or a published offering."""

from __future__ import annotations

from typing import Any

from designer.documents import (
    CharacteristicRow,
    LinkRow,
    OfferingForm,
    PredicateRow,
    PriceRow,
    RuleRow,
    TierRow,
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("value", ""))
    return str(value)


PRICE_FIELDS = {
    "name",
    "priceType",
    "price",
    "recurringChargePeriodType",
    "recurringChargePeriodLength",
    "unitOfMeasure",
    "includedAllowance",
    "tierMode",
    "tiers",
    "percentage",
    "applicationDuration",
}
OFFERING_FIELDS = {
    "name",
    "description",
    "lifecycleStatus",
    "validFor",
    "channel",
    "marketSegment",
    "category",
    "productSpecification",
    "orderFlow",
    "isBundle",
    "bundledProductOffering",
    "productOfferingRelationship",
    "productOfferingPrice",
    "eligibilityPolicy",
}


def _extra(spec: dict[str, Any], managed: set[str]) -> dict[str, Any]:
    """The fields the form does not show, written back unchanged (examples, tax category, ...)."""
    return {name: value for name, value in spec.items() if name not in managed}


def price_row(document: dict[str, Any]) -> PriceRow:
    spec = document.get("spec", {})
    return PriceRow(
        extra=_extra(spec, PRICE_FIELDS),
        id=document["metadata"]["id"],
        name=_text(spec.get("name")),
        price_type=_text(spec.get("priceType")) or "recurring",
        amount=_text(spec.get("price")),
        period=_text(spec.get("recurringChargePeriodType")) or "month",
        unit_of_measure=_text(spec.get("unitOfMeasure")),
        included_allowance=_text(spec.get("includedAllowance")),
        tier_mode=_text(spec.get("tierMode")) or "graduated",
        percentage=_text(spec.get("percentage")),
        duration=_text(spec.get("applicationDuration")),
        tiers=[
            TierRow(_text(t.get("fromQuantity")), _text(t.get("toQuantity")), _text(t.get("price")))
            for t in spec.get("tiers", [])
        ],
    )


def _predicates(condition: dict[str, Any]) -> tuple[str, list[PredicateRow]] | None:
    """A condition the builder can show: one predicate, or one all/any group of predicates."""
    if "fact" in condition:
        return "all", [PredicateRow(condition["fact"], condition["operator"], _text(condition.get("value")))]
    for mode in ("all", "any"):
        items = condition.get(mode)
        if isinstance(items, list) and all("fact" in item for item in items):
            return mode, [PredicateRow(i["fact"], i["operator"], _text(i.get("value"))) for i in items]
    return None


def rule_rows(document: dict[str, Any]) -> tuple[list[RuleRow], list[str]]:
    """The rules the builder can show, and the ids of those it cannot (deeper trees, kept out of the form)."""
    rows, unsupported = [], []
    for rule in document.get("spec", {}).get("rules", []):
        shaped = _predicates(rule.get("condition", {}))
        if shaped is None:
            unsupported.append(str(rule.get("id")))
            continue
        mode, predicates = shaped
        rows.append(
            RuleRow(rule["id"], rule.get("reasonCode", ""), rule.get("message", ""), mode, predicates)
        )
    return rows, unsupported


def characteristic_rows(document: dict[str, Any]) -> list[CharacteristicRow]:
    return [
        CharacteristicRow(
            name=c.get("name", ""),
            value_type=c.get("valueType", "string"),
            value_list=", ".join(
                _text(v.get("value")) for v in c.get("productSpecCharacteristicValue", []) if "value" in v
            ),
            configurable=bool(c.get("configurable", False)),
        )
        for c in document.get("spec", {}).get("productSpecCharacteristic", [])
    ]


def offering_form(document: dict[str, Any]) -> OfferingForm:
    spec = document.get("spec", {})
    valid_for = spec.get("validFor", {})
    bundled = [
        LinkRow(
            id=b["id"],
            kind="bundled",
            lower=_text(b.get("bundledProductOfferingOption", {}).get("numberRelOfferLowerLimit")),
            upper=_text(b.get("bundledProductOfferingOption", {}).get("numberRelOfferUpperLimit")),
            default=_text(b.get("bundledProductOfferingOption", {}).get("numberRelOfferDefault")),
        )
        for b in spec.get("bundledProductOffering", [])
    ]
    return OfferingForm(
        extra=_extra(spec, OFFERING_FIELDS),
        policy=_text(spec.get("eligibilityPolicy")),
        id=document["metadata"]["id"],
        name=_text(spec.get("name")),
        description=_text(spec.get("description")),
        lifecycle_status=_text(spec.get("lifecycleStatus")) or "active",
        valid_from=_text(valid_for.get("startDateTime")),
        valid_to=_text(valid_for.get("endDateTime")),
        channels=list(spec.get("channel", [])),
        segments=list(spec.get("marketSegment", [])),
        categories=", ".join(spec.get("category", [])),
        specification=_text(spec.get("productSpecification")),
        order_flow=_text(spec.get("orderFlow")),
        is_bundle=bool(spec.get("isBundle", False)),
        bundled=bundled,
        relationships=[
            LinkRow(id=r["id"], kind=r.get("relationshipType", "requires"))
            for r in spec.get("productOfferingRelationship", [])
        ],
    )
