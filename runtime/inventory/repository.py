"""Every query on the product inventory."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from runtime.customers import repository as shared
from runtime.inventory.models import InventoryProduct
from runtime.inventory.states import held_statuses


async def get(session: AsyncSession, product_id: str) -> InventoryProduct | None:
    return await session.get(InventoryProduct, product_id)


async def add(session: AsyncSession, product: InventoryProduct) -> None:
    await shared.add(session, product)


async def page(
    session: AsyncSession, where: Sequence[ColumnElement[bool]], offset: int, limit: int
) -> tuple[list[InventoryProduct], int]:
    return await shared.page(session, InventoryProduct, where, offset, limit)


async def matching(session: AsyncSession, where: Sequence[ColumnElement[bool]]) -> list[InventoryProduct]:
    return await shared.matching(session, InventoryProduct, where)


async def held_by_customer(session: AsyncSession, customer_id: str) -> list[InventoryProduct]:
    query = (
        select(InventoryProduct)
        .where(InventoryProduct.customer_id == customer_id)
        .where(InventoryProduct.status.in_([s.value for s in held_statuses()]))
        .order_by(InventoryProduct.created_at, InventoryProduct.id)
    )
    return list((await session.execute(query)).scalars())


async def count_for_customer(session: AsyncSession, customer_id: str) -> int:
    query = (
        select(func.count()).select_from(InventoryProduct).where(InventoryProduct.customer_id == customer_id)
    )
    return (await session.execute(query)).scalar_one()


async def count_for_billing_account(session: AsyncSession, account_id: str) -> int:
    query = (
        select(func.count())
        .select_from(InventoryProduct)
        .where(InventoryProduct.billing_account_id == account_id)
    )
    return (await session.execute(query)).scalar_one()
