"""Planning an order against its pinned catalog release, as serializable step views for the workflow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from engine.facts import ItemAction
from engine.orderflow import OrderPlan, PlanItem, PlannedStep, amend, plan_order
from runtime.catalog.contracts import CatalogStore
from workflows.contracts import OrderInput, OrderItemInput
from workflows.plan_view import AmendPlanRequest, AmendView, PlanStep, PlanView


def plan_items(items: Sequence[OrderItemInput]) -> list[PlanItem]:
    """The items that carry work: noChange items are not planned."""
    return [
        PlanItem(item.itemId, item.productOffering, ItemAction(item.action))
        for item in items
        if item.action != ItemAction.noChange
    ]


def step_view(step: PlannedStep) -> PlanStep:
    compensation = step.step.compensation
    return PlanStep(
        id=step.id,
        itemId=step.itemId,
        productOffering=step.productOffering,
        name=step.step.name,
        serviceSpecification=step.step.serviceSpecification,
        action=step.step.action.value,
        predecessors=list(step.predecessors),
        pointOfNoReturn=step.step.pointOfNoReturn,
        timeoutSeconds=step.step.timeout.total_seconds(),
        compensationAction=compensation.action.value if compensation is not None else None,
        compensationServiceSpecification=step.compensation_service,
    )


def plan_view(plan: OrderPlan) -> PlanView:
    return PlanView(steps=[step_view(step) for step in plan.steps])


def _order_date(order: OrderInput) -> datetime:
    return datetime.fromisoformat(order.orderDate)


async def plan(session: AsyncSession, catalog: CatalogStore, order: OrderInput) -> PlanView:
    """The order's DAG from the release it was captured with (never the one in effect now)."""
    async with catalog.lease(session, order.releaseId) as active:
        return plan_view(plan_order(active.release, plan_items(order.items), _order_date(order)))


async def amend_plan(session: AsyncSession, catalog: CatalogStore, request: AmendPlanRequest) -> AmendView:
    """Re-plan an amended order: only items that changed get new steps; the diff names every step."""
    order = request.order
    async with catalog.lease(session, order.releaseId) as active:
        current = plan_order(active.release, plan_items(request.currentItems), _order_date(order))
        diff = amend(current, plan_items(request.newItems))
    return AmendView(
        added=[step.id for step in diff.added],
        removed=[step.id for step in diff.removed],
        unchanged=[step.id for step in diff.unchanged],
        steps=[step_view(step) for step in diff.plan.steps],
    )
