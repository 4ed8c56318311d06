"""The order workflow's memory, kept apart from Temporal so it reads (and is tested) as plain Python.

Nothing here does I/O or reads a clock: the workflow passes the moment in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.ordering.states import OrderState, transition
from workflows.contracts import ItemProgress, OrderItemInput, OssCallback, StepProgress
from workflows.plan_view import PlanStep

# TMF641 ServiceOrderStateType ranked: a callback never moves a service order back to a lower rank, and
# nothing moves it once terminal (a late "inProgress" after "completed" is ignored).
OSS_RANK: Mapping[str, int] = {
    "acknowledged": 1,
    "pending": 2,
    "held": 2,
    "inProgress": 3,
    "assessingCancellation": 3,
    "pendingCancellation": 3,
    "partial": 9,
    "completed": 9,
    "failed": 9,
    "rejected": 9,
    "cancelled": 9,
}
OSS_TERMINAL = frozenset(state for state, rank in OSS_RANK.items() if rank == 9)

DONE_STEP_STATES = frozenset({"completed", "skipped"})


def checked_move(current: str, target: str) -> str:
    """`target` if the TMF622 order table (engine.ordering.states, the API's too) allows it; else a bug."""
    return transition(OrderState(current), OrderState(target)).value


@dataclass
class ServiceOrderView:
    state: str
    serviceOrderId: str | None


@dataclass
class OssBook:
    """OSS callbacks by service order externalId: deduplicated by event id, never moving backwards.

    A callback may arrive before the submit activity has returned: the externalId is expected from the
    moment the workflow schedules the submit, so nothing is lost.
    """

    expected: set[str] = field(default_factory=set)
    seen_events: set[str] = field(default_factory=set)
    orders: dict[str, ServiceOrderView] = field(default_factory=dict)

    def expect(self, external_id: str) -> None:
        self.expected.add(external_id)

    def record(self, callback: OssCallback) -> str:
        """What the callback did: applied, duplicate, unknown (externalId), unknownState or stale."""
        if callback.eventId in self.seen_events:
            return "duplicate"
        self.seen_events.add(callback.eventId)
        if callback.externalId not in self.expected:
            return "unknown"
        rank = OSS_RANK.get(callback.state)
        if rank is None:
            return "unknownState"
        current = self.orders.get(callback.externalId)
        if current is not None and (current.state in OSS_TERMINAL or OSS_RANK[current.state] > rank):
            return "stale"
        self.orders[callback.externalId] = ServiceOrderView(
            callback.state, callback.serviceOrderId or (current.serviceOrderId if current else None)
        )
        return "applied"

    def terminal(self, external_id: str) -> str | None:
        view = self.orders.get(external_id)
        return view.state if view is not None and view.state in OSS_TERMINAL else None


@dataclass
class StepRun:
    """One plan step as the workflow runs it; `position` is its place in the plan (compensation order)."""

    plan: PlanStep
    position: int
    state: str = "pending"  # a StepProgress state
    attempt: int = 1
    externalId: str | None = None  # of the service order now awaited (the step's, or its compensation's)
    serviceOrderId: str | None = None
    in_fallout: bool = False
    decision: str | None = None
    retired: bool = False  # removed by an amendment

    @property
    def done(self) -> bool:
        return self.state in DONE_STEP_STATES

    def progress(self) -> StepProgress:
        return StepProgress(self.plan.id, self.plan.itemId, self.state, self.serviceOrderId, self.attempt)


def item_progress(
    items: list[OrderItemInput], steps: list[StepRun], order_state: str, products: Mapping[str, str]
) -> list[ItemProgress]:
    """Items follow their order, except that only the items with a step in fallout are held.

    Snapshots may be coalesced (several changes, one snapshot), so an item never shows a state its order
    could skip: following the order keeps every recorded move legal in the item table.
    """
    views = []
    for item in items:
        state = order_state
        if order_state == "held" and not any(s.in_fallout for s in steps if s.plan.itemId == item.itemId):
            state = "inProgress"
        views.append(ItemProgress(item.itemId, state, products.get(item.itemId) or item.productId))
    return views
