"""The TMF620 projection of a ProductOfferingPrice (`SwitchboardProductOfferingPrice`).

TMF fields: priceType, price (Money), recurringChargePeriodType/Length, unitOfMeasure (a Quantity of one
unit: the spec prices per unit), percentage, and `prodSpecCharValueUse` naming the characteristic values a
matrix price depends on. Switchboard-only data keeps its spec name: tierMode, tiers, includedAllowance,
matrix (the rows), applicationDuration (billing cycles), appliesTo, condition, channel, priority,
taxCategory and existingSubscribers. Only the fields of the price's own type are written, as in the spec.
"""

from __future__ import annotations

from engine.spec.common import Kind
from engine.spec.price import (
    AlterationCondition,
    PriceChangePolicy,
    PriceMatrix,
    PriceTier,
    PriceType,
    ProductOfferingPrice,
)
from runtime.catalog.tmf620_common import Json, View, entity_base, label_ref, money, ref, timestamp

# Switchboard-only fields of SwitchboardProductOfferingPrice, for filters and `fields=`.
PRICE_EXTENSIONS = frozenset(
    {
        "tierMode",
        "tiers",
        "includedAllowance",
        "matrix",
        "applicationDuration",
        "appliesTo",
        "condition",
        "channel",
        "priority",
        "taxCategory",
        "existingSubscribers",
    }
)


def project_price(price: ProductOfferingPrice, view: View) -> Json:
    body = entity_base(price)
    body["priceType"] = price.priceType.value
    body["isBundle"] = False
    if price.price is not None:
        body["price"] = money(price.price)
    if price.recurringChargePeriodType is not None:
        body["recurringChargePeriodType"] = price.recurringChargePeriodType.value
        body["recurringChargePeriodLength"] = price.recurringChargePeriodLength
    if price.unitOfMeasure is not None:
        body["unitOfMeasure"] = {"amount": 1, "units": price.unitOfMeasure}
    if price.percentage is not None:
        body["percentage"] = price.percentage
    if price.matrix is not None:
        body["prodSpecCharValueUse"] = _value_uses(price.matrix)
    return body | _usage(price) | _alteration(price, view) | _common_extensions(price)


def _usage(price: ProductOfferingPrice) -> Json:
    body: Json = {}
    if price.priceType is PriceType.usage:
        body["includedAllowance"] = price.includedAllowance
    if price.tierMode is not None:
        body["tierMode"] = price.tierMode.value
    if price.tiers:
        body["tiers"] = [_tier(tier) for tier in price.tiers]
    if price.matrix is not None:
        body["matrix"] = {
            "characteristics": list(price.matrix.characteristics),
            "rows": [{"values": list(row.values), "price": money(row.price)} for row in price.matrix.rows],
        }
    return body


def _tier(tier: PriceTier) -> Json:
    body: Json = {"fromQuantity": tier.fromQuantity}
    if tier.toQuantity is not None:
        body["toQuantity"] = tier.toQuantity
    body["price"] = money(tier.price)
    return body


def _value_uses(matrix: PriceMatrix) -> list[Json]:
    """One TMF value use per matrix characteristic, with the values its rows price."""
    uses = []
    for index, name in enumerate(matrix.characteristics):
        values = list(dict.fromkeys(row.values[index] for row in matrix.rows))
        uses.append({"name": name, "productSpecCharacteristicValue": [{"value": v} for v in values]})
    return uses


def _alteration(price: ProductOfferingPrice, view: View) -> Json:
    if price.priceType is not PriceType.discount:
        return {}
    body: Json = {"priority": price.priority}
    if price.applicationDuration is not None:
        body["applicationDuration"] = price.applicationDuration
    if price.appliesTo:
        body["appliesTo"] = [ref(Kind.ProductOfferingPrice, p, view) for p in price.appliesTo]
    if price.condition is not None:
        body["condition"] = _condition(price.condition, view)
    if price.channel:
        body["channel"] = [label_ref("Channel", c) for c in price.channel]
    return body


def _condition(condition: AlterationCondition, view: View) -> Json:
    return {
        "productOffering": [ref(Kind.ProductOffering, o, view) for o in condition.productOffering],
        "minCount": condition.minCount,
        "scope": condition.scope.value,
    }


def _common_extensions(price: ProductOfferingPrice) -> Json:
    return {
        "taxCategory": price.taxCategory,
        "existingSubscribers": _change_policy(price.existingSubscribers),
    }


def _change_policy(policy: PriceChangePolicy) -> Json:
    body: Json = {"policy": policy.policy.value}
    if policy.effectiveDate is not None:
        body["effectiveDate"] = timestamp(policy.effectiveDate)
    return body
