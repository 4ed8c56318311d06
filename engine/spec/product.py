"""ProductSpecification, ServiceSpecification, Category and ProductOffering, in TMF620 v4 names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from engine.facts import EvaluationRequest
from engine.spec.common import Entity, Kind
from engine.spec.conditions import Scalar


class CharacteristicValueType(StrEnum):
    string = "string"
    integer = "integer"
    decimal = "decimal"
    boolean = "boolean"


@dataclass(frozen=True, slots=True)
class CharacteristicValue:
    """TMF `CharacteristicValueSpecification`: one allowed value, or a numeric range valueFrom..valueTo."""

    value: Scalar | None = None
    isDefault: bool = False
    valueFrom: Decimal | None = None
    valueTo: Decimal | None = None
    unitOfMeasure: str | None = None


@dataclass(frozen=True, slots=True)
class ProductSpecCharacteristic:
    """TMF `ProductSpecificationCharacteristic`."""

    name: str
    valueType: CharacteristicValueType
    description: str = ""
    configurable: bool = True
    minCardinality: int = 0
    productSpecCharacteristicValue: tuple[CharacteristicValue, ...] = ()

    @property
    def default(self) -> Scalar | None:
        for value in self.productSpecCharacteristicValue:
            if value.isDefault:
                return value.value
        return None

    @property
    def allowed_values(self) -> tuple[Scalar, ...]:
        return tuple(v.value for v in self.productSpecCharacteristicValue if v.value is not None)

    def admits(self, value: Scalar) -> bool:
        """Whether a value is allowed: one of the listed values, or inside one of the ranges."""
        listed = self.allowed_values
        ranges = [
            v for v in self.productSpecCharacteristicValue if v.valueFrom is not None or v.valueTo is not None
        ]
        if not listed and not ranges:
            return True
        if any(_same_value(value, allowed) for allowed in listed):
            return True
        if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
            return False
        try:
            number = Decimal(value)
        except ArithmeticError:
            return False
        return any(
            (r.valueFrom is None or number >= r.valueFrom) and (r.valueTo is None or number <= r.valueTo)
            for r in ranges
        )


def _same_value(a: Scalar, b: Scalar) -> bool:
    # Spec authors write 500 or "500" for the same speed; compare by text so both match.
    return str(a).lower() == str(b).lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductSpecification(Entity):
    kind: ClassVar[Kind] = Kind.ProductSpecification
    brand: str = ""
    productSpecCharacteristic: tuple[ProductSpecCharacteristic, ...] = ()

    def characteristic(self, name: str) -> ProductSpecCharacteristic | None:
        return next((c for c in self.productSpecCharacteristic if c.name == name), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceSpecification(Entity):
    """A customer-facing service the OSS knows how to provision; order-flow steps refer to it."""

    kind: ClassVar[Kind] = Kind.ServiceSpecification


@dataclass(frozen=True, slots=True, kw_only=True)
class Category(Entity):
    kind: ClassVar[Kind] = Kind.Category
    parentId: str | None = None


@dataclass(frozen=True, slots=True)
class BundledProductOffering:
    """TMF `BundledProductOffering` with its `BundledProductOfferingOption` cardinalities flattened in."""

    id: str
    numberRelOfferLowerLimit: int = 1
    numberRelOfferUpperLimit: int = 1
    numberRelOfferDefault: int = 1


class RelationshipType(StrEnum):
    requires = "requires"
    excludes = "excludes"
    upgradesTo = "upgradesTo"
    downgradesTo = "downgradesTo"


@dataclass(frozen=True, slots=True)
class ProductOfferingRelationship:
    id: str
    relationshipType: RelationshipType


class QualificationOutcome(StrEnum):
    """TMF679 `qualificationResult` / `qualificationItemResult` values."""

    qualified = "qualified"
    unqualified = "unqualified"
    alternate = "alternate"


@dataclass(frozen=True, slots=True)
class ExpectedOutcome:
    """What an example asserts. Money totals are duty-free amounts, per recurring period where recurring."""

    qualification: QualificationOutcome
    reasons: tuple[str, ...] = ()
    alternates: tuple[str, ...] = ()
    oneTimeTotal: Decimal | None = None
    recurringTotal: Mapping[str, Decimal] = field(default_factory=dict)
    taxIncludedOneTimeTotal: Decimal | None = None
    taxIncludedRecurringTotal: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OfferingExample:
    """A test case stored next to the offering: facts in, qualification and price out."""

    name: str
    request: EvaluationRequest
    expect: ExpectedOutcome
    path: str = ""  # JSON path of the example inside its file, for located failures


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductOffering(Entity):
    kind: ClassVar[Kind] = Kind.ProductOffering
    productSpecification: str | None = None
    isSellable: bool = True
    isBundle: bool = False
    channel: tuple[str, ...] = ()
    marketSegment: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    bundledProductOffering: tuple[BundledProductOffering, ...] = ()
    productOfferingRelationship: tuple[ProductOfferingRelationship, ...] = ()
    productOfferingPrice: tuple[str, ...] = ()
    eligibilityPolicy: str | None = None
    orderFlow: str | None = None
    # At most one offering of an exclusivity group per customer, across cart and inventory
    # (one broadband access per address, say). Not a TMF field: TMF620 v4 has no name for it.
    exclusivityGroup: str | None = None
    examples: tuple[OfferingExample, ...] = ()

    def related(self, relationship: RelationshipType) -> tuple[str, ...]:
        return tuple(r.id for r in self.productOfferingRelationship if r.relationshipType is relationship)
