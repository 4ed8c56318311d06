from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from runtime.audit.models import AuditRecord
from runtime.audit.service import record
from runtime.auth.roles import Principal, Role
from runtime.bootstrap import Services

ACTOR = Principal("k", "writer", Role.admin)


async def test_concurrent_units_of_work_that_read_then_write_both_commit(services: Services) -> None:
    async def writer(name: str) -> None:
        async with services.database.unit_of_work() as session:
            await session.execute(select(func.count()).select_from(AuditRecord))
            await asyncio.sleep(0.05)  # let the other writer interleave between our read and our write
            await record(session, ACTOR, "create", "thing", name)

    await asyncio.gather(*(writer(f"w{i}") for i in range(8)))
    async with services.database.sessions() as session:
        count = (await session.execute(select(func.count()).select_from(AuditRecord))).scalar_one()
    assert count == 8
