"""Recording writes in the same transaction as the write itself, so neither exists without the other."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from runtime.audit.models import AuditRecord
from runtime.auth.roles import Principal

# Keys whose values never reach the audit log (nor any log): secrets are replaced by a marker.
SECRET_KEYS = frozenset(
    {"secret", "password", "token", "apikey", "api_key", "client_secret", "authorization"}
)


def redacted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "***" if k.lower() in SECRET_KEYS else redacted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redacted(v) for v in value]
    return value


async def record(
    session: AsyncSession,
    actor: Principal,
    action: str,
    entity_type: str,
    entity_id: str,
    before: Any = None,
    after: Any = None,
) -> None:
    session.add(
        AuditRecord(
            actor_key_id=actor.key_id,
            actor_name=actor.name,
            actor_role=actor.role.value,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            before=redacted(before),
            after=redacted(after),
        )
    )
