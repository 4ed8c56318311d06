"""Schema-valid documents into frozen model objects, one parser per kind."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from engine.spec.common import Entity, Kind, SourceInfo
from engine.spec.parse_flow import parse_order_flow
from engine.spec.parse_policy import parse_eligibility_policy
from engine.spec.parse_price import parse_product_offering_price
from engine.spec.parse_product import (
    parse_category,
    parse_product_offering,
    parse_product_specification,
    parse_service_specification,
)
from engine.spec.parse_release import parse_release_manifest, parse_tax_table

Parser = Callable[[Mapping[str, Any], SourceInfo], Entity]

PARSERS: Mapping[Kind, Parser] = {
    Kind.CatalogRelease: parse_release_manifest,
    Kind.Category: parse_category,
    Kind.ProductSpecification: parse_product_specification,
    Kind.ServiceSpecification: parse_service_specification,
    Kind.ProductOffering: parse_product_offering,
    Kind.ProductOfferingPrice: parse_product_offering_price,
    Kind.EligibilityPolicy: parse_eligibility_policy,
    Kind.OrderFlow: parse_order_flow,
    Kind.TaxTable: parse_tax_table,
}


def parse_entity(document: Mapping[str, Any], source: SourceInfo) -> Entity:
    """The model object of a document the kind's JSON Schema accepted; raises SpecParseError."""
    return PARSERS[Kind(document["kind"])](document, source)
