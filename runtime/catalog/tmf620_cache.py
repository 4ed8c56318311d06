"""Projected TMF620 lists, computed once per release, resource type and validity interval.

A published release never changes, and a projection depends on the moment it is read at only through
which entity versions are in effect then. Between two consecutive validFor boundaries of the release
the projection is therefore the same, so it is cached under (content hash, kind, interval). Drafts are
never cached.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from engine.spec.common import Kind
from engine.spec.release import CatalogRelease
from runtime.catalog.tmf620_common import Json

MAX_ENTRIES = 64

_boundaries: dict[str, list[datetime]] = {}
_lists: OrderedDict[tuple[str, Kind, int], list[Json]] = OrderedDict()
_lock = threading.Lock()


def _interval(release: CatalogRelease, at: datetime) -> int:
    points = _boundaries.get(release.contentHash)
    if points is None:
        moments = {
            moment
            for entity in release.entities
            for moment in (entity.validFor.startDateTime, entity.validFor.endDateTime)
            if moment is not None
        }
        points = _boundaries.setdefault(release.contentHash, sorted(moments))
    return bisect.bisect_right(points, at)


def projected_list(
    release: CatalogRelease, kind: Kind, at: datetime, build: Callable[[], list[Json]]
) -> list[Json]:
    """The cached projection of every `kind` entity of `release` as read at `at`, built on a miss."""
    key = (release.contentHash, kind, _interval(release, at))
    with _lock:
        if key in _lists:
            _lists.move_to_end(key)
            return _lists[key]
    items = build()
    with _lock:
        _lists[key] = items
        while len(_lists) > MAX_ENTRIES:
            _lists.popitem(last=False)
    return items


def clear() -> None:
    """Forget every cached projection (tests, and an operator who wants the memory back)."""
    with _lock:
        _lists.clear()
        _boundaries.clear()
