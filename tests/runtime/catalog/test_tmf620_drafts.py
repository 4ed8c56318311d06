"""Drafts are projected as far as they are valid, with their problems listed, and never fail to project."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from engine.spec.common import Kind
from engine.spec.price import ProductOfferingPrice
from runtime.catalog.contracts import Draft
from runtime.catalog.tmf620_common import View
from runtime.catalog.tmf620_drafts import project_draft, salvage
from runtime.tmf.contract import assert_conforms
from tests.runtime.catalog.test_tmf620_support import as_json, sample_release

MONTHLY: dict[str, Any] = {
    "apiVersion": "switchboard.io/v1",
    "kind": "ProductOfferingPrice",
    "metadata": {"id": "fibre-2000-monthly", "version": "1"},
    "spec": {
        "name": "Fibre 2000 monthly",
        "priceType": "recurring",
        "recurringChargePeriodType": "month",
        "price": {"unit": "EUR", "value": Decimal("59.99")},
        "taxCategory": "standard",
    },
}


def draft_of(document: Any, kind: Kind = Kind.ProductOfferingPrice) -> Draft:
    return Draft(
        kind=kind,
        id="fibre-2000-monthly",
        document=document,
        etag='"1-abc"',
        updatedAt=datetime(2026, 3, 1, tzinfo=UTC),
        updatedBy="pm",
        basedOnVersion=None,
    )


def with_spec(**changes: Any) -> dict[str, Any]:
    return {**MONTHLY, "spec": {**MONTHLY["spec"], **changes}}


def test_a_valid_draft_is_projected_like_a_published_entity_with_its_draft_status() -> None:
    release = sample_release("2026.1")
    body = as_json(project_draft(draft_of(MONTHLY), View(release, release.effectiveDate)))
    assert_conforms("TMF620", "ProductOfferingPrice", body)
    assert body["price"] == {"unit": "EUR", "value": Decimal("59.99")}
    assert body["lastUpdate"] == "2026-03-01T00:00:00Z"
    assert body["draft"] == {"etag": '"1-abc"', "updatedBy": "pm", "problems": []}


def test_one_bad_field_hides_only_itself_and_is_reported() -> None:
    entity, problems = salvage(with_spec(taxCategory=7, description="still shown"))
    assert isinstance(entity, ProductOfferingPrice)
    assert entity.description == "still shown"
    assert entity.price is not None
    assert len(problems) == 1
    assert problems[0].startswith("$.spec.taxCategory:")


def test_an_entity_that_needs_a_missing_field_shows_its_envelope() -> None:
    document = {**MONTHLY, "spec": {"priceType": "recurring", "description": "no name yet"}}
    body = as_json(project_draft(draft_of(document), View()))
    assert_conforms("TMF620", "ProductOfferingPrice", body)
    assert body["id"] == "fibre-2000-monthly"
    assert body["description"] == "no name yet"
    assert "priceType" not in body
    assert any("name" in problem for problem in body["draft"]["problems"])


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"kind": "ProductOfferingPrice"},
        {**MONTHLY, "spec": "not an object"},
        {**MONTHLY, "metadata": {"id": "Not An Id", "version": 3}},
        with_spec(price={"unit": "XXX", "value": "1"}),
        with_spec(validFor={"startDateTime": "2026-02-30T00:00:00Z"}),
        {**MONTHLY, "kind": "ProductOffering"},
    ],
)
def test_no_draft_fails_to_project(document: Any) -> None:
    body = as_json(project_draft(draft_of(document), View()))
    assert_conforms("TMF620", "ProductOfferingPrice", body)
    assert body["id"] == "fibre-2000-monthly"
    assert body["draft"]["problems"]
