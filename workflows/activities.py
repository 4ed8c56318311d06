"""The order workflow's activities: thin calls into runtime services, one unit of work each.

Business refusals (a plan that cannot be made, an OSS 4xx, an inventory conflict) are raised as
non-retryable `ApplicationError`s with a type the workflow can read; anything else (database or OSS down)
propagates, and Temporal retries it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from engine.errors import EngineError
from runtime.api.errors import ApiError
from runtime.billing.service import start_billing
from runtime.bootstrap import Services
from runtime.fulfilment import planning
from runtime.fulfilment.inventory import complete_inventory
from runtime.fulfilment.oss_client import OssClient, OssRefused
from runtime.inventory.service import InventoryService
from runtime.ordering.progress import record_progress
from workflows.contracts import OrderInput, OrderProgress
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
    PlanView,
    ServiceOrderRequest,
)


@contextmanager
def refusals(kind: str) -> Iterator[None]:
    """Engine errors and 4xx API errors as non-retryable failures of type `kind`."""
    try:
        yield
    except EngineError as error:
        raise ApplicationError(f"{error.code}: {error}", type=kind, non_retryable=True) from error
    except ApiError as error:
        if error.status >= 500:
            raise
        raise ApplicationError(f"{error.code}: {error.message}", type=kind, non_retryable=True) from error


def _log(message: str, order_id: str, **fields: Any) -> None:
    activity.logger.info(message, extra={"order_id": order_id, **fields})


class OrderActivities:
    def __init__(self, services: Services, oss: OssClient, inventory: InventoryService | None = None) -> None:
        self.services = services
        self.oss = oss
        self.inventory = inventory or InventoryService()

    @property
    def all(self) -> list[Callable[..., Any]]:
        return [
            self.plan_order,
            self.amend_plan,
            self.submit_service_order,
            self.record_progress,
            self.complete_inventory,
            self.start_billing,
        ]

    @activity.defn(name=ACTIVITY_PLAN)
    async def plan_order(self, order: OrderInput) -> PlanView:
        with refusals("PlanRefused"):
            async with self.services.database.sessions() as session:
                view = await planning.plan(session, self.services.catalog, order)
        _log("planned", order.orderId, steps=len(view.steps), release=order.releaseId)
        return view

    @activity.defn(name=ACTIVITY_AMEND_PLAN)
    async def amend_plan(self, request: AmendPlanRequest) -> AmendView:
        with refusals("PlanRefused"):
            async with self.services.database.sessions() as session:
                return await planning.amend_plan(session, self.services.catalog, request)

    @activity.defn(name=ACTIVITY_SUBMIT)
    async def submit_service_order(self, request: ServiceOrderRequest) -> str:
        # From the second attempt on, the first may have reached the OSS: look before posting again.
        retry = activity.info().attempt > 1
        try:
            service_order_id = await self.oss.submit(request, look_first=retry)
        except OssRefused as error:
            raise ApplicationError(str(error), type="ServiceOrderRefused", non_retryable=True) from error
        _log(
            "service order sent",
            request.orderId,
            externalId=request.externalId,
            serviceOrder=service_order_id,
        )
        return service_order_id

    @activity.defn(name=ACTIVITY_PROGRESS)
    async def record_progress(self, progress: OrderProgress) -> None:
        with refusals("ProgressRefused"):
            async with self.services.database.unit_of_work() as session:
                await record_progress(session, progress)

    @activity.defn(name=ACTIVITY_INVENTORY)
    async def complete_inventory(self, request: InventoryRequest) -> InventoryResult:
        with refusals("InventoryRefused"):
            async with self.services.database.unit_of_work() as session:
                products = await complete_inventory(session, self.inventory, request)
        _log("inventory updated", request.order.orderId, products=[p.productId for p in products])
        return InventoryResult(products)

    @activity.defn(name=ACTIVITY_BILLING)
    async def start_billing(self, request: BillingRequest) -> None:
        started_at = datetime.fromisoformat(request.startDate)
        async with self.services.database.unit_of_work() as session:
            started = await start_billing(
                session, request.orderId, request.releaseId, request.products, started_at
            )
        _log("billing started", request.orderId, products=started)
