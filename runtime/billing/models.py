"""When a subscription (an order-made product) starts being billed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from runtime.db.base import Base, UtcDateTime, utcnow


class SubscriptionStart(Base):
    __tablename__ = "subscription_start"

    product_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(64), index=True)
    product_offering_id: Mapped[str] = mapped_column(String(200))
    release_id: Mapped[str] = mapped_column(String(64))  # the catalog release whose prices apply
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
