"""Drafts: entity documents being worked on, saved with optimistic concurrency, published as a release.

- A draft is one full document (apiVersion, kind, metadata, spec) per (kind, id). Saving needs only a JSON
  object with a known `kind` (not CatalogRelease: a release made from drafts gets its manifest at publish)
  and a `metadata.id` that is an identifier (it is the draft's key and URL); anything else may be missing
  or wrong. Validation reports it; publishing
  refuses it. Numbers are kept exact (floats given in Python become the decimal of their shortest text).
- A draft without `metadata.version` gets one: the next integer after every version of that entity ever
  published. Editing a published entity is drafting its id; `basedOnVersion` is then its latest version in
  the release in effect. The draft must carry a new version; one that reuses a published version with
  other content is a validation error, located at the draft.
- ETag: `"<revision>-<sha256 of the document, 16 hex>"`; the revision makes every save a new ETag, even one
  that writes the same content back. Replacing or deleting a draft needs `If-Match` with its current ETag
  (`*` matches any existing draft): stale is 412, missing is 428 (Precondition Required), and an
  `If-Match` naming a draft that does not exist is 412. Without `If-Match`, a save only creates.
  Writes are compare-and-set on the ETag, so two concurrent writers cannot both win.
- Lifecycle: every status change, by the lifecycle action or by a save that writes another
  `lifecycleStatus`, goes through `engine.lifecycle.transition` (409 naming the allowed targets). A new
  entity's first status is free, as in a published folder. The action on an entity that has no draft yet
  drafts its published version under the next version.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from engine.lifecycle import transition
from engine.spec.canonical import canonical_json
from engine.spec.common import Kind, LifecycleStatus
from runtime.api.errors import NotFound, PreconditionFailed, PreconditionRequired, Unprocessable
from runtime.audit.service import record
from runtime.auth.roles import Principal
from runtime.catalog import repository
from runtime.catalog.contracts import Draft
from runtime.catalog.models import ID_LENGTH, DraftRow
from runtime.catalog.publishing import PublishedVersion, lifecycle_of

DRAFTABLE = frozenset(Kind) - {Kind.CatalogRelease}
IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9.-]*\Z")  # the spec language's Identifier


class InvalidDraft(Unprocessable):
    code = "INVALID_DRAFT"


def draftable_kind(value: Any) -> Kind:
    if not isinstance(value, str) or value not in Kind.__members__ or Kind(value) not in DRAFTABLE:
        names = ", ".join(sorted(DRAFTABLE))
        raise InvalidDraft(f"a draft needs a kind, one of: {names}; got {value!r}")
    return Kind(value)


def draft_key(document: Any) -> tuple[Kind, str]:
    """The (kind, id) of a document to save as a draft: the only things a draft must have."""
    if not isinstance(document, dict):
        raise InvalidDraft("a draft is a JSON object: a spec document with apiVersion, kind, metadata, spec")
    kind = draftable_kind(document.get("kind"))
    metadata = document.get("metadata")
    entity_id = metadata.get("id") if isinstance(metadata, dict) else None
    # The id is the draft's key and its URL: it must be one, or the draft could not be reached to fix it.
    if not isinstance(entity_id, str) or not IDENTIFIER.match(entity_id) or len(entity_id) > ID_LENGTH:
        raise InvalidDraft(
            f"a draft needs metadata.id: up to {ID_LENGTH} lower-case letters, digits, dots and dashes, "
            "starting with a letter or digit"
        )
    return kind, entity_id


def exact(value: Any) -> Any:
    """A copy of plain data with every float as an exact decimal; other types than JSON's are refused."""
    try:
        return _exact(value)
    except RecursionError:
        raise InvalidDraft("the document nests too deeply") from None


def _exact(value: Any) -> Any:
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise InvalidDraft("object keys must be strings")
        return {key: _exact(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_exact(item) for item in value]
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidDraft(f"{value} is not a number a spec can hold")
        return Decimal(repr(value))
    if value is None or isinstance(value, str | int | Decimal):
        return value
    raise InvalidDraft(f"a {type(value).__name__} has no place in a spec document")


def parse_json(body: bytes) -> Any:
    """A request body as plain data with exact decimals, never through a binary float."""
    try:
        return json.loads(body, parse_float=Decimal, parse_constant=_no_constant)
    except RecursionError:
        raise InvalidDraft("the document nests too deeply") from None
    except ValueError as error:
        raise InvalidDraft(f"the body is not JSON: {error}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def make_etag(revision: int, text: str) -> str:
    return f'"{revision}-{hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]}"'


def if_match_holds(header: str, etag: str) -> bool:
    """RFC 9110 If-Match with strong comparison: a list of ETags, or `*`."""
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or etag in tags


def require_match(row: DraftRow | None, kind: Kind, entity_id: str, if_match: str | None) -> DraftRow:
    """The draft a replace or delete may change, or why it may not."""
    if row is None:
        if if_match is not None:
            raise PreconditionFailed(f"If-Match names a draft of {kind} {entity_id} that does not exist")
        raise NotFound(f"there is no draft of {kind} {entity_id}")
    if if_match is None:
        raise PreconditionRequired(
            f"the draft of {kind} {entity_id} exists: send If-Match with its ETag to change it",
        )
    if not if_match_holds(if_match, row.etag):
        raise PreconditionFailed(
            f"the draft of {kind} {entity_id} has changed (ETag {row.etag}): read it again and redo the change",
        )
    return row


def checked_lifecycle(previous: str | None, document: Any) -> str | None:
    """The status a saved document moves to, through the transition table; the previous one kept when
    the document holds no valid status."""
    status = lifecycle_of(document)
    if status is None:
        return previous
    if previous is not None and status != previous:
        transition(LifecycleStatus(previous), status)
    return status.value


def with_lifecycle(document: dict[str, Any], status: LifecycleStatus) -> dict[str, Any]:
    spec = document.get("spec", {})
    if not isinstance(spec, dict):
        raise InvalidDraft("the draft's spec is not an object: fix it before changing its lifecycle status")
    return {**document, "spec": {**spec, "lifecycleStatus": status.value}}


def with_version(document: dict[str, Any], version: str) -> dict[str, Any]:
    metadata = document.get("metadata", {})
    return {**document, "metadata": {**metadata, "version": version}}


def has_version(document: dict[str, Any]) -> bool:
    metadata = document.get("metadata")
    return isinstance(metadata, dict) and "version" in metadata


def next_version(published: Iterable[str]) -> str:
    """The next integer after every integer version published (non-integer versions are skipped over)."""
    taken = set(published)
    candidate = max((int(v) for v in taken if v.isdigit()), default=0) + 1
    while str(candidate) in taken:
        candidate += 1
    return str(candidate)


def canonical_text(document: dict[str, Any]) -> str:
    try:
        return canonical_json(document)
    except (TypeError, ValueError) as error:
        raise InvalidDraft(f"the document cannot be stored: {error}") from None


def to_draft(row: DraftRow) -> Draft:
    return Draft(
        kind=Kind(row.kind),
        id=row.entity_id,
        document=json.loads(row.document, parse_float=Decimal),
        etag=row.etag,
        updatedAt=row.updated_at,
        updatedBy=row.updated_by,
        basedOnVersion=row.based_on_version,
    )


def audit_form(text: str | None) -> Any:
    """A stored document as the audit log's JSON column can hold it."""
    return None if text is None else json.loads(text)


class DraftBook:
    """The drafts half of the catalog store (`CatalogService` is one); `clock` tells which release is in
    effect, for basedOnVersion."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock

    async def drafts(self, session: AsyncSession, kind: Kind | None = None) -> list[Draft]:
        return [to_draft(row) for row in await repository.drafts(session, kind and kind.value)]

    async def draft(self, session: AsyncSession, kind: Kind, entity_id: str) -> Draft:
        row = await repository.draft(session, kind.value, entity_id)
        if row is None:
            raise NotFound(f"there is no draft of {kind} {entity_id}")
        return to_draft(row)

    async def save_draft(
        self, session: AsyncSession, actor: Principal, document: dict[str, Any], if_match: str | None
    ) -> Draft:
        """Create (no if_match, no draft yet) or replace a draft; see the module docstring."""
        kind, entity_id = draft_key(document)
        document = exact(document)
        row = await repository.draft(session, kind.value, entity_id)
        if row is None and if_match is None:
            return await self._create(session, actor, kind, entity_id, document)
        row = require_match(row, kind, entity_id, if_match)
        return await self._replace(session, actor, row, document)

    async def delete_draft(
        self, session: AsyncSession, actor: Principal, kind: Kind, entity_id: str, if_match: str | None
    ) -> None:
        row = require_match(await repository.draft(session, kind.value, entity_id), kind, entity_id, if_match)
        before = audit_form(row.document)
        if not await repository.remove_drafts(session, [row]):
            raise _changed_meanwhile(kind, entity_id)
        await record(session, actor, "draft.delete", kind.value, entity_id, before, None)

    async def change_lifecycle(
        self,
        session: AsyncSession,
        actor: Principal,
        kind: Kind,
        entity_id: str,
        status: LifecycleStatus,
        if_match: str | None = None,
    ) -> Draft:
        """Move the draft to `status` through the transition table; with no draft yet, draft the published
        version under the next version first. `if_match` is optional: the change is compare-and-set."""
        row = await repository.draft(session, kind.value, entity_id)
        if row is None:
            if if_match is not None:
                require_match(row, kind, entity_id, if_match)
            published = await self._published(session, kind, entity_id)
            if published.latest is None:
                raise NotFound(f"there is no draft of {kind} {entity_id} nor a published version to draft")
            document = json.loads(published.latest.document, parse_float=Decimal)
            document = with_version(document, next_version(published.versions))
            return await self._create(session, actor, kind, entity_id, with_lifecycle(document, status))
        if if_match is not None:
            require_match(row, kind, entity_id, if_match)
        if row.lifecycle_status is not None:  # None: a new entity that never had a valid status
            transition(LifecycleStatus(row.lifecycle_status), status)
        document = with_lifecycle(json.loads(row.document, parse_float=Decimal), status)
        return await self._replace(session, actor, row, document, "draft.lifecycle")

    async def _create(
        self, session: AsyncSession, actor: Principal, kind: Kind, entity_id: str, document: dict[str, Any]
    ) -> Draft:
        published = await self._published(session, kind, entity_id)
        latest = published.latest
        status = checked_lifecycle(None if latest is None else latest.lifecycle, document)
        if not has_version(document):
            document = with_version(document, next_version(published.versions))
        text = canonical_text(document)
        row = DraftRow(
            kind=kind.value,
            entity_id=entity_id,
            document=text,
            etag=make_etag(1, text),
            based_on_version=None if latest is None else latest.version,
            lifecycle_status=status,
            updated_at=self.clock(),
            updated_by=actor.name,
        )
        if not await repository.write_draft(session, row):
            raise PreconditionRequired(f"a draft of {kind} {entity_id} was just created: send If-Match")
        await record(session, actor, "draft.create", kind.value, entity_id, None, audit_form(text))
        return to_draft(row)

    async def _replace(
        self,
        session: AsyncSession,
        actor: Principal,
        row: DraftRow,
        document: dict[str, Any],
        action: str = "draft.update",
    ) -> Draft:
        kind = Kind(row.kind)
        status = checked_lifecycle(row.lifecycle_status, document)
        if not has_version(document):
            stored = json.loads(row.document).get("metadata", {}).get("version")
            published = await self._published(session, kind, row.entity_id)
            document = with_version(document, stored or next_version(published.versions))
        before, text = row.document, canonical_text(document)
        row.document, row.etag, row.lifecycle_status = text, make_etag(row.revision + 1, text), status
        row.updated_at, row.updated_by = self.clock(), actor.name
        if not await repository.write_draft(session, row):
            raise _changed_meanwhile(kind, row.entity_id)
        await record(session, actor, action, row.kind, row.entity_id, audit_form(before), audit_form(text))
        return to_draft(row)

    async def _published(self, session: AsyncSession, kind: Kind, entity_id: str) -> Published:
        current = await repository.release_in_effect(session, self.clock())
        rows = (
            []
            if current is None
            else await repository.entity_documents(session, current.id, kind.value, entity_id)
        )
        return Published(
            latest=PublishedVersion.latest(rows),
            versions=await repository.versions_ever_published(session, kind.value, entity_id),
        )


def _changed_meanwhile(kind: Kind, entity_id: str) -> PreconditionFailed:
    return PreconditionFailed(f"the draft of {kind} {entity_id} changed meanwhile: read it again")


@dataclass(frozen=True, slots=True)
class Published:
    latest: PublishedVersion | None
    versions: set[str]
