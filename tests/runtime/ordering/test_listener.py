"""The OSS listener: HMAC-verified TMF641 service order events, signalled to the order's workflow."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from httpx import Response

from runtime.auth.roles import Role
from runtime.events.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from tests.runtime.ordering.fakes import FakeOrchestrator
from tests.runtime.ordering.support import LISTENER, assert_tmf_error, placed, tv_order
from tests.runtime.support import Api

STATE_CHANGE = f"{LISTENER}/serviceOrderStateChangeEvent"
ATTRIBUTE_CHANGE = f"{LISTENER}/serviceOrderAttributeValueChangeEvent"
SECRET = "test-oss-secret"  # the settings fixture's


def event(order_id: str, event_type: str = "ServiceOrderStateChangeEvent", **order: Any) -> dict[str, Any]:
    service_order = {"id": "SO-1", "externalId": f"{order_id}/1/activate#1", "state": "completed", **order}
    return {
        "eventId": "ev-1",
        "eventType": event_type,
        "eventTime": "2026-08-01T10:00:00Z",
        "event": {"serviceOrder": service_order},
    }


async def deliver(
    api: Api, body: dict[str, Any], path: str = STATE_CHANGE, secret: str = SECRET, role: Role = Role.oss
) -> Response:
    raw = json.dumps(body).encode()
    stamp = int(time.time())
    headers = api.auth(role) | {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(stamp),
        SIGNATURE_HEADER: sign(secret, stamp, raw),
    }
    return await api.client.post(path, content=raw, headers=headers)


async def test_a_signed_callback_reaches_the_workflow(ordering: Api, orchestrator: FakeOrchestrator) -> None:
    order = await placed(ordering, tv_order())
    response = await deliver(ordering, event(order["id"], serviceOrderItem=[{"id": "1", "quantity": 2}]))
    assert response.status_code == 202, response.text
    assert response.json() == {"eventId": "ev-1", "orderId": order["id"], "status": "accepted"}
    ((order_id, callback),) = orchestrator.callbacks
    assert order_id == order["id"]
    assert (callback.serviceOrderId, callback.state, callback.externalId) == (
        "SO-1",
        "completed",
        f"{order['id']}/1/activate#1",
    )
    assert callback.attributes == {"serviceOrderItem": [{"id": "1", "quantity": 2}]}


async def test_an_attribute_change_has_its_own_listener(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    order = await placed(ordering, tv_order())
    body = event(order["id"], "ServiceOrderAttributeValueChangeEvent")
    assert (await deliver(ordering, body, ATTRIBUTE_CHANGE)).status_code == 202
    assert orchestrator.callbacks[0][1].eventType == "ServiceOrderAttributeValueChangeEvent"
    assert_tmf_error(await deliver(ordering, body), 422, "INVALID_CALLBACK")  # a wrong type for the path


async def test_duplicates_are_passed_on_for_the_workflow_to_drop(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    order = await placed(ordering, tv_order())
    for _ in range(2):
        assert (await deliver(ordering, event(order["id"]))).status_code == 202
    assert [c.eventId for _, c in orchestrator.callbacks] == ["ev-1", "ev-1"]


async def test_a_bad_or_missing_signature_is_401(ordering: Api, orchestrator: FakeOrchestrator) -> None:
    order = await placed(ordering, tv_order())
    assert_tmf_error(await deliver(ordering, event(order["id"]), secret="guessed"), 401, "INVALID_SIGNATURE")
    unsigned = await ordering.client.post(
        STATE_CHANGE, json=event(order["id"]), headers=ordering.auth(Role.oss)
    )
    assert_tmf_error(unsigned, 401, "INVALID_SIGNATURE")
    assert orchestrator.callbacks == []


async def test_only_the_oss_and_admin_may_call_back(ordering: Api) -> None:
    order = await placed(ordering, tv_order())
    for role in (Role.channel, Role.product_manager):
        assert_tmf_error(await deliver(ordering, event(order["id"]), role=role), 403)
    assert (await deliver(ordering, event(order["id"]), role=Role.admin)).status_code == 202


async def test_a_callback_for_an_unknown_order_is_404(ordering: Api) -> None:
    assert_tmf_error(await deliver(ordering, event("no-such-order")), 404)


async def test_an_unreachable_workflow_engine_is_503_so_the_oss_retries(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    order = await placed(ordering, tv_order())
    orchestrator.unavailable = True
    assert_tmf_error(await deliver(ordering, event(order["id"])), 503, "ORCHESTRATOR_UNAVAILABLE")


async def test_a_callback_for_a_closed_workflow_is_accepted_and_ignored(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    order = await placed(ordering, tv_order())
    orchestrator.closed.add(order["id"])
    response = await deliver(ordering, event(order["id"]))
    assert response.status_code == 202
    assert response.json()["status"] == "ignored"
    assert orchestrator.callbacks == []


@pytest.mark.parametrize(
    "body",
    [
        {"eventId": "ev-1"},
        {**event("x"), "event": {}},
        {**event("x"), "eventTime": 12},
        event("x", state=None),
    ],
)
async def test_a_malformed_callback_is_422(ordering: Api, body: dict[str, Any]) -> None:
    assert_tmf_error(await deliver(ordering, body), 422, "INVALID_CALLBACK")


async def test_a_body_that_is_not_json_is_400(ordering: Api) -> None:
    raw, stamp = b"{not json", int(time.time())
    headers = ordering.auth(Role.oss) | {
        TIMESTAMP_HEADER: str(stamp),
        SIGNATURE_HEADER: sign(SECRET, stamp, raw),
    }
    assert_tmf_error(await ordering.client.post(STATE_CHANGE, content=raw, headers=headers), 400)
