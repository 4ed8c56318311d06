"""Fake activities under the real names (the samples-python way) and an OSS the test drives by hand.

Planning stays real: the fake plans with the engine and `runtime.fulfilment.planning` against the sample
catalog release, so the DAG the workflow runs is the one production would run.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from temporalio import activity
from temporalio.client import Client, WorkflowHandle
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from engine.orderflow import amend, plan_order
from engine.spec.loader import load_release
from engine.spec.release import CatalogRelease
from runtime.fulfilment.planning import plan_items, plan_view, step_view
from runtime.temporal.worker import RUNNER
from workflows.contracts import (
    QUERY_STATUS,
    SIGNAL_OSS_CALLBACK,
    OrderInput,
    OrderItemInput,
    OrderProgress,
    OssCallback,
    service_order_external_id,
    workflow_id,
)
from workflows.plan_view import (
    ACTIVITY_AMEND_PLAN,
    ACTIVITY_BILLING,
    ACTIVITY_INVENTORY,
    ACTIVITY_PLAN,
    ACTIVITY_PROGRESS,
    ACTIVITY_SUBMIT,
    AmendPlanRequest,
    AmendView,
    BillingRequest,
    InventoryRequest,
    InventoryResult,
    ItemProduct,
    PlanView,
    ServiceOrderRequest,
)
from workflows.product_order import ProductOrderWorkflow

SAMPLE_RELEASE = Path(__file__).resolve().parents[2] / "catalog_specs" / "2026.2"
ORDER_DATE = "2026-07-15T10:00:00+00:00"
COMPLETE = ("acknowledged", "inProgress", "completed")
# 1 h of flow time is 3.6 s here; the shortest sample step (15 min) still gets 0.9 s.
TIME_SCALE = 0.001


@cache
def sample_release() -> CatalogRelease:
    release = load_release(SAMPLE_RELEASE).release
    assert release is not None
    return release


def order_input(*items: tuple[str, str, str], time_scale: float = TIME_SCALE) -> OrderInput:
    """An order of (itemId, offering, action) items on the sample release."""
    return OrderInput(
        orderId=f"ORD-{uuid.uuid4().hex[:10]}",
        releaseId="2026.2",
        customerId="CUST-1001",
        items=[OrderItemInput(i, offering, action) for i, offering, action in items],
        orderDate=ORDER_DATE,
        timeScale=time_scale,
    )


CONVERGED = (("1", "converged-home", "add"), ("2", "fibre-1000", "add"), ("5", "tv-essential", "add"))


async def until(predicate: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


class FakeFulfilment:
    """The activities, with an OSS that answers by itself (`auto`) or when the test says so."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.posts: list[ServiceOrderRequest] = []  # every submit call, retries included
        self.progress: list[OrderProgress] = []
        self.inventory: list[InventoryRequest] = []
        self.billing: list[BillingRequest] = []
        self.oss_down = False
        self.refused_while_down = 0
        self.answer_before_returning = False
        # What the OSS sends back for a service order by itself; None: nothing, the test answers.
        self.auto: Callable[[ServiceOrderRequest], Sequence[str] | None] = lambda _: COMPLETE
        self.events: list[OssCallback] = []
        self._pending: set[asyncio.Task[None]] = set()
        self.queue = ""  # the task queue of the worker running these activities

    @property
    def activities(self) -> list[Callable[..., Any]]:
        return [self.plan, self.amend_plan, self.submit, self.record, self.complete_inventory, self.start]

    @activity.defn(name=ACTIVITY_PLAN)
    async def plan(self, order: OrderInput) -> PlanView:
        at = datetime.fromisoformat(order.orderDate)
        try:
            return plan_view(plan_order(sample_release(), plan_items(order.items), at))
        except Exception as error:
            raise ApplicationError(str(error), type="PlanRefused", non_retryable=True) from error

    @activity.defn(name=ACTIVITY_AMEND_PLAN)
    async def amend_plan(self, request: AmendPlanRequest) -> AmendView:
        at = datetime.fromisoformat(request.order.orderDate)
        current = plan_order(sample_release(), plan_items(request.currentItems), at)
        diff = amend(current, plan_items(request.newItems))
        return AmendView(
            added=[s.id for s in diff.added],
            removed=[s.id for s in diff.removed],
            unchanged=[s.id for s in diff.unchanged],
            steps=[step_view(s) for s in diff.plan.steps],
        )

    @activity.defn(name=ACTIVITY_SUBMIT)
    async def submit(self, request: ServiceOrderRequest) -> str:
        if self.oss_down:
            self.refused_while_down += 1
            raise RuntimeError("connection refused (the OSS is down)")
        self.posts.append(request)
        states = self.auto(request)
        if states:
            if self.answer_before_returning:
                await self.answer(request.externalId, *states)
            else:
                task = asyncio.create_task(self.answer(request.externalId, *states))
                self._pending.add(task)
                task.add_done_callback(self._pending.discard)
        return self.service_order_id(request.externalId)

    @activity.defn(name=ACTIVITY_PROGRESS)
    async def record(self, progress: OrderProgress) -> None:
        self.progress.append(progress)

    @activity.defn(name=ACTIVITY_INVENTORY)
    async def complete_inventory(self, request: InventoryRequest) -> InventoryResult:
        self.inventory.append(request)
        return InventoryResult(
            [ItemProduct(i.itemId, f"P-{i.itemId}", i.productOffering, i.action) for i in request.items]
        )

    @activity.defn(name=ACTIVITY_BILLING)
    async def start(self, request: BillingRequest) -> None:
        self.billing.append(request)

    # Driving the OSS side

    @staticmethod
    def service_order_id(external_id: str) -> str:
        return f"SO-{external_id}"

    async def answer(self, external_id: str, *states: str, event_id: str | None = None) -> None:
        """Callbacks for one service order, one per state, in the order given."""
        order_id = external_id.split("/", 1)[0]
        handle = self.client.get_workflow_handle(workflow_id(order_id))
        for state in states:
            callback = OssCallback(
                eventId=event_id or uuid.uuid4().hex,
                eventType="ServiceOrderStateChangeEvent",
                eventTime=datetime.now(UTC).isoformat(),
                serviceOrderId=self.service_order_id(external_id),
                externalId=external_id,
                state=state,
            )
            self.events.append(callback)
            await handle.signal(SIGNAL_OSS_CALLBACK, callback)

    def posted(self, order_id: str, key: str, attempt: int = 1) -> list[ServiceOrderRequest]:
        external_id = service_order_external_id(order_id, key, attempt)
        return [p for p in self.posts if p.externalId == external_id]

    async def wait_posted(self, order_id: str, key: str, attempt: int = 1) -> ServiceOrderRequest:
        await until(lambda: bool(self.posted(order_id, key, attempt)), what=f"a service order for {key}")
        return self.posted(order_id, key, attempt)[0]

    def keys(self, order_id: str) -> list[str]:
        """The externalIds posted for an order, first post of each, in posting order, without the order id."""
        seen = dict.fromkeys(p.externalId for p in self.posts if p.orderId == order_id)
        return [e.split("/", 1)[1] for e in seen]


@asynccontextmanager
async def order_worker(client: Client, fake: FakeFulfilment) -> AsyncIterator[str]:
    """A worker on a fresh task queue; yields the queue."""
    task_queue = f"orders-{uuid.uuid4().hex}"
    async with Worker(
        client,
        task_queue=task_queue,
        workflows=[ProductOrderWorkflow],
        activities=fake.activities,
        workflow_runner=RUNNER,  # the production worker's sandbox settings
    ):
        yield task_queue


async def start_order(
    client: Client, task_queue: str, order: OrderInput
) -> WorkflowHandle[Any, OrderProgress]:
    return await client.start_workflow(
        ProductOrderWorkflow.run, order, id=workflow_id(order.orderId), task_queue=task_queue
    )


async def status(handle: WorkflowHandle[Any, Any]) -> OrderProgress:
    view: OrderProgress = await handle.query(QUERY_STATUS, result_type=OrderProgress)
    return view


async def wait_state(handle: WorkflowHandle[Any, Any], state: str, timeout: float = 30.0) -> OrderProgress:
    deadline = time.monotonic() + timeout
    while True:
        view = await status(handle)
        if view.state == state:
            return view
        if time.monotonic() > deadline:
            raise AssertionError(f"order is {view.state}, expected {state}")
        await asyncio.sleep(0.05)
