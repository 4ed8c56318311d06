"""What publishing a draft would touch: the subscriptions and the in-flight orders of the offerings it
concerns.

The offerings concerned: for an offering draft, the offering itself; for any other kind, the offerings that
refer to the entity, in the release in effect (any of their versions) or in an offering draft:
- a price by `productOfferingPrice`, a policy by `eligibilityPolicy`, a specification by
  `productSpecification`, an order flow by `orderFlow`, a category by `category`;
- a service specification through the published order flows whose steps provision it;
- a tax table: every offering (it taxes every price).
Subscriptions are the inventory products of those offerings that are active, pendingActive or suspended;
in-flight orders are counted by `runtime.ordering.repository.in_flight_order_count`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from engine.spec.common import Kind
from engine.spec.flow import OrderFlow
from engine.spec.product import ProductOffering
from engine.spec.release import CatalogRelease
from runtime.catalog import repository
from runtime.catalog.contracts import Draft
from runtime.catalog.designer_repository import subscription_count
from runtime.catalog.service import CatalogService

# The offering field that refers to an entity of each kind.
REFERENCE_FIELD: Mapping[Kind, str] = {
    Kind.ProductOfferingPrice: "productOfferingPrice",
    Kind.EligibilityPolicy: "eligibilityPolicy",
    Kind.ProductSpecification: "productSpecification",
    Kind.OrderFlow: "orderFlow",
    Kind.Category: "category",
}


async def draft_impact(
    session: AsyncSession, catalog: CatalogService, kind: Kind, entity_id: str
) -> dict[str, Any]:
    """`{activeSubscriptions, inFlightOrders, offerings}` for the draft of (kind, id)."""
    # Imported here: ordering builds on the catalog, which must not import it at load time.
    from runtime.ordering.repository import in_flight_order_count

    await catalog.draft(session, kind, entity_id)  # a 404 when there is no such draft
    offerings = sorted(await offerings_concerned(session, catalog, kind, entity_id))
    return {
        "kind": kind.value,
        "id": entity_id,
        "activeSubscriptions": await subscription_count(session, offerings),
        "inFlightOrders": await in_flight_order_count(session, offerings),
        "offerings": offerings,
    }


async def offerings_concerned(
    session: AsyncSession, catalog: CatalogService, kind: Kind, entity_id: str
) -> set[str]:
    if kind is Kind.ProductOffering:
        return {entity_id}
    base = await repository.release_in_effect(session, catalog.clock())
    release = None if base is None else (await catalog.active(session, base.id)).release
    drafts = await catalog.drafts(session, Kind.ProductOffering)
    if kind is Kind.TaxTable:
        published = set() if release is None else set(release.ids(Kind.ProductOffering))
        return published | {draft.id for draft in drafts}
    if kind is Kind.ServiceSpecification:
        flows = set() if release is None else _flows_provisioning(release, entity_id)
        return set().union(*(_referring(release, drafts, Kind.OrderFlow, flow) for flow in flows))
    return _referring(release, drafts, kind, entity_id)


def _referring(
    release: CatalogRelease | None, drafts: Iterable[Draft], kind: Kind, entity_id: str
) -> set[str]:
    name = REFERENCE_FIELD.get(kind)
    if name is None:
        return set()
    found = {
        offering.id
        for offering in ([] if release is None else release.all(ProductOffering))
        if _refers(getattr(offering, name), entity_id)
    }
    for draft in drafts:
        spec = draft.document.get("spec")
        if isinstance(spec, dict) and _refers(spec.get(name), entity_id):
            found.add(draft.id)
    return found


def _refers(value: Any, entity_id: str) -> bool:
    if isinstance(value, list | tuple):
        return entity_id in value
    return bool(value == entity_id)


def _flows_provisioning(release: CatalogRelease, service_id: str) -> set[str]:
    return {
        flow.id
        for flow in release.all(OrderFlow)
        if any(step.serviceSpecification == service_id for steps in flow.actions.values() for step in steps)
    }
