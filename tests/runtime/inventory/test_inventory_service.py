"""Products change only through InventoryService, which checks the transition table and audits each step."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from runtime.api.errors import Unprocessable
from runtime.audit.models import AuditRecord
from runtime.auth.roles import Principal, Role
from runtime.events.models import OutboxEvent
from runtime.inventory.drafts import OrderItemRef, ProductDraft
from runtime.inventory.service import InventoryService
from runtime.inventory.states import InvalidTransition, ProductStatus
from runtime.tmf.contract import assert_conforms
from tests.runtime.customers.builders import onboard
from tests.runtime.support import Api

ORDERING = Principal("ordering", "order flow", Role.admin)
inventory = InventoryService()


async def _ordered(api: Api) -> tuple[str, str]:
    onboarded = await onboard(api)
    draft = ProductDraft(
        customer_id=onboarded.customer["id"],
        product_offering_id="fibre-500",
        product_offering_name="Fibre 500",
        characteristic={"contractTerm": 24, "installationType": "engineer"},
        billing_account_id=onboarded.account["id"],
        order_items=(OrderItemRef("PO-1", "1"),),
    )
    async with api.database.unit_of_work() as session:
        product = await inventory.create(session, ORDERING, draft)
    return onboarded.customer["id"], product["id"]


async def test_an_ordered_product_goes_from_created_to_active_to_terminated(api: Api) -> None:
    _, product_id = await _ordered(api)
    activated_at = datetime(2026, 3, 1, 8, tzinfo=UTC)
    async with api.database.unit_of_work() as session:
        assert (await inventory.get(session, product_id))["status"] == "created"
        await inventory.update_status(session, ORDERING, product_id, ProductStatus.pendingActive)
        active = await inventory.update_status(
            session, ORDERING, product_id, ProductStatus.active, at=activated_at
        )
    assert active["status"] == "active" and active["startDate"] == activated_at.isoformat()
    assert_conforms("TMF637", "Product", active)
    cease = OrderItemRef("PO-2", "1", "delete")
    async with api.database.unit_of_work() as session:
        await inventory.update_status(
            session, ORDERING, product_id, ProductStatus.pendingTerminate, order_item=cease
        )
        ended = await inventory.update_status(session, ORDERING, product_id, ProductStatus.terminated)
    assert ended["terminationDate"] and ended["startDate"] == activated_at.isoformat()
    assert [i["productOrderId"] for i in ended["productOrderItem"]] == ["PO-1", "PO-2"]
    assert ended["productOrderItem"][1]["orderItemAction"] == "delete"


async def test_a_refused_transition_changes_nothing(api: Api) -> None:
    _, product_id = await _ordered(api)
    with pytest.raises(InvalidTransition):
        async with api.database.unit_of_work() as session:
            await inventory.update_status(session, ORDERING, product_id, ProductStatus.suspended)
    async with api.database.sessions() as session:
        assert (await inventory.get(session, product_id))["status"] == "created"
        actions = (
            (await session.execute(select(AuditRecord.action).where(AuditRecord.entity_id == product_id)))
            .scalars()
            .all()
        )
    assert actions == ["create"]


async def test_characteristics_change_and_are_removed_exactly(api: Api) -> None:
    _, product_id = await _ordered(api)
    async with api.database.unit_of_work() as session:
        changed = await inventory.update_characteristics(
            session,
            ORDERING,
            product_id,
            {"contractTerm": 12, "installationType": None, "discount": Decimal("4.13")},
        )
    values = {c["name"]: c["value"] for c in changed["productCharacteristic"]}
    assert values == {"contractTerm": 12, "discount": Decimal("4.13")}
    with pytest.raises(Unprocessable):
        async with api.database.unit_of_work() as session:
            await inventory.update_characteristics(session, ORDERING, product_id, {"ratio": 0.1})  # type: ignore[dict-item]


async def test_each_step_is_audited_and_published(api: Api) -> None:
    _, product_id = await _ordered(api)
    async with api.database.unit_of_work() as session:
        await inventory.update_status(session, ORDERING, product_id, ProductStatus.active)
        await inventory.update_characteristics(session, ORDERING, product_id, {"contractTerm": 12})
    async with api.database.sessions() as session:
        audit = (
            (
                await session.execute(
                    select(AuditRecord).where(AuditRecord.entity_id == product_id).order_by(AuditRecord.id)
                )
            )
            .scalars()
            .all()
        )
        events = (
            (
                await session.execute(
                    select(OutboxEvent.event_type)
                    .where(OutboxEvent.api == "productInventory")
                    .order_by(OutboxEvent.created_at)
                )
            )
            .scalars()
            .all()
        )
    assert [(r.action, r.actor_name) for r in audit] == [
        ("create", "order flow"),
        ("update_status", "order flow"),
        ("update_characteristics", "order flow"),
    ]
    assert (audit[1].before["status"], audit[1].after["status"]) == ("created", "active")
    assert events == ["ProductCreateEvent", "ProductStateChangeEvent", "ProductAttributeValueChangeEvent"]


async def test_a_product_for_an_unknown_customer_is_refused(api: Api) -> None:
    with pytest.raises(Unprocessable):
        async with api.database.unit_of_work() as session:
            await inventory.create(session, ORDERING, ProductDraft("nobody", "fibre-500"))
