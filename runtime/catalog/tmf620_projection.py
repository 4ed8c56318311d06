"""The TMF620 v4 projection of the engine's model: Category, ProductSpecification, ProductOffering, Catalog.

A projection, not a translation: every field keeps its spec name and meaning (see `tmf620_common`). What
TMF has no name for stays under its spec name on the Switchboard subtype: an offering's exclusivityGroup,
eligibilityPolicy and orderFlow; a catalog's contentHash and currency. Offering examples are test cases of
the catalog, not catalog content, and are not projected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from engine.spec.common import Entity, Kind, TimePeriod
from engine.spec.product import (
    BundledProductOffering,
    Category,
    CharacteristicValue,
    ProductOffering,
    ProductSpecCharacteristic,
    ProductSpecification,
)
from engine.spec.release import CatalogRelease
from runtime.catalog.contracts import ReleaseInfo
from runtime.catalog.tmf620_common import (
    Json,
    View,
    entity_base,
    href,
    label_ref,
    ref,
    time_period,
    timestamp,
    type_fields,
)
from runtime.catalog.tmf620_price import PRICE_EXTENSIONS, project_price

OFFERING_EXTENSIONS = frozenset({"exclusivityGroup", "eligibilityPolicy", "orderFlow"})
CATALOG_EXTENSIONS = frozenset({"contentHash", "currency"})


def project_category(category: Category, view: View) -> Json:
    body = entity_base(category)
    body["isRoot"] = category.parentId is None
    if category.parentId is not None:
        body["parentId"] = category.parentId
    release = view.release
    children = sorted({c.id for c in release.all(Category) if c.parentId == category.id}) if release else []
    offerings = (
        sorted({o.id for o in release.all(ProductOffering) if category.id in o.category}) if release else []
    )
    body["subCategory"] = [ref(Kind.Category, c, view) for c in children]
    body["productOffering"] = [ref(Kind.ProductOffering, o, view) for o in offerings]
    return body


def project_specification(specification: ProductSpecification, view: View) -> Json:
    body = entity_base(specification)
    if specification.brand:
        body["brand"] = specification.brand
    body["isBundle"] = False
    body["productSpecCharacteristic"] = [_characteristic(c) for c in specification.productSpecCharacteristic]
    return body


def _characteristic(characteristic: ProductSpecCharacteristic) -> Json:
    body: Json = {"name": characteristic.name, "valueType": characteristic.valueType.value}
    if characteristic.description:
        body["description"] = characteristic.description
    body["configurable"] = characteristic.configurable
    body["minCardinality"] = characteristic.minCardinality
    body["productSpecCharacteristicValue"] = [
        _value(v) for v in characteristic.productSpecCharacteristicValue
    ]
    return body


def _value(value: CharacteristicValue) -> Json:
    body: Json = {"isDefault": value.isDefault}
    if value.value is not None:
        body["value"] = value.value
    if value.unitOfMeasure is not None:
        body["unitOfMeasure"] = value.unitOfMeasure
    return body | _bound("valueFrom", value.valueFrom) | _bound("valueTo", value.valueTo)


def _bound(name: str, bound: Decimal | None) -> Json:
    # TMF types range bounds as integers; a fractional bound keeps its exact value in `<name>Decimal`.
    if bound is None:
        return {}
    if bound == bound.to_integral_value():
        return {name: int(bound)}
    return {f"{name}Decimal": bound}


def project_offering(offering: ProductOffering, view: View) -> Json:
    body = entity_base(offering)
    body["isBundle"] = offering.isBundle
    body["isSellable"] = offering.isSellable
    if offering.productSpecification is not None:
        body["productSpecification"] = ref(Kind.ProductSpecification, offering.productSpecification, view)
    body["category"] = [ref(Kind.Category, c, view) for c in offering.category]
    body["channel"] = [label_ref("Channel", c) for c in offering.channel]
    body["marketSegment"] = [label_ref("MarketSegment", s) for s in offering.marketSegment]
    body["productOfferingPrice"] = [
        ref(Kind.ProductOfferingPrice, p, view) for p in offering.productOfferingPrice
    ]
    body["bundledProductOffering"] = [_bundled(b, view) for b in offering.bundledProductOffering]
    body["productOfferingRelationship"] = [
        ref(Kind.ProductOffering, r.id, view) | {"relationshipType": r.relationshipType.value}
        for r in offering.productOfferingRelationship
    ]
    if offering.exclusivityGroup is not None:
        body["exclusivityGroup"] = offering.exclusivityGroup
    if offering.eligibilityPolicy is not None:
        body["eligibilityPolicy"] = ref(Kind.EligibilityPolicy, offering.eligibilityPolicy, view)
    if offering.orderFlow is not None:
        body["orderFlow"] = ref(Kind.OrderFlow, offering.orderFlow, view)
    return body


def _bundled(bundled: BundledProductOffering, view: View) -> Json:
    option = {
        "numberRelOfferLowerLimit": bundled.numberRelOfferLowerLimit,
        "numberRelOfferUpperLimit": bundled.numberRelOfferUpperLimit,
        "numberRelOfferDefault": bundled.numberRelOfferDefault,
    }
    body = ref(Kind.ProductOffering, bundled.id, view)
    found = view.find(Kind.ProductOffering, bundled.id)
    if found is not None:
        body["lifecycleStatus"] = found.lifecycleStatus.value
    return body | {"bundledProductOfferingOption": option}


def project_catalog(info: ReleaseInfo, release: CatalogRelease, ends: datetime | None) -> Json:
    """A published release as a TMF Catalog, valid from its effective date until the next release's."""
    manifest = release.manifest
    view = View(release, info.effectiveDate)
    roots = sorted({c.id for c in release.all(Category) if c.parentId is None})
    body: Json = {
        "id": release.id,
        "href": href(Kind.CatalogRelease, release.id),
        "name": manifest.name,
        "version": manifest.version,
        "lifecycleStatus": manifest.lifecycleStatus.value,
        "catalogType": "ProductCatalog",
        "lastUpdate": timestamp(info.publishedAt),
        "validFor": time_period(TimePeriod(info.effectiveDate, ends)),
        "category": [ref(Kind.Category, c, view) for c in roots],
        "contentHash": info.contentHash,
        "currency": manifest.currency,
    }
    if manifest.description:
        body["description"] = manifest.description
    return body | type_fields(Kind.CatalogRelease)


Projector = Callable[[Any, View], Json]

PROJECTORS: Mapping[Kind, Projector] = {
    Kind.Category: project_category,
    Kind.ProductSpecification: project_specification,
    Kind.ProductOffering: project_offering,
    Kind.ProductOfferingPrice: project_price,
}

# Switchboard-only top-level fields per kind (besides the TMF definition's own), for filters and `fields=`.
EXTENSIONS: Mapping[Kind, frozenset[str]] = {
    Kind.Category: frozenset(),
    Kind.ProductSpecification: frozenset(),
    Kind.ProductOffering: OFFERING_EXTENSIONS,
    Kind.ProductOfferingPrice: PRICE_EXTENSIONS,
    Kind.CatalogRelease: CATALOG_EXTENSIONS,
}


def project(entity: Entity, view: View) -> Json:
    """The TMF620 resource of an entity of a projected kind."""
    return PROJECTORS[entity.kind](cast(Any, entity), view)
