"""The catalog release: an immutable, content-hashed set of entity versions with an effective date."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import ClassVar, TypeVar

from engine.errors import UnknownEntityError
from engine.money import RoundingRule
from engine.spec.common import Entity, Kind
from engine.spec.flow import OrderFlow
from engine.spec.policy import EligibilityPolicy
from engine.spec.price import ProductOfferingPrice
from engine.spec.product import Category, ProductOffering, ProductSpecification, ServiceSpecification


@dataclass(frozen=True, slots=True)
class TaxRate:
    """`rate` is a percentage. `region` is an ISO 3166-2 region or an ISO 3166-1 country as fallback."""

    region: str
    taxCategory: str
    rate: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class TaxTable(Entity):
    kind: ClassVar[Kind] = Kind.TaxTable
    rates: tuple[TaxRate, ...] = ()

    def rate_for(self, taxCategory: str, region: str | None, country: str | None) -> TaxRate | None:
        """The most specific rate: the region's own, else the country's."""
        for place in (region, country):
            if place is None:
                continue
            for rate in self.rates:
                if rate.region == place and rate.taxCategory == taxCategory:
                    return rate
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReleaseManifest(Entity):
    """The `CatalogRelease` document of a release folder."""

    kind: ClassVar[Kind] = Kind.CatalogRelease
    effectiveDate: datetime
    currency: str = "EUR"
    rounding: RoundingRule = RoundingRule()
    defaultRegion: str | None = None


E = TypeVar("E", bound=Entity)

# Spec datetimes are timezone-aware (the loader makes them so); an open start must compare with them.
_OPEN_START = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class CatalogRelease:
    """All entity versions of one release. Several versions of one entity may coexist with disjoint validFor;
    lookups pick the version in effect at the moment asked.
    """

    manifest: ReleaseManifest
    entities: tuple[Entity, ...]
    contentHash: str
    _index: Mapping[tuple[Kind, str], tuple[Entity, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[tuple[Kind, str], list[Entity]] = {}
        for entity in self.entities:
            index.setdefault((entity.kind, entity.id), []).append(entity)
        ordered = {
            key: tuple(sorted(versions, key=lambda e: (e.validFor.startDateTime or _OPEN_START, e.version)))
            for key, versions in index.items()
        }
        object.__setattr__(self, "_index", ordered)

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def effectiveDate(self) -> datetime:
        return self.manifest.effectiveDate

    def versions(self, kind: Kind, entity_id: str) -> tuple[Entity, ...]:
        return self._index.get((kind, entity_id), ())

    def has(self, kind: Kind, entity_id: str) -> bool:
        return (kind, entity_id) in self._index

    def find(self, cls: type[E], entity_id: str, at: datetime | None = None) -> E | None:
        """The version of an entity in effect at `at`; the latest version when `at` is None."""
        versions = self.versions(cls.kind, entity_id)
        if at is None:
            chosen = versions[-1] if versions else None
        else:
            chosen = next((v for v in reversed(versions) if v.validFor.contains(at)), None)
        assert chosen is None or isinstance(chosen, cls)
        return chosen

    def get(self, cls: type[E], entity_id: str, at: datetime | None = None) -> E:
        found = self.find(cls, entity_id, at)
        if found is None:
            when = f" at {at.isoformat()}" if at else ""
            raise UnknownEntityError(f"{cls.kind} {entity_id!r} does not exist in release {self.id}{when}")
        return found

    def all(self, cls: type[E]) -> Iterator[E]:
        for entity in self.entities:
            if isinstance(entity, cls):
                yield entity

    def ids(self, kind: Kind) -> list[str]:
        return sorted(entity_id for (k, entity_id) in self._index if k is kind)

    # Typed shortcuts for the kinds the engine reads most.
    def offering(self, entity_id: str, at: datetime | None = None) -> ProductOffering:
        return self.get(ProductOffering, entity_id, at)

    def price(self, entity_id: str, at: datetime | None = None) -> ProductOfferingPrice:
        return self.get(ProductOfferingPrice, entity_id, at)

    def specification(self, entity_id: str, at: datetime | None = None) -> ProductSpecification:
        return self.get(ProductSpecification, entity_id, at)

    def policy(self, entity_id: str, at: datetime | None = None) -> EligibilityPolicy:
        return self.get(EligibilityPolicy, entity_id, at)

    def order_flow(self, entity_id: str, at: datetime | None = None) -> OrderFlow:
        return self.get(OrderFlow, entity_id, at)

    def tax_table(self) -> TaxTable | None:
        return next(self.all(TaxTable), None)

    def categories(self) -> Iterator[Category]:
        return self.all(Category)

    def service_specifications(self) -> Iterator[ServiceSpecification]:
        return self.all(ServiceSpecification)
