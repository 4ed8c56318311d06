"""PATCH productOrder: what each state allows; item changes are amendments the workflow accepts or refuses."""

from __future__ import annotations

from typing import Any

from httpx import Response

from runtime.auth.roles import Role
from runtime.tmf.contract import assert_conforms
from tests.runtime.ordering.fakes import FakeOrchestrator
from tests.runtime.ordering.support import (
    ORDERS,
    another_key,
    assert_tmf_error,
    audits,
    events,
    order_item,
    placed,
    report,
    tv_order,
)
from tests.runtime.qualification.support import characteristics
from tests.runtime.support import Api
from workflows.contracts import UpdateOutcome

MERGE = {"Content-Type": "application/merge-patch+json"}


async def patch(api: Api, order_id: str, changes: dict[str, Any], role: Role = Role.channel) -> Response:
    return await api.client.patch(f"{ORDERS}/{order_id}", json=changes, headers=api.auth(role) | MERGE)


def with_stb() -> list[dict[str, Any]]:
    return [order_item("1", "tv-essential"), order_item("2", "tv-extra-stb")]


async def test_notes_description_and_requested_date_change_while_open(ordering: Api) -> None:
    order = await placed(ordering, tv_order())
    note = {"text": "ring twice", "author": "shop"}
    changes = {
        "description": "for the cabin",
        "requestedCompletionDate": "2026-09-01T09:00:00Z",
        "note": [note],
    }
    response = await patch(ordering, order["id"], changes)
    assert response.status_code == 200, response.text
    body = response.json()
    assert_conforms("TMF622", "ProductOrder", body)
    assert (body["description"], body["requestedCompletionDate"], body["note"]) == (
        "for the cabin",
        "2026-09-01T09:00:00Z",
        [note],
    )
    removed = await patch(ordering, order["id"], {"description": None})
    assert "description" not in removed.json()
    assert [r.action for r in await audits(ordering, order["id"])] == ["create", "update", "update"]
    assert len(await events(ordering, "ProductOrderAttributeValueChangeEvent")) == 2


async def test_other_attributes_are_refused_naming_the_field_and_the_state(ordering: Api) -> None:
    order = await placed(ordering, tv_order())
    refused = assert_tmf_error(
        await patch(ordering, order["id"], {"state": "completed"}), 409, "ATTRIBUTE_NOT_PATCHABLE"
    )
    assert "state" in refused["message"] and "acknowledged" in refused["message"]
    assert_tmf_error(await patch(ordering, order["id"], {"externalId": "x"}), 409, "ATTRIBUTE_NOT_PATCHABLE")
    assert_tmf_error(await patch(ordering, order["id"], {"shoeSize": 44}), 400)
    assert_tmf_error(await patch(ordering, order["id"], {"description": 7}), 400)
    assert_tmf_error(await patch(ordering, order["id"], {"requestedCompletionDate": "soon"}), 400)
    assert_tmf_error(await patch(ordering, order["id"], {"note": [{"author": "no text"}]}), 400)
    assert_tmf_error(await patch(ordering, order["id"], {"productOrderItem": None}), 400)


async def test_a_final_order_refuses_every_patch(ordering: Api) -> None:
    order = await placed(ordering, tv_order())
    await report(ordering, order["id"], 1, "completed", {"1": "completed"})
    body = assert_tmf_error(await patch(ordering, order["id"], {"description": "late"}), 409, "ORDER_FINAL")
    assert "completed" in body["message"]


async def test_an_item_change_amends_the_running_order(ordering: Api, orchestrator: FakeOrchestrator) -> None:
    order = await placed(ordering, tv_order())
    await report(ordering, order["id"], 1, "inProgress", {"1": "inProgress"})
    response = await patch(ordering, order["id"], {"productOrderItem": with_stb()})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(i["id"], i["state"]) for i in body["productOrderItem"]] == [
        ("1", "inProgress"),
        ("2", "acknowledged"),
    ]
    assert all(item["itemTotalPrice"] for item in body["productOrderItem"])
    ((order_id, amendment),) = orchestrator.amends
    assert order_id == order["id"]
    assert [(i.itemId, i.productOffering) for i in amendment.items] == [
        ("1", "tv-essential"),
        ("2", "tv-extra-stb"),
    ]
    assert body["note"][-1]["text"] == f"amended ({amendment.amendId})"


async def test_an_amendment_after_the_point_of_no_return_is_refused(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    order = await placed(ordering, tv_order())
    orchestrator.outcome = UpdateOutcome(
        accepted=False, reason="point of no return passed at step 1/activate"
    )
    body = assert_tmf_error(
        await patch(ordering, order["id"], {"productOrderItem": with_stb()}), 409, "AMENDMENT_REFUSED"
    )
    assert body["message"] == "point of no return passed at step 1/activate"
    stored = await ordering.client.get(f"{ORDERS}/{order['id']}", headers=ordering.auth(Role.channel))
    assert stored.json() == order


async def test_a_bad_amended_item_is_422_and_the_order_is_unchanged(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    order = await placed(ordering, tv_order())
    bad = [order_item("1", "tv-essential", product=characteristics(colour="red"))]
    body = assert_tmf_error(
        await patch(ordering, order["id"], {"productOrderItem": bad}), 422, "INVALID_AMENDMENT"
    )
    assert "productCharacteristic.name=colour" in body["message"]
    assert_tmf_error(await patch(ordering, order["id"], {"productOrderItem": [{"id": "1"}]}), 400)
    assert_tmf_error(await patch(ordering, order["id"], {"productOrderItem": []}), 422)
    assert orchestrator.amends == []
    stored = await ordering.client.get(f"{ORDERS}/{order['id']}", headers=ordering.auth(Role.channel))
    assert stored.json() == order


async def test_an_amendment_needs_the_workflow(ordering: Api, orchestrator: FakeOrchestrator) -> None:
    order = await placed(ordering, tv_order())
    orchestrator.unavailable = True
    body = assert_tmf_error(await patch(ordering, order["id"], {"productOrderItem": with_stb()}), 503)
    assert body["code"] == "ORCHESTRATOR_UNAVAILABLE"
    orchestrator.unavailable = False
    orchestrator.closed.add(order["id"])
    assert_tmf_error(
        await patch(ordering, order["id"], {"productOrderItem": with_stb()}), 409, "ORDER_NOT_RUNNING"
    )


async def test_another_key_cannot_patch_an_order(ordering: Api) -> None:
    order = await placed(ordering, tv_order())
    response = await ordering.client.patch(
        f"{ORDERS}/{order['id']}", json={"description": "mine now"}, headers=await another_key(ordering)
    )
    assert_tmf_error(response, 404)
