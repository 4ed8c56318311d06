from datetime import date
from decimal import Decimal

import pytest
from pricing_builders import eur, item, offering, recurring, release, request, utc, vat

from engine.money import Money, RoundingMode
from engine.pricing import PricingError, TraceStep, quote
from engine.spec.common import TimePeriod
from engine.spec.release import TaxTable

CANARY = vat(("ES", "standard", "21"), ("ES-CN", "standard", "7"), ("NL", "standard", "21"))
MONTHLY = recurring("monthly", "100.00")
REDUCED = recurring("tv-monthly", "100.00", tax_category="reduced")


def _rate(
    tax: TaxTable | None = CANARY, region: str | None = None, country: str | None = None
) -> tuple[Decimal, Money]:
    rel = release(offering("o", "monthly"), MONTHLY, tax=tax)
    line = quote(rel, request(item("o"), region=region, country=country)).lines[0]
    return line.taxRate, line.taxIncludedAmount


def test_a_region_rate_overrides_its_country_rate() -> None:
    assert _rate(region="ES-CN", country="ES") == (Decimal(7), eur("107.00"))


def test_the_country_rate_applies_when_the_region_has_none() -> None:
    assert _rate(region="ES-MD", country="ES") == (Decimal(21), eur("121.00"))


def test_the_release_default_region_applies_when_the_request_names_no_address() -> None:
    assert _rate() == (Decimal(21), eur("121.00"))


def test_a_missing_rate_is_an_error_not_zero_tax() -> None:
    with pytest.raises(PricingError, match="no tax rate for category 'standard' in 'DE'") as raised:
        _rate(country="DE")

    assert raised.value.code == "TAX_RATE_MISSING"


def test_a_release_without_tax_table_cannot_quote() -> None:
    with pytest.raises(PricingError, match="no tax rate"):
        _rate(tax=None)


def test_tax_follows_the_price_tax_category() -> None:
    rel = release(offering("tv", "tv-monthly"), REDUCED)

    line = quote(rel, request(item("tv"))).lines[0]

    assert (line.taxCategory, line.taxRate, line.taxIncludedAmount) == ("reduced", Decimal(9), eur("109.00"))


def test_tax_is_computed_on_the_rounded_line() -> None:
    # 0.125 rounds to 0.13; 21% of 0.13 is 0.0273 -> 0.03. Taxing the exact 0.125 would give 0.15 in all.
    rel = release(offering("o", "tiny"), recurring("tiny", "0.125"))

    line = quote(rel, request(item("o"))).lines[0]

    assert (line.dutyFreeAmount, line.taxIncludedAmount) == (eur("0.13"), eur("0.16"))


def test_tax_is_rounded_with_the_release_rounding_mode() -> None:
    # 9% of 12.50 is 1.125
    price = recurring("tv-monthly", "12.50", tax_category="reduced")
    half_up = release(offering("tv", "tv-monthly"), price, mode=RoundingMode.halfUp)
    half_even = release(offering("tv", "tv-monthly"), price, mode=RoundingMode.halfEven)

    assert quote(half_up, request(item("tv"))).lines[0].taxAmount == eur("1.13")
    assert quote(half_even, request(item("tv"))).lines[0].taxAmount == eur("1.12")


def test_the_tax_table_version_in_effect_at_the_request_date_applies() -> None:
    before = TaxTable(
        id="vat",
        version="1",
        name="VAT",
        rates=vat(("NL", "standard", "21")).rates,
        validFor=TimePeriod(utc(2026, 1, 1), utc(2026, 7, 1)),
    )
    after = TaxTable(
        id="vat",
        version="2",
        name="VAT",
        rates=vat(("NL", "standard", "22")).rates,
        validFor=TimePeriod(utc(2026, 7, 1), None),
    )
    rel = release(offering("o", "monthly"), MONTHLY, after, tax=before)

    assert quote(rel, request(item("o"), on=date(2026, 3, 1))).lines[0].taxRate == 21
    assert quote(rel, request(item("o"), on=date(2026, 7, 1))).lines[0].taxRate == 22


def test_the_chosen_rate_and_why_are_traced() -> None:
    result = quote(release(offering("o", "monthly"), MONTHLY, tax=CANARY), request(item("o"), region="ES-CN"))

    (entry,) = [e for e in result.trace if e.step is TraceStep.tax]
    assert entry.message == "monthly: tax category standard at 7% (region ES-CN)"
