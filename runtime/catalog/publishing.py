"""From spec texts to what a release stores, and from drafts to a candidate release. No I/O but reading a
folder; the service does the queries.

Publishing a folder (or an upload):
1. Every document is parsed once here to learn the release id (a taken id is refused before the costly
   validation) and each entity version's digest.
2. The stored releases holding one of those entity versions with other content are loaded and passed to
   `validate_documents` as `published`, so an edited published version is reported, located, whichever
   release published it (not only the one in effect). With no contradiction, none needs loading.
3. `validate_documents` runs every layer, examples included; any error refuses the whole release.
4. What is stored is each document's canonical JSON. An effective date given at publish time replaces the
   manifest's `spec.effectiveDate` after validation (no check depends on it) and so enters the content
   hash: the stored manifest is the release's truth, and an export carries the date it was published with.

A candidate release from drafts is the release in effect at the candidate's effective date, minus every
version of each entity a draft names, plus the drafts, plus a new manifest. A draft thus replaces all
versions of its (kind, id): a scheduled change inside a release (two versions with disjoint validFor) is
drafted away by one draft. Drafts cannot remove an entity; an obsolete lifecycle status retires one.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from engine.spec.canonical import canonical_json, document_digest, release_hash
from engine.spec.common import API_VERSION, Kind, LifecycleStatus
from engine.spec.loader import SourceDocument
from engine.spec.located import parse_source
from engine.spec.parse_common import to_datetime
from engine.validation.report import ValidationReport
from runtime.api.errors import Unprocessable
from runtime.catalog.models import ID_LENGTH, ReleaseDocumentRow
from runtime.catalog.repository import VersionDigest

# The manifest fields a release made from drafts keeps from the release it starts from.
_INHERITED_MANIFEST_FIELDS = ("currency", "rounding", "defaultRegion")


class ReleaseRefused(Unprocessable):
    """A release (a folder, an upload or the drafts) with errors: nothing of it is stored."""

    code = "RELEASE_INVALID"

    def __init__(self, what: str, report: ValidationReport) -> None:
        count = len(report.errors)
        lines = "\n".join(str(error) for error in report)
        super().__init__(f"{what} is refused: {count} error{'s' if count != 1 else ''}:\n{lines}")
        self.report = report


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """One document as a release stores it: its key, the digest of its content, its canonical JSON."""

    kind: Kind
    entity_id: str
    version: str
    digest: str
    text: str

    @classmethod
    def of(cls, data: dict[str, Any]) -> StoredDocument:
        """From a document whose envelope is valid (after validation)."""
        metadata = data["metadata"]
        return cls(
            Kind(data["kind"]),
            metadata["id"],
            metadata["version"],
            document_digest(data),
            canonical_json(data),
        )

    @classmethod
    def from_row(cls, row: ReleaseDocumentRow) -> StoredDocument:
        return cls(Kind(row.kind), row.entity_id, row.version, row.digest, row.document)

    def row(self, release_id: str) -> ReleaseDocumentRow:
        return ReleaseDocumentRow(
            release_id=release_id,
            kind=self.kind.value,
            entity_id=self.entity_id,
            version=self.version,
            digest=self.digest,
            document=self.text,
        )

    def source(self, release_id: str) -> SourceDocument:
        """As an input of the loader, named after where it is stored."""
        return SourceDocument(f"release:{release_id}/{self.kind}/{self.entity_id}@{self.version}", self.text)


def parse_all(sources: Iterable[SourceDocument]) -> list[Any]:
    """The data of every readable document; the validation reports the unreadable ones."""
    return [
        document.data
        for source in sources
        for document in parse_source(source.file, source.text).documents
        if not document.problems
    ]


def _envelope(data: Any) -> tuple[Kind, str, str] | None:
    if not isinstance(data, dict) or not isinstance(metadata := data.get("metadata"), dict):
        return None
    kind, entity_id, version = data.get("kind"), metadata.get("id"), metadata.get("version")
    if not (isinstance(kind, str) and kind in Kind.__members__):
        return None
    if not (isinstance(entity_id, str) and isinstance(version, str)):
        return None
    return Kind(kind), entity_id, version


def version_digests(documents: Iterable[Any]) -> list[VersionDigest]:
    """The entity versions whose envelope is readable, with their digests."""
    found = []
    for data in documents:
        key = _envelope(data)
        if key is not None:
            found.append(VersionDigest(key[0].value, key[1], key[2], document_digest(data)))
    return found


def manifest_id(documents: Iterable[Any]) -> str | None:
    """The release id the first readable CatalogRelease declares."""
    for data in documents:
        key = _envelope(data)
        if key is not None and key[0] is Kind.CatalogRelease:
            return key[1]
    return None


def check_release_id(release_id: str) -> None:
    if len(release_id) > ID_LENGTH:
        raise Unprocessable(f"a release id has at most {ID_LENGTH} characters", code="RELEASE_ID_TOO_LONG")
    if not release_id.isprintable():  # a NUL or control character, which PostgreSQL text cannot even hold
        raise Unprocessable("a release id has no control characters", code="RELEASE_ID_INVALID")


def stored_documents(
    documents: Iterable[Any], effective_date: datetime | None = None
) -> list[StoredDocument]:
    """What a valid release stores; `effective_date` replaces the manifest's."""
    stored = []
    for data in documents:
        if effective_date is not None and data.get("kind") == Kind.CatalogRelease:
            data = copy.deepcopy(data)
            data["spec"]["effectiveDate"] = iso_datetime(effective_date)
        stored.append(StoredDocument.of(data))
    return stored


def candidate_hash(documents: Sequence[Any], effective_date: datetime | None) -> str | None:
    """The contentHash these documents would have as a release, when they look like one."""
    if any(_envelope(data) is None for data in documents):
        return None
    if sum(1 for data in documents if data.get("kind") == Kind.CatalogRelease) != 1:
        return None
    try:
        return content_hash(stored_documents(documents, effective_date))
    except (KeyError, TypeError, ValueError):  # a malformed manifest spec: validation will say where
        return None


def content_hash(documents: Sequence[StoredDocument]) -> str:
    """The release contentHash the loader computes for the same documents."""
    manifest = next(d for d in documents if d.kind is Kind.CatalogRelease)
    return release_hash(manifest.digest, (d.digest for d in documents if d is not manifest))


def iso_datetime(moment: datetime) -> str:
    """ISO 8601 in UTC with `Z`, as the spec language writes dates."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def draft_file(kind: Kind | str, entity_id: str) -> str:
    """How errors name a draft: `draft:ProductOffering/fibre-500`."""
    return f"draft:{kind}/{entity_id}"


def new_manifest(
    base: dict[str, Any] | None, release_id: str, name: str, effective_date: datetime
) -> dict[str, Any]:
    """The manifest of a release made from drafts: currency, rounding and region of the base release."""
    base_spec = base.get("spec", {}) if base is not None else {}
    spec = {key: base_spec[key] for key in _INHERITED_MANIFEST_FIELDS if key in base_spec}
    spec |= {"name": name, "effectiveDate": iso_datetime(effective_date)}
    return {
        "apiVersion": API_VERSION,
        "kind": Kind.CatalogRelease.value,
        "metadata": {"id": release_id, "version": "1"},
        "spec": spec,
    }


@dataclass(frozen=True, slots=True)
class DraftText:
    """A draft as the candidate needs it: its key and canonical JSON."""

    kind: Kind
    entity_id: str
    text: str


def overlaid(base: Sequence[StoredDocument], drafts: Sequence[DraftText]) -> list[StoredDocument]:
    """The base release's entity versions no draft replaces (a draft replaces all versions of its id)."""
    drafted = {(d.kind, d.entity_id) for d in drafts}
    return [d for d in base if d.kind is not Kind.CatalogRelease and (d.kind, d.entity_id) not in drafted]


def candidate_sources(
    base_id: str, kept: Sequence[StoredDocument], drafts: Sequence[DraftText], manifest: dict[str, Any]
) -> list[SourceDocument]:
    """The candidate release as loader input: the manifest, the kept base versions and the drafts."""
    release_file = f"draft:{Kind.CatalogRelease}/{manifest['metadata']['id']}"
    return [
        SourceDocument(release_file, canonical_json(manifest)),
        *(d.source(base_id) for d in kept),
        *(SourceDocument(draft_file(d.kind, d.entity_id), d.text) for d in drafts),
    ]


def lifecycle_of(document: Any) -> LifecycleStatus | None:
    """The document's status (spec default: active); None when what it holds is no status."""
    spec = document.get("spec") if isinstance(document, dict) else None
    if spec is None:
        return LifecycleStatus.active
    status = spec.get("lifecycleStatus", LifecycleStatus.active.value) if isinstance(spec, dict) else None
    return (
        LifecycleStatus(status) if isinstance(status, str) and status in LifecycleStatus.__members__ else None
    )


@dataclass(frozen=True, slots=True)
class PublishedVersion:
    version: str
    lifecycle: str | None
    document: str

    @classmethod
    def latest(cls, rows: Sequence[ReleaseDocumentRow]) -> PublishedVersion | None:
        """The version with the latest validFor start (versions of one entity are disjoint in time)."""
        found = [(json.loads(row.document, parse_float=Decimal), row) for row in rows]
        if not found:
            return None
        data, row = max(found, key=lambda pair: (_start(pair[0]), pair[1].version))
        status = lifecycle_of(data)
        return cls(row.version, None if status is None else status.value, row.document)


def _start(document: dict[str, Any]) -> datetime:
    start = document.get("spec", {}).get("validFor", {}).get("startDateTime")
    return datetime.min.replace(tzinfo=UTC) if start is None else to_datetime(start)
