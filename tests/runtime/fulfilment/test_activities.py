"""The real activities, run in Temporal's activity environment against the database and the OSS simulator."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from runtime.bootstrap import Services
from runtime.fulfilment.oss_client import OssClient
from runtime.oss_simulator.config import SimulatorConfig
from tests.runtime.oss_simulator.harness import INSTANT, OSS_KEY, SECRET, Receiver, RunningSimulator
from workflows.activities import OrderActivities
from workflows.contracts import ItemProgress, OrderInput, OrderItemInput, OrderProgress
from workflows.plan_view import BillingRequest, InventoryRequest, ServiceOrderRequest

ORDER = OrderInput(
    "ORD-A1",
    "2026.2",
    "CUST-1001",
    [OrderItemInput("1", "mobile-5g-m", "add", characteristics={"numberPortIn": False})],
    "2026-07-15T10:00:00+00:00",
)


@pytest.fixture
def simulator() -> Iterator[RunningSimulator]:
    receiver = Receiver()
    config = SimulatorConfig(
        callback_url=receiver.url, api_key=OSS_KEY, secret=SECRET, seed=1, behaviour=INSTANT
    )
    running = RunningSimulator(config)
    yield running
    running.close()
    receiver.close()


async def test_the_activities_plan_submit_and_complete_an_order(
    published: Services, simulator: RunningSimulator
) -> None:
    oss = OssClient(f"http://127.0.0.1:{simulator.port}/tmf-api/serviceOrdering/v4", SECRET)
    activities = OrderActivities(published, oss)
    environment = ActivityEnvironment()
    try:
        plan = await environment.run(activities.plan_order, ORDER)
        assert [s.id for s in plan.steps][-1] == "1/activate-line"
        first = plan.steps[0]
        request = ServiceOrderRequest(
            ORDER.orderId,
            first.id,
            f"{ORDER.orderId}/{first.id}#1",
            first.action,
            first.serviceSpecification,
            first.name,
        )
        created = await environment.run(activities.submit_service_order, request)
        assert await environment.run(activities.submit_service_order, request) == created
        inventory = await environment.run(
            activities.complete_inventory, InventoryRequest(ORDER, ORDER.items, "2026-07-16T10:00:00+00:00")
        )
        billing = BillingRequest(
            ORDER.orderId, ORDER.releaseId, inventory.products, "2026-07-16T10:00:00+00:00"
        )
        await environment.run(activities.start_billing, billing)
        await environment.run(activities.start_billing, billing)
    finally:
        await oss.close()
    assert simulator.stats()["byExternalId"][request.externalId]["serviceOrdersCreated"] == 1
    assert [p.productOffering for p in inventory.products] == ["mobile-5g-m"]


async def test_business_refusals_are_not_retried(published: Services) -> None:
    oss = OssClient("http://127.0.0.1:9/unused", SECRET)
    activities = OrderActivities(published, oss)
    environment = ActivityEnvironment()
    try:
        unknown = replace(ORDER, items=[OrderItemInput("1", "no-such-offering", "add")])
        with pytest.raises(ApplicationError) as planning:
            await environment.run(activities.plan_order, unknown)
        assert planning.value.non_retryable and planning.value.type == "PlanRefused"
        progress = OrderProgress(
            "ORD-never-captured", 1, "inProgress", [ItemProgress("1", "inProgress")], [], []
        )
        with pytest.raises(ApplicationError) as recording:
            await environment.run(activities.record_progress, progress)
        assert recording.value.non_retryable and recording.value.type == "ProgressRefused"
    finally:
        await oss.close()
