"""The catalog store: published releases, the one in effect, the loaded-release cache and the drafts.

Implements `runtime.catalog.contracts.CatalogStore`. Services never commit; every write is audited in the
caller's transaction. Rules (details in docs/catalog-store.md and the modules named):
- A release is published whole or not at all (`publishing`): validated first, every error located; a
  release id already stored is a 409 (the same content: "already published").
- In effect at T: the stored release with the greatest effective date at or before T (ties: the one
  published last). A future-dated release takes effect by itself at its date: nothing runs, the question
  is asked anew each time with the clock.
- Releases are loaded through `cache.ReleaseCache`; drafts follow `drafts`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from engine.spec.common import Kind
from engine.spec.loader import SourceDocument, load_documents
from engine.spec.release import CatalogRelease
from engine.validation.pipeline import CatalogValidation, validate_documents
from engine.validation.report import ValidationReport
from runtime.api.errors import Conflict, NotFound, Unprocessable
from runtime.audit.service import record
from runtime.auth.roles import Principal
from runtime.catalog import repository
from runtime.catalog.cache import ReleaseCache, StoredReleaseCorrupt
from runtime.catalog.contracts import ActiveRelease, ReleaseInfo
from runtime.catalog.drafts import DraftBook, audit_form
from runtime.catalog.export import ExportedFile, export_files
from runtime.catalog.models import DraftRow, ReleaseRow
from runtime.catalog.publishing import (
    DraftText,
    ReleaseRefused,
    StoredDocument,
    candidate_hash,
    candidate_sources,
    check_release_id,
    content_hash,
    iso_datetime,
    manifest_id,
    new_manifest,
    overlaid,
    parse_all,
    stored_documents,
    version_digests,
)
from runtime.catalog.repository import VersionDigest
from runtime.db.base import utcnow

Clock = Callable[[], datetime]
VALIDATION_RELEASE_ID = "drafts"  # the candidate's id when drafts are only validated


class ReleaseStatus(StrEnum):
    inEffect = "inEffect"
    scheduled = "scheduled"  # takes effect by itself at its effective date
    superseded = "superseded"  # a later release took over (or, with the same date, was published later)

    @classmethod
    def of(cls, effective_date: datetime, in_effect: bool, now: datetime) -> ReleaseStatus:
        if in_effect:
            return cls.inEffect
        return cls.scheduled if effective_date > now else cls.superseded


@dataclass(frozen=True, slots=True)
class _Candidate:
    """The release the drafts would make: the manifest, the base versions kept, the drafts, the verdict."""

    manifest: dict[str, Any]
    kept: Sequence[StoredDocument]
    drafts: Sequence[DraftRow]
    validation: CatalogValidation


class CatalogService(DraftBook):
    """Releases here; drafts (`drafts`, `draft`, `save_draft`, `delete_draft`, `change_lifecycle`) from
    `DraftBook`."""

    def __init__(self, clock: Clock = utcnow, cache: ReleaseCache | None = None) -> None:
        super().__init__(clock)
        self.cache = cache or ReleaseCache()

    def close(self) -> None:
        self.cache.close()

    # Releases

    async def releases(self, session: AsyncSession) -> list[ReleaseInfo]:
        """Every release, oldest effective date first."""
        return [_info(row) for row in await repository.releases(session)]

    async def release(self, session: AsyncSession, release_id: str) -> ReleaseInfo:
        return _info(await self._row(session, release_id))

    async def release_in_effect(self, session: AsyncSession, at: datetime | None = None) -> ReleaseInfo:
        moment = at or self.clock()
        row = await repository.release_in_effect(session, moment)
        if row is None:
            raise NotFound(f"no catalog release is in effect at {iso_datetime(moment)}")
        return _info(row)

    async def statuses(self, session: AsyncSession) -> dict[str, ReleaseStatus]:
        """Every release's status now, by id."""
        now = self.clock()
        current = await repository.release_in_effect(session, now)
        return {
            row.id: ReleaseStatus.of(row.effective_date, current is not None and row.id == current.id, now)
            for row in await repository.releases(session)
        }

    async def entities(self, session: AsyncSession, release_id: str) -> list[VersionDigest]:
        """The entity versions of a release (its manifest excluded)."""
        await self._row(session, release_id)
        return [
            VersionDigest(row.kind, row.entity_id, row.version, row.digest)
            for row in await repository.documents(session, release_id)
            if row.kind != Kind.CatalogRelease
        ]

    async def active(self, session: AsyncSession, release_id: str | None = None) -> ActiveRelease:
        info = await self._chosen(session, release_id)
        return await self.cache.get(info, lambda: self._sources(session, info.id))

    @asynccontextmanager
    async def lease(
        self, session: AsyncSession, release_id: str | None = None
    ) -> AsyncIterator[ActiveRelease]:
        """Like `active`, and the release's rulesets are not freed before the block ends."""
        info = await self._chosen(session, release_id)
        async with self.cache.lease(info, lambda: self._sources(session, info.id)) as active:
            yield active

    async def export(self, session: AsyncSession, release_id: str) -> list[ExportedFile]:
        await self._row(session, release_id)
        rows = await repository.documents(session, release_id)
        return export_files([StoredDocument.from_row(row) for row in rows])

    async def publish(
        self,
        session: AsyncSession,
        actor: Principal,
        sources: Sequence[SourceDocument],
        *,
        origin: str = "<upload>",
        effective_date: datetime | None = None,
    ) -> ReleaseInfo:
        """Validate a whole release (folder or upload) and store it; any error refuses all of it."""
        _aware(effective_date)
        parsed = parse_all(sources)
        release_id = manifest_id(parsed)
        if release_id is not None:
            check_release_id(release_id)
            await self._refuse_taken(session, release_id, candidate_hash(parsed, effective_date))
        published = await self._contradicted(session, version_digests(parsed))
        validation = await asyncio.to_thread(validate_documents, sources, origin=origin, published=published)
        if not validation.ok:
            raise ReleaseRefused(f"the release {origin}", validation.report)
        release = validation.releases[0]
        stored = stored_documents(parsed, effective_date)
        return await self._store(
            session, actor, stored, release.manifest.name, effective_date or release.effectiveDate
        )

    # Drafts

    async def validate_drafts(
        self, session: AsyncSession, effective_date: datetime | None = None
    ) -> ValidationReport:
        """The located errors of the release the drafts would make, effective at `effective_date` (now)."""
        return (await self.draft_candidate(session, effective_date)).report

    async def draft_candidate(
        self,
        session: AsyncSession,
        effective_date: datetime | None = None,
        only: tuple[Kind, str] | None = None,
    ) -> CatalogValidation:
        """The release the drafts (or only the draft `only`) would make, loaded and validated as publishing
        would: `releases` holds it whenever it loads, even with errors."""
        at = _aware(effective_date) or self.clock()
        candidate = await self._candidate(session, VALIDATION_RELEASE_ID, "Drafts", at, only)
        return candidate.validation

    async def publish_drafts(
        self, session: AsyncSession, actor: Principal, effective_date: datetime, release_id: str, name: str
    ) -> ReleaseInfo:
        """Store the release the drafts make and delete them, or refuse it whole (422 with the report)."""
        _aware(effective_date)
        check_release_id(release_id)
        await self._refuse_taken(session, release_id, None)
        candidate = await self._candidate(session, release_id, name, effective_date)
        if not candidate.drafts:
            raise Unprocessable("there are no drafts to publish", code="NO_DRAFTS")
        if not candidate.validation.ok:
            raise ReleaseRefused("the drafts", candidate.validation.report)
        drafted = [
            StoredDocument.of(json.loads(row.document, parse_float=Decimal)) for row in candidate.drafts
        ]
        stored = [StoredDocument.of(candidate.manifest), *drafted, *candidate.kept]
        info = await self._store(session, actor, stored, name, effective_date)
        before = [(row.kind, row.entity_id, audit_form(row.document)) for row in candidate.drafts]
        if not await repository.remove_drafts(session, candidate.drafts):
            raise Conflict(
                "a draft changed while publishing: validate and publish again", code="DRAFTS_CHANGED"
            )
        for kind, entity_id, document in before:
            await record(session, actor, "draft.publish", kind, entity_id, document, {"release": release_id})
        return info

    # Internals

    async def _row(self, session: AsyncSession, release_id: str) -> ReleaseRow:
        row = await repository.release(session, release_id)
        if row is None:
            raise NotFound(f"there is no release {release_id}")
        return row

    async def _chosen(self, session: AsyncSession, release_id: str | None) -> ReleaseInfo:
        if release_id is None:
            return await self.release_in_effect(session)
        return await self.release(session, release_id)

    async def _sources(self, session: AsyncSession, release_id: str) -> list[SourceDocument]:
        rows = await repository.documents(session, release_id)
        return [StoredDocument.from_row(row).source(release_id) for row in rows]

    async def _contradicted(
        self, session: AsyncSession, versions: Sequence[VersionDigest]
    ) -> list[CatalogRelease]:
        """The stored releases holding one of these entity versions with other content, loaded."""
        loaded = []
        for release_id in sorted(await repository.releases_contradicting(session, versions)):
            result = await asyncio.to_thread(
                load_documents, await self._sources(session, release_id), origin=f"release:{release_id}"
            )
            if result.release is None:
                raise StoredReleaseCorrupt(f"stored release {release_id} does not load:\n{result.report}")
            loaded.append(result.release)
        return loaded

    async def _refuse_taken(self, session: AsyncSession, release_id: str, content: str | None) -> None:
        row = await repository.release(session, release_id)
        if row is None:
            return
        if content == row.content_hash:
            message = f"release {release_id} is already published (contentHash {row.content_hash})"
            raise Conflict(message, code="RELEASE_ALREADY_PUBLISHED")
        message = (
            f"release id {release_id} is taken by a published release; releases never change: use a new id"
        )
        raise Conflict(message, code="RELEASE_ID_TAKEN")

    async def _candidate(
        self,
        session: AsyncSession,
        release_id: str,
        name: str,
        at: datetime,
        only: tuple[Kind, str] | None = None,
    ) -> _Candidate:
        base_row = await repository.release_in_effect(session, at)
        rows = [] if base_row is None else await repository.documents(session, base_row.id)
        base = [StoredDocument.from_row(row) for row in rows]
        base_manifest = next((json.loads(d.text) for d in base if d.kind is Kind.CatalogRelease), None)
        drafts = await repository.drafts(session)
        if only is not None:
            drafts = [row for row in drafts if (row.kind, row.entity_id) == (only[0].value, only[1])]
        texts = [DraftText(Kind(row.kind), row.entity_id, row.document) for row in drafts]
        manifest = new_manifest(base_manifest, release_id, name, at)
        kept = overlaid(base, texts)
        sources = candidate_sources(base_row.id if base_row else "", kept, texts, manifest)
        drafted = [json.loads(row.document, parse_float=Decimal) for row in drafts]
        published = await self._contradicted(session, version_digests(drafted))
        validation = await asyncio.to_thread(
            validate_documents, sources, origin="drafts", published=published
        )
        return _Candidate(manifest, kept, drafts, validation)

    async def _store(
        self,
        session: AsyncSession,
        actor: Principal,
        stored: Sequence[StoredDocument],
        name: str,
        effective_date: datetime,
    ) -> ReleaseInfo:
        release_id = next(d.entity_id for d in stored if d.kind is Kind.CatalogRelease)
        content = content_hash(stored)
        await self._refuse_taken(session, release_id, content)
        same = await repository.release_with_hash(session, content)
        if same is not None:
            raise Conflict(
                f"the same content is already published as release {same.id}",
                code="RELEASE_ALREADY_PUBLISHED",
            )
        row = ReleaseRow(
            id=release_id,
            name=name,
            content_hash=content,
            effective_date=effective_date,
            published_at=self.clock(),
            published_by=actor.name,
            entity_count=len(stored) - 1,
        )
        if not await repository.add_release(session, row, [d.row(release_id) for d in stored]):
            raise Conflict(f"release {release_id} was published meanwhile", code="RELEASE_ID_TAKEN")
        info = _info(row)
        after = {"name": name, "contentHash": content, "effectiveDate": iso_datetime(effective_date)}
        await record(session, actor, "release.publish", Kind.CatalogRelease.value, release_id, None, after)
        return info


def _info(row: ReleaseRow) -> ReleaseInfo:
    return ReleaseInfo(
        id=row.id,
        name=row.name,
        contentHash=row.content_hash,
        effectiveDate=row.effective_date,
        publishedAt=row.published_at,
        publishedBy=row.published_by,
        entityCount=row.entity_count,
    )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        raise Unprocessable(
            "an effective date needs a time zone, e.g. 2026-07-01T00:00:00Z", code="INVALID_DATE"
        )
    return moment
