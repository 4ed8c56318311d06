"""Inventory on completion: each item's product in its TMF637 state, once, whatever the retries."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from runtime.audit.models import AuditRecord
from runtime.bootstrap import Services
from runtime.fulfilment.inventory import complete_inventory, product_id_for
from runtime.inventory import repository
from runtime.inventory.drafts import ProductDraft
from runtime.inventory.service import InventoryService
from runtime.inventory.states import ProductStatus
from runtime.ordering.progress import WORKFLOW
from workflows.contracts import OrderInput, OrderItemInput
from workflows.plan_view import InventoryRequest, ItemProduct

inventory = InventoryService()


def _request(*items: OrderItemInput, order_id: str = "ORD-7") -> InventoryRequest:
    order = OrderInput(order_id, "2026.2", "CUST-1001", list(items), "2026-07-15T10:00:00+00:00")
    return InventoryRequest(order, list(items), "2026-07-16T10:00:00+00:00")


async def _complete(services: Services, request: InventoryRequest) -> list[ItemProduct]:
    async with services.database.unit_of_work() as session:
        return await complete_inventory(session, inventory, request)


async def _audits(services: Services, product_id: str) -> int:
    async with services.database.sessions() as session:
        query = select(func.count()).select_from(AuditRecord).where(AuditRecord.entity_id == product_id)
        return int((await session.execute(query)).scalar_one())


async def test_added_items_become_active_products_once_even_when_the_activity_is_retried(
    published: Services,
) -> None:
    items = (
        OrderItemInput("1", "converged-home", "add"),
        OrderItemInput("2", "fibre-1000", "add", characteristics={"contractTerm": 24, "uplinkGbps": 2.5}),
    )
    request = _request(*items)
    first = await _complete(published, request)
    again = await _complete(published, request)
    assert (
        first
        == again
        == [
            ItemProduct("1", product_id_for("ORD-7", "1"), "converged-home", "add"),
            ItemProduct("2", product_id_for("ORD-7", "2"), "fibre-1000", "add"),
        ]
    )
    async with published.database.sessions() as session:
        fibre = await inventory.get(session, first[1].productId)
    assert fibre["status"] == "active" and fibre["relatedParty"][0]["id"] == "CUST-1001"
    assert {c["name"]: c["value"] for c in fibre["productCharacteristic"]} == {
        "contractTerm": 24,
        "uplinkGbps": Decimal("2.5"),  # a JSON number from the order, kept exact
    }
    assert [i["orderItemId"] for i in fibre["productOrderItem"]] == ["2"]
    assert await _audits(published, first[1].productId) == 3  # created, pendingActive, active: not twice


async def test_a_retry_resumes_the_activation_where_the_last_attempt_stopped(published: Services) -> None:
    product_id = product_id_for("ORD-8", "2")
    async with published.database.unit_of_work() as session:
        draft = ProductDraft("CUST-1001", "fibre-1000", status=ProductStatus.created, product_id=product_id)
        await inventory.create(session, WORKFLOW, draft)
        await inventory.update_status(session, WORKFLOW, product_id, ProductStatus.pendingActive)
    products = await _complete(
        published, _request(OrderItemInput("2", "fibre-1000", "add"), order_id="ORD-8")
    )
    assert [p.productId for p in products] == [product_id]
    async with published.database.sessions() as session:
        assert (await repository.get(session, product_id)).status == "active"  # type: ignore[union-attr]
        assert len(await repository.held_by_customer(session, "CUST-1001")) == 3  # two sample ones and this


async def test_modify_changes_characteristics_once_and_delete_terminates(published: Services) -> None:
    async with published.database.sessions() as session:
        held = await repository.held_by_customer(session, "CUST-1001")
    fibre, mobile = sorted(held, key=lambda p: p.product_offering_id)
    request = _request(
        OrderItemInput("1", fibre.product_offering_id, "modify", fibre.id, {"contractTerm": 12}),
        OrderItemInput("2", mobile.product_offering_id, "delete", mobile.id),
        order_id="ORD-9",
    )
    await _complete(published, request)
    audits = await _audits(published, fibre.id)
    await _complete(published, request)
    assert await _audits(published, fibre.id) == audits
    async with published.database.sessions() as session:
        changed = await inventory.get(session, fibre.id)
        ended = await inventory.get(session, mobile.id)
    assert {c["name"]: c["value"] for c in changed["productCharacteristic"]}["contractTerm"] == 12
    assert ended["status"] == "terminated" and ended["terminationDate"]
    assert [i["productOrderId"] for i in ended["productOrderItem"]][-1] == "ORD-9"
