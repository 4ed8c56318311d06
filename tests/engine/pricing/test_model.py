import json
from decimal import Decimal

from pricing_builders import discount, item, offering, recurring, release, request, usage_price

from engine.pricing import quote
from engine.spec.price import TierMode
from engine.spec.product import (
    CharacteristicValue,
    CharacteristicValueType,
    ProductSpecCharacteristic,
    ProductSpecification,
)

SPEC = ProductSpecification(
    id="mobile-spec",
    version="1",
    name="Mobile",
    productSpecCharacteristic=(
        ProductSpecCharacteristic(
            "dataCap",
            CharacteristicValueType.decimal,
            productSpecCharacteristicValue=(CharacteristicValue(Decimal("10.5"), isDefault=True),),
        ),
    ),
)
REL = release(
    offering("mobile", "monthly", "data", "promo", spec="mobile-spec"),
    SPEC,
    recurring("monthly", "20.00"),
    usage_price("data", ("0", None, "1.50"), allowance="10", mode=TierMode.volume),
    discount("promo", percentage="12.5", duration=6, priority=3),
)


def _floats(value: object) -> list[object]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    if isinstance(value, list):
        return [f for v in value for f in _floats(v)]
    return []


def test_to_dict_holds_no_float_anywhere_and_survives_json() -> None:
    data = quote(REL, request(item("mobile", usage={"GB": Decimal("12.5")}))).to_dict()

    assert _floats(data) == []
    assert json.loads(json.dumps(data)) == data


def test_to_dict_renders_alterations_rate_cards_usage_and_characteristics() -> None:
    data = quote(REL, request(item("mobile", usage={"GB": Decimal("12.5")}))).to_dict()

    (entry,) = data["items"]
    assert entry["characteristic"] == {"dataCap": "10.5"}
    assert entry["rateCards"] == [
        {
            "productOfferingPrice": {"id": "data", "version": "1"},
            "name": "data",
            "unitOfMeasure": "GB",
            "includedAllowance": "10",
            "tierMode": "volume",
            "tiers": [{"fromQuantity": "0", "toQuantity": None, "price": {"unit": "EUR", "value": "1.50"}}],
            "price": None,
        }
    ]
    monthly, usage = entry["quoteLines"]
    assert monthly["priceAlteration"] == [
        {
            "id": "promo",
            "version": "1",
            "name": "promo",
            "priceType": "discount",
            "amount": {"unit": "EUR", "value": "2.50"},
            "percentage": "12.5",
            "applicationDuration": 6,
            "priority": 3,
        }
    ]
    assert monthly["dutyFreeAmount"] == {"unit": "EUR", "value": "17.50"}
    assert (usage["usageVolume"], usage["unitOfMeasure"], usage["recurringChargePeriod"]) == (
        "12.5",
        "GB",
        None,
    )
    assert usage["dutyFreeAmount"] == {"unit": "EUR", "value": "3.75"}
    assert data["totals"]["usage"]["taxIncludedAmount"] == {"unit": "EUR", "value": "4.54"}
