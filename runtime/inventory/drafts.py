"""What creating a product needs, typed; and reading it from a TMF637 Product_Create body (admin API)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from engine.spec.conditions import Scalar
from runtime.api.errors import Unprocessable
from runtime.customers.body import BadBody
from runtime.customers.strict import require_conforming, require_only
from runtime.inventory.states import ProductStatus

PRODUCT_ORDER_PATH = "/tmf-api/productOrderingManagement/v4/productOrder"


@dataclass(frozen=True, slots=True)
class OrderItemRef:
    """The product order item that created or changed a product (TMF637 RelatedProductOrderItem)."""

    product_order_id: str
    order_item_id: str
    action: str = "add"

    def tmf(self) -> dict[str, Any]:
        return {
            "productOrderId": self.product_order_id,
            "productOrderHref": f"{PRODUCT_ORDER_PATH}/{self.product_order_id}",
            "orderItemId": self.order_item_id,
            "orderItemAction": self.action,
            "@referredType": "ProductOrderItem",
        }


@dataclass(frozen=True, slots=True)
class ProductDraft:
    customer_id: str
    product_offering_id: str
    characteristic: Mapping[str, Scalar] = field(default_factory=dict)
    status: ProductStatus = ProductStatus.created
    product_offering_name: str | None = None
    name: str | None = None
    billing_account_id: str | None = None
    order_items: tuple[OrderItemRef, ...] = ()
    start_date: datetime | None = None
    product_id: str | None = None  # for seeding and migration; generated otherwise


ADMIN_ATTRIBUTES = frozenset(
    {
        "name",
        "status",
        "productOffering",
        "productCharacteristic",
        "relatedParty",
        "billingAccount",
        "productOrderItem",
        "startDate",
        "@type",
    }
)


def draft_from_tmf(body: dict[str, Any]) -> ProductDraft:
    """A draft from a Product_Create body holding the attributes the inventory stores."""
    require_conforming("TMF637", "Product_Create", body)
    require_only(
        body, ADMIN_ATTRIBUTES, "these Product attributes are not accepted when seeding the inventory"
    )
    if body.get("@type", "Product") != "Product":
        raise BadBody(f"@type must be 'Product', got {body['@type']!r}")
    parties = body.get("relatedParty", [])
    if len(parties) != 1 or parties[0]["@referredType"] != "Customer":
        raise Unprocessable(
            "relatedParty must hold exactly one party, the Customer", code="INVALID_REFERENCE"
        )
    if "productOffering" not in body:
        raise Unprocessable("productOffering is required", code="INVALID_REFERENCE")
    return ProductDraft(
        customer_id=parties[0]["id"],
        product_offering_id=body["productOffering"]["id"],
        product_offering_name=body["productOffering"].get("name"),
        characteristic=_characteristics(body.get("productCharacteristic", [])),
        status=ProductStatus(body["status"].strip()),  # the schema's enum spells "aborted " with a space
        name=body.get("name"),
        billing_account_id=body["billingAccount"]["id"] if "billingAccount" in body else None,
        order_items=tuple(
            OrderItemRef(item["productOrderId"], item["orderItemId"], item.get("orderItemAction", "add"))
            for item in body.get("productOrderItem", [])
        ),
        start_date=_utc(body["startDate"]) if "startDate" in body else None,
    )


def _characteristics(items: list[dict[str, Any]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in items:
        if item["name"] in values:
            raise Unprocessable(
                f"characteristic {item['name']!r} is given twice", code="INVALID_CHARACTERISTIC"
            )
        values[item["name"]] = item["value"]
    return values


def _utc(text: str) -> datetime:
    # A date-time without a zone is read as UTC (the schema check has parsed it already).
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
