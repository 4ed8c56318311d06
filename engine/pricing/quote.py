"""The quote: price every cart item at the request date and channel, then total and explain it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.errors import CartError, UnknownEntityError
from engine.facts import CartItem, EvaluationRequest, ItemAction
from engine.pricing.alterations import AlteredCharge, Candidate, alter_charges
from engine.pricing.characteristics import resolve_characteristics
from engine.pricing.charges import Charge, list_charge, tidy
from engine.pricing.context import PricingContext, offering_prices, trace_not_in_effect
from engine.pricing.holdings import Holdings
from engine.pricing.model import Quote, QuoteItem, QuoteLine, RateCard
from engine.pricing.tax import tax_on, tax_rate
from engine.pricing.totals import totals_of
from engine.pricing.trace import TraceStep
from engine.pricing.usage import rate_card, usage_charge
from engine.spec.common import Kind
from engine.spec.conditions import Scalar
from engine.spec.price import PriceType, ProductOfferingPrice
from engine.spec.product import ProductOffering
from engine.spec.release import CatalogRelease

# `modify` is priced like `add`: the quote shows what the item costs once changed. `delete` and `noChange`
# items cost nothing new and are listed uncharged.
PRICED_ACTIONS = frozenset({ItemAction.add, ItemAction.modify})


@dataclass(frozen=True, slots=True)
class _Entry:
    index: int
    item: CartItem
    offering: ProductOffering


def quote(release: CatalogRelease, request: EvaluationRequest) -> Quote:
    """Price a cart: lines, rate cards and totals per item and overall, with the trace that explains them."""
    ctx = PricingContext.of(release, request)
    entries = _entries(ctx)
    holdings = Holdings.of(request)
    by_id = {entry.item.id: entry for entry in entries}
    items = tuple(_price_item(ctx, holdings, entry, by_id) for entry in entries)
    return Quote(
        releaseId=release.id,
        contentHash=release.contentHash,
        currency=ctx.currency,
        date=request.context.date,
        channel=ctx.channel,
        items=items,
        totals=totals_of((line for item in items for line in item.lines), ctx.currency),
        trace=ctx.trace.entries(),
    )


def _entries(ctx: PricingContext) -> tuple[_Entry, ...]:
    entries = tuple(_Entry(i, item, _offering(ctx, item, i)) for i, item in enumerate(ctx.request.cart))
    seen: set[str] = set()
    for entry in entries:
        if entry.item.id in seen:
            raise CartError(
                f"item id {entry.item.id!r} is used twice in the cart", path=f"$.cart[{entry.index}].id"
            )
        seen.add(entry.item.id)
    for entry in entries:
        if entry.item.parentItemId is not None and entry.item.parentItemId not in seen:
            raise CartError(
                f"parentItemId {entry.item.parentItemId!r} names no item of the cart",
                path=f"$.cart[{entry.index}].parentItemId",
            )
    return entries


def _offering(ctx: PricingContext, item: CartItem, index: int) -> ProductOffering:
    offering = ctx.release.find(ProductOffering, item.productOffering, ctx.at)
    if offering is not None:
        return offering
    why = (
        f"has no version in effect on {ctx.request.context.date}"
        if ctx.release.has(Kind.ProductOffering, item.productOffering)
        else "does not exist"
    )
    raise UnknownEntityError(
        f"offering {item.productOffering!r} {why} in release {ctx.release.id}",
        path=f"$.cart[{index}].productOffering",
    )


def _price_item(
    ctx: PricingContext, holdings: Holdings, entry: _Entry, by_id: Mapping[str, _Entry]
) -> QuoteItem:
    item, offering = entry.item, entry.offering
    if item.action not in PRICED_ACTIONS:
        ctx.trace.add(
            item.id, TraceStep.item, f"{offering.id}@{offering.version} ({item.action.value}): not charged"
        )
        return _quote_item(ctx, entry, dict(item.characteristic), (), (), charged=False)
    ctx.trace.add(
        item.id,
        TraceStep.item,
        f"{offering.id}@{offering.version} x {item.quantity} ({item.action.value}): priced",
    )
    chosen = resolve_characteristics(ctx, item, entry.index, offering)
    prices = offering_prices(ctx, offering)
    trace_not_in_effect(ctx, item.id, prices.notInEffect)
    charges, cards = _charges(ctx, entry, prices.charges, chosen)
    candidates = [Candidate(p, offering.id) for p in prices.discounts]
    candidates += _bundle_candidates(ctx, item, by_id)
    altered = alter_charges(ctx, holdings, item, charges, candidates)
    lines = tuple(_line(ctx, entry, a) for a in altered)
    return _quote_item(ctx, entry, chosen, lines, cards, charged=True)


def _charges(
    ctx: PricingContext, entry: _Entry, prices: Sequence[ProductOfferingPrice], chosen: Mapping[str, Scalar]
) -> tuple[list[Charge], tuple[RateCard, ...]]:
    charges: list[Charge] = []
    cards: list[RateCard] = []
    for price in prices:
        if price.priceType is PriceType.usage:
            card = rate_card(ctx, entry.item.id, price)
            cards.append(card)
            estimate = usage_charge(ctx, entry.item, price, card)
            if estimate is not None:
                charges.append(estimate)
        else:
            charges.append(list_charge(ctx, entry.item, entry.index, price, chosen))
    return charges, tuple(cards)


def _bundle_candidates(ctx: PricingContext, item: CartItem, by_id: Mapping[str, _Entry]) -> list[Candidate]:
    parent = by_id.get(item.parentItemId) if item.parentItemId is not None else None
    if parent is None or not parent.offering.isBundle:
        return []
    bundle = parent.offering
    return [Candidate(p, bundle.id, fromBundle=True) for p in offering_prices(ctx, bundle).discounts]


def _line(ctx: PricingContext, entry: _Entry, altered: AlteredCharge) -> QuoteLine:
    charge, price, itemId = altered.charge, altered.charge.price, entry.item.id
    rounded = altered.amount.rounded(ctx.rounding)
    ctx.trace.add(
        itemId,
        TraceStep.rounding,
        f"{price.id}: {tidy(altered.amount)} rounded {ctx.rounding.mode.value} to {rounded}",
        rounded,
    )
    rate = tax_rate(ctx, itemId, price.id, price.taxCategory)
    return QuoteLine(
        itemId=itemId,
        productOffering=entry.offering.id,
        priceId=price.id,
        priceVersion=price.version,
        name=price.name,
        priceType=price.priceType,
        period=price.period,
        quantity=charge.quantity,
        unitPrice=charge.unitPrice,
        dutyFreeAmount=rounded,
        taxCategory=price.taxCategory,
        taxRate=rate,
        taxIncludedAmount=rounded + tax_on(rounded, rate, ctx.rounding),
        priceAlteration=altered.alterations,
        usageVolume=charge.usageVolume,
        unitOfMeasure=price.unitOfMeasure if price.priceType is PriceType.usage else None,
    )


def _quote_item(
    ctx: PricingContext,
    entry: _Entry,
    characteristic: Mapping[str, Scalar],
    lines: tuple[QuoteLine, ...],
    cards: tuple[RateCard, ...],
    *,
    charged: bool,
) -> QuoteItem:
    item = entry.item
    return QuoteItem(
        itemId=item.id,
        productOffering=entry.offering.id,
        productOfferingVersion=entry.offering.version,
        action=item.action,
        quantity=item.quantity,
        parentItemId=item.parentItemId,
        charged=charged,
        characteristic=characteristic,
        lines=lines,
        rateCards=cards,
        totals=totals_of(lines, ctx.currency),
    )
