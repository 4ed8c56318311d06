import json
from datetime import date
from decimal import Decimal

import pytest
from pricing_builders import eur, item, offering, one_time, recurring, release, request, utc

from engine.errors import CartError, UnknownEntityError
from engine.facts import ItemAction
from engine.money import Money, RoundingMode
from engine.pricing import PricingError, TraceStep, quote
from engine.spec.common import TimePeriod
from engine.spec.price import ChargePeriod

FIBRE = release(
    offering("fibre", "fibre-monthly", "install"),
    recurring("fibre-monthly", "39.99"),
    one_time("install", "49.00"),
)


def test_quote_lists_a_line_per_price_with_tmf_amounts() -> None:
    result = quote(FIBRE, request(item("fibre")))

    monthly, install = result.lines
    assert (monthly.priceId, monthly.priceVersion, monthly.period) == ("fibre-monthly", "1", "month")
    assert (monthly.dutyFreeAmount, monthly.taxRate, monthly.taxIncludedAmount) == (
        eur("39.99"),
        Decimal(21),
        eur("48.39"),
    )
    assert (install.period, install.dutyFreeAmount, install.taxIncludedAmount) == (
        None,
        eur("49.00"),
        eur("59.29"),
    )


def test_totals_split_one_time_and_recurring_per_period() -> None:
    rel = release(
        offering("fibre", "fibre-monthly", "install", "router-yearly", "tv-quarterly"),
        recurring("fibre-monthly", "39.99"),
        one_time("install", "49.00"),
        recurring("router-yearly", "60.00", period=ChargePeriod.year),
        recurring("tv-quarterly", "30.00", length=3),
    )

    totals = quote(rel, request(item("fibre"), item("fibre", "2"))).totals

    assert totals.oneTime.dutyFreeAmount == eur("98.00")
    assert {p: t.dutyFreeAmount for p, t in totals.recurring.items()} == {
        "3 month": eur("60.00"),
        "month": eur("79.98"),
        "year": eur("120.00"),
    }
    assert totals.recurring["month"].taxIncludedAmount == eur("96.78")


def test_each_item_carries_its_own_totals() -> None:
    result = quote(FIBRE, request(item("fibre", "a"), item("fibre", "b", quantity=2)))

    assert result.item("a").totals.recurring["month"].dutyFreeAmount == eur("39.99")
    assert result.item("b").totals.recurring["month"].dutyFreeAmount == eur("79.98")
    assert result.item("b").totals.oneTime.dutyFreeAmount == eur("98.00")


def test_an_empty_cart_quotes_zero_in_the_release_currency() -> None:
    totals = quote(FIBRE, request()).totals

    assert str(totals.oneTime.taxIncludedAmount.value) == "0.00"
    assert totals.recurring == {}


def test_the_price_version_in_effect_on_the_request_date_applies() -> None:
    rel = release(
        offering("fibre", "fibre-monthly"),
        recurring("fibre-monthly", "39.99", valid=TimePeriod(utc(2026, 1, 1), utc(2026, 7, 1))),
        recurring("fibre-monthly", "42.99", version="2", valid=TimePeriod(utc(2026, 7, 1), None)),
    )

    june = quote(rel, request(item("fibre"), on=date(2026, 6, 30))).lines[0]
    july = quote(rel, request(item("fibre"), on=date(2026, 7, 1))).lines[0]

    assert (june.priceVersion, june.dutyFreeAmount) == ("1", eur("39.99"))
    assert (july.priceVersion, july.dutyFreeAmount) == ("2", eur("42.99"))


def test_a_price_not_in_effect_on_the_date_is_not_applied_and_traced() -> None:
    rel = release(
        offering("fibre", "fibre-monthly", "summer-fee"),
        recurring("fibre-monthly", "39.99"),
        recurring("summer-fee", "5.00", valid=TimePeriod(utc(2026, 6, 1), utc(2026, 9, 1))),
    )

    result = quote(rel, request(item("fibre")))

    assert [line.priceId for line in result.lines] == ["fibre-monthly"]
    assert any(e.message.startswith("price summer-fee: no version in effect") for e in result.trace)


def test_an_unknown_offering_is_an_unknown_entity_error_with_its_path() -> None:
    with pytest.raises(UnknownEntityError, match="'tv' does not exist") as raised:
        quote(FIBRE, request(item("fibre"), item("tv", "2")))

    assert raised.value.path == "$.cart[1].productOffering"


def test_an_offering_outside_its_valid_for_is_an_unknown_entity_error() -> None:
    later = offering("fibre", "fibre-monthly", valid=TimePeriod(utc(2026, 6, 1), None))
    rel = release(later, recurring("fibre-monthly", "39.99"))

    with pytest.raises(UnknownEntityError, match="no version in effect on 2026-03-01"):
        quote(rel, request(item("fibre")))


def test_a_price_the_release_lacks_is_an_unknown_entity_error() -> None:
    with pytest.raises(UnknownEntityError, match="lists price 'ghost'"):
        quote(release(offering("fibre", "ghost")), request(item("fibre")))


def test_deleted_and_unchanged_items_are_listed_but_not_charged() -> None:
    cart = (item("fibre", "1", action=ItemAction.delete), item("fibre", "2", action=ItemAction.noChange))

    result = quote(FIBRE, request(*cart))

    assert [(i.itemId, i.charged, i.lines) for i in result.items] == [("1", False, ()), ("2", False, ())]
    assert [e.message for e in result.trace] == [
        "fibre@1 (delete): not charged",
        "fibre@1 (noChange): not charged",
    ]


def test_a_modified_item_is_priced_like_an_added_one() -> None:
    added = quote(FIBRE, request(item("fibre")))
    modified = quote(FIBRE, request(item("fibre", action=ItemAction.modify)))

    assert modified.totals == added.totals


def test_a_price_in_another_currency_is_refused() -> None:
    rel = release(offering("fibre", "fibre-monthly"), recurring("fibre-monthly", "39.99", currency="USD"))

    with pytest.raises(PricingError, match="in USD but the quote is in EUR") as raised:
        quote(rel, request(item("fibre")))

    assert raised.value.code == "CURRENCY_MISMATCH"


def test_duplicate_item_ids_are_a_cart_error() -> None:
    with pytest.raises(CartError, match="used twice") as raised:
        quote(FIBRE, request(item("fibre", "1"), item("fibre", "1")))

    assert raised.value.path == "$.cart[1].id"


def test_a_parent_item_id_naming_no_cart_item_is_a_cart_error() -> None:
    with pytest.raises(CartError, match="names no item") as raised:
        quote(FIBRE, request(item("fibre", parentItemId="9")))

    assert raised.value.path == "$.cart[0].parentItemId"


@pytest.mark.parametrize(
    ("mode", "expected"), [(RoundingMode.halfUp, "2.35"), (RoundingMode.halfEven, "2.34")]
)
def test_lines_round_to_the_minor_unit_with_the_release_mode(mode: RoundingMode, expected: str) -> None:
    rel = release(offering("o", "odd"), recurring("odd", "2.345"), mode=mode)

    assert quote(rel, request(item("o"))).lines[0].dutyFreeAmount == eur(expected)


def test_lines_round_to_the_currency_minor_unit() -> None:
    rel = release(
        offering("o", "yen"),
        recurring("yen", "1234.5", currency="JPY"),
        currency="JPY",
    )

    assert quote(rel, request(item("o"))).lines[0].dutyFreeAmount == Money.of("1235", "JPY")


def test_the_trace_explains_a_line_step_by_step() -> None:
    result = quote(FIBRE, request(item("fibre")))

    steps = [(e.step, e.message) for e in result.trace]
    assert steps[:3] == [
        (TraceStep.item, "fibre@1 x 1 (add): priced"),
        (
            TraceStep.price,
            "selected recurring price fibre-monthly@1 (fibre-monthly): list price 39.99 EUR per month x 1",
        ),
        (TraceStep.price, "selected oneTime price install@1 (install): list price 49.00 EUR x 1"),
    ]
    assert (TraceStep.rounding, "fibre-monthly: 39.99 EUR rounded halfUp to 39.99 EUR") in steps
    assert (
        TraceStep.tax,
        "fibre-monthly: tax category standard at 21% (default region NL; the request names no address)",
    ) in steps


def test_to_dict_is_json_ready_with_money_as_strings() -> None:
    data = quote(FIBRE, request(item("fibre"))).to_dict()

    text = json.dumps(data)
    assert data["release"] == {"id": "2026.1", "contentHash": "x"}
    assert data["totals"]["recurring"]["month"] == {
        "dutyFreeAmount": {"unit": "EUR", "value": "39.99"},
        "taxIncludedAmount": {"unit": "EUR", "value": "48.39"},
    }
    line = data["items"][0]["quoteLines"][0]
    assert line["productOfferingPrice"] == {"id": "fibre-monthly", "version": "1"}
    assert line["taxRate"] == "21"
    assert data["trace"][0] == {
        "itemId": "1",
        "step": "item",
        "message": "fibre@1 x 1 (add): priced",
        "amount": None,
    }
    assert json.loads(text) == data
