"""A TMF622 `ProductOrder_Create` body (or a PATCH's `productOrderItem`) read into typed order items and the
engine's cart.

The body is checked against the official definition closed to unknown attributes (a typo is a 400). Two
readings of TMF622 v4.0:
- its `Characteristic` has no `value` (an omission of that swagger file; TMF679 and later versions have it),
  so `productCharacteristic[].value` is accepted as the one addition;
- the channel is the `channel[]` entry with role `salesChannel` (or the only entry), the same channel id a
  TMF679 qualification names in `channel.id`; the customer is the `relatedParty` with role Customer.
Attributes Switchboard computes (`orderTotalPrice`, `itemTotalPrice`, `state`, cancellation fields) or does
not act on (nested `productOrderItem`, appointments, terms) are refused rather than silently ignored.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.facts import ItemAction
from engine.ordering.capture import OrderedItem
from runtime.api.errors import Unprocessable
from runtime.customers.body import BadBody
from runtime.customers.strict import META, properties, require_conforming, require_only
from runtime.qualification.evaluation import refuse_nul

API = "TMF622"
ITEMS = "productOrderItem"
COMPUTED = frozenset({"orderTotalPrice", "cancellationDate", "cancellationReason"})
TOP_LEVEL = properties(API, "ProductOrder_Create") - COMPUTED
ITEM_FIELDS = frozenset(
    {
        "id",
        "action",
        "quantity",
        "productOffering",
        "product",
        "productOrderItemRelationship",
        "billingAccount",
        *META,
    }
)
PRODUCT_FIELDS = frozenset({"id", "href", "productCharacteristic", "@referredType", *META})
ACCEPTED_TYPES = frozenset({"ProductOrder", "SwitchboardProductOrder"})
SALES_CHANNEL_ROLES = frozenset({"saleschannel", "sales"})
CUSTOMER_ROLE = "customer"
BUNDLES, BUNDLED_BY = "bundles", "bundledBy"


class InvalidOrder(Unprocessable):
    code = "INVALID_ORDER"


@dataclass(frozen=True, slots=True)
class OrderRequest:
    body: dict[str, Any]  # as sent
    channel: str
    customer_id: str
    items: tuple[OrderedItem, ...]
    cart: tuple[dict[str, Any], ...]  # engine.facts.parse_request cart items, in the body's item order

    @property
    def external_id(self) -> str | None:
        value = self.body.get("externalId")
        return value if isinstance(value, str) else None


def read_order(body: dict[str, Any]) -> OrderRequest:
    """The order a create body asks for; a 400 for a body TMF622 refuses, a 422 for one Switchboard cannot
    capture."""
    refuse_nul(body)
    require_conforming(API, "ProductOrder_Create", _without_values(body))
    require_only(body, TOP_LEVEL, "these attributes are computed or not supported on a product order")
    declared = body.get("@type", "ProductOrder")
    if declared not in ACCEPTED_TYPES:
        raise BadBody(f"@type must be one of {', '.join(sorted(ACCEPTED_TYPES))}, got {declared!r}")
    items, cart = read_items(body[ITEMS])
    return OrderRequest(body, _channel(body.get("channel", [])), _customer(body), items, cart)


def read_items(
    items: Sequence[Mapping[str, Any]], path: str = f"$.{ITEMS}"
) -> tuple[tuple[OrderedItem, ...], tuple[dict[str, Any], ...]]:
    """Typed items and the engine cart; the items have passed the schema check already."""
    if not items:
        raise InvalidOrder(f"{ITEMS} must hold at least one item")
    ids = [str(item["id"]) for item in items]
    if len(set(ids)) != len(ids):
        raise InvalidOrder(f"{ITEMS}: item ids must be unique")
    parents = _parents(items, path)
    ordered: list[OrderedItem] = []
    cart: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        require_only(dict(item), ITEM_FIELDS, f"{where}: these item attributes are not supported")
        product = item.get("product", {})
        require_only(dict(product), PRODUCT_FIELDS, f"{where}.product: these attributes are not supported")
        offering = item.get("productOffering")
        if offering is None:
            raise InvalidOrder(f"{where}.productOffering is required: Switchboard orders offerings")
        action = ItemAction(item["action"])
        ordered.append(OrderedItem(item["id"], action, offering["id"], product.get("id"), where))
        entry: dict[str, Any] = {
            "id": item["id"],
            "productOffering": offering["id"],
            "action": action.value,
            "quantity": item.get("quantity", 1),
            "characteristic": _characteristics(product, where),
        }
        if item["id"] in parents:
            entry["parentItemId"] = parents[item["id"]]
        cart.append(entry)
    return tuple(ordered), tuple(cart)


def require_items_conform(items: Any) -> None:
    """A 400 unless `items` is a list of TMF622 ProductOrderItem (with characteristic values)."""
    if not isinstance(items, list):
        raise BadBody(f"{ITEMS} must be a list of ProductOrderItem")
    for item in items:
        require_conforming(API, "ProductOrderItem", _without_values({ITEMS: [item]})[ITEMS][0])


def _without_values(body: dict[str, Any]) -> dict[str, Any]:
    """The body without `productCharacteristic[].value`, which TMF622 v4.0's Characteristic omits."""
    if not isinstance(body.get(ITEMS), list):
        return body
    checked = copy.deepcopy(body)
    for item in checked[ITEMS]:
        product = item.get("product") if isinstance(item, dict) else None
        characteristics = product.get("productCharacteristic") if isinstance(product, dict) else None
        for characteristic in characteristics if isinstance(characteristics, list) else []:
            if isinstance(characteristic, dict):
                characteristic.pop("value", None)
    return checked


def _channel(channels: Sequence[Mapping[str, Any]]) -> str:
    if not channels:
        raise InvalidOrder("channel is required: what may be ordered depends on the sales channel")
    if len(channels) == 1:
        return str(channels[0]["id"])
    sales = [c for c in channels if str(c.get("role", "")).lower() in SALES_CHANNEL_ROLES]
    if len(sales) != 1:
        raise InvalidOrder("with several channels, exactly one must have the role salesChannel")
    return str(sales[0]["id"])


def _customer(body: Mapping[str, Any]) -> str:
    parties = body.get("relatedParty", [])
    customers = [p for p in parties if str(p.get("role", "")).lower() == CUSTOMER_ROLE]
    if len(customers) > 1:
        raise InvalidOrder("relatedParty names more than one party with the role Customer")
    if not customers:
        raise InvalidOrder("relatedParty must name the party with the role Customer the order is for")
    if customers[0]["@referredType"] != "Customer":
        raise InvalidOrder("the Customer related party must have @referredType Customer")
    return str(customers[0]["id"])


def _characteristics(product: Mapping[str, Any], where: str) -> dict[str, Any]:
    chosen: dict[str, Any] = {}
    for characteristic in product.get("productCharacteristic", []):
        name = characteristic["name"]
        if name in chosen:
            raise InvalidOrder(f"{where}.product.productCharacteristic names {name!r} twice")
        if "value" not in characteristic:
            raise InvalidOrder(f"{where}.product.productCharacteristic {name!r} has no value")
        chosen[name] = characteristic["value"]
    return chosen


def _parents(items: Sequence[Mapping[str, Any]], path: str) -> dict[str, str]:
    """Component item id → its bundle item id, from either side's relationship."""
    parents: dict[str, str] = {}
    for index, item in enumerate(items):
        for relation in item.get("productOrderItemRelationship", []):
            kind, other = relation.get("relationshipType"), relation.get("id")
            where = f"{path}[{index}].productOrderItemRelationship"
            if kind not in (BUNDLES, BUNDLED_BY) or not other:
                raise InvalidOrder(
                    f"{where}: only relationshipType {BUNDLES!r} (bundle item → component) and "
                    f"{BUNDLED_BY!r} (component → bundle item), each with an item id, are supported"
                )
            child, parent = (other, item["id"]) if kind == BUNDLES else (item["id"], other)
            if parents.get(child, parent) != parent:
                raise InvalidOrder(f"{where}: item {child!r} is given two bundle items")
            parents[child] = parent
    return parents
