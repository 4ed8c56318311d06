"""Breaking price changes: what a customer who holds an offering would pay more for after the release.

Compared per price id: the version in effect on the old release's date against every version of the new
release in effect on its date or later (a rise scheduled for 1 July is a rise). Flat amounts compare as
they are, matrices row by row, usage tiers tier by tier; a structure that cannot be compared is flagged.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.diff.common import effective, show, upcoming
from engine.diff.model import Change
from engine.lifecycle import is_held
from engine.money import Money
from engine.spec.common import Kind
from engine.spec.price import PriceType, ProductOfferingPrice
from engine.spec.product import ProductOffering
from engine.spec.release import CatalogRelease

REASON = "a price raised on an offering existing customers may hold"


def _money(old: Money, new: Money, what: str) -> Iterator[str]:
    if old.unit != new.unit:
        yield f"{what} changed currency: {show(old)} → {show(new)}"
    elif new.value > old.value:
        yield f"{what} raised: {show(old)} → {show(new)}"


def _matrix_rows(old: ProductOfferingPrice, new: ProductOfferingPrice) -> Iterator[str]:
    assert old.matrix is not None and new.matrix is not None
    if tuple(c.lower() for c in old.matrix.characteristics) != tuple(
        c.lower() for c in new.matrix.characteristics
    ):
        yield "matrix characteristics changed, so rows cannot be compared"
        return
    before = {tuple(v.lower() for v in r.values): r for r in old.matrix.rows}
    for row in new.matrix.rows:
        previous = before.get(tuple(v.lower() for v in row.values))
        if previous is not None:
            yield from _money(previous.price, row.price, f"row [{', '.join(row.values)}]")


def _tiers(old: ProductOfferingPrice, new: ProductOfferingPrice) -> Iterator[str]:
    before = {t.fromQuantity: t for t in old.tiers}
    for tier in new.tiers:
        previous = before.get(tier.fromQuantity)
        if previous is not None:
            yield from _money(previous.price, tier.price, f"tier from {tier.fromQuantity}")
    if new.includedAllowance < old.includedAllowance:
        yield f"included allowance cut: {old.includedAllowance} → {new.includedAllowance}"


def _discount(old: ProductOfferingPrice, new: ProductOfferingPrice) -> Iterator[str]:
    # A smaller discount is a higher price.
    if old.percentage is not None and new.percentage is not None:
        if new.percentage < old.percentage:
            yield f"discount reduced: {old.percentage}% → {new.percentage}%"
    elif old.price is not None and new.price is not None:
        if new.price.value < old.price.value:
            yield f"discount reduced: {show(old.price)} → {show(new.price)}"
    else:
        yield "discount changed between a percentage and a fixed amount"
    shortened = new.applicationDuration is not None and (
        old.applicationDuration is None or new.applicationDuration < old.applicationDuration
    )
    if shortened:
        yield f"discount duration shortened: {show(old.applicationDuration)} → {new.applicationDuration} cycles"


def raises(old: ProductOfferingPrice, new: ProductOfferingPrice) -> Iterator[str]:
    """How `new` costs a holder more than `old`, one line per finding; nothing when it does not."""
    if (old.priceType, old.period) != (new.priceType, new.period):
        yield f"charge changed from {old.period or old.priceType} to {new.period or new.priceType}"
    elif new.priceType is PriceType.discount:
        yield from _discount(old, new)
    elif old.price is not None and new.price is not None:
        yield from _money(old.price, new.price, "price")
    elif old.matrix is not None and new.matrix is not None:
        yield from _matrix_rows(old, new)
    elif old.tiers or new.tiers:
        yield from _tiers(old, new)
    else:
        yield "price structure changed (flat, matrix or tiers), so amounts cannot be compared"


def _kept_price_raises(old: CatalogRelease, new: CatalogRelease, price_id: str) -> Iterator[str]:
    previous = effective(old, ProductOfferingPrice, price_id)
    if previous is None:
        return  # an unresolved reference in the old release: nothing to compare with
    for current in upcoming(new, ProductOfferingPrice, price_id):
        for finding in raises(previous, current):
            yield f"price {price_id} version {current.version}: {finding}"


def _held_offering_raises(old: CatalogRelease, new: CatalogRelease, before: ProductOffering) -> Iterator[str]:
    afters = upcoming(new, ProductOffering, before.id)
    listed_after = list(dict.fromkeys(p for after in afters for p in after.productOfferingPrice))
    for price_id in before.productOfferingPrice:
        if price_id in listed_after:
            yield from _kept_price_raises(old, new, price_id)
        elif afters and _is_discount(old, price_id):
            yield f"discount {price_id} removed"
    for price_id in listed_after:
        charges = [
            p for p in upcoming(new, ProductOfferingPrice, price_id) if p.priceType is not PriceType.discount
        ]
        if price_id not in before.productOfferingPrice and charges:
            yield f"new charge {price_id} added"


def _is_discount(release: CatalogRelease, price_id: str) -> bool:
    price = effective(release, ProductOfferingPrice, price_id)
    return price is not None and price.priceType is PriceType.discount


def price_raises(old: CatalogRelease, new: CatalogRelease) -> Iterator[Change]:
    """Price rises on every offering customers may hold in the old release (active, launched or retired)."""
    for offering_id in old.ids(Kind.ProductOffering):
        before = effective(old, ProductOffering, offering_id)
        if before is not None and is_held(before.lifecycleStatus):
            for finding in _held_offering_raises(old, new, before):
                yield Change(Kind.ProductOffering, offering_id, finding, True, REASON)
