"""The catalog store's tables: published releases with their documents, and drafts.

- `catalog_release`: one row per published release, never updated nor deleted (no code path does either;
  the service is the only writer). `id` is the manifest's `metadata.id`.
- `catalog_release_document`: every document of a release (the manifest included, kind `CatalogRelease`)
  as its canonical JSON (`engine.spec.canonical`), so an export writes back exactly the bytes whose
  digests make the stored content hash.
- `catalog_draft`: one draft document per (kind, id), as canonical JSON text rather than a JSON column:
  documents carry exact decimals, which a JSON column would round-trip through binary floats.

The tables are prefixed `catalog_` because RELEASE is an SQL keyword on both databases.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from runtime.db.base import Base, UtcDateTime, utcnow

# Ids that reach the audit log (release ids, draft entity ids) fit its entity_id column.
ID_LENGTH = 200


class ReleaseRow(Base):
    __tablename__ = "catalog_release"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    effective_date: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(200))
    entity_count: Mapped[int] = mapped_column(Integer)


class ReleaseDocumentRow(Base):
    __tablename__ = "catalog_release_document"
    __table_args__ = (
        UniqueConstraint(
            "release_id", "kind", "entity_id", "version", name="uq_catalog_release_document_key"
        ),
        Index("ix_catalog_release_document_entity", "release_id", "kind", "entity_id"),
        Index("ix_catalog_release_document_version", "kind", "entity_id", "version"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    release_id: Mapped[str] = mapped_column(ForeignKey("catalog_release.id"))
    kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String)
    version: Mapped[str] = mapped_column(String)
    digest: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)  # canonical JSON


class DraftRow(Base):
    """`revision` is SQLAlchemy's version counter: an UPDATE or DELETE matches only the revision read, so
    of two concurrent writers one fails (StaleDataError), whatever their If-Match said."""

    __tablename__ = "catalog_draft"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    document: Mapped[str] = mapped_column(Text)  # canonical JSON; may be incomplete or invalid
    revision: Mapped[int] = mapped_column(Integer)
    etag: Mapped[str] = mapped_column(String(64))
    based_on_version: Mapped[str | None] = mapped_column(String, nullable=True)
    # The last valid status the draft had (or its published version had): what the transition table
    # checks the next change against, so that passing through an invalid value cannot skip the table.
    lifecycle_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200))

    __mapper_args__ = {"version_id_col": revision}
