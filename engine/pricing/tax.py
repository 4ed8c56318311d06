"""Tax by category and place: the rate of the customer's region, else its country, else the default region."""

from __future__ import annotations

from decimal import Decimal

from engine.money import Money, RoundingRule
from engine.pricing.context import PricingContext
from engine.pricing.errors import PricingError, PricingErrorCode
from engine.pricing.trace import TraceStep
from engine.spec.release import TaxRate, TaxTable


def tax_rate(ctx: PricingContext, itemId: str, priceId: str, taxCategory: str) -> Decimal:
    """The rate, in percent, for this category at the customer's address; missing is an error, never zero."""
    region, country = _place(ctx)
    table = _table(ctx)
    rate = table.rate_for(taxCategory, region, country) if table else None
    if rate is None:
        where = " or ".join(repr(p) for p in (region, country) if p) or "no region (and no default region)"
        raise PricingError(
            f"no tax rate for category {taxCategory!r} in {where}; refusing to quote without tax",
            code=PricingErrorCode.taxRateMissing,
        )
    ctx.trace.add(
        itemId,
        TraceStep.tax,
        f"{priceId}: tax category {taxCategory} at {rate.rate}% ({_why(ctx, rate, region)})",
    )
    return rate.rate


def tax_on(amount: Money, rate: Decimal, rounding: RoundingRule) -> Money:
    """Tax on an already rounded line, rounded the same way."""
    return amount.times(rate / 100).rounded(rounding)


def _place(ctx: PricingContext) -> tuple[str | None, str | None]:
    address = ctx.request.address
    if address.region is None and address.country is None:
        return ctx.release.manifest.defaultRegion, None
    # An address that names a place is taxed there: falling back to the default region would tax a
    # customer abroad at the home rate.
    return address.region, address.country


def _table(ctx: PricingContext) -> TaxTable | None:
    # One table per release, but it may hold dated versions (a VAT change): take the one in effect.
    any_version = ctx.release.tax_table()
    if any_version is None:
        return None
    return ctx.release.find(TaxTable, any_version.id, ctx.at)


def _why(ctx: PricingContext, rate: TaxRate, region: str | None) -> str:
    address = ctx.request.address
    if address.region is None and address.country is None:
        return f"default region {rate.region}; the request names no address"
    if rate.region == region:
        return f"region {rate.region}"
    return f"country {rate.region}; no rate for region {region}" if region else f"country {rate.region}"
