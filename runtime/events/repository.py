"""Every query of the notifications package."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from runtime.events.models import DeliveryState, EventDelivery, EventSubscription, OutboxEvent, sources


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    id: str
    attempt: int  # the attempt this claim is; it fences the outcome write against a later reclaim
    target_url: str
    subscription_id: str
    event_id: str
    body: dict[str, Any]


async def get_subscription(session: AsyncSession, subscription_id: str) -> EventSubscription | None:
    return await session.get(EventSubscription, subscription_id)


async def active_subscriptions(session: AsyncSession, api: str) -> Sequence[EventSubscription]:
    statement = select(EventSubscription).where(
        EventSubscription.api == api, EventSubscription.removed_at.is_(None)
    )
    return (await session.scalars(statement.order_by(EventSubscription.created_at))).all()


async def add(session: AsyncSession, *rows: EventSubscription | OutboxEvent | EventDelivery) -> None:
    session.add_all(rows)
    await session.flush()


async def cancel_deliveries(session: AsyncSession, subscription_id: str) -> None:
    await _move(session, DeliveryState.cancelled, EventDelivery.subscription_id == subscription_id)


async def claim_due(
    session: AsyncSession, now: datetime, lease_until: datetime, limit: int, per_subscription: int
) -> list[ClaimedDelivery]:
    """Lease up to `limit` due deliveries, at most `per_subscription` in flight per subscription.

    One UPDATE: on PostgreSQL its subquery locks with FOR UPDATE SKIP LOCKED, so concurrent workers take
    disjoint rows; SQLite ignores the lock clause, and its single writer makes the statement atomic. The
    per-subscription cap is what keeps a slow listener from taking every worker slot.
    """
    claimable = sources(DeliveryState.delivering)
    due = aliased(EventDelivery)
    ranked = (
        select(
            due.id,
            due.subscription_id,
            func.row_number()
            .over(partition_by=due.subscription_id, order_by=(due.next_attempt_at, due.id))
            .label("rank"),
        )
        .where(due.state.in_(claimable), due.next_attempt_at <= now)
        .subquery()
    )
    held = aliased(EventDelivery)
    in_flight = (
        select(held.subscription_id, func.count().label("held"))
        .where(held.state == DeliveryState.delivering, held.next_attempt_at > now)
        .group_by(held.subscription_id)
        .subquery()
    )
    fair = (
        select(ranked.c.id)
        .outerjoin(in_flight, in_flight.c.subscription_id == ranked.c.subscription_id)
        .where(ranked.c.rank + func.coalesce(in_flight.c.held, 0) <= per_subscription)
    )
    picked = aliased(EventDelivery)
    chosen = (
        select(picked.id)
        .where(picked.id.in_(fair))
        .order_by(picked.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(EventDelivery)
        .where(
            EventDelivery.id.in_(chosen),
            EventDelivery.state.in_(claimable),
            EventDelivery.next_attempt_at <= now,
        )
        .values(
            state=DeliveryState.delivering,
            attempts=EventDelivery.attempts + 1,
            next_attempt_at=lease_until,
            last_attempt_at=now,
        )
        .returning(EventDelivery.id)
        .execution_options(synchronize_session=False)
    )
    ids = (await session.scalars(statement)).all()
    if not ids:
        return []
    rows = await session.execute(
        select(EventDelivery, OutboxEvent.body)
        .join(OutboxEvent, OutboxEvent.id == EventDelivery.event_id)
        .where(EventDelivery.id.in_(ids))
    )
    return [
        ClaimedDelivery(d.id, d.attempts, d.target_url, d.subscription_id, d.event_id, body)
        for d, body in rows
    ]


async def finish(session: AsyncSession, claim: ClaimedDelivery, to: DeliveryState, **values: Any) -> bool:
    """Record an attempt's outcome; False when the lease was lost (reclaimed or cancelled meanwhile)."""
    return await _move(
        session,
        to,
        and_(
            EventDelivery.id == claim.id,
            EventDelivery.state == DeliveryState.delivering,
            EventDelivery.attempts == claim.attempt,
        ),
        **values,
    )


async def redeliver(session: AsyncSession, delivery_id: str, now: datetime) -> bool:
    return await _move(
        session,
        DeliveryState.pending,
        and_(EventDelivery.id == delivery_id, EventDelivery.state == DeliveryState.dead),
        attempts=0,
        next_attempt_at=now,
    )


async def get_delivery(session: AsyncSession, delivery_id: str) -> tuple[EventDelivery, str] | None:
    row = (
        await session.execute(
            select(EventDelivery, OutboxEvent.event_type)
            .join(OutboxEvent, OutboxEvent.id == EventDelivery.event_id)
            .where(EventDelivery.id == delivery_id)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def list_deliveries(
    session: AsyncSession, state: DeliveryState | None, subscription_id: str | None, offset: int, limit: int
) -> tuple[list[tuple[EventDelivery, str]], int]:
    """A page of deliveries, newest first, with each one's event type, and the total that match."""
    conditions = []
    if state is not None:
        conditions.append(EventDelivery.state == state)
    if subscription_id is not None:
        conditions.append(EventDelivery.subscription_id == subscription_id)
    total = await session.scalar(select(func.count()).select_from(EventDelivery).where(*conditions))
    rows = await session.execute(
        select(EventDelivery, OutboxEvent.event_type)
        .join(OutboxEvent, OutboxEvent.id == EventDelivery.event_id)
        .where(*conditions)
        .order_by(EventDelivery.created_at.desc(), EventDelivery.id)
        .offset(offset)
        .limit(limit)
    )
    return [(delivery, event_type) for delivery, event_type in rows], int(total or 0)


async def _move(session: AsyncSession, to: DeliveryState, condition: Any, **values: Any) -> bool:
    """The only way a delivery changes state: rows not in a source state of `to` are left alone."""
    statement = (
        update(EventDelivery)
        .where(condition, EventDelivery.state.in_(sources(to)))
        .values(state=to, **values)
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], await session.execute(statement))
    return result.rowcount > 0
