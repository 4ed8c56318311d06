"""What every TMF620 projection shares: resource paths, hrefs, refs, TimePeriods, Money and the base fields.

The spec model already uses TMF620 v4 names; a projection only reshapes what TMF types differently: a plain
id becomes a ref (`{id, href, name, version, @referredType}`), a datetime an ISO 8601 string. Kinds that
carry Switchboard-only data are projected as a TMF subtype (`@type: SwitchboardProductOffering`,
`@baseType: ProductOffering`) with that data under its spec name, as TMF's extension pattern allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec

from engine.money import Money
from engine.spec.common import ALWAYS, Entity, Kind, TimePeriod
from engine.spec.release import CatalogRelease

Json = dict[str, Any]

_ENCODER = msgspec.json.Encoder(decimal_format="number")

BASE_PATH = "/tmf-api/productCatalogManagement/v4"

# The kinds TMF620 exposes as resources, and their paths; other kinds are referred to without an href.
RESOURCE_PATHS: Mapping[Kind, str] = {
    Kind.CatalogRelease: "catalog",
    Kind.Category: "category",
    Kind.ProductSpecification: "productSpecification",
    Kind.ProductOffering: "productOffering",
    Kind.ProductOfferingPrice: "productOfferingPrice",
}

# Kinds projected as a Switchboard subtype of their TMF resource, because they carry Switchboard-only data.
EXTENDED_KINDS = frozenset({Kind.ProductOffering, Kind.ProductOfferingPrice, Kind.CatalogRelease})

# The TMF resource name of a kind, where it differs from the kind.
TMF_NAMES: Mapping[Kind, str] = {Kind.CatalogRelease: "Catalog"}


def encode(content: Any) -> bytes:
    """JSON with Decimals written as exact JSON numbers: TMF types Money.value and percentages as numbers."""
    return _ENCODER.encode(content)


def tmf_name(kind: Kind) -> str:
    return TMF_NAMES.get(kind, kind.value)


def type_fields(kind: Kind) -> Json:
    """`@type` (and `@baseType` for a Switchboard subtype) of a projected kind."""
    name = tmf_name(kind)
    if kind in EXTENDED_KINDS:
        return {"@type": f"Switchboard{name}", "@baseType": name}
    return {"@type": name}


@dataclass(frozen=True, slots=True)
class View:
    """Where refs resolve: a release and the moment whose entity versions give names (none for a bare draft)."""

    release: CatalogRelease | None = None
    at: datetime | None = None

    def find(self, kind: Kind, entity_id: str) -> Entity | None:
        """The version in effect at `at`, else the latest one; None outside the release."""
        versions = self.release.versions(kind, entity_id) if self.release is not None else ()
        if not versions:
            return None
        at = self.at
        current = (
            None if at is None else next((v for v in reversed(versions) if v.validFor.contains(at)), None)
        )
        return current or versions[-1]


def href(kind: Kind, entity_id: str) -> str:
    return f"{BASE_PATH}/{RESOURCE_PATHS[kind]}/{entity_id}"


def ref(kind: Kind, entity_id: str, view: View) -> Json:
    """A TMF ref to an entity of the release; name and version when the release has it."""
    body: Json = {"id": entity_id}
    if kind in RESOURCE_PATHS:
        body["href"] = href(kind, entity_id)
    found = view.find(kind, entity_id)
    if found is not None:
        body["name"] = found.name
        body["version"] = found.version
    body["@referredType"] = tmf_name(kind)
    return body


def label_ref(referred_type: str, value: str) -> Json:
    """A ref to something the model names by a label only (a channel, a market segment)."""
    return {"id": value, "@referredType": referred_type}


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def time_period(period: TimePeriod) -> Json:
    body: Json = {}
    if period.startDateTime is not None:
        body["startDateTime"] = timestamp(period.startDateTime)
    if period.endDateTime is not None:
        body["endDateTime"] = timestamp(period.endDateTime)
    return body


def money(amount: Money) -> Json:
    """TMF Money; the value stays a Decimal until the JSON encoder writes it as a number."""
    return {"unit": amount.unit, "value": amount.value}


def entity_base(entity: Entity) -> Json:
    """The fields every projected entity has, in TMF names."""
    body: Json = {
        "id": entity.id,
        "href": href(entity.kind, entity.id),
        "name": entity.name,
        "version": entity.version,
        "lifecycleStatus": entity.lifecycleStatus.value,
    }
    if entity.description:
        body["description"] = entity.description
    if entity.validFor != ALWAYS:
        body["validFor"] = time_period(entity.validFor)
    return body | type_fields(entity.kind)
