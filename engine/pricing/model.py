"""What a quote returns: frozen result types in TMF Price / PriceAlteration names, and their JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from engine.facts import ItemAction
from engine.money import Money, RoundingRule
from engine.pricing.trace import TraceEntry, money_dict
from engine.spec.conditions import Scalar
from engine.spec.price import PriceTier, PriceType, TierMode


@dataclass(frozen=True, slots=True)
class PriceAlteration:
    """A discount applied to one line; `amount` is what it took off the line (after any cap)."""

    id: str
    version: str
    name: str
    amount: Money
    percentage: Decimal | None
    # Billing cycles the alteration lasts; None: as long as the product is held. Billing stops it.
    applicationDuration: int | None
    priority: int
    priceType: PriceType = PriceType.discount

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "name": self.name,
            "priceType": self.priceType.value,
            "amount": money_dict(self.amount),
            "percentage": _text(self.percentage),
            "applicationDuration": self.applicationDuration,
            "priority": self.priority,
        }


@dataclass(frozen=True, slots=True)
class QuoteLine:
    """One price of one cart item: the list charge, its alterations, and the rounded, taxed result.

    `unitPrice` is per product instance; for a usage line it is the estimated usage charge of one instance.
    """

    itemId: str
    productOffering: str
    priceId: str
    priceVersion: str
    name: str
    priceType: PriceType
    period: str | None
    quantity: int
    unitPrice: Money
    dutyFreeAmount: Money
    taxCategory: str
    taxRate: Decimal
    taxIncludedAmount: Money
    priceAlteration: tuple[PriceAlteration, ...] = ()
    usageVolume: Decimal | None = None
    unitOfMeasure: str | None = None

    @property
    def taxAmount(self) -> Money:
        return self.taxIncludedAmount - self.dutyFreeAmount

    def to_dict(self) -> dict[str, Any]:
        return {
            "itemId": self.itemId,
            "productOffering": self.productOffering,
            "productOfferingPrice": {"id": self.priceId, "version": self.priceVersion},
            "name": self.name,
            "priceType": self.priceType.value,
            "recurringChargePeriod": self.period,
            "quantity": self.quantity,
            "unitPrice": money_dict(self.unitPrice),
            "usageVolume": _text(self.usageVolume),
            "unitOfMeasure": self.unitOfMeasure,
            "dutyFreeAmount": money_dict(self.dutyFreeAmount),
            "taxCategory": self.taxCategory,
            "taxRate": str(self.taxRate),
            "taxIncludedAmount": money_dict(self.taxIncludedAmount),
            "priceAlteration": [a.to_dict() for a in self.priceAlteration],
        }


@dataclass(frozen=True, slots=True)
class RateCard:
    """How a usage price rates: allowance first, then `tiers` (or the flat `price` per unit)."""

    priceId: str
    priceVersion: str
    name: str
    unitOfMeasure: str
    includedAllowance: Decimal
    tierMode: TierMode
    tiers: tuple[PriceTier, ...]
    price: Money | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "productOfferingPrice": {"id": self.priceId, "version": self.priceVersion},
            "name": self.name,
            "unitOfMeasure": self.unitOfMeasure,
            "includedAllowance": str(self.includedAllowance),
            "tierMode": self.tierMode.value,
            "tiers": [
                {
                    "fromQuantity": str(t.fromQuantity),
                    "toQuantity": _text(t.toQuantity),
                    "price": money_dict(t.price),
                }
                for t in self.tiers
            ],
            "price": None if self.price is None else money_dict(self.price),
        }


@dataclass(frozen=True, slots=True)
class ChargeTotal:
    dutyFreeAmount: Money
    taxIncludedAmount: Money

    @classmethod
    def zero(cls, currency: str) -> ChargeTotal:
        # Written to the minor unit ("0.00"), like every rounded line it will be added to.
        zero = Money(RoundingRule().round(Decimal(0), currency), currency)
        return cls(zero, zero)

    def plus(self, line: QuoteLine) -> ChargeTotal:
        return ChargeTotal(
            self.dutyFreeAmount + line.dutyFreeAmount, self.taxIncludedAmount + line.taxIncludedAmount
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "dutyFreeAmount": money_dict(self.dutyFreeAmount),
            "taxIncludedAmount": money_dict(self.taxIncludedAmount),
        }


@dataclass(frozen=True, slots=True)
class Totals:
    """Sums of rounded lines: one-time, recurring per period label (`month`, `3 month`), usage estimate."""

    oneTime: ChargeTotal
    recurring: Mapping[str, ChargeTotal]
    usage: ChargeTotal

    def to_dict(self) -> dict[str, Any]:
        return {
            "oneTime": self.oneTime.to_dict(),
            "recurring": {period: total.to_dict() for period, total in self.recurring.items()},
            "usage": self.usage.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class QuoteItem:
    """One cart item: its resolved characteristics, its lines and rate cards, and its totals."""

    itemId: str
    productOffering: str
    productOfferingVersion: str
    action: ItemAction
    quantity: int
    parentItemId: str | None
    # False for `delete` and `noChange` items: listed for completeness, never charged.
    charged: bool
    characteristic: Mapping[str, Scalar]
    lines: tuple[QuoteLine, ...]
    rateCards: tuple[RateCard, ...]
    totals: Totals

    def to_dict(self) -> dict[str, Any]:
        return {
            "itemId": self.itemId,
            "productOffering": {"id": self.productOffering, "version": self.productOfferingVersion},
            "action": self.action.value,
            "quantity": self.quantity,
            "parentItemId": self.parentItemId,
            "charged": self.charged,
            "characteristic": {name: _scalar(value) for name, value in self.characteristic.items()},
            "quoteLines": [line.to_dict() for line in self.lines],
            "rateCards": [card.to_dict() for card in self.rateCards],
            "totals": self.totals.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Quote:
    """The price of a cart at a date and channel, against one release, with the trace that explains it."""

    releaseId: str
    contentHash: str
    currency: str
    date: date
    channel: str
    items: tuple[QuoteItem, ...]
    totals: Totals
    trace: tuple[TraceEntry, ...] = field(default=())

    @property
    def lines(self) -> tuple[QuoteLine, ...]:
        return tuple(line for item in self.items for line in item.lines)

    def item(self, itemId: str) -> QuoteItem:
        return next(i for i in self.items if i.itemId == itemId)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: money values and decimals as strings, so no float ever appears."""
        return {
            "release": {"id": self.releaseId, "contentHash": self.contentHash},
            "currency": self.currency,
            "date": self.date.isoformat(),
            "channel": self.channel,
            "items": [item.to_dict() for item in self.items],
            "totals": self.totals.to_dict(),
            "trace": [entry.to_dict() for entry in self.trace],
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _scalar(value: Scalar) -> str | int | bool:
    # Decimals and dates have no exact JSON form; strings keep them exact.
    if isinstance(value, bool | int | str):
        return value
    return value.isoformat() if isinstance(value, date) else str(value)
