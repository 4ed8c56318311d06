"""Releases and requests built straight from the frozen model, independent of the YAML loader."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from engine.facts import CartItem, EvaluationRequest, InstallationAddress, InventoryItem, SalesContext
from engine.money import Money, RoundingMode, RoundingRule
from engine.spec.common import ALWAYS, Entity, TimePeriod
from engine.spec.price import (
    AlterationCondition,
    AlterationScope,
    ChargePeriod,
    MatrixRow,
    PriceMatrix,
    PriceTier,
    PriceType,
    ProductOfferingPrice,
    TierMode,
)
from engine.spec.product import BundledProductOffering, ProductOffering
from engine.spec.release import CatalogRelease, ReleaseManifest, TaxRate, TaxTable

QUOTE_DATE = date(2026, 3, 1)


def eur(value: str | int) -> Money:
    return Money.of(value, "EUR")


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def vat(*rates: tuple[str, str, str]) -> TaxTable:
    """A tax table from (region, taxCategory, rate) triples."""
    return TaxTable(
        id="vat", version="1", name="VAT", rates=tuple(TaxRate(r, c, Decimal(v)) for r, c, v in rates)
    )


DUTCH_VAT = vat(("NL", "standard", "21"), ("NL", "reduced", "9"))


def release(
    *entities: Entity,
    tax: TaxTable | None = DUTCH_VAT,
    mode: RoundingMode = RoundingMode.halfUp,
    default_region: str | None = "NL",
    currency: str = "EUR",
) -> CatalogRelease:
    manifest = ReleaseManifest(
        id="2026.1",
        version="1",
        name="Test catalog",
        effectiveDate=utc(2026, 1, 1),
        currency=currency,
        rounding=RoundingRule(mode),
        defaultRegion=default_region,
    )
    return CatalogRelease(manifest=manifest, entities=(*entities, *([tax] if tax else [])), contentHash="x")


def offering(
    offering_id: str,
    *prices: str,
    spec: str | None = None,
    bundled: tuple[str, ...] = (),
    version: str = "1",
    valid: TimePeriod = ALWAYS,
) -> ProductOffering:
    return ProductOffering(
        id=offering_id,
        version=version,
        name=offering_id,
        validFor=valid,
        productSpecification=spec,
        isBundle=bool(bundled),
        bundledProductOffering=tuple(BundledProductOffering(b) for b in bundled),
        productOfferingPrice=prices,
    )


def recurring(
    price_id: str,
    value: str,
    *,
    period: ChargePeriod = ChargePeriod.month,
    length: int = 1,
    version: str = "1",
    valid: TimePeriod = ALWAYS,
    tax_category: str = "standard",
    currency: str = "EUR",
) -> ProductOfferingPrice:
    return ProductOfferingPrice(
        id=price_id,
        version=version,
        name=price_id,
        validFor=valid,
        priceType=PriceType.recurring,
        price=Money.of(value, currency),
        recurringChargePeriodType=period,
        recurringChargePeriodLength=length,
        taxCategory=tax_category,
    )


def one_time(price_id: str, value: str, *, tax_category: str = "standard") -> ProductOfferingPrice:
    return ProductOfferingPrice(
        id=price_id,
        version="1",
        name=price_id,
        priceType=PriceType.oneTime,
        price=eur(value),
        taxCategory=tax_category,
    )


def matrix_price(
    price_id: str, characteristics: tuple[str, ...], *rows: tuple[tuple[str, ...], str]
) -> ProductOfferingPrice:
    return ProductOfferingPrice(
        id=price_id,
        version="1",
        name=price_id,
        priceType=PriceType.recurring,
        recurringChargePeriodType=ChargePeriod.month,
        matrix=PriceMatrix(characteristics, tuple(MatrixRow(values, eur(v)) for values, v in rows)),
    )


def usage_price(
    price_id: str,
    *tiers: tuple[str, str | None, str],
    unit: str = "GB",
    allowance: str = "0",
    mode: TierMode | None = TierMode.graduated,
    per_unit: str | None = None,
) -> ProductOfferingPrice:
    """A usage price from (fromQuantity, toQuantity or None, price per unit) tiers."""
    return ProductOfferingPrice(
        id=price_id,
        version="1",
        name=price_id,
        priceType=PriceType.usage,
        unitOfMeasure=unit,
        includedAllowance=Decimal(allowance),
        tierMode=mode,
        tiers=tuple(
            PriceTier(Decimal(low), None if high is None else Decimal(high), eur(v)) for low, high, v in tiers
        ),
        price=None if per_unit is None else eur(per_unit),
    )


def discount(
    price_id: str,
    *,
    percentage: str | None = None,
    amount: str | None = None,
    applies_to: tuple[str, ...] = (),
    condition: tuple[tuple[str, ...], int, AlterationScope] | None = None,
    channel: tuple[str, ...] = (),
    priority: int = 0,
    duration: int | None = None,
    valid: TimePeriod = ALWAYS,
) -> ProductOfferingPrice:
    """A discount; `condition` is (offerings, minCount, scope)."""
    return ProductOfferingPrice(
        id=price_id,
        version="1",
        name=price_id,
        validFor=valid,
        priceType=PriceType.discount,
        percentage=None if percentage is None else Decimal(percentage),
        price=None if amount is None else eur(amount),
        appliesTo=applies_to,
        condition=None if condition is None else AlterationCondition(*condition),
        channel=channel,
        priority=priority,
        applicationDuration=duration,
    )


def item(offering_id: str, item_id: str = "1", **fields: object) -> CartItem:
    return CartItem(id=item_id, productOffering=offering_id, **fields)  # type: ignore[arg-type]


def request(
    *cart: CartItem,
    channel: str = "web",
    on: date = QUOTE_DATE,
    inventory: tuple[InventoryItem, ...] = (),
    region: str | None = None,
    country: str | None = None,
) -> EvaluationRequest:
    return EvaluationRequest(
        context=SalesContext(channel=channel, date=on),
        address=InstallationAddress(country=country, region=region),
        cart=cart,
        inventory=inventory,
    )
