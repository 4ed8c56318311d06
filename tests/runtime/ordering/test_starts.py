"""The workflow-start outbox: an acknowledged order always gets its workflow, started once."""

from __future__ import annotations

import asyncio

from engine.spec.loader import read_folder
from runtime.auth.roles import Principal, Role
from runtime.bootstrap import Services
from runtime.customers.sample import seed_sample_customers
from runtime.ordering import service
from runtime.ordering.no_orchestrator import NoOrchestrator
from runtime.ordering.starts import OrderStarts
from tests.runtime.catalog.test_tmf620_support import AUGUST_2026, SAMPLE_CATALOG
from tests.runtime.ordering.fakes import FakeOrchestrator
from tests.runtime.ordering.support import placed, start_intent, tv_order
from tests.runtime.support import Api

ADMIN = Principal("test-admin", "test admin", Role.admin)


async def test_the_relay_starts_an_order_whose_first_start_failed_exactly_once(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    orchestrator.unavailable_starts = 1
    order = await placed(ordering, tv_order())
    assert order["state"] == "acknowledged"
    assert orchestrator.started == {}
    relay = OrderStarts(ordering.database, orchestrator)
    await relay.run_once()  # the app's own relay may have taken it already: either way, once
    for _ in range(50):
        if order["id"] in orchestrator.started:
            break
        await asyncio.sleep(0.1)
    assert list(orchestrator.started) == [order["id"]]
    assert orchestrator.start_calls == [order["id"], order["id"]]
    intent = await start_intent(ordering, order["id"])
    assert intent is not None and intent.started_at is not None and intent.last_error is None
    assert await relay.run_once() == 0
    assert orchestrator.start_calls == [order["id"], order["id"]]


async def test_the_background_relay_starts_orders_once_the_engine_is_back(
    ordering: Api, orchestrator: FakeOrchestrator
) -> None:
    orchestrator.unavailable_starts = 3
    order = await placed(ordering, tv_order())
    for _ in range(100):  # three failures then a success, about one second apart (backoff 1, 2 s)
        if order["id"] in orchestrator.started:
            break
        await asyncio.sleep(0.1)
    assert order["id"] in orchestrator.started
    assert orchestrator.start_calls.count(order["id"]) == 4


async def _captured_without_engine(services: Services) -> str:
    """An order acknowledged in a process with no workflow engine, its relay stopped: its start pends."""
    await services.order_starts.stop()
    services.order_starts.orchestrator = NoOrchestrator()
    store = services.catalog
    for release_id in ("2026.1", "2026.2"):
        documents, _ = read_folder(SAMPLE_CATALOG / release_id)
        async with services.database.unit_of_work() as session:
            await store.publish(session, ADMIN, documents, origin=release_id)
    async with services.database.unit_of_work() as session:
        await seed_sample_customers(session)
    store.clock = lambda: AUGUST_2026
    placed = await service.place(
        services.database, services.order_starts, store, ADMIN, tv_order(), None, 1.0
    )
    assert placed.resource["state"] == "acknowledged"
    order_id: str = placed.resource["id"]
    return order_id


async def test_a_failed_start_is_due_for_the_relay_at_once(services: Services) -> None:
    order_id = await _captured_without_engine(services)
    fake = FakeOrchestrator()
    relay = OrderStarts(services.database, fake)
    assert await relay.run_once() == 1
    assert fake.start_calls == [order_id]
    assert await relay.run_once() == 0


async def test_two_relays_start_an_order_once(services: Services) -> None:
    order_id = await _captured_without_engine(services)
    fake = FakeOrchestrator()
    first, second = OrderStarts(services.database, fake), OrderStarts(services.database, fake)
    counts = await asyncio.gather(first.run_once(), second.run_once())
    assert sorted(counts) == [0, 1]
    assert fake.start_calls == [order_id]


async def test_a_process_without_a_workflow_engine_leaves_pending_starts_alone(services: Services) -> None:
    order_id = await _captured_without_engine(services)
    idle = OrderStarts(services.database, NoOrchestrator())
    assert await idle.run_once() == 0
    fake = FakeOrchestrator()
    assert await OrderStarts(services.database, fake).run_once() == 1
    assert fake.start_calls == [order_id]
