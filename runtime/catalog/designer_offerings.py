"""The designer's catalog browser: offering summaries of a release (the one in effect by default) and of
the current drafts, filtered, with the releases and which is in effect or scheduled.

A published offering is summarised from the loaded release, in its version in effect now (else its latest);
a draft from its document as saved, which may be incomplete: a missing field reads as empty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from engine.spec.common import Kind
from engine.spec.product import ProductOffering
from engine.spec.release import CatalogRelease
from runtime.api.errors import ApiError, NotFound
from runtime.catalog.contracts import Draft
from runtime.catalog.service import CatalogService, ReleaseStatus

FILTERS = ("q", "lifecycleStatus", "segment", "channel", "category", "release")


class UnknownFilter(ApiError):
    status, code = 400, "UNKNOWN_FILTER"


@dataclass(frozen=True, slots=True)
class OfferingQuery:
    q: str | None = None
    lifecycleStatus: str | None = None
    segment: str | None = None
    channel: str | None = None
    category: str | None = None
    release: str | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> OfferingQuery:
        """From query parameters; an unknown one is a 400 naming the known ones."""
        unknown = sorted(set(params) - set(FILTERS))
        if unknown:
            raise UnknownFilter(f"unknown filter {', '.join(unknown)}; filters: {', '.join(FILTERS)}")
        return cls(**{key: value for key, value in params.items() if value != ""})

    def admits(self, summary: Mapping[str, Any]) -> bool:
        if self.q is not None:
            needle = self.q.casefold()
            if needle not in summary["id"].casefold() and needle not in (summary["name"] or "").casefold():
                return False
        return (
            _matches(self.lifecycleStatus, [summary["lifecycleStatus"]])
            and _matches(self.segment, summary["segments"])
            and _matches(self.channel, summary["channels"])
            and _matches(self.category, summary["categories"])
        )


def _matches(wanted: str | None, values: Sequence[Any]) -> bool:
    return wanted is None or wanted in values


async def browse(session: AsyncSession, catalog: CatalogService, query: OfferingQuery) -> dict[str, Any]:
    """`{offerings, releases}`: published offerings of the chosen release and the drafted ones."""
    statuses = await catalog.statuses(session)
    releases = await catalog.releases(session)
    release_id = query.release or next((r for r, s in statuses.items() if s is ReleaseStatus.inEffect), None)
    drafts = await catalog.drafts(session, Kind.ProductOffering)
    drafted = {draft.id for draft in drafts}
    published: list[dict[str, Any]] = []
    if release_id is not None:
        if release_id not in statuses:
            raise NotFound(f"there is no release {release_id}")
        active = await catalog.active(session, release_id)
        published = _published(active.release, release_id, catalog, drafted)
    items = [*published, *(_drafted(draft) for draft in drafts)]
    return {
        "release": release_id,
        "offerings": [item for item in items if query.admits(item)],
        "releases": [
            {
                "id": info.id,
                "name": info.name,
                "effectiveDate": info.effectiveDate,
                "status": statuses[info.id].value,
                "inEffect": statuses[info.id] is ReleaseStatus.inEffect,
                "scheduled": statuses[info.id] is ReleaseStatus.scheduled,
            }
            for info in releases
        ],
    }


def _published(
    release: CatalogRelease, release_id: str, catalog: CatalogService, drafted: set[str]
) -> list[dict[str, Any]]:
    now = catalog.clock()
    found = []
    for offering_id in release.ids(Kind.ProductOffering):
        offering = release.find(ProductOffering, offering_id, now) or release.find(
            ProductOffering, offering_id
        )
        if offering is None:
            continue
        found.append(
            {
                "id": offering.id,
                "version": offering.version,
                "name": offering.name,
                "lifecycleStatus": offering.lifecycleStatus.value,
                "segments": list(offering.marketSegment),
                "channels": list(offering.channel),
                "categories": list(offering.category),
                "isBundle": offering.isBundle or bool(offering.bundledProductOffering),
                "source": "published",
                "release": release_id,
                "hasDraft": offering.id in drafted,
            }
        )
    return found


def _drafted(draft: Draft) -> dict[str, Any]:
    metadata, spec = _object(draft.document.get("metadata")), _object(draft.document.get("spec"))
    return {
        "id": draft.id,
        "version": _text(metadata.get("version")),
        "name": _text(spec.get("name")),
        "lifecycleStatus": _text(spec.get("lifecycleStatus")),
        "segments": _texts(spec.get("marketSegment")),
        "channels": _texts(spec.get("channel")),
        "categories": _texts(spec.get("category")),
        "isBundle": spec.get("isBundle") is True or bool(spec.get("bundledProductOffering")),
        "source": "draft",
        "release": None,
        "basedOnVersion": draft.basedOnVersion,
        "etag": draft.etag,
    }


def _object(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _texts(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
