"""The queries of the designer's impact preview that are not the catalog store's own."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from runtime.inventory.models import InventoryProduct
from runtime.inventory.states import ProductStatus

# The products a catalog change touches: held (active, suspended) or about to be (pendingActive).
SUBSCRIBED = (ProductStatus.active, ProductStatus.pendingActive, ProductStatus.suspended)


async def subscription_count(session: AsyncSession, offering_ids: Collection[str]) -> int:
    """Inventory products of these offerings that are active, pendingActive or suspended."""
    if not offering_ids:
        return 0
    query = select(func.count()).where(
        InventoryProduct.product_offering_id.in_(sorted(offering_ids)),
        InventoryProduct.status.in_([status.value for status in SUBSCRIBED]),
    )
    return int((await session.execute(query)).scalar_one())
