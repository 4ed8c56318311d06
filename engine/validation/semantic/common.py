"""What every semantic check shares: locating an error, and walking the money inside a price."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from engine.money import Money
from engine.spec.common import Entity, Kind
from engine.spec.price import ProductOfferingPrice
from engine.spec.product import ProductOffering
from engine.spec.release import CatalogRelease
from engine.validation.report import SpecError
from engine.validation.semantic.codes import SemanticCode

Problem = tuple[str, str, SemanticCode]  # (JSON path, message, code), located by the caller's entity


def spec_error(entity: Entity, path: str, message: str, code: SemanticCode) -> SpecError:
    """An error at `path` inside the entity's file, located at its line and column."""
    return SpecError.at(entity.source, path, message, code=code.value)


def suggestion(name: str, candidates: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` hint for typos, or nothing."""
    close = difflib.get_close_matches(name, list(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def amounts(price: ProductOfferingPrice) -> Iterator[tuple[str, Money]]:
    """Every Money in a price with its JSON path: the flat price, each tier, each matrix row."""
    if price.price is not None:
        yield "$.spec.price", price.price
    for i, tier in enumerate(price.tiers):
        yield f"$.spec.tiers[{i}].price", tier.price
    if price.matrix is not None:
        for i, row in enumerate(price.matrix.rows):
            yield f"$.spec.matrix.rows[{i}].price", row.price


def offering_prices(release: CatalogRelease, offering: ProductOffering) -> Iterator[ProductOfferingPrice]:
    """Every version of every price the offering lists."""
    for price_id in offering.productOfferingPrice:
        for version in release.versions(Kind.ProductOfferingPrice, price_id):
            assert isinstance(version, ProductOfferingPrice)
            yield version


def versions_during(release: CatalogRelease, kind: Kind, entity_id: str, of: Entity) -> list[Entity]:
    """Versions of an entity whose validity overlaps `of`'s: the ones `of` can meet at run time."""
    return [v for v in release.versions(kind, entity_id) if v.validFor.overlaps(of.validFor)]


def entity_groups(release: CatalogRelease) -> Iterator[tuple[Entity, ...]]:
    """All versions of each entity of the release, entity by entity in a stable order."""
    for kind in Kind:
        for entity_id in release.ids(kind):
            yield release.versions(kind, entity_id)
