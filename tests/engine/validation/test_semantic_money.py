from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from engine.money import Money
from engine.spec.common import Kind, TimePeriod
from engine.spec.price import MatrixRow, PriceMatrix, PriceTier
from engine.spec.release import CatalogRelease, TaxRate, TaxTable
from engine.validation.semantic import check_release
from tests.engine.validation.catalog import T0, Swap, at


def test_offering_with_prices_in_two_currencies_is_reported(base: CatalogRelease, swap: Swap) -> None:
    fee = replace(base.price("fibre-install-fee"), price=Money.of("49.00", "GBP"))
    offering = replace(base.offering("fibre-500"), source=at("$.spec.productOfferingPrice", 11))

    errors = [e for e in check_release(swap(fee, offering)) if e.code == "MIXED_CURRENCIES"]

    assert [(e.file, e.line, e.path) for e in errors] == [("x.yaml", 11, "$.spec.productOfferingPrice")]
    assert "mix currencies (EUR: fibre-500-monthly; GBP: fibre-install-fee)" in errors[0].message
    assert check_release(swap(offering)) == ()


def test_currencies_inside_tiers_and_matrix_rows_count(base: CatalogRelease, swap: Swap) -> None:
    usage = base.price("mobile-data")
    tiers = (usage.tiers[0], PriceTier(Decimal(5), None, Money.of("1.00", "USD")))
    matrix_price = base.price("fibre-flex-monthly")
    assert matrix_price.matrix is not None
    rows = (*matrix_price.matrix.rows[:3], MatrixRow(("1000", "24"), Money.of("50.00", "USD")))
    flex = replace(matrix_price, matrix=PriceMatrix(matrix_price.matrix.characteristics, rows))

    errors = check_release(swap(replace(usage, tiers=tiers), flex))

    assert sorted((e.code, e.path) for e in errors) == [
        ("CURRENCY_MISMATCH", "$.spec.matrix.rows[3].price.unit"),
        ("CURRENCY_MISMATCH", "$.spec.tiers[1].price.unit"),
        ("MIXED_CURRENCIES", "$.spec.productOfferingPrice"),
        ("MIXED_CURRENCIES", "$.spec.productOfferingPrice"),
    ]


def test_price_outside_the_release_currency_is_reported(base: CatalogRelease, swap: Swap) -> None:
    fee = replace(
        base.price("fibre-install-fee"), price=Money.of("49.00", "GBP"), source=at("$.spec.price.unit", 6)
    )
    offering = replace(base.offering("fibre-500"), productOfferingPrice=("fibre-install-fee",))

    errors = check_release(swap(fee, offering))

    assert [(e.code, e.line, e.message) for e in errors] == [
        ("CURRENCY_MISMATCH", 6, "49.00 GBP is not in the release currency EUR")
    ]


def test_release_without_tax_table_is_reported_on_its_manifest(base: CatalogRelease, swap: Swap) -> None:
    manifest = replace(base.manifest, source=at("$", 1, 1))
    release = replace(swap(drop=((Kind.TaxTable, "vat"),)), manifest=manifest)

    errors = check_release(release)

    assert [(e.code, e.file, e.line) for e in errors] == [("MISSING_TAX_TABLE", "x.yaml", 1)]
    assert check_release(replace(base, manifest=manifest)) == ()


def test_tax_category_without_rate_in_the_default_region_is_reported(
    base: CatalogRelease, swap: Swap
) -> None:
    fee = replace(
        base.price("fibre-install-fee"), taxCategory="luxury", source=at("$.spec.taxCategory", 9, 16)
    )

    errors = check_release(swap(fee))

    assert [(e.code, e.line, e.column) for e in errors] == [("MISSING_TAX_RATE", 9, 16)]
    assert "'luxury' has no rate for region NL in TaxTable vat version 1" in errors[0].message
    assert check_release(swap(replace(fee, taxCategory="reduced"))) == ()


def test_default_region_falls_back_to_its_country(base: CatalogRelease) -> None:
    canary = replace(base, manifest=replace(base.manifest, defaultRegion="NL-NH"))

    assert check_release(canary) == ()
    spain = replace(base, manifest=replace(base.manifest, defaultRegion="ES-CN"))
    assert {e.code for e in check_release(spain)} == {"MISSING_TAX_RATE"}


def test_every_tax_table_version_in_effect_needs_the_rate(base: CatalogRelease, swap: Swap) -> None:
    table = base.get(TaxTable, "vat")
    first = replace(table, validFor=TimePeriod(endDateTime=T0))
    second = replace(table, version="2", validFor=TimePeriod(startDateTime=T0), rates=table.rates[:1])
    fee = replace(base.price("fibre-install-fee"), taxCategory="reduced")

    errors = check_release(swap(first, second, fee))

    assert [e.code for e in errors] == ["MISSING_TAX_RATE"]
    assert "TaxTable vat version 2" in errors[0].message


def test_a_second_tax_table_is_reported(base: CatalogRelease, swap: Swap) -> None:
    extra = TaxTable(
        id="vat-2", version="1", name="VAT again", rates=(TaxRate("NL", "standard", Decimal(21)),)
    )

    assert [(e.code, e.path) for e in check_release(swap(extra))] == [
        ("MULTIPLE_TAX_TABLES", "$.metadata.id")
    ]
