from decimal import Decimal

import pytest
from pricing_builders import item, offering, recurring, release, request

from engine.errors import CartError
from engine.pricing import TraceStep, quote
from engine.spec.product import (
    CharacteristicValue,
    CharacteristicValueType,
    ProductSpecCharacteristic,
    ProductSpecification,
)
from engine.spec.release import CatalogRelease

INTEGER = CharacteristicValueType.integer
FIBRE_ACCESS = ProductSpecification(
    id="fibre-access",
    version="1",
    name="Fibre access",
    productSpecCharacteristic=(
        ProductSpecCharacteristic(
            "downloadSpeed",
            INTEGER,
            productSpecCharacteristicValue=(
                CharacteristicValue(500, isDefault=True),
                CharacteristicValue(1000),
            ),
        ),
        ProductSpecCharacteristic(
            "staticIpCount",
            INTEGER,
            productSpecCharacteristicValue=(CharacteristicValue(valueFrom=Decimal(0), valueTo=Decimal(8)),),
        ),
        ProductSpecCharacteristic(
            "ontModel",
            CharacteristicValueType.string,
            configurable=False,
            productSpecCharacteristicValue=(CharacteristicValue("X1", isDefault=True),),
        ),
        ProductSpecCharacteristic("installationNote", CharacteristicValueType.string),
    ),
)


def _fibre(spec: ProductSpecification = FIBRE_ACCESS) -> CatalogRelease:
    return release(
        offering("fibre", "fibre-monthly", spec="fibre-access"), recurring("fibre-monthly", "40"), spec
    )


def test_missing_characteristics_take_the_spec_default_and_are_traced() -> None:
    result = quote(_fibre(), request(item("fibre")))

    assert result.item("1").characteristic == {"downloadSpeed": 500, "ontModel": "X1"}
    defaults = [e.message for e in result.trace if e.step is TraceStep.characteristic]
    assert defaults == ["downloadSpeed = 500 (spec default)", "ontModel = 'X1' (spec default)"]


def test_chosen_values_override_the_default() -> None:
    result = quote(_fibre(), request(item("fibre", characteristic={"downloadSpeed": "1000"})))

    assert result.item("1").characteristic["downloadSpeed"] == "1000"


def test_unknown_characteristic_is_a_cart_error_with_its_path() -> None:
    with pytest.raises(CartError, match="no characteristic 'colour'") as raised:
        quote(_fibre(), request(item("fibre", characteristic={"colour": "red"})))

    assert raised.value.path == "$.cart[0].characteristic.colour"


def test_value_not_listed_by_the_spec_is_a_cart_error_naming_the_allowed_values() -> None:
    with pytest.raises(CartError, match="allowed: 500, 1000") as raised:
        quote(_fibre(), request(item("fibre", characteristic={"downloadSpeed": 750})))

    assert raised.value.path == "$.cart[0].characteristic.downloadSpeed"


def test_value_outside_a_range_is_a_cart_error_and_inside_is_accepted() -> None:
    inside = quote(_fibre(), request(item("fibre", characteristic={"staticIpCount": 8})))

    assert inside.item("1").characteristic["staticIpCount"] == 8
    with pytest.raises(CartError, match=r"allowed: 0\.\.8"):
        quote(_fibre(), request(item("fibre", characteristic={"staticIpCount": 9})))


def test_value_of_the_wrong_type_is_a_cart_error() -> None:
    with pytest.raises(CartError, match="not a valid integer"):
        quote(_fibre(), request(item("fibre", characteristic={"staticIpCount": "many"})))


def test_non_configurable_characteristic_cannot_be_set_by_the_customer() -> None:
    with pytest.raises(CartError, match="not configurable") as raised:
        quote(_fibre(), request(item("fibre", characteristic={"ontModel": "X1"})))

    assert raised.value.path == "$.cart[0].characteristic.ontModel"


def test_free_text_characteristic_accepts_any_string() -> None:
    result = quote(_fibre(), request(item("fibre", characteristic={"installationNote": "ring twice"})))

    assert result.item("1").characteristic["installationNote"] == "ring twice"


def test_required_characteristic_without_value_or_default_is_a_cart_error() -> None:
    required = ProductSpecCharacteristic("serialNumber", CharacteristicValueType.string, minCardinality=1)
    spec = ProductSpecification(
        id="fibre-access", version="1", name="Fibre", productSpecCharacteristic=(required,)
    )

    with pytest.raises(CartError, match="'serialNumber' is required") as raised:
        quote(_fibre(spec), request(item("fibre")))

    assert raised.value.path == "$.cart[0].characteristic.serialNumber"


def test_offering_without_specification_refuses_any_characteristic() -> None:
    rel = release(offering("plain", "plain-monthly"), recurring("plain-monthly", "5"))

    with pytest.raises(CartError, match="has no characteristic 'speed'"):
        quote(rel, request(item("plain", characteristic={"speed": 1})))
