"""Every query on stored quotes."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from runtime.customers import repository as shared
from runtime.quote.models import QuoteRow


async def get(session: AsyncSession, quote_id: str) -> QuoteRow | None:
    return await session.get(QuoteRow, quote_id)


async def add(session: AsyncSession, row: QuoteRow) -> None:
    await shared.add(session, row)
