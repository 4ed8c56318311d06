"""Parties, customers and billing accounts: the TMF document as JSON, plus the columns lists filter on.

The document is the resource as the client wrote it (validated, without `id`/`href`); the columns copy
the few attributes lists filter on so those filters run in SQL. `created_at` of a billing account is the
date the account was opened (tenure is counted from it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from runtime.db.base import Base, JsonDocument, UtcDateTime, utcnow


class DocumentRow(Base):
    """Columns every stored TMF resource has."""

    __abstract__ = True

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Individual(DocumentRow):
    __tablename__ = "party_individual"

    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(32), index=True)


class Organization(DocumentRow):
    __tablename__ = "party_organization"

    trading_name: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    status: Mapped[str] = mapped_column(String(32), index=True)


class Customer(DocumentRow):
    __tablename__ = "customer"

    name: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    # Either an individual or an organization, so no foreign key: the service checks it exists.
    engaged_party_id: Mapped[str] = mapped_column(String(64), index=True)
    engaged_party_type: Mapped[str] = mapped_column(String(32))


class BillingAccount(DocumentRow):
    __tablename__ = "billing_account"

    name: Mapped[str] = mapped_column(String(200), index=True)
    state: Mapped[str] = mapped_column(String(32), index=True)


class CustomerAccount(Base):
    """A customer's `account` references, in order (the first is the one eligibility looks at)."""

    __tablename__ = "customer_account"

    customer_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True
    )
    billing_account_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("billing_account.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)
