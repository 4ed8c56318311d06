"""The TMF637 inventory an order leaves behind when it completes, idempotent per (order, item).

add: the product is created `created`, then `pendingActive`, then `active`; its id is derived from the
order and item, so a retried activity finds it instead of making a second one, and resumes the walk where
it stopped. modify: the characteristics are set once per order item. delete: `pendingTerminate`, then
`terminated`. Every change goes through `InventoryService` (transition table, audit, hub event).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from runtime.api.errors import Unprocessable
from runtime.customers.body import exact
from runtime.inventory import repository
from runtime.inventory.drafts import OrderItemRef, ProductDraft
from runtime.inventory.service import InventoryService
from runtime.inventory.states import ProductStatus
from runtime.ordering.progress import WORKFLOW
from workflows.contracts import OrderItemInput
from workflows.plan_view import InventoryRequest, ItemProduct

_PRODUCTS = uuid.UUID("4d7c61a4-5a3e-4f51-9a57-0c1e2f3b9d10")  # the namespace of order-made product ids
ACTIVATION = (ProductStatus.created, ProductStatus.pendingActive, ProductStatus.active)
TERMINATION = (ProductStatus.pendingTerminate, ProductStatus.terminated)


def product_id_for(order_id: str, item_id: str) -> str:
    """The id of the product an add item creates: the same on every retry of the activity."""
    return str(uuid.uuid5(_PRODUCTS, f"{order_id}/{item_id}"))


async def complete_inventory(
    session: AsyncSession, inventory: InventoryService, request: InventoryRequest
) -> list[ItemProduct]:
    """Each item's product, created, changed or terminated as its action says (noChange items: nothing)."""
    products: list[ItemProduct] = []
    for item in request.items:
        ref = OrderItemRef(request.order.orderId, item.itemId, item.action)
        if item.action == "add":
            product_id = await _activate(session, inventory, request.order.customerId, item, ref)
        elif item.action in ("modify", "delete"):
            product_id = _existing_id(item)
            if item.action == "modify":
                await _modify(session, inventory, product_id, item, ref)
            else:
                await _walk(session, inventory, product_id, TERMINATION, ref)
        else:
            continue
        products.append(ItemProduct(item.itemId, product_id, item.productOffering, item.action))
    return products


async def _activate(
    session: AsyncSession,
    inventory: InventoryService,
    customer_id: str | None,
    item: OrderItemInput,
    ref: OrderItemRef,
) -> str:
    product_id = product_id_for(ref.product_order_id, item.itemId)
    if await repository.get(session, product_id) is None:
        if customer_id is None:
            raise Unprocessable("an order without a customer cannot create inventory", code="NO_CUSTOMER")
        draft = ProductDraft(
            customer_id=customer_id,
            product_offering_id=item.productOffering,
            characteristic=exact(dict(item.characteristics)),
            status=ProductStatus.created,
            order_items=(ref,),
            product_id=product_id,
        )
        await inventory.create(session, WORKFLOW, draft)
    await _walk(session, inventory, product_id, ACTIVATION[1:], ref)
    return product_id


async def _walk(
    session: AsyncSession,
    inventory: InventoryService,
    product_id: str,
    path: Sequence[ProductStatus],
    ref: OrderItemRef,
) -> None:
    """Move the product along `path`, from just after the status it has (a retry resumes, never repeats)."""
    product = await repository.get(session, product_id)
    if product is None:
        raise Unprocessable(f"no Product with id {product_id!r}", code="UNKNOWN_REFERENCE")
    current = ProductStatus(product.status)
    remaining = list(path[path.index(current) + 1 :]) if current in path else list(path)
    for status in remaining:
        # The order item is named on the product once, by its first change.
        named = ref.tmf() in product.order_items
        await inventory.update_status(
            session, WORKFLOW, product_id, status, order_item=None if named else ref
        )


async def _modify(
    session: AsyncSession,
    inventory: InventoryService,
    product_id: str,
    item: OrderItemInput,
    ref: OrderItemRef,
) -> None:
    product = await repository.get(session, product_id)
    if product is None:
        raise Unprocessable(f"no Product with id {product_id!r}", code="UNKNOWN_REFERENCE")
    if ref.tmf() in product.order_items:
        return  # this order item changed it already
    changes = exact(dict(item.characteristics))
    await inventory.update_characteristics(session, WORKFLOW, product_id, changes, order_item=ref)


def _existing_id(item: OrderItemInput) -> str:
    if item.productId is None:
        raise Unprocessable(
            f"item {item.itemId} ({item.action}) names no inventory product", code="UNKNOWN_REFERENCE"
        )
    return item.productId
