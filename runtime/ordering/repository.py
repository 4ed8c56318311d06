"""Every query on product orders, their items, cancellation requests and the workflow-start outbox."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from engine.ordering.states import in_flight_states
from runtime.customers import repository as shared
from runtime.ordering.models import (
    CancelProductOrderRow,
    OrderStartRow,
    ProductOrderItemRow,
    ProductOrderRow,
)


async def get(session: AsyncSession, order_id: str, *, for_update: bool = False) -> ProductOrderRow | None:
    if not for_update:
        return await session.get(ProductOrderRow, order_id)
    query = select(ProductOrderRow).where(ProductOrderRow.id == order_id).with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def add(session: AsyncSession, *rows: object) -> None:
    session.add_all(rows)
    await session.flush()


async def find_replay(
    session: AsyncSession, key_id: str, idempotency_key: str | None, external_id: str | None
) -> ProductOrderRow | None:
    """The order this key placed before under the same Idempotency-Key, else under the same externalId."""
    for column, value in (
        (ProductOrderRow.idempotency_key, idempotency_key),
        (ProductOrderRow.external_id, external_id),
    ):
        if value is None:
            continue
        query = select(ProductOrderRow).where(ProductOrderRow.created_by == key_id, column == value)
        found = (await session.execute(query)).scalar_one_or_none()
        if found is not None:
            return found
    return None


async def page(
    session: AsyncSession, where: Sequence[ColumnElement[bool]], offset: int, limit: int
) -> tuple[list[ProductOrderRow], int]:
    return await shared.page(session, ProductOrderRow, where, offset, limit)


async def matching(session: AsyncSession, where: Sequence[ColumnElement[bool]]) -> list[ProductOrderRow]:
    return await shared.matching(session, ProductOrderRow, where)


async def replace_items(session: AsyncSession, order_id: str, items: Sequence[tuple[str, str, str]]) -> None:
    """The order's items as (item id, offering id, action)."""
    await session.execute(delete(ProductOrderItemRow).where(ProductOrderItemRow.order_id == order_id))
    session.add_all(
        ProductOrderItemRow(order_id=order_id, item_id=item, product_offering_id=offering, action=action)
        for item, offering, action in items
    )
    await session.flush()


async def in_flight_order_count(session: AsyncSession, offering_ids: Collection[str]) -> int:
    """How many orders not yet ended carry an item of one of these offerings."""
    if not offering_ids:
        return 0
    query = (
        select(func.count(func.distinct(ProductOrderRow.id)))
        .join(ProductOrderItemRow, ProductOrderItemRow.order_id == ProductOrderRow.id)
        .where(ProductOrderItemRow.product_offering_id.in_(list(offering_ids)))
        .where(ProductOrderRow.state.in_([state.value for state in in_flight_states()]))
    )
    return (await session.execute(query)).scalar_one()


# --- cancellation requests -------------------------------------------------------------------------------


async def get_cancel(session: AsyncSession, cancel_id: str) -> CancelProductOrderRow | None:
    return await session.get(CancelProductOrderRow, cancel_id)


async def cancels_page(
    session: AsyncSession, where: Sequence[ColumnElement[bool]], offset: int, limit: int
) -> tuple[list[CancelProductOrderRow], int]:
    return await shared.page(session, CancelProductOrderRow, where, offset, limit)


async def cancels_matching(
    session: AsyncSession, where: Sequence[ColumnElement[bool]]
) -> list[CancelProductOrderRow]:
    return await shared.matching(session, CancelProductOrderRow, where)


async def open_cancels(
    session: AsyncSession, order_id: str, states: Collection[str]
) -> list[CancelProductOrderRow]:
    query = (
        select(CancelProductOrderRow)
        .where(CancelProductOrderRow.order_id == order_id, CancelProductOrderRow.state.in_(list(states)))
        .order_by(CancelProductOrderRow.created_at)
    )
    return list((await session.execute(query)).scalars())


# --- the workflow-start outbox ---------------------------------------------------------------------------


async def due_starts(session: AsyncSession, now: datetime, limit: int) -> list[OrderStartRow]:
    query = (
        select(OrderStartRow)
        .where(OrderStartRow.started_at.is_(None), OrderStartRow.next_attempt_at <= now)
        .order_by(OrderStartRow.next_attempt_at)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def claim_start(session: AsyncSession, order_id: str, seen_attempts: int, until: datetime) -> bool:
    """Take the row for an attempt unless another relay took it since it was read (a compare-and-set)."""
    result = await session.execute(
        update(OrderStartRow)
        .where(
            OrderStartRow.order_id == order_id,
            OrderStartRow.started_at.is_(None),
            OrderStartRow.attempts == seen_attempts,
        )
        .values(next_attempt_at=until, attempts=OrderStartRow.attempts + 1)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def mark_started(session: AsyncSession, order_id: str, at: datetime) -> None:
    await session.execute(
        update(OrderStartRow)
        .where(OrderStartRow.order_id == order_id, OrderStartRow.started_at.is_(None))
        .values(started_at=at, last_error=None)
    )


async def retry_start_at(session: AsyncSession, order_id: str, at: datetime, error: str) -> None:
    await session.execute(
        update(OrderStartRow)
        .where(OrderStartRow.order_id == order_id, OrderStartRow.started_at.is_(None))
        .values(next_attempt_at=at, last_error=error[:500])
    )


async def get_start(session: AsyncSession, order_id: str) -> OrderStartRow | None:
    return await session.get(OrderStartRow, order_id)
