"""Stored product orders, their items (for queries by offering), cancellation requests and the outbox of
workflow starts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from runtime.db.base import Base, JsonDocument, UtcDateTime, utcnow


class ProductOrderRow(Base):
    __tablename__ = "product_order"
    # Idempotency: one order per API key and Idempotency-Key, and per API key and externalId. NULLs are
    # distinct in both databases, so orders without either are not constrained.
    __table_args__ = (
        UniqueConstraint("created_by", "idempotency_key", name="uq_product_order_idempotency_key"),
        UniqueConstraint("created_by", "external_id", name="uq_product_order_external_id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), index=True)  # the API key id
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    state: Mapped[str] = mapped_column(String(32), index=True)
    release_id: Mapped[str] = mapped_column(String(64), index=True)  # the release pinned at capture
    customer_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    channel: Mapped[str] = mapped_column(String(64), index=True)
    # The highest OrderProgress revision applied; a snapshot at or below it is a retried write.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # The TMF622 document as GET answers it (numbers as in runtime.customers.body.json_safe).
    document: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    # The body of the first answer, replayed to an idempotent retry.
    first_response: Mapped[dict[str, Any]] = mapped_column(JsonDocument)


class ProductOrderItemRow(Base):
    """One item of an order, so orders can be found by the offerings they carry."""

    __tablename__ = "product_order_item"

    order_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("product_order.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    product_offering_id: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(16))


class CancelProductOrderRow(Base):
    __tablename__ = "cancel_product_order"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    created_by: Mapped[str] = mapped_column(String(64), index=True)
    order_id: Mapped[str] = mapped_column(String(64), ForeignKey("product_order.id"), index=True)
    state: Mapped[str] = mapped_column(String(32), index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JsonDocument)


class OrderStartRow(Base):
    """The outbox of workflow starts: written with the acknowledged order, marked once the start succeeded."""

    __tablename__ = "order_workflow_start"

    order_id: Mapped[str] = mapped_column(String(64), ForeignKey("product_order.id"), primary_key=True)
    order_input: Mapped[dict[str, Any]] = mapped_column(JsonDocument)  # workflows.contracts.OrderInput
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # The relay leaves a row alone until then: the request that wrote it starts it first.
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
