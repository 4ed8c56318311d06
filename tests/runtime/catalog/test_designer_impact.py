"""GET /api/v1/drafts/{kind}/{id}/impact: the subscriptions (active, pendingActive, suspended products) and
in-flight orders of the offerings a draft concerns."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from engine.spec.common import Kind
from engine.spec.product import ProductOffering
from runtime.auth.roles import Role
from runtime.inventory.models import InventoryProduct
from runtime.ordering.models import ProductOrderItemRow, ProductOrderRow
from tests.runtime.catalog.test_designer_support import DRAFTS, designer, envelope, pm, published, put_draft
from tests.runtime.catalog.test_tmf620_support import assert_tmf_error, sample_release
from tests.runtime.support import Api

__all__ = ["designer"]


async def _impact(api: Api, kind: str, entity_id: str) -> dict[str, Any]:
    response = await api.client.get(f"{DRAFTS}/{kind}/{entity_id}/impact", headers=pm(api))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _hold(api: Api, offering_id: str, *statuses: str) -> None:
    """Products of `offering_id` for CUST-1001, one per status."""
    async with api.database.unit_of_work() as session:
        for status in statuses:
            session.add(
                InventoryProduct(
                    id=f"PRD-{offering_id}-{status}",
                    status=status,
                    customer_id="CUST-1001",
                    product_offering_id=offering_id,
                    characteristic={},
                    order_items=[],
                )
            )


async def _order(api: Api, order_id: str, state: str, *offering_ids: str) -> None:
    async with api.database.unit_of_work() as session:
        session.add(
            ProductOrderRow(
                id=order_id,
                created_by="test",
                state=state,
                release_id="2026.2",
                channel="web",
                document={},
                first_response={},
                created_at=datetime(2026, 7, 30, tzinfo=UTC),
            )
        )
        await session.flush()
        for index, offering_id in enumerate(offering_ids):
            session.add(
                ProductOrderItemRow(
                    order_id=order_id, item_id=str(index + 1), product_offering_id=offering_id, action="add"
                )
            )


async def _draft_of_published(api: Api, kind: str, entity_id: str, version: str) -> None:
    document = copy.deepcopy(await published(api, "2026.2", kind, entity_id, version))
    document["metadata"]["version"] = str(int(version) + 1)
    await put_draft(api, document)


async def test_an_offering_draft_counts_its_own_subscriptions_and_orders(designer: Api) -> None:
    # The sample inventory holds one active fibre-500 (CUST-1001).
    await _hold(
        designer, "fibre-500", "pendingActive", "suspended", "terminated", "pendingTerminate", "cancelled"
    )
    await _order(designer, "ORD-1", "inProgress", "fibre-500", "mobile-5g-m")
    await _order(designer, "ORD-2", "acknowledged", "fibre-500")
    await _order(designer, "ORD-3", "completed", "fibre-500")
    await _order(designer, "ORD-4", "inProgress", "fibre-1000")
    await _draft_of_published(designer, "ProductOffering", "fibre-500", "2")

    impact = await _impact(designer, "ProductOffering", "fibre-500")

    assert impact == {
        "kind": "ProductOffering",
        "id": "fibre-500",
        "activeSubscriptions": 3,
        "inFlightOrders": 2,
        "offerings": ["fibre-500"],
    }


async def test_a_price_draft_concerns_the_offerings_that_list_it(designer: Api) -> None:
    release = sample_release("2026.2")
    listing = {o.id for o in release.all(ProductOffering) if "fibre-installation" in o.productOfferingPrice}
    assert len(listing) > 1
    await _hold(designer, "fibre-1000", "active")
    await _order(designer, "ORD-1", "inProgress", "fibre-1000")
    await _draft_of_published(
        designer, "ProductOfferingPrice", "fibre-installation", _version(release, "fibre-installation")
    )
    reusing = envelope(
        "ProductOffering",
        "fibre-500-student",
        {"name": "Fibre 500 Student", "productOfferingPrice": ["fibre-installation"]},
    )
    await put_draft(designer, reusing)

    impact = await _impact(designer, "ProductOfferingPrice", "fibre-installation")

    assert impact["offerings"] == sorted(listing | {"fibre-500-student"})
    assert (impact["activeSubscriptions"], impact["inFlightOrders"]) == (
        2,
        1,
    )  # PRD-1001 (fibre-500) and ours


async def test_a_policy_draft_concerns_the_offerings_it_governs(designer: Api) -> None:
    release = sample_release("2026.2")
    governed = sorted(
        {o.id for o in release.all(ProductOffering) if o.eligibilityPolicy == "mobile-consumer"}
    )
    await _draft_of_published(
        designer, "EligibilityPolicy", "mobile-consumer", _version(release, "mobile-consumer")
    )

    impact = await _impact(designer, "EligibilityPolicy", "mobile-consumer")

    assert impact["offerings"] == governed and governed
    assert impact["activeSubscriptions"] == len(
        {"mobile-5g-m", "mobile-5g-s"} & set(governed)
    )  # the sample customers' mobile lines


def _version(release: Any, entity_id: str) -> str:
    for kind in Kind:
        versions = release.versions(kind, entity_id)
        if versions:
            return str(max(int(v.version) for v in versions))
    raise AssertionError(entity_id)


async def test_impact_needs_a_draft_and_a_product_manager(designer: Api) -> None:
    url = f"{DRAFTS}/ProductOffering/fibre-500/impact"
    assert_tmf_error(await designer.client.get(url, headers=pm(designer)), 404)
    assert_tmf_error(
        await designer.client.get(f"{DRAFTS}/CatalogRelease/x/impact", headers=pm(designer)), 404
    )
    assert_tmf_error(await designer.client.get(url, headers=designer.auth(Role.channel)), 403)
    assert_tmf_error(await designer.client.get(url), 401)
