from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from runtime.audit.models import AuditRecord
from runtime.audit.service import record
from runtime.auth.roles import Principal, Role
from runtime.bootstrap import Services

PM = Principal("k1", "Pat the product manager", Role.product_manager)


async def test_a_write_is_recorded_with_actor_before_and_after(services: Services) -> None:
    async with services.database.unit_of_work() as session:
        await record(session, PM, "update", "ProductOffering", "fibre-500", {"name": "a"}, {"name": "b"})
    async with services.database.sessions() as session:
        row = (await session.execute(select(AuditRecord))).scalar_one()
    assert (row.actor_name, row.actor_role, row.action) == (
        "Pat the product manager",
        "product_manager",
        "update",
    )
    assert (row.before, row.after) == ({"name": "a"}, {"name": "b"})
    assert row.at.tzinfo is not None


async def test_secrets_never_reach_the_audit_log(services: Services) -> None:
    async with services.database.unit_of_work() as session:
        await record(session, PM, "create", "hub", "h1", None, {"callback": "http://x", "secret": "s3cr3t"})
    async with services.database.sessions() as session:
        row = (await session.execute(select(AuditRecord))).scalar_one()
    assert row.after == {"callback": "http://x", "secret": "***"}


@pytest.mark.parametrize("statement", [update(AuditRecord).values(action="forged"), delete(AuditRecord)])
async def test_the_audit_log_refuses_updates_and_deletes(services: Services, statement: object) -> None:
    async with services.database.unit_of_work() as session:
        await record(session, PM, "create", "ProductOffering", "x")
    with pytest.raises(DBAPIError, match="append-only"):
        async with services.database.unit_of_work() as session:
            await session.execute(statement)  # type: ignore[call-overload]
