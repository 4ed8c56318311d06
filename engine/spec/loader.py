"""Load a catalog release: every document read, checked against its schema, parsed, and hashed.

Every syntax, schema and parse error of every file is collected, not only the first; a release with any
error is never half-loaded (`release` is None). The semantic checks across entities run afterwards, on a
loaded release, in `engine.validation`. Everything the loader itself reports is in the syntax or schema
layer, duplicate entity versions and the one-manifest rule included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from engine.spec.canonical import document_digest, release_hash
from engine.spec.common import Entity, EntityKey, Kind, SourceInfo
from engine.spec.located import LocatedDocument, parse_source
from engine.spec.parse import parse_entity
from engine.spec.parse_common import SpecParseError
from engine.spec.parse_schema import schema_errors
from engine.spec.release import CatalogRelease, ReleaseManifest
from engine.validation.report import SpecError, ValidationReport

SPEC_SUFFIXES = frozenset({".yaml", ".yml", ".json"})


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """The text of one spec file; `file` is how errors name it."""

    file: str
    text: str


@dataclass(frozen=True, slots=True)
class LoadResult:
    release: CatalogRelease | None
    report: ValidationReport

    @property
    def ok(self) -> bool:
        return self.release is not None


def load_release(path: Path) -> LoadResult:
    """Load the release folder at `path`: every *.yaml, *.yml and *.json file below it, in name order."""
    documents, unreadable = read_folder(path)
    if not path.is_dir():
        return LoadResult(None, ValidationReport.of(unreadable))
    result = load_documents(documents, origin=str(path))
    return LoadResult(None, result.report.merged(unreadable)) if unreadable else result


def read_folder(path: Path) -> tuple[list[SourceDocument], list[SpecError]]:
    """The spec files of a release folder, and an error for each one that cannot be read (or the folder)."""
    if not path.is_dir():
        message = f"{path} is not a folder; a release is a folder of spec files"
        return [], [SpecError(str(path), 1, 1, "$", message, "NOT_A_RELEASE", "schema")]
    documents: list[SourceDocument] = []
    unreadable: list[SpecError] = []
    for file in _spec_files(path):
        try:
            documents.append(SourceDocument(str(file), file.read_text(encoding="utf-8-sig")))
        except (OSError, UnicodeDecodeError) as error:
            message = f"cannot read the file: {error}"
            unreadable.append(SpecError(str(file), 1, 1, "$", message, "UNREADABLE", "syntax"))
    return documents, unreadable


def _spec_files(folder: Path) -> list[Path]:
    # Hidden files and folders (.git, editor swap files) are not part of a release.
    files = (
        file
        for file in folder.rglob("*")
        if file.suffix.lower() in SPEC_SUFFIXES
        and file.is_file()
        and not any(part.startswith(".") for part in file.relative_to(folder).parts)
    )
    return sorted(files, key=lambda file: file.relative_to(folder).as_posix())


def load_documents(documents: Iterable[SourceDocument], *, origin: str = "<documents>") -> LoadResult:
    """Load a release from in-memory texts, e.g. drafts sent to the API; `origin` names the whole set."""
    collector = _Collector()
    for source in documents:
        parsed = parse_source(source.file, source.text)
        collector.errors.extend(parsed.errors)
        for document in parsed.documents:
            collector.add(document)
    manifest = collector.manifest(origin)
    if collector.errors or manifest is None:
        return LoadResult(None, ValidationReport.of(collector.errors))
    entities = tuple(sorted((e for e in collector.entities if e is not manifest), key=_entity_order))
    content_hash = release_hash(manifest.source.digest, (e.source.digest for e in entities))
    return LoadResult(CatalogRelease(manifest, entities, content_hash), ValidationReport())


def _entity_order(entity: Entity) -> tuple[str, str, str]:
    return (entity.kind.value, entity.id, entity.version)


@dataclass
class _Collector:
    """The documents read so far: their entities, their errors, and where each entity version is."""

    entities: list[Entity] = field(default_factory=list)
    errors: list[SpecError] = field(default_factory=list)
    seen: dict[EntityKey, LocatedDocument] = field(default_factory=dict)
    manifests: list[LocatedDocument] = field(default_factory=list)

    def add(self, document: LocatedDocument) -> None:
        if document.problems:
            return  # its data is incomplete; the syntax errors already say why
        if isinstance(document.data, dict) and document.data.get("kind") == Kind.CatalogRelease:
            self.manifests.append(document)
        self._check_unique(document)
        problems = schema_errors(document)
        if problems:
            self.errors.extend(problems)
            return
        source = SourceInfo(document.file, document.positions, document_digest(document.data))
        try:
            self.entities.append(parse_entity(document.data, source))
        except SpecParseError as error:
            self.errors.extend(_error(document, p.path, p.message, p.code) for p in error.problems)

    def _check_unique(self, document: LocatedDocument) -> None:
        key = _envelope_key(document)
        if key is None:
            return
        first = self.seen.setdefault(key, document)
        if first is not document:
            where = _where(first, "$.metadata.id")
            message = f"{key} is defined twice; the first is at {where}"
            self.errors.append(_error(document, "$.metadata.id", message, "DUPLICATE_ENTITY"))

    def manifest(self, origin: str) -> ReleaseManifest | None:
        """The one CatalogRelease; a missing or extra one is an error."""
        if not self.manifests:
            message = "no CatalogRelease document; a release holds exactly one (by convention release.yaml)"
            self.errors.append(SpecError(origin, 1, 1, "$", message, "MISSING_RELEASE", "schema"))
            return None
        first, *extra = self.manifests
        for document in extra:
            message = f"a release holds exactly one CatalogRelease; the first is at {_where(first, '$.kind')}"
            self.errors.append(_error(document, "$.kind", message, "MULTIPLE_RELEASES"))
        return next((e for e in self.entities if isinstance(e, ReleaseManifest)), None)


def _envelope_key(document: LocatedDocument) -> EntityKey | None:
    """The (kind, id, version) a document declares, when its envelope is readable enough to tell."""
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("metadata"), dict):
        return None
    kind, entity_id, version = data.get("kind"), data["metadata"].get("id"), data["metadata"].get("version")
    if not (isinstance(kind, str) and kind in Kind.__members__):
        return None
    if not (isinstance(entity_id, str) and isinstance(version, str)):
        return None
    return EntityKey(Kind(kind), entity_id, version)


def _where(document: LocatedDocument, path: str) -> str:
    line, column = document.locate(path)
    return f"{document.file}:{line}:{column}"


def _error(document: LocatedDocument, path: str, message: str, code: str) -> SpecError:
    line, column = document.locate(path)
    return SpecError(document.file, line, column, path, message, code, "schema")
