"""Parsing of ProductOfferingPrice documents: one-time, recurring, usage and discount prices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.spec.common import SourceInfo
from engine.spec.located import child_path
from engine.spec.parse_common import (
    decimal,
    entity_fields,
    money,
    optional_decimal,
    optional_money,
    parse_datetime,
    strings,
)
from engine.spec.price import (
    AlterationCondition,
    AlterationScope,
    ChargePeriod,
    ExistingSubscriberPolicy,
    MatrixRow,
    PriceChangePolicy,
    PriceMatrix,
    PriceTier,
    PriceType,
    ProductOfferingPrice,
    TierMode,
)


def parse_product_offering_price(document: Mapping[str, Any], source: SourceInfo) -> ProductOfferingPrice:
    spec = document["spec"]
    period = spec.get("recurringChargePeriodType")
    tier_mode = spec.get("tierMode")
    return ProductOfferingPrice(
        **entity_fields(document, source),
        priceType=PriceType(spec["priceType"]),
        price=optional_money(spec.get("price"), "$.spec.price"),
        recurringChargePeriodType=None if period is None else ChargePeriod(period),
        recurringChargePeriodLength=spec.get("recurringChargePeriodLength", 1),
        unitOfMeasure=spec.get("unitOfMeasure"),
        tierMode=None if tier_mode is None else TierMode(tier_mode),
        tiers=tuple(_tier(item, f"$.spec.tiers[{i}]") for i, item in enumerate(spec.get("tiers", ()))),
        includedAllowance=decimal(spec.get("includedAllowance", 0), "$.spec.includedAllowance"),
        matrix=None if "matrix" not in spec else _matrix(spec["matrix"], "$.spec.matrix"),
        percentage=optional_decimal(spec.get("percentage"), "$.spec.percentage"),
        applicationDuration=spec.get("applicationDuration"),
        appliesTo=strings(spec.get("appliesTo")),
        condition=None if "condition" not in spec else _condition(spec["condition"]),
        channel=strings(spec.get("channel")),
        priority=spec.get("priority", 0),
        taxCategory=spec.get("taxCategory", "standard"),
        existingSubscribers=_existing_subscribers(spec.get("existingSubscribers")),
    )


def _tier(data: Mapping[str, Any], path: str) -> PriceTier:
    return PriceTier(
        fromQuantity=decimal(data["fromQuantity"], child_path(path, "fromQuantity")),
        toQuantity=optional_decimal(data.get("toQuantity"), child_path(path, "toQuantity")),
        price=money(data["price"], child_path(path, "price")),
    )


def _matrix(data: Mapping[str, Any], path: str) -> PriceMatrix:
    return PriceMatrix(
        characteristics=strings(data["characteristics"]),
        rows=tuple(
            MatrixRow(values=strings(row["values"]), price=money(row["price"], f"{path}.rows[{i}].price"))
            for i, row in enumerate(data["rows"])
        ),
    )


def _condition(data: Mapping[str, Any]) -> AlterationCondition:
    return AlterationCondition(
        productOffering=strings(data["productOffering"]),
        minCount=data.get("minCount", 1),
        scope=AlterationScope(data.get("scope", AlterationScope.cartOrInventory)),
    )


def _existing_subscribers(data: Mapping[str, Any] | None) -> PriceChangePolicy:
    if data is None:
        return PriceChangePolicy()
    effective = data.get("effectiveDate")
    return PriceChangePolicy(
        policy=ExistingSubscriberPolicy(data["policy"]),
        effectiveDate=None
        if effective is None
        else parse_datetime(effective, "$.spec.existingSubscribers.effectiveDate"),
    )
