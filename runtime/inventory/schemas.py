"""The TMF637 Product projection of an inventory row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from runtime.customers.body import exact
from runtime.customers.resources import BILLING_ACCOUNT_PATH, CUSTOMER_PATH
from runtime.inventory.models import InventoryProduct

PRODUCT_PATH = "/tmf-api/productInventory/v4/product"
OFFERING_PATH = "/tmf-api/productCatalogManagement/v4/productOffering"


def render(row: InventoryProduct) -> dict[str, Any]:
    product: dict[str, Any] = {"id": row.id, "href": f"{PRODUCT_PATH}/{row.id}", "@type": "Product"}
    if row.name is not None:
        product["name"] = row.name
    product["status"] = row.status
    offering = {"id": row.product_offering_id, "href": f"{OFFERING_PATH}/{row.product_offering_id}"}
    if row.product_offering_name is not None:
        offering["name"] = row.product_offering_name
    product["productOffering"] = {**offering, "@referredType": "ProductOffering"}
    product["productCharacteristic"] = [
        {"name": name, "valueType": _value_type(value), "value": value}
        for name, value in exact(row.characteristic).items()
    ]
    product["relatedParty"] = [
        {
            "id": row.customer_id,
            "href": f"{CUSTOMER_PATH}/{row.customer_id}",
            "role": "customer",
            "@referredType": "Customer",
        }
    ]
    if row.billing_account_id is not None:
        product["billingAccount"] = {
            "id": row.billing_account_id,
            "href": f"{BILLING_ACCOUNT_PATH}/{row.billing_account_id}",
            "@referredType": "BillingAccount",
        }
    if row.order_items:
        product["productOrderItem"] = list(row.order_items)
    if row.start_date is not None:
        product["startDate"] = row.start_date.isoformat()
    if row.termination_date is not None:
        product["terminationDate"] = row.termination_date.isoformat()
    return product


def _value_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal):
        return "decimal"
    return "string"
