"""A small, valid release to break one field at a time, and a way to swap entities into it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from engine.facts import ItemAction
from engine.money import Money
from engine.spec.common import Entity, Kind, SourceInfo
from engine.spec.conditions import All, Any, Operator, Predicate
from engine.spec.flow import Compensation, OrderFlow, OrderFlowStep, ServiceAction
from engine.spec.policy import AlternateProposal, EligibilityPolicy, EligibilityRule
from engine.spec.price import (
    AlterationCondition,
    ChargePeriod,
    MatrixRow,
    PriceMatrix,
    PriceTier,
    PriceType,
    ProductOfferingPrice,
    TierMode,
)
from engine.spec.product import (
    BundledProductOffering,
    Category,
    CharacteristicValue,
    CharacteristicValueType,
    ProductOffering,
    ProductOfferingRelationship,
    ProductSpecCharacteristic,
    ProductSpecification,
    RelationshipType,
    ServiceSpecification,
)
from engine.spec.release import CatalogRelease, ReleaseManifest, TaxRate, TaxTable

T0 = datetime(2026, 1, 1, tzinfo=UTC)
Swap = Callable[..., CatalogRelease]


def eur(value: str) -> Money:
    return Money.of(value, "EUR")


def at(path: str, line: int, column: int = 3) -> SourceInfo:
    """A source in x.yaml that knows where one JSON path is."""
    return SourceInfo("x.yaml", {"$": (1, 1), path: (line, column)})


def _specifications() -> list[Entity]:
    integer = CharacteristicValueType.integer
    return [
        ProductSpecification(
            id="fibre-access",
            version="1",
            name="Fibre access",
            productSpecCharacteristic=(
                ProductSpecCharacteristic(
                    "downloadSpeed",
                    integer,
                    productSpecCharacteristicValue=(
                        CharacteristicValue(500, isDefault=True),
                        CharacteristicValue(1000),
                    ),
                ),
                ProductSpecCharacteristic(
                    "contractTerm",
                    integer,
                    productSpecCharacteristicValue=(
                        CharacteristicValue(12),
                        CharacteristicValue(24, isDefault=True),
                    ),
                ),
                ProductSpecCharacteristic(
                    "staticIpCount",
                    integer,
                    productSpecCharacteristicValue=(
                        CharacteristicValue(valueFrom=Decimal(0), valueTo=Decimal(8)),
                    ),
                ),
            ),
        ),
        ProductSpecification(id="mobile-line", version="1", name="Mobile line"),
        ServiceSpecification(id="rfs-olt-port", version="1", name="OLT port"),
        ServiceSpecification(id="cfs-internet-access", version="1", name="Internet access"),
        ServiceSpecification(id="cfs-mobile", version="1", name="Mobile line"),
        Category(id="fixed", version="1", name="Fixed"),
        Category(id="broadband", version="1", name="Broadband", parentId="fixed"),
        Category(id="mobile", version="1", name="Mobile"),
    ]


def _prices() -> list[Entity]:
    month = ChargePeriod.month
    return [
        ProductOfferingPrice(
            id="fibre-500-monthly",
            version="1",
            name="Fibre 500 monthly",
            priceType=PriceType.recurring,
            recurringChargePeriodType=month,
            price=eur("39.99"),
        ),
        ProductOfferingPrice(
            id="fibre-install-fee",
            version="1",
            name="Installation",
            priceType=PriceType.oneTime,
            price=eur("49.00"),
        ),
        ProductOfferingPrice(
            id="fibre-flex-monthly",
            version="1",
            name="Fibre flex monthly",
            priceType=PriceType.recurring,
            recurringChargePeriodType=month,
            matrix=PriceMatrix(
                ("downloadSpeed", "contractTerm"),
                (
                    MatrixRow(("500", "12"), eur("45.00")),
                    MatrixRow(("500", "24"), eur("40.00")),
                    MatrixRow(("1000", "12"), eur("55.00")),
                    MatrixRow(("1000", "24"), eur("50.00")),
                ),
            ),
        ),
        ProductOfferingPrice(
            id="mobile-monthly",
            version="1",
            name="Mobile monthly",
            priceType=PriceType.recurring,
            recurringChargePeriodType=month,
            price=eur("15.00"),
        ),
        ProductOfferingPrice(
            id="mobile-data",
            version="1",
            name="Out-of-bundle data",
            priceType=PriceType.usage,
            unitOfMeasure="GB",
            includedAllowance=Decimal(10),
            tierMode=TierMode.graduated,
            tiers=(
                PriceTier(Decimal(0), Decimal(5), eur("2.00")),
                PriceTier(Decimal(5), None, eur("1.00")),
            ),
        ),
        ProductOfferingPrice(
            id="converged-discount",
            version="1",
            name="Converged discount",
            priceType=PriceType.discount,
            percentage=Decimal(20),
            appliesTo=("mobile-monthly",),
            condition=AlterationCondition(("fibre-500",)),
        ),
    ]


def _policy_and_flows() -> list[Entity]:
    add, delete = ItemAction.add, ItemAction.delete
    return [
        EligibilityPolicy(
            id="fibre-serviceability",
            version="1",
            name="Fibre serviceability",
            rules=(
                EligibilityRule(
                    "fibre-at-address",
                    "FIBRE_NOT_AVAILABLE",
                    "No fibre",
                    Predicate("address.fibreAvailable", Operator.equal, True),
                ),
                EligibilityRule(
                    "good-credit",
                    "CREDIT_CHECK_FAILED",
                    "Credit",
                    Any(
                        (
                            Predicate("customer.creditClass", Operator.isIn, ("A", "B")),
                            All(
                                (
                                    Predicate("customer.segment", Operator.equal, "residential"),
                                    Predicate("account.tenureMonths", Operator.greaterThanOrEqual, 12),
                                )
                            ),
                        )
                    ),
                ),
            ),
            alternates=(AlternateProposal("mobile-5g-m", ("FIBRE_NOT_AVAILABLE",)),),
        ),
        OrderFlow(
            id="fibre-provisioning",
            version="1",
            name="Fibre provisioning",
            actions={
                add: (
                    OrderFlowStep(
                        "reserve-port",
                        "Reserve port",
                        "rfs-olt-port",
                        compensation=Compensation(ServiceAction.delete),
                    ),
                    OrderFlowStep(
                        "install-ont",
                        "Install ONT",
                        "cfs-internet-access",
                        dependsOn=("reserve-port",),
                        pointOfNoReturn=True,
                        timeout=timedelta(days=5),
                    ),
                ),
                delete: (OrderFlowStep("cease-line", "Cease", "cfs-internet-access", ServiceAction.delete),),
            },
        ),
        OrderFlow(
            id="mobile-provisioning",
            version="1",
            name="Mobile provisioning",
            actions={add: (OrderFlowStep("activate-sim", "Activate SIM", "cfs-mobile"),)},
        ),
        TaxTable(
            id="vat",
            version="1",
            name="VAT",
            rates=(TaxRate("NL", "standard", Decimal(21)), TaxRate("NL", "reduced", Decimal(9))),
        ),
    ]


def _offerings() -> list[Entity]:
    return [
        ProductOffering(
            id="fibre-500",
            version="1",
            name="Fibre 500",
            productSpecification="fibre-access",
            productOfferingPrice=("fibre-500-monthly", "fibre-install-fee"),
            eligibilityPolicy="fibre-serviceability",
            orderFlow="fibre-provisioning",
            category=("broadband",),
            channel=("web", "retail"),
            productOfferingRelationship=(
                ProductOfferingRelationship("fibre-flex", RelationshipType.upgradesTo),
            ),
            marketSegment=("residential",),
        ),
        ProductOffering(
            id="fibre-flex",
            version="1",
            name="Fibre flex",
            productSpecification="fibre-access",
            productOfferingPrice=("fibre-flex-monthly",),
            orderFlow="fibre-provisioning",
            category=("broadband",),
        ),
        ProductOffering(
            id="mobile-5g-m",
            version="1",
            name="Mobile 5G M",
            productSpecification="mobile-line",
            productOfferingPrice=("mobile-monthly", "mobile-data"),
            orderFlow="mobile-provisioning",
            category=("mobile",),
        ),
        ProductOffering(
            id="tv-addon",
            version="1",
            name="TV add-on",
            productOfferingRelationship=(
                ProductOfferingRelationship("fibre-500", RelationshipType.requires),
            ),
        ),
        ProductOffering(
            id="converged-home",
            version="1",
            name="Converged home",
            isBundle=True,
            bundledProductOffering=(
                BundledProductOffering("fibre-500"),
                BundledProductOffering("mobile-5g-m", 1, 4, 2),
            ),
            productOfferingPrice=("converged-discount",),
        ),
    ]


def base_release() -> CatalogRelease:
    manifest = ReleaseManifest(
        id="2026.1", version="1", name="Spring", effectiveDate=T0, currency="EUR", defaultRegion="NL"
    )
    entities = (*_specifications(), *_prices(), *_policy_and_flows(), *_offerings())
    return CatalogRelease(manifest=manifest, entities=entities, contentHash="test")


def swap_into(
    release: CatalogRelease, *entities: Entity, drop: tuple[tuple[Kind, str], ...] = ()
) -> CatalogRelease:
    """The release with `entities` replacing the versions of the same key (or added), and `drop` removed."""
    keys = {e.key for e in entities}
    kept = tuple(e for e in release.entities if e.key not in keys and (e.kind, e.id) not in drop)
    return replace(release, entities=(*kept, *entities))
