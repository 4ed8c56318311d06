"""TMF620 over the catalog store: which release a read sees, which version of an entity, and the writes
that act on drafts while published entities answer 409.

Reads see the release in effect now unless `releaseId` names another (`drafts`: the drafts). Inside a
release, an entity is read at the moment the release describes: now, or the release's effective date if
it is not in effect yet. A list shows every version the release holds (a scheduled change is two versions
with disjoint validFor); a get shows the version in effect at that moment, or the one `version` names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from engine.spec.common import Entity, Kind
from engine.spec.release import CatalogRelease
from runtime.api.errors import Conflict, NotFound, Unprocessable
from runtime.auth.roles import Principal
from runtime.catalog.contracts import CatalogStore, Draft, ReleaseInfo
from runtime.catalog.repository import VersionDigest
from runtime.catalog.tmf620_cache import projected_list
from runtime.catalog.tmf620_common import Json, View, tmf_name
from runtime.catalog.tmf620_convert import InvalidBody
from runtime.catalog.tmf620_drafts import project_draft
from runtime.catalog.tmf620_input import new_document, patched_document, translate
from runtime.catalog.tmf620_projection import project, project_catalog
from runtime.db.base import utcnow

DRAFTS = "drafts"


def immutable(kind: Kind, entity_id: str) -> Conflict:
    return Conflict(
        f"{tmf_name(kind)} {entity_id} is published, and published entities are immutable: to change it, "
        "POST a draft with the same id and a new version (or none: the next one is given)",
        code="PUBLISHED_IMMUTABLE",
    )


class Tmf620Store(CatalogStore, Protocol):
    async def entities(self, session: AsyncSession, release_id: str) -> Sequence[VersionDigest]:
        """The entity versions a release holds, without loading it."""
        ...


@dataclass(frozen=True, slots=True)
class Tmf620Catalog:
    store: Tmf620Store
    now: Callable[[], datetime] = utcnow

    async def view(self, session: AsyncSession, release_id: str | None) -> tuple[CatalogRelease, View]:
        """The release read, and the view at the moment it describes."""
        release = (await self.store.active(session, release_id)).release
        return release, View(release, max(self.now(), release.effectiveDate))

    async def entities(self, session: AsyncSession, kind: Kind, release_id: str | None) -> list[Json]:
        if release_id == DRAFTS:
            view = await self._draft_view(session)
            return [project_draft(draft, view) for draft in await self.store.drafts(session, kind)]
        release, view = await self.view(session, release_id)
        assert view.at is not None
        return projected_list(
            release,
            kind,
            view.at,
            lambda: [
                project(entity, view) for i in release.ids(kind) for entity in release.versions(kind, i)
            ],
        )

    async def entity(
        self, session: AsyncSession, kind: Kind, entity_id: str, release_id: str | None, version: str | None
    ) -> tuple[Json, str | None]:
        """The resource, and its ETag when it is a draft."""
        if release_id == DRAFTS:
            return await self._projected(session, await self.store.draft(session, kind, entity_id))
        release, view = await self.view(session, release_id)
        versions = release.versions(kind, entity_id)
        chosen = view.find(kind, entity_id) if version is None else _version(versions, version)
        if chosen is None:
            which = "" if version is None else f" version {version}"
            raise NotFound(f"{tmf_name(kind)} {entity_id}{which} is not in release {release.id}")
        return project(chosen, view), None

    async def _projected(self, session: AsyncSession, draft: Draft) -> tuple[Json, str]:
        return project_draft(draft, await self._draft_view(session)), draft.etag

    async def _draft_view(self, session: AsyncSession) -> View:
        """A draft's refs resolve in the release in effect now, when there is one."""
        try:
            return (await self.view(session, None))[1]
        except NotFound:
            return View(None, self.now())

    async def catalogs(self, session: AsyncSession) -> list[Json]:
        infos = await self.store.releases(session)
        return [await self._catalog(session, info, infos) for info in infos]

    async def catalog(self, session: AsyncSession, release_id: str) -> Json:
        infos = await self.store.releases(session)
        info = next((i for i in infos if i.id == release_id), None)
        if info is None:
            raise NotFound(f"there is no published catalog release {release_id}")
        return await self._catalog(session, info, infos)

    async def _catalog(self, session: AsyncSession, info: ReleaseInfo, infos: Sequence[ReleaseInfo]) -> Json:
        # A release is valid until the next one takes effect.
        later = [i.effectiveDate for i in infos if i.effectiveDate > info.effectiveDate]
        active = await self.store.active(session, info.id)
        return project_catalog(info, active.release, min(later, default=None))

    async def refuse_catalog_change(self, session: AsyncSession, release_id: str) -> NoReturn:
        await self.catalog(session, release_id)
        raise Conflict(
            f"catalog {release_id} is a published release, and releases are immutable: "
            "change drafts and publish them as a new release",
            code="PUBLISHED_IMMUTABLE",
        )

    async def create(
        self, session: AsyncSession, actor: Principal, kind: Kind, body: Any
    ) -> tuple[Json, str]:
        """A new draft from a TMF body: its projection and ETag."""
        translated = translate(kind, body)
        if translated.id is None:
            raise Unprocessable(
                f"a new {tmf_name(kind)} needs an id: Switchboard ids are stable and chosen by their author",
                code="ID_REQUIRED",
            )
        entity_id = translated.id
        if await self._has_draft(session, kind, entity_id):
            raise Conflict(
                f"{tmf_name(kind)} {entity_id} already has a draft: PATCH it (with If-Match) or DELETE it first",
                code="DRAFT_EXISTS",
            )
        if translated.version in await self._published_versions(session, kind, entity_id):
            raise immutable(kind, entity_id)
        document = new_document(kind, translated, entity_id)
        return await self._projected(session, await self.store.save_draft(session, actor, document, None))

    async def patch(
        self,
        session: AsyncSession,
        actor: Principal,
        kind: Kind,
        entity_id: str,
        body: Any,
        if_match: str | None,
    ) -> tuple[Json, str]:
        """The draft with a TMF merge patch applied: its projection and new ETag."""
        draft = await self._draft_or_conflict(session, kind, entity_id)
        translated = translate(kind, body)
        if translated.id not in (None, entity_id):
            raise InvalidBody(f"id is {entity_id} and cannot change; POST a new draft for another id")
        if translated.version in await self._published_versions(session, kind, entity_id):
            raise immutable(kind, entity_id)
        document = patched_document(draft.document, translated)
        return await self._projected(session, await self.store.save_draft(session, actor, document, if_match))

    async def delete(
        self, session: AsyncSession, actor: Principal, kind: Kind, entity_id: str, if_match: str | None
    ) -> None:
        await self._draft_or_conflict(session, kind, entity_id)
        await self.store.delete_draft(session, actor, kind, entity_id, if_match)

    async def _draft_or_conflict(self, session: AsyncSession, kind: Kind, entity_id: str) -> Draft:
        try:
            return await self.store.draft(session, kind, entity_id)
        except NotFound:
            if await self._published_versions(session, kind, entity_id):
                raise immutable(kind, entity_id) from None
            raise NotFound(f"{tmf_name(kind)} {entity_id} has no draft and was never published") from None

    async def _has_draft(self, session: AsyncSession, kind: Kind, entity_id: str) -> bool:
        try:
            await self.store.draft(session, kind, entity_id)
        except NotFound:
            return False
        return True

    async def _published_versions(self, session: AsyncSession, kind: Kind, entity_id: str) -> set[str]:
        """Every version of the entity any release published."""
        versions: set[str] = set()
        for info in await self.store.releases(session):
            held = await self.store.entities(session, info.id)
            versions |= {v.version for v in held if v.kind == kind.value and v.entity_id == entity_id}
        return versions


def _version(versions: Sequence[Entity], version: str) -> Entity | None:
    return next((v for v in versions if v.version == version), None)
