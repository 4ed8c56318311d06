"""Usage prices: the rate card shown on the item and, given a volume, the estimated usage charge."""

from __future__ import annotations

from decimal import Decimal

from engine.facts import CartItem
from engine.money import Money
from engine.pricing.charges import Charge, tidy
from engine.pricing.context import PricingContext
from engine.pricing.errors import PricingError, PricingErrorCode
from engine.pricing.model import RateCard
from engine.pricing.trace import TraceStep
from engine.spec.price import PriceTier, ProductOfferingPrice, TierMode


def rate_card(ctx: PricingContext, itemId: str, price: ProductOfferingPrice) -> RateCard:
    """The rate card of a usage price; a price without tiers charges its flat `price` per unit."""
    if price.unitOfMeasure is None or (not price.tiers and price.price is None):
        raise PricingError(
            f"usage price {price.id}@{price.version} needs a unitOfMeasure and tiers or a price per unit",
            code=PricingErrorCode.malformedPrice,
        )
    card = RateCard(
        priceId=price.id,
        priceVersion=price.version,
        name=price.name,
        unitOfMeasure=price.unitOfMeasure,
        includedAllowance=price.includedAllowance,
        # Graduated when unstated: it never charges a unit at a rate above the tier the unit falls in.
        tierMode=price.tierMode or TierMode.graduated,
        tiers=tuple(sorted(price.tiers, key=lambda t: t.fromQuantity)),
        price=price.price if not price.tiers else None,
    )
    ctx.trace.add(itemId, TraceStep.usage, f"rate card {price.id}@{price.version}: {_describe(card)}")
    return card


def usage_charge(
    ctx: PricingContext, item: CartItem, price: ProductOfferingPrice, card: RateCard
) -> Charge | None:
    """The estimated charge for the volume the item carries for this unit; None when it carries none."""
    volume = item.usage.get(card.unitOfMeasure)
    if volume is None:
        ctx.trace.add(item.id, TraceStep.usage, f"no {card.unitOfMeasure} volume given: no usage estimate")
        return None
    billable = max(volume - card.includedAllowance, Decimal(0))
    per_instance = tidy(Money(rate(card, billable), ctx.currency))
    charge = Charge(price=price, unitPrice=per_instance, quantity=item.quantity, usageVolume=volume)
    ctx.trace.add(
        item.id,
        TraceStep.usage,
        f"estimated {price.id}@{price.version}: {volume} {card.unitOfMeasure} used, "
        f"{card.includedAllowance} included, {billable} billable ({card.tierMode.value}): "
        f"{per_instance} x {item.quantity}",
        charge.amount,
    )
    return charge


def rate(card: RateCard, billable: Decimal) -> Decimal:
    """The exact charge for `billable` units (the allowance already deducted)."""
    if not card.tiers:
        assert card.price is not None  # rate_card refuses a usage price with neither
        return billable * card.price.value
    if card.tierMode is TierMode.volume:
        return _volume(card.tiers, billable)
    return _graduated(card.tiers, billable)


def _graduated(tiers: tuple[PriceTier, ...], billable: Decimal) -> Decimal:
    # Each unit at the rate of the tier it falls in: the units between a tier's bounds.
    total = Decimal(0)
    for tier in tiers:
        upper = billable if tier.toQuantity is None else min(billable, tier.toQuantity)
        total += max(upper - tier.fromQuantity, Decimal(0)) * tier.price.value
    return total


def _volume(tiers: tuple[PriceTier, ...], billable: Decimal) -> Decimal:
    # Every unit at the rate of the tier the total reaches. A total in no tier (in a gap, or below the first
    # tier's start) has no rate to charge it at; the spec author left those volumes free.
    if billable <= 0:
        return Decimal(0)
    reached = next(
        (
            t
            for t in tiers
            if t.fromQuantity < billable and (t.toQuantity is None or billable <= t.toQuantity)
        ),
        None,
    )
    return Decimal(0) if reached is None else billable * reached.price.value


def _describe(card: RateCard) -> str:
    head = f"{card.unitOfMeasure}, {card.includedAllowance} included"
    if not card.tiers:
        return f"{head}, {card.price} per unit"
    tiers = "; ".join(
        f"{t.fromQuantity}-{'' if t.toQuantity is None else t.toQuantity} at {t.price}" for t in card.tiers
    )
    return f"{head}, {card.tierMode.value} tiers {tiers}"
