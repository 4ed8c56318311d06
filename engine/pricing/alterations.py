"""Discounts and promotions: which fire on which charges, and what they take off, in priority order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from engine.facts import CartItem
from engine.money import Money
from engine.pricing.charges import Charge, tidy
from engine.pricing.context import PricingContext
from engine.pricing.errors import PricingError, PricingErrorCode
from engine.pricing.holdings import Holdings
from engine.pricing.model import PriceAlteration
from engine.pricing.trace import TraceStep
from engine.spec.price import PriceType, ProductOfferingPrice


@dataclass(frozen=True, slots=True)
class Candidate:
    """A discount that may alter an item's charges: one of its own offering's, or of its bundle's."""

    price: ProductOfferingPrice
    declaredBy: str
    # A bundle's discount alters its component items only where `appliesTo` names their prices.
    fromBundle: bool = False

    def targets(self, charge: Charge) -> bool:
        if self.price.appliesTo or self.fromBundle:
            return charge.price.id in self.price.appliesTo
        return charge.price.priceType is PriceType.recurring

    @property
    def label(self) -> str:
        origin = f"bundle {self.declaredBy}" if self.fromBundle else self.declaredBy
        return f"discount {self.price.id}@{self.price.version} ({self.price.name}, of {origin})"


@dataclass(frozen=True, slots=True)
class AlteredCharge:
    """A charge after its alterations, still exact: rounding comes after, on the whole line."""

    charge: Charge
    amount: Money
    alterations: tuple[PriceAlteration, ...]


def alter_charges(
    ctx: PricingContext,
    holdings: Holdings,
    item: CartItem,
    charges: Sequence[Charge],
    candidates: Sequence[Candidate],
) -> tuple[AlteredCharge, ...]:
    """Each charge with the discounts that fire on it; every candidate that does not fire is traced with why."""
    firing: list[list[Candidate]] = [[] for _ in charges]
    for candidate in sorted(candidates, key=lambda c: (c.price.priority, c.price.id)):
        _check_discount(candidate.price)
        hits = [i for i, charge in enumerate(charges) if candidate.targets(charge)]
        reason = _why_not(ctx, holdings, item, candidate, bool(hits))
        if reason is not None:
            ctx.trace.add(item.id, TraceStep.alteration, f"{candidate.label} not applied: {reason}")
            continue
        for i in hits:
            firing[i].append(candidate)
    return tuple(_apply(ctx, item.id, charge, firing[i]) for i, charge in enumerate(charges))


def _why_not(
    ctx: PricingContext, holdings: Holdings, item: CartItem, candidate: Candidate, has_targets: bool
) -> str | None:
    discount = candidate.price
    if not has_targets:
        named = ", ".join(discount.appliesTo) if discount.appliesTo else "its recurring prices"
        return f"it alters {named}, none of which this item is charged"
    if discount.channel and ctx.channel not in discount.channel:
        return f"channel {ctx.channel!r} not allowed (only {', '.join(discount.channel)})"
    condition = discount.condition
    if condition is not None:
        seen = holdings.count(condition, item.productOffering, item.quantity)
        if seen < condition.minCount:
            return (
                f"condition not met: {seen} of {', '.join(condition.productOffering)} in "
                f"{condition.scope.value}, needs {condition.minCount}"
            )
    return None


def _apply(ctx: PricingContext, itemId: str, charge: Charge, discounts: Sequence[Candidate]) -> AlteredCharge:
    remaining = charge.amount
    applied: list[PriceAlteration] = []
    for candidate in discounts:
        discount = candidate.price
        off, how = _take(discount, remaining, charge.quantity)
        remaining = remaining - off
        applied.append(
            PriceAlteration(
                id=discount.id,
                version=discount.version,
                name=discount.name,
                amount=off,
                percentage=discount.percentage,
                applicationDuration=discount.applicationDuration,
                priority=discount.priority,
            )
        )
        duration = (
            "while held"
            if discount.applicationDuration is None
            else f"for {discount.applicationDuration} cycles"
        )
        ctx.trace.add(
            itemId,
            TraceStep.alteration,
            f"{candidate.label} applied to {charge.price.id} (priority {discount.priority}, {duration}): "
            f"-{off} ({how})",
            off,
        )
    return AlteredCharge(charge=charge, amount=remaining, alterations=tuple(applied))


def _take(discount: ProductOfferingPrice, remaining: Money, quantity: int) -> tuple[Money, str]:
    """What a discount takes off the charge as it stands, and how that was worked out."""
    if discount.percentage is not None:
        # A percentage applies to the charge as it stands after the earlier alterations.
        wanted = remaining.value * discount.percentage / 100
        how = f"{discount.percentage}% of {tidy(remaining)}"
    else:
        assert discount.price is not None  # _check_discount refuses a discount with neither
        wanted = discount.price.value * quantity
        how = f"{discount.price} x {quantity}"
    taken = max(min(wanted, remaining.value), Decimal(0))
    if taken < wanted:
        how += f", capped at the remaining {tidy(remaining)} so the charge never goes below zero"
    return tidy(Money(taken, remaining.unit)), how


def _check_discount(discount: ProductOfferingPrice) -> None:
    if discount.percentage is not None and discount.price is None:
        amount = discount.percentage
    elif discount.price is not None and discount.percentage is None:
        amount = discount.price.value
    else:
        raise PricingError(
            f"discount {discount.id}@{discount.version} needs exactly one of percentage and price",
            code=PricingErrorCode.malformedPrice,
        )
    if amount < 0:
        raise PricingError(
            f"discount {discount.id}@{discount.version} is negative; a surcharge is a price, not a discount",
            code=PricingErrorCode.malformedPrice,
        )
