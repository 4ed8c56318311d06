import pytest
from pricing_builders import eur, item, matrix_price, offering, release, request

from engine.errors import CartError
from engine.pricing import quote
from engine.spec.product import (
    CharacteristicValue,
    CharacteristicValueType,
    ProductSpecCharacteristic,
    ProductSpecification,
)
from engine.spec.release import CatalogRelease

SLICE = ProductSpecification(
    id="slice",
    version="1",
    name="Enterprise slice",
    productSpecCharacteristic=(
        ProductSpecCharacteristic(
            "slaTier",
            CharacteristicValueType.string,
            productSpecCharacteristicValue=(
                CharacteristicValue("silver", isDefault=True),
                CharacteristicValue("gold"),
            ),
        ),
        ProductSpecCharacteristic(
            "bandwidth",
            CharacteristicValueType.integer,
            productSpecCharacteristicValue=(CharacteristicValue(100), CharacteristicValue(1000)),
        ),
    ),
)
MATRIX = matrix_price(
    "slice-monthly",
    ("slaTier", "bandwidth"),
    (("silver", "100"), "900.00"),
    (("gold", "100"), "1400.00"),
    (("Silver", "1000"), "2000.00"),
)


def _slice() -> CatalogRelease:
    return release(offering("slice", "slice-monthly", spec="slice"), MATRIX, SLICE)


def test_matrix_price_is_the_row_of_the_chosen_values() -> None:
    result = quote(_slice(), request(item("slice", characteristic={"slaTier": "gold", "bandwidth": 100})))

    assert result.lines[0].unitPrice == eur("1400.00")


def test_matrix_rows_match_values_as_text_case_insensitively() -> None:
    result = quote(
        _slice(), request(item("slice", characteristic={"slaTier": "SILVER", "bandwidth": "1000"}))
    )

    assert result.lines[0].unitPrice == eur("2000.00")


def test_matrix_uses_the_spec_default_for_an_unchosen_characteristic() -> None:
    result = quote(_slice(), request(item("slice", characteristic={"bandwidth": 100})))

    assert result.lines[0].unitPrice == eur("900.00")
    assert any("matrix row slaTier=silver, bandwidth=100" in e.message for e in result.trace)


def test_matrix_without_a_row_for_the_chosen_values_is_a_cart_error_naming_them() -> None:
    with pytest.raises(CartError, match="no matrix row for slaTier=gold, bandwidth=1000") as raised:
        quote(_slice(), request(item("slice", characteristic={"slaTier": "gold", "bandwidth": 1000})))

    assert raised.value.path == "$.cart[0].characteristic"


def test_matrix_characteristic_without_value_or_default_is_a_cart_error() -> None:
    with pytest.raises(CartError, match="depends on characteristic 'bandwidth'") as raised:
        quote(_slice(), request(item("slice")))

    assert raised.value.path == "$.cart[0].characteristic.bandwidth"


def test_quantity_multiplies_the_line() -> None:
    result = quote(_slice(), request(item("slice", quantity=3, characteristic={"bandwidth": 100})))

    assert result.lines[0].unitPrice == eur("900.00")
    assert result.lines[0].dutyFreeAmount == eur("2700.00")
