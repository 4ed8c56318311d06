"""The fact model: the vocabulary rules may use, and the typed request that carries the facts.

The vocabulary is exported (`vocabulary()`) so the designer can offer facts, operators and value types
instead of free-form expressions. A request is parsed once at the edge into frozen objects; a missing fact
or a fact of the wrong type is an error with a path, never a silent "not eligible".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any as AnyValue

from engine.errors import FactError
from engine.spec.conditions import Operator, Scalar


class ValueType(StrEnum):
    string = "string"
    integer = "integer"
    decimal = "decimal"
    boolean = "boolean"
    date = "date"
    stringList = "stringList"


_SCALAR_OPERATORS = (Operator.equal, Operator.notEqual, Operator.isIn, Operator.notIn)
_ORDERED_OPERATORS = (
    *_SCALAR_OPERATORS,
    Operator.lessThan,
    Operator.lessThanOrEqual,
    Operator.greaterThan,
    Operator.greaterThanOrEqual,
)
OPERATORS_BY_TYPE: Mapping[ValueType, tuple[Operator, ...]] = {
    ValueType.string: _SCALAR_OPERATORS,
    ValueType.boolean: (Operator.equal, Operator.notEqual),
    ValueType.integer: _ORDERED_OPERATORS,
    ValueType.decimal: _ORDERED_OPERATORS,
    ValueType.date: _ORDERED_OPERATORS,
    ValueType.stringList: (Operator.contains, Operator.notContains),
}


@dataclass(frozen=True, slots=True)
class FactDefinition:
    name: str
    valueType: ValueType
    description: str
    allowedValues: tuple[str, ...] = ()

    @property
    def operators(self) -> tuple[Operator, ...]:
        return OPERATORS_BY_TYPE[self.valueType]


SEGMENTS = ("residential", "business", "enterprise")

FACTS: Mapping[str, FactDefinition] = {
    f.name: f
    for f in (
        FactDefinition("customer.segment", ValueType.string, "Market segment of the customer", SEGMENTS),
        FactDefinition(
            "customer.creditClass", ValueType.string, "Credit class, A best", ("A", "B", "C", "D")
        ),
        FactDefinition("customer.ageYears", ValueType.integer, "Age of an individual customer, in years"),
        FactDefinition(
            "account.status",
            ValueType.string,
            "Status of the billing account",
            ("active", "suspended", "collections"),
        ),
        FactDefinition("account.outstandingBalance", ValueType.decimal, "Overdue balance on the account"),
        FactDefinition("account.tenureMonths", ValueType.integer, "Months since the account was opened"),
        FactDefinition("address.country", ValueType.string, "ISO 3166-1 country of the installation address"),
        FactDefinition("address.region", ValueType.string, "ISO 3166-2 region of the installation address"),
        FactDefinition(
            "address.fibreAvailable", ValueType.boolean, "Fibre (FTTH) serviceable at the address"
        ),
        FactDefinition("address.maxDownloadMbps", ValueType.integer, "Highest download speed serviceable"),
        FactDefinition("address.fiveGCoverage", ValueType.boolean, "Indoor 5G coverage at the address"),
        FactDefinition("cart.offerings", ValueType.stringList, "Offering ids in the cart"),
        FactDefinition("cart.categories", ValueType.stringList, "Categories of the offerings in the cart"),
        FactDefinition("cart.itemCount", ValueType.integer, "Number of items in the cart"),
        FactDefinition(
            "inventory.offerings", ValueType.stringList, "Offering ids the customer already holds"
        ),
        FactDefinition("inventory.categories", ValueType.stringList, "Categories of the held offerings"),
        FactDefinition("inventory.mobileLines", ValueType.integer, "Active mobile lines the customer holds"),
        FactDefinition("context.channel", ValueType.string, "Sales channel of the request"),
        FactDefinition("context.date", ValueType.date, "Date of the request"),
    )
}


def vocabulary() -> list[dict[str, AnyValue]]:
    """The fact model as plain data, for the designer and the docs."""
    return [
        {
            "name": f.name,
            "valueType": f.valueType.value,
            "description": f.description,
            "allowedValues": list(f.allowedValues),
            "operators": [op.value for op in f.operators],
        }
        for f in FACTS.values()
    ]


# --- the request ------------------------------------------------------------------------------------------


class ItemAction(StrEnum):
    """TMF622 item actions."""

    add = "add"
    modify = "modify"
    delete = "delete"
    noChange = "noChange"


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    id: str = ""
    segment: str | None = None
    creditClass: str | None = None
    ageYears: int | None = None


@dataclass(frozen=True, slots=True)
class AccountProfile:
    status: str | None = None
    outstandingBalance: Decimal | None = None
    tenureMonths: int | None = None


@dataclass(frozen=True, slots=True)
class InstallationAddress:
    country: str | None = None
    region: str | None = None
    fibreAvailable: bool | None = None
    maxDownloadMbps: int | None = None
    fiveGCoverage: bool | None = None


@dataclass(frozen=True, slots=True)
class CartItem:
    id: str
    productOffering: str
    quantity: int = 1
    action: ItemAction = ItemAction.add
    characteristic: Mapping[str, Scalar] = field(default_factory=dict)
    # Usage volumes to rate, per unit of measure (e.g. {"GB": 12}); only quotes that preview usage use it.
    usage: Mapping[str, Decimal] = field(default_factory=dict)
    # The bundle item this item is a component of (TMF productOrderItemRelationship "bundles").
    parentItemId: str | None = None


@dataclass(frozen=True, slots=True)
class InventoryItem:
    productOffering: str
    status: str = "active"
    characteristic: Mapping[str, Scalar] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SalesContext:
    channel: str
    date: date


@dataclass(frozen=True, slots=True)
class EvaluationRequest:
    """Everything eligibility and pricing look at: who, where, what they hold, what they want, and how."""

    context: SalesContext
    customer: CustomerProfile = CustomerProfile()
    account: AccountProfile = AccountProfile()
    address: InstallationAddress = InstallationAddress()
    cart: tuple[CartItem, ...] = ()
    inventory: tuple[InventoryItem, ...] = ()


# --- parsing a request from plain data (JSON, YAML examples, CLI) -------------------------------------------


def _expect(value: object, kind: type | tuple[type, ...], path: str, what: str) -> None:
    # bool is an int in Python; a boolean where a number is due is still a wrong type.
    if isinstance(value, bool) and kind in (int, (int,)):
        raise FactError(f"expected {what}, got a boolean", path=path)
    if not isinstance(value, kind):
        raise FactError(f"expected {what}, got {type(value).__name__}", path=path)


def _require_str(value: object, path: str, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise FactError(f"expected {what}", path=path)
    return value


def _opt_str(data: Mapping[str, AnyValue], key: str, path: str) -> str | None:
    value = data.get(key)
    if value is not None:
        _expect(value, str, f"{path}.{key}", "a string")
    return value


def _opt_int(data: Mapping[str, AnyValue], key: str, path: str) -> int | None:
    value = data.get(key)
    if value is not None:
        _expect(value, int, f"{path}.{key}", "an integer")
    return value


def _opt_bool(data: Mapping[str, AnyValue], key: str, path: str) -> bool | None:
    value = data.get(key)
    if value is not None:
        _expect(value, bool, f"{path}.{key}", "a boolean")
    return value


# Bounds that keep every later product exact in Decimal's default context (28 digits): amounts and
# volumes below a trillion with at most 6 decimals, quantities up to a million per cart item.
MAX_MAGNITUDE = Decimal(10) ** 12
MAX_DECIMAL_PLACES = 6
MAX_QUANTITY = 1_000_000


def parse_decimal(value: object, path: str) -> Decimal:
    if isinstance(value, bool | float):
        raise FactError('expected an exact decimal (a string like "12.50" or an integer)', path=path)
    if isinstance(value, Decimal | int):
        parsed = Decimal(value)
    elif isinstance(value, str):
        try:
            parsed = Decimal(value)
        except InvalidOperation:
            raise FactError(f"{value!r} is not a decimal number", path=path) from None
    else:
        raise FactError(f"expected a decimal, got {type(value).__name__}", path=path)
    if not parsed.is_finite() or abs(parsed) >= MAX_MAGNITUDE:
        raise FactError(f"{value!r} is out of range (below {MAX_MAGNITUDE:,} in magnitude)", path=path)
    if -parsed.as_tuple().exponent > MAX_DECIMAL_PLACES:  # type: ignore[operator]
        raise FactError(f"{value!r} has more than {MAX_DECIMAL_PLACES} decimal places", path=path)
    return parsed


def parse_date(value: object, path: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise FactError(f"{value!r} is not an ISO date (YYYY-MM-DD)", path=path) from None
    raise FactError(f"expected an ISO date, got {type(value).__name__}", path=path)


def _mapping(data: object, path: str) -> Mapping[str, AnyValue]:
    if data is None:
        return {}
    _expect(data, Mapping, path, "an object")
    assert isinstance(data, Mapping)
    return data


def _refuse_unknown(data: Mapping[str, AnyValue], allowed: Sequence[str], path: str) -> None:
    for key in data:
        if key not in allowed:
            raise FactError(
                f"unknown field {key!r}; expected one of {', '.join(allowed)}", path=f"{path}.{key}"
            )


def _characteristic(data: object, path: str) -> dict[str, Scalar]:
    result: dict[str, Scalar] = {}
    for name, value in _mapping(data, path).items():
        if isinstance(value, float):
            raise FactError(
                "characteristic values must be exact: use a string or an integer", path=f"{path}.{name}"
            )
        if not isinstance(value, str | int | bool | Decimal):
            raise FactError("characteristic values must be scalars", path=f"{path}.{name}")
        result[str(name)] = value
    return result


def _cart_item(data: object, index: int) -> CartItem:
    path = f"$.cart[{index}]"
    item = _mapping(data, path)
    _refuse_unknown(
        item, ("id", "productOffering", "quantity", "action", "characteristic", "usage", "parentItemId"), path
    )
    offering = _require_str(item.get("productOffering"), f"{path}.productOffering", "an offering id")
    quantity = item.get("quantity", 1)
    _expect(quantity, int, f"{path}.quantity", "an integer")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise FactError(f"quantity must be between 1 and {MAX_QUANTITY:,}", path=f"{path}.quantity")
    action = item.get("action", "add")
    if action not in ItemAction.__members__:
        raise FactError(f"action must be one of {', '.join(ItemAction)}", path=f"{path}.action")
    usage = {
        str(unit): parse_decimal(amount, f"{path}.usage.{unit}")
        for unit, amount in _mapping(item.get("usage"), f"{path}.usage").items()
    }
    return CartItem(
        id=str(item.get("id", index + 1)),
        productOffering=offering,
        quantity=quantity,
        action=ItemAction(action),
        characteristic=_characteristic(item.get("characteristic"), f"{path}.characteristic"),
        usage=usage,
        parentItemId=None if item.get("parentItemId") is None else str(item["parentItemId"]),
    )


def _inventory_item(data: object, index: int) -> InventoryItem:
    path = f"$.inventory[{index}]"
    if isinstance(data, str):
        return InventoryItem(productOffering=data)
    item = _mapping(data, path)
    _refuse_unknown(item, ("productOffering", "status", "characteristic"), path)
    offering = _require_str(item.get("productOffering"), f"{path}.productOffering", "an offering id")
    status = item.get("status", "active")
    _expect(status, str, f"{path}.status", "a string")
    return InventoryItem(
        offering, status, _characteristic(item.get("characteristic"), f"{path}.characteristic")
    )


def _list(data: object, path: str) -> Sequence[AnyValue]:
    if data is None:
        return ()
    if not isinstance(data, list | tuple):
        raise FactError(f"expected a list, got {type(data).__name__}", path=path)
    return data


REQUEST_FIELDS = ("customer", "account", "address", "cart", "inventory", "context")


def parse_request(data: Mapping[str, AnyValue]) -> EvaluationRequest:
    """Parse plain data into a request; every type error names its JSON path."""
    root = _mapping(data, "$")
    _refuse_unknown(root, REQUEST_FIELDS, "$")
    customer = _mapping(root.get("customer"), "$.customer")
    _refuse_unknown(customer, ("id", "segment", "creditClass", "ageYears"), "$.customer")
    account = _mapping(root.get("account"), "$.account")
    _refuse_unknown(account, ("status", "outstandingBalance", "tenureMonths"), "$.account")
    address = _mapping(root.get("address"), "$.address")
    _refuse_unknown(
        address, ("country", "region", "fibreAvailable", "maxDownloadMbps", "fiveGCoverage"), "$.address"
    )
    context = _mapping(root.get("context"), "$.context")
    _refuse_unknown(context, ("channel", "date"), "$.context")
    channel = _require_str(context.get("channel"), "$.context.channel", "a channel name")
    if "date" not in context:
        raise FactError("the request date is required", path="$.context.date")
    balance = account.get("outstandingBalance")
    return EvaluationRequest(
        context=SalesContext(channel=channel, date=parse_date(context["date"], "$.context.date")),
        customer=CustomerProfile(
            id=str(customer.get("id", "")),
            segment=_opt_str(customer, "segment", "$.customer"),
            creditClass=_opt_str(customer, "creditClass", "$.customer"),
            ageYears=_opt_int(customer, "ageYears", "$.customer"),
        ),
        account=AccountProfile(
            status=_opt_str(account, "status", "$.account"),
            outstandingBalance=None
            if balance is None
            else parse_decimal(balance, "$.account.outstandingBalance"),
            tenureMonths=_opt_int(account, "tenureMonths", "$.account"),
        ),
        address=InstallationAddress(
            country=_opt_str(address, "country", "$.address"),
            region=_opt_str(address, "region", "$.address"),
            fibreAvailable=_opt_bool(address, "fibreAvailable", "$.address"),
            maxDownloadMbps=_opt_int(address, "maxDownloadMbps", "$.address"),
            fiveGCoverage=_opt_bool(address, "fiveGCoverage", "$.address"),
        ),
        cart=tuple(_cart_item(item, i) for i, item in enumerate(_list(root.get("cart"), "$.cart"))),
        inventory=tuple(
            _inventory_item(item, i) for i, item in enumerate(_list(root.get("inventory"), "$.inventory"))
        ),
    )
