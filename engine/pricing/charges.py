"""List charges before alterations: one-time and recurring prices, flat or looked up in a matrix."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from engine.errors import CartError
from engine.facts import CartItem
from engine.money import MINOR_UNITS, Money
from engine.pricing.characteristics import as_text
from engine.pricing.context import PricingContext
from engine.pricing.errors import PricingError, PricingErrorCode
from engine.pricing.trace import TraceStep
from engine.spec.conditions import Scalar
from engine.spec.price import PriceMatrix, PriceType, ProductOfferingPrice


@dataclass(frozen=True, slots=True)
class Charge:
    """One price component of one item before alterations; `unitPrice` is per product instance."""

    price: ProductOfferingPrice
    unitPrice: Money
    quantity: int
    usageVolume: Decimal | None = None

    @property
    def amount(self) -> Money:
        return self.unitPrice.times(self.quantity)


def list_charge(
    ctx: PricingContext, item: CartItem, index: int, price: ProductOfferingPrice, chosen: Mapping[str, Scalar]
) -> Charge:
    """The one-time or recurring charge of `price` for this item."""
    if price.priceType is PriceType.recurring and price.period is None:
        raise PricingError(
            f"recurring price {price.id}@{price.version} has no recurringChargePeriodType",
            code=PricingErrorCode.malformedPrice,
        )
    if price.matrix is not None:
        unit = _matrix_price(price.matrix, chosen, f"$.cart[{index}].characteristic", price)
        how = f"matrix row {', '.join(f'{n}={as_text(chosen[n])}' for n in price.matrix.characteristics)}"
    elif price.price is not None:
        unit, how = price.price, "list price"
    else:
        raise PricingError(
            f"price {price.id}@{price.version} has neither a price nor a matrix",
            code=PricingErrorCode.malformedPrice,
        )
    charge = Charge(price=price, unitPrice=unit, quantity=item.quantity)
    period = f" per {price.period}" if price.period else ""
    ctx.trace.add(
        item.id,
        TraceStep.price,
        f"selected {price.priceType.value} price {price.id}@{price.version} ({price.name}): "
        f"{how} {unit}{period} x {item.quantity}",
        charge.amount,
    )
    return charge


def _matrix_price(
    matrix: PriceMatrix, chosen: Mapping[str, Scalar], path: str, price: ProductOfferingPrice
) -> Money:
    missing = [name for name in matrix.characteristics if name not in chosen]
    if missing:
        raise CartError(
            f"price {price.id} depends on characteristic {missing[0]!r}, which has no value and no default",
            path=f"{path}.{missing[0]}",
        )
    # Compared as text, case-insensitively: a spec says 500 where a request says "500".
    wanted = {name: as_text(chosen[name]) for name in matrix.characteristics}
    row = matrix.lookup(wanted)
    if row is None:
        values = ", ".join(f"{name}={value}" for name, value in wanted.items())
        raise CartError(f"price {price.id} has no matrix row for {values}", path=path)
    return row.price


def tidy(money: Money) -> Money:
    """The same exact amount, written to the currency's minor unit where that loses nothing (2.500 -> 2.50)."""
    quantum = Decimal(1).scaleb(-MINOR_UNITS[money.unit])
    written = money.value.quantize(quantum)
    return Money(written if written == money.value else money.value.normalize(), money.unit)
