"""record_progress: the workflow's snapshots move the stored order through the transition tables."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from engine.ordering.states import IllegalOrderTransition
from runtime.api.errors import NotFound
from runtime.auth.roles import Role
from runtime.ordering.progress import record_progress
from runtime.tmf.contract import assert_conforms
from tests.runtime.ordering.support import ORDERS, audits, events, placed, report, speed_change, tv_order
from tests.runtime.support import Api
from workflows.contracts import ItemProgress, Milestone, OrderProgress

JEOPARDY = Milestone("m1", "jeopardy", "raised", "activate-tv is late", "2026-08-02T10:00:00Z", "1/activate")


async def read(api: Api, order_id: str) -> dict[str, Any]:
    response = await api.client.get(f"{ORDERS}/{order_id}", headers=api.auth(Role.admin))
    body: dict[str, Any] = response.json()
    assert_conforms("TMF622", "ProductOrder", body)
    return body


async def test_an_order_goes_to_completed_with_its_items_products_and_events(ordering: Api) -> None:
    order = await placed(ordering, tv_order())
    await report(ordering, order["id"], 1, "inProgress", {"1": "inProgress"})
    await report(ordering, order["id"], 2, "inProgress", {"1": "inProgress"}, (JEOPARDY,))
    progress = OrderProgress(
        orderId=order["id"],
        revision=3,
        state="completed",
        items=[ItemProgress("1", "completed", productId="PRD-NEW")],
        steps=[],
        milestones=[JEOPARDY],
        completionDate="2026-08-03T09:00:00Z",
    )
    async with ordering.database.unit_of_work() as session:
        await record_progress(session, progress)
    done = await read(ordering, order["id"])
    assert done["state"] == "completed"
    assert done["completionDate"] == "2026-08-03T09:00:00Z"
    (item,) = done["productOrderItem"]
    assert item["state"] == "completed" and item["product"]["id"] == "PRD-NEW"
    assert done["milestone"] == [
        {
            "id": "m1",
            "name": "jeopardy",
            "status": "raised",
            "message": "activate-tv is late",
            "milestoneDate": "2026-08-02T10:00:00Z",
            "stepId": "1/activate",
        }
    ]
    states = [e["productOrder"]["state"] for e in await events(ordering, "ProductOrderStateChangeEvent")]
    assert states == ["inProgress", "completed"]
    changes = await events(ordering, "ProductOrderAttributeValueChangeEvent")
    assert len(changes) == 3  # item inProgress; milestone raised; item completed with its product
    assert [record.action for record in await audits(ordering, order["id"])] == [
        "create",
        "progress",
        "progress",
        "progress",
    ]


async def test_a_retried_snapshot_is_a_no_op(ordering: Api) -> None:
    order = await placed(ordering, tv_order())
    await report(ordering, order["id"], 1, "inProgress", {"1": "inProgress"})
    before = await read(ordering, order["id"])
    await report(ordering, order["id"], 1, "inProgress", {"1": "inProgress"})
    await report(ordering, order["id"], 0, "acknowledged")  # late and older: ignored, no illegal move
    assert await read(ordering, order["id"]) == before
    assert len(await events(ordering, "ProductOrderStateChangeEvent")) == 1


async def test_an_illegal_move_raises_and_changes_nothing(ordering: Api) -> None:
    order = await placed(ordering, tv_order())
    await report(ordering, order["id"], 1, "inProgress", {"1": "inProgress"})
    with pytest.raises(IllegalOrderTransition, match="inProgress cannot become acknowledged"):
        await report(ordering, order["id"], 2, "acknowledged")
    await report(ordering, order["id"], 2, "completed", {"1": "completed"})
    with pytest.raises(IllegalOrderTransition, match="completed"):
        await report(ordering, order["id"], 3, "inProgress")
    with pytest.raises(IllegalOrderTransition, match="item"):
        await report(ordering, order["id"], 4, "completed", {"1": "inProgress"})
    assert (await read(ordering, order["id"]))["state"] == "completed"


async def test_a_rejected_order_never_moves(ordering: Api) -> None:
    order = await placed(ordering, speed_change("PRD-9999"))
    assert order["state"] == "rejected"
    with pytest.raises(IllegalOrderTransition):
        await report(ordering, order["id"], 1, "inProgress")


async def test_a_held_order_asks_for_information(ordering: Api) -> None:
    order = await placed(ordering, tv_order())
    fallout = replace(JEOPARDY, id="m2", name="fallout")
    await report(ordering, order["id"], 1, "held", {"1": "held"}, (fallout,), note="step 1/activate failed")
    (asked,) = await events(ordering, "ProductOrderInformationRequiredEvent")
    assert asked["productOrder"]["state"] == "held"
    held = await read(ordering, order["id"])
    assert held["note"][-1]["text"] == "step 1/activate failed"
    await report(ordering, order["id"], 2, "held", {"1": "held"}, (fallout,), note="step 1/activate failed")
    assert len((await read(ordering, order["id"]))["note"]) == len(held["note"])  # the same note once


async def test_progress_of_an_unknown_order_is_not_found(ordering: Api) -> None:
    with pytest.raises(NotFound):
        await report(ordering, "no-such-order", 1, "inProgress")
