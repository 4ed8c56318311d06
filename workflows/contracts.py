"""What crosses the boundary between the API, the order workflow and its activities.

Plain frozen dataclasses of JSON types, so Temporal's default converter carries them and recorded histories
stay readable. Renaming a field here breaks in-flight orders: the replay test catches it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TASK_QUEUE = "switchboard-orders"
WORKFLOW_TYPE = "ProductOrderWorkflow"

# Signal and update names, shared by the API (sender) and the workflow (receiver).
SIGNAL_OSS_CALLBACK = "oss_callback"
UPDATE_CANCEL = "cancel"
UPDATE_AMEND = "amend"
UPDATE_FALLOUT_DECISION = "fallout_decision"
QUERY_STATUS = "status"


def workflow_id(order_id: str) -> str:
    """The workflow id is the order's idempotency key: Temporal refuses to start a second one."""
    return f"ProductOrder-{order_id}"


def service_order_external_id(order_id: str, step_id: str, attempt: int) -> str:
    """The key the OSS deduplicates on: one service order per step and attempt, never two.

    A retried activity resends the same key; only an operator's "retry" after fallout makes a new attempt.
    """
    return f"{order_id}/{step_id}#{attempt}"


@dataclass(frozen=True)
class OrderItemInput:
    itemId: str
    productOffering: str  # offering id in the pinned release
    action: str  # add | modify | delete (TMF622 ItemActionType; noChange items are not planned)
    productId: str | None = None  # the inventory product a modify/delete acts on
    characteristics: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OrderInput:
    orderId: str
    releaseId: str  # the catalog release pinned at capture; never re-resolved
    customerId: str | None
    items: list[OrderItemInput]
    orderDate: str  # ISO 8601; the plan's "at"
    # Multiplies every step timeout of the flows (1.0 in production; tests and demos shrink it).
    timeScale: float = 1.0


@dataclass(frozen=True)
class OssCallback:
    """A TMF641 ServiceOrderStateChangeEvent or ServiceOrderAttributeValueChangeEvent, reduced."""

    eventId: str
    eventType: str
    eventTime: str
    serviceOrderId: str
    externalId: str  # service_order_external_id(...) of the step
    state: str  # TMF641 ServiceOrderStateType
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CancelRequest:
    cancelId: str  # the CancelProductOrder id
    reason: str | None = None


@dataclass(frozen=True)
class AmendRequest:
    amendId: str
    items: list[OrderItemInput]


@dataclass(frozen=True)
class FalloutDecision:
    stepId: str  # "{itemId}/{stepId}"
    decision: str  # retry | skip | fail
    note: str | None = None


@dataclass(frozen=True)
class UpdateOutcome:
    """The answer to an update: accepted, or refused with a reason the API returns as a 409."""

    accepted: bool
    reason: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StepProgress:
    stepId: str  # "{itemId}/{stepId}"
    itemId: str
    state: str  # pending | inProgress | completed | failed | skipped | compensated | cancelled
    serviceOrderId: str | None = None
    attempt: int = 1


@dataclass(frozen=True)
class ItemProgress:
    itemId: str
    state: str  # TMF622 ProductOrderItemStateType
    productId: str | None = None  # the inventory product, once made


@dataclass(frozen=True)
class Milestone:
    """A TMF622-style milestone on the order (jeopardy, fallout, point of no return ...)."""

    id: str
    name: str  # jeopardy | fallout | pointOfNoReturn | cancelled | amended | completed
    status: str  # raised | cleared | reached
    message: str
    milestoneDate: str
    stepId: str | None = None


@dataclass(frozen=True)
class OrderProgress:
    """The workflow's view of the order, sent whole; `revision` only grows, so a retried write is a no-op."""

    orderId: str
    revision: int
    state: str  # TMF622 ProductOrderStateType
    items: list[ItemProgress]
    steps: list[StepProgress]
    milestones: list[Milestone]
    pointOfNoReturn: bool = False
    completionDate: str | None = None
    cancellationReason: str | None = None
    note: str | None = None


# The ApplicationError type with which the workflow's update validators refuse (after the point of no
# return, a step not in fallout ...); the orchestrator turns it into UpdateOutcome(accepted=False).
UPDATE_REFUSED = "UpdateRefused"
