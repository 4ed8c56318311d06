from dataclasses import replace
from decimal import Decimal

import pytest
from pricing_builders import eur, item, offering, release, request, usage_price

from engine.pricing import PricingError, QuoteLine, quote
from engine.spec.price import PriceType, TierMode

TIERS = (("0", "5", "2.00"), ("5", None, "1.00"))


def _usage_line(mode: TierMode | None, used: str, quantity: int = 1) -> QuoteLine:
    data = usage_price("data", *TIERS, allowance="10", mode=mode)
    rel = release(offering("mobile", "data"), data)
    result = quote(rel, request(item("mobile", usage={"GB": Decimal(used)}, quantity=quantity)))
    (line,) = result.lines
    return line


def test_graduated_tiers_charge_each_unit_at_the_rate_of_its_tier_after_the_allowance() -> None:
    # 18 GB used, 10 included: 8 billable = 5 x 2.00 + 3 x 1.00
    line = _usage_line(TierMode.graduated, "18")

    assert line.dutyFreeAmount == eur("13.00")
    assert line.priceType is PriceType.usage
    assert line.usageVolume == Decimal(18)
    assert line.unitOfMeasure == "GB"


def test_volume_tier_charges_every_unit_at_the_reached_tier_rate() -> None:
    # 8 billable units reach the second tier: all 8 at 1.00
    assert _usage_line(TierMode.volume, "18").dutyFreeAmount == eur("8.00")


def test_volume_at_a_tier_boundary_stays_in_the_lower_tier() -> None:
    # 15 used, 5 billable: the first tier runs up to and including 5
    assert _usage_line(TierMode.volume, "15").dutyFreeAmount == eur("10.00")


def test_usage_within_the_allowance_costs_nothing() -> None:
    assert _usage_line(TierMode.graduated, "7").dutyFreeAmount == eur("0.00")


def test_usage_estimate_is_per_product_instance_and_multiplied_by_quantity() -> None:
    line = _usage_line(TierMode.graduated, "12", quantity=3)

    assert line.unitPrice == eur("4.00")
    assert line.dutyFreeAmount == eur("12.00")


def test_usage_price_without_volume_gives_a_rate_card_and_no_charge_line() -> None:
    data = usage_price("data", *TIERS, allowance="10", mode=TierMode.volume)
    result = quote(release(offering("mobile", "data"), data), request(item("mobile")))

    (card,) = result.item("1").rateCards
    assert result.lines == ()
    assert (card.unitOfMeasure, card.includedAllowance, card.tierMode) == ("GB", Decimal(10), TierMode.volume)
    assert [t.price for t in card.tiers] == [eur("2.00"), eur("1.00")]
    assert result.totals.usage.dutyFreeAmount == eur("0.00")


def test_usage_volume_for_another_unit_is_not_rated() -> None:
    data = usage_price("data", *TIERS)
    result = quote(
        release(offering("mobile", "data"), data), request(item("mobile", usage={"min": Decimal(50)}))
    )

    assert result.lines == ()
    assert any("no GB volume given" in e.message for e in result.trace)


def test_flat_usage_price_charges_each_billable_unit() -> None:
    sms = usage_price("sms", unit="sms", allowance="100", mode=None, per_unit="0.10")
    result = quote(
        release(offering("mobile", "sms"), sms), request(item("mobile", usage={"sms": Decimal(130)}))
    )

    assert result.lines[0].dutyFreeAmount == eur("3.00")


def test_tier_mode_defaults_to_graduated() -> None:
    assert _usage_line(None, "18").dutyFreeAmount == eur("13.00")


def test_usage_estimate_counts_in_the_usage_total_with_tax() -> None:
    data = usage_price("data", *TIERS, allowance="10")
    result = quote(
        release(offering("mobile", "data"), data), request(item("mobile", usage={"GB": Decimal(12)}))
    )

    assert result.totals.usage.dutyFreeAmount == eur("4.00")
    assert result.totals.usage.taxIncludedAmount == eur("4.84")


def test_usage_price_without_unit_of_measure_is_refused() -> None:
    broken = replace(usage_price("data", *TIERS), unitOfMeasure=None)

    with pytest.raises(PricingError, match="unitOfMeasure"):
        quote(release(offering("mobile", "data"), broken), request(item("mobile")))
