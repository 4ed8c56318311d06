"""cancelProductOrder before and after the point of no return, and the operator's fallout decision."""

from __future__ import annotations

from typing import Any

from httpx import Response
from sqlalchemy import func, select

from runtime.auth.roles import Role
from runtime.ordering.models import CancelProductOrderRow
from runtime.tmf.contract import assert_conforms
from tests.runtime.ordering.fakes import FakeOrchestrator
from tests.runtime.ordering.support import (
    CANCELS,
    another_key,
    assert_tmf_error,
    audits,
    events,
    placed,
    report,
    tv_order,
)
from tests.runtime.support import Api
from workflows.contracts import UpdateOutcome

PONR = UpdateOutcome(accepted=False, reason="point of no return passed: the fibre is being spliced")


async def cancel(api: Api, order_id: str, role: Role = Role.channel, **extra: Any) -> Response:
    body = {"productOrder": {"id": order_id}, "cancellationReason": "changed my mind", **extra}
    return await api.client.post(CANCELS, json=body, headers=api.auth(role))


async def cancel_count(api: Api) -> int:
    async with api.database.sessions() as session:
        return (await session.execute(select(func.count()).select_from(CancelProductOrderRow))).scalar_one()


async def test_an_accepted_cancellation_is_stored_in_progress_then_done(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    order = await placed(ordering, tv_order())
    response = await cancel(ordering, order["id"])
    assert response.status_code == 201, response.text
    task = response.json()
    assert_conforms("TMF622", "CancelProductOrder", task)
    assert (task["state"], task["productOrder"]["id"], task["cancellationReason"]) == (
        "inProgress",
        order["id"],
        "changed my mind",
    )
    ((order_id, request),) = orchestrator.cancels
    assert (order_id, request.cancelId, request.reason) == (order["id"], task["id"], "changed my mind")
    assert len(await events(ordering, "CancelProductOrderCreateEvent")) == 1
    await report(
        ordering, order["id"], 1, "cancelled", {"1": "cancelled"}, cancellationReason="changed my mind"
    )
    done = await ordering.client.get(f"{CANCELS}/{task['id']}", headers=ordering.auth(Role.channel))
    assert done.json()["state"] == "done" and "effectiveCancellationDate" in done.json()
    (changed,) = await events(ordering, "CancelProductOrderStateChangeEvent")
    assert changed["cancelProductOrder"]["state"] == "done"
    order_now = (
        await ordering.client.get(task["productOrder"]["href"], headers=ordering.auth(Role.channel))
    ).json()
    assert (order_now["state"], order_now["cancellationReason"]) == ("cancelled", "changed my mind")
    assert "cancellationDate" in order_now
    assert [r.action for r in await audits(ordering, task["id"])] == ["create", "update_state"]


async def test_a_cancellation_the_order_outran_ends_with_an_error(ordering: Api) -> None:
    order = await placed(ordering, tv_order())
    task = (await cancel(ordering, order["id"])).json()
    await report(ordering, order["id"], 1, "completed", {"1": "completed"})
    read = await ordering.client.get(f"{CANCELS}/{task['id']}", headers=ordering.auth(Role.channel))
    assert read.json()["state"] == "terminatedWithError"


async def test_a_cancellation_after_the_point_of_no_return_is_refused_and_not_stored(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    order = await placed(ordering, tv_order())
    orchestrator.outcome = PONR
    body = assert_tmf_error(await cancel(ordering, order["id"]), 409, "CANCELLATION_REFUSED")
    assert body["message"] == PONR.reason
    assert await cancel_count(ordering) == 0


async def test_a_final_order_cannot_be_cancelled(ordering: Api, orchestrator: FakeOrchestrator) -> None:
    order = await placed(ordering, tv_order())
    await report(ordering, order["id"], 1, "completed", {"1": "completed"})
    assert_tmf_error(await cancel(ordering, order["id"]), 409, "ORDER_FINAL")
    assert orchestrator.cancels == []


async def test_cancelling_needs_the_workflow_and_a_visible_order(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    order = await placed(ordering, tv_order())
    orchestrator.unavailable = True
    assert_tmf_error(await cancel(ordering, order["id"]), 503)
    orchestrator.unavailable = False
    assert_tmf_error(await cancel(ordering, "no-such-order"), 404)
    other = await ordering.client.post(
        CANCELS, json={"productOrder": {"id": order["id"]}}, headers=await another_key(ordering)
    )
    assert_tmf_error(other, 404)
    assert_tmf_error(
        await ordering.client.post(
            CANCELS, json={"cancellationReason": "x"}, headers=ordering.auth(Role.channel)
        ),
        400,
    )
    assert await cancel_count(ordering) == 0


async def test_cancellations_are_listed_per_key(ordering: Api) -> None:
    order = await placed(ordering, tv_order())
    task = (await cancel(ordering, order["id"])).json()
    mine = await ordering.client.get(CANCELS, headers=ordering.auth(Role.channel))
    assert [t["id"] for t in mine.json()] == [task["id"]]
    theirs = await ordering.client.get(CANCELS, headers=await another_key(ordering))
    assert theirs.json() == []
    hidden = await ordering.client.get(f"{CANCELS}/{task['id']}", headers=await another_key(ordering))
    assert_tmf_error(hidden, 404)
    by_order = await ordering.client.get(
        CANCELS, params={"productOrder.id": order["id"]}, headers=ordering.auth(Role.admin)
    )
    assert [t["id"] for t in by_order.json()] == [task["id"]]


def fallout_path(order_id: str) -> str:
    return f"/api/v1/productOrder/{order_id}/falloutDecision"


async def test_an_operator_decides_a_fallout(ordering: Api, orchestrator: FakeOrchestrator) -> None:
    order = await placed(ordering, tv_order())
    await report(ordering, order["id"], 1, "held", {"1": "held"})
    decision = {"stepId": "1/activate", "decision": "retry", "note": "OSS fixed"}
    response = await ordering.client.post(
        fallout_path(order["id"]), json=decision, headers=ordering.auth(Role.admin)
    )
    assert response.status_code == 202, response.text
    assert response.json()["accepted"] is True
    ((order_id, sent),) = orchestrator.decisions
    assert (order_id, sent.stepId, sent.decision, sent.note) == (
        order["id"],
        "1/activate",
        "retry",
        "OSS fixed",
    )
    (audit,) = [r for r in await audits(ordering, order["id"]) if r.action == "falloutDecision"]
    assert audit.after["decision"] == "retry"


async def test_a_fallout_decision_is_for_admin_and_checked(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    order = await placed(ordering, tv_order())
    admin, path = ordering.auth(Role.admin), fallout_path(order["id"])
    decision = {"stepId": "1/activate", "decision": "skip"}
    assert_tmf_error(
        await ordering.client.post(path, json=decision, headers=ordering.auth(Role.channel)), 403
    )
    for bad in ({"stepId": "1/activate", "decision": "pray"}, {"decision": "skip"}, {**decision, "x": 1}):
        assert_tmf_error(await ordering.client.post(path, json=bad, headers=admin), 400)
    assert_tmf_error(await ordering.client.post(fallout_path("nope"), json=decision, headers=admin), 404)
    orchestrator.outcome = UpdateOutcome(accepted=False, reason="step 1/activate is not in fallout")
    body = assert_tmf_error(await ordering.client.post(path, json=decision, headers=admin), 409)
    assert (body["code"], body["message"]) == (
        "FALLOUT_DECISION_REFUSED",
        "step 1/activate is not in fallout",
    )
