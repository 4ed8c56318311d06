"""TMF622 v4 order, order item and cancellation states, with one transition table each.

The tables follow the TMF622 v4.0 user guide's state machines:
- an order is acknowledged, then rejected or taken inProgress; inProgress may pause (pending: waiting for
  something outside, held: waiting for an operator) and resume; it ends completed, failed or partial;
- a cancellation is assessed (assessingCancellation), then either refused (back to where the order was) or
  accepted (pendingCancellation) and ends in cancelled.

Decisions beyond the guide:
- Progress arrives as snapshots of the workflow (`workflows.contracts.OrderProgress`) and two snapshots may
  be one step or several apart. The tables therefore also allow the moves that collapse a chain of guide
  moves into one: an in-flight order may become cancelled, failed or held directly; an acknowledged,
  pending or held order may end (completed, partial) with the inProgress in between unseen; an
  acknowledged order may be cancelled or fail before any step ran.
- `None` is "no order yet": the states a capture may store (acknowledged, or rejected with its reasons).
- A move to the same state is no move and is allowed everywhere, so replaying a snapshot is harmless.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from engine.errors import EngineError


class OrderState(StrEnum):
    """TMF622 ProductOrderStateType."""

    acknowledged = "acknowledged"
    rejected = "rejected"
    pending = "pending"
    held = "held"
    inProgress = "inProgress"
    cancelled = "cancelled"
    completed = "completed"
    failed = "failed"
    partial = "partial"
    assessingCancellation = "assessingCancellation"
    pendingCancellation = "pendingCancellation"


class ItemState(StrEnum):
    """TMF622 ProductOrderItemStateType (an item has no `partial`)."""

    acknowledged = "acknowledged"
    rejected = "rejected"
    pending = "pending"
    held = "held"
    inProgress = "inProgress"
    cancelled = "cancelled"
    completed = "completed"
    failed = "failed"
    assessingCancellation = "assessingCancellation"
    pendingCancellation = "pendingCancellation"


class CancelState(StrEnum):
    """TMF622 TaskStateType, the state of a CancelProductOrder request."""

    accepted = "accepted"
    terminatedWithError = "terminatedWithError"
    inProgress = "inProgress"
    done = "done"


O = OrderState  # noqa: E741 - the tables read better with one-letter names
I = ItemState  # noqa: E741
C = CancelState

# Where a paused (pending or held) order may go: on, to its end, or to its cancellation.
_PAUSED = frozenset(
    {
        O.inProgress,
        O.assessingCancellation,
        O.pendingCancellation,
        O.cancelled,
        O.completed,
        O.failed,
        O.partial,
    }
)
ORDER_TRANSITIONS: Mapping[OrderState | None, frozenset[OrderState]] = {
    None: frozenset({O.acknowledged, O.rejected}),
    O.acknowledged: frozenset(
        {
            O.rejected,
            O.inProgress,
            O.pending,
            O.held,
            O.assessingCancellation,
            O.cancelled,
            O.completed,
            O.failed,
            O.partial,
        }
    ),
    O.inProgress: frozenset(
        {
            O.pending,
            O.held,
            O.completed,
            O.failed,
            O.partial,
            O.assessingCancellation,
            O.pendingCancellation,
            O.cancelled,
        }
    ),
    O.pending: frozenset(_PAUSED | {O.held}),
    O.held: frozenset(_PAUSED | {O.pending}),
    # A refused cancellation returns the order to where it was.
    O.assessingCancellation: frozenset(
        {O.pendingCancellation, O.cancelled, O.acknowledged, O.inProgress, O.pending, O.held}
    ),
    O.pendingCancellation: frozenset({O.cancelled}),
    O.rejected: frozenset(),
    O.cancelled: frozenset(),
    O.completed: frozenset(),
    O.failed: frozenset(),
    O.partial: frozenset(),
}

_ITEM_PAUSED = frozenset(
    {I.inProgress, I.assessingCancellation, I.pendingCancellation, I.cancelled, I.completed, I.failed}
)
ITEM_TRANSITIONS: Mapping[ItemState | None, frozenset[ItemState]] = {
    None: frozenset({I.acknowledged, I.rejected}),
    I.acknowledged: frozenset(
        {
            I.rejected,
            I.inProgress,
            I.pending,
            I.held,
            I.assessingCancellation,
            I.cancelled,
            I.completed,
            I.failed,
        }
    ),
    I.inProgress: frozenset(
        {
            I.pending,
            I.held,
            I.completed,
            I.failed,
            I.assessingCancellation,
            I.pendingCancellation,
            I.cancelled,
        }
    ),
    I.pending: frozenset(_ITEM_PAUSED | {I.held}),
    I.held: frozenset(_ITEM_PAUSED | {I.pending}),
    I.assessingCancellation: frozenset(
        {I.pendingCancellation, I.cancelled, I.acknowledged, I.inProgress, I.pending, I.held}
    ),
    I.pendingCancellation: frozenset({I.cancelled}),
    I.rejected: frozenset(),
    I.cancelled: frozenset(),
    I.completed: frozenset(),
    I.failed: frozenset(),
}

CANCEL_TRANSITIONS: Mapping[CancelState | None, frozenset[CancelState]] = {
    # Switchboard stores a cancellation once the workflow accepted it: it starts inProgress.
    None: frozenset({C.accepted, C.inProgress}),
    C.accepted: frozenset({C.inProgress, C.terminatedWithError}),
    C.inProgress: frozenset({C.done, C.terminatedWithError}),
    C.done: frozenset(),
    C.terminatedWithError: frozenset(),
}

State = TypeVar("State", OrderState, ItemState, CancelState)

_TABLES: Mapping[type[StrEnum], Mapping[StrEnum | None, frozenset[StrEnum]]] = {
    OrderState: ORDER_TRANSITIONS,  # type: ignore[dict-item]
    ItemState: ITEM_TRANSITIONS,  # type: ignore[dict-item]
    CancelState: CANCEL_TRANSITIONS,  # type: ignore[dict-item]
}
_NAMES: Mapping[type[StrEnum], str] = {
    OrderState: "product order",
    ItemState: "product order item",
    CancelState: "cancellation request",
}


class IllegalOrderTransition(EngineError):
    """A state change the transition table of the order, item or cancellation does not allow."""

    code = "INVALID_STATE_TRANSITION"
    status = 409


def transition(current: State | None, target: State) -> State:
    """`target` when the table of its kind allows the move from `current` (None: creating); else a 409."""
    if current == target:
        return target
    table = _TABLES[type(target)]
    allowed = table[current]
    if target not in allowed:
        what = _NAMES[type(target)]
        origin = f"a new {what}" if current is None else f"a {what} in state {current.value}"
        options = ", ".join(sorted(allowed)) or "none: it is final"
        raise IllegalOrderTransition(f"{origin} cannot become {target.value}; allowed: {options}")
    return target


def allowed_transitions(current: State) -> frozenset[State]:
    """The states `current` may move to."""
    allowed: frozenset[State] = _TABLES[type(current)][current]  # type: ignore[assignment]
    return allowed


def final_states() -> frozenset[OrderState]:
    """Order states nothing leaves: the order's outcome."""
    return frozenset(state for state, nexts in ORDER_TRANSITIONS.items() if state is not None and not nexts)


def in_flight_states() -> frozenset[OrderState]:
    """Order states of an accepted order that has not ended: its workflow runs."""
    return frozenset(OrderState) - final_states()


def final_item_states() -> frozenset[ItemState]:
    return frozenset(state for state, nexts in ITEM_TRANSITIONS.items() if state is not None and not nexts)
