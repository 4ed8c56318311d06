from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from engine.spec.price import ChargePeriod, MatrixRow, PriceMatrix, PriceTier, PriceType, ProductOfferingPrice
from engine.spec.release import CatalogRelease
from engine.validation.semantic import check_release
from tests.engine.validation.catalog import Swap, at, eur


def _findings(swap: Swap, *prices: ProductOfferingPrice) -> list[tuple[str, str]]:
    return [(e.code, e.path) for e in check_release(swap(*prices))]


def test_recurring_price_without_period_is_reported(base: CatalogRelease, swap: Swap) -> None:
    path = "$.spec.recurringChargePeriodType"
    broken = replace(base.price("fibre-500-monthly"), recurringChargePeriodType=None, source=at(path, 5))

    errors = check_release(swap(broken))

    assert [(e.code, e.line, e.path) for e in errors] == [("RECURRING_WITHOUT_PERIOD", 5, path)]
    assert check_release(swap(replace(broken, recurringChargePeriodType=ChargePeriod.week))) == ()


def test_discount_with_neither_percentage_nor_price_is_reported(base: CatalogRelease, swap: Swap) -> None:
    broken = replace(base.price("converged-discount"), percentage=None)

    assert _findings(swap, broken) == [("DISCOUNT_AMOUNT", "$.spec")]
    assert _findings(swap, replace(broken, price=eur("5.00"))) == []


def test_discount_with_both_percentage_and_price_is_reported(base: CatalogRelease, swap: Swap) -> None:
    broken = replace(base.price("converged-discount"), price=eur("5.00"))

    assert _findings(swap, broken) == [("DISCOUNT_AMOUNT", "$.spec.percentage")]


@pytest.mark.parametrize("percentage", ["-5", "100.01", "120"])
def test_discount_percentage_outside_0_to_100_is_reported(
    base: CatalogRelease, swap: Swap, percentage: str
) -> None:
    broken = replace(base.price("converged-discount"), percentage=Decimal(percentage))

    assert _findings(swap, broken) == [("PERCENTAGE_OUT_OF_RANGE", "$.spec.percentage")]
    assert _findings(swap, replace(broken, percentage=Decimal(100))) == []


def test_price_without_any_amount_is_reported(base: CatalogRelease, swap: Swap) -> None:
    broken = replace(base.price("fibre-install-fee"), price=None)

    assert _findings(swap, broken) == [("MISSING_AMOUNT", "$.spec")]


def test_price_with_both_a_flat_amount_and_a_matrix_is_reported(base: CatalogRelease, swap: Swap) -> None:
    broken = replace(base.price("fibre-flex-monthly"), price=eur("40.00"))

    assert _findings(swap, broken) == [("CONFLICTING_AMOUNT", "$.spec")]


def test_tiers_on_a_recurring_price_are_reported(base: CatalogRelease, swap: Swap) -> None:
    tiers = base.price("mobile-data").tiers
    broken = replace(base.price("mobile-monthly"), price=None, tiers=tiers)

    assert _findings(swap, broken) == [("TIERS_NOT_USAGE", "$.spec.tiers")]


def test_negative_amount_is_reported(base: CatalogRelease, swap: Swap) -> None:
    broken = replace(base.price("fibre-install-fee"), price=eur("-10.00"))

    assert _findings(swap, broken) == [("NEGATIVE_AMOUNT", "$.spec.price")]


def _tiers(*bounds: tuple[int, int | None]) -> tuple[PriceTier, ...]:
    return tuple(
        PriceTier(Decimal(low), None if high is None else Decimal(high), eur("1.00")) for low, high in bounds
    )


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        (((0, 5), (4, None)), [("TIER_OVERLAP", "$.spec.tiers[1].fromQuantity")]),
        (((0, 5), (6, None)), [("TIER_GAP", "$.spec.tiers[1].fromQuantity")]),
        (((1, 5), (5, None)), [("TIER_GAP", "$.spec.tiers[0].fromQuantity")]),
        (((0, 5), (5, 10)), [("TIER_GAP", "$.spec.tiers[1].toQuantity")]),
        (((0, None), (5, None)), [("TIER_OVERLAP", "$.spec.tiers[1].fromQuantity")]),
        (((5, None), (0, 5)), [("TIER_ORDER", "$.spec.tiers[1].fromQuantity")]),
        (((0, 0), (0, None)), [("TIER_ORDER", "$.spec.tiers[0].toQuantity")]),
        (((-1, 5), (5, None)), [("TIER_ORDER", "$.spec.tiers[0].fromQuantity")]),
    ],
)
def test_usage_tiers_that_overlap_gap_or_do_not_ascend_are_reported(
    base: CatalogRelease,
    swap: Swap,
    bounds: tuple[tuple[int, int | None], ...],
    expected: list[tuple[str, str]],
) -> None:
    broken = replace(base.price("mobile-data"), tiers=_tiers(*bounds))

    assert _findings(swap, broken) == expected
    assert _findings(swap, replace(broken, tiers=_tiers((0, 5), (5, 20), (20, None)))) == []


def _matrix(
    *rows: tuple[str, ...], characteristics: tuple[str, ...] = ("downloadSpeed", "contractTerm")
) -> PriceMatrix:
    return PriceMatrix(characteristics, tuple(MatrixRow(values, eur("45.00")) for values in rows))


def test_matrix_characteristic_missing_from_the_specification_is_reported(
    base: CatalogRelease, swap: Swap
) -> None:
    path = "$.spec.matrix.characteristics[1]"
    matrix = _matrix(("500", "gold"), characteristics=("downloadSpeed", "slaTier"))
    broken = replace(base.price("fibre-flex-monthly"), matrix=matrix, source=at(path, 8, 37))

    errors = check_release(swap(broken))

    assert [(e.code, e.line, e.column, e.path) for e in errors] == [
        ("MATRIX_UNKNOWN_CHARACTERISTIC", 8, 37, path)
    ]
    assert "'slaTier' is not in fibre-access version 1 (offering fibre-flex)" in errors[0].message


def test_matrix_value_the_characteristic_does_not_admit_is_reported(base: CatalogRelease, swap: Swap) -> None:
    broken = replace(base.price("fibre-flex-monthly"), matrix=_matrix(("500", "12"), ("2000", "12")))

    errors = check_release(swap(broken))

    assert [(e.code, e.path) for e in errors] == [
        ("MATRIX_VALUE_NOT_ADMITTED", "$.spec.matrix.rows[1].values[0]")
    ]
    assert "downloadSpeed '2000' is not admitted by fibre-access (allowed: 500, 1000)" in errors[0].message


def test_matrix_value_inside_a_characteristic_range_is_admitted(base: CatalogRelease, swap: Swap) -> None:
    matrix = _matrix(("0",), ("8",), characteristics=("staticIpCount",))
    in_range = replace(base.price("fibre-flex-monthly"), matrix=matrix)

    assert _findings(swap, in_range) == []
    outside = replace(in_range, matrix=_matrix(("9",), characteristics=("staticIpCount",)))
    assert _findings(swap, outside) == [("MATRIX_VALUE_NOT_ADMITTED", "$.spec.matrix.rows[0].values[0]")]


def test_matrix_on_an_offering_without_specification_is_reported(base: CatalogRelease, swap: Swap) -> None:
    offering = replace(base.offering("fibre-flex"), productSpecification=None)

    assert [e.code for e in check_release(swap(offering))] == ["MATRIX_UNKNOWN_CHARACTERISTIC"]


def test_matrix_row_with_the_wrong_width_is_reported(base: CatalogRelease, swap: Swap) -> None:
    broken = replace(base.price("fibre-flex-monthly"), matrix=_matrix(("500", "12"), ("1000",)))

    assert _findings(swap, broken) == [("MATRIX_ROW_WIDTH", "$.spec.matrix.rows[1].values")]


def test_duplicate_matrix_rows_are_reported(base: CatalogRelease, swap: Swap) -> None:
    broken = replace(
        base.price("fibre-flex-monthly"), matrix=_matrix(("500", "12"), ("1000", "24"), ("500", "12"))
    )

    assert _findings(swap, broken) == [("MATRIX_DUPLICATE_ROW", "$.spec.matrix.rows[2].values")]


def test_discount_applying_to_another_offerings_price_is_reported(base: CatalogRelease, swap: Swap) -> None:
    discount = replace(base.price("converged-discount"), appliesTo=("fibre-flex-monthly",))

    assert _findings(swap, discount) == [("APPLIES_TO_FOREIGN_PRICE", "$.spec.appliesTo[0]")]


def test_bundle_discount_may_apply_to_its_components_prices(base: CatalogRelease, swap: Swap) -> None:
    discount = replace(base.price("converged-discount"), appliesTo=("mobile-monthly", "fibre-500-monthly"))

    assert _findings(swap, discount) == []
    loose = replace(
        base.offering("fibre-flex"), productOfferingPrice=("fibre-flex-monthly", "converged-discount")
    )
    assert [e.code for e in check_release(swap(discount, loose))] == ["APPLIES_TO_FOREIGN_PRICE"] * 2


def test_usage_price_with_a_flat_per_unit_amount_is_valid(base: CatalogRelease, swap: Swap) -> None:
    flat = replace(base.price("mobile-data"), tiers=(), price=eur("1.50"), priceType=PriceType.usage)

    assert _findings(swap, flat) == []
