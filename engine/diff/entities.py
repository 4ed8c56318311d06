"""Changes every entity can have: added, removed, new or dropped versions, edited versions, field changes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields

from engine.diff.common import effective, show
from engine.diff.model import Change
from engine.spec.common import Entity, Kind
from engine.spec.release import CatalogRelease

# Fields a diff does not list: identity, where the file lives, and the examples (tests, not offer terms).
_SKIPPED = {"id", "version", "name", "source", "examples"}


def field_changes(kind: Kind, entity_id: str, before: Entity, after: Entity) -> Iterator[Change]:
    """One change per differing field, with old → new values where they read in one line."""
    for f in fields(after):
        if f.name in _SKIPPED or not hasattr(before, f.name):
            continue
        old, new = getattr(before, f.name), getattr(after, f.name)
        if old == new:
            continue
        old_text, new_text = show(old), show(new)
        if old_text is None or new_text is None:
            yield Change(kind, entity_id, f"{f.name} changed")
        else:
            yield Change(kind, entity_id, f"{f.name}: {old_text} → {new_text}")


def _differs(a: Entity, b: Entity) -> bool:
    if a.source.digest and b.source.digest:
        return a.source.digest != b.source.digest
    return a != b


def _version_changes(
    kind: Kind, entity_id: str, old: CatalogRelease, new: CatalogRelease
) -> Iterator[Change]:
    before = {v.version: v for v in old.versions(kind, entity_id)}
    after = {v.version: v for v in new.versions(kind, entity_id)}
    for version, entity in after.items():
        if version not in before:
            yield Change(kind, entity_id, f"new version {version} (valid {show(entity.validFor)})")
        elif _differs(before[version], entity):
            yield Change(
                kind,
                entity_id,
                f"version {version} edited without a new version number",
                breaking=True,
                reason="a published entity never changes: a change is a new version",
            )
    for version in before:
        if version not in after:
            yield Change(kind, entity_id, f"version {version} dropped")


def _entity_changes(kind: Kind, entity_id: str, old: CatalogRelease, new: CatalogRelease) -> Iterator[Change]:
    if not old.has(kind, entity_id):
        versions = ", ".join(v.version for v in new.versions(kind, entity_id))
        yield Change(kind, entity_id, f"added (version {versions})")
        return
    if not new.has(kind, entity_id):
        yield Change(kind, entity_id, "removed")
        return
    yield from _version_changes(kind, entity_id, old, new)
    cls = type(old.versions(kind, entity_id)[0])
    before, after = effective(old, cls, entity_id), effective(new, cls, entity_id)
    if before is not None and after is not None:
        yield from field_changes(kind, entity_id, before, after)


def entity_changes(old: CatalogRelease, new: CatalogRelease) -> Iterator[Change]:
    """Changes of every entity, comparing the versions in effect on each release's effective date."""
    for kind in Kind:
        for entity_id in sorted(set(old.ids(kind)) | set(new.ids(kind))):
            yield from _entity_changes(kind, entity_id, old, new)
    yield from field_changes(Kind.CatalogRelease, new.id, old.manifest, new.manifest)
