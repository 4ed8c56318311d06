from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from runtime.auth.roles import Role
from runtime.config import Settings
from runtime.events.dispatcher import Dispatcher
from runtime.events.models import DeliveryState, EventDelivery, OutboxEvent
from runtime.events.service import publish_event
from runtime.events.signing import verify
from runtime.tmf.contract import assert_conforms
from tests.runtime.events.listener import Listener, closed_port_url, eventually
from tests.runtime.events.support import FAST, HUB, ORDERING, STATE_CHANGE, order, publish, register
from tests.runtime.support import Api

Listeners = Callable[..., Listener]


async def deliveries(api: Api) -> list[EventDelivery]:
    async with api.database.sessions() as session:
        return list((await session.scalars(select(EventDelivery).order_by(EventDelivery.created_at))).all())


async def dispatch_until(dispatcher: Dispatcher, done: Callable[[], Any]) -> None:
    async def attempt_then_check() -> bool:
        await dispatcher.run_once()
        result = done()
        return bool(await result) if asyncio.iscoroutine(result) else bool(result)

    await eventually(attempt_then_check)


async def test_a_subscribed_event_arrives_signed_with_a_stable_id_at_the_tmf_listener_path(
    api: Api, dispatcher: Dispatcher, listeners: Listeners, settings: Settings
) -> None:
    listener = listeners()
    created = await register(api, listener.url + "/hooks/orders")
    await publish(api.database, order("po-1", "completed"))
    await dispatch_until(dispatcher, lambda: listener.received)

    (received,) = listener.received
    assert received.path == "/hooks/orders/listener/productOrderStateChangeEvent"
    headers = received.headers
    assert verify(
        created["secret"],
        headers["X-Switchboard-Timestamp"],
        received.body,
        headers["X-Switchboard-Signature"],
    )
    # The server's own secret signs bearer tokens; it must never be what a listener can verify with.
    assert not verify(
        settings.signing_secret,
        headers["X-Switchboard-Timestamp"],
        received.body,
        headers["X-Switchboard-Signature"],
    )
    event = received.json
    assert_conforms("TMF688", "Event", event)
    assert_conforms("TMF622", "ProductOrderStateChangeEvent", event)
    assert event["eventId"] == received.event_id
    assert event["eventType"] == STATE_CHANGE
    assert event["event"] == {"productOrder": order("po-1", "completed")}
    (delivery,) = await deliveries(api)
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.delivered, 1, 204)


async def test_a_listener_failing_twice_gets_the_event_again_with_the_same_id(
    api: Api, dispatcher: Dispatcher, listeners: Listeners
) -> None:
    listener = listeners(script=[500, 503], then=200)
    created = await register(api, listener.url)
    await publish(api.database, order("po-2"))

    async def delivered() -> bool:
        return (await deliveries(api))[0].state == DeliveryState.delivered

    await dispatch_until(dispatcher, delivered)
    assert len(listener.received) == 3
    assert len(set(listener.event_ids())) == 1
    assert {r.json["eventId"] for r in listener.received} == set(listener.event_ids())
    for received in listener.received:  # each attempt is signed afresh
        assert verify(
            created["secret"],
            received.headers["X-Switchboard-Timestamp"],
            received.body,
            received.headers["X-Switchboard-Signature"],
        )
    (delivery,) = await deliveries(api)
    assert (delivery.attempts, delivery.last_status, delivery.last_error) == (3, 200, None)


@pytest.mark.parametrize("failure", ["refused", "always 500"])
async def test_a_dead_listener_ends_dead_and_does_not_keep_a_healthy_one_waiting(
    api: Api, dispatcher: Dispatcher, listeners: Listeners, failure: str
) -> None:
    dead_url = closed_port_url() if failure == "refused" else listeners(then=500).url
    healthy = listeners()
    dead_subscription = await register(api, dead_url)
    await register(api, healthy.url)
    await publish(api.database, order("po-3"))

    async def settled() -> bool:
        return all(d.state in (DeliveryState.dead, DeliveryState.delivered) for d in await deliveries(api))

    await dispatch_until(dispatcher, settled)
    assert len(healthy.received) == 1
    by_subscription = {d.subscription_id: d for d in await deliveries(api)}
    dead = by_subscription.pop(dead_subscription["id"])
    assert (dead.state, dead.attempts) == (DeliveryState.dead, FAST.max_attempts)
    assert dead.last_error
    assert [d.state for d in by_subscription.values()] == [DeliveryState.delivered]
    assert await dispatcher.run_once() == 0  # dead is final: nothing is attempted again


async def test_a_hanging_listener_holds_only_its_own_slots_while_others_are_served(
    api: Api, settings: Settings, listeners: Listeners
) -> None:
    hanging, healthy = listeners(hold=True), listeners()
    held = await register(api, hanging.url)
    await register(api, healthy.url)
    for number in range(6):
        await publish(api.database, order(f"po-h{number}"))
    policy = replace(FAST, timeout_seconds=60.0, concurrency=4, per_subscription=2)
    background = Dispatcher(api.database, settings.signing_secret, policy)
    await background.start()
    try:
        # All six reach the healthy listener while the hanging one still holds its first requests.
        await eventually(lambda: len(healthy.received) == 6 and hanging.holding == 2)
        assert len(hanging.received) == 2  # the per-subscription cap: the rest wait their turn
    finally:
        await background.stop()
    # Stopping abandons the two attempts in progress: due again at once, not after their lease.
    interrupted = [d for d in await deliveries(api) if d.subscription_id == held["id"] and d.attempts == 1]
    assert [(d.state, d.last_error) for d in interrupted] == [(DeliveryState.pending, "interrupted")] * 2


async def test_an_event_published_in_a_rolled_back_transaction_is_never_delivered(
    api: Api, dispatcher: Dispatcher, listeners: Listeners
) -> None:
    listener = listeners()
    await register(api, listener.url)
    with pytest.raises(RuntimeError, match="order write failed"):
        async with api.database.unit_of_work() as session:
            await publish_event(session, ORDERING, STATE_CHANGE, order("rolled-back"))
            raise RuntimeError("the order write failed")
    await publish(api.database, order("committed"))
    await dispatch_until(dispatcher, lambda: listener.received)
    assert await dispatcher.run_once() == 0
    assert [r.json["event"]["productOrder"]["id"] for r in listener.received] == ["committed"]
    async with api.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxEvent)) == 1


async def test_queries_choose_which_events_each_listener_gets(
    api: Api, dispatcher: Dispatcher, listeners: Listeners
) -> None:
    creations, completions, everything = listeners(), listeners(), listeners()
    await register(api, creations.url, "eventType=ProductOrderCreateEvent")
    await register(api, completions.url, f"eventType={STATE_CHANGE}&state=completed,failed")
    await register(api, everything.url)
    inventory = listeners()
    response = await api.client.post(
        "/tmf-api/productInventory/v4/hub", json={"callback": inventory.url}, headers=api.auth(Role.channel)
    )
    assert response.status_code == 201
    await publish(api.database, order("po-a", "acknowledged"), "ProductOrderCreateEvent")
    await publish(api.database, order("po-a", "inProgress"))
    await publish(api.database, order("po-a", "completed"))

    await dispatch_until(dispatcher, lambda: len(everything.received) == 3)
    assert await dispatcher.run_once() == 0
    assert [r.json["eventType"] for r in creations.received] == ["ProductOrderCreateEvent"]
    assert [r.json["event"]["productOrder"]["state"] for r in completions.received] == ["completed"]
    assert inventory.received == []
    assert len(await deliveries(api)) == 5


async def test_unregistering_cancels_what_was_still_pending(
    api: Api, dispatcher: Dispatcher, listeners: Listeners
) -> None:
    listener = listeners()
    created = await register(api, listener.url)
    await publish(api.database, order("po-c"))
    assert (
        await api.client.delete(f"{HUB}/{created['id']}", headers=api.auth(Role.channel))
    ).status_code == 204
    await publish(api.database, order("po-d"))  # after removal: no delivery at all
    assert await dispatcher.run_once() == 0
    assert listener.received == []
    assert [d.state for d in await deliveries(api)] == [DeliveryState.cancelled]


async def test_concurrent_dispatchers_never_attempt_the_same_delivery_twice(
    api: Api, settings: Settings, listeners: Listeners
) -> None:
    listener = listeners()
    await register(api, listener.url)
    for number in range(12):
        await publish(api.database, order(f"po-{number}"))
    policy = replace(FAST, concurrency=3, per_subscription=50)
    workers = [Dispatcher(api.database, settings.signing_secret, policy) for _ in range(3)]
    try:

        async def round_() -> bool:
            await asyncio.gather(*(worker.run_once() for worker in workers))
            return len(listener.received) >= 12

        await eventually(round_)
    finally:
        for worker in workers:
            await worker.stop()
    assert sorted(listener.event_ids()) == sorted(set(listener.event_ids()))
    assert len(listener.received) == 12
