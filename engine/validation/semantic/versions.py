"""Versions: one entity version once per release, disjoint validity, and no published version ever edited."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from engine.spec.common import Entity, EntityKey
from engine.spec.release import CatalogRelease
from engine.validation.report import SpecError
from engine.validation.semantic.codes import SemanticCode
from engine.validation.semantic.common import entity_groups, spec_error


def _pair_errors(earlier: Entity, later: Entity) -> Iterator[SpecError]:
    if earlier.version == later.version:
        message = f"{later.kind} {later.id} version {later.version} appears twice in the release"
        yield spec_error(later, "$.metadata.version", message, SemanticCode.DUPLICATE_ENTITY_VERSION)
    elif earlier.validFor.overlaps(later.validFor):
        message = (
            f"validFor overlaps version {earlier.version} of {later.kind} {later.id}: "
            "which one is in effect would be ambiguous"
        )
        yield spec_error(later, "$.spec.validFor", message, SemanticCode.OVERLAPPING_VERSIONS)


def check_versions(release: CatalogRelease) -> Iterator[SpecError]:
    """Versions of one entity never overlap in time, and no version is declared twice."""
    for versions in entity_groups(release):
        for j, later in enumerate(versions):
            for earlier in versions[:j]:
                yield from _pair_errors(earlier, later)


def _differs(a: Entity, b: Entity) -> bool:
    # The loader's digest is the authority; entities built in memory carry none, so compare their fields.
    if a.source.digest and b.source.digest:
        return a.source.digest != b.source.digest
    return a != b


def check_published_versions(releases: Sequence[CatalogRelease]) -> Iterator[SpecError]:
    """An entity version present in two releases is identical in both."""
    published: dict[EntityKey, tuple[CatalogRelease, Entity]] = {}
    for release in releases:
        for entity in release.entities:
            first = published.setdefault(entity.key, (release, entity))
            if first[1] is not entity and _differs(first[1], entity):
                message = (
                    f"{entity.kind} {entity.id} version {entity.version} differs from the same version in "
                    f"release {first[0].id}: a published entity never changes: a change is a new version"
                )
                yield spec_error(
                    entity, "$.metadata.version", message, SemanticCode.CHANGED_WITHOUT_NEW_VERSION
                )
