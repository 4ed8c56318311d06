import json
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from engine.money import MINOR_UNITS, RoundingMode
from engine.spec.common import Kind, LifecycleStatus
from engine.spec.conditions import Operator
from engine.spec.flow import ServiceAction
from engine.spec.located import parse_source
from engine.spec.parse_schema import (
    SCHEMA_BASE_URI,
    SCHEMA_DIR,
    schema_file,
    schema_for,
    schema_registry,
)
from engine.spec.price import AlterationScope, ChargePeriod, ExistingSubscriberPolicy, PriceType, TierMode
from engine.spec.product import CharacteristicValueType, QualificationOutcome, RelationshipType

SCHEMA_FILES = sorted(SCHEMA_DIR.glob("*.schema.json"))


def subschemas(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema object inside `node`, except `if` tests (they only discriminate, e.g. by priceType)."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key != "if":
                yield from subschemas(value)
    elif isinstance(node, list):
        for item in node:
            yield from subschemas(item)


def test_there_is_one_schema_per_kind_plus_the_shared_definitions() -> None:
    assert {path.name for path in SCHEMA_FILES} == {f"{k}.schema.json" for k in [*Kind, "common"]}


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_schema_is_a_valid_2020_12_schema(path: Path) -> None:
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_BASE_URI + path.name


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_object_schema_refuses_unknown_fields(path: Path) -> None:
    for node in subschemas(json.loads(path.read_text())):
        if "properties" in node:
            assert node.get("additionalProperties") is False, node.get("title")


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_field_has_a_title_or_description_for_the_designer(path: Path) -> None:
    for node in subschemas(json.loads(path.read_text())):
        for name, field in node.get("properties", {}).items():
            if not isinstance(field, dict):
                continue
            described = "title" in field or "description" in field or "$ref" in field
            assert described, name


def test_the_index_lists_every_kind_schema() -> None:
    index = json.loads((SCHEMA_DIR / "index.json").read_text())
    assert index["kinds"] == {kind.value: schema_file(kind).name for kind in Kind}
    assert all(schema_file(kind).is_file() for kind in Kind)


def test_schema_for_returns_the_kind_schema_as_a_private_copy() -> None:
    schema = schema_for("ProductOffering")
    assert schema["properties"]["kind"] == {"title": "Kind", "const": "ProductOffering"}
    schema["properties"].clear()
    assert schema_for(Kind.ProductOffering)["properties"]["kind"]["const"] == "ProductOffering"


def common_defs() -> dict[str, Any]:
    return json.loads(schema_file("common").read_text())["$defs"]  # type: ignore[no-any-return]


def enum_of(kind: Kind | str, *path: str) -> list[str]:
    node: Any = common_defs() if kind == "common" else schema_for(kind)
    for key in path:
        node = node[key]
    return list(node["enum"])


@pytest.mark.parametrize(
    ("kind", "path", "model"),
    [
        ("common", ("LifecycleStatus",), LifecycleStatus),
        ("common", ("Predicate", "properties", "operator"), Operator),
        (Kind.ProductOfferingPrice, ("properties", "spec", "properties", "priceType"), PriceType),
        (
            Kind.ProductOfferingPrice,
            ("properties", "spec", "properties", "recurringChargePeriodType"),
            ChargePeriod,
        ),
        (Kind.ProductOfferingPrice, ("properties", "spec", "properties", "tierMode"), TierMode),
        (Kind.ProductOfferingPrice, ("$defs", "AlterationCondition", "properties", "scope"), AlterationScope),
        (
            Kind.ProductOfferingPrice,
            ("$defs", "ExistingSubscribers", "properties", "policy"),
            ExistingSubscriberPolicy,
        ),
        (Kind.ProductOffering, ("$defs", "Relationship", "properties", "relationshipType"), RelationshipType),
        (Kind.ProductOffering, ("$defs", "Expectation", "properties", "qualification"), QualificationOutcome),
        (
            Kind.ProductSpecification,
            ("$defs", "Characteristic", "properties", "valueType"),
            CharacteristicValueType,
        ),
        (Kind.OrderFlow, ("$defs", "Step", "properties", "action"), ServiceAction),
        (
            Kind.CatalogRelease,
            ("properties", "spec", "properties", "rounding", "properties", "mode"),
            RoundingMode,
        ),
    ],
)
def test_schema_enums_match_the_model(kind: Kind | str, path: tuple[str, ...], model: type[StrEnum]) -> None:
    assert enum_of(kind, *path) == [member.value for member in model]


def test_the_currency_enum_is_the_money_table() -> None:
    assert sorted(common_defs()["Currency"]["enum"]) == sorted(MINOR_UNITS)


def test_the_fixture_documents_validate_against_plain_jsonschema_with_the_offline_registry(
    minimal_path: Path,
) -> None:
    for path in sorted(minimal_path.rglob("*.*")):
        for document in parse_source(str(path), path.read_text()).documents:
            schema = schema_for(document.data["kind"])
            validator = Draft202012Validator(schema, registry=schema_registry())
            assert list(validator.iter_errors(document.data)) == [], path
