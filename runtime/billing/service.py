"""Starting the billing of an order's new subscriptions: the boundary the billing issue will fill.

Until then it records each subscription's start, once: a retried activity finds the row and does nothing.
Only `add` items start a subscription; ending one (delete) is the billing issue's, with its final bill.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from runtime.audit.service import record
from runtime.billing import repository
from runtime.billing.models import SubscriptionStart
from runtime.ordering.progress import WORKFLOW
from workflows.plan_view import ItemProduct

ENTITY = "subscriptionStart"


async def start_billing(
    session: AsyncSession,
    order_id: str,
    release_id: str,
    products: Sequence[ItemProduct],
    started_at: datetime,
) -> list[str]:
    """Record the start of each new subscription of the order; returns the product ids started now."""
    started: list[str] = []
    for product in products:
        if product.action != "add" or await repository.get(session, product.productId) is not None:
            continue
        row = SubscriptionStart(
            product_id=product.productId,
            order_id=order_id,
            product_offering_id=product.productOffering,
            release_id=release_id,
            started_at=started_at,
        )
        await repository.add(session, row)
        after = {
            "productId": row.product_id,
            "orderId": order_id,
            "productOffering": row.product_offering_id,
            "releaseId": release_id,
            "startedAt": started_at.isoformat(),
        }
        await record(session, WORKFLOW, "create", ENTITY, row.product_id, None, after)
        started.append(row.product_id)
    return started
