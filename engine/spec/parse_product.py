"""Parsing of ProductSpecification, ServiceSpecification, Category and ProductOffering documents."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from engine.errors import FactError
from engine.facts import parse_request
from engine.spec.common import SourceInfo
from engine.spec.located import child_path
from engine.spec.parse_common import (
    Problem,
    SpecParseError,
    decimal,
    entity_fields,
    frozen_mapping,
    optional_decimal,
    strings,
)
from engine.spec.product import (
    BundledProductOffering,
    Category,
    CharacteristicValue,
    CharacteristicValueType,
    ExpectedOutcome,
    OfferingExample,
    ProductOffering,
    ProductOfferingRelationship,
    ProductSpecCharacteristic,
    ProductSpecification,
    QualificationOutcome,
    RelationshipType,
    ServiceSpecification,
)


def parse_product_specification(document: Mapping[str, Any], source: SourceInfo) -> ProductSpecification:
    spec = document["spec"]
    return ProductSpecification(
        **entity_fields(document, source),
        brand=spec.get("brand", ""),
        productSpecCharacteristic=tuple(
            _characteristic(item, f"$.spec.productSpecCharacteristic[{i}]")
            for i, item in enumerate(spec.get("productSpecCharacteristic", ()))
        ),
    )


def _characteristic(data: Mapping[str, Any], path: str) -> ProductSpecCharacteristic:
    return ProductSpecCharacteristic(
        name=data["name"],
        valueType=CharacteristicValueType(data["valueType"]),
        description=data.get("description", ""),
        configurable=data.get("configurable", True),
        minCardinality=data.get("minCardinality", 0),
        productSpecCharacteristicValue=tuple(
            _characteristic_value(item, f"{path}.productSpecCharacteristicValue[{i}]")
            for i, item in enumerate(data.get("productSpecCharacteristicValue", ()))
        ),
    )


def _characteristic_value(data: Mapping[str, Any], path: str) -> CharacteristicValue:
    value = data.get("value")
    return CharacteristicValue(
        # A YAML float arrives as a Decimal in the notation written (1e3); the model holds it plain.
        value=decimal(value, child_path(path, "value")) if isinstance(value, Decimal) else value,
        isDefault=data.get("isDefault", False),
        valueFrom=optional_decimal(data.get("valueFrom"), child_path(path, "valueFrom")),
        valueTo=optional_decimal(data.get("valueTo"), child_path(path, "valueTo")),
        unitOfMeasure=data.get("unitOfMeasure"),
    )


def parse_service_specification(document: Mapping[str, Any], source: SourceInfo) -> ServiceSpecification:
    return ServiceSpecification(**entity_fields(document, source))


def parse_category(document: Mapping[str, Any], source: SourceInfo) -> Category:
    return Category(**entity_fields(document, source), parentId=document["spec"].get("parentId"))


def parse_product_offering(document: Mapping[str, Any], source: SourceInfo) -> ProductOffering:
    spec = document["spec"]
    return ProductOffering(
        **entity_fields(document, source),
        productSpecification=spec.get("productSpecification"),
        isSellable=spec.get("isSellable", True),
        isBundle=spec.get("isBundle", False),
        channel=strings(spec.get("channel")),
        marketSegment=strings(spec.get("marketSegment")),
        category=strings(spec.get("category")),
        bundledProductOffering=tuple(_bundled(item) for item in spec.get("bundledProductOffering", ())),
        productOfferingRelationship=tuple(
            ProductOfferingRelationship(item["id"], RelationshipType(item["relationshipType"]))
            for item in spec.get("productOfferingRelationship", ())
        ),
        productOfferingPrice=strings(spec.get("productOfferingPrice")),
        eligibilityPolicy=spec.get("eligibilityPolicy"),
        orderFlow=spec.get("orderFlow"),
        exclusivityGroup=spec.get("exclusivityGroup"),
        examples=_examples(spec.get("examples", ())),
    )


def _bundled(data: Mapping[str, Any]) -> BundledProductOffering:
    option = data.get("bundledProductOfferingOption", {})
    return BundledProductOffering(
        id=data["id"],
        numberRelOfferLowerLimit=option.get("numberRelOfferLowerLimit", 1),
        numberRelOfferUpperLimit=option.get("numberRelOfferUpperLimit", 1),
        numberRelOfferDefault=option.get("numberRelOfferDefault", 1),
    )


def _examples(items: list[Mapping[str, Any]]) -> tuple[OfferingExample, ...]:
    # Each example is independent: report the problem of every broken one, not only the first.
    examples: list[OfferingExample] = []
    problems: list[Problem] = []
    for i, item in enumerate(items):
        try:
            examples.append(_example(item, f"$.spec.examples[{i}]"))
        except SpecParseError as error:
            problems.extend(error.problems)
    if problems:
        raise SpecParseError(problems)
    return tuple(examples)


def _example(data: Mapping[str, Any], path: str) -> OfferingExample:
    request_path = child_path(path, "request")
    try:
        request = parse_request(data["request"])
    except FactError as error:
        # parse_request paths are rooted at the request (`$.cart[0]`); root them at the example instead.
        where = request_path + (error.path or "$").removeprefix("$")
        raise SpecParseError([Problem(where, error.message, error.code)]) from None
    return OfferingExample(
        name=data["name"],
        request=request,
        expect=_expectation(data["expect"], child_path(path, "expect")),
        path=path,
    )


def _expectation(data: Mapping[str, Any], path: str) -> ExpectedOutcome:
    return ExpectedOutcome(
        qualification=QualificationOutcome(data["qualification"]),
        reasons=strings(data.get("reasons")),
        alternates=strings(data.get("alternates")),
        oneTimeTotal=optional_decimal(data.get("oneTimeTotal"), child_path(path, "oneTimeTotal")),
        recurringTotal=_per_period(data.get("recurringTotal", {}), child_path(path, "recurringTotal")),
        taxIncludedOneTimeTotal=optional_decimal(
            data.get("taxIncludedOneTimeTotal"), child_path(path, "taxIncludedOneTimeTotal")
        ),
        taxIncludedRecurringTotal=_per_period(
            data.get("taxIncludedRecurringTotal", {}), child_path(path, "taxIncludedRecurringTotal")
        ),
    )


def _per_period(data: Mapping[str, Any], path: str) -> Mapping[str, Decimal]:
    return frozen_mapping(
        {period: decimal(amount, child_path(path, period)) for period, amount in data.items()}
    )
