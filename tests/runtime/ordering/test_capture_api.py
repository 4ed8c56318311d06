"""POST productOrder: capture against the release in effect; rejected orders are stored with their reasons."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from runtime.auth.roles import Role
from tests.runtime.ordering.fakes import FakeOrchestrator
from tests.runtime.ordering.support import (
    ORDERS,
    assert_tmf_error,
    audits,
    events,
    order_body,
    order_count,
    order_item,
    placed,
    post_order,
    speed_change,
    start_intent,
    tv_order,
)
from tests.runtime.qualification.support import bundled_by, characteristics
from tests.runtime.support import Api


def reasons(order: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    return [(r["code"], r.get("itemId"), r.get("path")) for r in order["rejectionReason"]]


async def test_an_accepted_order_is_acknowledged_priced_pinned_and_started(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    order = await placed(ordering, tv_order(externalId="shop-42", description="TV for Anna"))
    assert order["state"] == "acknowledged"
    assert order["catalogRelease"]["id"] == "2026.2"  # the release in effect on 1 August 2026
    assert order["externalId"] == "shop-42"
    (item,) = order["productOrderItem"]
    assert item["state"] == "acknowledged"
    (total,) = order["orderTotalPrice"]
    assert total["priceType"] == "recurring" and total["recurringChargePeriod"] == "month"
    assert total["price"]["dutyFreeAmount"] == {"unit": "EUR", "value": 12.5}
    assert item["itemTotalPrice"] == [{**total, "name": "Item total (recurring, per month)"}]
    assert "rejectionReason" not in order
    started = orchestrator.started[order["id"]]
    assert (started.releaseId, started.customerId, started.orderDate) == (
        "2026.2",
        "CUST-1001",
        "2026-08-01T00:00:00Z",
    )
    assert [(i.itemId, i.productOffering, i.action) for i in started.items] == [("1", "tv-essential", "add")]
    intent = await start_intent(ordering, order["id"])
    assert intent is not None and intent.started_at is not None and intent.attempts == 0
    (created,) = await events(ordering, "ProductOrderCreateEvent")
    assert created["productOrder"]["id"] == order["id"]
    (audit,) = await audits(ordering, order["id"])
    assert (audit.action, audit.entity_type, audit.after["state"]) == (
        "create",
        "ProductOrder",
        "acknowledged",
    )


async def test_the_time_scale_of_the_settings_goes_to_the_workflow(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    services = ordering.client.app.state.services
    assert services.settings.order_time_scale == 1.0
    order = await placed(ordering, tv_order())
    assert orchestrator.started[order["id"]].timeScale == 1.0


async def test_the_converged_bundle_is_priced_with_exact_totals(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    items = [
        order_item("1", "converged-home"),
        order_item(
            "2",
            "fibre-1000",
            product=characteristics(contractTerm=24),
            productOrderItemRelationship=bundled_by("1"),
        ),
        order_item("3", "mobile-5g-m", productOrderItemRelationship=bundled_by("1")),
        order_item("4", "tv-essential", productOrderItemRelationship=bundled_by("1")),
        order_item("5", "fibre-500", "delete", product={"id": "PRD-1001"}),  # Anna's fibre goes
    ]
    order = await placed(ordering, order_body(items, channel="retail"))
    assert order["state"] == "acknowledged", order.get("rejectionReason")
    response = await ordering.client.get(f"{ORDERS}/{order['id']}", headers=ordering.auth(Role.channel))
    again = response.json()
    assert again == order  # the stored order reads back exactly as answered
    month = next(p for p in order["orderTotalPrice"] if p["priceType"] == "recurring")
    items_month = sum(
        Decimal(str(p["price"]["taxIncludedAmount"]["value"]))
        for item in order["productOrderItem"]
        for p in item["itemTotalPrice"]
        if p["priceType"] == "recurring"
    )
    assert Decimal(str(month["price"]["taxIncludedAmount"]["value"])) == items_month
    workflow_items = orchestrator.started[order["id"]].items
    assert [(i.productOffering, i.action) for i in workflow_items] == [
        ("converged-home", "add"),
        ("fibre-1000", "add"),
        ("mobile-5g-m", "add"),
        ("tv-essential", "add"),
        ("fibre-500", "delete"),
    ]
    assert workflow_items[1].characteristics == {"contractTerm": 24}


async def test_a_modify_of_a_held_product_is_acknowledged(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    order = await placed(ordering, speed_change())
    assert order["state"] == "acknowledged", order.get("rejectionReason")
    (item,) = orchestrator.started[order["id"]].items
    assert (item.action, item.productId) == ("modify", "PRD-1001")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            order_body([order_item("1", "teleporter")]),
            [("UNKNOWN_OFFERING", "1", "$.productOrderItem[0].productOffering.id")],
        ),
        (
            order_body([order_item("1", "fibre-500", "add", product={"id": "PRD-1001"})]),
            [("PRODUCT_ID_NOT_ALLOWED", "1", "$.productOrderItem[0].product.id")],
        ),
        (speed_change("PRD-1003"), [("UNKNOWN_PRODUCT", "1", "$.productOrderItem[0].product.id")]),
        (
            order_body([order_item("1", "fibre-500", "delete")]),
            [("PRODUCT_ID_REQUIRED", "1", "$.productOrderItem[0].product.id")],
        ),
        (
            order_body([order_item("1", "tv-essential", product=characteristics(colour="red"))]),
            [("INVALID_CART", "1", "$.productOrderItem[0].product.productCharacteristic.name=colour")],
        ),
    ],
    ids=[
        "unknown-offering",
        "add-names-product",
        "other-customers-product",
        "delete-without-product",
        "bad-characteristic",
    ],
)
async def test_an_item_that_fails_a_check_rejects_the_order_with_the_reason(
    ordering: Api, orchestrator: FakeOrchestrator, body: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    order = await placed(ordering, body)
    assert order["state"] == "rejected"
    assert reasons(order) == expected
    assert [item["state"] for item in order["productOrderItem"]] == ["rejected"]
    assert any(note["text"].startswith(f"rejected: {expected[0][0]}") for note in order["note"])
    assert orchestrator.start_calls == []
    assert await start_intent(ordering, order["id"]) is None
    stored = await ordering.client.get(f"{ORDERS}/{order['id']}", headers=ordering.auth(Role.channel))
    assert stored.json()["state"] == "rejected"


async def test_an_offering_not_sold_in_the_channel_is_rejected(ordering: Api) -> None:
    order = await placed(
        ordering, order_body([order_item("1", "enterprise-5g-slice")], customer_id="CUST-3001")
    )
    assert order["state"] == "rejected"
    assert ("CHANNEL_NOT_ALLOWED", "1", "$.productOrderItem[0]") in reasons(order)


async def test_the_order_is_qualified_again_for_the_customer(ordering: Api) -> None:
    # Pieter (CUST-1002) has no fibre at his farm.
    order = await placed(ordering, order_body([order_item("1", "fibre-1000")], customer_id="CUST-1002"))
    assert order["state"] == "rejected"
    assert reasons(order) == [("FIBRE_NOT_AVAILABLE", "1", "$.productOrderItem[0]")]
    assert all(item_id == "1" for _, item_id, _ in reasons(order))


async def test_an_unknown_customer_rejects_the_order(ordering: Api) -> None:
    order = await placed(ordering, order_body([order_item("1", "tv-essential")], customer_id="CUST-0000"))
    assert reasons(order) == [("UNKNOWN_CUSTOMER", None, "$.relatedParty")]


@pytest.mark.parametrize(
    "body",
    [
        {"productOrderItem": []},
        {"productOrderItem": [{"id": "1"}]},
        {**tv_order(), "orderTotalPrice": []},
        {**tv_order(), "shoeSize": 44},
        {**tv_order(), "state": "completed"},
        order_body([order_item("1", "tv-essential", itemTotalPrice=[])]),
        {k: v for k, v in tv_order().items() if k != "channel"},
        {k: v for k, v in tv_order().items() if k != "relatedParty"},
        order_body([order_item("1", "tv-essential"), order_item("1", "tv-extra-stb")]),
        order_body([{"id": "1", "action": "add"}]),
        order_body(
            [
                order_item(
                    "1", "tv-essential", productOrderItemRelationship=[{"id": "9", "relationshipType": "x"}]
                )
            ]
        ),
    ],
)
async def test_a_malformed_order_is_a_4xx_and_nothing_is_stored(ordering: Api, body: dict[str, Any]) -> None:
    response = await post_order(ordering, body)
    assert response.status_code in (400, 422), response.text
    assert_tmf_error(response, response.status_code)
    assert await order_count(ordering) == 0


async def test_malformed_json_is_400(ordering: Api) -> None:
    headers = ordering.auth(Role.channel) | {"Content-Type": "application/json"}
    response = await ordering.client.post(ORDERS, content=b'{"productOrderItem": [', headers=headers)
    assert_tmf_error(response, 400, "INVALID_JSON")


async def test_only_channel_and_admin_may_order(ordering: Api) -> None:
    for role in (Role.oss, Role.product_manager):
        assert_tmf_error(await post_order(ordering, tv_order(), role), 403, "FORBIDDEN")
    assert (await post_order(ordering, tv_order(), Role.admin)).status_code == 201


async def test_without_a_workflow_engine_the_order_is_acknowledged_and_its_start_waits(ordering: Api) -> None:
    from runtime.ordering.no_orchestrator import NoOrchestrator

    ordering.client.app.state.services.order_starts.orchestrator = NoOrchestrator()
    order = await placed(ordering, tv_order())
    assert order["state"] == "acknowledged"
    intent = await start_intent(ordering, order["id"])
    assert intent is not None and intent.started_at is None
    assert "OrchestratorUnavailable" in (intent.last_error or "")
