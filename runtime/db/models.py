"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from __future__ import annotations

from runtime.audit.models import AuditRecord
from runtime.auth.models import ApiKey
from runtime.db.base import Base

metadata = Base.metadata

__all__ = ["ApiKey", "AuditRecord", "metadata"]
