from decimal import Decimal

import pytest
from pricing_builders import discount, eur, item, offering, one_time, recurring, release, request, utc

from engine.facts import InventoryItem, ItemAction
from engine.pricing import PricingError, Quote, TraceStep, quote
from engine.spec.common import Entity, TimePeriod
from engine.spec.price import AlterationScope, ProductOfferingPrice
from engine.spec.release import CatalogRelease

MONTHLY = recurring("mobile-monthly", "40.00")


def _mobile(*discounts: ProductOfferingPrice, extra: tuple[Entity, ...] = ()) -> CatalogRelease:
    ids = ("mobile-monthly", *(d.id for d in discounts))
    return release(offering("mobile", *ids), MONTHLY, *discounts, *extra)


def _alteration_trace(result: Quote, item_id: str = "1") -> list[str]:
    return [e.message for e in result.trace if e.itemId == item_id and e.step is TraceStep.alteration]


def test_alterations_apply_in_ascending_priority_percentage_on_what_remains() -> None:
    percent = discount("percent", percentage="25", priority=20)
    fixed = discount("fixed", amount="5.00", priority=10)

    (line,) = quote(_mobile(percent, fixed), request(item("mobile"))).lines

    # fixed first (priority 10): 40 - 5 = 35; then 25% of 35 = 8.75
    assert [(a.id, a.amount) for a in line.priceAlteration] == [
        ("fixed", eur("5.00")),
        ("percent", eur("8.75")),
    ]
    assert line.dutyFreeAmount == eur("26.25")


def test_percentage_first_then_fixed_when_the_percentage_has_the_lower_priority() -> None:
    percent = discount("percent", percentage="20", priority=10)
    fixed = discount("fixed", amount="5.00", priority=20)

    (line,) = quote(_mobile(percent, fixed), request(item("mobile"))).lines

    assert line.dutyFreeAmount == eur("27.00")
    assert [a.percentage for a in line.priceAlteration] == [Decimal(20), None]


def test_alterations_of_equal_priority_apply_in_id_order() -> None:
    b = discount("b-fixed", amount="5.00")
    a = discount("a-percent", percentage="50")

    (line,) = quote(_mobile(b, a), request(item("mobile"))).lines

    assert [x.id for x in line.priceAlteration] == ["a-percent", "b-fixed"]
    assert line.dutyFreeAmount == eur("15.00")


def test_a_discount_larger_than_the_charge_is_capped_at_zero_and_traced() -> None:
    result = quote(_mobile(discount("huge", amount="55.00")), request(item("mobile")))

    (line,) = result.lines
    assert line.dutyFreeAmount == eur("0.00")
    assert line.priceAlteration[0].amount == eur("40.00")
    assert any("capped" in m for m in _alteration_trace(result))


def test_fixed_discount_is_taken_off_each_unit_of_a_multi_quantity_line() -> None:
    (line,) = quote(_mobile(discount("five", amount="5.00")), request(item("mobile", quantity=3))).lines

    assert line.dutyFreeAmount == eur("105.00")
    assert line.priceAlteration[0].amount == eur("15.00")


def test_discount_without_applies_to_alters_only_recurring_prices() -> None:
    rel = release(
        offering("fibre", "fibre-monthly", "install", "ten"),
        recurring("fibre-monthly", "40.00"),
        one_time("install", "50.00"),
        discount("ten", percentage="10"),
    )

    lines = {line.priceId: line for line in quote(rel, request(item("fibre"))).lines}

    assert lines["fibre-monthly"].dutyFreeAmount == eur("36.00")
    assert lines["install"].dutyFreeAmount == eur("50.00")
    assert lines["install"].priceAlteration == ()


def test_discount_naming_a_one_time_price_alters_only_that_price() -> None:
    rel = release(
        offering("fibre", "fibre-monthly", "install", "free-install"),
        recurring("fibre-monthly", "40.00"),
        one_time("install", "50.00"),
        discount("free-install", percentage="100", applies_to=("install",)),
    )

    lines = {line.priceId: line for line in quote(rel, request(item("fibre"))).lines}

    assert lines["install"].dutyFreeAmount == eur("0.00")
    assert lines["fibre-monthly"].dutyFreeAmount == eur("40.00")


def test_multi_line_discount_counts_the_priced_item_itself() -> None:
    second_line = discount("multi", percentage="10", condition=(("mobile",), 2, AlterationScope.cart))
    rel = _mobile(second_line)

    alone = quote(rel, request(item("mobile")))
    pair = quote(rel, request(item("mobile", "1"), item("mobile", "2")))

    assert alone.lines[0].priceAlteration == ()
    assert "condition not met: 1 of mobile in cart, needs 2" in _alteration_trace(alone)[0]
    assert [line.dutyFreeAmount for line in pair.lines] == [eur("36.00"), eur("36.00")]


def test_multi_line_condition_in_inventory_scope_still_counts_the_priced_item() -> None:
    second_line = discount("multi", percentage="10", condition=(("mobile",), 2, AlterationScope.inventory))
    held = (InventoryItem("mobile"),)

    result = quote(_mobile(second_line), request(item("mobile"), inventory=held))

    assert result.lines[0].dutyFreeAmount == eur("36.00")


def test_converged_discount_fires_on_an_active_fibre_line_in_the_inventory() -> None:
    converged = discount(
        "converged", percentage="20", duration=12, condition=(("fibre-500",), 1, AlterationScope.inventory)
    )
    rel = _mobile(converged)

    held = quote(rel, request(item("mobile"), inventory=(InventoryItem("fibre-500"),)))
    suspended = quote(
        rel, request(item("mobile"), inventory=(InventoryItem("fibre-500", status="suspended"),))
    )

    assert held.lines[0].dutyFreeAmount == eur("32.00")
    assert held.lines[0].priceAlteration[0].applicationDuration == 12
    assert suspended.lines[0].priceAlteration == ()


def test_cart_scope_ignores_the_inventory() -> None:
    converged = discount("converged", percentage="20", condition=(("fibre-500",), 1, AlterationScope.cart))

    result = quote(_mobile(converged), request(item("mobile"), inventory=(InventoryItem("fibre-500"),)))

    assert result.lines[0].priceAlteration == ()


def test_deleted_cart_items_do_not_satisfy_a_condition() -> None:
    converged = discount("converged", percentage="20", condition=(("fibre",), 1, AlterationScope.cart))
    rel = _mobile(converged, extra=(offering("fibre"),))

    result = quote(rel, request(item("mobile", "1"), item("fibre", "2", action=ItemAction.delete)))

    assert result.item("1").lines[0].priceAlteration == ()


def test_bundle_discount_alters_the_named_price_on_its_component_items_only() -> None:
    rel = release(
        offering("home", "home-discount", bundled=("fibre", "mobile")),
        discount("home-discount", percentage="50", applies_to=("mobile-monthly",)),
        offering("fibre", "fibre-monthly"),
        recurring("fibre-monthly", "45.00"),
        offering("mobile", "mobile-monthly"),
        MONTHLY,
    )
    cart = (
        item("home", "1"),
        item("fibre", "2", parentItemId="1"),
        item("mobile", "3", parentItemId="1"),
        item("mobile", "4"),
    )

    result = quote(rel, request(*cart))

    assert result.item("3").lines[0].dutyFreeAmount == eur("20.00")
    assert result.item("3").lines[0].priceAlteration[0].id == "home-discount"
    assert result.item("4").lines[0].dutyFreeAmount == eur("40.00")
    assert result.item("2").lines[0].dutyFreeAmount == eur("45.00")
    assert "none of which this item is charged" in _alteration_trace(result, "2")[0]


def test_channel_only_promotion_fires_only_in_its_channel() -> None:
    promo = discount("web-promo", amount="10.00", channel=("web",))
    rel = _mobile(promo)

    web = quote(rel, request(item("mobile"), channel="web"))
    shop = quote(rel, request(item("mobile"), channel="retail"))

    assert web.lines[0].dutyFreeAmount == eur("30.00")
    assert shop.lines[0].dutyFreeAmount == eur("40.00")
    assert "channel 'retail' not allowed (only web)" in _alteration_trace(shop)[0]


def test_discount_outside_its_valid_for_is_not_applied_and_traced() -> None:
    summer = discount("summer", percentage="50", valid=TimePeriod(utc(2026, 6, 1), utc(2026, 9, 1)))

    result = quote(_mobile(summer), request(item("mobile")))

    assert result.lines[0].dutyFreeAmount == eur("40.00")
    assert any("summer: no version in effect on 2026-03-01" in e.message for e in result.trace)


def test_every_fired_alteration_is_traced_with_its_amount() -> None:
    result = quote(_mobile(discount("five", amount="5.00", duration=6)), request(item("mobile")))

    (entry,) = [e for e in result.trace if e.step is TraceStep.alteration]
    assert entry.amount == eur("5.00")
    assert "discount five@1" in entry.message and "for 6 cycles" in entry.message


def test_a_discount_with_both_percentage_and_amount_is_refused() -> None:
    with pytest.raises(PricingError, match="exactly one of percentage and price"):
        quote(_mobile(discount("both", percentage="10", amount="1.00")), request(item("mobile")))


def test_a_negative_discount_is_refused() -> None:
    with pytest.raises(PricingError, match="negative"):
        quote(_mobile(discount("surcharge", amount="-1.00")), request(item("mobile")))


def test_bundle_discount_without_applies_to_alters_only_the_bundle_own_recurring_prices() -> None:
    rel = release(
        offering("home", "home-monthly", "home-discount", bundled=("mobile",)),
        recurring("home-monthly", "10.00"),
        discount("home-discount", percentage="50"),
        offering("mobile", "mobile-monthly"),
        MONTHLY,
    )

    result = quote(rel, request(item("home", "1"), item("mobile", "2", parentItemId="1")))

    assert result.item("1").lines[0].dutyFreeAmount == eur("5.00")
    assert result.item("2").lines[0].dutyFreeAmount == eur("40.00")


def test_bundle_discount_reaches_a_component_added_to_a_bundle_already_held() -> None:
    rel = release(
        offering("home", "home-discount", bundled=("mobile",)),
        discount("home-discount", amount="10.00", applies_to=("mobile-monthly",)),
        offering("mobile", "mobile-monthly"),
        MONTHLY,
    )
    cart = (item("home", "1", action=ItemAction.noChange), item("mobile", "2", parentItemId="1"))

    result = quote(rel, request(*cart))

    assert result.item("2").lines[0].dutyFreeAmount == eur("30.00")
