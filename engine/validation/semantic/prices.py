"""A price on its own: exactly one amount, a period when recurring, a sound discount, a well-formed matrix."""

from __future__ import annotations

from collections.abc import Iterator

from engine.spec.price import PriceType, ProductOfferingPrice
from engine.spec.release import CatalogRelease
from engine.validation.report import SpecError
from engine.validation.semantic.codes import SemanticCode
from engine.validation.semantic.common import Problem, amounts, spec_error
from engine.validation.semantic.tiers import tier_errors


def _amount(p: ProductOfferingPrice) -> Iterator[Problem]:
    given = [name for name, value in (("price", p.price), ("tiers", p.tiers), ("matrix", p.matrix)) if value]
    if len(given) > 1:
        message = f"give one of price, tiers or matrix, not {' and '.join(given)}"
        yield "$.spec", message, SemanticCode.CONFLICTING_AMOUNT
    elif not given:
        message = f"a {p.priceType} price needs a price, tiers or a matrix"
        yield "$.spec", message, SemanticCode.MISSING_AMOUNT
    if p.tiers and p.priceType is not PriceType.usage:
        message = f"tiers apply to usage prices only, not {p.priceType}"
        yield "$.spec.tiers", message, SemanticCode.TIERS_NOT_USAGE


def _negative(p: ProductOfferingPrice) -> Iterator[Problem]:
    for path, money in amounts(p):
        if money.value < 0:
            message = f"{money} is negative: a reduction is written as a discount price"
            yield path, message, SemanticCode.NEGATIVE_AMOUNT


def _discount(p: ProductOfferingPrice) -> Iterator[Problem]:
    if p.percentage is None and p.price is None:
        yield "$.spec", "a discount needs a percentage or a fixed price", SemanticCode.DISCOUNT_AMOUNT
    elif p.percentage is not None and p.price is not None:
        message = "a discount takes a percentage or a price, not both"
        yield "$.spec.percentage", message, SemanticCode.DISCOUNT_AMOUNT
    if p.percentage is not None and not 0 <= p.percentage <= 100:
        message = f"percentage {p.percentage} is outside 0..100"
        yield "$.spec.percentage", message, SemanticCode.PERCENTAGE_OUT_OF_RANGE


def _matrix(p: ProductOfferingPrice) -> Iterator[Problem]:
    if p.matrix is None:
        return
    width = len(p.matrix.characteristics)
    seen: dict[tuple[str, ...], int] = {}
    for i, row in enumerate(p.matrix.rows):
        path = f"$.spec.matrix.rows[{i}].values"
        if len(row.values) != width:
            message = f"row has {len(row.values)} values for {width} characteristics"
            yield path, message, SemanticCode.MATRIX_ROW_WIDTH
            continue
        # Lookups ignore case, so rows that differ only in case are the same row.
        key = tuple(v.lower() for v in row.values)
        if key in seen:
            message = f"row {list(row.values)} repeats row {seen[key]}: which price applies is ambiguous"
            yield path, message, SemanticCode.MATRIX_DUPLICATE_ROW
        else:
            seen[key] = i


def _problems(p: ProductOfferingPrice) -> Iterator[Problem]:
    yield from _discount(p) if p.priceType is PriceType.discount else _amount(p)
    yield from _negative(p)
    if p.priceType is PriceType.recurring and p.recurringChargePeriodType is None:
        message = "a recurring price needs recurringChargePeriodType"
        yield "$.spec.recurringChargePeriodType", message, SemanticCode.RECURRING_WITHOUT_PERIOD
    yield from tier_errors(p)
    yield from _matrix(p)


def check_prices(release: CatalogRelease) -> Iterator[SpecError]:
    """Each price, on its own, can be computed without guessing."""
    for p in release.all(ProductOfferingPrice):
        for path, message, code in _problems(p):
            yield spec_error(p, path, message, code)
