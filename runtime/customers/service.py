"""Create, read, merge-patch, delete and list the document resources; every write is audited.

The service never commits: the request (or the seeding task) owns the unit of work.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from runtime.api.errors import Conflict, NotFound
from runtime.api.listing import ListQuery
from runtime.audit.service import record
from runtime.auth.roles import Principal
from runtime.customers import repository
from runtime.customers.body import BadBody, exact, json_safe, merge_patch
from runtime.customers.models import DocumentRow
from runtime.customers.resources import ResourceKind
from runtime.customers.strict import require_conforming, require_only
from runtime.events.service import publish_event


async def get(session: AsyncSession, kind: ResourceKind, resource_id: str) -> dict[str, Any]:
    return kind.render(await _existing(session, kind, resource_id))


async def list_page(
    session: AsyncSession, kind: ResourceKind, query: ListQuery
) -> tuple[list[dict[str, Any]], int]:
    """The page and the total; filters on columns (and paging, when all are) run in SQL."""
    where, rest = repository.equalities(kind.model, kind.pushdown, query.filters)
    if not rest:
        rows, total = await repository.page(session, kind.model, where, query.offset, query.limit)
        return [query.select(kind.render(row)) for row in rows], total
    rows = await repository.matching(session, kind.model, where)
    return dataclasses.replace(query, filters=rest).apply([kind.render(row) for row in rows])


async def create(
    session: AsyncSession,
    actor: Principal,
    kind: ResourceKind,
    body: dict[str, Any],
    *,
    resource_id: str | None = None,
    created_at: datetime | None = None,
) -> dict[str, Any]:
    """Create from a `<Type>_Create` body; `resource_id`/`created_at` are for seeding and migration."""
    _require_valid(kind, body)
    document = await kind.check(session, kind.with_defaults(body))
    if resource_id is not None and await repository.get(session, kind.model, resource_id) is not None:
        raise Conflict(f"{kind.tmf_type} {resource_id!r} exists already")
    row = kind.model(
        id=resource_id or str(uuid.uuid4()), document=json_safe(document), **kind.columns(document)
    )
    if created_at is not None:
        row.created_at = created_at
    await repository.add(session, row)
    await kind.after_write(session, row.id, document)
    resource = kind.render(row)
    await record(session, actor, "create", kind.entity_type, row.id, None, json_safe(resource))
    await _publish(session, kind, "Create", resource)
    return resource


async def patch(
    session: AsyncSession, actor: Principal, kind: ResourceKind, resource_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Apply an RFC 7386 merge patch; the result must still be a valid resource."""
    row = await _existing(session, kind, resource_id)
    require_only(changes, kind.patchable, f"these {kind.tmf_type} attributes cannot be patched")
    before = kind.render(row)
    merged = merge_patch(exact(row.document), changes)
    _require_valid(kind, merged)
    document = await kind.check(session, merged)
    row.document = json_safe(document)
    for column, value in kind.columns(document).items():
        setattr(row, column, value)
    await session.flush()
    await kind.after_write(session, row.id, document)
    after = kind.render(row)
    await record(session, actor, "update", kind.entity_type, row.id, json_safe(before), json_safe(after))
    await _publish_changes(session, kind, before, after)
    return after


async def delete(session: AsyncSession, actor: Principal, kind: ResourceKind, resource_id: str) -> None:
    row = await _existing(session, kind, resource_id)
    await kind.guard_delete(session, row.id)
    before = kind.render(row)
    await repository.remove(session, row)
    await record(session, actor, "delete", kind.entity_type, resource_id, json_safe(before), None)
    await _publish(session, kind, "Delete", before)


async def _existing(session: AsyncSession, kind: ResourceKind, resource_id: str) -> DocumentRow:
    row = await repository.get(session, kind.model, resource_id)
    if row is None:
        raise NotFound(f"no {kind.tmf_type} with id {resource_id!r}")
    return row


def _require_valid(kind: ResourceKind, document: dict[str, Any]) -> None:
    require_conforming(kind.api, f"{kind.tmf_type}_Create", document)
    declared = document.get("@type", kind.tmf_type)
    if declared != kind.tmf_type:
        raise BadBody(f"@type must be {kind.tmf_type!r} (no subclasses are supported), got {declared!r}")


async def _publish(session: AsyncSession, kind: ResourceKind, event: str, resource: dict[str, Any]) -> None:
    await publish_event(session, kind.hub, f"{kind.tmf_type}{event}Event", json_safe(resource))


async def _publish_changes(
    session: AsyncSession, kind: ResourceKind, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """A StateChangeEvent when the state moved, an AttributeValueChangeEvent when anything else did."""
    state = kind.state_attribute
    if before.get(state) != after.get(state):
        await _publish(session, kind, "StateChange", after)
    # lastModified is the server's stamp of the write itself, not a change of the account.
    ignored = {state, "lastModified"}
    if {k: v for k, v in before.items() if k not in ignored} != {
        k: v for k, v in after.items() if k not in ignored
    }:
        await _publish(session, kind, "AttributeValueChange", after)
