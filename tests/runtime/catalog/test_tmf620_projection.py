"""The TMF620 projection of the sample catalog: every resource conforms, refs resolve, nothing is lost."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache

import pytest

from engine.spec.common import Entity, Kind, SourceInfo
from engine.spec.located import LocatedDocument
from engine.spec.parse import parse_entity
from engine.spec.parse_schema import schema_errors
from engine.spec.product import Category, ProductOffering
from engine.spec.release import CatalogRelease
from runtime.catalog.contracts import ReleaseInfo
from runtime.catalog.tmf620_common import View, encode, tmf_name
from runtime.catalog.tmf620_input import new_document, translate
from runtime.catalog.tmf620_projection import project, project_catalog
from runtime.tmf.contract import assert_conforms
from tests.runtime.catalog.test_tmf620_support import as_json, sample_release

PROJECTED = (Kind.Category, Kind.ProductSpecification, Kind.ProductOffering, Kind.ProductOfferingPrice)
AUGUST = datetime(2026, 8, 1, tzinfo=UTC)


@cache
def entities(release_id: str) -> list[Entity]:
    return [e for e in sample_release(release_id).entities if e.kind in PROJECTED]


@pytest.mark.parametrize("release_id", ["2026.1", "2026.2"])
def test_every_entity_of_the_sample_catalog_conforms_to_its_tmf620_definition(release_id: str) -> None:
    release = sample_release(release_id)
    view = View(release, release.effectiveDate)
    checked = 0
    for entity in entities(release_id):
        assert_conforms("TMF620", tmf_name(entity.kind), as_json(project(entity, view)))
        checked += 1
    assert checked > 100


@pytest.mark.parametrize("release_id", ["2026.1", "2026.2"])
def test_projecting_and_reading_back_gives_the_same_entity(release_id: str) -> None:
    release = sample_release(release_id)
    view = View(release, release.effectiveDate)
    for entity in entities(release_id):
        translated = translate(entity.kind, as_json(project(entity, view)))
        document = new_document(entity.kind, translated, entity.id)
        assert not schema_errors(LocatedDocument("<test>", 0, document, {})), entity.key
        back = parse_entity(document, SourceInfo("<test>"))
        expected = dataclasses.replace(entity, examples=()) if isinstance(entity, ProductOffering) else entity
        assert back == expected, entity.key


def test_an_offering_refers_to_its_specification_prices_and_categories_by_tmf_ref() -> None:
    release = sample_release("2026.2")
    body = as_json(project(release.offering("fibre-500"), View(release, AUGUST)))
    assert body["@type"] == "SwitchboardProductOffering"
    assert body["@baseType"] == "ProductOffering"
    assert body["productSpecification"] == {
        "id": "fibre-access",
        "href": "/tmf-api/productCatalogManagement/v4/productSpecification/fibre-access",
        "name": release.specification("fibre-access").name,
        "version": "1",
        "@referredType": "ProductSpecification",
    }
    assert [p["id"] for p in body["productOfferingPrice"]] == ["fibre-500-monthly", "fibre-installation"]
    assert body["productOfferingPrice"][0]["version"] == "2"
    assert body["category"][0]["href"].endswith("/category/broadband")
    assert {"id": "web", "@referredType": "Channel"} in body["channel"]
    assert body["marketSegment"] == [{"id": "residential", "@referredType": "MarketSegment"}]
    assert body["exclusivityGroup"] == "broadband-access"
    assert body["eligibilityPolicy"]["@referredType"] == "EligibilityPolicy"
    assert "href" not in body["eligibilityPolicy"]
    assert body["productOfferingRelationship"][0]["relationshipType"] == "upgradesTo"
    assert "examples" not in body


def test_a_bundle_lists_its_offerings_with_their_cardinalities() -> None:
    release = sample_release("2026.1")
    body = as_json(project(release.offering("converged-home"), View(release, AUGUST)))
    mobile = next(b for b in body["bundledProductOffering"] if b["id"] == "mobile-5g-m")
    assert body["isBundle"] is True
    assert mobile["bundledProductOfferingOption"] == {
        "numberRelOfferLowerLimit": 1,
        "numberRelOfferUpperLimit": 4,
        "numberRelOfferDefault": 2,
    }
    assert mobile["name"] == "Mobile 5G M"


def test_money_is_an_exact_json_number() -> None:
    release = sample_release("2026.1")
    price = project(release.price("fibre-500-monthly"), View(release, AUGUST))
    assert b'"price":{"unit":"EUR","value":39.99}' in encode(price)
    assert price["recurringChargePeriodType"] == "month"
    assert price["taxCategory"] == "standard"


def test_a_matrix_price_names_its_characteristic_values_and_keeps_its_rows() -> None:
    release = sample_release("2026.1")
    body = as_json(project(release.price("enterprise-slice-monthly"), View(release, AUGUST)))
    assert "price" not in body
    assert [use["name"] for use in body["prodSpecCharValueUse"]] == ["slaTier", "bandwidth"]
    assert [v["value"] for v in body["prodSpecCharValueUse"][0]["productSpecCharacteristicValue"]] == [
        "bronze",
        "silver",
        "gold",
    ]
    assert body["matrix"]["rows"][0] == {"values": ["bronze", "100"], "price": {"unit": "EUR", "value": 650}}


def test_a_usage_price_gives_its_unit_of_measure_as_a_quantity_and_its_tiers() -> None:
    release = sample_release("2026.1")
    body = as_json(project(release.price("iot-pool-data"), View(release, AUGUST)))
    assert body["unitOfMeasure"] == {"amount": 1, "units": "MB"}
    assert body["tierMode"] == "volume"
    assert body["tiers"][-1] == {"fromQuantity": 100000, "price": {"unit": "EUR", "value": Decimal("0.0040")}}


def test_a_discount_keeps_its_condition_with_refs_to_the_offerings() -> None:
    release = sample_release("2026.1")
    body = as_json(project(release.price("mobile-multiline-discount"), View(release, AUGUST)))
    assert body["priceType"] == "discount"
    assert body["percentage"] == 10
    assert body["priority"] == 10
    assert body["condition"]["minCount"] == 2
    assert body["condition"]["productOffering"][0]["@referredType"] == "ProductOffering"
    assert "recurringChargePeriodType" not in body


def test_refs_name_the_version_in_effect_at_the_moment_of_the_view() -> None:
    release = sample_release("2026.2")
    offering = release.offering("roaming-eu-plus-day")
    before = project(offering, View(release, AUGUST))["productOfferingPrice"][0]
    after = project(offering, View(release, datetime(2026, 10, 1, tzinfo=UTC)))["productOfferingPrice"][0]
    assert (before["id"], before["version"], after["version"]) == ("roaming-eu-plus-day-price", "2", "3")


def test_a_ref_outside_the_release_has_only_its_id_and_href() -> None:
    body = project(sample_release("2026.1").offering("fibre-500"), View())
    assert body["productSpecification"] == {
        "id": "fibre-access",
        "href": "/tmf-api/productCatalogManagement/v4/productSpecification/fibre-access",
        "@referredType": "ProductSpecification",
    }


def test_a_category_lists_its_subcategories_and_offerings() -> None:
    release = sample_release("2026.1")
    fixed = as_json(project(release.get(Category, "fixed"), View(release, AUGUST)))
    assert fixed["isRoot"] is True
    assert "broadband" in [c["id"] for c in fixed["subCategory"]]
    broadband = as_json(project(release.get(Category, "broadband"), View(release)))
    assert broadband["parentId"] == "fixed"
    assert broadband["isRoot"] is False
    assert "fibre-500" in [o["id"] for o in broadband["productOffering"]]


def test_a_catalog_is_valid_from_its_release_until_the_next_one() -> None:
    release = sample_release("2026.1")
    info = _info(release)
    body = as_json(project_catalog(info, release, sample_release("2026.2").effectiveDate))
    assert_conforms("TMF620", "Catalog", body)
    assert body["validFor"] == {
        "startDateTime": "2026-01-01T00:00:00Z",
        "endDateTime": "2026-07-01T00:00:00Z",
    }
    assert body["href"] == "/tmf-api/productCatalogManagement/v4/catalog/2026.1"
    assert body["contentHash"] == release.contentHash
    assert {c["id"] for c in body["category"]} == {c.id for c in release.categories() if c.parentId is None}


def _info(release: CatalogRelease) -> ReleaseInfo:
    return ReleaseInfo(
        id=release.id,
        name=release.manifest.name,
        contentHash=release.contentHash,
        effectiveDate=release.effectiveDate,
        publishedAt=datetime(2025, 12, 1, tzinfo=UTC),
        publishedBy="test",
        entityCount=len(release.entities),
    )
