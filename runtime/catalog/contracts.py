"""What the catalog store offers the rest of the runtime (TMF620 endpoints, qualification, quote, orders).

The store implements these in `runtime/catalog/service.py`; the API and other services depend on these
shapes only.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from engine.eligibility import EligibilityEngine
from engine.spec.common import Kind, LifecycleStatus
from engine.spec.release import CatalogRelease
from runtime.auth.roles import Principal


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """A published release as listed: immutable once stored."""

    id: str
    name: str
    contentHash: str
    effectiveDate: datetime
    publishedAt: datetime
    publishedBy: str
    entityCount: int


@dataclass(frozen=True, slots=True)
class ActiveRelease:
    """A release loaded for evaluation: the frozen model and its compiled eligibility rules."""

    info: ReleaseInfo
    release: CatalogRelease
    eligibility: EligibilityEngine


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft entity document (full spec envelope as plain data) and its ETag for If-Match."""

    kind: Kind
    id: str
    document: dict[str, Any]
    etag: str
    updatedAt: datetime
    updatedBy: str
    basedOnVersion: str | None  # the published version it edits, None for a new entity


class CatalogStore(Protocol):
    async def releases(self, session: AsyncSession) -> Sequence[ReleaseInfo]: ...

    async def release_in_effect(self, session: AsyncSession, at: datetime | None = None) -> ReleaseInfo: ...

    async def active(self, session: AsyncSession, release_id: str | None = None) -> ActiveRelease:
        """The loaded release `release_id`, or the one in effect now; NotFound when there is none."""
        ...

    def lease(
        self, session: AsyncSession, release_id: str | None = None
    ) -> AbstractAsyncContextManager[ActiveRelease]:
        """Like `active`, and the release's rulesets are not freed (cache eviction) before the block ends:
        `async with store.lease(session) as active: ...` around a long evaluation."""
        ...

    async def drafts(self, session: AsyncSession, kind: Kind | None = None) -> Sequence[Draft]: ...

    async def draft(self, session: AsyncSession, kind: Kind, entity_id: str) -> Draft: ...

    async def save_draft(
        self, session: AsyncSession, actor: Principal, document: dict[str, Any], if_match: str | None
    ) -> Draft:
        """Create (if_match None and no draft yet) or replace a draft; a stale if_match is a 412."""
        ...

    async def delete_draft(
        self, session: AsyncSession, actor: Principal, kind: Kind, entity_id: str, if_match: str | None
    ) -> None: ...

    async def change_lifecycle(
        self,
        session: AsyncSession,
        actor: Principal,
        kind: Kind,
        entity_id: str,
        status: LifecycleStatus,
        if_match: str | None = None,
    ) -> Draft:
        """Move a draft's status through the transition table (409 otherwise); with no draft yet, draft the
        published version under the next version first."""
        ...
