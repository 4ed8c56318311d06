"""Every query of the catalog store."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from runtime.catalog.models import DraftRow, ReleaseDocumentRow, ReleaseRow

# Bound parameters per IN list, well below SQLite's and asyncpg's limits.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class VersionDigest:
    """An entity version and the digest of its content: what the published-version check compares."""

    kind: str
    entity_id: str
    version: str
    digest: str


# Releases


async def release(session: AsyncSession, release_id: str) -> ReleaseRow | None:
    return await session.get(ReleaseRow, release_id)


async def release_with_hash(session: AsyncSession, content_hash: str) -> ReleaseRow | None:
    query = select(ReleaseRow).where(ReleaseRow.content_hash == content_hash)
    return (await session.execute(query)).scalar_one_or_none()


async def releases(session: AsyncSession) -> Sequence[ReleaseRow]:
    """Oldest effective date first."""
    query = select(ReleaseRow).order_by(ReleaseRow.effective_date, ReleaseRow.published_at, ReleaseRow.id)
    return (await session.execute(query)).scalars().all()


async def release_in_effect(session: AsyncSession, at: datetime) -> ReleaseRow | None:
    """The release with the greatest effective date at or before `at`."""
    # Ties on the effective date go to the release published last.
    newest_first = (ReleaseRow.effective_date.desc(), ReleaseRow.published_at.desc(), ReleaseRow.id.desc())
    query = select(ReleaseRow).where(ReleaseRow.effective_date <= at).order_by(*newest_first).limit(1)
    return (await session.execute(query)).scalar_one_or_none()


async def documents(session: AsyncSession, release_id: str) -> Sequence[ReleaseDocumentRow]:
    query = (
        select(ReleaseDocumentRow)
        .where(ReleaseDocumentRow.release_id == release_id)
        .order_by(ReleaseDocumentRow.kind, ReleaseDocumentRow.entity_id, ReleaseDocumentRow.version)
    )
    return (await session.execute(query)).scalars().all()


async def entity_documents(
    session: AsyncSession, release_id: str, kind: str, entity_id: str
) -> Sequence[ReleaseDocumentRow]:
    """Every version of one entity in one release."""
    query = select(ReleaseDocumentRow).where(
        ReleaseDocumentRow.release_id == release_id,
        ReleaseDocumentRow.kind == kind,
        ReleaseDocumentRow.entity_id == entity_id,
    )
    return (await session.execute(query)).scalars().all()


async def versions_ever_published(session: AsyncSession, kind: str, entity_id: str) -> set[str]:
    query = select(ReleaseDocumentRow.version).where(
        ReleaseDocumentRow.kind == kind, ReleaseDocumentRow.entity_id == entity_id
    )
    return set((await session.execute(query.distinct())).scalars().all())


async def releases_contradicting(session: AsyncSession, candidates: Iterable[VersionDigest]) -> set[str]:
    """Ids of the stored releases holding one of these entity versions with other content."""
    wanted = {(c.kind, c.entity_id, c.version): c.digest for c in candidates}
    ids = sorted({entity_id for _, entity_id, _ in wanted})
    found: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        query = select(
            ReleaseDocumentRow.release_id,
            ReleaseDocumentRow.kind,
            ReleaseDocumentRow.entity_id,
            ReleaseDocumentRow.version,
            ReleaseDocumentRow.digest,
        ).where(ReleaseDocumentRow.entity_id.in_(ids[start : start + _CHUNK]))
        for release_id, kind, entity_id, version, digest in await session.execute(query):
            expected = wanted.get((kind, entity_id, version))
            if expected is not None and expected != digest:
                found.add(release_id)
    return found


async def add_release(session: AsyncSession, row: ReleaseRow, rows: Sequence[ReleaseDocumentRow]) -> bool:
    """False when a release with this id or content hash was stored meanwhile (the caller then aborts)."""
    session.add(row)
    try:
        await session.flush()  # the release row first: its documents refer to it
    except IntegrityError:
        return False
    session.add_all(rows)
    await session.flush()
    return True


# Drafts


async def draft(session: AsyncSession, kind: str, entity_id: str) -> DraftRow | None:
    return await session.get(DraftRow, (kind, entity_id))


async def drafts(session: AsyncSession, kind: str | None = None) -> Sequence[DraftRow]:
    query = select(DraftRow).order_by(DraftRow.kind, DraftRow.entity_id)
    if kind is not None:
        query = query.where(DraftRow.kind == kind)
    return (await session.execute(query)).scalars().all()


async def write_draft(session: AsyncSession, row: DraftRow) -> bool:
    """Insert or update `row`; False when another writer got there first (the caller then aborts)."""
    session.add(row)
    try:
        await session.flush()
    except (StaleDataError, IntegrityError):
        return False
    return True


async def remove_drafts(session: AsyncSession, rows: Sequence[DraftRow]) -> bool:
    """Delete these drafts as read; False when one changed or went meanwhile."""
    for row in rows:
        await session.delete(row)
    try:
        await session.flush()
    except StaleDataError:
        return False
    return True
