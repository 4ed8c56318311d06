"""The characteristic values of a cart item: the customer's choices checked against the spec, plus defaults."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from engine.errors import CartError
from engine.facts import CartItem
from engine.pricing.context import PricingContext
from engine.pricing.trace import TraceStep
from engine.spec.conditions import Scalar
from engine.spec.product import (
    CharacteristicValueType,
    ProductOffering,
    ProductSpecCharacteristic,
    ProductSpecification,
)


def resolve_characteristics(
    ctx: PricingContext, item: CartItem, index: int, offering: ProductOffering
) -> dict[str, Scalar]:
    """The values in effect for this item: chosen ones validated, missing ones from the spec default."""
    spec = _specification(ctx, offering)
    path = f"$.cart[{index}].characteristic"
    chosen: dict[str, Scalar] = {}
    for name, value in item.characteristic.items():
        characteristic = spec.characteristic(name) if spec else None
        if characteristic is None:
            raise CartError(
                f"offering {offering.id!r} has no characteristic {name!r}{_known(spec)}",
                path=f"{path}.{name}",
            )
        _check_choice(characteristic, value, f"{path}.{name}")
        chosen[name] = value
        ctx.trace.add(item.id, TraceStep.characteristic, f"{name} = {_show(value)} (chosen)")
    for characteristic in spec.productSpecCharacteristic if spec else ():
        if characteristic.name in chosen:
            continue
        default = characteristic.default
        if default is not None:
            chosen[characteristic.name] = default
            ctx.trace.add(
                item.id, TraceStep.characteristic, f"{characteristic.name} = {_show(default)} (spec default)"
            )
        elif characteristic.minCardinality > 0:
            raise CartError(
                f"characteristic {characteristic.name!r} is required and its specification has no default",
                path=f"{path}.{characteristic.name}",
            )
    return chosen


def as_text(value: Scalar) -> str:
    """A value as matrix rows and spec values write it: `true`, `500`, `2026-07-01`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, date) else str(value)


def _specification(ctx: PricingContext, offering: ProductOffering) -> ProductSpecification | None:
    if offering.productSpecification is None:
        return None
    return ctx.release.specification(offering.productSpecification, ctx.at)


def _check_choice(characteristic: ProductSpecCharacteristic, value: Scalar, path: str) -> None:
    if not characteristic.configurable:
        raise CartError(
            f"characteristic {characteristic.name!r} is not configurable by the customer", path=path
        )
    if not _has_type(value, characteristic.valueType):
        raise CartError(
            f"{_show(value)} is not a valid {characteristic.valueType.value} for {characteristic.name!r}",
            path=path,
        )
    if not characteristic.admits(value):
        allowed = _allowed(characteristic)
        raise CartError(
            f"{_show(value)} is not an allowed value of {characteristic.name!r}; allowed: {allowed}",
            path=path,
        )


def _has_type(value: Scalar, value_type: CharacteristicValueType) -> bool:
    # Lenient on spelling, strict on meaning: 500 and "500" are both an integer, "fast" is not.
    if value_type is CharacteristicValueType.boolean:
        return isinstance(value, bool) or (isinstance(value, str) and value.lower() in ("true", "false"))
    if isinstance(value, bool | date):
        return False
    if value_type is CharacteristicValueType.string:
        return True
    number = _number(value)
    if number is None:
        return False
    return value_type is CharacteristicValueType.decimal or number == number.to_integral_value()


def _number(value: str | int | Decimal) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _allowed(characteristic: ProductSpecCharacteristic) -> str:
    parts = [as_text(v) for v in characteristic.allowed_values]
    parts += [
        f"{'' if v.valueFrom is None else v.valueFrom}..{'' if v.valueTo is None else v.valueTo}"
        for v in characteristic.productSpecCharacteristicValue
        if v.valueFrom is not None or v.valueTo is not None
    ]
    return ", ".join(parts)


def _known(spec: ProductSpecification | None) -> str:
    if spec is None or not spec.productSpecCharacteristic:
        return " (it has no characteristics)"
    return f"; known: {', '.join(c.name for c in spec.productSpecCharacteristic)}"


def _show(value: Scalar) -> str:
    return repr(value) if isinstance(value, str) else as_text(value)
