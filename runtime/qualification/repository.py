"""Every query on stored qualifications."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from runtime.customers import repository as shared
from runtime.qualification.models import QualificationRow


async def get(session: AsyncSession, qualification_id: str) -> QualificationRow | None:
    return await session.get(QualificationRow, qualification_id)


async def add(session: AsyncSession, row: QualificationRow) -> None:
    await shared.add(session, row)


async def page(
    session: AsyncSession, where: Sequence[ColumnElement[bool]], offset: int, limit: int
) -> tuple[list[QualificationRow], int]:
    return await shared.page(session, QualificationRow, where, offset, limit)


async def matching(session: AsyncSession, where: Sequence[ColumnElement[bool]]) -> list[QualificationRow]:
    return await shared.matching(session, QualificationRow, where)
