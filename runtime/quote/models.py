"""Stored cart quotes: the request as sent and the response as returned, for GET and audit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from runtime.db.base import Base, JsonDocument, UtcDateTime, utcnow


class QuoteRow(Base):
    __tablename__ = "cart_quote"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    created_by: Mapped[str] = mapped_column(String(64))  # the API key id
    release_id: Mapped[str] = mapped_column(String(64), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    channel: Mapped[str] = mapped_column(String(64), index=True)
    # Money and decimals are strings in both documents (the engine's `to_dict`), so JSON keeps them exact.
    request: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    response: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
