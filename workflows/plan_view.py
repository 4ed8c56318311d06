"""The plan and the activity messages as plain dataclasses: what the order workflow sees of the engine.

The workflow never imports the engine's plan (it holds the catalog release): the planning activity turns
an `engine.orderflow.OrderPlan` into these views, and the workflow interprets them. Fields may be added at
the end with defaults; renaming one breaks recorded histories (the replay test catches it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workflows.contracts import OrderInput, OrderItemInput

# Activity names: the worker registers the real implementations under them, tests register fakes.
ACTIVITY_PLAN = "plan_order"
ACTIVITY_AMEND_PLAN = "amend_plan"
ACTIVITY_SUBMIT = "submit_service_order"
ACTIVITY_PROGRESS = "record_progress"
ACTIVITY_INVENTORY = "complete_inventory"
ACTIVITY_BILLING = "start_billing"


@dataclass(frozen=True)
class PlanStep:
    """One step of the order's DAG; `id` is `"{itemId}/{stepId}"`."""

    id: str
    itemId: str
    productOffering: str
    name: str
    serviceSpecification: str
    action: str  # TMF641 ServiceOrderItem action: add | modify | delete
    predecessors: list[str]
    pointOfNoReturn: bool
    timeoutSeconds: float  # the flow's timeout, before the order's timeScale
    compensationAction: str | None = None
    compensationServiceSpecification: str | None = None

    @property
    def compensable(self) -> bool:
        return self.compensationAction is not None


@dataclass(frozen=True)
class PlanView:
    steps: list[PlanStep]  # in the plan's deterministic topological order


@dataclass(frozen=True)
class AmendPlanRequest:
    order: OrderInput
    currentItems: list[OrderItemInput]  # the items the running plan was made from
    newItems: list[OrderItemInput]


@dataclass(frozen=True)
class AmendView:
    added: list[str]
    removed: list[str]
    unchanged: list[str]
    steps: list[PlanStep]  # the whole new plan, in order


@dataclass(frozen=True)
class ServiceOrderRequest:
    """One TMF641 service order with one item, for one attempt of one step (or of its compensation)."""

    orderId: str
    stepId: str
    externalId: str  # contracts.service_order_external_id(...): the OSS deduplicates on it
    action: str
    serviceSpecification: str
    description: str
    characteristics: dict[str, Any] = field(default_factory=dict)
    productId: str | None = None


@dataclass(frozen=True)
class ItemProduct:
    itemId: str
    productId: str
    productOffering: str
    action: str


@dataclass(frozen=True)
class InventoryRequest:
    order: OrderInput
    items: list[OrderItemInput]  # the items as amended
    completionDate: str


@dataclass(frozen=True)
class InventoryResult:
    products: list[ItemProduct]


@dataclass(frozen=True)
class BillingRequest:
    orderId: str
    releaseId: str
    products: list[ItemProduct]
    startDate: str
