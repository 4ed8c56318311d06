"""The schema layer's messages: located at the deepest useful path, in the spec author's words."""

import random
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from engine.spec.common import Kind
from engine.spec.located import parse_source
from engine.spec.parse_schema import (
    format_checker,
    kind_schema,
    schema_errors,
    schema_refs,
    schema_registry,
)
from engine.spec.parse_schema_check import compile_check
from tests.engine.spec.support import MINIMAL, ODD, places, replaced

PRICE = """\
apiVersion: switchboard.io/v1
kind: ProductOfferingPrice
metadata: {id: fee, version: "1"}
spec:
  name: Installation
"""


def problems(text: str) -> list[tuple[int, int, str, str, str]]:
    (document,) = parse_source("doc.yaml", text).documents
    errors = sorted(schema_errors(document), key=lambda e: (e.line, e.column, e.message))
    assert all(e.layer == "schema" and e.file == "doc.yaml" for e in errors)
    return [(e.line, e.column, e.path, e.message, e.code) for e in errors]


def test_a_valid_document_has_no_schema_errors() -> None:
    assert problems(PRICE + '  priceType: oneTime\n  price: {unit: EUR, value: "49.00"}\n') == []


def test_an_unknown_field_is_located_at_its_key_with_a_suggestion_and_the_allowed_fields() -> None:
    ((line, column, path, message, code),) = problems(
        PRICE + "  priceType: oneTime\n  price: {unit: EUR, value: 1}\n  taxCategroy: reduced\n"
    )
    assert (line, column, path, code) == (8, 3, "$.spec.taxCategroy", "UNKNOWN_FIELD")
    assert message.startswith("unknown field 'taxCategroy' (did you mean 'taxCategory'?); allowed: name, ")


def test_a_value_outside_an_enum_lists_the_allowed_values() -> None:
    assert problems(PRICE + "  priceType: onetime\n") == [
        (
            6,
            3,
            "$.spec.priceType",
            "'onetime' is not allowed (did you mean 'oneTime'?); expected one of: oneTime, recurring, usage, discount",
            "NOT_ALLOWED",
        )
    ]


def test_a_number_where_a_string_is_due_says_to_quote_it() -> None:
    text = (
        PRICE.replace('version: "1"', "version: 1")
        + '  priceType: oneTime\n  price: {unit: EUR, value: "1"}\n'
    )
    assert problems(text) == [
        (3, 21, "$.metadata.version", 'expected a string, got the number 1 (quote it: "1")', "WRONG_TYPE")
    ]


def test_a_missing_field_names_the_field_and_where_it_is_required() -> None:
    assert problems(PRICE + "  priceType: oneTime\n  price: {unit: EUR}\n") == [
        (7, 3, "$.spec.price", "missing required field 'value' (Money)", "MISSING_FIELD")
    ]
    assert problems(PRICE + "  priceType: oneTime\n") == [
        (4, 1, "$.spec", "missing required field 'price' (a oneTime price)", "MISSING_FIELD")
    ]


def test_a_money_value_that_is_not_an_exact_decimal_is_refused_at_the_value() -> None:
    assert problems(PRICE + '  priceType: oneTime\n  price: {unit: EUR, value: "12,99"}\n') == [
        (
            7,
            22,
            "$.spec.price.value",
            "'12,99' must be an exact decimal number, like 12.99 or \"12.99\"",
            "INVALID_VALUE",
        )
    ]


def test_infinity_is_not_a_decimal() -> None:
    ((_, _, path, message, _),) = problems(
        PRICE + "  priceType: oneTime\n  price: {unit: EUR, value: .inf}\n"
    )
    assert (path, message.split(" must")[0]) == ("$.spec.price.value", "'.inf'")


def test_fields_that_do_not_apply_to_the_price_type_are_errors() -> None:
    text = (
        PRICE + "  priceType: oneTime\n  price: {unit: EUR, value: 1}\n  tierMode: volume\n  percentage: 5\n"
    )
    assert problems(text) == [
        (
            8,
            3,
            "$.spec.tierMode",
            "field 'tierMode' does not apply to a oneTime price",
            "FIELD_NOT_APPLICABLE",
        ),
        (
            9,
            3,
            "$.spec.percentage",
            "field 'percentage' does not apply to a oneTime price",
            "FIELD_NOT_APPLICABLE",
        ),
    ]


def test_a_price_needs_exactly_one_of_its_alternative_amounts() -> None:
    both = PRICE + "  priceType: discount\n  percentage: 10\n  price: {unit: EUR, value: 5}\n"
    neither = PRICE + "  priceType: recurring\n  recurringChargePeriodType: month\n"
    assert problems(both) == [
        (4, 1, "$.spec", "a discount has either percentage or price, not both", "INVALID_VALUE")
    ]
    assert problems(neither) == [
        (4, 1, "$.spec", "a recurring price has either price or matrix, not both", "INVALID_VALUE")
    ]


def test_errors_deep_in_a_condition_tree_are_located_where_they_are() -> None:
    text = """\
apiVersion: switchboard.io/v1
kind: EligibilityPolicy
metadata: {id: p, version: "1"}
spec:
  name: P
  rules:
    - id: r
      reasonCode: R
      message: M
      condition:
        any:
          - {fact: customer.creditClass, operator: inn, value: [A]}
          - all:
              - {fact: account.tenureMonths, operatr: equal, value: 1}
              - not: {fact: x, operator: equal}
              - 12
"""
    assert [(line, column, path, code) for line, column, path, _, code in problems(text)] == [
        (12, 42, "$.spec.rules[0].condition.any[0].operator", "NOT_ALLOWED"),
        (14, 17, "$.spec.rules[0].condition.any[1].all[0]", "MISSING_FIELD"),
        (14, 46, "$.spec.rules[0].condition.any[1].all[0].operatr", "UNKNOWN_FIELD"),
        (15, 17, "$.spec.rules[0].condition.any[1].all[1].not", "MISSING_FIELD"),
        (16, 17, "$.spec.rules[0].condition.any[1].all[2]", "WRONG_TYPE"),
    ]


def test_a_duration_with_months_is_refused_with_the_reason() -> None:
    text = """\
apiVersion: switchboard.io/v1
kind: OrderFlow
metadata: {id: f, version: "1"}
spec:
  name: F
  actions:
    add: [{id: a, name: A, serviceSpecification: s, timeout: P1M}]
"""
    ((line, column, path, message, code),) = problems(text)
    assert (line, column, path, code) == (7, 53, "$.spec.actions.add[0].timeout", "INVALID_VALUE")
    assert "months and years have no fixed length" in message


def test_a_wrong_api_version_is_reported() -> None:
    text = (
        PRICE.replace("switchboard.io/v1", "switchboard.io/v2")
        + "  priceType: oneTime\n  price: {unit: EUR, value: 1}\n"
    )
    assert problems(text) == [
        (1, 1, "$.apiVersion", "expected 'switchboard.io/v1', got 'switchboard.io/v2'", "NOT_ALLOWED")
    ]


def test_every_error_of_a_document_is_reported_not_only_the_first() -> None:
    text = (
        PRICE.replace("fee", "Fee") + "  priceType: oneTime\n  price: {unit: XYZ, value: abc}\n  bogus: 1\n"
    )
    assert [path for _, _, path, _, _ in problems(text)] == [
        "$.metadata.id",
        "$.spec.price.unit",
        "$.spec.price.value",
        "$.spec.bogus",
    ]


SPECIFICATION = """\
apiVersion: switchboard.io/v1
kind: ProductSpecification
metadata: {id: s, version: "1"}
spec:
  name: S
  productSpecCharacteristic:
    - name: c
      valueType: integer
      productSpecCharacteristicValue: [{isDefault: true}, {value: ~}]
"""


def test_a_characteristic_value_needs_a_value_or_a_range() -> None:
    assert problems(SPECIFICATION) == [
        (
            9,
            40,
            "$.spec.productSpecCharacteristic[0].productSpecCharacteristicValue[0]",
            "a characteristic value has a value, or a range valueFrom..valueTo",
            "INVALID_VALUE",
        ),
        (
            9,
            60,
            "$.spec.productSpecCharacteristic[0].productSpecCharacteristicValue[1].value",
            "expected a string, a number or a boolean (true or false), got nothing (an empty value)",
            "WRONG_TYPE",
        ),
    ]


def test_a_repeated_list_item_is_named() -> None:
    text = PRICE + "  priceType: discount\n  percentage: 5\n  channel: [web, app, web]\n"
    assert problems(text) == [
        (8, 3, "$.spec.channel", "'web' is listed more than once; list each item once", "INVALID_VALUE")
    ]


def test_the_compiled_check_accepts_exactly_what_jsonschema_accepts() -> None:
    """Every document of the minimal release, with each of its places holding odd values (3 each, seeded)."""
    pick = random.Random(7)
    for path in sorted(MINIMAL.rglob("*.*")):
        for document in parse_source(str(path), path.read_text()).documents:
            kind = Kind(document.data["kind"])
            check = compile_check(kind_schema(kind), schema_refs(), format_checker())
            assert check is not None
            validator = Draft202012Validator(
                kind_schema(kind), registry=schema_registry(), format_checker=format_checker()
            )
            variants = [document.data, {**document.data, "extra": 1}]
            variants += [
                replaced(document.data, at, v) for at in places(document.data) for v in pick.sample(ODD, 3)
            ]
            for data in variants:
                assert check(data) == validator.is_valid(data), (path, data)


@pytest.mark.parametrize(
    "schema",
    [{"unevaluatedProperties": False}, {"patternProperties": {"^x": {}}}, {"items": {"$ref": "#/x"}}],
)
def test_a_schema_with_a_keyword_not_compiled_compiles_to_nothing(schema: dict[str, Any]) -> None:
    assert compile_check(schema, {}, format_checker()) is None
