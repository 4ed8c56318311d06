"""A draft against the published version in effect: what changed, field by field, and what breaks.

- Changes: the draft document compared with the published one, path by path (`$.spec.channel`,
  `$.spec.rules[1].condition`): objects key by key, lists element by element, extra elements added or
  removed at their index. These are the paths validation errors use, so the designer shows both at the
  same field.
- Breaking: `engine.diff.diff_releases` from the release in effect to the release that this one draft
  would make (`CatalogService.draft_candidate(only=...)`), so every breaking finding is this draft's doing,
  including those on other entities (a price raised on the offerings that list it). Each finding is put
  on the field it concerns (`_finding_path`) and marks the changes at or under it; a finding without such
  a change is listed on its own. When the draft does not load as part of a release (it is too incomplete),
  the changes are listed and `breakingChecked` is false.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from engine.diff import Change, diff_releases
from engine.spec.common import Entity, Kind
from engine.spec.release import CatalogRelease
from runtime.catalog import repository
from runtime.catalog.service import CatalogService


@dataclass
class FieldChange:
    path: str
    change: str  # added | removed | changed
    before: Any
    after: Any
    breaking: bool = False
    reasons: list[str] = field(default_factory=list)
    entity: tuple[Kind, str] | None = None  # another entity the change is found on (breaking findings)

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "path": self.path,
            "change": self.change,
            "before": self.before,
            "after": self.after,
            "breaking": self.breaking,
            "reason": "; ".join(self.reasons) or None,
        }
        if self.entity is not None:
            body["entity"] = {"kind": self.entity[0].value, "id": self.entity[1]}
        return body


def document_changes(before: Any, after: Any, path: str = "$") -> Iterator[FieldChange]:
    """Every difference between two JSON documents, at the deepest path where it shows."""
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in [*before, *(k for k in after if k not in before)]:
            child = f"{path}.{key}"
            if key not in after:
                yield FieldChange(child, "removed", before[key], None)
            elif key not in before:
                yield FieldChange(child, "added", None, after[key])
            else:
                yield from document_changes(before[key], after[key], child)
    elif isinstance(before, list) and isinstance(after, list) and not _scalars(before, after):
        for index in range(max(len(before), len(after))):
            child = f"{path}[{index}]"
            if index >= len(after):
                yield FieldChange(child, "removed", before[index], None)
            elif index >= len(before):
                yield FieldChange(child, "added", None, after[index])
            else:
                yield from document_changes(before[index], after[index], child)
    elif not _same(before, after):
        yield FieldChange(path, "changed", before, after)


def _scalars(*lists: list[Any]) -> bool:
    # A list of plain values (channels, segments) reads best as one value, before and after.
    return all(not isinstance(item, Mapping | list) for values in lists for item in values)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | Decimal) and isinstance(b, int | Decimal):
        return Decimal(a) == Decimal(b)
    return bool(a == b)


# Where a finding of engine.diff lies in the document of the entity it is reported on, by how its
# description starts (engine/diff/breaking.py and prices.py word them).
_OWN_FIELD = (
    ("channel narrowed", "$.spec.channel"),
    ("marketSegment narrowed", "$.spec.marketSegment"),
    ("eligibilityPolicy:", "$.spec.eligibilityPolicy"),
    ("rule ", "$.spec.rules"),
    ("condition of rule ", "$.spec.rules"),
    ("characteristic ", "$.spec.productSpecCharacteristic"),
    ("value ", "$.spec.productSpecCharacteristic"),
    ("range of ", "$.spec.productSpecCharacteristic"),
    ("version ", "$.metadata.version"),
    ("new charge ", "$.spec.productOfferingPrice"),
    ("discount ", "$.spec.productOfferingPrice"),
    ("price ", "$.spec.productOfferingPrice"),
    ("retired while bundle", "$.spec.lifecycleStatus"),
    ("obsolete while bundle", "$.spec.lifecycleStatus"),
    ("removed while bundle", "$.spec.lifecycleStatus"),
)
# A price's own finding, after "price <id> version <v>: ".
_PRICE_FIELD = (
    ("price raised", "$.spec.price"),
    ("price changed currency", "$.spec.price"),
    ("row ", "$.spec.matrix"),
    ("matrix ", "$.spec.matrix"),
    ("tier ", "$.spec.tiers"),
    ("included allowance", "$.spec.includedAllowance"),
    ("discount reduced: ", "$.spec.percentage"),
    ("discount duration", "$.spec.applicationDuration"),
    ("charge changed", "$.spec.priceType"),
)


def _first(table: tuple[tuple[str, str], ...], text: str) -> str | None:
    return next((path for prefix, path in table if text.startswith(prefix)), None)


def _finding_path(finding: Change, kind: Kind, entity_id: str) -> tuple[str | None, tuple[Kind, str] | None]:
    """The draft's field a breaking finding concerns (None: no one field), and the other entity it is
    reported on, if any."""
    if (finding.kind, finding.id) == (kind, entity_id):
        return _first(_OWN_FIELD, finding.description), None
    other = (finding.kind, finding.id)
    if kind is Kind.ProductOfferingPrice and finding.description.startswith(f"price {entity_id} version "):
        detail = finding.description.split(": ", 1)[-1]
        path = _first(_PRICE_FIELD, detail)
        if path == "$.spec.percentage" and "%" not in detail:
            path = "$.spec.price"  # a fixed discount reduced
        return path, other
    if kind is Kind.ProductOffering and "while bundle" in finding.description:
        return "$.spec.bundledProductOffering", other
    return None, other


def _mark(
    changes: list[FieldChange], finding: Change, path: str | None, other: tuple[Kind, str] | None
) -> None:
    """Mark the changes at or under `path` breaking; list the finding on its own when there are none."""
    reason = f"{finding.reason}: {finding.description}"
    if other is not None:
        reason = f"{reason} ({other[0]} {other[1]})"
    hit = (
        []
        if path is None
        else [c for c in changes if c.path == path or c.path.startswith((f"{path}.", f"{path}["))]
    )
    for change in hit:
        change.breaking = True
        change.reasons.append(reason)
    if not hit:
        changes.append(FieldChange(path or "$", "changed", None, None, True, [reason], other))


@dataclass(frozen=True, slots=True)
class Against:
    release: str
    version: str
    document: dict[str, Any]


async def draft_diff(
    session: AsyncSession, catalog: CatalogService, kind: Kind, entity_id: str
) -> dict[str, Any]:
    """`{against, changes, breakingChecked, breakingCount}` for the draft of (kind, id)."""
    draft = await catalog.draft(session, kind, entity_id)
    against = await _against(session, catalog, kind, entity_id)
    if against is None:
        changes = [FieldChange("$", "added", None, draft.document)]
    else:
        changes = list(document_changes(against.document, draft.document))
    checked = against is None
    if against is not None:
        validation = await catalog.draft_candidate(session, only=(kind, entity_id))
        if validation.releases:
            old = (await catalog.active(session, against.release)).release
            _breaking(changes, old, validation.releases[0], kind, entity_id)
            checked = True
    return {
        "kind": kind.value,
        "id": entity_id,
        "against": None if against is None else {"release": against.release, "version": against.version},
        "breakingChecked": checked,
        "breakingCount": sum(change.breaking for change in changes),
        "changes": [change.to_dict() for change in changes],
    }


def _breaking(
    changes: list[FieldChange], old: CatalogRelease, new: CatalogRelease, kind: Kind, entity_id: str
) -> None:
    # The release in effect may hold a breaking change of its own (a rise scheduled inside it): the
    # engine reports it from the release to itself as well. Only what the draft adds is the draft's.
    already = set(diff_releases(old, old).breaking)
    for finding in diff_releases(old, new).breaking:
        if finding.kind is Kind.CatalogRelease or finding in already:
            continue
        path, other = _finding_path(finding, kind, entity_id)
        _mark(changes, finding, path, other)


async def _against(
    session: AsyncSession, catalog: CatalogService, kind: Kind, entity_id: str
) -> Against | None:
    """The published version in effect now of the entity, in the release in effect; None when new."""
    base = await repository.release_in_effect(session, catalog.clock())
    if base is None:
        return None
    release = (await catalog.active(session, base.id)).release
    version = _version_now(release, kind, entity_id, catalog)
    if version is None:
        return None
    rows = await repository.entity_documents(session, base.id, kind.value, entity_id)
    row = next(row for row in rows if row.version == version)
    return Against(base.id, version, json.loads(row.document, parse_float=Decimal))


def _version_now(release: CatalogRelease, kind: Kind, entity_id: str, catalog: CatalogService) -> str | None:
    versions = release.versions(kind, entity_id)
    if not versions:
        return None
    cls: type[Entity] = type(versions[0])
    found = release.find(cls, entity_id, catalog.clock()) or release.find(cls, entity_id)
    return None if found is None else found.version
