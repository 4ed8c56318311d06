"""Release diff: what changed between two catalog releases, and which changes break existing customers."""

from __future__ import annotations

from engine.diff.breaking import bundle_components, characteristic_values, eligibility
from engine.diff.entities import entity_changes
from engine.diff.model import Change, ReleaseDiff, ordered
from engine.diff.prices import price_raises
from engine.spec.release import CatalogRelease

__all__ = ["Change", "ReleaseDiff", "diff_releases"]


def diff_releases(old: CatalogRelease, new: CatalogRelease) -> ReleaseDiff:
    """Every change from `old` to `new`, per entity, breaking ones marked with their reason."""
    changes = [
        *entity_changes(old, new),
        *price_raises(old, new),
        *bundle_components(old, new),
        *characteristic_values(old, new),
        *eligibility(old, new),
    ]
    return ReleaseDiff(old.id, new.id, ordered(changes))
