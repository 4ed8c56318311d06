from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from runtime.audit.models import AuditRecord
from runtime.auth.roles import Principal, Role
from runtime.bootstrap import Services, build_services
from runtime.config import Settings
from runtime.db.base import utcnow
from runtime.events import repository
from runtime.events.dispatcher import Dispatcher
from runtime.events.models import DeliveryState
from runtime.events.service import publish_event, subscribe
from tests.runtime.events.listener import Listener, eventually
from tests.runtime.events.support import ORDERING, STATE_CHANGE, order, publish, register
from tests.runtime.support import Api

DELIVERIES = "/admin/event-deliveries"
Listeners = Callable[..., Listener]


async def test_dead_deliveries_are_listed_for_admins_and_can_be_redelivered(
    api: Api, dispatcher: Dispatcher, listeners: Listeners
) -> None:
    listener = listeners(script=[500, 500, 500], then=200)
    created = await register(api, listener.url)
    await publish(api.database, order("po-dead"))

    async def dead_listed() -> bool:
        await dispatcher.run_once()
        response = await api.client.get(DELIVERIES, params={"state": "dead"}, headers=api.auth(Role.admin))
        return response.json() != []

    await eventually(dead_listed)
    response = await api.client.get(
        DELIVERIES, params={"state": "dead", "subscriptionId": created["id"]}, headers=api.auth(Role.admin)
    )
    (dead,) = response.json()
    assert response.headers["x-total-count"] == "1" and response.headers["x-result-count"] == "1"
    assert (dead["eventType"], dead["attempts"], dead["lastStatus"], dead["lastError"]) == (
        STATE_CHANGE,
        3,
        500,
        "HTTP 500",
    )

    redelivered = await api.client.post(f"{DELIVERIES}/{dead['id']}/redeliver", headers=api.auth(Role.admin))
    assert redelivered.status_code == 200, redelivered.text
    assert (redelivered.json()["state"], redelivered.json()["attempts"]) == ("pending", 0)

    async def delivered() -> bool:
        await dispatcher.run_once()
        response = await api.client.get(
            DELIVERIES, params={"state": "delivered"}, headers=api.auth(Role.admin)
        )
        return len(response.json()) == 1

    await eventually(delivered)
    assert len(set(listener.event_ids())) == 1 and len(listener.received) == 4
    again = await api.client.post(f"{DELIVERIES}/{dead['id']}/redeliver", headers=api.auth(Role.admin))
    assert again.status_code == 409 and again.json()["code"] == "CONFLICT"
    async with api.database.sessions() as session:
        audited = (await session.scalars(select(AuditRecord).where(AuditRecord.action == "redeliver"))).all()
    assert [(a.entity_id, a.before["state"], a.after["state"]) for a in audited] == [
        (dead["id"], "dead", "pending")
    ]


@pytest.mark.parametrize(("method", "path"), [("get", DELIVERIES), ("post", f"{DELIVERIES}/any/redeliver")])
async def test_only_admins_see_and_redeliver_deliveries(api: Api, method: str, path: str) -> None:
    for role in (Role.channel, Role.product_manager, Role.oss):
        response = await getattr(api.client, method)(path, headers=api.auth(role))
        assert response.status_code == 403 and response.json()["code"] == "FORBIDDEN"


async def test_delivery_listing_refuses_unknown_states_and_redelivery_unknown_ids(api: Api) -> None:
    listing = await api.client.get(DELIVERIES, params={"state": "lost"}, headers=api.auth(Role.admin))
    assert listing.status_code == 400 and listing.json()["code"] == "INVALID_QUERY"
    too_many = await api.client.get(DELIVERIES, params={"limit": "100000"}, headers=api.auth(Role.admin))
    assert too_many.status_code == 400
    missing = await api.client.post(f"{DELIVERIES}/nope/redeliver", headers=api.auth(Role.admin))
    assert missing.status_code == 404 and missing.json()["code"] == "NOT_FOUND"


async def test_a_worker_that_died_mid_attempt_loses_its_claim_to_the_next_after_the_lease(
    services: Services,
) -> None:
    owner = Principal("k-owner", "listener owner", Role.channel)
    async with services.database.unit_of_work() as session:
        await subscribe(session, owner, ORDERING, "http://127.0.0.1:9/none", "")
        await publish_event(session, ORDERING, STATE_CHANGE, order("po-lease"))
    now = utcnow()
    lease = timedelta(seconds=30)
    async with services.database.unit_of_work() as session:
        (first,) = await repository.claim_due(session, now, now + lease, 10, 10)
        assert await repository.claim_due(session, now, now + lease, 10, 10) == []  # leased: not due
    later = now + lease + timedelta(seconds=1)
    async with services.database.unit_of_work() as session:
        (second,) = await repository.claim_due(session, later, later + lease, 10, 10)
    assert (second.id, second.event_id, second.attempt) == (first.id, first.event_id, first.attempt + 1)
    async with services.database.unit_of_work() as session:
        # The stale worker's late outcome is fenced off; the current claim's is recorded.
        assert not await repository.finish(session, first, DeliveryState.delivered, delivered_at=later)
        assert await repository.finish(session, second, DeliveryState.delivered, delivered_at=later)


async def test_publishing_an_unknown_api_event_type_or_non_json_resource_fails_the_write(
    services: Services,
) -> None:
    attempts = [
        ("usageManagement", STATE_CHANGE, order("x"), ValueError),
        (ORDERING, "ProductOrderStateChangedEvent", order("x"), ValueError),
        (ORDERING, STATE_CHANGE, {"id": "x", "when": utcnow()}, TypeError),
    ]
    for api, event_type, resource, error in attempts:
        with pytest.raises(error):
            async with services.database.unit_of_work() as session:
                await publish_event(session, api, event_type, resource)


async def test_started_services_deliver_in_the_background(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, listeners: Listeners
) -> None:
    monkeypatch.setenv("SWITCHBOARD_EVENT_DISPATCH", "1")
    monkeypatch.setenv("SWITCHBOARD_EVENT_POLL_SECONDS", "0.02")
    listener = listeners()
    services = build_services(settings)
    await services.start()
    try:
        async with services.database.unit_of_work() as session:
            await subscribe(session, Principal("k1", "a channel", Role.channel), ORDERING, listener.url, "")
            await publish_event(session, ORDERING, STATE_CHANGE, order("po-bg"))
        await eventually(lambda: len(listener.received) == 1)
    finally:
        await services.stop()
    assert listener.received[0].json["event"]["productOrder"]["id"] == "po-bg"
