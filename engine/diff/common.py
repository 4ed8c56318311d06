"""Which versions a diff compares, and how values read in a report."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from engine.money import Money
from engine.spec.common import Entity, TimePeriod
from engine.spec.release import CatalogRelease

E = TypeVar("E", bound=Entity)
_LONG_TEXT = 80


def effective(release: CatalogRelease, cls: type[E], entity_id: str) -> E | None:
    """The version in effect on the release's effective date, else the latest one."""
    return release.find(cls, entity_id, release.effectiveDate) or release.find(cls, entity_id)


def upcoming(release: CatalogRelease, cls: type[E], entity_id: str) -> list[E]:
    """Versions in effect on the release's effective date or later: a scheduled change counts too."""
    found: list[E] = []
    for version in release.versions(cls.kind, entity_id):
        end = version.validFor.endDateTime
        if end is None or end > release.effectiveDate:
            assert isinstance(version, cls)
            found.append(version)
    return found


def _period(period: TimePeriod) -> str:
    start, end = period.startDateTime, period.endDateTime
    if start and end:
        return f"{start.isoformat()}..{end.isoformat()}"
    if start:
        return f"from {start.isoformat()}"
    return f"until {end.isoformat()}" if end else "always"


def show(value: object) -> str | None:
    """A value as a report prints it, or None for a composite whose detail lives in the spec files."""
    if value is None:
        return "none"
    if isinstance(value, Money):
        return f"{value.value} {value.unit}"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, TimePeriod):
        return _period(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return f"[{', '.join(value)}]"
    if isinstance(value, str) and len(value) > _LONG_TEXT:
        return None  # a paragraph of description: naming the field says enough
    if isinstance(value, str | int | Decimal | bool):
        return str(value)
    return None
