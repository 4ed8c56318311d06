"""Hub subscriptions, the outbox of published events, and one delivery per (event, subscription).

Nothing here is ever deleted: an unsubscribed hub keeps its row (`removed_at`) so its deliveries keep their
history, and a delivery that gave up stays `dead` for an operator to see and redeliver.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from runtime.db.base import Base, JsonDocument, UtcDateTime, utcnow


class DeliveryState(StrEnum):
    pending = "pending"  # due at next_attempt_at
    delivering = "delivering"  # claimed; next_attempt_at is the lease after which another worker may retry
    delivered = "delivered"  # the listener answered 2xx
    dead = "dead"  # gave up after the maximum attempts; kept until an operator redelivers it
    cancelled = "cancelled"  # the subscription was removed before delivery


# The one transition table; repository updates only move rows whose state is a source of the target.
# delivering → delivering is a reclaim after an expired lease (the worker holding it died).
TRANSITIONS: dict[DeliveryState, frozenset[DeliveryState]] = {
    DeliveryState.pending: frozenset({DeliveryState.delivering, DeliveryState.cancelled}),
    DeliveryState.delivering: frozenset(
        {
            DeliveryState.delivering,
            DeliveryState.delivered,
            DeliveryState.pending,
            DeliveryState.dead,
            DeliveryState.cancelled,
        }
    ),
    DeliveryState.delivered: frozenset(),
    DeliveryState.dead: frozenset({DeliveryState.pending}),
    DeliveryState.cancelled: frozenset(),
}


def sources(target: DeliveryState) -> frozenset[DeliveryState]:
    """The states a delivery may leave for `target`."""
    return frozenset(state for state, targets in TRANSITIONS.items() if target in targets)


class EventSubscription(Base):
    __tablename__ = "event_subscription"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    api: Mapped[str] = mapped_column(String(64), index=True)
    callback: Mapped[str] = mapped_column(String(2000))
    query: Mapped[str] = mapped_column(String(2000), default="")
    owner_key_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class OutboxEvent(Base):
    __tablename__ = "outbox_event"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the TMF eventId
    api: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(100))
    body: Mapped[Any] = mapped_column(JsonDocument)  # the TMF Event envelope, as delivered
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class EventDelivery(Base):
    __tablename__ = "event_delivery"
    __table_args__ = (Index("ix_event_delivery_due", "state", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("outbox_event.id"), index=True)
    subscription_id: Mapped[str] = mapped_column(ForeignKey("event_subscription.id"), index=True)
    target_url: Mapped[str] = mapped_column(String(2200))
    state: Mapped[str] = mapped_column(String(16), default=DeliveryState.pending.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
