"""What every pricing step reads: the release, the request, the moment of evaluation and the trace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from engine.errors import UnknownEntityError
from engine.facts import EvaluationRequest
from engine.money import RoundingRule
from engine.pricing.errors import PricingError, PricingErrorCode
from engine.pricing.trace import Trace, TraceStep
from engine.spec.common import Kind
from engine.spec.price import PriceType, ProductOfferingPrice
from engine.spec.product import ProductOffering
from engine.spec.release import CatalogRelease


@dataclass(frozen=True, slots=True)
class PricingContext:
    release: CatalogRelease
    request: EvaluationRequest
    # Midnight UTC of the request date: every entity is looked up as in effect at that moment.
    at: datetime
    trace: Trace

    @classmethod
    def of(cls, release: CatalogRelease, request: EvaluationRequest) -> PricingContext:
        at = datetime.combine(request.context.date, time.min, tzinfo=UTC)
        return cls(release=release, request=request, at=at, trace=Trace())

    @property
    def currency(self) -> str:
        return self.release.manifest.currency

    @property
    def rounding(self) -> RoundingRule:
        return self.release.manifest.rounding

    @property
    def channel(self) -> str:
        return self.request.context.channel


@dataclass(frozen=True, slots=True)
class OfferingPrices:
    """The prices an offering lists, split into the versions in effect and the ids with none in effect."""

    inEffect: tuple[ProductOfferingPrice, ...]
    notInEffect: tuple[str, ...]

    @property
    def charges(self) -> tuple[ProductOfferingPrice, ...]:
        return tuple(p for p in self.inEffect if p.priceType is not PriceType.discount)

    @property
    def discounts(self) -> tuple[ProductOfferingPrice, ...]:
        return tuple(p for p in self.inEffect if p.priceType is PriceType.discount)


def offering_prices(ctx: PricingContext, offering: ProductOffering) -> OfferingPrices:
    """The offering's prices as in effect at the request moment, each checked for the quote's currency."""
    in_effect: list[ProductOfferingPrice] = []
    not_in_effect: list[str] = []
    for price_id in offering.productOfferingPrice:
        price = ctx.release.find(ProductOfferingPrice, price_id, ctx.at)
        if price is None:
            if not ctx.release.has(Kind.ProductOfferingPrice, price_id):
                raise UnknownEntityError(
                    f"offering {offering.id!r} lists price {price_id!r}, which release {ctx.release.id} lacks"
                )
            not_in_effect.append(price_id)
            continue
        _check_currency(ctx, price)
        in_effect.append(price)
    return OfferingPrices(tuple(in_effect), tuple(not_in_effect))


def trace_not_in_effect(ctx: PricingContext, itemId: str, price_ids: tuple[str, ...]) -> None:
    for price_id in price_ids:
        ctx.trace.add(
            itemId,
            TraceStep.price,
            f"price {price_id}: no version in effect on {ctx.request.context.date} (validFor); not applied",
        )


def _check_currency(ctx: PricingContext, price: ProductOfferingPrice) -> None:
    foreign = sorted(price.currencies - {ctx.currency})
    if foreign:
        raise PricingError(
            f"price {price.id}@{price.version} is in {', '.join(foreign)} but the quote is in {ctx.currency}; "
            "a quote never mixes currencies",
            code=PricingErrorCode.currencyMismatch,
        )
