"""ProductOfferingPrice (the Price kind): one-time, recurring, usage and alterations (discounts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from engine.money import Money
from engine.spec.common import Entity, Kind


class PriceType(StrEnum):
    oneTime = "oneTime"
    recurring = "recurring"
    usage = "usage"
    # An alteration of the offering's other prices: a discount or promotion (TMF `PriceAlteration`).
    discount = "discount"


class ChargePeriod(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"


class TierMode(StrEnum):
    # graduated: each unit is charged at the rate of the tier it falls in.
    graduated = "graduated"
    # volume: every unit is charged at the rate of the tier the total falls in.
    volume = "volume"


@dataclass(frozen=True, slots=True)
class PriceTier:
    """Units above `fromQuantity` up to `toQuantity` (None: no upper bound) cost `price` each."""

    fromQuantity: Decimal
    toQuantity: Decimal | None
    price: Money


@dataclass(frozen=True, slots=True)
class MatrixRow:
    values: tuple[str, ...]
    price: Money


@dataclass(frozen=True, slots=True)
class PriceMatrix:
    """A price that depends on characteristic values, e.g. downloadSpeed x contractTerm."""

    characteristics: tuple[str, ...]
    rows: tuple[MatrixRow, ...]

    def lookup(self, chosen: dict[str, str]) -> MatrixRow | None:
        wanted = tuple(chosen.get(name, "").lower() for name in self.characteristics)
        return next((r for r in self.rows if tuple(v.lower() for v in r.values) == wanted), None)


class AlterationScope(StrEnum):
    cart = "cart"
    inventory = "inventory"
    cartOrInventory = "cartOrInventory"


@dataclass(frozen=True, slots=True)
class AlterationCondition:
    """An alteration applies when at least `minCount` items of these offerings are in the scope.

    The item being priced counts towards `minCount` when its own offering is listed; that is how a
    multi-line discount ("from the second line") is written.
    """

    productOffering: tuple[str, ...]
    minCount: int = 1
    scope: AlterationScope = AlterationScope.cartOrInventory


class ExistingSubscriberPolicy(StrEnum):
    """How a new version of a price reaches customers who already hold the offering."""

    # Existing subscribers keep the price they bought at until `effectiveDate` (or forever if none).
    grandfather = "grandfather"
    # Existing subscribers move to the new price at their next bill cycle after the version takes effect.
    nextBillCycle = "nextBillCycle"
    # Existing subscribers move on `effectiveDate` exactly, mid-cycle charges prorated by billing.
    onDate = "onDate"


@dataclass(frozen=True, slots=True)
class PriceChangePolicy:
    policy: ExistingSubscriberPolicy = ExistingSubscriberPolicy.nextBillCycle
    effectiveDate: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductOfferingPrice(Entity):
    kind: ClassVar[Kind] = Kind.ProductOfferingPrice
    priceType: PriceType
    price: Money | None = None
    recurringChargePeriodType: ChargePeriod | None = None
    recurringChargePeriodLength: int = 1
    unitOfMeasure: str | None = None
    tierMode: TierMode | None = None
    tiers: tuple[PriceTier, ...] = ()
    includedAllowance: Decimal = Decimal(0)
    matrix: PriceMatrix | None = None
    # Alterations (priceType discount):
    percentage: Decimal | None = None
    applicationDuration: int | None = None  # billing cycles; None: for as long as the product is held
    appliesTo: tuple[str, ...] = ()  # price ids of the same offering; empty: all its recurring prices
    condition: AlterationCondition | None = None
    channel: tuple[str, ...] = ()  # a promotion limited to channels; empty: every channel
    priority: int = 0  # alterations apply in ascending priority, then id
    taxCategory: str = "standard"
    existingSubscribers: PriceChangePolicy = PriceChangePolicy()

    @property
    def currencies(self) -> frozenset[str]:
        units = {self.price.unit} if self.price else set()
        units |= {t.price.unit for t in self.tiers}
        if self.matrix:
            units |= {r.price.unit for r in self.matrix.rows}
        return frozenset(units)

    @property
    def period(self) -> str | None:
        """Label of the recurring period, e.g. `month` or `3 month`."""
        if self.recurringChargePeriodType is None:
            return None
        if self.recurringChargePeriodLength == 1:
            return self.recurringChargePeriodType.value
        return f"{self.recurringChargePeriodLength} {self.recurringChargePeriodType.value}"
