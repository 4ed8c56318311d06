"""Every query on subscription starts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from runtime.billing.models import SubscriptionStart


async def get(session: AsyncSession, product_id: str) -> SubscriptionStart | None:
    return await session.get(SubscriptionStart, product_id)


async def add(session: AsyncSession, start: SubscriptionStart) -> None:
    session.add(start)
    await session.flush()


async def of_order(session: AsyncSession, order_id: str) -> list[SubscriptionStart]:
    query = select(SubscriptionStart).where(SubscriptionStart.order_id == order_id)
    return list((await session.execute(query.order_by(SubscriptionStart.product_id))).scalars())
