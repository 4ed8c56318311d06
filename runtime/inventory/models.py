"""Product instances a customer holds (TMF637 Product), one row per instance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from runtime.db.base import Base, JsonDocument, UtcDateTime, utcnow


class InventoryProduct(Base):
    __tablename__ = "inventory_product"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    customer_id: Mapped[str] = mapped_column(String(64), ForeignKey("customer.id"), index=True)
    product_offering_id: Mapped[str] = mapped_column(String(200), index=True)
    product_offering_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    billing_account_id: Mapped[str | None] = mapped_column(
        String(64), ForeignKey("billing_account.id"), nullable=True, index=True
    )
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # {characteristic name: scalar value}; numbers stored as JSON numbers (see runtime.customers.body).
    characteristic: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    # TMF637 RelatedProductOrderItem entries: the order items that created or changed the product.
    order_items: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument)
    start_date: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    termination_date: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
