"""TMF620 bodies into spec documents: what is read, what is refused, and merge-patch semantics."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from engine.spec.common import Kind
from runtime.catalog.tmf620_convert import InvalidBody, UnsupportedField, merge_patch
from runtime.catalog.tmf620_input import new_document, patched_document, translate

FIBRE_MONTHLY = {
    "id": "fibre-2000-monthly",
    "name": "Fibre 2000 monthly",
    "@type": "SwitchboardProductOfferingPrice",
    "priceType": "recurring",
    "recurringChargePeriodType": "month",
    "price": {"unit": "EUR", "value": 59.99},
}


def test_a_tmf_price_becomes_a_spec_document_with_an_exact_amount() -> None:
    translated = translate(Kind.ProductOfferingPrice, FIBRE_MONTHLY)
    document = new_document(Kind.ProductOfferingPrice, translated, "fibre-2000-monthly")
    assert document == {
        "apiVersion": "switchboard.io/v1",
        "kind": "ProductOfferingPrice",
        "metadata": {"id": "fibre-2000-monthly"},
        "spec": {
            "name": "Fibre 2000 monthly",
            "priceType": "recurring",
            "recurringChargePeriodType": "month",
            "price": {"unit": "EUR", "value": Decimal("59.99")},
        },
    }


def test_refs_give_back_their_ids_and_read_only_fields_are_ignored() -> None:
    body = {
        "id": "fibre-2000",
        "href": "/tmf-api/productCatalogManagement/v4/productOffering/fibre-2000",
        "version": "1",
        "name": "Fibre 2000",
        "lastUpdate": "2026-01-01T00:00:00Z",
        "productSpecification": {"id": "fibre-access", "name": "Fibre access", "@referredType": "x"},
        "category": [{"id": "broadband", "href": "/x", "version": "1"}],
        "channel": [{"id": "web", "@referredType": "Channel"}],
        "eligibilityPolicy": {"id": "fibre-2000-serviceability"},
        "bundledProductOffering": [],
    }
    translated = translate(Kind.ProductOffering, body)
    assert (translated.id, translated.version) == ("fibre-2000", "1")
    assert translated.spec == {
        "name": "Fibre 2000",
        "productSpecification": "fibre-access",
        "category": ["broadband"],
        "channel": ["web"],
        "eligibilityPolicy": "fibre-2000-serviceability",
        "bundledProductOffering": [],
    }


def test_a_unit_of_measure_is_a_quantity_of_one_unit() -> None:
    body = {"name": "Data", "priceType": "usage", "unitOfMeasure": {"amount": 1, "units": "GB"}}
    assert translate(Kind.ProductOfferingPrice, body).spec["unitOfMeasure"] == "GB"
    with pytest.raises(UnsupportedField, match="amount must be 1"):
        translate(Kind.ProductOfferingPrice, body | {"unitOfMeasure": {"amount": 5, "units": "GB"}})


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        ({"name": "x", "colour": "red"}, InvalidBody, "unknown field 'colour'"),
        ({"name": "x", "agreement": []}, UnsupportedField, "agreement is a TMF field"),
        ({"name": 5}, InvalidBody, "name must be a string"),
        ({"name": "x", "isSellable": "yes"}, InvalidBody, "isSellable must be true or false"),
        ({"name": "x", "category": [{"name": "no id"}]}, InvalidBody, r"category\[0\] needs id"),
        ({"name": "x", "category": "broadband"}, InvalidBody, "category must be a list"),
        (
            {"name": "x", "productOfferingPrice": [{"id": "p", "price": {}}]},
            InvalidBody,
            "price is not a field",
        ),
        ({"name": "x", "@type": "Bundle"}, InvalidBody, "@type must be one of"),
        ({"name": "x", "validFor": {"start": "2026-01-01"}}, InvalidBody, "validFor.start is not a field"),
        (["not", "an", "object"], InvalidBody, "is a JSON object"),
    ],
)
def test_what_the_model_cannot_hold_is_refused(body: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        translate(Kind.ProductOffering, body)


def test_a_price_or_specification_cannot_be_a_bundle() -> None:
    with pytest.raises(UnsupportedField):
        translate(Kind.ProductOfferingPrice, FIBRE_MONTHLY | {"isBundle": True})
    assert (
        "isBundle"
        not in new_document(
            Kind.ProductSpecification,
            translate(Kind.ProductSpecification, {"name": "x", "isBundle": False}),
            "x",
        )["spec"]
    )


def test_numbers_are_read_exactly_whatever_their_json_form() -> None:
    body = FIBRE_MONTHLY | {"price": {"unit": "EUR", "value": "1e1"}}
    assert translate(Kind.ProductOfferingPrice, body).spec["price"]["value"] == Decimal("10")
    with pytest.raises(InvalidBody, match="must be a number"):
        translate(Kind.ProductOfferingPrice, FIBRE_MONTHLY | {"price": {"unit": "EUR", "value": "cheap"}})
    with pytest.raises(InvalidBody, match="must be a number"):
        translate(Kind.ProductOfferingPrice, FIBRE_MONTHLY | {"percentage": True})


def test_a_fractional_range_bound_is_read_from_its_decimal_field() -> None:
    body = {
        "name": "x",
        "productSpecCharacteristic": [
            {
                "name": "ratio",
                "valueType": "decimal",
                "productSpecCharacteristicValue": [{"valueFromDecimal": 0.5}],
            }
        ],
    }
    spec = translate(Kind.ProductSpecification, body).spec
    assert spec["productSpecCharacteristic"][0]["productSpecCharacteristicValue"] == [
        {"valueFrom": Decimal("0.5")}
    ]


def test_a_merge_patch_replaces_lists_merges_objects_and_deletes_with_null() -> None:
    target = {"name": "a", "validFor": {"startDateTime": "s", "endDateTime": "e"}, "channel": ["web", "app"]}
    patch = {"validFor": {"endDateTime": None}, "channel": ["retail"], "description": None}
    assert merge_patch(target, patch) == {
        "name": "a",
        "validFor": {"startDateTime": "s"},
        "channel": ["retail"],
    }


def test_a_patch_translates_tmf_fields_before_merging_into_the_draft() -> None:
    draft = new_document(
        Kind.ProductOffering, translate(Kind.ProductOffering, {"name": "x", "version": "2"}), "x"
    )
    patch = translate(
        Kind.ProductOffering,
        {"category": [{"id": "tv"}], "description": "Now with TV", "version": "3", "orderFlow": None},
    )
    patched = patched_document(draft | {"spec": {**draft["spec"], "orderFlow": "iptv"}}, patch)
    assert patched["metadata"] == {"id": "x", "version": "3"}
    assert patched["spec"] == {"name": "x", "category": ["tv"], "description": "Now with TV"}


def test_a_null_inside_a_list_element_means_absent() -> None:
    body = {
        "name": "Data",
        "priceType": "usage",
        "tiers": [{"fromQuantity": 0, "toQuantity": None, "price": {"unit": "EUR", "value": 1}}],
    }
    document = new_document(Kind.ProductOfferingPrice, translate(Kind.ProductOfferingPrice, body), "data")
    assert document["spec"]["tiers"] == [{"fromQuantity": 0, "price": {"unit": "EUR", "value": 1}}]
