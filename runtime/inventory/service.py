"""Writing the inventory: products are created and change status only here, through the transition table.

The ordering flow calls `InventoryService`; the API only reads (and lets admin seed). Every write is
audited; nothing here commits.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from engine.spec.conditions import Scalar
from runtime.api.errors import Conflict, NotFound, Unprocessable
from runtime.api.listing import ListQuery
from runtime.audit.service import record
from runtime.auth.roles import Principal
from runtime.customers import repository as customers
from runtime.customers.body import json_safe
from runtime.customers.models import BillingAccount, Customer
from runtime.db.base import utcnow
from runtime.events.service import publish_event
from runtime.inventory import repository
from runtime.inventory.drafts import OrderItemRef, ProductDraft
from runtime.inventory.models import InventoryProduct
from runtime.inventory.schemas import render
from runtime.inventory.states import ProductStatus, transition

ENTITY = "product"
HUB = "productInventory"
EVENT_OF_ACTION = {
    "update_status": "ProductStateChangeEvent",
    "update_characteristics": "ProductAttributeValueChangeEvent",
}
# List filters that run in SQL (the rendered relatedParty is always the one customer).
PUSHDOWN = {
    "status": "status",
    "productOffering.id": "product_offering_id",
    "relatedParty.id": "customer_id",
    "billingAccount.id": "billing_account_id",
}


class InventoryService:
    async def create(self, session: AsyncSession, actor: Principal, draft: ProductDraft) -> dict[str, Any]:
        """A new product in `draft.status`, which must be a state a product may start in."""
        status = transition(None, draft.status)
        await self._require_references(session, draft)
        product = InventoryProduct(
            id=draft.product_id or str(uuid.uuid4()),
            status=status.value,
            customer_id=draft.customer_id,
            product_offering_id=draft.product_offering_id,
            product_offering_name=draft.product_offering_name,
            billing_account_id=draft.billing_account_id,
            name=draft.name,
            characteristic=_stored(draft.characteristic),
            order_items=[item.tmf() for item in draft.order_items],
            start_date=draft.start_date or (utcnow() if status is ProductStatus.active else None),
        )
        if draft.product_id is not None and await repository.get(session, draft.product_id) is not None:
            raise Conflict(f"product {draft.product_id!r} exists already")
        await repository.add(session, product)
        resource = render(product)
        await record(session, actor, "create", ENTITY, product.id, None, json_safe(resource))
        await publish_event(session, HUB, "ProductCreateEvent", json_safe(resource))
        return resource

    async def update_status(
        self,
        session: AsyncSession,
        actor: Principal,
        product_id: str,
        status: ProductStatus,
        *,
        order_item: OrderItemRef | None = None,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """Move the product to `status` if the transition table allows it (409 otherwise)."""
        product = await self._existing(session, product_id)
        before = render(product)
        new = transition(ProductStatus(product.status), status)
        moment = at or utcnow()
        product.status = new.value
        if new is ProductStatus.active and product.start_date is None:
            product.start_date = moment
        if new is ProductStatus.terminated:
            product.termination_date = moment
        return await self._saved(session, actor, product, before, "update_status", order_item)

    async def update_characteristics(
        self,
        session: AsyncSession,
        actor: Principal,
        product_id: str,
        changes: Mapping[str, Scalar | None],
        *,
        order_item: OrderItemRef | None = None,
    ) -> dict[str, Any]:
        """Set characteristics (None removes one), e.g. for a modify order item."""
        product = await self._existing(session, product_id)
        before = render(product)
        kept = {name: value for name, value in product.characteristic.items() if name not in changes}
        added = {name: value for name, value in changes.items() if value is not None}
        product.characteristic = {**kept, **_stored(added)}
        return await self._saved(session, actor, product, before, "update_characteristics", order_item)

    async def get(self, session: AsyncSession, product_id: str) -> dict[str, Any]:
        return render(await self._existing(session, product_id))

    async def list_page(self, session: AsyncSession, query: ListQuery) -> tuple[list[dict[str, Any]], int]:
        where, rest = customers.equalities(InventoryProduct, PUSHDOWN, query.filters)
        if not rest:
            rows, total = await repository.page(session, where, query.offset, query.limit)
            return [query.select(render(row)) for row in rows], total
        rows = await repository.matching(session, where)
        return dataclasses.replace(query, filters=rest).apply([render(row) for row in rows])

    async def _existing(self, session: AsyncSession, product_id: str) -> InventoryProduct:
        product = await repository.get(session, product_id)
        if product is None:
            raise NotFound(f"no Product with id {product_id!r}")
        return product

    async def _require_references(self, session: AsyncSession, draft: ProductDraft) -> None:
        if await customers.get(session, Customer, draft.customer_id) is None:
            raise Unprocessable(f"no Customer {draft.customer_id!r}", code="UNKNOWN_REFERENCE")
        account = draft.billing_account_id
        if account is not None and await customers.get(session, BillingAccount, account) is None:
            raise Unprocessable(f"no BillingAccount {account!r}", code="UNKNOWN_REFERENCE")

    async def _saved(
        self,
        session: AsyncSession,
        actor: Principal,
        product: InventoryProduct,
        before: dict[str, Any],
        action: str,
        order_item: OrderItemRef | None,
    ) -> dict[str, Any]:
        if order_item is not None:
            product.order_items = [*product.order_items, order_item.tmf()]
        await session.flush()
        after = render(product)
        await record(session, actor, action, ENTITY, product.id, json_safe(before), json_safe(after))
        await publish_event(session, HUB, EVENT_OF_ACTION[action], json_safe(after))
        return after


def _stored(characteristic: Mapping[str, Any]) -> dict[str, Any]:
    """Characteristic values as JSON: scalars only, dates as ISO strings, no floats (inexact)."""
    stored: dict[str, Any] = {}
    for name, value in characteristic.items():
        if isinstance(value, date):
            stored[name] = value.isoformat()
        elif isinstance(value, str | int | bool | Decimal):
            stored[name] = json_safe(value)
        else:
            raise Unprocessable(
                f"characteristic {name!r} must be a string, integer, boolean, decimal or date, "
                f"got {type(value).__name__}",
                code="INVALID_CHARACTERISTIC",
            )
    return stored
